"""Exams of their own (issue 20), on the second course (CO2 at Mauna Loa: the engine and the classroom tools only):
``build --exam`` makes one copy per learner of the roster from the exam bank, each with the learner's variants in
literals and no key; the grader works the variants out again with the secret and flags a swapped copy; the
bank's rules hold; ``release`` refuses to ship any of the bank."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from innovation_course.classroom import exam, release
from innovation_course.classroom.cli import main
from innovation_course.classroom.exam_secret import SECRET_FILE
from innovation_course.classroom.grading import synthetic, versions
from innovation_course.engine.spec import SpecError, importable_from

COURSE = Path(__file__).resolve().parent / "second_course"
BANK_MODULE = '''"""The second course's exam templates."""

from co2course import findings as course

from innovation_course.engine.templates import Template, Variant


def _spans():
    years = sorted(course.annual_means())
    return ({"start": a, "end": b} for a in years for b in years if 10 <= b - a <= 20)


def _rise(params):
    start, end = params["start"], params["end"]
    return Variant(prompt=f"By how many ppm did the annual mean CO2 at Mauna Loa rise from {start} to {end}?",
                   answer=course.rise_ppm(start, end), explanation="The later year's mean minus the earlier one's.")


rise = Template("exam-co2-rise", "numeric", _spans, _rise, tolerance=0.05, unit="ppm", title="A rise in CO2.")
'''
LEARNERS = ("A-1", "B-2", "C-3", "D-4")


def bank_notebook(workbook="co2-exam", question="xm-rise", template="findings.rise", marked=True,
                  findings="import co2_exam as findings"):
    nb = new_notebook(cells=[
        new_markdown_cell("# CO2 exam"),
        new_code_cell(findings, metadata={"tags": ["solution-only"]}),
        new_code_cell(f'from innovation_course.engine.workbook import Workbook\n\nwb = Workbook("{workbook}", '
                      'mode="solution")'),
        new_code_cell("wb.identity()"),
        new_code_cell(f'wb.ask(id="{question}", template={template}, points=2)'),
        new_code_cell("wb.check()")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if marked:
        nb.metadata["innovation_course"] = {"exam_bank": True}
    return nb


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(root))
    (root / "solutions" / "exam").mkdir()
    (root / "solutions" / "exam" / "co2_exam.py").write_text(BANK_MODULE)
    nbformat.write(bank_notebook(), root / "solutions" / "exam" / "exam01_co2.ipynb")
    (root / "solutions" / "exam" / SECRET_FILE).write_text(bytes(range(32)).hex())
    with (tmp_path / "roster.csv").open("w", newline="") as out:
        csv.writer(out).writerows([["learner_id", "name"], *[[who, f"Learner {who}"] for who in LEARNERS]])
    return root


def build_exam(root: Path, target: Path, roster: Path) -> int:
    return main(["build", "--solutions", str(root / "solutions"), "--out", str(root / "exercises"),
                 "--exam", str(target), "--bank", str(root / "solutions" / "exam"), "--roster", str(roster)])


def asked(path: Path) -> dict:
    from innovation_course.engine.spec import ask_calls

    (call,) = [c for c in ask_calls(nbformat.read(path, as_version=4))]
    return call.spec


def test_each_learner_gets_their_own_copy_with_no_key_and_the_same_copy_every_build(course, tmp_path):
    secret = course / "solutions" / "exam" / SECRET_FILE
    secret.unlink()  # the first build makes the secret, readable by its owner only
    assert build_exam(course, tmp_path / "exam", tmp_path / "roster.csv") == 0
    assert secret.stat().st_mode & 0o077 == 0 and len(bytes.fromhex(secret.read_text().strip())) == 32
    copies = {who: tmp_path / "exam" / who / "exam01_co2.ipynb" for who in LEARNERS}
    texts = {who: path.read_text() for who, path in copies.items()}
    for who, text in texts.items():
        assert not [mark for mark in exam.KEY_MARKS if mark in text] and "co2_exam" not in text
        meta = nbformat.reads(text, as_version=4).metadata["innovation_course"]
        assert (meta["mode"], meta["exam_for"], meta["feedback"]["policy"]) == ("exam", who, "exam")
    variants = {who: asked(path)["variant"]["params"] for who, path in copies.items()}
    assert len({tuple(sorted(v.items())) for v in variants.values()}) >= 3
    assert build_exam(course, tmp_path / "again", tmp_path / "roster.csv") == 0
    assert {who: (tmp_path / "again" / who / "exam01_co2.ipynb").read_text() for who in LEARNERS} == texts


def test_build_exam_needs_a_roster(course, tmp_path, capsys):
    assert main(["build", "--solutions", str(course / "solutions"), "--out", str(course / "exercises"),
                 "--exam", str(tmp_path / "exam"), "--bank", str(course / "solutions" / "exam")]) == 2
    assert "--exam needs --roster" in capsys.readouterr().err


def answered(copy: Path, who: str, answer) -> Path:
    nb = nbformat.read(copy, as_version=4)
    spec = asked(copy)
    done = synthetic.with_answers(nb, {spec["id"]: answer}, {"name": who, "id": who}, mode="exam",
                                  variants={spec["id"]: spec["variant"]})
    path = copy.parent.parent / f"handed-in-{who}.ipynb"
    synthetic.save(done, path)
    return path


def test_the_grader_works_each_variant_out_with_the_secret_and_flags_a_swapped_copy(course, tmp_path, capsys):
    from co2course import findings

    assert build_exam(course, tmp_path / "exam", tmp_path / "roster.csv") == 0
    inbox = tmp_path / "in"
    inbox.mkdir()
    copy_a = tmp_path / "exam" / "A-1" / "exam01_co2.ipynb"
    params = asked(copy_a)["variant"]["params"]
    right = str(findings.rise_ppm(params["start"], params["end"]))
    shutil.move(answered(copy_a, "A-1", right), inbox / "a.ipynb")
    shutil.move(answered(copy_a, "B-2", right), inbox / "b.ipynb")  # B hands in A's copy, answered, as B
    assert asked(tmp_path / "exam" / "B-2" / "exam01_co2.ipynb")["variant"] != asked(copy_a)["variant"]
    out = tmp_path / "marks"
    assert main(["grade", str(inbox), "--key", str(course / "solutions" / "exam"), "--out", str(out)]) == 0
    rows = {r["learner_id"]: r for r in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig")))}
    assert (rows["A-1"]["q:xm-rise"], rows["B-2"]["q:xm-rise"]) == ("2", "0")
    assert f"B-2 {versions.NOT_THEIRS}" in capsys.readouterr().err


def test_without_the_secret_the_exam_is_not_graded_but_homework_still_is(course, tmp_path, capsys):
    assert build_exam(course, tmp_path / "exam", tmp_path / "roster.csv") == 0
    (course / "solutions" / "exam" / SECRET_FILE).unlink()
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.move(answered(tmp_path / "exam" / "A-1" / "exam01_co2.ipynb", "A-1", "1.0"), inbox / "a.ipynb")
    assert main(["grade", str(inbox), "--key", str(course / "solutions"), "--out", str(tmp_path / "m")]) == 1
    assert "exam bank workbook 'co2-exam' left out of the key: no exam secret" in capsys.readouterr().err
    (row,) = csv.DictReader(io.StringIO((tmp_path / "m" / "gradebook.csv").read_text("utf-8-sig")))
    assert row["status"] == "rejected" and "unknown workbook 'co2-exam'" in row["reason"]
    assert main(["grade", str(inbox), "--key", str(course / "solutions" / "exam"), "--out", str(tmp_path / "m2"),
                 "--exam-secret", str(tmp_path / "nowhere")]) == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"marked": False}, "not marked as exam bank"),
    ({"workbook": "co2-basics"}, "is a public workbook's"),
    ({"question": "rise"}, "also in the public workbooks"),
])
def test_the_bank_keeps_its_own_ids_and_marks(course, tmp_path, change, message, capsys):
    nbformat.write(bank_notebook(**change), course / "solutions" / "exam" / "exam01_co2.ipynb")
    assert build_exam(course, tmp_path / "exam", tmp_path / "roster.csv") == 2
    assert message in capsys.readouterr().err


def test_an_exam_template_from_the_course_package_is_refused(course, tmp_path, capsys):
    """A template the learner edition ships would let a learner compute their exam key from their variant."""
    public = bank_notebook(template="findings.intensity_in_year", findings="from innovation_course import findings")
    nbformat.write(public, course / "solutions" / "exam" / "exam01_co2.ipynb")
    assert build_exam(course, tmp_path / "exam", tmp_path / "roster.csv") == 2
    assert "which learners get" in capsys.readouterr().err


def test_the_exercises_build_refuses_a_bank_notebook(course):
    nbformat.write(bank_notebook(), course / "solutions" / "ex09_exam.ipynb")
    with importable_from(course / "solutions" / "exam"), pytest.raises(SpecError, match="exam bank"):
        from innovation_course.classroom.build import build

        build(course / "solutions", course / "exercises")


@pytest.mark.parametrize("leak", ["notebook", "module", "data"])
def test_release_refuses_to_ship_any_of_the_exam_bank(course, tmp_path, leak):
    (course / "notebooks").mkdir(exist_ok=True)
    release.stage(tmp_path / "clean", root=course, packages=("co2course",))  # the bank in solutions/: fine
    if leak == "notebook":
        shutil.copy(course / "solutions" / "exam" / "exam01_co2.ipynb", course / "co2course" / "exam01_co2.ipynb")
    elif leak == "module":
        shutil.copy(course / "solutions" / "exam" / "co2_exam.py", course / "co2course" / "co2_exam.py")
    else:
        (course / "data" / "notes.md").write_text("The co2-exam questions are in the bank.")
    with pytest.raises(release.ReleaseError, match="exam bank"):
        release.stage(tmp_path / "leaked", root=course, packages=("co2course",))
