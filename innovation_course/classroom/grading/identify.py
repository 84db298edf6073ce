"""Who submitted a workbook: the account the LMS (or JupyterHub) names first, the typed ID only for plain files.

The names are read by the LMSs' own rules, each ported from the function that reads or writes them:

* Canvas ("Download Submissions", ``lib/content_zipper.rb``, ``ContentZipper#get_filename``): the file name is
  ``<sortable name>_[LATE_]<user id>_<attachment id>_<file>``, the sortable name lower-cased with every
  non-word character removed (``_`` stays); under anonymous grading ``[LATE_]anon_<5 base58>_<attachment
  id>_<file>``. Read back like ``Assignment#infer_comment_context_from_filename``: the first two all-digit
  ``_``-parts are the user id and the attachment id.
* Moodle ("Download all submissions", ``mod/assign/classes/downloader.php`` from 4.1, ``assign::
  download_submissions`` in ``locallib.php`` before): a folder ``Full Name_<participant id>_assignsubmission_
  file`` (4.1 and later), ``..._file_`` (3.x), or "without folders" the same prefix on each file name,
  ``Full Name_<participant id>_assignsubmission_file_<file>``; Moodle replaces ``_`` in names with spaces.
  Read like ``assignfeedback_file_zip_importer::is_valid_filename_for_import``: a path part split on ``_``
  into at most five pieces, the second the participant id, the third and fourth the plugin.

Which LMS a download comes from is decided by its layout as a whole (:func:`layout_of`), never file by file:
a file of a Canvas download whose own name happens to look like a Moodle name stays a Canvas file. A
``hub-collection.json`` manifest names the JupyterHub user of each file. Those accounts decide whose file it
is; what the learner typed never overrides them. Only a plain file is identified by the typed ID, which may
not use a reserved prefix (``canvas-``, ``moodle-``, ``hub-``, ``file-``). A plain file without a typed ID is
its own learner, ``file-<its path>``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

BY_IDENTITY, BY_CANVAS, BY_MOODLE, BY_HUB, BY_FILE = ("identity block", "Canvas file name", "Moodle folder",
                                                      "JupyterHub user", "file name")
LMS_ACCOUNTS = (BY_CANVAS, BY_MOODLE, BY_HUB)
RESERVED = ("canvas-", "moodle-", "hub-", "file-")
CANVAS, MOODLE, HUB = "canvas", "moodle", "hub"
NUMBER = re.compile(r"[0-9]{1,20}")
ANONYMOUS = re.compile(r"[1-9A-HJ-NP-Za-km-z]{5}")  # Anonymity.generate_short_id: SecureRandom.base58(5)
PLUGIN = re.compile(r"assign(?:submission|feedback)")
PLUGIN_TYPE = re.compile(r"[a-z0-9]{1,40}")
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_TEXT = 200
MAX_PART = 255  # longer path parts are never matched against the LMS patterns


@dataclass(frozen=True)
class Learner:
    """A learner as the gradebook knows them. ``lms_id`` is the LMS's own id when its file name gave one;
    ``typed_id`` and ``typed_name`` what the identity block says (kept for the record, used only for plain
    files); ``hub_user`` the hub user the workbook itself recorded."""

    id: str
    name: str
    identified_by: str
    lms: str = ""        # "canvas", "moodle", "hub" or ""
    lms_id: str = ""
    typed_id: str = ""
    note: str = ""       # a problem met while identifying (for the report's Problems)
    typed_name: str = ""
    hub_user: str = ""


def _clean(value: object) -> str:
    """A printable one-line text of at most MAX_TEXT characters ('' for None and non-scalars)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    text = " ".join(str(value)[:4 * MAX_TEXT].split())
    return "".join(ch for ch in text if ch.isprintable())[:MAX_TEXT]


def canvas_name(name: str) -> tuple[str, str] | None:
    """(sortable name, user id) of a Canvas download name; ('', 'anon_<id>') under anonymous grading."""
    if len(name) > MAX_PART:
        return None
    parts = name.split("_")
    start = 1 if parts[0].lower() == "late" else 0
    if (len(parts) >= start + 4 and parts[start] == "anon" and ANONYMOUS.fullmatch(parts[start + 1])
            and NUMBER.fullmatch(parts[start + 2])):
        return "", f"anon_{parts[start + 1]}"
    numbers = [i for i, part in enumerate(parts) if NUMBER.fullmatch(part)][:2]
    if len(numbers) < 2 or numbers[1] != numbers[0] + 1 or numbers[1] == len(parts) - 1:
        return None
    login = parts[:numbers[0]]
    if login and login[-1].lower() == "late":
        login = login[:-1]
    return "_".join(login), str(int(parts[numbers[0]]))


