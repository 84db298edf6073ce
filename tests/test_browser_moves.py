"""The everyday moves that once lost a learner's answers, done in a real browser (issue 9).

Each test answers a built workbook (one question of every kind, plus the learner's name and ID), reads what
the widgets show, does one move, and ends with every answer in the SAVED FILE and the grader's points equal to
what the widgets showed before the move:

(a) rename, then Run All in the same kernel; (b) Run All, then Restart Kernel and Run All, before saving;
(c) Clear Outputs of All Cells, save, Run All; (d) a question cell run before the setup cell; (e) reopening:
before anything runs, the saved answer and how to change it, never "model not found"; (f) the keyboard: keys
in an answer widget change the answer, never the notebook. (a)-(c) run in JupyterLab and Notebook 7, one after
the other on one answered workbook (each starting with an answer changed and not saved); (d) follows (e).

One JupyterLab and one Notebook 7 server for the module; each test has its own folder (so its own answer
journal). Screenshots of every step: ``test-artifacts/browser/moves-*``. Every wait waits for a state.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    IDENTITY,
    KERNEL_TIMEOUT,
    ROOT,
    RUN_ALL,
    SAVE,
    TEXT_OUTPUT,
    UI_TIMEOUT,
    JupyterServer,
    NotebookPage,
    Plan,
    demo_solution,
    graded,
    learner_answer,
    points,
    read_answers,
    screenshot_on_failure,
)

from innovation_course.classroom.build import build_notebook
from innovation_course.engine import records
from innovation_course.engine.frontend import REOPENED_TEXT, WIDGET_VIEW
from innovation_course.engine.spec import parse_workbook
from innovation_course.engine.widgets import LIVE_LINE

pytestmark = pytest.mark.browser

NAME = "answers.ipynb"
VIEWPORT = {"width": 1280, "height": 900}
ERRORS = re.compile(r"Traceback|NameError|model not found")
#: The cell's text once every Markdown output in it is drawn (Markdown is drawn after its output is in), else null.
DRAWN_TEXT_JS = ("cell => [...cell.querySelectorAll('.jp-RenderedMarkdown')].every(m => m.innerText.trim())"
                 " && cell.innerText")


# -- the workbook and the answers ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("moves")


@pytest.fixture(scope="module")
def plan(workdir) -> Plan:
    """The demo workbook as learners get it, answered right except the single-choice question (a wrong option),
    so the points are neither zero nor full."""
    solution = demo_solution()
    nbformat.write(solution, workdir / "key.ipynb")
    built = build_notebook(solution, "self-study", "solutions/demo_browser.ipynb")
    spec, key = parse_workbook(built), parse_workbook(solution)
    plan = Plan("moves", NAME, built, spec.id, spec.questions, key.questions, identity=True)
    for qid, question in key.questions.items():
        answer = learner_answer(question)
        if question.kind == "choice":
            answer = next(o for o in question.options if o != question.answer)
        plan.answers[qid] = answer
    return plan


@contextlib.contextmanager
def running(app: str, workdir: Path):
    root = workdir / f"{app}-root"
    root.mkdir()
    with JupyterServer(app, root, workdir / f"{app}-home", ARTIFACTS / f"moves-{app}-server.log") as server:
        yield server


@pytest.fixture(scope="module")
def lab(workdir, browser):
    with running("lab", workdir) as server:
        yield server


@pytest.fixture(scope="module")
def notebook7(workdir, browser):
    with running("notebook", workdir) as server:
        yield server


@pytest.fixture
def server(app, request) -> JupyterServer:
    """The module's JupyterLab or Notebook 7 server, started when a test first needs it."""
    return request.getfixturevalue({"lab": "lab", "notebook": "notebook7"}[app])


@pytest.fixture
def learner(browser, plan, request):
    """A page with a fresh copy of the workbook in a folder of its own, opened, run and fully answered."""
    contexts, servers = [], []

    def make(server: JupyterServer, move: str) -> NotebookPage:
        folder = server.root_dir / move
        folder.mkdir()
        nbformat.write(plan.notebook, folder / NAME)
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        servers.append(server)
        shots = ARTIFACTS / f"moves-{server.app}-{move}"
        shutil.rmtree(shots, ignore_errors=True)
        nb = NotebookPage(context.new_page(), server, f"{move}/{NAME}", shots)
        nb.open()
        nb.run_all()
        nb.answer_identity(IDENTITY)
        for qid, answer in plan.answers.items():
            nb.answer(plan, qid, answer)
        nb.shot("answered")
        return nb

    yield make
    for context in contexts:
        context.close()
    for server in servers:  # each test's kernel ends with it: the next test has the machine to itself
        with contextlib.suppress(Exception):
            server.shut_down_kernels()


