"""A lesson made fit for the course website: :func:`prepare`'s clean copy (question cards, no answers, widget
views turned into a note), then what a page read without a kernel needs: the "run this lesson" links, the
explorers' note pointing at them, each chart's alt text where the site renders it, headings that never skip a
level, and the data files the lesson names.
"""

from __future__ import annotations

import copy
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ..build import SOLUTION_BLOCK, _placeholder
from ..links import binder_url, hub_url
from .prepare import LIVE_NOTE, prepare

#: What replaces an explorer's widgets on the site: its saved view (chart and sentence) follows.
SITE_LIVE_NOTE = ("Live in JupyterLab: this explorer redraws as you change its controls when you "
                  '<a href="#{anchor}">run this lesson</a>. Below is its saved view.')
_HEADING = re.compile(r"^(#{1,6})(\s)", re.M)
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class SiteLinks:
    """Where learners run the course: the learner edition's public repository (``url``, ``branch``) and the
    class's JupyterHub (``hub``, with nbgitpuller's target ``folder``). Without ``url``, no run links."""

    url: str | None = None
    branch: str = "main"
    hub: str | None = None
    folder: str | None = None

    def run(self, path: str) -> list[tuple[str, str]]:
        """(label, address) of each place that runs the notebook at ``path`` (relative to the repository)."""
        if not self.url:
            return []
        found = [("on Binder", binder_url(self.url, self.branch, path))]
        if self.hub:
            found.append(("on the class's JupyterHub", hub_url(self.hub, self.url, self.branch, path, self.folder)))
        return found


# ------------------------------------------------------------------------------------------- the lesson


def site_lesson(nb: Any, path: str, links: SiteLinks, data_files: list[str], published: set[str]) -> Any:
    """The lesson ``nb`` (at ``path`` in the repository, e.g. ``notebooks/01_x.ipynb``) as the site shows it;
    ``published`` lists the site's files (paths like ``data/facts.md``) that its links may point at."""
    nb = _without_solutions(nb)
    clean = prepare(nb, for_slides=False, learner=True)
    cells, anchor = [], run_anchor(path)
    for cell in clean.cells:
        cells += _site_cells(cell, anchor) if cell.cell_type == "code" else [cell]
    clean.cells = cells
    _consecutive_headings(clean.cells)
    for cell in clean.cells:
        if cell.cell_type == "markdown":
            cell.source = site_links(cell.source, path, published)
    title = next((i for i, c in enumerate(clean.cells) if c.cell_type == "markdown"), -1)
    clean.cells.insert(title + 1, nbformat.v4.new_markdown_cell(run_box(links, path)))
    if data_files:
        sources = next((i for i, c in enumerate(clean.cells) if c.cell_type == "markdown"
                        and re.search(r"^#+\s+Sources\b", c.source, re.M)), len(clean.cells) - 1)
        clean.cells.insert(sources + 1, nbformat.v4.new_markdown_cell(data_box(data_files)))
    for number, cell in enumerate(clean.cells):
        cell.metadata.pop("slideshow", None)
        cell["id"] = f"cell-{number}"  # a chart's cell split in two must not repeat its id
    clean.nbformat_minor = max(clean.get("nbformat_minor", 5), 5)
    return clean


def _without_solutions(nb: Any) -> Any:
    """A lesson's solution blocks become the learner's placeholder and their cells lose their outputs, as in
    the learner edition (no lesson has one today; a future one must not show its solution on the web)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and SOLUTION_BLOCK.search(cell.source):
            cell.source = SOLUTION_BLOCK.sub(_placeholder, cell.source)
            cell.outputs, cell.execution_count = [], None
    return nb


def run_anchor(path: str) -> str:
    """The id of a lesson's run box (labels are site-wide in Sphinx, so each lesson has its own)."""
    return "run-" + re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")


def run_box(links: SiteLinks, path: str) -> str:
    """The "run this lesson" box under a lesson's title: Binder and the hub when known, else how to install."""
    places = links.run(path)
    where = " or ".join(f"[{label}]({address})" for label, address in places)
    lines = [f"({run_anchor(path)})=", ":::{admonition} Run this lesson", ":class: ic-run", ""]
    if places:
        lines.append(f"Open this notebook {where} to run its code, use its explorers and answer its self-check. "
                     "A Binder session is deleted when it stops: download your work before closing the tab.")
    else:
        lines.append(f"Open `{path}` in JupyterLab to run its code, use its explorers and answer its self-check: "
                     "your teacher's link opens it on Binder or the class's JupyterHub.")
    lines += ["", "To run it on your own computer, see {ref}`install-the-course`.", ":::"]
    return "\n".join(lines)


