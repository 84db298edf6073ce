"""Learners' home folders on a hub, read as data: the one way ``collect`` and ``pulse`` walk a home and read
what is in it.

* A home is ``HOMES/<user>``; the folder's name must be a hub user name exactly (:func:`user_problem`:
  ``alice\\n`` is not ``alice``), and the home itself may not be a link.
* Walking never follows a link to a folder. A file is read only when it is a regular file whose real place
  is inside the same home (:func:`~innovation_course.grading.safe_read.read_regular`): a link to a
  classmate's workbook, to ``/dev/zero`` or round in a loop, a FIFO, is refused with its reason.
* One file is one file whatever its names: :class:`Owners` sees every (device, inode) in every home first,
  so a file hard-linked into two homes counts for neither (reported), and names of one file inside one
  home are read once.
* Journals (this release's, in the home's Jupyter data folder, :func:`data_dir_journals`; and earlier
  releases', ``.innovation-course/<workbook>.answers.json`` beside the notebooks) are parsed here from the bytes
  read, validated record by record as :func:`innovation_course.engine.journal.read_journal` does, never by
  opening the path again.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...engine import records
from ...engine.journal import IN_HOME as JOURNALS_IN_HOME
from ...engine.journal import MAX_JOURNALS
from ..grading.safe_read import Unreadable, file_key, load_json, safe_name

JOURNAL_FOLDER = ".innovation-course"
JOURNAL_SCHEMA, JOURNAL_VERSION = "innovation-course/journal", 1
USER_NAME = re.compile(r"[\w.@+-]{1,128}")  # JupyterHub user names that can be folder names
SKIPPED = {".ipynb_checkpoints", "__pycache__", ".git", "node_modules"}
MAX_FILES = 20_000  # files looked at in one home per walk


def user_problem(name: str) -> str | None:
    """Why a home folder's name is not a hub user name (matched exactly, whole name), or None."""
    shown, odd = safe_name(name)
    if odd or not USER_NAME.fullmatch(name) or name.startswith("."):
        return f"{shown!r}: not a hub user name; skipped"
    return None


