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
import datetime as dt
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ...engine import records

MANIFEST = "hub-collection.json"
SCHEMA = "innovation-course/hub-collection"
MAX_BYTES = 20 * 2**20
USER_NAME = re.compile(r"^[\w.@+-]+$")  # JupyterHub user names that can be folder names


@dataclass
class Found:
    """One candidate file in a user's home."""

    path: Path
    relative: str
    mtime: float
    data: bytes | None = None
    problem: str | None = None


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


def workbook_of(data: bytes) -> str | None:
    """The workbook id a notebook's metadata names (None when it names none or is not JSON)."""
    try:
        meta = (json.loads(data).get("metadata") or {}).get(records.METADATA_KEY) or {}
    except (ValueError, AttributeError):
        return None
    return meta.get("workbook") if isinstance(meta, dict) else None


def matches(name: str, workbook: str) -> bool:
    """``ex01`` matches ``ex01_policy_framework.ipynb`` and ``ex01_policy_framework-Copy1.ipynb``."""
    return name.endswith(".ipynb") and (name == f"{workbook}.ipynb" or name.startswith((f"{workbook}_",
                                                                                        f"{workbook}-")))


def candidates(home: Path, workbook: str) -> list[Found]:
    """Every file in ``home`` that is this user's copy of ``workbook`` (or claims to be), with its problem."""
    found: list[Found] = []
    home_real = home.resolve()
    for folder, dirs, files in os.walk(home, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".ipynb"):
                continue
            path = Path(folder) / name
            relative = str(path.relative_to(home))
            by_name = matches(name, workbook)
            if path.is_symlink():
                target = path.resolve()
                if by_name and home_real not in target.parents:
                    found.append(Found(path, relative, 0.0, problem=f"{relative} is a link out of the home "
                                                                      f"folder (to {target}); refused"))
                    continue
            try:
                info = path.stat()
                if info.st_size > MAX_BYTES:
                    if by_name:
                        found.append(Found(path, relative, info.st_mtime,
                                           problem=f"{relative} is larger than {MAX_BYTES // 2**20} MB"))
                    continue
                data = path.read_bytes()
            except OSError as error:
                if by_name:
                    found.append(Found(path, relative, 0.0,
                                       problem=f"{relative} cannot be read ({error.strerror or error})"))
                continue
            meta_id = workbook_of(data)
            if by_name or (meta_id is not None and (meta_id == workbook or meta_id.startswith(f"{workbook}-"))):
                problem = None if meta_id is not None or _is_notebook(data) else f"{relative} is not a notebook"
                found.append(Found(path, relative, info.st_mtime, data=None if problem else data, problem=problem))
    return found


def _is_notebook(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data).get("cells"), list)
    except (ValueError, AttributeError):
        return False


def unsaved_answers(found: Found, home: Path | None = None) -> int:
    """How many answers the file's journal holds that differ from the saved file and are newer than it (the
    journal in ``home``'s Jupyter data folder named by the file's notebook id or path, or an earlier release's
    journal beside the file)."""
    from ...engine import journal, ownership

    workbook = workbook_of(found.data or b"")
    if not workbook:
        return 0
    try:
        nb = json.loads(found.data)
        saved = records.read_saved(nb).answers
        notebook_id = ownership.claimed_id(nb)
        paths = [journal.journal_path(notebook_id, home / journal.IN_HOME)] if home and notebook_id else []
        if home and not notebook_id:
            paths = journal.journals_for(home, workbook, found.relative)
        paths.append(found.path.parent / journal.FOLDER / f"{workbook}.answers.json")
        entries = {}
        for path in paths:
            entries.update(journal.read_journal(path, workbook))
    except (ValueError, OSError):
        return 0
    count = 0
    for question, record in entries.items():
        stamp = record.get("answered_at") if isinstance(record, dict) else None
        try:
            when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
        except ValueError:
            continue
        newer = when > found.mtime + 1
        count += newer and question != records.IDENTITY and record.get("answer") != saved.get(question)
    return count


def collect(homes: Path, workbook: str, out: Path) -> Collection:
    """Copy each user's newest copy of ``workbook`` to ``out/<user>/`` and write the manifest."""
    if not homes.is_dir():
        raise NotADirectoryError(f"{homes} is not a folder of home folders")
    result = Collection(workbook)
    out_real = out.resolve()
    for home in sorted(homes.iterdir()):
        user = home.name
        if user.startswith(".") or not home.is_dir() or home.resolve() == out_real:
            continue
        if home.is_symlink():
            result.problems.append(f"{user}: the home folder is a symbolic link; refused")
            continue
        if not USER_NAME.match(user):
            result.problems.append(f"{user!r}: not a hub user name; skipped")
            continue
        found = candidates(home, workbook)
        for bad in (f for f in found if f.problem):
            result.problems.append(f"{user}: {bad.problem}")
        usable = sorted((f for f in found if f.data is not None), key=lambda f: (f.mtime, f.relative), reverse=True)
        if not usable:
            result.missing.append(user)
            continue
        chosen = usable[0]
        if len(usable) > 1:
            others = ", ".join(f.relative for f in usable[1:])
            result.problems.append(f"{user}: {len(usable)} copies of {workbook}; took the newest, {chosen.relative} "
                                   f"(not taken: {others})")
        unsaved = unsaved_answers(chosen, home)
        if unsaved:
            result.problems.append(f"{user}: {unsaved} answer(s) in the journal are newer than the saved "
                                   f"{chosen.relative}; ask them to save, then collect again")
        destination = out / user / chosen.path.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        tmp = destination.with_name(destination.name + ".part")
        tmp.write_bytes(chosen.data)
        os.replace(tmp, destination)
        os.utime(destination, (chosen.mtime, chosen.mtime))
        result.files.append({"path": f"{user}/{chosen.path.name}", "user": user, "mtime": chosen.mtime,
                             "sha256": hashlib.sha256(chosen.data).hexdigest(), "source": chosen.relative})
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    tmp = manifest.with_name(MANIFEST + ".part")
    tmp.write_text(json.dumps(result.manifest(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, manifest)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("homes", type=Path, metavar="HOMES", help="the hub's home folders, one per user (HOMES/<user>)")
    parser.add_argument("--workbook", required=True, metavar="ID", help="which workbook: ex01, or its full id")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where the copies and manifest go")


def run(args: argparse.Namespace) -> int:
    if not re.match(r"^[\w-]+$", args.workbook):
        print(f"collect: --workbook {args.workbook!r} is not a workbook id (e.g. ex01)", file=sys.stderr)
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
