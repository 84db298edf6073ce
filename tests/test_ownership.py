"""One notebook file, one set of answers (issue 18): a copy forks the notebook's id and starts from the answers
saved in it, a move keeps the id and its unsaved answers, and before a file is saved every answer the learner
gave is put back into it (an undone deletion, an interrupted Run All, cleared outputs, a stale second tab)."""

import json
from pathlib import Path

import pytest

from innovation_course.engine import answers, frontend, journal, ownership, records, repair, workbook
from innovation_course.engine.workbook import Workbook

CHOICE = dict(id="c", kind="choice", prompt="Pick", options=["a", "b", "z"], answer="b")
OTHER = dict(id="d", kind="choice", prompt="Pick again", options=["a", "b"], answer="a")


@pytest.fixture(autouse=True)
def kernel(monkeypatch, tmp_path):
    restart(monkeypatch)
    monkeypatch.setattr(workbook.frontend, "install", lambda: None)
    monkeypatch.setattr(workbook, "display", lambda *a, **k: Handle() if k.get("display_id") else None)
    monkeypatch.chdir(tmp_path)


class Handle:
    def update(self, *a, **k):
        pass


def restart(monkeypatch):
    """A new kernel: nothing in memory."""
    for name, value in (("_ANSWERS", {}), ("_RECORDS", {}), ("_NOTEBOOK_IDS", {})):
        monkeypatch.setattr(answers, name, value)
    monkeypatch.setattr(workbook, "_CURRENT", [])


OLD = "2020-01-01T00:00:00+00:00"  # records the page holds, given before anything journaled in a test


