"""Findings for lesson 2: researchers, as full-time equivalents (OECD) and per million people (World Bank), with
the breaks in their series."""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import economy, join

__all__ = [
    "researcher_breaks",
    "researchers",
    "researchers_per_million",
    "researchers_per_million_sentence",
    "researchers_sentence",
]


def researchers(iso3: tuple[str, ...] | list[str] = ("CHN", "USA", "JPN", "EU27_2020")) -> pd.DataFrame:
    """Researchers (full-time equivalents, OECD TP_RS), one column per economy."""
    return data.series("oecd_researchers_fte", "TP_RS", iso3=list(iso3))


def researcher_breaks(iso3s: tuple[str, ...] | list[str] = ("CHN", "USA", "JPN", "EU27_2020")
                      ) -> dict[str, list[int]]:
    """Series breaks (OECD flag B) in the researchers file, per economy, for ``charts.line(..., breaks=...)``."""
    frame = data.load("oecd_researchers_fte")
    out = {}
    for iso3 in iso3s:
        rows = frame[frame["iso3"] == iso3]
        out[iso3] = sorted(int(y) for y, s in zip(rows["year"], rows["obs_status"].fillna(""), strict=True)
                           if "B" in str(s).split("+"))
    return out


def researchers_sentence() -> str:
    """China's researchers (FTE): the latest count against the US and the EU-27, and the 2009 break."""
    wide = researchers(["CHN", "USA", "EU27_2020"])
    year = int(wide.dropna().index[-1])
    china = wide["CHN"].dropna()
    text = (f"In {year} China counted {wide.loc[year, 'CHN'] / 1e6:.2f} million full-time-equivalent "
            f"researchers, the United States {wide.loc[year, 'USA'] / 1e6:.2f} million and the EU-27 "
            f"{wide.loc[year, 'EU27_2020'] / 1e6:.2f} million")
    breaks = [b for b in researcher_breaks(["CHN"])["CHN"] if b - 1 in china.index]
    for b in breaks:
        change = (china[b] / china[b - 1] - 1) * 100
        text += f"; China's series breaks in {b} (the count changes by {change:+.0f} % in that year)"
    return text + "."


# --------------------------------------------------------------------------- researchers per million

_RESEARCHERS_PM = ("wdi_researchers_rd", "SP.POP.SCIE.RD.P6")


def researchers_per_million(iso3: tuple[str, ...] | list[str] = ("CHN", "USA", "JPN", "KOR", "EUU")
                            ) -> pd.DataFrame:
    """Researchers in R&D per million people (WDI SP.POP.SCIE.RD.P6): index year, one column per economy."""
    return data.series(*_RESEARCHERS_PM, iso3=list(iso3))


def researchers_per_million_sentence(others: tuple[str, ...] = ("USA", "JPN", "KOR", "EUU")) -> str:
    """China's researchers per million people against other economies, each at its latest year."""
    wide = researchers_per_million(["CHN", *others])
    china = wide["CHN"].dropna()
    year = int(china.index[-1])
    parts = []
    for other in others:
        values = wide[other].dropna()
        last = int(values.index[-1])
        parts.append(f"{economy(other)} {values.iloc[-1]:,.0f} ({last})")
    first = int(china.index[0])
    return (f"China had {china.iloc[-1]:,.0f} researchers per million people in {year}, up from {china.iloc[0]:,.0f} "
            f"in {first}; {join(parts)}. China's total is large because its population is: per person it has "
            "fewer researchers than the other economies shown.")
