"""Penn World Table 10.01: productivity series for the course's eight countries.

Source: CRAN package pwt10 (GitHub mirror cran/pwt10), file data/pwt10.01.rda, which holds
PWT 10.01 unchanged as an R data frame (12,810 rows x 52 variables, 183 countries,
1950-2019).  Read with the PyPI package `rdata`.  Output: ../data/pwt1001_productivity.csv
(tidy long).  Only the listed variables and countries are kept; empty values are dropped.
Labels and units are the package's own (man/pwt10.01.Rd).  Flags i_cig and i_outlier are
copied verbatim (they describe the relative-price data behind the PPP-based variables).
"""

from __future__ import annotations

import math
import tempfile

import rdata
from common import COUNTRIES, fmt, provenance, read_blob, write_csv

REPO = "cran/pwt10"
PATH = "data/pwt10.01.rda"

# code -> (indicator_name, unit), wording from man/pwt10.01.Rd of the same snapshot
VARIABLES = {
    "rtfpna": ("TFP at constant national prices", "index, 2017 = 1"),
    "rwtfpna": ("Welfare-relevant TFP at constant national prices", "index, 2017 = 1"),
    "ctfp": ("TFP level at current PPPs", "index, USA = 1"),
    "cwtfp": ("Welfare-relevant TFP levels at current PPPs", "index, USA = 1"),
    "rgdpo": ("Output-side real GDP at chained PPPs", "million 2017 USD"),
    "rgdpna": ("Real GDP at constant 2017 national prices", "million 2017 USD"),
    "emp": ("Number of persons engaged", "millions"),
    "avh": ("Average annual hours worked by persons engaged", "hours"),
    "hc": ("Human capital index, based on years of schooling and returns to education", "index"),
    "rnna": ("Capital stock at constant 2017 national prices", "million 2017 USD"),
    "rkna": ("Capital services at constant 2017 national prices", "index, 2017 = 1"),
    "labsh": ("Share of labour compensation in GDP at current national prices", "share (0-1)"),
    "pop": ("Population", "millions"),
}


def flag(value: object) -> str:
    """Category value as text; missing (NaN/None) as empty."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def main() -> None:
    blob = read_blob(REPO, PATH)
    with tempfile.NamedTemporaryFile(suffix=".rda") as tmp:
        tmp.write(blob)
        tmp.flush()
        df = rdata.conversion.convert(rdata.parser.parse_file(tmp.name))["pwt10.01"]
    df = df[df["isocode"].astype(str).isin(COUNTRIES)]
    rows = []
    for rec in df.to_dict("records"):
        iso = str(rec["isocode"])
        for code, (name, unit) in VARIABLES.items():
            val = rec[code]
            if val is None or math.isnan(val):
                continue
            rows.append([
                COUNTRIES[iso], iso, int(rec["year"]), fmt(val), code, name, unit,
                flag(rec["i_cig"]),
                flag(rec["i_outlier"]),
            ])
    rows.sort(key=lambda r: (list(VARIABLES).index(r[4]), r[1], r[2]))
    out = "pwt1001_productivity.csv"
    write_csv(out, ["country", "iso3", "year", "value", "indicator_code", "indicator_name",
                    "unit", "i_cig", "i_outlier"], rows)
    provenance(out, [f"{REPO}:{PATH}"])
    print(out, len(rows), "rows")


if __name__ == "__main__":
    main()
