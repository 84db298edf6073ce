"""Inputs → submissions: notebooks, folders (searched recursively) and LMS zip downloads, read into memory.

Zips are never extracted to disk: members are read with :mod:`zipfile` under size and count limits, and a
member whose name is absolute or climbs with ``..`` is skipped with a reason. Every file found becomes a
:class:`Submission`; one that cannot be read carries a ``problem`` instead of bytes, so it still reaches
the gradebook.
"""

from __future__ import annotations

import calendar
import io
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

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


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
             prefix: str = "") -> Iterator[Submission]:
    """Every notebook (and rejected file) of a zip held in memory; nested zips down to ``limits.zip_depth``."""
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
        reason = unsafe_name(name)
        if reason is None and _skipped(tuple(PurePosixPath(posix).parts)):
            continue
        found += 1
        if number >= limits.zip_members:
            yield Submission(origin, path, date, problem=f"zip has {len(files):,} members (limit "
                             f"{limits.zip_members:,}); this one and the {len(files) - number - 1:,} after it not read")
            break
        if reason is None and stat.S_ISLNK(info.external_attr >> 16):
            reason = "symbolic link in zip; not read"
        suffix = PurePosixPath(posix).suffix.lower()
        if reason is None and suffix not in (NOTEBOOK_SUFFIX, ZIP_SUFFIX):
            reason = f"not a notebook ({suffix or 'no extension'} file)"
        if reason is None and suffix == ZIP_SUFFIX and depth >= limits.zip_depth:
            reason = "zip nested too deeply; not read"
        if reason is not None:
            yield Submission(origin, path, date, problem=reason)
            continue
        content = _read_member(zf, info, limits, budget)
        if isinstance(content, str):
            yield Submission(origin, path, date, problem=content)
        elif suffix == ZIP_SUFFIX:
            yield from read_zip(content, origin, limits, depth + 1, budget, prefix=path + "/")
        else:
            yield Submission(origin, path, date, data=content)
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


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and (path == folder or folder in path.parents)


def collect(inputs: list[str | Path], limits: Limits = Limits(), exclude: Path | None = None) -> list[Submission]:
    """Every submission found in the inputs, in input order; folders are walked in sorted order.

    ``exclude`` (the output folder) is never read, so grading a folder into itself does not grade the reports.
    """
    found: list[Submission] = []
    seen: set[Path] = set()
    exclude = exclude.resolve() if exclude else None
    for item in inputs:
        root = Path(item)
        if not root.exists():
            found.append(Submission(str(item), root.name or str(item), 0.0, problem="no such file or folder"))
            continue
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file()
                           and not _skipped(p.relative_to(root).parts) and not _inside(p.resolve(), exclude))
            if not files:
                found.append(Submission(str(item), root.name, 0.0, problem="folder holds no files"))
            for path in files:
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    found += read_file(path, str(path), path.relative_to(root).as_posix(), limits)
        elif root.resolve() not in seen:
            seen.add(root.resolve())
            found += read_file(root, str(item), root.name, limits)
    return found
