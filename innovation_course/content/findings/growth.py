"""Findings for lesson 5: the claim check on "GDP averaging more than 9 percent per year from the 1980s to the
2010s" (Akram, 2024), by decade, with arithmetic and compound means and the Maddison Project's alternative GDP
series."""

from __future__ import annotations

import math

import pandas as pd

from .. import data

__all__ = [
    "DECADES",
    "GROWTH_CLAIM_THRESHOLD",
    "MEANS",
    "SOURCES",
    "decade_growth",
    "decades_above",
    "decades_by_growth",
    "growth_by_decade",
    "growth_claim_sentence",
    "growth_claim_verdict",
    "growth_period",
    "growth_period_sentence",
    "growth_series",
    "growth_sources",
    "growth_sources_sentence",
]

GDP, GROWTH = "wdi_gdp", "NY.GDP.MKTP.KD.ZG"
MADDISON, MADDISON_GDP = "maddison2020_gdp", "MPD2020_gdp_owid"

#: The decades of Akram's claim ("from the 1980s to the 2010s").
DECADES = (1980, 1990, 2000, 2010)
#: "GDP averaging more than 9 percent per year" (Akram, 2024).
GROWTH_CLAIM_THRESHOLD = 9.0
SOURCES = {"WDI": "World Bank WDI", "Maddison": "Maddison Project 2020"}
MEANS = ("arithmetic", "compound")


def _pct(value: float, threshold: float = GROWTH_CLAIM_THRESHOLD) -> str:
    """A growth rate with one decimal, or two when one would hide which side of the threshold it is on."""
    one = f"{value:.1f}"
    if (float(one) > threshold) != (value > threshold) or float(one) == threshold:
        return f"{value:.2f} %"
    return f"{one} %"


# --------------------------------------------------------------------------- growth claim


def growth_series(source: str = "WDI", iso3: str = "CHN") -> pd.Series:
    """Annual real GDP growth, % a year: the World Bank's NY.GDP.MKTP.KD.ZG (``"WDI"``) or computed from the
    Maddison Project's GDP levels (``"Maddison"``; ends 2018)."""
    if source == "WDI":
        wide = data.series(GDP, GROWTH, iso3=[iso3])
        return wide[iso3].dropna().rename(f"{iso3} GDP growth, WDI")
    if source == "Maddison":
        level = _maddison_level(iso3)
        growth = (level / level.shift(1) - 1) * 100
        return growth.dropna().rename(f"{iso3} GDP growth, Maddison")
    raise ValueError(f"source must be one of {sorted(SOURCES)}")


def _maddison_level(iso3: str) -> pd.Series:
    wide = data.series(MADDISON, MADDISON_GDP, iso3=[iso3])
    level = wide[iso3].dropna()
    years = level.index
    if len(years) and (years.max() - years.min() + 1) != len(years):
        raise ValueError(f"Maddison GDP for {iso3} has gaps; growth rates would span several years")
    return level


def growth_sources(start: int = 1978, end: int | None = None) -> pd.DataFrame:
    """China's annual GDP growth in the official (World Bank) and the Maddison Project series, side by side,
    over the years both cover (from ``start``)."""
    official, maddison = growth_series("WDI"), growth_series("Maddison")
    end = int(end or min(official.index.max(), maddison.index.max()))
    return pd.DataFrame({"Official (World Bank)": official, "Maddison Project": maddison}).loc[start:end]


def growth_sources_sentence(start: int = 1978, end: int | None = None) -> str:
    """The takeaway of the official-against-Maddison chart."""
    both = growth_sources(start, end).dropna()
    first, last = int(both.index.min()), int(both.index.max())
    official = growth_period(first, last, "compound", "WDI")
    maddison = growth_period(first, last, "compound", "Maddison")
    higher = int((both.iloc[:, 0] > both.iloc[:, 1]).sum())
    factor_o = (1 + official / 100) ** (last - first + 1)
    factor_m = (1 + maddison / 100) ** (last - first + 1)
    return (f"From {first} to {last}, China's GDP grew {official:.1f} % a year in the official series and "
            f"{maddison:.1f} % in the Maddison Project's (compound means). Over these {len(both)} years the economy "
            f"grew {factor_o:.0f}-fold in one series and {factor_m:.0f}-fold in the other; the official rate is "
            f"the higher in {higher} of them.")


def growth_period(start: int, end: int, mean: str = "arithmetic", source: str = "WDI", iso3: str = "CHN") -> float:
    """Average annual GDP growth (%) over the years ``start``–``end`` (both included).

    ``"arithmetic"``: the plain average of the annual rates. ``"compound"``: the one steady rate that gives
    the same total growth, ((1 + g₁)…(1 + gₙ))^(1/n) − 1. Years the data lack are left out.
    """
    if mean not in MEANS:
        raise ValueError(f"mean must be one of {MEANS}")
    rates = growth_series(source, iso3).loc[start:end]
    if rates.empty:
        return float("nan")
    if mean == "arithmetic":
        return float(rates.mean())
    return float((math.prod(1 + rates / 100) ** (1 / len(rates)) - 1) * 100)


