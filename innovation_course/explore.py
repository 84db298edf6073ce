"""Interactive explorations ("the notebook as an app"): pick economies, indicator, years and measure;
the chart and a sentence computed from the data redraw. Pure helpers first, widgets last and thin."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from . import charts, data

MEASURES = {
    "level": "Level",
    "index": "Index, first year = 100",
    "growth": "Growth, % a year",
}


def transform(wide: pd.DataFrame, measure: str) -> pd.DataFrame:
    """A wide frame (years × economies) as levels, an index (first year with data = 100) or growth rates."""
    if measure == "level":
        return wide
    if measure == "index":
        return wide.apply(lambda s: s / s.dropna().iloc[0] * 100 if s.notna().any() else s)
    if measure == "growth":
        return wide.pct_change(fill_method=None) * 100
    raise ValueError(f"unknown measure {measure!r}; choose one of {sorted(MEASURES)}")


def measure_unit(measure: str, unit: str) -> str:
    """The y-axis unit a measure shows."""
    return {"level": unit, "index": "index, first year = 100", "growth": "% change on the year before"}[measure]


def compound_growth(first: float, last: float, years: int) -> float:
    """Compound annual growth in per cent between two values ``years`` apart."""
    if years <= 0 or first <= 0 or last <= 0:
        return float("nan")
    return ((last / first) ** (1 / years) - 1) * 100


def change_sentence(wide: pd.DataFrame, economy: str, unit: str, label: str) -> str:
    """One sentence on an economy's change over the years shown, computed from the frame."""
    values = wide[economy].dropna() if economy in wide else pd.Series(dtype=float)
    name = charts.label_for(economy)
    if len(values) < 2:
        return f"The data have fewer than two years for {name} in this range."
    (y0, v0), (y1, v1) = (values.index[0], values.iloc[0]), (values.index[-1], values.iloc[-1])
    growth = compound_growth(v0, v1, int(y1 - y0))
    trend = f", {growth:+.1f} % a year compounded" if np.isfinite(growth) else ""
    others = wide.loc[y1].drop(economy, errors="ignore").dropna()
    rank = int((others > v1).sum()) + 1
    return (f"{name}: {label} went from {v0:,.3g} in {y0} to {v1:,.3g} {unit} in {y1}{trend}; "
            f"in {y1} it ranks {rank} of {len(others) + 1} economies shown.")


def indicator_explorer(resource: str, codes: Sequence[str] | None = None,
                       economies: Sequence[str] = ("CHN", "USA", "JPN", "EUU"),
                       start: int | None = None, end: int | None = None) -> None:
    """Show widgets to explore one data package resource, with a chart and a sentence that redraw.

    The chart and sentence are ordinary cell outputs updated in place, so a saved or re-executed notebook
    keeps the first view (and nbval can check it) rather than an empty widget area.
    """
    frame = data.load(resource)
    codes = list(codes or sorted(frame["indicator_code"].unique()))
    available = sorted(frame["iso3"].unique(), key=lambda c: (c != "CHN", charts.label_for(c)))
    years = sorted(frame["year"].unique())
    style = {"description_width": "initial"}
    pick_code = widgets.Dropdown(options=[(data.indicator_label(resource, c), c) for c in codes],
                                 description="Indicator:", style=style, layout={"width": "95%"})
    pick_economies = widgets.SelectMultiple(
        options=[(charts.label_for(c), c) for c in available],
        value=[c for c in economies if c in available], rows=min(8, len(available)),
        description="Economies (Ctrl/⌘-click for several):", style=style)
    pick_years = widgets.IntRangeSlider(value=(start or int(years[0]), end or int(years[-1])),
                                        min=int(years[0]), max=int(years[-1]), description="Years:",
                                        style=style, layout={"width": "95%"})
    pick_measure = widgets.ToggleButtons(options=[(v, k) for k, v in MEASURES.items()], description="Measure:",
                                         style=style)

    def view() -> tuple[tuple[dict, dict], str]:
        chosen = list(pick_economies.value) or ["CHN"]
        wide = data.series(resource, pick_code.value, iso3=chosen).loc[pick_years.value[0]:pick_years.value[1]]
        shown = transform(wide, pick_measure.value)
        unit = measure_unit(pick_measure.value, data.indicator_unit(resource, pick_code.value))
        label = data.indicator_label(resource, pick_code.value)
        sentence = change_sentence(shown, "CHN" if "CHN" in shown else chosen[0], unit, label.lower())
        fig = charts.line(shown, title=label, ylabel=unit, source=resource, alt=sentence, show=False)
        return charts.figure_bundle(fig, sentence), sentence

    controls = [pick_code] if len(codes) > 1 else []
    display(widgets.VBox([*controls, pick_economies, pick_years, pick_measure]))
    (bundle, metadata), sentence = view()
    chart = display(bundle, raw=True, metadata=metadata, display_id=True)
    text = display(Markdown(sentence), display_id=True)

    def redraw(_change) -> None:
        (new_bundle, new_metadata), new_sentence = view()
        chart.update(new_bundle, raw=True, metadata=new_metadata)
        text.update(Markdown(new_sentence))

    for control in (pick_code, pick_economies, pick_years, pick_measure):
        control.observe(redraw, names="value")