# -- what the widgets show, what the file holds ----------------------------------------------------------------
def shown(nb: NotebookPage, plan: Plan) -> dict[str, Any]:
    """Every answer as the page shows it: the widgets, and for computed questions the submitted value."""
    answers = {qid: (plan.answers[qid] if q.kind == "computed" else nb.widget_answer(q))
               for qid, q in plan.built.items()}
    answers[records.IDENTITY] = nb.identity_widgets()
    return answers


def expect_shown(nb: NotebookPage, plan: Plan, before: dict[str, Any], step: str) -> None:
    now = shown(nb, plan)
    differ = {qid: (before[qid], now[qid]) for qid in before if now[qid] != before[qid]}
    assert not differ, f"after {step}, the widgets show other answers (before, now): {differ}"
    errors = nb.page.locator(".jp-Notebook .jp-OutputArea-output", has_text=ERRORS)
    assert errors.count() == 0, f"after {step}: {errors.all_inner_texts()}"


def expect_saved(nb: NotebookPage, plan: Plan, before: dict[str, Any], key: Path) -> None:
    """Save; the file holds exactly the answers shown before the move, and the grader gives their points."""
    nb.save()
    nb.shot("saved")
    saved = read_answers(nb.path)
    assert saved.workbook == plan.workbook_id and not saved.problems, saved.problems
    in_file = {qid: saved.answers.get(qid) for qid in plan.built}
    answers = {qid: a for qid, a in before.items() if qid != records.IDENTITY}
    assert in_file == answers, "the saved file does not hold the answers the widgets showed"
    assert {k: saved.identity.get(k) for k in ("name", "id")} == before[records.IDENTITY]
    expected = points(plan.solution, plan.workbook_id, answers)
    assert 0 < sum(expected.values()) < sum(q.points for q in plan.solution.values())
    assert graded(nb.path, key, before[records.IDENTITY]) == expected
    shutil.copy(nb.path, nb.shots / NAME)


def choose(nb: NotebookPage, plan: Plan, qid: str, option: str, before: dict[str, Any]) -> None:
    """Pick another option of a single-choice question (not saved); ``before`` then holds it."""
    cell = nb.question_cell(qid)
    cell.get_by_role("radio", name=option, exact=True).check()
    nb.expect_line(cell, _line(plan, qid, option))
    before[qid] = option


def choice_question(plan: Plan) -> str:
    return next(qid for qid, question in plan.built.items() if question.kind == "choice")


# -- (a), (b), (c): JupyterLab and Notebook 7 ------------------------------------------------------------------
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_rename_run_all_restart_and_clear_outputs_lose_no_answer(server, learner, plan, workdir):
    """(a) rename, then Run All in the same kernel; (b) Run All, then Restart Kernel and Run All; (c) Clear
    Outputs of All Cells, save, Run All. Each move starts with answers the file does not hold yet."""
    nb = learner(server, "moves")
    key = workdir / "key.ipynb"
    qid = choice_question(plan)
    options = list(plan.built[qid].options)
    with screenshot_on_failure(nb):
        before = shown(nb, plan)  # (a): nothing saved yet; the kernel knows the notebook by its old name
        nb.rename("renamed.ipynb")
        nb.shot("renamed")
        nb.run_all()
        nb.shot("renamed-ran-all")
        expect_shown(nb, plan, before, "rename and Run All")
        expect_saved(nb, plan, before, key)

        choose(nb, plan, qid, options[-1], before)  # (b): a changed answer, not saved
        nb.run_all()
        expect_shown(nb, plan, before, "Run All")
        nb.restart_and_run_all()  # a new kernel: the unsaved answer comes back from the journal
        nb.shot("restarted-ran-all")
        assert nb.prompts()[0] == "[1]:"
        expect_shown(nb, plan, before, "Restart Kernel and Run All")
        expect_saved(nb, plan, before, key)

        choose(nb, plan, qid, plan.solution[qid].answer, before)  # (c)
        nb.clear_all_outputs()
        nb.save()
        nb.shot("cleared-saved")
        kept = [o for cell in nbformat.read(nb.path, as_version=4).cells for o in cell.get("outputs", [])]
        assert all(records.MIME in o.get("data", {}) for o in kept), "Clear Outputs was not done"
        assert read_answers(nb.path).answers == {q: a for q, a in before.items() if q != records.IDENTITY}, (
            "the answers the page showed before Clear Outputs are not in the saved file")  # the pre-save hook's
        nb.run_all()
        nb.shot("cleared-ran-all")
        expect_shown(nb, plan, before, "Clear Outputs, save and Run All")
        expect_saved(nb, plan, before, key)

        nb.reload()  # the same kernel, a new page: the saved answers are on it
        nb.shot("reloaded")
        missing = [line for line in _lines(plan, before) if line not in nb.answer_lines()]
        assert not missing, f"answer lines not shown after reloading: {missing}"


