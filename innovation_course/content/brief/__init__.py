"""One-chart evidence briefs (lesson 6): take a claim from one of the two essays, test it against one data
series, and write the result down in a fixed shape: the claim with its attribution, one chart in the house
style, an evidence sentence computed from the data, the source, a verdict and the caveats.

    >>> from innovation_course import brief
    >>> brief.evidence_brief("rd-second-largest", verdict="Out of date")        # a claim from CLAIMS
    >>> brief.evidence_brief(claim="China's R&D intensity ...", essay="anon",     # or any claim of your own
    ...                      resource="wdi_rd_expenditure_pct_gdp", code="GB.XPD.RSDV.GD.ZS",
    ...                      economies=("CHN", "USA", "JPN"), verdict="Supported")
    >>> brief.brief_builder(wb)                                                   # the app: pick, judge, write

Pure functions first (the claim list, the data frame behind a chart, the evidence sentence, the brief's
Markdown), tested in ``tests/test_brief.py``; the chart and the widgets last and thin.
"""

from .apps import brief_builder, growth_claim_explorer
from .claims import (
    CLAIMS,
    ESSAYS,
    EVIDENCE,
    VERDICTS,
    Claim,
    Essay,
    claim_by_id,
    claim_options,
    claims_markdown,
    load_claims,
)
from .compose import Brief, brief_markdown, caveats_for, decade_hook, evidence_brief, make_brief, rank_hook
from .evidence import crossing_year, decade_means, evidence_sentence, frame_for

__all__ = [
    "CLAIMS",
    "ESSAYS",
    "EVIDENCE",
    "VERDICTS",
    "Brief",
    "Claim",
    "Essay",
    "brief_builder",
    "brief_markdown",
    "caveats_for",
    "claim_by_id",
    "claim_options",
    "claims_markdown",
    "crossing_year",
    "decade_hook",
    "decade_means",
    "evidence_brief",
    "evidence_sentence",
    "frame_for",
    "growth_claim_explorer",
    "load_claims",
    "make_brief",
    "rank_hook",
]
