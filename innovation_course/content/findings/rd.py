"""Findings for lesson 2, R&D investment: intensity, spending in PPP dollars, crossings, researchers, basic research.

OECD's GERD file (``oecd_gerd_ppp``) gives R&D spending in million US dollars at current PPP (``G_PPP``), at
constant 2020 prices and PPP (``G_PPPCT``) and as % of GDP (``G_XGDP``), with the source's observation flags
(B = break in series, E = estimate). China's basic-research share comes from NBS (``china_provinces_rd``,
national total); the data have no comparable figure for other economies. Every number is read from ``data/``.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from ..style import label_for
from ..words import capital, economy, join, possessive

__all__ = [
    "COMPARATORS",
    "GERD",
    "MEASURES",
    "basic_research_sentence",
    "basic_research_share",
    "break_sentence",
    "change_in_year",
    "crossing_sentence",
    "crossing_table",
    "crossing_year",
    "eu_intensity_crossings",
    "eu_intensity_sentence",
    "flagged_years",
    "gerd",
    "gerd_ratio",
    "gerd_value",
    "intensity_sentence",
    "rank",
    "ranks",
    "second_largest_sentence",
    "second_largest_summary",
    "second_largest_years",
    "series_breaks",
]

GERD = "oecd_gerd_ppp"
#: Measure names a lesson uses → OECD codes (the codes are accepted too).
MEASURES = {"current": "G_PPP", "constant": "G_PPPCT", "intensity": "G_XGDP"}
MEASURE_NAMES = {
    "G_PPP": "R&D spending at current PPP",
    "G_PPPCT": "R&D spending at constant 2020 PPP",
    "G_XGDP": "R&D spending as % of GDP",
}
#: The economies China is compared with (OECD codes; EU27_2020 is the EU-27 as of 2020).
COMPARATORS = ("USA", "JPN", "EU27_2020")
#: Economies ranked in "who spends most": the OECD file's areas, without the OECD total.
RANKED = ("CHN", "USA", "JPN", "EU27_2020", "DEU", "KOR", "GBR", "FRA")

_NBS = "china_provinces_rd"
#: R&D expenditure as % of GDP in the World Bank file
RD_PCT = ("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS")
_NBS_TOTAL, _NBS_BASIC = "v4_zh_nbzc_hj", "v4_zh_nbzc_jcyj"


def _code(measure: str) -> str:
    code = MEASURES.get(measure, measure)
    if code not in MEASURE_NAMES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {sorted(MEASURES)} or {sorted(MEASURE_NAMES)}")
    return code


def gerd(measure: str = "current", iso3: tuple[str, ...] | list[str] = ("CHN", *COMPARATORS)) -> pd.DataFrame:
    """One GERD measure as a wide frame: index year, one column per economy (in the order given)."""
    return data.series(GERD, _code(measure), iso3=list(iso3))


def gerd_value(iso3: str, year: int, measure: str = "current") -> float:
    """One economy's value of a GERD measure in one year (NaN when the data have none)."""
    values = gerd(measure, [iso3])[iso3]
    return float(values.get(int(year), float("nan")))


def gerd_ratio(a: str, b: str, year: int, measure: str = "current") -> float:
    """``a``'s value divided by ``b``'s in ``year`` (e.g. China's R&D spending as a multiple of Japan's)."""
    return gerd_value(a, year, measure) / gerd_value(b, year, measure)


def flagged_years(iso3: str, measure: str = "current", flag: str = "B") -> list[int]:
    """Years whose OECD observation status contains ``flag`` (B = break in series, E = estimate)."""
    frame = data.load(GERD)
    rows = frame[(frame["iso3"] == iso3) & (frame["indicator_code"] == _code(measure))]
    status = rows["obs_status"].fillna("").astype(str).str.split("+")
    return sorted(int(y) for y, s in zip(rows["year"], status, strict=True) if flag in s)


def series_breaks(iso3s: tuple[str, ...] | list[str] = ("CHN", *COMPARATORS), measure: str = "current"
                  ) -> dict[str, list[int]]:
    """Series breaks (flag B) per economy, ready for ``charts.line(..., breaks=...)``."""
    return {iso3: flagged_years(iso3, measure, "B") for iso3 in iso3s}


def change_in_year(iso3: str, year: int, measure: str = "constant") -> float:
    """Percentage change of a GERD measure from the year before to ``year``."""
    return (gerd_value(iso3, year, measure) / gerd_value(iso3, int(year) - 1, measure) - 1) * 100


