"""One submission + the key → its marks. Pure: no files, no clock, no randomness; never raises.

The answers are read with :func:`innovation_course.records.read_saved` and each one is marked with
:func:`innovation_course.scoring.score`, so a submission earns in the gradebook what its learner saw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .. import records, scoring, spec
from .answerkey import AnswerKey
from .collect import Submission
from .identify import Learner, from_path, identify

GRADED, OLDER, OTHER_VERSION, EMPTY = "graded", "older version", "other version", "empty"
REJECTED, SUPERSEDED = "rejected", "superseded"
#: Row statuses, in the order the guide explains them.
STATUSES = (GRADED, OLDER, OTHER_VERSION, EMPTY, SUPERSEDED, REJECTED)
MAX_NOTES = 5
TO_BE_MARKED = scoring.MANUAL


class NotebookError(ValueError):
    """The bytes are not a notebook this grader can read; the message is the gradebook's reason."""


@dataclass(frozen=True)
class QuestionMark:
    """The mark of one question of one submission."""

    id: str
    kind: str
    prompt: str
    answer: Any
    status: str
    points: float
    max_points: float
    detail: str = ""
    explanation: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Marked:
    """One submission, marked (or rejected or superseded, with the reason in ``notes``)."""

    origin: str
    path: str
    date: float
    learner: Learner
    status: str
    workbook: str = ""
    version: str = ""
    title: str = ""
    notes: tuple[str, ...] = ()
    marks: tuple[QuestionMark, ...] = field(default=())

    @property
    def counted(self) -> bool:
        return self.status not in (REJECTED, SUPERSEDED)

    @property
    def total(self) -> float:
        return round(sum(m.points for m in self.marks), 2)

    @property
    def max_points(self) -> float:
        return round(sum(m.max_points for m in self.marks), 2)

    @property
    def percent(self) -> float | None:
        return round(100 * self.total / self.max_points, 1) if self.marks and self.max_points else None

    @property
    def reason(self) -> str:
        return "; ".join(self.notes)


def load_notebook(data: bytes) -> dict:
    """The notebook JSON of a file's bytes; NotebookError says why not (encoding, JSON, format)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotebookError(f"not UTF-8 text (bad byte at position {error.start})") from None
    if not text.strip():
        raise NotebookError("empty file")
    try:
        nb = json.loads(text)
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deeply") from None
    except ValueError as error:
        pos = getattr(error, "pos", None)
        if pos is not None and pos >= len(text.rstrip()) - 1:
            raise NotebookError("truncated: the JSON ends before the notebook does") from None
        raise NotebookError(f"not JSON: {getattr(error, 'msg', error)} at position {pos}") from None
    if not isinstance(nb, dict) or "nbformat" not in nb:
        raise NotebookError("not a notebook: JSON without an nbformat field")
    version = nb.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise NotebookError(f"not a notebook: nbformat {version!r}")
    if version < 4:
        raise NotebookError(f"notebook format v{version} is too old to hold answers (open and save it "
                            "in Jupyter to upgrade)")
    if version > 4:
        raise NotebookError(f"notebook format v{version} is newer than this grader reads (v4)")
    if not isinstance(nb.get("cells"), list):
        raise NotebookError("not a notebook: no list of cells")
    return nb


def _workbook_of(nb: dict, saved: records.SavedAnswers) -> str | None:
    """The workbook id: from the notebook's records or metadata, else from its ``Workbook(...)`` call."""
    if isinstance(saved.workbook, str) and saved.workbook:
        return saved.workbook
    try:
        header = spec.workbook_header(nb)
    except Exception:  # a learner's notebook may hold anything; no id is the answer then
        return None
    return header["id"]


def version_note(given: str, expected: str) -> tuple[str, str] | None:
    """(status, note) when a submission's workbook version is not the key's, else None."""
    if given == expected:
        return None
    numbers = [tuple(int(n) for n in re.findall(r"\d+", v)) for v in (given, expected)]
    older = all(numbers) and numbers[0] < numbers[1]
    status = OLDER if older else OTHER_VERSION
    return status, f"{status}: workbook version {given!r}, key version {expected!r}; questions matched by id"


def _score(question, key: dict | None, answer: Any) -> scoring.Result:
    """:func:`scoring.score`, with any surprise from an odd answer turned into an 'invalid' result."""
    try:
        return scoring.score(question, key, answer)
    except Exception as error:  # answers are untrusted JSON; the batch goes on
        return scoring.Result(scoring.INVALID, 0.0, float(question.points),
                              f"answer not understood ({type(error).__name__})")


def _limited(prefix: str, items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NOTES])
    more = f" and {len(items) - MAX_NOTES} more" if len(items) > MAX_NOTES else ""
    return f"{prefix}: {shown}{more}"


def answer_text(answer: Any) -> str:
    """An answer as one readable string ('' when none), as the learner's notebook shows it."""
    return "" if answer is None else records.answer_line(answer, limit=None)


def to_mark_note(marks: tuple[QuestionMark, ...] | list[QuestionMark]) -> str | None:
    """'2 free responses to be marked', or None when none is left."""
    left = sum(1 for m in marks if m.status == scoring.MANUAL)
    return f"{left} free response{'s' if left > 1 else ''} {TO_BE_MARKED}" if left else None


def rejected(sub: Submission, reason: str, learner: Learner | None = None, workbook: str = "") -> Marked:
    """A submission that is listed with its reason but not graded."""
    return Marked(sub.origin, sub.path, sub.date, learner or from_path(sub.path), REJECTED, workbook,
                  notes=(reason,))


def mark(sub: Submission, key: AnswerKey) -> Marked:
    """Mark one submission against the key of its own workbook."""
    if sub.problem is not None or sub.data is None:
        return rejected(sub, sub.problem or "not read")
    try:
        nb = load_notebook(sub.data)
        saved = records.read_saved(nb)
    except NotebookError as error:
        return rejected(sub, str(error))
    except Exception as error:  # a notebook-shaped file with odd insides
        return rejected(sub, f"not a readable notebook ({type(error).__name__})")
    learner = identify(saved.identity, sub.path)
    workbook = _workbook_of(nb, saved)
    if workbook is None:
        return rejected(sub, "not a course workbook: no workbook id in it", learner)
    if workbook not in key.specs:
        known = ", ".join(sorted(key.specs)) or "none"
        return rejected(sub, f"unknown workbook {workbook!r} (the key has: {known})", learner, workbook)
    wb, keys = key.specs[workbook], key.keys[workbook]
    marks = []
    for question in wb.questions.values():
        answer = saved.answers.get(question.id)
        result = _score(question, keys.get(question.id), answer)
        marks.append(QuestionMark(question.id, question.kind, question.prompt, answer, result.status,
                                  result.points, result.max_points, result.detail, question.explanation))
    status, notes = GRADED, []
    version = str(saved.version) if saved.version is not None else wb.version
    checked = version_note(version, wb.version)
    if checked:
        status, note = checked
        notes.append(note)
    unknown = sorted(set(saved.answers) - set(wb.questions))
    if unknown:
        notes.append(_limited("ignored answers to unknown questions", unknown))
    if saved.problems:
        notes.append(_limited("unreadable answer records", saved.problems))
    if not saved.answers:
        status = EMPTY
        notes.insert(0, "no answers saved")
    if to_mark_note(marks):
        notes.append(to_mark_note(marks))
    return Marked(sub.origin, sub.path, sub.date, learner, status, workbook, version, wb.title, tuple(notes),
                  tuple(marks))
