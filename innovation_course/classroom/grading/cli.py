"""``innovation-course grade INPUT... --out DIR [--key solutions/] [--manual FILE] [--canvas CSV --assignment
"Name (id)"] [--moodle CSV] [--workbook ID] [--partial] [--policy P] [--force] [--time-limit S] [--jobs N]``."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from ...engine import scoring
from ..exam_secret import SECRET_FILE, SecretError, read_secret
from ..roster import RosterError, read_roster
from . import accounts, atomic, batch, uploads, versions
from .answerkey import POLICIES, load_key
from .batch import default_jobs, mark_all
from .collect import stream
from .feedback import pages_by_learner
from .gradebook import gradebook_csv
from .identify import safe_id
from .manual import STORE, apply_marks, load_store, marking_sheet, merge_sheet, read_sheet, sheet_entries, store_bytes
from .mark import REJECTED, SUPERSEDED, Marked, to_mark_count
from .progress import Progress
from .report import class_report
from .submission import Limits

GRADEBOOK, SHEET, REPORT = "gradebook.csv", "marking-sheet.csv", "report.html"
CANVAS_UPLOAD, MOODLE_UPLOAD, MOODLE_FEEDBACK = uploads.CANVAS_UPLOAD, uploads.MOODLE_UPLOAD, uploads.MOODLE_FEEDBACK
WITHHELD = 3  # exit status: the outputs are written, but an LMS upload file is not (the reason on stderr)


class Refused(Exception):
    """The run cannot go on; the message is the one line the teacher reads (exit status 2)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="saved notebooks, folders (searched recursively) or zip files downloaded from the LMS")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the gradebook, feedback and report")
    parser.add_argument("--key", default="solutions", metavar="FOLDER",
                        help="workbooks with the answers: solutions/ (default) or built exercises/")
    parser.add_argument("--manual", metavar="FILE", help="a filled-in marking sheet to merge (free responses)")
    parser.add_argument("--canvas", metavar="CSV", help="your Canvas gradebook export, to fill in and upload back")
    parser.add_argument("--assignment", metavar="COLUMN",
                        help='with --canvas: the assignment column, as exported: "Name (id)" or the id')
    parser.add_argument("--moodle", metavar="CSV", help="Moodle's grading worksheet, to fill in and upload back")
    parser.add_argument("--workbook", metavar="ID", help="with --canvas/--moodle: the workbook whose totals go "
                        "into the LMS file, ex01 or in full (needed when the batch holds several)")
    parser.add_argument("--partial", action="store_true", help="with --canvas/--moodle: write the upload file "
                        "even while answers are still to be marked (their learners' cells left as they were)")
    parser.add_argument("--policy", choices=POLICIES, help="feedback policy to mark by (default: the key "
                        "workbook's own, else practice)")
    parser.add_argument("--reveal-after", type=int, default=None, metavar="N", help="with --policy homework")
    parser.add_argument("--deduction", type=float, default=None, metavar="X",
                        help="with --policy homework: share of a question's points taken per extra try")
    parser.add_argument("--roster", metavar="CSV", help="the class list (learner_id, name, account): which learner "
                        "ID each Canvas or Moodle account typed, for questions with a version per learner (default: "
                        "the --canvas export's SIS Login ID)")
    parser.add_argument("--exam-secret", metavar="FILE", help=f"the secret the exam copies were built with "
                        f"(default: {SECRET_FILE} beside the exam bank's notebooks)")
    parser.add_argument("--force", action="store_true",
                        help="write into --out even when it holds another class's or workbook's results")
    parser.add_argument("--time-limit", type=float, default=batch.TIME_LIMIT, metavar="SECONDS",
                        help=f"time one submission may take (default {batch.TIME_LIMIT:g})")
    parser.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="worker processes for large batches (default: the CPUs available)")


def summary_line(inputs: int, marked: list[Marked], counts: Callable[[Marked], bool] | None = None) -> str:
    """'graded 118 submissions from 120 inputs: 2 rejected, 3 duplicates; mean 71.4 %; 7 answers still to mark';
    the mean over the submissions ``counts`` keeps (the roster's)."""
    rejected = sum(1 for m in marked if m.status == REJECTED)
    duplicates = sum(1 for m in marked if m.status == SUPERSEDED)
    percents = [m.percent for m in marked if m.counted and m.percent is not None and (counts is None or counts(m))]
    mean = f"mean {statistics.fmean(percents):.1f} %" if percents else "no scores"
    left = sum(to_mark_count(m) for m in marked)
    waiting = f"; {left} answer{'s' if left != 1 else ''} still to mark (marking-sheet.csv)" if left else ""
    return (f"graded {len(marked) - rejected} submission{'s' if len(marked) - rejected != 1 else ''} from "
            f"{inputs} input{'s' if inputs != 1 else ''}: {rejected} rejected, {duplicates} duplicate"
            f"{'s' if duplicates != 1 else ''}; {mean}{waiting}")


