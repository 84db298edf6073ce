"""The interactive policy timeline of lesson 1: filter China's S&T policy milestones by kind and years.

Pure functions first (filter, labels, layout, the sentence under the chart), tested in
``tests/test_timeline.py``; the chart and the widgets last and thin. The milestones come from
``data.milestones()`` (the checked table in data/facts.md).

    >>> from innovation_course import timeline
    >>> timeline.chart(kinds=("plan", "programme"), start=2000, end=2026)   # one static chart
    >>> timeline.timeline_explorer()                                       # the app
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import chartcache, charts, data
from .recent import recall

__all__ = [
    "FIRST_YEAR",
    "KINDS",
    "KIND_NAMES",
    "LAST_YEAR",
    "chart",
    "chart_bundle",
    "filter_milestones",
    "layout",
    "period",
    "short_label",
    "summary",
    "timeline_explorer",
]

KINDS = ("plan", "programme", "zone", "law", "strategy", "event")
KIND_NAMES = {
    "plan": "Plan", "programme": "Programme", "zone": "Zone or park", "law": "Law",
    "strategy": "Strategy", "event": "Event",
}
#: One colour and marker per kind (Okabe–Ito; vermillion is kept for China in the data charts).
KIND_STYLE = {
    "plan": {"color": charts.OKABE_ITO["blue"], "marker": "s"},
    "programme": {"color": charts.OKABE_ITO["orange"], "marker": "o"},
    "zone": {"color": charts.OKABE_ITO["bluish green"], "marker": "^"},
    "law": {"color": charts.OKABE_ITO["reddish purple"], "marker": "D"},
    "strategy": {"color": charts.OKABE_ITO["black"], "marker": "*"},
    "event": {"color": charts.OKABE_ITO["grey"], "marker": "v"},
}


#: A milestone's marker, on the chart and in the legend (no line between markers).
_MARKERS = {"linestyle": "none", "markersize": 11}


def _year_span() -> tuple[int, int]:
    years = data.milestones()["year"]
    return int(years.min()), int(years.max())


#: The years the checked milestones span (read from the data, so a new milestone widens the timeline).
FIRST_YEAR, LAST_YEAR = _year_span()
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")


def filter_milestones(table: pd.DataFrame, kinds: Iterable[str] = KINDS, start: int = FIRST_YEAR,
                      end: int = LAST_YEAR) -> pd.DataFrame:
    """The milestones of the given kinds dated ``start``–``end`` (both included), oldest first."""
    kinds = list(kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {list(KINDS)}")
    if start > end:
        start, end = end, start
    year = table["year"].to_numpy()
    keep = np.flatnonzero(table["kind"].isin(kinds).to_numpy() & (year >= start) & (year <= end))
    month = table["month"].astype("Float64").fillna(0).to_numpy(float)[keep]
    order = keep[np.lexsort((month, year[keep]))]  # by year, then month (unknown first); stable
    return table.iloc[order]


def short_label(milestone: str, width: int = 56) -> str:
    """A milestone's name for the chart: the text before its first bracket; when that is longer than
    ``width``, its first clause (before "; " or ", "), shortened at a word to ``width`` if still too long."""
    head = milestone.split(" (", 1)[0].strip() or milestone
    if len(head) > width:
        head = re.split(r"[;,] ", head, maxsplit=1)[0]
    return textwrap.shorten(head, width=width, placeholder="…")


def period(milestone: str) -> tuple[int, int] | None:
    """The years a plan covers when its text names them ("2006–2020"), else None."""
    match = _PERIOD.search(milestone)
    return (int(match.group(1)), int(match.group(2))) if match else None


def layout(table: pd.DataFrame) -> pd.DataFrame:
    """Where each milestone goes on the chart: one row each, oldest at the top.

    Columns: ``x`` (year plus the month as a fraction; the middle of the year when the month is unknown),
    ``row`` (0 at the top), ``label`` (date and short name), ``kind``, ``period_start``/``period_end``.
    """
    month = table["month"].astype("Float64").fillna(6.5).astype(float)
    periods = [period(text) or (None, None) for text in table["milestone"]]
    return pd.DataFrame({
        "x": table["year"].astype(float).to_numpy() + (month.to_numpy() - 1) / 12,
        "row": range(len(table)),
        "label": [f"{d} · {short_label(m)}" for d, m in zip(table["date_text"], table["milestone"], strict=True)],
        "kind": table["kind"].to_numpy(),
        "period_start": [p[0] for p in periods],
        "period_end": [p[1] for p in periods],
    }, index=table.index)


def summary(table: pd.DataFrame, kinds: Iterable[str] = KINDS, start: int = FIRST_YEAR,
            end: int = LAST_YEAR) -> str:
    """One sentence on what the filtered timeline shows, computed from the milestones."""
    kinds = list(kinds)
    shown = filter_milestones(table, kinds, start, end)
    lo, hi = min(start, end), max(start, end)
    names = ", ".join(KIND_NAMES[k].lower() for k in KINDS if k in kinds) or "no kind"
    head = f"{len(shown)} of {len(table)} milestones ({names}) fall in {lo}–{hi}."
    if shown.empty:
        return head + " Widen the years or tick more kinds."
    counts = shown["year"].value_counts().sort_index()
    busiest = counts[counts == counts.max()]
    years = ", ".join(str(y) for y in busiest.index)
    text = f"{head} The first is {short_label(shown['milestone'].iloc[0])} ({shown['date_text'].iloc[0]})"
    each = " each" if len(busiest) > 1 else ""
    text += f"; the busiest year{'s are' if len(busiest) > 1 else ' is'} {years}, with {counts.max()}{each}."
    distinct = sorted(shown["year"].unique())
    if len(distinct) > 1:
        gaps = pd.Series(distinct[1:], index=distinct[:-1]) - pd.Series(distinct[:-1], index=distinct[:-1])
        first = int(gaps.idxmax())
        text += f" The longest quiet spell runs from {first} to {first + int(gaps.max())} ({int(gaps.max())} years)."
    return text


def chart(kinds: Iterable[str] = KINDS, start: int = FIRST_YEAR, end: int = LAST_YEAR, *,
          table: pd.DataFrame | None = None, title: str = "China's S&T policy milestones",
          show: bool = True, ax_hook=None, margins: dict | None = None, alt: str | None = None,
          figure=None):
    """The timeline in the house style: one row per milestone, a marker at its date, a bar for a plan's
    period, colour and marker by kind; returns the figure (displayed when ``show``). ``margins``: a dict the
    caller keeps across redraws; the first chart's margins are stored in it, in inches, and later charts of any
    height use them instead of the layout step. ``alt``: the text version when the caller has it already
    (:func:`summary`). ``figure``: a timeline figure made before, drawn into again (an explorer's redraw:
    cheaper than a new figure). A chart shown by itself may come from the chart cache (:mod:`chartcache`)."""
    table = data.milestones() if table is None else table
    kinds = list(kinds)
    if show and margins is None and figure is None:
        alt = summary(table, kinds, start, end) if alt is None else alt
        arguments = {"kinds": kinds, "start": start, "end": end, "table": table, "title": title,
                     "ax_hook": ax_hook, "alt": alt}
        return charts.show_stored("timeline", arguments, lambda: chart(**arguments, show=False), alt)
    shown = filter_milestones(table, kinds, start, end)
    lo, hi = min(start, end), max(start, end)
    fig, ax = _empty(figure, f"{title}, {lo}–{hi}")
    artists = _artists_for(ax, table)
    at = artists.spots.index.get_indexer(shown.index)  # positions in the table's layout, one per row shown
    x, kind, starts, ends = artists.x[at], artists.kind[at], artists.period_start[at], artists.period_end[at]
    rows, has_period = np.arange(len(at), dtype=float), ~np.isnan(artists.period_start[at])
    fig.set_size_inches(12, max(3.6, 2.6 + 0.36 * len(at)))
    for name in KINDS:  # one line of markers per kind, one of period bars
        mine = kind == name
        bars = mine & has_period
        gap = np.full(bars.sum(), np.nan)  # NaN between two periods: one line, separate bars
        artists.bars[name].set_data(np.column_stack([starts[bars], ends[bars] + 1, gap]).ravel(),
                                    np.column_stack([rows[bars] + 0.3, rows[bars] + 0.3, gap]).ravel())
        artists.markers[name].set_data(x[mine], rows[mine])
    middle = (lo + hi) / 2
    for note in artists.notes:
        note.set_visible(False)
    notes = [artists.notes[k] for k in at]
    for note, spot_x, row, period_known in zip(notes, x, rows, has_period, strict=True):
        left = bool(spot_x > middle or period_known)
        note.xy = (spot_x, row)
        note.set_position((-10 if left else 10, 0))
        note.set_ha("right" if left else "left")
        note.set_visible(True)
    legend_key = (tuple(name for name in KINDS if name in set(kind)), bool(has_period.any()))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(len(at) - 0.4, -0.6)
    last = np.nanmax(ends) if has_period.any() else None
    ax.set_xlim(lo - 0.5, max(hi + 1, int(last) + 1.5) if last is not None else hi + 1)  # a plan's bar stays whole
    ax.grid(axis="y", visible=False)
    if not len(at):
        ax.text(0.5, 0.5, "No milestone matches this filter", transform=ax.transAxes, ha="center", fontsize=14)
    else:
        ax.legend_ = artists.legend(ax, *legend_key)
        ax.set_title(ax.get_title(loc="left"), loc="left", pad=34)
        _keep_inside(fig, ax, notes)
    if ax_hook:
        ax_hook(ax)
    alt = summary(table, kinds, start, end) if alt is None else alt
    subplot = _margins_for(fig, margins) if margins else None
    fig = charts.finish(fig, "policy_milestones", alt, show, subplot)
    if margins is not None and not margins and fig is not None:
        margins.update(_margins_in_inches(fig))
    return fig


def blank_figure():
    """A figure for :func:`chart` to draw into again and again (an explorer's): :func:`charts.blank_figure`."""
    return charts.blank_figure(xlabel="Year")


class _Artists:
    """A timeline figure's lasting artists: a label for each milestone of the table (hidden until a view shows
    it) and, per kind, a line of markers and one of period bars. An explorer's views update them instead of
    making new ones, which takes a third of the time."""

    def __init__(self, ax, table: pd.DataFrame) -> None:
        from matplotlib.lines import Line2D

        self.table = table
        self.spots = layout(table)  # every milestone's place in time and label; a view adds the rows
        self.x, self.kind = self.spots["x"].to_numpy(float), self.spots["kind"].to_numpy(str)
        self.period_start = self.spots["period_start"].to_numpy(float, na_value=np.nan)
        self.period_end = self.spots["period_end"].to_numpy(float, na_value=np.nan)
        self.notes = [ax.annotate(label, (x, 0), xytext=(10, 0), textcoords="offset points", va="center",
                                  fontsize=12, visible=False,
                                  annotation_clip=False)  # inside by construction: no test at each draw
                      for label, x in zip(self.spots["label"], self.x, strict=True)]
        self.legends: dict[tuple, object] = {}  # by the kinds shown and whether a period is: made once each
        self.bars = {kind: ax.add_line(Line2D([], [], color=KIND_STYLE[kind]["color"], linewidth=5, alpha=0.45,
                                              solid_capstyle="butt")) for kind in KINDS}
        self.markers = {kind: ax.add_line(Line2D([], [], **_MARKERS, **KIND_STYLE[kind])) for kind in KINDS}
        self.kept = {*self.notes, *self.bars.values(), *self.markers.values()}  # and each legend once made

    def owns(self, artist) -> bool:
        return artist in self.kept

    def legend(self, ax, kinds: tuple[str, ...], periods: bool):
        """The legend for a view showing ``kinds`` (and plans' periods), made the first time it is needed."""
        if (kinds, periods) not in self.legends:
            from matplotlib.lines import Line2D

            handles = [Line2D([], [], **{**_MARKERS, "markersize": 10}, **KIND_STYLE[kind], label=KIND_NAMES[kind])
                       for kind in kinds]
            if periods:
                handles.append(Line2D([], [], color="#777777", linewidth=5, alpha=0.45, label="period a plan covers"))
            self.legends[kinds, periods] = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0),
                                                     ncol=len(handles), fontsize=12, columnspacing=1.2,
                                                     handletextpad=0.5, borderaxespad=0.2)
            self.kept.add(self.legends[kinds, periods])
        return self.legends[kinds, periods]


