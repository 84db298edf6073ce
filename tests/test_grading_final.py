"""Grading, issue 17: grades sent to an LMS are final or absent, the teacher's marks are never lost, and what
the outputs say is right. Each test is the case that went wrong, with its input.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from grading_support import NO_ESSAY, RIGHT, ROOT, csv_dicts, notebook, run_grade, zip_bytes

from innovation_course.classroom.grading import atomic, cli

# GradebookExporter#to_csv (",": the default of CSVWithI18n); the test student (StudentViewEnrollment) last.
CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Policy framework (4021),Current Points\r\n"
    "    Points Possible,,,,,20.00,(read only)\r\n"
    '"Lee, Wei",51022,2025001,lwei,Section A,7,7\r\n'
    '"Chen, Jing",222,2025002,cjing,Section A,,\r\n'
    '"Student, Test",999,,b8a1c9f,Section A,,\r\n'
)
# assign_feedback_offline::download_grades; Zhang San already graded in Moodle, with a comment.
MOODLE_WORKSHEET = (
    '"Identifier","Full name","Status","Grade","Maximum Grade","Grade can be changed",'
    '"Last modified (grade)","Feedback comments"\n'
    '"Participant 1001","Zhang San","Submitted for grading",60.00,100.00,Yes,"Monday, 1 December 2026",'
    '"Seen in class."\n'
    '"Participant 1002","Liu Yang","Submitted for grading",,100.00,Yes,-,\n'
)


grade = run_grade


def rows(path: Path) -> list[dict]:
    return csv_dicts(path)


def canvas_class(tmp_path: Path) -> Path:
    (tmp_path / "submissions.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_ex01.ipynb": notebook(RIGHT, {"name": "Lee Wei", "id": "1"}),
        "chenjing_222_9002_ex01.ipynb": notebook(NO_ESSAY, {"name": "Chen Jing", "id": "2"}),
        "studenttest_999_9003_ex01.ipynb": notebook({"plan-year": "2006"}, None),
        "dropped_333_9004_ex01.ipynb": notebook({"plan-year": "2006"}, None)}))
    return tmp_path / "submissions.zip"


def test_an_unmarked_essay_is_never_sent_as_0(key, tmp_path, capsys):
    zipped, export = canvas_class(tmp_path), tmp_path / "export.csv"
    export.write_text(CANVAS_EXPORT, encoding="utf-8")
    out = tmp_path / "out"
    args = (str(zipped), "--canvas", str(export), "--assignment", "4021")
    assert grade(key, out, *args) == 3
    captured = capsys.readouterr()
    assert "1 answer still to mark (marking-sheet.csv)" in captured.out
    assert "canvas-upload.csv not written: 1 answer of 1 learner still to be marked" in captured.err
    assert not (out / "canvas-upload.csv").exists()
    assert {r["learner_id"]: r["to_mark"] for r in rows(out / "gradebook.csv")}["canvas-51022"] == "1"
    assert "1 answer still to mark" in (out / "report.html").read_text()
    assert grade(key, out, *args, "--partial") == 0
    upload = list(csv.reader(io.StringIO((out / "canvas-upload.csv").read_text(encoding="utf-8"))))
    assert upload[2][5] == "7" and upload[3][5] == "14.55"  # Lee Wei's cell as it was; Chen Jing's 8/11 → 20


def test_moodle_leaves_an_unmarked_learner_as_they_were(key, tmp_path, capsys):
    (tmp_path / "moodle.zip").write_bytes(zip_bytes({
        "Zhang San_1001_assignsubmission_file/ex01.ipynb": notebook(RIGHT, None),
        "Liu Yang_1002_assignsubmission_file/ex01.ipynb": notebook(NO_ESSAY, None)}))
    worksheet = tmp_path / "Grades.csv"
    worksheet.write_text(MOODLE_WORKSHEET, encoding="utf-8")
    out = tmp_path / "out"
    assert grade(key, out, str(tmp_path / "moodle.zip"), "--moodle", str(worksheet), "--partial") == 0
    upload = list(csv.reader(io.StringIO((out / "moodle-upload.csv").read_text(encoding="utf-8"))))
    assert upload[1][3:] == ["60.00", "100.00", "Yes", "Monday, 1 December 2026", "Seen in class."]
    assert upload[2][3] == "72.73"
    with zipfile.ZipFile(out / "moodle-feedback.zip") as zf:
        assert [n.split("_")[1] for n in zf.namelist()] == ["1002"]  # nothing sent for Zhang San yet
    capsys.readouterr()
    sheet = rows(out / "marking-sheet.csv")
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows([{**r, "points": "2"} for r in sheet if r["learner_id"] == "moodle-1001"])
    assert grade(key, out, str(tmp_path / "moodle.zip"), "--moodle", str(worksheet), "--manual", str(filled)) == 0
    err = capsys.readouterr().err
    assert "Moodle: the upload replaces the grade 60.00 of Zhang San with 90.91" in err
    assert "Moodle: the upload replaces the comment 'Seen in class.' of Zhang San" in err
    report = (out / "report.html").read_text()
    assert "Grades and comments the upload replaces" in report and "Seen in class." in report


def test_marks_typed_into_the_sheet_in_out_are_kept_without_manual(key, tmp_path):
    zipped, out = canvas_class(tmp_path), tmp_path / "out"
    assert grade(key, out, str(zipped)) == 0
    sheet_path = out / "marking-sheet.csv"
    sheet = rows(sheet_path)
    for row in sheet:
        row["points"] = {"canvas-51022": "2.5", "canvas-222": "9"}.get(row["learner_id"], "")
        row["comment"] = "Good." if row["learner_id"] == "canvas-999" else row["comment"]
    with sheet_path.open("w", newline="", encoding="utf-8") as stream:  # typed straight into the sheet
        writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    assert grade(key, out, str(zipped)) == 0  # no --manual
    essays = {r["learner_id"]: r["q:essay"] for r in rows(out / "gradebook.csv")}
    assert essays["canvas-51022"] == "2.5"
    again = {r["learner_id"]: r for r in rows(sheet_path)}
    assert again["canvas-51022"]["points"] == "2.5"
    assert again["canvas-222"]["points"] == "9" and "outside 0..3" in again["canvas-222"]["note"]
    assert again["canvas-999"]["comment"] == "Good." and "no points yet" in again["canvas-999"]["note"]
    assert grade(key, out, str(zipped)) == 0  # and again: nothing typed is lost
    assert {r["learner_id"]: r["points"] for r in rows(sheet_path)}["canvas-222"] == "9"


def test_statistics_count_the_roster_never_the_test_student(key, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_EXPORT, encoding="utf-8")
    out = tmp_path / "out"
    assert grade(key, out, str(canvas_class(tmp_path)), "--canvas", str(export), "--assignment", "4021",
                 "--partial") == 0
    report = (out / "report.html").read_text()
    assert "Class statistics count the 2 submissions of learners on the LMS roster; left out: canvas-333, " \
           "canvas-999" in report
    assert "2 scores for zz-demo: mean 72.7 %" in report  # Lee Wei and Chen Jing, 8 of 11 each


def test_the_test_student_is_left_out_without_an_export(key, tmp_path):
    out = tmp_path / "out"
    assert grade(key, out, str(canvas_class(tmp_path))) == 0
    report = (out / "report.html").read_text()
    assert "left out: canvas-999" in report and "3 scores for zz-demo" in report


def test_identical_essays_are_flagged(key, tmp_path):
    essay = "R&D intensity counts what is spent, not what the spending produces in the end."
    (tmp_path / "submissions.zip").write_bytes(zip_bytes({
        "ann_1_10_ex01.ipynb": notebook({"essay": essay}, None),
        "bob_2_20_ex01.ipynb": notebook({"essay": essay.upper()}, None),
        "cat_3_30_ex01.ipynb": notebook({"essay": "  " + essay.replace(" ", "   ")}, None),
        "dan_4_40_ex01.ipynb": notebook({"essay": "Inputs are not outputs: a lab can spend and find nothing."}, None)}))
    out = tmp_path / "out"
    assert grade(key, out, str(tmp_path / "submissions.zip")) == 0
    flagged = {r["learner_id"] for r in rows(out / "gradebook.csv") if "possible copying" in r["reason"]}
    assert flagged == {"canvas-1", "canvas-2", "canvas-3"}
    assert "identical written answers to zz-demo essay from canvas-1, canvas-2, canvas-3" in \
        (out / "report.html").read_text()


def test_no_page_shows_the_teachers_archive_or_paths(key, tmp_path):
    zipped, out = canvas_class(tmp_path), tmp_path / "out"
    (tmp_path / "submissions.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_ex01.ipynb": notebook(RIGHT, None),
        "leewei_51022_9005_ex01-1.ipynb": notebook(NO_ESSAY, None),
        "junk_4_5_notes.pdf": b"%PDF",
        "plain.ipynb": notebook({"plan-year": "2015"}, None)}))
    (tmp_path / "teacher-folder").mkdir()
    (tmp_path / "teacher-folder" / "plain.ipynb").write_bytes(notebook({"plan-year": "2006"}, None))
    assert grade(key, out, str(zipped), str(tmp_path / "teacher-folder")) == 0
    plain = sorted(r["learner_id"] for r in rows(out / "gradebook.csv") if r["identified_by"] == "file name")
    assert len(plain) == 2 and all(re.fullmatch(r"file-plain-[0-9a-f]{6}", p) for p in plain)  # two learners
    for page in [*out.rglob("*.html")]:
        text = page.read_text()
        assert "submissions.zip" not in text and "teacher-folder" not in text and str(tmp_path) not in text, page
    assert "a newer submission counts: leewei_51022_9005_ex01-1.ipynb" in \
        (out / "feedback" / "canvas-51022.html").read_text()


def test_a_run_waits_for_another_run_into_the_same_folder(key, tmp_path):
    zipped, out = canvas_class(tmp_path), tmp_path / "out"
    handle = os.open(tmp_path, os.O_RDONLY)  # the lock a grade run into tmp_path/out holds for its whole run
    fcntl.flock(handle, fcntl.LOCK_EX)
    child = subprocess.Popen([sys.executable, "-m", "innovation_course.classroom.cli", "grade", str(zipped),
                              "--out", str(out), "--key", str(key), "--jobs", "1"], cwd=tmp_path,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = child.stderr.readline()  # said before it waits; the run goes on only once the lock is free
    assert "another grade run is writing beside" in line and not out.exists()
    fcntl.flock(handle, fcntl.LOCK_UN)
    os.close(handle)
    assert child.wait(timeout=120) == 0 and (out / "gradebook.csv").exists()


@pytest.mark.parametrize("held", ["without --manual", "with --manual"])
def test_two_runs_into_one_folder_never_lose_a_mark(key, tmp_path, monkeypatch, held):
    """Issue 17: two runs into one folder at once, one with --manual, dropped the merged marks. Here one run
    is held just after it read the kept marks, and the other is started: it must wait for the first (the
    lock), never write in between; the mark is there at the end, whichever run was held."""
    zipped, out = canvas_class(tmp_path), tmp_path / "out"
    assert grade(key, out, str(zipped)) == 0
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as stream:
        sheet = [r for r in rows(out / "marking-sheet.csv") if r["learner_id"] == "canvas-51022"]
        writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows([{**r, "points": "2"} for r in sheet])
    read_marks, release, waited = threading.Event(), threading.Event(), threading.Event()
    real_marks, real_locked = cli._marks, atomic.locked

    def marks_then_hold(args, folder, marked):
        found = real_marks(args, folder, marked)
        if bool(args.manual) == (held == "with --manual") and not read_marks.is_set():
            read_marks.set()
            release.wait(120)
        return found

    def locked_noting_the_wait(folder, waiting=None):
        return real_locked(folder, lambda: (waited.set(), waiting and waiting()))

    monkeypatch.setattr(cli, "_marks", marks_then_hold)
    monkeypatch.setattr(atomic, "locked", locked_noting_the_wait)
    codes: dict[str, int] = {}
    manual = ("--manual", str(filled))

    def run(name: str, extra: tuple[str, ...]) -> None:
        codes[name] = grade(key, out, str(zipped), *extra)

    first = threading.Thread(target=run, args=("first", manual if held == "with --manual" else ()))
    first.start()
    assert read_marks.wait(120)
    second = threading.Thread(target=run, args=("second", () if held == "with --manual" else manual))
    second.start()
    while not waited.is_set() and second.is_alive():  # a state: the second run waits, or (wrongly) finished
        second.join(0.05)
    release.set()
    first.join(120)
    second.join(120)
    assert codes == {"first": 0, "second": 0}
    assert [m["points"] for m in json.loads((out / "manual-marks.json").read_text())["marks"]] == [2.0]
    assert {r["learner_id"]: r["q:essay"] for r in rows(out / "gradebook.csv")}["canvas-51022"] == "2"
    assert waited.is_set()