def homes_of(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Every home folder under ``root`` (sorted), with why it is skipped (None: a home to read). Hidden
    entries are left out silently; a link, a file or a name that is not a user name is reported."""
    for home in sorted(root.iterdir()):
        if home.name.startswith("."):
            continue
        if home.is_symlink():
            yield home, f"{safe_name(home.name)[0]}: the home folder is a symbolic link; refused"
        elif not home.is_dir():
            continue
        else:
            yield home, user_problem(home.name)


def walk_home(home: Path, journals: bool = False) -> Iterator[tuple[Path, str]]:
    """(path, name relative to the home as it may be shown) of the files of a home, sorted; links to folders
    are not followed, hidden folders skipped (but for the journal folder when ``journals``). At most
    MAX_FILES files."""
    count = 0
    for folder, dirs, files in os.walk(home, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not (here / d).is_symlink()
                         and (not d.startswith(".") or (journals and d == JOURNAL_FOLDER)))
        for name in sorted(files):
            count += 1
            if count > MAX_FILES:
                return
            path = here / name
            yield path, safe_name(path.relative_to(home).as_posix())[0]


class Owners:
    """Where each file (device, inode) has names: in which homes, and how many names in all. A file in more
    than one home, or with a name outside the homes (more links than names found), is nobody's. The names
    are looked at again before a file is refused, since a file replaced meanwhile frees its inode for
    another (a journal is rewritten whole on every answer)."""

    def __init__(self) -> None:
        self.names: dict[tuple[int, int], list[tuple[str, Path]]] = defaultdict(list)

    def add_home(self, user: str, home: Path) -> None:
        """Every regular file of a folder under HOMES, hidden ones too (a hard link hides anywhere)."""
        count = 0
        for folder, _, files in os.walk(home, followlinks=False):
            for name in files:
                count += 1
                if count > MAX_FILES:
                    return
                with contextlib.suppress(OSError):
                    info = os.lstat(Path(folder) / name)
                    if stat.S_ISREG(info.st_mode):
                        self.names[file_key(info)].append((user, Path(folder) / name))

    def _current(self, key: tuple[int, int]) -> list[tuple[str, Path]]:
        """The names recorded for a file that still name it."""
        current = []
        for user, path in self.names.get(key, ()):
            with contextlib.suppress(OSError):
                if file_key(os.lstat(path)) == key:
                    current.append((user, path))
        return current

    def problem(self, info: os.stat_result) -> str | None:
        """Why a file may count for nobody (None: it is the one home's own)."""
        key = file_key(info)
        names = self.names.get(key, ())
        if len({user for user, _ in names}) < 2 and info.st_nlink <= max(1, len(names)):
            return None
        names = self._current(key)
        homes = sorted({user for user, _ in names})
        if len(homes) > 1:
            return f"the same file is in the homes of {', '.join(homes)} (a hard link?); counted for none"
        if info.st_nlink > max(1, len(names)):
            return "the file has another name outside the home folders (a hard link); counted for none"
        return None


def owners_of(root: Path) -> Owners:
    """The :class:`Owners` of every folder under ``root`` (the homes, and folders that are not homes)."""
    owners = Owners()
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.is_symlink():
            owners.add_home(safe_name(folder.name)[0], folder)
    return owners


def refuse_shared(owners: Owners, info: os.stat_result) -> None:
    """Unreadable when a file has names in several homes, or outside them."""
    problem = owners.problem(info)
    if problem:
        raise Unreadable(problem)


def data_dir_journals(home: Path) -> list[Path]:
    """This release's journals in a home (``.local/share/jupyter/innovation-course/journals/*.answers.json``), by
    name only: no folder on the way may be a link, at most MAX_JOURNALS; each is then read with read_regular."""
    folder = home
    for part in JOURNALS_IN_HOME.parts:
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            return []
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".answers.json"))
    except OSError:
        return []
    return [folder / name for name in names[:MAX_JOURNALS]]


def journal_owner(data: bytes) -> str | None:
    """The notebook file a journal's bytes name as its owner (an absolute path in the learner's session)."""
    try:
        journal, _ = load_json(data)
    except (ValueError, RecursionError):
        return None
    owner = journal.get("owner") if isinstance(journal, dict) else None
    return owner if isinstance(owner, str) and owner else None


def parse_journal(data: bytes, workbook: str) -> tuple[dict[str, dict], int]:
    """The records of a journal's bytes (question id or ``_identity`` → record) for ``workbook``, {} when it
    is not a usable journal; and how many invalid characters were replaced."""
    try:
        journal, replaced = load_json(data)
    except (ValueError, RecursionError):
        return {}, 0
    if (not isinstance(journal, dict) or journal.get("schema") != JOURNAL_SCHEMA
            or journal.get("schema_version") != JOURNAL_VERSION or journal.get("workbook") != workbook):
        return {}, replaced
    found = journal.get("records")
    if not isinstance(found, dict):
        return {}, replaced
    return {qid: record for qid, record in found.items() if records.record_problem(record) is None
            and record["workbook"] == workbook and record["question"] == qid}, replaced


def saved_answers(data: bytes) -> tuple[records.SavedAnswers | None, int]:
    """What a saved notebook's bytes hold (None when they are not a notebook); replaced characters."""
    try:
        nb, replaced = load_json(data)
    except (ValueError, RecursionError):
        return None, 0
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, replaced
    try:
        return records.read_saved(nb), replaced
    except (AttributeError, TypeError, KeyError):
        return None, replaced


def workbook_id(saved: records.SavedAnswers | None) -> str | None:
    """The workbook id a notebook names, when it is a text (a number or a list is no id)."""
    value = saved.workbook if saved is not None else None
    return value if isinstance(value, str) and value else None


def recorded_user(identity: Any) -> str:
    """The hub user a workbook's identity block recorded ('' when none)."""
    user = identity.get("hub_user") if isinstance(identity, dict) else None
    return safe_name(user)[0] if isinstance(user, str) else ""
