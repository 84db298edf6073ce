"""The learner edition: ``innovation-course release DIR [--branch main] [--url URL]``.

What learners get, as a git repository that Binder, nbgitpuller and a hub image (repo2docker) can point at:
the lessons (self-check answers replaced by the same salted-hash keys as the exercises, explanations sealed,
answer cells' outputs cleared), the exercise workbooks built from ``solutions/``, ``data/``, the package, the
environment files repo2docker reads, and a short learner README. ``solutions/`` is never copied.

``DIR`` is created with ``git init``, or, when it is already a git repository, the release becomes a new
commit on ``--branch`` (created when missing). A repository with uncommitted changes is refused, so nothing
anyone wrote there is overwritten.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import nbformat

from ..engine import records
from ..engine.questions import Question, make_question
from ..engine.spec import AskCall, SpecError, evaluate, find_calls, findings_module, workbook_header
from . import ROOT
from .build import SOLUTION_BLOCK, _placeholder, _replace, ask_source, build_notebook
from .exam import is_exam_bank
from .links import binder_url, hub_url, pages_url

#: Files and folders at the repository root that Binder/repo2docker read, shipped when present
#: (a JupyterLab settings override or a postBuild that another part of the course adds ships with them).
ENVIRONMENT_FILES = ("environment.yml", "pyproject.toml", "postBuild", "start", "apt.txt", "runtime.txt",
                     "requirements.txt", "overrides.json", "jupyter_server_config.py", "LICENSE", "LICENSE.md",
                     "LICENSE.txt")
ENVIRONMENT_DIRS = ("binder", ".binder", ".jupyter", "jupyter-config")  # jupyter-config: the course's Lab settings
COPIED_DIRS = ("data",)
PACKAGE = "innovation_course"
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".innovation-course")
#: what a lesson may compute when it runs (never what decides the mark). A computed explanation ships as its code,
#: unsealed: :data:`UNSEALED` lists such questions, and ``release`` warns about each.
SHOWN_ONLY = ("prompt", "hints", "source", "unit", "explanation")
IGNORE = ".ipynb_checkpoints/\n__pycache__/\n*.egg-info/\n_site/\n"
SITE_WORKFLOW = ".github/workflows/site.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"


TEACHER_TAG = "teacher"  # a lesson cell for teachers only (it may link to docs/, which the edition does not hold)
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
DOLLAR = re.compile(r"(?<!\\)\$")


def escape_dollars(text: str) -> str:
    """Markdown whose "$" signs outside code are escaped, so JupyterLab never reads "US$ … US$" as mathematics."""
    parts, last = [], 0
    for code in CODE.finditer(text):
        parts += [DOLLAR.sub(r"\\$", text[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join(parts) + DOLLAR.sub(r"\\$", text[last:])


def page_problems(text: str, where: Path, root: Path) -> list[str]:
    """What is wrong with one Markdown text of the edition at ``where``: links to files the edition does not
    hold, and "$" pairs that JupyterLab would render as mathematics."""
    problems = []
    prose = CODE.sub("", text)
    for link in LINK.findall(prose):
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", link, re.I):
            continue  # a web address, mail, or a heading on the same page
        target = (where.parent / unquote(link.split("#")[0])).resolve()
        if not target.is_relative_to(root.resolve()) or not target.exists():
            problems.append(f"{where.relative_to(root)}: links to {link}, which the learner edition does not hold")
    if len(DOLLAR.findall(prose)) >= 2:
        problems.append(f"{where.relative_to(root)}: unescaped '$' signs, which JupyterLab reads as mathematics")
    return problems


def edition_problems(root: Path) -> list[str]:
    """Every Markdown page of the edition (.md files and notebooks' Markdown cells), checked (see page_problems)."""
    problems = []
    for path in sorted(root.rglob("*.md")):
        problems += page_problems(path.read_text(encoding="utf-8"), path, root)
    for path in sorted(root.rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                problems += page_problems(cell.source, path, root)
    return problems


class ReleaseError(RuntimeError):
    """The learner edition cannot be written (a dirty target repository, a lesson that does not parse...)."""


def lesson_calls(nb: dict) -> list[tuple[AskCall, dict[str, str]]]:
    """A lesson's ``ask`` calls with their keywords evaluated, like :func:`spec.ask_calls`, except that what is
    only shown (prompt, hints, source, unit) may be computed when the lesson runs: such a keyword comes back
    as its source text. Anything that decides the mark must be a literal or ``findings.NAME(...)``."""
    found, findings = [], findings_module(nb)
    for index, node in find_calls(nb, "ask"):
        source = "".join(nb["cells"][index].get("source") or "")
        spec, verbatim = {}, {}
        for keyword in node.keywords:
            try:
                spec[keyword.arg] = evaluate(keyword.value, findings)
            except (SpecError, ValueError) as error:
                if keyword.arg not in SHOWN_ONLY:
                    raise SpecError(f"cell {index + 1}: {keyword.arg}: {error}") from None
                verbatim[keyword.arg] = ast.get_source_segment(source, keyword.value)
        found.append((AskCall(index, node, spec), verbatim))
    return found


def unsealed(nb: dict) -> list[str]:
    """Questions of a lesson whose explanation is computed when it runs, so it cannot be sealed."""
    return [call.spec.get("id", "?") for call, verbatim in lesson_calls(nb) if "explanation" in verbatim]


def lesson_questions(nb: dict) -> dict[str, Question]:
    """Question id → question of a lesson's self-check (computed prompts stand in as their source text)."""
    return {call.spec["id"]: make_question(**{**call.spec, **{k: _stand_in(k) for k in verbatim}})
            for call, verbatim in lesson_calls(nb)}


def _stand_in(keyword: str):
    return [f"@@{keyword}@@"] if keyword == "hints" else f"@@{keyword}@@"


def lesson_edition(nb: nbformat.NotebookNode, origin: str) -> nbformat.NotebookNode:
    """A lesson as learners get it: each ``wb.ask`` keyed like the exercises, its cell's code hidden and
    outputs cleared; any solution block replaced by a placeholder; cells tagged ``teacher`` left out. Other
    outputs (charts, tables) stay."""
    out = nbformat.from_dict(nb)
    out.metadata.pop("widgets", None)  # saved widget state could hold a teacher's answers
    out.cells = [c for c in out.cells if TEACHER_TAG not in c.get("metadata", {}).get("tags", [])]
    calls = lesson_calls(out)
    if not calls:
        return out
    header = workbook_header(out)
    for index, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            continue
        mine = [(c, v) for c, v in calls if c.cell == index]
        source = cell.source
        edits = []
        for call, verbatim in mine:
            ordered = {kw.arg: call.spec[kw.arg] if kw.arg in call.spec else _stand_in(kw.arg)
                       for kw in call.node.keywords}  # the author's keyword order
            text = ask_source(AskCall(call.cell, call.node, ordered),
                              ast.get_source_segment(source, call.node.func), header["id"], "self-study")
            lines = text.split("\n")  # ask_source writes one keyword per line: "    name=value,"
            for keyword, code in verbatim.items():
                lines = [f"    {keyword}=({code})," if line.startswith(f"    {keyword}=") else line for line in lines]
            edits.append((call.node, "\n".join(lines)))
        for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
            source = _replace(source, node, text)
        if SOLUTION_BLOCK.search(source):
            source = SOLUTION_BLOCK.sub(_placeholder, source)
            cell.outputs, cell.execution_count = [], None
        cell.source = source
        if mine:
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.outputs, cell.execution_count = [], None
    out.metadata[records.METADATA_KEY] = {"workbook": header["id"], "version": str(header.get("version", "1")),
                                          "mode": "self-study", "built_from": origin}
    return out


def learner_readme(url: str | None, branch: str, hub: str | None = None, site: bool = False) -> str:
    """The learner edition's README: how to open it, where answers are kept; the launch links when known, and
    where the course website is when the edition publishes one."""
    lines = ["# China's innovation-driven development: the course (learner edition)", "",
             "Lessons in `notebooks/` (start with `00_start_here.ipynb`), workbooks in `exercises/`, data in `data/`.",
             "Each workbook marks your answers as you give them and keeps them in the notebook: **save it**",
             "(Ctrl+S / ⌘+S) to keep them. This edition holds no answers: your teacher keeps those.", ""]
    web = pages_url(url) if url and site else None
    if site:
        lines += ["## Read it on the web", "",
                  (f"Every lesson, with its charts and self-check questions, is at <{web}>." if web else
                   "Every lesson, with its charts and self-check questions, is on the course website."),
                  "Build the same website yourself with `pip install -e \".[site]\" && innovation-course site "
                  "--out _site/web`", "(open `_site/web/index.html`).", ""]
    if url:
        binder = binder_url(url, branch)
        lines += ["## Open it", "",
                  f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder})", "",
                  "Binder sessions are deleted when they stop: download your workbook before closing the tab."]
        lines += ([f"On the class's JupyterHub: [open the course there]({hub_url(hub, url, branch)}); your work "
                   "stays in your hub home folder.", ""] if hub else
                  ["On your institution's JupyterHub, use the link your teacher gives you: your work stays in your",
                   "hub home folder.", ""])
    lines += ["## On your own computer", "",
              "`conda env create -f environment.yml && conda activate innovation-course && jupyter lab`,",
              "or with pip: `python -m venv .venv && .venv/bin/pip install -e . && .venv/bin/jupyter lab`.", ""]
    return "\n".join(lines)


