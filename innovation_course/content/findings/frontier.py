"""Findings for lesson 4, the technologies that decide the contest: semiconductors and self-reliance (dated
events from data/facts.md, their sizes as reported figures, and what no open data show), and AI after 2024 (the
AI+ targets beside what can be known of their outcomes)."""

from __future__ import annotations

import pandas as pd

from .reported import reported_row, reported_text

__all__ = [
    "AI_AFTER_2024",
    "CHIP_DATA_GAPS",
    "ai_plus_targets",
    "ai_sentence",
    "semiconductor_timeline",
]

#: What the course's open data cannot show about chips (data/SOURCES.md, "What the course could not fetch").
CHIP_DATA_GAPS = (
    "China's trade in integrated circuits (HS 8542): no open table could be fetched, so the course cannot chart "
    "chip imports or exports.",
    "Where chips are designed and where they are made, and at which process node.",
    "How dependent China is on imports for each kind of chip or chip-making tool.",
    "The value added in China inside an exported phone or computer.",
)

#: AI after 2024: dated facts from data/facts.md ("The new three and AI after 2024"). Claims about benchmarks and
#: training costs are vendor or press claims and are left out.
AI_AFTER_2024 = (
    ("20 Jan 2025", "DeepSeek releases DeepSeek-R1 with open weights under the MIT licence"),
    ("26 Aug 2025", "State Council opinions on the \"AI+\" action (Guo Fa [2025] No. 11) released; targets for "
                    "2027 and 2030 below"),
)


def semiconductor_timeline() -> pd.DataFrame:
    """Chips and self-reliance, dated (data/facts.md): China's funds and lists, US controls and China's own
    controls, with the fund sizes read from the reported figures."""
    rows = [
        (reported_row("big_fund_1")["period"], "National IC Industry Investment Fund (\"Big Fund\") phase I, "
         f"registered capital {reported_text('big_fund_1')}"),
        (reported_row("chokepoint_technologies")["period"], "Science and Technology Daily's series on "
         f"{reported_text('chokepoint_technologies')} China must import (\"卡脖子\", chokepoints), "
         "starting with photolithography machines"),
        (reported_row("big_fund_2")["period"], f"Big Fund phase II, {reported_text('big_fund_2')}"),
        ("7 Oct 2022", "US export controls on advanced computing chips and chip-making equipment for China "
                       "(updated Oct 2023)"),
        ("3 Jul 2023", "China requires export licences for gallium and germanium (MOFCOM and Customs "
                       "Announcement No. 23, in force 1 Aug 2023)"),
        ("24 May 2024", f"Big Fund phase III, {reported_text('big_fund_3')}"),
        ("3 Dec 2024", "MOFCOM: exports of gallium, germanium and antimony to the United States \"in principle\" "
                       "not permitted, a day after the US tightened its chip controls"),
        ("9 Nov 2025", "MOFCOM suspends that ban until 27 Nov 2026, after the Xi–Trump agreement"),
    ]
    return pd.DataFrame(rows, columns=["when", "what happened"]).set_index("when")


def ai_plus_targets() -> pd.DataFrame:
    """The AI+ opinions' targets beside their outcomes: not yet known, since the target years have not come."""
    rows = {}
    for figure_id in ("ai_plus_2027", "ai_plus_2030"):
        row = reported_row(figure_id)
        rows[row["period"]] = {"target": f"{reported_text(figure_id)} penetration of new-generation intelligent "
                                         "terminals and agents",
                               "outcome": "not yet known: the target year has not come"}
    table = pd.DataFrame(rows).T
    table.index.name = "target year"
    return table


def ai_sentence(pct_last_year: int) -> str:
    """What the course can say about AI after 2024, given where its AI patent data stop."""
    return (f"The course's AI data (PCT patent applications) stop in priority year {pct_last_year}, so nothing in "
            "them shows China's AI after 2024. What can be dated: an open-weights model from a Chinese firm in "
            "January 2025, and a State Council plan with targets for 2027 and 2030. Claims that one model "
            "\"matches\" another rest on benchmarks chosen by vendors; the course does not use them.")
