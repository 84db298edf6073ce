"""House style for every chart in the course.

One palette (Okabe–Ito, safe for the common colour-vision deficiencies), China the same colour in every
lesson, a line style and marker per economy so no line is told apart by colour alone, projector-sized
text, and a source line under every chart taken from the data package.

A lesson's chart cell stays short::

    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "USA", "JPN"])
    charts.line(wide, title="R&D spending as a share of GDP", ylabel="% of GDP",
                source="wdi_rd_expenditure_pct_gdp", alt="China's R&D intensity rises ...")
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import re
import textwrap
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from IPython.display import display

from . import chartcache, data
from .style import CJK_FONTS, HOUSE_STYLE, OKABE_ITO, label_for


class _OnFirstUse:
    """A module imported when a chart first needs it: a lesson whose charts all come from the chart cache
    (:mod:`chartcache`) never imports matplotlib (half a CPU second of a kernel's start)."""

    def __init__(self, name: str, alias: str) -> None:
        self.name, self.alias = name, alias

    def __getattr__(self, attribute: str):
        import matplotlib

        matplotlib.use("Agg")  # charts are rendered to PNG and displayed with their alt text
        module = importlib.import_module(self.name)
        globals()[self.alias] = module  # from now on the module itself
        return getattr(module, attribute)


plt = _OnFirstUse("matplotlib.pyplot", "plt")
fastdraw = _OnFirstUse("innovation_course.content.fastdraw", "fastdraw")

#: Each economy keeps one colour, line style and marker across the course. China is always vermillion.
ECONOMY_STYLE: dict[str, dict[str, str]] = {
    "CHN": {"color": OKABE_ITO["vermillion"], "linestyle": "-", "marker": "o"},
    "USA": {"color": OKABE_ITO["blue"], "linestyle": "--", "marker": "s"},
    "JPN": {"color": OKABE_ITO["bluish green"], "linestyle": "-.", "marker": "^"},
    "EUU": {"color": OKABE_ITO["orange"], "linestyle": ":", "marker": "D"},
    "EU27_2020": {"color": OKABE_ITO["orange"], "linestyle": ":", "marker": "D"},
    "DEU": {"color": OKABE_ITO["reddish purple"], "linestyle": "--", "marker": "v"},
    "KOR": {"color": OKABE_ITO["sky blue"], "linestyle": "-", "marker": "P"},
    "GBR": {"color": OKABE_ITO["black"], "linestyle": "-.", "marker": "X"},
    "IND": {"color": OKABE_ITO["yellow"], "linestyle": "--", "marker": "*"},
    "FRA": {"color": OKABE_ITO["grey"], "linestyle": ":", "marker": "h"},
    "OECD": {"color": OKABE_ITO["grey"], "linestyle": "-", "marker": "."},
    "WLD": {"color": OKABE_ITO["black"], "linestyle": ":", "marker": "."},
    "W": {"color": OKABE_ITO["black"], "linestyle": ":", "marker": "."},
}

_CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish green", "reddish purple", "sky blue",
                                  "vermillion", "black", "grey")]
_LINESTYLES = ["-", "--", "-.", ":"]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "h"]



def chart_fonts() -> list[str]:
    """The chart font and, after it, the CJK fonts of ``style.CJK_FONTS`` this machine has, so Chinese in a
    label falls back to a font with its glyphs (only installed ones are named: no "font not found" noise)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in CJK_FONTS if name in installed)]


def use_house_style() -> None:
    """Apply the course's matplotlib settings (idempotent)."""
    plt.rcParams.update(HOUSE_STYLE)
    plt.rcParams["font.family"] = chart_fonts()


def style_for(key: str, position: int = 0) -> dict[str, str]:
    """Colour, line style and marker for an economy code, or a stable fallback by position."""
    if key in ECONOMY_STYLE:
        return dict(ECONOMY_STYLE[key])
    return {"color": _CYCLE[position % len(_CYCLE)], "linestyle": _LINESTYLES[position % 4],
            "marker": _MARKERS[position % len(_MARKERS)]}


def source_text(source: str) -> str:
    """The source line: a data package resource name becomes its citation; other text is kept."""
    names = data.resource_names()
    parts = [data.citation(s) if s in names else s for s in source.split("+")] if source else []
    return " ".join(p.strip() for p in parts)


#: Characters per line before a title or an axis label wraps, so that none runs off the chart.
TITLE_WIDTH, YLABEL_WIDTH = 64, 44


