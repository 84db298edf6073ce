"""A template question in a learner's kernel: the learner's own variant, "Try another" in practice, the last
variant and its answer kept through a restart (journal), and no choice of variant in homework or exams."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from test_templates import BIGGEST, TWICE, VALUES
from test_workbook import restart_kernel, shown  # noqa: F401 (a pytest fixture, used by `cell`)

from innovation_course.engine import records, variant_cell, workbook
from innovation_course.engine.workbook import Workbook


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch, tmp_path):
    """A new kernel in its own notebook folder, its answer journal on, outside any hub."""
    restart_kernel(monkeypatch)
    monkeypatch.setattr(workbook.frontend, "install", lambda: None)
    for name in ("JPY_SESSION_NAME", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INNOVATION_COURSE_JOURNAL", "1")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def cell(shown, monkeypatch):  # noqa: F811 (the fixture imported above)
    """What the workbook and the template question's cell display (see test_workbook.shown)."""
    monkeypatch.setattr(variant_cell, "display", workbook.display)
    return shown


def widgets_in(calls, kind):
    found = []

    def walk(w):
        if isinstance(w, kind):
            found.append(w)
        for child in getattr(w, "children", ()):
            walk(child)

    for _, obj in calls:
        if isinstance(obj, widgets.Widget):
            walk(obj)
    return found


def prompts(calls):
    return [obj.data for _, obj in calls if hasattr(obj, "data") and isinstance(obj.data, str)]


def last_record(calls):
    return next(obj for _, obj in reversed(calls) if isinstance(obj, dict) and records.MIME in obj)[records.MIME]


def test_practice_shows_a_variant_and_try_another_gives_a_new_one_with_feedback(cell):
    wb = Workbook("wbt", mode="self-study")
    wb.ask(id="q-twice", template=TWICE, points=1)
    first = wb.questions["q-twice"]
    assert first.variant["params"] == TWICE.choose("", "wbt", "q-twice")  # no ID yet: the variant of ""
    assert first.prompt in prompts(cell)[-1]
    (button,) = [b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL]
    button.click()
    second = wb.questions["q-twice"]
    assert second.variant["params"] != first.variant["params"] and second.variant["draw"] >= 1
    assert second.prompt in prompts(cell)[-1]  # the prompt output was updated
    record = last_record(cell)
    assert record["variant"] == second.variant and record["answer"] is None
    field = widgets_in(cell, widgets.Text)[-1]
    field.value = str(second.answer)
    record = last_record(cell)
    assert (record["answer"], record["variant"]) == (str(second.answer), second.variant)
    assert "✔ Correct" in next(obj["text/plain"] for _, obj in reversed(cell)
                               if isinstance(obj, dict) and records.MIME in obj)


def test_the_last_variant_and_its_answer_come_back_after_a_restart(cell, monkeypatch):
    wb = Workbook("wbt", mode="self-study")
    wb.ask(id="q-twice", template=TWICE, points=1)
    next(b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL).click()
    tried = wb.questions["q-twice"]
    widgets_in(cell, widgets.Text)[-1].value = "12.5"
    restart_kernel(monkeypatch)  # Run All in a new kernel: only the journal remembers
    cell.clear()
    wb = Workbook("wbt", mode="self-study")
    wb.ask(id="q-twice", template=TWICE, points=1)
    assert wb.questions["q-twice"].variant == tried.variant
    assert widgets_in(cell, widgets.Text)[-1].value == "12.5"
    assert last_record(cell)["answer"] == "12.5"


def test_homework_asks_for_the_learner_id_first_then_shows_their_own_variant(cell, monkeypatch):
    wb = Workbook("wbt", mode="self-study", feedback={"policy": "homework"})
    wb.ask(id="q-big", template=BIGGEST, points=1)
    assert wb.questions["q-big"].generic and variant_cell.NEEDS_ID in prompts(cell)[-1]
    with pytest.raises(LookupError, match="learner ID"):
        wb.params("q-big")
    wb.answers[records.IDENTITY] = {"name": "Ada", "id": "S-7"}
    wb.ask(id="q-big", template=BIGGEST, points=1)
    assert wb.questions["q-big"].variant["params"] == BIGGEST.choose("S-7", "wbt", "q-big")
    assert not [b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL]


def test_on_a_hub_the_hub_user_decides_and_an_answer_to_another_variant_is_not_carried(cell, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "li.hua")
    wb = Workbook("wbt", mode="self-study", feedback={"policy": "homework"})
    foreign = next(p for p in TWICE.params if p != TWICE.choose("li.hua", "wbt", "q-twice"))
    wb.answers["q-twice"] = "9"
    wb.store.records["q-twice"] = records.make_record("wbt", "1", "q-twice", "numeric", "9", answered_at="x",
                                                      variant={"template": "twice", "params": foreign})
    wb.ask(id="q-twice", template=TWICE, points=1)
    assert wb.questions["q-twice"].variant["params"] == TWICE.choose("li.hua", "wbt", "q-twice")
    assert variant_cell.NOT_CARRIED in prompts(cell)
    assert last_record(cell)["answer"] is None


