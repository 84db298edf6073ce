"""Provenance of Our World in Data's solar power series (IRENA capacity; Ember and Energy Institute generation).

Text, commits and dates are copied from SOURCES.md (sources/SOURCES.md); no data values are typed here."""

from __future__ import annotations

from .licences import CC_BY

META: dict[str, dict] = {
    "owid_solar": {
        "title": "Solar capacity, generation and share of electricity, Our World in Data",
        "description": "Three Our World in Data chart packages downloaded from ourworldindata.org on 2025-02-09 "
        "and committed unchanged to GitHub wang34/Progetto-Visualizzazione-Scientifica (snapshot HEAD "
        "28ee79377b4e065e9e97aca1c5d2d3abd2bd6da8, added in b7921bf33299aeddf20632aadec3fb9085304fad): installed "
        "solar capacity from IRENA (Renewable Capacity Statistics 2024), solar generation and its share of "
        "electricity from Ember and the Energy Institute, with processing by Our World in Data. OWID_WRL is the "
        "world; EU27 is the European Union (27). 'retrieved' is the date of the download.",
        "value_range": (0, None),
        "sources": [
            {
                "title": "Our World in Data: installed solar PV capacity, solar energy, share of electricity from "
                "solar (chart data packages)",
                "path": "https://github.com/wang34/Progetto-Visualizzazione-Scientifica",
                "publisher": "Our World in Data",
                "commit": "b7921bf33299aeddf20632aadec3fb9085304fad",
                "retrieved": "2025-02-09",
                "snapshot": "28ee79377b4e065e9e97aca1c5d2d3abd2bd6da8",
            }
        ],
        "licenses": [CC_BY],
        "cite_as": "Our World in Data, from IRENA, Ember and Energy Institute",
        "known_gaps": ["Series end in 2023", "EU27 generation and share end in 2022"],
        "caveats": [
            "Deployment data (where panels are installed and run): they cannot show where panels are made",
            "The licences of the original sources (IRENA, Ember, Energy Institute) were not verified against the "
            "publishers' own pages",
        ],
    },
}