def wrapped(text: str, width: int = TITLE_WIDTH) -> str:
    """A title or label broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) or text


def new_figure(title: str, ylabel: str, xlabel: str = "Year") -> tuple[plt.Figure, plt.Axes]:
    """A figure in the house style with its title and labelled axes (long ones wrapped to fit)."""
    use_house_style()
    fig, ax = plt.subplots()
    fastdraw.use(fig)
    ax.set_title(wrapped(title), loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(wrapped(ylabel, YLABEL_WIDTH))
    return fig, ax


def readable_axes(ax: plt.Axes, years: bool = True) -> None:
    """Numbers on the value axis in full with thousands separators (never "1e6" or an offset above the axis);
    whole years on the year axis."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    low, high = ax.get_ylim()
    if max(abs(low), abs(high)) >= 10_000:
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    else:
        ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    if years:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


SOURCE_SIZE = 11  # points: the source line under a chart
SOURCE_SHARE = 0.05  # the share of a chart's height kept for its source line when it is laid out
SIDES = ("left", "right", "bottom", "top")  # a figure's subplot margins


def wrap_to_width(text: str, fig: plt.Figure, fontsize: float) -> str:
    """``text`` broken into lines that fit the figure's width at ``fontsize`` (wrapped once by character count,
    which is much cheaper at every redraw than matplotlib's measured ``wrap=True``)."""
    per_line = int(fig.get_figwidth() * 72 * 0.97 / (fontsize * 0.62))  # 0.62 em: a wide average character
    return wrapped(text, per_line)


def finish(fig: plt.Figure, source: str, alt: str, show: bool = True,
           layout: dict | None = None) -> plt.Figure | None:
    """Add the source line and lay the chart out; then display it with its alt text and close it (``show``),
    or return it. ``layout``: subplot margins to use instead of computing them (see :func:`margins`)."""
    _source_line(fig, source)
    lay_out(fig, layout)
    if show:
        display_figure(fig, alt)
        return None  # nothing for a notebook cell to echo after the chart
    return fig


def _source_line(fig: plt.Figure, source: str) -> None:
    """The source line under the chart, wrapped to its width."""
    fig.text(0.01, 0.005, wrap_to_width(source_text(source), fig, SOURCE_SIZE), ha="left", va="bottom",
             fontsize=SOURCE_SIZE, color="#444444")


def lay_out(fig: plt.Figure, layout: dict | None = None) -> None:
    """Set the subplot margins: ``layout`` when given, else computed once to fit the labels (leaving room for
    the source line). Either way no layout engine stays attached: matplotlib would otherwise draw the whole
    figure twice at every save, once to lay it out again."""
    if layout:
        fig.subplots_adjust(**layout)
    else:  # from the margins a new figure starts with: a figure drawn again gets the same ones, to the last bit
        fig.subplots_adjust(**{side: plt.rcParams[f"figure.subplot.{side}"] for side in SIDES})
        fig.tight_layout(rect=(0, SOURCE_SHARE, 1, 1))
    fig.set_layout_engine(None)



def margins(fig: plt.Figure) -> dict:
    """A laid-out figure's subplot margins, to hand to :func:`finish` for a chart of the same shape."""
    return {side: getattr(fig.subplotpars, side) for side in SIDES}


def figure_bundle(fig: plt.Figure, alt: str, fast: bool = False, keep: bool = False) -> tuple[dict, dict]:
    """A figure as a display bundle (the PNG in an HTML ``<img>`` with ``alt``, see :func:`image_html`, and the
    alt text as plain text) and its metadata; closes the figure unless ``keep`` (an explorer redraws it in
    place). ``fast``: :func:`fastdraw.png`, the quick writer for a redraw."""
    buffer = io.BytesIO()
    if fast:
        fastdraw.png(fig, buffer)
    else:
        fig.savefig(buffer, format="png", metadata={"Software": None})
    if not keep:
        plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"text/html": image_html(png, alt), "text/plain": f"Chart: {alt}"}, {}


#: A chart's HTML output: JupyterLab's PNG renderer gives its ``<img>`` no alt text (JupyterLab 4.6, whatever
#: the output's metadata says), its HTML renderer keeps an ``<img>``'s alt and a data: source (untrusted too).
CHART_CLASS = "ic-chart"
_CHART_HTML = re.compile(rf'^<img class="{CHART_CLASS}" src="data:image/png;base64,([A-Za-z0-9+/=]+)" '
                         r'alt="([^"]*)">$')


def image_html(png: str, alt: str) -> str:
    """A base64 PNG as the ``<img>`` a chart is shown as (its pixel size, as the PNG renderer shows it), with its
    alt text and nothing else (:func:`chart_image` reads it back)."""
    return f'<img class="{CHART_CLASS}" src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}">'


