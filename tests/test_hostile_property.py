"""Property tests (issue 17): random home trees for ``collect`` and ``pulse``, random archives for ``grade``.

Homes get, at random: workbooks (some with a lone surrogate in a field, some truncated), journals, random
bytes, FIFOs, links to their own files, to a classmate's, out of the homes and round in loops, hard links
inside the home and into another's, names that are not UTF-8 or hold control characters. Archives get
nested zips, bombs, odd and invalid member names. Whatever comes: nothing crashes, every file is
accounted for, nothing is attributed across homes, and memory and time stay bounded per file.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import resource
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat
from grading_support import blank_ex01
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import AnswerKey
from innovation_course.classroom.grading.archive import read_zip
from innovation_course.classroom.grading.batch import mark_all
from innovation_course.classroom.grading.cli import outputs
from innovation_course.classroom.grading.mark import REJECTED
from innovation_course.classroom.grading.submission import Limits
from innovation_course.classroom.hub import collect as hubcollect
from innovation_course.classroom.hub.homes import user_problem
from innovation_course.classroom.pulse import Pulse, find_spec, page
from innovation_course.engine import journal, records
from innovation_course.engine.spec import parse_workbook

ROOT = Path(__file__).resolve().parents[1]
NAME = "ex01_policy_framework.ipynb"
BLANK = blank_ex01()
SPEC = parse_workbook(BLANK)
PULSE_SPEC, PULSE_KEYS = find_spec([ROOT / "solutions"], "ex01")
CHOICE = next(q for q in SPEC.questions.values() if q.kind == "choice")
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
SECONDS_PER_FILE = 2.0
PEAK_BYTES = 2**30

USERS = ["ann", "bob", "cai", "alice\n", os.fsdecode(b"d\xffn")]
FILE_NAMES = [NAME, "ex01_copy.ipynb", "Untitled.ipynb", "notes.ipynb", os.fsdecode(b"ex01_\xfe.ipynb"),
              "ex01\nx.ipynb", "работа.ipynb"]
KINDS = ["workbook", "bad unicode", "truncated", "bytes", "journal", "fifo", "link own", "link classmate",
         "link out", "loop", "hard link own", "hard link classmate", "folder link"]


BLANK_JSON = nbformat.writes(BLANK)


@functools.lru_cache(maxsize=256)
def workbook_bytes(answer: str, who: str, bad: bool = False) -> bytes:
    """The ex01 workbook with one choice answer and an identity; ``bad``: the answer is a lone surrogate."""
    nb = json.loads(BLANK_JSON)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [nbformat.v4.new_output("display_data", data=records.bundle(records.make_record(
        SPEC.id, SPEC.version, qid, kind, value), "line")) for qid, kind, value in (
        (records.IDENTITY, "identity", {"name": who, "id": "x"}), (CHOICE.id, "choice", "@@" if bad else answer))]
    return json.dumps(nb, ensure_ascii=True).replace('"@@"', '"\\ud800"').encode()


homes_strategy = st.lists(
    st.tuples(st.sampled_from(USERS),
              st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(FILE_NAMES), st.sampled_from(CHOICE.options)),
                       max_size=5)),
    min_size=1, max_size=4, unique_by=lambda h: h[0])


def _own(own: dict[str, set[str]], user: str, path: Path) -> None:
    own[user].add(hashlib.sha256(path.read_bytes()).hexdigest())


def build_homes(root: Path, plan) -> dict[str, set[str]]:
    """Make the homes; returns user → what is truly theirs: sha256 of their own answered workbooks (regular
    files in their home, in no other home) and a mark per journal of theirs."""
    homes, own = root / "homes", {user: set() for user, _ in plan}
    homes.mkdir()
    outside = root / "outside.ipynb"
    outside.write_bytes(workbook_bytes(CHOICE.options[0], "outsider"))
    users = [user for user, _ in plan]
    for user in users:
        (homes / user).mkdir()
    for user, entries in plan:
        home = homes / user
        classmate = next((u for u in users if u != user), None)
        for n, (kind, name, answer) in enumerate(entries):
            path = home / f"d{n}" / name
            path.parent.mkdir()
            data = workbook_bytes(answer, user, bad=kind == "bad unicode")
            if kind in ("workbook", "bad unicode"):
                path.write_bytes(data)
                _own(own, user, path)
            elif kind == "truncated":
                path.write_bytes(data[: len(data) // 2])
            elif kind == "bytes":
                path.write_bytes(os.urandom(64))
            elif kind == "journal":  # this release's (in the home's Jupyter data folder) or an earlier one's
                record = records.make_record(SPEC.id, SPEC.version, CHOICE.id, "choice", answer)
                notebook_id = hashlib.sha256(os.fsencode(f"{user} {n}")).hexdigest()[:32]
                journal.write_record(record, notebook_id, path=path, folder=home / journal.IN_HOME)
                if n % 2:
                    (path.parent / journal.FOLDER).mkdir()
                    journal.journal_path(notebook_id, home / journal.IN_HOME).rename(
                        path.parent / journal.FOLDER / f"{SPEC.id}.answers.json")
                own[user].add(f"journal {n}")
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "link own":
                target = home / "mine.ipynb"
                if not target.exists():
                    target.write_bytes(data)
                _own(own, user, target)
                path.symlink_to(target)
            elif kind == "link classmate" and classmate:
                target = homes / classmate / "theirs.ipynb"
                if not target.exists():
                    target.write_bytes(workbook_bytes(answer, f"{classmate} (theirs)"))
                _own(own, classmate, target)
                path.symlink_to(target)
            elif kind == "link out":
                path.symlink_to(outside if n % 2 else Path("/dev/zero"))
            elif kind == "loop":
                path.symlink_to(path)
            elif kind == "hard link own":
                path.write_bytes(data)
                os.link(path, path.with_name("again.ipynb"))
                _own(own, user, path)
            elif kind == "hard link classmate" and classmate:
                target = homes / classmate / "shared.ipynb"
                if not target.exists():
                    target.write_bytes(workbook_bytes(answer, f"{classmate} (shared)"))
                os.link(target, path)
            elif kind == "folder link" and classmate:
                path.parent.rmdir()
                path.parent.symlink_to(homes / classmate)
    shared = homes / users[0] / "x"
    for user in users:  # a file with names in two homes belongs to neither
        target = homes / user / "shared.ipynb"
        if target.exists() and os.stat(target).st_nlink > 1:
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            for owner in users:
                own[owner].discard(digest)
    del shared
    return own


def valid_users(plan) -> list[str]:
    return [user for user, _ in plan if user_problem(user) is None]


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def bounded(plan, run, root: Path):
    """Build the homes under ``root`` and ``run(root)`` on them, held to SECONDS_PER_FILE per file and
    PEAK_BYTES; its result and what is truly each user's."""
    own = build_homes(root, plan)
    started = time.perf_counter()
    result = run(root)
    files = sum(len(entries) for _, entries in plan) + len(plan)
    assert time.perf_counter() - started < SECONDS_PER_FILE * files
    assert peak() < PEAK_BYTES
    return result, own


