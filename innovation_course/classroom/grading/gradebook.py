"""The gradebook: duplicates resolved and one row per submission.

Every CSV is UTF-8 with a byte-order mark (so spreadsheets show names in any script) and cells that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .mark import SUPERSEDED, Marked, to_mark_count

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ["learner_id", "name", "identified_by", "lms_id", "typed_id", "workbook", "workbook_version"]
TAIL_COLUMNS = ["total", "max", "percent", "to_mark", "status", "reason", "source_file"]
RESUBMISSION = re.compile(r"-(\d{1,6})\.ipynb$", re.IGNORECASE)
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def read_csv_text(text: str, delimiter: str = ",") -> list[list[str]]:
    """Rows of CSV text, with no limit on a field's size (a long essay is one field)."""
    csv.field_size_limit(FIELD_LIMIT)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


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


def resubmission(name: str) -> int:
    """Canvas's resubmission number of a file name (``..._ex01-2.ipynb`` → 2), 0 for none."""
    found = RESUBMISSION.search(name)
    return int(found[1]) if found else 0


def resolve_duplicates(marked: list[Marked]) -> list[Marked]:
    """Where a learner sent one workbook more than once, the newest counts (zip entry date or file time,
    then Canvas's resubmission number, then the file name); the others become 'superseded' with the
    counted file named in the reason."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(marked):
        if item.counted:
            groups[(item.learner.id, item.workbook)].append(index)
    result = list(marked)
    for indices in groups.values():
        if len(indices) < 2:
            continue
        ordered = sorted(indices, key=lambda i: (marked[i].date, resubmission(marked[i].path),
                                                 marked[i].path.rsplit("/", 1)[-1], marked[i].origin))
        newest = marked[ordered[-1]]
        for i in ordered[:-1]:
            note = f"a newer submission counts: {newest.path}"
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
                     item.learner.typed_id, item.workbook, item.version, *(points.get(q, "") for q in questions),
                     number(item.total) if item.marks else "", number(item.max_points) if item.marks else "",
                     number(item.percent), to_mark_count(item) if item.marks else "", item.status, item.reason,
                     item.origin])
    return to_csv(header, rows)