def chart_image(data: Mapping) -> tuple[str, str] | None:
    """A chart output's PNG (base64) and alt text, from its display data as :func:`figure_bundle` made it
    (slides and handouts show the PNG); None for any other output."""
    match = _CHART_HTML.match(str(data.get("text/html", "")).strip())
    return (match[1], html.unescape(match[2])) if match else None


def display_figure(fig: plt.Figure, alt: str, display_id: bool = False):
    """Show a figure as PNG with ``alt`` as its text version (read by screen readers and checked by nbval)."""
    bundle, metadata = figure_bundle(fig, alt)
    return display(bundle, raw=True, metadata=metadata, display_id=display_id)


def show_stored(kind: str, arguments: dict, make, alt: str) -> None:
    """Display a chart: the chart cache's PNG for ``kind`` and ``arguments`` when it holds one (nothing is drawn),
    else the figure ``make()`` draws (:mod:`chartcache`). The same bundle as :func:`display_figure` either way."""
    bundle, metadata = chartcache.bundle(kind, arguments, lambda: figure_bundle(make(), alt))
    display(bundle, raw=True, metadata=metadata)


def line(wide: pd.DataFrame, *, title: str, ylabel: str, source: str, alt: str, xlabel: str = "Year",
         breaks: Mapping[str, Iterable[int]] | None = None, highlight: str | None = "CHN",
         show: bool = True, ax_hook=None, layout: dict | None = None) -> plt.Figure | None:
    """Line chart of a wide frame (index: years, one column per economy or series).

    ``breaks`` maps a column to years with a series break, drawn as hollow markers and named in the legend.
    ``ax_hook(ax)`` may add annotations (a target line, a crossing) before the chart is finished.
    ``layout`` (subplot margins, see :func:`finish`) skips the layout step: a redraw reuses the first one.
    """
    if show:
        arguments = {"wide": wide, "title": title, "ylabel": ylabel, "source": source, "alt": alt, "xlabel": xlabel,
                     "breaks": breaks, "highlight": highlight, "ax_hook": ax_hook, "layout": layout}
        return show_stored("line", arguments, lambda: line(**arguments, show=False), alt)
    fig, ax = new_figure(title, ylabel, xlabel)
    _plot_lines(ax, wide, breaks, highlight)
    readable_axes(ax, years=xlabel == "Year")
    if ax_hook:
        ax_hook(ax)
    ax.legend(loc="best")
    return finish(fig, source, alt, show, layout)


def redraw_line(fig: plt.Figure, wide: pd.DataFrame, *, title: str, ylabel: str, source: str,
                layout: dict | None = None, highlight: str | None = "CHN") -> plt.Figure:
    """Redraw a figure made by :func:`line` (``show=False``) with new data, title, axis label and source, in
    place: the same Figure and Axes, their lines replaced (an explorer's redraw, cheaper than a new figure)."""
    use_house_style()
    ax = fig.axes[0]
    for artist in ax.texts:
        artist.remove()
    ax.set_title(wrapped(title), loc="left")
    ax.set_ylabel(wrapped(ylabel, YLABEL_WIDTH))
    from matplotlib.ticker import ScalarFormatter

    ax.yaxis.set_major_formatter(ScalarFormatter())
    lines = getattr(fig, _LINES, None)
    if lines is not None and lines[0] == (tuple(wide.columns), highlight):
        for line, column in zip(lines[1], wide.columns, strict=True):  # the same economies: new data, same lines
            values = wide[column].dropna()
            line.set_data(values.index, values.to_numpy())
            line.set_markevery(_mark_every(values))
    else:
        for artist in ax.lines:
            artist.remove()
        _plot_lines(ax, wide, None, highlight)
        ax.legend(loc="best")  # "best" is found again at each draw, for the new data
        setattr(fig, _LINES, ((tuple(wide.columns), highlight), list(ax.lines)))
    ax.relim()
    ax.autoscale_view()
    readable_axes(ax, years=ax.get_xlabel() == "Year")
    fig.texts[0].set_text(wrap_to_width(source_text(source), fig, SOURCE_SIZE))
    lay_out(fig, layout)
    return fig


#: The attribute a redrawn line chart keeps its economies and lines in (on the figure, so both go together).
_LINES = "_innovation_course_lines"


