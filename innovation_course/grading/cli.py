"""``innovation-course grade INPUT... --out DIR [--key solutions/] [--manual FILE] [--jobs N]``."""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from . import atomic, batch
from .answerkey import load_key
from .batch import default_jobs, mark_all
from .collect import collect
from .feedback import feedback_files
from .gradebook import canvas_csv, gradebook_csv, moodle_csv, resolve_duplicates, resolve_shared_ids
from .manual import marking_sheet, merge, read_sheet
from .mark import REJECTED, SUPERSEDED, Marked
from .progress import Progress
from .report import class_report, start_report

GRADEBOOK, CANVAS, MOODLE, SHEET, REPORT = ("gradebook.csv", "canvas-import.csv", "moodle-import.csv",
                                            "marking-sheet.csv", "report.html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="saved notebooks, folders (searched recursively) or zip files downloaded from the LMS")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the gradebook, feedback and report")
    parser.add_argument("--key", default="solutions", metavar="FOLDER",
                        help="workbooks with the answers: solutions/ (default) or built exercises/")
    parser.add_argument("--manual", metavar="FILE", help="a filled-in marking sheet to merge (free responses)")
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


def outputs(marked: list[Marked], problems: list[str], summary: str,
            report: Callable[[], bytes] | None = None) -> dict[str, bytes | Callable[[], bytes]]:
    """Every output file, relative path → bytes; the same marks always give the same bytes.
    ``report`` gives the class report when it was started earlier (see :func:`report.start_report`)."""
    files: dict[str, bytes | Callable[[], bytes]] = {
        GRADEBOOK: gradebook_csv(marked), CANVAS: canvas_csv(marked), MOODLE: moodle_csv(marked),
        SHEET: marking_sheet(marked), REPORT: report or class_report(marked, problems, summary)}
    files.update(feedback_files(marked))
    return files


@contextmanager
def chart_pool(count: int, jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """Processes that draw the report's charts while this one writes the other files (large batches only)."""
    if jobs < 2 or count < batch.SERIAL_BELOW:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield pool


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"grade: --out {out} is a file, not a folder", file=sys.stderr)
        return 2
    key = load_key(args.key)
    if not key.specs:
        for problem in key.problems:
            print(problem, file=sys.stderr)
        print(f"grade: no workbooks found in the key folder {args.key!r}", file=sys.stderr)
        return 2
    submissions = collect(args.inputs, exclude=out)
    with Progress(len(submissions), "grading") as bar:
        marked = resolve_duplicates(resolve_shared_ids(mark_all(submissions, key, max(1, args.jobs), bar)))
    problems = list(key.problems)
    if args.manual:
        entries, sheet_problems = read_sheet(args.manual)
        marked, merge_problems = merge(marked, entries)
        problems += sheet_problems + merge_problems
    summary = summary_line(len(submissions), marked)
    with chart_pool(len(marked), args.jobs) as pool:
        report = start_report(marked, problems, summary, pool)
        atomic.write_all(out, outputs(marked, problems, summary, report))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{summary}; wrote {out}/")
    return 0 if any(m.status != REJECTED for m in marked) else 1
