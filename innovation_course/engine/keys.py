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
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any

from .questions import Question

SCHEME_PLAIN = "plain"
#: hashed keys; v2 folds British/American spelling and reads punctuation as a space in texts. A v1 key (built by
#: an earlier release) is still read with the text folding it was built with, so it keeps its meaning.
SCHEME_HASHED = "sha256-v2"
SCHEME_HASHED_V1 = "sha256-v1"
SCHEMES_HASHED = (SCHEME_HASHED, SCHEME_HASHED_V1)
NUMERIC_STEPS = 10  # a numeric answer is rounded to tolerance / NUMERIC_STEPS before it is compared


class AnswerTypeError(ValueError):
    """The answer has the wrong shape for its question (a list for a number, an unknown option...)."""


#: British and American spellings of one word read alike (applied to keys and answers alike, word by word)
SPELLINGS = (
    (re.compile(r"programme"), "program"),
    (re.compile(r"(?<=\w\w\w)is(ation|ations|e|es|ed|ing|er|ers)$"), r"iz\1"),   # organise, modernisation
    (re.compile(r"(?<=\w)ys(e|es|ed|ing)$"), r"yz\1"),                            # analyse
    (re.compile(r"^(cen|me|li|thea|fib)tre(s|d)?$"), r"\1ter\2"),                    # centre, metre
    (re.compile(r"(?<=\w\w\w)our(s|ed|ing|able|ite|ites)?$"), r"or\1"),              # labour, favourite
)


def american_spelling(word: str) -> str:
    """One spelling for words that British and American English write differently: 'programme' → 'program',
    'organise' → 'organize', 'labour' → 'labor', 'centre' → 'center'."""
    for pattern, replacement in SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def normalise_text(text: str, scheme: str = SCHEME_HASHED) -> str:
    """Fold case, width, accents (pinyin tone marks), British/American spelling, spaces and punctuation:
    'Zhōng-guān cūn' → 'zhongguancun', 'R&D Programme' → 'rdprogram'. ``scheme`` v1: the folding of keys
    built by earlier releases (no spelling folding)."""
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    if scheme == SCHEME_HASHED_V1:
        kept = [ch for ch in folded if unicodedata.category(ch)[0] in "LN" and not unicodedata.combining(ch)]
        return unicodedata.normalize("NFC", "".join(kept))
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" and not unicodedata.combining(ch) else " "
                   for ch in folded if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", "".join(american_spelling(word) for word in kept.split()))


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
    with localcontext(prec=700):  # enough digits for any float over any step
        ratio = Decimal(repr(float(value))) / Decimal(repr(step))
        return str(int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)))


