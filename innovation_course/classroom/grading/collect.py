"""Inputs → submissions: notebooks, folders (searched recursively) and LMS zip downloads, read into memory.

Zips are never extracted to disk: members are read with :mod:`zipfile` under size and count limits, and a
member whose name is absolute or climbs with ``..`` is skipped with a reason. Every file found becomes a
:class:`Submission`; one that cannot be read carries a ``problem`` instead of bytes, so it still reaches
the gradebook. Files are named relative to their input (never by the teacher's absolute path). A member of a
zip nested in an LMS download belongs to the outer entry: its ``entry`` and ``date`` are the outer ones.
A folder holding ``hub-collection.json`` (written by ``innovation-course collect``) is read through that
manifest: listed files belong to their JupyterHub user, unlisted ones are reported, not graded as anyone.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

NOTEBOOK_SUFFIX = ".ipynb"
ZIP_SUFFIX = ".zip"
SKIPPED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class Limits:
    """How much the grader reads: per file, per archive (after decompression) and members per archive."""

    file_bytes: int = 20 * 2**20
    zip_bytes: int = 512 * 2**20
    zip_members: int = 5000
    zip_depth: int = 1  # a zip inside a zip is read; one more level is rejected


@dataclass(frozen=True)
class Submission:
    """One file to grade. ``path`` is its path inside its input (posix, for the LMS name patterns)."""

    origin: str          # what the gradebook shows: "batch.zip!Ann Lee_12_assignsubmission_file_/ex01.ipynb"
    path: str            # "Ann Lee_12_assignsubmission_file_/ex01.ipynb"
    date: float          # zip entry date or file modification time (seconds, for "newest counts")
    data: bytes | None = None
    problem: str | None = None
    entry: str = ""      # the path that says whose file it is (the outer zip entry for nested members)
    hub_user: str = ""   # the JupyterHub user a hub-collection.json manifest names

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def account_path(self) -> str:
        """The path the LMS gave this file (for nested zip members: the outer entry's)."""
        return self.entry or self.path


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(p in SKIPPED_PARTS or p.startswith(".") for p in parts)


def unsafe_name(name: str) -> str | None:
    """Why a zip member name is dangerous (absolute, drive letter, ``..``), or None."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return f"absolute path in zip: {name!r}"
    if ".." in posix.split("/"):
        return f"path climbs out of the zip folder: {name!r}"
    if "\x00" in posix:
        return f"NUL character in zip member name: {name!r}"
    return None


def _zip_date(info: zipfile.ZipInfo) -> float:
    try:
        return float(calendar.timegm((*info.date_time, 0, 0, 0)))
    except (ValueError, OverflowError):
        return 0.0


class _Budget:
    """Bytes still allowed for one top-level archive (shared with the zips nested in it)."""

    def __init__(self, limits: Limits) -> None:
        self.left = limits.zip_bytes


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: _Budget) -> bytes | str:
    """The member's bytes, or why it was not read. Declared sizes are checked first, then actual reads."""
    cap = min(limits.file_bytes, budget.left)
    if info.file_size > limits.file_bytes:
        return f"too large: {info.file_size:,} bytes declared (limit {limits.file_bytes:,}); not read"
    if info.file_size > budget.left:
        return f"zip exceeds its total size limit of {limits.zip_bytes:,} bytes; not read"
    if info.flag_bits & 0x1:
        return "encrypted zip member; not read"
    try:
        with zf.open(info) as handle:
            data = handle.read(cap + 1)  # never past the limit, whatever the header says
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError) as error:
        return f"damaged zip member: {error}"
    if len(data) > cap:
        return f"decompresses past the limit of {cap:,} bytes (zip bomb?); not read"
    budget.left -= len(data)
    return data


