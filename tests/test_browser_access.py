"""Keyboard and screen reader first (issue 18), in a real browser.

(a) In JupyterLab and Notebook 7, on a built workbook: notebook shortcuts pressed in an answer field never type
into it or change the notebook; Escape leaves the field (its text is sent) for its cell, in command mode, where
the notebook's keys work again; Tab from the last answer reaches the next code cell, and Enter there edits it
(no cell duplicated, no cell toolbar); a dropdown stepped with the arrow keys sends one answer, and counts one
try, when the choice is committed (Enter or Tab), not one per step.
(b) In JupyterLab, a lesson's explorers: every slider handle has a name, toggle buttons say which one is pressed,
the heading's fold button has a name and state, every chart image has its sentence as alt text (on the page and
in the saved file), and the selected toggle is marked by more than colour in the light and the dark theme.

Screenshots: ``test-artifacts/browser/access-*``. Every wait waits for a state.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    KERNEL_TIMEOUT,
    TEXT_OUTPUT,
    UI_TIMEOUT,
    JupyterServer,
    NotebookPage,
    Plan,
    answer_line,
    demo_solution,
    learner_answer,
    screenshot_on_failure,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from innovation_course.classroom.build import build_notebook
from innovation_course.engine.spec import parse_workbook

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
MODE = "() => window.jupyterapp.shell.currentWidget.content.mode"
ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
FOCUSED_CELL = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
  .indexOf(document.activeElement.closest('.jp-Cell'))"""
SHORTCUTS = ("Control+Shift+c", "Control+Shift+l", "Control+Shift+d", "Alt+x", "Shift+Enter", "Control+Enter",
             "Control+Shift+Enter")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("access")


@contextlib.contextmanager
def opened(browser, server: JupyterServer, name: str, label: str):
    context = browser.new_context(viewport=VIEWPORT)
    shots = ARTIFACTS / f"access-{server.app}-{label}"
    shutil.rmtree(shots, ignore_errors=True)
    try:
        nb = NotebookPage(context.new_page(), server, name, shots)
        with screenshot_on_failure(nb):
            nb.open()
            yield nb
    finally:
        context.close()
        with contextlib.suppress(Exception):
            server.shut_down_kernels()


def journal_record(server: JupyterServer, qid: str) -> dict:
    """The record of ``qid`` in the server's answer journal (one workbook per server here)."""
    for path in (server.home / "data" / "innovation-course" / "journals").glob("*.answers.json"):
        with contextlib.suppress(OSError, ValueError):
            record = json.loads(path.read_text())["records"].get(qid)
            if record:
                return record
    return {}


# -- (a) the keyboard in answer widgets ---------------------------------------------------------------------
# the page's timers held (queued, not run) and released (run, then the real setTimeout back)
HOLD_TIMERS = """() => { const real = window.setTimeout, queued = [];
  window.__heldTimers = {real, queued};
  window.setTimeout = (f, ms, ...args) => { queued.push([f, ms, args]); return 0; }; }"""
