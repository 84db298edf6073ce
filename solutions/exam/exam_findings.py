"""The exam bank's own question templates: quantities the public workbooks never ask, so nothing in the learner
edition computes their answers. This module stays with the teacher (solutions/ is never released, and
``release`` refuses an edition that holds it); exam copies ask each learner's variant in literals.

Every number comes from ``data/`` through the course's findings; the parameters range only over what the data
hold (no OECD break in series inside a span, no ties in a ranking).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from innovation_course.content.findings import flagged_years, gerd, pct_series
from innovation_course.content.findings.rd import RANKED
from innovation_course.content.findings.technology import PCT_ECONOMIES, PCT_TECHNOLOGIES
from innovation_course.content.style import label_for
from innovation_course.content.words import economy, possessive
from innovation_course.engine.templates import Template, Variant

SPAN = 5            # years between the start and the end of a growth question
FIRST_YEAR = 2000
PCT_FROM = 2010


@cache
def _wide(measure: str) -> pd.DataFrame:
    return gerd(measure, list(RANKED))


@cache
def _breaks(measure: str, iso3: str) -> frozenset[int]:
    return frozenset(flagged_years(iso3, measure, "B"))


def _spans(measure: str):
    """(economy, start, end): SPAN years apart, both values present, no break in series after the start."""
    wide = _wide(measure)
    for iso3 in RANKED:
        values = wide[iso3].dropna()
        for start in values.index:
            end = start + SPAN
            if start >= FIRST_YEAR and end in values.index and not any(start < y <= end
                                                                         for y in _breaks(measure, iso3)):
                yield {"economy": iso3, "start": int(start), "end": int(end)}


def _growth(params: dict) -> Variant:
    iso3, start, end = params["economy"], params["start"], params["end"]
    first, last = _wide("constant").loc[start, iso3], _wide("constant").loc[end, iso3]
    rate = ((last / first) ** (1 / (end - start)) - 1) * 100
    return Variant(
        prompt=(f"By what average annual rate (compound) did {possessive(iso3)} R&D spending at constant 2020 PPP "
                f"(`G_PPPCT` in `oecd_gerd_ppp`) grow from {start} to {end}? In % a year."),
        answer=float(rate),
        explanation=f"({last:,.0f} / {first:,.0f}) ** (1/{end - start}) − 1 = {rate:.2f} % a year.")


gerd_growth = Template("exam-gerd-growth", "numeric", lambda: _spans("constant"), _growth, tolerance=0.05,
                       unit="% a year",
                       title="Average annual growth of an economy's R&D spending at constant PPP over five years.")


def _change(params: dict) -> Variant:
    iso3, start, end = params["economy"], params["start"], params["end"]
    first, last = _wide("intensity").loc[start, iso3], _wide("intensity").loc[end, iso3]
    return Variant(
        prompt=(f"By how many percentage points did {possessive(iso3)} R&D intensity (`G_XGDP` in `oecd_gerd_ppp`, "
                f"% of GDP) change from {start} to {end}? A fall is negative."),
        answer=float(last - first),
        explanation=f"{last:.3f} − {first:.3f} = {last - first:+.3f} percentage points ({economy(iso3)}).")


intensity_change = Template("exam-intensity-change", "numeric", lambda: _spans("intensity"), _change,
                            tolerance=0.01, unit="percentage points",
                            title="Change in an economy's R&D intensity over five years, in percentage points.")


@cache
def _pct(code: str) -> pd.DataFrame:
    return pct_series(code, list(PCT_ECONOMIES)).dropna()


def _leader_space():
    for code in PCT_TECHNOLOGIES:
        wide = _pct(code)
        for year in wide.index:
            if year >= PCT_FROM and wide.loc[year].nunique() == len(PCT_ECONOMIES):
                yield {"technology": code, "year": int(year)}


def _leader(params: dict) -> Variant:
    code, year = params["technology"], params["year"]
    row = _pct(code).loc[year].sort_values(ascending=False)
    names = [label_for(iso3) for iso3 in row.index]
    what = ("PCT applications in all technologies" if code == "PCTTOT_NB"
            else f"{PCT_TECHNOLOGIES[code]} PCT applications")
    return Variant(
        prompt=f"Inventors in which economy filed the most {what} (`{code}`) in priority year {year}?",
        answer=names[0], options=tuple(sorted(names)),
        explanation=f"{year}: " + " > ".join(f"{n} ({v:,.0f})" for n, v in zip(names, row, strict=True)) + ".")


pct_leader = Template("exam-pct-leader", "choice", _leader_space, _leader,
                      title="Which economy filed the most PCT applications in a technology and priority year?")