#: The attribute a timeline figure keeps its :class:`_Artists` in (on the figure, so both go together: a
#: table beside the figures would keep each figure alive through its artists).
_ARTISTS = "_innovation_course_timeline"


def _artists_for(ax, table: pd.DataFrame) -> _Artists:
    """The figure's lasting artists, made for ``table`` (again when the table is another one)."""
    kept = getattr(ax.figure, _ARTISTS, None)
    if kept is None or kept.table is not table:
        if kept is not None:
            for artist in kept.kept - set(kept.legends.values()):  # a legend not shown is in no axes
                artist.remove()
        kept = _Artists(ax, table)
        setattr(ax.figure, _ARTISTS, kept)
    return kept


def _empty(figure, title: str):
    """A new figure and axes with the title, or ``figure`` emptied of all but its lasting artists (its legend,
    source line and anything an ``ax_hook`` added go)."""
    if figure is None:
        return charts.new_figure(title, "", xlabel="Year")
    ax = figure.axes[0]
    kept = getattr(figure, _ARTISTS, None)
    for artist in [*ax.lines, *ax.texts, *figure.texts, *([ax.get_legend()] if ax.get_legend() else [])]:
        if kept is None or not kept.owns(artist):
            artist.remove()
    ax.legend_ = None  # a kept legend is put back by the view that shows it
    ax.set_title(charts.wrapped(title), loc="left")
    return figure, ax


