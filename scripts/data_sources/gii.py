"""Provenance of WIPO's Global Innovation Index: China's rank and science-and-technology clusters.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

META: dict[str, dict] = {
    "gii_china_rank": {
        "title": "China's rank in WIPO's Global Innovation Index",
        "description": "China's overall GII rank by edition. No WIPO data file was available offline: every "
        "row was transcribed from the published page in source_url (news or press reprints of WIPO "
        "releases; secondary sources), quoted in source_statement. 2012 is derived from 'fell one spot to "
        "35' (2013) and 'from 34th ten years ago' (WIPO DG in 2022).",
        "family": "press",
        "publisher": "WIPO",
        "cite_as": "WIPO, Global Innovation Index (as reported)",
        "known_gaps": [],
        "caveats": [
            "WIPO: 'Year-on-year changes in GII rank are influenced by performance and methodological "
            "considerations' (GII 2023 at a glance)",
            "The number of economies ranked varies (126–143)",
        ],
        "wide_indicators": {
            "gii_rank": ("China's overall rank in the Global Innovation Index", "rank"),
            "economies_ranked": ("Number of economies ranked in the edition", "economies"),
        },
    },
    "gii_science_technology_clusters": {
        "title": "WIPO GII science and technology clusters: ranks and clusters in the top 100",
        "description": "Cluster ranks (metric cluster_rank) and the number of a country's clusters in the top "
        "100 (metric clusters_in_top100) by GII edition. Transcribed from the press pages in source_url; "
        "only the rows those pages report.",
        "family": "press",
        "publisher": "WIPO",
        "cite_as": "WIPO, Global Innovation Index, S&T clusters (as reported)",
        "value_range": (0, 100),
        "indicator_field": "metric",
        "fields": {
            "value": {
                "type": "integer",
                "description": "Cluster rank or number of clusters in the top 100, depending on metric",
            }
        },
        "metric_meta": {
            "cluster_rank": ("Rank of the science and technology cluster", "rank"),
            "clusters_in_top100": ("Number of the country's clusters in the top 100", "clusters"),
        },
        "known_gaps": ["Only the rows reported by the cited pages; no WIPO data file was available offline"],
        "caveats": [
            "Cluster rules changed in 2025, when venture-capital deals were added to the cluster method "
            "(people.cn, 2025-09-01)",
        ],
    },
}
