"""Interactive explorations ("the notebook as an app"): pick economies, indicator, years and measure;
the chart and a sentence computed from the data redraw. Pure helpers first, widgets last and thin."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from . import charts, data
from .recent import recall
from .words import ordinal

MEASURES = {
    "level": "Level",
    "index": "Index, first year = 100",
    "growth": "Growth, % a year",
}


def transform(wide: pd.DataFrame, measure: str) -> pd.DataFrame:
    """A wide frame (years × economies) as levels, an index (first year with a non-zero value = 100) or growth
    rates."""
    if measure == "level":
        return wide
    if measure == "index":
        def index(column: pd.Series) -> pd.Series:
            base = column[column.notna() & (column != 0)]
            return column / base.iloc[0] * 100 if len(base) else column * np.nan
        return wide.apply(index)
    if measure == "growth":
        return (wide.pct_change(fill_method=None) * 100).replace([np.inf, -np.inf], np.nan)  # from 0: no rate
    raise ValueError(f"unknown measure {measure!r}; choose one of {sorted(MEASURES)}")


def measure_unit(measure: str, unit: str) -> str:
    """The y-axis unit a measure shows."""
    return {"level": unit, "index": "index, first year = 100", "growth": "% change on the year before"}[measure]


def compound_growth(first: float, last: float, years: int) -> float:
    """Compound annual growth in per cent between two values ``years`` apart."""
    if years <= 0 or not (0 < first < np.inf and 0 < last < np.inf):
        return float("nan")
    return ((last / first) ** (1 / years) - 1) * 100


# ------------------------------------------------------------------------------------- numbers in words

_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def plain_number(value: float, digits: int = 3) -> str:
    """A number as people write it: ``digits`` significant digits, thousands separators, no exponent
    (9190.4 → "9,190", 2.584 → "2.58", 7.6 → "7.6")."""
    if not np.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    decimals = digits - 1 - int(np.floor(np.log10(abs(value))))
    rounded = round(value, decimals)
    text = f"{rounded:,.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def split_unit(unit: str) -> tuple[float, str]:
    """A unit's leading multiplier and the rest: "million USD, current PPP" → (1e6, "USD, current PPP")."""
    head, _, rest = unit.strip().partition(" ")
    if head.lower() in _MULTIPLIERS and rest:
        return _MULTIPLIERS[head.lower()], rest
    return 1.0, unit.strip()


def unit_words(unit: str) -> str:
    """What follows a number in a sentence: "USD, current PPP" → "US dollars at current PPP",
    "current US$ (BoP)" → "current US dollars", "number of applications (…)" → "applications"."""
    words = re.sub(r"\bUS\$|\bUSD\b", "US dollars", split_unit(unit)[1])
    words = re.sub(r"^US dollars, (.+)$", r"US dollars at \1", words)
    words = re.sub(r"^number of (\w+).*$", r"\1", words)
    return re.sub(r"\s*\((?:BoP|balance of payments)\)", "", words).strip()


def amount(value: float, unit: str) -> str:
    """A value in words without its unit: the unit's multiplier applied, then "million", "billion" or
    "trillion" for big numbers (9,190 million → "9.19 billion"; 5.43e8 → "543 million"; 3,240 → "3,240")."""
    multiplier, rest = split_unit(unit)
    if rest.startswith("%") or rest.startswith("index"):
        return plain_number(value)
    full = value * multiplier
    for size, word in _SCALES:
        if abs(full) >= size:
            return f"{plain_number(full / size)} {word}"
    return plain_number(full)


def axis_scale(values: pd.DataFrame, unit: str) -> tuple[float, str]:
    """A divisor and axis unit that keep a chart's numbers short: million USD up to 1.03e6 → (1e3,
    "billion USD, current PPP"); current US$ up to 4.7e10 → (1e9, "billion current US$ (BoP)")."""
    multiplier, rest = split_unit(unit)
    if rest.startswith("%") or rest.startswith("index"):
        return 1.0, unit
    top = float(np.nanmax(np.abs(values.to_numpy(dtype=float)))) * multiplier if values.notna().any().any() else 0
    for size, word in _SCALES:
        if top >= 10 * size and size > multiplier:
            return size / multiplier, f"{word} {rest}"
    return 1.0, unit


def sentence_label(label: str, unit: str) -> str:
    """An indicator's name for a sentence: its original capitals, without a closing bracket that repeats the
    unit ("…, payments (BoP, current US$)" with unit "current US$ (BoP)" → "…, payments")."""
    match = re.search(r"\s*\(([^()]*)\)$", label)
    if match and any(part.strip() and part.strip().lower() in unit.lower() for part in match.group(1).split(",")):
        return label[:match.start()]
    return label


