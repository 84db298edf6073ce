"""The caching Agg canvas (innovation_course.fastdraw): the same pixels whether a text comes from the cache or
not, within half a pixel of stock Agg, and the same text sizes; the fast PNG is the canvas, opaque."""

from __future__ import annotations

import base64
import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from innovation_course.content import charts, data, fastdraw, timeline

matplotlib.use("Agg")


def chart(title: str = "R&D spending (billion US$), 1991–2023 — 研发经费") -> Figure:
    charts.use_house_style()  # fonts with the Chinese glyphs
    fig = Figure(figsize=(8, 4.5), dpi=100)
    fastdraw.use(fig)
    ax = fig.subplots()
    ax.plot([1991, 2000, 2023], [10, 40, 900], label="China")
    ax.plot([1991, 2000, 2023], [150, 260, 800], label="United States")
    ax.set_title(title, loc="left")
    ax.set_xlabel("Year")
    ax.set_ylabel("billion USD, current PPP")  # rotated text
    ax.legend()
    fig.text(0.01, 0.01, "Source: OECD, STI Scoreboard, retrieved 2026-07-21.", fontsize=9)
    return fig


def pixels(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_a_text_drawn_from_the_cache_gives_the_same_pixels_as_drawn_afresh():
    fastdraw._glyphs.clear()
    fig = chart()
    cold = pixels(fig)
    assert len(fastdraw._glyphs) >= 10  # title, labels, ticks, legend, source line
    warm = pixels(fig)
    assert (cold == warm).all()
    fastdraw._glyphs.clear()
    other = chart()  # a second figure, same texts: drawn from what the first kept
    pixels(other)
    assert (pixels(other) == cold).all()


def test_drawing_differs_from_stock_agg_only_at_text_edges():
    fast = pixels(chart())
    stock_fig = chart()
    FigureCanvasAgg(stock_fig)
    stock = pixels(stock_fig)
    differ = (np.abs(fast.astype(int) - stock.astype(int)).max(axis=2) > 0)
    assert differ.mean() < 0.05  # a few edge pixels of the glyphs, shifted by at most half a pixel
    ink = lambda img: np.argwhere(img[..., :3].min(axis=2) < 128)  # noqa: E731 (dark pixels: the text and lines)
    assert np.abs(ink(fast).min(axis=0) - ink(stock).min(axis=0)).max() <= 1
    assert np.abs(ink(fast).max(axis=0) - ink(stock).max(axis=0)).max() <= 1


def test_text_sizes_are_stock_aggs():
    fig = chart()
    renderer = fig.canvas.get_renderer()
    stock = FigureCanvasAgg(chart()).get_renderer()
    prop = matplotlib.font_manager.FontProperties(family=charts.chart_fonts(), size=14, weight="bold")
    for text in ("GERD (gross domestic expenditure on R&D)", "2020", "研发经费", "−200"):
        assert renderer.get_text_width_height_descent(text, prop, False) == pytest.approx(
            stock.get_text_width_height_descent(text, prop, False))
    assert renderer._get_font_height_metrics(prop) == pytest.approx(fastdraw._font_heights(prop, 100))


def test_the_fast_png_is_the_canvas_without_alpha():
    fig = chart()
    buffer = io.BytesIO()
    fastdraw.png(fig, buffer)
    Image.open(io.BytesIO(buffer.getvalue())).verify()  # every chunk's CRC
    image = Image.open(io.BytesIO(buffer.getvalue()))
    assert image.mode == "RGB" and image.size == (800, 450) and not image.info  # no metadata
    assert (np.asarray(image) == pixels(fig)[..., :3]).all()


def test_a_redrawn_explorer_chart_shows_its_new_title_not_the_cached_old_one():
    fig = charts.line(data.series("oecd_gerd_ppp", data.load("oecd_gerd_ppp")["indicator_code"].iloc[0],
                                  iso3=["CHN"]), title="First title", ylabel="a", source="", alt="", show=False)
    before = pixels(fig)
    charts.redraw_line(fig, data.series("oecd_gerd_ppp", data.load("oecd_gerd_ppp")["indicator_code"].iloc[0],
                                        iso3=["CHN"]), title="A different title", ylabel="a", source="")
    assert not (pixels(fig) == before).all()
    assert fig.axes[0].get_title(loc="left") == "A different title"


def test_the_timeline_drawn_into_one_figure_matches_a_new_figure_every_time():
    table, figure, kept = data.milestones(), timeline.blank_figure(), {}

    def decoded(bundle):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(charts.chart_image(bundle)[0]))).convert("RGB"))

    for choice in [(timeline.KINDS, timeline.FIRST_YEAR, timeline.LAST_YEAR), (("plan",), 1990, 2020), ((), 2000, 2001),
                   (timeline.KINDS[1:], 2000, timeline.LAST_YEAR)]:
        fresh_margins = dict(kept)
        reused = decoded(timeline.chart_bundle(*choice, table=table, margins=kept, figure=figure)[0])
        fresh = decoded(timeline.chart_bundle(*choice, table=table, margins=fresh_margins)[0])
        assert reused.shape == fresh.shape and (reused == fresh).all(), choice


def test_the_kept_glyphs_stay_within_their_bounds(monkeypatch):
    monkeypatch.setattr(fastdraw, "_glyphs", fastdraw.OrderedDict())
    monkeypatch.setattr(fastdraw, "_glyph_bytes", 0)
    monkeypatch.setattr(fastdraw, "KEPT_BYTES", 200_000)
    fig = chart()
    for n in range(40):  # forty different long titles: more bitmap than the bound allows
        fig.axes[0].set_title(f"Title number {n} " + "x" * 60, loc="left")
        pixels(fig)
    kept = sum(entry[0].nbytes for entry in fastdraw._glyphs.values() if entry is not None)
    assert kept == fastdraw._glyph_bytes <= 200_000 and len(fastdraw._glyphs) > 1
    assert any(key[0] == "Title number 39 " + "x" * 60 for key in fastdraw._glyphs)  # the newest is kept
