"""Provenance of the Penn World Table 10.01 productivity file, from the CRAN mirror of the R package ``pwt10``.

Text, commits and dates are copied from SOURCES.md (sources/SOURCES.md); no data values are typed here."""

from __future__ import annotations

from .licences import CC_BY

META: dict[str, dict] = {
    "pwt1001_productivity": {
        "title": "Total factor productivity, real GDP, employment and capital, Penn World Table 10.01",
        "description": "Penn World Table 10.01 (Feenstra, Inklaar and Timmer 2015; Groningen Growth and Development "
        "Centre), taken unchanged from the R package pwt10 (version 10.01-0) on GitHub cran/pwt10, snapshot HEAD "
        "957b298fd706a567af96ccb1663ad68d5e5d07ba, file data/pwt10.01.rda; 8 countries and 13 variables kept, "
        "with PWT's flags i_cig (how relative prices were obtained) and i_outlier copied for every row. "
        "rtfpna and rwtfpna are indices (2017 = 1) of change within a country; ctfp and cwtfp compare levels "
        "(USA = 1) at current PPPs. Labour productivity is not in the file: compute rgdpo / emp. 'retrieved' is "
        "the date of the snapshot's last change (the package's publication).",
        "value_range": (0, None),
        "sources": [
            {
                "title": "Penn World Table version 10.01, R package pwt10 (data/pwt10.01.rda)",
                "path": "https://github.com/cran/pwt10",
                "publisher": "Groningen Growth and Development Centre",
                "commit": "957b298fd706a567af96ccb1663ad68d5e5d07ba",
                "retrieved": "2023-02-27",
                "snapshot": "957b298fd706a567af96ccb1663ad68d5e5d07ba",
            }
        ],
        "licenses": [CC_BY],
        "cite_as": "Penn World Table 10.01, Groningen Growth and Development Centre "
        "(Feenstra, Inklaar and Timmer 2015)",
        "known_gaps": [
            "TFP series end in 2019: PWT 11.0 (data to 2023) could not be fetched",
            "avh (hours) for China and India starts in 1970",
            "No world or EU aggregate",
        ],
        "caveats": [
            "TFP is a residual: it depends on PWT's capital stocks, labour shares and the official GDP",
            "rtfpna compares years within a country, not levels across countries (use ctfp, USA = 1)",
            "China's relative-price data after 2017 are extrapolated (i_cig)",
        ],
    },
}
