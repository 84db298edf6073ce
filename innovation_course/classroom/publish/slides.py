"""Offline reveal.js slide decks, one per lesson, from the lessons' ``metadata.slideshow.slide_type``; reveal.js
is copied next to the decks from the ``sphinx-revealjs`` package, so they work with no network."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from .export import REVEAL_DIR, export, exporter, write_index
from .offline import check_offline
from .prepare import TEMPLATES, Built, PublishError, default_folder, find_notebooks, notebook_title, prepare

#: The parts of reveal.js a deck loads (the white theme imports only its local Source Sans Pro font).
REVEAL_FILES = ("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js")


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

def build_slides(sources: Iterable[Path], out: Path) -> list[Built]:
    """One offline reveal.js deck per lesson in ``out``, with reveal.js and an index page beside them."""
    sources = list(sources)
    out.mkdir(parents=True, exist_ok=True)
    copy_reveal(out / REVEAL_DIR)
    page_exporter = exporter("slides")
    course = {"css": (TEMPLATES / "slides.css").read_text(encoding="utf-8")}
    built = []
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        title = notebook_title(nb, source.stem)
        clean = prepare(nb, for_slides=True)
        clean.metadata["title"] = title
        path = out / f"{source.stem}.html"
        page = export(page_exporter, clean, source, course)
        check_offline(path, page)
        path.write_text(page, encoding="utf-8")
        built.append(Built(source, path, title, "slides"))
    write_index(out, built, "Slides", "Arrow keys move; S opens the speaker notes; F is full screen; "
                "Esc shows every slide. The decks work with no network: copy the whole folder.")
    return built



# ------------------------------------------------------------------------------------------------- CLI


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