RELEASE_TIMERS = """() => { const {real, queued} = window.__heldTimers; window.setTimeout = real;
  for (const [f, ms, args] of queued) real(f, ms, ...args); }"""


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_keys_in_fields_escape_tab_to_code_and_dropdowns_commit_once(app, browser, workdir):
    solution = demo_solution()
    built = build_notebook(solution, "self-study", "solutions/demo_browser.ipynb")
    spec, key = parse_workbook(built), parse_workbook(solution)
    plan = Plan("access", "answers.ipynb", built, spec.id, spec.questions, key.questions)
    root = workdir / f"{app}-root"
    root.mkdir()
    nbformat.write(built, root / plan.name)
    with JupyterServer(app, root, workdir / f"{app}-home", ARTIFACTS / f"access-{app}-server.log") as server, \
            opened(browser, server, plan.name, "keys") as nb:
        page = nb.page
        nb.run_all()
        page.wait_for_function("() => window.__innovationCourseAccess === true", timeout=UI_TIMEOUT)
        cells = nb.cell_count()

        # notebook shortcuts pressed in a text field: nothing typed, no cell run, added or deleted
        qid = next(q for q, question in plan.built.items() if question.kind == "text")
        cell = nb.question_cell(qid)
        field = cell.locator(".widget-text input")
        field.fill("Zhong")
        for combo in SHORTCUTS:
            field.focus()
            page.keyboard.press(combo)
            assert (field.input_value(), nb.cell_count()) == ("Zhong", cells), f"{combo} in a text field"
            page.keyboard.press("Escape")  # closes what a shortcut opened (Notebook 7: the command palette)
            page.locator(".lm-CommandPalette:visible").wait_for(state="detached", timeout=UI_TIMEOUT)

        # Escape leaves the field for its cell, in command mode; the text typed is sent; the notebook's keys work
        field.focus()
        page.keyboard.type("guancun")
        page.keyboard.press("Escape")
        index = page.evaluate(FOCUSED_CELL)
        assert index >= 0 and page.evaluate(MODE) == "command" and page.evaluate(ACTIVE) == index
        assert nb.cell(index).locator(".widget-text input").count() == 1, "Escape did not select the field's cell"
        nb.expect_line(cell, answer_line(plan.built[qid], plan.workbook_id, "Zhongguancun"))
        page.keyboard.press("ArrowDown")  # to the next cell JupyterLab stops at (it skips cells with hidden code)
        page.wait_for_function(f"() => ({ACTIVE})() > {index}", timeout=UI_TIMEOUT, polling=100)
        assert nb.cell_count() == cells
        nb.shot("escape")

        # Tab from the last answer (the free text) reaches the computed question's code cell; Enter edits it
        computed = plan.submit_cell(next(q for q, question in plan.built.items() if question.kind == "computed"))
        area = nb.question_cell(next(q for q, question in plan.built.items() if question.kind == "free"))
        # the code cell is made a Tab stop once JupyterLab has rendered its editor: wait for that state
        page.wait_for_function("i => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]"
                               "?.getAttribute('tabindex') === '0'", arg=computed, timeout=UI_TIMEOUT, polling=100)
        # as a learner does: the field in view and clicked (a field focused out of view is left when the notebook
        # windows its cells, and the focus falls to the page), then the state "the field has the focus" awaited
        field = area.locator(".widget-textarea textarea")
        field.scroll_into_view_if_needed()
        field.click()
        page.wait_for_function("el => document.activeElement === el", arg=field.element_handle(),
                               timeout=UI_TIMEOUT, polling=100)
        page.keyboard.press("Tab")
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => ({FOCUSED_CELL})() === {computed}", timeout=UI_TIMEOUT, polling=100)
        assert page.evaluate(FOCUSED_CELL) == computed, "Tab from the last answer did not reach the code cell: " + \
            page.evaluate("() => document.activeElement.outerHTML.slice(0, 300)")
        assert page.evaluate("() => document.activeElement.classList.contains('jp-Cell')")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => ({MODE})() === 'edit'", timeout=UI_TIMEOUT, polling=100)
        assert page.evaluate(ACTIVE) == computed and nb.cell_count() == cells, "Tab then Enter changed the notebook"
        assert page.locator(".jp-cell-toolbar:visible").count() == 0
        page.keyboard.press("Escape")

        # a dropdown stepped with the arrows: one answer, one try, when the choice is committed
        qid = next(q for q, question in plan.built.items() if question.kind == "matching")
        question = plan.built[qid]
        answer = learner_answer(plan.solution[qid])
        plan.answers[qid] = answer
        cell = nb.answer(plan, qid, answer)
        nb.wait_idle()  # the kernel has handled (and echoed) every choice sent: no update of the dropdown to come
        record = journal_record(server, qid)
        menu = cell.get_by_label(f"{question.pairs[0]}:", exact=True)
        chosen = menu.input_value()
        options = list(question.options)
        menu.focus()
        for key in ("ArrowDown", "ArrowDown", "ArrowUp"):  # stepping: the first pair's choice moves one down
            page.keyboard.press(key)
        stepped = menu.input_value()
        assert stepped != chosen and options.index(stepped) == options.index(chosen) + 1
        assert journal_record(server, qid) == record, "a step of the arrow keys reached the kernel"
        assert cell.locator(TEXT_OUTPUT).last.inner_text().strip() == answer_line(question, plan.workbook_id, answer)
        assert menu.input_value() == stepped, "the stepped choice was undone before it was committed"
        page.keyboard.press("Enter")
        nb.expect_line(cell, answer_line(question, plan.workbook_id, {**answer, question.pairs[0]: stepped}))
        assert journal_record(server, qid)["tries"] == record["tries"] + 1
        page.keyboard.press("ArrowUp")  # back to the first choice, committed by leaving with Tab
        page.keyboard.press("Tab")
        nb.expect_line(cell, answer_line(question, plan.workbook_id, answer))
        assert journal_record(server, qid)["tries"] == record["tries"] + 2
        # on a busy page timers run late (they wait behind input): with the page's timers held, a step then Enter
        # at once still sends the stepped choice (the step ends with its key press, not with a timer)
        menu.focus()
        page.evaluate(HOLD_TIMERS)
        try:
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
        finally:
            page.evaluate(RELEASE_TIMERS)
        nb.expect_line(cell, answer_line(question, plan.workbook_id, {**answer, question.pairs[0]: stepped}))
        assert journal_record(server, qid)["tries"] == record["tries"] + 3
        assert nb.cell_count() == cells
        nb.shot("keys-done")