def outputs(marked: list[Marked], problems: list[str], summary: str, store: dict | None = None,
            pages: dict[str, bytes] | None = None, typed: dict | None = None,
            counts: Callable[[Marked], bool] | None = None, changes: list[str] | None = None) -> dict[str, bytes]:
    """Every output file, relative path → bytes; the same marks always give the same bytes."""
    pages = pages_by_learner(marked) if pages is None else pages
    files: dict[str, bytes] = {
        GRADEBOOK: gradebook_csv(marked), SHEET: marking_sheet(marked, store, typed),
        REPORT: class_report(marked, problems, summary, counts, changes), STORE: store_bytes(store or {})}
    files.update({f"feedback/{safe_id(lid)}.html": page for lid, page in pages.items()})
    return files


def _policy(args: argparse.Namespace) -> dict | None:
    if args.policy is None:
        if args.reveal_after is not None or args.deduction is not None:
            raise Refused("--reveal-after and --deduction go with --policy homework")
        return None
    policy = {"policy": args.policy, "reveal_after": args.reveal_after or 0, "deduction": args.deduction or 0.0}
    normalise = getattr(scoring, "normalise_feedback", None)
    if normalise is not None:
        try:
            policy = normalise(policy)
        except ValueError as error:
            raise Refused(f"--policy: {error}") from None
    elif policy["deduction"] < 0 or policy["reveal_after"] < 0:
        raise Refused("--deduction and --reveal-after must not be negative")
    return policy


def _key(args: argparse.Namespace):
    folder = Path(args.key)
    if not folder.exists():
        raise Refused(f"no key folder {args.key!r} in {Path.cwd().name}/: the answered workbooks are the course's "
                      "solutions/ folder; run from the course folder or pass --key PATH/TO/solutions")
    key = load_key(folder)
    if not key.specs:
        raise Refused(f"no workbooks in the key folder {args.key!r}" +
                      (f" ({len(key.problems)} unreadable: {key.problems[0]})" if key.problems else ""))
    if not key.has_answers:
        raise Refused(f"the key folder {args.key!r} holds no answers (an exam release?): "
                      "pass --key with the course's solutions/ folder")
    key.override = _policy(args)
    _variants(args, key, folder)
    return key


def _variants(args: argparse.Namespace, key, folder: Path) -> None:
    """What the grader needs for questions with a version per learner: the roster and an exam's secret."""
    try:
        if args.roster:
            key.roster = read_roster(args.roster).by_account()
        elif args.canvas:
            key.roster = read_roster(args.canvas).by_account()
    except RosterError as error:
        if args.roster:
            raise Refused(str(error)) from None
    if not key.exam_bank:
        return
    given = Path(args.exam_secret) if args.exam_secret else None
    try:  # by default, the secret beside the exam bank's notebooks
        key.secret = read_secret(given or Path(next(iter(key.exam_bank.values()))) / SECRET_FILE)
    except SecretError as error:
        if given is not None:
            raise Refused(str(error)) from None
        for workbook in sorted(key.exam_bank):  # homework graded with --key solutions/: the exam is not needed
            key.specs.pop(workbook, None)
            key.problems.append(f"exam bank workbook {workbook!r} left out of the key: {error}")
        key.exam_bank.clear()


def _check_out(out: Path, force: bool) -> dict | None:
    """The previous run in ``out`` (None for a new or empty folder); refuses a folder that is not ours."""
    if out.exists() and not out.is_dir():
        raise Refused(f"--out {out} is a file, not a folder")
    if not out.is_dir():
        return None
    previous = atomic.read_run(out)
    if previous is None and any(out.iterdir()) and not force:
        raise Refused(f"--out {out} holds files that are not grading results; choose an empty or new folder, "
                      "or pass --force (its files are kept)")
    return previous


