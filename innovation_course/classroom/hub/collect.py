"""``innovation-course collect HOMES --workbook ex01 --out DIR``: one workbook from each JupyterHub home folder.

On a hub each user has a home folder named after them (``HOMES/<user>/``, the folder the spawner made for
that hub login), so the learner is the folder's owner, never a name typed in the workbook. Each user's copy
of the workbook is found by its file name (``ex01*.ipynb``) or by the workbook id in its metadata, anywhere
in the home except hidden folders and checkpoints. Odd homes are reported, never silently resolved: no
copy (listed as missing), two copies (the newest is taken and the others named), a file that cannot be
read, a symbolic link pointing out of the home (refused). ``DIR/<user>/<file>`` gets the copies and
``DIR/hub-collection.json`` the manifest the grader reads (schema ``innovation-course/hub-collection``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ...engine import ownership, records
from .. import ROOT
from ..grading.answerkey import load_key, resolve_workbook
from ..grading.safe_read import Budget, Unreadable, file_key, load_json, read_regular, safe_name, surrogate_note
from .homes import (
    JOURNAL_FOLDER,
    JOURNALS_IN_HOME,
    Owners,
    data_dir_journals,
    homes_of,
    journal_owner,
    owners_of,
    parse_journal,
    recorded_user,
    refuse_shared,
    saved_answers,
    walk_home,
    workbook_id,
)

MANIFEST = "hub-collection.json"
SCHEMA = "innovation-course/hub-collection"
MAX_BYTES = 20 * 2**20
FILE_SECONDS = 10.0  # one file may take this long to read


@dataclass
class Found:
    """One candidate file in a user's home."""

    path: Path
    relative: str
    mtime: float
    data: bytes | None = None
    problem: str | None = None
    saved: records.SavedAnswers | None = None
    replaced: int = 0


