"""Grading: the teacher's work is never lost (issue 10, "The teacher's marking is lost"), and clear errors.

Manual marks persist in --out and are applied on every later run; a new sheet merges in; a mark for an
answer that changed is flagged; another class or workbook is refused without --force; every CSV written
reads back (a 140 KB essay included); one line and exit 2 for a bad key folder or --out.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import synthetic
from innovation_course.engine.spec import parse_workbook

DEMO = synthetic.DEMO_ID
SOLUTION = synthetic.workbook_notebook()
SPEC = parse_workbook(SOLUTION)


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key", workbooks=(DEMO, "zz-other"))


def write_class(folder: Path, n: int, essay: str | None = None, seed: int = 1, workbook: str = DEMO,
                first: int = 0) -> Path:
    rng = random.Random(seed)
    for i in range(first, first + n):
        answers = synthetic.random_answers(SPEC, rng)
        answers["essay"] = essay or f"Essay number {i}: inputs are not outputs."
        nb = synthetic.with_answers(SOLUTION, answers, {"name": f"L{i}", "id": f"s{i}"}, workbook=workbook)
        synthetic.save(nb, folder / f"learner{i}_{100 + i}_{900 + i}_{workbook}.ipynb")
    return folder


def run(key: Path, out: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["grade", *map(str, inputs), "--out", str(out), "--key", str(key), "--jobs", "1", *extra])


def read_csv(path: Path) -> list[dict]:
    csv.field_size_limit(2**31 - 1)
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def fill(sheet: list[dict], path: Path, marks: dict[str, str]) -> Path:
    for row in sheet:
        row["points"] = marks.get(row["learner_id"], row["points"])
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    return path


def essay_points(out: Path) -> dict[str, str]:
    return {r["learner_id"]: r["q:essay"] for r in read_csv(out / "gradebook.csv")}


def test_marks_persist_without_manual_and_a_new_sheet_merges_in(key, tmp_path):
    inputs, out = write_class(tmp_path / "in", 3), tmp_path / "out"
    assert run(key, out, inputs) == 0
    sheet = read_csv(out / "marking-sheet.csv")
    assert run(key, out, inputs, extra=("--manual", str(fill(sheet, tmp_path / "a.csv", {"canvas-100": "2"})))) == 0
    assert run(key, out, inputs) == 0  # no --manual: the marks stay
    assert essay_points(out) == {"canvas-100": "2", "canvas-101": "0", "canvas-102": "0"}
    assert read_csv(out / "marking-sheet.csv")[0]["points"] == "2"
    blank = read_csv(out / "marking-sheet.csv")
    for row in blank:
        row["points"] = ""
    second = fill(blank, tmp_path / "b.csv", {"canvas-101": "1.5"})  # blank for 100: erases nothing
    assert run(key, out, inputs, extra=("--manual", str(second))) == 0
    assert essay_points(out) == {"canvas-100": "2", "canvas-101": "1.5", "canvas-102": "0"}
    kept = json.loads((out / "manual-marks.json").read_text())["marks"]
    assert [(m["learner_id"], m["points"]) for m in kept] == [("canvas-100", 2.0), ("canvas-101", 1.5)]


def test_a_mark_for_an_answer_that_changed_is_flagged_not_kept_nor_dropped(key, tmp_path, capsys):
    inputs, out = write_class(tmp_path / "in", 2), tmp_path / "out"
    assert run(key, out, inputs) == 0
    sheet = fill(read_csv(out / "marking-sheet.csv"), tmp_path / "a.csv", {"canvas-100": "3"})
    assert run(key, out, inputs, extra=("--manual", str(sheet))) == 0
    write_class(tmp_path / "in", 1, essay="A rewritten essay after the mark.")  # learner 100 resubmits
    capsys.readouterr()
    assert run(key, out, inputs) == 0
    assert essay_points(out)["canvas-100"] == "0"
    row = read_csv(out / "marking-sheet.csv")[0]
    assert row["points"] == "" and "answer changed since it was marked (it had 3 points)" in row["note"]
    assert "answer changed since it was marked" in capsys.readouterr().err
    assert json.loads((out / "manual-marks.json").read_text())["marks"][0]["points"] == 3.0
    assert run(key, out, inputs, extra=("--manual", str(sheet))) == 0  # the old sheet does not apply
    assert essay_points(out)["canvas-100"] == "0"
    assert "changed since this sheet was written" in (out / "report.html").read_text()


def test_a_140_kb_essay_reads_back_through_the_sheet(key, tmp_path):
    inputs, out = write_class(tmp_path / "in", 2, essay="Long essay. " * 12_000), tmp_path / "out"
    assert run(key, out, inputs) == 0
    sheet = read_csv(out / "marking-sheet.csv")
    assert len(sheet[0]["answer"]) > 140_000
    assert run(key, out, inputs, extra=("--manual", str(fill(sheet, tmp_path / "a.csv", {"canvas-101": "1"})))) == 0
    assert essay_points(out)["canvas-101"] == "1"


def test_another_workbook_or_class_is_refused_without_force(key, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(key, out, write_class(tmp_path / "a", 2)) == 0
    before = (out / "gradebook.csv").read_bytes()
    other_workbook = write_class(tmp_path / "b", 2, workbook="zz-other")
    other_class = write_class(tmp_path / "c", 2, first=50)
    capsys.readouterr()
    assert run(key, out, other_workbook) == 2
    assert "holds the results of workbook zz-demo, not zz-other" in capsys.readouterr().err
    assert run(key, out, other_class) == 2
    assert "another class" in capsys.readouterr().err
    assert (out / "gradebook.csv").read_bytes() == before
    assert run(key, out, other_class, extra=("--force",)) == 0
    assert {r["learner_id"] for r in read_csv(out / "gradebook.csv")} == {"canvas-150", "canvas-151"}
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_bytes(b"precious")
    assert run(key, tmp_path / "mine", other_class) == 2
    assert run(key, tmp_path / "mine", other_class, extra=("--force",)) == 0
    assert (tmp_path / "mine" / "thesis.docx").read_bytes() == b"precious"


def test_every_csv_written_reads_back(key, tmp_path):
    evil = '=cmd|"/c calc"!A1,\n"quoted"\r\nline'
    inputs, out = write_class(tmp_path / "in", 2, essay=evil), tmp_path / "out"
    assert run(key, out, inputs) == 0
    for path in out.rglob("*.csv"):
        rows = read_csv(path)
        assert rows, path
    assert read_csv(out / "marking-sheet.csv")[0]["answer"] == "'" + evil


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


def test_an_exam_release_as_key_is_refused(tmp_path, capsys):
    exam = synthetic.workbook_notebook(hashed=True)
    for cell in exam["cells"]:
        cell["source"] = "\n".join(line for line in cell["source"].splitlines() if not line.startswith("    key="))
    synthetic.save(exam, tmp_path / "exam" / f"{DEMO}.ipynb")
    assert run(tmp_path / "exam", tmp_path / "out", write_class(tmp_path / "in", 1)) == 2
    assert "holds no answers (an exam release?)" in one_line(capsys)


def test_a_missing_key_folder_says_where_the_solutions_are(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = write_class(tmp_path / "in", 1)
    assert main(["grade", str(inputs), "--out", str(tmp_path / "out")]) == 2
    err = one_line(capsys)
    assert "no key folder 'solutions'" in err and "--key PATH/TO/solutions" in err


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_an_unusable_out_is_one_line(key, tmp_path, capsys, where):
    (tmp_path / "a-file").write_text("x")
    assert run(key, tmp_path / where, write_class(tmp_path / "in", 1)) == 2
    assert one_line(capsys).startswith("grade: ")


def test_feedback_renders_markdown_safely_and_names_files_inside_the_download_only(tmp_path):
    questions = [dict(q) for q in synthetic.DEMO_QUESTIONS]
    questions[0]["prompt"] = "When was **Made in China 2025** issued? See `policy_milestones` <b>now</b>."
    questions[0]["explanation"] = "[a link](javascript:alert(1)) and *the* answer."
    synthetic.save(synthetic.workbook_notebook(questions=questions), tmp_path / "key" / f"{DEMO}.ipynb")
    nb = synthetic.with_answers(synthetic.workbook_notebook(questions=questions), {"plan-year": "2015"},
                                {"name": "A", "id": "a"})
    synthetic.save(nb, tmp_path / "in" / "deep" / "a.ipynb")
    assert run(tmp_path / "key", tmp_path / "out", tmp_path / "in") == 0
    page = (tmp_path / "out" / "feedback" / "a.html").read_text()
    assert "<strong>Made in China 2025</strong>" in page and "<code>policy_milestones</code>" in page
    assert "**" not in page and "&lt;b&gt;now&lt;/b&gt;" in page and "javascript:" not in page
    assert "deep/a.ipynb" in page and "in/deep" not in page  # the teacher's folder name is no part of a page
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert str(tmp_path) not in path.read_text(encoding="utf-8", errors="replace"), path