# -- (d), (e): JupyterLab --------------------------------------------------------------------------------------
def test_reopened_workbook_shows_saved_answers_and_a_question_run_first_keeps_its_answer(lab, learner, plan,
                                                                                          workdir):
    """(e) reopen with a new kernel: before anything runs, each question shows its saved answer and how to change
    it, never "model not found"; (d) a question cell run before the setup cell explains and keeps the answer."""
    from playwright.sync_api import expect

    nb = learner(lab, "reopen")
    with screenshot_on_failure(nb):
        before = shown(nb, plan)
        nb.save()
        saved = json.loads(nb.path.read_text(encoding="utf-8"))
        answer_cells = [cell for cell in saved["cells"] if any(records.MIME in (o.get("data") or {})
                                                               for o in cell.get("outputs", []))]
        assert len(answer_cells) >= len(plan.built)
        dead = [o for cell in answer_cells for o in cell["outputs"] if WIDGET_VIEW in (o.get("data") or {})]
        assert not dead, "the saved file still holds widget views, which reopen as 'model not found'"

        nb.shut_down_kernel()
        nb.reload()  # a new kernel that has run nothing: the page shows what the file holds
        nb.shot("reopened")
        how = nb.page.locator(".jp-Notebook .jp-RenderedMarkdown", has_text=REOPENED_TEXT)  # drawn after the cells
        expect(how).to_have_count(len([q for q in plan.built.values() if q.kind != "computed"]) + 1,  # + identity
                                  timeout=UI_TIMEOUT)
        missing = [line for line in plan.lines().values() if line not in nb.answer_lines()]
        assert not missing, f"saved answers not shown after reopening: {missing}"
        assert nb.page.get_by_text("model not found").count() == 0

        qid = choice_question(plan)  # (d): `wb` is not defined in this kernel yet
        index = plan.ask_cell(qid)
        nb.cell(index).locator(".jp-OutputArea-output").first.click()
        nb.run_cell(index)
        text = nb.page.wait_for_function(DRAWN_TEXT_JS, arg=nb.cell(index).element_handle(), timeout=UI_TIMEOUT,
                                         polling=100).json_value()
        nb.shot("question-run-first", nb.cell(index))
        assert not ERRORS.search(text), f"the question cell shows an error:\n{text}"
        assert "first code cell" in text.lower(), f"no advice to run the setup cell:\n{text}"
        assert f"Answer to {qid}: {records.answer_line(before[qid])}" in text, f"the saved answer left:\n{text}"
        nb.save()
        assert read_answers(nb.path).answers == {q: a for q, a in before.items() if q != records.IDENTITY}

        nb.run_all()  # how to change an answer, as the page says: Run All, then pick another option
        nb.shot("ran-all")
        expect_shown(nb, plan, before, "reopening, a question run first, and Run All")
        choose(nb, plan, qid, plan.solution[qid].answer, before)
        expect_saved(nb, plan, before, workdir / "key.ipynb")


