"""Zips: LMS downloads and the zips learners upload, read with :mod:`zipfile` and never extracted.

A download is read from disk (its central directory only, then one member at a time). Each of its files is
one learner's upload with a :class:`~.safe_read.Budget` of its own (bytes once decompressed, and seconds):
a bomb or a slow archive in one upload costs that upload alone, never the classmates after it. A zip a
learner uploaded is read in memory under the budget of the entry it came in, members and all, and belongs to
that entry. Every member read is bounded by the bytes actually decompressed, not by the size its header
declares. Names that are absolute or climb with ``..`` are refused; a member name flagged UTF-8 that is not
(which :mod:`zipfile` cannot open at all) is read in the zip's legacy encoding and reported, so one learner's
name never makes the whole download unreadable.
"""

from __future__ import annotations

import calendar
import io
import re
import stat
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .identify import layout_of
from .safe_read import Budget, Unreadable, read_stream, safe_name
from .submission import LIMITS, Limits, Submission

NOTEBOOK_SUFFIX = ".ipynb"
ZIP_SUFFIX = ".zip"
SKIPPED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
CENTRAL_ENTRY = 46          # bytes of a central directory header before its name
MEAN_ENTRY_BYTES = 400      # a learner's zip may spend this much central directory per member allowed
UTF8_FLAG = 0x800
BOMB = "decompresses past the limit of {cap:,} bytes (zip bomb?); not read"


def skipped(parts: tuple[str, ...]) -> bool:
    """Hidden files, checkpoints and macOS metadata: not submissions."""
    return any(p in SKIPPED_PARTS or p.startswith(".") for p in parts)


def unsafe_name(name: str) -> str | None:
    """Why a zip member name is dangerous (absolute, drive letter, ``..``, NUL), or None."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return f"absolute path in zip: {name!r}"
    if ".." in posix.split("/"):
        return f"path climbs out of the zip folder: {name!r}"
    if "\x00" in posix:
        return f"NUL character in zip member name: {name!r}"
    return None


def zip_date(info: zipfile.ZipInfo) -> float:
    try:
        return float(calendar.timegm((*info.date_time, 0, 0, 0)))
    except (ValueError, OverflowError):
        return 0.0


class _Patched(io.RawIOBase):
    """A seekable file with some bytes replaced as they are read (the UTF-8 flags of bad names)."""

    def __init__(self, raw, patches: dict[int, int]) -> None:
        super().__init__()
        self.raw, self.patches = raw, patches

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def read(self, size: int = -1) -> bytes:
        start = self.raw.tell()
        data = self.raw.read(size)
        hits = [(at, value) for at, value in self.patches.items() if start <= at < start + len(data)]
        if not hits:
            return data
        changed = bytearray(data)
        for at, value in hits:
            changed[at - start] = value
        return bytes(changed)


def _bad_utf8_flags(raw) -> tuple[dict[int, int], set[bytes]]:
    """The flag bytes (central and local header) of every entry flagged UTF-8 whose name is not (offset → the
    byte with the flag cleared), and those names. Found as ``zipfile._RealGetContents`` finds the directory."""
    end = zipfile._EndRecData(raw)
    if not end:
        return {}, set()
    size, offset = end[zipfile._ECD_SIZE], end[zipfile._ECD_OFFSET]
    concat = end[zipfile._ECD_LOCATION] - size - offset
    if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        concat -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    start = offset + concat
    raw.seek(start)
    central = raw.read(size)
    patches, names, at = {}, set(), 0
    while at + CENTRAL_ENTRY <= len(central) and central[at:at + 4] == b"PK\x01\x02":
        flags, = struct.unpack_from("<H", central, at + 8)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", central, at + 28)
        name = central[at + CENTRAL_ENTRY:at + CENTRAL_ENTRY + name_len]
        if flags & UTF8_FLAG:
            try:
                name.decode("utf-8")
            except UnicodeDecodeError:
                patches[start + at + 9] = (flags & ~UTF8_FLAG) >> 8
                local, = struct.unpack_from("<I", central, at + 42)
                raw.seek(local + concat + 6)
                local_flags = raw.read(2)
                if local != 0xFFFFFFFF and len(local_flags) == 2:  # the local header's copy of the flag
                    patches[local + concat + 7] = (struct.unpack("<H", local_flags)[0] & ~UTF8_FLAG) >> 8
                names.add(name)
        at += CENTRAL_ENTRY + name_len + extra_len + comment_len
    return patches, names


def open_zip(raw) -> tuple[zipfile.ZipFile, set[bytes]]:
    """A ZipFile of a seekable binary file, and the member names (bytes) flagged UTF-8 that are not."""
    try:
        return zipfile.ZipFile(raw), set()
    except UnicodeDecodeError:
        patches, names = _bad_utf8_flags(raw)
        if not patches:
            raise
        return zipfile.ZipFile(_Patched(raw, patches)), names


def _too_many_entries(data: bytes, limits: Limits) -> str | None:
    """Why a learner's zip would cost too much to list (more entries, or more central directory, than its
    members allow), before :mod:`zipfile` builds an object per entry."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))
    except (OSError, AttributeError, struct.error):
        return None
    if not end:
        return None
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if entries > limits.zip_members or size > limits.zip_members * MEAN_ENTRY_BYTES:
        return f"zip has {entries:,} members in {size:,} bytes of directory (limit {limits.zip_members:,}); not read"
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: Budget) -> bytes | str:
    """The member's bytes, or why it was not read. Declared sizes are checked first, then actual reads."""
    if info.file_size > limits.file_bytes:
        return f"too large: {info.file_size:,} bytes declared (limit {limits.file_bytes:,}); not read"
    if info.flag_bits & 0x1:
        return "encrypted zip member; not read"
    try:
        budget.check_time()
        if budget.left <= 0:
            raise Unreadable(f"the upload's limit of {budget.max_bytes:,} bytes was used up; not read")
        with zf.open(info) as handle:
            return read_stream(handle.read, limits.file_bytes, budget, BOMB)
    except Unreadable as error:
        return str(error)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError,
            LookupError) as error:
        return f"damaged zip member: {type(error).__name__}"


