"""Slides for charts and long tables: a chart, or a table of more than ``TABLE_ROWS`` rows, gets a slide of its
own, and a chart taller than a slide is cut into pieces that each fit a projector's 1280x720. A Markdown table
too tall for one slide at the 24 px table text of slides.css (a lesson's key terms, Lesson 6's claims) is
shown over several slides, each with the table's header row (:mod:`tableslides`).
"""

from __future__ import annotations

import copy
from typing import Any

from .tableslides import split_markdown_cell, table_pieces

#: A deck's slide size (16:9, a projector's 1280×720) and the room a chart slide leaves around its chart.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
CHART_PAD = 8            # px of padding round a chart slide
CHART_FOOT = 44          # px kept free under a chart for the slide number and the arrows
TABLE_ROWS = 6           # a table output with more rows than this gets a slide of its own


def slide_type(cell: Any) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def set_slide_type(cell: Any, slide_type: str) -> None:
    cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type



# ------------------------------------------------------------------------------------------ chart slides


def png_size(encoded: str) -> tuple[int, int]:
    """Width and height in pixels of a base64 PNG (read from its header)."""
    import base64
    import struct

    head = base64.b64decode(encoded[:64])
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def chart_width(size: tuple[int, int]) -> int:
    """The width (px) a chart of ``size`` gets on its own 1280×720 slide: as wide as the slide allows, as long
    as its height fits above the slide number and arrows."""
    width, height = size
    room_w = SLIDE_WIDTH - 2 * CHART_PAD
    room_h = SLIDE_HEIGHT - 2 * CHART_PAD - CHART_FOOT
    return max(1, int(min(room_w, room_h * width / height)))


def chart_pieces(encoded: str) -> list[tuple[str, int]]:
    """A chart as the pieces shown one per slide, each with its width on the slide (px).

    A chart that fits a slide at 80 % of its width or more is one piece. A taller one (the policy timeline)
    is cut across, between rows of text, into pieces that each fill the slide's width at no less than the
    chart's own pixel size, so that its labels keep their printed size.
    """
    width, height = png_size(encoded)
    shown = int(min(SLIDE_WIDTH - 2 * CHART_PAD, max(width, 0.8 * SLIDE_WIDTH)))
    limit = int((SLIDE_HEIGHT - 2 * CHART_PAD - CHART_FOOT) * width / shown)  # source rows one slide holds
    if chart_width((width, height)) >= 0.8 * SLIDE_WIDTH or height <= limit or limit < 100:
        return [(encoded, chart_width((width, height)))]
    import base64
    import io

    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(encoded))).convert("RGB")
    ink = (255 - np.asarray(image.convert("L"), dtype=np.int64)).sum(axis=1)  # darkness of each pixel row
    pieces, top = [], 0
    while top < height:
        if height - top <= limit:
            bottom = height
        else:  # the lowest of the lightest rows in the last third of the room: a gap between rows of labels
            window = ink[top + int(limit * 2 / 3):top + limit][::-1]
            bottom = top + limit - 1 - int(np.argmin(window))
        buffer = io.BytesIO()
        image.crop((0, top, width, bottom)).save(buffer, format="PNG")
        pieces.append((base64.b64encode(buffer.getvalue()).decode("ascii"), shown))
        top = bottom
    return pieces


def _is_chart(output: Any) -> bool:
    return "image/png" in output.get("data", {})


def _is_big_table(output: Any) -> bool:
    page = str(output.get("data", {}).get("text/html", ""))
    if "<table" in page and page.count("<tr") > TABLE_ROWS + 1:  # the header row is one more
        return True
    markdown = str(output.get("data", {}).get("text/markdown", ""))
    rows = [line for line in markdown.splitlines() if line.lstrip().startswith("|")]
    return len(rows) > TABLE_ROWS + 2  # a Markdown table: header and separator lines, then its rows


def _own_slide(output: Any) -> bool:
    """A chart, or a table of more than ``TABLE_ROWS`` rows, is shown on a slide of its own."""
    return _is_chart(output) or _is_big_table(output)


def _part(cell: Any, outputs: list, with_input: bool, slide_type: str | None, number: int) -> Any:
    part = copy.deepcopy(cell)
    part.outputs = copy.deepcopy(outputs)
    if number and "id" in part:
        part.id = f"{cell.id}-{number}"[:64]  # cell ids stay unique
    if not with_input:
        part.metadata["transient"] = {"remove_source": True}
    if slide_type:
        set_slide_type(part, slide_type)
    return part


def _split_cell(cell: Any) -> list:
    """A code cell as parts: its code and what it shows before the first chart or big table; then each chart
    or table on a slide of its own (a chart sized to fill it); what follows one of them on the next slide."""
    shows_input = bool(cell.source.strip()) and not cell.metadata.get("transient", {}).get("remove_source")
    parts, pending, first = [], [], True
    for output in cell.outputs:
        if not _own_slide(output):
            pending.append(output)
            continue
        if pending or (first and shows_input):
            parts.append(_part(cell, pending, first and shows_input, None if first else "subslide", len(parts)))
            pending = []
        kind = slide_type(cell) if not parts and slide_type(cell) in ("slide", "subslide") else "subslide"
        if not _is_chart(output):
            markdown = output.get("data", {}).get("text/markdown")
            pieces = table_pieces(str(markdown)) if isinstance(markdown, str) else [None]
            for number, piece in enumerate(pieces):  # a Markdown table too tall for a slide: a slide per piece
                part = _part(cell, [output], False, kind if number == 0 else "subslide", len(parts))
                if len(pieces) > 1:
                    part.outputs[0]["data"] = {"text/markdown": piece, "text/plain": piece}
                parts.append(part)
        else:
            pieces = chart_pieces(output["data"]["image/png"])
            for number, (png, width) in enumerate(pieces, start=1):
                part = _part(cell, [output], False, kind if number == 1 else "subslide", len(parts))
                shown = part.outputs[0]
                shown["data"]["image/png"] = png
                meta = shown.setdefault("metadata", {}).setdefault("image/png", {})
                meta["width"] = width
                if len(pieces) > 1:
                    meta["alt"] = f"{meta.get('alt') or shown['data'].get('text/plain', 'Chart')} " \
                                  f"(part {number} of {len(pieces)})"
                part.metadata["slideshow"]["data"] = {"ic_chart": str(width)}
                parts.append(part)
        first = False
    if pending:
        parts.append(_part(cell, pending, False, "subslide", len(parts)))
    return parts


def chart_slides(cells: list) -> list:
    """Each chart (and big table) on a slide of its own; what follows one starts the next slide."""
    out, after = [], False
    for cell in cells:
        kind = slide_type(cell)
        if kind in ("skip", "notes"):
            out.append(cell)
            continue
        if after and kind in (None, "-", "fragment"):
            set_slide_type(cell, "subslide")
        after = False
        if cell.cell_type == "markdown":
            out += split_markdown_cell(cell)
            continue
        if cell.cell_type == "code" and any(_own_slide(o) for o in cell.get("outputs", [])):
            parts = _split_cell(cell)
            out += parts
            after = any(_own_slide(o) for o in parts[-1].outputs)
            continue
        out.append(cell)
    return out