# -- (f): JupyterLab -------------------------------------------------------------------------------------------
def test_keys_in_answer_widgets_change_answers_not_the_notebook(lab, learner, plan, workdir):
    nb = learner(lab, "keyboard")
    page = nb.page
    with screenshot_on_failure(nb):
        cells = nb.cell_count()
        mode = "() => window.jupyterapp.shell.currentWidget.content.mode"
        active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
        by_kind = {q.kind: qid for qid, q in plan.built.items()}

        # a radio button: arrows move the choice; letters and Enter do nothing to the notebook
        qid = by_kind["choice"]
        question = plan.built[qid]
        cell = nb.question_cell(qid)
        first = cell.get_by_role("radio", name=question.options[0], exact=True)
        first.click()
        here = page.evaluate(active)
        for key in ("ArrowDown", "b", "a", "Enter", "d", "d", "x", "m"):
            page.keyboard.press(key)
        nb.expect_line(cell, _line(plan, qid, question.options[1]))
        assert page.locator(".jp-cell-toolbar button, .jp-cell-toolbar jp-button").count() == 0
        assert (nb.cell_count(), page.evaluate(mode), page.evaluate(active)) == (cells, "command", here)
        nb.shot("radio-keys", cell)

        # Tab then Enter, and Shift+Tab then Enter, from the radio: no cell duplicated, moved or deleted
        for keys in (("Tab", "Enter"), ("Shift+Tab", "Enter")):
            first.focus()
            for key in keys:
                page.keyboard.press(key)
            assert nb.cell_count() == cells, f"{'+'.join(keys)} from a radio button changed the notebook"
        page.keyboard.press("Escape")

        # a dropdown: arrows pick the next item
        qid = by_kind["ordering"]
        cell = nb.question_cell(qid)
        menu = cell.locator(".widget-dropdown select").first
        value = menu.input_value()
        menu.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function("([el, v]) => el.value !== v", arg=[menu.element_handle(), value], timeout=UI_TIMEOUT)
        page.keyboard.press("ArrowUp")
        page.wait_for_function("([el, v]) => el.value === v", arg=[menu.element_handle(), value], timeout=UI_TIMEOUT)
        assert (nb.cell_count(), page.evaluate(mode)) == (cells, "command")

        # a checkbox: Space ticks, letters do nothing
        qid = by_kind["multiple"]
        cell = nb.question_cell(qid)
        box = cell.get_by_role("checkbox", name=plan.built[qid].options[1], exact=True)
        ticked = box.is_checked()
        box.focus()
        for key in ("b", "Space"):
            page.keyboard.press(key)
        nb.expect_checked(box, not ticked)
        page.keyboard.press("Space")
        nb.expect_checked(box, ticked)
        assert nb.cell_count() == cells

        # a text box: letters type ("b" too), Enter sends the answer
        qid = by_kind["text"]
        cell = nb.question_cell(qid)
        field = cell.locator(".widget-text input")
        field.fill("")
        field.focus()
        page.keyboard.type("b")
        assert (field.input_value(), nb.cell_count()) == ("b", cells)
        page.keyboard.press("Backspace")
        page.keyboard.type(plan.answers[qid])
        page.keyboard.press("Enter")
        assert field.input_value() == plan.answers[qid]
        nb.expect_line(cell, _line(plan, qid, plan.answers[qid]))

        # a text area: letters, arrows and Enter edit the text; Tab leaves it and sends the answer
        qid = by_kind["free"]
        cell = nb.question_cell(qid)
        area = cell.locator(".widget-textarea textarea")
        area.fill("")
        area.focus()
        page.keyboard.type("b")
        page.keyboard.press("ArrowLeft")
        page.keyboard.type("a")
        page.keyboard.press("End")
        page.keyboard.press("Enter")
        assert (area.input_value(), nb.cell_count(), page.evaluate(mode)) == ("ab\n", cells, "command")
        page.keyboard.press("Backspace")
        page.keyboard.type(" c")
        page.keyboard.press("Tab")
        nb.expect_line(cell, _line(plan, qid, "ab c"))
        page.keyboard.press("Enter")  # Tab then Enter: wherever Tab went, the notebook keeps its cells
        assert nb.cell_count() == cells

        # Ctrl+S typed in a text box, the text not sent yet (no Enter, no Tab): the text is sent, then saved
        qid = by_kind["text"]
        cell = nb.question_cell(qid)
        field = cell.locator(".widget-text input")
        field.focus()
        page.keyboard.press("End")
        page.keyboard.type(" 2")
        typed = field.input_value()
        saves = nb.completed(SAVE)
        page.keyboard.press("ControlOrMeta+s")
        nb.expect_line(cell, _line(plan, qid, typed))
        # saved: the save command done (the file written). Not "the page is clean": an autosave can make it so
        # before, and the summary line's update, which follows the answer line, can make it dirty again after
        nb.wait_completed(SAVE, saves)
        assert read_answers(nb.path).answers.get(qid) == typed, "Ctrl+S in a text box saved without its text"
        assert page.evaluate("() => document.activeElement.matches('.widget-text input')")  # back in the field
        assert nb.cell_count() == cells

        # Ctrl+S from a radio button still saves: only plain keys stay in the widgets
        qid = by_kind["choice"]
        first.click()  # a change since the last save, so there is something to save
        nb.expect_line(nb.question_cell(qid), _line(plan, qid, plan.built[qid].options[0]))
        before = shown(nb, plan)
        mtime = nb.path.stat().st_mtime_ns
        saves = nb.completed(SAVE)
        first.focus()
        page.keyboard.press("ControlOrMeta+s")
        nb.wait_completed(SAVE, saves)
        assert nb.path.stat().st_mtime_ns != mtime
        nb.shot("keys-done")
        expect_shown(nb, plan, before, "the key presses")
        expect_saved(nb, plan, before, workdir / "key.ipynb")


def _line(plan: Plan, qid: str, answer: Any) -> str:
    changed = Plan(plan.label, plan.name, plan.notebook, plan.workbook_id, plan.built, plan.solution,
                   dict(plan.answers, **{qid: answer}))
    return changed.lines()[qid]


