"""Grading: nothing from a learner's file is evaluated; hard limits per submission, each with its reason.

The three files of issue 10 that once hung or flooded the grader (a 245-byte notebook with a catastrophic
regular expression in its ``Workbook(...)`` line, an 81 KB one whose ``sealed(...)`` inflated to a 125 MB
gradebook, a 6 MB code cell) grade or are rejected in under a second each, with outputs of normal size.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
import zlib
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import batch, synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.collect import Submission
from innovation_course.classroom.grading.identify import from_path
from innovation_course.classroom.grading.mark import SubmissionLimits, mark
from innovation_course.content.findings import policy
from innovation_course.engine import spec
from innovation_course.engine.records import MIME

DEMO = synthetic.DEMO_ID


@pytest.fixture
def key(tmp_path: Path):
    return load_key(synthetic.write_key(tmp_path / "key"))


@contextlib.contextmanager
def nothing_evaluated():
    """Any evaluation of notebook source inside fails the test."""
    def refuse(*args, **kwargs):
        pytest.fail("the grader evaluated notebook source")

    with pytest.MonkeyPatch.context() as patch:
        for name in ("evaluate", "workbook_header", "find_calls", "ask_calls", "parse_workbook"):
            patch.setattr(spec, name, refuse)
        patch.setattr(policy, "milestone_year", refuse)
        yield


def code_notebook(source: str, outputs: list | None = None) -> bytes:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": outputs or [],
            "source": source}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}).encode()


def timed(sub: Submission, key) -> tuple:
    with nothing_evaluated():
        started = time.perf_counter()
        marked = mark(sub, key)
        return marked, time.perf_counter() - started


def test_the_245_byte_regex_notebook_is_rejected_at_once(key):
    data = code_notebook("from innovation_course import findings\n"
                         "wb = Workbook(findings.milestone_year('(.*.*.*.*)*$x'), title='t')")
    assert len(data) < 300
    marked, seconds = timed(Submission("a.ipynb", "a.ipynb", 0.0, data), key)
    assert marked.status == "rejected" and "no workbook id in its metadata or answer records" in marked.reason
    assert seconds < 1


def test_the_sealed_bomb_is_never_inflated(key, tmp_path):
    bomb = base64.b64encode(zlib.compress(b"x" * 60_000_000, 9)).decode()
    data = code_notebook(f"wb = Workbook(sealed({bomb!r}))")
    assert len(data) < 100_000
    marked, seconds = timed(Submission("b.ipynb", "b.ipynb", 0.0, data), key)
    assert marked.status == "rejected" and seconds < 1
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.ipynb").write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(policy, "milestone_year", lambda *a: pytest.fail("evaluated"))
        patch.setattr(spec, "sealed", lambda *a: pytest.fail("unsealed learner text"))
        assert main(["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                     "--key", str(tmp_path / "key"), "--jobs", "1"]) == 1
    assert (tmp_path / "out" / "gradebook.csv").stat().st_size < 2000
    assert sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file()) < 200_000


def test_a_6_mb_code_cell_costs_nothing(key):
    big = "x = [" + "1, " * 2_000_000 + "]\n"
    marked, seconds = timed(Submission("c.ipynb", "c.ipynb", 0.0, code_notebook(big)), key)
    assert marked.status == "rejected" and seconds < 1
    answered = synthetic.with_answers(synthetic.workbook_notebook(), {"plan-year": "2015"}, {"name": "A", "id": "a"})
    answered["cells"][3]["source"] = big
    data = synthetic.to_bytes(answered)
    assert len(data) > 6_000_000
    marked, seconds = timed(Submission("d.ipynb", "d.ipynb", 0.0, data), key)
    assert marked.status == "graded" and marked.marks[0].status == "correct" and seconds < 1


def test_the_workbook_comes_from_metadata_and_records_only(key):
    nb = synthetic.with_answers(synthetic.workbook_notebook(), {"plan-year": "2015"}, None)
    nb["metadata"]["innovation_course"]["workbook"] = "x" * 100_000
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            output["data"][MIME]["workbook"] = "x" * 100_000
    marked, _ = timed(Submission("e.ipynb", "e.ipynb", 0.0, synthetic.to_bytes(nb)), key)
    assert marked.status == "rejected" and "unknown workbook" in marked.reason and len(marked.reason) < 400


@pytest.mark.parametrize(("limits", "reason"), [
    (SubmissionLimits(cells=5), "too many cells: 12 (limit 5)"),
    (SubmissionLimits(outputs=3), "too many outputs: more than 3"),
    (SubmissionLimits(records=4), "too many answer records: more than 4"),
    (SubmissionLimits(record_string=10), "an answer record holds a text of 24 characters (limit 10)"),
])
def test_each_limit_has_its_own_reason(key, limits, reason):
    nb = synthetic.with_answers(synthetic.workbook_notebook(), synthetic.correct_answers(key.specs[DEMO]),
                                {"name": "A", "id": "a"})
    marked = mark(Submission("f.ipynb", "f.ipynb", 0.0, synthetic.to_bytes(nb)), key, limits)
    assert marked.status == "rejected" and marked.reason == reason


def test_too_many_values_and_too_long_short_answers(key):
    nb = synthetic.with_answers(synthetic.workbook_notebook(), {"cities": {str(i): "x" for i in range(40_000)},
                                                                "district": "y" * 5000}, None)
    assert "too many values" in mark(Submission("g.ipynb", "g.ipynb", 0.0, synthetic.to_bytes(nb)), key).reason
    nb = synthetic.with_answers(synthetic.workbook_notebook(), {"district": "Zhongguancun" * 400,
                                                                "rd-share": "9" * 3000}, None)
    marked = mark(Submission("h.ipynb", "h.ipynb", 0.0, synthetic.to_bytes(nb)), key)
    details = {m.id: (m.status, m.detail) for m in marked.marks}
    assert details["district"][0] == details["rd-share"][0] == "invalid"
    assert "answer too long" in details["district"][1]


def slow_mark(sub, key, limits=None):
    if "slow" in sub.path:
        time.sleep(30)
    return ORIGINAL_MARK(sub, key)


ORIGINAL_MARK = batch.mark


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_submission_past_its_time_limit_is_rejected_and_the_batch_goes_on(key, monkeypatch, jobs):
    monkeypatch.setattr(batch, "mark", slow_mark)
    monkeypatch.setattr(batch, "SERIAL_BELOW", 2)
    monkeypatch.setattr(batch, "CHUNK", 2)
    data = synthetic.to_bytes(synthetic.with_answers(synthetic.workbook_notebook(), {}, {"name": "A", "id": "a"}))
    subs = [Submission(f"{name}.ipynb", f"{name}.ipynb", 0.0, data) for name in ("a", "slow", "c", "d")]
    started = time.perf_counter()
    marked = batch.mark_all(subs, key, jobs, limit=0.5)
    assert time.perf_counter() - started < 10
    reasons = {m.origin: m.reason for m in marked}
    assert "took longer than the time limit of 0.5 s" in reasons["slow.ipynb"]
    assert all(m.status == "empty" for m in marked if m.origin != "slow.ipynb")


@pytest.mark.parametrize("name", ["a_" * 5000 + "1_2_x.ipynb", "x_1_" * 3000 + ".ipynb",
                                  "A" * 200 + "_1_assignsubmission_" + "a" * 5000 + ".ipynb",
                                  "/".join(["n_1_assignsubmission_file_"] * 200) + "/x.ipynb"])
def test_the_lms_name_patterns_cannot_backtrack_for_long(name):
    started = time.perf_counter()
    from_path(name)
    assert time.perf_counter() - started < 0.2
