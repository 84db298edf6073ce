"""The builder: exercises/ are made from solutions/, carry no readable key, and mark like the solutions."""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from innovation_course.classroom.build import build, build_notebook
from innovation_course.engine import records
from innovation_course.engine.keys import key_for
from innovation_course.engine.scoring import CORRECT, MANUAL, score
from innovation_course.engine.spec import SpecError, parse_workbook
from innovation_course.engine.templates import instantiate, own_variant, variant_params

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("ex*.ipynb"))

DEMO = [
    'from innovation_course import findings\nfrom innovation_course.workbook import Workbook\n'
    'wb = Workbook("ex99-demo", title="Demo", version="2", mode="solution")',
    "wb.identity()",
    'wb.ask(id="c", kind="choice", prompt="Pick", options=["a", "b"], answer="b", hints=["h"], '
    'explanation="B because of the SECRET-REASON.", source="facts")',
    'wb.ask(id="t", kind="text", prompt="Name it", answer=["Zhongguancun", "中关村"])',
    'wb.ask(id="f", kind="free", prompt="Argue", answer="model", rubric=["RUBRIC-LINE"])',
    'wb.ask(id="k", kind="computed", prompt="Compute", answer=2.5, tolerance=0.01)',
    'x = 1\n### BEGIN SOLUTION\nshare = x * 2.5\n### END SOLUTION\nwb.submit("k", share)',
]


def demo_notebook() -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_markdown_cell("# Demo")] + [new_code_cell(c) for c in DEMO])
    nb.cells.append(new_markdown_cell("Teacher's note", metadata={"tags": ["solution-only"]}))
    return nb


def test_self_study_copy_hides_key_explanation_rubric_and_solution_code():
    text = nbformat.writes(build_notebook(demo_notebook(), "self-study", "solutions/ex99_demo.ipynb"))
    for secret in ("answer=", "SECRET-REASON", "RUBRIC-LINE", "Zhongguancun", "中关村", "share * 2.5",
                   "BEGIN SOLUTION", "Teacher's note", 'mode="solution"'):
        assert secret not in text, secret
    assert "share = ..." in text and "mode='self-study'" in text


def test_self_study_copy_marks_exactly_like_the_solution():
    solution = parse_workbook(demo_notebook())
    exercise = parse_workbook(build_notebook(demo_notebook(), "self-study", "x"))
    assert list(solution.questions) == list(exercise.questions) and exercise.version == "2"
    for qid, question in solution.questions.items():
        built = exercise.questions[qid]
        for answer in (question.model_answer, "wrong", "zhōng guān cūn", 2.504, 2.6):
            a = score(question, key_for(question, solution.id), answer)
            b = score(built, key_for(built, exercise.id), answer)
            assert (a.status, a.points) == (b.status, b.points), (qid, answer)


def test_exam_copy_has_no_key_no_explanation_no_hints():
    nb = build_notebook(demo_notebook(), "exam", "x")
    exam = parse_workbook(nb)
    assert exam.mode == "exam" and nb.metadata[records.METADATA_KEY]["mode"] == "exam"
    assert all(q.key is None and not q.explanation and not q.hints for q in exam.questions.values())


def test_build_is_deterministic_and_check_reports_staleness(tmp_path):
    solutions, out = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(demo_notebook(), solutions / "ex99_demo.ipynb")
    assert build(solutions, out) == [str(out / "ex99_demo.ipynb")]
    first = (out / "ex99_demo.ipynb").read_bytes()
    assert build(solutions, out) == [] and (out / "ex99_demo.ipynb").read_bytes() == first
    (out / "ex99_demo.ipynb").write_text("{}")
    (out / "ex98_stray.ipynb").write_text("{}")
    assert len(build(solutions, out, check=True)) == 2


def test_a_workbook_without_mode_cannot_be_built():
    nb = demo_notebook()
    nb.cells[1].source = nb.cells[1].source.replace(', mode="solution"', "")
    with pytest.raises(SpecError, match="mode"):
        build_notebook(nb, "self-study", "x")