def _lines(plan: Plan, answers: dict[str, Any]) -> list[str]:
    changed = Plan(plan.label, plan.name, plan.notebook, plan.workbook_id, plan.built, plan.solution,
                   {qid: a for qid, a in answers.items() if qid != records.IDENTITY}, identity=plan.identity)
    return list(changed.lines().values())


def test_a_reopened_lesson_explorer_shows_its_last_chart_and_how_to_bring_its_controls_back(lab, browser, workdir):
    """A lesson's explorer (not a question): saved, kernel shut down, page reloaded. The file keeps the chart
    and its sentence, and says how to bring the controls back; the page never shows "model not found"."""
    from innovation_course.content import charts, explore
    from innovation_course.engine.frontend import CONTROLS_TEXT

    folder = lab.root_dir / "explorer"
    folder.mkdir()
    nb_file = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'from innovation_course import explore\n'
        'explore.indicator_explorer("oecd_gerd_ppp", economies=("CHN", "USA"))')])
    nb_file.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb_file, folder / "explore.ipynb")
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page(), lab, "explorer/explore.ipynb", ARTIFACTS / "moves-lab-explorer")
    try:
        with screenshot_on_failure(nb):
            nb.open()
            nb.run_all()
            nb.page.locator(".jp-OutputArea .widget-toggle-button").first.wait_for(timeout=KERNEL_TIMEOUT)
            image = nb.page.locator(".jp-OutputArea img").first
            image.wait_for(timeout=KERNEL_TIMEOUT)
            first_view = image.get_attribute("src")
            nb.page.locator(".jp-OutputArea .widget-toggle-button", has_text=explore.MEASURES["index"]).click()
            nb.page.wait_for_function("([img, before]) => img.isConnected ? img.src !== before : true",
                                      arg=[image.element_handle(), first_view], timeout=UI_TIMEOUT)
            sentence = nb.page.locator(".jp-OutputArea .jp-RenderedMarkdown", has_text="index")
            sentence.first.wait_for(timeout=UI_TIMEOUT)  # the sentence follows the chart: both show the new view
            last_view = nb.page.locator(".jp-OutputArea img").first.get_attribute("src")
            assert last_view != first_view
            nb.save()
            outputs = nbformat.read(nb.path, as_version=4).cells[0].outputs  # lines joined
            assert outputs[0]["data"]["text/plain"] == CONTROLS_TEXT
            png, alt = charts.chart_image(outputs[1]["data"])  # the chart, with its alt text (issue 18)
            assert "text/markdown" in outputs[2]["data"] and alt == outputs[2]["data"]["text/markdown"].strip()
            assert last_view.endswith(png)  # the file keeps the last view, not the first
            assert "index" in outputs[2]["data"]["text/markdown"].lower()
            assert not [o for o in outputs if WIDGET_VIEW in o["data"]]
            nb.shut_down_kernel()
            nb.reload()
            how = nb.page.locator(".jp-Notebook .jp-RenderedMarkdown", has_text=CONTROLS_TEXT)
            how.first.wait_for(timeout=UI_TIMEOUT)
            assert nb.page.locator(".jp-OutputArea img").count() == 1
            assert nb.page.get_by_text("model not found").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_ctrl_s_typed_in_a_text_area_saves_the_notebook_with_that_text(server, learner, plan, workdir):
    """A learner types a free response and presses Ctrl+S without leaving the box: the file holds the text."""
    nb = learner(server, "ctrl-s")
    with screenshot_on_failure(nb):
        qid = next(qid for qid, question in plan.built.items() if question.kind == "free")
        area = nb.question_cell(qid).locator(".widget-textarea textarea")
        area.focus()
        nb.page.keyboard.press("End")
        nb.page.keyboard.type(" And one more sentence.")
        typed = area.input_value()
        before = nb.path.stat().st_mtime_ns
        saves = nb.completed(SAVE)
        nb.page.keyboard.press("ControlOrMeta+s")
        nb.wait_completed(SAVE, saves)  # the save done (the page clean could be an autosave's, or undone since)
        nb.expect_line(nb.question_cell(qid), _line(plan, qid, typed))
        deadline = time.monotonic() + UI_TIMEOUT / 1000
        while read_answers(nb.path).answers.get(qid) != typed:  # written, and with the text typed
            assert time.monotonic() < deadline and nb.path.stat().st_mtime_ns >= before, "saved without the text"
            time.sleep(0.1)
        assert area.input_value() == typed


