"""Where a workbook's answers are kept, and which one counts: this kernel's memory, the notebook's answer
journal (:mod:`journal`, found by the notebook's id, see :mod:`ownership`) and the saved notebook file
(:mod:`records`). The newest record wins, so an answer survives Run All, a kernel restart, cleared outputs, a
rename and a move; a copy of the file starts from the answers saved in it.
"""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from . import journal, ownership, records
from .scoring import is_blank
from .session import in_jupyter_session, journal_enabled, notebook_folder, notebook_path, now, session_path

__all__ = ["AnswerStore", "jsonable", "newest", "saved_record"]

#: this kernel's answers and their records, per workbook id, kept when ``Workbook(...)`` is made again (Run All)
_ANSWERS: dict[str, dict[str, Any]] = {}
_RECORDS: dict[str, dict[str, dict]] = {}
_NOTEBOOK_IDS: dict[str, str] = {}  # workbook id → the id of the notebook this kernel runs (kept across Run All)


def jsonable(value: Any) -> Any:
    """An answer as JSON: numpy/pandas scalars to Python, NaN to None, unknown objects to text."""
    if value is None or value is Ellipsis or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy and pandas scalars
        try:
            return jsonable(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)


def newest(*candidates: dict | None) -> dict | None:
    """The record given last (by ``answered_at``); on a tie, or with no times, the earlier candidate wins."""
    found = [(records.record_time(r), -rank, r) for rank, r in enumerate(candidates) if r is not None]
    return max(found, key=lambda item: item[:2])[2] if found else None


