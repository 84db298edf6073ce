"""Findings for lesson 1, the policy framework: the milestones and the 2006 plan's R&D target, checked.

The Medium- and Long-Term Plan for S&T Development 2006–2020 (9 Feb 2006) set a target of R&D spending at
2.5 % of GDP by 2020 (data/facts.md, milestones table; the number is the reported figure ``mlp2006_rd_target``).
Two sources measure China's R&D intensity: the
World Bank's WDI (identical to OECD's G_XGDP for China) and China's National Bureau of Statistics (NBS, in
the provincial file's national total). Every number here is read from ``data/``.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from .reported import reported

__all__ = [
    "INTENSITY_SOURCES",
    "MIC2025_SECTORS",
    "MIC2025_SECTORS_IN_ESSAY",
    "TARGET_PCT",
    "TARGET_YEAR",
    "intensity_table",
    "mic2025_table",
    "milestone_count",
    "milestone_kind_table",
    "milestone_year",
    "milestone_years",
    "milestones_sentence",
    "rd_intensity",
    "rd_intensity_sources",
    "target_gap",
    "target_sentence",
    "target_verdict",
    "year_target_reached",
    "years_between_milestones",
]

#: The 2006 plan's target: R&D at 2.5 % of GDP by 2020 (data/facts.md, reported figure mlp2006_rd_target).
TARGET_PCT = reported("mlp2006_rd_target")
TARGET_YEAR = 2020

#: Where China's R&D intensity comes from: source name → (resource, indicator code, region/iso3 column).
INTENSITY_SOURCES = {
    "WDI": ("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS"),
    "OECD": ("oecd_gerd_ppp", "G_XGDP"),
    "NBS": ("china_provinces_rd", "v4_ztr_qd_RD"),
}

#: The ten priority sectors of Made in China 2025 (State Council, Guo Fa [2015] No. 28; facts.md claim 1).
MIC2025_SECTORS = (
    "New-generation information technology",
    "High-end numerical control machine tools and robotics",
    "Aerospace and aviation equipment",
    "Ocean engineering equipment and high-tech ships",
    "Advanced rail transport equipment",
    "Energy-saving and new energy vehicles",
    "Power equipment",
    "Agricultural machinery and equipment",
    "New materials",
    "Biomedicine and high-performance medical devices",
)
#: The five the essay "China Innovation-based Development" names.
MIC2025_SECTORS_IN_ESSAY = ("information technology", "robotics", "aerospace", "new energy vehicles",
                            "biotechnology")
#: Which of the ten each of the essay's five words refers to (an index into MIC2025_SECTORS).
_ESSAY_MATCH = {0: "information technology", 1: "robotics", 2: "aerospace", 5: "new energy vehicles",
                9: "biotechnology"}


def _source(source: str) -> tuple[str, str]:
    try:
        return INTENSITY_SOURCES[source.upper()]
    except KeyError:
        raise ValueError(f"unknown source {source!r}; choose one of {sorted(INTENSITY_SOURCES)}") from None


def rd_intensity(source: str, year: int | None = None) -> pd.Series | float:
    """China's R&D spending as % of GDP from ``source`` ("WDI", "OECD" or "NBS"): the series by year,
    or one year's value (NaN when the source has no figure for that year)."""
    resource, code = _source(source)
    frame = data.load(resource)
    frame = frame[frame["indicator_code"] == code]
    frame = frame[frame["region_code"] == "CN"] if "region_code" in frame else frame[frame["iso3"] == "CHN"]
    values = frame.set_index("year")["value"].astype(float).sort_index()
    values.index = values.index.astype(int)
    values.name = source.upper()
    if year is None:
        return values
    return float(values.get(int(year), float("nan")))


def rd_intensity_sources(sources: tuple[str, ...] = ("WDI", "NBS")) -> pd.DataFrame:
    """China's R&D intensity from several sources side by side (index year, one column per source)."""
    return pd.concat([rd_intensity(s) for s in sources], axis=1).sort_index()


def intensity_table(start: int = 2016, sources: tuple[str, ...] = ("WDI", "OECD", "NBS")) -> pd.DataFrame:
    """China's R&D intensity (% of GDP) by source from ``start``, as text with 2 decimals, "—" where a source has
    no figure (a table to show, not to compute with)."""
    table = rd_intensity_sources(sources).loc[start:]
    return table.map(lambda v: "—" if pd.isna(v) else f"{v:.2f}")


