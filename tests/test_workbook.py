"""The notebook-facing API: answers written as records, kept in the journal, restored from the newest of
this kernel's memory, the journal and the saved file; the hand-in check; the feedback policies."""

import json

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from innovation_course.engine import answers, journal, records, workbook
from innovation_course.engine.widgets import LIVE_CSS, LIVE_LINE
from innovation_course.engine.workbook import Workbook, jsonable


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch, tmp_path):
    """Each test starts as a new kernel in its own notebook folder, outside any Jupyter session."""
    monkeypatch.setattr(answers, "_ANSWERS", {})
    monkeypatch.setattr(answers, "_RECORDS", {})
    monkeypatch.setattr(answers, "_NOTEBOOK_IDS", {})
    monkeypatch.setattr(workbook, "_CURRENT", [])
    monkeypatch.setattr(workbook.frontend, "install", lambda: None)
    for name in ("JPY_SESSION_NAME", "INNOVATION_COURSE_JOURNAL", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def restart_kernel(monkeypatch):
    """What a kernel restart forgets: this kernel's memory."""
    monkeypatch.setattr(answers, "_ANSWERS", {})
    monkeypatch.setattr(answers, "_RECORDS", {})
    monkeypatch.setattr(answers, "_NOTEBOOK_IDS", {})
    monkeypatch.setattr(workbook, "_CURRENT", [])


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


def controls(calls):
    """The input widgets of the last question or identity shown, in order."""
    box = next(obj for _, obj in reversed(calls) if isinstance(obj, widgets.VBox))
    found = []

    def walk(w):
        if isinstance(w, widgets.Box):
            for child in w.children:
                walk(child)
        elif isinstance(w, widgets.ValueWidget | widgets.Button) and not isinstance(w, widgets.Label):
            found.append(w)

    walk(box)
    return found


def markdown(calls):
    return [obj.data for _, obj in calls if hasattr(obj, "data") and isinstance(obj.data, str)]


def last_record(calls):
    return next(obj for _, obj in reversed(calls) if isinstance(obj, dict) and records.MIME in obj)


def saved_notebook(tmp_path, workbook_id, answers):
    outputs = [{"output_type": "display_data", "metadata": {},
                "data": records.bundle(records.make_record(workbook_id, "1", qid, "choice", a), "x")}
               for qid, a in answers.items()]
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs,
                     "execution_count": 1}], "metadata": {records.METADATA_KEY: {"workbook": workbook_id}},
          "nbformat": 4, "nbformat_minor": 5}
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


# -- a second home for every answer -------------------------------------------------------------------------
ORDER = dict(id="o", kind="ordering", prompt="Order", options=["a", "b", "c", "d", "e", "f"],
             answer=["a", "b", "c", "d", "e", "f"])
NUMBER = dict(id="n", kind="numeric", prompt="How many years?", answer=30, tolerance=0.5, unit="years",
              explanation="It is 30.")


def in_session(monkeypatch, tmp_path, name="ex01_saved.ipynb"):
    """As in JupyterLab: the server names the notebook in JPY_SESSION_NAME and starts the kernel beside it."""
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / name))
    return tmp_path / name


def choose(calls, value):
    controls(calls)[0].value = value


def journaled(wb=None):
    """The journal of the notebook the current workbook runs in."""
    wb = wb or workbook._CURRENT[0]
    return journal.read_journal(journal.journal_path(wb.store.notebook_id), wb.id)


def journal_before(path, record):
    """A journal written by an earlier kernel for the notebook at ``path`` (the file's id or a new one)."""
    notebook_id = answers.ownership.claim(path.resolve(), answers.ownership.file_claims(path), record["workbook"])
    journal.write_record(record, notebook_id)


