"""Grading the course's own workbooks: the solutions earn full marks, the untouched exercises earn nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading.answerkey import load_key

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS, EXERCISES = ROOT / "solutions", ROOT / "exercises"


def notebooks(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.ipynb"))
    if not found:
        pytest.skip(f"{folder.name}/ has no notebooks yet")
    return found


def grade(inputs: Path, key: Path, out: Path) -> list[dict]:
    """Grade the workbooks of ``inputs`` (not the exam bank in its subfolder) against ``key``."""
    assert main(["grade", *map(str, notebooks(inputs)), "--key", str(key), "--out", str(out), "--jobs", "2"]) == 0
    return list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))


def test_every_solution_is_a_key_workbook():
    paths = notebooks(SOLUTIONS)
    bank = sorted((SOLUTIONS / "exam").glob("*.ipynb"))
    key = load_key(SOLUTIONS)
    assert not key.problems
    assert len(key.specs) == len(paths) + len(bank) and len(key.exam_bank) == len(bank)


def folder(name: str) -> Path:
    return {"solutions": SOLUTIONS, "exercises": EXERCISES}[name]


@pytest.mark.parametrize("key_name", ["solutions", "exercises"], ids=["plain-key", "hashed-key"])
def test_the_solutions_earn_full_marks(key_name, tmp_path):
    key_folder = folder(key_name)
    notebooks(SOLUTIONS)
    notebooks(key_folder)
    rows = grade(SOLUTIONS, key_folder, tmp_path / "out")
    key = load_key(SOLUTIONS)
    assert len(rows) == len(key.specs) - len(key.exam_bank)
    for row in rows:
        assert row["status"] == "graded", (row["source_file"], row["reason"])
        spec = key.specs[row["workbook"]]
        for question in spec.questions.values():
            expected = "" if question.kind == "free" else f"{question.points:g}"
            got = row[f"q:{question.id}"]
            assert (got == "0" if question.kind == "free" else got == expected), (row["workbook"], question.id, got)
        auto = sum(q.points for q in spec.questions.values() if q.kind != "free")
        assert float(row["total"]) == pytest.approx(auto)
    sheet = (tmp_path / "out" / "marking-sheet.csv").read_text(encoding="utf-8-sig")
    free = sum(1 for s in key.specs.values() for q in s.questions.values() if q.kind == "free")
    assert len(sheet.splitlines()) == 1 + free
    for page in (tmp_path / "out" / "feedback").glob("*.html"):
        text = page.read_text()
        assert "✘" not in text and "⚠" not in text, page.name


@pytest.mark.parametrize("key_name", ["solutions", "exercises"], ids=["plain-key", "hashed-key"])
def test_the_untouched_exercises_earn_nothing(key_name, tmp_path):
    key_folder = folder(key_name)
    notebooks(EXERCISES)
    notebooks(key_folder)
    rows = grade(EXERCISES, key_folder, tmp_path / "out")
    assert len(rows) == len(notebooks(EXERCISES))
    for row in rows:
        assert row["status"] == "empty" and row["total"] == "0", (row["source_file"], row["reason"])
        assert all(row[c] in ("0", "") for c in row if c.startswith("q:"))
    for page in (tmp_path / "out" / "feedback").glob("*.html"):
        text = page.read_text()
        assert "○ No answer yet" in text and "✔" not in text
