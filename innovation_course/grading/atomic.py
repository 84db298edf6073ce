"""Writing the outputs: only inside DIR, each file to a temporary file beside it and then renamed over the
old one (:func:`os.replace`), so an interrupted run leaves every earlier output whole."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".grading-tmp"


class OutsideError(ValueError):
    """A path would land outside the output folder."""


def target(out: Path, relative: str) -> Path:
    """``out / relative``, refusing absolute paths, '..' and anything that resolves outside ``out``."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith(("/", "\\")) or any(p in ("", ".", "..") for p in parts):
        raise OutsideError(f"refusing to write {relative!r}")
    path = out.joinpath(*parts)
    if out.resolve() not in path.resolve().parents:
        raise OutsideError(f"refusing to write {relative!r} outside {out}")
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_all(out: Path, files: dict[str, bytes | Callable[[], bytes]], prune: tuple[str, ...] = ("feedback",)) -> None:
    """Write every file (relative path → bytes, or a function giving them, called when the file's turn comes)
    under ``out``, in sorted order. Afterwards, ``*.html`` files
    in the ``prune`` folders that this run did not write (learners no longer in the batch) are removed,
    and so are temporary files left by an interrupted run."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {relative: target(out, relative) for relative in files}
    for relative in sorted(files):
        paths[relative].parent.mkdir(parents=True, exist_ok=True)
        content = files[relative]
        write_atomic(paths[relative], content() if callable(content) else content)
    written = set(paths.values())
    for folder in prune:
        for stale in sorted((out / folder).glob("*.html")):
            if stale not in written:
                stale.unlink()
    for folder in (out, *(out / f for f in prune)):
        for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
