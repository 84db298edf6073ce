"""Give every solution workbook its hand-in check: a last cell ``wb.check()`` (idempotent).

    python scripts/add_checks.py [solutions/ex*.ipynb ...]

Each notebook is read, changed and written in one step (nbformat); running it again changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

ROOT = Path(__file__).resolve().parent.parent
CHECK = "wb.check()"
HEADING = ("## Before you hand in\n\nThe cell below checks that the saved notebook file holds every answer you gave "
           "(Run All runs it too). Do what it says, then hand in the `.ipynb` file.")
REWORDS = {
    "Your answers are stored in the notebook file itself; hand in the `.ipynb` file.":
        "Your answers are stored in the notebook file itself; the last cell checks that the file holds them all. "
        "Hand in the `.ipynb` file.",
    "Re-running a question cell keeps your last saved answer.":
        "Re-running a question cell brings back your latest answer, saved or not.",
}


def add_check(path: Path) -> bool:
    """Add the check cell and the reworded instructions to one notebook; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for old, new in REWORDS.items():
                if old in cell.source:
                    cell.source, changed = cell.source.replace(old, new), True
    if not any(c.cell_type == "code" and CHECK in c.source for c in nb.cells):
        nb.cells += [new_markdown_cell(HEADING, id="hand-in-check-note"), new_code_cell(CHECK, id="hand-in-check")]
        changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv or [])] or sorted((ROOT / "solutions").glob("ex*.ipynb"))
    for path in paths:
        print(f"{path.name}: {'check added' if add_check(path) else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
