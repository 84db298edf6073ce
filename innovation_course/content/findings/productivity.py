"""Findings for lesson 5, "does innovation drive growth?": total factor productivity (TFP) and labour productivity
from the Penn World Table 10.01 (to 2019), and GDP per person employed from the World Bank (to 2024)."""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import economy, join

__all__ = [
    "PRODUCTIVITY_ECONOMIES",
    "STRATEGY_YEAR",
    "annual_growth",
    "growth_accounting",
    "innovation_growth_verdict",
    "labour_productivity_ratio",
    "labour_productivity_sentence",
    "productivity_caveats",
    "pwt_last_year",
    "tfp_growth",
    "tfp_index",
    "tfp_level",
    "tfp_sentence",
]

PWT = "pwt1001_productivity"
WDI_LP = ("wdi_labour_productivity", "SL.GDP.PCAP.EM.KD")
#: The economies lesson 5 compares (the Penn World Table has no EU or world aggregate).
PRODUCTIVITY_ECONOMIES = ("CHN", "USA", "JPN", "DEU", "KOR", "IND")


def _strategy_year() -> int:
    """The year of the first milestone that names an innovation-driven development strategy (the 18th Party
    Congress, November 2012, in data/facts.md)."""
    milestones = data.milestones()
    text = milestones["milestone"].str.lower()
    named = milestones[text.str.contains("innovation-driven") & text.str.contains("strateg")]
    return int(named["year"].min())


#: The year innovation-driven development became a national strategy: the lesson splits the series there.
STRATEGY_YEAR = _strategy_year()


def _pwt_table(economies: tuple[str, ...] = PRODUCTIVITY_ECONOMIES) -> pd.DataFrame:
    """Every PWT variable for ``economies`` in one wide table: columns (indicator code, iso3), index year."""
    frame = data.load(PWT)
    frame = frame[frame["iso3"].isin(economies)]
    return frame.pivot(index="year", columns=["indicator_code", "iso3"], values="value").sort_index()


def _pwt(code: str, economies: tuple[str, ...] = PRODUCTIVITY_ECONOMIES) -> pd.DataFrame:
    """One PWT variable: index year, one column per economy (in the order given)."""
    return _pwt_table(economies)[code][list(economies)]


def pwt_last_year() -> int:
    """The last year of the Penn World Table's TFP series (2019 in PWT 10.01)."""
    return int(_pwt("rtfpna").dropna(how="all").index.max())


def annual_growth(values: pd.Series, first: int, last: int) -> float:
    """Compound average growth between two years, in % a year."""
    return float(((values.loc[last] / values.loc[first]) ** (1 / (last - first)) - 1) * 100)


def tfp_index(base: int = STRATEGY_YEAR, start: int = 1990,
              economies: tuple[str, ...] = PRODUCTIVITY_ECONOMIES) -> pd.DataFrame:
    """TFP at constant national prices (PWT rtfpna) rebased to ``base`` = 100, from ``start``: one column per
    economy. The index compares years within an economy, not levels across economies."""
    wide = _pwt("rtfpna", economies)
    return (wide / wide.loc[base] * 100).loc[start:]


def tfp_growth(iso3: str = "CHN", first: int = STRATEGY_YEAR, last: int | None = None) -> float:
    """Average growth of TFP (rtfpna) between two years, % a year."""
    return annual_growth(_pwt("rtfpna", (iso3,))[iso3], first, last or pwt_last_year())


def tfp_level(iso3: str = "CHN", year: int | None = None) -> float:
    """TFP level at current PPPs relative to the United States (PWT ctfp, USA = 1)."""
    return float(_pwt("ctfp", (iso3,)).loc[year or pwt_last_year(), iso3])


def growth_accounting(iso3: str = "CHN", periods: tuple[tuple[int, int], ...] | None = None) -> pd.DataFrame:
    """Average growth (% a year) of output per worker and of what PWT says stands behind it, by period: capital per
    worker, human capital per worker (schooling) and TFP, what is left over. Output is real GDP at constant national
    prices (rgdpna) per person engaged (emp); capital is the capital stock (rnna)."""
    periods = periods or ((2000, STRATEGY_YEAR), (STRATEGY_YEAR, pwt_last_year()))
    table = _pwt_table((iso3,)).xs(iso3, axis=1, level="iso3")
    output, capital = table["rgdpna"] / table["emp"], table["rnna"] / table["emp"]
    schooling, tfp = table["hc"], _pwt("rtfpna", (iso3,))[iso3]
    rows = {f"{a}–{b}": {"output per worker": annual_growth(output, a, b),
                          "capital per worker": annual_growth(capital, a, b),
                          "human capital per worker": annual_growth(schooling, a, b),
                          "TFP": annual_growth(tfp, a, b)} for a, b in periods}
    table = pd.DataFrame(rows).T
    table.index.name = f"{economy(iso3)}, % a year"
    return table


def _rate(value: float) -> str:
    """"grew 1.8 % a year" or "fell 0.5 % a year"."""
    return f"{'grew' if value >= 0 else 'fell'} {abs(value):.1f} % a year"


