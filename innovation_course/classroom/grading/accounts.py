"""One account per learner: typed IDs checked against the accounts, resubmissions found, copying flagged.

The account of a submission is decided in :mod:`identify` (LMS or hub account first, typed ID only for plain
files). Here the whole batch is looked at together, and everything odd goes to the report's Problems:

* a typed ID used by files of several accounts (a shared placeholder, a copied notebook, someone typing
  another's ID): reported; every file stays with its own account;
* a typed ID on an account's file that names another account of the batch: reported, never followed;
* two different names under one typed ID in plain files: both kept, as ``ID (name)``, and reported;
* identical answer sets under different accounts: "possible copying", graded normally, reported;
* identical written answers (free responses and short texts of at least MIN_TEXT_CHARS characters, compared
  after folding case and space) under different accounts: the same, question by question.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import replace

from ...engine import scoring
from .identify import BY_FILE, BY_IDENTITY, LMS_ACCOUNTS
from .mark import Marked

MIN_COPY_ANSWERS = 2  # identical sets of fewer answers are too common to mean anything
MIN_TEXT_CHARS = 40   # shorter written answers ("Zhongguancun") are the same by right
WRITTEN_KINDS = ("free", "text")


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _with_note(item: Marked, note: str) -> Marked:
    return item if note in item.notes else replace(item, notes=(*item.notes, note))


def separate_plain_files(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """Plain files are learners named after their path inside their input; files of one path in two inputs
    are two learners, kept apart by a short digest of where each came from."""
    origins: dict[str, set[str]] = defaultdict(set)
    for item in marked:
        if item.learner.identified_by == BY_FILE:
            origins[item.learner.id].add(item.origin)
    result = []
    for item in marked:
        learner = item.learner
        if learner.identified_by == BY_FILE and len(origins[learner.id]) > 1:
            digest = hashlib.sha256(item.origin.encode("utf-8", "replace")).hexdigest()[:6]
            item = replace(item, learner=replace(learner, id=f"{learner.id}-{digest}"))
        result.append(item)
    return result, []


def split_shared_typed_ids(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """Plain files are one learner only when they carry the same typed ID *and* the same typed name: a file
    with another name, or with none, under that ID is a learner of its own (so it never supersedes the
    others), kept as ``ID (name)`` and reported."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for item in marked:
        learner = item.learner
        if learner.identified_by == BY_IDENTITY:
            key = _name_key(learner.typed_name) or f"\0{item.origin}"  # no name: this file alone
            names[learner.id].setdefault(key, learner.typed_name or f"no name, {item.path}")
    shared = {lid: found for lid, found in names.items() if len(found) > 1}
    problems = [f"typed ID {lid!r} is used by {len(found)} different names ({', '.join(sorted(found.values()))}):"
                f" each kept as its own learner, none counted over another; check who is who"
                for lid, found in sorted(shared.items())]
    result = []
    for item in marked:
        learner = item.learner
        if learner.identified_by == BY_IDENTITY and learner.id in shared:
            shown = shared[learner.id][_name_key(learner.typed_name) or f"\0{item.origin}"]
            note = f"typed ID {learner.id!r} is also used by another name"
            item = _with_note(replace(item, learner=replace(learner, id=f"{learner.id} ({shown})")), note)
        result.append(item)
    return result, problems


