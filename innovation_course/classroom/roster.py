"""The class list: who gets an exam copy, and which learner ID an LMS or hub account stands for.

A learner's variants follow one ID: their JupyterHub user name on a hub, else the learner ID they type in their
workbook (see ``engine.variants``). The grader knows each file's account (Canvas user, Moodle participant, hub
user, or the typed ID of a plain file; see ``grading.identify``); the roster maps an account to the learner ID
the variants were drawn for. Two forms are read:

* the course's own CSV: ``learner_id`` (required), ``name`` and ``account`` (``canvas-12345``,
  ``moodle-678``, ``hub-<user>``), one learner a row;
* Canvas's gradebook export (``Student, ID, SIS User ID, SIS Login ID, ...``; see ``grading.lms``): the
  account is ``canvas-<ID>``, the learner ID the ``SIS Login ID`` (else the ``SIS User ID``), the row
  ``Points Possible`` skipped.

Learner IDs are compared as :func:`engine.variants.learner_key` folds them (case, width, spaces).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..engine.variants import learner_key

LEARNER_ID, NAME, ACCOUNT = "learner_id", "name", "account"
CANVAS_ID, CANVAS_STUDENT, CANVAS_LOGIN, CANVAS_SIS = "ID", "Student", "SIS Login ID", "SIS User ID"
POINTS_POSSIBLE = "Points Possible"
MAX_ROWS = 100_000


class RosterError(ValueError):
    """The roster cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class Member:
    learner_id: str
    name: str = ""
    account: str = ""


@dataclass
class Roster:
    members: list[Member]

    def learner_for(self, account: str) -> str | None:
        """The learner ID of an account (``canvas-12345``...), or None when the roster does not list it."""
        for member in self.members:
            if member.account and member.account == account:
                return member.learner_id
        return None

    def by_account(self) -> dict[str, str]:
        return {m.account: m.learner_id for m in self.members if m.account}


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise RosterError(f"cannot read the roster {path.name}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise RosterError(f"the roster {path.name} is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for n, row in enumerate(reader):
        if n >= MAX_ROWS:
            raise RosterError(f"the roster {path.name} has more than {MAX_ROWS:,} rows")
        rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)})
    return rows


def read_roster(path: str | Path) -> Roster:
    """The roster in ``path`` (the course's CSV or Canvas's gradebook export)."""
    path = Path(path)
    rows = _rows(path)
    header = set(rows[0]) if rows else set()
    members: list[Member] = []
    if LEARNER_ID in header:
        members = [Member(r[LEARNER_ID], r.get(NAME, ""), r.get(ACCOUNT, "")) for r in rows if r.get(LEARNER_ID)]
    elif {CANVAS_ID, CANVAS_STUDENT} <= header and header & {CANVAS_LOGIN, CANVAS_SIS}:
        for row in rows:
            uid, learner = row.get(CANVAS_ID, ""), row.get(CANVAS_LOGIN) or row.get(CANVAS_SIS, "")
            if row.get(CANVAS_STUDENT) != POINTS_POSSIBLE and uid.isdigit() and learner:
                members.append(Member(learner, row.get(CANVAS_STUDENT, ""), f"canvas-{int(uid)}"))
    else:
        raise RosterError(f"the roster {path.name} has no {LEARNER_ID!r} column (nor Canvas's {CANVAS_ID!r} and "
                          f"{CANVAS_LOGIN!r}): write one learner a row with learner_id, name, account")
    if not members:
        raise RosterError(f"the roster {path.name} lists nobody")
    seen: dict[str, str] = {}
    for member in members:
        key = learner_key(member.learner_id)
        if key in seen:
            raise RosterError(f"the roster {path.name} lists learner ID {member.learner_id!r} twice")
        seen[key] = member.learner_id
    return Roster(members)
