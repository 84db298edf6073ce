"""Findings for lesson 4, quality beside quantity: publications and citations from the OECD's Scopus-based
indicators (fractional counts, 2010 onwards), beside the World Bank's article counts."""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import economy

__all__ = [
    "QUALITY_ECONOMIES",
    "citation_impact",
    "publication_share_of_world",
    "quality_caveats",
    "quality_passed_us_year",
    "quality_sentence",
    "quality_verdict",
    "top10_rate",
    "top10_rates",
    "top10_share_of_world",
    "world_top10_rate",
]

PUBS = "oecd_publications_citations"
#: The economies compared (EU27_2020 = OECD's EU-27).
QUALITY_ECONOMIES = ("CHN", "USA", "EU27_2020", "JPN", "KOR", "IND")


def _wide(code: str, economies: tuple[str, ...] = QUALITY_ECONOMIES) -> pd.DataFrame:
    return data.series(PUBS, code, iso3=list(economies))


def _last(code: str) -> int:
    return int(_wide(code).dropna(how="all").index.max())


def top10_rates(economies: tuple[str, ...] = QUALITY_ECONOMIES) -> pd.DataFrame:
    """The share of each economy's publications that are among the world's 10 % most-cited (TOP10_X, %), by year."""
    return _wide("TOP10_X", economies)


def top10_rate(iso3: str = "CHN", year: int | None = None) -> float:
    """Share (%) of an economy's publications among the world's 10 % most-cited, one year."""
    return float(top10_rates((iso3,)).loc[year or _last("TOP10_X"), iso3])


def top10_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share (%) of the world's 10 % most-cited publications (TOP10_X_WLD)."""
    return float(_wide("TOP10_X_WLD", (iso3,)).loc[year or _last("TOP10_X_WLD"), iso3])


def publication_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share (%) of the world's publications, fractional counts (FPUBS_X_WLD)."""
    return float(_wide("FPUBS_X_WLD", (iso3,)).loc[year or _last("FPUBS_X_WLD"), iso3])


def citation_impact(iso3: str = "CHN", year: int | None = None) -> float:
    """Normalised citation impact of an economy's publications (NORMCIT_X; world = 100, inferred from the values)."""
    return float(_wide("NORMCIT_X", (iso3,)).loc[year or _last("NORMCIT_X"), iso3])


def world_top10_rate(year: int | None = None, iso3: str = "CHN") -> float:
    """The world's own rate (%): its 10 % most-cited publications over all its publications, implied by one
    economy's counts and shares (count / share of world gives the world total). About 10 by definition: a check
    that the codes mean what their names say."""
    year = year or _last("TOP10_X")
    top = _wide("TOP10FPUBS_NBFRAC", (iso3,)).loc[year, iso3] / (top10_share_of_world(iso3, year) / 100)
    pubs = _wide("FPUBS_NBFRAC", (iso3,)).loc[year, iso3] / (publication_share_of_world(iso3, year) / 100)
    return float(top / pubs * 100)


def quality_passed_us_year(code: str = "TOP10_X_WLD") -> int | None:
    """First year from which China stays above the United States on ``code`` to the end of the data."""
    pair = _wide(code, ("CHN", "USA")).dropna()
    above = pair["CHN"].gt(pair["USA"])
    if not above.iloc[-1]:
        return None
    below = above.index[~above]
    return int(above.index[above.index > below.max()].min()) if len(below) else int(above.index.min())


def quality_sentence() -> str:
    """The takeaway of the quality chart: quantity and citations, each with its year."""
    rates = top10_rates(("CHN", "USA")).dropna()
    first, last = int(rates.index.min()), int(rates.index.max())
    passed = quality_passed_us_year()
    passed_text = (f"above the United States' share every year since {passed}" if passed
                   else "still below the United States' share")
    return (f"In {last}, {rates.loc[last, 'CHN']:.1f} % of China's publications were among the world's 10 % most "
            f"cited ({rates.loc[first, 'CHN']:.1f} % in {first}); for the United States, "
            f"{rates.loc[last, 'USA']:.1f} % ({rates.loc[first, 'USA']:.1f} % in {first}). A share above "
            f"{world_top10_rate(last):.0f} % means cited more than the world's average paper. China's authors wrote "
            f"{publication_share_of_world('CHN', last):.1f} % of the world's publications and "
            f"{top10_share_of_world('CHN', last):.1f} % of its most-cited ones in {last}, {passed_text}; normalised "
            f"citation impact was {citation_impact('CHN', last):.0f} for China and "
            f"{citation_impact('USA', last):.0f} for the United States (world = 100).")


def quality_verdict() -> str:
    """The verdict on quality as well as quantity, computed from the rates."""
    last = _last("TOP10_X")
    china, us, world = top10_rate("CHN", last), top10_rate("USA", last), world_top10_rate(last)
    if china <= world:
        return (f"Not supported on quality: in {last} China's publications were less likely than the world's average "
                "to be among the most cited.")
    first = int(top10_rates(("CHN",)).dropna().index.min())
    early = top10_rate("CHN", first)
    return (f"**Supported on this measure**: in {last} China's papers were more likely than the world average to "
            f"be among the 10 % most cited ({china:.1f} % against {world:.0f} %), close to the rate of "
            f"{economy('USA')} ({us:.1f} %). Quality followed quantity: in {first} the rate was {early:.1f} %, "
            f"{early / world:.1f} times the world average. The caveats below limit how far one measure can go.")


def quality_caveats() -> list[str]:
    """What the citation measures cannot show (from the data package's notes on the file)."""
    last = _last("TOP10_X")
    return [data.resource(PUBS)["caveats"][0],
            f"Recent years rest on short citation windows: papers of {last} have had little time to be cited, and "
            "their rates can change as citations come in.",
            "Counts are fractional: a paper with authors in two economies counts half to each.",
            "The file does not say whether self-citations are excluded; citations from within one country's "
            "literature count like any other. The counts cover only the journals Scopus indexes."]
