"""End to end in a real browser: a learner answers a workbook in JupyterLab, saves, restarts, reloads and
re-runs, and the answers are still on the page, in the widgets, in the file, and in the grade.

Workbook: ex01_policy_framework, built from ``solutions/`` as learners get it (the build is deterministic, and
test_build checks that exercises/ is what it makes), one question of each kind it has. The demo workbook of
browser_support has one question of every kind: test_browser_moves answers all of it in JupyterLab and
Notebook 7 (save, reload, rename, restart, clear outputs, reopen, keyboard). Question ids, kinds and answers
are read from the notebooks, never typed here.

Screenshots of every step: ``test-artifacts/browser/``. Headless Debian Chromium; outside CI the tests are
skipped when it is missing, in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    IDENTITY,
    IN_CI,
    ROOT,
    JupyterServer,
    NotebookPage,
    Plan,
    demo_solution,
    graded,
    learner_answer,
    read_answers,
    screenshot_on_failure,
)

from innovation_course.classroom.build import build_notebook
from innovation_course.engine import records
from innovation_course.engine.keys import key_for
from innovation_course.engine.questions import KINDS
from innovation_course.engine.scoring import score
from innovation_course.engine.spec import find_calls, parse_workbook

pytestmark = pytest.mark.browser

EXERCISE = "ex01_policy_framework.ipynb"
SOLUTION_PATH = ROOT / "solutions" / EXERCISE
DEMO = "demo_browser.ipynb"
VIEWPORT = {"width": 1280, "height": 900}


# -- workbooks and plans -----------------------------------------------------------------------------------
def make_plan(label: str, name: str, learner_nb, solution_nb, kinds: tuple[str, ...]) -> Plan:
    """Answer the first question of each of ``kinds`` found in the workbook, with the solution's answer (template
    questions, whose answer depends on the variant, are tested in test_browser_variants.py)."""
    built, solution = parse_workbook(learner_nb), parse_workbook(solution_nb)
    plan = Plan(label, name, learner_nb, built.id, built.questions, solution.questions,
                identity=bool(find_calls(learner_nb, "identity")))
    for kind in kinds:
        question = next((q for q in solution.questions.values()
                         if q.kind == kind and q.id in built.questions and not q.generic), None)
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
        learner_nb = build_notebook(solution_nb, "self-study", f"solutions/{EXERCISE}")
        found["exercise"] = make_plan("exercise", EXERCISE, learner_nb, solution_nb, KINDS)
        shutil.copy(SOLUTION_PATH, keys / EXERCISE)
    covered = {found["exercise"].built[q].kind for q in found["exercise"].answers} if found else set()
    demo = demo_solution()
    found["demo"] = make_plan("demo", DEMO, build_notebook(demo, "self-study", f"solutions/{DEMO}"), demo,
                              tuple(k for k in KINDS if k not in covered))
    nbformat.write(demo, keys / DEMO)
    return found


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


def graded_points(plan: Plan, notebook: Path, key_folder: Path) -> dict[str, float]:
    """Points per question of a saved workbook, by the course grader with the solution as its key."""
    return graded(notebook, key_folder / plan.name, IDENTITY if plan.identity else None)


def expected_points(plan: Plan) -> dict[str, float]:
    """The test gives the solutions' answers: full points for each, 0 for free responses (marked by hand)
    and for the questions it leaves blank."""
    return {qid: q.points if qid in plan.answers and q.auto_graded else 0.0 for qid, q in plan.solution.items()}


# -- the tests ---------------------------------------------------------------------------------------------
def test_the_browser_answers_cover_every_question_kind(plans):
    """The exercise's kinds here, and every kind in test_browser_moves (it answers every demo question)."""
    answered = {plan.built[qid].kind for plan in plans.values() for qid in plan.answers}
    assert answered == set(KINDS), f"no browser answer for {set(KINDS) - answered}"
    demo = {q.kind for q in parse_workbook(demo_solution()).questions.values()}
    assert demo == set(KINDS), f"the demo workbook has no {set(KINDS) - demo} question"
    assert any(plan.identity for plan in plans.values() if plan.answers)
    if "exercise" not in plans and IN_CI:
        pytest.fail(f"solutions/{EXERCISE} is missing: the browser test covers only the demo workbook")


def test_answers_survive_save_restart_reload_and_rerun_in_jupyterlab(plans, lab, new_page, workdir):
    which = "exercise"
    if which not in plans:
        pytest.skip(f"solutions/{EXERCISE} does not exist yet")
    plan = plans[which]
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
        assert graded_points(plan, nb.path, workdir / "keys") == expected
