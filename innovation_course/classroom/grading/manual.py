"""Free responses: the marking sheet a teacher fills in, the marks kept in ``--out``, and merging them.

The sheet has a row per free response of every counted submission: learner_id, name, workbook, question,
max_points, answer, answer_sha, points, comment, note. The teacher fills in ``points`` (0 to max_points) and
``comment``; rows are matched on (learner_id, workbook, question). Merged marks are kept in
``manual-marks.json`` in the output folder, each with a digest of the answer it was given to, and applied
on every later run, with or without ``--manual``; the sheet in the output folder is read back on every run,
so marks typed straight into it are merged too, and what was typed there is never lost: a cell that could not
be used (points out of range, a comment without points yet) is written back as typed, its ``note`` saying
why. A new sheet merges into the kept marks (a blank cell never erases a mark). A mark whose answer has
changed since is not applied, not dropped either: it stays in the file, the row's ``note`` says so and the
report lists it. Rows that match nothing are reported and change nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...engine import scoring
from .gradebook import number, read_csv_text, sort_rows, to_csv, undefuse
from .mark import TO_BE_MARKED, Marked, QuestionMark, answer_text, to_mark_note

COLUMNS = ["learner_id", "name", "workbook", "question", "max_points", "answer", "answer_sha", "points",
           "comment", "note"]
REQUIRED = ("learner_id", "workbook", "question", "points")
MARKED_BY_TEACHER = "marked by your teacher"
CHANGED = "answer changed since it was marked"
STORE = "manual-marks.json"
SCHEMA = "innovation-course/manual-marks"
EXCEL_CELL = 32767  # spreadsheets cut longer cells: a cut answer still matches the answer it starts


Key = tuple[str, str, str]


@dataclass(frozen=True)
class Entry:
    """One filled-in row of a marking sheet."""

    row: int
    learner_id: str
    workbook: str
    question: str
    points: str
    comment: str
    answer: str | None = None      # None: the sheet has no answer column
    answer_sha: str = ""

    @property
    def key(self) -> Key:
        return self.learner_id, self.workbook, self.question


def _free(m: QuestionMark) -> bool:
    return m.kind == "free"


def answer_digest(answer: Any) -> str:
    """A short digest of an answer as the sheet shows it."""
    return hashlib.sha256(answer_text(answer).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def marking_sheet(marked: list[Marked], store: dict[Key, dict] | None = None,
                  typed: dict[Key, tuple[str, str, str]] | None = None) -> bytes:
    """The sheet: every free response of every counted submission, with any points already merged, and
    ``typed`` cells that could not be merged (key → points, comment, why) written back as they were typed."""
    store, typed = store or {}, typed or {}
    rows = []
    for item in sort_rows([m for m in marked if m.counted]):
        for m in item.marks:
            if _free(m):
                given = m.detail == MARKED_BY_TEACHER
                kept = store.get((item.learner.id, item.workbook, m.id))
                note = (f"{CHANGED} (it had {number(kept['points'])} points); mark it again"
                        if m.detail == CHANGED and kept else "")
                points, comment = number(m.points) if given else "", m.comment
                held = typed.get((item.learner.id, item.workbook, m.id))
                if held and not given:
                    points, comment, note = held[0], held[1] or comment, held[2]
                rows.append([item.learner.id, item.learner.name, item.workbook, m.id, number(m.max_points),
                             answer_text(m.answer), answer_digest(m.answer), points, comment, note])
    return to_csv(COLUMNS, rows)


def read_sheet(path: str | Path) -> tuple[list[Entry], list[str]]:
    """The filled-in rows of a sheet (comma, semicolon or tab separated; UTF-8) and what was wrong with it.
    Fields of any size are read (a 140 KB essay is one field)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        return [], [f"{Path(path).name}: cannot read the marking sheet ({error.strerror or error})"]
    except UnicodeDecodeError:
        return [], [f"{Path(path).name}: not UTF-8; save the sheet as 'CSV UTF-8'"]
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first.count)
    rows = read_csv_text(text, delimiter)
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [f"{Path(path).name}: the marking sheet has no column {', '.join(missing)}"]
    entries = []
    for number_, values in enumerate(rows[1:], start=2):
        row = dict(zip(header, values, strict=False))
        cell = {k: undefuse((row.get(k) or "").strip()) for k in (*REQUIRED, "comment", "answer_sha")}
        if not any(cell[k] for k in (*REQUIRED, "comment")):
            continue
        answer = undefuse(row["answer"]) if "answer" in row else None
        entries.append(Entry(number_, cell["learner_id"], cell["workbook"], cell["question"], cell["points"],
                             cell["comment"], answer, cell["answer_sha"]))
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


def _free_responses(marked: list[Marked]) -> dict[Key, tuple[int, int]]:
    where: dict[Key, tuple[int, int]] = {}
    for i, item in enumerate(marked):
        if item.counted:
            for j, m in enumerate(item.marks):
                if _free(m):
                    where[(item.learner.id, item.workbook, m.id)] = (i, j)
    return where