def change_sentence(wide: pd.DataFrame, economy: str, unit: str, label: str, measure: str = "level") -> str:
    """One sentence on an economy's change over the years shown, computed from the frame, with numbers in
    words (no exponents), the unit once (a share's first figure keeps its "%"), and no compounding of rates: a
    share (``unit`` "% of …") changes by percentage points, a growth rate (``measure`` "growth") is averaged, a
    level grows at a compound rate."""
    values = wide[economy].dropna() if economy in wide else pd.Series(dtype=float)
    name = charts.label_for(economy)
    if len(values) < 2:
        return f"The data have fewer than two years for {name} in this range."
    (y0, v0), (y1, v1) = (values.index[0], values.iloc[0]), (values.index[-1], values.iloc[-1])
    others = wide.loc[y1].drop(economy, errors="ignore").dropna()
    rank = f"in {y1} {name} ranks {ordinal(int((others > v1).sum()) + 1)} of the {len(others) + 1} economies shown"
    if measure == "growth":
        return (f"{name}: {label} changed by {v0:+.1f} % in {y0} and {v1:+.1f} % in {y1} on the year before, "
                f"{values.mean():+.1f} % a year on average over {y0}–{y1} (the mean of the yearly changes); "
                f"{rank}.")
    verb = "rose" if v1 > v0 else "fell" if v1 < v0 else "stayed"
    words = _without_repeated_qualifier(unit_words(unit), label)
    if split_unit(unit)[1].startswith("%"):
        trend = f" ({v1 - v0:+.2f} percentage points)"
    else:
        growth = compound_growth(v0, v1, int(y1 - y0))
        trend = f", {growth:+.1f} % a year on average (compound annual growth)" if np.isfinite(growth) else ""
    after = f" {words}" if words and not words.startswith("index") else ""
    index = " (index, first year = 100)" if words.startswith("index") else ""
    start = " %" if split_unit(unit)[1].startswith("%") else ""  # a share's first figure keeps its sign too
    return (f"{name}: {label} {verb} from {amount(v0, unit)}{start} in {y0} to {amount(v1, unit)}{after} in {y1}"
            f"{index}{trend}; {rank}.")


def _without_repeated_qualifier(words: str, label: str) -> str:
    """ "US dollars at current PPP" → "US dollars" when the label already says "current prices and PPPs"."""
    head, sep, qualifier = words.partition(" at ")
    tokens = re.findall(r"[a-z0-9]+", qualifier.lower())
    return head if sep and tokens and all(t in label.lower() for t in tokens) else words


@functools.lru_cache(maxsize=64)
def _wide(resource: str, code: str, economies: tuple[str, ...]) -> pd.DataFrame:
    """:func:`data.series` for an explorer, kept for its next redraws (callers slice it, never change it)."""
    return data.series(resource, code, iso3=list(economies))


def view(resource: str, code: str, economies: Sequence[str], years: tuple[int, int], measure: str,
         layout: dict | None = None, fast: bool = False) -> tuple[dict, dict, str, dict]:
    """What the explorer shows for one choice: the chart's display bundle, its metadata, the sentence, and the
    chart's margins (pass them back as ``layout`` to skip the layout step on the next redraw)."""
    bundle, metadata, sentence, margins, fig = _view(resource, code, economies, years, measure, layout, fast)
    plt.close(fig)
    return bundle, metadata, sentence, margins


def _view(resource: str, code: str, economies: Sequence[str], years: tuple[int, int], measure: str,
          layout: dict | None, fast: bool, figure: plt.Figure | None = None):
    """:func:`view`, drawing into ``figure`` (a chart :func:`charts.line` made) in place when given; also
    returns the figure, left open."""
    chosen = tuple(economies) or ("CHN",)
    wide = _wide(resource, code, chosen).loc[years[0]:years[1]]
    shown = transform(wide, measure)
    unit = measure_unit(measure, data.indicator_unit(resource, code))
    title = data.indicator_label(resource, code)
    label = sentence_label(title, unit)
    economy = "CHN" if "CHN" in shown else chosen[0]
    sentence = change_sentence(shown, economy, unit, label, measure)
    divisor, axis_unit = axis_scale(shown, unit)
    if figure is None:
        fig = charts.line(shown / divisor, title=title, ylabel=axis_unit, source=resource, alt=sentence,
                          show=False, layout=layout)
    else:
        fig = charts.redraw_line(figure, shown / divisor, title=title, ylabel=axis_unit, source=resource,
                                 layout=layout)
    margins = charts.margins(fig)
    bundle, metadata = charts.figure_bundle(fig, sentence, fast=fast, keep=True)
    return bundle, metadata, sentence, margins, fig