def site_workflow(branch: str, hub: str | None = None) -> str:
    """The GitHub Actions workflow that publishes the course website to GitHub Pages on every push to
    ``branch`` (with run links to Binder, and to ``hub`` when given)."""
    import shlex

    text = (TEMPLATES / "pages-workflow.yml").read_text(encoding="utf-8")
    return text.replace("@BRANCH@", branch).replace("@HUB@", f" --hub {shlex.quote(hub)}" if hub else "")


def stage(target: Path, root: Path = ROOT, url: str | None = None, branch: str = "main", hub: str | None = None,
          site: bool = False, packages: tuple[str, ...] = (PACKAGE,)) -> list[str]:
    """Write the learner edition's files into the empty folder ``target``; return their relative paths. With
    ``site``, it also publishes the course website: a GitHub Pages workflow (:func:`site_workflow`).
    ``packages``: the folders of ``root`` that hold the course's code (another course built on the engine names
    its own)."""
    for name in ("notebooks", "exercises"):
        (target / name).mkdir(parents=True)
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        try:
            teacher = nbformat.read(path, as_version=4)
            for qid in unsealed(teacher):
                print(f"release: notebooks/{path.name}: {qid}'s explanation is computed, so it ships unsealed "
                      "(write it as a literal to seal it)", file=sys.stderr)
            nb = lesson_edition(teacher, f"notebooks/{path.name}")
        except SpecError as error:  # an unreadable self-check cannot be keyed: its plain answer would ship
            raise ReleaseError(f"notebooks/{path.name}: {error}; the self-check cannot be keyed, so the lesson "
                               "is not released") from None
        nbformat.write(nb, target / "notebooks" / path.name)
    solutions = sorted((root / "solutions").glob("ex*.ipynb"))
    if not solutions:
        raise ReleaseError(f"no workbooks (ex*.ipynb) in {root / 'solutions'}")
    for path in solutions:
        nb = build_notebook(nbformat.read(path, as_version=4), "self-study", f"solutions/{path.name}")
        (target / "exercises" / path.name).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    for name in (*COPIED_DIRS, *packages, *ENVIRONMENT_DIRS):
        if (root / name).is_dir():
            shutil.copytree(root / name, target / name, ignore=SKIP)
    for name in ENVIRONMENT_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, target / name)
    (target / "README.md").write_text(learner_readme(url, branch, hub, site), encoding="utf-8")
    if site:
        workflow = target / SITE_WORKFLOW
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(site_workflow(branch, hub), encoding="utf-8")
    (target / ".gitignore").write_text(IGNORE, encoding="utf-8")
    refuse_exam_bank(target, root)
    for page in sorted((target / "data").glob("*.md")):  # data/SOURCES.md: "US$ … US$" is not mathematics
        page.write_text(escape_dollars(page.read_text(encoding="utf-8")), encoding="utf-8")
    problems = edition_problems(target)
    if problems:
        raise ReleaseError("the learner edition's pages are not whole:\n" + "\n".join(problems))
    return sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())


