"""A lesson shows it is working while it runs: one line at its top that counts the code cells run.

A lesson's first code cell calls :func:`working`. In a Jupyter session it shows a line that the kernel updates
after every cell that runs (IPython's ``post_run_cell`` event): "⏳ Working: 5 of 29 code cells have run…",
then "✔ Ready: all 29 code cells have run." once each code cell of the saved notebook has run, or "⚠ Stopped"
when a cell raised an error or was interrupted. Loading the data and drawing the charts takes several seconds,
and the line is at the top of the page, where the learner is when the lesson opens.

Cells are counted by the ids Jupyter gives them, so a cell run twice counts once; the number of code cells is
read from the saved notebook (as data, never run). Executed and tested notebooks (nbclient, nbval) have no
page and get no line, so their outputs stay the same at every run.
"""

from __future__ import annotations

import json
from typing import Any

from IPython import get_ipython
from IPython.display import display

from .session import in_jupyter_session, notebook_path

_ACTIVE: list[Any] = []  # the callback of the line shown last in this kernel (a re-run replaces it)


def code_cells(nb: dict) -> int:
    """How many code cells of a notebook have code to run."""
    count = 0
    for cell in nb.get("cells") or []:
        source = cell.get("source") if isinstance(cell, dict) and cell.get("cell_type") == "code" else None
        text = "".join(source) if isinstance(source, list) else str(source or "")
        count += bool(text.strip())
    return count


def line(done: int, total: int | None, stopped: bool = False) -> str:
    """The progress line: how many code cells have run, of how many."""
    of = f" of {total}" if total else ""
    if stopped:
        return (f"⚠ Stopped: {done}{of} code cells have run, the last one with an error. Read it, then choose "
                "Run ▸ Run All Cells again.")
    if total and done >= total:
        return f"✔ Ready: all {total} code cells have run."
    return f"⏳ Working: {done}{of} code cells have run… (loading data and drawing charts takes a few seconds)"


def _bundle(text: str) -> dict:
    return {"text/markdown": f"**{text}**", "text/plain": text}


def _saved_total() -> int | None:
    path = notebook_path()
    if path is None:
        return None
    try:
        return code_cells(json.loads(path.read_text(encoding="utf-8"))) or None
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return None


def working() -> None:
    """Show the progress line and keep it up to date as the lesson's cells run (in a Jupyter session only)."""
    shell = get_ipython()
    if shell is None or not in_jupyter_session():
        return
    for earlier in _ACTIVE:
        shell.events.unregister("post_run_cell", earlier)
    _ACTIVE.clear()
    total, ran = _saved_total(), set()
    handle = display(_bundle(line(0, total)), raw=True, display_id=True)

    def after(result: Any) -> None:
        info = getattr(result, "info", None)
        ran.add(getattr(info, "cell_id", None) or f"run {getattr(result, 'execution_count', len(ran))}")
        handle.update(_bundle(line(len(ran), total, stopped=not result.success)), raw=True)

    shell.events.register("post_run_cell", after)
    _ACTIVE.append(after)
