#!/usr/bin/env python3
"""Build the course's ``data/`` folder from the shared, checked source files.

1. Copy every CSV of the source folder, and its ``SOURCES.md``, byte for byte.
2. Read the course's own ``data/facts.md`` (checked facts, each with its source) and extract two of its tables:
   "Milestones for a policy timeline" into ``policy_milestones.csv``, "Reported figures" into
   ``reported_figures.csv`` and "Claims for evidence briefs" into ``brief_claims.csv``.
3. Write ``datapackage.json``: a Frictionless tabular data package with one resource per CSV
   (checksum, size, provenance, licence, known gaps, series breaks and a Table Schema).

Every number in the output is read from the source files: checksums, indicator lists, series breaks
(OECD flag ``B``), milestone years. The provenance text below (titles, commits, retrieval dates,
caveats) is copied from ``SOURCES.md``. Running the script twice gives byte-identical output.

Usage::

    python scripts/make_datapackage.py [--source ../shared/data] [--facts data/facts.md] [--out data]

Only the standard library is needed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
MILESTONES = "policy_milestones"
REPORTED = "reported_figures"
CLAIMS = "brief_claims"
CLAIM_COLUMNS = ["id", "essay", "quote", "resource", "code", "economies", "evidence", "threshold", "test", "caveats",
                 "checked_in"]
DEFAULT_FACTS = ROOT / "data" / "facts.md"
MILESTONE_KINDS = ["plan", "programme", "zone", "law", "strategy", "event"]
# Editorial classification of a milestone: the first rule whose pattern matches the text wins.
KIND_RULES = [
    ("law", r"\blaws?\b"),
    ("strategy", r"\bstrateg(y|ies)\b"),
    ("programme", r"\bprogram(me)?s?\b"),
    ("zone", r"\b(zones?|parks?)\b"),
    ("plan", r"\b(plans?|outline)\b|\bmade in china\b"),
]
KIND_DEFAULT = "event"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# ---------------------------------------------------------------------------------------------
# Provenance, copied from SOURCES.md (text, commits and dates; no data values are typed here).
# ---------------------------------------------------------------------------------------------

CC_BY = {
    "name": "CC-BY-4.0",
    "title": "CC BY 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
OECD_TERMS = {
    "name": "other-at",
    "title": "OECD Terms and Conditions",
    "path": "https://www.oecd.org/en/about/terms-conditions.html",
}
WDI_REPO = "https://github.com/datasets/world-development-indicators"
WDI_HEAD = ("4ebec5a2273f531ba238a34dbe440394dc5a6c4b", "2026-07-01")
# Indicator files whose last change is older than the snapshot HEAD: (commit, commit date).
WDI_FILE_COMMITS = {
    "IP.PAT.RESD": ("20289a7f4a748722b6d7142af0ab972f6d038452", "2025-12-17"),
    "IP.PAT.NRES": ("59aa866f1c89605bc8e72b0274d699118b4c0025", "2026-04-01"),
    "NY.GDP.PCAP.KD.ZG": ("6b2145a46a8033433e071207ae4bdd332d02a73c", "2026-05-01"),
}
WDI_NOTE = (
    "Taken from the datahub.io 'core' mirror of WDI (GitHub datasets/world-development-indicators, "
    "snapshot HEAD 4ebec5a2273f531ba238a34dbe440394dc5a6c4b, 2026-07-01), files "
    "indicators/<code in lower case>/data.csv. The mirror does not keep WDI's own 'Last Updated Date'; "
    "the commit dates are the retrieval dates (listed per indicator in sources). Missing years are absent, "
    "not gap-filled. "
)
OECD_REPO = "https://github.com/STIScoreboard/STI.Scoreboard"
OECD_HEAD = ("ea5af11a0d16b4cc34491023ce507db7291e095a", "2026-07-21")
OECD_NOTE = (
    "Unmodified SDMX-ML exports (<CODE>_V8.txt) from GitHub STIScoreboard/STI.Scoreboard, snapshot HEAD "
    "ea5af11a0d16b4cc34491023ce507db7291e095a (2026-07-21). Only the listed areas were kept, the "
    "TIME_PERIOD='2999' 'latest year' duplicate rows were dropped, and flags are joined with '+'. "
    "Variable meanings follow MSTI code conventions, since the repo has no codebook. "
)
OECD_LICENCE_NOTE = (
    "OECD Terms & Conditions: data may be extracted, copied, adapted and shared with attribution; OECD "
    "content published since 1 July 2024 is CC BY 4.0 by default."
)
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
PRESS_LICENCE = {
    "name": "other-at",
    "title": "licence not stated (press reports)",
}

# Per-file metadata. "sources" entries without "path" are completed from the file itself (see below).
META: dict[str, dict] = {
    "wdi_rd_expenditure_pct_gdp": {
        "title": "R&D expenditure (% of GDP), World Bank WDI",
        "description": WDI_NOTE
        + "The R&D series is commonly cited as 'UNESCO Institute for Statistics via the World Bank'; "
        "its China values are identical to OECD G_XGDP (oecd_gerd_ppp.csv).",
        "family": "wdi",
        "value_range": (0, 100),
        "known_gaps": ["India ends in 2020; the other areas cover 1996–2023"],
        "caveats": [
            "China: WDI 2020 = 2.357 and 2023 = 2.577, while China's NBS publishes 2.40 (2020) and 2.65 "
            "(2023) (see china_provinces_rd.csv); the gap probably comes from a different GDP denominator "
            "(not verified)",
            "UK: the jumps from 1.62 (2013) to 2.26 (2014) and from 2.33 (2017) to 2.71 (2018) are series "
            "breaks flagged by OECD, not real jumps",
            "EUU is the World Bank's EU aggregate; it differs from OECD's EU-27 by up to 0.12 pp (2023: 2.26 vs 2.15)",
        ],
        # WDI carries no flags; its R&D values follow OECD MSTI, whose break flags apply.
        "breaks_from": ("oecd_gerd_ppp", "G_XGDP"),
    },
    "wdi_researchers_rd": {
        "title": "Researchers and technicians in R&D (per million people), World Bank WDI",
        "description": WDI_NOTE,
        "family": "wdi",
        "value_range": (0, 1_000_000),
        "known_gaps": ["No China data for SP.POP.TECH.RD.P6 (technicians per million people)"],
    },
    "wdi_patent_applications": {
        "title": "Patent applications, residents and non-residents, World Bank WDI",
        "description": WDI_NOTE
        + "Confirm the WIPO attribution on the WDI site before citing it; it is not in the mirror.",
        "family": "wdi",
        "value_range": (0, None),
        "known_gaps": [
            "Patents end in 2021 in this mirror",
            "China's series starts in 1985, the year its patent law took effect (others from 1980)",
            "No EU aggregate",
        ],
        "caveats": [
            "The two indicator files come from different download dates (2025-12-17 and 2026-04-01)",
        ],
    },
    "wdi_gdp": {
        "title": "GDP, GDP growth, GDP per capita and population, World Bank WDI",
        "description": WDI_NOTE
        + "The GDP-growth README says it is the 'percentage change ... of the constant price (base year "
        "2015) series in United States dollars'.",
        "family": "wdi",
        "value_range": (-100, None),
        "known_gaps": [
            "NY.GDP.PCAP.KD.ZG ends in 2024",
            "NY.GDP.PCAP.PP.CD starts in 1990",
        ],
        "caveats": [
            "China GDP growth: WDI 2023 = 5.42 % vs 5.2 % first reported by NBS; probably a later "
            "revision (not verified)",
            "Within one repo snapshot, the indicator files come from different download dates",
        ],
    },
    "wdi_hightech_exports": {
        "title": "High-technology exports, World Bank WDI",
        "description": WDI_NOTE
        + "Confirm the Comtrade attribution on the WDI site before citing it; it is not in the mirror.",
        "family": "wdi",
        "value_range": (0, None),
        "known_gaps": ["India starts in 2009"],
    },
    "wdi_journal_articles": {
        "title": "Scientific and technical journal articles, World Bank WDI",
        "description": WDI_NOTE
        + "The README says: 'publications ... from Scopus ... according to the National Center for Science "
        "and Engineering Statistics Taxonomy of Disciplines'.",
        "family": "wdi",
        "value_range": (0, None),
        "known_gaps": [],
    },
    "wdi_ip_charges": {
        "title": "Charges for the use of intellectual property (BoP, current US$), World Bank WDI",
        "description": WDI_NOTE
        + "Confirm the IMF BoP attribution on the WDI site before citing it; it is not in the mirror.",
        "family": "wdi",
        "value_range": (0, None),
        "known_gaps": [],
    },
    "wdi_fdi_net_inflows": {
        "title": "Foreign direct investment, net inflows (BoP, current US$), World Bank WDI",
        "description": WDI_NOTE
        + "Added 2026-12-01 from the same snapshot. The % of GDP series is not in the snapshot: divide by "
        "NY.GDP.MKTP.CD in wdi_gdp.csv.",
        "family": "wdi",
        "value_range": (None, None),
        "known_gaps": ["China's series starts in 1979; it ends in 2024"],
        "caveats": ["Net inflows: new investment minus disinvestment by foreign investors; a fall can mean "
                    "investors took money out, not only that they invested less"],
    },
    "oecd_gerd_ppp": {
        "title": "GERD in PPP dollars and as % of GDP, OECD MSTI",
        "description": OECD_NOTE
        + "STI Scoreboard dataflow OECD.STI.STP:DSD_SBRD(1.2). The base year of G_PPPCT is not documented; "
        "it is taken to be 2020 because G_PPPCT equals G_PPP in 2020 for every country. " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("65066129336c43f25f4a979754b704b9709a7350", "2026-04-13", "G_PPP, G_PPPCT, G_XGDP"),
        "value_range": (0, None),
        "known_gaps": [
            "India is not in the GERD-in-PPP series: only G_XGDP, 1996–2020",
            "No World total exists for GERD",
            "GBR ends in 2023",
        ],
        "caveats": [
            "obs_status: China 2024 and Japan 2024 are estimates (E); USA is flagged D in every year and "
            "2024 is D+E; DEU/FRA/KOR recent years are P; EU27/OECD recent years are E",
            "aux_obs_status M2 (China 1991–1999) is not documented in the file",
        ],
        "break_notes": {
            "CHN": "The 2009 break coincides with China overtaking Japan (G_PPPCT +26 % in 2009)",
            "GBR": "The UK jumps in R&D % of GDP in 2014 and 2018 are series breaks, not real jumps",
        },
    },
    "oecd_researchers_fte": {
        "title": "Total researchers, full-time equivalent, OECD MSTI",
        "description": OECD_NOTE + "STI Scoreboard dataflow OECD.STI.STP:DSD_SBRD(1.2). " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("3c0eef527f7885c22ca6359fb976308eecd850ff", "2026-04-13", "TP_RS"),
        "value_range": (0, None),
        "known_gaps": ["USA ends in 2023", "GBR ends in 2017"],
        "caveats": ["aux_obs_status M2 (China 1991–1999) is not documented in the file"],
    },
    "oecd_pct_patents_by_technology": {
        "title": "PCT patent applications by technology, OECD",
        "description": OECD_NOTE
        + "Dataflow OECD.STI.PIE:DSD_PATENTS(1.0). PCT applications by inventor country and priority date; "
        "values can be fractional (co-inventions shared). " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("ca7325034ece8cd9aa638ff6e8356e6265ef51d9", "2025-04-09", "PCT files"),
        "value_range": (0, None),
        "known_gaps": ["PCT counts by priority year end in 2020"],
    },
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
    "maddison2020_gdp": {
        "title": "GDP, GDP per capita and population, Maddison Project Database 2020",
        "description": "Maddison Project Database 2020 (Bolt & van Zanden 2020) via Our World in Data: GDP per "
        "capita (2011 int-$), population, and GDP (= per capita × population, computed by OWID). For China "
        "1952–2008 the README cites Harry X. Wu (2014) 'China's growth and productivity performance debate "
        "revisited'. An alternative to the official series that shows much slower growth. Taken from GitHub "
        "owid/owid-datasets, HEAD 48c9992ae317b35ed327fc36d2af75fe8b3ef7ed; 'retrieved' is the date of the "
        "folder's last change.",
        "value_range": (0, None),
        "sources": [
            {
                "title": "Maddison Project Database 2020 (Bolt and van Zanden 2020), OWID dataset",
                "path": "https://github.com/owid/owid-datasets",
                "publisher": "Maddison Project",
                "commit": "fcd10f450c7a4fdc28924d140bbc532221be2d4b",
                "retrieved": "2022-04-11",
                "snapshot": "48c9992ae317b35ed327fc36d2af75fe8b3ef7ed",
            }
        ],
        "licenses": [{"name": "other-at", "title": "attribution required, licence not verified"}],
        "cite_as": "Maddison Project Database 2020 (Bolt & van Zanden 2020)",
        "known_gaps": ["Ends in 2018"],
        "caveats": ["The exact licence was not verified; attribution is required"],
    },
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
    MILESTONES: {
        "title": "Milestones of China's science, technology and innovation policy",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Milestones for a policy "
        "timeline' in facts.md (the course's checked facts, each checked against a published source). "
        "date_text and milestone are verbatim; year is the first 4-digit year in date_text and month the "
        "first month name in it (empty when the source gives only a year). kind is an editorial "
        "classification by keyword rules, the first match wins: "
        + "; ".join(f"{kind}: /{pattern}/" for kind, pattern in KIND_RULES)
        + f"; otherwise {KIND_DEFAULT} (case-insensitive).",
        "sources": [
            {
                "title": "Checked facts for the course: Milestones for a policy timeline",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "cite the sources named there"}],
        "cite_as": "checked facts of this course (data/facts.md)",
        "fields": {"year": {"description": "Year: the first 4-digit year in date_text"}},
        "known_gaps": [],
    },
    CLAIMS: {
        "title": "Checkable claims from the two essays, with the data that test them (lesson 6)",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Claims for evidence briefs' in "
        "facts.md: each essay's exact words, the data resource and indicator code(s) that test them, the kind of "
        "evidence, the caveats and where facts.md checks the claim. Several codes or economies are separated by "
        "'; ', several caveats by '<br>'. Read by innovation_course.brief.",
        "sources": [
            {
                "title": "Checked facts for the course: Claims for evidence briefs",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "quotations from the two essays, cited by title and author"}],
        "cite_as": "claims checked by this course (data/facts.md)",
        "fields": {"id": {"description": "Identifier of the claim"}},
        "known_gaps": [],
    },
    REPORTED: {
        "title": "Reported figures: targets and statements quoted by the lessons",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Reported figures' in facts.md: "
        "numbers read on a published page (official statements, plan targets as reported), one per row, with the "
        "page in source. They are not statistical series: lessons show them beside the data and say which is which.",
        "sources": [
            {
                "title": "Checked facts for the course: Reported figures",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "cite the sources named there"}],
        "cite_as": "reported figures checked by this course, page in each row (data/facts.md)",
        "value_range": (0, None),
        "fields": {"unit": {"description": "Unit of value, as the source states it"}},
        "known_gaps": [],
    },
}

# Table Schema fields: type, description (and unit where the field itself has one).
FIELDS: dict[str, dict] = {
    "country": {"type": "string", "description": "Country or aggregate, as named by the source"},
    "iso3": {
        "type": "string",
        "description": "ISO 3166-1 alpha-3 code, or the source's aggregate code "
        "(EUU = World Bank EU, EU27_2020/EU27 = EU-27, OECD = OECD total, WLD/W = World)",
    },
    "year": {"type": "integer", "description": "Year of the observation"},
    "value": {"type": "number", "description": "Value of the indicator; its unit is in the unit column"},
    "indicator_code": {"type": "string", "description": "Indicator code used by the source"},
    "indicator_name": {"type": "string", "description": "Indicator name"},
    "unit": {"type": "string", "description": "Unit of value"},
    "obs_status": {
        "type": "string",
        "description": "SDMX observation flags joined with '+': B = break in series, D = definition "
        "differs, E = estimate, P = provisional; empty when none",
    },
    "aux_obs_status": {
        "type": "string",
        "description": "Auxiliary observation flag, copied verbatim; M2 is not documented by the source",
    },
    "footnote": {"type": "string", "description": "NCSES footnote mark; its text is not preserved"},
    "ncses_row_id": {"type": "string", "description": "Row identifier in the NCSES table"},
    "region": {"type": "string", "description": "Province (English name) or 'China (national total)'"},
    "region_code": {"type": "string", "description": "ISO 3166-2:CN code; 'CN' = national total"},
    "province_zh": {"type": "string", "description": "Province name in Chinese (全国 = national total)"},
    "label_zh": {"type": "string", "description": "Chinese label of the variable in the yearbook"},
    "source_table": {"type": "string", "description": "techme data table the row comes from"},
    "gii_edition": {"type": "integer", "description": "Edition (year) of the Global Innovation Index"},
    "economy": {"type": "string", "description": "Economy ranked"},
    "gii_rank": {"type": "integer", "description": "Overall GII rank (1 = best)", "unit": "rank"},
    "economies_ranked": {
        "type": "integer",
        "description": "Number of economies ranked in that edition; empty when the source page does not say",
        "unit": "economies",
    },
    "source_url": {"type": "string", "description": "Published page the row was transcribed from"},
    "source_statement": {"type": "string", "description": "What the page says (quoted or summarised)"},
    "subject": {"type": "string", "description": "Cluster or country"},
    "metric": {
        "type": "string",
        "description": "cluster_rank (rank of the cluster) or clusters_in_top100 (a country's clusters)",
    },
    "as_of": {"type": "string", "description": "Point in the year the count refers to"},
    "base_stations_million": {
        "type": "number",
        "description": "5G base stations in China, millions",
        "unit": "million base stations",
    },
    "date_text": {"type": "string", "description": "Date as written in facts.md (verbatim)"},
    "month": {"type": "integer", "description": "Month (1–12): the first month named in date_text"},
    "milestone": {"type": "string", "description": "Milestone, verbatim from facts.md"},
    "kind": {"type": "string", "description": "Editorial classification (see the resource description)"},
    "source": {"type": "string", "description": "Where the row comes from"},
    "id": {"type": "string", "description": "Identifier of the reported figure"},
    "figure": {"type": "string", "description": "What the number is"},
    "qualifier": {"type": "string", "description": "The source's hedge (over, nearly, at least, more than)"},
    "period": {"type": "string", "description": "Year or period the figure is for"},
    "essay": {"type": "string", "description": "Which essay: anon (unnamed author) or akram (Khalid Taimur Akram)"},
    "quote": {"type": "string", "description": "The essay's exact words"},
    "resource": {"type": "string", "description": "Data resource (file name without .csv) that tests the claim"},
    "code": {"type": "string", "description": "Indicator code(s) in that resource, separated by '; '"},
    "economies": {"type": "string", "description": "Economies shown (iso3), the focus first, separated by '; '"},
    "evidence": {"type": "string", "description": "Kind of evidence: compare, trend, decades, rank or flows"},
    "threshold": {"type": "number", "description": "The claim's own number (decade claims); empty otherwise"},
    "test": {"type": "string", "description": "What in the data tests the claim"},
    "caveats": {"type": "string", "description": "What the data cannot tell, separated by '<br>'"},
    "checked_in": {"type": "string", "description": "Where facts.md checks the claim; empty when it does not"},
}
OPTIONAL_FIELDS = {"obs_status", "aux_obs_status", "footnote", "economies_ranked", "month", "qualifier", "threshold",
                   "caveats", "checked_in"}
ENUM_FIELDS = {
    "country", "iso3", "indicator_code", "unit", "obs_status", "aux_obs_status", "footnote", "region",
    "region_code", "province_zh", "label_zh", "source_table", "economy", "subject", "metric", "as_of",
    "source",
}  # fmt: skip
YEAR_FIELDS = {"year", "gii_edition"}
YEAR_RANGE = (1950, 2026)
PRIMARY_KEYS = {
    "country": ["iso3", "year", "indicator_code"],
    "province": ["region_code", "year", "indicator_code"],
    "ncses_sei_gerd_selected_years": ["iso3", "year", "indicator_name"],
    "gii_china_rank": ["gii_edition"],
    "gii_science_technology_clusters": ["gii_edition", "subject", "metric"],
    "china_5g_base_stations": ["year"],
    MILESTONES: ["milestone"],
    REPORTED: ["id"],
    CLAIMS: ["id"],
}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def primary_key(name: str, columns: list[str]) -> list[str]:
    if name in PRIMARY_KEYS:
        return PRIMARY_KEYS[name]
    if "region_code" in columns:
        return PRIMARY_KEYS["province"]
    return PRIMARY_KEYS["country"]


# --------------------------------------------------------------------------- milestones


def facts_table(facts: Path, heading: str, header: list[str]) -> list[list[str]]:
    """The body rows of the Markdown table in the facts.md section that starts with ``heading``."""
    lines = facts.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        raise SystemExit(f"{facts}: no section {heading!r}")
    table = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    found, rule, *body = table
    if found != header or not all(set(cell) <= set("-: ") for cell in rule):
        raise SystemExit(f"{facts}: table under {heading!r} has header {found}, expected {header}")
    if any(len(row) != len(header) for row in body):
        raise SystemExit(f"{facts}: a row under {heading!r} does not have {len(header)} cells")
    return body


def extract_milestones(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Milestones for a policy timeline', with year, month, kind and source."""
    body = facts_table(facts, "## Milestones for a policy timeline", ["Date", "Milestone", "Source"])
    rows = []
    for date_text, milestone, source in body:
        year = re.search(r"\b(\d{4})\b", date_text)
        if not year:
            raise SystemExit(f"{facts}: no year in milestone date {date_text!r}")
        month = re.search(r"\b(" + "|".join(MONTHS) + r")[a-z]*\b", date_text, re.IGNORECASE)
        rows.append(
            {
                "date_text": date_text,
                "year": year.group(1),
                "month": str(MONTHS.index(month.group(1).lower()) + 1) if month else "",
                "milestone": milestone,
                "kind": classify(milestone),
                "source": source,
            }
        )
    return rows


