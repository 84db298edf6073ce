"""Exams of their own: ``innovation-course build --exam DIR --roster CSV [--bank solutions/exam]``.

The exam bank is the teacher's: a folder (``solutions/exam/`` by default) of workbook notebooks marked
``metadata.innovation_course.exam_bank = true``, with the Python module of their own question templates beside
them (imported as ``findings`` in a cell tagged ``solution-only``). Its workbook and question ids are its own,
never those of the public workbooks, so no salt or hint of the learner edition points at them.

Each learner of the roster gets their own copy, ``DIR/<learner id>/<notebook>``: every template question is asked
as that learner's variant, in literals (prompt, options, unit, tolerance and the variant's parameters), chosen
with the exam's secret (see ``exam_secret``). A copy
carries no answer, hashed key, explanation, hint or template, so there is nothing in it to crack, and it gives
no feedback. The grader works out each learner's variant again from the account it identifies and the same
secret, and flags an answer to a variant that is not that learner's (see ``grading.versions``).

Why copies per learner, and not one copy for all: a learner's kernel cannot choose a variant with a secret it
must not hold, so one shared copy would have to carry every variant (and a class could share out the work
of solving them all) or choose variants without a secret (anyone could work out anyone's). Per-learner copies
carry one variant each; they need a roster at build time and a way to hand each learner their own file (a hub
puts it in their home; an LMS needs one file per learner), and a learner added later needs a new build (the
others' copies come out the same).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat

from ..engine import records
from ..engine.questions import Question
from ..engine.spec import SpecError, parse_workbook
from ..engine.templates import own_variant
from . import ROOT

BANK = ROOT / "solutions" / "exam"
SHIPPED_PACKAGES = ("innovation_course",)
#: what an exam copy must never hold (checked on every copy written)
KEY_MARKS = ("answer=", "key=", "sha256-v1", "explanation=", "hints=", "template=", "rubric=", "sealed(")


class ExamError(SpecError):
    """The exam cannot be built; the message says why."""


def is_exam_bank(nb: dict) -> bool:
    """Whether a notebook belongs to the teacher's exam bank (``metadata.innovation_course.exam_bank``)."""
    meta = (nb.get("metadata") or {}).get(records.METADATA_KEY) or {}
    return isinstance(meta, dict) and meta.get("exam_bank") is True


def bank_notebooks(bank: Path) -> list[Path]:
    """The exam bank's notebooks (checkpoints skipped)."""
    return sorted(p for p in Path(bank).glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def check_bank(bank: dict[str, tuple[dict, Path]], public_ids: dict[str, set[str]]) -> None:
    """The bank's workbooks are marked as such, their ids are their own, and their templates are not in the course
    package (which learners get)."""
    public_questions = set().union(*public_ids.values()) if public_ids else set()
    for workbook, (nb, path) in bank.items():
        spec = parse_workbook(nb)
        if not is_exam_bank(nb):
            raise ExamError(f"{path.name}: not marked as exam bank (metadata.innovation_course.exam_bank = true)")
        if workbook in public_ids:
            raise ExamError(f"{path.name}: workbook id {workbook!r} is a public workbook's; give the exam its own")
        shared = sorted(set(spec.questions) & public_questions)
        if shared:
            raise ExamError(f"{path.name}: question ids {shared} are also in the public workbooks; give them ids "
                            "of their own")
        for question in spec.questions.values():
            module = getattr(question.template, "module", "") or ""
            if module.split(".")[0] in SHIPPED_PACKAGES:
                raise ExamError(f"{path.name}: question {question.id!r} uses template {question.template.name!r} "
                                f"from {module}, which learners get: exam templates live in the bank's own module")


def public_question_ids(solutions: Path) -> dict[str, set[str]]:
    """Workbook id → question ids of the public workbooks (``solutions/ex*.ipynb``)."""
    found = {}
    for path in sorted(Path(solutions).glob("ex*.ipynb")):
        spec = parse_workbook(nbformat.read(path, as_version=4))
        found[spec.id] = set(spec.questions)
    return found


def keyless(nb: nbformat.NotebookNode, origin: str) -> None:
    """Raise ExamError if an exam copy holds anything of a key."""
    for index, cell in enumerate(nb.cells):
        found = [mark for mark in KEY_MARKS if mark in cell.source]
        if found:
            raise ExamError(f"{origin}: cell {index + 1} of the exam copy holds {found}; not written")


def chooser(learner_id: str, workbook: str, secret: bytes) -> Callable[[Question], Question]:
    """The function that makes a template question into ``learner_id``'s exam variant."""
    return lambda question: own_variant(question, learner_id, workbook, secret)


def finish_copy(copy: nbformat.NotebookNode, learner_id: str, origin: str) -> nbformat.NotebookNode:
    """An exam copy as handed out: whose it is, said at the top and in its metadata; checked to hold no key."""
    copy.cells.insert(0, nbformat.v4.new_markdown_cell(
        f"*This exam copy is for learner ID **{learner_id}**: type that ID below. If it is not yours, tell your "
        "teacher before you start.*", id="exam-copy-for"))  # a fixed id: the same copy at every build
    copy.metadata[records.METADATA_KEY]["exam_for"] = learner_id
    keyless(copy, origin)
    return copy
