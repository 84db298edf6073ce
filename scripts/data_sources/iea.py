"""Provenance of the IEA Global EV Outlook 2025 data (electric cars and EV battery demand).

Text, commits and dates are copied from SOURCES.md (sources/SOURCES.md); no data values are typed here."""

from __future__ import annotations

from .licences import CC_BY

META: dict[str, dict] = {
    "iea_gevo2025_ev": {
        "title": "Electric cars (sales, stock, shares) and EV battery demand, IEA Global EV Outlook 2025",
        "description": "IEA Global EV Data Explorer 2025 (workbook EVDataExplorer2025.xlsx, sheet GEVO_EV_2025, "
        "version 1.2), historical rows only, copied from GitHub Vasanth2310/EV-Pulse, snapshot HEAD "
        "b042803c3f61e0242d9e5b2c67c6dd863c6bac4c (added in bcc87c7cda5c22e2d45cfd92daeba39161589dc0); every "
        "row was checked against an independent CSV export (mei-glow/data-visualization-shiny). indicator_code "
        "is the IEA parameter, and mode and powertrain say which vehicles; indicator_name joins the three, one "
        "name per series. Licence as recorded by Our World in Data for the IEA's Global EV Outlook data; the "
        "workbook itself states none. 'retrieved' is the date the workbook was committed to the copy used.",
        "indicator_field": "indicator_name",
        "value_range": (0, None),
        "fields": {
            "indicator_code": {"description": "IEA parameter (EV sales, EV stock, EV sales share, ...)"},
            "indicator_name": {"description": "Parameter, mode and powertrain: the name of one series"},
        },
        "sources": [
            {
                "title": "IEA (2025), Global EV Outlook 2025: EVDataExplorer2025.xlsx",
                "path": "https://github.com/Vasanth2310/EV-Pulse",
                "publisher": "IEA",
                "commit": "bcc87c7cda5c22e2d45cfd92daeba39161589dc0",
                "retrieved": "2026-03-22",
                "snapshot": "b042803c3f61e0242d9e5b2c67c6dd863c6bac4c",
            }
        ],
        "licenses": [CC_BY],
        "cite_as": "IEA (2025), Global EV Outlook 2025",
        "known_gaps": [
            "Historical data end in 2024 (the 2026 edition could not be fetched)",
            "Battery demand only for China, USA, India, Europe and World",
        ],
        "caveats": [
            "Sales are by country of sale, not of production: the file cannot show where cars are made",
            "Values rounded to two significant figures by the IEA",
            "Battery demand is batteries in EVs sold, not cell production",
        ],
    },
}