def test_after_a_page_reload_keys_stay_in_the_widgets_without_running_the_setup_cell(lab, learner, plan):
    """The page is reloaded (the kernel runs on) and only one question cell is run again: the keyboard script
    came back with the saved notebook, so arrows change the answer and "d d" deletes no cell."""
    nb = learner(lab, "reload-keys")
    page = nb.page
    with screenshot_on_failure(nb):
        nb.save()
        nb.reload()
        page.wait_for_function("() => window.__innovationCourseKeys === true", timeout=UI_TIMEOUT, polling=100)
        qid = choice_question(plan)
        index = plan.ask_cell(qid)
        nb.cell(index).locator(".jp-OutputArea-output").first.click()
        nb.run_cell(index)  # this cell only: `wb` lives on in the kernel
        cells = nb.cell_count()
        options = plan.built[qid].options
        nb.question_cell(qid).get_by_role("radio", name=options[0], exact=True).click()
        nb.expect_line(nb.question_cell(qid), _line(plan, qid, options[0]))
        for key in ("ArrowDown", "d", "d", "b"):
            page.keyboard.press(key)
        nb.expect_line(nb.question_cell(qid), _line(plan, qid, options[1]))
        assert nb.cell_count() == cells


# -- issue 18: what is handed in is what is shown (JupyterLab and Notebook 7) --------------------------------------
BLOCK = "block-run-all"  # while this file exists, the cell below keeps the kernel busy, so Run All can be interrupted
BLOCKING_CELL = ("from pathlib import Path\nimport time\n\nprint('running', flush=True)\n"
                 f'while Path("{BLOCK}").exists():  # a test waits here to interrupt Run All\n    time.sleep(0.05)')


def journaled(server: JupyterServer, qid: str) -> list:
    """The answers to ``qid`` in the server's answer journals (where the kernels keep every change)."""
    folder = server.home / "data" / "innovation-course" / "journals"
    found = []
    for path in folder.glob("*.answers.json"):
        with contextlib.suppress(OSError, ValueError):
            found.append(json.loads(path.read_text())["records"].get(qid, {}).get("answer"))
    return found


def drag_into_folder(page, name: str, folder: str, target: Path) -> None:
    """Drag the file ``name`` onto the folder ``folder`` in the page's file list (JupyterLab's file browser or
    Notebook 7's tree, the same widget), as a learner moves a file; wait until it is at ``target`` on disk."""
    def item(text: str):
        label = page.locator(".jp-DirListing-itemText", has_text=re.compile(rf"^{re.escape(text)}$"))
        return page.locator(".jp-DirListing-item").filter(has=label)

    item(folder).wait_for(timeout=UI_TIMEOUT)  # made on disk: shown once the list refreshes
    start, end = item(name).bounding_box(), item(folder).bounding_box()
    x, y = start["x"] + 40, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=5)  # past the drag threshold
    page.mouse.move(end["x"] + 40, end["y"] + end["height"] / 2, steps=10)
    page.mouse.up()
    deadline = time.monotonic() + UI_TIMEOUT / 1000
    while not target.is_file():
        assert time.monotonic() < deadline, f"{name} was not moved into {folder}"
        time.sleep(0.05)


