"""Solar power: installed capacity (IRENA), generation and share of electricity (Ember and
Energy Institute), as published by Our World in Data in its chart data packages.

Source: three OWID "data package" zips (CSV + metadata JSON + readme, downloaded from
ourworldindata.org on 2025-02-09 as their metadata say), committed unchanged to GitHub
`wang34/Progetto-Visualizzazione-Scientifica` under csv/fonti-rinnovabili/.  The script reads
the zip (the publisher's package) and checks that the unpacked copy committed beside it is
byte-identical.  Names, units and the variable short names come from each package's
metadata JSON.  Kept: the course's countries, World and European Union (27).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from common import provenance, read_blob, write_csv

REPO = "wang34/Progetto-Visualizzazione-Scientifica"
BASE = "csv/fonti-rinnovabili"
CHARTS = ["installed-solar-pv-capacity", "solar-energy-consumption", "share-electricity-solar"]
ENTITIES = {
    "China": ("China", "CHN"),
    "United States": ("United States", "USA"),
    "Japan": ("Japan", "JPN"),
    "Germany": ("Germany", "DEU"),
    "South Korea": ("Korea, Rep.", "KOR"),
    "United Kingdom": ("United Kingdom", "GBR"),
    "India": ("India", "IND"),
    "France": ("France", "FRA"),
    "World": ("World", "OWID_WRL"),
    "European Union (27)": ("European Union (27)", "EU27"),
}


def main() -> None:
    rows, sources, notes = [], [], []
    for chart in CHARTS:
        zpath = f"{BASE}/{chart}.zip"
        cpath = f"{BASE}/{chart}/{chart}.csv"
        with zipfile.ZipFile(io.BytesIO(read_blob(REPO, zpath))) as z:
            data = z.read(f"{chart}.csv")
            meta = json.loads(z.read(f"{chart}.metadata.json"))
        if data != read_blob(REPO, cpath):
            raise SystemExit(f"{chart}: unpacked CSV differs from the zip")
        sources += [f"{REPO}:{zpath}", f"{REPO}:{cpath}"]
        (column, info), = meta["columns"].items()
        notes.append(f"{chart}: {info['shortName']} ({info['citationShort']}; last updated "
                     f"{info['lastUpdated']}; downloaded {meta['dateDownloaded']})")
        for rec in csv.DictReader(io.StringIO(data.decode("utf-8"))):
            if rec["Entity"] not in ENTITIES or rec[column] == "":
                continue
            name, iso = ENTITIES[rec["Entity"]]
            rows.append([name, iso, int(rec["Year"]), rec[column], info["shortName"],
                         info["titleLong"], info["unit"]])
    order = [json.loads(zipfile.ZipFile(io.BytesIO(read_blob(REPO, f"{BASE}/{c}.zip")))
                        .read(f"{c}.metadata.json"))["columns"] for c in CHARTS]
    codes = [next(iter(o.values()))["shortName"] for o in order]
    isos = [v[1] for v in ENTITIES.values()]
    rows.sort(key=lambda r: (codes.index(r[4]), isos.index(r[1]), r[2]))
    out = "owid_solar.csv"
    write_csv(out, ["country", "iso3", "year", "value", "indicator_code", "indicator_name", "unit"],
              rows)
    provenance(out, sources)
    print(out, len(rows), "rows")
    print("\n".join(notes))


if __name__ == "__main__":
    main()
