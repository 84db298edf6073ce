"""A learner's Python kernel on the hub: ipykernel without its debugger, started with less CPU.

    python -m innovation_course.classroom.hub.kernel -f {connection_file}

On import ipykernel looks for debugpy, the engine of JupyterLab's visual debugger, and when it finds it imports
debugpy's server and pydevd's frame tools, which stay loaded in the kernel. ``benchmarks/hub_load.py`` and
``benchmarks/kernel_start.py`` measured what that costs here: a kernel's start and the lesson's import cell take
about a quarter of a CPU second more with it, in each of a learner's two kernels (the lesson's and the
workbook's). Learners on a class hub do not step through the course's code with a debugger, so their kernels
start as ``ipykernel_launcher`` does, with debugpy's import blocked: ipykernel then reports that it has no
debugger, as wherever debugpy is not installed, and JupyterLab shows its debugger button disabled ("Select a
kernel that supports debugging"). Everything else is ipykernel itself.

:class:`CourseKernelSpecs` makes a learner's server (:mod:`.singleuser`) start the stock ``python3`` kernel
this way: same name, display name, logos and language, only the module that launches it differs.
"""

from __future__ import annotations

import functools
import runpy
import sys
from importlib.metadata import entry_points

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from traitlets import Bool

#: The module a stock Python kernel spec launches, and the one the hub's servers launch in its place.
STOCK, COURSE = "ipykernel_launcher", "innovation_course.classroom.hub.kernel"
#: The kernel provisioner that forks the course's kernels (:mod:`.forkserver`; an entry point of the package).
FORKSERVER = "course-forkserver"
#: Modules the kernel never imports (a ``None`` entry in ``sys.modules`` makes importing them fail at once).
BLOCKED = ("debugpy",)


class CourseKernelSpecs(KernelSpecManager):
    """Kernel specs as installed, except that a spec launching ``python -m ipykernel_launcher`` launches
    ``python -m innovation_course.classroom.hub.kernel`` with the same arguments, forked from the server's fork
    server (:mod:`.forkserver`) unless ``forked`` is off."""

    forked = Bool(True, config=True, help="Fork the course's kernels from a warmed process (the forkserver).")

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        argv = course_argv(spec.argv)
        if argv != spec.argv and self.forked and forkserver_installed():
            spec.metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": FORKSERVER}}
        spec.argv = argv
        return spec


@functools.cache
def forkserver_installed() -> bool:
    """Whether this environment declares the fork server's provisioner (installed with the package's metadata,
    ``pip install``): a spec must never name a provisioner Jupyter cannot find, or no kernel would start."""
    return bool(entry_points(group="jupyter_client.kernel_provisioners", name=FORKSERVER))


def course_argv(argv: list[str]) -> list[str]:
    """``argv`` with ``-m ipykernel_launcher`` replaced by ``-m`` this module; any other command unchanged."""
    for n in range(1, len(argv)):
        if argv[n - 1] == "-m" and argv[n] == STOCK:
            return [*argv[:n], COURSE, *argv[n + 1:]]
    return list(argv)


def block() -> None:
    """Make importing :data:`BLOCKED` fail at once in this process (a kernel, or the fork server before it
    imports what kernels share)."""
    for name in BLOCKED:
        sys.modules.setdefault(name, None)


def main() -> None:
    """Run ``ipykernel_launcher`` itself, with :data:`BLOCKED` left out."""
    block()
    runpy.run_module(STOCK, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
