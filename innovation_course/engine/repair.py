"""An answer shown is an answer saved: what the pre-save hook puts back into a notebook before it is written.

The page can lose an answer's record while the learner still sees the answer, or saw it: a question cell
restored by undo keeps its widget working but its record frozen (the kernel's updates go to the deleted cell);
an interrupt during Run All leaves the later cells blank; Clear Outputs of All Cells empties every cell. Every
answer the learner gave is in the notebook's journal (:mod:`journal`) the moment it is given, so before the
file is written, :func:`repair` puts each journaled record that is newer than the one the notebook holds back
into it: in place of the old record, else into the cell that asks the question, else into the workbook's
setup cell. The saved file then holds what the widgets show, whatever happened to the page.

The notebook is read as data: question ids are found by reading cell sources as text, never by running them.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import journal, ownership, records
from .handin import ASK_ID, MAX_SOURCE, SUBMIT_ID

IDENTITY_CALL = re.compile(r"\bwb\.identity\(\s*\)")
SETUP_CALL = re.compile(r"\bWorkbook\(")
PUT_BACK = "(put back from your answer journal when the notebook was saved; run this cell to see it marked)"


def _source(cell: dict) -> str:
    source = cell.get("source")
    return ("".join(source) if isinstance(source, list) else str(source or ""))[:MAX_SOURCE]


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb.get("cells") or [] if isinstance(c, dict) and c.get("cell_type") == "code"]


def _home(nb: dict, question: str, kind: str) -> dict | None:
    """The cell a question's record belongs in: its ``wb.submit`` (computed) or ``wb.ask`` cell, the identity
    cell, else the workbook's setup cell."""
    cells = _code_cells(nb)
    patterns = [IDENTITY_CALL] if question == records.IDENTITY else [SUBMIT_ID, ASK_ID]
    if kind != "computed":
        patterns = patterns[::-1]
    for pattern in patterns:
        for cell in cells:
            text = _source(cell)
            if (pattern is IDENTITY_CALL and pattern.search(text)) or question in pattern.findall(text):
                return cell
    for cell in cells:
        if SETUP_CALL.search(_source(cell)) or any(ownership.MIME in (o.get("data") or {})
                                                   for o in cell.get("outputs") or [] if isinstance(o, dict)):
            return cell
    return cells[0] if cells else None


def _newer(found: dict, held: dict | None) -> bool:
    """A journaled record is newer than the one the notebook holds (a record without a time is the oldest)."""
    return held is None or (found != held and records.record_time(found) > records.record_time(held))


def workbook_of(nb: dict) -> str | None:
    """The workbook a notebook belongs to: its metadata or its records, else its notebook id's journal."""
    saved = records.read_saved(nb)
    if saved.workbook:
        return saved.workbook
    claimed = ownership.claimed_id(nb)
    return journal.owner(claimed)[0] if claimed else None


def repair(nb: dict, path: Path) -> list[str]:
    """Before ``nb`` is written to ``path``: record the notebook's id in its metadata (:func:`ownership.claim`)
    and put back every journaled answer newer than the one it holds. Returns the question ids put back."""
    workbook = workbook_of(nb)
    if workbook is None or not _code_cells(nb):
        return []
    claimed = ownership.claimed_id(nb)
    if claimed is None and journal.owned_by(path, workbook) is None:
        return []  # no kernel has kept answers for this file: nothing to put back, no id to give it
    notebook_id = ownership.claim(path, claimed, workbook)
    meta = nb.setdefault("metadata", {}).setdefault(records.METADATA_KEY, {})
    if isinstance(meta, dict):
        meta[ownership.ID_KEY] = notebook_id
    for cell in _code_cells(nb):  # a copy forked at this save: its announcement names the new id too
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and isinstance(data.get(ownership.MIME), dict):
                data[ownership.MIME] = {**data[ownership.MIME], ownership.ID_KEY: notebook_id}
    where = journal.journal_path(notebook_id)
    journaled, lines = journal.read_journal(where, workbook), journal.read_lines(where)
    held = records.read_saved(nb).records
    put_back = []
    for question, record in journaled.items():
        if not _newer(record, held.get(question)):
            continue
        line = lines.get(question) or f"Answer to {question}: {records.answer_line(record['answer'])} {PUT_BACK}"
        bundle = records.bundle(record, line)
        replaced = False
        for cell in _code_cells(nb):
            for output in cell.get("outputs") or []:
                data = output.get("data") if isinstance(output, dict) else None
                if isinstance(data, dict) and isinstance(data.get(records.MIME), dict) and (
                        data[records.MIME].get("question") == question):
                    output["data"] = dict(bundle)
                    replaced = True
        if not replaced:
            cell = _home(nb, question, str(record.get("kind", "")))
            if cell is None:
                continue
            cell.setdefault("outputs", []).append({"output_type": "display_data", "metadata": {}, "data": bundle})
        put_back.append(question)
    return put_back
