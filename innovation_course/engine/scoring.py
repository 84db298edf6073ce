"""Scoring: pure functions from (question, key, answer) to a result, and the feedback policy on top.

The widgets' feedback and the grader both call :func:`score` and :func:`apply_policy`, so an answer earns the
same points in self-study as in the gradebook. No widgets, files or randomness here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .keys import AnswerTypeError, in_key, tokens
from .questions import Question

CORRECT, PARTIAL, INCORRECT = "correct", "partial", "incorrect"
MISSING, INVALID, MANUAL, UNKEYED = "missing", "invalid", "to be marked", "no key"

#: What a learner reads; never colour alone.
STATUS_TEXT = {
    CORRECT: "✔ Correct",
    PARTIAL: "◐ Partly right",
    INCORRECT: "✘ Not yet right",
    MISSING: "○ No answer yet",
    INVALID: "⚠ Answer not understood",
    MANUAL: "✎ Saved; your teacher will mark it",
    UNKEYED: "✔ Saved",
}


@dataclass(frozen=True)
class Result:
    status: str
    points: float
    max_points: float
    detail: str = ""

    @property
    def text(self) -> str:
        """One line for the learner: status, points and any detail."""
        if self.status == INVALID and self.detail:
            return f"⚠ {self.detail}"  # the detail says what to write instead
        points = f"{self.points:g}/{self.max_points:g} point{'s' if self.max_points != 1 else ''}"
        shown = points if self.status not in (MANUAL, UNKEYED, MISSING) else ""
        parts = [STATUS_TEXT[self.status], shown, self.detail]
        return " — ".join(p for p in parts if p)


def is_blank(answer: Any) -> bool:
    """No answer given: None, '', ..., an empty list or mapping."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    return isinstance(answer, list | tuple | dict) and not answer


def fraction(question: Question, key: dict, answer: Any) -> float:
    """Share of the marks an answer earns, from 0 to 1. Raises AnswerTypeError on a malformed answer."""
    found = [in_key(key, t) for t in tokens(question, answer, key.get("step"), key["scheme"])]
    kind = question.kind
    if kind == "multiple":
        states = dict(zip(question.options, found, strict=True))
        chosen = {str(a) for a in answer}
        # token "opt=1" is in the key only for a correct option the learner chose
        right = sum(1 for opt in chosen if states[opt])
        wrong = len(chosen) - right
        n_correct = right + sum(1 for opt in question.options if opt not in chosen and not states[opt])
        return max(0.0, (right - wrong) / n_correct) if n_correct else 0.0
    if kind == "ordering":
        return sum(found) / len(found) if found else 0.0
    if kind == "matching":
        return sum(found) / len(question.pairs)
    return 1.0 if any(found) else 0.0


def score(question: Question, key: dict | None, answer: Any) -> Result:
    """Mark one answer. ``key`` is plain or hashed; ``None`` where no key travels (exam, free response)."""
    top = float(question.points)
    if is_blank(answer):
        return Result(MISSING, 0.0, top)
    if not question.auto_graded:
        if not isinstance(answer, str):
            return Result(INVALID, 0.0, top, "a written answer is expected")
        return Result(MANUAL, 0.0, top)
    if key is None:
        try:
            tokens(question, answer, 1.0)  # still check the answer's shape
        except AnswerTypeError as error:
            return Result(INVALID, 0.0, top, str(error))
        return Result(UNKEYED, 0.0, top)
    try:
        share = fraction(question, key, answer)
    except AnswerTypeError as error:
        return Result(INVALID, 0.0, top, str(error))
    points = round(top * share, 2)
    status = CORRECT if share >= 1 else PARTIAL if share > 0 else INCORRECT
    return Result(status, points, top)


# -- feedback policy ---------------------------------------------------------------------------------------
PRACTICE, HOMEWORK, EXAM = "practice", "homework", "exam"
POLICIES = (PRACTICE, HOMEWORK, EXAM)
#: statuses of an answer that was given and could be read: each such new answer is one try
TRIED = (CORRECT, PARTIAL, INCORRECT, MANUAL, UNKEYED)
DEFAULT_REVEAL_AFTER = 3


def normalise_feedback(feedback: dict | None) -> dict:
    """A feedback policy with every field: ``{"policy", "reveal_after", "deduction"}``; ValueError when wrong."""
    given = dict(feedback or {})
    policy = given.get("policy", PRACTICE)
    if policy not in POLICIES:
        raise ValueError(f"feedback policy must be one of {', '.join(POLICIES)}, not {policy!r}")
    reveal_after, deduction = given.get("reveal_after", DEFAULT_REVEAL_AFTER), given.get("deduction", 0.0)
    if not isinstance(reveal_after, int) or isinstance(reveal_after, bool) or reveal_after < 0:
        raise ValueError("reveal_after must be a whole number of tries, 0 or more")
    if not isinstance(deduction, int | float) or isinstance(deduction, bool) or not 0 <= deduction <= 1:
        raise ValueError("deduction must be a share of the question's points between 0 and 1")
    if policy != HOMEWORK:
        reveal_after, deduction = 0, 0.0
    return {"policy": policy, "reveal_after": reveal_after, "deduction": float(deduction)}


def apply_policy(result: Result, feedback: dict | None, tries: int) -> Result:
    """The result under a workbook's feedback policy: in homework, ``deduction`` of the question's points is
    taken per try after the first (never below 0). ``tries`` comes from the learner's record; 0 counts as 1."""
    rules = normalise_feedback(feedback)
    extra = max(0, int(tries) - 1) if isinstance(tries, int) and not isinstance(tries, bool) else 0
    if rules["policy"] != HOMEWORK or result.points <= 0 or not extra or not rules["deduction"]:
        return result
    taken = rules["deduction"] * result.max_points * extra
    points = max(0.0, round(result.points - taken, 2))
    note = f"try {extra + 1}: {rules['deduction'] * result.max_points:g} off per extra try"
    return replace(result, points=points, detail="; ".join(d for d in (result.detail, note) if d))


def explanation_visible(feedback: dict | None, status: str, tries: int) -> bool:
    """Whether the explanation (which often gives the answer away) may be shown after this answer."""
    rules = normalise_feedback(feedback)
    if rules["policy"] == EXAM or status in (MISSING, INVALID):
        return False
    if rules["policy"] == HOMEWORK:
        reveal_after = rules["reveal_after"]  # 0: only once the answer is right
        return status in (CORRECT, MANUAL, UNKEYED) or (reveal_after > 0 and tries >= reveal_after)
    return True
