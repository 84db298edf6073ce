"""One notebook file, one set of answers: the notebook id that a copy forks and a move keeps.

A notebook of a workbook carries an id: the kernel that runs it announces it in the setup cell's output
(:data:`MIME`, beside the workbook's summary line), and the course's pre-save hook writes it into the file's
metadata (``metadata.innovation_course.notebook_id``), where it survives cleared outputs. The answer journal
is kept per id and names the file that owns it (:mod:`journal`), so:

* a **move or rename** keeps the id: Jupyter's own moves update the journal's owner at once (the server
  extension listens to them), and a file moved any other way still carries its id, whose owner file is gone;
* a **copy** (File ▸ Duplicate, copy and paste, a download uploaded again) carries the id of a file that
  still exists and still claims it: the copy takes a new id and starts from the answers saved in it, and the
  original never sees the copy's answers;
* a file that claims no id yet (a workbook just handed out) takes the id whose journal names its path, or a
  new one.

:func:`claim` decides, the same way in the kernel (when the workbook is made) and in the pre-save hook.
Nothing in the file is run: the id is read as a string and must look like one.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from . import journal, records

MIME = "application/vnd.innovation-course.notebook+json"
ID_KEY = "notebook_id"
MAX_BYTES = 50_000_000


def new_id() -> str:
    return uuid.uuid4().hex


def _valid(value: object) -> str | None:
    return value if isinstance(value, str) and journal.NOTEBOOK_ID.match(value) else None


def announced_id(nb: dict) -> str | None:
    """The id a kernel announced in the notebook's outputs (the last one wins), else None."""
    found = None
    for cell in nb.get("cells") or []:
        for output in (cell.get("outputs") or []) if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and isinstance(data.get(MIME), dict):
                found = _valid(data[MIME].get(ID_KEY)) or found
    return found


def metadata_id(nb: dict) -> str | None:
    meta = (nb.get("metadata") or {}).get(records.METADATA_KEY)
    return _valid(meta.get(ID_KEY)) if isinstance(meta, dict) else None


def claimed_id(nb: dict) -> str | None:
    """The id a notebook claims: the kernel's announcement (newest), else its metadata."""
    return announced_id(nb) or metadata_id(nb)


def file_claims(path: Path) -> str | None:
    """The id the notebook file at ``path`` claims (None when it cannot be read)."""
    nb = journal.read_json(path, MAX_BYTES)
    return claimed_id(nb) if isinstance(nb, dict) else None


def claim(path: Path | None, claimed: str | None, workbook: str, folder: Path | None = None) -> str:
    """The id of the notebook file at ``path`` (which claims ``claimed``), recorded as the owner of its journal.

    ``claimed`` is taken when no journal names another file, or when the file that journal names is gone or
    claims another id now (a move). When another file still claims it, the file at ``path`` is a copy: it
    keeps the id already made for it (a journal naming ``path``), or gets a new one."""
    if claimed is not None:
        owner_workbook, owner_path = journal.owner(claimed, folder)
        elsewhere = owner_path is not None and path is not None and owner_path != str(path)
        if owner_workbook in (None, workbook) and not (elsewhere and file_claims(Path(owner_path)) == claimed):
            journal.claim(claimed, workbook, path, folder)
            return claimed
    mine = journal.owned_by(path, workbook, folder) if path is not None else None
    chosen = mine or new_id()
    journal.claim(chosen, workbook, path, folder)
    return chosen