def extract_reported(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Reported figures' (id, figure, qualifier, value, unit, period, source)."""
    header = ["id", "figure", "qualifier", "value", "unit", "period", "source"]
    rows = [dict(zip(header, row, strict=True)) for row in facts_table(facts, "## Reported figures", header)]
    for row in rows:
        try:
            float(row["value"])
        except ValueError:
            raise SystemExit(f"{facts}: reported figure {row['id']}: value {row['value']!r} is not a number") from None
    return rows


def extract_claims(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Claims for evidence briefs'."""
    header = ["id", "essay", "quote", "resource", "code", "economies", "evidence", "threshold", "test", "caveats",
              "checked in"]
    body = facts_table(facts, "## Claims for evidence briefs", header)
    return [dict(zip(CLAIM_COLUMNS, row, strict=True)) for row in body]


def classify(milestone: str) -> str:
    for kind, pattern in KIND_RULES:
        if re.search(pattern, milestone, re.IGNORECASE):
            return kind
    return KIND_DEFAULT


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --------------------------------------------------------------------------- descriptor parts


def indicators(name: str, columns: list[str], rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The indicators found in the file: {code, name, unit}, one per distinct code."""
    meta = META[name]
    if "wide_indicators" in meta:
        return [
            {"code": col, "name": meta["wide_indicators"][col][0], "unit": meta["wide_indicators"][col][1]}
            for col in columns
            if col in meta["wide_indicators"]
        ]
    field = indicator_field(name, columns)
    if field is None:
        return []
    found: dict[str, tuple[str, str]] = {}
    for row in rows:
        code = row[field]
        entry = meta["metric_meta"][code] if field == "metric" else (row["indicator_name"], row["unit"])
        if found.setdefault(code, entry) != entry:
            raise SystemExit(f"{name}: indicator {code} has more than one name or unit")
    return [{"code": code, "name": n, "unit": u} for code, (n, u) in sorted(found.items())]


def indicator_field(name: str, columns: list[str]) -> str | None:
    if "indicator_field" in META[name]:
        return META[name]["indicator_field"]
    for field in ("indicator_code", "indicator_name"):
        if field in columns:
            return field
    return None


def series_breaks(rows: list[dict[str, str]], notes: dict[str, str], codes: set[str] | None = None):
    """Break years from the OECD flag B, one entry per area."""
    years: dict[str, set[int]] = {}
    for row in rows:
        if "B" in (row["obs_status"] or "").split("+") and (codes is None or row["indicator_code"] in codes):
            years.setdefault(row["iso3"], set()).add(int(row["year"]))
    return [
        {
            "iso3": iso3,
            "years": sorted(found),
            "note": "OECD flag B (break in series)" + (f". {notes[iso3]}" if iso3 in notes else ""),
        }
        for iso3, found in sorted(years.items())
    ]


def schema(name: str, columns: list[str], rows: list[dict[str, str]]) -> dict:
    meta = META[name]
    fields = []
    for col in columns:
        if col not in FIELDS:
            raise SystemExit(f"{name}: no field description for column {col!r}")
        field = {"name": col, **FIELDS[col], **meta.get("fields", {}).get(col, {})}
        values = sorted({row[col] for row in rows if row[col] != ""})
        constraints: dict = {"required": col not in OPTIONAL_FIELDS}
        if col in YEAR_FIELDS:
            constraints["minimum"], constraints["maximum"] = YEAR_RANGE
        elif col == "month":
            constraints["minimum"], constraints["maximum"] = 1, 12
        elif col == "kind":
            constraints["enum"] = MILESTONE_KINDS
        elif col in ("gii_rank", "economies_ranked"):
            constraints["minimum"] = 1
        elif col == "base_stations_million":
            constraints["minimum"] = 0
        elif col == "value":
            low, high = meta["value_range"]
            if low is not None:
                constraints["minimum"] = low
            if high is not None:
                constraints["maximum"] = high
            units = {row["unit"] for row in rows} if "unit" in columns else set()
            if len(units) == 1:
                field["unit"] = units.pop()
        elif col in ENUM_FIELDS and len(values) <= 40:
            constraints["enum"] = values
        field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": primary_key(name, columns), "missingValues": [""]}


def sources_and_licences(name: str, columns: list[str], rows: list[dict[str, str]], ind: list[dict]):
    meta = META[name]
    family = meta.get("family")
    if family == "wdi":
        sources = []
        for entry in ind:
            commit, date = WDI_FILE_COMMITS.get(entry["code"], WDI_HEAD)
            sources.append(
                {
                    "title": f"World Development Indicators: {entry['code']}",
                    "path": f"{WDI_REPO}/tree/{commit}/indicators/{entry['code'].lower()}",
                    "publisher": "World Bank",
                    "commit": commit,
                    "retrieved": date,
                    "snapshot": WDI_HEAD[0],
                }
            )
        return sources, [CC_BY], "World Bank, World Development Indicators"
    if family == "oecd":
        commit, prepared, files = meta["oecd"]
        source = {
            "title": f"OECD STI Scoreboard SDMX export ({files})",
            "path": OECD_REPO,
            "publisher": "OECD",
            "commit": commit,
            "retrieved": OECD_HEAD[1],
            "snapshot": OECD_HEAD[0],
            "last_updated": prepared,
        }
        cite = "OECD, STI Scoreboard" if "PCT" in files else "OECD, Main Science and Technology Indicators"
        return [source], [OECD_TERMS], cite
    if family == "techme":
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
    if family == "press":
        urls = sorted({row["source_url"] for row in rows})
        sources = [{"title": meta["cite_as"], "publisher": meta["publisher"]}] + [
            {"title": f"Press page ({url.split('/')[2]})", "path": url, "publisher": url.split("/")[2]} for url in urls
        ]
        return sources, [PRESS_LICENCE], meta["cite_as"]
    return meta["sources"], meta["licenses"], meta["cite_as"]


def computed_gaps(name: str, rows: list[dict[str, str]]) -> list[str]:
    if name == "gii_china_rank":
        empty = [row["gii_edition"] for row in rows if row["economies_ranked"] == ""]
        return [f"economies_ranked is not given for editions {', '.join(empty)}"] if empty else []
    return []


def describe(name: str, path: Path, all_rows: dict[str, list[dict[str, str]]]) -> dict:
    columns, rows = read_rows(path)
    meta = META[name]
    ind = indicators(name, columns, rows)
    sources, licenses, cite_as = sources_and_licences(name, columns, rows, ind)
    dates = sorted(s["retrieved"] for s in sources if "retrieved" in s)
    if "breaks_from" in meta:
        other, code = meta["breaks_from"]
        present = {(row["iso3"], int(row["year"])) for row in rows}
        note = f"OECD flags a break in series ({other}.csv, {code}); WDI carries no flags"
        breaks = []
        for found in series_breaks(all_rows[other], {}, {code}):
            years = [year for year in found["years"] if (found["iso3"], year) in present]
            if years:
                breaks.append({"iso3": found["iso3"], "years": years, "note": note})
    elif "obs_status" in columns:
        breaks = series_breaks(rows, meta.get("break_notes", {}))
    else:
        breaks = []
    resource = {
        "name": name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": meta["title"],
        "description": meta["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256(path)}",
        "sources": sources,
        "licenses": licenses,
        "cite_as": cite_as,
    }
    if dates:
        resource["retrieved"] = dates[-1]
    field = indicator_field(name, columns) if "wide_indicators" not in meta else None
    if field:
        resource["indicator_field"] = field
    resource["indicators"] = ind
    resource["known_gaps"] = meta["known_gaps"] + computed_gaps(name, rows)
    resource["caveats"] = meta.get("caveats", [])
    resource["series_breaks"] = breaks
    resource["schema"] = schema(name, columns, rows)
    return resource


def build(source: Path, facts: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(p.stem for p in source.glob("*.csv"))
    unknown = sorted(set(names) - set(META))
    if unknown:
        raise SystemExit(f"{source}: no metadata for {unknown}; describe them in {Path(__file__).name}")
    for name in names:
        shutil.copyfile(source / f"{name}.csv", out / f"{name}.csv")
    shutil.copyfile(source / "SOURCES.md", out / "SOURCES.md")
    if facts.resolve() != (out / "facts.md").resolve():
        shutil.copyfile(facts, out / "facts.md")
    write_csv(out / f"{MILESTONES}.csv", extract_milestones(facts))
    write_csv(out / f"{REPORTED}.csv", extract_reported(facts))
    write_csv(out / f"{CLAIMS}.csv", extract_claims(facts))

    names = sorted([*names, MILESTONES, REPORTED, CLAIMS])
    all_rows = {name: read_rows(out / f"{name}.csv")[1] for name in names}
    package = {
        "name": "innovation-course-data",
        "title": "Data for the course on China's innovation-driven development",
        "description": "Tidy CSV files copied byte for byte from the course's checked sources (see SOURCES.md "
        "for provenance, processing and cross-checks), plus policy milestones and reported figures extracted from "
        "the course's facts.md. "
        "Each resource keeps its own licence. Custom keys: cite_as, retrieved (the latest retrieval date of "
        "its sources), indicator_field, indicators, known_gaps, caveats, series_breaks.",
        "profile": "tabular-data-package",
        "resources": [describe(name, out / f"{name}.csv", all_rows) for name in names],
    }
    target = out / "datapackage.json"
    target.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the shared CSVs")
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS,
                        help="the course's checked facts (default: data/facts.md)")
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    args = parser.parse_args(argv)
    target = build(args.source, args.facts, args.out)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
