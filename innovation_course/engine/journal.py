"""The answer journal: a second home for every answer, beside the notebook.

Each answer change is also written to ``<notebook folder>/.innovation-course/<workbook id>.answers.json``,
rewritten whole and atomically (temporary file + :func:`os.replace`) under a lock, so the file is never
half-written and two writers never drop each other's records. Reading never raises: a missing, truncated or
foreign journal reads as empty. The journal is data, never code: every record is validated on read.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import records

SCHEMA = "innovation-course/journal"
SCHEMA_VERSION = 1
FOLDER = ".innovation-course"
MAX_BYTES = 5_000_000  # a journal is a few kB; anything this large is not ours


def journal_path(folder: Path, workbook_id: str) -> Path:
    """Where the journal of a workbook lives, for a notebook in ``folder``."""
    if not records.ID_SAFE.match(workbook_id):
        raise ValueError(f"{workbook_id!r} is not a workbook id")
    return Path(folder) / FOLDER / f"{workbook_id}.answers.json"


def _load(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("schema_version") != SCHEMA_VERSION:
        return None
    return data


def read_journal(path: Path, workbook_id: str | None = None) -> dict[str, dict]:
    """The records of a journal (question id or ``_identity`` → record); {} when there is no usable journal.

    Records that are not valid answer records, that belong to another workbook than the journal's (or than
    ``workbook_id``), or that are filed under another question id are left out.
    """
    data = _load(Path(path))
    if data is None:
        return {}
    owner = data.get("workbook")
    if not isinstance(owner, str) or (workbook_id is not None and owner != workbook_id):
        return {}
    found = data.get("records")
    if not isinstance(found, dict):
        return {}
    return {qid: record for qid, record in found.items()
            if records.record_problem(record) is None and record["workbook"] == owner and record["question"] == qid}


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock beside ``path`` (POSIX flock; elsewhere the atomic replace alone protects the file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_record(folder: Path, record: dict, notebook: str | None = None) -> None:
    """Add or replace one record in the journal of its workbook (whole-file atomic rewrite)."""
    problem = records.record_problem(record)
    if problem:
        raise ValueError(problem)
    path = journal_path(folder, record["workbook"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        data = _load(path)
        kept = read_journal(path, record["workbook"]) if data is not None else {}
        kept[record["question"]] = record
        if notebook is None and data is not None and isinstance(data.get("notebook"), str):
            notebook = data["notebook"]
        journal = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "workbook": record["workbook"],
                   "notebook": notebook or "", "updated_at": datetime.now(UTC).isoformat(), "records": kept}
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(journal, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
