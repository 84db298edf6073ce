"""Free responses: the marking sheet a teacher fills in, and merging it back (``--manual FILE``).

The sheet has a row per free response of every counted submission: learner_id, name, workbook, question,
max_points, answer, points, comment. The teacher fills in ``points`` (0 to max_points) and ``comment``;
rows are matched on (learner_id, workbook, question). Rows that match nothing, or whose points are not a
number within range, are reported and change nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from .. import scoring
from .gradebook import number, sort_rows, to_csv, undefuse
from .mark import TO_BE_MARKED, Marked, QuestionMark, answer_text, to_mark_note

COLUMNS = ["learner_id", "name", "workbook", "question", "max_points", "answer", "points", "comment"]
REQUIRED = ("learner_id", "workbook", "question", "points")
MARKED_BY_TEACHER = "marked by your teacher"


@dataclass(frozen=True)
class Entry:
    """One filled-in row of a marking sheet."""

    row: int
    learner_id: str
    workbook: str
    question: str
    points: str
    comment: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.learner_id, self.workbook, self.question


def _free(m: QuestionMark) -> bool:
    return m.kind == "free"


def marking_sheet(marked: list[Marked]) -> bytes:
    """The sheet: every free response of every counted submission, with any points already merged."""
    rows = []
    for item in sort_rows([m for m in marked if m.counted]):
        for m in item.marks:
            if _free(m):
                given = m.status not in (scoring.MANUAL, scoring.MISSING, scoring.INVALID)
                rows.append([item.learner.id, item.learner.name, item.workbook, m.id, number(m.max_points),
                             answer_text(m.answer), number(m.points) if given else "", m.comment])
    return to_csv(COLUMNS, rows)


def read_sheet(path: str | Path) -> tuple[list[Entry], list[str]]:
    """The filled-in rows of a sheet (comma, semicolon or tab separated; UTF-8) and what was wrong with it."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        return [], [f"{path}: cannot read the marking sheet ({error.strerror or error})"]
    except UnicodeDecodeError:
        return [], [f"{path}: not UTF-8; save the sheet as 'CSV UTF-8'"]
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"{path}: the marking sheet has no column {', '.join(missing)}"]
    entries = []
    for row in reader:
        cell = {k: undefuse((row.get(k) or "").strip()) for k in (*REQUIRED, "comment")}
        if not any(cell.values()):
            continue
        entries.append(Entry(reader.line_num, cell["learner_id"], cell["workbook"], cell["question"],
                             cell["points"], cell["comment"]))
    return entries, []


def _points(text: str, top: float) -> float | str:
    """The points of a cell, or why they cannot be used."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return f"points {text!r} are not a number"
    if not 0 <= value <= top:
        return f"points {text} are outside 0..{number(top)}"
    return round(value, 2)


def merge(marked: list[Marked], entries: list[Entry]) -> tuple[list[Marked], list[str]]:
    """Apply the sheet's points to the free responses of counted submissions; report every row not applied."""
    where: dict[tuple[str, str, str], tuple[int, int]] = {}
    for i, item in enumerate(marked):
        if item.counted:
            for j, m in enumerate(item.marks):
                if _free(m):
                    where[(item.learner.id, item.workbook, m.id)] = (i, j)
    result, problems, used = list(marked), [], {}
    for entry in entries:
        label = f"marking sheet row {entry.row}"
        if entry.key not in where:
            problems.append(f"{label}: no free response {entry.question!r} of workbook {entry.workbook!r} "
                            f"from learner {entry.learner_id!r}")
            continue
        if entry.key in used:
            problems.append(f"{label}: repeats row {used[entry.key]}; ignored")
            continue
        used[entry.key] = entry.row
        if not entry.points:
            continue  # still to be marked
        i, j = where[entry.key]
        item = result[i]
        old = item.marks[j]
        points = _points(entry.points, old.max_points)
        if isinstance(points, str):
            problems.append(f"{label}: {points}")
            continue
        status = scoring.CORRECT if points >= old.max_points else scoring.PARTIAL if points > 0 else scoring.INCORRECT
        new = replace(old, status=status, points=points, detail=MARKED_BY_TEACHER, comment=entry.comment)
        marks = (*item.marks[:j], new, *item.marks[j + 1:])
        notes = tuple(n for n in item.notes if not n.endswith(TO_BE_MARKED))
        if to_mark_note(marks):
            notes += (to_mark_note(marks),)
        result[i] = replace(item, marks=marks, notes=notes)
    return result, problems
