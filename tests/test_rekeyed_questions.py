"""A re-keyed question (docs/authoring.md, "When a key changes"): issue 21 found ex01's ``plan-targets`` keyed to a
wrong reading ("the 15th plan adds a carbon target"; the 14th had one) and ex02's ``basic-comparators`` made wrong by
new data. Both were replaced by new ids in a new workbook version, so an answer given to the old key is never marked
against the new one: the grader lists it as ignored, and the copy is graded as an older version."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import nbformat
import pytest

from innovation_course.classroom.cli import main
from innovation_course.engine import records
from innovation_course.engine.spec import parse_workbook, workbook_header

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ex01-version-1" / "ex01_policy_framework.ipynb"
RETIRED = {"ex01_policy_framework": ("plan-targets", "plan-targets-carbon"),
           "ex02_rd_investment": ("basic-comparators", "basic-peers")}


def grade(path: Path, key: Path, out: Path) -> dict[str, str]:
    assert main(["grade", str(path), "--key", str(key), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("name", sorted(RETIRED))
def test_a_retired_id_is_gone_its_successor_is_new_and_the_version_moved_on(name):
    old, new = RETIRED[name]
    for folder in ("solutions", "exercises"):
        nb = nbformat.read(ROOT / folder / f"{name}.ipynb", as_version=4)
        questions = parse_workbook(nb).questions
        assert old not in questions and new in questions, (folder, name)
        assert workbook_header(nb)["version"] == "2", (folder, name)


def test_an_answer_to_the_old_key_is_listed_not_marked(tmp_path):
    saved = records.read_saved(nbformat.read(FIXTURE, as_version=4))
    assert saved.version == "1" and "plan-targets" in saved.answers  # the old, wrongly keyed answer
    row = grade(FIXTURE, ROOT / "solutions" / "ex01_policy_framework.ipynb", tmp_path / "out")
    assert row["status"] == "older version" and row["workbook_version"] == "1"
    assert "ignored answers to unknown questions: plan-targets" in row["reason"]
    assert "q:plan-targets" not in row  # no column, so no mark, for the retired id
    assert row["q:plan-targets-carbon"] == "0"  # never answered under its new id: missing, not wrong
    assert row["q:launch-order"] == "2" and row["q:name-863"] == "1"  # the questions that stayed keep their marks
