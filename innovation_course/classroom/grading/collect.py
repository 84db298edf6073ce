"""Inputs → submissions: notebooks, folders (searched recursively) and LMS zip downloads, read into memory one
at a time (:func:`stream`), so a class of any size costs the memory of a few files.

Every file is read as data by :mod:`.safe_read` (regular files only, links followed only inside the folder
given, each file under its own budget) and zips by :mod:`.archive` (never extracted; a budget per learner's
upload). Every file found becomes a :class:`Submission`; one that cannot be read carries a ``problem``
instead of bytes, so it still reaches the gradebook. Files are named relative to their input (never by the
teacher's absolute path), names that are not UTF-8 shown with U+FFFD and reported. The LMS layout is decided
per download (a zip, a folder, the loose files given) from all its names. A folder holding
``hub-collection.json`` (written by ``innovation-course collect``) is read through that manifest: listed files
belong to their JupyterHub user, unlisted ones are reported, not graded as anyone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .archive import NOTEBOOK_SUFFIX, ZIP_SUFFIX, read_zip, skipped, unsafe_name
from .identify import layout_of, lms_account
from .safe_read import Budget, Unreadable, file_key, inside, open_regular, read_regular, safe_name
from .submission import LIMITS, Limits, Submission

__all__ = ["HUB_MANIFEST", "Limits", "Submission", "collect", "gather", "read_zip", "stream"]

HUB_MANIFEST = "hub-collection.json"
HUB_SCHEMA = "innovation-course/hub-collection"
BY_HUB = "JupyterHub user"
MANIFEST_BYTES = 20 * 2**20


def _name_notes(relative: str, odd: str | None) -> tuple[str, ...]:
    return (f"file name {odd}; shown with \ufffd",) if odd else ()


def read_file(path: Path, label: str, rel: str, limits: Limits, home: Path | None = None,
              layout: str | None = None, notes: tuple[str, ...] = (), seen: set | None = None) -> Iterator[Submission]:
    """One file on disk: a notebook, a zip (a download of its own, or a learner's upload when its name is an
    account of the folder's ``layout``), or a rejected file. Nothing but regular files is opened."""
    suffix = PurePosixPath(rel).suffix.lower()
    base = {"layout": layout, "notes": notes}
    if suffix not in (NOTEBOOK_SUFFIX, ZIP_SUFFIX):
        yield Submission(label, rel, 0.0, problem=f"not a notebook ({suffix or 'no extension'} file)", **base)
        return
    upload = suffix == ZIP_SUFFIX and layout and lms_account(rel, layout) is not None
    if suffix == ZIP_SUFFIX and not upload:
        yield from _download(path, label, rel, limits, home, base, seen)
        return
    budget = Budget(limits.upload_bytes, limits.seconds)
    try:
        data, info = read_regular(path, limits.file_bytes, home, budget)
    except Unreadable as error:
        yield Submission(label, rel, 0.0, problem=str(error), **base)
        return
    if seen is not None:
        if file_key(info) in seen:
            yield Submission(label, rel, info.st_mtime, problem="the same file as another input (a hard link or "
                             "a second name); read once", **base)
            return
        seen.add(file_key(info))
    if upload:
        yield from read_zip(data, label, limits, 1, budget, prefix=rel + "/", outer=(rel, info.st_mtime),
                            layout=layout)
    else:
        yield Submission(label, rel, info.st_mtime, data=data, **base)


def _download(path: Path, label: str, rel: str, limits: Limits, home: Path | None, base: dict,
              seen: set | None) -> Iterator[Submission]:
    """A zip that is a download of its own: opened only when it is a regular file (inside ``home``)."""
    try:
        fd, info = open_regular(path, home)
    except Unreadable as error:
        yield Submission(label, rel, 0.0, problem=str(error), **base)
        return
    if seen is not None and file_key(info) in seen:
        os.close(fd)
        yield Submission(label, rel, info.st_mtime, problem="the same file as another input; read once", **base)
        return
    if seen is not None:
        seen.add(file_key(info))
    with os.fdopen(fd, "rb") as handle:
        yield from read_zip(handle, label, limits)


def _walk(root: Path, excluded: tuple[Path, ...]) -> tuple[list[tuple[Path, str, str | None]], list[str]]:
    """The files of a folder, sorted (links to folders not followed, hidden and checkpoint files and the
    output folder left out): (path, relative name as shown, why the name had to change); and the links to
    folders and unreadable folders found (reported, not followed)."""
    found, links = [], []
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                links.append((here / name).relative_to(root).as_posix())
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink() and not skipped((d,))
                         and not any(inside(Path(os.path.realpath(here / d)), e) for e in excluded))
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            shown, odd = safe_name(rel)
            if not skipped(tuple(PurePosixPath(shown).parts)):
                found.append((path, shown, odd))
    for error in errors:
        if error.filename and Path(error.filename) != root:
            links.append(Path(error.filename).relative_to(root).as_posix())
    return sorted(found, key=lambda item: item[1]), sorted(links)


def _folder(root: Path, label: str, limits: Limits, excluded: tuple[Path, ...],
            seen: set) -> Iterator[Submission]:
    files, links = _walk(root, excluded)
    for link in links:
        shown, odd = safe_name(link)
        yield Submission(f"{label}/{shown}", shown, 0.0, problem="a link to a folder, or a folder that cannot be "
                         "read; not followed",
                         notes=_name_notes(shown, odd))
    if not files and not links:
        yield Submission(label, label, 0.0, problem="folder holds no files")
    layout = layout_of(shown for _, shown, _ in files)
    for path, shown, odd in files:
        yield from read_file(path, f"{label}/{shown}", shown, limits, root, layout, _name_notes(shown, odd), seen)


