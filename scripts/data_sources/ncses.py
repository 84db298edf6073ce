"""Provenance of NSF NCSES Science and Engineering Indicators: GERD for selected years.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

META: dict[str, dict] = {
    "ncses_sei_gerd_selected_years": {
        "title": "GERD and GDP, selected years (NCSES reprint of OECD MSTI, Sept-2023 vintage)",
        "description": "NSF/NCSES Science and Engineering Indicators, Table SRD-1, for cross-checking the OECD "
        "files. NCSES's stated sources: 'National Patterns of R&D Resources (2020–21 edition); OECD, Main "
        "Science and Technology Indicators, September 2023'. Taken from GitHub "
        "bq-org/ncses_stats_explorer_placeholder, file output/tables/10978/data.csv; growth-rate rows were "
        "dropped. The file has no indicator codes: indicator_name identifies the series.",
        "value_range": (0, None),
        "sources": [
            {
                "title": "Science and Engineering Indicators, Table SRD-1",
                "path": "https://github.com/bq-org/ncses_stats_explorer_placeholder",
                "publisher": "NCSES (NSF)",
                "commit": "1f879ab65ed260668840db406611ddc10e8455bc",
                "retrieved": "2025-03-27",
            }
        ],
        "licenses": [
            {
                "name": "other-pd",
                "title": "US government work (public domain presumed)",
            }
        ],
        "cite_as": "NCSES (NSF), Science and Engineering Indicators",
        "known_gaps": [
            "Selected years only",
            "No India",
            "Other NCSES tables in the repo (annual 1981–2019) were not used: their column labels were lost",
        ],
        "caveats": [
            "2021 values carry NCSES footnote 'a', whose text is not preserved in the file",
            "Sept-2023 MSTI vintage: 2021 values are lower than in the 2026 OECD file (PPP and GDP revisions)",
            "GERD in constant 2015 PPP dollars (the OECD file uses constant 2020 prices)",
            "Licence: US federal government work, presumably public domain; not verified",
        ],
    },
}