class AnswerStore:
    """One workbook's answers in this kernel, with the journal and the saved file behind them."""

    def __init__(self, workbook_id: str, version: str, mode: str) -> None:
        self.workbook_id, self.version, self.mode = workbook_id, version, mode
        self.answers: dict[str, Any] = _ANSWERS.setdefault(workbook_id, {})  # this kernel's answers survive Run All
        self.records: dict[str, dict] = _RECORDS.setdefault(workbook_id, {})
        self._file_cache: dict[Path, tuple[float, records.SavedAnswers]] = {}
        self.journal_problem = ""
        self.notebook_id: str | None = None
        if mode != "solution" and journal_enabled():
            try:
                self.notebook_id = self._resolve_id()
                self._adopt_earlier_journal()
            except (OSError, ValueError) as error:
                self.journal_problem = str(error)

    def _resolve_id(self) -> str:
        """This notebook's id: the one this kernel took before (Run All), else :func:`ownership.claim`'s."""
        known = _NOTEBOOK_IDS.get(self.workbook_id)
        if known is None:
            # no Jupyter session (the journal forced on): the folder and workbook stand for the file
            path = session_path() or (Path.cwd() / f"{self.workbook_id}.ipynb").resolve()
            known = ownership.claim(path, ownership.file_claims(path) if path else None, self.workbook_id)
            _NOTEBOOK_IDS[self.workbook_id] = known
        return known

    def _adopt_earlier_journal(self) -> None:
        """At the first run after an upgrade, the answers an earlier release journaled beside the notebook
        (``.innovation-course/<workbook>.answers.json``, given but perhaps never saved) move into this notebook's
        own journal, once: it has none of its own yet."""
        if journal.read_journal(journal.journal_path(self.notebook_id), self.workbook_id):
            return
        earlier = notebook_folder() / journal.FOLDER / f"{self.workbook_id}.answers.json"
        for record in journal.read_journal(earlier, self.workbook_id).values():
            journal.write_record(record, self.notebook_id)

    # -- the saved notebook file --------------------------------------------------------------------------------
    def read_file(self, path: Path) -> records.SavedAnswers | None:
        """The answers saved in a notebook file (read again only when the file changed)."""
        try:
            mtime = path.stat().st_mtime
            cached = self._file_cache.get(path)
            if cached is None or cached[0] != mtime:
                cached = (mtime, records.read_saved(json.loads(path.read_text(encoding="utf-8"))))
                self._file_cache[path] = cached
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return cached[1]

    def belongs(self, path: Path, strict: bool) -> records.SavedAnswers | None:
        """The file's saved answers when it is this workbook's (``strict``: it must say so; else a file with no
        workbook id counts too)."""
        saved = self.read_file(path)
        if saved is None or saved.workbook not in ((self.workbook_id,) if strict else (None, self.workbook_id)):
            return None
        return saved

    def notebook_file(self) -> Path | None:
        """The saved notebook of this workbook: the file its journal names (Jupyter's moves and renames keep it
        up to date), else Jupyter's session file, else the newest notebook of this workbook in its folder."""
        if not in_jupyter_session():
            return None
        if self.notebook_id is not None:
            _, owner = journal.owner(self.notebook_id)
            if owner is not None and Path(owner).is_file():
                return Path(owner)
        path = notebook_path()
        if path is not None and self.belongs(path, strict=False) is not None:
            return path
        found = []
        for candidate in sorted(notebook_folder().glob("*.ipynb"))[:200]:
            try:
                if (candidate.stat().st_size > 20_000_000
                        or self.workbook_id not in candidate.read_text(encoding="utf-8")):
                    continue
            except (OSError, UnicodeDecodeError):
                continue
            if self.belongs(candidate, strict=False) is not None:
                found.append((candidate.stat().st_mtime, candidate))
        return max(found)[1] if found else None

    def saved_in_file(self) -> records.SavedAnswers | None:
        """The answers in this workbook's saved notebook file, if the kernel can find it."""
        path = self.notebook_file()
        return None if path is None else self.belongs(path, strict=False)

    # -- the journal and this kernel ----------------------------------------------------------------------------
    def journal(self) -> dict[str, dict]:
        """The newest journaled record of each question (none in the teacher's copy)."""
        if self.notebook_id is None:
            return {}
        return journal.read_journal(journal.journal_path(self.notebook_id), self.workbook_id)

    def memory(self, question_id: str) -> dict | None:
        """This kernel's record of a question (None when it only shows an empty widget)."""
        if question_id not in self.answers:
            return None
        record = self.records.get(question_id)
        if record is None or record["answer"] != self.answers[question_id]:  # set directly by other code: newest
            record = records.make_record(self.workbook_id, self.version, question_id, "", self.answers[question_id],
                                         answered_at=now())
        if not records.record_time(record) and is_blank(record["answer"]):
            return None  # only an empty widget shown here: what the journal or the file holds comes first
        return record

    def latest(self, question_id: str) -> dict | None:
        """The newest record of a question among this kernel's memory, the journal and the saved file."""
        saved = self.saved_in_file()
        return newest(self.memory(question_id), self.journal().get(question_id),
                      saved.records.get(question_id) if saved is not None else None)

    def keep(self, record: dict, changed: bool, line: str | None = None) -> dict:
        """Keep a record in this kernel; when the learner changed the answer, write it (and the ``line`` shown for
        it) to the journal too. A learner's answer brought back from the saved file is journaled as well when the
        journal lacks it (a copy starts from the answers saved in it, under a new id): the pre-save hook puts back
        only journaled answers, after Clear Outputs or an interrupt."""
        self.answers[record["question"]] = record["answer"]
        self.records[record["question"]] = record
        if not changed and self.notebook_id is not None and records.record_time(record):
            changed = self.journal().get(record["question"]) != record
        if changed and self.notebook_id is not None:
            try:
                journal.write_record(record, self.notebook_id, line=line)
                self.journal_problem = ""
            except (OSError, ValueError) as error:
                self.journal_problem = str(error)
        return record


def saved_record(question_id: str) -> dict | None:
    """A question's newest saved record when no workbook runs yet: from the session's file and its journal."""
    path = notebook_path()
    if path is None:
        return None
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        saved = records.read_saved(nb)
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return None
    found: list[dict | None] = [saved.records.get(question_id)]
    with contextlib.suppress(OSError, ValueError):
        notebook_id = ownership.claimed_id(nb) or (journal.owned_by(path, saved.workbook) if saved.workbook else None)
        if journal_enabled() and notebook_id and journal.owner(notebook_id)[1] in (None, str(path)):
            found.insert(0, journal.read_journal(journal.journal_path(notebook_id), saved.workbook).get(question_id))
    return newest(*found)
