"""The LMS round trip in the LMSs' own files: the teacher's Canvas gradebook export or Moodle grading
worksheet, filled in, to upload back as it is.

Canvas (``instructure/canvas-lms``, ``lib/gradebook_exporter.rb``, ``lib/csv_with_i18n.rb``,
``lib/gradebook_importer.rb``): ``GradebookExporter#to_csv`` writes ``Student, ID, SIS User ID, SIS
Login ID, Section``, a ``Points Possible`` row, one column per assignment ``Assignment name (assignment id)``
and read-only totals, with ``,`` or ``;`` between fields (``CSVWithI18n.csv_i18n_settings``: ``;`` when the
user's locale writes decimals with a comma) and a byte-order mark when the user asked for one; the test
student (``StudentViewEnrollment``, "Student, Test") comes last. ``GradebookImporter`` reads either separator
(``identify_delimiter``: the one giving the same number of fields in the first lines), decimal commas
(``decimal_comma_to_period``), matches students by ``ID`` and assignments by the id in brackets, and treats an
unchanged cell as no change. Only the chosen column is filled; every other cell is written back as read.

Moodle (``moodle/moodle``, ``mod/assign/feedback/offline/importgradeslib.php``): the worksheet's columns are
found by their English names ``Identifier`` (``Participant N``; N is the participant id of the "Download all
submissions" names), ``Grade`` and ``Last modified (grade)`` (the importer refuses a sheet without them), and
``Feedback comments``. Grades are out of the sheet's ``Maximum Grade``; the importer skips an empty grade
(``process_import_grades``), so a cell left as it was changes nothing. Feedback files go in a zip whose
members are named ``Full Name_N_assignfeedback_file_/feedback.html``, the form ``mod/assign/feedback/file/
importziplib.php`` accepts.

A learner with an answer still to be marked gets no grade: their cell is left as it was (the run then
writes the upload only with ``--partial``, see :mod:`.cli`). Every grade and comment the upload would replace
is listed, and every learner's page says how their points are scaled for the LMS.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .gradebook import number, read_csv_text
from .mark import Marked, to_mark_count

CANVAS_ID, CANVAS_STUDENT, POINTS_POSSIBLE = "ID", "Student", "Points Possible"
CANVAS_TEST_STUDENT = {"Student, Test", "Test Student"}  # the StudentViewEnrollment's user, by sortable name
MOODLE_ID, MOODLE_GRADE, MOODLE_MODIFIED = "Identifier", "Grade", "Last modified (grade)"
MOODLE_MAX, MOODLE_COMMENTS, MOODLE_NAME, MOODLE_CHANGEABLE = ("Maximum Grade", "Feedback comments", "Full name",
                                                               "Grade can be changed")
PARTICIPANT = re.compile(r"^\s*Participant\s*(\d{1,20})\s*$")
DECIMAL_COMMA, DECIMAL_POINT = re.compile(r"^-?\d+,\d+$"), re.compile(r"^-?\d+\.\d+$")
NO_VALUE = {"", "-"}
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class SheetError(ValueError):
    """The LMS file cannot be used; the message says why, in one line."""


@dataclass
class Sheet:
    """A CSV file as read: its rows, and how to write it back the same way."""

    rows: list[list[str]]
    bom: bool
    newline: str = "\r\n"
    delimiter: str = ","
    decimal_comma: bool = False

    def to_bytes(self) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig" if self.bom else "utf-8")

    def number(self, value: float) -> str:
        """A number as this sheet writes numbers (a decimal comma in a ``;`` export of such a locale)."""
        text = number(value)
        return text.replace(".", ",") if self.decimal_comma else text


def delimiter_of(lines: list[str]) -> str:
    """``;`` or ``,``: the one that splits the first lines into the same number of fields, more of them
    (``GradebookImporter#identify_delimiter``)."""
    counts = {}
    for separator in (";", ","):
        sizes = {len(row) for row in csv.reader(lines, delimiter=separator)}
        counts[separator] = next(iter(sizes)) if len(sizes) == 1 else 0
    return ";" if counts[";"] > counts[","] else ","


def read_sheet(path: str | Path, what: str) -> Sheet:
    """An LMS CSV file (UTF-8, with or without a byte-order mark; ``,`` or ``;`` between fields)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SheetError(f"cannot read the {what} {Path(path).name}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"the {what} {Path(path).name} is not UTF-8 text") from None
    delimiter = delimiter_of(text.splitlines()[:3])
    rows = read_csv_text(text, delimiter)
    if not rows:
        raise SheetError(f"the {what} {Path(path).name} is empty")
    cells = [cell.strip() for row in rows[1:] for cell in row]
    comma = (True if any(DECIMAL_COMMA.match(c) for c in cells) else False if any(DECIMAL_POINT.match(c) for c in cells)
             else delimiter == ";")  # CSVWithI18n: ";" goes with a decimal comma
    return Sheet(rows, data.startswith(b"\xef\xbb\xbf"), "\r\n" if "\r\n" in text[:10000] else "\n", delimiter,
                 comma)


def _column(header: list[str], name: str, what: str) -> int:
    try:
        return [h.strip() for h in header].index(name)
    except ValueError:
        raise SheetError(f"the {what} has no {name!r} column: not the LMS's own file?") from None


def _float(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def scaled_value(item: Marked, top: float | None) -> float:
    """An item's total, as points out of the LMS's maximum when the sheet gives one."""
    if top is None or not item.max_points or abs(top - item.max_points) < 1e-9:
        return item.total
    return item.total / item.max_points * top


@dataclass
class Cell:
    """One learner's cell of the upload: where, the value written, and what was there."""

    learner: str
    name: str
    row: int
    column: int
    value: str
    old: str
    sentence: str                     # for the learner's page: how the points were scaled
    comment: tuple[int, str, str] | None = None  # (column, new comment, old comment)


@dataclass
class Upload:
    """An LMS file to fill in: its cells, the learners on its roster, and everything to tell the teacher."""

    lms: str
    sheet: Sheet
    cells: list[Cell] = field(default_factory=list)
    roster: set[str] = field(default_factory=set)       # learner ids with a row (never the test student)
    pending: dict[str, int] = field(default_factory=dict)  # learner id → answers still to mark (cell left)
    problems: list[str] = field(default_factory=list)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # Moodle: learner id → (full name, pid)

    def to_bytes(self) -> bytes:
        rows = [list(row) for row in self.sheet.rows]
        for cell in self.cells:
            for column, value in ((cell.column, cell.value), *([cell.comment[:2]] if cell.comment else [])):
                row = rows[cell.row]
                row += [""] * (column + 1 - len(row))
                row[column] = value
        return Sheet(rows, self.sheet.bom, self.sheet.newline, self.sheet.delimiter).to_bytes()

    def overwrites(self) -> list[str]:
        """Every grade and comment the upload replaces in the LMS's file."""
        found = []
        for cell in self.cells:
            old = cell.old.strip()
            if old not in NO_VALUE and (_float(old) is None or round(_float(old), 2) != round(_float(cell.value), 2)):
                found.append(f"{self.lms}: the upload replaces the grade {old} of {cell.name} with {cell.value}")
            if cell.comment and cell.comment[2].strip() and cell.comment[2].strip() != cell.comment[1]:
                found.append(f"{self.lms}: the upload replaces the comment {cell.comment[2].strip()[:200]!r} of "
                             f"{cell.name}")
        return found

    def sentences(self) -> dict[str, str]:
        """Learner id → how their points go into the LMS (for their feedback page)."""
        found = {cell.learner: cell.sentence for cell in self.cells}
        for learner, left in self.pending.items():
            found[learner] = (f"Your grade goes into {self.lms} once your teacher has marked your "
                              f"{left} written answer{'s' if left != 1 else ''}.")
        return found


def _accounts(marked: list[Marked], lms: str, upload: Upload) -> dict[str, Marked]:
    """LMS id → the counted submission of that account; the others (no account of this LMS, anonymous,
    still to mark) are listed on the upload."""
    found = {}
    for item in marked:
        if not (item.counted and item.marks):
            continue
        if item.learner.lms != lms:
            upload.problems.append(f"{item.path} ({item.learner.id}) has no {upload.lms} account in its file name: "
                                   "not in the upload file")
        elif item.learner.lms_id.startswith("anon_"):
            upload.problems.append(f"Canvas: {item.path} is an anonymous submission ({item.learner.lms_id}); the "
                                   "gradebook import matches students by user ID, which an anonymous download does "
                                   "not give: enter its grade in SpeedGrader")
        else:
            found[item.learner.lms_id] = item
    return found


def _points(item: Marked, top: float | None, sheet: Sheet, lms: str, scale_name: str) -> tuple[str, str]:
    """The cell value and the sentence for the learner's page."""
    value = sheet.number(scaled_value(item, top))
    own = f"{number(item.total)} of {number(item.max_points)} points"
    if top is None or abs(top - item.max_points) < 1e-9:
        return value, f"Your grade in {lms}: {value} ({own}; {lms} uses the same points)."
    return value, (f"Your grade in {lms}: {value} out of {number(top)} ({own}, scaled to the "
                   f"{number(top)} of {scale_name}).")


def canvas_column(header: list[str], assignment: str) -> int:
    """The index of the assignment's column: its exact header, else the one ending in ``(id)``."""
    names = [h.strip() for h in header]
    if assignment.strip() in names:
        return names.index(assignment.strip())
    wanted = re.search(r"\((\d+)\)\s*$", assignment) or re.fullmatch(r"\s*(\d+)\s*", assignment)
    if wanted:
        for index, name in enumerate(names):
            if name.endswith(f"({wanted[1]})"):
                return index
    shown = ", ".join(repr(n) for n in names[5:12] if "(" in n)
    raise SheetError(f"the Canvas gradebook has no column {assignment!r} (assignments: {shown or 'none'}); "
                     "pass --assignment with the column header as Canvas exported it")


def plan_canvas(path: str | Path, assignment: str, marked: list[Marked]) -> Upload:
    """The Canvas export with the assignment's column to fill in (by Canvas user id)."""
    sheet = read_sheet(path, "Canvas gradebook")
    header = sheet.rows[0]
    id_col, name_col = _column(header, CANVAS_ID, "Canvas gradebook"), _column(header, CANVAS_STUDENT,
                                                                                "Canvas gradebook")
    col = canvas_column(header, assignment)
    upload = Upload("Canvas", sheet)
    found = _accounts(marked, "canvas", upload)
    top, seen = None, set()
    for index, given in enumerate(sheet.rows[1:], start=1):
        row = given + [""] * (len(header) - len(given))
        if POINTS_POSSIBLE in row[name_col]:
            top = _float(row[col])
            continue
        uid = row[id_col].strip()
        if not uid.isdigit():
            continue
        uid = str(int(uid))
        seen.add(uid)
        if row[name_col].strip() not in CANVAS_TEST_STUDENT:
            upload.roster.add(f"canvas-{uid}")
        item = found.get(uid)
        if item is None:
            upload.problems.append(f"Canvas: {row[name_col]} (ID {uid}) is in the gradebook with no submission; "
                                   "cell left as it was")
        elif to_mark_count(item):
            upload.pending[item.learner.id] = to_mark_count(item)
        else:
            value, sentence = _points(item, top, sheet, "Canvas", f"{header[col].strip()} in Canvas")
            upload.cells.append(Cell(item.learner.id, row[name_col].strip(), index, col, value, row[col], sentence))
    for uid, item in sorted(found.items()):
        if uid not in seen:
            upload.problems.append(f"Canvas: {item.path} (Canvas user {uid}) has no row in the gradebook")
    if top is not None and any(abs(top - i.max_points) > 1e-9 for i in found.values()):
        upload.problems.append(f"Canvas: the assignment is out of {number(top)} points; totals were scaled to it")
    return upload


def _moodle_name(name: str) -> str:
    """A full name as a zip member's first part: no '_' (Moodle splits on it) and no '/'."""
    cleaned = re.sub(r"[_/\\\x00-\x1f]+", " ", name).strip()
    return cleaned or "Participant"


def plan_moodle(path: str | Path, marked: list[Marked]) -> Upload:
    """Moodle's worksheet with Grade (and Feedback comments) to fill in by participant id."""
    sheet = read_sheet(path, "Moodle grading worksheet")
    header = sheet.rows[0]
    id_col = _column(header, MOODLE_ID, "Moodle grading worksheet")
    grade_col = _column(header, MOODLE_GRADE, "Moodle grading worksheet")
    _column(header, MOODLE_MODIFIED, "Moodle grading worksheet")
    names = [h.strip() for h in header]
    top_col, comment_col, name_col, change_col = (names.index(n) if n in names else None for n in (
        MOODLE_MAX, MOODLE_COMMENTS, MOODLE_NAME, MOODLE_CHANGEABLE))
    upload = Upload("Moodle", sheet)
    found = _accounts(marked, "moodle", upload)
    seen: set[str] = set()
    for index, given in enumerate(sheet.rows[1:], start=1):
        row = given + [""] * (len(header) - len(given))
        participant = PARTICIPANT.match(row[id_col])
        if not participant:
            continue
        pid = str(int(participant[1]))
        seen.add(pid)
        upload.roster.add(f"moodle-{pid}")
        item = found.get(pid)
        full_name = row[name_col] if name_col is not None else f"Participant {pid}"
        if item is None:
            upload.problems.append(f"Moodle: {full_name} (Participant {pid}) is in the worksheet with no "
                                   "submission; left as it was")
        elif change_col is not None and row[change_col].strip().lower() == "no":
            upload.problems.append(f"Moodle: the grade of {full_name} (Participant {pid}) cannot be changed "
                                   "(locked or overridden in the gradebook); left as it was")
        elif to_mark_count(item):
            upload.pending[item.learner.id] = to_mark_count(item)
        else:
            top = _float(row[top_col]) if top_col is not None else None
            value, sentence = _points(item, top, sheet, "Moodle", "the Maximum Grade in Moodle")
            comment = None
            if comment_col is not None:
                comment = (comment_col, f"{number(item.total)} of {number(item.max_points)} points "
                                        f"({number(item.percent)} %). Details in the feedback file.", row[comment_col])
            upload.cells.append(Cell(item.learner.id, full_name, index, grade_col, value, row[grade_col], sentence,
                                     comment))
            upload.names[item.learner.id] = (full_name, pid)
    for pid, item in sorted(found.items()):
        if pid not in seen:
            upload.problems.append(f"Moodle: {item.path} (Participant {pid}) has no row in the worksheet")
    return upload


def moodle_feedback_zip(upload: Upload, pages: dict[str, bytes]) -> bytes:
    """The feedback pages of the learners the worksheet grades, for "Upload multiple feedback files in a zip"
    (``Full Name_N_assignfeedback_file_/feedback.html``)."""
    members = {f"{_moodle_name(name)}_{pid}_assignfeedback_file_/feedback.html": pages[learner]
               for learner, (name, pid) in upload.names.items() if learner in pages}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, members[name])
    return buffer.getvalue()