#: text files searched for an exam bank's workbook ids (data tables included), up to this size
SEARCHED, SEARCH_LIMIT = (".ipynb", ".py", ".md", ".json", ".csv", ".txt", ".yml", ".yaml", ".toml"), 20_000_000


def exam_bank(root: Path) -> tuple[set[str], set[str]]:
    """The teacher's exam bank as release knows it (notebooks marked as exam bank under ``solutions/``): the file
    names of its notebooks and of the modules beside them, and its workbook ids."""
    names, ids = set(), set()
    for path in sorted((root / "solutions").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError):
            continue
        if is_exam_bank(nb):
            names |= {path.name, *(p.name for p in path.parent.glob("*.py") if p.name != "__init__.py")}
            with contextlib.suppress(SpecError, ValueError):
                ids.add(workbook_header(nb)["id"])
    return names, ids


def refuse_exam_bank(target: Path, root: Path) -> None:
    """Raise ReleaseError when the staged edition holds anything of the exam bank: a notebook marked as exam bank,
    a file named as one of the bank's notebooks or modules, or a text that names one of its workbook ids."""
    names, ids = exam_bank(root)
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        shown = path.relative_to(target)
        if path.name in names:
            raise ReleaseError(f"{shown}: a file of the exam bank; the learner edition never ships the exam bank")
        if path.suffix not in SEARCHED or path.stat().st_size > SEARCH_LIMIT:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            with contextlib.suppress(ValueError):
                if is_exam_bank(nbformat.reads(text, as_version=4)):
                    raise ReleaseError(f"{shown}: a notebook of the exam bank; the learner edition never ships the "
                                       "exam bank")
        found = sorted(i for i in ids if i in text)
        if found:
            raise ReleaseError(f"{shown} names exam bank workbook {found[0]!r}; the learner edition never ships the "
                               "exam bank")


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder``; a failure is a ReleaseError with git's own message."""
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
    if done.returncode:
        raise ReleaseError(f"git {' '.join(args)}: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def release(target: Path, branch: str = "main", url: str | None = None, message: str | None = None,
            root: Path = ROOT, hub: str | None = None, site: bool = False) -> str:
    """Write the learner edition into the git repository ``target`` on ``branch``; return the commit id."""
    target = target.resolve()
    if target == root.resolve():
        raise ReleaseError(f"{target}: the learner edition is a repository of its own, not the teacher's")
    if target.exists() and not (target / ".git").exists() and any(target.iterdir()):
        raise ReleaseError(f"{target} exists and is not a git repository; give a new folder or a repository")
    if not (target / ".git").exists():
        target.mkdir(parents=True, exist_ok=True)
        git(target, "init", "-q", "-b", branch)
    elif git(target, "status", "--porcelain"):
        raise ReleaseError(f"{target} has uncommitted changes; commit or discard them first")
    else:
        branches = git(target, "branch", "--list", branch).strip()
        has_commits = subprocess.run(["git", "-C", str(target), "rev-parse", "-q", "--verify", "HEAD"],
                                     capture_output=True).returncode == 0
        if branches:
            git(target, "checkout", "-q", branch)
        elif has_commits:
            git(target, "checkout", "-q", "--orphan", branch)
        else:
            git(target, "checkout", "-q", "-b", branch)
        git(target, "rm", "-rq", "--cached", "--ignore-unmatch", ".")
        for child in target.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "edition"
        stage(staged, root, url, branch, hub, site)
        shutil.copytree(staged, target, dirs_exist_ok=True)
    git(target, "add", "-A")
    if not git(target, "status", "--porcelain"):
        return git(target, "rev-parse", "HEAD").strip()
    source = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    text = message or f"Learner edition of the course{f' (from {source})' if source else ''}"
    git(target, "-c", "user.name=innovation-course release", "-c", "user.email=release@localhost",
        "commit", "-q", "-m", text)
    return git(target, "rev-parse", "HEAD").strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", type=Path, metavar="DIR", help="a new folder, or a git repository to commit to")
    parser.add_argument("--branch", default="main", help="branch of DIR to commit the release to (default: main)")
    parser.add_argument("--url", help="where the learner edition will be public (e.g. https://github.com/ORG/REPO): "
                                      "its README then carries the Binder badge for it")
    parser.add_argument("--hub", help="the class's JupyterHub (e.g. hub.example.edu): the README then links to it "
                                      "through nbgitpuller (needs --url)")
    parser.add_argument("--site", action="store_true",
                        help="publish the course website too: a GitHub Pages workflow (.github/workflows/site.yml)")
    parser.add_argument("--message", "-m", help="commit message")


def run(args: argparse.Namespace) -> int:
    try:
        if args.hub and not args.url:
            raise ReleaseError("--hub needs --url (the repository nbgitpuller copies)")
        commit = release(args.target, args.branch, args.url, args.message, hub=args.hub, site=args.site)
    except (ReleaseError, OSError, ValueError) as error:  # ValueError: a lesson or workbook that does not parse
        print(f"release: {error}", file=sys.stderr)
        return 2
    count = len(git(args.target, "ls-files").splitlines())
    print(f"learner edition: {count} files, commit {commit[:12]} on branch {args.branch} of {args.target}")
    return 0
