"""Execute each course notebook cold (a fresh kernel each) and print the seconds it takes.

    python benchmarks/notebook_bench.py [NOTEBOOK ...]

Target: each lesson notebook in at most 10 s on a 2-core machine. Nothing is written back. Besides the wall
time, each line gives the CPU seconds of the notebook's kernel (start and every cell; far less sensitive to
what else runs than the wall time), and the machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 10.0


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended (a kernel, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cold(path: Path) -> tuple[float, float]:
    """Seconds to start a kernel and run every cell of one notebook, and the kernel's CPU seconds."""
    nb = nbformat.read(path, as_version=4)
    cpu, start = children_cpu(), time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start, children_cpu() - cpu


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
    print(f"load average (1, 5, 15 min) before: {load()}")
    print(f"{'notebook':48} {'seconds':>8} {'kernel CPU s':>13}  target {TARGET_SECONDS:.0f} s")
    slow = 0
    for path in paths:
        seconds, cpu = run_cold(path.resolve())
        over = seconds > TARGET_SECONDS
        slow += over
        name = path.resolve().relative_to(ROOT)
        print(f"{name!s:48} {seconds:8.1f} {cpu:13.2f}  {'OVER' if over else 'ok'}", flush=True)
    print(f"{len(paths)} notebooks, {slow} over the target; load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
