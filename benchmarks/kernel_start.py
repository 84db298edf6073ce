"""CPU seconds of a learner's kernel: the stock Python kernel against the hub's (no debugger), started or forked.

    python benchmarks/kernel_start.py [--repeat N]

Each round starts one kernel of each kind in turn (so both see the same load), waits until it is ready, then runs
the import cells that lesson 1 and workbook 1 open with, and reads the kernel's CPU seconds from ``/proc`` after
each step. Prints every round's figures, their medians and the machine's load average before and after. The
hub's kernel is :mod:`innovation_course.classroom.hub.kernel`, started afresh or forked from the fork server
(:mod:`innovation_course.classroom.hub.forkserver`; its own CPU, spent once per learner's server, is printed at the
end); ``benchmarks/hub_load.py`` measures them in a whole class.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import nbformat
from hub_profile import cpu_seconds  # benchmarks/, beside this script
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from innovation_course.classroom.hub import forkserver
from innovation_course.classroom.hub.kernel import CourseKernelSpecs

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"stock kernel": KernelSpecManager, "hub kernel": partial(CourseKernelSpecs, forked=False),
         "forked kernel": CourseKernelSpecs}
CELLS = {"lesson 1": ROOT / "notebooks" / "01_policy_framework.ipynb",
         "workbook 1": ROOT / "exercises" / "ex01_policy_framework.ipynb"}


def import_cell(path: Path) -> str:
    """The first code cell of a notebook that imports from the course's package."""
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and "import" in c.source
                and "innovation_course" in c.source and "working()" not in c.source)


def one_round(specs: Callable[[], KernelSpecManager], code: str, folder: Path) -> tuple[float, float]:
    """(CPU seconds to ready, CPU seconds after ``code``) of one new kernel, run in ``folder``."""
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs())
    manager.start_kernel(cwd=str(folder))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        pid = manager.provisioner.process.pid
        ready = cpu_seconds(pid)
        reply = client.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the import cell failed: {reply['content']}")
        return ready, cpu_seconds(pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds per kernel and notebook (default 5)")
    args = parser.parse_args(argv)
    print(f"load average (1, 5, 15 min) before: {load()}")
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for notebook, path in CELLS.items():
        code = import_cell(path)
        for n in range(args.repeat):
            for kind, specs in KINDS.items():
                ready, done = one_round(specs, code, path.parent)
                figures.setdefault((notebook, kind), []).append((ready, done))
                print(f"round {n + 1}: {notebook:10} {kind:13} ready {ready:.2f} CPU s, import cell done {done:.2f}",
                      flush=True)
    print(f"\nmedians of {args.repeat} rounds (CPU seconds of the kernel process):")
    print(f"{'notebook':10} {'kernel':13} {'to ready':>9} {'+ import cell':>14}")
    for (notebook, kind), rows in figures.items():
        print(f"{notebook:10} {kind:13} {statistics.median(r for r, _ in rows):9.2f} "
              f"{statistics.median(d for _, d in rows):14.2f}")
    for server in forkserver.SERVERS.values():
        print(f"the fork server (started once, forked {args.repeat * len(CELLS)} kernels): "
              f"{cpu_seconds(server.process.pid):.2f} CPU s")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