@dataclass
class Collection:
    workbook: str
    files: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def manifest(self) -> dict:
        return {"schema": SCHEMA, "schema_version": 1, "workbook": self.workbook,
                "collected_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "files": self.files, "missing": self.missing, "problems": self.problems}


def matches(name: str, workbook: str) -> bool:
    """``ex01`` matches ``ex01_policy_framework.ipynb`` and ``ex01_policy_framework-Copy1.ipynb``."""
    return name.endswith(".ipynb") and (name == f"{workbook}.ipynb" or name.startswith((f"{workbook}_",
                                                                                        f"{workbook}-")))


def claims(saved: records.SavedAnswers | None, workbook: str) -> bool:
    """Whether a notebook names this workbook (``ex01`` or its full id ``ex01-...``) in its metadata."""
    found = workbook_id(saved)
    return found is not None and (found == workbook or found.startswith(f"{workbook}-"))


def candidates(home: Path, workbook: str, owners: Owners | None = None) -> list[Found]:
    """Every file in ``home`` that is this user's copy of ``workbook`` (or claims to be), with its problem;
    every notebook that could not be read (a link out of the home, a FIFO, a loop...) is one too."""
    found: list[Found] = []
    read: set[tuple[int, int]] = set()
    for path, relative in walk_home(home):
        if not relative.endswith(".ipynb"):
            continue
        by_name = matches(path.name, workbook)
        try:
            data, info = read_regular(path, MAX_BYTES, home, Budget(MAX_BYTES, FILE_SECONDS))
            if file_key(info) in read:
                continue  # another name of a file already read (a hard link inside the home)
            read.add(file_key(info))
            if owners is not None:
                refuse_shared(owners, info)
        except Unreadable as error:
            found.append(Found(path, relative, 0.0, problem=f"{relative}: {error}"))
            continue
        saved, replaced = saved_answers(data)
        if by_name or claims(saved, workbook):
            problem = None if saved is not None else f"{relative} is not a notebook"
            found.append(Found(path, relative, info.st_mtime, data=None if problem else data, problem=problem,
                               saved=saved, replaced=replaced))
    return found


def journal_records(found: Found, home: Path, workbook: str) -> dict[str, dict]:
    """The journaled records of a saved workbook in ``home``, every journal read as data: the one its notebook id
    names in the home's Jupyter data folder (else those whose owner is this file), and an earlier release's
    beside the file; the newest record of each question."""
    nb = None
    with contextlib.suppress(ValueError, RecursionError):
        nb, _ = load_json(found.data or b"")
    notebook_id = ownership.claimed_id(nb) if isinstance(nb, dict) else None
    paths = [home / JOURNALS_IN_HOME / f"{notebook_id}.answers.json"] if notebook_id else data_dir_journals(home)
    paths.append(found.path.parent / JOURNAL_FOLDER / f"{workbook}.answers.json")
    newest: dict[str, dict] = {}
    for path in paths:
        try:
            data, _ = read_regular(path, MAX_BYTES, home, Budget(MAX_BYTES, FILE_SECONDS))
        except Unreadable:
            continue
        owner = journal_owner(data)
        if not notebook_id and path.parent.name != JOURNAL_FOLDER and not (
                owner and owner.replace(os.sep, "/").endswith("/" + found.relative)):
            continue  # another notebook's journal
        for question, record in parse_journal(data, workbook)[0].items():
            if records.record_time(record) >= records.record_time(newest.get(question)):
                newest[question] = record
    return newest


def unsaved_answers(found: Found, home: Path) -> int:
    """How many answers the workbook's journals hold that differ from the saved file and are newer than it."""
    workbook = workbook_id(found.saved)
    if not workbook or not records.ID_SAFE.match(workbook) or found.saved is None:
        return 0
    entries = journal_records(found, home, workbook)
    saved = found.saved.answers
    count = 0
    for question, record in entries.items():
        try:
            when = dt.datetime.fromisoformat(str(record.get("answered_at")).replace("Z", "+00:00")).timestamp()
        except (ValueError, OverflowError):
            continue
        newer = when > found.mtime + 1
        count += newer and question != records.IDENTITY and record.get("answer") != saved.get(question)
    return count


def destination_name(name: str, taken: set[str]) -> str:
    """The name a copy gets: the learner's own, shown safely (U+FFFD for bytes that are not UTF-8)."""
    shown, _ = safe_name(name)
    return shown if shown not in taken else f"{Path(shown).stem}-{len(taken)}{Path(shown).suffix}"


def _collect_home(home: Path, user: str, workbook: str, out: Path, owners: Owners, result: Collection) -> None:
    found = candidates(home, workbook, owners)
    for bad in (f for f in found if f.problem):
        result.problems.append(f"{user}: {bad.problem}")
    usable = sorted((f for f in found if f.data is not None), key=lambda f: (f.mtime, f.relative), reverse=True)
    if not usable:
        result.missing.append(user)
        return
    chosen = usable[0]
    if len(usable) > 1:
        others = ", ".join(f.relative for f in usable[1:])
        result.problems.append(f"{user}: {len(usable)} copies of {workbook}; took the newest, {chosen.relative} "
                               f"(not taken: {others})")
    recorded = recorded_user(chosen.saved.identity if chosen.saved else None)
    if recorded and recorded != user:
        result.problems.append(f"{user}: {chosen.relative} records JupyterHub user {recorded!r}, not {user!r}: "
                               "check whose work it is")
    if chosen.replaced:
        result.problems.append(f"{user}: {chosen.relative}: {surrogate_note(chosen.replaced)}")
    unsaved = unsaved_answers(chosen, home)
    if unsaved:
        result.problems.append(f"{user}: {unsaved} answer(s) in the journal are newer than the saved "
                               f"{chosen.relative}; ask them to save, then collect again")
    name = destination_name(chosen.path.name, set())
    if name != chosen.path.name:
        result.problems.append(f"{user}: the file name {chosen.relative} is not valid UTF-8 or holds control "
                               f"characters; copied as {name}")
    destination = out / user / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.write_bytes(chosen.data or b"")
    os.replace(tmp, destination)
    os.utime(destination, (chosen.mtime, chosen.mtime))
    result.files.append({"path": f"{user}/{name}", "user": user, "mtime": chosen.mtime,
                         "sha256": hashlib.sha256(chosen.data or b"").hexdigest(), "source": chosen.relative})


def collect(homes: Path, workbook: str, out: Path) -> Collection:
    """Copy each user's newest copy of ``workbook`` to ``out/<user>/`` and write the manifest."""
    if not homes.is_dir():
        raise NotADirectoryError(f"{homes} is not a folder of home folders")
    result = Collection(workbook)
    out_real = out.resolve()
    listed = [(home, skip) for home, skip in homes_of(homes) if home.resolve() != out_real]
    owners = owners_of(homes)
    for home, skip in listed:
        if skip is not None:
            result.problems.append(skip)
            continue
        _collect_home(home, home.name, workbook, out, owners, result)
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    tmp = manifest.with_name(MANIFEST + ".part")
    tmp.write_text(json.dumps(result.manifest(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, manifest)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("homes", type=Path, metavar="HOMES", help="the hub's home folders, one per user (HOMES/<user>)")
    parser.add_argument("--workbook", required=True, metavar="ID", help="which workbook: ex01, or its full id")
    parser.add_argument("--key", type=Path, metavar="FOLDER",
                        help="the course's workbooks, to check --workbook against (default: solutions/)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where the copies and manifest go")


def short_id(given: str, key: Path | None) -> str:
    """The short id (``ex01``) that names and metadata are matched by, for ``ex01`` or a full id; ValueError
    listing the workbooks of ``key`` (the course's solutions/) when it names none of them."""
    if not re.fullmatch(r"[\w-]{1,100}", given):
        raise ValueError(f"{given!r} is not a workbook id (e.g. ex01)")
    if key is None or not key.is_dir():
        return given
    known = sorted(load_key(key).specs)
    if not known:
        return given
    return resolve_workbook(known, given).split("-", 1)[0]


def run(args: argparse.Namespace) -> int:
    try:
        args.workbook = short_id(args.workbook, args.key or ROOT / "solutions")
    except ValueError as error:
        print(f"collect: --workbook {error}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"collect: --out {args.out} is a file, not a folder", file=sys.stderr)
        return 2
    try:
        result = collect(args.homes, args.workbook, args.out)
    except OSError as error:
        print(f"collect: {error}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.missing:
        print(f"no {args.workbook} workbook: {', '.join(result.missing)}", file=sys.stderr)
    print(f"collected {len(result.files)} {args.workbook} workbook(s) into {args.out}/ ({MANIFEST}); "
          f"{len(result.missing)} user(s) without one, {len(result.problems)} problem(s)")
    return 0 if result.files else 1
