"""The second course's findings, computed from its own data file (never typed)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "co2-annmean-mlo.csv"


def annual_means() -> dict[int, float]:
    """Year → annual mean CO2 at Mauna Loa, ppm."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {int(row["Year"]): float(row["Mean"]) for row in csv.DictReader(handle)}


def first_year() -> int:
    """The first year of the Mauna Loa annual series."""
    return min(annual_means())


def rise_ppm(start: int, end: int) -> float:
    """By how many ppm the annual mean rose from ``start`` to ``end``, to two decimals."""
    means = annual_means()
    return round(means[end] - means[start], 2)
