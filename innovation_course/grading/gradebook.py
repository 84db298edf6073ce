"""The gradebook: duplicates resolved, one row per submission, and the same marks in LMS import formats.

Every CSV is UTF-8 with a byte-order mark (so spreadsheets show names in any script) and cells that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .identify import BY_IDENTITY, from_path
from .mark import SUPERSEDED, Marked

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ["learner_id", "name", "identified_by", "lms_id", "workbook", "workbook_version"]
TAIL_COLUMNS = ["total", "max", "percent", "status", "reason", "source_file"]
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["ID number", "Full name"]


def number(value: float | None) -> str:
    """A mark as the CSV shows it: '3', '2.5', '0.33'; '' for none."""
    if value is None:
        return ""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def defuse(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def undefuse(text: str) -> str:
    """Undo :func:`defuse` when reading back a sheet this grader wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def to_csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    """CSV bytes (UTF-8 with BOM, CRLF line ends), every cell defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def resolve_shared_ids(marked: list[Marked]) -> list[Marked]:
    """Where one typed ID comes from files of different LMS learners (a placeholder ID, a copied notebook),
    identify those submissions by their LMS file names instead, and say so in the reason."""
    accounts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for item in marked:
        if item.learner.identified_by == BY_IDENTITY and item.learner.lms_id:
            accounts[item.learner.id].add((item.learner.lms, item.learner.lms_id))
    shared = {learner_id for learner_id, found in accounts.items() if len(found) > 1}
    result = []
    for item in marked:
        if item.learner.id in shared and item.learner.lms_id:
            note = f"typed ID {item.learner.id!r} is used by several LMS accounts; identified by the file name"
            learner = replace(from_path(item.path), name=item.learner.name)
            item = replace(item, learner=learner, notes=(*item.notes, note))
        result.append(item)
    return result


def resolve_duplicates(marked: list[Marked]) -> list[Marked]:
    """Where a learner sent one workbook more than once, the newest counts (zip entry date or file time,
    then the file name); the others become 'superseded' with the counted file named in the reason."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(marked):
        if item.counted:
            groups[(item.learner.id, item.workbook)].append(index)
    result = list(marked)
    for indices in groups.values():
        if len(indices) < 2:
            continue
        ordered = sorted(indices, key=lambda i: (marked[i].date, marked[i].path.rsplit("/", 1)[-1],
                                                 marked[i].origin))
        newest = marked[ordered[-1]]
        for i in ordered[:-1]:
            note = f"a newer submission counts: {newest.origin}"
            result[i] = replace(marked[i], status=SUPERSEDED, notes=(note, *marked[i].notes))
    return result


def question_columns(marked: list[Marked]) -> list[str]:
    """Question ids in key order, workbook by workbook (sorted), each once."""
    seen: dict[str, None] = {}
    for item in sorted(marked, key=lambda m: m.workbook):
        for m in item.marks:
            seen.setdefault(m.id, None)
    return list(seen)


def sort_rows(marked: list[Marked]) -> list[Marked]:
    """The gradebook's order: workbook, learner, then file."""
    return sorted(marked, key=lambda m: (m.workbook, m.learner.id, m.origin, m.path))


def gradebook_csv(marked: list[Marked]) -> bytes:
    """``gradebook.csv``: one row per submission, a ``q:<id>`` column of points per question."""
    questions = question_columns(marked)
    header = BASE_COLUMNS + [f"q:{q}" for q in questions] + TAIL_COLUMNS
    rows = []
    for item in sort_rows(marked):
        points = {m.id: number(m.points) for m in item.marks}
        rows.append([item.learner.id, item.learner.name, item.learner.identified_by, item.learner.lms_id,
                     item.workbook, item.version, *(points.get(q, "") for q in questions),
                     number(item.total) if item.marks else "", number(item.max_points) if item.marks else "",
                     number(item.percent), item.status, item.reason, item.origin])
    return to_csv(header, rows)


def _by_learner(marked: list[Marked]) -> tuple[list[str], dict[str, dict[str, Marked]]]:
    counted = [m for m in marked if m.counted and m.marks]
    workbooks = sorted({m.workbook for m in counted})
    learners: dict[str, dict[str, Marked]] = defaultdict(dict)
    for item in counted:
        learners[item.learner.id][item.workbook] = item
    return workbooks, dict(sorted(learners.items()))


def canvas_csv(marked: list[Marked]) -> bytes:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one column of points
    per workbook. ID is the Canvas user id from Canvas file names; SIS User ID the ID the learner typed."""
    workbooks, learners = _by_learner(marked)
    rows = []
    for by_workbook in learners.values():
        learner = next(iter(by_workbook.values())).learner
        canvas_id = learner.lms_id if learner.lms == "canvas" else ""
        sis_id = learner.id if learner.identified_by == BY_IDENTITY else ""
        rows.append([learner.name, canvas_id, sis_id, "", "",
                     *(number(by_workbook[w].total) if w in by_workbook else "" for w in workbooks)])
    return to_csv(CANVAS_COLUMNS + workbooks, rows)


def moodle_csv(marked: list[Marked]) -> bytes:
    """Moodle grade import (Grades → Import → CSV file): ID number, Full name, one column of points per
    workbook. Map 'ID number' to the user field 'ID number' and each workbook column to its grade item."""
    workbooks, learners = _by_learner(marked)
    rows = []
    for by_workbook in learners.values():
        learner = next(iter(by_workbook.values())).learner
        rows.append([learner.id if learner.identified_by == BY_IDENTITY else "", learner.name,
                     *(number(by_workbook[w].total) if w in by_workbook else "" for w in workbooks)])
    return to_csv(MOODLE_COLUMNS + workbooks, rows)
