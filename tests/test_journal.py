"""The answer journal: whole, atomic, shared safely by threads and processes, and never trusted blindly."""

import json
import multiprocessing
import threading

import pytest

from innovation_course.engine import journal, records

NB = "0123456789abcdef0123456789abcdef"  # a notebook id


def record(question, answer="a", workbook="ex01", at="2026-12-01T10:00:00+00:00"):
    return records.make_record(workbook, "1", question, "choice", answer, answered_at=at, tries=1)


def test_a_record_round_trips_in_the_agreed_format(tmp_path):
    journal.write_record(record("q1"), NB, tmp_path / "work" / "ex01_policy.ipynb", "Answer to q1: a", tmp_path)
    path = journal.journal_path(NB, tmp_path)
    assert path == tmp_path / f"{NB}.answers.json"
    data = json.loads(path.read_text())
    assert (data["schema"], data["schema_version"], data["workbook"], data["notebook"], data["owner"]) == (
        "innovation-course/journal", 1, "ex01", "ex01_policy.ipynb", str(tmp_path / "work" / "ex01_policy.ipynb"))
    assert journal.read_journal(path) == {"q1": record("q1")} and journal.read_lines(path) == {"q1": "Answer to q1: a"}
    journal.write_record(record("q1", "b"), NB, folder=tmp_path)  # a later change replaces the record
    journal.write_record(record("q2"), NB, folder=tmp_path)
    assert {q: r["answer"] for q, r in journal.read_journal(path).items()} == {"q1": "b", "q2": "a"}
    assert journal.owner(NB, tmp_path) == ("ex01", str(tmp_path / "work" / "ex01_policy.ipynb"))
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_threads_writing_at_once_lose_no_record(tmp_path):
    def write(n):
        for i in range(15):
            journal.write_record(record(f"t{n}-{i}"), NB, folder=tmp_path)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(journal.read_journal(journal.journal_path(NB, tmp_path))) == 90


def _process_writes(folder, n):
    for i in range(10):
        journal.write_record(record(f"p{n}-{i}"), NB, folder=folder)


def test_processes_writing_at_once_lose_no_record(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_process_writes, args=(tmp_path, n)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    assert len(journal.read_journal(journal.journal_path(NB, tmp_path))) == 40


def test_a_truncated_or_garbage_journal_reads_as_empty_and_is_rewritten_whole(tmp_path):
    journal.write_record(record("q1"), NB, folder=tmp_path)
    path = journal.journal_path(NB, tmp_path)
    text = path.read_text()
    for broken in (text[: len(text) // 2], "", "\x00\xff garbage", "[1, 2]", '{"schema": "other"}'):
        path.write_text(broken, encoding="utf-8", errors="surrogateescape")
        assert journal.read_journal(path) == {}
    journal.write_record(record("q2"), NB, folder=tmp_path)
    assert list(journal.read_journal(path)) == ["q2"]


def test_a_journal_of_another_workbook_is_not_read_as_this_one(tmp_path):
    journal.write_record(record("q1", workbook="ex02"), NB, folder=tmp_path)
    other = journal.journal_path(NB, tmp_path)
    assert journal.read_journal(other, "ex01") == {}
    assert list(journal.read_journal(other, "ex02")) == ["q1"]
    mine = journal.journal_path("f" * 32, tmp_path)  # a copied file still names its own workbook
    mine.write_text(other.read_text())
    assert journal.read_journal(mine, "ex01") == {}


def test_records_that_are_not_valid_are_left_out(tmp_path):
    journal.write_record(record("q1"), NB, folder=tmp_path)
    path = journal.journal_path(NB, tmp_path)
    data = json.loads(path.read_text())
    data["records"].update({"q2": {"schema": "x"}, "q3": record("q4"), "q5": record("q5", workbook="ex02"),
                            "q6": {**record("q6"), "tries": -1}, "q7": "text"})
    path.write_text(json.dumps(data))
    assert list(journal.read_journal(path, "ex01")) == ["q1"]


def test_a_journal_path_stays_in_its_folder(tmp_path):
    for bad in ("../ex01", "a/b", "", ".hidden", "ex01", NB.upper(), NB + "0"):
        with pytest.raises(ValueError):
            journal.journal_path(bad, tmp_path)
    with pytest.raises(ValueError):
        journal.write_record({"schema": "x"}, NB, folder=tmp_path)


def test_a_move_of_a_file_or_its_folder_carries_the_owner_and_a_deletion_clears_it(tmp_path):
    work = tmp_path / "work"
    journal.claim(NB, "ex01", work / "ex01.ipynb", tmp_path)
    journal.claim("e" * 32, "ex02", work / "sub" / "ex02.ipynb", tmp_path)
    assert journal.owned_by(work / "ex01.ipynb", "ex01", tmp_path) == NB
    assert journal.owned_by(work / "ex01.ipynb", "ex02", tmp_path) is None
    assert journal.moved(work / "ex01.ipynb", work / "done" / "mine.ipynb", tmp_path) == 1
    assert journal.owner(NB, tmp_path)[1] == str(work / "done" / "mine.ipynb")
    assert journal.moved(work, tmp_path / "renamed", tmp_path) == 2  # a folder renamed: every file in it
    assert journal.owner("e" * 32, tmp_path)[1] == str(tmp_path / "renamed" / "sub" / "ex02.ipynb")
    assert journal.moved(tmp_path / "renamed" / "su", tmp_path / "x", tmp_path) == 0  # a prefix is not a folder
    assert journal.deleted(tmp_path / "renamed" / "sub", tmp_path) == 1
    assert journal.owner("e" * 32, tmp_path) == ("ex02", None)


def test_a_notebook_in_a_folder_whose_name_is_not_utf8_keeps_its_answers(tmp_path):
    """A hub home or folder named with a byte that is not UTF-8 (found by tests/test_hostile_property.py): the
    journal is still written, readable as UTF-8, and names its owner exactly."""
    import os

    where = tmp_path / os.fsdecode(b"d\xffn") / "ex01.ipynb"
    journal.write_record(record("q1", "年"), NB, where, "Answer to q1: 年", tmp_path)
    path = journal.journal_path(NB, tmp_path)
    path.read_bytes().decode("utf-8")  # valid UTF-8: every reader can open it
    assert journal.read_journal(path) == {"q1": record("q1", "年")}
    assert journal.owned_by(where, "ex01", tmp_path) == NB
