"""``innovation-course grade INPUT... --out DIR [--key solutions/] [--manual FILE] [--canvas CSV --assignment
"Name (id)"] [--moodle CSV] [--policy P] [--force] [--jobs N]``."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from ...engine import scoring
from ..exam_secret import SECRET_FILE, SecretError, read_secret
from ..roster import RosterError, read_roster
from . import accounts, atomic, batch, versions
from .answerkey import POLICIES, load_key
from .batch import default_jobs, mark_all
from .collect import gather
from .feedback import learner_page
from .gradebook import gradebook_csv
from .identify import safe_id
from .lms import SheetError, fill_canvas, fill_moodle
from .manual import STORE, apply_marks, load_store, marking_sheet, merge_sheet, read_sheet, store_bytes
from .mark import REJECTED, SUPERSEDED, Marked
from .progress import Progress
from .report import class_report

GRADEBOOK, SHEET, REPORT = "gradebook.csv", "marking-sheet.csv", "report.html"
CANVAS_UPLOAD, MOODLE_UPLOAD, MOODLE_FEEDBACK = "canvas-upload.csv", "moodle-upload.csv", "moodle-feedback.zip"


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
                        "into the LMS file (needed when the batch holds several)")
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


def summary_line(inputs: int, marked: list[Marked]) -> str:
    """'graded 118 submissions from 120 inputs: 2 rejected, 3 duplicates; mean 71.4 %'."""
    rejected = sum(1 for m in marked if m.status == REJECTED)
    duplicates = sum(1 for m in marked if m.status == SUPERSEDED)
    percents = [m.percent for m in marked if m.counted and m.percent is not None]
    mean = f"mean {statistics.fmean(percents):.1f} %" if percents else "no scores"
    return (f"graded {len(marked) - rejected} submission{'s' if len(marked) - rejected != 1 else ''} from "
            f"{inputs} input{'s' if inputs != 1 else ''}: {rejected} rejected, {duplicates} duplicate"
            f"{'s' if duplicates != 1 else ''}; {mean}")


def pages_by_learner(marked: list[Marked]) -> dict[str, bytes]:
    """Learner id → feedback page."""
    by_learner: dict[str, list[Marked]] = defaultdict(list)
    for item in marked:
        by_learner[item.learner.id].append(item)
    return {lid: learner_page(items) for lid, items in sorted(by_learner.items())}


def outputs(marked: list[Marked], problems: list[str], summary: str, store: dict | None = None,
            pages: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every output file, relative path → bytes; the same marks always give the same bytes."""
    pages = pages_by_learner(marked) if pages is None else pages
    files: dict[str, bytes] = {
        GRADEBOOK: gradebook_csv(marked), SHEET: marking_sheet(marked, store),
        REPORT: class_report(marked, problems, summary), STORE: store_bytes(store or {})}
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


def _lms_files(args: argparse.Namespace, marked: list[Marked], pages: dict[str, bytes]) -> tuple[dict, list[str]]:
    if not (args.canvas or args.moodle):
        return {}, []
    if args.canvas and not args.assignment:
        raise Refused('--canvas needs --assignment "Assignment name (id)", the column header in your export')
    counted = sorted({m.workbook for m in marked if m.counted and m.marks})
    workbook = args.workbook or (counted[0] if len(counted) == 1 else None)
    if workbook is None:
        raise Refused(f"the batch holds workbooks {', '.join(counted) or 'none'}: pass --workbook ID to say "
                      "which one goes into the LMS file")
    problems = [f"{m.origin}: workbook {m.workbook}, not {workbook}: not in the LMS file"
                for m in marked if m.counted and m.marks and m.workbook != workbook]
    chosen = [m for m in marked if m.workbook == workbook]
    files: dict[str, bytes] = {}
    try:
        if args.canvas:
            files[CANVAS_UPLOAD], more = fill_canvas(args.canvas, args.assignment, chosen)
            problems += more
        if args.moodle:
            files[MOODLE_UPLOAD], files[MOODLE_FEEDBACK], more = fill_moodle(args.moodle, chosen, pages)
            problems += more
    except SheetError as error:
        raise Refused(str(error)) from None
    return files, problems


def grade(args: argparse.Namespace) -> int:
    out = Path(args.out)
    previous = _check_out(out, args.force)
    key = _key(args)
    submissions, problems = gather(args.inputs, exclude=(out,))
    problems = list(key.problems) + problems
    with Progress(len(submissions), "grading") as bar:
        marked = mark_all(submissions, key, max(1, args.jobs), bar, args.time_limit)
    marked, more = accounts.resolve_all(marked)
    problems += more
    marked, more = versions.borrowed_answers(marked, key)
    problems += more + versions.foreign_variants(marked)
    _check_same_class(previous, marked, out, args.force)
    try:
        store, _ = load_store(out / STORE)
    except ValueError as error:
        raise Refused(str(error)) from None
    if args.manual:
        entries, more = read_sheet(args.manual)
        problems += more
        store, more = merge_sheet(store, entries, marked)
        problems += more
    marked, more = apply_marks(marked, store)
    problems += more
    pages = pages_by_learner(marked)
    lms_files, more = _lms_files(args, marked, pages)
    problems += more
    summary = summary_line(len(submissions), marked)
    run = {"workbooks": sorted({m.workbook for m in marked if m.counted and m.workbook}),
           "accounts": sorted({m.learner.id for m in marked if m.counted}),
           "inputs": [Path(i).name for i in args.inputs], "summary": summary}
    files = {**outputs(marked, problems, summary, store, pages), **lms_files}
    try:
        atomic.replace_set(out, files, run)
    except OSError as error:
        raise Refused(f"cannot write --out {out}: {error.strerror or error}") from None
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{summary}; wrote {os.path.normpath(out)}/")
    return 0 if any(m.status != REJECTED for m in marked) else 1


def run(args: argparse.Namespace) -> int:
    """The ``grade`` command: its exit status (2 with one line on stderr when it cannot go on)."""
    try:
        return grade(args)
    except Refused as error:
        print(f"grade: {error}", file=sys.stderr)
        return 2
