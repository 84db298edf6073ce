"""OECD STI Scoreboard / MSTI files: R&D by sector and type, publications and citations,
scientist mobility.  Same mirror and same processing as the course's oecd_gerd_ppp.csv
(data/SOURCES.md, section 2): keep the course's areas, drop TIME_PERIOD 2999, join
OBS_STATUS and OBS_STATUS_2 with '+', copy AUX_OBS_STATUS verbatim.

The mirror has no codebook.  Names follow MSTI/STI Scoreboard code conventions and are
checked below against identities that must hold if the names are right (shares sum to
100; a share equals the ratio of the two levels it is built from).  A failed check stops
the script.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from common import COUNTRIES, provenance, write_csv
from sdmx_sti import REPO, read_sti

AGGREGATES = {
    "EU27_2020": "European Union (27, 2020 composition)",
    "OECD": "OECD total",
    "G20": "G20",
}
HEADER = ["country", "iso3", "year", "value", "indicator_code", "indicator_name", "unit",
          "obs_status", "aux_obs_status"]

PCT_GERD = "% of GERD"
SECTOR = {
    "G_XEB": ("GERD performed by the business enterprise sector (BERD), % of GERD", PCT_GERD),
    "G_XEG": ("GERD performed by the government sector, % of GERD", PCT_GERD),
    "G_XEH": ("GERD performed by the higher education sector, % of GERD", PCT_GERD),
    "G_XEI": ("GERD performed by the private non-profit sector, % of GERD", PCT_GERD),
    "G_XFB": ("GERD financed by the business enterprise sector, % of GERD", PCT_GERD),
    "G_XFG": ("GERD financed by government, % of GERD", PCT_GERD),
    "G_XFA": ("GERD financed by the rest of the world, % of GERD", PCT_GERD),
    "G_XFON": ("GERD financed by other national sources, % of GERD", PCT_GERD),
    "B_PPP": ("BERD (business enterprise expenditure on R&D), current prices and PPPs",
              "million USD, current PPP"),
    "B_PPPCT": ("BERD, constant prices and PPPs", "million USD, constant 2020 prices and PPPs"),
    "B_XGDP": ("BERD as a percentage of GDP", "% of GDP"),
    "B_XFB": ("BERD financed by the business enterprise sector, % of BERD", "% of BERD"),
    "B_XFG": ("BERD financed by government, % of BERD", "% of BERD"),
    "B_XFA": ("BERD financed by the rest of the world, % of BERD", "% of BERD"),
    "B_XFON": ("BERD financed by other national sources, % of BERD", "% of BERD"),
}
RD_TYPE = {
    "G_BRXG": ("Basic research expenditure, % of GERD", PCT_GERD),
    "G_ARXG": ("Applied research expenditure, % of GERD", PCT_GERD),
    "G_EDXG": ("Experimental development expenditure, % of GERD", PCT_GERD),
    "G_BRXGDP": ("Basic research expenditure, % of GDP", "% of GDP"),
}
PUBLICATIONS = {
    "FPUBS_NBFRAC": ("Scientific publications (documents), fractional counts", "documents"),
    "TOP10FPUBS_NBFRAC": ("Publications among the world's 10% most-cited, fractional counts",
                          "documents"),
    "TOP10_X": ("Top 10% most-cited publications, % of the economy's publications", "%"),
    "TOP10_X_WLD": ("Economy's share of the world's top 10% most-cited publications", "%"),
    "FPUBS_X_WLD": ("Economy's share of world scientific publications", "%"),
    "NORMCIT_X": ("Normalised citation impact of the economy's publications", "index, world = 100"),
    "INTL_X": ("Publications with international co-authorship, % of the economy's publications",
               "%"),
}
MOBILITY = {
    # OECD STI Scoreboard, scientist mobility from changes of affiliation in Scopus.  The mirror
    # does not document these codes; ANNUAL_FLOWS_NB is NOT INFLOW_NB - OUTFLOW_NB (China 2024:
    # -285.8 against 11,454 - 19,414), so the exact definitions must be read at the OECD.
    "ANNUAL_FLOWS_NB": ("Net annual flow of scientific authors (definition not documented in the mirror)",
                        "authors, fractional"),
    "INFLOW_NB": ("Inflows of scientific authors (reference period not documented in the mirror)",
                  "authors"),
    "OUTFLOW_NB": ("Outflows of scientific authors (reference period not documented in the mirror)",
                   "authors"),
    "INFLOW_IMPACT_I": ("Impact index of inflowing scientific authors (definition not documented in the mirror)",
                        "index"),
    "OUTFLOW_IMPACT_I": ("Impact index of outflowing scientific authors (definition not documented in the mirror)",
                         "index"),
}
FILES = {
    "oecd_rd_by_sector.csv": SECTOR,
    "oecd_rd_by_type.csv": RD_TYPE,
    "oecd_publications_citations.csv": PUBLICATIONS,
    "oecd_scientist_mobility.csv": MOBILITY,
}
AREAS = {**COUNTRIES, **AGGREGATES}
CHECKS = Path(__file__).resolve().parent / "checks_oecd.txt"


def collect(codes: dict) -> tuple[list[list], dict, dict]:
    rows, values, meta = [], {}, {}
    for code, (name, unit) in codes.items():
        obs, prepared, structure = read_sti(code)
        meta[code] = (prepared, structure)
        for o in obs:
            if o["area"] not in AREAS or o["value"] in (None, "", "NaN"):
                continue
            key = (code, o["area"], o["year"])
            if key in values:
                raise SystemExit(f"duplicate observation {key}")
            values[key] = float(o["value"])
            rows.append([AREAS[o["area"]], o["area"], o["year"], o["value"], code, name, unit,
                         o["obs_status"], o["aux_obs_status"]])
    order = list(codes)
    area_order = list(AREAS)
    rows.sort(key=lambda r: (order.index(r[4]), area_order.index(r[1]), r[2]))
    return rows, values, meta


def check_sum(values: dict, codes: list[str], label: str) -> str:
    """Shares that should add to 100.  Reports the groups that do not (within 0.6 points):
    an economy can lack a component (China has no private non-profit sector, and its
    'other sources' of funds have no code in the mirror), so this reports, it does not stop."""
    groups = defaultdict(dict)
    for (code, area, year), v in values.items():
        if code in codes:
            groups[(area, year)][code] = v
    off = [f"{a} {y}: {sum(p.values()):.2f} ({'+'.join(sorted(p))})"
           for (a, y), p in sorted(groups.items()) if abs(sum(p.values()) - 100) > 0.6]
    over = [o for o in off if float(o.split(': ')[1].split(' ')[0]) > 100.6]
    return (f"{label}: {len(groups)} area-years; {len(groups) - len(off)} add to 100 +/- 0.6; "
            f"{len(over)} above 100.6; off by more than 0.6: " + ("; ".join(off) or "none"))


def check_ratio(values: dict, share: str, num: str, den_values: dict, den: str, tol: float,
                scale: float = 100.0) -> int:
    n = 0
    for (code, area, year), v in values.items():
        if code != share:
            continue
        a = values.get((num, area, year))
        b = den_values.get((den, area, year))
        if a is None or not b:
            continue
        if abs(v - scale * a / b) > tol:
            raise SystemExit(f"{share} {area} {year}: {v} vs {scale * a / b}")
        n += 1
    return n


def main() -> None:
    checks = []
    all_meta = {}
    for out, codes in FILES.items():
        rows, values, meta = collect(codes)
        all_meta.update(meta)
        if out == "oecd_rd_by_sector.csv":  # read before provenance(): used by the G_XEB check
            gppp = {("G_PPP", o["area"], o["year"]): float(o["value"])
                    for o in read_sti("G_PPP")[0] if o["area"] in AREAS}
        write_csv(out, HEADER, rows)
        provenance(out, [f"{REPO}:{c}_V8.txt" for c in codes]
                   + ([f"{REPO}:G_PPP_V8.txt"] if out == "oecd_rd_by_sector.csv" else []))
        print(out, len(rows), "rows")
        if out == "oecd_rd_by_sector.csv":
            checks.append(check_sum(values, ["G_XEB", "G_XEG", "G_XEH", "G_XEI"], "GERD by sector of performance"))
            checks.append(check_sum(values, ["G_XFB", "G_XFG", "G_XFA", "G_XFON"], "GERD by source of funds"))
            checks.append(check_sum(values, ["B_XFB", "B_XFG", "B_XFA", "B_XFON"], "BERD by source of funds"))
            n = check_ratio(values, "G_XEB", "B_PPP", gppp, "G_PPP", 0.05)
            checks.append(f"G_XEB = 100 B_PPP / G_PPP (stops if off by > 0.05): {n} area-years")
            base = [y for (c, a, y), v in values.items() if c == "B_PPPCT" and a == "CHN"
                    and abs(v - values[("B_PPP", a, y)]) < 1e-6 * v]
            checks.append(f"B_PPPCT equals B_PPP for China only in {base}: constant prices are 2020 prices")
            if base != [2020]:
                raise SystemExit(f"constant-price base year is not 2020: {base}")
        if out == "oecd_rd_by_type.csv":
            checks.append(check_sum(values, ["G_BRXG", "G_ARXG", "G_EDXG"], "GERD by type of R&D"))
        if out == "oecd_publications_citations.csv":
            n = check_ratio(values, "TOP10_X", "TOP10FPUBS_NBFRAC", values, "FPUBS_NBFRAC", 0.01)
            checks.append(f"TOP10_X = 100 TOP10FPUBS_NBFRAC / FPUBS_NBFRAC (stops if off by > 0.01): {n} area-years")
            # world totals implied by each economy's share must agree across economies
            for share, level in (("FPUBS_X_WLD", "FPUBS_NBFRAC"), ("TOP10_X_WLD", "TOP10FPUBS_NBFRAC")):
                implied = defaultdict(list)
                for (c, a, y), v in values.items():
                    if c == share and a in COUNTRIES and v:
                        implied[y].append(100 * values[(level, a, y)] / v)
                for y, w in implied.items():
                    if max(w) / min(w) > 1.001:
                        raise SystemExit(f"{share} {y}: implied world totals differ {min(w)}..{max(w)}")
                checks.append(f"{share}: the eight economies imply one world total per year "
                              f"(stops if they differ by > 0.1 %): {len(implied)} years")
    report = ("\n".join(checks) + "\n\nSDMX Prepared timestamps:\n"
              + "\n".join(f"{c}: {p} ({st})" for c, (p, st) in sorted(all_meta.items())) + "\n")
    CHECKS.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
