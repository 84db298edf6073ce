"""The LMS round trip in the LMSs' own files: the teacher's Canvas gradebook export or Moodle grading
worksheet, filled in, to upload back as it is.

Canvas (``instructure/canvas-lms``, gradebook importer and ``spec/fixtures/gradebooks/``): the export has
``Student, ID, SIS User ID, SIS Login ID, Section``, a ``Points Possible`` row, then one column per assignment
named ``Assignment name (assignment id)``; the import matches students by ``ID`` (the Canvas user id that the
"Download Submissions" file names carry) and assignments by the id in brackets. Only the chosen column is
filled; every other cell and row (``Points Possible`` included) is written back as it was read.

Moodle (``moodle/moodle``, ``mod/assign/feedback/offline/importgradeslib.php``): the worksheet's columns are
found by their English names ``Identifier`` (``Participant N``; N is the participant id of the "Download all
submissions" folder names), ``Grade`` and ``Last modified (grade)`` (the importer refuses a sheet without
them), and ``Feedback comments`` when the comments plugin is on. Grades are out of the sheet's ``Maximum
Grade``. Feedback files go in a zip whose members are named ``Full Name_N_assignfeedback_file_/feedback.html``,
the form ``mod/assign/feedback/file/importziplib.php`` accepts (participant id after the first ``_``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .gradebook import number, read_csv_text
from .mark import Marked

CANVAS_ID, CANVAS_STUDENT, POINTS_POSSIBLE = "ID", "Student", "Points Possible"
MOODLE_ID, MOODLE_GRADE, MOODLE_MODIFIED = "Identifier", "Grade", "Last modified (grade)"
MOODLE_MAX, MOODLE_COMMENTS, MOODLE_NAME, MOODLE_CHANGEABLE = ("Maximum Grade", "Feedback comments", "Full name",
                                                               "Grade can be changed")
PARTICIPANT = re.compile(r"^\s*Participant\s*(\d{1,20})\s*$")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class SheetError(ValueError):
    """The LMS file cannot be used; the message says why, in one line."""


@dataclass
class Sheet:
    """A CSV file as read: its rows, and how to write it back the same way."""

    rows: list[list[str]]
    bom: bool
    newline: str = "\r\n"
    problems: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=self.newline).writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig" if self.bom else "utf-8")


def read_sheet(path: str | Path, what: str) -> Sheet:
    """An LMS CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SheetError(f"cannot read the {what} {Path(path).name}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"the {what} {Path(path).name} is not UTF-8 text") from None
    rows = read_csv_text(text)
    if not rows:
        raise SheetError(f"the {what} {Path(path).name} is empty")
    return Sheet(rows, data.startswith(b"\xef\xbb\xbf"), "\r\n" if "\r\n" in text[:10000] else "\n")


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


def scaled(item: Marked, top: float | None) -> str:
    """An item's total, as points out of the LMS's maximum when the sheet gives one."""
    if top is None or not item.max_points or abs(top - item.max_points) < 1e-9:
        return number(item.total)
    return number(item.total / item.max_points * top)


def _accounts(marked: list[Marked], lms: str) -> tuple[dict[str, Marked], list[str]]:
    """LMS id → the counted submission of that account; and the counted ones that came without one."""
    found, others = {}, []
    for item in marked:
        if item.counted and item.marks:
            if item.learner.lms == lms:
                found[item.learner.lms_id] = item
            else:
                others.append(f"{item.origin} ({item.learner.id}) has no {lms.capitalize()} account "
                              f"in its file name: not in the upload file")
    return found, others


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


def fill_canvas(path: str | Path, assignment: str, marked: list[Marked]) -> tuple[bytes, list[str]]:
    """The Canvas export with the assignment's column filled in (by Canvas user id), and what did not match."""
    sheet = read_sheet(path, "Canvas gradebook")
    header = sheet.rows[0]
    id_col, name_col = _column(header, CANVAS_ID, "Canvas gradebook"), _column(header, CANVAS_STUDENT,
                                                                                "Canvas gradebook")
    col = canvas_column(header, assignment)
    found, problems = _accounts(marked, "canvas")
    top, seen = None, set()
    for row in sheet.rows[1:]:
        row += [""] * (len(header) - len(row))
        if row[name_col].strip() == POINTS_POSSIBLE:
            top = _float(row[col])
            continue
        uid = row[id_col].strip()
        if not uid.isdigit():
            continue
        seen.add(str(int(uid)))
        item = found.get(str(int(uid)))
        if item is None:
            problems.append(f"Canvas: {row[name_col]} (ID {uid}) is in the gradebook with no submission; "
                            "cell left as it was")
            continue
        row[col] = scaled(item, top)
    for uid, item in sorted(found.items()):
        if uid not in seen:
            problems.append(f"Canvas: {item.origin} (Canvas user {uid}) has no row in the gradebook")
    if top is not None and any(abs(top - i.max_points) > 1e-9 for i in found.values()):
        problems.append(f"Canvas: the assignment is out of {number(top)} points; totals were scaled to it")
    return sheet.to_bytes(), problems


def _moodle_name(name: str) -> str:
    """A full name as a zip member's first part: no '_' (Moodle splits on it) and no '/'."""
    cleaned = re.sub(r"[_/\\\x00-\x1f]+", " ", name).strip()
    return cleaned or "Participant"


def fill_moodle(path: str | Path, marked: list[Marked],
                pages: dict[str, bytes]) -> tuple[bytes, bytes, list[str]]:
    """Moodle's worksheet with Grade (and Feedback comments) filled in by participant id, a zip of feedback
    files to upload with "Upload multiple feedback files in a zip", and what did not match.
    ``pages``: learner id → feedback page."""
    sheet = read_sheet(path, "Moodle grading worksheet")
    header = sheet.rows[0]
    id_col = _column(header, MOODLE_ID, "Moodle grading worksheet")
    grade_col = _column(header, MOODLE_GRADE, "Moodle grading worksheet")
    _column(header, MOODLE_MODIFIED, "Moodle grading worksheet")
    names = [h.strip() for h in header]
    top_col = names.index(MOODLE_MAX) if MOODLE_MAX in names else None
    comment_col = names.index(MOODLE_COMMENTS) if MOODLE_COMMENTS in names else None
    name_col = names.index(MOODLE_NAME) if MOODLE_NAME in names else None
    change_col = names.index(MOODLE_CHANGEABLE) if MOODLE_CHANGEABLE in names else None
    found, problems = _accounts(marked, "moodle")
    seen: set[str] = set()
    members: dict[str, bytes] = {}
    for row in sheet.rows[1:]:
        row += [""] * (len(header) - len(row))
        participant = PARTICIPANT.match(row[id_col])
        if not participant:
            continue
        pid = str(int(participant[1]))
        seen.add(pid)
        item = found.get(pid)
        full_name = row[name_col] if name_col is not None else f"Participant {pid}"
        if item is None:
            problems.append(f"Moodle: {full_name} (Participant {pid}) is in the worksheet with no submission; "
                            "left as it was")
            continue
        if change_col is not None and row[change_col].strip().lower() == "no":
            problems.append(f"Moodle: the grade of {full_name} (Participant {pid}) cannot be changed "
                            "(locked or overridden in the gradebook); left as it was")
            continue
        top = _float(row[top_col]) if top_col is not None else None
        row[grade_col] = scaled(item, top)
        if comment_col is not None:
            row[comment_col] = (f"{number(item.total)} of {number(item.max_points)} points "
                                f"({number(item.percent)} %). Details in the feedback file.")
        page = pages.get(item.learner.id)
        if page is not None:
            members[f"{_moodle_name(full_name)}_{pid}_assignfeedback_file_/feedback.html"] = page
    for pid, item in sorted(found.items()):
        if pid not in seen:
            problems.append(f"Moodle: {item.origin} (Participant {pid}) has no row in the worksheet")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, members[name])
    return sheet.to_bytes(), buffer.getvalue(), problems
