"""A learner's workbook saved with an earlier release still opens, re-runs and grades the same today.

The fixture (tests/fixtures/release-79cf186/, made by its make_fixture.py) is ex01 answered in JupyterLab with
release 79cf186, the last one before the package moved into engine/content/classroom, and graded by that
release's grader (gradebook-79cf186.csv), with that release's built workbook as the key (key/).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from innovation_course.classroom.cli import main
from innovation_course.engine import records

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "release-79cf186"
NAME = "ex01_policy_framework.ipynb"
#: what a gradebook row says of the learner and the marks (not where the file was)
COMPARED = ("learner_id", "name", "identified_by", "typed_id", "workbook", "workbook_version", "total", "max",
            "percent", "status", "reason")


def saved(path: Path) -> records.SavedAnswers:
    return records.read_saved(nbformat.read(path, as_version=4))


def gradebook(path: Path, out: Path) -> dict[str, str]:
    assert main(["grade", str(path), "--key", str(FIXTURE / "key" / NAME), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    return rows[0]


def expected() -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO((FIXTURE / "gradebook-79cf186.csv").read_text(encoding="utf-8-sig"))))
    return rows[0]


def marks(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k.startswith("q:") or k in COMPARED}


def test_the_old_file_reads_and_grades_as_its_release_graded_it(tmp_path):
    old = saved(FIXTURE / NAME)
    assert old.workbook == "ex01-policy-framework" and not old.problems
    assert old.identity == {"name": "Li Hua 李华", "id": "S-2025-042"}
    assert len([a for a in old.answers.values() if a not in (None, "", [], {})]) >= 8
    assert marks(gradebook(FIXTURE / NAME, tmp_path / "out")) == marks(expected())


def test_the_old_file_reruns_with_todays_package_and_keeps_its_answers(tmp_path, monkeypatch):
    """Run All in a new kernel (the learner reopens last term's file): every answer comes back from the file
    and is written into the outputs again, and the re-run file grades the same."""
    copy = tmp_path / NAME
    shutil.copy(FIXTURE / NAME, copy)
    monkeypatch.setenv("JPY_SESSION_NAME", str(copy))  # as Jupyter tells a kernel its notebook
    monkeypatch.setenv("INNOVATION_COURSE_JOURNAL", "0")
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   allow_errors=False).execute()
    rerun = tmp_path / "rerun.ipynb"
    nbformat.write(nb, rerun)
    before, after = saved(FIXTURE / NAME), saved(rerun)
    assert after.workbook == before.workbook and not after.problems
    assert after.answers == before.answers
    assert after.identity == before.identity
    assert marks(gradebook(rerun, tmp_path / "out")) == marks(expected())


@pytest.mark.parametrize("name", ["innovation_course.workbook", "innovation_course.findings",
                                  "innovation_course.data", "innovation_course.charts", "innovation_course.explore",
                                  "innovation_course.timeline", "innovation_course.regions", "innovation_course.brief",
                                  "innovation_course.grading.cli", "innovation_course.findings.rd"])
def test_every_old_name_imports_the_module_that_holds_it_now(name):
    import importlib

    from innovation_course.names import current_name

    old, new = importlib.import_module(name), importlib.import_module(current_name(name))
    assert old is new and old.__name__ == current_name(name) and old.__spec__.name == current_name(name)
