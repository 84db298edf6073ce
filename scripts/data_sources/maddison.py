"""Provenance of the Maddison Project Database 2020: GDP.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

META: dict[str, dict] = {
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
}
