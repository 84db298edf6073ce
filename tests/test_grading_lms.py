"""Grading: the LMS round trip in the LMSs' own files (issue 10, "LMS files are approximations").

The fixtures are laid out as the LMSs make them: the Canvas gradebook export as in canvas-lms
``spec/fixtures/gradebooks/`` (a ``Points Possible`` row, assignment columns ``Name (id)``), Moodle's offline
grading worksheet with the columns ``mod/assign/feedback/offline`` reads. The uploads are checked by ports of
the LMSs' own reading rules (Moodle's ``importgradeslib.php`` and ``importziplib.php``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import synthetic
from innovation_course.engine.spec import parse_workbook

DEMO = synthetic.DEMO_ID
SOLUTION = synthetic.workbook_notebook()
RIGHT = synthetic.correct_answers(parse_workbook(SOLUTION))
NO_ESSAY = {k: v for k, v in RIGHT.items() if k != "essay"}  # 8 of 11 points, nothing left to mark

CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Policy framework (4021),Other work (4022),"
    "Current Points,Final Points\r\n"
    "    Points Possible,,,,,11.00,10.00,(read only),(read only)\r\n"
    '"Lee, Wei",51022,2025001,lwei,Section A,,7.5,7.5,7.5\r\n'
    '"Chen, Jing",222,2025002,cjing,Section A,,9,9,9\r\n'
    '"Absent, Al",333,2025003,aal,Section B,4,,4,4\r\n'
)
MOODLE_WORKSHEET = (
    '"Identifier","Full name","Email address","Status","Grade","Maximum Grade","Grade can be changed",'
    '"Last modified (submission)","Online text","Last modified (grade)","Feedback comments"\n'
    '"Participant 1001","Zhang San",zs@example.org,"Submitted for grading",,100.00,Yes,'
    '"Monday, 1 December 2026, 9:00 AM",,-,\n'
    '"Participant 1002","Liu Yang",ly@example.org,"Submitted for grading",,100.00,No,'
    '"Monday, 1 December 2026, 9:05 AM",,-,\n'
    '"Participant 1003","Wu Fei",wf@example.org,"No submission",,100.00,Yes,-,,-,\n'
)


def notebook(answers: dict, who: dict | None = None) -> bytes:
    return synthetic.to_bytes(synthetic.with_answers(SOLUTION, answers, who))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 3, 1, 12, 0, 0)), data)
    return buffer.getvalue()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key", workbooks=(DEMO, "zz-other"))


def grade(key: Path, tmp_path: Path, *args: str) -> int:
    return main(["grade", *args, "--out", str(tmp_path / "out"), "--key", str(key), "--jobs", "1"])


def mark_essays(tmp_path: Path, points: dict[str, str]) -> Path:
    """The marking sheet of the last run, the essays of these learners given these points."""
    rows = rows_of((tmp_path / "out" / "marking-sheet.csv").read_bytes())
    column = rows[0].index("points")
    for row in rows[1:]:
        row[column] = points.get(row[0], row[column])
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return filled


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def canvas_class(tmp_path: Path) -> Path:
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_ex01.ipynb": notebook(RIGHT),                              # 8 of 11 (essay waits)
        "chenjing_late_222_9002_ex01.ipynb": notebook({"plan-year": "2015"}),          # 1 point
        "newbie_444_9003_ex01.ipynb": notebook({"plan-year": "2006"}),                 # not in the gradebook
        "wrongbook_555_9004_ex01.ipynb": synthetic.to_bytes(synthetic.with_answers(
            synthetic.workbook_notebook("zz-other"), {"plan-year": "2015"}, None)),  # another workbook
    }))
    return tmp_path / "canvas.zip"


def test_canvas_fills_its_own_export_by_user_id(key, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_bytes(b"\xef\xbb\xbf" + CANVAS_EXPORT.encode())
    zipped = canvas_class(tmp_path)
    args = (str(zipped), "--canvas", str(export), "--assignment", "Policy framework (4021)", "--workbook", DEMO)
    assert grade(key, tmp_path, *args) == 3  # Lee Wei's essay is still to be marked: no upload yet
    assert not (tmp_path / "out" / "canvas-upload.csv").exists()
    assert "canvas-upload.csv not written: 1 answer of 1 learner still to be marked" in capsys.readouterr().err
    assert grade(key, tmp_path, *args, "--manual", str(mark_essays(tmp_path, {"canvas-51022": "2"}))) == 0
    upload = (tmp_path / "out" / "canvas-upload.csv").read_bytes()
    assert upload.startswith(b"\xef\xbb\xbf")
    given, filled = rows_of(export.read_bytes()), rows_of(upload)
    assert filled[0] == given[0] and filled[1] == given[1]  # header and Points Possible row as they were
    assert [r[5] for r in filled[2:]] == ["10", "1", "4"]  # Absent's old cell left as it was
    assert [r[:5] + r[6:] for r in filled] == [r[:5] + r[6:] for r in given]  # nothing else touched
    err = capsys.readouterr().err
    assert "Absent, Al (ID 333) is in the gradebook with no submission" in err
    assert "(Canvas user 444) has no row in the gradebook" in err
    assert "workbook zz-other, not zz-demo" in err
    assert not (tmp_path / "out" / "canvas-import.csv").exists()


def test_the_assignment_is_found_by_its_id_and_a_wrong_one_is_one_line(key, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_EXPORT, encoding="utf-8")
    zipped = canvas_class(tmp_path)
    assert grade(key, tmp_path, str(zipped), "--canvas", str(export), "--assignment", "4021",
                 "--workbook", DEMO, "--partial") == 0
    assert [r[5] for r in rows_of((tmp_path / "out" / "canvas-upload.csv").read_bytes())[2:4]] == ["", "1"]
    capsys.readouterr()
    assert grade(key, tmp_path, str(zipped), "--canvas", str(export), "--assignment", "Nope (1)",
                 "--workbook", DEMO) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("grade: the Canvas gradebook has no column 'Nope (1)'") and "\n" not in err
    assert grade(key, tmp_path, str(zipped), "--canvas", str(export), "--assignment", "4021") == 2
    assert "pass --workbook ID" in capsys.readouterr().err


def test_canvas_scales_to_points_possible(key, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_EXPORT.replace(",11.00,", ",22.00,"), encoding="utf-8")
    assert grade(key, tmp_path, str(canvas_class(tmp_path)), "--canvas", str(export), "--assignment", "4021",
                 "--workbook", DEMO, "--partial") == 0
    assert [r[5] for r in rows_of((tmp_path / "out" / "canvas-upload.csv").read_bytes())[2:4]] == ["", "2"]
    assert "totals were scaled" in (tmp_path / "out" / "report.html").read_text()
    page = (tmp_path / "out" / "feedback" / "canvas-222.html").read_text()
    assert "Your grade in Canvas: 2 out of 22 (1 of 11 points, scaled to the 22 of Policy framework (4021)" in page
    page = (tmp_path / "out" / "feedback" / "canvas-51022.html").read_text()
    assert "Your grade goes into Canvas once your teacher has marked your 1 written answer." in page


def moodle_import(worksheet: bytes) -> dict[int, str]:
    """Port of assignfeedback_offline_grade_importer::init/next: participant id → grade."""
    rows = rows_of(worksheet)
    columns = rows[0]
    id_index, grade_index = columns.index("Identifier"), columns.index("Grade")
    assert "Last modified (grade)" in columns
    return {int(row[id_index][len("Participant"):]): row[grade_index] for row in rows[1:]}


def moodle_zip_import(data: bytes) -> dict[int, tuple[str, bytes]]:
    """Port of assignfeedback_file_zip_importer::is_valid_filename_for_import: participant → (file, bytes)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            parts = info.filename.split("/")
            while parts:
                info_parts = parts.pop(0).split("_", 4)
                if len(info_parts) < 4 or not info_parts[1].isdigit():
                    continue
                assert (info_parts[2], info_parts[3]) == ("assignfeedback", "file")
                rest = info_parts[4] if len(info_parts) == 5 else ""
                found[int(info_parts[1])] = ("/".join([rest, *parts]).strip("/"), zf.read(info))
                break
    return found