def test_a_changed_answer_is_in_the_journal_at_once(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    Workbook("ex01").ask(**CHOICE)
    choose(shown, "a")
    saved = journaled()
    assert saved["c"]["answer"] == "a" and saved["c"]["answered_at"] and saved["c"]["tries"] == 1
    assert last_record(shown)[records.MIME] == saved["c"]


def test_run_all_in_the_same_kernel_keeps_the_answers(shown):
    """Re-making the workbook (Run All) before any save: the answers given in this kernel come back."""
    Workbook("ex01").ask(**CHOICE)
    choose(shown, "a")
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"
    assert controls(shown)[0].value == "a"


def test_after_a_restart_the_journal_brings_back_unsaved_answers(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    Workbook("ex01").ask(**CHOICE)
    choose(shown, "a")
    restart_kernel(monkeypatch)  # never saved: the file does not even exist
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"


def test_cleared_outputs_then_save_then_run_all_loses_nothing(shown, tmp_path, monkeypatch):
    path = in_session(monkeypatch, tmp_path)
    Workbook("ex01").ask(**CHOICE)
    choose(shown, "a")
    saved_notebook(tmp_path, "ex01", {})  # outputs cleared and saved: no record in the file
    assert path.exists() and not records.read_saved(json.loads(path.read_text())).answers
    restart_kernel(monkeypatch)
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"


def file_with(tmp_path, answer, at):
    record = records.make_record("ex01", "1", "c", "choice", answer, answered_at=at)
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1, "outputs": [
        {"output_type": "display_data", "metadata": {}, "data": records.bundle(record, "x")}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "ex01_saved.ipynb").write_text(json.dumps(nb))


@pytest.mark.parametrize("journal_at,file_at,expected", [
    ("2026-12-01T10:00:00+00:00", "2026-12-01T09:00:00+00:00", "journal"),
    ("2026-12-01T09:00:00+00:00", "2026-12-01T10:00:00+00:00", "file"),
    ("2026-12-01T09:00:00+00:00", None, "journal"),  # a record saved before times were kept counts as oldest
])
def test_the_newest_of_journal_and_file_wins(shown, tmp_path, monkeypatch, journal_at, file_at, expected):
    path = in_session(monkeypatch, tmp_path)
    file_with(tmp_path, "b", file_at)
    journal_before(path, records.make_record("ex01", "1", "c", "choice", "a", answered_at=journal_at))
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == {"journal": "a", "file": "b"}[expected]


def test_this_kernels_newer_answer_wins_over_an_older_journal(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    choose(shown, "a")
    journal.write_record(records.make_record("ex01", "1", "c", "choice", "b", answered_at="2020-01-01T00:00:00+00:00"),
                         wb.store.notebook_id)
    wb.ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"


def test_a_renamed_notebook_keeps_its_journal_and_is_found_for_the_check(shown, tmp_path, monkeypatch):
    """JupyterLab renames without telling the kernel: JPY_SESSION_NAME keeps naming the old file."""
    in_session(monkeypatch, tmp_path, "ex01_old.ipynb")
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    choose(shown, "a")
    file_with(tmp_path, "a", workbook.now())  # saved under the new name, ex01_saved.ipynb
    Workbook("ex01").ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"
    status = workbook._CURRENT[0].hand_in()
    assert status.notebook == "ex01_saved.ipynb" and not status.not_saved


def test_two_learners_in_two_folders_never_share_a_journal(shown, tmp_path, monkeypatch):
    ids = {}
    for learner, answer in (("alice", "a"), ("bob", "b")):
        (tmp_path / learner).mkdir()
        monkeypatch.chdir(tmp_path / learner)
        in_session(monkeypatch, tmp_path / learner)
        restart_kernel(monkeypatch)
        Workbook("ex01").ask(**CHOICE)
        choose(shown, answer)
        ids[learner] = workbook._CURRENT[0].store.notebook_id
    assert ids["alice"] != ids["bob"]
    for learner, answer in (("alice", "a"), ("bob", "b")):
        saved = journal.read_journal(journal.journal_path(ids[learner]))
        assert saved["c"]["answer"] == answer


def test_outside_a_jupyter_session_no_journal_is_written(shown, tmp_path):
    """nbclient and nbval runs (no JPY_SESSION_NAME) leave the folder as it was, so re-runs are repeatable."""
    Workbook("ex01").ask(**CHOICE)
    choose(shown, "a")
    assert workbook._CURRENT[0].store.notebook_id is None and not list(journal.journal_dir().iterdir())


def test_the_teachers_copy_keeps_no_times_and_no_journal(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    wb = Workbook("ex01", mode="solution")
    wb.ask(id="k", kind="computed", prompt="p", answer=2.5, tolerance=0.01)
    wb.submit("k", 2.5)
    record = last_record(shown)[records.MIME]
    assert "answered_at" not in record and "tries" not in record
    assert wb.store.notebook_id is None and not list(journal.journal_dir().iterdir())


# -- nothing silent ------------------------------------------------------------------------------------------
def test_a_question_cell_run_before_the_setup_cell_says_what_to_do(shown):
    workbook.wb.ask(**CHOICE)
    assert markdown(shown) == [workbook.NOT_READY]
    assert "first code cell" in workbook.NOT_READY and len(workbook.NOT_READY.split(". ")) == 1


def test_before_the_setup_cell_the_saved_answer_stays_in_the_cells_output(shown, tmp_path, monkeypatch):
    path = in_session(monkeypatch, tmp_path)
    saved_notebook(tmp_path, "ex01", {})
    journal_before(path, records.make_record("ex01", "1", "c", "choice", "a", answered_at=workbook.now()))
    workbook.wb.ask(**CHOICE)
    record = last_record(shown)
    assert record[records.MIME]["answer"] == "a" and "run the first cell" in record["text/plain"]


def test_after_setup_wb_is_the_workbook(shown):
    made = Workbook("ex01")
    workbook.wb.ask(**CHOICE)
    assert workbook.wb.id == "ex01" and "c" in made.questions


def test_each_answer_line_is_shown_once(shown):
    Workbook("ex01").ask(**NUMBER)
    controls(shown)[0].value = "30 years"
    line = last_record(shown)["text/plain"]
    assert line == "Answer to n: 30 years — ✔ Correct — 1/1 point"
    feedback, live = [w for w in controls(shown) if isinstance(w, widgets.HTML)]
    assert "Answer to" not in feedback.value and "It is 30." in feedback.value
    # the widgets show the line live (a cell restored by undo gets no update of its answer output), and hide
    # the answer output's own line while they are live: one line on the page, the current one
    assert f'class="{LIVE_LINE}"' in live.value and f">{line}</div>" in live.value
    assert LIVE_CSS in live.value and "display: none" in LIVE_CSS


def test_the_identitys_live_line_follows_the_fields(shown):
    Workbook("ex01").identity()
    name, learner, live = controls(shown)
    name.value, learner.value = "Li Hua", "S-1"
    assert last_record(shown)["text/plain"] == "Learner: Li Hua · ID: S-1"
    assert ">Learner: Li Hua · ID: S-1</div>" in live.value


def test_a_decimal_comma_is_answered_not_misread(shown):
    Workbook("ex01").ask(**{**NUMBER, "answer": 0.14, "tolerance": 0.01, "unit": ""})
    controls(shown)[0].value = "0,14"
    assert last_record(shown)["text/plain"] == "Answer to n: 0,14 — ⚠ write the number with a point, e.g. 0.14"


def test_a_half_filled_ordering_says_how_many_are_placed(shown):
    Workbook("ex01").ask(**ORDER)
    menus = [w for w in controls(shown) if isinstance(w, widgets.Dropdown)]
    for menu, item in zip(menus[:3], ["a", "b", "c"], strict=True):
        menu.value = item
    line = last_record(shown)["text/plain"]
    assert line.startswith("Answer to o: 3 of 6 placed — ⚠") and "None" not in line


# -- hand-in check --------------------------------------------------------------------------------------------
def test_check_says_all_answers_are_saved(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    choose(shown, "a")
    file_with(tmp_path, "a", workbook.now())
    wb.check()
    assert markdown(shown)[-1] == ("**Hand-in check.** ✔ The saved file ex01_saved.ipynb holds all 1 answer given "
                                   "here.\n\nAnswered: 1 of 1 questions.\n\nPoints: 0 of 1 point so far (marked here).")


FREE = dict(id="f", kind="free", prompt="Why?", answer="Because.", points=3)


def test_check_tells_the_whole_truth_unreadable_unanswered_points_and_what_the_teacher_marks(shown, tmp_path,
                                                                                            monkeypatch):
    """Issue 18: "✔ All 12 answers are saved" while "0,14" was refused and graded 0; no points were shown."""
    in_session(monkeypatch, tmp_path)
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    choose(shown, "b")
    wb.ask(**NUMBER)
    choose(shown, "0,14")
    wb.ask(**FREE)
    wb.ask(**{**CHOICE, "id": "c2"})
    saved_notebook(tmp_path, "ex01", {"c": "b", "n": "0,14"})
    status = wb.hand_in()
    assert (status.answered, status.unanswered, status.not_saved) == (["c"], ["f", "c2"], [])
    assert status.unreadable == [("n", "write the number with a point, e.g. 0.14")]
    assert (status.points, status.auto_points, status.teacher_points) == (1.0, 3.0, 3.0)
    wb.check()
    text = markdown(shown)[-1]
    assert "✔ The saved file ex01_saved.ipynb holds all 2 answers given here." in text
    assert "⚠ Not understood, so worth 0 points until you change it: n: write the number with a point" in text
    assert "Answered: 2 of 4 questions." in text and "○ Not answered yet: f, c2." in text
    assert "Points: 1 of 3 points so far (marked here); 3 points for your teacher to mark." in text
    summary = status.summary()
    assert summary.startswith("**Your progress:** 2 of 4 questions answered · 1 of 3 points so far")
    assert "⚠ not understood: n" in summary


def test_check_of_an_empty_workbook_never_says_all_saved(shown, tmp_path, monkeypatch):
    """Issue 18: "✔ All 0 answers are saved" on an empty workbook."""
    in_session(monkeypatch, tmp_path)
    saved_notebook(tmp_path, "ex01", {})
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    wb.check()
    text = markdown(shown)[-1]
    assert "✔" not in text and "○ No question is answered yet" in text and "Answered: 0 of 1 questions." in text


def test_answers_of_cells_an_interrupt_left_blank_are_named_in_the_summary_and_the_check(shown, tmp_path,
                                                                                        monkeypatch):
    """Run All interrupted after the first question: the later answers are kept, and the page says so."""
    path = in_session(monkeypatch, tmp_path)
    saved_notebook(tmp_path, "ex01", {})
    nb = json.loads(path.read_text())
    nb["cells"] += [{"cell_type": "code", "source": f'wb.ask(id="{q}", kind="choice")', "metadata": {},
                     "outputs": [], "execution_count": None} for q in ("c", "c2")]
    path.write_text(json.dumps(nb))
    wb = Workbook("ex01")
    wb.ask(**CHOICE)
    choose(shown, "a")
    wb.ask(**{**CHOICE, "id": "c2"})
    choose(shown, "b")
    Workbook("ex01").ask(**CHOICE)  # Run All again, interrupted after the first question
    status = workbook._CURRENT[0].hand_in()
    assert (status.total, status.answered, status.not_shown, status.not_saved) == (2, ["c"], ["c2"], ["c", "c2"])
    line = next(obj for _, obj in reversed(shown) if isinstance(obj, dict) and "text/markdown" in obj)
    assert "1 answered question is not shown on this page: choose Run ▸ Run All Cells" in line["text/markdown"]


def test_check_lists_answers_not_saved_yet_unanswered_questions_and_an_empty_identity(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    saved_notebook(tmp_path, "ex01", {"c": "b"})
    wb = Workbook("ex01")
    wb.identity()
    wb.ask(**CHOICE)
    choose(shown, "a")
    wb.ask(**NUMBER)
    wb.check()
    text = markdown(shown)[-1]
    assert "⚠ 1 answer is not in the saved file yet: press Ctrl+S (⌘+S)" in text and "Not saved yet: c." in text
    assert "○ Not answered yet: n." in text and "name and learner ID are empty" in text


def test_check_without_a_notebook_file_says_so_the_same_way_every_time(shown):
    wb = Workbook("ex01", mode="solution")
    wb.ask(**CHOICE)
    wb.check()
    assert markdown(shown)[-1] == ("**Hand-in check.** This kernel cannot see the notebook file, so it cannot "
                                   "check what is saved: 1 answer given here. Save the notebook (Ctrl+S / ⌘+S) "
                                   "before you hand it in.\n\nAnswered: 1 of 1 questions.\n\nPoints: 1 of 1 "
                                   "point so far (marked here).")


# -- identity on a hub ------------------------------------------------------------------------------------------
def test_identity_records_the_hub_user(shown, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    wb = Workbook("ex01")
    wb.identity()
    name = controls(shown)[0]
    name.value = "Alice Li"
    bundle = last_record(shown)
    assert bundle[records.MIME]["answer"] == {"name": "Alice Li", "id": "", "hub_user": "alice"}
    assert bundle["text/plain"] == "Learner: Alice Li · ID: (not given) · hub user: alice"


# -- feedback policies ----------------------------------------------------------------------------------------
HOMEWORK = {"policy": "homework", "reveal_after": 2, "deduction": 0.25}
CHOICE3 = dict(id="c", kind="choice", prompt="Pick", options=["a", "b", "c"], answer="c",
               explanation="C, because.")


def explanation_shown(calls):
    return "C, because." in next(w for w in controls(calls) if isinstance(w, widgets.HTML)).value


def test_homework_marks_on_check_counts_tries_and_reveals_after_the_set_tries(shown):
    Workbook("ex01", feedback=HOMEWORK).ask(**CHOICE3)
    radio, button = controls(shown)[:2]
    radio.value = "a"
    assert "saved; press “Check my answer”" in last_record(shown)["text/plain"] and not explanation_shown(shown)
    button.click()
    button.click()  # the same answer again is not another try
    record = last_record(shown)[records.MIME]
    assert record["tries"] == 1 and record["checked"] and not explanation_shown(shown)
    assert "✘ Not yet right" in last_record(shown)["text/plain"]
    radio.value = "b"
    button.click()
    assert last_record(shown)[records.MIME]["tries"] == 2 and explanation_shown(shown)  # reveal_after 2
    radio.value = "c"
    button.click()
    assert last_record(shown)["text/plain"].startswith("Answer to c: c — ✔ Correct — 0.5/1 point")


def test_homework_explanation_shows_after_a_right_first_try(shown):
    Workbook("ex01", feedback={"policy": "homework", "reveal_after": 0}).ask(**CHOICE3)
    radio, button = controls(shown)[:2]
    radio.value = "c"
    button.click()
    assert explanation_shown(shown) and last_record(shown)["text/plain"].endswith("1/1 point (try 1)")


def test_practice_counts_tries_without_a_check_button(shown):
    Workbook("ex01").ask(**CHOICE3)
    assert not any(isinstance(w, widgets.Button) and w.description == "Check my answer" for w in controls(shown))
    controls(shown)[0].value = "a"
    controls(shown)[0].value = "c"
    assert last_record(shown)[records.MIME]["tries"] == 2 and explanation_shown(shown)


def test_submitting_the_same_value_again_is_not_a_new_try(shown):
    wb = Workbook("ex01", feedback=HOMEWORK)
    wb.ask(id="k", kind="computed", prompt="p", answer=2.5, tolerance=0.01)
    wb.submit("k", 2.0)
    first = last_record(shown)[records.MIME]
    wb.submit("k", 2.0)
    assert last_record(shown)[records.MIME] == first and first["tries"] == 1
    wb.submit("k", 2.5)
    assert last_record(shown)[records.MIME]["tries"] == 2
    assert "0.75/1 point" in last_record(shown)["text/plain"]


def test_an_empty_widget_shown_earlier_does_not_hide_the_saved_answer(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    wb = Workbook("ex01")
    wb.ask(**CHOICE)  # nothing saved yet: shown empty
    saved_notebook(tmp_path, "ex01", {"c": "a"})  # a file saved before times were kept
    wb.ask(**CHOICE)
    assert last_record(shown)[records.MIME]["answer"] == "a"


def test_other_uses_of_wb_before_the_setup_cell_say_what_to_do():
    with pytest.raises(AttributeError, match="Run the first code cell"):
        workbook.wb.total  # noqa: B018


def test_check_run_alone_after_a_restart_does_not_claim_all_is_saved(shown, tmp_path, monkeypatch):
    in_session(monkeypatch, tmp_path)
    saved_notebook(tmp_path, "ex01", {"c": "b"})
    Workbook("ex01").check()
    assert "No question has run in this kernel yet" in markdown(shown)[-1] and "✔" not in markdown(shown)[-1]


def test_an_unanswered_question_shows_no_explanation_or_source(shown):
    Workbook("ex01").ask(**{**CHOICE3, "source": "SOURCE-LINE"})
    feedback = next(w for w in controls(shown) if isinstance(w, widgets.HTML))
    assert "SOURCE-LINE" not in feedback.value and "C, because." not in feedback.value


def test_answers_restored_from_the_file_are_journaled_so_clearing_outputs_then_saving_keeps_them(shown, tmp_path,
                                                                                                  monkeypatch):
    """Issue 18, found in the browser: a Duplicate starts from the answers saved in it, under a new notebook id
    whose journal is empty; Clear Outputs of All Cells then Save left the copy's file with no answer."""
    from innovation_course.engine import repair

    path = in_session(monkeypatch, tmp_path)
    file_with(tmp_path, "b", "2026-12-01T09:00:00+00:00")
    Workbook("ex01").ask(**CHOICE)
    assert journaled()["c"]["answer"] == "b"
    where = journal.journal_path(workbook._CURRENT[0].store.notebook_id)
    written = where.stat().st_mtime_ns
    Workbook("ex01").ask(**CHOICE)  # Run All again: the journal holds it already, nothing is rewritten
    assert where.stat().st_mtime_ns == written
    nb = json.loads(path.read_text())
    nb["metadata"] = {records.METADATA_KEY: {"workbook": "ex01"}}
    for cell in nb["cells"]:
        cell["outputs"] = []  # Clear Outputs of All Cells, then Save: the pre-save hook puts it back
    assert repair.repair(nb, path.resolve()) == ["c"] and records.read_saved(nb).answers == {"c": "b"}
