"""Question templates: a question written once, with a variant for every parameter set the data allow.

A course defines a :class:`Template` in its findings module: a name, the question kind, the parameter space
(every parameter set for which the data have the values) and ``make(params)``, which computes one variant's
prompt, options, answer and explanation from the data. A workbook asks it like any question,
``wb.ask(id="...", template=findings.NAME, points=..., hints=[...], source="...")``; which variant a learner
sees comes from :mod:`variants`, and :func:`instantiate` turns the template question into that variant's
ordinary :class:`~innovation_course.engine.questions.Question`, marked by the same scoring as every other.
"""

from __future__ import annotations

import importlib
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from . import variants
from .questions import Question, QuestionError, make_question

KINDS = ("choice", "multiple", "numeric", "ordering", "text", "computed")
NAME = re.compile(r"^[a-z][a-z0-9\-]{0,63}$")
PARAM = re.compile(r"^[a-z_][a-z0-9_]{0,31}$")
MAX_PARAMS, MAX_TEXT = 12, 120
_REGISTRY: dict[tuple[str, str], Template] = {}


class TemplateError(ValueError):
    """A template is written wrongly, or asked for parameters outside its space."""


@dataclass(frozen=True)
class Variant:
    """One variant of a template: what the learner reads and the answer computed from the data.
    ``mistakes``: for numbers, (what went wrong, the value it gives), each outside the tolerance."""

    prompt: str
    answer: Any
    explanation: str = ""
    options: tuple[str, ...] = ()
    mistakes: tuple[tuple[str, float], ...] = ()


def params_problem(params: Any) -> str | None:
    """Why ``params`` is not a usable parameter set (a flat JSON object of short scalars), or None."""
    if not isinstance(params, dict) or not 0 < len(params) <= MAX_PARAMS:
        return f"parameters must be an object of 1 to {MAX_PARAMS} values"
    for name, value in params.items():
        if not isinstance(name, str) or not PARAM.match(name):
            return f"parameter name {name!r} is not lower-case letters, digits and '_'"
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                return f"parameter {name!r} is longer than {MAX_TEXT} characters"
        elif isinstance(value, float):
            if not math.isfinite(value):
                return f"parameter {name!r} is not a finite number"
        elif not isinstance(value, int):  # bool is an int
            return f"parameter {name!r} is a {type(value).__name__}, not text or a number"
    return None


def _find(module: str, name: str) -> Template:
    """A template by its module and name (how a template is unpickled in a grading worker)."""
    importlib.import_module(module)
    return _REGISTRY[(module, name)]


