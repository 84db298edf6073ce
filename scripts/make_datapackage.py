#!/usr/bin/env python3
"""Build the course's ``data/`` folder from the shared, checked source files and the course's own fetched copies.

1. Copy every CSV of the source folders (``../shared/data``, then ``sources/``: files the course fetched itself
   with ``sources/scripts/``) byte for byte, and their ``SOURCES.md`` notes one after the other.
2. Read the course's own ``data/facts.md`` (checked facts, each with its source) and extract two of its tables:
   "Milestones for a policy timeline" into ``policy_milestones.csv``, "Reported figures" into
   ``reported_figures.csv`` and "Claims for evidence briefs" into ``brief_claims.csv``.
3. Write ``datapackage.json``: a Frictionless tabular data package with one resource per CSV
   (checksum, size, provenance, licence, known gaps, series breaks and a Table Schema).

Every number in the output is read from the source files: checksums, indicator lists, series breaks
(OECD flag ``B``), milestone years. The provenance text below (titles, commits, retrieval dates,
caveats) is copied from ``SOURCES.md``. Running the script twice gives byte-identical output.

Usage::

    python scripts/make_datapackage.py [--source ../shared/data --source sources] [--facts data/facts.md] [--out data]

Only the standard library is needed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path

from data_sources import META
from data_sources.facts_tables import (
    CLAIMS,
    MILESTONES,
    REPORTED,
    extract_claims,
    extract_milestones,
    extract_reported,
    write_csv,
)
from data_sources.schema import computed_gaps, indicator_field, indicators, schema, series_breaks, sources_and_licences

ROOT = Path(__file__).resolve().parent.parent
#: the shared, checked files, then the course's own copies fetched by sources/scripts (see sources/SOURCES.md)
DEFAULT_SOURCES = [ROOT.parent / "shared" / "data", ROOT / "sources"]
DEFAULT_FACTS = ROOT / "data" / "facts.md"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe(name: str, path: Path, all_rows: dict[str, list[dict[str, str]]]) -> dict:
    columns, rows = read_rows(path)
    meta = META[name]
    ind = indicators(name, columns, rows)
    sources, licenses, cite_as = sources_and_licences(name, columns, rows, ind)
    dates = sorted(s["retrieved"] for s in sources if "retrieved" in s)
    if "breaks_from" in meta:
        other, code = meta["breaks_from"]
        present = {(row["iso3"], int(row["year"])) for row in rows}
        note = f"OECD flags a break in series ({other}.csv, {code}); WDI carries no flags"
        breaks = []
        for found in series_breaks(all_rows[other], {}, {code}):
            years = [year for year in found["years"] if (found["iso3"], year) in present]
            if years:
                breaks.append({"iso3": found["iso3"], "years": years, "note": note})
    elif "obs_status" in columns:
        breaks = series_breaks(rows, meta.get("break_notes", {}))
    else:
        breaks = []
    resource = {
        "name": name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": meta["title"],
        "description": meta["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256(path)}",
        "sources": sources,
        "licenses": licenses,
        "cite_as": cite_as,
    }
    if dates:
        resource["retrieved"] = dates[-1]
    field = indicator_field(name, columns) if "wide_indicators" not in meta else None
    if field:
        resource["indicator_field"] = field
    resource["indicators"] = ind
    resource["known_gaps"] = meta["known_gaps"] + computed_gaps(name, rows)
    resource["caveats"] = meta.get("caveats", [])
    resource["series_breaks"] = breaks
    resource["schema"] = schema(name, columns, rows)
    return resource


def build(sources: Path | list[Path], facts: Path, out: Path) -> Path:
    """Copy the CSVs of every source folder (the shared, checked files and the course's own fetched copies in
    ``sources/``) into ``out``, with their SOURCES.md notes one after the other, and describe them all."""
    sources = [sources] if isinstance(sources, Path) else list(sources)
    missing = [str(source) for source in sources if not source.is_dir()]
    if missing:  # a package built without a folder of its sources would silently lack its files
        raise SystemExit(f"no source folder {', '.join(missing)}; name the folders with --source")
    out.mkdir(parents=True, exist_ok=True)
    found = {p.stem: p for source in sources for p in sorted(source.glob("*.csv"))}
    names = sorted(found)
    unknown = sorted(set(names) - set(META))
    if unknown:
        raise SystemExit(f"{sources}: no metadata for {unknown}; describe them in scripts/data_sources/")
    for name in names:
        shutil.copyfile(found[name], out / f"{name}.csv")
    notes = [source / "SOURCES.md" for source in sources if (source / "SOURCES.md").is_file()]
    (out / "SOURCES.md").write_bytes(b"\n".join(note.read_bytes() for note in notes))
    if facts.resolve() != (out / "facts.md").resolve():
        shutil.copyfile(facts, out / "facts.md")
    write_csv(out / f"{MILESTONES}.csv", extract_milestones(facts))
    write_csv(out / f"{REPORTED}.csv", extract_reported(facts))
    write_csv(out / f"{CLAIMS}.csv", extract_claims(facts))

    names = sorted([*names, MILESTONES, REPORTED, CLAIMS])
    all_rows = {name: read_rows(out / f"{name}.csv")[1] for name in names}
    package = {
        "name": "innovation-course-data",
        "title": "Data for the course on China's innovation-driven development",
        "description": "Tidy CSV files copied byte for byte from the course's checked sources (see SOURCES.md "
        "for provenance, processing and cross-checks), plus policy milestones and reported figures extracted from "
        "the course's facts.md. "
        "Each resource keeps its own licence. Custom keys: cite_as, retrieved (the latest retrieval date of "
        "its sources), indicator_field, indicators, known_gaps, caveats, series_breaks.",
        "profile": "tabular-data-package",
        "resources": [describe(name, out / f"{name}.csv", all_rows) for name in names],
    }
    target = out / "datapackage.json"
    target.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, action="append", default=None,
                        help="a folder of source CSVs with its SOURCES.md; repeat for several (default: "
                             "../shared/data, then sources/)")
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS,
                        help="the course's checked facts (default: data/facts.md)")
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    args = parser.parse_args(argv)
    target = build(args.source or DEFAULT_SOURCES, args.facts, args.out)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