def moodle_part(part: str) -> tuple[str, str] | None:
    """(full name, participant id) of a Moodle folder name or "without folders" file name."""
    if len(part) > MAX_PART:
        return None
    pieces = part.split("_", 4)
    if (len(pieces) < 4 or not NUMBER.fullmatch(pieces[1]) or not PLUGIN.fullmatch(pieces[2])
            or not PLUGIN_TYPE.fullmatch(pieces[3])):
        return None
    return pieces[0], str(int(pieces[1]))


def _parts(path: str) -> tuple[str, ...]:
    pure = PurePosixPath(path.replace("\\", "/"))
    return (*pure.parent.parts, pure.name)


def moodle_account(path: str) -> tuple[str, str] | None:
    """The outermost path part that is a Moodle submission name (the LMS's folder; inner ones are the
    learner's)."""
    for part in _parts(path):
        found = moodle_part(part)
        if found:
            return found
    return None


def layout_of(paths: Iterable[str]) -> str:
    """Which LMS made a download, from all its file paths: ``canvas``, ``moodle`` or '' (neither, or as
    many files of each)."""
    canvas = moodle = 0
    for path in paths:
        canvas += canvas_name(_parts(path)[-1]) is not None
        moodle += moodle_account(path) is not None
    if canvas == moodle:
        return ""
    return CANVAS if canvas > moodle else MOODLE


def lms_account(path: str, layout: str | None = None) -> Learner | None:
    """The Canvas or Moodle account a file's LMS name points to, or None. ``layout`` is the download's
    (:func:`layout_of`); None reads the path as a download of its own."""
    layout = layout_of([path]) if layout is None else layout
    if layout == MOODLE and (found := moodle_account(path)):
        return Learner(f"moodle-{found[1]}", _clean(found[0]), BY_MOODLE, MOODLE, found[1])
    if layout == CANVAS and (found := canvas_name(_parts(path)[-1])):
        login, uid = found
        anonymous = uid.startswith("anon_")
        return Learner(f"canvas-{uid.replace('_', '-')}", _clean(login) or ("anonymous" if anonymous else uid),
                       BY_CANVAS, CANVAS, uid)
    return None


def file_learner(origin: str) -> Learner:
    """A plain file nobody's account or typed ID claims: its own learner, named after its path inside its input
    (never the teacher's folder or archive name; :func:`accounts.separate_plain_files` keeps two inputs'
    files of one path apart)."""
    stem = origin[:-len(".ipynb")] if origin.lower().endswith(".ipynb") else origin
    stem = _clean(stem) or "unknown"
    return Learner(f"file-{stem}", _clean(PurePosixPath(stem).name) or stem, BY_FILE)


def from_path(path: str, origin: str = "", layout: str | None = None) -> Learner:
    """The learner a file's LMS name points to (Canvas, Moodle), else the file itself."""
    return lms_account(path, layout) or file_learner(path or origin)


def reserved(typed: str) -> bool:
    """Whether a typed ID uses a prefix the grader keeps for accounts."""
    return typed.lower().startswith(RESERVED)


def identify(identity: dict | None, path: str, origin: str = "", hub_user: str = "",
             layout: str | None = None) -> Learner:
    """The learner of a submission: the hub user or LMS account when there is one (the typed name is shown,
    the typed ID kept); else the typed ID; else the file."""
    identity = identity if isinstance(identity, dict) else {}
    typed, name = _clean(identity.get("id")), _clean(identity.get("name"))
    recorded = _clean(identity.get("hub_user"))
    if hub_user:
        user = _clean(hub_user)
        return Learner(f"hub-{user}", name or user, BY_HUB, HUB, user, typed, typed_name=name, hub_user=recorded)
    account = lms_account(path, layout)
    if account is not None:
        return Learner(account.id, name or account.name, account.identified_by, account.lms, account.lms_id, typed,
                       typed_name=name, hub_user=recorded)
    if typed and reserved(typed):
        plain = file_learner(path or origin)
        note = f"{path}: typed ID {typed!r} uses a reserved prefix; the file is identified by its name"
        return Learner(plain.id, name or plain.name, BY_FILE, typed_id=typed, note=note, typed_name=name,
                       hub_user=recorded)
    if typed:
        return Learner(typed, name or typed, BY_IDENTITY, typed_id=typed, typed_name=name, hub_user=recorded)
    plain = file_learner(path or origin)
    return Learner(plain.id, name or plain.name, BY_FILE, typed_name=name, hub_user=recorded)


def safe_id(learner_id: str) -> str:
    """A file name for a learner id: letters, digits, '.', '_' and '-' only, never '..' nor a device name.

    When the id had to change, a short hash of the original keeps two different ids apart.
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", learner_id).strip("._-")[:80]
    if cleaned == learner_id and cleaned and not WINDOWS_RESERVED.match(cleaned):
        return cleaned
    digest = hashlib.sha256(learner_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or 'learner'}-{digest}"