def target_gap(source: str, year: int = TARGET_YEAR, target: float = TARGET_PCT) -> float:
    """The target minus the value, in percentage points (positive: short of the target)."""
    return round(target - rd_intensity(source, year), 6)


def year_target_reached(source: str, target: float = TARGET_PCT) -> int | None:
    """The first year in which ``source`` shows China's R&D intensity at or above ``target``, or None."""
    values = rd_intensity(source)
    reached = values[values.round(10) >= target]
    return int(reached.index[0]) if len(reached) else None


def target_verdict(year: int = TARGET_YEAR, target: float = TARGET_PCT) -> str:
    """"met" or "missed": the verdict on the target in ``year``, the same by every source, else "disputed"."""
    met = {rd_intensity(s, year) >= target for s in ("WDI", "NBS")}
    if len(met) > 1:
        return "disputed"
    return "met" if met.pop() else "missed"


def target_sentence(year: int = TARGET_YEAR, target: float = TARGET_PCT) -> str:
    """The claim check of the 2006 plan's target in one paragraph, computed from the data."""
    parts = []
    for source, name in (("WDI", "World Bank WDI (the same as OECD)"), ("NBS", "China's NBS")):
        value, gap = rd_intensity(source, year), target_gap(source, year, target)
        reached = year_target_reached(source, target)
        when = f"first reaches {target:g} % in {reached}" if reached else f"has not reached {target:g} % yet"
        parts.append(f"{name}: {value:.2f} % in {year}, {gap:.2f} points short; it {when}")
    spread = rd_intensity("NBS", year) - rd_intensity("WDI", year)
    return (f"Target: R&D at {target:g} % of GDP by {year}. " + ". ".join(parts)
            + f". The two sources differ by {spread:.2f} points in {year}. "
            + f"Verdict: target **{target_verdict(year, target)}**"
            + (" by both sources." if target_verdict(year, target) != "disputed" else "."))


def milestone_year(pattern: str) -> int:
    """The year of the first milestone whose text contains ``pattern`` (plain text, any case; never a regex)."""
    table = data.milestones()
    hits = table[table["milestone"].str.casefold().str.contains(pattern.casefold(), regex=False)]
    if hits.empty:
        raise ValueError(f"no milestone matches {pattern!r}")
    return int(hits.sort_values(["year", "month"]).iloc[0]["year"])


def years_between_milestones(first: str, second: str) -> int:
    """Years from the milestone containing ``first`` to the one containing ``second``."""
    return milestone_year(second) - milestone_year(first)


def milestone_count(kind: str | None = None, start: int | None = None, end: int | None = None) -> int:
    """How many milestones of ``kind`` (all kinds when None) fall in the years ``start``–``end``."""
    table = data.milestones()
    if kind:
        table = table[table["kind"] == kind]
    if start is not None:
        table = table[table["year"] >= start]
    if end is not None:
        table = table[table["year"] <= end]
    return len(table)


def mic2025_table() -> pd.DataFrame:
    """The ten priority sectors of Made in China 2025, with the word the essay uses for each ("—": not named)."""
    return pd.DataFrame({
        "Priority sector (State Council, 2015)": MIC2025_SECTORS,
        "Named in the essay as": [_ESSAY_MATCH.get(i, "—") for i in range(len(MIC2025_SECTORS))],
    }, index=pd.RangeIndex(1, len(MIC2025_SECTORS) + 1, name="#"))


def milestone_years() -> tuple[int, int]:
    """The first and last year of the checked milestones."""
    years = data.milestones()["year"]
    return int(years.min()), int(years.max())


def milestone_kind_table() -> pd.DataFrame:
    """How many of the checked milestones are of each kind (a description of the list, not a finding)."""
    counts = data.milestones()["kind"].value_counts()
    return counts.rename_axis("kind").rename("milestones").to_frame()


def milestones_sentence() -> str:
    """What the timeline is: a hand-picked list, so counting its entries measures the list, not the policy."""
    table = data.milestones()
    first, last = milestone_years()
    plans = int((table["kind"] == "plan").sum())
    return (f"The timeline shows {len(table)} milestones from {first} to {last}, {plans} of them plans. They are a "
            "selection: the course's checked facts keep the milestones the two essays name, or that date what "
            "they name, and leave out many others (provincial plans, sector programmes, regulations). "
            "So the chart shows **when** things happened, not **how much** policy there was: more entries after "
            "2012 would say as much about which documents were chosen, and how easy recent ones are to find, "
            "as about the policy itself.")
