"""A lesson shows it is working while it runs (issue 18): the progress line at its top counts the cells run."""

from __future__ import annotations

import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from innovation_course.engine import progress


class Shown:
    """Stands in for IPython's display: what the progress line said, in order."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, bundle: dict, raw: bool = False, display_id: bool = False) -> Shown:
        self.texts.append(bundle["text/plain"])
        return self

    def update(self, bundle: dict, raw: bool = False) -> None:
        self.texts.append(bundle["text/plain"])


@pytest.fixture
def shell(monkeypatch, tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": "# A lesson"},
                    {"cell_type": "code", "source": ["from x import working\n", "working()"]},
                    {"cell_type": "code", "source": "a = 1"}, {"cell_type": "code", "source": "  \n"},
                    {"cell_type": "code", "source": "b = a + 1"}]}
    (tmp_path / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "lesson.ipynb"))
    shown = Shown()
    monkeypatch.setattr(progress, "display", shown)
    shell = InteractiveShell.instance()
    monkeypatch.setattr(progress, "get_ipython", lambda: shell)
    yield shell, shown
    for callback in progress._ACTIVE:
        shell.events.unregister("post_run_cell", callback)
    progress._ACTIVE.clear()


def test_the_line_counts_each_code_cell_once_and_says_ready_after_the_last(shell):
    shell, shown = shell
    assert progress.code_cells({"cells": [{"cell_type": "code", "source": " "}, "junk", None]}) == 0
    shell.run_cell("from innovation_course.engine.progress import working\nworking()", cell_id="c1")
    assert shown.texts[0].startswith("⏳ Working: 0 of 3 code cells have run")
    assert shown.texts[1].startswith("⏳ Working: 1 of 3 code cells have run")
    shell.run_cell("a = 1", cell_id="c2")
    shell.run_cell("a = 1", cell_id="c2")  # the same cell again: still 2
    assert shown.texts[-1].startswith("⏳ Working: 2 of 3")
    shell.run_cell("b = a + 1", cell_id="c3")
    assert shown.texts[-1] == "✔ Ready: all 3 code cells have run."


def test_an_error_or_an_interrupt_says_the_run_stopped(shell):
    shell, shown = shell
    shell.run_cell("from innovation_course.engine.progress import working\nworking()", cell_id="c1")
    shell.run_cell("raise KeyboardInterrupt", cell_id="c2")
    assert shown.texts[-1].startswith("⚠ Stopped: 2 of 3 code cells have run, the last one with an error")
    shell.run_cell("from innovation_course.engine.progress import working\nworking()", cell_id="c1")  # again
    assert len(shell.events.callbacks["post_run_cell"]) == len(set(shell.events.callbacks["post_run_cell"]))
    assert progress._ACTIVE and sum(c in progress._ACTIVE for c in shell.events.callbacks["post_run_cell"]) == 1


def test_no_line_outside_a_jupyter_session(shell, monkeypatch):
    shell, shown = shell
    monkeypatch.delenv("JPY_SESSION_NAME")
    shell.run_cell("from innovation_course.engine.progress import working\nworking()", cell_id="c1")
    assert shown.texts == [] and not progress._ACTIVE
