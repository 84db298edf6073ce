"""The exercise engine stands on its own: a second, tiny course on another subject (CO2 at Mauna Loa,
tests/second_course/, its own data file and findings) uses only ``innovation_course.engine`` and the classroom
tools. It is built, answered in a kernel, released and graded, end to end."""

from __future__ import annotations

import ast
import csv
import io
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from innovation_course.classroom import release
from innovation_course.classroom.cli import main
from innovation_course.engine import records

COURSE = Path(__file__).resolve().parent / "second_course"
NAME = "ex01_co2_basics.ipynb"
WHO = {"name": "Ada Lovelace", "id": "CO2-7"}
#: run in the learner's kernel after Run All: what clicking and typing in the widgets does
ANSWER = """
import ipywidgets as w
live = list(w.widgets.widget._instances.values())
for box in live:
    if isinstance(box, w.Text) and box.description == "Your name:":
        box.value = {name!r}
    elif isinstance(box, w.Text) and box.description == "Learner ID:":
        box.value = {id!r}
    elif isinstance(box, w.RadioButtons):
        box.value = "1959"
    elif isinstance(box, w.Text) and box.description != "Learner ID:":
        box.value = {rise!r}
"""


@pytest.fixture
def course(tmp_path, monkeypatch) -> Path:
    """A copy of the second course, importable here and in the kernels this test starts."""
    root = tmp_path / "course"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("PYTHONPATH", str(root))
    for name in ("JPY_SESSION_NAME", "INNOVATION_COURSE_JOURNAL", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    return root


def test_the_second_course_imports_nothing_of_the_first_but_the_engine():
    for path in COURSE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        assert not [m for m in imported if m.startswith("innovation_course")], path
    solution = nbformat.read(COURSE / "solutions" / NAME, as_version=4)
    code = "\n".join(c.source for c in solution.cells if c.cell_type == "code")
    assert "from innovation_course.engine.workbook import Workbook" in code
    assert "innovation_course.content" not in code and "from innovation_course import" not in code


def answer_in_a_kernel(workbook: Path, rise: float) -> Path:
    """Run All, give the answers through the widgets, and save: the file a learner hands in."""
    nb = nbformat.read(workbook, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(workbook.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        clicks = nbformat.v4.new_code_cell(ANSWER.format(rise=str(rise), **WHO))
        nb.cells.append(clicks)
        client.execute_cell(clicks, len(nb.cells) - 1)
        nb.cells.pop()  # the learner's clicks are not a cell of the file
    saved = workbook.with_name("handed-in.ipynb")
    nbformat.write(nb, saved)
    return saved


def test_built_answered_released_and_graded_end_to_end(course, tmp_path):
    from co2course import findings

    # build: the learner's copy has hashed keys and no answers
    assert main(["build", "--solutions", str(course / "solutions"), "--out", str(course / "exercises")]) == 0
    built = (course / "exercises" / NAME).read_text(encoding="utf-8")
    rise = findings.rise_ppm(1959, 2025)
    assert "sha256-v2" in built and f"answer={rise}" not in built and "answer=" not in built

    # answered in a kernel, through the widgets
    handed_in = answer_in_a_kernel(course / "exercises" / NAME, rise)
    saved = records.read_saved(nbformat.read(handed_in, as_version=4))
    assert saved.workbook == "co2-basics" and not saved.problems
    assert saved.identity == WHO
    assert saved.answers == {"first-year": "1959", "rise": str(rise)}

    # released: the learner edition has the workbook and the data, never the solutions
    files = release.stage(tmp_path / "edition", root=course, packages=("co2course",))
    assert f"exercises/{NAME}" in files and "data/co2-annmean-mlo.csv" in files and "co2course/findings.py" in files
    assert not [f for f in files if f.startswith("solutions/")]
    assert "answer=" not in (tmp_path / "edition" / "exercises" / NAME).read_text(encoding="utf-8")

    # graded against the teacher's solutions: both answers right
    out = tmp_path / "marks"
    assert main(["grade", str(handed_in), "--key", str(course / "solutions"), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["learner_id"], r["q:first-year"], r["q:rise"], r["total"], r["max"]) for r in rows] == [
        ("CO2-7", "1", "1", "2", "2")]


def test_a_wrong_answer_scores_nothing(course, tmp_path):
    from co2course import findings

    assert main(["build", "--solutions", str(course / "solutions"), "--out", str(course / "exercises")]) == 0
    handed_in = answer_in_a_kernel(course / "exercises" / NAME, findings.rise_ppm(1959, 2025) + 5)
    out = tmp_path / "marks"
    assert main(["grade", str(handed_in), "--key", str(course / "solutions"), "--out", str(out)]) == 0
    row = next(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert (row["q:first-year"], row["q:rise"], row["total"]) == ("1", "0", "1")


def test_the_engine_runs_without_the_course_content_installed(course, tmp_path):
    """In a fresh interpreter that cannot import the content or classroom layers, the workbook still runs."""
    script = tmp_path / "blocked.py"
    script.write_text(
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.startswith(('innovation_course.content', 'innovation_course.classroom')):\n"
        "            raise ImportError(f'blocked: {name}')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from innovation_course.engine.workbook import Workbook\n"
        "from co2course import findings\n"
        "wb = Workbook('co2-basics', mode='solution')\n"
        "wb.ask(id='rise', kind='numeric', prompt='?', answer=findings.rise_ppm(1959, 2025), tolerance=0.5)\n"
        "print(sorted(wb.questions), wb.total)\n")
    done = subprocess.run([str(Path(__import__("sys").executable)), str(script)], capture_output=True, text=True,
                          cwd=course)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['rise'] (1.0, 1.0)"
