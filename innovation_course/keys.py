"""Answer keys as sets of tokens, kept plain in the solutions and salted-hashed in learners' workbooks.

Every answer is turned into *tokens* by one rule per question kind (:func:`tokens`); the key is the set of
tokens a correct answer produces. Scoring only asks "is this token in the key?", so it gives the same
result whether the key is plain (solutions, teacher) or hashed (exercises, learner): one rule set.

Hashing keeps the key out of plain sight, not out of reach: a determined learner can try every option
of a multiple-choice question. Exam releases carry no key at all.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from .questions import Question

SCHEME_PLAIN = "plain"
SCHEME_HASHED = "sha256-v1"
NUMERIC_STEPS = 10  # a numeric answer is rounded to tolerance / NUMERIC_STEPS before it is compared


class AnswerTypeError(ValueError):
    """The answer has the wrong shape for its question (a list for a number, an unknown option...)."""


def normalise_text(text: str) -> str:
    """Fold case, width, accents (pinyin tone marks), spaces and punctuation: 'Zhōng-guān cūn' → 'zhongguancun'."""
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    kept = [ch for ch in folded if unicodedata.category(ch)[0] in "LN" and not unicodedata.combining(ch)]
    return unicodedata.normalize("NFC", "".join(kept))


def numeric_step(question: Question, answer: float | None = None) -> float:
    """The rounding step of a numeric question: a tenth of its absolute tolerance."""
    tolerance = question.tolerance
    if tolerance is None:
        if answer is None or question.rel_tolerance is None:
            raise AnswerTypeError(f"question {question.id!r} has no tolerance")
        tolerance = abs(answer) * question.rel_tolerance
    return _nice(tolerance / NUMERIC_STEPS) if tolerance > 0 else 0.0


def _nice(x: float) -> float:
    """Round a step to two significant figures so the key is readable and stable across platforms."""
    return float(f"{x:.2g}")


def _bucket(value: float, step: float) -> str:
    if step == 0:
        return repr(float(value))
    ratio = Decimal(repr(float(value))) / Decimal(repr(step))
    return str(int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)))


def to_number(answer: Any) -> float:
    """Read a learner's number: 2.4, '2.4', '2,400', '2.4 %'; raise AnswerTypeError otherwise."""
    if isinstance(answer, bool):
        raise AnswerTypeError("a number is expected, not True/False")
    if isinstance(answer, int | float):
        try:
            value = float(answer)
        except OverflowError:
            raise AnswerTypeError("the number is too large") from None
    elif isinstance(answer, str):
        cleaned = re.sub(r"[\s,%]|[^\d.eE+\-]+$", "", answer.strip())
        try:
            value = float(Decimal(cleaned))
        except (InvalidOperation, ValueError, OverflowError):
            raise AnswerTypeError(f"{answer!r} is not a number") from None
    else:
        try:  # numpy and pandas scalars
            value = float(answer)
        except (TypeError, ValueError, OverflowError):
            raise AnswerTypeError(f"a number is expected, not {type(answer).__name__}") from None
    if not math.isfinite(value):
        raise AnswerTypeError("the number must be finite")
    return value


def _as_list(answer: Any, question: Question) -> list[str]:
    if not isinstance(answer, list | tuple):
        raise AnswerTypeError("a list of options is expected")
    items = [str(a) for a in answer]
    unknown = [a for a in items if a not in question.options]
    if unknown:
        raise AnswerTypeError(f"not among the options: {unknown}")
    return items


def tokens(question: Question, answer: Any, step: float | None = None) -> list[str]:
    """The tokens an answer produces; the key of a question is ``tokens(question, correct answer)``."""
    kind = question.kind
    if kind == "choice":
        if str(answer) not in question.options:
            raise AnswerTypeError(f"{answer!r} is not one of the options")
        return [str(answer)]
    if kind == "multiple":
        chosen = set(_as_list(answer, question))
        return [f"{opt}={int(opt in chosen)}" for opt in question.options]
    if kind == "ordering":
        order = _as_list(answer, question)
        if sorted(order) != sorted(question.options):
            raise AnswerTypeError("place every item exactly once")
        return [f"{a}<{b}" for i, a in enumerate(order) for b in order[i + 1:]]
    if kind == "matching":
        if not isinstance(answer, dict):
            raise AnswerTypeError("a mapping of items to choices is expected")
        bad = [k for k, v in answer.items() if k not in question.pairs or str(v) not in question.options]
        if bad:
            raise AnswerTypeError(f"unknown items or choices for {bad}")
        return [f"{left}->{right}" for left, right in answer.items()]
    if question.numeric:
        value = to_number(answer)
        return [_bucket(value, step if step is not None else numeric_step(question))]
    if kind in ("text", "computed"):
        if not isinstance(answer, str | int | float) or isinstance(answer, bool):
            raise AnswerTypeError("a short text is expected")
        return [normalise_text(str(answer))]
    raise AnswerTypeError(f"{kind} questions have no key")


def _hash(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{token}".encode()).hexdigest()[:20]


def compile_key(question: Question, workbook: str, hashed: bool) -> dict | None:
    """The key of a question with a known ``answer``: its tokens, plain or salted-hashed."""
    if not question.auto_graded:
        return None
    answer, params = question.answer, {}
    if question.numeric:
        value = to_number(answer)
        step = numeric_step(question, value)
        tolerance = question.tolerance if question.tolerance is not None else abs(value) * question.rel_tolerance
        params["step"] = step
        lo, hi = math.floor((value - tolerance) / step), math.ceil((value + tolerance) / step)
        accepted = [str(n) for n in range(lo, hi + 1) if abs(n * step - value) <= tolerance * (1 + 1e-9)]
    elif question.kind == "text":
        accepted = sorted({normalise_text(a) for a in answer})
    else:
        accepted = tokens(question, answer)
    salt = f"{workbook}/{question.id}"
    if hashed:
        return {"scheme": SCHEME_HASHED, "salt": salt, "tokens": sorted(_hash(salt, t) for t in accepted),
                **params}
    return {"scheme": SCHEME_PLAIN, "salt": salt, "tokens": sorted(accepted), **params}


def in_key(key: dict, token: str) -> bool:
    """Whether a token is in a key, plain or hashed."""
    if key["scheme"] == SCHEME_PLAIN:
        return token in key["tokens"]
    if key["scheme"] == SCHEME_HASHED:
        return _hash(key["salt"], token) in key["tokens"]
    raise ValueError(f"unknown key scheme {key['scheme']!r}")


def key_for(question: Question, workbook: str) -> dict | None:
    """The key to mark a question with: the built (hashed) key, else one compiled from its plain answer."""
    if question.key is not None:
        return question.key
    if question.answer is not None:
        return compile_key(question, workbook, hashed=False)
    return None
