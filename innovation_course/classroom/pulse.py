"""``innovation-course pulse HOMES --workbook ex01 | --lesson 01 [--out page.html] [--every 5] [--once]
[--show-answers]``.

A live class view for the teacher's screen during a session on a hub: every few seconds the learners'
answers are read from their home folders (``HOMES/<user>/...``), from the answer journals written on every
change (in the home's Jupyter data folder, ``.local/share/jupyter/innovation-course/journals/``, and those of
earlier releases, ``.innovation-course/<workbook>.answers.json``) and from the saved notebooks, and a self-refreshing
HTML page says per question how many learners answered and the share right.

The page is safe to project. It carries no names, and nothing a learner typed: the commonest wrong answers
are shown only when they are made of the question's own options (the teacher's words) and given by at
least :data:`MIN_SHOWN` learners. ``--show-answers`` adds typed answers (short text, numbers), shortened,
under the same rule; written (free) answers are never shown. A learner counts once they have given an
answer (the lesson file as handed out, with its empty records, is no answer).

Homes are read as data through :mod:`innovation_course.hub.homes` (regular files inside the learner's own
home only, each bounded; one file shared between homes counts for nobody). A file whose (device, inode),
modification time and size have not changed is not read again, so a round costs a walk of the homes.
Answers are scored with the teacher's key (``solutions/`` or the lessons), never run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import records
from ..engine.scoring import CORRECT, INCORRECT, INVALID, MISSING, PARTIAL, is_blank, score
from ..engine.spec import WorkbookSpec
from . import ROOT
from .grading.answerkey import load_key
from .grading.safe_read import Budget, Unreadable, file_key, read_regular
from .hub.homes import (
    JOURNAL_FOLDER,
    Owners,
    data_dir_journals,
    homes_of,
    owners_of,
    parse_journal,
    refuse_shared,
    saved_answers,
    walk_home,
)

MAX_BYTES = 20 * 2**20
JOURNAL_BYTES = 5_000_000
FILE_SECONDS = 5.0
RACY_NS = 2_000_000_000  # files changed in the last 2 s are not trusted to the cache yet
WRONG_SHOWN = 3
MIN_SHOWN = 3        # an answer is shown only when at least this many learners gave it
TEXT_CHARS = 40      # a shown typed answer is cut to this length
LIST_ITEMS = 3       # a shown list keeps this many items
OPTION_KINDS = {"choice", "multiple", "ordering", "matching"}
NEVER_SHOWN = {"free"}  # written answers are long and personal: counted, never projected


class PulseError(ValueError):
    """The pulse cannot run: no such workbook in the key, HOMES not a folder..."""


@dataclass
class Source:
    """One file's answers for the workbook: question id → answer, and when the file last changed."""

    answers: dict[str, Any]
    mtime: float


