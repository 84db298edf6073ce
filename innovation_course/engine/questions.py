"""The question model: what a question is, independent of widgets, keys or grading.

A question is authored in a workbook cell as ``wb.ask(id=..., kind=..., prompt=..., answer=..., ...)``.
The same keywords build a :class:`Question` here, whether they come from a running notebook or from
parsing a saved one (:mod:`innovation_course.spec`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

KINDS = ("choice", "multiple", "numeric", "ordering", "matching", "text", "computed", "free")
KIND_NAMES = {
    "choice": "single choice",
    "multiple": "multiple select",
    "numeric": "number",
    "ordering": "put in order",
    "matching": "matching",
    "text": "short text",
    "computed": "computed from data",
    "free": "free response",
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,63}$")


class QuestionError(ValueError):
    """A question is authored wrongly (raised while building, never while a learner answers)."""


@dataclass(frozen=True)
class Question:
    """One question of a workbook. ``answer`` is only known in the solutions; ``key`` in built workbooks."""

    id: str
    kind: str
    prompt: str
    points: float = 1.0
    options: tuple[str, ...] = ()          # choice, multiple, ordering (items), matching (right-hand choices)
    pairs: tuple[str, ...] = ()            # matching: the left-hand items to match
    unit: str = ""                         # numeric, computed
    tolerance: float | None = None         # numeric, computed: absolute
    rel_tolerance: float | None = None     # numeric, computed: relative (0.01 = 1 %)
    hints: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    answer: Any = None                     # the correct answer (solutions only)
    key: dict | None = None                # the compiled key (see innovation_course.keys)
    rubric: tuple[str, ...] = ()           # free response: marking guide (solutions only)
    extra: dict = field(default_factory=dict)
    template: Any = None                   # a templates.Template: the question has a variant per learner
    variant: dict | None = None            # {"template": name, "params": {...}}: which variant this question is

    @property
    def auto_graded(self) -> bool:
        return self.kind != "free"

    @property
    def generic(self) -> bool:
        """A template question not yet made into one of its variants (it has no prompt or answer of its own)."""
        return self.template is not None and self.variant is None

    @property
    def model_answer(self) -> Any:
        """The answer a teacher's copy shows: the first accepted text, else the answer itself."""
        if self.kind == "text" and isinstance(self.answer, list | tuple):
            return self.answer[0]
        return self.answer

    @property
    def numeric(self) -> bool:
        """Numeric and computed-number questions are marked with a tolerance."""
        return self.kind == "numeric" or (self.kind == "computed" and self.tolerance_given)

    @property
    def tolerance_given(self) -> bool:
        return self.tolerance is not None or self.rel_tolerance is not None

    def tolerance_text(self) -> str:
        """How close an answer must be, in words, for the prompt."""
        if self.tolerance is not None:
            return f"±{self.tolerance:g} {self.unit}".strip()
        if self.rel_tolerance is not None:
            return f"±{self.rel_tolerance * 100:g} %"
        return ""

    def shown_decimals(self) -> int | None:
        """The decimals a number answer is shown with, as the prompt shows the question's tolerance (``±0.05``:
        2) plus one, so an answer is never rounded across the tolerance's edge; None without an absolute one."""
        if self.tolerance is None:
            return None
        written = f"{self.tolerance:g}"
        return (len(written.split(".")[1]) if "." in written and "e" not in written else 0) + 1


def display_order(question_id: str, options: tuple[str, ...] | list[str]) -> list[str]:
    """The order items are shown in: fixed for a question, and never the authored (correct) order."""
    order = sorted(options, key=lambda o: hashlib.sha256(f"{question_id}/{o}".encode()).hexdigest())
    if order == list(options) and len(order) > 1:
        order = order[1:] + order[:1]
    return order


_LIST_FIELDS = ("options", "pairs", "hints", "rubric")
_KNOWN = {f for f in Question.__dataclass_fields__ if f != "extra"}


