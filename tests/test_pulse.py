"""``innovation-course pulse``: a nameless, self-refreshing class view read from journals and saved files.

Learners' homes are made here from the real ex01 workbook and the real answer journal module; answers are
the solutions' own (right) or another option (wrong), so the expected counts follow from the files.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import nbformat
import pytest

from innovation_course.classroom.build import build_notebook
from innovation_course.classroom.cli import main
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.pulse import Pulse, find_spec, page, shortened
from innovation_course.engine import journal, records

ROOT = Path(__file__).resolve().parents[1]
NAME = "ex01_policy_framework.ipynb"
LEARNERS = [f"learner{n:02d}" for n in range(12)]


@pytest.fixture(scope="module")
def spec_and_keys():
    spec, keys = find_spec([ROOT / "solutions"], "ex01")
    return spec, keys


@pytest.fixture(scope="module")
def choice(spec_and_keys):
    spec, _ = spec_and_keys
    solution = load_key(ROOT / "solutions").specs[spec.id]
    question = next(q for q in solution.questions.values() if q.kind == "choice")
    wrong = next(o for o in question.options if o != question.answer)
    return question, wrong


def saved_workbook(path: Path, spec, answers: dict) -> None:
    """A saved workbook holding ``answers`` as records (what Jupyter writes after the widgets changed)."""
    source = ROOT / "exercises" / NAME
    nb = (nbformat.read(source, as_version=4) if source.exists() else
          build_notebook(nbformat.read(ROOT / "solutions" / NAME, as_version=4), "self-study", f"solutions/{NAME}"))
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("display_data", data=records.bundle(
        records.make_record(spec.id, spec.version, qid, spec.questions[qid].kind, answer), "line"))
        for qid, answer in answers.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def journal_answer(folder: Path, spec, qid: str, answer) -> None:
    home = next(p for p in folder.parents if p.parent.name == "homes")  # HOMES/<user>
    notebook_id = "%032x" % (hash((str(folder), qid)) & (2**128 - 1))
    journal.write_record(records.make_record(spec.id, spec.version, qid, spec.questions[qid].kind, answer),
                         notebook_id, folder / NAME, folder=home / journal.IN_HOME)


def test_counts_right_and_wrong_answers_from_files_and_journals(tmp_path, spec_and_keys, choice):
    spec, keys = spec_and_keys
    question, wrong = choice
    homes = tmp_path / "homes"
    folder = lambda user: homes / user / "learners" / "exercises"  # noqa: E731
    saved_workbook(folder("ann") / NAME, spec, {question.id: question.answer})   # saved only
    saved_workbook(folder("ben") / NAME, spec, {question.id: question.answer})   # saved, then changed (journal)
    journal_answer(folder("ben"), spec, question.id, wrong)
    journal_answer(folder("cai"), spec, question.id, wrong)                      # journal only: not saved yet
    journal_answer(folder("dee"), spec, question.id, wrong)
    (homes / "dan").mkdir(parents=True)                                          # no answers at all
    pulse = Pulse(homes, spec, keys)
    view = pulse.round()
    row = next(q for q in view["questions"] if q["id"] == question.id)
    assert view["learners"] == 4
    assert (row["answered"], row["right"]) == (4, 1)
    assert row["wrong"] == [(shortened(wrong), 3)]  # an option, and three learners gave it
    html = page(view, 5)
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "4 learners" in html and "25% right (1 of 4)" in html
    assert not any(name in html for name in ("ann", "ben", "cai", "dan", "dee", "learners/"))


def test_unchanged_files_are_not_read_again(tmp_path, spec_and_keys, choice):
    spec, keys = spec_and_keys
    question, wrong = choice
    homes = tmp_path / "homes"
    for user in LEARNERS:
        saved_workbook(homes / user / "w" / NAME, spec, {question.id: question.answer})
        journal_answer(homes / user / "w", spec, question.id, question.answer)
    for path in homes.rglob("*.json*"):  # settled files (changed more than a few seconds ago)
        os.utime(path, (1_000_000, 1_000_000))
    for path in homes.rglob("*.ipynb"):
        os.utime(path, (1_000_000, 1_000_000))
    pulse = Pulse(homes, spec, keys)
    pulse.round()
    first = pulse.reads
    assert first == 2 * len(LEARNERS)
    pulse.round()
    assert pulse.reads == first, "unchanged files were read again"
    journal_answer(homes / LEARNERS[0] / "w", spec, question.id, wrong)
    view = pulse.round()
    assert pulse.reads == first + 1
    row = next(q for q in view["questions"] if q["id"] == question.id)
    assert (row["answered"], row["right"]) == (len(LEARNERS), len(LEARNERS) - 1)


def test_learners_answering_while_the_pulse_reads(tmp_path, spec_and_keys, choice):
    """Journals rewritten by several writers while rounds run: never a crash, never a half-read count, and the
    last round sees every answer."""
    spec, keys = spec_and_keys
    question, wrong = choice
    homes = tmp_path / "homes"
    for user in LEARNERS:
        (homes / user / "w").mkdir(parents=True)
    pulse = Pulse(homes, spec, keys)
    stop = threading.Event()
    seen: list[int] = []

    def learner(user: str, n: int) -> None:
        for step in range(15):
            journal_answer(homes / user / "w", spec, question.id, wrong if (step + n) % 2 else question.answer)
        journal_answer(homes / user / "w", spec, question.id, question.answer if n % 3 else wrong)

    def reader() -> None:
        while not stop.is_set():
            view = pulse.round()
            seen.append(next(q for q in view["questions"] if q["id"] == question.id)["answered"])

    watcher = threading.Thread(target=reader)
    watcher.start()
    writers = [threading.Thread(target=learner, args=(u, n)) for n, u in enumerate(LEARNERS)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    watcher.join()
    assert seen and all(0 <= s <= len(LEARNERS) for s in seen)
    assert seen == sorted(seen), "a learner's answer disappeared between rounds"
    view = pulse.round()
    row = next(q for q in view["questions"] if q["id"] == question.id)
    assert row["answered"] == len(LEARNERS)
    assert row["right"] == sum(1 for n in range(len(LEARNERS)) if n % 3)


def test_free_answers_are_counted_never_shown(tmp_path, spec_and_keys):
    spec, keys = spec_and_keys
    free = next(q for q in spec.questions.values() if q.kind == "free")
    homes = tmp_path / "homes"
    journal_answer(homes / "zoe" / "w", spec, free.id, "My name is Zoe and I think targets matter.")
    view = Pulse(homes, spec, keys).round()
    row = next(q for q in view["questions"] if q["id"] == free.id)
    assert row["answered"] == 1 and row["wrong"] == []
    html = page(view, 5)
    assert "Zoe" not in html and "marked by the teacher" in html


def test_pulse_once_writes_the_page_for_a_lesson(tmp_path, capsys):
    homes = tmp_path / "homes"
    spec, _ = find_spec([ROOT / "notebooks"], "lesson-01")
    qid = next(iter(spec.questions))
    journal_answer(homes / "amy" / "learners" / "notebooks", spec, qid, None)
    out = tmp_path / "view" / "pulse.html"
    assert main(["pulse", str(homes), "--lesson", "01", "--once", "--out", str(out), "--every", "3"]) == 0
    text = out.read_text()
    assert 'content="3"' in text and re.search(r"\b0 learners\b|\b1 learner\b", text)
    assert "amy" not in text
    assert "1 file read(s)" in capsys.readouterr().out


def test_pulse_refuses_bad_input(tmp_path, capsys):
    assert main(["pulse", str(tmp_path), "--workbook", "ex99", "--once", "--out", str(tmp_path / "p.html")]) == 2
    assert "no workbook 'ex99'" in capsys.readouterr().err
    assert main(["pulse", str(tmp_path / "nope"), "--workbook", "ex01", "--once"]) == 2
    assert main(["pulse", str(tmp_path), "--workbook", "ex01", "--every", "0", "--once"]) == 2
