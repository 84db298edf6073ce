"""The hand-in check's findings, and the words it (and the summary line at the top of a workbook) says."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field

from . import records, scoring
from .scoring import apply_policy, is_blank

ASK_ID = re.compile(r"""\bwb\.ask\(\s*id\s*=\s*["']([a-z0-9][a-z0-9.\-]{0,63})["']""")
SUBMIT_ID = re.compile(r"""\bwb\.submit\(\s*["']([a-z0-9][a-z0-9.\-]{0,63})["']""")
MAX_SOURCE = 20_000  # characters of a cell read for its question ids


def asked_ids(nb: dict) -> list[str]:
    """The question ids a notebook's cells ask, read as text (never run), in order."""
    found: list[str] = []
    for cell in nb.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        text = ("".join(source) if isinstance(source, list) else str(source or ""))[:MAX_SOURCE]
        found += [q for q in ASK_ID.findall(text) if q not in found]
    return found


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def _points(value: float) -> str:
    return f"{value:g} point{'s' if value != 1 else ''}"


@dataclass
class HandIn:
    """What the hand-in check found: per question, and the saved file."""

    notebook: str | None
    total: int = 0                                        # questions of the workbook
    answered: list[str] = field(default_factory=list)     # answered and readable
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (question, why it cannot be marked)
    unanswered: list[str] = field(default_factory=list)
    not_shown: list[str] = field(default_factory=list)    # answered, but their cells have not run in this kernel
    not_saved: list[str] = field(default_factory=list)    # given here, not in the saved file yet
    not_checked: list[str] = field(default_factory=list)  # homework: waiting for "Check my answer"
    points: float = 0.0                                   # auto-marked points so far
    auto_points: float = 0.0                              # points this notebook can mark
    teacher_points: float = 0.0                           # points the teacher marks (free responses, exams)
    exam: bool = False
    file_checked: bool = True                             # False: the saved file was not read
    identity_missing: bool = False
    journal_problem: str = ""

    def _given(self) -> int:
        return len(self.answered) + len(self.unreadable) + len(self.not_shown)

    def _marks(self) -> str:
        if self.exam:
            return "your teacher marks every answer"
        text = f"{self.points:g} of {_points(self.auto_points)} so far (marked here)"
        if self.teacher_points:
            text += f"; {_points(self.teacher_points)} for your teacher to mark"
        return text

    def summary(self) -> str:
        """One line for the top of the workbook, kept up to date as answers change."""
        parts = [f"**Your progress:** {self._given()} of {self.total} questions answered", self._marks()]
        if self.unreadable:
            parts.append(f"⚠ not understood: {_names([q for q, _ in self.unreadable])} (see the question)")
        if self.not_checked:
            parts.append(f"◐ waiting for “Check my answer”: {_names(self.not_checked)}")
        if self.not_shown:
            parts.append(f"⚠ {len(self.not_shown)} answered question{'s are' if len(self.not_shown) != 1 else ' is'}"
                         " not shown on this page: choose Run ▸ Run All Cells")
        if self.identity_missing:
            parts.append("⚠ your name and learner ID are empty")
        return " · ".join(parts) + ". Save (Ctrl+S / ⌘+S) to keep your answers in this file."

    def message(self) -> str:
        """The check's words for the learner, one short paragraph per finding."""
        if not self.total and not self._given():
            return ("No question has run in this kernel yet, so there is nothing to compare: choose Run ▸ Run All "
                    "Cells, then read this check again.")
        given = self._given()
        lines = []
        if self.notebook is None:
            lines.append(f"This kernel cannot see the notebook file, so it cannot check what is saved: {given} "
                         f"answer{'s' if given != 1 else ''} given here. Save the notebook (Ctrl+S / ⌘+S) before "
                         "you hand it in.")
        elif self.not_saved:
            k = len(self.not_saved)
            lines.append(f"⚠ {k} answer{'s are' if k != 1 else ' is'} not in the saved file yet: press Ctrl+S "
                         f"(⌘+S) to save, then run this cell again. Not saved yet: {_names(self.not_saved)}.")
        elif given:
            lines.append(f"✔ The saved file {self.notebook} holds all {given} answer{'s' if given != 1 else ''} "
                         "given here.")
        else:
            lines.append(f"○ No question is answered yet: the saved file {self.notebook} holds no answer.")
        lines.append(f"Answered: {given} of {self.total} questions.")
        if self.unreadable:
            why = "; ".join(f"{q}: {reason}" for q, reason in self.unreadable)
            them = "them" if len(self.unreadable) > 1 else "it"
            lines.append(f"⚠ Not understood, so worth 0 points until you change {them}: {why}.")
        if self.unanswered:
            lines.append(f"○ Not answered yet: {_names(self.unanswered)}.")
        if self.not_shown:
            lines.append(f"⚠ Answered but not shown on this page (their cells have not run in this kernel): "
                         f"{_names(self.not_shown)}. Choose Run ▸ Run All Cells to see them and to have them marked.")
        if self.not_checked:
            lines.append(f"◐ Not marked yet: press “Check my answer” under {_names(self.not_checked)}.")
        lines.append(f"Points: {self._marks()}.")
        if self.identity_missing:
            lines.append("⚠ Your name and learner ID are empty: fill them in at the top of the workbook.")
        if self.journal_problem:
            lines.append(f"⚠ The answer journal could not be written ({self.journal_problem}); save often.")
        return "\n\n".join(lines)


def findings(wb, read_file: bool = True) -> HandIn:
    """What the hand-in check finds: every question answered, unanswered, not understood (and why), not shown
    on this page, waiting for a check, and (``read_file``) not in the saved notebook file yet; the points."""
    path = wb.notebook_file()
    saved = wb.store.belongs(path, strict=False) if path is not None and read_file else None
    status = HandIn(notebook=path.name if path is not None else None, journal_problem=wb.journal_problem,
                    exam=wb.mode == "exam", file_checked=read_file)
    known = list(wb.questions)
    if path is not None:
        with contextlib.suppress(OSError, ValueError, UnicodeDecodeError):
            known += [q for q in asked_ids(json.loads(path.read_text(encoding="utf-8"))) if q not in known]
    known += [q for q in [*wb.answers, *wb.store.journal()] if q != records.IDENTITY and q not in known]
    status.total = len(known)
    for qid in known:
        question = wb.questions.get(qid)
        answer = wb.answers.get(qid) if qid in wb.answers else wb.previous_answer(qid)
        if question is None:  # its cell has not run in this kernel
            (status.not_shown if not is_blank(answer) else status.unanswered).append(qid)
            if saved is not None and not is_blank(answer) and saved.answers.get(qid) != answer:
                status.not_saved.append(qid)
            continue
        result = wb.result(question, answer)
        if not question.auto_graded:
            status.teacher_points += question.points
        elif wb.mode != "exam":
            status.auto_points += question.points
        if result.status == scoring.MISSING:
            status.unanswered.append(qid)
            continue
        if result.status == scoring.INVALID:
            status.unreadable.append((qid, result.detail or "the answer cannot be read"))
        else:
            status.answered.append(qid)
        record = wb._records.get(qid) or {}
        if wb._waiting(result, record):
            status.not_checked.append(qid)
        elif result.status != scoring.INVALID:
            status.points += apply_policy(result, wb.feedback, records.record_tries(record)).points
        if saved is not None and saved.answers.get(qid) != answer:
            status.not_saved.append(qid)
    status.points = round(status.points, 2)
    if wb._identity_asked:
        who = wb.answers.get(records.IDENTITY) or {}
        status.identity_missing = not (who.get("name") or who.get("id"))
        if saved is not None and {k: v for k, v in who.items() if v} != {
                k: v for k, v in (saved.identity or {}).items() if v}:
            status.not_saved.insert(0, "your name and ID")
    return status