def data_box(files: list[str]) -> str:
    """A list of the lesson's data files, each linked to its copy on the site."""
    items = "\n".join(f"* [`{name}`](../data/{name})" for name in files)
    return f"### Data files\n\nThe files this lesson names, as published on this site (see {{doc}}`../data/index`):" \
           f"\n\n{items}\n"


_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


def site_links(markdown: str, path: str, published: set[str]) -> str:
    """Relative links as the site can follow them: to a lesson or a published data file, kept; to a workbook,
    the workbooks page; to anything else in the repository (docs for teachers, not on the site), the link's
    text alone. Links to other sites and anchors are kept."""
    folder = posixpath.dirname(path)

    def relink(match: re.Match) -> str:
        text, target = match.group(1), match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:|#", target, re.I):
            return match.group(0)
        file = posixpath.normpath(posixpath.join(folder, target.split("#")[0]))
        if file in published:
            return match.group(0)
        if re.fullmatch(r"exercises/ex\w*\.ipynb", file):
            return f"[{text}]({posixpath.relpath('workbooks.md', folder)})"
        return text

    return _LINK.sub(relink, markdown)


# ---------------------------------------------------------------------------------------------- cells


def _site_cells(cell: Any, anchor: str) -> list:
    """A code cell as the site shows it: hidden code removed the way myst-nb reads it, the live note linking to
    the run box, and one cell per chart so that each chart carries its own alt text."""
    if cell.metadata.pop("transient", {}).get("remove_source"):
        tags = cell.metadata.setdefault("tags", [])
        tags.append("remove-input")
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if data.get("text/plain") == LIVE_NOTE:
            note = SITE_LIVE_NOTE.format(anchor=anchor)
            output["data"] = {"text/html": f'<p class="ic-live">{note}</p>',
                              "text/plain": html.unescape(re.sub(r"<[^>]+>", "", note))}
        if "text/markdown" in data:
            data["text/markdown"] = _markdown_output(data["text/markdown"])
    parts, current = [], []
    for output in cell.get("outputs", []):
        if "image/png" in output.get("data", {}) and any("image/png" in o.get("data", {}) for o in current):
            parts.append(current)
            current = []
        current.append(output)
    parts.append(current)
    cells = []
    for number, outputs in enumerate(parts):
        part = copy.deepcopy(cell)
        part.outputs = outputs
        if number:
            part.metadata["tags"] = [*part.metadata.get("tags", []), "remove-input"]
        alt = next((o.get("metadata", {}).get("image/png", {}).get("alt") for o in outputs
                    if "image/png" in o.get("data", {})), None)
        if alt:
            part.metadata.setdefault("mystnb", {})["image"] = {"alt": plain_text(alt)}
        cells.append(part)
    return cells


def plain_text(markdown: str) -> str:
    """Markdown emphasis and code marks taken out of a one-line text (an image's alt text is plain)."""
    return re.sub(r"(\*\*|__|\*|`)", "", str(markdown)).strip()


def _markdown_output(text: str) -> str:
    """An output's Markdown headings (an evidence brief's ``####``) become bold lines: a chart's sentence or a
    brief is part of the section it sits in, and a heading in it would skip levels."""
    return re.sub(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", r"**\1**", text, flags=re.M)


def _consecutive_headings(cells: list) -> None:
    """Heading levels that never skip one (``#`` then ``###`` becomes ``#`` then ``##``), so the page's outline
    is in order for screen readers; code blocks are left alone."""
    previous = 0
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        lines, fenced = cell.source.split("\n"), False
        for index, line in enumerate(lines):
            if _FENCE.match(line):
                fenced = not fenced
            match = None if fenced else _HEADING.match(line)
            if match:
                level = min(len(match.group(1)), previous + 1)
                lines[index] = "#" * level + line[len(match.group(1)):]
                previous = level
        cell.source = "\n".join(lines)


# -------------------------------------------------------------------------------------------- data files


def named_data_files(nb: Any, package: dict) -> list[str]:
    """The data files a lesson names: ``data/<file>`` in its text or code (a ``*`` matches like a shell
    pattern), and the files whose indicator codes its text names; in the data package's order."""
    text = "\n".join(str(c.source) for c in nb.cells)
    files = [r["path"] for r in package.get("resources", [])]
    named = set()
    for pattern in re.findall(r"data/([\w.*-]+\.(?:csv|md|json))", text):
        named |= {f for f in files if Path(f).match(pattern)}
    for resource in package.get("resources", []):
        for indicator in resource.get("indicators", []):
            code = indicator.get("code", "") if isinstance(indicator, dict) else str(indicator)
            if re.fullmatch(r"[A-Z][A-Z0-9_.]*[A-Z0-9]", code) and re.search(
                    rf"(?<![\w.]){re.escape(code)}(?![\w.])", text):
                named.add(resource["path"])
    return [f for f in files if f in named]
