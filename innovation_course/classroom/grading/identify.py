"""Who submitted a workbook: the account the LMS (or JupyterHub) names first, the typed ID only for plain files.

Canvas names a download ``lastfirst_12345_67890_ex01.ipynb`` (``lastfirst_late_12345_...`` when late; a
resubmission ends in ``-1``): 12345 is the learner's Canvas user id. Moodle puts each learner's files in a
folder ``Full Name_12345_assignsubmission_file_/`` (or prefixes the file name the same way): 12345 is the
participant id. A ``hub-collection.json`` manifest names the JupyterHub user of each file. Those accounts
decide whose file it is; what the learner typed in the identity block never overrides them. Only a plain
file (none of those) is identified by the typed ID, and a typed ID may not use a reserved prefix
(``canvas-``, ``moodle-``, ``hub-``, ``file-``), so nobody can type their way into another account. A plain
file without a typed ID is its own learner, ``file-<its path>``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

BY_IDENTITY, BY_CANVAS, BY_MOODLE, BY_HUB, BY_FILE = ("identity block", "Canvas file name", "Moodle folder",
                                                      "JupyterHub user", "file name")
LMS_ACCOUNTS = (BY_CANVAS, BY_MOODLE, BY_HUB)
RESERVED = ("canvas-", "moodle-", "hub-", "file-")

CANVAS = re.compile(r"^(?P<login>[^_/]{1,200}?)(?:_late)?_(?P<uid>\d{1,20})_(?P<sub>\d{1,20})_(?P<file>.+)$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>[^/]{1,200}?)_(?P<pid>\d{1,20})_assign(?:submission|feedback)_[a-z]{1,40}_"
                    r"(?P<rest>.*)$")
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_TEXT = 200
MAX_PART = 255  # longer path parts are never matched against the LMS patterns


@dataclass(frozen=True)
class Learner:
    """A learner as the gradebook knows them. ``lms_id`` is the LMS's own id when its file name gave one;
    ``typed_id`` what the identity block says (kept for the record, used only for plain files)."""

    id: str
    name: str
    identified_by: str
    lms: str = ""        # "canvas", "moodle", "hub" or ""
    lms_id: str = ""
    typed_id: str = ""
    note: str = ""       # a problem met while identifying (for the report's Problems)


def _clean(value: object) -> str:
    """A printable one-line text of at most MAX_TEXT characters ('' for None and non-scalars)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    text = " ".join(str(value)[:4 * MAX_TEXT].split())
    return "".join(ch for ch in text if ch.isprintable())[:MAX_TEXT]


def lms_account(path: str) -> Learner | None:
    """The Canvas or Moodle account a file's LMS name points to, or None."""
    pure = PurePosixPath(path.replace("\\", "/"))
    for part in (*pure.parent.parts, pure.name):  # the outermost folder is the LMS's, inner ones the learner's
        moodle = MOODLE.match(part) if len(part) <= MAX_PART else None
        if moodle:
            return Learner(f"moodle-{int(moodle['pid'])}", _clean(moodle["name"]), BY_MOODLE, "moodle",
                           str(int(moodle["pid"])))
    canvas = CANVAS.match(pure.name) if len(pure.name) <= MAX_PART else None
    if canvas:
        return Learner(f"canvas-{int(canvas['uid'])}", _clean(canvas["login"]), BY_CANVAS, "canvas",
                       str(int(canvas["uid"])))
    return None


def file_learner(origin: str) -> Learner:
    """A plain file nobody's account or typed ID claims: its own learner, named after its path."""
    stem = origin[:-len(".ipynb")] if origin.lower().endswith(".ipynb") else origin
    stem = _clean(stem) or "unknown"
    return Learner(f"file-{stem}", _clean(PurePosixPath(stem).name) or stem, BY_FILE)


def from_path(path: str, origin: str = "") -> Learner:
    """The learner a file's LMS name points to (Canvas, Moodle), else the file itself."""
    return lms_account(path) or file_learner(origin or path)


def reserved(typed: str) -> bool:
    """Whether a typed ID uses a prefix the grader keeps for accounts."""
    return typed.lower().startswith(RESERVED)


def identify(identity: dict | None, path: str, origin: str = "", hub_user: str = "") -> Learner:
    """The learner of a submission: the hub user or LMS account when there is one (the typed name is shown,
    the typed ID kept); else the typed ID; else the file."""
    identity = identity if isinstance(identity, dict) else {}
    typed, name = _clean(identity.get("id")), _clean(identity.get("name"))
    if hub_user:
        user = _clean(hub_user)
        return Learner(f"hub-{user}", name or user, BY_HUB, "hub", user, typed)
    account = lms_account(path)
    if account is not None:
        return Learner(account.id, name or account.name, account.identified_by, account.lms, account.lms_id, typed)
    if typed and reserved(typed):
        plain = file_learner(origin or path)
        note = f"{origin or path}: typed ID {typed!r} uses a reserved prefix; the file is identified by its name"
        return Learner(plain.id, name or plain.name, BY_FILE, typed_id=typed, note=note)
    if typed:
        return Learner(typed, name or typed, BY_IDENTITY, typed_id=typed)
    plain = file_learner(origin or path)
    return Learner(plain.id, name or plain.name, BY_FILE)


def safe_id(learner_id: str) -> str:
    """A file name for a learner id: letters, digits, '.', '_' and '-' only, never '..' nor a device name.

    When the id had to change, a short hash of the original keeps two different ids apart.
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", learner_id).strip("._-")[:80]
    if cleaned == learner_id and cleaned and not WINDOWS_RESERVED.match(cleaned):
        return cleaned
    digest = hashlib.sha256(learner_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or 'learner'}-{digest}"