def read_zip(data: bytes, label: str, limits: Limits, depth: int = 0, budget: _Budget | None = None,
             prefix: str = "", outer: tuple[str, float] | None = None) -> Iterator[Submission]:
    """Every notebook (and rejected file) of a zip held in memory; nested zips down to ``limits.zip_depth``.
    ``outer`` (entry path, date) is the LMS entry a nested zip came in: its members belong to it."""
    budget = budget or _Budget(limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        yield Submission(label, prefix.rstrip("/") or label, 0.0, problem=f"not a readable zip: {error}")
        return
    files = [i for i in infos if not i.is_dir()]
    found = 0
    for number, info in enumerate(sorted(files, key=lambda i: i.filename)):
        name = info.filename
        posix = name.replace("\\", "/")
        origin, path, date = f"{label}!{name}", prefix + posix.lstrip("/"), _zip_date(info)
        entry = outer[0] if outer else ""
        if outer:
            date = outer[1]
        reason = unsafe_name(name)
        if reason is None and _skipped(tuple(PurePosixPath(posix).parts)):
            continue
        found += 1
        if number >= limits.zip_members:
            yield Submission(origin, path, date, problem=f"zip has {len(files):,} members (limit "
                             f"{limits.zip_members:,}); this one and the {len(files) - number - 1:,} after it not read",
                             entry=entry)
            break
        if reason is None and stat.S_ISLNK(info.external_attr >> 16):
            reason = "symbolic link in zip; not read"
        suffix = PurePosixPath(posix).suffix.lower()
        if reason is None and suffix not in (NOTEBOOK_SUFFIX, ZIP_SUFFIX):
            reason = f"not a notebook ({suffix or 'no extension'} file)"
        if reason is None and suffix == ZIP_SUFFIX and depth >= limits.zip_depth:
            reason = "zip nested too deeply; not read"
        if reason is not None:
            yield Submission(origin, path, date, problem=reason, entry=entry)
            continue
        content = _read_member(zf, info, limits, budget)
        if isinstance(content, str):
            yield Submission(origin, path, date, problem=content, entry=entry)
        elif suffix == ZIP_SUFFIX:
            yield from read_zip(content, origin, limits, depth + 1, budget, prefix=path + "/",
                                outer=outer or (path, date))
        else:
            yield Submission(origin, path, date, data=content, entry=entry)
    if not found:
        yield Submission(label, prefix.rstrip("/") or label, 0.0, problem="zip holds no files")


def read_file(path: Path, label: str, rel: str, limits: Limits) -> Iterator[Submission]:
    """One file on disk: a notebook, a zip, or a rejected file. Too large files are not opened."""
    try:
        info = path.stat()
    except OSError as error:
        yield Submission(label, rel, 0.0, problem=f"cannot read: {error.strerror or error}")
        return
    suffix = path.suffix.lower()
    if suffix not in (NOTEBOOK_SUFFIX, ZIP_SUFFIX):
        yield Submission(label, rel, info.st_mtime, problem=f"not a notebook ({suffix or 'no extension'} file)")
        return
    cap = limits.zip_bytes if suffix == ZIP_SUFFIX else limits.file_bytes
    if info.st_size > cap:
        yield Submission(label, rel, info.st_mtime,
                         problem=f"too large: {info.st_size:,} bytes (limit {cap:,}); not read")
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Submission(label, rel, info.st_mtime, problem=f"cannot read: {error.strerror or error}")
        return
    if suffix == ZIP_SUFFIX:
        yield from read_zip(data, label, limits)
    else:
        yield Submission(label, rel, info.st_mtime, data=data)


def _inside(path: Path, folders: tuple[Path, ...]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


HUB_MANIFEST = "hub-collection.json"
HUB_SCHEMA = "innovation-course/hub-collection"
BY_HUB = "JupyterHub user"


def _hub_manifest(root: Path, label: str) -> tuple[dict[str, dict], list[str]]:
    """The files a ``hub-collection.json`` lists (path → entry) and the problems it reports or has."""
    where = f"{label}/{HUB_MANIFEST}"
    try:
        manifest = json.loads((root / HUB_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return {}, [f"{where}: not readable ({type(error).__name__}); no file of {label} graded as anyone"]
    if not isinstance(manifest, dict) or manifest.get("schema") != HUB_SCHEMA or manifest.get("schema_version") != 1:
        return {}, [f"{where}: not a hub collection manifest (schema {HUB_SCHEMA} version 1)"]
    listed: dict[str, dict] = {}
    problems = [f"{where}: {p}" for p in manifest.get("problems") or [] if isinstance(p, str)][:1000]
    for user in manifest.get("missing") or []:
        if isinstance(user, str):
            problems.append(f"{where}: no copy collected from JupyterHub user {user!r}")
    for item in manifest.get("files") or []:
        path, user = (item.get("path"), item.get("user")) if isinstance(item, dict) else (None, None)
        if not (isinstance(path, str) and isinstance(user, str) and user) or unsafe_name(path):
            problems.append(f"{where}: entry {str(item)[:120]!r} is not a file of a user; ignored")
            continue
        listed[PurePosixPath(path.replace("\\", "/")).as_posix()] = item
    return listed, problems


def _hub_files(root: Path, label: str, files: list[Path], limits: Limits) -> tuple[list[Submission], list[str]]:
    """A hub collection folder: listed files belong to their users; unlisted ones are reported."""
    listed, problems = _hub_manifest(root, label)
    found: list[Submission] = []
    on_disk = {p.relative_to(root).as_posix(): p for p in files if p.name != HUB_MANIFEST}
    for rel, path in on_disk.items():
        origin = f"{label}/{rel}"
        item = listed.get(rel)
        if item is None:
            found.append(Submission(origin, rel, 0.0, problem=f"not listed in {HUB_MANIFEST}; not graded as anyone"))
            continue
        for sub in read_file(path, origin, rel, limits):
            digest = item.get("sha256")
            if sub.data is not None and isinstance(digest, str) and hashlib.sha256(sub.data).hexdigest() != digest:
                problems.append(f"{origin}: changed since it was collected (sha256 differs from {HUB_MANIFEST})")
            found.append(Submission(sub.origin, sub.path, sub.date, sub.data, sub.problem, sub.entry,
                                    hub_user=str(item["user"])))
    for rel in sorted(set(listed) - set(on_disk)):
        problems.append(f"{label}/{rel}: listed in {HUB_MANIFEST} but not in the folder")
    return found, problems


def gather(inputs: list[str | Path], limits: Limits = Limits(),
           exclude: tuple[Path, ...] = ()) -> tuple[list[Submission], list[str]]:
    """Every submission found in the inputs, in input order (folders walked in sorted order), and the
    problems found on the way (hub manifests). Files are named relative to their input.

    ``exclude`` (the output folder) is never read, so grading a folder into itself does not grade the reports.
    """
    found: list[Submission] = []
    problems: list[str] = []
    seen: set[Path] = set()
    excluded = tuple(e.resolve() for e in exclude)
    for item in inputs:
        root = Path(item)
        label = root.name or str(item)
        if not root.exists():
            found.append(Submission(label, label, 0.0, problem="no such file or folder"))
            continue
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file()
                           and not _skipped(p.relative_to(root).parts) and not _inside(p.resolve(), excluded))
            files = [p for p in files if p.resolve() not in seen]
            seen.update(p.resolve() for p in files)
            if (root / HUB_MANIFEST).is_file():
                subs, hub_problems = _hub_files(root, label, files, limits)
                found += subs
                problems += hub_problems
                continue
            if not files:
                found.append(Submission(label, label, 0.0, problem="folder holds no files"))
            for path in files:
                rel = path.relative_to(root).as_posix()
                found += read_file(path, f"{label}/{rel}", rel, limits)
        elif root.resolve() not in seen:
            seen.add(root.resolve())
            found += read_file(root, label, root.name, limits)
    return found, problems


def collect(inputs: list[str | Path], limits: Limits = Limits(), exclude: Path | None = None) -> list[Submission]:
    """:func:`gather` without the problems."""
    return gather(inputs, limits, (exclude,) if exclude else ())[0]