def test_a_computed_template_question_gives_its_parameters_to_the_learners_code(cell):
    wb = Workbook("wbt", mode="self-study")
    wb.ask(id="q-calc", kind="computed", template=TWICE, points=1)
    params = wb.params("q-calc")
    wb.submit("q-calc", 2 * VALUES[params["year"]])
    record = last_record(cell)
    assert record["variant"]["params"] == params and "✔ Correct" in cell[-1][1]["text/plain"]


def test_an_exam_question_asked_in_literals_records_its_variant(cell):
    wb = Workbook("wbx", mode="exam")
    wb.ask(id="xm-1", kind="numeric", prompt="Twice 2003?", tolerance=0.01, points=1,
           variant={"template": "twice", "params": {"year": 2003}})
    widgets_in(cell, widgets.Text)[-1].value = "4"
    record = last_record(cell)
    assert record["variant"] == {"template": "twice", "params": {"year": 2003}} and "key" not in record
    assert not [b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL]


def test_on_binder_the_typed_id_decides_not_the_hub_user_of_the_launch(cell, monkeypatch):
    """BinderHub names a new JupyterHub user at every launch; the grader knows the learner by the typed ID or
    the LMS account, so a Binder session's variants follow the typed ID."""
    launch = "ipython-ipython-in-depth-0"
    assert TWICE.choose(launch, "wbt", "q-twice") != TWICE.choose("S-7", "wbt", "q-twice")  # the test can fail
    monkeypatch.setenv("JUPYTERHUB_USER", launch)
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/course")
    wb = Workbook("wbt", mode="self-study", feedback={"policy": "homework"})
    wb.answers[records.IDENTITY] = {"name": "Ada", "id": "S-7"}
    wb.ask(id="q-twice", template=TWICE, points=1)
    assert wb.questions["q-twice"].variant["params"] == TWICE.choose("S-7", "wbt", "q-twice")


def _template_notebook() -> dict:
    """A saved practice workbook with one template question (outputs cleared: the page holds no record)."""
    def code(source):
        return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}

    return {"cells": [code('wb = Workbook("wbt", mode="self-study")'),
                      code('wb.ask(id="q-twice", template=findings.twice, points=1)')],
            "metadata": {records.METADATA_KEY: {"workbook": "wbt"}}, "nbformat": 4, "nbformat_minor": 5}


def _run_all(monkeypatch, path, calls) -> Workbook:
    """Restart the kernel of the notebook at ``path`` (Jupyter names it) and run its cells."""
    restart_kernel(monkeypatch)
    calls.clear()
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    wb = Workbook("wbt", mode="self-study")
    wb.ask(id="q-twice", template=TWICE, points=1)
    return wb


def test_a_tried_variant_and_its_answer_survive_cleared_outputs_a_move_and_a_duplicate(cell, monkeypatch, tmp_path):
    """Issue 20 on issue 18's notebook identity: the variant "Try another" gave and its answer are journaled under
    the notebook's id, put back by the pre-save hook into a page whose outputs were cleared, found again after a
    move and a restart, and a duplicate starts from them without giving its own tries to the original."""
    import json

    from test_ownership import save, saved, write

    path = write(tmp_path / "wbt.ipynb", _template_notebook())
    wb = _run_all(monkeypatch, path, cell)
    own = wb.questions["q-twice"].variant
    next(b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL).click()
    tried = wb.questions["q-twice"].variant
    assert tried != own  # the test can fail: Try another gave another variant
    widgets_in(cell, widgets.Text)[-1].value = "12.5"

    written = save(path, _template_notebook())  # Clear Outputs of All Cells, then save
    record = records.read_saved(written).records["q-twice"]
    assert (record["variant"], record["answer"]) == (tried, "12.5") and saved(path) == {"q-twice": "12.5"}

    moved = tmp_path / "done" / "wbt.ipynb"
    moved.parent.mkdir()
    path.rename(moved)  # moved outside JupyterLab, then Restart Kernel and Run All
    wb = _run_all(monkeypatch, moved, cell)
    assert wb.questions["q-twice"].variant == tried and widgets_in(cell, widgets.Text)[-1].value == "12.5"

    copy = write(tmp_path / "wbt-Copy1.ipynb", json.loads(moved.read_text()))  # File ▸ Duplicate
    duplicate = _run_all(monkeypatch, copy, cell)
    assert duplicate.store.notebook_id != wb.store.notebook_id
    assert duplicate.questions["q-twice"].variant == tried and last_record(cell)["answer"] == "12.5"
    next(b for b in widgets_in(cell, widgets.Button) if b.description == variant_cell.TRY_LABEL).click()
    assert duplicate.questions["q-twice"].variant != tried

    again = _run_all(monkeypatch, moved, cell)  # the original: its own variant and answer, not the copy's
    assert again.questions["q-twice"].variant == tried and last_record(cell)["answer"] == "12.5"
