"""Provenance of OECD Main Science and Technology Indicators, from the STI Scoreboard repository on GitHub.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

from .licences import OECD_TERMS

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

META: dict[str, dict] = {
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
    # the course's own copies (sources/SOURCES.md, "OECD R&D by sector and by type of research")
    "oecd_rd_by_sector": {
        "title": "R&D by sector of performance and by source of funds; business R&D (BERD), OECD MSTI",
        "description": OECD_NOTE
        + "STI Scoreboard dataflow OECD.STI.STP:DSD_SBRD(1.2). Code names checked by identities (G_XEB = 100 × "
        "B_PPP / G_PPP; sources/scripts/checks_oecd.txt). Constant prices are 2020 prices (B_PPPCT equals B_PPP "
        "for China only in 2020). " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("65066129336c43f25f4a979754b704b9709a7350", "2026-04-13",
                 "G_XEB, G_XEG, G_XEH, G_XEI, G_XF*, B_PPP at current and constant prices, B_XGDP, B_XF*"),
        "value_range": (0, None),
        "known_gaps": [
            "India is not in the file; no World total",
            "China's funding shares start in 2000, with gaps in 2001–2002",
            "China has no G_XFON (other national sources) row: its listed sources of funds add to only 92–98 %",
            "GBR ends in 2023",
        ],
        "caveats": [
            "BERD includes state-owned enterprises: nothing in the file splits state-owned from private firms",
            "Financed by government counts direct funding only; tax incentives are not included",
            "obs_status: China B_PPPCT 2024 is an estimate (E); USA 2023 is B+D and 2024 D+E or E",
            "aux_obs_status (China V2, L2, M2 in 1991–1999; France S2) is not documented in the file",
        ],
        "break_notes": {"CHN": "China's sector and funding series break in 2009 (sector shares also in 2000)"},
    },
    "oecd_rd_by_type": {
        "title": "R&D by type of research: basic, applied, experimental development, OECD MSTI",
        "description": OECD_NOTE
        + "STI Scoreboard dataflow OECD.STI.STP:DSD_SBRD(1.2). The three shares of GERD add to 100 ± 0.6 in every "
        "area-year (sources/scripts/checks_oecd.txt). " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("0f0ef99cb7290d0bd9666d484b7ab1910e8e6a79", "2026-04-13", "G_BRXG, G_ARXG, G_EDXG, G_BRXGDP"),
        "value_range": (0, 100),
        "known_gaps": [
            "Germany has no basic-research share",
            "GBR only 2007–2013; FRA ends in 2023",
            "No EU-27, OECD or World aggregate; India is not in the file",
        ],
        "caveats": [
            "China's 2023 basic-research share equals the NBS national total (china_provinces_rd.csv)",
            "aux_obs_status (China M2 in 1991–1999; also Germany, Japan, France) is not documented in the file",
        ],
        "break_notes": {"CHN": "China's series break in 2000 and 2009"},
    },
    "oecd_publications_citations": {
        "title": "Scientific publications and citation impact (Scopus), OECD STI Scoreboard",
        "description": OECD_NOTE
        + "Fetched for issue 21 (sources/SOURCES.md). Dataflow OECD.STI.STP:DSD_COMPASS(1.0), OECD calculations "
        "based on Scopus Custom Data, Elsevier. Fractional counts; TOP10_X is the share of an economy's own "
        "publications among the world's 10% most-cited, TOP10_X_WLD its share of the world's most-cited "
        "publications. " + OECD_LICENCE_NOTE,
        "family": "oecd",
        "oecd": ("1bd8844f90bc08c77b7fce54365a9dc45dfb32eb", "2026-04-20", "Scopus-based publication files"),
        "cite_as": "OECD, STI Scoreboard (based on Scopus)",
        "value_range": (0, None),
        "known_gaps": ["Publications start in 2010", "No World total in the file"],
        "caveats": [
            "NORMCIT_X: world average = 100 is inferred from the values, not documented in the mirror",
            "Recent years rest on short citation windows",
            "The file does not say whether self-citations are excluded",
        ],
    },
}


def provenance(meta: dict, rows: list[dict[str, str]], ind: list[dict]) -> tuple[list, list, str]:
    """The sources, licences and citation of a oecd resource, from its rows and indicators."""
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
    cite = meta.get("cite_as") or ("OECD, STI Scoreboard" if "PCT" in files else
                                   "OECD, Main Science and Technology Indicators")
    return [source], [OECD_TERMS], cite
