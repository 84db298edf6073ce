"""Writing the outputs as one set: the new set is written whole to a staging folder beside ``--out`` and
then swapped with the old one in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so ``--out`` always holds
either the previous set or the new one, whole, whenever the grader is stopped. ``grading-run.json``, written
last into each set, lists its files with their SHA-256 and what was graded (workbooks, accounts).
Files in ``--out`` that the grader did not write are carried over into the new set (hard links).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

RUN_FILE = "grading-run.json"
RUN_SCHEMA = "innovation-course/grading-run"
STAGING = ".grading-staging-"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class OutsideError(ValueError):
    """A path would land outside the output folder."""


def parts_of(relative: str) -> list[str]:
    """The parts of a relative path, refusing absolute paths, empty parts, '.' and '..'."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith(("/", "\\")) or any(p in ("", ".", "..") for p in parts):
        raise OutsideError(f"refusing to write {relative!r}")
    return parts


def target(out: Path, relative: str) -> Path:
    """``out / relative``, refusing absolute paths, '..' and anything that resolves outside ``out``."""
    path = out.joinpath(*parts_of(relative))
    if out.resolve() not in path.resolve().parents:
        raise OutsideError(f"refusing to write {relative!r} outside {out}")
    return path


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (Linux); elsewhere, or where the file system cannot, two renames."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    except AttributeError:  # no renameat2 in this C library
        pass
    aside = b.with_name(b.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def read_run(out: Path) -> dict | None:
    """The ``grading-run.json`` of an output folder, or None when it has none (or a damaged one)."""
    try:
        run = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return run if isinstance(run, dict) and run.get("schema") == RUN_SCHEMA else None


def check_set(out: Path) -> list[str]:
    """What is wrong with an output set (files missing or not as listed); [] when it is whole."""
    run = read_run(out)
    if run is None:
        return [f"{out}: no {RUN_FILE}"]
    wrong = []
    for relative, digest in sorted((run.get("files") or {}).items()):
        try:
            if hashlib.sha256((out / relative).read_bytes()).hexdigest() != digest:
                wrong.append(f"{relative}: not the file of this run")
        except OSError:
            wrong.append(f"{relative}: missing")
    return wrong


@contextlib.contextmanager
def locked(out: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One grader at a time per output folder: an exclusive lock on the folder that holds it (no file is
    made), held for the whole run; ``waiting`` is called when another run holds it (then this one waits)."""
    handle = os.open(out.absolute().parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _carry_over(out: Path, staging: Path, written: set[str]) -> None:
    """Files of the old set the grader did not write (the teacher's own) go into the new set."""
    run = read_run(out)
    ours = set((run or {}).get("files") or {}) | {RUN_FILE}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if not path.is_file() or path.is_symlink() or relative in ours or relative in written:
            continue
        copy = staging / relative
        if copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy)
        except OSError:
            shutil.copy2(path, copy)


def replace_set(out: Path, files: dict[str, bytes], run: dict, lock: bool = True) -> None:
    """Write every file (relative path → bytes) as the new output set of ``out``, ``run`` (what was graded)
    with the file list as ``grading-run.json``, then swap it in; ``lock=False`` when the caller holds
    :func:`locked` for its whole run."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with locked(out) if lock else contextlib.nullcontext():
        for leftover in out.parent.glob(f".{out.name}{STAGING}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=out.parent))
        try:
            digests, folders = {}, {staging}
            for relative in sorted(files):
                path = staging.joinpath(*parts_of(relative))  # a new folder of ours: no links inside
                if path.parent not in folders:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(path.parent)
                data = files[relative]
                path.write_bytes(data)
                digests[relative] = hashlib.sha256(data).hexdigest()
            if out.is_dir():
                _carry_over(out, staging, set(files))
            record = {"schema": RUN_SCHEMA, "schema_version": 1, **run, "files": digests}
            (staging / RUN_FILE).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
            os.chmod(staging, 0o755)
            if out.is_dir():
                exchange(staging, out)
            else:
                os.rename(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def write_all(out: Path, files: dict[str, bytes]) -> None:
    """:func:`replace_set` with nothing said about the run."""
    replace_set(out, files, {})
