"""``innovation-course pulse HOMES --workbook ex01 | --lesson 01 [--out page.html] [--every 5] [--once]``.

A live class view for the teacher's screen during a session on a hub: every few seconds the learners'
answers are read from their home folders (``HOMES/<user>/...``), from the answer journals written on every
change (in the home's Jupyter data folder, ``.local/share/jupyter/innovation-course/journals/``, and those of
earlier releases, ``.innovation-course/<workbook>.answers.json``) and from the saved notebooks, and a self-refreshing
HTML page says per question how many learners answered, the share right, and the commonest wrong answers.
The page carries no names: learners are counted, never listed. Files whose modification time and size have
not changed are not read again, so each round costs a walk of the home folders and little else. Answers
are data: they are scored with the teacher's key (``solutions/`` or the lessons), never run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import records
from ..engine.journal import FOLDER as JOURNAL_FOLDER
from ..engine.journal import journals_for, read_journal
from ..engine.scoring import CORRECT, INCORRECT, INVALID, MISSING, PARTIAL, score
from ..engine.spec import WorkbookSpec
from . import ROOT
from .grading.answerkey import load_key

MAX_BYTES = 20 * 2**20
RACY_NS = 2_000_000_000  # files changed in the last 2 s are not trusted to the cache yet
SKIPPED = {".ipynb_checkpoints", "__pycache__", ".git", "node_modules"}
WRONG_SHOWN = 3
WRONG_CHARS = 90  # a wrong answer is cut to this length on the page
UNSHOWN_KINDS = {"free"}  # written answers are long and personal: counted, never projected


class PulseError(ValueError):
    """The pulse cannot run: no such workbook in the key, HOMES not a folder..."""


@dataclass
class Source:
    """One file's answers for the workbook: question id → answer, and when the file last changed."""

    answers: dict[str, Any]
    mtime: float


