"""Learners' files read as data, each under its own budget: the one place ``grade``, ``collect`` and ``pulse``
read what learners made.

* Only regular files are opened: a FIFO, device, socket or symbolic-link loop is refused unopened (a FIFO
  would block a reader for ever, ``/dev/zero`` never ends). Links are followed only to a target inside the
  folder given as ``home`` (a learner's home, the teacher's input folder); the opened file is checked again
  by its descriptor (a regular file, still inside ``home``), so swapping a link in between changes nothing.
* Reads are bounded: at most ``cap + 1`` bytes in chunks, whatever a size in a header says, and each file or
  learner's upload has a :class:`Budget` of bytes and seconds of its own, never shared with anyone else's.
* Texts are made safe: a lone surrogate from a JSON escape (``"\\ud800"``), which no UTF-8 file can hold, and
  file names that are not UTF-8 or hold control characters are replaced with U+FFFD and reported.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
REPLACEMENT = "\ufffd"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_CONTAINERS = 1_000_000  # '{' and '[' in one file: bounds the memory its parse can take (and the walk)
OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
              | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}


class Unreadable(Exception):
    """A file that is not read; the message is the one-line reason the teacher reads."""


class TooManyContainers(ValueError):
    """A JSON file with more objects and lists than :data:`MAX_CONTAINERS`: not parsed."""


class Budget:
    """What one file or one learner's upload may cost: bytes read (decompressed) and seconds."""

    def __init__(self, max_bytes: int, seconds: float | None = None) -> None:
        self.max_bytes, self.left, self.seconds = max_bytes, max_bytes, seconds
        self.deadline = time.monotonic() + seconds if seconds and seconds > 0 else None

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise Unreadable(f"took longer than the time limit of {self.seconds:g} s per upload; not read")

    def charge(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise Unreadable(f"the upload holds more than {self.max_bytes:,} bytes once decompressed "
                             "(zip bomb?); the rest not read")
        self.check_time()


def read_stream(read, cap: int, budget: Budget | None, too_large: str) -> bytes:
    """At most ``cap`` bytes from ``read(n)``, in chunks, charged to the budget; past ``cap``, Unreadable
    with ``too_large`` (formatted with ``cap``)."""
    parts, size = [], 0
    while True:
        chunk = read(min(CHUNK, cap + 1 - size))
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > cap:
            raise Unreadable(too_large.format(cap=cap))
        if budget is not None:
            budget.charge(len(chunk))
        parts.append(chunk)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or below it (both resolved)."""
    return path == folder or folder in path.parents


def describe(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link loop; not read"
    return f"cannot be read ({error.strerror or error})"


def kind_of(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _opened_path(fd: int) -> Path | None:
    with contextlib.suppress(OSError):
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    return None


def open_regular(path: Path, home: Path | None = None) -> tuple[int, os.stat_result]:
    """A read-only descriptor of a regular file and its stat. A link is followed only to a target inside
    ``home`` (resolved); a FIFO, device, socket or loop is refused without being opened."""
    try:
        real = Path(os.path.realpath(path, strict=True))
        info = os.lstat(real)
    except OSError as error:
        raise Unreadable(describe(error)) from None
    home_real = Path(os.path.realpath(home)) if home is not None else None
    if home_real is not None and not inside(real, home_real):
        raise Unreadable("a link to a file outside the learner's own folder; not read")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(f"{kind_of(info.st_mode)}, not a file; not read")
    try:
        fd = os.open(real, OPEN_FLAGS)
    except OSError as error:
        raise Unreadable(describe(error)) from None
    opened = os.fstat(fd)  # what was opened, whatever the name points to now (an atomic replace is fine)
    where = _opened_path(fd)
    if not stat.S_ISREG(opened.st_mode) or (home_real is not None and where is not None
                                            and not inside(where, home_real)):
        os.close(fd)
        raise Unreadable("changed into something else while it was being opened; not read")
    return fd, opened


def read_regular(path: Path, cap: int, home: Path | None = None,
                 budget: Budget | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (at most ``cap``: a larger one is not read) and its stat."""
    fd, info = open_regular(path, home)
    try:
        if info.st_size > cap:
            raise Unreadable(f"too large: {info.st_size:,} bytes (limit {cap:,}); not read")
        data = read_stream(lambda n: os.read(fd, n), cap, budget,
                           "too large: more than {cap:,} bytes; not read")
    except OSError as error:
        raise Unreadable(describe(error)) from None
    finally:
        os.close(fd)
    return data, info


def file_key(info: os.stat_result) -> tuple[int, int]:
    """What makes two names one file (hard links): device and inode."""
    return info.st_dev, info.st_ino


def clean_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD, and how many were replaced."""
    return LONE_SURROGATE.subn(REPLACEMENT, text)


def safe_name(name: str) -> tuple[str, str | None]:
    """A file or folder name (as the OS gives it, or bytes) as it may be shown, invalid UTF-8 bytes and
    control characters replaced, and why it had to change (None when it did not)."""
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate that no file system gave (a name read from JSON)
        raw = name.encode("utf-8", "surrogatepass")
    shown = raw.decode("utf-8", "replace")
    problem = None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        problem = "is not valid UTF-8"
    shown, controls = CONTROL.subn(REPLACEMENT, shown)
    if controls and problem is None:
        problem = "holds control characters"
    return shown, problem


def clean_json(value: Any) -> tuple[Any, int]:
    """A parsed JSON value with every lone surrogate in its strings (keys included) replaced; how many.
    Only the strings that hold a lone surrogate are replaced (keys are re-inserted)."""
    replaced = 0

    def fix(text: str) -> str:
        nonlocal replaced
        new, count = clean_text(text)
        replaced += count
        return new

    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for index, element in enumerate(item):
                if isinstance(element, str):
                    item[index] = fix(element)
                elif isinstance(element, list | dict):
                    stack.append(element)
        elif isinstance(item, dict):
            for key in [k for k in item if LONE_SURROGATE.search(k)]:
                item[fix(key)] = item.pop(key)
            for key, element in item.items():
                if isinstance(element, str):
                    item[key] = fix(element)
                elif isinstance(element, list | dict):
                    stack.append(element)
    if isinstance(value, str):
        value = fix(value)
    return value, replaced


def load_json(data: bytes, text: str | None = None, max_containers: int = MAX_CONTAINERS) -> tuple[Any, int]:
    """JSON from UTF-8 bytes (a byte-order mark allowed; ``text``: the bytes already decoded) with lone
    surrogates replaced, and how many. More than ``max_containers`` objects and lists (counted on the bytes,
    before parsing) raise :class:`TooManyContainers`; UnicodeDecodeError, ValueError and RecursionError pass
    through for the caller to name."""
    containers = data.count(b"{") + data.count(b"[")
    if containers > max_containers:
        raise TooManyContainers(f"too many JSON objects and lists: {containers:,} (limit {max_containers:,})")
    value = json.loads(data.decode("utf-8-sig") if text is None else text)
    if (b"\\ud" in data or b"\\uD" in data) and SURROGATE_ESCAPE.search(data):  # a byte search first: fast
        return clean_json(value)
    return value, 0


def surrogate_note(count: int) -> str:
    """The note a file gets when invalid characters were replaced."""
    return (f"{count} invalid character{'s' if count != 1 else ''} (lone surrogate escapes such as \\ud800) "
            f"replaced with {REPLACEMENT}")
