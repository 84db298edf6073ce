"""China's three big innovation city-regions, by province, and a province explorer.

The province files (``china_provinces_rd``, ``china_provinces_patents``) have one row per province and year.
The city-regions are groups of provinces:

* Beijing–Tianjin–Hebei (京津冀 Jīng-Jīn-Jì): Beijing, Tianjin, Hebei;
* the Yangtze River Delta (长三角 Cháng Sānjiǎo): Shanghai, Jiangsu, Zhejiang, Anhui;
* the Guangdong–Hong Kong–Macao Greater Bay Area (粤港澳大湾区 Yuè-Gǎng-Ào Dàwānqū): nine Guangdong cities plus
  Hong Kong and Macao. The province data have Guangdong as a whole and nothing for Hong Kong or Macao, so
  **Guangdong stands in for the GBA** and is labelled as a proxy wherever it is shown.

Pure functions first (tested in ``tests/test_regions.py``); the widget at the end only wires them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import data
from .recent import recall

RD = "china_provinces_rd"
PATENTS = "china_provinces_patents"
NATIONAL = "CN"
INTENSITY = "v4_ztr_qd_RD"
EXPENDITURE = "v4_ztr_jf_RD"


@dataclass(frozen=True)
class CityRegion:
    """A group of provinces; ``proxy`` is True when the provinces only approximate the region."""

    key: str
    name: str
    name_zh: str
    pinyin: str
    provinces: tuple[str, ...]  # ISO 3166-2:CN codes as in the data's region_code column
    proxy: bool = False
    note: str = ""

    @property
    def label(self) -> str:
        """The name to print on a chart: a proxy says so."""
        return "Guangdong (GBA proxy)" if self.proxy else self.name


CITY_REGIONS: dict[str, CityRegion] = {
    "JJJ": CityRegion("JJJ", "Beijing–Tianjin–Hebei", "京津冀", "Jīng-Jīn-Jì", ("CN-BJ", "CN-TJ", "CN-HE")),
    "YRD": CityRegion("YRD", "Yangtze River Delta", "长三角", "Cháng Sānjiǎo",
                      ("CN-SH", "CN-JS", "CN-ZJ", "CN-AH")),
    "GBA": CityRegion("GBA", "Greater Bay Area", "粤港澳大湾区", "Yuè-Gǎng-Ào Dàwānqū", ("CN-GD",), proxy=True,
                      note="The province data cover Guangdong as a whole (21 cities, not only the GBA's nine) "
                           "and have no figures for Hong Kong or Macao."),
}

#: The Greater Bay Area's eleven cities (shared/facts.md, claim 8: Outline Development Plan, 18 Feb 2019).
#: Text facts, not data: the province files have no city figures.
GBA_CITIES: tuple[tuple[str, str, str], ...] = (
    ("Guangzhou", "广州", "Guangdong"),
    ("Shenzhen", "深圳", "Guangdong"),
    ("Zhuhai", "珠海", "Guangdong"),
    ("Foshan", "佛山", "Guangdong"),
    ("Huizhou", "惠州", "Guangdong"),
    ("Dongguan", "东莞", "Guangdong"),
    ("Zhongshan", "中山", "Guangdong"),
    ("Jiangmen", "江门", "Guangdong"),
    ("Zhaoqing", "肇庆", "Guangdong"),
    ("Hong Kong", "香港", "Special Administrative Region"),
    ("Macao", "澳门", "Special Administrative Region"),
)

#: Indicators offered by the explorer: code → (resource, short label, axis unit, unit after a number).
INDICATORS: dict[str, tuple[str, str, str, str]] = {
    INTENSITY: (RD, "R&D intensity", "% of regional GDP", "% of GDP"),
    EXPENDITURE: (RD, "R&D expenditure", "100 million yuan (yi yuan), current prices", "亿元"),
    "v4_cg_zlsq_fm": (PATENTS, "Invention patent applications", "applications", "applications"),
    "v4_cg_zlsq2_fm": (PATENTS, "Invention patents granted", "patents granted", "patents"),
    "v4_cg_zlsq_hj": (PATENTS, "Patent applications, all types", "applications", "applications"),
}

CITY_REGION_PROVINCES: tuple[str, ...] = tuple(p for r in CITY_REGIONS.values() for p in r.provinces)


def gba_cities_table() -> pd.DataFrame:
    """The GBA's eleven cities as a small table (English, Chinese, where)."""
    return pd.DataFrame(GBA_CITIES, columns=["city", "中文", "in"])


