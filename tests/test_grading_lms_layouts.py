"""Grading, issue 17: every LMS layout in use is read. Each fixture is made as the LMS's own code makes it
(the function is named at each), and the uploads are read back by ports of the LMSs' import rules.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from grading_support import NO_ESSAY, csv_rows, notebook, run_grade, zip_bytes

from innovation_course.classroom.grading import synthetic

RIGHT = NO_ESSAY  # 8 of 11, nothing left to mark

# Moodle's offline grading worksheet, as assign_feedback_offline::download_grades writes it (columns from
# assign_grading_table in gradingtable.php; the importer needs Identifier, Grade and Last modified (grade)).
MOODLE_WORKSHEET = (
    '"Identifier","Full name","Email address","Status","Grade","Maximum Grade","Grade can be changed",'
    '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
    '"Participant 1001","Zhang San",zs@example.org,"Submitted for grading",,100.00,Yes,'
    '"Monday, 1 December 2026, 9:00 AM",-,\n'
    '"Participant 1002","Liu Yang",ly@example.org,"Submitted for grading",,100.00,Yes,'
    '"Monday, 1 December 2026, 9:05 AM",-,\n'
)


def grade(key: Path, tmp_path: Path, *args: str) -> int:
    return run_grade(key, tmp_path / "out", *args, force=True)


rows_of = csv_rows


def moodle_import(worksheet: bytes) -> dict[int, str]:
    """Port of assignfeedback_offline_grade_importer::init/next: participant id → grade."""
    rows = rows_of(worksheet)
    grade_at, id_at = rows[0].index("Grade"), rows[0].index("Identifier")
    return {int(row[id_at][len("Participant"):]): row[grade_at] for row in rows[1:]}


def feedback_participants(data: bytes) -> list[int]:
    """Port of assignfeedback_file_zip_importer::is_valid_filename_for_import: the participants of a zip."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            for part in name.split("/"):
                info = part.split("_", 4)
                if len(info) >= 4 and info[1].isdigit():
                    found.append(int(info[1]))
                    break
    return sorted(found)


# downloader::load_submissionplugin_filelist (Moodle 4.1+): folders clean_filename(prefix_subtype_type), no
# trailing underscore; assign::download_submissions (3.x): the same with a trailing underscore; with
# "Download submissions in folders" off, both: clean_filename(prefix_subtype_type_filename). The prefix is
# the full name with "_" replaced by " ", then "_" and the participant id; "Participant" under blind marking.
@pytest.mark.parametrize("layout", [
    "{name}_{pid}_assignsubmission_file/ex01.ipynb",     # Moodle 4.1 and later, in folders
    "{name}_{pid}_assignsubmission_file_/ex01.ipynb",    # Moodle 3.x, in folders
    "{name}_{pid}_assignsubmission_file_ex01.ipynb",     # "without folders" (both)
    "Participant_{pid}_assignsubmission_file/ex01.ipynb",  # blind marking (4.1)
])
def test_every_moodle_download_layout_fills_the_worksheet(key, tmp_path, layout):
    (tmp_path / "moodle.zip").write_bytes(zip_bytes({
        layout.format(name="Zhang San", pid=1001): notebook(RIGHT, {"name": "Zhang San", "id": "z"}),
        layout.format(name="Liu Yang", pid=1002): notebook({"plan-year": "2015"}, {"name": "Liu Yang", "id": "l"})}))
    worksheet = tmp_path / "Grades.csv"
    worksheet.write_text(MOODLE_WORKSHEET, encoding="utf-8")
    assert grade(key, tmp_path, str(tmp_path / "moodle.zip"), "--moodle", str(worksheet)) == 0
    assert moodle_import((tmp_path / "out" / "moodle-upload.csv").read_bytes()) == {1001: "72.73", 1002: "9.09"}
    assert feedback_participants((tmp_path / "out" / "moodle-feedback.zip").read_bytes()) == [1001, 1002]


# GradebookExporter#to_csv with CSVWithI18n.csv_i18n_settings: ";" between fields when the user's locale writes
# decimals with a comma (I18n.n gives "11,00"), a byte-order mark when the user asked for one.
CANVAS_SEMICOLON = (
    "Student;ID;SIS User ID;SIS Login ID;Section;Policy framework (4021);Current Points;Final Points\r\n"
    "    Points Possible;;;;;22,00;(read only);(read only)\r\n"
    "Lee, Wei;51022;2025001;lwei;Section A;;7,5;7,5\r\n"
    "O_Brien, Pat;51023;2025002;pob;Section A;;9;9\r\n"
)


