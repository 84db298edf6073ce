"""A simulated class of 100 on a homework workbook of template questions (issue 20): the learners' variants
rarely share a numeric key, copying a classmate's answers into one's own file scores at chance on the template
questions and is flagged, and so is handing in a classmate's whole file. Canvas-named files; the roster maps
each Canvas account to the learner ID the variants were drawn for."""

from __future__ import annotations

import csv
import io
import itertools
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import accounts, synthetic, versions
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.batch import mark_all
from innovation_course.classroom.grading.collect import Submission
from innovation_course.classroom.grading.mark import QuestionMark
from innovation_course.engine import scoring
from innovation_course.engine.spec import parse_workbook
from innovation_course.engine.templates import own_variant

WORKBOOK, CLASS = "hw-variants", 100
TEMPLATES = ("spending_multiple", "basic_share_in_year", "region_share", "region_intensity", "pct_share_in_year",
             "ip_ratio_in_year", "invention_share_in_year", "growth_over_ten_years", "highest_spender",
             "sector_share_in_year", "ev_share_in_year")
HOMEWORK = {"policy": "homework", "reveal_after": 3, "deduction": 0.0}


def solution() -> nbformat.NotebookNode:
    cells = [new_code_cell("from innovation_course import findings\nfrom innovation_course.workbook import Workbook\n\n"
                           f'wb = Workbook("{WORKBOOK}", title="Versions", mode="solution")'),
             new_code_cell("wb.identity()")]
    cells += [new_code_cell(f'wb.ask(id="q-{n}", template=findings.{name}, points=1)')
              for n, name in enumerate(TEMPLATES)]
    nb = new_notebook(cells=cells)
    nb.metadata["innovation_course"] = {"workbook": WORKBOOK, "feedback": HOMEWORK}
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    nbformat.write(solution(), root / f"{WORKBOOK}.ipynb")
    key = load_key(root)
    assert not key.problems and key.policy(WORKBOOK)["policy"] == "homework"
    learners = [f"S-{n:04d}" for n in range(CLASS)]
    with (root / "roster.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["learner_id", "name", "account"])
        writer.writerows([who, f"Learner {n}", f"canvas-{1000 + n}"] for n, who in enumerate(learners))
    key.roster = {f"canvas-{1000 + n}": who for n, who in enumerate(learners)}
    spec = key.specs[WORKBOOK]
    own = {who: {q.id: own_variant(q, who, WORKBOOK) for q in spec.questions.values()} for who in learners}
    return root, key, spec, learners, own


def handed_in(nb, n: int, who: str, answers: dict, variants: dict, date: float = 1.0) -> Submission:
    """Learner n's file as Canvas names it, with the answers and the variants they were given for."""
    answered = synthetic.with_answers(nb, answers, {"name": f"Learner {n}", "id": who}, variants=variants)
    name = f"learner{n}_{1000 + n}_{5000 + n}_{WORKBOOK}.ipynb"
    return Submission(name, name, date, synthetic.to_bytes(answered))


def honest(own: dict) -> tuple[dict, dict]:
    answers = {qid: (str(q.answer) if q.numeric else q.answer) for qid, q in own.items()}
    return answers, {qid: q.variant for qid, q in own.items()}


def numeric_questions(spec):
    return [q.id for q in spec.questions.values() if q.kind in ("numeric", "computed")]


def test_fewer_than_one_pair_in_five_shares_a_numeric_key(course):
    _, _key, spec, learners, own = course
    for qid in numeric_questions(spec):
        shared = sum(scoring.score(own[a][qid], versions.concrete(spec.questions[qid], WORKBOOK,
                                                                  own[a][qid].variant["params"])[1],
                                   str(own[b][qid].answer)).status == scoring.CORRECT
                     or own[a][qid].variant == own[b][qid].variant
                     for a, b in itertools.combinations(learners, 2))
        pairs = CLASS * (CLASS - 1) // 2
        print(f"\n{spec.questions[qid].template.name}: {shared / pairs:.1%} of pairs share a key "
              f"({len(spec.questions[qid].template.params)} variants)")  # the figures docs/authoring.md quotes (-s)
        assert shared / pairs < 0.2, f"{qid}: {shared} of {pairs} pairs share a key"


def test_copying_scores_at_chance_on_template_questions_and_is_flagged(course):
    root, key, _spec, learners, own = course
    nb = json.loads((root / f"{WORKBOOK}.ipynb").read_text())
    subs = []
    for n, who in enumerate(learners[:60]):  # sixty answer honestly, in their own variants
        subs.append(handed_in(nb, n, who, *honest(own[who])))
    copiers = list(range(60, 90))  # thirty copy a classmate's answers into their own file (their own variants)
    for n in copiers:
        source = learners[n - 60]
        answers, _ = honest(own[source])
        subs.append(handed_in(nb, n, learners[n], answers, {q: v.variant for q, v in own[learners[n]].items()}))
    whole = list(range(90, 100))  # ten hand in a classmate's whole file under their own account
    for n in whole:
        source = learners[n - 90]
        subs.append(handed_in(nb, n, learners[n], *honest(own[source])))
    marked, _ = accounts.resolve_all(mark_all(subs, key))
    marked, problems = versions.borrowed_answers(marked, key)
    problems += versions.foreign_variants(marked)
    by_id = {m.learner.id: m for m in marked}
    assert {m.learner.id for m in marked} == {f"canvas-{1000 + n}" for n in range(CLASS)}

    def template_share(item) -> float:
        marks: list[QuestionMark] = [m for m in item.marks if m.variant is not None]
        return sum(m.points for m in marks) / sum(m.max_points for m in marks)

    honest_ones = [by_id[f"canvas-{1000 + n}"] for n in range(60)]
    assert all(template_share(m) == 1 and not m.notes for m in honest_ones), [m.notes for m in honest_ones]
    chance = _pair_share(course)
    for group, label in ((copiers, "copied answers"), (whole, "whole file")):
        items = [by_id[f"canvas-{1000 + n}"] for n in group]
        mean = sum(template_share(m) for m in items) / len(items)
        print(f"\n{label}: {mean:.1%} of the template points (chance {chance:.1%})")  # quoted by docs (-s)
        assert mean <= chance + 0.1, f"{label}: {mean:.2f} of the template points (chance {chance:.2f})"
    flagged = {m.learner.id for m in marked if any("possible copying" in note or versions.NOT_THEIRS in note
                                                   for note in m.notes)}
    assert flagged == {f"canvas-{1000 + n}" for n in copiers + whole}
    named = {p.split("'s possible copying")[0].split(": ")[-1]: p.split(" are right for ")[1].split("'s")[0]
             for p in problems if "right for" in p}  # the copier → the classmate whose answers they hold
    assert named == {f"canvas-{1000 + n}": f"canvas-{1000 + n - (60 if n in copiers else 90)}"
                     for n in copiers + whole}
    assert sum(versions.NOT_THEIRS in p for p in problems) == len(whole)


def _pair_share(course) -> float:
    """The share of template points a learner gets with a random classmate's right answers (chance)."""
    _, _, spec, learners, own = course
    total = 0.0
    pairs = list(zip(learners[:50], learners[50:], strict=True))
    for a, b in pairs:
        total += sum(scoring.score(own[b][qid], versions.concrete(spec.questions[qid], WORKBOOK,
                                                                  own[b][qid].variant["params"])[1],
                                   str(own[a][qid].answer) if own[a][qid].numeric else own[a][qid].answer).points
                     for qid in spec.questions) / len(spec.questions)
    return total / len(pairs)


def test_the_grade_command_flags_a_copied_file_and_marks_it_against_the_learners_own(course, tmp_path, capsys):
    root, _, _, learners, own = course
    nb = json.loads((root / f"{WORKBOOK}.ipynb").read_text())
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (0, 1):
        sub = handed_in(nb, n, learners[n], *honest(own[learners[0]]))  # learner 1 hands in learner 0's file
        (folder / sub.path).write_bytes(sub.data)
    out = tmp_path / "out"
    assert main(["grade", str(folder), "--key", str(root / f"{WORKBOOK}.ipynb"), "--out", str(out),
                 "--roster", str(root / "roster.csv")]) == 0
    rows = {r["learner_id"]: r for r in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig")))}
    assert float(rows["canvas-1000"]["total"]) == len(TEMPLATES)
    assert float(rows["canvas-1001"]["total"]) < len(TEMPLATES) / 2
    assert f"canvas-1001 {versions.NOT_THEIRS}" in capsys.readouterr().err


def test_without_a_roster_a_canvas_account_gets_no_mark_for_its_versions_and_the_reason(course, tmp_path):
    root, _key, _spec, learners, own = course
    nb = json.loads((root / f"{WORKBOOK}.ipynb").read_text())
    bare = load_key(root)
    (item,) = mark_all([handed_in(nb, 0, learners[0], *honest(own[learners[0]]))], bare)
    assert {m.status for m in item.marks} == {scoring.INVALID}
    assert "the roster gives no learner ID for canvas-1000" in item.reason


def test_under_practice_any_variant_of_the_template_counts(course):
    root, key, _spec, learners, own = course
    nb = json.loads((root / f"{WORKBOOK}.ipynb").read_text())
    practice = load_key(root)
    practice.override, practice.roster = {"policy": "practice"}, key.roster
    (item,) = mark_all([handed_in(nb, 1, learners[1], *honest(own[learners[0]]))], practice)  # another's variants
    assert all(m.status == scoring.CORRECT for m in item.marks) and not item.notes
    assert parse_workbook(nb).questions["q-0"].generic


def test_an_answer_saved_before_the_question_had_versions_is_marked_against_the_learners_own_and_noted(course):
    """A file from a release where the question was fixed: its record names no variant."""
    root, key, _spec, learners, own = course
    nb = json.loads((root / f"{WORKBOOK}.ipynb").read_text())
    for policy in ({"policy": "practice"}, HOMEWORK):
        graded = load_key(root)
        graded.override, graded.roster = policy, key.roster
        answers, _ = honest(own[learners[2]])
        (item,) = mark_all([handed_in(nb, 2, learners[2], answers, {})], graded)
        assert all(m.status == scoring.CORRECT for m in item.marks)  # its own variants' answers, as it happens
        assert "the answer names no version; marked against this learner's own" in item.reason
