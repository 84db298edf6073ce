"""The answer journal: a second home for every answer, kept per notebook file.

Each answer change is also written to ``<journals>/<notebook id>.answers.json``, where ``<journals>`` is
``<Jupyter data dir>/innovation-course/journals`` (``~/.local/share/jupyter/...`` on Linux and on a hub; the
environment variable ``INNOVATION_COURSE_JOURNALS`` moves it) and the notebook id is the one the notebook
file carries (see :mod:`ownership`). The journal says which file owns it (``owner``, an absolute path), so a
moved notebook finds its journal wherever it goes and a copy never writes into its original's. A journal is
rewritten whole and atomically (temporary file + :func:`os.replace`) under a lock, so it is never
half-written and two writers never drop each other's records. Reading never raises: a missing, truncated or
foreign journal reads as empty. The journal is data, never code: every record is validated on read.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import records

SCHEMA = "innovation-course/journal"
SCHEMA_VERSION = 1
FOLDER = ".innovation-course"  # the folder of the journals of earlier releases, beside each notebook
MAX_BYTES = 5_000_000  # a journal is a few kB; anything this large is not ours
MAX_JOURNALS = 2000  # journals looked through when a notebook is looked up by its path
NOTEBOOK_ID = re.compile(r"^[0-9a-f]{32}$")
IN_HOME = Path(".local", "share", "jupyter", "innovation-course", "journals")  # journal_dir() in a hub home


def journals_for(home: Path, workbook_id: str, owner_tail: str = "") -> list[Path]:
    """The journals of a workbook in someone's home folder (a hub home, read by the teacher's tools): those in
    the Jupyter data folder, when ``owner_tail`` is given only those of a file whose path ends so, and those
    of earlier releases beside the notebooks (``<folder>/.innovation-course/<workbook>.answers.json``)."""
    found = []
    for candidate in sorted((Path(home) / IN_HOME).glob("*.answers.json"))[:MAX_JOURNALS]:
        data = _load(candidate)
        where = data.get("owner") if data else None
        if data and data.get("workbook") == workbook_id and (
                not owner_tail or (isinstance(where, str) and where.replace(os.sep, "/").endswith("/" + owner_tail))):
            found.append(candidate)
    return found


def journal_dir() -> Path:
    """Where this user's journals live (``INNOVATION_COURSE_JOURNALS``, else the Jupyter data folder)."""
    given = os.environ.get("INNOVATION_COURSE_JOURNALS", "").strip()
    if given:
        return Path(given)
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "innovation-course" / "journals"


def journal_path(notebook_id: str, folder: Path | None = None) -> Path:
    """Where the journal of a notebook lives."""
    if not isinstance(notebook_id, str) or not NOTEBOOK_ID.match(notebook_id):
        raise ValueError(f"{notebook_id!r} is not a notebook id")
    return Path(folder or journal_dir()) / f"{notebook_id}.answers.json"


def read_json(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    """A JSON file's content, or None when it is missing, larger than ``max_bytes`` or not JSON (never raises)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _load(path: Path) -> dict[str, Any] | None:
    data = read_json(path)
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


def read_lines(path: Path) -> dict[str, str]:
    """The answer line last shown for each journaled record (what the saved file shows beside it)."""
    data = _load(Path(path)) or {}
    lines = data.get("lines")
    return {q: t for q, t in lines.items() if isinstance(t, str)} if isinstance(lines, dict) else {}


def owner(notebook_id: str, folder: Path | None = None) -> tuple[str | None, str | None]:
    """(workbook id, absolute path of the notebook file) a journal names; (None, None) when there is none."""
    data = _load(journal_path(notebook_id, folder))
    if data is None:
        return None, None
    found = data.get("owner")
    return data.get("workbook") if isinstance(data.get("workbook"), str) else None, (
        found if isinstance(found, str) and found else None)


def owned_by(path: Path, workbook_id: str, folder: Path | None = None) -> str | None:
    """The id of the notebook whose journal names ``path`` as its file, for ``workbook_id`` (None if none)."""
    wanted = str(path)
    for candidate in sorted(Path(folder or journal_dir()).glob("*.answers.json"))[:MAX_JOURNALS]:
        data = _load(candidate)
        if data and data.get("owner") == wanted and data.get("workbook") == workbook_id:
            return candidate.name.removesuffix(".answers.json")
    return None


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


def _update(notebook_id: str, workbook: str | None, change, folder: Path | None = None) -> None:
    """Read a journal, let ``change(data)`` edit it, and write it back whole (under the lock)."""
    path = journal_path(notebook_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        data = _load(path)
        if data is None or (workbook is not None and data.get("workbook") != workbook):
            if workbook is None:
                return  # nothing to update
            data = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "workbook": workbook, "owner": "",
                    "notebook": "", "records": {}, "lines": {}}
        data["records"] = read_journal(path, data["workbook"]) if isinstance(data.get("records"), dict) else {}
        change(data)
        data["updated_at"] = datetime.now(UTC).isoformat()
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=True, indent=1)  # a path may hold bytes that are not UTF-8
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _set_owner(data: dict, path: Path | str | None) -> None:
    if path:
        data["owner"], data["notebook"] = str(path), Path(path).name


def claim(notebook_id: str, workbook: str, path: Path | None, folder: Path | None = None) -> None:
    """Make (or update) the journal of ``notebook_id`` and name ``path`` as its file."""
    _update(notebook_id, workbook, lambda data: _set_owner(data, path), folder)


def write_record(record: dict, notebook_id: str, path: Path | None = None, line: str | None = None,
                 folder: Path | None = None) -> None:
    """Add or replace one record (and the answer line shown for it) in the journal of a notebook."""
    problem = records.record_problem(record)
    if problem:
        raise ValueError(problem)

    def change(data: dict) -> None:
        data["records"][record["question"]] = record
        lines = data["lines"] if isinstance(data.get("lines"), dict) else {}
        if line is not None:
            lines[record["question"]] = line
        else:
            lines.pop(record["question"], None)
        data["lines"] = lines
        _set_owner(data, path)

    _update(notebook_id, record["workbook"], change, folder)


def moved(old: Path, new: Path, folder: Path | None = None) -> int:
    """A file or folder moved from ``old`` to ``new``: journals owned by it (or by a file in it) follow."""
    count = 0
    before, prefix = str(old), str(old).rstrip(os.sep) + os.sep
    for candidate in sorted(Path(folder or journal_dir()).glob("*.answers.json"))[:MAX_JOURNALS]:
        data = _load(candidate)
        where = data.get("owner") if data else None
        if not isinstance(where, str) or not (where == before or where.startswith(prefix)):
            continue
        target = Path(str(new) + where[len(before):])
        _update(candidate.name.removesuffix(".answers.json"), None, lambda d, t=target: _set_owner(d, t), folder)
        count += 1
    return count


def deleted(path: Path, folder: Path | None = None) -> int:
    """A file or folder was deleted: journals it owned own nothing now (their answers stay readable)."""
    count = 0
    before, prefix = str(path), str(path).rstrip(os.sep) + os.sep
    for candidate in sorted(Path(folder or journal_dir()).glob("*.answers.json"))[:MAX_JOURNALS]:
        data = _load(candidate)
        where = data.get("owner") if data else None
        if isinstance(where, str) and (where == before or where.startswith(prefix)):
            _update(candidate.name.removesuffix(".answers.json"), None, lambda d: d.update(owner=""), folder)
            count += 1
    return count
