"""Publish the course for a classroom: offline reveal.js slide decks and printable handouts.

Both read the saved notebooks (no kernel runs) and share one clean-up step (:func:`prepare`):

* a question cell (``wb.ask(...)``) becomes a static question card: prompt, options, a blank to fill;
  its answer, key, hints and explanation are never read, so they cannot leak;
* a cell whose input is hidden (``metadata.jupyter.source_hidden``) shows its output only;
* widget views (which need a live kernel) become a short "open it in JupyterLab" note, answer
  records and stderr are dropped.

Slides come from the lessons' ``metadata.slideshow.slide_type`` and load reveal.js from a copy placed
next to the decks (taken from the ``sphinx-revealjs`` package), so they work with no network.
Handouts are single HTML files with embedded images and print CSS; learners' workbooks are taken from
``exercises/`` only, never from ``solutions/``.
"""

from __future__ import annotations

import argparse
import ast
import copy
import html
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import nbformat

from ..engine.questions import KIND_NAMES, display_order
from ..engine.records import MIME as ANSWER_MIME
from . import ROOT

COURSE_NAME = "China's innovation-driven development"
TEMPLATES = Path(__file__).resolve().parent / "templates"
REVEAL_DIR = "reveal.js"
#: The parts of reveal.js a deck loads (the white theme imports only its local Source Sans Pro font).
REVEAL_FILES = ("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: What must never appear in a learner's handout: an authored answer, a sealed explanation, solution code.
KEY_MARKERS = ("answer=", "sealed(", "BEGIN SOLUTION", "sha256-v1")
#: The only ``ask(...)`` keywords a card shows. Answers, keys, hints and explanations are never evaluated.
CARD_FIELDS = ("id", "kind", "prompt", "options", "pairs", "unit", "points", "tolerance", "rel_tolerance")
LIVE_NOTE = "Live widget: open this notebook in JupyterLab to use it."
#: A deck's slide size (16:9, a projector's 1280×720) and the room a chart slide leaves around its chart.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
CHART_PAD = 8            # px of padding round a chart slide
CHART_FOOT = 44          # px kept free under a chart for the slide number and the arrows
TABLE_ROWS = 6           # a table output with more rows than this gets a slide of its own


class PublishError(RuntimeError):
    """A deck or handout cannot be made (missing reveal.js, a solutions notebook, an external resource...)."""


@dataclass
class Built:
    """One published page: its source notebook, output file and title."""

    source: Path
    path: Path
    title: str
    kind: str  # "slides", "lesson" or "workbook"


# --------------------------------------------------------------------------------------------- sources


def find_notebooks(paths: Iterable[Path]) -> list[Path]:
    """The notebooks named, or found directly in the folders named, in name order."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        else:
            raise PublishError(f"{path}: not a notebook or a folder")
    return found


def default_folder(name: str) -> Path:
    """``name`` in the current folder when it has one, else in the course's own checkout."""
    here = Path.cwd() / name
    return here if here.is_dir() else ROOT / name


def render_markdown(text: str) -> str:
    """Markdown to HTML with nbconvert's own renderer, as one block with no blank lines."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return re.sub(r"\n\s*\n", "\n", markdown2html_mistune(str(text))).strip()


def _inline(text: str) -> str:
    rendered = render_markdown(text)
    match = re.fullmatch(r"<p>(.*)</p>", rendered, flags=re.S)
    return match.group(1) if match else rendered


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def notebook_title(nb: Any, default: str = "") -> str:
    """The text of the notebook's title: the first ``# heading`` of its first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if re.match(r"#\s", line.strip()):
                return _plain(_inline(line.strip().lstrip("#").strip()))
        break
    return default


# ------------------------------------------------------------------------------------ question cards


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                calls.append(node)
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def card_fields(call: ast.Call) -> dict[str, Any]:
    """The displayable keywords of an ``ask(...)`` call; anything not a literal is left out."""
    fields = {}
    for keyword in call.keywords:
        if keyword.arg in CARD_FIELDS:
            try:
                fields[keyword.arg] = ast.literal_eval(keyword.value)
            except ValueError:
                continue
    return fields


def _tolerance(fields: dict[str, Any]) -> str:
    unit = str(fields.get("unit", ""))
    if isinstance(fields.get("tolerance"), int | float):
        return f" (to within ±{fields['tolerance']:g} {unit})".replace(" )", ")")
    if isinstance(fields.get("rel_tolerance"), int | float):
        return f" (to within ±{fields['rel_tolerance'] * 100:g} %)"
    return ""


def question_card(fields: dict[str, Any], number: int) -> str:
    """A question as a static HTML card, built only from what a learner may see."""
    kind = str(fields.get("kind", ""))
    points = fields.get("points", 1)
    points = points if isinstance(points, int | float) else 1
    head = f"Question {number} · {KIND_NAMES.get(kind, kind)} · {points:g} point{'' if points == 1 else 's'}"
    options = [str(o) for o in fields.get("options", ()) or ()]
    unit = html.escape(str(fields.get("unit", "")))
    blank = '<span class="ic-blank">&nbsp;</span>'
    parts = [f'<div class="ic-question" data-question="{html.escape(str(fields.get("id", "")))}">',
             f'<div class="ic-question-head">{html.escape(head)}</div>',
             render_markdown(fields.get("prompt", ""))]
    if kind in ("choice", "multiple"):
        parts.append("<div><em>" + ("Tick one." if kind == "choice" else "Tick every one that applies.")
                     + "</em></div>")
        parts.append('<ul class="ic-options">' + "".join(f"<li>{_inline(o)}</li>" for o in options) + "</ul>")
    elif kind == "ordering":
        items = display_order(str(fields.get("id", "")), options)
        parts.append("<div><em>Number them in order (1 = first).</em></div>")
        parts.append('<ul class="ic-order">' + "".join(f'<li><span class="ic-blank ic-short">&nbsp;</span>'
                                                       f"{_inline(o)}</li>" for o in items) + "</ul>")
    elif kind == "matching":
        pairs = [str(p) for p in fields.get("pairs", ()) or ()]
        rows = "".join(f"<tr><td>{_inline(p)}</td><td>→ {blank}</td></tr>" for p in pairs)
        parts.append(f'<table class="ic-matching">{rows}</table>')
        parts.append("<div><em>Choose from:</em> " + " · ".join(_inline(o) for o in sorted(options)) + "</div>")
    elif kind == "numeric":
        parts.append(f"<div>Your answer: {blank} {unit}{html.escape(_tolerance(fields))}</div>")
    elif kind == "computed":
        parts.append(f"<div>Compute it in the notebook, then note the value: {blank} {unit}</div>")
    elif kind == "text":
        parts.append(f"<div>Your answer: {blank}</div>")
    elif kind == "free":
        parts.append('<div class="ic-lines"></div>')
    parts.append("</div>")
    return "\n".join(parts)


IDENTITY_CARD = ('<div class="ic-identity">Name: <span class="ic-blank">&nbsp;</span> &nbsp; '
                 'Learner ID: <span class="ic-blank">&nbsp;</span></div>')


# -------------------------------------------------------------------------------------------- cleaning


def _slide_type(cell: Any) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def _set_slide_type(cell: Any, slide_type: str) -> None:
    cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type


def _live_note() -> Any:
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<div class="ic-live">{html.escape(LIVE_NOTE)}</div>', "text/plain": LIVE_NOTE})


def _clean_outputs(outputs: list) -> list:
    """Drop answer records and stderr; the first widget view becomes a note, the others go."""
    kept, widgets = [], False
    for output in outputs:
        data = output.get("data", {})
        if ANSWER_MIME in data:
            continue
        if WIDGET_VIEW in data:
            if not widgets:
                kept.append(_live_note())
            widgets = True
            continue
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        kept.append(output)
    return kept


def _hidden_input(cell: Any) -> bool:
    tags = set(cell.metadata.get("tags", []))
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden")) or bool(tags & {"remove-input", "hide-input"})


def _card_cell(cell: Any, html_block: str) -> Any:
    new = nbformat.v4.new_markdown_cell(html_block)
    new.metadata = copy.deepcopy(cell.metadata)
    new.metadata.pop("jupyter", None)
    return new


def prepare(nb: Any, *, for_slides: bool, learner: bool = False) -> Any:
    """A copy of ``nb`` made fit to publish (see the module docstring). ``learner``: a workbook handout."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    if not any(_slide_type(c) for c in nb.cells):  # a lesson without slide metadata: one slide per heading
        for cell in nb.cells:
            heading = cell.cell_type == "markdown" and re.match(r"#{1,2}\s", cell.source.lstrip())
            _set_slide_type(cell, "slide" if heading else "-")
    cells, count, after_card = [], [0], False
    for cell in nb.cells:
        cell = _publish_cell(cell, for_slides, learner, count)
        is_card = bool(cell.metadata.get("_ic_card"))
        if for_slides and is_card and after_card and _slide_type(cell) in (None, "-"):
            _set_slide_type(cell, "subslide")  # one question per screen when a lesson lists several
        if not cell.metadata.get("_ic_drop"):
            after_card = is_card
        cell.metadata.pop("_ic_card", None)
        cells.append(cell)
    nb.cells = _without_dropped(cells)
    if for_slides:
        nb.cells = chart_slides(nb.cells)
    if for_slides and not any(_slide_type(c) not in ("skip", "notes") for c in nb.cells):
        raise PublishError("every cell is skipped: nothing to show")
    return nb


def _publish_cell(cell: Any, for_slides: bool, learner: bool, count: list[int]) -> Any:
    """One cell as published: a question card, an identity box, a cleaned cell, or a dropped one."""
    if cell.cell_type != "code":
        return cell
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        tree = None
    asks = _calls(tree, "ask") if tree else []
    if asks:
        cards = []
        for call in asks:
            count[0] += 1
            cards.append(question_card(card_fields(call), count[0]))
        card = _card_cell(cell, "\n".join(cards))
        card.metadata["_ic_card"] = True
        return card
    if tree and _calls(tree, "identity"):
        return _dropped(cell) if for_slides else _card_cell(cell, IDENTITY_CARD)
    if tree and _calls(tree, "Workbook"):  # set-up: its banner is about saving answers in the notebook
        return _dropped(cell)
    cell.outputs = _clean_outputs(cell.get("outputs", []))
    hide = _hidden_input(cell)
    if learner and any(marker in cell.source for marker in KEY_MARKERS):
        hide = True  # half-written or unparsable workbook code: never print a key
    if hide:
        cell.metadata["transient"] = {"remove_source": True}
    visible = (not hide and cell.source.strip()) or cell.outputs
    return cell if visible else _dropped(cell)


def _dropped(cell: Any) -> Any:
    cell.metadata["_ic_drop"] = True
    return cell


def _without_dropped(cells: list) -> list:
    """Remove dropped cells, handing a slide or subslide start on to the next cell shown."""
    kept, carry = [], None
    for cell in cells:
        if cell.metadata.pop("_ic_drop", False):
            if _slide_type(cell) in ("slide", "subslide") and carry != "slide":
                carry = _slide_type(cell)
            continue
        if carry and _slide_type(cell) in (None, "-", "fragment"):
            _set_slide_type(cell, carry)
        carry = None
        kept.append(cell)
    return kept


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
        _set_slide_type(part, slide_type)
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
        kind = _slide_type(cell) if not parts and _slide_type(cell) in ("slide", "subslide") else "subslide"
        if not _is_chart(output):
            parts.append(_part(cell, [output], False, kind, len(parts)))
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
        kind = _slide_type(cell)
        if kind in ("skip", "notes"):
            out.append(cell)
            continue
        if after and kind in (None, "-", "fragment"):
            _set_slide_type(cell, "subslide")
        after = False
        if cell.cell_type == "code" and any(_own_slide(o) for o in cell.get("outputs", [])):
            parts = _split_cell(cell)
            out += parts
            after = any(_own_slide(o) for o in parts[-1].outputs)
            continue
        out.append(cell)
    return out


# ---------------------------------------------------------------------------------- offline checking


class _ResourceFinder(HTMLParser):
    """Collects what a page would fetch from the network when opened."""

    LOADING: ClassVar[dict[str, tuple[str, ...]]] = {
        "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
        "video": ("src", "poster"), "audio": ("src",), "source": ("src", "srcset"), "embed": ("src",),
        "object": ("data",), "track": ("src",), "input": ("src",)}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in self.LOADING.get(tag, ()) and _EXTERNAL.match(value.strip()):
                self.found.append(f"<{tag} {name}={value}>")
            if value and name == "style":
                self.found += css_external(value)
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found += css_external(data)
        elif self._in == "script":
            self.found += [f"script loads {m}" for m in _SCRIPT_URL.findall(data)]


_EXTERNAL = re.compile(r"^(https?:)?//", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_SCRIPT_URL = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+)['"`]""", re.I)