def break_sentence(iso3: str = "CHN", measure: str = "constant") -> str:
    """How much a measure jumps in each break year of an economy's series, against its usual growth."""
    values = gerd(measure, [iso3])[iso3].dropna()
    growth = values.pct_change(fill_method=None).dropna() * 100
    parts = []
    for year in flagged_years(iso3, measure, "B"):
        if year in growth.index:
            others = growth.drop(year).loc[year - 3:year + 3]
            parts.append(f"{year}: {growth[year]:+.1f} % (the three years either side: "
                         f"{others.min():+.1f} % to {others.max():+.1f} %)")
    what = MEASURE_NAMES[_code(measure)]
    return (f"{capital(possessive(iso3))} {what} in the break years, change on the year before: "
            + "; ".join(parts) + ". A break means the method changed that year, so the jump mixes real growth with "
            "the change in measurement.")


def crossing_year(a: str, b: str, measure: str = "current") -> int | None:
    """The first year from which ``a`` stays above ``b`` in every later year with data for both, or None
    when ``a`` is not above ``b`` in the last such year. (If ``a`` is above in every year, the first year.)"""
    both = gerd(measure, [a, b]).dropna()
    above = both[a] > both[b]
    if above.empty or not above.iloc[-1]:
        return None
    below = above[~above]
    after = above.index[above.index > below.index[-1]] if len(below) else above.index
    return int(after[0])


def crossing_table(a: str = "CHN", others: tuple[str, ...] = COMPARATORS,
                   measures: tuple[str, ...] = ("current", "constant", "intensity")) -> pd.DataFrame:
    """The year ``a`` passes each of ``others`` under each measure (rows: measures; "—": not passed)."""
    rows = {MEASURE_NAMES[_code(m)]: {label_for(o): crossing_year(a, o, m) for o in others} for m in measures}
    table = pd.DataFrame(rows).T
    return table.map(lambda y: "—" if y is None or pd.isna(y) else str(int(y)))


def crossing_sentence(a: str, b: str, measure: str = "current") -> str:
    """When ``a`` passes ``b`` under a measure, and whether the crossing year is a break or an estimate."""
    year = crossing_year(a, b, measure)
    what = MEASURE_NAMES[_code(measure)]
    if year is None:
        last = int(gerd(measure, [a, b]).dropna().index[-1])
        return f"By {what}, {economy(a)} is still below {economy(b)} in {last}, the last year with data."
    notes = []
    for iso3 in (a, b):
        if year in flagged_years(iso3, measure, "B"):
            notes.append(f"{year} is a break in {possessive(iso3)} series")
        estimates = flagged_years(iso3, measure, "E")
        if year in estimates:
            every = len(estimates) == len(gerd(measure, [iso3])[iso3].dropna())
            notes.append(f"{possessive(iso3)} figures are OECD estimates in every year" if every
                         else f"{possessive(iso3)} {year} value is an OECD estimate")
    tail = f" ({'; '.join(notes)})" if notes else ""
    return f"By {what}, {economy(a)} passes {economy(b)} in {year} and stays above{tail}."


def ranks(measure: str = "current", iso3: str = "CHN", count_eu: bool = True) -> pd.Series:
    """``iso3``'s rank (1 = largest) among the economies in the OECD file (the EU-27 as one when
    ``count_eu``, else single countries only), in each year where China, the US, Japan and the EU-27 have data."""
    among = [c for c in RANKED if count_eu or c != "EU27_2020"]
    wide = gerd(measure, among).dropna(subset=["CHN", "USA", "JPN", "EU27_2020"][: 4 if count_eu else 3])
    return wide.rank(axis=1, ascending=False, method="min")[iso3].astype(int)


def rank(iso3: str, year: int, measure: str = "current", count_eu: bool = True) -> int:
    """``iso3``'s rank by a GERD measure in ``year`` (see :func:`ranks`)."""
    return int(ranks(measure, iso3, count_eu).loc[int(year)])


def second_largest_years(measure: str = "current", count_eu: bool = True) -> tuple[int, int] | None:
    """The first and last year of China's longest unbroken run as second-largest spender, or None."""
    second = ranks(measure, "CHN", count_eu)
    years = [int(y) for y in second.index[second == 2]]
    runs: list[tuple[int, int]] = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return max(runs, key=lambda r: (r[1] - r[0], r[1])) if runs else None


def second_largest_sentence(measure: str = "current", count_eu: bool = True) -> str:
    """What a measure says of the claim "the world's second-largest spender on R&D after the United States"."""
    what = MEASURE_NAMES[_code(measure)]
    who = "counting the EU-27 as one spender" if count_eu else "counting single countries only"
    span = second_largest_years(measure, count_eu)
    if span is None:
        return f"By {what} ({who}), China is never second in the data."
    series = ranks(measure, "CHN", count_eu)
    latest = int(series.index[-1])
    text = f"By {what} ({who}), China is second, after the United States, from {span[0]} to {span[1]}"
    if span[1] == latest:
        return text + ", the last year with data: the claim holds."
    estimates = [possessive(c) for c in ("CHN", "USA") if latest in flagged_years(c, measure, "E")]
    verb = "values are OECD estimates" if len(estimates) > 1 else "value is an OECD estimate"
    flag = f" ({join(estimates)} {latest} {verb})" if estimates else ""
    if series[latest] == 1:
        return text + f". In {latest}{flag} it is first, ahead of the United States: the claim is out of date."
    return text + f". In {latest}{flag} it ranks {series[latest]}."


