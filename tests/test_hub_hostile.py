"""``collect`` and ``pulse``, issue 17: no single file in a home stops or fools them, and the projected page
shows nothing a learner typed. Each case is the input that broke them (built from the real ex01 workbook and
the real journal module, as in ``test_collect_homes.py`` and ``test_pulse.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from grading_support import EX01, ROOT, blank_ex01

from innovation_course.classroom.cli import main
from innovation_course.classroom.hub import collect as hubcollect
from innovation_course.classroom.pulse import Pulse, find_spec, page
from innovation_course.engine import journal, records
from innovation_course.engine.spec import parse_workbook

NAME = EX01


@pytest.fixture(scope="module")
def blank() -> nbformat.NotebookNode:
    return blank_ex01()


@pytest.fixture(scope="module")
def spec_and_keys():
    return find_spec([ROOT / "solutions"], "ex01")


def workbook(blank, answers: dict, who: dict | None = None) -> str:
    """The ex01 workbook saved with these answers (and identity) as records."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(blank)))
    spec = parse_workbook(nb)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    given = ({records.IDENTITY: who} if who else {}) | answers
    cell.outputs = [nbformat.v4.new_output("display_data", data=records.bundle(records.make_record(
        spec.id, spec.version, qid, "identity" if qid == records.IDENTITY else spec.questions[qid].kind, answer),
        "line")) for qid, answer in given.items()]
    return nbformat.writes(nb)


def first_question(spec, kind: str):
    return next(q for q in spec.questions.values() if q.kind == kind)


