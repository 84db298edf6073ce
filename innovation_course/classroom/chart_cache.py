"""``innovation-course chart-cache``: store the lessons' charts for the learners' kernels (see
:mod:`innovation_course.content.chartcache`).

    innovation-course chart-cache [--folder DIR] [NOTEBOOK ...]

Runs each lesson (default: ``notebooks/*.ipynb``) once in a fresh kernel with the chart cache's writing on, into
an emptied folder (default: ``<environment>/share/innovation-course/charts``), so the folder holds exactly the
charts of this code and these data. Nothing is written back to the notebooks. Run where the learners' kernels
will run: by Binder's and repo2docker's ``postBuild`` (the image a hub starts), by ``make chart-cache``, and by
``benchmarks/hub_load.py`` before the hub starts. A folder that was never filled costs nothing: every chart is
drawn as before.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..content import chartcache
from . import ROOT


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` for the block (the kernels nbclient starts inherit it)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def fill(notebooks: list[Path], folder: Path, timeout: int = 600) -> int:
    """Empty ``folder``, run every notebook once with the cache writing into it; return how many charts it
    holds then. A notebook that fails is named on stderr and the others still run: the cache only saves time
    (a chart it lacks is drawn), so it never stops an image's build."""
    import nbformat
    from nbclient import NotebookClient

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with _environment({chartcache.FOLDER_ENV: str(folder), chartcache.WRITE_ENV: "1"}):
        for path in notebooks:
            try:
                nb = nbformat.read(path, as_version=4)
                NotebookClient(nb, timeout=timeout, kernel_name="python3",
                               resources={"metadata": {"path": str(path.parent)}}).execute()
            except Exception as error:  # any failure: that lesson's charts are drawn when shown
                print(f"chart cache: {path.name} stopped ({type(error).__name__}); its other charts will be "
                      "drawn when shown", file=sys.stderr)
    return len(list(folder.glob("*.json")))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to run (default: notebooks/*.ipynb)")
    parser.add_argument("--folder", type=Path, default=None,
                        help=f"where to store them (default: {chartcache.default_folder()})")


def run(args: argparse.Namespace) -> int:
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    folder = args.folder or chartcache.default_folder()
    start = time.perf_counter()
    count = fill(notebooks, folder)
    print(f"chart cache: {count} charts of {len(notebooks)} lessons in {folder} "
          f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return 0
