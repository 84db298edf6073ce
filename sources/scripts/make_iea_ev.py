"""IEA Global EV Outlook 2025 data (Global EV Data Explorer, version 1.2 of 25 July 2025).

Source: the IEA workbook EVDataExplorer2025.xlsx, sheet GEVO_EV_2025, as committed to
GitHub `Vasanth2310/EV-Pulse` (data/EVDataExplorer2025.xlsx).  The IEA's own download was
not reachable offline; the copy is checked cell for cell against an independent copy, the
CSV export data/raw_data/EVDataExplorer2025.csv in `mei-glow/data-visualization-shiny`:
every one of the 16,436 rows must match (key and value) or the script stops.

Kept: category 'Historical' (projections dropped); EV sales, EV stock, EV sales share and
EV stock share for Cars; Battery demand (GWh) for every mode; the course's countries the
IEA covers plus World, EU27 and Europe.  IEA names are mapped to ISO3 codes.
"""

from __future__ import annotations

import io

import pandas as pd
from common import provenance, read_blob, write_csv

REPO = "Vasanth2310/EV-Pulse"
PATH = "data/EVDataExplorer2025.xlsx"
CHECK_REPO = "mei-glow/data-visualization-shiny"
CHECK_PATH = "data/raw_data/EVDataExplorer2025.csv"

REGIONS = {
    "China": ("China", "CHN"),
    "USA": ("United States", "USA"),
    "Japan": ("Japan", "JPN"),
    "Germany": ("Germany", "DEU"),
    "Korea": ("Korea, Rep.", "KOR"),
    "United Kingdom": ("United Kingdom", "GBR"),
    "India": ("India", "IND"),
    "France": ("France", "FRA"),
    "World": ("World", "WLD"),
    "EU27": ("European Union (27)", "EU27"),
    "Europe": ("Europe (IEA region)", "EUROPE"),
}
CAR_PARAMETERS = ["EV sales", "EV stock", "EV sales share", "EV stock share"]
KEY = ["region_country", "category", "parameter", "mode", "powertrain", "year", "unit"]


def main() -> None:
    sheet = pd.read_excel(io.BytesIO(read_blob(REPO, PATH)), sheet_name="GEVO_EV_2025")
    other = pd.read_csv(io.BytesIO(read_blob(CHECK_REPO, CHECK_PATH)))
    merged = sheet.merge(other, on=KEY, how="outer", indicator=True, suffixes=("", "_check"))
    unmatched = merged[merged["_merge"] != "both"]
    differ = merged[(merged["_merge"] == "both") & (merged["value"] != merged["value_check"])]
    if len(unmatched) or len(differ) or len(sheet) != len(other):
        raise SystemExit(f"copies differ: {len(unmatched)} unmatched, {len(differ)} values")
    print(f"cross-check: {len(sheet)} rows identical in both copies")

    hist = sheet[(sheet["category"] == "Historical") & sheet["region_country"].isin(REGIONS)]
    cars = hist[hist["parameter"].isin(CAR_PARAMETERS) & (hist["mode"] == "Cars")]
    battery = hist[hist["parameter"] == "Battery demand"]
    keep = pd.concat([cars, battery]).drop_duplicates(subset=KEY)
    rows = []
    for r in keep.itertuples(index=False):
        name, iso = REGIONS[r.region_country]
        label = f"{r.parameter}, {r.mode}, {r.powertrain}"
        rows.append([name, iso, int(r.year), repr(float(r.value)), r.parameter, label, r.unit,
                     r.mode, r.powertrain])
    order = [*CAR_PARAMETERS, "Battery demand"]
    regions = [v[1] for v in REGIONS.values()]
    rows.sort(key=lambda x: (order.index(x[4]), x[7], x[8], regions.index(x[1]), x[2]))
    out = "iea_gevo2025_ev.csv"
    write_csv(out, ["country", "iso3", "year", "value", "indicator_code", "indicator_name",
                    "unit", "mode", "powertrain"], rows)
    provenance(out, [f"{REPO}:{PATH}", f"{CHECK_REPO}:{CHECK_PATH}"])
    print(out, len(rows), "rows")


if __name__ == "__main__":
    main()