def put(path: Path, text: str | bytes, mtime: float = 1_000_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    os.utime(path, (mtime, mtime))
    return path


def manifest(out: Path) -> dict:
    return json.loads((out / "hub-collection.json").read_text(encoding="utf-8"))


# --- collect --------------------------------------------------------------------------------------------

def test_collect_survives_every_file_that_stopped_it(tmp_path, blank):
    homes = tmp_path / "homes"
    put(homes / "ann" / NAME, workbook(blank, {}, {"name": "Ann", "id": "1"}))
    put(homes / "bea" / os.fsdecode(b"ex01_\xff.ipynb"), workbook(blank, {}, {"name": "Bea", "id": "2"}))
    put(homes / "cai" / "notes.ipynb", '{"cells": [], "metadata": {"innovation_course": {"workbook": 1}}}')
    put(homes / "cai" / NAME, workbook(blank, {}, {"name": "Cai", "id": "3"}))
    (homes / "dan").mkdir()
    (homes / "dan" / "ex01_a.ipynb").symlink_to(homes / "dan" / "ex01_b.ipynb")
    (homes / "dan" / "ex01_b.ipynb").symlink_to(homes / "dan" / "ex01_a.ipynb")
    os.mkfifo(homes / "dan" / "ex01_pipe.ipynb")
    (homes / "dan" / "ex01_zero.ipynb").symlink_to("/dev/zero")
    started = time.perf_counter()
    out = tmp_path / "out"
    assert main(["collect", str(homes), "--workbook", "ex01", "--out", str(out)]) == 0
    assert time.perf_counter() - started < 30  # the FIFO would block for ever, /dev/zero never ends
    found = manifest(out)
    assert sorted(f["user"] for f in found["files"]) == ["ann", "bea", "cai"]
    bea = next(f for f in found["files"] if f["user"] == "bea")
    assert bea["path"] == "bea/ex01_\ufffd.ipynb" and (out / bea["path"]).exists()
    problems = "\n".join(found["problems"])
    assert "bea: the file name ex01_\ufffd.ipynb is not valid UTF-8 or holds control characters" in problems
    assert problems.count("dan:") == 4 and "loop" in problems and "FIFO" in problems
    assert "outside the learner's own folder" in problems and found["missing"] == ["dan"]


def test_collect_takes_the_workbook_id_short_or_in_full_or_lists_the_workbooks(tmp_path, blank, capsys):
    homes = tmp_path / "homes"
    put(homes / "ann" / NAME, workbook(blank, {}, {"name": "Ann", "id": "1"}))
    for given in ("ex01", "ex01-policy-framework"):
        assert main(["collect", str(homes), "--workbook", given, "--out", str(tmp_path / given)]) == 0
        assert [f["user"] for f in manifest(tmp_path / given)["files"]] == ["ann"]
    assert main(["collect", str(homes), "--workbook", "ex09", "--out", str(tmp_path / "x")]) == 2
    assert "'ex09' names no workbook; the workbooks are: ex01-policy-framework, ex02" in capsys.readouterr().err


def test_a_link_to_a_classmates_workbook_is_refused_and_reported(tmp_path, blank):
    homes = tmp_path / "homes"
    put(homes / "bob" / NAME, workbook(blank, {}, {"name": "Bob", "id": "2", "hub_user": "bob"}))
    (homes / "eve").mkdir(parents=True)
    (homes / "eve" / "Untitled.ipynb").symlink_to(homes / "bob" / NAME)
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert [f["user"] for f in result.files] == ["bob"] and result.missing == ["eve"]
    assert any(p.startswith("eve: Untitled.ipynb: a link to a file outside") for p in result.problems)


def test_a_hard_link_between_homes_counts_for_nobody(tmp_path, blank):
    homes = tmp_path / "homes"
    put(homes / "bob" / NAME, workbook(blank, {}, {"name": "Bob", "id": "2"}))
    (homes / "eve").mkdir(parents=True)
    os.link(homes / "bob" / NAME, homes / "eve" / NAME)
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert result.files == [] and result.missing == ["bob", "eve"]
    assert sum("in the homes of bob, eve" in p for p in result.problems) == 2


def test_a_file_recording_another_hub_user_is_flagged(tmp_path, blank):
    homes = tmp_path / "homes"
    put(homes / "eve" / NAME, workbook(blank, {}, {"name": "Bob", "id": "2", "hub_user": "bob"}))
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert [f["user"] for f in result.files] == ["eve"]
    assert f"eve: {NAME} records JupyterHub user 'bob', not 'eve': check whose work it is" in result.problems


@pytest.mark.parametrize("user", ["alice\n", "alice ", "alice\t", ".alice", "alice\u2028"])
def test_user_names_are_matched_whole(tmp_path, blank, user):
    homes = tmp_path / "homes"
    put(homes / user / NAME, workbook(blank, {}, {"name": "A", "id": "1"}))
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert result.files == []
    if not user.startswith("."):
        assert any("not a hub user name" in p for p in result.problems)


def test_21_hard_links_to_one_20_mb_file_are_read_once(tmp_path, blank, monkeypatch):
    homes = tmp_path / "homes"
    big = json.loads(workbook(blank, {}, {"name": "Ann", "id": "1"}))
    big["cells"][0]["source"] = "x" * (20 * 2**20 - 200_000)
    put(homes / "ann" / NAME, json.dumps(big))
    for n in range(20):
        os.link(homes / "ann" / NAME, homes / "ann" / f"ex01_copy{n:02d}.ipynb")
    from innovation_course.classroom.grading import safe_read
    reads = []
    real = safe_read.read_regular
    monkeypatch.setattr(hubcollect, "read_regular", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    started = time.perf_counter()
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert time.perf_counter() - started < 20
    assert [f["user"] for f in result.files] == ["ann"] and len([r for r in reads if r.suffix == ".ipynb"]) == 21
    assert not any("copies" in p for p in result.problems)  # 21 names, one file


# --- pulse ----------------------------------------------------------------------------------------------

def journal_answer(folder: Path, spec, qid: str, answer) -> Path:
    """Journal an answer as the learner's kernel does, for the workbook NAME in ``folder`` of a home under
    ``homes/``: in the home's Jupyter data folder, keyed by the notebook's id. Returns the journal's path."""
    home = next(p for p in folder.parents if p.parent.name == "homes") if folder.parent.name != "homes" else folder
    notebook_id = hashlib.sha256(os.fsencode(str(folder / NAME))).hexdigest()[:32]
    folder.mkdir(parents=True, exist_ok=True)
    journal.write_record(records.make_record(spec.id, spec.version, qid, spec.questions[qid].kind, answer),
                         notebook_id, folder / NAME, folder=home / journal.IN_HOME)
    return journal.journal_path(notebook_id, home / journal.IN_HOME)


def test_one_journal_with_a_lone_surrogate_does_not_stop_the_pulse(tmp_path, spec_and_keys):
    spec, keys = spec_and_keys
    choice = first_question(load_solution(), "choice")
    homes = tmp_path / "homes"
    path = [journal_answer(homes / user / "w", spec, choice.id, choice.answer) for user in ("ann", "bob")][-1]
    path.write_text(path.read_text().replace(json.dumps(choice.answer), '"\\ud800"'))
    pulse = Pulse(homes, spec, keys)
    view = pulse.round()
    row = next(q for q in view["questions"] if q["id"] == choice.id)
    assert view["learners"] == 2 and (row["answered"], row["right"]) == (2, 1) and pulse.replaced == 1
    page(view, 5).encode("utf-8")


def load_solution():
    from innovation_course.classroom.grading.answerkey import load_key
    return next(iter(load_key(ROOT / "solutions" / NAME).specs.values()))


def test_a_file_of_a_million_empty_lists_is_not_parsed(tmp_path, spec_and_keys):
    """Bounded memory per file: a 3 MB notebook of a million '[]' would take hundreds of MB parsed."""
    spec, keys = spec_and_keys
    choice = first_question(load_solution(), "choice")
    homes = tmp_path / "homes"
    journal_answer(homes / "ann" / "w", spec, choice.id, choice.answer)
    put(homes / "bob" / NAME, "[" + "[]," * 1_000_001 + "[]]")
    pulse = Pulse(homes, spec, keys)
    view = pulse.round()
    assert view["learners"] == 1 and pulse.reads == 2
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert result.missing == ["ann", "bob"] and any(p.startswith("bob:") for p in result.problems)


def test_fifos_links_out_loops_and_hard_links_cost_the_pulse_nothing(tmp_path, spec_and_keys):
    spec, keys = spec_and_keys
    choice = first_question(load_solution(), "choice")
    homes = tmp_path / "homes"
    journal_answer(homes / "ann" / "w", spec, choice.id, choice.answer)
    os.mkfifo(homes / "ann" / "w" / "pipe.ipynb")
    (homes / "ann" / "w" / "zero.ipynb").symlink_to("/dev/zero")
    (homes / "ann" / "w" / "loop.ipynb").symlink_to(homes / "ann" / "w" / "loop.ipynb")
    big = put(homes / "bob" / "big.ipynb", json.dumps({"cells": [], "metadata": {}, "pad": "x" * (20 * 2**20 - 1000)}))
    for n in range(20):
        os.link(big, homes / "bob" / f"link{n}.ipynb")
    for path in homes.rglob("*.json"):
        os.utime(path, (1_000_000, 1_000_000))  # settled: older than the pulse's 2 s
    pulse = Pulse(homes, spec, keys)
    started = time.perf_counter()
    view = pulse.round()
    assert time.perf_counter() - started < 20
    assert view["learners"] == 1 and pulse.reads == 2  # ann's journal, bob's file once
    assert view["refused"] == 3  # /dev/zero (outside the home), the loop, the FIFO: none of them opened
    pulse.round()
    assert pulse.reads == 2, "unchanged files were read again"


def test_the_projected_page_shows_nothing_typed_unless_asked(tmp_path, spec_and_keys):
    spec, keys = spec_and_keys
    solution = load_solution()
    text = first_question(solution, "text")
    multiple = first_question(solution, "multiple")
    homes = tmp_path / "homes"
    confession = "Kim Lee 2026777 - sorry, I copied this from my neighbour's screen"
    shout = ["CAROL WANG COPIES HER HOMEWORK"] * 120
    for n in range(4):
        journal_answer(homes / f"u{n}" / "w", spec, text.id, confession)
        journal_answer(homes / f"u{n}" / "w", spec, multiple.id, shout)
    journal_answer(homes / "u9" / "w", spec, text.id, "only one learner typed this")
    quiet = page(Pulse(homes, spec, keys).round(), 5)
    assert "Kim Lee" not in quiet and "CAROL" not in quiet and "only one" not in quiet
    loud = page(Pulse(homes, spec, keys, show_typed=True).round(), 5)
    assert "Kim Lee 2026777" in loud and confession not in loud  # shortened
    assert "only one learner" not in loud  # fewer than three learners gave it
    assert "CAROL" not in loud  # not the question's own options: typed, and a list answer never in full


def test_pulse_lesson_counts_only_learners_who_answered(tmp_path, capsys):
    homes = tmp_path / "homes"
    handed_out = (ROOT / "notebooks" / "01_policy_framework.ipynb").read_text(encoding="utf-8")
    for n in range(10):
        put(homes / f"u{n}" / "learners" / "notebooks" / "01_policy_framework.ipynb", handed_out)
    spec, _ = find_spec([ROOT / "notebooks"], "lesson-01")
    from innovation_course.classroom.grading.answerkey import load_key
    lesson = load_key(ROOT / "notebooks" / "01_policy_framework.ipynb").specs[spec.id]
    choice = next(q for q in lesson.questions.values() if q.kind == "choice")
    for n in range(3):
        journal_answer(homes / f"u{n}" / "learners" / "notebooks", spec, choice.id, choice.answer)
    out = tmp_path / "pulse.html"
    assert main(["pulse", str(homes), "--lesson", "01", "--once", "--out", str(out)]) == 0
    text = out.read_text()
    assert re.search(r"<strong>3 learners</strong>", text) and "100% right (3 of 3)" in text
    assert main(["pulse", str(homes), "--lesson", "lesson-01", "--once", "--out", str(out)]) == 0
    assert main(["pulse", str(homes), "--workbook", "ex09", "--once", "--out", str(out)]) == 2
    assert "there are: ex01-policy-framework" in capsys.readouterr().err
