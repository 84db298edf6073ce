"""What must never reach learners, read from the teacher's notebooks (never typed here): shared by the learner
edition's tests (test_release.py) and the website's (test_site.py).

The answers come from ``solutions/`` and from the lessons' self-checks in ``notebooks/``: each question's
``answer=``/``rubric=`` source text, its written answers, model answers, rubrics and explanations, and the code
of every solution block.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from innovation_course.classroom import release
from innovation_course.classroom.build import SOLUTION_BLOCK

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "solutions").glob("ex*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
MIN_TEXT = 12  # shorter strings ("Ten", "Yes") are options shown to every learner anyway


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    return []


def secrets_of(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """What must never reach learners from one teacher's notebook: text that must appear nowhere (answer and
    rubric source, explanations, model answers of written questions, solution code), and per question the
    answer values that must not appear in its own cell (a written answer may be a name the lesson teaches)."""
    nb = nbformat.read(path, as_version=4)
    anywhere, in_cell = [], {}
    for call, _ in release.lesson_calls(nb):  # lessons may compute a prompt when they run
        source = "".join(nb.cells[call.cell].source)
        shown = {*strings(call.spec.get("options")), *strings(call.spec.get("pairs"))}
        asked = " ".join(strings([call.spec.get("prompt"), call.spec.get("hints")]))
        for keyword in call.node.keywords:
            if keyword.arg in ("answer", "rubric"):
                anywhere.append(f"{keyword.arg}={ast.get_source_segment(source, keyword.value)}")
        anywhere += [s for s in strings(call.spec.get("explanation")) if len(s) >= MIN_TEXT]
        anywhere += [s for s in strings(call.spec.get("rubric")) if len(s) >= MIN_TEXT]
        if call.spec.get("kind") == "free":
            anywhere += [s for s in strings(call.spec.get("answer")) if len(s) >= MIN_TEXT]
        in_cell[call.spec["id"]] = [s for s in strings(call.spec.get("answer")) if s not in shown and s not in asked]
    for cell in nb.cells:
        for match in SOLUTION_BLOCK.finditer("".join(cell.source)):
            anywhere += [line.strip() for line in match.group(2).splitlines() if len(line.strip()) >= MIN_TEXT]
    return anywhere, in_cell



def hints_of(path: Path) -> list[str]:
    """The hints of a teacher's notebook's questions (learners see them only after a wrong answer)."""
    nb = nbformat.read(path, as_version=4)
    return [s for call, _ in release.lesson_calls(nb) for s in strings(call.spec.get("hints")) if len(s) >= MIN_TEXT]