class Template:
    """A question with one variant per parameter set; ``space()`` lists the parameter sets (computed from the data
    on first use), ``make(params)`` builds a :class:`Variant`."""

    def __init__(self, name: str, kind: str, space: Callable[[], Iterable[dict]], make: Callable[[dict], Variant],
                 *, title: str, unit: str = "", tolerance: float | None = None,
                 rel_tolerance: float | None = None) -> None:
        if not NAME.match(name):
            raise TemplateError(f"template name {name!r}: lower-case letters, digits and '-'")
        if kind not in KINDS:
            raise TemplateError(f"template {name!r}: kind must be one of {', '.join(KINDS)}")
        self.name, self.kind, self.title, self.unit = name, kind, title, unit
        self.tolerance, self.rel_tolerance = tolerance, rel_tolerance
        self._space, self._make = space, make
        self._made: dict[bytes, Variant] = {}
        self.module = sys._getframe(1).f_globals.get("__name__", "")  # as namedtuple does, for pickling
        _REGISTRY[(self.module, name)] = self

    def __repr__(self) -> str:
        return f"<Template {self.name!r} ({self.kind})>"

    def __reduce__(self):
        return _find, (self.module, self.name)

    def defaults(self) -> dict[str, Any]:
        """What a template question takes from its template unless the workbook says otherwise."""
        found = {"kind": self.kind, "prompt": self.title, "unit": self.unit, "tolerance": self.tolerance,
                 "rel_tolerance": self.rel_tolerance}
        return {name: value for name, value in found.items() if value not in (None, "")}

    # -- the parameter space ---------------------------------------------------------------------------------
    @cached_property
    def params(self) -> tuple[dict, ...]:
        """Every parameter set, in one fixed order (by canonical JSON)."""
        found: dict[bytes, dict] = {}
        for params in self._space():
            problem = params_problem(params)
            if problem:
                raise TemplateError(f"template {self.name!r}: {problem}: {params!r}")
            found[variants.canonical(params)] = dict(params)
        if not found:
            raise TemplateError(f"template {self.name!r}: the data allow no parameter set")
        return tuple(found[k] for k in sorted(found))

    @cached_property
    def encoded(self) -> tuple[bytes, ...]:
        return tuple(variants.canonical(p) for p in self.params)

    @cached_property
    def hashed(self) -> Any:
        return variants.hashes(self.encoded)

    @cached_property
    def _index(self) -> dict[bytes, int]:
        return {item: n for n, item in enumerate(self.encoded)}

    def contains(self, params: Any) -> bool:
        """Whether ``params`` is one of this template's parameter sets."""
        return params_problem(params) is None and variants.canonical(params) in self._index

    def choose(self, identity: str | None, workbook: str, question: str, secret: bytes = b"", draw: int = 0) -> dict:
        """The parameter set of one learner's draw (see :mod:`variants`)."""
        chosen = variants.pick(self.hashed, variants.seed(identity, workbook, question, secret, draw))
        return dict(self.params[chosen])

    def another(self, identity: str | None, workbook: str, question: str, current: dict | None,
                draw: int) -> tuple[int, dict]:
        """The first draw after ``draw`` whose parameters differ from ``current`` (the same when there is one
        parameter set): (that draw, its parameters)."""
        for step in range(draw + 1, draw + 1 + 64):
            params = self.choose(identity, workbook, question, draw=step)
            if params != current or len(self.params) == 1:
                return step, params
        return draw + 1, dict(self.params[(self._index.get(variants.canonical(current or {}), -1) + 1)
                                          % len(self.params)])

    # -- variants --------------------------------------------------------------------------------------------
    def variant(self, params: dict) -> Variant:
        """The variant for ``params`` (computed once), which must be in the space."""
        encoded = variants.canonical(params) if params_problem(params) is None else None
        if encoded is None or encoded not in self._index:
            raise TemplateError(f"template {self.name!r} has no variant for {params!r}")
        if encoded not in self._made:
            made = self._make(dict(params))
            if not isinstance(made, Variant):
                raise TemplateError(f"template {self.name!r}: make() must return a Variant")
            self._made[encoded] = made
        return self._made[encoded]


_FIELDS = tuple(f.name for f in fields(Question) if f.name != "extra")


def instantiate(question: Question, params: dict, draw: int = 0) -> Question:
    """A template question made into one of its variants: an ordinary question, with ``variant`` set to
    ``{"template": name, "params": params}`` (and ``"draw"`` after "Try another"), what its answer records carry."""
    template = question.template
    if not isinstance(template, Template):
        raise TemplateError(f"question {question.id!r} is not a template question")
    made = template.variant(params)
    spec = {name: getattr(question, name) for name in _FIELDS}
    spec.update(prompt=made.prompt, options=made.options, answer=made.answer,
                explanation=made.explanation or question.explanation,
                variant={"template": template.name, "params": dict(params), **({"draw": draw} if draw else {})},
                key=None)
    try:
        return make_question(**spec)
    except QuestionError as error:
        raise TemplateError(f"template {template.name!r}, {params!r}: {error}") from None


def own_variant(question: Question, identity: str | None, workbook: str, secret: bytes = b"") -> Question:
    """The variant of a template question that belongs to ``identity`` (draw 0)."""
    return instantiate(question, question.template.choose(identity, workbook, question.id, secret))


def variant_params(record: dict | None) -> dict | None:
    """The parameters a record says its answer was given for (None when it names none)."""
    found = record.get("variant") if isinstance(record, dict) else None
    params = found.get("params") if isinstance(found, dict) else None
    return params if params_problem(params) is None else None
