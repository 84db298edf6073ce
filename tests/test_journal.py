"""The answer journal: whole, atomic, shared safely by threads and processes, and never trusted blindly."""

import json
import multiprocessing
import threading

import pytest

from innovation_course.engine import journal, records


def record(question, answer="a", workbook="ex01", at="2026-12-01T10:00:00+00:00"):
    return records.make_record(workbook, "1", question, "choice", answer, answered_at=at, tries=1)


def test_a_record_round_trips_in_the_agreed_format(tmp_path):
    journal.write_record(tmp_path, record("q1"), notebook="ex01_policy.ipynb")
    path = journal.journal_path(tmp_path, "ex01")
    assert path == tmp_path / ".innovation-course" / "ex01.answers.json"
    data = json.loads(path.read_text())
    assert (data["schema"], data["schema_version"], data["workbook"], data["notebook"]) == (
        "innovation-course/journal", 1, "ex01", "ex01_policy.ipynb")
    assert journal.read_journal(path) == {"q1": record("q1")}
    journal.write_record(tmp_path, record("q1", "b"))  # a later change replaces the record, keeps the rest
    journal.write_record(tmp_path, record("q2"))
    assert {q: r["answer"] for q, r in journal.read_journal(path).items()} == {"q1": "b", "q2": "a"}
    assert json.loads(path.read_text())["notebook"] == "ex01_policy.ipynb"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_threads_writing_at_once_lose_no_record(tmp_path):
    def write(n):
        for i in range(15):
            journal.write_record(tmp_path, record(f"t{n}-{i}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(journal.read_journal(journal.journal_path(tmp_path, "ex01"))) == 90


def _process_writes(folder, n):
    for i in range(10):
        journal.write_record(folder, record(f"p{n}-{i}"))


def test_processes_writing_at_once_lose_no_record(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_process_writes, args=(tmp_path, n)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    assert len(journal.read_journal(journal.journal_path(tmp_path, "ex01"))) == 40


def test_a_truncated_or_garbage_journal_reads_as_empty_and_is_rewritten_whole(tmp_path):
    journal.write_record(tmp_path, record("q1"))
    path = journal.journal_path(tmp_path, "ex01")
    text = path.read_text()
    for broken in (text[: len(text) // 2], "", "\x00\xff garbage", "[1, 2]", '{"schema": "other"}'):
        path.write_text(broken, encoding="utf-8", errors="surrogateescape")
        assert journal.read_journal(path) == {}
    journal.write_record(tmp_path, record("q2"))
    assert list(journal.read_journal(path)) == ["q2"]


def test_a_journal_of_another_workbook_is_not_read_as_this_one(tmp_path):
    journal.write_record(tmp_path, record("q1", workbook="ex02"))
    other = journal.journal_path(tmp_path, "ex02")
    assert journal.read_journal(other, "ex01") == {}
    assert list(journal.read_journal(other, "ex02")) == ["q1"]
    mine = journal.journal_path(tmp_path, "ex01")  # a copied file still names its own workbook
    mine.write_text(other.read_text())
    assert journal.read_journal(mine, "ex01") == {}


def test_records_that_are_not_valid_are_left_out(tmp_path):
    journal.write_record(tmp_path, record("q1"))
    path = journal.journal_path(tmp_path, "ex01")
    data = json.loads(path.read_text())
    data["records"].update({"q2": {"schema": "x"}, "q3": record("q4"), "q5": record("q5", workbook="ex02"),
                            "q6": {**record("q6"), "tries": -1}, "q7": "text"})
    path.write_text(json.dumps(data))
    assert list(journal.read_journal(path, "ex01")) == ["q1"]


def test_a_journal_path_stays_in_its_folder(tmp_path):
    for bad in ("../ex01", "a/b", "", ".hidden"):
        with pytest.raises(ValueError):
            journal.journal_path(tmp_path, bad)
    with pytest.raises(ValueError):
        journal.write_record(tmp_path, {"schema": "x"})