def _margins_in_inches(fig) -> dict:
    """A laid-out figure's margins in inches (the bottom one above the source line's share of the height)."""
    width, height = fig.get_size_inches()
    params = fig.subplotpars
    return {"left": params.left * width, "right": (1 - params.right) * width,
            "bottom": (params.bottom - charts.SOURCE_SHARE) * height, "top": (1 - params.top) * height}


def _margins_for(fig, inches: dict) -> dict:
    """Margins in inches as subplot parameters for this figure's size."""
    width, height = fig.get_size_inches()
    return {"left": inches["left"] / width, "right": 1 - inches["right"] / width,
            "bottom": charts.SOURCE_SHARE + inches["bottom"] / height, "top": 1 - inches["top"] / height}


def _keep_inside(fig, ax, notes) -> None:
    """Move a label to the other side of its marker when it would run out of the plot (widths measured from
    the text alone: the same numbers as the annotation's extent, without laying each annotation out)."""
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    offset = 10 * fig.dpi / 72  # the labels' offset from their marker: 10 points
    anchors = ax.transData.transform([note.xy for note in notes]) if notes else []
    for note, (x, _) in zip(notes, anchors, strict=True):
        width = renderer.get_text_width_height_descent(note.get_text(), note.get_fontproperties(), False)[0]
        if note.get_ha() == "left" and x + offset + width > box.x1:
            note.set_ha("right")
            note.set_position((-10, 0))
        elif note.get_ha() == "right" and x - offset - width < 0:
            note.set_ha("left")
            note.set_position((10, 0))