NUMBER = re.compile(r"^([+-]?)\s*([\d.][\d,. ]*)((?:[eE][+-]?\d+)?)(?![\d,.])\s*(.*)$", re.S)
SPACED = re.compile(r"^\d{1,3}( \d{3})+(\.\d*)?$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
AMBIGUOUS = re.compile(r"^\d{1,3},\d{3}$")
DECIMAL_COMMA = re.compile(r"^\d*,\d+$")
PERCENT_WORDS = ("%", "percent", "per cent", "pct")
#: words that may follow a number in every question, whatever its unit: they never change the number read
NEUTRAL_WORDS = frozenset({"year", "years", "times", "time", "x", "×"})
POINT_WORDS = ("pp", "p.p.", "points", "percentage point", "percentage points", "% points", "%-points")


def _quoted(text: str) -> str:
    """A learner's text inside a message: one line, at most 40 characters, in quotes."""
    line = " ".join(str(text).split())
    return f"“{line if len(line) <= 40 else line[:39] + '…'}”"


def unit_words(unit: str) -> set[str]:
    """What may follow a number for a question in ``unit``: the unit, its first word, singular/plural, aliases."""
    unit = " ".join(unit.casefold().split())
    if not unit:
        return set(NEUTRAL_WORDS)
    words = {unit, unit.rstrip("s"), unit + "s", unit.split()[0], unit.split()[0].rstrip("s"),
             *re.findall(r"\((\w+)\)", unit)}  # "edition (year)": "year" too
    if "percentage point" in unit:
        words |= set(POINT_WORDS)
    elif "%" in unit or "percent" in unit:
        words |= set(PERCENT_WORDS)
    return {w for w in words if w} | NEUTRAL_WORDS


def _plain_digits(core: str, text: str) -> str:
    """A number's digits with separators checked: thousands read where unambiguous, decimal commas refused."""
    if " " in core:
        if not SPACED.match(core):
            raise AnswerTypeError(f"write the number without spaces, e.g. {core.replace(' ', '')}")
        core = core.replace(" ", "")
    if "," in core:
        if THOUSANDS.match(core) and not AMBIGUOUS.match(core):
            return core.replace(",", "")
        if AMBIGUOUS.match(core):
            raise AnswerTypeError(f"{_quoted(text)} could be {core.replace(',', '.')} or {core.replace(',', '')}: "
                                  f"write the number with a point for decimals and no comma, e.g. "
                                  f"{core.replace(',', '')}")
        if DECIMAL_COMMA.match(core):
            raise AnswerTypeError(f"write the number with a point, e.g. {core.replace(',', '.')}")
        raise AnswerTypeError(f"{_quoted(text)} is not a number I can read: write digits with a point for decimals")
    if core.count(".") > 1:
        raise AnswerTypeError(f"write the number with one point for decimals and no dots between thousands, "
                              f"e.g. {core.replace('.', '')}")
    return core


def parse_number(text: str, unit: str = "") -> float:
    """Read a number a learner typed: '2.4', '30 years', '1,234,567', '2.4 %'. Never guesses: '1,234' and '0,14'
    raise :class:`AnswerTypeError` with what to write instead."""
    cleaned = unicodedata.normalize("NFKC", text).replace("\u2212", "-").replace("\u00a0", " ").replace(
        "\u202f", " ").strip()
    match = NUMBER.match(cleaned)
    if not match or not any(ch.isdigit() for ch in match.group(2)) or not any(ch.isdigit() for ch in text):
        raise AnswerTypeError(f"{_quoted(text)} is not a number")
    sign, core, exponent, rest = match.groups()
    core = _plain_digits(core.strip(), cleaned)
    rest = " ".join(rest.casefold().split())
    if rest and rest not in unit_words(unit):
        wanted = f" (in {unit})" if unit else ""
        raise AnswerTypeError(f"write just the number{wanted}, e.g. {core}")
    try:
        value = float(Decimal(sign + core + exponent))
    except (InvalidOperation, ValueError, OverflowError):
        raise AnswerTypeError(f"{_quoted(text)} is not a number") from None
    if not math.isfinite(value):
        raise AnswerTypeError("the number is too large")
    return value


def to_number(answer: Any, unit: str = "") -> float:
    """Read a learner's number (see :func:`parse_number` for text); raise AnswerTypeError otherwise."""
    if isinstance(answer, bool):
        raise AnswerTypeError("a number is expected, not True/False")
    if isinstance(answer, int | float):
        try:
            value = float(answer)
        except OverflowError:
            raise AnswerTypeError("the number is too large") from None
    elif isinstance(answer, str):
        value = parse_number(answer, unit)
    else:
        try:  # numpy and pandas scalars
            value = float(answer)
        except (TypeError, ValueError, OverflowError):
            raise AnswerTypeError(f"a number is expected, not {type(answer).__name__}") from None
    if not math.isfinite(value):
        raise AnswerTypeError("the number is too large" if not math.isnan(value) else "the number must be finite")
    return value


def _as_list(answer: Any, question: Question) -> list[str]:
    if not isinstance(answer, list | tuple):
        raise AnswerTypeError("a list of options is expected")
    items = [str(a) for a in answer]
    unknown = [a for a in items if a not in question.options]
    if unknown:
        raise AnswerTypeError(f"not among the options: {unknown}")
    return items


def tokens(question: Question, answer: Any, step: float | None = None, scheme: str = SCHEME_HASHED) -> list[str]:
    """The tokens an answer produces; the key of a question is ``tokens(question, correct answer)``. ``scheme``:
    the key's, for the text folding it was built with."""
    kind = question.kind
    if kind == "choice":
        if str(answer) not in question.options:
            raise AnswerTypeError(f"{answer!r} is not one of the options")
        return [str(answer)]
    if kind == "multiple":
        chosen = set(_as_list(answer, question))
        return [f"{opt}={int(opt in chosen)}" for opt in question.options]
    if kind == "ordering":
        if isinstance(answer, list | tuple) and any(a is None for a in answer):
            raise AnswerTypeError(f"place all {len(question.options)} items to have the order marked")
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
        value = to_number(answer, question.unit)
        return [_bucket(value, step if step is not None else numeric_step(question))]
    if kind in ("text", "computed"):
        if not isinstance(answer, str | int | float) or isinstance(answer, bool):
            raise AnswerTypeError("a short text is expected")
        return [normalise_text(str(answer), scheme)]
    raise AnswerTypeError(f"{kind} questions have no key")


def _hash(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{token}".encode()).hexdigest()[:20]


def compile_key(question: Question, workbook: str, hashed: bool) -> dict | None:
    """The key of a question with a known ``answer``: its tokens, plain or salted-hashed. A template question has
    none until it is made into one of its variants."""
    if not question.auto_graded or question.generic:
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
    if key["scheme"] in SCHEMES_HASHED:
        return _hash(key["salt"], token) in key["tokens"]
    raise ValueError(f"unknown key scheme {key['scheme']!r}")


def key_for(question: Question, workbook: str) -> dict | None:
    """The key to mark a question with: the built (hashed) key, else one compiled from its plain answer."""
    if question.key is not None:
        return question.key
    if question.answer is not None:
        return compile_key(question, workbook, hashed=False)
    return None
