"""The notebook-facing API: answers written as records, restored from memory or the saved file."""

import json

import numpy as np
import pandas as pd
import pytest

from innovation_course import records, workbook
from innovation_course.workbook import Workbook, jsonable


@pytest.fixture
def shown(monkeypatch):
    """Capture what the workbook displays instead of sending it to a frontend."""
    calls = []

    class Handle:
        def update(self, obj, raw=False):
            calls.append(("update", obj))

    def display(obj, raw=False, display_id=False, **_):
        calls.append(("display", obj))
        return Handle() if display_id else None

    monkeypatch.setattr(workbook, "display", display)
    return calls


def last_record(calls):
    return next(obj for _, obj in reversed(calls) if isinstance(obj, dict) and records.MIME in obj)


def saved_notebook(tmp_path, workbook_id, answers):
    outputs = [{"output_type": "display_data", "metadata": {},
                "data": records.bundle(records.make_record(workbook_id, "1", qid, "choice", a), "x")}
               for qid, a in answers.items()]
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs,
                     "execution_count": 1}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "ex01_saved.ipynb"
    path.write_text(json.dumps(nb))
    return path


CHOICE = dict(id="c", kind="choice", prompt="Pick", options=["a", "b"], answer="b")


def test_solution_mode_fills_in_and_marks_the_answer(shown):
    wb = Workbook("ex01", mode="solution")
    wb.ask(**CHOICE)
    bundle = last_record(shown)
    assert bundle[records.MIME]["answer"] == "b" and "✔ Correct" in bundle["text/plain"]


def test_self_study_starts_empty(shown, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] is None


def test_rerun_restores_the_answer_saved_in_the_notebook_file(shown, tmp_path, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(saved_notebook(tmp_path, "ex01", {"c": "a"})))
    Workbook("ex01").ask(**CHOICE)
    bundle = last_record(shown)
    assert bundle[records.MIME]["answer"] == "a" and "Not yet right" in bundle["text/plain"]


def test_answers_of_another_workbook_are_not_restored(shown, tmp_path, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(saved_notebook(tmp_path, "ex02", {"c": "a"})))
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] is None


def test_this_kernels_latest_answer_wins_over_the_file(shown, tmp_path, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(saved_notebook(tmp_path, "ex01", {"c": "a"})))
    wb = Workbook("ex01")
    wb.answers["c"] = "b"
    wb.ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "b"


def test_exam_mode_saves_without_marking(shown):
    Workbook("ex01", mode="exam").ask(**{**CHOICE, "answer": None})
    wb = Workbook("ex01", mode="exam")
    wb.answers["c"] = "b"
    wb.ask(**{k: v for k, v in CHOICE.items() if k != "answer"})
    line = last_record(shown)["text/plain"]
    assert "(saved)" in line and "Correct" not in line


def test_submit_records_a_computed_number_from_numpy(shown):
    wb = Workbook("ex01", mode="self-study")
    wb.ask(id="k", kind="computed", prompt="p", answer=2.5, tolerance=0.01)
    wb.submit("k", np.float64(2.504))
    bundle = last_record(shown)
    assert bundle[records.MIME]["answer"] == 2.504 and "✔ Correct" in bundle["text/plain"]


def test_jsonable_answers():
    assert jsonable(np.int64(3)) == 3 and jsonable(float("nan")) is None and jsonable(...) is None
    assert jsonable({"a": (np.float32(1.5), pd.NA)}) == {"a": [1.5, None]}


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        Workbook("ex01", mode="quiz")


def test_restored_matching_answer_keeps_the_questions_order(shown, tmp_path, monkeypatch):
    """Jupyter sorts JSON keys on save; the restored answer must still list items as the question does."""
    path = saved_notebook(tmp_path, "ex01", {"m": {"Patent Law": "law", "Torch": "programme"}})
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    Workbook("ex01").ask(id="m", kind="matching", prompt="p", pairs=["Torch", "Patent Law"],
                         options=["programme", "law"], answer={"Torch": "programme", "Patent Law": "law"})
    assert "Torch → programme; Patent Law → law" in last_record(shown)["text/plain"]
