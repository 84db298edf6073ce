"""Read the course's data files with the csv module alone, so tests recompute findings without the package."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def raw(name: str, field: str = "indicator_code") -> dict[str, dict[tuple[str, int], float]]:
    """indicator (the ``field`` column) → {(iso3, year): value}, straight from ``data/<name>.csv``."""
    table: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row[field]][(row["iso3"], int(row["year"]))] = float(row["value"])
    return table


def reported(figure_id: str) -> float:
    """The value of one reported figure, from ``data/reported_figures.csv``."""
    with (DATA / "reported_figures.csv").open(encoding="utf-8", newline="") as handle:
        return next(float(r["value"]) for r in csv.DictReader(handle) if r["id"] == figure_id)