def second_largest_summary() -> str:
    """The claim check of "the world's second-largest spender on R&D after the United States", as a list."""
    cases = [("current", True), ("current", False), ("constant", True), ("constant", False)]
    return "\n".join(f"* {second_largest_sentence(m, eu)}" for m, eu in cases)


def intensity_sentence(year: int | None = None, others: tuple[str, ...] = COMPARATORS) -> str:
    """China's R&D intensity in a year against the comparators' (OECD G_XGDP)."""
    wide = gerd("intensity", ["CHN", *others])
    year = int(year or wide["CHN"].dropna().index[-1])
    row = wide.loc[year]
    higher = [f"{economy(o)} ({row[o]:.2f} %)" for o in others if row[o] > row["CHN"]]
    lower = [f"{economy(o)} ({row[o]:.2f} %)" for o in others if row[o] <= row["CHN"]]
    text = f"In {year} China spent {row['CHN']:.2f} % of its GDP on R&D"
    if lower:
        text += f", more than {join(lower)}"
    if higher:
        text += f"{' but' if lower else ','} less than {join(higher)}"
    first = int(wide["CHN"].dropna().index[0])
    return text + f". In {first} it spent {wide.loc[first, 'CHN']:.2f} %."


def basic_research_share(year: int | None = None) -> pd.Series | float:
    """China's basic research as % of its total R&D expenditure (NBS, national total): by year, or one year."""
    frame = data.load(_NBS)
    national = frame[frame["region_code"] == "CN"].pivot(index="year", columns="indicator_code", values="value")
    share = (national[_NBS_BASIC] / national[_NBS_TOTAL] * 100).dropna()
    share.index = share.index.astype(int)
    share.name = "CHN"
    if year is None:
        return share
    return float(share.get(int(year), float("nan")))


def basic_research_sentence() -> str:
    """China's basic-research share in the NBS yearbook, first and last year, checked against the OECD's file."""
    share = basic_research_share()
    first, last = int(share.index[0]), int(share.index[-1])
    frame = data.load("oecd_rd_by_type")
    oecd = frame[(frame["iso3"] == "CHN") & (frame["indicator_code"] == "G_BRXG") & (frame["year"] == last)]
    check = (f"; the OECD's file gives {float(oecd['value'].iloc[0]):.1f} % for {last}, the same split"
             if len(oecd) else "")
    return (f"Basic research was {share[first]:.1f} % of China's R&D spending in {first} and "
            f"{share[last]:.1f} % in {last} in the NBS yearbook{check}.")


# --------------------------------------------------------------------------- which EU?


def eu_intensity_crossings() -> dict[str, int | None]:
    """The year China's R&D intensity passes the EU's and stays above, by source: the OECD's EU-27
    (G_XGDP, EU27_2020) and the World Bank's EU aggregate (GB.XPD.RSDV.GD.ZS, EUU)."""
    wdi = data.series(*RD_PCT, iso3=["CHN", "EUU"]).dropna()
    above = wdi["CHN"] > wdi["EUU"]
    below = above.index[~above]
    wdi_year = (int(above.index[above.index > below.max()].min()) if len(below) else int(above.index.min())
                ) if above.iloc[-1] else None
    return {"OECD EU-27": crossing_year("CHN", "EU27_2020", "intensity"), "World Bank EU": wdi_year}


def eu_intensity_sentence() -> str:
    """Why China passes "the EU" on R&D intensity in different years in lessons 2 and 6: two aggregates."""
    years = eu_intensity_crossings()
    oecd, wdi = years["OECD EU-27"], years["World Bank EU"]
    both = pd.concat([data.series(*RD_PCT, iso3=["EUU"])["EUU"],
                      gerd("intensity", ["EU27_2020"])["EU27_2020"]], axis=1).dropna()
    gap = float((both["EUU"] - both["EU27_2020"]).abs().max())
    china = gerd("intensity", ["CHN"])["CHN"].reindex(both.index)
    between = (oecd or 0) <= both.index
    between &= both.index < (wdi or 0)
    near = ((china - both["EUU"]).abs() <= gap) & ((china - both["EU27_2020"]).abs() <= gap)
    close = both.index[between & near.to_numpy()]
    return (f"China's R&D intensity passes the EU's in {oecd} against the OECD's EU-27 (lesson 2) and in {wdi} "
            f"against the World Bank's EU aggregate (lesson 6). The two publishers compute the EU's figure "
            f"separately and differ by up to {gap:.2f} percentage points; in {len(close)} of the "
            f"{int(between.sum())} years between the two crossings China's intensity was within that margin of "
            "both, so a small difference between two aggregates moves the crossing year. Quote the crossing year "
            "with its source.")
