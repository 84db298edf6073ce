"""Printable handouts: a single HTML file per lesson and per blank workbook (from ``exercises/`` only, never
``solutions/``), with embedded images and print CSS, and an index page."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat

from .export import export, exporter, write_index
from .offline import check_offline
from .prepare import (
    COURSE_NAME,
    KEY_MARKERS,
    TEMPLATES,
    Built,
    PublishError,
    default_folder,
    find_notebooks,
    notebook_title,
    prepare,
)

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
    page_exporter = exporter("handout")
    css = "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in ("cards.css", "handout.css"))
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
            page = export(page_exporter, clean, source, course)
            check_offline(path, page)
            if learner:
                leaked = [m for m in KEY_MARKERS if m in page]
                if leaked:
                    raise PublishError(f"{path}: would show answer material ({', '.join(leaked)})")
            path.write_text(page, encoding="utf-8")
            built.append(Built(source, path, title, kind))
    write_index(out, built, "Handouts", "Lessons and blank workbooks, ready to print (Ctrl+P) or to upload "
                "to a learning platform as pages. Each file stands alone: its images are inside it.")
    return built


# ------------------------------------------------------------------------------------------------- CLI


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
