"""Provenance of China's National Bureau of Statistics (with MOST): provincial R&D and patents, read with techme.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

TECHME_REPO = "https://github.com/huhuaping/techme"
TECHME_HEAD = ("9ad60a190dec4a56953da9c478d42cd44c80762a", "2026-07-17")
TECHME_TABLE_COMMITS = {
    "RDIntense": "a2e8916f5d36e256e1df71b2617478057ea6c7ae",
    "RDActivity": "4877aff0554fd8846c9352a5f0982a910092e90a",
    "RDPatentAccept": "1aed1bfd9a9383713151a10a49a8ca84e009d049",
    "RDPatentAuthority": "97cea1c75c1d1934f333f3ee811079a0433ae4c7",
}
TECHME_LICENCE = {
    "name": "other-at",
    "title": "official statistics, read with the R package techme",
}
TECHME_NOTE = (
    "Original publisher: National Bureau of Statistics of China (with MOST), China Statistical Yearbook on "
    "Science and Technology. Read from the R package huhuaping/techme (HEAD "
    "9ad60a190dec4a56953da9c478d42cd44c80762a, 2026-07-17), data/<table>.rda, with the PyPI package "
    "rdata. region_code is ISO 3166-2:CN ('CN' = national total), validated with pycountry. "
)

META: dict[str, dict] = {
    "china_provinces_rd": {
        "title": "R&D expenditure and intensity by province, China",
        "description": TECHME_NOTE
        + "Tables RDIntense (R&D expenditure in 100 million CNY and intensity in % of regional GDP) and "
        "RDActivity (expenditure total / basic research / applied research / experimental development, in "
        "10 000 CNY).",
        "family": "techme",
        "value_range": (0, None),
        "known_gaps": [
            "Years before 2010 were not found",
            "RDIntense (intensity, expenditure) starts in 2011; RDActivity (by type) in 2010",
        ],
        "caveats": [
            "Current prices (no deflation)",
            "Intensity uses the GDP vintage of each yearbook",
            "Provincial R&D expenditure sums to the national total within 0.3 亿元 in every year",
        ],
    },
    "china_provinces_patents": {
        "title": "Domestic patent applications accepted and patents granted by province, China",
        "description": TECHME_NOTE
        + "Tables RDPatentAccept and RDPatentAuthority. Three OCR slips were fixed (两→西): 江两→江西 (2014 "
        "applications), 山两→山西 and 两藏→西藏 (2012 grants), 12 rows in total.",
        "family": "techme",
        "value_range": (0, None),
        "known_gaps": ["Years before 2010 were not found"],
        "caveats": [
            "For invention patent applications the national total exceeds the provincial sum by about "
            "11–13k per year: it includes filings not assigned to a province, kept as published",
        ],
    },
}


def provenance(meta: dict, rows: list[dict[str, str]], ind: list[dict]) -> tuple[list, list, str]:
    """The sources, licences and citation of a techme resource, from its rows and indicators."""
    tables = sorted({row["source_table"] for row in rows})
    sources = [
        {
            "title": f"China Statistical Yearbook on Science and Technology, via techme table {table}",
            "path": TECHME_REPO,
            "publisher": "National Bureau of Statistics of China",
            "commit": TECHME_TABLE_COMMITS[table],
            "retrieved": TECHME_HEAD[1],
            "snapshot": TECHME_HEAD[0],
        }
        for table in tables
    ]
    return sources, [TECHME_LICENCE], "National Bureau of Statistics of China, S&T Statistical Yearbook"