def make_question(**spec: Any) -> Question:
    """Build and check a question from the keywords of ``wb.ask(...)``."""
    unknown = set(spec) - _KNOWN
    if unknown:
        raise QuestionError(f"question {spec.get('id')!r}: unknown keywords {sorted(unknown)}")
    if spec.get("template") is not None:  # kind, unit, tolerance and a general prompt come from the template
        defaults = getattr(spec["template"], "defaults", None)
        if not callable(defaults):
            raise QuestionError(f"question {spec.get('id')!r}: template must be a Template")
        spec = {**defaults(), **{k: v for k, v in spec.items() if v is not None}}
    for name in ("id", "kind", "prompt"):
        if not spec.get(name):
            raise QuestionError(f"question {spec.get('id')!r}: {name!r} is required")
    for name in _LIST_FIELDS:
        if name in spec:
            spec[name] = tuple(str(v) for v in spec[name])
    question = Question(**spec)
    _check(question)
    return question


def _check(q: Question) -> None:
    where = f"question {q.id!r}"
    if q.generic:
        _check_generic(q)
        return
    if not ID_PATTERN.match(q.id):
        raise QuestionError(f"{where}: ids are lower-case letters, digits, '.' and '-'")
    if q.kind not in KINDS:
        raise QuestionError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if q.points <= 0:
        raise QuestionError(f"{where}: points must be positive")
    if q.kind in ("choice", "multiple", "ordering") and len(q.options) < 2:
        raise QuestionError(f"{where}: needs at least two options")
    if len(set(q.options)) != len(q.options):
        raise QuestionError(f"{where}: options repeat")
    if q.kind == "matching" and (not q.pairs or len(q.options) < 2):
        raise QuestionError(f"{where}: matching needs pairs (left items) and options (right choices)")
    if q.kind == "numeric" and not q.tolerance_given:
        raise QuestionError(f"{where}: a numeric question needs tolerance or rel_tolerance")
    if q.variant is not None and not (isinstance(q.variant, dict) and isinstance(q.variant.get("template"), str)
                                      and isinstance(q.variant.get("params"), dict)):
        raise QuestionError(f"{where}: variant must be {{'template': name, 'params': {{...}}}}")
    if q.answer is not None:
        _check_answer(q)


def _check_generic(q: Question) -> None:
    """A template question as authored: its options and answer come with each variant."""
    where = f"question {q.id!r}"
    if not ID_PATTERN.match(q.id):
        raise QuestionError(f"{where}: ids are lower-case letters, digits, '.' and '-'")
    numbers = {q.kind, q.template.kind} <= {"numeric", "computed"} and q.tolerance_given  # typed or computed
    if q.kind != q.template.kind and not numbers:
        raise QuestionError(f"{where}: template {q.template.name!r} makes {q.template.kind} questions, not {q.kind}")
    if q.points <= 0:
        raise QuestionError(f"{where}: points must be positive")
    if q.answer is not None or q.options or q.key is not None:
        raise QuestionError(f"{where}: a template question takes its options and answer from its template")
    if q.kind == "numeric" and not q.tolerance_given:
        raise QuestionError(f"{where}: a numeric question needs tolerance or rel_tolerance")


def _check_answer(q: Question) -> None:
    where = f"question {q.id!r}"
    a = q.answer
    if q.kind == "choice" and a not in q.options:
        raise QuestionError(f"{where}: answer {a!r} is not one of the options")
    if q.kind == "multiple" and (not isinstance(a, list | tuple) or not set(a) <= set(q.options) or not a):
        raise QuestionError(f"{where}: answer must be a non-empty list of options")
    if q.kind == "ordering" and sorted(a) != sorted(q.options):
        raise QuestionError(f"{where}: answer must order exactly the options")
    if q.kind == "matching" and (set(a) != set(q.pairs) or not set(a.values()) <= set(q.options)):
        raise QuestionError(f"{where}: answer must map every pair to one of the options")
    if q.kind == "text" and (not isinstance(a, list | tuple) or not a):
        raise QuestionError(f"{where}: answer must be a list of accepted answers")
    if q.numeric and not isinstance(a, int | float):
        raise QuestionError(f"{where}: answer must be a number")
