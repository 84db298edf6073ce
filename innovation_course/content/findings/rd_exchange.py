"""Findings for lesson 2: R&D spending at market exchange rates against PPP dollars, and why the two views of
"who spends most" differ."""

from __future__ import annotations

import pandas as pd

from .. import data
from .rd import RD_PCT, crossing_year, gerd, gerd_ratio

__all__ = [
    "exchange_rate_explanation",
    "exchange_rate_prompt",
    "exchange_rate_sentence",
    "exchange_rate_table",
    "rd_market_last_year",
    "rd_market_ratio",
    "rd_market_usd",
    "rd_ppp_ratio",
]


# --------------------------------------------------------------------------- market exchange rates

_GDP_USD = ("wdi_gdp", "NY.GDP.MKTP.CD")


def rd_market_usd(iso3: tuple[str, ...] | list[str] = ("CHN", "USA", "JPN", "EUU")) -> pd.DataFrame:
    """R&D spending at market exchange rates, billion current US$: GDP in current US$ (WDI NY.GDP.MKTP.CD) ×
    R&D as % of GDP (WDI GB.XPD.RSDV.GD.ZS) ÷ 100; index year, one column per economy (years with both only)."""
    gdp = data.series(*_GDP_USD, iso3=list(iso3))
    share = data.series(*RD_PCT, iso3=list(iso3))
    return (gdp * share / 100 / 1e9).dropna(how="all")


def rd_market_ratio(a: str = "CHN", b: str = "USA", year: int | None = None) -> float:
    """``a``'s R&D spending at market exchange rates as a multiple of ``b``'s (default: the last common year)."""
    wide = rd_market_usd([a, b]).dropna()
    year = int(year or wide.index.max())
    return float(wide.loc[year, a] / wide.loc[year, b])


def rd_market_last_year(a: str = "CHN", b: str = "USA") -> int:
    """The last year with R&D at market exchange rates for both economies."""
    return int(rd_market_usd([a, b]).dropna().index.max())


def rd_ppp_ratio(a: str = "CHN", b: str = "USA", year: int | None = None) -> float:
    """``a``'s R&D spending at current PPP (OECD G_PPP) as a multiple of ``b``'s."""
    wide = gerd("current", [a, b]).dropna()
    year = int(year or wide.index.max())
    return float(wide.loc[year, a] / wide.loc[year, b])


def exchange_rate_table(year: int | None = None) -> pd.DataFrame:
    """China's R&D spending as a multiple of the United States' under three conversions, one year."""
    year = int(year or rd_market_last_year())
    rows = {
        "market exchange rates (World Bank GDP in US$ × R&D share)": rd_market_ratio("CHN", "USA", year),
        "current PPP (OECD)": rd_ppp_ratio("CHN", "USA", year),
        "constant 2020 PPP (OECD)": gerd_ratio("CHN", "USA", year, "constant"),
    }
    table = pd.Series(rows, name=f"China ÷ United States, {year}").to_frame()
    table.index.name = "conversion"
    return table


def exchange_rate_sentence(year: int | None = None) -> str:
    """Why "second-largest spender" holds at market exchange rates but not at PPP: the numbers and the reason."""
    year = int(year or rd_market_last_year())
    wide = rd_market_usd(["CHN", "USA"])
    market = rd_market_ratio("CHN", "USA", year)
    ppp = rd_ppp_ratio("CHN", "USA", year)
    passed = crossing_year("CHN", "USA", "current")
    latest = int(gerd("current", ["CHN", "USA"]).dropna().index.max())
    passed_text = (f"China passes the United States in {passed} at current PPP (OECD estimates)" if passed
                   else f"China is still below the United States at current PPP in {latest}")
    row = rd_market_usd(["CHN", "USA", "JPN", "EUU"]).loc[year]
    place = {1: "first", 2: "second", 3: "third"}.get(int((row > row["CHN"]).sum()) + 1, "lower")
    verdict = (f"overtaken at PPP ({passed}, OECD estimates); still {place} at exchange rates" if passed
               else f"second at PPP and {place} at exchange rates")
    return (f"At market exchange rates, China spent about {wide.loc[year, 'CHN']:,.0f} billion US dollars on R&D in "
            f"{year} and the United States {wide.loc[year, 'USA']:,.0f} billion: China's spending was "
            f"{market:.2f} times the United States'. At purchasing power parity the same year it was {ppp:.2f} "
            f"times, and {passed_text}. So: **{verdict}**, behind the United States and ahead of Japan and the "
            "European Union. The two measures differ because a yuan buys more in China than its exchange rate "
            "says (researchers' pay, buildings and materials cost less): PPP counts what the money buys, the "
            "exchange rate what it would fetch on the currency market, which matters for buying equipment abroad.")


def exchange_rate_prompt() -> str:
    """The prompt of lesson 2's question on PPP against exchange rates, for the last year with both series."""
    return (f"In {rd_market_last_year()} China's R&D spending was close to the United States' at PPP but about half "
            "of it at market exchange rates. What explains the gap?")


def exchange_rate_explanation() -> str:
    """The explanation of that question: the two ratios, computed, and why the distractors are wrong."""
    year = rd_market_last_year()
    return (f"{year}: China ÷ United States = {rd_ppp_ratio('CHN', 'USA', year):.2f} at current PPP, "
            f"{rd_market_ratio('CHN', 'USA', year):.2f} at market exchange rates. Both series cover all R&D; both "
            "are in current prices; China's GDP is larger at PPP, not smaller.")
