"""Helpers for the grading, collect and pulse tests: answered demo workbooks, zips as the LMSs make them,
the CSV files read back, and the real ex01 workbook as learners get it."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import nbformat

from innovation_course.classroom.build import build_notebook
from innovation_course.classroom.grading import synthetic
from innovation_course.engine.spec import parse_workbook

ROOT = Path(__file__).resolve().parents[1]
EX01 = "ex01_policy_framework.ipynb"
DEMO = synthetic.DEMO_ID
SOLUTION = synthetic.workbook_notebook()
RIGHT = synthetic.correct_answers(parse_workbook(SOLUTION))  # 8 of 11 points, the essay (3) to be marked
NO_ESSAY = {k: v for k, v in RIGHT.items() if k != "essay"}  # 8 of 11, nothing left to mark
ZIP_DATE = (2026, 12, 1, 9, 0, 0)


def notebook(answers: dict | None = None, who: dict | None = None, workbook: str | None = None) -> bytes:
    """The demo workbook answered (all right but the essay, unless given), as Jupyter saves it."""
    base = SOLUTION if workbook is None else synthetic.workbook_notebook(workbook)
    return synthetic.to_bytes(synthetic.with_answers(base, RIGHT if answers is None else answers, who))


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of these members, all dated ZIP_DATE."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = method
            zf.writestr(info, data)
    return buffer.getvalue()


def csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV file's bytes (a byte-order mark allowed)."""
    csv.field_size_limit(2**31 - 1)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def csv_dicts(path: Path) -> list[dict]:
    """The rows of a CSV file with a header, as dicts."""
    rows = csv_rows(path.read_bytes())
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def blank_ex01() -> nbformat.NotebookNode:
    """The real ex01 workbook as learners get it (built from solutions/ when exercises/ has none)."""
    built = ROOT / "exercises" / EX01
    if built.exists():
        return nbformat.read(built, as_version=4)
    return build_notebook(nbformat.read(ROOT / "solutions" / EX01, as_version=4), "self-study", f"solutions/{EX01}")


def run_grade(key: Path, out: Path, *args: str, force: bool = False) -> int:
    """``innovation-course grade ARGS --out OUT --key KEY --jobs 1`` in this process; its exit status."""
    from innovation_course.classroom.cli import main

    return main(["grade", *args, "--out", str(out), "--key", str(key), "--jobs", "1", *(["--force"] if force else [])])