def expect_file_holds_the_page(nb: NotebookPage, plan: Plan, page: dict, step: str,
                               changed_on_disk: bool = False) -> None:
    """Save from the page; the file's records are the answers ``page`` lists (what the widgets showed), and the
    grader gives the points those answers earn."""
    nb.save(changed_on_disk)
    nb.shot(f"saved-{step}")
    saved = read_answers(nb.path)
    in_file = {qid: saved.answers.get(qid) for qid in plan.built}
    answers = {q: a for q, a in page.items() if q != records.IDENTITY}
    assert in_file == answers, f"after {step}: file ≠ page"
    assert {k: saved.identity.get(k) for k in ("name", "id")} == page[records.IDENTITY], f"after {step}: identity"
    key = nb.server.root_dir.parent / "key.ipynb"  # written by the plan fixture
    assert graded(nb.path, key, page[records.IDENTITY]) == points(plan.solution, plan.workbook_id, answers), step


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_interrupt_undo_clear_two_tabs_duplicate_and_move_never_change_what_is_handed_in(app, server, browser,
                                                                                          plan, learner):
    """Issue 18, in JupyterLab and Notebook 7: after each move the saved file's records equal what the page shows.

    Interrupt during Run All (later cells blank) → save; delete a question cell and undo (D D, Z), then change its
    answer in the restored cell → save; Clear Outputs of All Cells → save; a second tab saves a stale page; File ▸
    Duplicate (the server's copy), answered differently, never gives its answers to the original; the workbook
    moved into another folder before saving, then the kernel restarted, keeps its unsaved answer."""
    from playwright.sync_api import expect

    nb = learner(server, "paths")
    qid = choice_question(plan)
    options = list(plan.built[qid].options)
    page = nb.page
    with screenshot_on_failure(nb):
        # Run All interrupted in a cell after the first questions: every later cell is blank on the page
        choose(nb, plan, qid, options[-1], before := shown(nb, plan))
        index = plan.ask_cell(qid) + 1  # where the new cell goes: right below the choice question
        nb.cell(index - 1).locator(".jp-OutputArea-output").first.click()  # the question's prompt, not its widget
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # a cell below the choice question that waits while the block file exists
        nb.page.wait_for_function("n => window.jupyterapp.shell.currentWidget.content.model.cells.length === n",
                                  arg=len(plan.notebook.cells) + 1, timeout=UI_TIMEOUT, polling=100)
        editor = nb.cell(index).locator(".cm-content")
        editor.click()
        page.keyboard.insert_text(BLOCKING_CELL)
        block = nb.path.parent / BLOCK
        block.write_text("")
        page.keyboard.press("Escape")
        runs = nb.completed(RUN_ALL)
        nb.menu("Run", "Run All Cells")
        nb.cell(index).locator(".jp-OutputArea-output", has_text="running").wait_for(timeout=KERNEL_TIMEOUT)  # stdout
        nb.menu("Kernel", "Interrupt Kernel")
        # the kernel is idle for a moment between the cells it then skips: wait until Run All has ended, then idle
        nb.wait_completed(RUN_ALL, runs)
        nb.wait_idle()
        block.unlink()
        nb.shot("interrupted")
        summary = page.locator(".jp-OutputArea-output", has_text="Your progress:").first
        assert "not shown on this page" in summary.inner_text(), "the page does not say answers are not shown"
        assert page.locator(".jp-Notebook .jp-CodeCell").last.locator(".jp-OutputArea-output").count() == 0
        expect_file_holds_the_page(nb, plan, before, "interrupt")  # the blank cells' answers are in the file

        nb.run_all()
        expect_shown(nb, plan, before, "Run All after the interrupt")

        # a question cell deleted and restored by undo: its answer line froze; another option chosen there
        cell = nb.question_cell(qid)
        cell.locator(".jp-OutputArea-output").first.click()
        page.keyboard.press("Escape")
        count = nb.cell_count()
        for key in ("d", "d"):
            page.keyboard.press(key)
        page.wait_for_function("n => window.jupyterapp.shell.currentWidget.content.model.cells.length === n - 1",
                               arg=count, timeout=UI_TIMEOUT, polling=100)
        page.keyboard.press("z")
        page.wait_for_function("n => window.jupyterapp.shell.currentWidget.content.model.cells.length === n",
                               arg=count, timeout=UI_TIMEOUT, polling=100)
        restored = nb.question_cell(qid)
        restored.get_by_role("radio", name=options[0], exact=True).check()
        deadline = time.monotonic() + UI_TIMEOUT / 1000
        while options[0] not in journaled(server, qid):  # the change reached the kernel (its journal)
            assert time.monotonic() < deadline, "the restored widget's change never reached the kernel"
            time.sleep(0.05)
        before[qid] = options[0]
        expect_shown(nb, plan, before, "delete and undo")
        # the line the page shows is the restored widget's live one, with that answer; the answer output's own
        # line (which no update reaches in a restored cell) is hidden, so the page never shows the old answer
        expect(restored.locator(f".{LIVE_LINE}")).to_have_text(_line(plan, qid, options[0]), timeout=UI_TIMEOUT)
        expect(restored.locator(TEXT_OUTPUT)).to_be_hidden(timeout=UI_TIMEOUT)
        expect_file_holds_the_page(nb, plan, before, "delete-undo")

        # Clear Outputs of All Cells, then save at once
        nb.clear_all_outputs()
        expect_file_holds_the_page(nb, plan, before, "cleared")  # put back from the journal as it was saved
        nb.run_all()
        expect_shown(nb, plan, before, "Clear Outputs, save and Run All")

        # a second tab on the same notebook: answered in the first, saved from the second (a stale page)
        other = NotebookPage(browser.new_context(viewport=VIEWPORT).new_page(), server, nb.name, nb.shots / "tab2")
        other.open()
        choose(nb, plan, qid, options[1], before)
        other.save()
        assert read_answers(nb.path).answers[qid] == options[1], "the second tab's save lost the first tab's answer"
        other.page.context.close()
        expect_file_holds_the_page(nb, plan, before, "two-tabs", changed_on_disk=True)

        # File ▸ Duplicate (the server's copy), answered differently; the original never takes its answers
        folder = str(Path(nb.name).parent)
        copied = server.api("POST", f"/api/contents/{folder}", {"copy_from": nb.name})["path"]
        copy = NotebookPage(browser.new_context(viewport=VIEWPORT).new_page(), server, copied, nb.shots / "copy")
        copy.open()
        copy.run_all()
        expect_shown(copy, plan, before, "opening the duplicate")  # it starts from the answers saved in it
        copy.clear_all_outputs()  # a copy's answers came from its file, not from its (new) journal: still kept
        expect_file_holds_the_page(copy, plan, before, "duplicate-cleared")
        copy.run_all()
        copy_answers = dict(before)
        choose(copy, plan, qid, options[2 % len(options)], copy_answers)
        expect_file_holds_the_page(copy, plan, copy_answers, "duplicate")
        copy.page.context.close()
        nb.restart_and_run_all()
        expect_shown(nb, plan, before, "Restart and Run All of the original after the duplicate was answered")
        expect_file_holds_the_page(nb, plan, before, "original-after-duplicate")

        # dragged into another folder before saving (Lab: its own file browser, and the tab follows the file;
        # Notebook 7: the file list in another tab, then the file opened again there), then a new kernel
        choose(nb, plan, qid, options[0], before)
        (nb.path.parent / "moved").mkdir()
        moved = f"{Path(nb.name).parent}/moved/{NAME}"
        if server.app == "lab":
            drag_into_folder(page, NAME, "moved", nb.server.root_dir / moved)
            page.wait_for_function("name => window.jupyterapp.shell.currentWidget.context.path === name",
                                   arg=moved, timeout=UI_TIMEOUT, polling=100)
            nb.name, nb.path = moved, server.root_dir / moved
            nb.restart_kernel()
        else:
            files = nb.page.context.new_page()
            files.goto(server.url(f"/tree/{Path(nb.name).parent}"))
            drag_into_folder(files, NAME, "moved", server.root_dir / moved)
            files.close()
            nb.page.close()  # the old tab, unsaved
            nb = NotebookPage(browser.new_context(viewport=VIEWPORT).new_page(), server, moved, nb.shots / "moved")
            nb.open()
        nb.run_all()
        expect_shown(nb, plan, before, "a move before saving and a new kernel")
        expect_file_holds_the_page(nb, plan, before, "moved")


