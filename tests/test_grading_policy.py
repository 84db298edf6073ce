"""Grading by the feedback policy: taken from the key workbook's metadata (the teacher's file) or the command
line, never from the learner's file; only ``tries`` comes from the learner's record, clamped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.mark import tries_of
from innovation_course.engine.records import MIME

DEMO = synthetic.DEMO_ID
HOMEWORK = {"policy": "homework", "reveal_after": 2, "deduction": 0.25}


def key_folder(tmp_path: Path, feedback: dict | None) -> Path:
    nb = synthetic.workbook_notebook()
    if feedback is not None:
        nb["metadata"]["innovation_course"]["feedback"] = feedback
    synthetic.save(nb, tmp_path / "key" / f"{DEMO}.ipynb")
    return tmp_path / "key"


def learner(tmp_path: Path, tries, own_policy: dict | None = None) -> Path:
    nb = synthetic.with_answers(synthetic.workbook_notebook(), {"plan-year": "2015", "rd-share": 2.4},
                                {"name": "A", "id": "a"})
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            record = output["data"][MIME]
            if record["question"] != "_identity":
                record["tries"] = tries
    if own_policy is not None:  # a learner's copy claiming another policy: never believed
        nb["metadata"]["innovation_course"]["feedback"] = own_policy
    synthetic.save(nb, tmp_path / "in" / "a.ipynb")
    return tmp_path / "in"


def points(tmp_path: Path, key: Path, inputs: Path, *extra: str) -> dict[str, str]:
    assert main(["grade", str(inputs), "--key", str(key), "--out", str(tmp_path / "out"), "--jobs", "1",
                 "--force", *extra]) == 0
    row = next(csv.DictReader(io.StringIO((tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    return {"plan-year": row["q:plan-year"], "rd-share": row["q:rd-share"]}


def test_the_key_workbooks_homework_policy_takes_points_per_extra_try(tmp_path):
    key = key_folder(tmp_path, HOMEWORK)
    assert load_key(key).policy(DEMO)["deduction"] == 0.25
    inputs = learner(tmp_path, 3, own_policy={"policy": "practice"})
    assert points(tmp_path, key, inputs) == {"plan-year": "0.5", "rd-share": "1"}  # 1 and 2 points, 2 extra tries
    assert points(tmp_path, key, inputs, "--policy", "practice") == {"plan-year": "1", "rd-share": "2"}


def test_without_a_policy_the_learners_claims_change_nothing(tmp_path):
    inputs = learner(tmp_path, 9, own_policy=HOMEWORK)
    assert points(tmp_path, key_folder(tmp_path, None), inputs) == {"plan-year": "1", "rd-share": "2"}
    assert points(tmp_path, key_folder(tmp_path, None), inputs, "--policy", "homework", "--deduction", "0.5") == {
        "plan-year": "0", "rd-share": "0"}


@pytest.mark.parametrize(("given", "answer", "taken"), [
    (3, "x", 3), (0, "x", 1), (-5, "x", 1), ("7", "x", 1), (True, "x", 1), (None, "x", 1), (10**12, "x", 10_000),
    (4, None, 4), (None, None, 0), (2.5, "x", 1)])
def test_tries_are_clamped(given, answer, taken):
    assert tries_of(given, answer) == taken


def test_a_bad_policy_is_one_line(tmp_path, capsys):
    inputs = learner(tmp_path, 1)
    assert main(["grade", str(inputs), "--key", str(key_folder(tmp_path, None)), "--out", str(tmp_path / "out"),
                 "--policy", "homework", "--deduction", "3"]) == 2
    assert capsys.readouterr().err.strip().startswith("grade: --policy: deduction must be")
    key = key_folder(tmp_path, {"policy": "lenient"})
    assert "feedback policy in the metadata not used" in load_key(key).problems[0]
