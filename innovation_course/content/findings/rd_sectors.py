"""Findings for lesson 2: who performs and who funds R&D, basic research against the 14th plan's target, how
solid the 2024 PPP lead is, and firms as cases.

OECD's Main Science and Technology Indicators by sector (``oecd_rd_by_sector``: G_XE* who performs R&D, G_XF* who
funds it, % of GERD; B_XF* who funds business R&D, % of BERD; B_PPP business R&D in PPP dollars) and by type of
research (``oecd_rd_by_type``: G_BRXG basic research, % of GERD). Business R&D (BERD) includes state-owned firms,
and "financed by government" counts direct funding only: no open data split either further. Firm figures are
reported figures (data/facts.md). Every number is read from ``data/``.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import economy, join, possessive
from . import rd
from .reported import _number, reported, reported_text

__all__ = [
    "FUNDERS",
    "PEERS",
    "PERFORMERS",
    "basic_peers_explanation",
    "basic_share",
    "basic_target_gap",
    "basic_target_sentence",
    "berd_sentence",
    "business_share",
    "business_share_explanation",
    "business_share_sentence",
    "firms_sentence",
    "funding_sentence",
    "funding_table",
    "government_funds_business_sentence",
    "performer_table",
    "ppp_lead",
    "ppp_lead_sentence",
    "sector_flags",
    "sector_value",
    "text_table",
]

SECTOR, TYPE = "oecd_rd_by_sector", "oecd_rd_by_type"
#: Who performs R&D: OECD code → sector (% of GERD).
PERFORMERS = {"G_XEB": "business enterprises", "G_XEG": "government", "G_XEH": "higher education",
              "G_XEI": "private non-profit"}
#: Who funds R&D: OECD code → source of funds (% of GERD).
FUNDERS = {"G_XFB": "business enterprises", "G_XFG": "government", "G_XFA": "rest of the world",
           "G_XFON": "other national sources"}
#: The economies China is set beside in this lesson's sector charts.
PEERS = ("CHN", "USA", "JPN", "DEU", "KOR", "EU27_2020")
#: Economies with a basic-research share in the OECD file (Germany has none; the UK only 2007–2013).
BASIC_PEERS = ("CHN", "USA", "JPN", "KOR", "FRA")


def _series(resource: str, code: str, iso3s) -> pd.DataFrame:
    wide = data.series(resource, code, iso3=list(iso3s))
    wide.index = wide.index.astype(int)
    return wide


def sector_flags(code: str, iso3: str, flag: str = "B", resource: str = SECTOR) -> list[int]:
    """Years whose OECD observation status in a sector or type series contains ``flag``."""
    frame = data.load(resource)
    rows = frame[(frame["iso3"] == iso3) & (frame["indicator_code"] == code)]
    return sorted(int(y) for y, s in zip(rows["year"], rows["obs_status"].fillna(""), strict=True)
                  if flag in str(s).split("+"))


def sector_value(code: str, iso3: str, year: int) -> float:
    """One value of a sector or funding code (``oecd_rd_by_sector``), e.g. ``sector_value("G_XEB", "CHN", 2024)``."""
    return float(_series(SECTOR, code, [iso3]).loc[int(year), iso3])


def _status(resource: str, code: str, iso3: str, year: int) -> str:
    """The OECD observation flags of one value ("" when none), e.g. "D+E"."""
    frame = data.load(resource)
    rows = frame[(frame["iso3"] == iso3) & (frame["indicator_code"] == code) & (frame["year"] == int(year))]
    return "" if rows.empty or pd.isna(rows["obs_status"].iloc[0]) else str(rows["obs_status"].iloc[0])


def _flags_text(resource: str, code: str, year: int, iso3s=("CHN", "USA")) -> str:
    """"the United States' 2024 value is flagged D+E" for each economy whose value carries a flag."""
    flagged = [f"{possessive(c)} {year} value is flagged {_status(resource, code, c, year)}" for c in iso3s
               if _status(resource, code, c, year)]
    return join(flagged) if flagged else f"neither {year} value is flagged"


def text_table(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """A table of numbers as text to show: ``digits`` decimals, "—" where the data have no value."""
    return table.map(lambda v: "—" if pd.isna(v) else f"{v:.{digits}f}")


def _last(series: pd.Series) -> tuple[int, float]:
    series = series.dropna()
    return int(series.index[-1]), float(series.iloc[-1])


# --------------------------------------------------------------------------- who performs R&D


def business_share(iso3s=PEERS) -> pd.DataFrame:
    """Business R&D (BERD) as % of all R&D (GERD), by year (one column per economy)."""
    return _series(SECTOR, "G_XEB", iso3s)


def _wide(code: str) -> pd.DataFrame:
    """Every economy's values of one sector or funding code (index year), read once per call."""
    frame = data.load(SECTOR)
    wide = frame[frame["indicator_code"] == code].pivot(index="year", columns="iso3", values="value")
    wide.index = wide.index.astype(int)
    return wide


