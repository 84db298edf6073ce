"""Pages out of prepared notebooks: nbconvert's exporters with the course's templates, and a plain index page."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from .chartslides import SLIDE_HEIGHT, SLIDE_WIDTH
from .prepare import COURSE_NAME, TEMPLATES, Built

REVEAL_DIR = "reveal.js"


def exporter(kind: str) -> Any:
    from nbconvert import HTMLExporter, SlidesExporter

    common = {"extra_template_paths": [str(TEMPLATES)], "exclude_input_prompt": True,
              "exclude_output_prompt": True, "exclude_anchor_links": True, "embed_images": True}
    if kind == "slides":
        return SlidesExporter(template_file="slides.html.j2", reveal_url_prefix=REVEAL_DIR, reveal_theme="white",
                              reveal_transition="none", reveal_width=str(SLIDE_WIDTH),
                              reveal_height=str(SLIDE_HEIGHT), **common)
    return HTMLExporter(template_name="lab", template_file="handout.html.j2", **common)


def export(page_exporter: Any, nb: Any, source: Path, course: dict[str, str]) -> str:
    resources = {"metadata": {"name": source.stem, "path": str(source.parent)}, "course": course}
    page, _ = page_exporter.from_notebook_node(nb, resources=resources)
    return page

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