# -- (b) explorers: names, states, alt text, the selected toggle in both themes ---------------------------
EXPLORER_CELLS = [
    'from innovation_course.workbook import Workbook\n\n'
    'wb = Workbook("a11y-explorers", title="Explorers", version="1", mode="solution")',
    "## Explore the data",
    'from innovation_course import explore, regions\n\n'
    'explore.indicator_explorer("oecd_gerd_ppp", economies=("CHN", "USA"))',
    "regions.province_explorer()",
]
#: The explorers' charts once both are drawn and each alt text is a sentence shown (and, given the first chart's
#: old alt text, once that chart has changed): {"alts": [...], "shown": [...]}, else null. One read of the page.
CHARTS_SHOWN_JS = """old => {
  const imgs = [...document.querySelectorAll('.jp-OutputArea img.ic-chart')];
  const shown = [...document.querySelectorAll('.jp-OutputArea .jp-RenderedMarkdown')]
      .map(m => m.innerText.trim()).filter(t => t);
  const alts = imgs.map(i => i.getAttribute('alt'));
  const settled = imgs.length === 2
      && imgs.every(i => i.complete && i.naturalWidth && shown.includes(i.getAttribute('alt')));
  return settled && alts[0] !== old ? {alts, shown} : null;
}"""
#: The explorers' controls once at least ``handles`` slider handles and ``groups`` toggle groups are drawn, each
#: named, the first group's buttons each with its state: {"names", "groups", "pressed"}, else null. Each explorer's
#: widgets are drawn after its cell has run, the second maybe after the first is named: one read of the page.
CONTROLS_SHOWN_JS = """([handles, groups]) => {
  const read = (els, name) => [...els].map(e => e.getAttribute(name));
  const names = read(document.querySelectorAll('.jp-OutputArea [role=slider]'), 'aria-label');
  const labels = read(document.querySelectorAll('.jp-OutputArea [role=group]'), 'aria-label');
  const first = document.querySelector('.jp-OutputArea [role=group]');
  const pressed = first ? read(first.querySelectorAll('.widget-toggle-button'), 'aria-pressed') : [];
  const done = names.length >= handles && labels.length >= groups && pressed.length > 0
      && [...names, ...labels, ...pressed].every(v => v);
  return done ? {names, groups: labels, pressed} : null;
}"""
STYLE_JS = """([button, pseudo]) => {
  const style = getComputedStyle(button, pseudo);
  return {weight: style.fontWeight, content: style.content, color: style.color,
          background: getComputedStyle(button).backgroundColor};
}"""