def notebook(answered: dict, notebook_id: str | None = None, announce: bool = False, at: str = OLD) -> dict:
    """A saved workbook: a setup cell, then one question cell per question (with its record when answered)."""
    def cell(source, outputs=()):
        return {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs),
                "execution_count": 1}

    setup = [{"output_type": "display_data", "metadata": {}, "data": {
        "text/markdown": "summary", ownership.MIME: {ownership.ID_KEY: notebook_id}}}] if announce else []
    cells = [cell('wb = Workbook("ex01")', setup)]
    for spec in (CHOICE, OTHER):
        qid = spec["id"]
        outputs = [{"output_type": "display_data", "metadata": {}, "data": records.bundle(
            records.make_record("ex01", "1", qid, "choice", answered[qid], answered_at=at),
            f"Answer to {qid}: {answered[qid]}")}] if qid in answered else []
        cells.append(cell(f'wb.ask(id="{qid}", kind="choice")', outputs))
    meta = {records.METADATA_KEY: {"workbook": "ex01", **({ownership.ID_KEY: notebook_id} if notebook_id else {})}}
    return {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, nb: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


def open_in_kernel(monkeypatch, path: Path) -> Workbook:
    """Jupyter starts a kernel for the file at ``path`` (JPY_SESSION_NAME) and Run All makes the workbook."""
    restart(monkeypatch)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    wb.ask(**OTHER)
    return wb


def change(wb: Workbook, qid: str, answer: str) -> None:
    """The learner picks another option: kept in the kernel and the journal (not saved)."""
    question = wb.questions[qid]
    previous = wb.store.records.get(qid) or {}
    wb._store(wb._new_record(qid, question.kind, answer, records.record_tries(previous) + 1, False), changed=True,
              line=f"Answer to {qid}: {answer}")


def save(path: Path, nb: dict) -> dict:
    """What the course's pre-save hook does to a notebook the page saves at ``path``; the file written."""
    model = {"type": "notebook", "content": nb}

    class Manager:
        root_dir = str(path.parent)
        log = None

    frontend.pre_save_hook(model, path=path.name, contents_manager=Manager())
    write(path, model["content"])
    return model["content"]


def saved(path: Path) -> dict:
    return records.read_saved(json.loads(path.read_text())).answers


def test_a_duplicate_starts_from_its_saved_answers_and_never_gives_them_to_the_original(monkeypatch, tmp_path):
    original = write(tmp_path / "ex01.ipynb", notebook({"c": "a", "d": "a"}))
    wb = open_in_kernel(monkeypatch, original)
    save(original, notebook({"c": "a", "d": "a"}, wb.store.notebook_id, announce=True))
    change(wb, "c", "z")  # an answer the original does not save yet
    copy = write(tmp_path / "ex01-Copy1.ipynb", json.loads(original.read_text()))  # File ▸ Duplicate

    duplicate = open_in_kernel(monkeypatch, copy)
    assert duplicate.store.notebook_id != wb.store.notebook_id
    assert duplicate.answers == {"c": "a", "d": "a"}  # the copy's saved answers, not the original's unsaved "z"
    change(duplicate, "d", "b")
    assert save(copy, json.loads(copy.read_text()))["metadata"]["innovation_course"]["notebook_id"] == (
        duplicate.store.notebook_id)
    assert saved(copy) == {"c": "a", "d": "b"}

    again = open_in_kernel(monkeypatch, original)  # Restart and Run All in the original: its own answers
    assert again.store.notebook_id == wb.store.notebook_id and again.answers == {"c": "z", "d": "a"}
    save(original, json.loads(original.read_text()))
    assert saved(original) == {"c": "z", "d": "a"}


def test_a_copy_saved_before_its_kernel_runs_is_forked_at_the_save_and_keeps_one_id(monkeypatch, tmp_path):
    original = write(tmp_path / "ex01.ipynb", notebook({"c": "a"}))
    wb = open_in_kernel(monkeypatch, original)
    save(original, notebook({"c": "a"}, wb.store.notebook_id, announce=True))
    change(wb, "c", "z")
    stale = json.loads(original.read_text())
    copy = write(tmp_path / "copy.ipynb", stale)
    first = save(copy, json.loads(json.dumps(stale)))  # the copy's page saves: not the original's "z"
    second = save(copy, json.loads(json.dumps(stale)))  # and again, from the same page (its model still says X)
    ids = {nb["metadata"]["innovation_course"]["notebook_id"] for nb in (first, second)}
    assert len(ids) == 1 and wb.store.notebook_id not in ids
    assert saved(copy) == {"c": "a"}
    assert open_in_kernel(monkeypatch, copy).store.notebook_id in ids


@pytest.mark.parametrize("with_id", [True, False], ids=["saved-once", "never-saved"])
def test_a_moved_notebook_finds_its_unsaved_answers_after_a_restart(monkeypatch, tmp_path, with_id):
    """Issue 18: moved before saving, then a restart: every answer was gone and the check said "✔ All 0"."""
    old = write(tmp_path / "ex01.ipynb", notebook({}))
    wb = open_in_kernel(monkeypatch, old)
    if with_id:
        save(old, notebook({}, wb.store.notebook_id, announce=True))
    change(wb, "c", "z")
    new = tmp_path / "done" / "ex01.ipynb"
    new.parent.mkdir()
    old.rename(new)  # dragged into another folder in JupyterLab: the server extension hears of it
    Manager = type("Manager", (), {"root_dir": str(tmp_path), "log": None})
    import asyncio

    asyncio.run(frontend.contents_listener(Manager())(None, frontend.CONTENTS_EVENTS, {
        "action": "rename", "path": "done/ex01.ipynb", "source_path": "ex01.ipynb"}))
    assert wb.notebook_file() == new.resolve()  # the running kernel finds the moved file
    moved = open_in_kernel(monkeypatch, new)  # a restart: Jupyter now names the new path
    assert moved.store.notebook_id == wb.store.notebook_id and moved.answers["c"] == "z"
    save(new, json.loads(new.read_text()))
    assert saved(new) == {"c": "z"}


def test_a_file_moved_outside_jupyter_keeps_its_id_when_its_old_place_is_empty(monkeypatch, tmp_path):
    old = write(tmp_path / "ex01.ipynb", notebook({}))
    wb = open_in_kernel(monkeypatch, old)
    save(old, notebook({}, wb.store.notebook_id, announce=True))
    change(wb, "c", "z")
    new = tmp_path / "elsewhere.ipynb"
    old.rename(new)  # mv in a terminal: no event
    assert open_in_kernel(monkeypatch, new).answers["c"] == "z"


def test_cleared_outputs_an_interrupt_and_a_frozen_record_are_repaired_before_the_file_is_written(monkeypatch,
                                                                                                 tmp_path):
    path = write(tmp_path / "ex01.ipynb", notebook({}))
    wb = open_in_kernel(monkeypatch, path)
    change(wb, "c", "a")
    change(wb, "d", "b")
    written = save(path, notebook({}))  # Clear Outputs of All Cells, then save: no record in the page
    assert saved(path) == {"c": "a", "d": "b"}
    lines = [o["data"]["text/plain"] for c in written["cells"] for o in c["outputs"] if records.MIME in o["data"]]
    assert lines == ["Answer to c: a", "Answer to d: b"]  # each in its own question cell, with the line shown
    assert [len(c["outputs"]) for c in written["cells"]] == [0, 1, 1]

    change(wb, "c", "z")  # a question cell deleted and restored by undo: its record froze at "a"
    save(path, notebook({"c": "a", "d": "b"}))
    assert saved(path) == {"c": "z", "d": "b"}

    page = notebook({"c": "z"})  # Run All interrupted after the first question: the second cell is blank
    save(path, page)
    assert saved(path) == {"c": "z", "d": "b"}


def test_an_older_journal_never_overwrites_a_newer_saved_answer(monkeypatch, tmp_path):
    path = write(tmp_path / "ex01.ipynb", notebook({}))
    wb = open_in_kernel(monkeypatch, path)
    change(wb, "c", "a")
    newer = notebook({"c": "b"}, at="2999-01-01T00:00:00+00:00")  # answered after the journal's record
    save(path, newer)
    assert saved(path) == {"c": "b"}


def test_notebooks_no_kernel_kept_answers_for_are_saved_as_they_are(tmp_path):
    nb = notebook({"c": "a"})
    before = json.dumps(nb)
    assert repair.repair(nb, tmp_path / "ex01.ipynb") == [] and json.dumps(nb) == before
    assert not list(journal.journal_dir().glob("*.json"))


def test_answers_an_earlier_release_journaled_come_back_after_the_upgrade(monkeypatch, tmp_path):
    """Release 79cf186 kept its journal beside the notebook (.innovation-course/<workbook>.answers.json): an answer
    given but not saved before the course was upgraded comes back at the first Run All, until the notebook has a
    journal of its own."""
    path = write(tmp_path / "ex01.ipynb", notebook({"c": "a"}))
    legacy = tmp_path / journal.FOLDER / "ex01.answers.json"
    legacy.parent.mkdir()
    record = records.make_record("ex01", "1", "c", "choice", "z", answered_at="2026-11-30T10:00:00+00:00")
    legacy.write_text(json.dumps({"schema": journal.SCHEMA, "schema_version": journal.SCHEMA_VERSION,
                                  "workbook": "ex01", "records": {"c": record}}))
    wb = open_in_kernel(monkeypatch, path)
    assert wb.answers["c"] == "z"
    change(wb, "d", "b")  # the notebook now has its own journal: the old one is no longer read
    legacy.write_text(json.dumps({"schema": journal.SCHEMA, "schema_version": journal.SCHEMA_VERSION,
                                  "workbook": "ex01", "records": {"c": {**record, "answer": "a",
                                                                        "answered_at": "2026-12-30T10:00:00+00:00"}}}))
    again = open_in_kernel(monkeypatch, path)
    assert again.answers["c"] == "z" and again.answers["d"] == "b"
