"""The course website's own pages, written as MyST Markdown for Sphinx: the home page (the three ways in and
the lessons), the workbooks (a link to open each, never a question or an answer), the key terms of every
lesson (English, 中文, pinyin) and the data files with their sources and licences.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .prepare import COURSE_NAME
from .sitelessons import SiteLinks


@dataclass
class Lesson:
    """One lesson page: its notebook's path in the repository, title, key terms and the data files it names."""

    path: str  # e.g. notebooks/01_policy_framework.ipynb
    title: str
    terms: list[list[str]] = field(default_factory=list)  # rows: English, 中文, pinyin, note
    data_files: list[str] = field(default_factory=list)

    @property
    def doc(self) -> str:
        return self.path.removesuffix(".ipynb")


@dataclass
class WorkbookEntry:
    path: str  # e.g. exercises/ex01_policy_framework.ipynb
    title: str


def _md(text: str) -> str:
    """Text for a Markdown table cell: no line breaks, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _link_list(places: Sequence[tuple[str, str]]) -> str:
    return " · ".join(f"[{label}]({address})" for label, address in places)


def _or_list(places: Sequence[tuple[str, str]]) -> str:
    return " or ".join(f"[{label}]({address})" for label, address in places)


# ------------------------------------------------------------------------------------------ home page


def index_page(lessons: Sequence[Lesson], workbooks: Sequence[WorkbookEntry], links: SiteLinks,
               documents: Sequence[str] = ()) -> str:
    """The home page: what the course is, the three ways in, the lessons in order, and the sidebar's contents
    (one level only: a nested entry's toggle has no accessible name in the theme)."""
    start = lessons[0].path if lessons else "notebooks/00_start_here.ipynb"
    places = links.run(start)
    rows = ["| Lesson | Workbook |", "|---|---|"]
    for lesson in lessons:
        workbook = _workbook_of(lesson, workbooks)
        rows.append(f"| [{_md(lesson.title)}]({lesson.path}) | "
                    f"{f'[{_md(workbook.title)}](workbooks.md)' if workbook else ''} |")
    run = (f"**Run it in JupyterLab**, with nothing to install: {_or_list(places)}. A Binder session, and your "
           "work in it, is deleted when it stops, so download your workbook before closing the tab; on the hub "
           "your work stays in your home folder. Each lesson's page has its own links."
           if places else "**Run it in JupyterLab** on Binder or the class's JupyterHub, with the link your teacher "
           "gives you: each lesson's page says how.")
    repository = f"git clone {links.url.rstrip('/')}.git && cd {Path(links.url.rstrip('/')).name}" \
        if links.url else "cd course   # the folder of the course (the learner edition your teacher shared)"
    return "\n".join([
        f"# {COURSE_NAME}", "",
        "An open course on China's innovation-driven development (创新驱动发展, *chuàngxīn qūdòng fāzhǎn*): six "
        "lessons that set two essays' claims against data from the World Bank, the OECD, China's National Bureau "
        "of Statistics and WIPO, and five workbooks to practise with.", "",
        "## Three ways in", "",
        "**Read it here**, on a phone or a computer: every lesson with its charts, tables, key terms, sources and "
        "self-check questions. The explorers show their saved view; the questions are marked when you answer "
        "them in JupyterLab.", "",
        run, "",
        "(install-the-course)=",
        "### Install it on your computer", "",
        "With Python 3.11 and pip (or conda: `conda env create -f environment.yml`):", "",
        "```bash", repository,
        "python -m venv .venv && .venv/bin/pip install -e .",
        ".venv/bin/jupyter lab notebooks/00_start_here.ipynb", "```", "",
        "## Lessons", "", *rows, "",
        "The [key terms](key-terms.md) of every lesson, in English, Chinese and pinyin, and the "
        "[data files](data/index.md) with their sources and licences have pages of their own.", "",
        _toctree("Lessons", [lesson.doc for lesson in lessons]),
        _toctree("Practice and reference", ["workbooks", "key-terms", "data/index",
                                            *(f"data/{Path(d).stem}" for d in documents)]),
    ])


def _toctree(caption: str, entries: Sequence[str]) -> str:
    return "\n".join([":::{toctree}", f":caption: {caption}", ":hidden:", ":maxdepth: 1", "", *entries, ":::", ""])


def _workbook_of(lesson: Lesson, workbooks: Sequence[WorkbookEntry]) -> WorkbookEntry | None:
    """The workbook that goes with a lesson: ``exercises/ex01_x.ipynb`` with ``notebooks/01_x.ipynb``."""
    name = Path(lesson.path).name
    return next((w for w in workbooks if Path(w.path).name == f"ex{name}"), None)


# -------------------------------------------------------------------------------------------- workbooks


def workbooks_page(lessons: Sequence[Lesson], workbooks: Sequence[WorkbookEntry], links: SiteLinks) -> str:
    """The workbooks, each with the lesson it follows and the links that open it: no question, no answer."""
    rows = ["| Workbook | After | Open it |", "|---|---|---|"]
    for workbook in workbooks:
        lesson = next((x for x in lessons if _workbook_of(x, [workbook])), None)
        after = f"[{_md(lesson.title)}]({lesson.path})" if lesson else ""
        places = links.run(workbook.path)
        rows.append(f"| {_md(workbook.title)} | {after} | {_link_list(places) if places else f'`{workbook.path}`'} |")
    return "\n".join([
        "# Workbooks", "",
        "Each workbook asks questions about its lesson and marks every answer as you give it, with an "
        "explanation. Workbooks run in JupyterLab only: open one with its link, answer, and **save it** "
        "(Ctrl+S / ⌘+S) to keep your answers in the file. Hand in the saved file the way your teacher asks.", "",
        *rows, "",
        "" if links.url else "Open the file named above in the course folder ({ref}`install-the-course`), or "
        "use the link your teacher gives you.", "",
    ])


# ------------------------------------------------------------------------------------------------ key terms


def key_terms(markdown_cells: Sequence[str]) -> list[list[str]]:
    """The rows of a lesson's "Key terms" table (English, 中文, pinyin, note), read from its Markdown."""
    for source in markdown_cells:
        if not re.search(r"^#+\s+Key terms\b", source, re.M):
            continue
        rows = []
        for line in source.splitlines():
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if line.lstrip().startswith("|") and len(cells) >= 3 and not re.fullmatch(r"[-:\s|]+", line.strip()):
                rows.append([*cells, ""][:4])
        return rows[1:]  # the header row names the columns
    return []


def key_terms_page(lessons: Sequence[Lesson]) -> str:
    """Every lesson's key terms in one table, with the lessons that use each (Chinese and pinyin marked with
    their language, so a screen reader reads them right and the CJK fonts draw them)."""
    merged: dict[str, list] = {}
    for number, lesson in enumerate(lessons):
        for english, chinese, pinyin, _note in lesson.terms:
            entry = merged.setdefault(english.lower(), [english, chinese, pinyin, []])
            if number not in entry[3]:
                entry[3].append(number)
    rows = ["| English | 中文 | Pinyin | Lessons |", "|---|---|---|---|"]
    for english, chinese, pinyin, numbers in sorted(merged.values(), key=lambda e: e[0].lower()):
        where = ", ".join(f"[{_short(lessons[n].title)}]({lessons[n].path}#key-terms)" for n in numbers)
        rows.append(f'| {_md(english)} | <span lang="zh-Hans">{html.escape(_md(chinese))}</span> | '
                    f'<span lang="zh-Latn-pinyin">{html.escape(_md(pinyin))}</span> | {where} |')
    return "\n".join(["# Key terms", "",
                      "The terms each lesson introduces, with their Chinese names and pinyin; the lesson pages give "
                      "each in context.", "", *rows, ""])


def _short(title: str) -> str:
    """``Lesson 1: The policy framework`` → ``Lesson 1``."""
    return _md(title.split(":")[0])


# -------------------------------------------------------------------------------------------------- data


def data_page(package: dict, lessons: Sequence[Lesson], documents: Sequence[str]) -> str:
    """The data files: what each holds, where it comes from, its licence and retrieval date, the lessons that
    name it, and a link to download it (all from ``data/datapackage.json``)."""
    lines = ["# Data files", "",
             "Every number in the lessons is computed from these files, unchanged copies of published data. "
             "Their sources, licences, retrieval dates, checksums and columns are in "
             "[datapackage.json](datapackage.json)"
             + (", their caveats and cross-checks in " + " and ".join(f"[{d}]({d})" for d in documents)
                if documents else "") + ".", ""]
    for resource in package.get("resources", []):
        path = resource["path"]
        users = [lesson for lesson in lessons if path in lesson.data_files]
        lines += [f"## {path}", "", _md(resource.get("title", "")), "",
                  f"* Download: [{path}]({path}) ({_size(resource.get('bytes'))})"]
        sources = []
        for source in resource.get("sources", []):
            name = _md(source.get("title") or source.get("publisher") or "source")
            target = source.get("path", "")
            dated = f" (retrieved {source['retrieved']})" if source.get("retrieved") else ""
            sources.append((f"[{name}]({target})" if re.match(r"https?://", target) else name) + dated)
        if sources:
            lines.append(f"* Source{'s' if len(sources) > 1 else ''}: " + "; ".join(sources))
        licences = "; ".join(_md(x.get("title") or x.get("name", "")) for x in resource.get("licenses", []))
        if licences:
            lines.append(f"* Licence: {licences}")
        if users:
            lines.append("* Named in: " + ", ".join(f"[{_short(x.title)}](../{x.path})" for x in users))
        lines.append("")
    return "\n".join(lines)


def _size(size: object) -> str:
    try:
        count = int(size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "CSV"
    return f"CSV, {count / 1000:.0f} kB" if count >= 1000 else f"CSV, {count} bytes"
