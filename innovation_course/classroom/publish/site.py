"""The course as a static website: ``innovation-course site --out DIR`` (or ``make site``).

Every lesson from its saved, executed notebook (nothing is run), in course order, through Sphinx with myst-nb
and sphinx-book-theme: a contents sidebar, previous/next links, full-text search, each lesson's key terms,
sources and data files, and pages for the workbooks, the key terms and the data. Lessons pass through
:func:`prepare` first (question cards from what a learner may see, explorers as their saved view with a note)
and :mod:`sitelessons`; the built site is then checked like the handouts: nothing loaded from another host
(:mod:`offline`) and no answer material (:data:`KEY_MARKERS`) in any file. Only ``notebooks/`` and
``exercises/`` are read, never ``solutions/``, so the learner edition builds the same site.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import ROOT
from .offline import css_external, external_resources
from .prepare import COURSE_NAME, KEY_MARKERS, TEMPLATES, PublishError, find_notebooks, notebook_title
from .sitelessons import SiteLinks, named_data_files, site_lesson
from .sitepages import (
    Lesson,
    WorkbookEntry,
    data_page,
    index_page,
    key_terms,
    key_terms_page,
    workbooks_page,
)

#: The data folder's own documents, published as pages (lessons link them).
DATA_DOCUMENTS = ("SOURCES.md", "facts.md")
#: A file in every built site: a later build replaces only a folder that has it (or an empty one).
MARKER = ".course-site"
#: The packages the build needs (the ``site`` extra of pyproject.toml), by import name.
SITE_PACKAGES = ("sphinx", "myst_nb", "sphinx_book_theme")
#: Files of a built site that are read as text by the checks (images and fonts are not).
TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".txt", ".csv", ".md", ".svg", ".map", ".xml"}


@dataclass
class SiteReport:
    """What a build made: the site folder, its pages, the seconds it took and Sphinx's warnings."""

    out: Path
    pages: list[Path]
    seconds: float
    warnings: list[str]


def sphinx_config(links: SiteLinks) -> dict:
    """Sphinx's settings: myst-nb reading saved outputs only, sphinx-book-theme with no launch buttons, no
    download or source links, no analytics or ads, nothing from a CDN (no MathJax or widget scripts)."""
    return {
        "project": COURSE_NAME,
        "html_title": COURSE_NAME,
        "language": "en",
        "smartquotes": False,                # the lessons' quotations and terms as written ("new three", not “…”)
        "extensions": ["myst_nb"],
        "nb_execution_mode": "off",          # the committed outputs are the lesson
        "nb_ipywidgets_js": {},              # widget views are gone; never load require.js or widgets from a CDN
        "nb_output_stderr": "remove",
        "nb_merge_streams": True,
        "nb_render_markdown_format": "myst",  # Markdown outputs as MyST: their tables are tables
        "myst_enable_extensions": ["colon_fence"],  # no dollarmath: "$" in prose is money, and no MathJax is loaded
        "myst_heading_anchors": 3,
        "suppress_warnings": ["myst.header"],
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "html_theme": "sphinx_book_theme",
        # a search form that works without JavaScript (the theme's button has a name that hides its Ctrl+K)
        "html_sidebars": {"**": ["navbar-logo.html", "search-field.html", "sbt-sidebar-nav.html"]},
        "html_theme_options": {
            "home_page_in_toc": True,
            "show_navbar_depth": 1,
            "show_toc_level": 2,
            "use_download_button": False,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "use_source_button": False,
            "use_issues_button": False,
            "launch_buttons": {},
            "analytics": {},
            "primary_sidebar_end": [],       # the theme's default is a Read the Docs ad slot
            "footer_start": [],
            "footer_content_items": [],
            "footer_end": [],
            "navbar_start": [], "navbar_center": [], "navbar_end": [], "navbar_persistent": [],  # no top bar
            "navigation_with_keys": False,   # arrow keys scroll the page; Tab and Enter follow links
            "search_bar_text": "Search",
        },
        "html_context": {"default_mode": "light"},  # the charts are drawn for a light page
        "html_favicon": "_static/favicon.svg",
        "html_static_path": ["_static"],
        "html_css_files": ["cards.css", "site.css"],
        "html_copy_source": False,
        "html_use_index": False,             # no general index: the course has no API to index
        "html_domain_indices": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_show_copyright": False,
        "html_last_updated_fmt": None,
        "html_search_language": "en",
    }


# ------------------------------------------------------------------------------------------------ sources


def course_parts(root: Path) -> tuple[list[Path], list[Path]]:
    """The lessons (``notebooks/*.ipynb``, in course order) and workbooks (``exercises/ex*.ipynb``) of a course
    folder: the teacher's checkout or the learner edition. ``solutions/`` is never read."""
    lessons = find_notebooks([root / "notebooks"]) if (root / "notebooks").is_dir() else []
    workbooks = sorted((root / "exercises").glob("ex*.ipynb")) if (root / "exercises").is_dir() else []
    if not lessons:
        raise PublishError(f"{root}: no lessons in notebooks/")
    return lessons, workbooks