#: How many recent choices an explorer keeps drawn (about 100 kB of PNG each), so going back to one is instant.
RENDERED_KEPT = 24


class IndicatorExplorer:
    """The controls, and a chart and sentence shown as ordinary cell outputs updated in place. A slider sends
    its value when released (not at every step of a drag), and a redraw reuses the chart's layout for the same
    indicator and measure, the explorer's one Figure is redrawn in place, and a choice shown recently is
    shown again from ``rendered`` without drawing.
    ``timings`` keeps each redraw's seconds (benchmarks/explore_bench.py reads them)."""

    def __init__(self, resource: str, codes: Sequence[str] | None = None,
                 economies: Sequence[str] = ("CHN", "USA", "JPN", "EUU"), start: int | None = None,
                 end: int | None = None) -> None:
        frame = data.load(resource)
        self.resource = resource
        codes = list(codes or sorted(frame["indicator_code"].unique()))
        available = sorted(frame["iso3"].unique(), key=lambda c: (c != "CHN", charts.label_for(c)))
        years = sorted(frame["year"].unique())
        style = {"description_width": "initial"}
        self.code = widgets.Dropdown(options=[(data.indicator_label(resource, c), c) for c in codes],
                                     description="Indicator:", style=style, layout={"width": "95%"})
        self.economies = widgets.SelectMultiple(
            options=[(charts.label_for(c), c) for c in available],
            value=[c for c in economies if c in available], rows=min(8, len(available)),
            description="Economies (Ctrl/⌘-click for several):", style=style, layout={"width": "auto"})
        self.years = widgets.IntRangeSlider(value=(start or int(years[0]), end or int(years[-1])),
                                            min=int(years[0]), max=int(years[-1]), description="Years:",
                                            continuous_update=False, style=style, layout={"width": "95%"})
        self.measure = widgets.ToggleButtons(options=[(v, k) for k, v in MEASURES.items()], description="Measure:",
                                             style={**style, "button_width": "auto"})
        controls = [self.code] if len(codes) > 1 else []
        self.controls = widgets.VBox([*controls, self.economies, self.years, self.measure])
        self.layouts: dict[tuple[str, str], dict] = {}
        self.timings: list[float] = []
        self.sentence = ""
        self.chart = self.text = None
        self.figure: plt.Figure | None = None  # one figure per explorer, redrawn in place
        self.rendered: dict[tuple, tuple[dict, dict, str]] = {}  # the last RENDERED_KEPT choices' outputs
        for control in (self.code, self.economies, self.years, self.measure):
            control.observe(self.redraw, names="value")

    def current(self, fast: bool = False) -> tuple[dict, dict, str]:
        """Chart bundle, metadata and sentence for the controls' values (the layout kept per indicator and measure)."""
        state = (self.code.value, tuple(self.economies.value), tuple(self.years.value), self.measure.value)
        if not fast:  # a first view is always drawn; a redraw of a choice shown before (Level → Index → Level) is not
            self.rendered.pop(state, None)
        return recall(self.rendered, state, lambda: self._draw(fast), RENDERED_KEPT)

    def _draw(self, fast: bool) -> tuple[dict, dict, str]:
        key = (self.code.value, self.measure.value)
        bundle, metadata, sentence, margins, self.figure = _view(
            self.resource, self.code.value, self.economies.value, self.years.value, self.measure.value,
            self.layouts.get(key), fast, self.figure)
        self.layouts.setdefault(key, margins)
        return bundle, metadata, sentence

    def show(self) -> None:
        """Display the controls, the chart and the sentence."""
        display(self.controls)
        bundle, metadata, self.sentence = self.current()
        self.chart = display(bundle, raw=True, metadata=metadata, display_id=True)
        self.text = display(Markdown(self.sentence), display_id=True)

    def redraw(self, _change=None) -> None:
        """Recompute the chart and sentence and update the outputs shown."""
        began = time.perf_counter()
        bundle, metadata, self.sentence = self.current(fast=True)
        if self.chart is not None:
            self.chart.update(bundle, raw=True, metadata=metadata)
            self.text.update(Markdown(self.sentence))
        self.timings.append(time.perf_counter() - began)


def indicator_explorer(resource: str, codes: Sequence[str] | None = None,
                       economies: Sequence[str] = ("CHN", "USA", "JPN", "EUU"),
                       start: int | None = None, end: int | None = None) -> None:
    """Show widgets to explore one data package resource, with a chart and a sentence that redraw.

    The chart and sentence are ordinary cell outputs updated in place, so a saved or re-executed notebook
    keeps the first view (and nbval can check it) rather than an empty widget area. Returns nothing.
    """
    IndicatorExplorer(resource, codes, economies, start, end).show()