def chart_bundle(kinds: Iterable[str] = KINDS, start: int = FIRST_YEAR, end: int = LAST_YEAR, *,
                 table: pd.DataFrame | None = None, margins: dict | None = None,
                 figure=None) -> tuple[dict, dict, str]:
    """The timeline as a display bundle (PNG and its text version), its metadata and its sentence.
    ``margins``, ``figure``: see :func:`chart` (an explorer passes the dict its first view filled, and the one
    figure it draws every view into, which is left open for it; a figure made here is closed)."""
    table = data.milestones() if table is None else table
    kinds = list(kinds)
    sentence = summary(table, kinds, start, end)
    redraw = bool(margins)  # the explorer's first view fills the margins; later views are redraws
    fig = chart(kinds, start, end, table=table, show=False, margins=margins, alt=sentence, figure=figure)
    bundle, metadata = charts.figure_bundle(fig, sentence, fast=redraw, keep=figure is not None)
    return bundle, metadata, sentence


#: How many recent choices the explorer keeps drawn.
RENDERED_KEPT = 24


def timeline_explorer(start: int = FIRST_YEAR, end: int = LAST_YEAR) -> None:
    """The app: tick kinds, drag the years; the timeline and its sentence redraw. The chart and the sentence
    are ordinary cell outputs updated in place, so a saved notebook keeps the last view. Returns nothing."""
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    table = data.milestones()
    boxes = {k: widgets.Checkbox(value=True, description=KIND_NAMES[k], indent=False,
                                 layout={"width": "auto", "margin": "0 1em 0 0"}) for k in KINDS}
    years = widgets.IntRangeSlider(value=(start, end), min=FIRST_YEAR, max=LAST_YEAR, description="Years:",
                                   continuous_update=False, layout={"width": "95%"})
    kinds_row = widgets.HBox([widgets.Label("Kinds:"), *boxes.values()], layout={"flex_flow": "row wrap"})
    display(widgets.VBox([kinds_row, years]))

    margins: dict = {}  # filled by the first view drawn, reused by every redraw
    figure = None  # every view is drawn into one figure, made for the first view drawn
    rendered: dict[tuple, tuple[dict, dict, str]] = {}  # recent choices' outputs: going back to one is instant

    def draw(state: tuple) -> tuple[dict, dict, str]:
        nonlocal figure
        figure = blank_figure() if figure is None else figure
        return chart_bundle(*state, table=table, margins=margins, figure=figure)

    def first_view(state: tuple) -> tuple[dict, dict, str]:
        """The view the explorer opens with, from the chart cache when it holds it (then nothing is drawn
        until a control changes)."""
        arguments = {"kinds": list(state[0]), "start": state[1], "end": state[2], "table": table}
        bundle, metadata = chartcache.bundle("timeline view", arguments, lambda: draw(state)[:2])
        return bundle, metadata, summary(table, *state)

    def current(make=draw):
        state = (tuple(k for k, box in boxes.items() if box.value), *years.value)
        return recall(rendered, state, lambda: make(state), RENDERED_KEPT)

    bundle, metadata, sentence = current(first_view)
    chart_handle = display(bundle, raw=True, metadata=metadata, display_id=True)
    text_handle = display(Markdown(sentence), display_id=True)

    def redraw(*_):
        bundle, metadata, sentence = current()
        chart_handle.update(bundle, raw=True, metadata=metadata)
        text_handle.update(Markdown(sentence))

    for control in (*boxes.values(), years):
        control.observe(redraw, names="value")
