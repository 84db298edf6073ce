"""End to end in a real browser: a learner answers a workbook in JupyterLab (and Notebook 7), saves, restarts,
reloads and re-runs, and the answers are still on the page, in the widgets, in the file, and in the grade.

Workbooks: the real ``exercises/ex01_policy_framework.ipynb`` (built from ``solutions/`` into a temporary folder
when exercises/ has not been built), one question of each kind it has; a demo workbook generated here covers any
kind it lacks. Question ids, kinds and answers are read from the notebooks, never typed here.

Screenshots of every step: ``test-artifacts/browser/``. Headless Debian Chromium; outside CI the tests are
skipped when it is missing, in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    IDENTITY,
    ROOT,
    JupyterServer,
    NotebookPage,
    Plan,
    chromium,
    chromium_path,
    demo_solution,
    learner_answer,
    read_answers,
)

from innovation_course import records
from innovation_course.build import build_notebook
from innovation_course.keys import key_for
from innovation_course.questions import KINDS
from innovation_course.scoring import score
from innovation_course.spec import find_calls, parse_workbook

pytestmark = pytest.mark.browser

EXERCISE = "ex01_policy_framework.ipynb"
SOLUTION_PATH = ROOT / "solutions" / EXERCISE
EXERCISE_PATH = ROOT / "exercises" / EXERCISE
DEMO = "demo_browser.ipynb"
VIEWPORT = {"width": 1280, "height": 900}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# -- workbooks and plans -----------------------------------------------------------------------------------
def make_plan(label: str, name: str, learner_nb, solution_nb, kinds: tuple[str, ...]) -> Plan:
    """Answer the first question of each of ``kinds`` found in the workbook, with the solution's answer."""
    built, solution = parse_workbook(learner_nb), parse_workbook(solution_nb)
    plan = Plan(label, name, learner_nb, built.id, built.questions, solution.questions,
                identity=bool(find_calls(learner_nb, "identity")))
    for kind in kinds:
        question = next((q for q in solution.questions.values() if q.kind == kind and q.id in built.questions), None)
        if question is not None:
            plan.answers[question.id] = learner_answer(question)
    return plan


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def plans(workdir) -> dict[str, Plan]:
    """The exercise (every kind it has) and the demo (the kinds the exercise lacks), with their solution files."""
    keys = workdir / "keys"
    keys.mkdir()
    found = {}
    if SOLUTION_PATH.exists():
        solution_nb = nbformat.read(SOLUTION_PATH, as_version=4)
        learner_nb = (nbformat.read(EXERCISE_PATH, as_version=4) if EXERCISE_PATH.exists()
                      else build_notebook(solution_nb, "self-study", f"solutions/{EXERCISE}"))
        found["exercise"] = make_plan("exercise", EXERCISE, learner_nb, solution_nb, KINDS)
        shutil.copy(SOLUTION_PATH, keys / EXERCISE)
    covered = {found["exercise"].built[q].kind for q in found["exercise"].answers} if found else set()
    demo = demo_solution()
    found["demo"] = make_plan("demo", DEMO, build_notebook(demo, "self-study", f"solutions/{DEMO}"), demo,
                              tuple(k for k in KINDS if k not in covered))
    nbformat.write(demo, keys / DEMO)
    return found


@pytest.fixture(scope="module")
def browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    if chromium_path() is None:
        reason = "chromium is not installed (apt-get install chromium); browser tests need Debian's chromium"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    with chromium() as launched:
        yield launched


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def serve(app: str, workdir: Path, plans: list[Plan]) -> JupyterServer:
    """A server whose root folder holds fresh copies of the plans' workbooks."""
    root = fresh_folder(workdir / f"{app}-root")
    for plan in plans:
        nbformat.write(plan.notebook, root / plan.name)
    return JupyterServer(app, root, workdir / f"{app}-home", ARTIFACTS / f"{app}-server.log")


@pytest.fixture(scope="module")
def lab(workdir, plans, browser):
    with serve("lab", workdir, list(plans.values())) as server:
        yield server


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# -- checks --------------------------------------------------------------------------------------------------
def check_file(plan: Plan, path: Path) -> records.SavedAnswers:
    saved = read_answers(path)
    assert saved.workbook == plan.workbook_id and not saved.problems, saved.problems
    answered = {qid: saved.answers.get(qid) for qid in plan.answers}
    assert answered == plan.answers, "answers saved in the file differ from the answers given"
    if plan.identity:
        assert saved.identity == IDENTITY
    return saved


def check_lines(page: NotebookPage, plan: Plan) -> None:
    shown = page.answer_lines()
    missing = [line for line in plan.lines().values() if line not in shown]
    assert not missing, f"answer lines not shown on the page: {missing}\nshown: {shown}"


def scored(plan: Plan, notebook: Path, key_folder: Path) -> dict[str, float]:
    """Points per question of a saved workbook, by spec + keys + scoring on the solution (no grader)."""
    solution = parse_workbook(nbformat.read(key_folder / plan.name, as_version=4))
    saved = read_answers(notebook)
    return {q.id: score(q, key_for(q, solution.id), saved.answers.get(q.id)).points
            for q in solution.questions.values()}


