"""Reported figures and plan targets: the 14th and 15th Five-Year Plans side by side, China's R&D in 2025 as the
minister reported it, set beside the data series, and what "new quality productive forces" refers to.

The numbers come from ``reported_figures`` (the table "Reported figures" in data/facts.md, one published page per
row). They are **reported**, not statistical series: every sentence here says which number is which.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from . import policy, rd, rd_sectors
from .reported import _number, reported, reported_text
from .targets import NOT_YET_KNOWN

__all__ = [
    "INDUSTRIES_OF_THE_FUTURE",
    "NQPF_TIMELINE",
    "nqpf_table",
    "oecd_average_sentence",
    "plan_targets_table",
    "rd_spending_at_target",
    "reported_vs_data_sentence",
    "reported_vs_data_table",
]

#: "Industries of the future" highlighted for 2026–2030 (ECNS, 4 Mar 2026; data/facts.md, 15th FYP section).
INDUSTRIES_OF_THE_FUTURE = ("quantum technology", "biomanufacturing", "hydrogen and nuclear-fusion energy",
                            "brain–computer interfaces", "embodied AI", "6G")

#: How "new quality productive forces" (新质生产力) entered policy (data/facts.md, NQPF section; Xinhua 10 Sep 2023,
#: People's Daily 2 Mar 2024, Fresh News 24 Apr 2024).
NQPF_TIMELINE = (
    ("Sep 2023", "first put forward by Xi Jinping on an inspection tour of Heilongjiang (meeting on revitalising "
                 "the northeast, 7 Sep 2023)"),
    ("Dec 2023", "taken up by the Central Economic Work Conference"),
    ("31 Jan 2024", "subject of a Politburo study session"),
    ("Mar 2024", "made the first of ten tasks in the 2024 government work report"),
)


def nqpf_table() -> pd.DataFrame:
    """How "new quality productive forces" entered policy, as a table (when, what happened)."""
    return pd.DataFrame(NQPF_TIMELINE, columns=["when", "what happened"]).set_index("when")


def plan_targets_table() -> pd.DataFrame:
    """The innovation targets of the 14th (2021–2025) and 15th (2026–2030) Five-Year Plans, as reported, and the
    15th plan's outcome: not yet known for every target it names."""
    rows = {
        "R&D spending growth": (reported_text("fyp14_rd_growth"), reported_text("fyp15_rd_growth")),
        "Core digital-economy industries, share of GDP": (
            f"{reported_text('fyp14_digital_core_start')} (2020) → {reported_text('fyp14_digital_core')} (2025)",
            f"{reported_text('fyp15_digital_core')} (2030)"),
        "High-value invention patents": (
            f"{reported_text('fyp14_hv_patents_start')} (2020) → {reported_text('fyp14_hv_patents')} (2025)",
            "— (not in the reported targets)"),
        "CO2 per unit of GDP": (f"down {reported_text('fyp14_co2_intensity')}",
                                f"down {reported_text('fyp15_co2_intensity')}"),
        "Energy use per unit of GDP": (f"down {reported_text('fyp14_energy_intensity')}",
                                       "— (not in the reported targets)"),
        "GDP growth for the period": ("no single target", "no fixed figure (2026 alone: "
                                      f"{_number(reported('gdp_target_2026_low'))}–"
                                      f"{_number(reported('gdp_target_2026_high'))} %)"),
    }
    table = pd.DataFrame(rows, index=["14th plan (2021–2025)", "15th plan (2026–2030)"]).T
    table["15th plan: outcome"] = [f"{NOT_YET_KNOWN} (the plan runs to 2030)" if not text.startswith("—") else "—"
                                   for text in table["15th plan (2026–2030)"]]  # the 14th's outcomes: section 7
    table.index.name = "target"
    return table


def rd_spending_at_target(year: int = 2030) -> float:
    """China's R&D spending in ``year`` (trillion yuan, current prices) if it grows from the reported 2025 level
    at exactly the 15th plan's minimum rate, compounded each year: a what-if, not a forecast."""
    start = reported("rd_spending_2025")
    return start * (1 + reported("fyp15_rd_growth") / 100) ** (int(year) - 2025)