def check_typed_ids(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """Typed IDs on account files: shared by several accounts, or naming another account: reported only."""
    accounts = {m.learner.id for m in marked if m.learner.identified_by in LMS_ACCOUNTS}
    by_typed: dict[str, set[str]] = defaultdict(set)
    for item in marked:
        if item.learner.identified_by in LMS_ACCOUNTS and item.learner.typed_id:
            by_typed[item.learner.typed_id].add(item.learner.id)
    problems: list[str] = []
    for typed, owners in sorted(by_typed.items()):
        if len(owners) > 1:
            problems.append(f"typed ID {typed!r} appears in files of {len(owners)} accounts "
                            f"({', '.join(sorted(owners))}): each file is counted for its own account")
    result = []
    for item in marked:
        learner = item.learner
        if learner.identified_by in LMS_ACCOUNTS and learner.typed_id:
            typed = learner.typed_id
            if len(by_typed[typed]) > 1:
                item = _with_note(item, f"typed ID {typed!r} is also in other accounts' files")
            elif typed in accounts and typed != learner.id:
                problems.append(f"{item.path}: the file of {learner.id} says it is {typed!r}; "
                                f"counted for {learner.id}, the account it came from")
                item = _with_note(item, f"typed ID {typed!r} names another account; ignored")
        if learner.note:
            problems.append(learner.note)
        result.append(item)
    return result, sorted(set(problems), key=problems.index)


def answers_fingerprint(item: Marked) -> str | None:
    """A digest of a counted submission's answers, or None when they are too few or all right."""
    given = [(m.id, m.answer) for m in item.marks if not scoring.is_blank(m.answer)]
    if len(given) < MIN_COPY_ANSWERS or all(m.status == scoring.CORRECT for m in item.marks
                                           if not scoring.is_blank(m.answer)):
        return None
    text = json.dumps([item.workbook, given], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def flag_copying(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """Counted submissions of different accounts with identical answers (not all right): flagged, graded."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(marked):
        if item.counted and item.marks:
            digest = answers_fingerprint(item)
            if digest:
                groups[digest].append(index)
    return _flag(marked, [(marked[indices[0]].workbook, indices) for indices in groups.values()],
                 "possible copying: identical answers to {what} from {accounts} (graded normally; check)",
                 "possible copying: the same answers as {others}")


def _flag(marked: list[Marked], groups: list[tuple[str, list[int]]], problem: str,
          note: str) -> tuple[list[Marked], list[str]]:
    """Every group (what, indices) holding more than one account: a problem line, and a note on each of its
    submissions naming the other accounts (at most ten named)."""
    result, problems = list(marked), []
    for what, indices in groups:
        accounts = sorted({marked[i].learner.id for i in indices})
        if len(accounts) < 2:
            continue
        problems.append(problem.format(what=what, accounts=_few(accounts)))
        for i in indices:
            others = _few([a for a in accounts if a != marked[i].learner.id])
            result[i] = _with_note(result[i], note.format(what=what, others=others))
    return result, problems


def written_key(text: object) -> str | None:
    """A written answer folded for comparison (case and space), or None when it is too short to compare."""
    if not isinstance(text, str):
        return None
    folded = " ".join(text.casefold().split())
    return folded if len(folded) >= MIN_TEXT_CHARS else None


def flag_identical_texts(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """Counted submissions of different accounts with the same written answer to a question: flagged."""
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(marked):
        if item.counted:
            for m in item.marks:
                if m.kind in WRITTEN_KINDS and (folded := written_key(m.answer)):
                    groups[(item.workbook, m.id, hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest())
                           ].append(index)
    return _flag(marked, [(f"{workbook} {question}", indices) for (workbook, question, _), indices
                          in sorted(groups.items())],
                 "possible copying: identical written answers to {what} from {accounts} (graded normally; check)",
                 "possible copying: the same answer to {what} as {others}")


def _few(names: list[str], shown: int = 10) -> str:
    """'a, b, c' or, past ``shown`` names, 'a, b, ... and 12 more'."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def resolve_all(marked: list[Marked]) -> tuple[list[Marked], list[str]]:
    """The whole batch settled: shared typed IDs split, typed IDs checked, the newest submission of each
    account and workbook counted (the others superseded), copying flagged; with every problem met."""
    from .gradebook import resolve_duplicates

    problems: list[str] = []
    for step in (separate_plain_files, split_shared_typed_ids, check_typed_ids):
        marked, more = step(marked)
        problems += more
    marked, more = flag_copying(resolve_duplicates(marked))
    marked, texts = flag_identical_texts(marked)
    return marked, problems + more + texts
