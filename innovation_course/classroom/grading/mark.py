"""One submission + the key → its marks. Pure: no files, no clock, no randomness; never raises.

The answers are read with :func:`innovation_course.records.read_saved` and each one is marked with
:func:`innovation_course.scoring.score`, so a submission earns in the gradebook what its learner saw.
Only JSON is parsed: the workbook is known from the answer records and the notebook metadata, compared with
the key; no source of a learner's file is ever parsed or evaluated. Every submission is held to
:class:`SubmissionLimits`, each limit with its own rejection reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ...engine import records, scoring
from .answerkey import AnswerKey
from .identify import Learner, identify
from .safe_read import TooManyContainers, load_json, surrogate_note
from .submission import Submission
from .versions import mark_template, submission_notes

GRADED, OLDER, OTHER_VERSION, EMPTY = "graded", "older version", "other version", "empty"
REJECTED, SUPERSEDED = "rejected", "superseded"
#: Row statuses, in the order the guide explains them.
STATUSES = (GRADED, OLDER, OTHER_VERSION, EMPTY, SUPERSEDED, REJECTED)
MAX_NOTES = 5
REPLACED = "__replaced__"  # set by load_notebook on a notebook whose invalid characters were replaced
TO_BE_MARKED = scoring.MANUAL


class NotebookError(ValueError):
    """The bytes are not a notebook this grader can read; the message is the gradebook's reason."""


@dataclass(frozen=True)
class SubmissionLimits:
    """What one submission may hold. Bytes are limited when files are read (:class:`collect.Limits`), time
    by :mod:`batch`; these are checked on the parsed JSON, before anything else is done with it."""

    cells: int = 2000
    outputs: int = 20000          # outputs in all cells
    records: int = 1000           # answer records
    record_string: int = 200_000  # characters of any string inside a record (a long essay fits)
    short_answer: int = 2000      # characters of an answer to a question that is not a free response
    tries: int = 10_000           # the largest "tries" taken as given
    containers: int = 1_000_000   # '{' and '[' in the file: bounds the memory its JSON can take


LIMITS = SubmissionLimits()


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
    decimals: int | None = None  # a number answer is shown with these decimals (the question's tolerance's + 1)
    variant: dict | None = None  # a template question: the variant it was marked against (see versions)


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


def load_notebook(data: bytes, limits: SubmissionLimits = LIMITS) -> dict:
    """The notebook JSON of a file's bytes, every lone surrogate replaced (the count in the key
    ``"__replaced__"`` when there were any); NotebookError says why not (encoding, JSON, format)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotebookError(f"not UTF-8 text (bad byte at position {error.start})") from None
    if not text.strip():
        raise NotebookError("empty file")
    try:
        nb, replaced = load_json(data, text, limits.containers)
    except TooManyContainers as error:
        raise NotebookError(str(error)) from None
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deeply") from None
    except ValueError as error:
        pos = getattr(error, "pos", None)
        if pos is not None and pos >= len(text.rstrip()) - 1:
            raise NotebookError("truncated: the JSON ends before the notebook does") from None
        raise NotebookError(f"not JSON: {getattr(error, 'msg', error)} at position {pos}") from None
    if replaced and isinstance(nb, dict):
        nb[REPLACED] = replaced
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


def _longest_string(value: Any, budget: list[int]) -> int:
    """The longest string inside a JSON value (keys included); ``budget`` caps the items looked at."""
    stack, longest = [value], 0
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            raise NotebookError("too many values inside the answer records")
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            stack += item
    return longest


def check_limits(nb: dict, limits: SubmissionLimits = LIMITS) -> None:
    """Raise NotebookError naming the first limit a notebook's JSON goes past."""
    cells = nb["cells"]
    if len(cells) > limits.cells:
        raise NotebookError(f"too many cells: {len(cells):,} (limit {limits.cells:,})")
    outputs = found = 0
    budget = [50 * limits.records]
    for cell in cells:
        cell_outputs = cell.get("outputs") if isinstance(cell, dict) else None
        if not isinstance(cell_outputs, list):
            continue
        outputs += len(cell_outputs)
        if outputs > limits.outputs:
            raise NotebookError(f"too many outputs: more than {limits.outputs:,}")
        for output in cell_outputs:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and records.MIME in data:
                found += 1
                if found > limits.records:
                    raise NotebookError(f"too many answer records: more than {limits.records:,}")
                longest = _longest_string(data[records.MIME], budget)
                if longest > limits.record_string:
                    raise NotebookError(f"an answer record holds a text of {longest:,} characters "
                                        f"(limit {limits.record_string:,})")


def _workbook_of(saved: records.SavedAnswers) -> str | None:
    """The workbook id, from the notebook's metadata or answer records only (never from its source)."""
    if isinstance(saved.workbook, str) and saved.workbook.strip():
        return saved.workbook[:200]
    return None


def record_tries(nb: dict) -> dict[str, Any]:
    """Question id → the ``tries`` of its last record (as given; see :func:`tries_of`)."""
    tries: dict[str, Any] = {}
    for _, item in records.iter_records(nb):
        if isinstance(item, dict):
            tries[item["question"]] = item.get("tries")
    return tries


def tries_of(value: Any, answer: Any, limits: SubmissionLimits = LIMITS) -> int:
    """The tries a record claims, clamped to 0..limits.tries; at least 1 for a given answer. The learner's
    file holds this number, so a learner can lower it: a policy's deduction rests on their honesty."""
    given = value if isinstance(value, int) and not isinstance(value, bool) else 0
    given = min(max(given, 0), limits.tries)
    return max(given, 0 if scoring.is_blank(answer) else 1)