@SETTINGS
@given(plan=homes_strategy)
def test_random_homes_collect_without_crash_or_misattribution(plan):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        result, own = bounded(plan, lambda root: hubcollect.collect(root / "homes", "ex01", root / "out"), root)
        manifest = json.loads((root / "out" / "hub-collection.json").read_bytes().decode("utf-8"))
        assert manifest["files"] == result.files
        for entry in manifest["files"]:
            assert entry["sha256"] in own[entry["user"]], "a file counted for someone it does not belong to"
            data = (root / "out" / entry["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        collected = {f["user"] for f in manifest["files"]}
        for user in valid_users(plan):  # every home accounted for: collected or missing
            assert (user in collected) != (user in manifest["missing"])
            assert (user in collected) == any(not mark.startswith("journal") for mark in own[user])
        skipped = len(plan) - len(valid_users(plan))
        assert sum("not a hub user name" in p for p in manifest["problems"]) == skipped


@SETTINGS
@given(plan=homes_strategy)
def test_random_homes_pulse_without_crash_or_misattribution(plan):
    with tempfile.TemporaryDirectory() as temp:
        view, own = bounded(plan, lambda root: Pulse(root / "homes", PULSE_SPEC, PULSE_KEYS, show_typed=True).round(),
                            Path(temp))
    expected = sum(1 for user in valid_users(plan) if own[user])
    assert view["learners"] == expected
    row = next(q for q in view["questions"] if q["id"] == CHOICE.id)
    assert row["answered"] == expected
    page(view, 5).encode("utf-8")


# --- archives for grade ----------------------------------------------------------------------------------

GRADE_KEY = AnswerKey()
GRADE_KEY.add(parse_workbook(synthetic.workbook_notebook()))
VALID = synthetic.to_bytes(synthetic.with_answers(synthetic.workbook_notebook(), {"plan-year": "2015"},
                                                  {"name": "A", "id": "a"}))
SMALL = Limits(file_bytes=300_000, upload_bytes=900_000, zip_members=50, seconds=5.0)
MEMBER_NAMES = st.one_of(
    st.sampled_from(["ann_1_10_ex01.ipynb", "Bo Li_22_assignsubmission_file/ex01.ipynb", "../up.ipynb",
                     "/abs.ipynb", "a\\b.ipynb", "x.pdf", ".hidden.ipynb", "__MACOSX/x.ipynb", "cat_3_30_w.zip",
                     "ann_1_10_ex01.ipynb\n", "дом_4_40_ex01.ipynb"]),
    st.text(min_size=1, max_size=30).map(lambda s: s.replace("\x00", "") + ".ipynb"))


@st.composite
def archive(draw, depth: int = 0) -> bytes:
    members = {}
    for _ in range(draw(st.integers(0, 6))):
        name = draw(MEMBER_NAMES)
        kind = draw(st.sampled_from(["valid", "bytes", "bomb", "nested"] if depth < 2 else ["valid", "bytes"]))
        if kind == "nested":
            members[name.rsplit(".", 1)[0] + ".zip"] = draw(archive(depth + 1))
        elif kind == "bomb":
            members[name] = bytes(draw(st.sampled_from([250_000, 400_000])))
        else:
            members[name] = VALID if kind == "valid" else draw(st.binary(max_size=200))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 3, 1, 12, 0, 0)), data)
    data = buffer.getvalue()
    if draw(st.booleans()) and members:  # one name flagged UTF-8 that is not
        raw = bytearray(data)
        at = raw.rfind(b"PK\x01\x02")
        raw[at + 9] |= 0x08
        name_len = int.from_bytes(raw[at + 28:at + 30], "little")
        if name_len:
            raw[at + 46] = 0xFF
        data = bytes(raw)
    return data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=archive())
def test_random_archives_are_read_and_marked_without_crash(data):
    started = time.perf_counter()
    subs = list(read_zip(data, "download.zip", SMALL))
    tops: dict[str, int] = {}
    for sub in subs:
        assert sub.data is None or len(sub.data) <= SMALL.file_bytes
        if sub.entry:
            tops[sub.entry] = tops.get(sub.entry, 0) + (len(sub.data) if sub.data else 0)
    assert all(total <= SMALL.upload_bytes for total in tops.values()), "an upload read past its budget"
    for sub in subs:
        if sub.entry:  # a nested member belongs to the learner's entry it came in, never to its own name
            assert sub.path == sub.entry or sub.path.startswith(sub.entry + "/")
    marked = mark_all(subs, GRADE_KEY)
    assert sorted(m.origin for m in marked) == sorted(s.origin for s in subs)  # every file accounted for
    for m in marked:
        assert "internal error" not in m.reason
        if m.status == REJECTED:
            assert m.reason
    files = outputs(marked, [], "s")
    for content in files.values():
        content.decode("utf-8")
    assert time.perf_counter() - started < SECONDS_PER_FILE * max(1, len(subs))
    assert peak() < PEAK_BYTES