def _mark_every(values: pd.Series) -> int:
    """Every how many points a line shows its marker (about a dozen markers a line)."""
    return max(1, len(values) // 12)


def _plot_lines(ax: plt.Axes, wide: pd.DataFrame, breaks: Mapping[str, Iterable[int]] | None,
                highlight: str | None) -> None:
    """One line per column in its economy's style (hollow markers at series breaks)."""
    for position, column in enumerate(wide.columns):
        values = wide[column].dropna()
        style = style_for(str(column), position)
        width = 3.5 if column == highlight else 2.2
        ax.plot(values.index, values.to_numpy(), label=label_for(column), linewidth=width,
                markevery=_mark_every(values), **style)
        for year in (breaks or {}).get(column, []):
            if year in values.index:
                ax.plot([year], [values[year]], linestyle="none", marker="o", markersize=13,
                        markerfacecolor="none", markeredgecolor=style["color"], markeredgewidth=2)
    if breaks:
        ax.plot([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                markeredgecolor="#444444", label="break in series")


def bar(values: pd.Series, *, title: str, xlabel: str, source: str, alt: str, ylabel: str = "",
        highlight: Iterable[str] = (), show: bool = True, ax_hook=None,
        layout: dict | None = None) -> plt.Figure | None:
    """Horizontal bar chart of a labelled series, largest at the top; ``highlight`` bars get a hatch too.
    ``layout``: subplot margins from an earlier chart of the same bars (see :func:`finish`)."""
    if show:
        arguments = {"values": values, "title": title, "xlabel": xlabel, "source": source, "alt": alt,
                     "ylabel": ylabel, "highlight": list(highlight), "ax_hook": ax_hook, "layout": layout}
        return show_stored("bar", arguments, lambda: bar(**arguments, show=False), alt)
    fig, ax = new_figure(title, ylabel, xlabel)
    _draw_bars(ax, values, highlight)
    if ax_hook:
        ax_hook(ax)
    return finish(fig, source, alt, show, layout)


def blank_figure(xlabel: str = "") -> plt.Figure:
    """An empty figure in the house style for an explorer to draw into again and again (:func:`redraw_bar`,
    the timeline), not left open in pyplot (so a notebook never shows it by itself)."""
    fig, _ = new_figure("", "", xlabel)
    plt.close(fig)  # pyplot lets go of it (and of its canvas): give it the course's canvas again
    return fastdraw.use(fig)


def redraw_bar(fig: plt.Figure, values: pd.Series, *, title: str, xlabel: str, source: str,
               highlight: Iterable[str] = (), ax_hook=None, layout: dict | None = None) -> plt.Figure:
    """:func:`bar` drawn into ``fig`` (from :func:`blank_figure`) in place: the same Figure, Axes and tick
    objects, its bars, lines, legend and source line replaced (an explorer's redraw: making a figure and its
    ticks anew is half the time of a bar chart)."""
    use_house_style()
    ax = fig.axes[0]
    for container in list(ax.containers):
        container.remove()
    for artist in [*ax.patches, *ax.lines, *ax.texts, *fig.texts, *([ax.get_legend()] if ax.get_legend() else [])]:
        artist.remove()
    ax.set_title(wrapped(title), loc="left")
    ax.set_xlabel(xlabel)
    _draw_bars(ax, values, highlight)
    ax.relim()
    ax.autoscale_view()
    if ax_hook:
        ax_hook(ax)
    _source_line(fig, source)
    lay_out(fig, layout)
    return fig


def _draw_bars(ax: plt.Axes, values: pd.Series, highlight: Iterable[str]) -> None:
    """The bars, smallest at the bottom, labelled on the value axis's left (at fixed positions, not a category
    axis, which would keep every label it was ever given when the axes are drawn into again)."""
    ordered = values.sort_values()
    marked = set(highlight)
    colours = [OKABE_ITO["vermillion"] if i in marked else OKABE_ITO["blue"] for i in ordered.index]
    positions = np.arange(len(ordered))
    bars = ax.barh(positions, ordered.to_numpy(), color=colours)
    ax.set_yticks(positions, [label_for(i) for i in ordered.index])
    for patch, key in zip(bars, ordered.index, strict=True):
        if key in marked:
            patch.set_hatch("//")
            patch.set_edgecolor("white")
    ax.grid(axis="y", visible=False)


def reference_line(ax: plt.Axes, y: float, label: str) -> None:
    """A dashed horizontal reference (a target, a threshold) labelled in the legend."""
    ax.axhline(y, color="#444444", linestyle=(0, (6, 3)), linewidth=1.8, label=label)


def mark_year(ax: plt.Axes, year: int, label: str) -> None:
    """A dotted vertical line at a year (a crossing, a policy) labelled in the legend."""
    ax.axvline(year, color="#444444", linestyle=(0, (1, 2)), linewidth=1.8, label=label)