def canvas_import(data: bytes) -> dict[int, str]:
    """Port of GradebookImporter: identify_delimiter on the first lines, then decimal_comma_to_period; the
    user ID → the assignment's grade."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines()[:3]
    counts = {}
    for separator in (";", ","):
        sizes = {len(next(csv.reader([line], delimiter=separator))) for line in lines}
        counts[separator] = next(iter(sizes)) if len(sizes) == 1 else 0
    rows = rows_of(data, ";" if counts[";"] > counts[","] else ",")
    column = next(i for i, h in enumerate(rows[0]) if h.endswith("(4021)"))
    return {int(r[1]): r[column].replace(",", ".") for r in rows[1:] if r[1].isdigit()}


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_canvas_semicolon_exports_with_and_without_a_bom(key, tmp_path, bom):
    # ContentZipper#get_filename: sortable name lower-cased, non-word characters dropped ("_" stays), then
    # "LATE" when late, the user id and "_<attachment id>_<file name>".
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "leewei_LATE_51022_9001_ex01.ipynb": notebook(RIGHT, {"name": "Lee Wei", "id": "a"}),
        "o_brienpat_51023_9002_ex01.ipynb": notebook({"plan-year": "2015"}, {"name": "Pat", "id": "b"})}))
    export = tmp_path / "export.csv"
    export.write_bytes(bom + CANVAS_SEMICOLON.encode())
    assert grade(key, tmp_path, str(tmp_path / "canvas.zip"), "--canvas", str(export), "--assignment", "4021") == 0
    upload = (tmp_path / "out" / "canvas-upload.csv").read_bytes()
    assert upload.startswith(bom) and (not bom or upload.count(bom) == 1)
    assert canvas_import(upload) == {51022: "16", 51023: "2"}
    assert upload.decode("utf-8-sig").splitlines()[2] == "Lee, Wei;51022;2025001;lwei;Section A;16;7,5;7,5"


def test_canvas_decimal_commas_stay_decimal_commas(key, tmp_path):
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_ex01.ipynb": notebook({"plan-year": "2015", "pillars": ["Business"]}, None)}))
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_SEMICOLON.replace("22,00", "20,00"), encoding="utf-8")
    assert grade(key, tmp_path, str(tmp_path / "canvas.zip"), "--canvas", str(export), "--assignment", "4021") == 0
    line = (tmp_path / "out" / "canvas-upload.csv").read_text(encoding="utf-8").splitlines()[2]
    assert line.split(";")[5] == "2,42"  # 1.33 of 11 points, out of 20


def test_a_canvas_download_is_read_as_canvas_whatever_one_name_holds(key, tmp_path):
    # A Canvas file whose learner uploaded a file once downloaded from Moodle: ContentZipper#get_filename
    # keeps the display name after "<user id>_<attachment id>_".
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_Ann Lee_12_assignsubmission_file_ex01.ipynb": notebook(RIGHT, None),
        "chenjing_222_9002_ex01.ipynb": notebook(RIGHT, None)}))
    assert grade(key, tmp_path, str(tmp_path / "canvas.zip")) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(r["learner_id"] for r in rows) == ["canvas-222", "canvas-51022"]


def test_canvas_anonymous_grading_downloads(key, tmp_path, capsys):
    # ContentZipper#get_filename when the assignment anonymizes students: "anon_<submission.anonymous_id>"
    # (Anonymity.generate_short_id: 5 base58 characters), "LATE_" before it when late.
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "anon_X4k9Q_9001_ex01.ipynb": notebook(RIGHT, {"name": "Who", "id": "w"}),
        "LATE_anon_b7Hy2_9002_ex01.ipynb": notebook(RIGHT, None)}))
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_SEMICOLON, encoding="utf-8")
    code = grade(key, tmp_path, str(tmp_path / "canvas.zip"), "--canvas", str(export), "--assignment", "4021")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(r["learner_id"] for r in rows) == ["canvas-anon-X4k9Q", "canvas-anon-b7Hy2"]
    assert all(r["identified_by"] == "Canvas file name" and r["status"] == "graded" for r in rows)
    err = capsys.readouterr().err
    assert code == 3 and "anonymous submission (anon_X4k9Q)" in err and "SpeedGrader" in err
    assert "canvas-upload.csv not written: it would hold no grade" in err


def test_workbook_ids_in_short_and_long_forms(tmp_path, capsys):
    key = synthetic.write_key(tmp_path / "key", workbooks=("ex01-policy-demo", "ex02-other-demo"))
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "leewei_51022_9001_ex01.ipynb": notebook(RIGHT, None, workbook="ex01-policy-demo"),
        "leewei_51022_9003_ex02.ipynb": notebook(RIGHT, None, workbook="ex02-other-demo")}))
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_SEMICOLON, encoding="utf-8")
    base = (str(tmp_path / "canvas.zip"), "--canvas", str(export), "--assignment", "4021")
    for given in ("ex01", "ex01-policy-demo"):
        assert grade(key, tmp_path, *base, "--workbook", given) == 0
        assert canvas_import((tmp_path / "out" / "canvas-upload.csv").read_bytes())[51022] == "16"
    capsys.readouterr()
    assert grade(key, tmp_path, *base, "--workbook", "ex09") == 2
    err = capsys.readouterr().err
    assert "'ex09' names no workbook; the workbooks are: ex01-policy-demo, ex02-other-demo" in err


def test_an_upload_with_no_grade_is_not_written_and_the_run_says_why(key, tmp_path, capsys):
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({"someone_777_9001_ex01.ipynb": notebook(RIGHT, None)}))
    export = tmp_path / "export.csv"
    export.write_text(CANVAS_SEMICOLON, encoding="utf-8")
    assert grade(key, tmp_path, str(tmp_path / "canvas.zip"), "--canvas", str(export), "--assignment", "4021") == 3
    assert not (tmp_path / "out" / "canvas-upload.csv").exists()
    err = capsys.readouterr().err
    assert "canvas-upload.csv not written: it would hold no grade: no counted submission of zz-demo matches" in err
    assert "(Canvas user 777) has no row in the gradebook" in err
