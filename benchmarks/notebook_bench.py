"""Execute each course notebook cold (a fresh kernel each) and print the seconds it takes.

    python benchmarks/notebook_bench.py [NOTEBOOK ...]

Target: each lesson notebook in at most 10 s on a 2-core machine. Nothing is written back.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 10.0


def run_cold(path: Path) -> float:
    """Seconds to start a kernel and run every cell of one notebook."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
    print(f"{'notebook':48} {'seconds':>8}  target {TARGET_SECONDS:.0f} s")
    slow = 0
    for path in paths:
        seconds = run_cold(path.resolve())
        over = seconds > TARGET_SECONDS
        slow += over
        name = path.resolve().relative_to(ROOT)
        print(f"{name!s:48} {seconds:8.1f}  {'OVER' if over else 'ok'}", flush=True)
    print(f"{len(paths)} notebooks, {slow} over the target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