def _check_same_class(previous: dict | None, marked: list[Marked], out: Path, force: bool) -> None:
    if previous is None or force:
        return
    workbooks = {m.workbook for m in marked if m.counted and m.workbook}
    learners = {m.learner.id for m in marked if m.counted}
    before_wb, before_learners = set(previous.get("workbooks") or ()), set(previous.get("accounts") or ())
    if before_wb and workbooks and before_wb != workbooks:
        raise Refused(f"--out {out} holds the results of workbook {', '.join(sorted(before_wb))}, not "
                      f"{', '.join(sorted(workbooks))}: choose another folder, or pass --force to replace them")
    if before_learners and learners and not before_learners & learners:
        raise Refused(f"--out {out} holds the results of another class (none of its {len(before_learners)} "
                      "learners is in this batch): choose another folder, or pass --force to replace them")


def _marks(args: argparse.Namespace, out: Path, marked: list[Marked]) -> tuple[dict, dict, list[str]]:
    """The kept marks with the marking sheet in ``out`` (read back on every run) and ``--manual`` merged in;
    what was typed but could not be used; the problems."""
    try:
        store, problems = load_store(out / STORE)
    except ValueError as error:
        raise Refused(str(error)) from None
    typed: dict = {}
    sheets = [(out / SHEET, True)]
    if args.manual and Path(args.manual).absolute() != (out / SHEET).absolute():
        sheets.append((Path(args.manual), False))
    for path, own in sheets:
        entries, more = sheet_entries(path, store) if own else read_sheet(path)
        problems += more
        store, more = merge_sheet(store, entries, marked, typed)
        problems += [f"{SHEET} in --out: {p}" if own else p for p in more]
    return store, typed, problems


def grade(args: argparse.Namespace) -> int:
    out = Path(args.out)
    waiting = lambda: print(f"grade: another grade run is writing beside {out}; waiting for it to finish",  # noqa: E731
                            file=sys.stderr, flush=True)
    try:
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Refused(f"cannot write --out {out}: {error.strerror or error}") from None
    with atomic.locked(out, waiting):
        return _grade(args, out)


def _grade(args: argparse.Namespace, out: Path) -> int:
    previous = _check_out(out, args.force)
    key = _key(args)
    problems = list(key.problems)
    limits = Limits(seconds=args.time_limit if args.time_limit > 0 else None)
    with Progress(0, "grading") as bar:
        marked = mark_all(stream(args.inputs, limits, (out,), problems), key, max(1, args.jobs), bar,
                          args.time_limit)
    marked, more = accounts.resolve_all(marked)
    problems += more
    marked, more = versions.borrowed_answers(marked, key)
    problems += more + versions.foreign_variants(marked)
    _check_same_class(previous, marked, out, args.force)
    store, typed, more = _marks(args, out, marked)
    problems += more
    marked, more = apply_marks(marked, store)
    problems += more
    try:
        planned = uploads.plan(args.canvas, args.assignment, args.moodle, args.workbook, marked, sorted(key.specs))
    except uploads.UploadRefused as error:
        raise Refused(str(error)) from None
    problems += planned.problems
    roster = planned.roster()
    counts = lambda item: uploads.in_statistics(item, roster)  # noqa: E731
    pages = pages_by_learner(marked, planned.sentences())
    lms_files, withheld = planned.files(pages, args.partial)
    changes = planned.overwrites() if lms_files else []
    summary = summary_line(len(marked), marked, counts)
    run = {"workbooks": sorted({m.workbook for m in marked if m.counted and m.workbook}),
           "accounts": sorted({m.learner.id for m in marked if m.counted}),
           "inputs": [Path(i).name for i in args.inputs], "summary": summary}
    files = {**outputs(marked, problems + withheld, summary, store, pages, typed, counts, changes), **lms_files}
    try:
        atomic.replace_set(out, files, run, lock=False)  # this run holds the lock
    except OSError as error:
        raise Refused(f"cannot write --out {out}: {error.strerror or error}") from None
    for line in problems + changes + withheld:
        print(line, file=sys.stderr)
    print(f"{summary}; wrote {os.path.normpath(out)}/")
    if not any(m.status != REJECTED for m in marked):
        return 1
    return WITHHELD if withheld else 0


def run(args: argparse.Namespace) -> int:
    """The ``grade`` command: its exit status (2 with one line on stderr when it cannot go on)."""
    try:
        return grade(args)
    except Refused as error:
        print(f"grade: {error}", file=sys.stderr)
        return 2