def _oecd_updated(resource: str) -> str:
    """The date the OECD last updated a file the course copied (its SDMX "Prepared" date)."""
    return str(data.resource(resource)["sources"][0]["last_updated"])


def reported_vs_data_table() -> pd.DataFrame:
    """China's R&D intensity and basic-research share: the last year of each data series beside the 2025 figures
    as reported (NBS's first release for the intensity, the minister's statement for basic research)."""
    wdi = policy.rd_intensity("WDI").dropna()
    oecd = policy.rd_intensity("OECD").dropna()
    basic_nbs = rd.basic_research_share()
    basic_oecd = rd_sectors.basic_share(["CHN"])["CHN"].dropna()
    estimate = int(oecd.index[-1]) in rd.flagged_years("CHN", "intensity", "E")
    rows = [
        ("R&D intensity, % of GDP", "World Bank WDI (data)", int(wdi.index[-1]), float(wdi.iloc[-1])),
        ("R&D intensity, % of GDP", "OECD MSTI (data" + ("; an estimate)" if estimate else ")"), int(oecd.index[-1]),
         float(oecd.iloc[-1])),
        ("R&D intensity, % of GDP", "NBS, first release of 19 Jan 2026 (reported)", 2025,
         reported("rd_intensity_2025")),
        ("Basic research, % of R&D", "NBS yearbook (data)", int(basic_nbs.index[-1]), float(basic_nbs.iloc[-1])),
        ("Basic research, % of R&D", "OECD MSTI (data)", int(basic_oecd.index[-1]), float(basic_oecd.iloc[-1])),
        ("Basic research, % of R&D", "the minister, reported 6 Mar 2026", 2025,
         reported("basic_research_share_2025")),
    ]
    return pd.DataFrame(rows, columns=["measure", "source", "year", "value"]).set_index(["measure", "source"])


def reported_vs_data_sentence() -> str:
    """The 2025 reported figures beside the data series, saying which is which and who published what, when."""
    table = reported_vs_data_table().reset_index()
    wdi, oecd, basic_nbs, basic_oecd = table.iloc[0], table.iloc[1], table.iloc[3], table.iloc[4]
    wdi_date = data.resource("wdi_rd_expenditure_pct_gdp")["retrieved"]
    oecd_date = _oecd_updated("oecd_gerd_ppp")
    return (f"The World Bank's R&D intensity ends in {wdi['year']} ({wdi['value']:.2f} % of GDP) and the OECD's in "
            f"{oecd['year']} ({oecd['value']:.2f} %); the basic-research share ends in {basic_nbs['year']} in the NBS "
            f"yearbook ({basic_nbs['value']:.1f} %) and in {basic_oecd['year']} in the OECD file "
            f"({basic_oecd['value']:.1f} %). For 2025, NBS gave R&D intensity as {reported_text('rd_intensity_2025')} "
            "at its press conference on the year's economy (19 January 2026), and the Minister of Science and "
            f"Technology gave R&D spending of {reported_text('rd_spending_2025')} and basic research at "
            f"{reported_text('basic_research_share_2025')} (Science and Technology Daily, 6 March 2026). These are "
            "**reported figures**: NBS's is an official first release, the minister's a statement, and neither is "
            f"a row of the course's files (World Bank file of {wdi_date}, OECD files updated {oecd_date}). Later "
            "statistical tables may revise them.")


def oecd_average_sentence() -> str:
    """NBS's "above the OECD average for the first time", set beside the OECD total in the OECD's own file."""
    oecd = rd.gerd("intensity", ["OECD", "CHN"]).dropna()
    year = int(oecd.index[-1])
    flag = " (an OECD estimate)" if year in rd.flagged_years("OECD", "intensity", "E") else ""
    return (f"NBS said that 2025's {reported_text('rd_intensity_2025')} was above the average of OECD economies for "
            f"the first time. The OECD's file ends in {year}: the OECD total is {oecd.loc[year, 'OECD']:.2f} % of GDP"
            f"{flag}, China {oecd.loc[year, 'CHN']:.2f} %. The claim sets China's 2025 figure beside an OECD "
            f"average for 2025 that the course's OECD file (updated {_oecd_updated('oecd_gerd_ppp')}) does not have: "
            "plausible, but not checkable in these data.")