def shortened(answer: Any) -> str:
    """An answer as one short line: text cut to TEXT_CHARS, a list to LIST_ITEMS items."""
    if isinstance(answer, dict):
        items = [f"{k} → {v}" for k, v in list(answer.items())[:LIST_ITEMS + 1]]
    elif isinstance(answer, list):
        items = ["…" if a is None else str(a) for a in answer[:LIST_ITEMS + 1]]
    else:
        text = " ".join(str(answer).split())
        return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"
    total = len(answer)
    shown = [i if len(i) <= TEXT_CHARS // 2 else i[:TEXT_CHARS // 2 - 1] + "…" for i in items[:LIST_ITEMS]]
    return ", ".join(shown) + (f" and {total - LIST_ITEMS} more" if total > LIST_ITEMS else "")


def of_options(question, answer: Any) -> bool:
    """Whether an answer is made only of the question's own options (the teacher's words, not typed)."""
    options = set(question.options)
    if question.kind == "choice":
        return isinstance(answer, str) and answer in options
    if question.kind in ("multiple", "ordering"):
        return isinstance(answer, list) and all(isinstance(a, str) and a in options for a in answer)
    if question.kind == "matching":
        return (isinstance(answer, dict) and all(k in question.pairs for k in answer)
                and all(isinstance(v, str) and v in options for v in answer.values()))
    return False


def showable(question, answer: Any, typed: bool) -> str | None:
    """The line a wrong answer may be shown as on the projected page, or None when it may not be shown."""
    if question.kind in NEVER_SHOWN:
        return None
    if question.kind in OPTION_KINDS:
        return shortened(answer) if of_options(question, answer) else None
    return shortened(answer) if typed else None


@dataclass
class Pulse:
    """Reads HOMES for one workbook, keeping what it read by file (device, inode) and stamp."""

    homes: Path
    spec: WorkbookSpec
    keys: dict[str, dict | None]
    show_typed: bool = False
    cache: dict[tuple[int, int], tuple[tuple[int, ...], Source | None]] = field(default_factory=dict)
    reads: int = 0  # files actually opened and parsed (the cost that must stay flat)
    replaced: int = 0  # invalid characters (lone surrogates) replaced in what was read
    refused: int = 0  # files not read this round (links out, FIFOs, shared between homes...)

    def _parse(self, data: bytes, journal: bool, mtime: float) -> Source | None:
        if journal:
            found, replaced = parse_journal(data, self.spec.id)
            answers = {q: r.get("answer") for q, r in found.items() if q != records.IDENTITY}
        else:
            saved, replaced = saved_answers(data)
            if saved is None or saved.workbook != self.spec.id:
                return None
            answers = saved.answers
        self.replaced += replaced
        return Source(answers, mtime) if answers else None

    def _source(self, path: Path, home: Path, journal: bool, owners: Owners, seen: set,
                kept: set) -> Source | None:
        """One file's answers (None: none, or not read). ``seen``: the files this home gave already (another
        name of one is not read twice); ``kept``: every file of the round, for the cache."""
        try:
            info = os.stat(path)
        except OSError:  # a loop, a dangling link, a file gone since the walk
            self.refused += 1
            return None
        key, stamp = file_key(info), (info.st_mtime_ns, info.st_size, info.st_ctime_ns)
        if key in seen:
            return None  # another name of a file this home already gave (a hard link)
        seen.add(key)
        kept.add(key)
        cached = self.cache.get(key)
        # a file changed less than RACY_NS ago may change again within the clock's granularity with the same
        # stamp (as git's "racy" index entries): it is read again until it has settled
        settled = info.st_mtime_ns < time.time_ns() - RACY_NS
        if cached and cached[0] == stamp and settled and not owners.problem(info):
            return cached[1]
        try:
            refuse_shared(owners, info)
            data, opened = read_regular(path, JOURNAL_BYTES if journal else MAX_BYTES, home,
                                        Budget(MAX_BYTES, FILE_SECONDS))
        except Unreadable:
            self.refused += 1
            return None
        self.reads += 1
        source = self._parse(data, journal, opened.st_mtime)
        self.cache[file_key(opened)] = (stamp, source)
        return source

    def learner_answers(self, home: Path, owners: Owners, kept: set) -> dict[str, Any] | None:
        """One learner's latest answers: their saved copies and journals, the newest source winning."""
        journal_name = f"{self.spec.id}.answers.json"
        sources: list[Source] = []
        seen: set = set()
        for path, _ in walk_home(home, journals=True):
            journal = path.parent.name == JOURNAL_FOLDER
            if (journal and path.name == journal_name) or (not journal and path.name.endswith(".ipynb")):
                found = self._source(path, home, journal, owners, seen, kept)
                sources += [found] if found else []
        for path in data_dir_journals(home):  # this release's journals (each parsed for this workbook only)
            found = self._source(path, home, True, owners, seen, kept)
            sources += [found] if found else []
        if not sources:
            return None
        merged: dict[str, Any] = {}
        for source in sorted(sources, key=lambda s: s.mtime):  # the newest file's answers count
            merged.update(source.answers)
        return merged if any(not is_blank(a) for a in merged.values()) else None  # an untouched file: no one

    def round(self) -> dict:
        """Read every home once; the class's numbers per question (no names)."""
        try:
            homes = [home for home, skip in homes_of(self.homes) if skip is None]
        except OSError as error:
            raise PulseError(f"{self.homes}: {error.strerror or error}") from None
        owners = owners_of(self.homes)
        self.refused, kept = 0, set()
        learners = [a for a in (self.learner_answers(home, owners, kept) for home in homes) if a is not None]
        for key in [k for k in self.cache if k not in kept]:  # forget files no longer there
            del self.cache[key]
        questions = [self._question(q, learners) for q in self.spec.questions.values()]
        return {"workbook": self.spec.id, "title": self.spec.title, "learners": len(learners),
                "questions": questions, "files": len(kept), "refused": self.refused,
                "updated": dt.datetime.now().astimezone().strftime("%H:%M:%S")}

    def _question(self, question, learners: list[dict[str, Any]]) -> dict:
        answered = right = hidden = 0
        wrong: Counter[str] = Counter()
        for answers in learners:
            result = score(question, self.keys.get(question.id), answers.get(question.id))
            if result.status == MISSING:
                continue
            answered += 1
            right += result.status == CORRECT
            if result.status in (INCORRECT, PARTIAL, INVALID):
                line = showable(question, answers.get(question.id), self.show_typed)
                if line is None:
                    hidden += 1
                else:
                    wrong[line] += 1
        shown = [(text, n) for text, n in wrong.most_common() if n >= MIN_SHOWN][:WRONG_SHOWN]
        return {"id": question.id, "kind": question.kind, "prompt": question.prompt, "answered": answered,
                "right": right, "scored": question.auto_graded and self.keys.get(question.id) is not None,
                "wrong": shown, "unshown": answered - right - sum(n for _, n in shown)}


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
updated {view['updated']} · this page reloads every {every} s · no names are shown; a wrong answer is shown
only when at least {MIN_SHOWN} learners gave it</p>
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
    """The workbook ``ex01`` (or ``lesson-01``, or a full id) in the teacher's key folders, and its keys;
    PulseError lists the workbooks there are."""
    known: list[str] = []
    for folder in keys:
        key = load_key(folder)
        for wid, spec in key.specs.items():
            if wid == workbook or wid.startswith(f"{workbook}-"):
                return spec, key.keys[wid]
        known += sorted(key.specs)
    raise PulseError(f"no workbook {workbook!r} in {', '.join(str(k) for k in keys)}; there are: "
                     f"{', '.join(known) or 'none'}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("homes", type=Path, metavar="HOMES", help="the hub's home folders, one per user")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--workbook", metavar="ID", help="a workbook: ex01, or its full id")
    which.add_argument("--lesson", metavar="NN", help="a lesson's self-check questions: 01 (or lesson-01)")
    parser.add_argument("--key", type=Path, action="append", metavar="FOLDER",
                        help="teacher's workbooks with the answers (default: solutions/ and notebooks/)")
    parser.add_argument("--out", type=Path, default=Path("pulse.html"), help="the page to write (default pulse.html)")
    parser.add_argument("--every", type=int, default=5, metavar="S", help="seconds between rounds (default 5)")
    parser.add_argument("--once", action="store_true", help="one round, then stop")
    parser.add_argument("--show-answers", action="store_true",
                        help=f"also show typed wrong answers (shortened; only those {MIN_SHOWN} or more learners "
                        "gave; written answers never)")


def run(args: argparse.Namespace) -> int:
    if args.every < 1:
        print("pulse: --every must be at least 1 second", file=sys.stderr)
        return 2
    if not args.homes.is_dir():
        print(f"pulse: {args.homes} is not a folder of home folders", file=sys.stderr)
        return 2
    workbook = args.workbook or (args.lesson if args.lesson.startswith("lesson-") else f"lesson-{args.lesson}")
    try:
        spec, keys = find_spec(args.key or [ROOT / "solutions", ROOT / "notebooks"], workbook)
        pulse = Pulse(args.homes, spec, keys, args.show_answers)
        while True:
            view = pulse.round()
            write_atomic(args.out, page(view, args.every))
            refused = f", {view['refused']} refused" if view["refused"] else ""
            refused += f", {pulse.replaced} invalid characters replaced" if pulse.replaced else ""
            print(f"{view['updated']} {view['learners']} learner(s), {pulse.reads} file read(s) so far{refused} "
                  f"→ {args.out}", flush=True)
            if args.once:
                return 0
            time.sleep(args.every)  # the page's own rhythm: nothing to wait on but the clock
    except PulseError as error:
        print(f"pulse: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