def graded(plan: Plan, notebook: Path, key_folder: Path) -> dict[str, float]:
    """Points per question of a saved workbook, by the course grader with the solution as its key."""
    from innovation_course.grading.answerkey import load_key
    from innovation_course.grading.collect import collect
    from innovation_course.grading.mark import GRADED, mark

    key = load_key(key_folder / plan.name)
    assert not key.problems, key.problems
    (submission,) = collect([notebook])
    marked = mark(submission, key)
    assert marked.status == GRADED, marked.notes
    if plan.identity:
        assert (marked.learner.id, marked.learner.name) == (IDENTITY["id"], IDENTITY["name"])
    return {m.id: m.points for m in marked.marks}


def expected_points(plan: Plan) -> dict[str, float]:
    """The test gives the solutions' answers: full points for each, 0 for free responses (marked by hand)
    and for the questions it leaves blank."""
    return {qid: q.points if qid in plan.answers and q.auto_graded else 0.0 for qid, q in plan.solution.items()}


@contextlib.contextmanager
def screenshot_on_failure(nb: NotebookPage):
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            nb.shot("FAILED")
        raise


# -- the tests ---------------------------------------------------------------------------------------------
def test_the_browser_answers_cover_every_question_kind(plans):
    answered = {plan.built[qid].kind for plan in plans.values() for qid in plan.answers}
    assert answered == set(KINDS), f"no browser answer for {set(KINDS) - answered}"
    assert any(plan.identity for plan in plans.values() if plan.answers)
    if "exercise" not in plans and IN_CI:
        pytest.fail(f"solutions/{EXERCISE} is missing: the browser test covers only the demo workbook")


@pytest.mark.parametrize("which", ["exercise", "demo"])
def test_answers_survive_save_restart_reload_and_rerun_in_jupyterlab(which, plans, lab, new_page, workdir):
    if which not in plans:
        pytest.skip(f"solutions/{EXERCISE} does not exist yet")
    plan = plans[which]
    if not plan.answers:
        pytest.skip("the exercise has a question of every kind: the demo workbook is not needed")
    nb = NotebookPage(new_page(), lab, plan.name, fresh_folder(ARTIFACTS / f"lab-{which}"))
    with screenshot_on_failure(nb):
        nb.open()
        nb.shot("opened")
        nb.run_all()
        nb.shot("ran-all")

        if plan.identity:
            nb.answer_identity(IDENTITY)
        for qid, answer in plan.answers.items():
            nb.shot(f"answered-{qid}", nb.answer(plan, qid, answer))

        nb.save()
        nb.shot("saved")
        check_file(plan, nb.path)

        nb.restart_kernel()
        nb.shot("kernel-restarted")
        nb.reload()
        nb.shot("reloaded")
        check_lines(nb, plan)  # the saved outputs, shown without a kernel having run anything

        nb.run_all()  # re-runs the Workbook cell and every question cell in the new kernel
        nb.shot("re-ran")
        assert nb.prompts()[0] == "[1]:", "the kernel was not restarted: answers may have come from its memory"
        check_lines(nb, plan)
        for qid, answer in plan.answers.items():
            question = plan.built[qid]
            if question.kind != "computed":
                assert nb.widget_answer(question) == answer, f"{qid}: the widget was not pre-set after re-running"
                nb.shot(f"restored-{qid}", nb.question_cell(qid))
        if plan.identity:
            assert nb.identity_widgets() == IDENTITY

        nb.save()  # what the re-run wrote is still the learner's answers
        check_file(plan, nb.path)
        shutil.copy(nb.path, ARTIFACTS / f"lab-{which}" / plan.name)

        expected = expected_points(plan)
        assert scored(plan, nb.path, workdir / "keys") == expected
        assert graded(plan, nb.path, workdir / "keys") == expected


def test_answers_survive_save_and_reload_in_notebook7(plans, browser, new_page, workdir):
    plan = plans.get("exercise") or plans["demo"]
    by_kind = {plan.built[qid].kind: qid for qid in reversed(plan.answers)}
    two = [by_kind[k] for k in ("choice", "text", "multiple", "numeric", "ordering", "matching") if k in by_kind][:2]
    assert len(two) == 2, f"{plan.name}: not two widget questions to answer"
    short = Plan(plan.label, plan.name, plan.notebook, plan.workbook_id, plan.built, plan.solution,
                 {qid: plan.answers[qid] for qid in two})
    with serve("notebook", workdir, [short]) as server:
        nb = NotebookPage(new_page(), server, short.name, fresh_folder(ARTIFACTS / "notebook7"))
        with screenshot_on_failure(nb):
            nb.open()
            nb.run_all()
            nb.shot("ran-all")
            for qid, answer in short.answers.items():
                nb.answer(short, qid, answer)
            nb.save()
            nb.shot("saved")
            check_file(short, nb.path)
            nb.reload()
            nb.shot("reloaded")
            check_lines(nb, short)
            check_file(short, nb.path)