def css_external(css: str) -> list[str]:
    """The network addresses a style sheet would load (``url(http...)``, ``@import "http..."``)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [f"css loads {m}" for m in _CSS_URL.findall(css)]


def external_resources(page: str) -> list[str]:
    """What an HTML page would fetch from the network: scripts, style sheets, images, fonts, frames.

    Plain links (``<a href>``) are not resources and are allowed.
    """
    finder = _ResourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def _check_offline(path: Path, page: str) -> None:
    found = external_resources(page)
    if found:
        raise PublishError(f"{path}: would load from the network: {', '.join(found[:5])}")


# ---------------------------------------------------------------------------------------------- slides


def reveal_source() -> Path:
    """The reveal.js folder shipped by the ``sphinx-revealjs`` package."""
    try:
        import sphinx_revealjs
    except ImportError:
        raise PublishError("reveal.js comes from the sphinx-revealjs package: pip install sphinx-revealjs") from None
    folder = Path(sphinx_revealjs.__file__).resolve().parent / "_static" / "revealjs"
    if not (folder / "dist" / "reveal.js").is_file():
        raise PublishError(f"no reveal.js in {folder}")
    return folder


def copy_reveal(target: Path) -> Path:
    """Copy the parts of reveal.js the decks use into ``target``."""
    source = reveal_source()
    for name in REVEAL_FILES:
        src, dst = source / name, target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    return target


def _exporter(kind: str) -> Any:
    from nbconvert import HTMLExporter, SlidesExporter

    common = {"extra_template_paths": [str(TEMPLATES)], "exclude_input_prompt": True,
              "exclude_output_prompt": True, "exclude_anchor_links": True, "embed_images": True}
    if kind == "slides":
        return SlidesExporter(template_file="slides.html.j2", reveal_url_prefix=REVEAL_DIR, reveal_theme="white",
                              reveal_transition="none", reveal_width=str(SLIDE_WIDTH),
                              reveal_height=str(SLIDE_HEIGHT), **common)
    return HTMLExporter(template_name="lab", template_file="handout.html.j2", **common)


def _export(exporter: Any, nb: Any, source: Path, course: dict[str, str]) -> str:
    resources = {"metadata": {"name": source.stem, "path": str(source.parent)}, "course": course}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    return page


def build_slides(sources: Iterable[Path], out: Path) -> list[Built]:
    """One offline reveal.js deck per lesson in ``out``, with reveal.js and an index page beside them."""
    sources = list(sources)
    out.mkdir(parents=True, exist_ok=True)
    copy_reveal(out / REVEAL_DIR)
    exporter = _exporter("slides")
    course = {"css": (TEMPLATES / "slides.css").read_text(encoding="utf-8")}
    built = []
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        title = notebook_title(nb, source.stem)
        clean = prepare(nb, for_slides=True)
        clean.metadata["title"] = title
        path = out / f"{source.stem}.html"
        page = _export(exporter, clean, source, course)
        _check_offline(path, page)
        path.write_text(page, encoding="utf-8")
        built.append(Built(source, path, title, "slides"))
    write_index(out, built, "Slides", "Arrow keys move; S opens the speaker notes; F is full screen; "
                "Esc shows every slide. The decks work with no network: copy the whole folder.")
    return built


# -------------------------------------------------------------------------------------------- handouts


def _refuse_solutions(source: Path, nb: Any) -> None:
    if "solutions" in source.resolve().parts:
        raise PublishError(f"{source}: handouts for learners are made from exercises/, never from solutions/")
    text = nbformat.writes(nb)
    if re.search(r"""mode\s*=\s*['"]solution['"]""", text) or "BEGIN SOLUTION" in text:
        raise PublishError(f"{source}: this is a solutions notebook; build exercises/ first (innovation-course build)")


