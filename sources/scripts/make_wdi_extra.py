"""World Bank WDI: labour productivity and technology content of industry and exports.

Same mirror, snapshot and processing as the course's wdi_*.csv files (data/SOURCES.md,
section 1): GitHub `datasets/world-development-indicators`, indicators/<code>/data.csv and
datapackage.json (title, licence).  Kept: the course's countries plus WLD and EUU; empty
values dropped.  Two files:
  wdi_labour_productivity.csv  SL.GDP.PCAP.EM.KD (GDP per person employed, constant 2021 PPP $)
  wdi_tech_content.csv         NV.MNF.TECH.ZS.UN, TX.MNF.TECH.ZS.UN
The mirror has no ICT goods trade series (TM.VAL.ICTG.ZS.UN / TX.VAL.ICTG.ZS.UN): they are
not among its 325 indicators, in this snapshot or in its history.
"""

from __future__ import annotations

import csv
import io
import json

from common import COUNTRIES, provenance, read_blob, write_csv

REPO = "datasets/world-development-indicators"
AREAS = {**COUNTRIES, "WLD": "World", "EUU": "European Union"}
FILES = {
    "wdi_labour_productivity.csv": {"sl.gdp.pcap.em.kd": "constant 2021 PPP $ per person employed"},
    "wdi_tech_content.csv": {
        "nv.mnf.tech.zs.un": "% of manufacturing value added",
        "tx.mnf.tech.zs.un": "% of manufactured exports",
    },
}


def main() -> None:
    for out, codes in FILES.items():
        rows, sources = [], []
        for code, unit in codes.items():
            meta_path = f"indicators/{code}/datapackage.json"
            data_path = f"indicators/{code}/data.csv"
            meta = json.loads(read_blob(REPO, meta_path))
            if [lic["name"] for lic in meta["licenses"]] != ["CC-BY-4.0"]:
                raise SystemExit(f"{code}: unexpected licence {meta['licenses']}")
            sources += [f"{REPO}:{meta_path}", f"{REPO}:{data_path}"]
            text = read_blob(REPO, data_path).decode("utf-8")
            for rec in csv.DictReader(io.StringIO(text)):
                iso = rec["Country Code"]
                if iso not in AREAS or rec["Value"] in ("", "NA"):
                    continue
                rows.append([AREAS[iso], iso, int(rec["Year"]), rec["Value"], code.upper(),
                             meta["title"], unit])
        isos = list(AREAS)
        order = [c.upper() for c in codes]
        rows.sort(key=lambda r: (order.index(r[4]), isos.index(r[1]), r[2]))
        write_csv(out, ["country", "iso3", "year", "value", "indicator_code", "indicator_name",
                        "unit"], rows)
        provenance(out, sources)
        print(out, len(rows), "rows")


if __name__ == "__main__":
    main()
