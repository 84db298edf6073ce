"""What the course's question templates share: a numeric variant whose slips are named, and sure spaces.

A numeric variant lists the usual slips (the value a learner gets by dividing the wrong way round, reading the
other source, forgetting to subtract...). Only slips that are wrong beyond the question's tolerance are kept,
and each is named in the explanation ("If you got about 0.52: ..."), so the explanation says what went wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ...engine.templates import Variant

__all__ = ["as_fraction", "decimals_for", "numeric_variant", "slips_outside", "table", "year_before"]


def decimals_for(tolerance: float) -> int:
    """Decimals that show a number to its tolerance (0.005 → 3, 0.05 → 2, 0.02 → 2, 0.5 → 1, 2 → 0)."""
    return max(0, math.ceil(-math.log10(tolerance) - 1e-9)) if tolerance > 0 else 2


def table(frame: Any) -> dict[int, dict[str, float]]:
    """A wide frame (index year) as year → column → value, missing values left out: what templates read, in
    microseconds a variant (a grader makes thousands)."""
    return {int(year): {str(k): float(v) for k, v in row.items() if v == v} for year, row in frame.iterrows()}


def as_fraction(share: float) -> tuple[str, float]:
    """The slip of a percentage given as a fraction."""
    return "that is the share as a fraction; multiply by 100", share / 100


def year_before(values: Mapping[int, float], year: int, what: str = "share") -> tuple[str, float]:
    """The slip of reading the year before (NaN, so left out, when the data have no such year)."""
    return f"that is {year - 1}'s {what}, the year before", float(values.get(year - 1, math.nan))


def _about(value: float, places: int) -> str:
    """A number to ``places`` decimals, or to two significant figures when those decimals would show 0."""
    return f"{value:.2g}" if value and abs(value) < 10 ** -places else f"{value:.{places}f}"


def slips_outside(answer: float, slips: Iterable[tuple[str, float]], tolerance: float | None = None,
                  rel_tolerance: float | None = None) -> tuple[tuple[str, float], ...]:
    """The slips whose value is finite, wrong beyond the tolerance, and not within it of a slip kept before."""
    width = tolerance if tolerance is not None else abs(answer) * (rel_tolerance or 0)
    kept: list[tuple[str, float]] = []
    for what, value in slips:
        value = float(value)
        if not math.isfinite(value) or abs(value - answer) <= width * 1.5:
            continue
        if all(abs(value - other) > width * 1.5 for _, other in kept):
            kept.append((what, value))
    return tuple(kept)


def numeric_variant(prompt: str, answer: float, explanation: str, slips: Iterable[tuple[str, float]] = (), *,
                    tolerance: float | None = None, rel_tolerance: float | None = None) -> Variant:
    """A numeric variant: the answer, its explanation, and the slips kept (named after the explanation)."""
    answer = float(answer)
    if not math.isfinite(answer):
        raise ValueError(f"no value in the data for: {prompt}")
    kept = slips_outside(answer, slips, tolerance, rel_tolerance)
    step = tolerance if tolerance is not None else abs(answer) * (rel_tolerance or 0.01)
    places = decimals_for(step)
    named = " ".join(f"If you got about {_about(value, places)}: {what}." for what, value in kept)
    return Variant(prompt=prompt, answer=answer, explanation=" ".join(p for p in (explanation, named) if p),
                   mistakes=kept)
