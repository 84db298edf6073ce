"""Faster chart redraws: an Agg canvas that renders each text's glyphs once and reuses them.

Matplotlib's Agg backend lays out and renders every glyph of every text at every draw; in an explorer's
redraw that is most of the time (title, axis labels, source line, tick labels and legend repeat from one
choice to the next). :class:`Canvas` draws a text with its origin on a whole pixel, so its glyph bitmaps do
not depend on where it is drawn, merges them into one bitmap and keeps it (by string, font, angle,
antialiasing and resolution) for the next draw, and it measures each text once for all figures. Output is
the same whether a text comes from the cache or not. From stock Agg it differs by the whole-pixel origin (at
most half a pixel) and where two glyphs' edges overlap (the darker coverage, not both blended).
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from typing import BinaryIO

import matplotlib as mpl
import numpy as np
from isal import isal_zlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font
from PIL import Image

KEPT = 4096  # texts whose sizes and glyphs are kept (a few kB each) ...
KEPT_BYTES = 32 * 2**20  # ... and at most this much glyph bitmap in all
_FONT_SETTINGS = ("font.family", "font.sans-serif", "font.weight", "text.hinting", "text.hinting_factor",
                  "text.antialiased")
_glyphs: OrderedDict[tuple, tuple[np.ndarray, int, int] | None] = OrderedDict()
_metrics: OrderedDict[tuple, tuple[float, float, float]] = OrderedDict()
_heights: dict[tuple, tuple[float | None, float | None, float | None]] = {}
_glyph_bytes = 0


class _Recorder:
    """Stands in for the C++ renderer while a text is laid out: keeps each glyph's bitmap and place instead of
    drawing it."""

    def __init__(self) -> None:
        self.glyphs: list[tuple[np.ndarray, int, int]] = []

    def draw_text_image(self, image, x, y, angle, gc) -> None:
        self.glyphs.append((np.array(image, dtype=np.uint8, copy=True), int(x), int(y)))


def _bitmap_bytes(entry: tuple[np.ndarray, int, int] | None) -> int:
    return entry[0].nbytes if entry is not None else 0


def _remember(key: tuple, entry: tuple[np.ndarray, int, int] | None) -> None:
    """Keep a text's bitmap; forget the least recently drawn texts beyond :data:`KEPT` texts or
    :data:`KEPT_BYTES` of bitmaps."""
    global _glyph_bytes
    _glyphs[key] = entry
    _glyph_bytes += _bitmap_bytes(entry)
    while len(_glyphs) > 1 and (len(_glyphs) > KEPT or _glyph_bytes > KEPT_BYTES):
        _glyph_bytes -= _bitmap_bytes(_glyphs.popitem(last=False)[1])


def _merge(glyphs: list[tuple[np.ndarray, int, int]], x0: int, y0: int) -> tuple[np.ndarray, int, int] | None:
    """One coverage bitmap for all of a text's glyphs, and its place relative to the text's origin
    (``x`` of its left side, ``y`` of its bottom side, downwards, as Agg's ``draw_text_image`` takes them)."""
    glyphs = [g for g in glyphs if g[0].size]
    if not glyphs:
        return None
    left = min(x for _, x, _ in glyphs)
    top = min(y - image.shape[0] for image, _, y in glyphs)
    right = max(x + image.shape[1] for image, x, _ in glyphs)
    bottom = max(y for _, _, y in glyphs)
    merged = np.zeros((bottom - top, right - left), dtype=np.uint8)
    for image, x, y in glyphs:
        rows, cols = image.shape
        view = merged[y - rows - top:y - top, x - left:x - left + cols]
        np.maximum(view, image, out=view)
    return merged, left - x0, bottom - y0


class Renderer(RendererAgg):
    """Agg, with texts drawn from kept glyph bitmaps where it drew the same text before, and text sizes
    measured once for all figures (matplotlib's own cache is per renderer, so per figure)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        key = _key(self, None, s, prop, 0.0, None, ismath)
        if key is None:
            return super().get_text_width_height_descent(s, prop, ismath)
        if key not in _metrics:
            _metrics[key] = super().get_text_width_height_descent(s, prop, ismath)
            while len(_metrics) > KEPT:
                _metrics.popitem(last=False)
        return _metrics[key]

    def _get_font_height_metrics(self, prop):
        """A font's ascent, descent and line gap in pixels, as ``Text._get_layout`` reads them from the font's
        tables at every layout, here once per font (matplotlib's hook for backends)."""
        key = _key(self, None, "", prop, 0.0, None)
        if key is None:
            return None, None, None
        if key not in _heights:
            _heights[key] = _font_heights(prop, self.dpi)
        return _heights[key]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = _key(self, gc, s, prop, angle, mtext)
        if key is None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        x0, y0 = round(x), round(y)
        if key not in _glyphs:
            recorder, real = _Recorder(), self._renderer
            self._renderer = recorder
            try:
                super().draw_text(gc, x0, y0, s, prop, angle, ismath, mtext)
            finally:
                self._renderer = real
            _remember(key, _merge(recorder.glyphs, x0, y0))
        _glyphs.move_to_end(key)
        if _glyphs[key] is not None:
            image, dx, dy = _glyphs[key]
            self._renderer.draw_text_image(image, x0 + dx, y0 + dy, 0, gc)
        return None


def _key(renderer: RendererAgg, gc, s: str, prop, angle: float, mtext, ismath=False) -> tuple | None:
    """What a text's glyph bitmaps (or, with no ``gc``, its size) depend on; None when it cannot be told
    (such a text is not kept)."""
    try:
        features = tuple(mtext.get_fontfeatures() or ()) if mtext is not None else ()
        language = mtext.get_language() if mtext is not None else None
        settings = tuple(str(mpl.rcParams[name]) for name in _FONT_SETTINGS)
        antialiased = bool(gc.get_antialiased()) if gc is not None else None
        font = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
                prop.get_size(), prop.get_file(), prop.get_math_fontfamily())
        return (s, font, float(angle), antialiased, float(renderer.dpi), features, language, settings, str(ismath))
    except (TypeError, AttributeError):
        return None


def _font_heights(prop, dpi: float) -> tuple[float | None, float | None, float | None]:
    """Ascent, descent and line gap of ``prop``'s font at ``dpi``, from its OS/2 or hhea table (the tables and
    order ``matplotlib.text.Text._get_layout`` uses); None each when the font has neither."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
            return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class Canvas(FigureCanvasAgg):
    """A figure's Agg canvas whose renderer is :class:`Renderer` (PNG output, ``savefig`` and all)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def use(fig: Figure) -> Figure:
    """Give ``fig`` the caching canvas (once); returns it."""
    if not isinstance(fig.canvas, Canvas):
        Canvas(fig)
    return fig


def png(fig: Figure, out: BinaryIO) -> None:
    """Write ``fig`` as an opaque PNG, quickly (an explorer's redraw): drawn on its canvas, without the alpha
    channel (a chart's background is opaque), rows unfiltered, compressed by ISA-L's deflate at level 1
    (``isal``: 2 ms for the 1200 × 1268 timeline, where zlib's fastest level takes 15 ms and Pillow's PNG
    encoder 28 ms; the file is 11 % larger). No metadata, so equal charts give equal bytes. The format is
    PNG's (W3C, Third Edition): a signature, then the chunks IHDR, IDAT and IEND."""
    use(fig).canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    rgb = np.asarray(Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
                     .convert("RGB"))
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: its filter type, 0 (none), then pixels
    rows[:, 1:] = rgb.reshape(height, 3 * width)
    out.write(b"\x89PNG\r\n\x1a\n")
    _chunk(out, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))  # 8-bit RGB, not interlaced
    _chunk(out, b"IDAT", isal_zlib.compress(rows, 1))
    _chunk(out, b"IEND", b"")


def _chunk(out: BinaryIO, kind: bytes, body: bytes) -> None:
    """One PNG chunk: the length of its data, its type, the data, and the CRC-32 of type and data."""
    out.write(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)))
