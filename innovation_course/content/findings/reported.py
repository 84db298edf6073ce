"""Reported figures: numbers from a published statement or plan (the table "Reported figures" in data/facts.md,
one published page per row, as ``data/reported_figures.csv``), not statistical series. Every finding that quotes
one goes through here, so its words say which number is reported.
"""

from __future__ import annotations

import pandas as pd

from .. import data

__all__ = ["reported", "reported_row", "reported_text"]


def reported_row(figure_id: str) -> pd.Series:
    """One row of the reported figures (figure, qualifier, value, unit, period, source)."""
    table = data.load("reported_figures").set_index("id")
    if figure_id not in table.index:
        raise KeyError(f"no reported figure {figure_id!r}; known: {', '.join(table.index)}")
    return table.loc[figure_id]


def reported(figure_id: str) -> float:
    """The value of a reported figure (e.g. ``reported("five_g_target")``)."""
    return float(reported_row(figure_id)["value"])


def _number(value: float) -> str:
    return f"{value:g}"


def reported_text(figure_id: str, with_period: bool = False) -> str:
    """A reported figure as words: its qualifier, value and unit ("over 3.92 trillion yuan")."""
    row = reported_row(figure_id)
    qualifier = str(row["qualifier"]) if pd.notna(row["qualifier"]) and str(row["qualifier"]) else ""
    unit = str(row["unit"])
    text = f"{qualifier} {_number(float(row['value']))} {unit}".strip()
    return text + (f" ({row['period']})" if with_period else "")