def performer_table(year: int | None = None, iso3s=PEERS) -> pd.DataFrame:
    """Who performs R&D, % of GERD, in ``year`` (default: the last year with a business share for China)."""
    year = int(year or business_share(["CHN"])["CHN"].dropna().index[-1])
    table = pd.DataFrame({sector: _wide(code).reindex(index=[year], columns=list(iso3s)).iloc[0]
                          for code, sector in PERFORMERS.items()}).round(1)
    table.index = [economy(c).removeprefix("the ") for c in table.index]
    table.index.name = f"{year}, % of R&D performed by"
    return table


def business_share_sentence(year: int | None = None) -> str:
    """China's business share of R&D against its peers', first and last year, with what BERD includes."""
    wide = business_share()
    year = int(year or wide["CHN"].dropna().index[-1])
    row = wide.loc[year].dropna()
    first, value0 = int(wide["CHN"].dropna().index[0]), float(wide["CHN"].dropna().iloc[0])
    others = [f"{economy(c)} ({row[c]:.1f} %)" for c in row.index if c != "CHN"]
    breaks = sector_flags("G_XEB", "CHN")
    return (f"In {year} firms performed {row['CHN']:.1f} % of China's R&D (business R&D as a share of all R&D, OECD), "
            f"up from {value0:.1f} % in {first}; {join(others)} in the same year. China's series breaks in "
            f"{join([str(b) for b in breaks])}. Business R&D counts every firm, state-owned or private: the data "
            "cannot say how much of it state-owned firms do.")


# --------------------------------------------------------------------------- who pays for it


def funding_table(iso3s=("CHN", "USA", "JPN", "KOR", "DEU")) -> pd.DataFrame:
    """Who funds R&D (% of GERD) in each economy's last year with both business and government shares, and what
    the listed sources add up to (China has no row for "other national sources")."""
    shares = {funder: _wide(code).reindex(columns=list(iso3s)) for code, funder in FUNDERS.items()}
    rows = {}
    for iso3 in iso3s:
        both = shares["business enterprises"][iso3].dropna().index.intersection(
            shares["government"][iso3].dropna().index)
        year = int(both[-1])
        row = {funder: float(wide.loc[year, iso3]) if year in wide.index else float("nan")
               for funder, wide in shares.items()}
        row["listed sources add up to"] = sum(v for v in row.values() if pd.notna(v))
        rows[(economy(iso3).removeprefix("the "), year)] = row
    table = pd.DataFrame(rows).T.round(1)
    table.index.names = ["economy", "year"]
    return table


def funding_sentence() -> str:
    """Who funds China's R&D, in the last year of the data, and the part the data do not allocate."""
    funding = funding_table(["CHN"])
    table, year = funding.iloc[0], funding.index[0][1]
    return (f"In {year} firms funded {table['business enterprises']:.1f} % of China's R&D, the government "
            f"{table['government']:.1f} % and funders abroad {table['rest of the world']:.1f} % (OECD, % of all "
            f"R&D). These add up to {table['listed sources add up to']:.1f} %: the file has no row for China's "
            "other national sources, so the rest is not allocated.")


def government_funds_business_sentence(iso3s=("CHN", "USA", "JPN", "KOR", "DEU")) -> str:
    """How much of business R&D the government funds directly, China against peers (each economy's last year)."""
    wide = _series(SECTOR, "B_XFG", iso3s)
    parts = []
    for iso3 in iso3s:
        year, value = _last(wide[iso3])
        parts.append(f"{economy(iso3)} {value:.1f} % ({year})")
    return (f"Governments directly fund a small part of the R&D that firms do: {join(parts)} of business R&D. "
            "\"Financed by government\" counts direct funding only; tax incentives for R&D are not in these figures, "
            "so the data cannot test the essay's \"incentives and subsidies\".")


def berd_sentence(year: int | None = None) -> str:
    """Business R&D in PPP dollars, China against the United States, with the OECD's flags."""
    wide = _series(SECTOR, "B_PPP", ["CHN", "USA"])
    year = int(year or wide.dropna().index[-1])
    flags = _flags_text(SECTOR, "B_PPP", year)
    return (f"Business R&D alone, at current PPP, in {year}: China {wide.loc[year, 'CHN'] / 1e3:,.1f} billion US "
            f"dollars, the United States {wide.loc[year, 'USA'] / 1e3:,.1f} billion ({flags}; E = an OECD estimate).")


# --------------------------------------------------------------------------- basic research


def basic_share(iso3s=BASIC_PEERS) -> pd.DataFrame:
    """Basic research as % of all R&D (OECD G_BRXG), by year, one column per economy."""
    return _series(TYPE, "G_BRXG", iso3s)