def _hub_manifest(root: Path, label: str) -> tuple[dict[str, dict], list[str]]:
    """The files a ``hub-collection.json`` lists (path → entry) and the problems it reports or has."""
    where = HUB_MANIFEST
    try:
        data, _ = read_regular(root / HUB_MANIFEST, MANIFEST_BYTES, root)
        manifest = json.loads(data.decode("utf-8"))
    except (Unreadable, ValueError) as error:
        return {}, [f"{where}: not readable ({type(error).__name__}); no file of this folder graded as anyone"]
    if not isinstance(manifest, dict) or manifest.get("schema") != HUB_SCHEMA or manifest.get("schema_version") != 1:
        return {}, [f"{where}: not a hub collection manifest (schema {HUB_SCHEMA} version 1)"]
    listed: dict[str, dict] = {}
    problems = [f"{where}: {safe_name(p)[0]}" for p in manifest.get("problems") or [] if isinstance(p, str)][:1000]
    for user in manifest.get("missing") or []:
        if isinstance(user, str):
            problems.append(f"{where}: no copy collected from JupyterHub user {safe_name(user)[0]!r}")
    for item in manifest.get("files") or []:
        path, user = (item.get("path"), item.get("user")) if isinstance(item, dict) else (None, None)
        if not (isinstance(path, str) and isinstance(user, str) and user) or unsafe_name(path):
            problems.append(f"{where}: entry {safe_name(str(item)[:120])[0]!r} is not a file of a user; ignored")
            continue
        listed[PurePosixPath(safe_name(path.replace("\\", "/"))[0]).as_posix()] = {**item, "user": safe_name(user)[0]}
    return listed, problems


def _hub_files(root: Path, label: str, limits: Limits, excluded: tuple[Path, ...], seen: set,
               problems: list[str]) -> Iterator[Submission]:
    """A hub collection folder: listed files belong to their users; unlisted ones are reported."""
    listed, more = _hub_manifest(root, label)
    problems += more
    files, _ = _walk(root, excluded)
    on_disk = {shown: (path, odd) for path, shown, odd in files if shown != HUB_MANIFEST}
    for rel, (path, odd) in on_disk.items():
        origin = f"{label}/{rel}"
        item = listed.get(rel)
        if item is None:
            yield Submission(origin, rel, 0.0, problem=f"not listed in {HUB_MANIFEST}; not graded as anyone",
                             layout="hub", notes=_name_notes(rel, odd))
            continue
        for sub in read_file(path, origin, rel, limits, root, "hub", _name_notes(rel, odd), seen):
            digest = item.get("sha256")
            if sub.data is not None and isinstance(digest, str) and hashlib.sha256(sub.data).hexdigest() != digest:
                problems.append(f"{rel}: changed since it was collected (sha256 differs from {HUB_MANIFEST})")
            yield Submission(sub.origin, sub.path, sub.date, sub.data, sub.problem, sub.entry,
                             hub_user=str(item["user"]), layout="hub", notes=sub.notes)
    for rel in sorted(set(listed) - set(on_disk)):
        problems.append(f"{rel}: listed in {HUB_MANIFEST} but not in the folder")


def stream(inputs: list[str | Path], limits: Limits = LIMITS, exclude: tuple[Path, ...] = (),
           problems: list[str] | None = None) -> Iterator[Submission]:
    """Every submission found in the inputs, in input order (folders walked in sorted order), read one at a
    time; the problems found on the way (hub manifests) are added to ``problems``. The loose notebooks given
    are one download (their LMS layout decided together). ``exclude`` (the output folder) is never read."""
    problems = [] if problems is None else problems
    seen: set = set()
    excluded = tuple(Path(os.path.realpath(e)) for e in exclude)
    loose = [Path(i) for i in inputs if Path(i).suffix.lower() != ZIP_SUFFIX and not Path(i).is_dir()]
    loose_layout = layout_of(safe_name(p.name)[0] for p in loose)
    for item in inputs:
        root = Path(item)
        label, odd = safe_name(root.name or str(item))
        if not os.path.lexists(root):
            yield Submission(label, label, 0.0, problem="no such file or folder", notes=_name_notes(label, odd))
        elif root.is_dir():
            if (root / HUB_MANIFEST).is_file():
                yield from _hub_files(root, label, limits, excluded, seen, problems)
            else:
                yield from _folder(root, label, limits, excluded, seen)
        else:
            layout = loose_layout if root.suffix.lower() != ZIP_SUFFIX else None
            yield from read_file(root, label, label, limits, None, layout, _name_notes(label, odd), seen)


def gather(inputs: list[str | Path], limits: Limits = LIMITS,
           exclude: tuple[Path, ...] = ()) -> tuple[list[Submission], list[str]]:
    """:func:`stream` as a list, with the problems met."""
    problems: list[str] = []
    found = list(stream(inputs, limits, exclude, problems))
    return found, problems


def collect(inputs: list[str | Path], limits: Limits = LIMITS, exclude: Path | None = None) -> list[Submission]:
    """:func:`gather` without the problems."""
    return gather(inputs, limits, (exclude,) if exclude else ())[0]
