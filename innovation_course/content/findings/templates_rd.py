"""Question templates on R&D (workbooks 1 and 2): a variant per learner, every number computed from ``data/``.

Each template's parameters range only over what the data hold: years where every value it reads exists and no
value it compares carries an OECD break-in-series flag (B), economies the file has, rankings without ties.
"""

from __future__ import annotations

import math
from functools import cache
from itertools import combinations

import pandas as pd

from ...engine.templates import Template, Variant
from .. import data
from ..style import label_for
from ..words import economy, possessive
from .policy import TARGET_PCT, TARGET_YEAR, rd_intensity
from .rd import RANKED, basic_research_share, flagged_years, gerd
from .rd_sectors import FUNDERS, PERFORMERS, SECTOR, sector_flags
from .template_kit import as_fraction, numeric_variant, table, year_before

__all__ = ["basic_share_in_year", "gap_to_target", "highest_spender", "intensity_in_year", "sector_share_in_year",
           "spender_order", "spending_multiple"]

#: the sources of China's R&D intensity a learner computes from (the OECD's equals the World Bank's)
INTENSITY_FROM = {"WDI": "the World Bank's WDI (`wdi_rd_expenditure_pct_gdp`)",
                  "NBS": "China's National Bureau of Statistics (`china_provinces_rd`, `v4_ztr_qd_RD`, region CN)"}
PLAN_START = 2006  # the Medium- and Long-Term Plan of 9 Feb 2006 set the 2.5 % target
FIRST_YEAR = 2000  # GERD comparisons start here
#: the same sector as a source of funds: the usual slip of reading who paid for China's R&D, not who did it
FUNDED_AS = {"G_XEB": "G_XFB", "G_XEG": "G_XFG"}
MEASURE_WORDS = {"current": "at current PPP (`G_PPP`)", "constant": "at constant 2020 PPP (`G_PPPCT`)"}


@cache
def _intensities(source: str) -> pd.Series:
    return rd_intensity(source)


def _intensity_of(source: str, year: int) -> float:
    return float(_intensities(source).get(year, float("nan")))


@cache
def _basic_shares() -> pd.Series:
    return basic_research_share().dropna()


def _intensity_space():
    for source in INTENSITY_FROM:
        values = _intensities(source).dropna()
        for year in values.index[values.index >= PLAN_START]:
            yield {"source": source, "year": int(year)}


def _intensity(params: dict) -> Variant:
    source, year = params["source"], params["year"]
    value = _intensity_of(source, year)
    other = "NBS" if source == "WDI" else "WDI"
    side = "below" if value < TARGET_PCT else "at or above"
    return numeric_variant(
        f"Compute China's R&D intensity in {year} according to {INTENSITY_FROM[source]}, in % of GDP.",
        value, f"{source} puts China's R&D spending in {year} at {value:.2f} % of GDP, {side} the 2006 plan's "
               f"{TARGET_PCT:g} % target for {TARGET_YEAR}.",
        [(f"that is {other}'s figure for {year}, not {source}'s", _intensity_of(other, year)),
         year_before(_intensities(source), year, f"figure by {source}")],
        tolerance=0.005)


intensity_in_year = Template(
    "intensity-in-year", "computed", _intensity_space, _intensity, tolerance=0.005, unit="% of GDP",
    title="Compute China's R&D intensity in a given year from a given source, in % of GDP.")


def _gap_space():
    for item in _intensity_space():
        if _intensity_of(item["source"], item["year"]) < TARGET_PCT:
            yield item


def _gap(params: dict) -> Variant:
    source, year = params["source"], params["year"]
    value = _intensity_of(source, year)
    gap = round(TARGET_PCT - value, 6)
    return numeric_variant(
        f"By {source}'s figure, how many percentage points short of the {TARGET_PCT:g} % target was China's R&D "
        f"intensity in {year}?", gap,
        f"{TARGET_PCT:g} minus {source}'s {value:.2f} % for {year}: {gap:.2f} percentage points short.",
        [(f"that is {source}'s intensity itself; subtract it from {TARGET_PCT:g}", value),
         (f"that is the gap by {'NBS' if source == 'WDI' else 'WDI'}'s figure",
          TARGET_PCT - _intensity_of("NBS" if source == "WDI" else "WDI", year))],
        tolerance=0.01)


gap_to_target = Template(
    "gap-to-target", "numeric", _gap_space, _gap, tolerance=0.01, unit="percentage points",
    title=f"How many percentage points short of the {TARGET_PCT:g} % target was China's R&D intensity in a given "
          "year, by a given source?")


@cache
def _values(measure: str) -> dict[int, dict[str, float]]:
    """A GERD measure for China and the economies it is ranked with: year → economy → value (read once; a
    variant is made in microseconds, which matters when a grader makes thousands)."""
    return table(gerd(measure, list(RANKED)))


@cache
def _breaks(measure: str) -> dict[str, frozenset[int]]:
    return {iso3: frozenset(flagged_years(iso3, measure, "B")) for iso3 in RANKED}


def _usable_years(iso3s: tuple[str, ...], measure: str) -> list[int]:
    """Years from FIRST_YEAR where every economy has a value and none is flagged as a break in series."""
    broken = set().union(*(_breaks(measure)[iso3] for iso3 in iso3s))
    return [year for year, row in _values(measure).items()
            if year >= FIRST_YEAR and year not in broken and all(iso3 in row for iso3 in iso3s)]