def basic_target_gap(year: int | None = None) -> float:
    """How many percentage points China's basic-research share is below the 14th plan's 8 % (OECD data)."""
    share = basic_share(["CHN"])["CHN"].dropna()
    year = int(year or share.index[-1])
    return round(reported("fyp14_basic_research") - float(share[year]), 6)


def basic_target_sentence() -> str:
    """Basic research against the 14th plan's target and against peers, with the reported 2025 figure."""
    wide = basic_share()
    china = wide["CHN"].dropna()
    last = int(china.index[-1])
    start = 2020 if 2020 in china.index else int(china.index[0])
    target = reported("fyp14_basic_research")
    peers = []
    for iso3 in BASIC_PEERS[1:]:
        year, value = _last(wide[iso3])
        peers.append(f"{economy(iso3)} {value:.1f} %" + (f" ({year})" if year != last else ""))
    reached = reported("basic_research_share_2025") > target
    return (f"Target: basic research at {reported_text('fyp14_basic_research')} by 2025 (14th plan). OECD data: "
            f"{china[start]:.2f} % of China's R&D in {start}, {china[last]:.2f} % in {last}; for 2025 the minister "
            f"reported {_number(reported('basic_research_share_2025'))} %. Verdict: **"
            f"{'met' if reached else 'missed'}**, even on the reported 2025 figure. In {last}: {join(peers)}: "
            "China spends a much smaller share of its R&D on basic research than these economies.")


# --------------------------------------------------------------------------- the 2024 lead at PPP


def ppp_lead(year: int | None = None) -> float:
    """How far China's R&D spending at current PPP is above the United States' in ``year``, in %."""
    wide = rd.gerd("current", ["CHN", "USA"]).dropna()
    year = int(year or wide.index[-1])
    return (wide.loc[year, "CHN"] / wide.loc[year, "USA"] - 1) * 100


def ppp_lead_sentence() -> str:
    """How solid China's lead at PPP is: its size, the flags on it, and what a PPP revision can do."""
    year = int(rd.gerd("current", ["CHN", "USA"]).dropna().index[-1])
    return (f"In {year} China's R&D spending at current PPP is {ppp_lead(year):.1f} % above the United States' "
            f"(OECD; {_flags_text(rd.GERD, 'G_PPP', year)}; D = a definition that differs, E = an OECD estimate). "
            "Both are converted with PPPs for GDP as a whole, not for research; when the World Bank's price survey "
            f"for 2005 came out, it cut China's GDP at PPP by {reported_text('icp2005_china_revision')}. A lead of a "
            "few per cent is well within what a revision of the PPPs or of the estimates can move.")


# --------------------------------------------------------------------------- firms as cases


def firms_sentence() -> str:
    """Two views of firms' R&D from reported figures: one company against the national total, and companies
    counted by their headquarters."""
    huawei, total = reported("huawei_rd_2024"), reported("rd_spending_2024")
    upper = huawei / (total * 1000) * 100  # billion ÷ trillion
    shares = {place: _number(reported(f"scoreboard_{place}_2023")) for place in ("china", "us", "eu")}
    return (f"One firm: Huawei reported R&D spending of {reported_text('huawei_rd_2024')} in 2024, "
            f"{reported_text('huawei_rd_share_2024')} (its 2024 annual report, as reported); China's R&D was "
            f"{reported_text('rd_spending_2024')} (NBS), so one company did at most {upper:.0f} % of it. Counted by "
            f"headquarters, among the world's 2,000 largest corporate R&D investors (EU Industrial R&D Investment "
            f"Scoreboard 2024, 2023 accounts), companies based in China spent {shares['china']} % of the total, "
            f"those based in the United States {shares['us']} % and the EU {shares['eu']} %: a company's R&D counts "
            "where it has its headquarters, "
            "wherever the research is done, so this view differs from the national figures above.")


# --------------------------------------------------------------------------- explanations of lesson questions


def basic_peers_explanation(year: int = 2024) -> str:
    """Lesson 2's prediction about basic research: China against the United States, Japan and Korea."""
    row = basic_share(["CHN", "USA", "JPN", "KOR"]).loc[int(year)]
    return (f"China {row['CHN']:.1f} % in {year}; the United States {row['USA']:.1f} %, Japan {row['JPN']:.1f} %, "
            f"Korea {row['KOR']:.1f} % (OECD, basic research as % of all R&D).")


def business_share_explanation(year: int = 2024) -> str:
    """Lesson 2's prediction about the business share of R&D: China against the United States."""
    row = business_share(["CHN", "USA"]).loc[int(year)]
    return (f"China {row['CHN']:.1f} %, the United States {row['USA']:.1f} % in {year} (OECD, business R&D as a share "
            "of all R&D).")