def luminance(rgb: tuple[float, ...]) -> float:
    """Relative luminance (WCAG 2)."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two CSS rgb()/rgba() colours."""
    la, lb = (luminance(tuple(float(x) for x in re.findall(r"[\d.]+", c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_explorers_name_their_controls_and_states_and_charts_carry_alt_text(browser, workdir):
    root = workdir / "explorers-root"
    root.mkdir()
    cells = [nbformat.v4.new_markdown_cell(c) if c.startswith("#") else nbformat.v4.new_code_cell(c)
             for c in EXPLORER_CELLS]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "explorers.ipynb")
    with JupyterServer("lab", root, workdir / "explorers-home", ARTIFACTS / "access-explorers-server.log") as server, \
            opened(browser, server, "explorers.ipynb", "explorers") as nb:
        page = nb.page
        nb.run_all()
        page.wait_for_function("() => window.__innovationCourseAccess === true", timeout=UI_TIMEOUT)
        outputs = page.locator(".jp-Notebook .jp-OutputArea")
        names, labels = ["Years: from", "Years: to", "Year"], ["Measure", "Show"]
        controls = page.wait_for_function(CONTROLS_SHOWN_JS, arg=[len(names), len(labels)], timeout=KERNEL_TIMEOUT,
                                          polling=100).json_value()
        assert controls["names"] == names, controls
        assert controls["groups"] == labels, controls
        assert controls["pressed"] == ["true", "false", "false"], controls
        groups = outputs.locator("[role=group]")
        measure = groups.first.locator(".widget-toggle-button")
        # The first view, settled (both charts drawn, each alt text a sentence shown): read in one step of the page.
        before = page.wait_for_function(CHARTS_SHOWN_JS, arg=None, timeout=KERNEL_TIMEOUT, polling=100).json_value()
        measure.nth(1).click()
        page.wait_for_function("el => el.getAttribute('aria-pressed') === 'true'",
                               arg=measure.nth(1).element_handle(), timeout=UI_TIMEOUT, polling=100)
        assert [b.get_attribute("aria-pressed") for b in measure.all()] == ["false", "true", "false"]

        fold = page.locator("button.jp-collapseHeadingButton")
        assert fold.count() == 1
        assert (fold.get_attribute("aria-label"), fold.get_attribute("aria-expanded")) == (
            "Hide the section Explore the data", "true")

        # The measure just changed: the chart and its sentence are separate outputs, redrawn one after the other.
        # Wait for the state where the indicator's chart is the new one and both alt texts are sentences shown, and
        # take what is asserted from that same look at the page (a second read could catch the next redraw).
        after = page.wait_for_function(CHARTS_SHOWN_JS, arg=before["alts"][0], timeout=UI_TIMEOUT,
                                       polling=100).json_value()
        alts, sentences = after["alts"], after["shown"]
        assert len(alts) == 2 and all(alt and alt in sentences for alt in alts), (alts, sentences)
        assert "(index, first year = 100)" in alts[0] and "(index" not in before["alts"][0], (before, after)
        assert alts[1] == before["alts"][1], (before, after)  # the province chart did not move

        for theme in ("JupyterLab Light", "JupyterLab Dark"):
            page.evaluate("theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme)
            page.wait_for_function("theme => document.body.dataset.jpThemeName === theme", arg=theme,
                                   timeout=UI_TIMEOUT, polling=100)
            nb.shot(f"toggles-{theme.split()[-1].lower()}", groups.first)
            on, off = measure.nth(1).element_handle(), measure.nth(0).element_handle()
            selected, other = page.evaluate(STYLE_JS, [on, None]), page.evaluate(STYLE_JS, [off, None])
            tick, no_tick = page.evaluate(STYLE_JS, [on, "::before"]), page.evaluate(STYLE_JS, [off, "::before"])
            assert int(selected["weight"]) >= 600 > int(other["weight"]), (theme, selected, other)
            assert "✓" in tick["content"] and "✓" not in no_tick["content"], theme
            assert contrast(selected["color"], selected["background"]) >= 4.5, (theme, selected)  # its text
            assert contrast(selected["background"], other["background"]) >= 3, (theme, selected, other)  # the state

        nb.save()
        saved = nbformat.read(nb.path, as_version=4)
        charts = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs
                  if "ic-chart" in o.get("data", {}).get("text/html", "")]
        assert len(charts) == 2 and not [o for o in charts if "image/png" in o["data"]]
        for output in charts:
            alt = html.unescape(re.search(r'alt="([^"]+)"', output["data"]["text/html"])[1])
            assert output["data"]["text/plain"] == f"Chart: {alt}"