def _same_answer(entry: Entry, current: Any) -> bool:
    """Whether a sheet row was written for the answer the learner has now."""
    if entry.answer_sha:
        return entry.answer_sha == answer_digest(current)
    if entry.answer is None:
        return True
    now = answer_text(current)
    return entry.answer.strip() == now.strip() or (len(entry.answer) >= EXCEL_CELL - 1
                                                   and now.startswith(entry.answer))


def merge_sheet(store: dict[Key, dict], entries: list[Entry], marked: list[Marked],
                typed: dict[Key, tuple[str, str, str]] | None = None) -> tuple[dict[Key, dict], list[str]]:
    """The kept marks with a sheet's rows merged in; every row not merged is reported, and what the teacher
    typed in a row that could not be used is kept in ``typed`` (key → points, comment, why)."""
    where = _free_responses(marked)
    typed = {} if typed is None else typed
    result, problems, used = dict(store), [], {}
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
            if entry.comment and entry.key not in store:  # a comment typed before the points: kept
                typed[entry.key] = ("", entry.comment, "no points yet; the comment is kept until you give them")
            continue  # still to be marked, or marked before: a blank cell erases nothing
        i, j = where[entry.key]
        old = marked[i].marks[j]
        points = _points(entry.points, old.max_points)
        if isinstance(points, str):
            problems.append(f"{label}: {points}")
            typed[entry.key] = (entry.points, entry.comment, f"not applied: {points}")
            continue
        if not _same_answer(entry, old.answer):
            problems.append(f"{label}: the answer of {entry.learner_id!r} to {entry.question!r} changed since "
                            "this sheet was written; not applied (mark the new answer in the new sheet)")
            continue
        result[entry.key] = {"points": points, "comment": entry.comment, "answer_sha": answer_digest(old.answer)}
    return result, problems


def apply_marks(marked: list[Marked], store: dict[Key, dict]) -> tuple[list[Marked], list[str]]:
    """The kept marks applied to the free responses they were given to; a mark whose answer changed is
    flagged (and left in the store)."""
    where = _free_responses(marked)
    result, problems = list(marked), []
    for key, kept in sorted(store.items()):
        if key not in where:
            continue
        i, j = where[key]
        item = result[i]
        old = item.marks[j]
        if kept.get("answer_sha") != answer_digest(old.answer):
            problems.append(f"learner {key[0]!r}, {key[1]} {key[2]!r}: {CHANGED} "
                            f"({number(kept.get('points'))} points); not applied, mark it again")
            new = replace(old, detail=CHANGED)
        else:
            points = float(kept["points"])
            status = (scoring.CORRECT if points >= old.max_points else scoring.PARTIAL if points > 0
                      else scoring.INCORRECT)
            new = replace(old, status=status, points=points, detail=MARKED_BY_TEACHER,
                          comment=str(kept.get("comment") or ""))
        marks = (*item.marks[:j], new, *item.marks[j + 1:])
        notes = tuple(n for n in item.notes if not n.endswith(TO_BE_MARKED))
        if to_mark_note(marks):
            notes += (to_mark_note(marks),)
        result[i] = replace(item, marks=marks, notes=notes)
    return result, problems


def sheet_entries(path: Path, store: dict[Key, dict]) -> tuple[list[Entry], list[str]]:
    """The rows of the marking sheet in the output folder that say something the kept marks do not (marks
    typed straight into it); [] when there is no sheet."""
    if not path.is_file():
        return [], []
    entries, problems = read_sheet(path)
    fresh = []
    for entry in entries:
        kept = store.get(entry.key)
        points = _points(entry.points, float("inf")) if entry.points else None
        if kept and (points is None or points == kept["points"]) and entry.comment in ("", kept.get("comment")):
            continue  # what this grader wrote there from the kept marks
        fresh.append(entry)
    return fresh, problems


def merge(marked: list[Marked], entries: list[Entry]) -> tuple[list[Marked], list[str]]:
    """A sheet's rows applied to the marks (no kept marks): :func:`merge_sheet` then :func:`apply_marks`."""
    store, problems = merge_sheet({}, entries, marked)
    result, more = apply_marks(marked, store)
    return result, problems + more


def load_store(path: Path) -> tuple[dict[Key, dict], list[str]]:
    """The marks kept in an output folder ({} when there are none); a damaged file is reported."""
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        marks = data["marks"] if data.get("schema") == SCHEMA else None
        store = {(m["learner_id"], m["workbook"], m["question"]): {"points": float(m["points"]),
                                                                   "comment": str(m.get("comment") or ""),
                                                                   "answer_sha": str(m.get("answer_sha") or "")}
                 for m in marks}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path.name} in the output folder is damaged ({type(error).__name__}); "
                         "restore it or move it away") from None
    return store, []


def store_bytes(store: dict[Key, dict]) -> bytes:
    """``manual-marks.json``: every kept mark, sorted, so equal marks give equal bytes."""
    marks = [{"learner_id": k[0], "workbook": k[1], "question": k[2], **v} for k, v in sorted(store.items())]
    return (json.dumps({"schema": SCHEMA, "schema_version": 1, "marks": marks}, ensure_ascii=False, indent=1)
            + "\n").encode()