@dataclass
class Pulse:
    """Reads HOMES for one workbook, keeping what it read by (path, mtime, size)."""

    homes: Path
    spec: WorkbookSpec
    keys: dict[str, dict | None]
    cache: dict[Path, tuple[tuple[int, ...], Source | None]] = field(default_factory=dict)
    reads: int = 0  # files actually opened and parsed (the cost that must stay flat)

    def _read(self, path: Path, info: os.stat_result, journal: bool) -> Source | None:
        self.reads += 1
        if journal:
            found = read_journal(path, self.spec.id)
            answers = {q: r.get("answer") for q, r in found.items() if q != records.IDENTITY and isinstance(r, dict)}
            return Source(answers, info.st_mtime) if found else None
        try:
            if info.st_size > MAX_BYTES:
                return None
            saved = records.read_saved(json.loads(path.read_bytes()))
        except (OSError, ValueError, UnicodeDecodeError, AttributeError, TypeError):
            return None
        return Source(saved.answers, info.st_mtime) if saved.workbook == self.spec.id else None

    def _source(self, path: Path, journal: bool) -> Source | None:
        try:
            info = path.stat()
        except OSError:
            self.cache.pop(path, None)
            return None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)
        cached = self.cache.get(path)
        # a file changed less than RACY_NS ago may change again within the clock's granularity with the same
        # stamp (as git's "racy" index entries): it is read again until it has settled
        settled = info.st_mtime_ns < time.time_ns() - RACY_NS
        if cached and cached[0] == stamp and settled:
            return cached[1]
        source = self._read(path, info, journal)
        self.cache[path] = (stamp, source)
        return source

    def learner_answers(self, home: Path) -> dict[str, Any] | None:
        """One learner's latest answers: their newest saved copy and its journal, the newer source winning."""
        journal_name = f"{self.spec.id}.answers.json"
        sources: list[Source] = []
        for folder, dirs, files in os.walk(home, followlinks=False):
            dirs[:] = [d for d in dirs if d not in SKIPPED and (d == JOURNAL_FOLDER or not d.startswith("."))]
            here = Path(folder)
            if here.name == JOURNAL_FOLDER:
                if journal_name in files:
                    found = self._source(here / journal_name, journal=True)
                    sources += [found] if found else []
                continue
            for name in files:
                if name.endswith(".ipynb"):
                    found = self._source(here / name, journal=False)
                    sources += [found] if found else []
        for path in journals_for(home, self.spec.id):  # this release's journals, in the home's Jupyter data folder
            found = self._source(path, journal=True)
            sources += [found] if found else []
        if not sources:
            return None
        merged: dict[str, Any] = {}
        for source in sorted(sources, key=lambda s: s.mtime):  # the newest file's answers count
            merged.update(source.answers)
        return merged

    def round(self) -> dict:
        """Read every home once; the class's numbers per question (no names)."""
        learners = []
        try:
            homes = sorted(p for p in self.homes.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError as error:
            raise PulseError(f"{self.homes}: {error.strerror or error}") from None
        for home in homes:
            answers = self.learner_answers(home)
            if answers is not None:
                learners.append(answers)
        seen = {str(p) for p in self.cache}
        for path in [p for p in self.cache if not p.exists()]:  # forget deleted files
            del self.cache[path]
        questions = []
        for question in self.spec.questions.values():
            answered = right = 0
            wrong: Counter[str] = Counter()
            for answers in learners:
                result = score(question, self.keys.get(question.id), answers.get(question.id))
                if result.status == MISSING:
                    continue
                answered += 1
                right += result.status == CORRECT
                if result.status in (INCORRECT, PARTIAL, INVALID) and question.kind not in UNSHOWN_KINDS:
                    wrong[records.answer_line(answers.get(question.id), limit=WRONG_CHARS)] += 1
            questions.append({"id": question.id, "kind": question.kind, "prompt": question.prompt,
                              "answered": answered, "right": right,
                              "scored": question.auto_graded and self.keys.get(question.id) is not None,
                              "wrong": wrong.most_common(WRONG_SHOWN)})
        return {"workbook": self.spec.id, "title": self.spec.title, "learners": len(learners),
                "questions": questions, "files": len(seen),
                "updated": dt.datetime.now().astimezone().strftime("%H:%M:%S")}


def page(view: dict, every: int) -> str:
    """The self-refreshing HTML page for the projector (large type, numbers in words and bars, no names)."""
    esc = html.escape
    rows = []
    for n, q in enumerate(view["questions"], 1):
        share = q["right"] / q["answered"] if q["answered"] else 0.0
        right = (f"{share:.0%} right ({q['right']} of {q['answered']})" if q["scored"] and q["answered"]
                 else "marked by the teacher" if not q["scored"] else "—")
        bar = (f'<div class="bar" role="presentation"><div style="width:{share * 100:.0f}%"></div></div>'
               if q["scored"] else "")
        wrong = "".join(f"<li>{esc(text)} <span class=n>×{count}</span></li>" for text, count in q["wrong"])
        prompt = q["prompt"].replace("*", "")
        rows.append(f"<tr><td class=q>{n}</td><td class=p>{esc(prompt[:140])}{'…' if len(prompt) > 140 else ''}"
                    f"</td><td class=a>{q['answered']}</td><td class=r><span>{right}</span>{bar}</td>"
                    f"<td class=w><ul>{wrong}</ul></td></tr>")
    learners = view["learners"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{every}">
<title>Class pulse: {esc(view['title'] or view['workbook'])}</title>
<style>
body {{ font: 20px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1a1a1a; background: #fff; }}
h1 {{ font-size: 1.5em; margin: 0 0 .2em; }} .meta {{ color: #444; margin-bottom: 1em; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #ccc; padding: .4em;
  text-align: left; vertical-align: top; }}
td.a, td.q {{ text-align: right; width: 3em; }} td.r {{ width: 14em; }}
.bar {{ height: .5em; background: #e6e6e6; margin-top: .25em; }} .bar div {{ height: 100%; background: #2b6cb0; }}
ul {{ margin: 0; padding-left: 1.1em; }} .n {{ color: #444; }}
</style></head><body>
<h1>{esc(view['title'] or view['workbook'])}</h1>
<p class="meta"><strong>{learners} learner{'s' if learners != 1 else ''}</strong> with answers ·
updated {view['updated']} · this page reloads every {every} s · no names are shown</p>
<table><thead><tr><th>#</th><th>Question</th><th>Answered</th><th>Right</th><th>Commonest wrong answers</th>
</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def find_spec(keys: list[Path], workbook: str) -> tuple[WorkbookSpec, dict]:
    """The workbook ``ex01`` (or ``lesson-01``, or a full id) in the teacher's key folders, and its keys."""
    for folder in keys:
        key = load_key(folder)
        for wid, spec in key.specs.items():
            if wid == workbook or wid.startswith(f"{workbook}-"):
                return spec, key.keys[wid]
    raise PulseError(f"no workbook {workbook!r} in {', '.join(str(k) for k in keys)}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("homes", type=Path, metavar="HOMES", help="the hub's home folders, one per user")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--workbook", metavar="ID", help="a workbook: ex01, or its full id")
    which.add_argument("--lesson", metavar="NN", help="a lesson's self-check questions: 01")
    parser.add_argument("--key", type=Path, action="append", metavar="FOLDER",
                        help="teacher's workbooks with the answers (default: solutions/ and notebooks/)")
    parser.add_argument("--out", type=Path, default=Path("pulse.html"), help="the page to write (default pulse.html)")
    parser.add_argument("--every", type=int, default=5, metavar="S", help="seconds between rounds (default 5)")
    parser.add_argument("--once", action="store_true", help="one round, then stop")


def run(args: argparse.Namespace) -> int:
    if args.every < 1:
        print("pulse: --every must be at least 1 second", file=sys.stderr)
        return 2
    if not args.homes.is_dir():
        print(f"pulse: {args.homes} is not a folder of home folders", file=sys.stderr)
        return 2
    workbook = args.workbook or f"lesson-{args.lesson}"
    try:
        spec, keys = find_spec(args.key or [ROOT / "solutions", ROOT / "notebooks"], workbook)
        pulse = Pulse(args.homes, spec, keys)
        while True:
            view = pulse.round()
            write_atomic(args.out, page(view, args.every))
            print(f"{view['updated']} {view['learners']} learner(s), {pulse.reads} file read(s) so far → {args.out}",
                  flush=True)
            if args.once:
                return 0
            time.sleep(args.every)  # the page's own rhythm: nothing to wait on but the clock
    except PulseError as error:
        print(f"pulse: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