def tfp_sentence(economies: tuple[str, ...] = PRODUCTIVITY_ECONOMIES) -> str:
    """The takeaway of the TFP chart: China's TFP before and after the strategy year, against its peers."""
    last, base = pwt_last_year(), STRATEGY_YEAR
    table = growth_accounting("CHN")
    before, after = table.iloc[0], table.iloc[1]
    tfp = _pwt("rtfpna", economies)
    index = (tfp["CHN"] / tfp.loc[base, "CHN"] * 100).loc[base:]
    peak = int(index.idxmax())
    others = {iso3: annual_growth(tfp[iso3], base, last) for iso3 in economies if iso3 != "CHN"}
    rising = [economy(iso3) for iso3, rate in others.items() if rate > 0]
    return (f"In the Penn World Table, China's total factor productivity (TFP) {_rate(before['TFP'])} in "
            f"{table.index[0]} and {_rate(after['TFP'])} in {table.index[1]}: with {base} = 100, it reached "
            f"{index[peak]:.1f} in {peak} and was {index[last]:.1f} in {last}, the last year of the data. Over "
            f"{base}–{last} TFP grew in {len(rising)} of the {len(others)} other economies shown"
            + (f" ({join(rising)})" if rising else "") + f". China's output per worker still grew "
            f"{after['output per worker']:.1f} % a year in {table.index[1]}, and its capital per worker "
            f"{after['capital per worker']:.1f} % a year.")


def labour_productivity_ratio(iso3: str = "CHN", other: str = "USA") -> pd.Series:
    """GDP per person employed (World Bank, constant 2021 PPP $) of ``iso3`` as a share of ``other``'s, by year."""
    wide = data.series(*WDI_LP, iso3=[iso3, other])
    return (wide[iso3] / wide[other]).dropna().rename(f"{iso3} / {other}")


def labour_productivity_sentence(first: int | None = None) -> str:
    """GDP per person employed to 2024 (World Bank): the years the Penn World Table does not reach."""
    wide = data.series(*WDI_LP, iso3=["CHN", "USA"]).dropna()
    last = int(wide.index.max())
    first = first or pwt_last_year()
    ratio = wide["CHN"] / wide["USA"]
    start = int(wide.index.min())
    china, us = annual_growth(wide["CHN"], first, last), annual_growth(wide["USA"], first, last)
    return (f"GDP per person employed (World Bank, constant 2021 PPP dollars): China {wide.loc[last, 'CHN']:,.0f} "
            f"in {last}, {ratio[last]:.2f} of the United States' ({ratio[start]:.2f} in {start}, "
            f"{ratio[first]:.2f} in {first}). From {first} to {last} it grew "
            f"{china:.1f} % a year in China and {us:.1f} % in the United States. These "
            f"data reach {last}; the TFP series stop in {pwt_last_year()}, so what share of the growth since then "
            "came from TFP cannot be computed from open data.")


def productivity_caveats() -> list[str]:
    """What the TFP evidence cannot show (each caveat from the data package or the data)."""
    china = _pwt("rtfpna", ("CHN",))["CHN"]
    last, base = pwt_last_year(), STRATEGY_YEAR
    flat_until = int(china.loc[base:].index[china.loc[base:] >= china[base]].max())
    return [f"The series end in {last}: PWT 11.0, with data to 2023, could not be fetched, and no other open TFP "
            "series for China reaches 2024.",
            "TFP is a residual: what is left of output growth after labour, schooling and capital are counted. It "
            "moves with how capital stocks, labour shares and GDP are measured; alternative estimates of China's GDP "
            "(Lesson 5, section 5) would give another TFP.",
            f"Much of the fall comes at the end: China's index was at or above its {base} level until {flat_until} "
            f"and {china[last] / china[base] * 100:.1f} in {last}. A verdict that rests on the last years of a "
            "residual should be held loosely.",
            "The index compares years within an economy. Levels across economies (TFP relative to the United States "
            "at current PPPs) are less certain still."]


def innovation_growth_verdict() -> str:
    """The verdict on "innovation-led growth", computed from the TFP growth after the strategy year."""
    last, base = pwt_last_year(), STRATEGY_YEAR
    rate = tfp_growth("CHN", base, last)
    table = growth_accounting("CHN")
    capital = table.iloc[1]["capital per worker"]
    if rate <= 0:
        head = (f"Not supported by the data to {last}: China's measured TFP did not rise after {base} "
                f"({_rate(rate)} over {base}–{last}), while capital per worker grew {capital:.1f} % a year. "
                "On this measure, output per worker grew because workers had more capital and more schooling, not "
                "because they produced more with what they had.")
    elif rate < table.iloc[0]["TFP"]:
        head = (f"Partly supported by the data to {last}: China's TFP grew ({rate:+.1f} % a year over "
                f"{base}–{last}), but more slowly than before {base}.")
    else:
        head = f"Supported by the data to {last}: China's TFP grew faster after {base} ({rate:+.1f} % a year)."
    return head + f" Since {last}: cannot be checked with open TFP data."