def version_note(given: str, expected: str) -> tuple[str, str] | None:
    """(status, note) when a submission's workbook version is not the key's, else None."""
    if given == expected:
        return None
    numbers = [tuple(int(n) for n in re.findall(r"\d+", v)) for v in (given, expected)]
    older = all(numbers) and numbers[0] < numbers[1]
    status = OLDER if older else OTHER_VERSION
    return status, f"{status}: workbook version {given!r}, key version {expected!r}; questions matched by id"


def _score(question, key: dict | None, answer: Any, policy: dict | None = None, tries: int = 0,
           limits: SubmissionLimits = LIMITS) -> scoring.Result:
    """:func:`scoring.score` (then the feedback policy, when there is one), with any surprise from an odd
    answer turned into an 'invalid' result."""
    if question.kind != "free" and isinstance(answer, str) and len(answer) > limits.short_answer:
        return scoring.Result(scoring.INVALID, 0.0, float(question.points),
                              f"answer too long ({len(answer):,} characters; limit {limits.short_answer:,})")
    try:
        result = scoring.score(question, key, answer)
        apply_policy = getattr(scoring, "apply_policy", None)
        if policy and apply_policy is not None:
            result = apply_policy(result, policy, tries)
        return result
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


def to_mark_count(item: Marked) -> int:
    """How many answers of a counted submission are still to be marked by hand (0 for any other)."""
    return sum(1 for m in item.marks if m.status == scoring.MANUAL) if item.counted else 0


def to_mark_note(marks: tuple[QuestionMark, ...] | list[QuestionMark]) -> str | None:
    """'2 free responses to be marked', or None when none is left."""
    left = sum(1 for m in marks if m.status == scoring.MANUAL)
    return f"{left} free response{'s' if left > 1 else ''} {TO_BE_MARKED}" if left else None


def submission_learner(sub: Submission, identity: dict | None = None) -> Learner:
    """Who a submission belongs to (see :mod:`identify`)."""
    return identify(identity, sub.account_path, sub.origin, sub.hub_user, sub.layout)


def rejected(sub: Submission, reason: str, learner: Learner | None = None, workbook: str = "") -> Marked:
    """A submission that is listed with its reason but not graded."""
    return Marked(sub.origin, sub.path, sub.date, learner or submission_learner(sub), REJECTED, workbook,
                  notes=(reason, *sub.notes))


def reading_notes(sub: Submission, nb: dict, learner: Learner) -> list[str]:
    """What was odd about a readable file: its name, replaced characters, another hub user recorded."""
    notes = list(sub.notes)
    if nb.get(REPLACED):
        notes.append(surrogate_note(nb[REPLACED]))
    if learner.lms == "hub" and learner.hub_user and learner.hub_user != learner.lms_id:
        notes.append(f"the workbook records JupyterHub user {learner.hub_user!r}, not {learner.lms_id!r}: "
                     "check whose work it is")
    return notes


def mark(sub: Submission, key: AnswerKey, limits: SubmissionLimits = LIMITS) -> Marked:
    """Mark one submission against the key of its own workbook."""
    if sub.problem is not None or sub.data is None:
        return rejected(sub, sub.problem or "not read")
    try:
        nb = load_notebook(sub.data, limits)
        check_limits(nb, limits)
        saved = records.read_saved(nb)
        tries = record_tries(nb)
    except NotebookError as error:
        return rejected(sub, str(error))
    except Exception as error:  # a notebook-shaped file with odd insides
        return rejected(sub, f"not a readable notebook ({type(error).__name__})")
    learner = submission_learner(sub, saved.identity)
    workbook = _workbook_of(saved)
    odd = tuple(n for n in reading_notes(sub, nb, learner) if n not in sub.notes)
    if workbook is None:
        return rejected(replace(sub, notes=(*sub.notes, *odd)), "not a course workbook: no workbook id in its "
                        "metadata or answer records", learner)
    if workbook not in key.specs:
        known = ", ".join(sorted(key.specs)) or "none"
        return rejected(replace(sub, notes=(*sub.notes, *odd)), f"unknown workbook {workbook!r} (the key has: "
                        f"{known})", learner, workbook)
    wb, keys = key.specs[workbook], key.keys[workbook]
    policy = key.policy(workbook)
    marks, versions = [], []
    for question in wb.questions.values():
        answer = saved.answers.get(question.id)
        counted_tries = tries_of(tries.get(question.id), answer, limits)

        def score(q, k, answer=answer, counted_tries=counted_tries):
            return _score(q, k, answer, policy, counted_tries, limits)

        if question.template is not None:  # a version per learner: the grader works out which is theirs
            question, result, note = mark_template(question, saved.records.get(question.id), learner, key, workbook,
                                                   score)
            versions += [note] if note else []
        else:
            result = score(question, keys.get(question.id))
        marks.append(QuestionMark(question.id, question.kind, question.prompt, answer, result.status,
                                  result.points, result.max_points, result.detail, question.explanation,
                                  decimals=question.shown_decimals(), variant=question.variant))
    status, notes = GRADED, reading_notes(sub, nb, learner) + submission_notes(versions)
    version = str(saved.version)[:40] if saved.version is not None else wb.version
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
