"""Long Markdown tables on slides: a table too tall for one 1280×720 slide at the 24 px table text of
slides.css is cut between rows into pieces, each shown on a slide of its own with the table's header row (and,
after the first, the heading above the table marked "continued").

How tall a row is depends on how its cells wrap. It is estimated from the text: a column gets a share of the
slide's width in proportion to its longest cell (within limits), and a cell takes as many lines as its text
needs at :data:`LINE_CHARS` characters of 24 px text across the slide (a Chinese character counts as two).
The browser test of the decks (tests/test_slides_browser.py) measures every slide, so an estimate that is too
generous fails there.
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from typing import Any

#: Characters of 24 px table text across a 1280-px slide, and the lines of it one slide holds under a heading.
LINE_CHARS = 150
SLIDE_LINES = 24
ROW_PAD_LINES = 0.5  # a row's padding and border, in lines


def _width(text: str) -> int:
    """Characters of text as shown: Markdown marks and link targets dropped, a wide character counted twice."""
    plain = re.sub(r"\]\([^)]*\)|[`*_\[\]]", "", text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in plain)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _row_heights(rows: list[list[str]]) -> list[float]:
    """Each row's height in lines, with column widths shared out by their longest cell."""
    columns = max(len(row) for row in rows)
    longest = [max((_width(row[i]) for row in rows if i < len(row)), default=1) or 1 for i in range(columns)]
    share = [min(max(n / sum(longest), 0.6 / columns), 0.6) for n in longest]
    chars = [max(4.0, LINE_CHARS * s / sum(share)) for s in share]
    return [ROW_PAD_LINES + max(math.ceil(_width(cell) / chars[i]) or 1 for i, cell in enumerate(row[:columns]))
            for row in rows]


def _table_span(lines: list[str]) -> tuple[int, int] | None:
    """Where the first pipe table of ``lines`` is: (its header line, the line after its last row)."""
    for start in range(len(lines) - 1):
        if lines[start].lstrip().startswith("|") and re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*\|?\s*", lines[start + 1]):
            end = start + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            return start, end
    return None


def table_pieces(text: str, lines_above: int = 2) -> list[str]:
    """``text`` (Markdown) as the pieces shown one per slide: the text itself when its table fits; else the text
    before the table with the first rows, then the rest of the rows a slide at a time under the header row,
    the text after the table with the last piece. ``lines_above``: lines the slide shows above the text."""
    lines = text.splitlines()
    span = _table_span(lines)
    if span is None:
        return [text]
    start, end = span
    header, rows = lines[start:start + 2], lines[start + 2:end]
    heights = _row_heights([_cells(line) for line in [lines[start], *rows]])
    before = sum(_width(line) // LINE_CHARS + 1 for line in lines[:start] if line.strip())
    room, used, chunks = SLIDE_LINES - lines_above - heights[0], float(before), [[]]
    for row, height in zip(rows, heights[1:], strict=True):
        if chunks[-1] and used + height > room:
            chunks.append([])
            used = 0.0
        chunks[-1].append(row)
        used += height
    if len(chunks) == 1:
        return [text]
    heading = next((line for line in reversed(lines[:start]) if line.startswith("#")), None)
    again = [f"{heading} (continued)", ""] if heading else []
    pieces = ["\n".join([*lines[:start], *header, *chunks[0]])]
    pieces += ["\n".join([*again, *header, *chunk]) for chunk in chunks[1:]]
    if lines[end:]:
        pieces[-1] += "\n" + "\n".join(lines[end:])
    return pieces


def split_markdown_cell(cell: Any) -> list:
    """A Markdown cell whose table is too tall for a slide as one cell per piece (:func:`table_pieces`), the
    pieces after the first on slides of their own; any other cell as it is."""
    pieces = table_pieces(cell.source)
    if len(pieces) == 1:
        return [cell]
    parts = []
    for number, piece in enumerate(pieces):
        part = copy.deepcopy(cell)
        part.source = piece
        if number:
            part.metadata.setdefault("slideshow", {})["slide_type"] = "subslide"
            if "id" in part:
                part.id = f"{cell.id}-{number}"[:64]
        parts.append(part)
    return parts