def resource_for(code: str) -> str:
    """Which province file holds an indicator code."""
    if code in INDICATORS:
        return INDICATORS[code][0]
    return PATENTS if code.startswith("v4_cg_") else RD


def province_wide(code: str) -> pd.DataFrame:
    """One indicator for every province and the national total: index year, columns region codes."""
    return _province_wide(code).copy()


@lru_cache(maxsize=32)
def _province_wide(code: str) -> pd.DataFrame:
    frame = data.load(resource_for(code))
    frame = frame[frame["indicator_code"] == code]
    wide = frame.pivot(index="year", columns="region_code", values="value").sort_index()
    wide.columns.name = None
    if wide.empty:
        raise KeyError(f"no province data for indicator {code!r}")
    return wide


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Region code → English name, e.g. ``{"CN-GD": "Guangdong", "CN": "China (national total)"}``."""
    frame = data.load(RD)
    return dict(zip(frame["region_code"], frame["region"], strict=False))


def years_covered(code: str) -> tuple[int, int]:
    """First and last year with data for an indicator."""
    years = province_wide(code).dropna(how="all").index
    return int(years.min()), int(years.max())


def grouped(wide: pd.DataFrame, code: str) -> pd.DataFrame:
    """City-region totals from a province frame. Counts and spending add up; an intensity is recomputed as
    the group's R&D spending over the group's GDP (GDP implied by each province's spending / intensity)."""
    out = {}
    for key, region in CITY_REGIONS.items():
        cols = list(region.provinces)
        if code == INTENSITY:
            spending = province_wide(EXPENDITURE).reindex(index=wide.index)[cols]
            gdp = spending / wide[cols] * 100
            out[key] = spending.sum(axis=1, min_count=len(cols)) / gdp.sum(axis=1, min_count=len(cols)) * 100
        else:
            out[key] = wide[cols].sum(axis=1, min_count=len(cols))
    return pd.DataFrame(out)


def city_region_wide(code: str) -> pd.DataFrame:
    """One indicator for the three city-regions: index year, columns JJJ, YRD, GBA (Guangdong proxy)."""
    return grouped(province_wide(code), code)


def city_region_values(code: str, year: int) -> pd.Series:
    """One year's city-region values, labelled with their display names (the GBA marked as a proxy)."""
    wide = city_region_wide(code)
    if year not in wide.index:
        return pd.Series(dtype=float)
    row = wide.loc[year]
    return row.rename({k: CITY_REGIONS[k].label for k in row.index})


def province_values(code: str, year: int, provinces: Sequence[str] = CITY_REGION_PROVINCES) -> pd.Series:
    """One year's values for the chosen provinces (region codes), indexed by English name; empty when the
    indicator has no data for that year."""
    wide = province_wide(code)
    if year not in wide.index:
        return pd.Series(dtype=float)
    return wide.loc[year, list(provinces)].dropna().rename(province_names())


def national_value(code: str, year: int) -> float | None:
    """The national total (or national intensity) for a year; None when the year is not covered."""
    wide = province_wide(code)
    return float(wide.loc[year, NATIONAL]) if year in wide.index else None


def _fmt(value: float, code: str) -> str:
    if code == INTENSITY:
        return f"{value:.2f} % of GDP"
    unit = INDICATORS[code][3] if code in INDICATORS else ""
    return f"{value:,.0f} {unit}".strip()


def bars_sentence(values: pd.Series, code: str, year: int, national: float | None = None) -> str:
    """A sentence on a set of bars: the highest, the lowest, their ratio and the national figure."""
    label = INDICATORS[code][1] if code in INDICATORS else code
    values = values.dropna()
    if values.empty:
        first, last = years_covered(code)
        return f"No {label} data for {year} for this choice: the data cover {first}–{last}."
    top, low = values.idxmax(), values.idxmin()
    sentence = f"{label} in {year}: {top} is highest of the {len(values)} shown ({_fmt(values[top], code)})"
    if len(values) > 1 and values[low] > 0:
        sentence += f", {values[top] / values[low]:.1f} times {low} ({_fmt(values[low], code)}), the lowest"
    if national is not None:
        what = "national intensity" if code == INTENSITY else "national total"
        sentence += f"; the {what} is {_fmt(national, code)}"
    return sentence + "."


def explorer_view(code: str, year: int, provinces: Sequence[str], view: str = "provinces"):
    """The values and sentence the explorer shows: ``view`` is "provinces" or "city-regions"."""
    national = national_value(code, year)
    if view == "city-regions":
        values = city_region_values(code, year)
    else:
        values = province_values(code, year, provinces or CITY_REGION_PROVINCES)
    return values, bars_sentence(values, code, year, national)


def explorer_chart(code: str, year: int, provinces: Sequence[str], view: str = "provinces",
                   layouts: dict | None = None, figure=None):
    """The explorer's chart bundle and sentence for one choice (no chart when the year has no data).
    ``layouts``: the chart margins kept per indicator, view and bars; a redraw with the same bars reuses them
    (skipping the layout step) and its PNG is compressed lightly. ``figure``: one from
    :func:`charts.blank_figure`, drawn into in place and left open (an explorer's), instead of a new one."""
    from . import charts

    values, sentence = explorer_view(code, year, provinces, view)
    if values.empty:
        return {"text/plain": sentence}, {}, sentence
    _, label, unit, _ = INDICATORS[code]
    national = national_value(code, year)

    def national_line(ax) -> None:
        if code == INTENSITY and national is not None:
            ax.axvline(national, color="#444444", linestyle=(0, (6, 3)), linewidth=1.8,
                       label=f"China as a whole: {national:.2f} %")
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0))

    key = (code, view, tuple(values.index))
    layout = None if layouts is None else layouts.get(key)
    title, highlight = f"{label}, {year}", [i for i in values.index if "Guangdong" in i]
    if figure is None:
        fig = charts.bar(values, title=title, xlabel=unit, source=resource_for(code), alt=sentence,
                         highlight=highlight, show=False, ax_hook=national_line, layout=layout)
    else:
        fig = charts.redraw_bar(figure, values, title=title, xlabel=unit, source=resource_for(code),
                                highlight=highlight, ax_hook=national_line, layout=layout)
    if layouts is not None:
        layouts.setdefault(key, charts.margins(fig))
    bundle, metadata = charts.figure_bundle(fig, sentence, fast=layout is not None, keep=figure is not None)
    return bundle, metadata, sentence