def _multiple_space():
    for other in RANKED[1:]:
        for year in _usable_years(("CHN", other), "current"):
            yield {"economy": other, "year": year}


def _multiple(params: dict) -> Variant:
    other, year = params["economy"], params["year"]
    row = _values("current")[year]
    ratio = row["CHN"] / row[other]
    more = "more" if ratio > 1 else "less"
    return numeric_variant(
        f"How many times {possessive(other)} was China's R&D spending at current PPP in {year}? Compute China's "
        f"`G_PPP` value divided by {possessive(other)}.", ratio,
        f"China's current-PPP R&D spending in {year} divided by {possessive(other)}: {ratio:.2f}, so China spent "
        f"{more} than {economy(other)}.",
        [(f"that is {possessive(other)} spending divided by China's, the wrong way round", 1 / ratio)],
        rel_tolerance=0.01)


spending_multiple = Template(
    "spending-multiple", "computed", _multiple_space, _multiple, rel_tolerance=0.01, unit="times",
    title="China's R&D spending at current PPP as a multiple of another economy's in a given year.")


def _basic_space():
    for year in _basic_shares().index:
        yield {"year": int(year)}


def _basic(params: dict) -> Variant:
    year = params["year"]
    shares = _basic_shares()
    share, first = float(shares[year]), int(shares.index.min())
    return numeric_variant(
        f"Compute basic research as a percentage of China's total R&D spending in {year}.", share,
        f"Basic research ÷ total R&D spending × 100 for the national total in {year}: {share:.2f} % "
        f"({shares[first]:.2f} % in {first}, the first year of the data).",
        [year_before(shares, year), as_fraction(share)],
        tolerance=0.05)


basic_share_in_year = Template(
    "basic-share-in-year", "computed", _basic_space, _basic, tolerance=0.05, unit="%",
    title="Compute basic research as a percentage of China's total R&D spending in a given year.")


@cache
def _sectors() -> dict[int, dict[str, float]]:
    """China's shares of R&D by performing and funding sector: year → OECD code → % of GERD (read once)."""
    rows = data.load(SECTOR).query("iso3 == 'CHN'")
    return table(rows.pivot(index="year", columns="indicator_code", values="value"))


def _sector_space():
    for code in PERFORMERS:
        broken = set(sector_flags(code, "CHN", "B"))
        for year, row in _sectors().items():
            if code in row and year not in broken:
                yield {"sector": code, "year": year}


def _sector(params: dict) -> Variant:
    code, year = params["sector"], params["year"]
    share = _sectors()[year][code]
    who = PERFORMERS[code]
    funded = FUNDED_AS.get(code)
    by_year = {y: row[code] for y, row in _sectors().items() if code in row}
    return numeric_variant(
        f"What share of China's R&D did {who} perform in {year}, in % (`{SECTOR}`, `{code}`)?", share,
        f"The OECD's `{code}` for China in {year}: {who} performed {share:.1f} % of China's R&D spending.",
        [*([(f"that is the share {FUNDERS[funded]} *funded* (`{funded}`); the question asks who performed it",
             _sectors()[year].get(funded, math.nan))] if funded else []),
         year_before(by_year, year), as_fraction(share)],
        tolerance=0.05)


sector_share_in_year = Template(
    "sector-share-in-year", "computed", _sector_space, _sector, tolerance=0.05, unit="%",
    title="What share of China's R&D did a sector perform in a given year?")


# -- rankings: which spent most, and in what order --------------------------------------------------------------
@cache
def _ranking_space() -> tuple[dict, ...]:
    """China with three of the other economies, a measure and a year where all four have values (no break) and
    no two are equal (the same space for both ranking templates, worked out once)."""
    found = []
    for measure in MEASURE_WORDS:
        for others in combinations(RANKED[1:], 3):
            group = ("CHN", *others)
            for year in _usable_years(group, measure):
                if len({_values(measure)[year][iso3] for iso3 in group}) == len(group):
                    found.append({"economies": ",".join(group), "measure": measure, "year": year})
    return tuple(found)


def _ranked(params: dict) -> list[str]:
    row = _values(params["measure"])[params["year"]]
    return [label_for(iso3) for iso3 in sorted(params["economies"].split(","), key=row.__getitem__, reverse=True)]


def _highest(params: dict) -> Variant:
    order = _ranked(params)
    measure, year = MEASURE_WORDS[params["measure"]], params["year"]
    return Variant(
        prompt=f"Which of these economies spent most on R&D {measure} in {year}?",
        answer=order[0], options=tuple(sorted(order)),
        explanation=f"In {year}, {measure}: {' > '.join(order)} (OECD MSTI, `oecd_gerd_ppp`).")


highest_spender = Template(
    "highest-spender", "choice", _ranking_space, _highest,
    title="Which of four economies spent most on R&D in a given year and measure?")


def _order(params: dict) -> Variant:
    order = _ranked(params)
    measure, year = MEASURE_WORDS[params["measure"]], params["year"]
    return Variant(
        prompt=f"Order these economies by their R&D spending {measure} in {year}, largest first.",
        answer=order, options=tuple(order),
        explanation=f"In {year}, {measure}: {' > '.join(order)} (OECD MSTI, `oecd_gerd_ppp`).")


spender_order = Template(
    "spender-order", "ordering", _ranking_space, _order,
    title="Order four economies by their R&D spending in a given year and measure.")