def _members(zf: zipfile.ZipFile, bad: set[bytes]) -> list[tuple[zipfile.ZipInfo, str, str | None]]:
    """The files of a zip, sorted: (info, the name as it may be shown, why the name had to change)."""
    found = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        raw = info.orig_filename.encode("cp437", "replace") if bad else b""
        if raw in bad:
            shown, _ = safe_name(raw.decode("utf-8", "replace"))
            found.append((info, shown, "is not valid UTF-8"))
        else:
            found.append((info, *safe_name(info.filename)))
    return sorted(found, key=lambda item: item[1])


def read_zip(source: bytes | Path | BinaryIO, label: str, limits: Limits = LIMITS, depth: int = 0,
             budget: Budget | None = None, prefix: str = "", outer: tuple[str, float] | None = None,
             layout: str | None = None) -> Iterator[Submission]:
    """Every notebook (and rejected file) of a zip: a download (``outer`` None: each member is an upload
    with its own budget, the layout decided from all its names) or a learner's upload (``outer`` = (entry
    path, date): its members belong to that entry, share ``budget`` and take the entry's ``layout``)."""
    where = prefix.rstrip("/") or label
    if outer is not None and isinstance(source, bytes) and (crowded := _too_many_entries(source, limits)):
        yield Submission(label, where, outer[1] if outer else 0.0, problem=crowded, entry=outer[0] if outer else "",
                         layout=layout)
        return
    try:
        raw = (io.BytesIO(source) if isinstance(source, bytes)
               else open(source, "rb") if isinstance(source, Path) else source)  # noqa: SIM115
    except OSError as error:
        yield Submission(label, where, 0.0, problem=f"cannot read: {error.strerror or error}")
        return
    with raw:
        try:
            zf, bad = open_zip(raw)
            members = _members(zf, bad)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as error:
            yield Submission(label, where, 0.0, problem=f"not a readable zip: {type(error).__name__}",
                             entry=outer[0] if outer else "", layout=layout)
            return
        with zf:
            yield from _read_members(zf, members, label, limits, depth, budget, prefix, outer, layout)


def _read_members(zf: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, str, str | None]], label: str,
                  limits: Limits, depth: int, budget: Budget | None, prefix: str, outer: tuple[str, float] | None,
                  layout: str | None) -> Iterator[Submission]:
    """The members of an open zip as submissions (see :func:`read_zip`), each checked, then read."""
    kept = [(info, shown, odd) for info, shown, odd in members
            if unsafe_name(info.filename) or not skipped(PurePosixPath(shown.replace("\\", "/")).parts)]
    if outer is None:
        layout = layout_of(prefix + shown.replace("\\", "/").lstrip("/") for _, shown, _ in kept)
    if not kept:
        yield Submission(label, prefix.rstrip("/") or label, outer[1] if outer else 0.0,
                         problem="zip holds no files", entry=outer[0] if outer else "", layout=layout)
        return
    for number, (info, shown, odd) in enumerate(kept):
        posix = shown.replace("\\", "/")
        origin, path, date = f"{label}!{shown}", prefix + posix.lstrip("/"), zip_date(info)
        entry = outer[0] if outer else ""
        date = outer[1] if outer else date
        notes = (f"member name {odd}; shown with \ufffd",) if odd else ()
        base = {"entry": entry, "layout": layout, "notes": notes}
        if number >= limits.zip_members:
            yield Submission(origin, path, date, problem=f"zip has {len(kept):,} members (limit "
                             f"{limits.zip_members:,}); this one and the {len(kept) - number - 1:,} after it not read",
                             **base)
            return
        reason = unsafe_name(info.filename)
        if reason is None and stat.S_ISLNK(info.external_attr >> 16):
            reason = "symbolic link in zip; not read"
        suffix = PurePosixPath(posix).suffix.lower()
        if reason is None and suffix not in (NOTEBOOK_SUFFIX, ZIP_SUFFIX):
            reason = f"not a notebook ({suffix or 'no extension'} file)"
        if reason is None and suffix == ZIP_SUFFIX and depth >= limits.zip_depth:
            reason = "zip nested too deeply; not read"
        if reason is not None:
            yield Submission(origin, path, date, problem=reason, **base)
            continue
        upload = budget if outer else Budget(limits.upload_bytes, limits.seconds)
        content = _read_member(zf, info, limits, upload)
        if isinstance(content, str):
            yield Submission(origin, path, date, problem=content, **base)
        elif suffix == ZIP_SUFFIX:
            yield from read_zip(content, origin, limits, depth + 1, upload, prefix=path + "/",
                                outer=outer or (path, date), layout=layout)
        else:
            yield Submission(origin, path, date, data=content, **base)