def build_handouts(lessons: Iterable[Path], workbooks: Iterable[Path], out: Path) -> list[Built]:
    """Standalone printable HTML for each lesson and each blank workbook, with an index page."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter("handout")
    css = (TEMPLATES / "handout.css").read_text(encoding="utf-8")
    built = []
    for kind, sources in (("lesson", lessons), ("workbook", workbooks)):
        for source in sources:
            nb = nbformat.read(source, as_version=4)
            learner = kind == "workbook"
            if learner:
                _refuse_solutions(source, nb)
            title = notebook_title(nb, source.stem)
            clean = prepare(nb, for_slides=False, learner=learner)
            clean.metadata["title"] = title
            course = {"css": css, "name": COURSE_NAME, "kind": "Workbook" if learner else "Lesson handout",
                      "footer": f"{COURSE_NAME} · {source.parent.name}/{source.name}"}
            path = out / f"{source.stem}.html"
            page = _export(exporter, clean, source, course)
            _check_offline(path, page)
            if learner:
                leaked = [m for m in KEY_MARKERS if m in page]
                if leaked:
                    raise PublishError(f"{path}: would show answer material ({', '.join(leaked)})")
            path.write_text(page, encoding="utf-8")
            built.append(Built(source, path, title, kind))
    write_index(out, built, "Handouts", "Lessons and blank workbooks, ready to print (Ctrl+P) or to upload "
                "to a learning platform as pages. Each file stands alone: its images are inside it.")
    return built


def write_index(out: Path, built: list[Built], heading: str, note: str) -> Path:
    """A plain index page listing what was built."""
    groups = {"slides": "Slide decks", "lesson": "Lessons", "workbook": "Workbooks (no answers)"}
    body = []
    for kind, label in groups.items():
        items = [b for b in built if b.kind == kind]
        if items:
            body.append(f"<h2>{label}</h2><ul>" + "".join(
                f'<li><a href="{html.escape(b.path.name)}">{html.escape(b.title)}</a></li>' for b in items) + "</ul>")
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{heading} · {COURSE_NAME}'
            '</title><style>body{font-family:sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;'
            'line-height:1.5}a{color:#0072B2}</style></head>'
            f"<body><h1>{html.escape(COURSE_NAME)}: {heading.lower()}</h1><p>{html.escape(note)}</p>"
            + "".join(body) + "</body></html>\n")
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------- CLI


def add_slides_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons or folders of lessons (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=Path("_site/slides"), help="folder for the decks")


def run_slides(args: argparse.Namespace) -> int:
    try:
        sources = find_notebooks(args.notebooks or [default_folder("notebooks")])
        if not sources:
            raise PublishError("no lesson notebooks found")
        built = build_slides(sources, args.out)
    except PublishError as error:
        print(f"slides: {error}", file=sys.stderr)
        return 1
    print(f"{len(built)} slide deck(s) in {args.out}/ (open {args.out / 'index.html'})")
    return 0


def add_handouts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lessons", type=Path, default=None, help="folder of lessons (default: notebooks/)")
    parser.add_argument("--exercises", type=Path, default=None,
                        help="folder of blank workbooks (default: exercises/; never solutions/)")
    parser.add_argument("--out", type=Path, default=Path("_site/handouts"), help="folder for the handouts")


def run_handouts(args: argparse.Namespace) -> int:
    try:
        lessons = find_notebooks([args.lessons or default_folder("notebooks")])
        workbooks = find_notebooks([args.exercises or default_folder("exercises")])
        if not lessons and not workbooks:
            raise PublishError("no lessons or workbooks found")
        built = build_handouts(lessons, workbooks, args.out)
    except PublishError as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    print(f"{len(built)} handout(s) in {args.out}/ (open {args.out / 'index.html'})")
    return 0