def stage(src: Path, root: Path, links: SiteLinks) -> list[Lesson]:
    """Write the Sphinx project of the site into the empty folder ``src``; return the lessons it shows."""
    lesson_paths, workbook_paths = course_parts(root)
    package = _data_package(root)
    (src / "notebooks").mkdir(parents=True)
    documents = [name for name in DATA_DOCUMENTS if (root / "data" / name).is_file()]
    published = {f"notebooks/{p.name}" for p in lesson_paths} | {f"data/{name}" for name in (
        "datapackage.json", *documents, *(r["path"] for r in package.get("resources", [])))}
    lessons = []
    for path in lesson_paths:
        nb = nbformat.read(path, as_version=4)
        relative = f"notebooks/{path.name}"
        lesson = Lesson(relative, notebook_title(nb, path.stem),
                        key_terms([c.source for c in nb.cells if c.cell_type == "markdown"]),
                        named_data_files(nb, package))
        nbformat.write(site_lesson(nb, relative, links, lesson.data_files, published), src / relative)
        lessons.append(lesson)
    workbooks = [WorkbookEntry(f"exercises/{p.name}", notebook_title(nbformat.read(p, as_version=4), p.stem))
                 for p in workbook_paths]
    data = src / "data"
    data.mkdir()
    for resource in package.get("resources", []):
        shutil.copy2(root / "data" / resource["path"], data / resource["path"])
    for name in ("datapackage.json", *documents):
        if (root / "data" / name).is_file():
            shutil.copy2(root / "data" / name, data / name)
    pages = {"index.md": index_page(lessons, workbooks, links, documents),
             "workbooks.md": workbooks_page(lessons, workbooks, links),
             "key-terms.md": key_terms_page(lessons),
             "data/index.md": data_page(package, lessons, documents)}
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    static = src / "_static"
    static.mkdir()
    for name in ("cards.css", "site.css", "favicon.svg"):
        shutil.copy2(TEMPLATES / name, static / name)
    config = sphinx_config(links)
    (src / "conf.py").write_text("# Written by innovation-course site; rebuild with: sphinx-build -b html . OUT\n"
                                 + "".join(f"{key} = {value!r}\n" for key, value in config.items()), encoding="utf-8")
    return lessons


def _data_package(root: Path) -> dict:
    path = root / "data" / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"resources": []}


# ------------------------------------------------------------------------------------------------- build


def build_site(out: Path, root: Path = ROOT, links: SiteLinks | None = None) -> SiteReport:
    """Build the website of the course folder ``root`` into ``out`` (replaced), and check it (see the module
    docstring). Raises :class:`PublishError` when a check fails."""
    import importlib.util

    missing = [name for name in SITE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise PublishError(f"the website is built with {', '.join(missing)}, not installed here: "
                           "pip install -e '.[site]' (make installs it)")
    started = time.perf_counter()
    links = links or SiteLinks()
    out = Path(out)
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file()):
            raise PublishError(f"{out} exists and is not a website this command built: give a new or empty folder")
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="course-site-") as tmp:
        src = Path(tmp) / "src"
        stage(src, Path(root), links)
        warnings = sphinx_build(src, out, Path(tmp))
    sources = out / "_sources"
    if sources.is_dir() and not any(sources.iterdir()):
        sources.rmdir()  # html_copy_source is off: Sphinx leaves the folder empty
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages from a branch: serve _static as it is
    (out / MARKER).write_text("Built by innovation-course site; the next build replaces this folder.\n",
                              encoding="utf-8")
    check_site(out)
    pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.relative_to(out).parts)  # not templates
    return SiteReport(out, pages, time.perf_counter() - started, warnings)


def sphinx_build(src: Path, out: Path, work: Path) -> list[str]:
    """``sphinx-build -b html`` of ``src`` into ``out``, in this process (Sphinx's own command line, which
    restores docutils' registries afterwards, so a second build in one process is clean); its warnings."""
    import contextlib
    import io

    from sphinx.cmd.build import build_main

    log = work / "warnings.txt"
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = build_main(["-b", "html", "-E", "-q", "--no-color", "-w", str(log), "-d", str(work / "doctrees"),
                           str(src), str(out)])
    warnings = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if log.is_file() else []
    if code:
        raise PublishError("sphinx-build failed:\n" + "\n".join((warnings + quiet.getvalue().splitlines())[-20:]))
    return warnings


def check_site(out: Path) -> None:
    """Every page and style sheet loads only from the site itself, and no file holds answer material."""
    problems = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(out)
        found = external_resources(text) if path.suffix == ".html" else css_external(text) \
            if path.suffix == ".css" else []
        problems += [f"{where}: would load {item}" for item in found]
        problems += [f"{where}: holds answer material ({marker})" for marker in KEY_MARKERS if marker in text]
    if problems:
        raise PublishError("the site fails its checks:\n  " + "\n  ".join(problems[:20]))


# --------------------------------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("_site/web"),
                        help="folder for the website: a new or empty one, or an earlier build (replaced)")
    parser.add_argument("--root", type=Path, default=None,
                        help="the course folder (default: this folder when it has notebooks/, else the course's own)")
    parser.add_argument("--url", help="the learner edition's public repository (e.g. https://github.com/ORG/REPO): "
                                      "each lesson then links to Binder")
    parser.add_argument("--branch", default="main", help="its branch (default: main)")
    parser.add_argument("--hub", help="the class's JupyterHub (e.g. hub.example.edu): lessons then link to it "
                                      "through nbgitpuller (needs --url)")
    parser.add_argument("--folder", help="the folder nbgitpuller clones into on the hub "
                                         "(default: the repository's name)")


def run(args: argparse.Namespace) -> int:
    root = args.root or (Path.cwd() if (Path.cwd() / "notebooks").is_dir() else ROOT)
    if args.hub and not args.url:
        print("site: --hub needs --url (the repository nbgitpuller copies)", file=sys.stderr)
        return 2
    try:
        report = build_site(args.out, root, SiteLinks(args.url, args.branch, args.hub, args.folder))
    except PublishError as error:
        print(f"site: {error}", file=sys.stderr)
        return 1
    for line in report.warnings:
        print(f"site: sphinx: {line}", file=sys.stderr)
    print(f"website: {len(report.pages)} pages in {args.out}/ in {report.seconds:.1f} s "
          f"(open {args.out / 'index.html'}, or serve the folder: python -m http.server -d {args.out})")
    return 0

