"""The hand-in check's findings and the words it says to the learner."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HandIn:
    """What the hand-in check found: the saved file, and which answers it lacks."""

    notebook: str | None
    answered: list[str] = field(default_factory=list)
    not_saved: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    identity_missing: bool = False
    journal_problem: str = ""

    def message(self) -> str:
        """The check's words for the learner, one short paragraph per finding."""
        lines = []
        n = len(self.answered)
        if not self.answered and not self.unanswered:
            return ("No question has run in this kernel yet, so there is nothing to compare: choose Run ▸ Run All "
                    "Cells, then read this check again.")
        if self.notebook is None:
            lines.append(f"This kernel cannot see the notebook file, so it cannot check what is saved: {n} "
                         f"answer{'s' if n != 1 else ''} given here. Save the notebook (Ctrl+S / ⌘+S) before "
                         "you hand it in.")
        elif self.not_saved:
            k = len(self.not_saved)
            lines.append(f"⚠ {k} answer{'s are' if k != 1 else ' is'} not in the saved file yet: press Ctrl+S "
                         f"(⌘+S) to save, then run this cell again. Not saved yet: {', '.join(self.not_saved)}.")
        else:
            lines.append(f"✔ All {n} answer{'s are' if n != 1 else ' is'} saved in {self.notebook}.")
        if self.unanswered:
            lines.append(f"○ Not answered yet: {', '.join(self.unanswered)}.")
        if self.identity_missing:
            lines.append("⚠ Your name and learner ID are empty: fill them in at the top of the workbook.")
        if self.journal_problem:
            lines.append(f"⚠ The answer journal could not be written ({self.journal_problem}); save often.")
        return "\n\n".join(lines)
