"""Findings for lesson 4, what trade data show and hide: the technology content of manufactured exports and of
manufacturing value added (World Bank, to 2022), and who made China's high-tech exports (reported figures on
foreign-invested firms and processing trade)."""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import economy, join
from .reported import reported_row, reported_text

__all__ = [
    "TECH_ECONOMIES",
    "hightech_makers_sentence",
    "tech_content",
    "tech_content_sentence",
    "tech_content_table",
    "tech_last_year",
]

TECH = "wdi_tech_content"
EXPORTS, VALUE_ADDED = "TX.MNF.TECH.ZS.UN", "NV.MNF.TECH.ZS.UN"
#: The economies compared (the file has no world or EU aggregate).
TECH_ECONOMIES = ("CHN", "USA", "JPN", "DEU", "KOR", "IND")


def tech_content(code: str = EXPORTS, economies: tuple[str, ...] = TECH_ECONOMIES) -> pd.DataFrame:
    """Medium- and high-tech products as % of manufactured exports (``TX.MNF.TECH.ZS.UN``) or of manufacturing
    value added (``NV.MNF.TECH.ZS.UN``), by year, one column per economy."""
    return data.series(TECH, code, iso3=list(economies))


def tech_last_year() -> int:
    """The last year of the technology-content series."""
    return int(tech_content().dropna(how="all").index.max())


def tech_content_table(year: int | None = None, economies: tuple[str, ...] = TECH_ECONOMIES) -> pd.DataFrame:
    """Both shares side by side for one year (rows economies), and the gap between them in percentage points."""
    year = year or tech_last_year()
    table = pd.DataFrame({"% of manufactured exports": tech_content(EXPORTS, economies).loc[year],
                          "% of manufacturing value added": tech_content(VALUE_ADDED, economies).loc[year]})
    table["gap (points)"] = table.iloc[:, 0] - table.iloc[:, 1]
    table.index = [economy(iso3).removeprefix("the ") for iso3 in table.index]
    table.index.name = f"medium and high-tech, {year}"
    return table


def tech_content_sentence() -> str:
    """The takeaway of the technology-content chart, each figure with its year."""
    exports, added = tech_content(EXPORTS), tech_content(VALUE_ADDED)
    last = tech_last_year()
    first = int(exports["CHN"].dropna().index.min())
    higher = [economy(i) for i in exports.columns if i != "CHN" and exports.loc[last, i] > exports.loc[last, "CHN"]]
    lower_added = [economy(i) for i in added.columns if i != "CHN" and added.loc[last, i] > added.loc[last, "CHN"]]
    return (f"Medium- and high-tech products were {exports.loc[first, 'CHN']:.1f} % of China's manufactured exports "
            f"in {first} and {exports.loc[last, 'CHN']:.1f} % in {last}, the last year of the data; "
            f"{join(higher) if higher else 'none of the others'} exported a higher share that year. In China's "
            f"manufacturing value added the same industries were {added.loc[last, 'CHN']:.1f} % in {last}, a "
            f"smaller share than in {join(lower_added)}.")


def hightech_makers_sentence() -> str:
    """Who made China's high-tech exports: the reported shares of foreign-invested firms and processing trade."""
    fie07, fie11 = reported_row("fie_hightech_exports_2007"), reported_row("fie_hightech_exports_2011")
    processing = reported_row("processing_hightech_2003")
    return (f"Foreign-invested enterprises made {reported_text('fie_hightech_exports_2007')} according to MOFCOM's "
            f"{fie07['period'].replace(' report', '')} *China Foreign Investment Report*, and "
            f"{reported_text('fie_hightech_exports_2011')} in {fie11['period']} (CSIS, from Chinese statistics, which "
            f"since 2018 give ownership only for \"high-tech new product\" exports). In {processing['period']}, "
            f"{reported_text('processing_hightech_2003')} were traded under processing trade: parts imported, "
            "assembled and shipped out again (Xinhua). These are reported figures, not rows of the course's data.")
