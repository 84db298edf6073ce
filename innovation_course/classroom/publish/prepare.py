"""A lesson or workbook made fit to publish, shared by slides, handouts and the site: question cells become
static question cards (prompt, options, a blank; answers, keys, hints and explanations are never read), hidden
inputs show their outputs only, widget views become a short "open it in JupyterLab" note, answer records and
stderr are dropped.
"""

from __future__ import annotations

import ast
import copy
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ...content import charts
from ...engine.questions import KIND_NAMES, display_order
from ...engine.records import MIME as ANSWER_MIME
from ...engine.spec import SpecError, evaluate, findings_module
from .. import ROOT
from .chartslides import chart_slides, set_slide_type, slide_type

COURSE_NAME = "China's innovation-driven development"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: What must never appear in a learner's handout: an authored answer, a sealed explanation, solution code.
KEY_MARKERS = ("answer=", "sealed(", "BEGIN SOLUTION", "sha256-v1", "sha256-v2")
#: The only ``ask(...)`` keywords a card shows. Answers, keys, hints and explanations are never evaluated.
CARD_FIELDS = ("id", "kind", "prompt", "options", "pairs", "unit", "points", "tolerance", "rel_tolerance")
LIVE_NOTE = "Live widget: open this notebook in JupyterLab to use it."
#: a template question's card (its prompt is each learner's own, made when the workbook runs)
VERSIONS_NOTE = ("Each learner has a version of this question of their own, with its numbers from the data: open "
                 "the workbook in JupyterLab to see yours.")


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


def card_fields(call: ast.Call, findings: str | None = None) -> dict[str, Any]:
    """The displayable keywords of an ``ask(...)`` call: literals, and prompts or options a lesson computes with
    ``findings.NAME(...)`` (``findings``: the module the notebook imports as findings); anything else is left out.
    Only :data:`CARD_FIELDS` are read, never an answer, key, hint or explanation."""
    fields = {}
    for keyword in call.keywords:
        if keyword.arg == "template":
            fields.setdefault("prompt", VERSIONS_NOTE)
        if keyword.arg in CARD_FIELDS:
            try:
                fields[keyword.arg] = evaluate(keyword.value, findings)
            except (SpecError, ValueError, TypeError, KeyError):
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


def _live_note() -> Any:
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<div class="ic-live">{html.escape(LIVE_NOTE)}</div>', "text/plain": LIVE_NOTE})


def _as_png(output: Any) -> Any:
    """A chart shown as HTML in JupyterLab (an ``<img>`` with its alt text, see :func:`charts.figure_bundle`) as
    a PNG output again, its alt text in the metadata where nbconvert's templates and the chart slides read it."""
    chart = charts.chart_image(output.get("data", {}))
    if chart is None:
        return output
    png, alt = chart
    output = copy.deepcopy(output)
    output["data"] = {"image/png": png, "text/plain": output["data"].get("text/plain", f"Chart: {alt}")}
    output["metadata"] = {**output.get("metadata", {}), "image/png": {"alt": alt}}
    return output


def _clean_outputs(outputs: list) -> list:
    """Drop answer records and stderr; the first widget view becomes a note, the others go; charts are PNGs."""
    kept, widgets = [], False
    for output in map(_as_png, outputs):
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
    if not any(slide_type(c) for c in nb.cells):  # a lesson without slide metadata: one slide per heading
        for cell in nb.cells:
            heading = cell.cell_type == "markdown" and re.match(r"#{1,2}\s", cell.source.lstrip())
            set_slide_type(cell, "slide" if heading else "-")
    cells, count, after_card, findings = [], [0], False, findings_module(nb)
    for cell in nb.cells:
        cell = _publish_cell(cell, for_slides, learner, count, findings)
        is_card = bool(cell.metadata.get("_ic_card"))
        if for_slides and is_card and after_card and slide_type(cell) in (None, "-"):
            set_slide_type(cell, "subslide")  # one question per screen when a lesson lists several
        if not cell.metadata.get("_ic_drop"):
            after_card = is_card
        cell.metadata.pop("_ic_card", None)
        cells.append(cell)
    nb.cells = _without_dropped(cells)
    if for_slides:
        nb.cells = chart_slides(nb.cells)
    if for_slides and not any(slide_type(c) not in ("skip", "notes") for c in nb.cells):
        raise PublishError("every cell is skipped: nothing to show")
    return nb


def _publish_cell(cell: Any, for_slides: bool, learner: bool, count: list[int], findings: str | None = None) -> Any:
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
            cards.append(question_card(card_fields(call, findings), count[0]))
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
            if slide_type(cell) in ("slide", "subslide") and carry != "slide":
                carry = slide_type(cell)
            continue
        if carry and slide_type(cell) in (None, "-", "fragment"):
            set_slide_type(cell, carry)
        carry = None
        kept.append(cell)
    return kept


