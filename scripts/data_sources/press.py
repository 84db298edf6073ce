"""Provenance of figures reported in the press (MIIT's 5G base stations).

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

from .licences import PRESS_LICENCE

META: dict[str, dict] = {
    "china_5g_base_stations": {
        "title": "5G base stations in China (MIIT figures as reported)",
        "description": "Counts of 5G base stations in China as published by the Ministry of Industry and "
        "Information Technology (MIIT) and reported by the news page in each row (source_url, "
        "source_statement). MIIT's 14th Five-Year Plan for the information and communication industry "
        "(released 16 November 2021) set a target of 26 5G base stations per 10,000 people by 2025 (facts.md, "
        "reported figure five_g_target); test it with SP.POP.TOTL in wdi_gdp.csv.",
        "family": "press",
        "publisher": "MIIT",
        "cite_as": "MIIT, 5G base stations (as reported)",
        "known_gaps": [
            "End-2020 is left out: the reports found give figures that do not reconcile",
        ],
        "caveats": [
            "End-2021 is derived from the 2022 bulletin (2.312 million, '887,000 more over last year')",
            "The 2025 row is end of year (updated 2026-12-01; the earlier copy had the end-October figure)",
        ],
        "wide_indicators": {
            "base_stations_million": ("5G base stations in China", "million base stations"),
        },
    },
}


def provenance(meta: dict, rows: list[dict[str, str]], ind: list[dict]) -> tuple[list, list, str]:
    """The sources, licences and citation of a press resource, from its rows and indicators."""
    urls = sorted({row["source_url"] for row in rows})
    sources = [{"title": meta["cite_as"], "publisher": meta["publisher"]}] + [
        {"title": f"Press page ({url.split('/')[2]})", "path": url, "publisher": url.split("/")[2]} for url in urls
    ]
    return sources, [PRESS_LICENCE], meta["cite_as"]