#: How many recent choices the explorer keeps drawn, so going back to one is instant.
RENDERED_KEPT = 24


class ProvinceExplorer:
    """The province explorer: controls, and a chart and a sentence shown as ordinary cell outputs that are
    updated in place (so a saved or exported notebook keeps the last view)."""

    def __init__(self, code: str = INTENSITY, year: int | None = None,
                 provinces: Sequence[str] = CITY_REGION_PROVINCES) -> None:
        import ipywidgets as widgets

        names = province_names()
        codes = sorted((c for c in names if c != NATIONAL), key=lambda c: names[c])
        style = {"description_width": "initial"}
        spans = [years_covered(c) for c in INDICATORS]
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        self.indicator = widgets.Dropdown(options=[(v[1], k) for k, v in INDICATORS.items()], value=code,
                                          description="Indicator:", style=style)
        self.year = widgets.IntSlider(value=year or last, min=first, max=last, description="Year:", style=style,
                                      continuous_update=False, layout={"width": "60%"})
        self.view = widgets.ToggleButtons(options=[("Provinces", "provinces"), ("City-regions", "city-regions")],
                                          description="Show:", style=style)
        self.provinces = widgets.SelectMultiple(options=[(names[c], c) for c in codes], value=tuple(provinces),
                                                rows=8, description="Provinces (Ctrl/⌘-click for several):",
                                                style=style, layout=widgets.Layout(width="auto"))
        self.controls = widgets.VBox([self.indicator, self.year, self.view, self.provinces])
        self.chart_handle = self.text_handle = None
        self.layouts: dict[tuple, dict] = {}  # chart margins per indicator, view and bars (see explorer_chart)
        self.rendered: dict[tuple, tuple] = {}  # the last RENDERED_KEPT choices' outputs
        self.figure = None  # the one figure every view is drawn into, made at the first view
        self.sentence = ""
        for control in (self.indicator, self.year, self.view, self.provinces):
            control.observe(self.redraw, names="value")

    def current(self):
        """Chart bundle, metadata and sentence for the controls' current values (a choice among the last
        ``RENDERED_KEPT`` is shown again from ``rendered`` without drawing)."""
        state = (self.indicator.value, self.year.value, tuple(self.provinces.value), self.view.value)
        return recall(self.rendered, state, lambda: self._draw(state), RENDERED_KEPT)

    def _draw(self, state: tuple):
        from . import charts

        if self.figure is None:
            self.figure = charts.blank_figure()
        return explorer_chart(*state, self.layouts, self.figure)

    def show(self) -> None:
        """Display the controls, the chart and the sentence."""
        from IPython.display import Markdown, display

        display(self.controls)
        bundle, metadata, self.sentence = self.current()
        self.chart_handle = display(bundle, raw=True, metadata=metadata, display_id=True)
        self.text_handle = display(Markdown(self.sentence), display_id=True)

    def redraw(self, *_) -> None:
        """Recompute the chart and sentence and update the outputs shown."""
        from IPython.display import Markdown

        bundle, metadata, self.sentence = self.current()
        if self.chart_handle is not None:
            self.chart_handle.update(bundle, raw=True, metadata=metadata)
            self.text_handle.update(Markdown(self.sentence))


