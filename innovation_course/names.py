"""The names notebooks import, kept stable while modules live in their layers.

Lessons, workbooks and learners' saved notebooks of every release import ``innovation_course.workbook``,
``innovation_course.findings``, ``innovation_course.data``, ``innovation_course.charts``... Those modules now
live in :mod:`innovation_course.engine`, :mod:`innovation_course.content` and
:mod:`innovation_course.classroom`. :data:`MOVED` says where each went; the finder below makes the old name
import the *same module object* as the new one (so a setting or a test double applies under both names).
No module is copied and nothing is evaluated: only names in :data:`MOVED` (and the modules under them) are
mapped.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

PACKAGE = "innovation_course"

#: old top-level name → the layer that holds it now
MOVED = {
    **dict.fromkeys(("questions", "keys", "scoring", "records", "spec", "widgets", "workbook", "journal",
                     "frontend"), "engine"),
    **dict.fromkeys(("data", "style", "charts", "fastdraw", "recent", "explore", "timeline", "regions", "brief",
                     "findings"), "content"),
    **dict.fromkeys(("build", "publish", "release", "pulse", "hub", "grading", "cli"), "classroom"),
}


def current_name(name: str) -> str | None:
    """The module name an old name stands for (``innovation_course.grading.cli`` →
    ``innovation_course.classroom.grading.cli``), or None when ``name`` is not an old name."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] != PACKAGE or parts[1] not in MOVED:
        return None
    return ".".join([PACKAGE, MOVED[parts[1]], *parts[1:]])


class OldNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old name as the module that holds it now."""

    def find_spec(self, name: str, path=None, target=None) -> importlib.machinery.ModuleSpec | None:
        new = current_name(name)
        if new is None or importlib.util.find_spec(new) is None:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=False)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(current_name(spec.name))
        spec.loader_state = module.__spec__  # the import system gives the module the old name's spec next
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__ = module.__spec__.loader_state  # its own spec back: nothing to run, it ran already


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, OldNames) for finder in sys.meta_path):
        sys.meta_path.insert(0, OldNames())
