"""Findings for lesson 5, money and people: government guidance funds and venture capital, and AI talent. No open
time series exists for either in China, so every number here is a reported figure (data/facts.md), and the
targets stand beside what was reported of their outcomes."""

from __future__ import annotations

import pandas as pd

from .reported import reported, reported_row, reported_text

__all__ = ["funds_table", "guidance_fund_raised_share", "talent_sentence"]


def guidance_fund_raised_share() -> float:
    """Capital raised by China's government guidance funds as a % of their registered target size (Q1 2020)."""
    return reported("ggf_raised_2020") / reported("ggf_target_2020") * 100


def funds_table() -> pd.DataFrame:
    """Guidance funds and the 2025 venture-capital fund: each target beside what was reported of its outcome."""
    period = reported_row("ggf_target_2020")["period"]
    vc = reported_row("vc_guidance_fund_capital")
    rows = [
        (f"Government guidance funds, {period}",
         f"{reported_text('ggf_count_2020')} with a registered target of {reported_text('ggf_target_2020')}",
         f"{reported_text('ggf_raised_2020')} raised, {guidance_fund_raised_share():.0f} % of the target "
         "(computed from the two reported figures)", "CSET, March 2021"),
        (f"Guidance funds, {reported_row('ggf_met_target_2021')['period']}", "each fund's own target size",
         f"{reported_text('ggf_met_target_2021')} of funds had met it", "The China Quarterly, April 2023"),
        (f"National Venture Capital Guidance Fund, {vc['period']}",
         f"{reported_text('vc_guidance_fund_capital')} of central capital; "
         f"{reported_text('vc_guidance_fund_early_stage')} for seed- and early-stage firms",
         "not yet known: launched at the end of 2025", "Xinhua, 26 Dec 2025"),
    ]
    return pd.DataFrame(rows, columns=["fund", "target", "outcome reported", "source"]).set_index("fund")


def talent_sentence() -> str:
    """AI talent, as reported: where the most elite AI researchers come from."""
    row = reported_row("ai_talent_chinese_origin")
    return (f"Among the most elite AI researchers in MacroPolo's sample of NeurIPS {row['period']} authors, "
            f"{reported_text('ai_talent_chinese_origin')} were of Chinese origin and "
            f"{reported_text('ai_talent_american_origin')} of American origin (MIT Technology Review, 27 March 2024). "
            "That counts where researchers come from, not where they work; the OECD, which tracks scientists' moves "
            "between countries, finds that circulation matters more than net gains or losses.")