def province_explorer(code: str = INTENSITY, year: int | None = None,
                      provinces: Sequence[str] = CITY_REGION_PROVINCES) -> None:
    """Pick provinces, indicator, year and view (provinces or city-region totals); the bars and a sentence
    computed from the data redraw. Displays itself and returns nothing."""
    ProvinceExplorer(code, year, provinces).show()


# --------------------------------------------------------------------------- frames and axes for the lesson's charts


def chart_frame(code: str, keys: Sequence[str] = ("JJJ", "YRD", "GBA"), national: bool = True) -> pd.DataFrame:
    """City-regions (display names, the GBA marked as a proxy) and, optionally, China as a whole ("CHN", so
    the house style draws it in China's colour), one column each, for ``charts.line``."""
    wide = city_region_wide(code)[list(keys)].rename(columns={k: CITY_REGIONS[k].label for k in keys})
    if national:
        wide["CHN"] = province_wide(code)[NATIONAL]
    return wide.dropna(how="all")


def rank_axis(ax) -> None:
    """A rank axis: 1 at the top, whole numbers only, editions as whole years."""
    from matplotlib.ticker import MaxNLocator

    _, high = ax.get_ylim()
    ax.set_ylim(max(high, 3) + 0.5, 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


#: GII edition in which venture-capital deals were added to the cluster method (SOURCES.md §6; people.cn, 2025-09-01).
CLUSTER_METHOD_CHANGE = 2025


def cluster_axis(ax) -> None:
    """The GII cluster chart's axes: a rank axis and a dotted line at the method change."""
    from . import charts

    rank_axis(ax)
    charts.mark_year(ax, CLUSTER_METHOD_CHANGE - 0.5, f"{CLUSTER_METHOD_CHANGE}: method adds venture-capital deals")