def test_exercises_folder_is_what_build_makes():
    assert SOLUTIONS, "solutions/ has no workbooks"
    assert build(ROOT / "solutions", ROOT / "exercises", check=True) == [], "run `innovation-course build`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_each_solution_workbook_meets_the_brief(path):
    nb = nbformat.read(path, as_version=4)
    spec = parse_workbook(nb)
    kinds = [q.kind for q in spec.questions.values()]
    assert sum(k not in ("free",) for k in kinds) >= 8, "at least 8 auto-graded questions"
    assert kinds.count("computed") >= 2, "at least 2 answered by computing from data"
    assert kinds.count("free") >= 1 and all(q.rubric for q in spec.questions.values() if q.kind == "free")
    assert len(set(kinds)) >= 5, f"questions across the types, found {sorted(set(kinds))}"
    for question in spec.questions.values():
        if question.generic:  # a template: every variant has its explanation (tests/test_templates_property.py)
            question = own_variant(question, "", spec.id)
        assert question.explanation and question.source, f"{question.id}: explanation and source"
        assert question.hints, f"{question.id}: at least one hint"
    assert any("identity()" in c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_stored_solution_outputs_show_every_answer_correct(path):
    nb = nbformat.read(path, as_version=4)
    spec, saved = parse_workbook(nb), records.read_saved(nb)
    assert not saved.problems
    for qid, question in spec.questions.items():
        assert qid in saved.answers, f"{qid}: no stored answer (re-execute the solution)"
        if question.generic:  # the teacher's copy shows a variant: marked against it
            question = instantiate(question, variant_params(saved.records[qid]))
        result = score(question, key_for(question, spec.id), saved.answers[qid])
        assert result.status == (MANUAL if question.kind == "free" else CORRECT), (qid, result)


def test_ordering_items_are_never_written_in_the_answer_order_and_question_code_is_hidden():
    nb = demo_notebook()
    nb.cells.insert(3, new_code_cell('wb.ask(id="o", kind="ordering", prompt="Order", options=["a", "b", "c"], '
                                     'answer=["a", "b", "c"])'))
    built = build_notebook(nb, "self-study", "x")
    question = parse_workbook(built).questions["o"]
    assert list(question.options) != ["a", "b", "c"] and sorted(question.options) == ["a", "b", "c"]
    assert score(question, key_for(question, "ex99-demo"), ["a", "b", "c"]).status == CORRECT
    hidden = [c.metadata.get("jupyter", {}).get("source_hidden", False) for c in built.cells if "ask(" in c.source]
    assert hidden and all(hidden)


HOMEWORK = {"policy": "homework", "reveal_after": 2, "deduction": 0.1}


def test_a_homework_copy_carries_its_policy_where_the_kernel_and_the_grader_read_it():
    built = build_notebook(demo_notebook(), "self-study", "x", HOMEWORK)
    assert built.metadata[records.METADATA_KEY]["feedback"] == HOMEWORK
    assert parse_workbook(built).mode == "self-study"
    from innovation_course.engine.spec import workbook_header

    assert workbook_header(built)["feedback"] == parse_workbook(built).feedback == HOMEWORK
    practice = build_notebook(demo_notebook(), "self-study", "x")
    assert practice.metadata[records.METADATA_KEY]["feedback"]["policy"] == "practice"
    assert "feedback=" not in nbformat.writes(practice)


@pytest.mark.parametrize("mode,feedback,words", [
    ("exam", None, "saved but not marked here"),
    ("self-study", HOMEWORK, "Press **Check my answer**"),
    ("self-study", None, "You get feedback at once"),
])
def test_copies_describe_their_own_feedback(mode, feedback, words):
    solution = nbformat.read(SOLUTIONS[0], as_version=4)
    learner = (lambda q: own_variant(q, "S-1", "x")) if mode == "exam" else None  # template questions: a learner's
    built = build_notebook(solution, mode, "x", feedback, variant_of=learner)
    text = "\n".join(c.source for c in built.cells if c.cell_type == "markdown")
    assert words in text
    if mode == "exam" or feedback:
        assert "feedback at once" not in text
    if mode == "exam":
        assert "hints button" not in text


def test_a_copy_that_would_promise_instant_feedback_in_an_exam_is_refused():
    nb = demo_notebook()
    nb.cells.insert(1, new_markdown_cell("Answer each question: you get feedback right away."))
    with pytest.raises(SpecError, match="instant feedback"):
        build_notebook(nb, "exam", "x")


def test_question_identity_and_check_cells_of_copies_reach_the_workbook_themselves(monkeypatch):
    from innovation_course.engine import workbook

    nb = demo_notebook()
    nb.cells.append(new_code_cell("wb.check()"))
    built = build_notebook(nb, "self-study", "x")
    cells = [c.source for c in built.cells if c.cell_type == "code"]
    with_calls = [s for s in cells if any(f"wb.{name}(" in s for name in ("ask", "identity", "check"))]
    assert len(with_calls) == 6 and all(s.startswith("from innovation_course.workbook import wb\n\n")
                                        for s in with_calls)
    assert not cells[0].startswith("from innovation_course.workbook import wb\n")  # the setup cell
    shown = []
    monkeypatch.setattr(workbook, "display", lambda obj, **_: shown.append(obj))
    monkeypatch.setattr(workbook, "_CURRENT", [])
    exec(compile(with_calls[1], "question-cell", "exec"), {})  # run before the setup cell: no NameError
    assert [getattr(o, "data", None) for o in shown] == [workbook.NOT_READY]