def decade_growth(decade: int, mean: str = "arithmetic", source: str = "WDI", iso3: str = "CHN") -> float:
    """Average annual GDP growth (%) in a decade (1980 = the years 1980–1989)."""
    return growth_period(decade, decade + 9, mean, source, iso3)


def growth_by_decade(decades: tuple[int, ...] = DECADES, iso3: str = "CHN") -> pd.DataFrame:
    """Average annual GDP growth by decade: WDI arithmetic and compound means, Maddison compound mean."""
    columns = {
        "WDI, arithmetic mean": ("arithmetic", "WDI"),
        "WDI, compound mean": ("compound", "WDI"),
        "Maddison, compound mean": ("compound", "Maddison"),
    }
    table = pd.DataFrame({name: [decade_growth(d, mean, source, iso3) for d in decades]
                          for name, (mean, source) in columns.items()},
                         index=pd.Index([f"{d}s" for d in decades], name="decade"))
    return table


def decades_above(threshold: float = GROWTH_CLAIM_THRESHOLD, mean: str = "arithmetic", source: str = "WDI",
                  decades: tuple[int, ...] = DECADES) -> int:
    """How many of the decades averaged more than ``threshold`` % growth a year."""
    return sum(decade_growth(d, mean, source) > threshold for d in decades)


def decades_by_growth(mean: str = "arithmetic", source: str = "WDI", decades: tuple[int, ...] = DECADES
                      ) -> list[str]:
    """The decades ("1980s", ...) from the fastest average growth to the slowest."""
    ranked = sorted(decades, key=lambda d: decade_growth(d, mean, source), reverse=True)
    return [f"{d}s" for d in ranked]


def growth_period_sentence(start: int, end: int, mean: str = "arithmetic", source: str = "WDI") -> str:
    """One sentence on average growth over a period, compared with the claim's 9 %."""
    rates = growth_series(source).loc[start:end]
    if rates.empty:
        return f"The {SOURCES[source]} series has no growth rates for {start}–{end}."
    first, last = int(rates.index.min()), int(rates.index.max())
    value = growth_period(start, end, mean, source)
    side = "above" if value > GROWTH_CLAIM_THRESHOLD else "not above"
    above = int((rates > GROWTH_CLAIM_THRESHOLD).sum())
    return (f"{SOURCES[source]}, {first}–{last}: China's GDP grew {_pct(value)} a year ({mean} mean), "
            f"{side} the claim's {GROWTH_CLAIM_THRESHOLD:g} %; growth exceeded {GROWTH_CLAIM_THRESHOLD:g} % in "
            f"{above or 'none'} of these {len(rates)} years.")


def growth_claim_sentence() -> str:
    """The claim check's evidence: decade by decade, arithmetic and compound, WDI and Maddison."""
    table = growth_by_decade()
    arith, comp, madd = (table[c] for c in table.columns)
    listed = ", ".join(f"{d} {_pct(v)}" for d, v in arith.items())
    whole = growth_period(DECADES[0], DECADES[-1] + 9)
    madd_last = int(growth_series("Maddison").index.max())
    gap = float((arith - comp).abs().max())
    return (f"World Bank data, arithmetic means of annual growth: {listed}. Over 1980–2019 as a whole: "
            f"{_pct(whole)}. Compound means differ from them by at most {gap:.2f} points. "
            f"{decades_above()} of the {len(DECADES)} decades averaged more than "
            f"{GROWTH_CLAIM_THRESHOLD:g} %. The Maddison Project's alternative estimate (to {madd_last}) gives "
            f"{', '.join(f'{d} {_pct(v)}' for d, v in madd.items())} (compound).")


def growth_claim_verdict() -> str:
    """The verdict on "more than 9 percent per year from the 1980s to the 2010s", computed from the data."""
    whole = growth_period(DECADES[0], DECADES[-1] + 9)
    above = decades_above()
    if above == len(DECADES):
        return "Supported: every decade from the 1980s to the 2010s averaged more than 9 % in the official data."
    below = [f"{d}s" for d in DECADES if decade_growth(d) <= GROWTH_CLAIM_THRESHOLD]
    overall = "true" if whole > GROWTH_CLAIM_THRESHOLD else "not true"
    return (f"Partly supported: {overall} on average over 1980–2019 ({_pct(whole)} in the official data), but not "
            f"of every decade ({', '.join(below)} below {GROWTH_CLAIM_THRESHOLD:g} %), and not in the Maddison "
            f"Project's alternative estimate, where no decade reaches {GROWTH_CLAIM_THRESHOLD:g} %."
            if decades_above(source="Maddison", mean="compound") == 0 else
            f"Partly supported: {overall} on average over 1980–2019 ({_pct(whole)}), but not of every decade "
            f"({', '.join(below)} below {GROWTH_CLAIM_THRESHOLD:g} %).")