def test_moodle_fills_its_worksheet_and_zips_feedback_files_by_participant(key, tmp_path, capsys):
    worksheet = tmp_path / "Grades-ex01.csv"
    worksheet.write_text(MOODLE_WORKSHEET, encoding="utf-8")
    (tmp_path / "moodle.zip").write_bytes(zip_bytes({
        "Zhang San_1001_assignsubmission_file_/ex01.ipynb": notebook(NO_ESSAY, {"name": "Zhang San", "id": "z"}),
        "Liu Yang_1002_assignsubmission_file_/ex01.ipynb": notebook(RIGHT),
        "Extra Person_1009_assignsubmission_file_ex01.ipynb": notebook({"plan-year": "2015"}),
    }))
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "x.ipynb").write_bytes(notebook({"plan-year": "2015"}, {"name": "P", "id": "p"}))
    assert grade(key, tmp_path, str(tmp_path / "moodle.zip"), str(tmp_path / "plain"),
                 "--moodle", str(worksheet)) == 0
    upload = (tmp_path / "out" / "moodle-upload.csv").read_bytes()
    assert moodle_import(upload) == {1001: "72.73", 1002: "", 1003: ""}  # 8 of 11 points, out of 100
    rows = rows_of(upload)
    assert rows[1][10] == "8 of 11 points (72.7 %). Details in the feedback file."
    assert [r[:4] + r[5:10] for r in rows] == [r[:4] + r[5:10] for r in rows_of(worksheet.read_bytes())]
    files = moodle_zip_import((tmp_path / "out" / "moodle-feedback.zip").read_bytes())
    assert list(files) == [1001] and files[1001][0] == "feedback.html"
    assert b"Feedback for Zhang San (moodle-1001)" in files[1001][1]
    err = capsys.readouterr().err
    assert "Liu Yang (Participant 1002) cannot be changed" in err
    assert "Wu Fei (Participant 1003) is in the worksheet with no submission" in err
    assert "(Participant 1009) has no row in the worksheet" in err
    assert "x.ipynb (p) has no Moodle account" in err


def test_a_file_that_is_not_the_lms_sheet_is_one_line(key, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.ipynb").write_bytes(notebook(RIGHT, {"name": "P", "id": "p"}))
    (tmp_path / "sheet.csv").write_text("Name,Score\nA,1\n", encoding="utf-8")
    assert grade(key, tmp_path, str(tmp_path / "in"), "--moodle", str(tmp_path / "sheet.csv")) == 2
    err = capsys.readouterr().err.strip()
    assert re.fullmatch(r"grade: the Moodle grading worksheet has no 'Identifier' column: .*", err), err
    assert not (tmp_path / "out").exists()
