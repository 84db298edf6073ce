"""Execute course notebooks in place so their stored outputs are the ones nbval checks.

    python scripts/execute_notebooks.py notebooks/01_policy_framework.ipynb solutions/*.ipynb

Each notebook runs in its own folder with a fresh ``python3`` kernel. Timing and widget-state metadata are
left out, so re-running an unchanged notebook rewrites the same bytes (idempotent).
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def tidy(nb: nbformat.NotebookNode) -> None:
    """Drop what changes between runs and machines: timings, widget state, language version details; and give
    each widget view a model id made from its cell's id and its place among the cell's outputs, not the random
    one the kernel gave it (no widget state is stored, so the id points at nothing either way)."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for place, output in enumerate(cell.outputs):
                output.get("metadata", {}).pop("execution", None)
                view = output.get("data", {}).get(WIDGET_VIEW)
                if isinstance(view, dict) and "model_id" in view:
                    view["model_id"] = model_id(cell.get("id") or str(index), place)


def model_id(cell_id: str, place: int) -> str:
    """The model id :func:`tidy` gives the widget view at output ``place`` of the cell ``cell_id``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"innovation-course:{cell_id}/{place}").hex


def execute(path: Path, timeout: int = 300) -> float:
    """Run one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    tidy(nb)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"{path}: {execute(path.resolve()):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
