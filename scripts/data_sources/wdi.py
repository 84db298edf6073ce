"""Provenance of World Bank World Development Indicators, from the datahub.io mirror on GitHub.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

from .licences import CC_BY

WDI_REPO = "https://github.com/datasets/world-development-indicators"
WDI_HEAD = ("4ebec5a2273f531ba238a34dbe440394dc5a6c4b", "2026-07-01")
# Indicator files whose last change is older than the snapshot HEAD: (commit, commit date).
WDI_FILE_COMMITS = {
    "IP.PAT.RESD": ("20289a7f4a748722b6d7142af0ab972f6d038452", "2025-12-17"),
    "IP.PAT.NRES": ("59aa866f1c89605bc8e72b0274d699118b4c0025", "2026-04-01"),
    "NY.GDP.PCAP.KD.ZG": ("6b2145a46a8033433e071207ae4bdd332d02a73c", "2026-05-01"),
    "NV.MNF.TECH.ZS.UN": ("20289a7f4a748722b6d7142af0ab972f6d038452", "2025-12-17"),
    "TX.MNF.TECH.ZS.UN": ("59aa866f1c89605bc8e72b0274d699118b4c0025", "2026-04-01"),
}
WDI_NOTE = (
    "Taken from the datahub.io 'core' mirror of WDI (GitHub datasets/world-development-indicators, "
    "snapshot HEAD 4ebec5a2273f531ba238a34dbe440394dc5a6c4b, 2026-07-01), files "
    "indicators/<code in lower case>/data.csv. The mirror does not keep WDI's own 'Last Updated Date'; "
    "the commit dates are the retrieval dates (listed per indicator in sources). Missing years are absent, "
    "not gap-filled. "
)

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
    "wdi_labour_productivity": {
        "title": "GDP per person employed (constant 2021 PPP $), World Bank WDI",
        "description": WDI_NOTE
        + "Fetched for issue 21 (sources/SOURCES.md). GDP divided by total employment, in constant 2021 "
        "international dollars (PPP); compiled by the World Bank from ILO employment estimates.",
        "family": "wdi",
        "value_range": (0, None),
        "known_gaps": [],
        "caveats": ["Constant 2021 PPP dollars, not 2017 as in the Penn World Table",
                    "Persons employed, not hours worked"],
    },
    "wdi_tech_content": {
        "title": "Medium and high-tech share of manufacturing value added and of manufactured exports, World Bank WDI",
        "description": WDI_NOTE
        + "Fetched for issue 21 (sources/SOURCES.md). The suffix UN marks series compiled from UN data "
        "(UNIDO, UN Comtrade); the mirror does not name the compiler.",
        "family": "wdi",
        "value_range": (0, 100),
        "known_gaps": ["Both series end in 2022", "No World or EU aggregate in the file",
                       "No trade in integrated circuits or ICT goods: not in the course's WDI mirror"],
        "caveats": ["A share of exports by product category: it cannot show where the technology in a product "
                    "was designed, nor the value added in China"],
    },
}


def provenance(meta: dict, rows: list[dict[str, str]], ind: list[dict]) -> tuple[list, list, str]:
    """The sources, licences and citation of a wdi resource, from its rows and indicators."""
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
