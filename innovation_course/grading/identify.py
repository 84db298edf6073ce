"""Who submitted a workbook: the identity block the learner filled in, else the name the LMS gave the file.

Canvas names a download ``lastfirst_12345_67890_ex01.ipynb`` (``lastfirst_late_12345_...`` when late):
12345 is the learner's Canvas user id. Moodle puts each learner's files in a folder
``Full Name_12345_assignsubmission_file_/`` (or prefixes the file name the same way): 12345 is the
participant id. Anything else: the file name's stem.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

BY_IDENTITY, BY_CANVAS, BY_MOODLE, BY_FILE = "identity block", "Canvas file name", "Moodle folder", "file name"

CANVAS = re.compile(r"^(?P<login>[^_/]+?)(?:_late)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>.+)$", re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_[a-z]+_(?P<rest>.*)$")
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_TEXT = 200


@dataclass(frozen=True)
class Learner:
    """A learner as the gradebook knows them. ``lms_id`` is the LMS's own id when its file name gave one."""

    id: str
    name: str
    identified_by: str
    lms: str = ""        # "canvas", "moodle" or ""
    lms_id: str = ""


def _clean(value: object) -> str:
    """A printable one-line text of at most MAX_TEXT characters ('' for None and non-scalars)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    text = " ".join(str(value).split())
    return "".join(ch for ch in text if ch.isprintable())[:MAX_TEXT]


def from_path(path: str) -> Learner:
    """The learner a file's LMS name points to (Canvas, Moodle), else its stem."""
    pure = PurePosixPath(path.replace("\\", "/"))
    for part in (*reversed(pure.parent.parts), pure.name):
        moodle = MOODLE.match(part)
        if moodle:
            name = _clean(moodle["name"])
            return Learner(f"moodle-{moodle['pid']}", name, BY_MOODLE, "moodle", moodle["pid"])
    canvas = CANVAS.match(pure.name)
    if canvas:
        return Learner(f"canvas-{canvas['uid']}", _clean(canvas["login"]), BY_CANVAS, "canvas", canvas["uid"])
    stem = _clean(pure.stem) or "unknown"
    return Learner(stem, stem, BY_FILE)


def identify(identity: dict | None, path: str) -> Learner:
    """The learner of a submission: the identity block's ID when given (its name too), else :func:`from_path`."""
    by_path = from_path(path)
    identity = identity if isinstance(identity, dict) else {}
    learner_id, name = _clean(identity.get("id")), _clean(identity.get("name"))
    if learner_id:
        return Learner(learner_id, name or learner_id, BY_IDENTITY, by_path.lms, by_path.lms_id)
    if name:
        return Learner(by_path.id, name, by_path.identified_by, by_path.lms, by_path.lms_id)
    return by_path


def safe_id(learner_id: str) -> str:
    """A file name for a learner id: letters, digits, '.', '_' and '-' only, never '..' nor a device name.

    When the id had to change, a short hash of the original keeps two different ids apart.
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", learner_id).strip("._-")[:80]
    if cleaned == learner_id and cleaned and not WINDOWS_RESERVED.match(cleaned):
        return cleaned
    digest = hashlib.sha256(learner_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or 'learner'}-{digest}"
