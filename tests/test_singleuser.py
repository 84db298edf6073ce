"""The learners' server entry point (innovation_course.classroom.hub.singleuser): what it leaves out is unused by
every schema and page the course serves, and a server started through it still loads the course's extension.
The real start, login, lesson and saved answers through it: tests/test_hub.py and benchmarks/hub_load.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from innovation_course.classroom.hub import singleuser
from innovation_course.classroom.hub.local import SINGLEUSER, STOCK_SINGLEUSER, LocalHub, config_text

PREFIX = Path(sys.prefix)


def schema_files() -> list[Path]:
    import jupyter_events
    import jupyter_server
    import jupyterlab
    import nbformat

    found = [p for module in (jupyter_events, jupyter_server, jupyterlab, nbformat)
             for p in Path(module.__file__).parent.rglob("*.json")]
    found += list((PREFIX / "share" / "jupyter").rglob("*.json"))
    return found


def test_no_schema_the_server_validates_uses_the_formats_left_unchecked():
    """The reason rfc3987-syntax and isoduration may be left out: jsonschema uses them only for the "iri",
    "iri-reference" and "duration" formats."""
    pattern = re.compile(r'"format"\s*:\s*"(iri|iri-reference|duration)"')
    users = [p for p in schema_files() if pattern.search(p.read_text(errors="replace"))]
    assert not users, f"these schemas use a format the server would then skip: {users}"


def test_blocked_modules_have_a_fallback_in_their_owners():
    """Each blocked module is imported inside its owner's ``except ImportError`` (jsonschema, httpx, mako):
    blocking it behaves as if the optional extra were not installed."""
    code = ("import sys\n"
            f"for name in {singleuser.BLOCKED!r}: sys.modules[name] = None\n"
            "import jsonschema, httpx, mako.exceptions\n"
            "from jsonschema import FormatChecker\n"
            "checks = FormatChecker.checkers\n"
            "print('iri' in checks, 'duration' in checks, 'uri' in checks, 'json-pointer' in checks, "
            "callable(httpx.main))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True", "True", "True"]  # iri, duration unchecked; the formats used still are


def test_jupyterlab_reads_no_yarn_config_and_keeps_its_default_registry(monkeypatch):
    from jupyterlab import commands

    def no_node(*args, **kwargs):
        raise AssertionError("JupyterLab ran a process")

    monkeypatch.setattr(commands.subprocess, "check_output", no_node)
    monkeypatch.setattr(commands, "_yarn_config", commands._yarn_config)  # undone after the test
    assert singleuser.skip_yarn_config(), "this JupyterLab has no _yarn_config any more: check the start's CPU"
    assert commands.AppOptions().registry == commands.YARN_DEFAULT_REGISTRY


def test_the_local_hub_starts_servers_through_it(tmp_path):
    text = config_text(LocalHub(tmp_path))
    assert f"'-m', {SINGLEUSER!r}" in text and singleuser.__name__ == SINGLEUSER
    assert "--KernelManager.transport=ipc" in text
    stock = config_text(LocalHub(tmp_path, stock_server=True))  # hub_load.py --baseline: what it is measured against
    assert f"'-m', {STOCK_SINGLEUSER!r}" in stock and SINGLEUSER not in stock


def test_a_server_started_through_it_loads_the_course_extension_and_not_the_left_out(tmp_path):
    """Set up the entry point's server (no hub): the course's pre-save hook is registered, jupyter_lsp is not
    loaded, the blocked modules and numpy (the journal needs it only to pick variants) were not imported."""
    code = ("import sys\n"
            "from innovation_course.classroom.hub import singleuser\n"
            "for name in singleuser.BLOCKED: sys.modules.setdefault(name, None)\n"
            "singleuser.skip_yarn_config()\n"
            "singleuser.import_request_logger()\n"
            "from jupyterlab.labapp import LabApp\n"
            f"server = LabApp.initialize_server(argv=['--allow-root', '--ServerApp.root_dir={tmp_path}', "
            "'--ServerApp.port=0', '--ServerApp.open_browser=False', *singleuser.ARGS])\n"
            "print(' '.join(n for n, e in server.extension_manager.extensions.items() if e.enabled))\n"
            "print(' '.join(h.__module__ for h in server.contents_manager._pre_save_hooks))\n"
            "left_out = ('rfc3987_syntax', 'lark', 'httpx._main', 'numpy', 'pandas', 'alembic', 'sqlalchemy.orm',\n"
            "            'jupyterhub.handlers', 'jupyterhub.spawner')\n"
            "print(' '.join(n for n in left_out if sys.modules.get(n)) or '-')\n"
            "spec = server.kernel_spec_manager.get_kernel_spec('python3')\n"
            "print(spec.display_name, '|', ' '.join(spec.argv[1:]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, timeout=120).stdout.splitlines()
    extensions, hooks, imported = out[-4].split(), out[-3].split(), out[-2]
    from jupyter_client.kernelspec import KernelSpecManager

    stock = KernelSpecManager().get_kernel_spec("python3")  # the same name, display name, only the module differs
    assert out[-1] == f"{stock.display_name} | -m innovation_course.classroom.hub.kernel -f {{connection_file}}"
    assert "innovation_course.engine.frontend" in extensions and "jupyterlab" in extensions
    assert "nbgitpuller" in extensions, "the one-click link needs it"
    assert "jupyter_lsp" not in extensions
    assert hooks == ["innovation_course.engine.frontend"]
    assert imported == "-"


def test_the_request_logger_works_without_the_hubs_pages_and_a_later_import_gets_the_real_modules():
    """What a learner's server uses of jupyterhub.log (its request logger, with prometheus' request metric) works
    with the hub's pages and database left out; whoever later needs them gets the real modules."""
    code = """
import logging, sys
from innovation_course.classroom.hub import singleuser
singleuser.import_request_logger()
import jupyterhub.singleuser
left_out = ('alembic', 'sqlalchemy.orm', 'jupyterhub.handlers', 'jupyterhub.spawner')
print(' '.join(n for n in left_out if n in sys.modules) or '-')
from jupyterhub import log, metrics
from tornado.web import Application, RequestHandler
from tornado.httputil import HTTPServerRequest, HTTPHeaders, RequestStartLine
class Page(RequestHandler):
    pass
from unittest import mock
line = RequestStartLine('GET', '/user/ana/lab?token=secret', 'HTTP/1.1')
request = HTTPServerRequest(start_line=line, headers=HTTPHeaders({'Host': 'hub'}), connection=mock.Mock())
handler = Page(Application(), request)
handler.set_status(404)
records = []
logging.getLogger('tornado.access').addHandler(logging.Handler())
logging.getLogger('tornado.access').handlers[-1].emit = records.append
log.log_request(handler)
print(records[0].levelname, records[0].getMessage().split(' (')[0])
sample = metrics.REQUEST_DURATION_SECONDS.labels(method='GET', handler='__main__.Page', code=404)
print(sample._sum.get() >= 0, metrics.orm.User.__name__, metrics.orm.User.__module__)
from jupyterhub.handlers.pages import HealthCheckHandler
print(HealthCheckHandler.__module__, 'jupyterhub.handlers.pages' in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         timeout=120).stdout.splitlines()
    assert out[0] == "-"
    assert out[1] == "WARNING 404 GET /user/ana/lab?token=[secret]"  # logged as stock: level, scrubbed token
    assert out[2] == "True User jupyterhub.orm"  # the request was measured; the database layer, once used, is real
    assert out[3] == "jupyterhub.handlers.pages True"