# -- issue 18: a lesson shows it is working while it runs (JupyterLab) ---------------------------------------------
LESSON = "00_start_here.ipynb"
SEEN_JS = """(outputs) => {
  // every text the cell's output area shows from now on, in order (a MutationObserver: no change is missed)
  window.__progressSeen = [];
  const note = () => { const t = outputs.innerText.trim(); if (t && window.__progressSeen.at(-1) !== t)
                                                             window.__progressSeen.push(t); };
  new MutationObserver(note).observe(outputs, {childList: true, subtree: true, characterData: true});
}"""


def test_a_lesson_says_it_is_working_while_it_runs_and_when_it_is_ready(lab, browser):
    """The lesson's first code cell, right below its title, shows a line the kernel updates as cells run:
    "⏳ Working: n of N code cells have run…" while Run All goes on, then "✔ Ready: all N code cells have run."."""
    from innovation_course.engine.progress import code_cells

    folder = lab.root_dir / "lesson"
    (folder / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / LESSON, folder / "notebooks" / LESSON)
    total = code_cells(json.loads((ROOT / "notebooks" / LESSON).read_text(encoding="utf-8")))
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page(), lab, f"lesson/notebooks/{LESSON}", ARTIFACTS / "moves-lab-lesson")
    try:
        with screenshot_on_failure(nb):
            nb.open()
            line = nb.cell(1).locator(".jp-OutputArea")
            assert nb.cell(1).locator(".jp-OutputArea-output").count() == 0  # saved with no line: nothing ran yet
            nb.page.evaluate(SEEN_JS, line.element_handle())
            nb.run_all()
            ready = f"✔ Ready: all {total} code cells have run."
            nb.page.wait_for_function("t => window.__progressSeen.at(-1) === t", arg=ready, timeout=UI_TIMEOUT)
            seen = nb.page.evaluate("() => window.__progressSeen")
            working = [t for t in seen if t.startswith("⏳ Working:")]
            assert working and working[0].startswith(f"⏳ Working: 0 of {total}"), seen  # shown before the imports
            assert seen.index(working[-1]) < seen.index(ready), seen
            assert line.is_visible() and line.bounding_box()["y"] < VIEWPORT["height"], "the line is out of view"
            nb.shot("ready", nb.cell(1))
    finally:
        context.close()
