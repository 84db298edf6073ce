"""Helpers for the real-browser tests: a private Jupyter server, headless Chromium, and a learner's actions.

Measured facts behind the choices here are in the project's Jupyter notes (kernel idle indicator, saving,
the news prompt). The server gets its own config, data, runtime, settings and workspace folders, a random
token and a free port on 127.0.0.1, and is always stopped (its whole process group), even when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from innovation_course.engine import records
from innovation_course.engine.keys import key_for
from innovation_course.engine.questions import Question
from innovation_course.engine.scoring import score
from innovation_course.engine.spec import find_calls
from innovation_course.engine.widgets import ordinal

#: In CI (CI=true) a missing browser fails the browser tests; elsewhere it skips them.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
BIN = Path(sys.executable).parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Upper bounds only: every wait below waits for a state (server answering, kernel idle, prompts numbered, file
# written), so on an idle machine they end in a fraction of these; they are generous for a loaded 2-core machine.
SERVER_START_TIMEOUT = 120.0  # seconds; about 2 s on an idle machine, 8 s on a busy 2-core one
KERNEL_TIMEOUT = 240_000      # ms: page load and kernel start (2.5 min once at load 17), or a whole workbook run
UI_TIMEOUT = 60_000           # ms: one widget change reaching the kernel and back, a save, a dialog
IDENTITY = {"name": "Li Hua 李华", "id": "S-2025-042"}
PLACEHOLDER = re.compile(r"^([ \t]*)([A-Za-z_]\w*) = \.\.\.[ \t]*$", re.M)
TEXT_OUTPUT = ".jp-OutputArea-output.jp-RenderedText[data-mime-type='text/plain']"  # one element, both classes


def chromium_path() -> str | None:
    """Debian's chromium (never a browser downloaded by ``playwright install``); $CHROMIUM overrides."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# -- the demo workbook: one question of every kind -----------------------------------------------------------
DEMO_ID = "demo-browser"
DEMO_CELLS = [
    "from innovation_course.workbook import Workbook\n\n"
    f'wb = Workbook("{DEMO_ID}", title="Browser test workbook", version="1", mode="solution")',
    "wb.identity()",
    'wb.ask(id="demo-choice", kind="choice", prompt="How many priority sectors does Made in China 2025 name?",\n'
    '       options=["Five", "Ten", "Twenty"], answer="Ten", explanation="Ten.", source="demo")',
    'wb.ask(id="demo-multiple", kind="multiple", prompt="Which cities host a national science centre?",\n'
    '       options=["Beijing", "Lhasa", "Shanghai", "Urumqi"], answer=["Beijing", "Shanghai"], points=2)',
    'wb.ask(id="demo-numeric", kind="numeric", prompt="R&D spending as a share of GDP?", answer=2.4,\n'
    '       tolerance=0.1, unit="% of GDP")',
    'wb.ask(id="demo-ordering", kind="ordering", prompt="Put the programmes in order.",\n'
    '       options=["863 Programme", "973 Programme", "Made in China 2025"],\n'
    '       answer=["863 Programme", "973 Programme", "Made in China 2025"], points=2)',
    'wb.ask(id="demo-matching", kind="matching", prompt="Match each hub with its province.",\n'
    '       pairs=["Zhongguancun 中关村", "Nanshan"], options=["Beijing", "Guangdong", "Zhejiang"],\n'
    '       answer={"Zhongguancun 中关村": "Beijing", "Nanshan": "Guangdong"})',
    'wb.ask(id="demo-text", kind="text", prompt="Name Beijing\'s technology district.",\n'
    '       answer=["Zhongguancun", "中关村"])',
    'wb.ask(id="demo-free", kind="free", prompt="Why do targets matter?", answer="They focus effort.",\n'
    '       rubric=["mentions focus"], points=3)',
    'wb.ask(id="demo-computed", kind="computed", prompt="Compute six times seven.", answer=42, tolerance=0.5)',
    '### BEGIN SOLUTION\nproduct = 6 * 7\n### END SOLUTION\nwb.submit("demo-computed", product)',
    "wb.check()",
]


def demo_solution() -> nbformat.NotebookNode:
    """A tiny solution notebook with one question of every kind (nothing executed)."""
    nb = new_notebook(cells=[new_markdown_cell("# Browser test workbook"), *(new_code_cell(c) for c in DEMO_CELLS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# -- what to answer, and what the page and the file must then say --------------------------------------------
def learner_answer(question: Question) -> Any:
    """The answer the test gives (as the widget records it), taken from the solution's question."""
    kind, answer = question.kind, question.answer
    if kind == "numeric":
        return str(answer)  # a text box records text
    if kind == "text":
        return answer[0]
    if kind == "free":
        return "Targets focus effort; the 2020 one was missed, then met. 目标很重要。"
    if kind == "multiple":
        return [o for o in question.options if o in answer]  # the widget lists ticks in option order
    if kind == "matching":
        return {p: answer[p] for p in question.pairs}
    return answer


def answer_line(question: Question, workbook_id: str, answer: Any) -> str:
    """The text/plain line a self-study workbook shows for an answer."""
    result = score(question, key_for(question, workbook_id), answer)
    return f"Answer to {question.id}: {records.answer_line(answer)} — {result.text}"


def identity_line(who: dict) -> str:
    return f"Learner: {who['name']} · ID: {who['id']}"


@dataclass
class Plan:
    """One workbook to drive in the browser: the file, its solution's questions, and the answers to give."""

    label: str
    name: str                   # the notebook's file name in the server's root folder
    notebook: nbformat.NotebookNode
    workbook_id: str
    built: dict[str, Question]  # the learner's copy: hashed keys, as the page marks them
    solution: dict[str, Question]
    answers: dict[str, Any] = field(default_factory=dict)  # question id → the answer given
    identity: bool = False

    def lines(self) -> dict[str, str]:
        expected = {qid: answer_line(self.built[qid], self.workbook_id, a) for qid, a in self.answers.items()}
        if self.identity:
            expected[records.IDENTITY] = identity_line(IDENTITY)
        return expected

    def ask_cell(self, question_id: str) -> int:
        """The index of the code cell that asks ``question_id`` (``wb.ask(id=...)``)."""
        for index, call in find_calls(self.notebook, "ask"):
            if any(kw.arg == "id" and getattr(kw.value, "value", None) == question_id for kw in call.keywords):
                return index
        raise LookupError(f"{self.name}: no wb.ask(id={question_id!r}) cell")

    def submit_cell(self, question_id: str) -> int:
        """The index of the code cell that ends in ``wb.submit("<id>", ...)``."""
        for index, call in find_calls(self.notebook, "submit"):
            if call.args and getattr(call.args[0], "value", None) == question_id:
                return index
        raise LookupError(f"{self.name}: no wb.submit({question_id!r}, ...) cell")


# -- the server ------------------------------------------------------------------------------------------------
@dataclass
class JupyterServer:
    """``jupyter lab`` or ``jupyter notebook`` on 127.0.0.1, isolated in ``home``, serving ``root_dir``."""

    app: str  # "lab" or "notebook"
    root_dir: Path
    home: Path
    log_path: Path
    port: int = 0
    token: str = ""
    process: subprocess.Popen | None = None
    #: How JupyterLab attaches cells: "none" (every cell on the page, so tests can find cells out of view) or
    #: its default, "contentVisibility" (what learners get: cells out of view are skipped when drawing).
    windowing: str = "none"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def _environment(self) -> dict[str, str]:
        dirs = {name: self.home / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
        for folder in dirs.values():
            folder.mkdir(parents=True, exist_ok=True)
        user_settings = {
            # no "Would you like to get notified about official Jupyter news?" prompt over the notebook
            "apputils-extension/notification": {"fetchNews": "false"},
            # by default every cell attached to the page, so cells scrolled out of view can be found and read
            "notebook-extension/tracker": {"windowingMode": self.windowing},
        }
        for name, value in user_settings.items():
            path = dirs["settings"] / "@jupyterlab" / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "INNOVATION_COURSE_"))}
        env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                   JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
                   JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]), IPYTHONDIR=str(dirs["ipython"]),
                   PYTHONUNBUFFERED="1")
        return env

    def start(self) -> JupyterServer:
        """Start the server on a port the OS chooses (port 0: no race with another test session for a port
        probed free a moment before), read the port from the server's runtime file, wait for ``/api/status``."""
        self.token = secrets.token_hex(16)
        app_class = "LabApp" if self.app == "lab" else "JupyterNotebookApp"
        command = [str(BIN / f"jupyter-{self.app}"), "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--ServerApp.root_dir={self.root_dir}", f"--IdentityProvider.token={self.token}",
                   "--LanguageServerManager.autodetect=False",
                   f"--{app_class}.expose_app_in_browser=True"]  # window.jupyterapp: kernel state for waits
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=self.root_dir, env=self._environment(), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited with {self.process.returncode}:\n{self.log_tail()}")
            if not self.port:
                self.port = self._runtime_port()
                if not self.port:
                    time.sleep(0.2)  # polling for the server's runtime file: it is written once it listens
                    continue
            try:
                with urllib.request.urlopen(self.url("/api/status"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)  # the server is not listening yet: nothing to wait on but the clock
        self.stop()
        raise RuntimeError(f"jupyter {self.app} did not answer in {SERVER_START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def _runtime_port(self) -> int:
        """The port in the server's ``jpserver-<pid>.json`` (0 while it is not written yet)."""
        for path in (self.home / "runtime").glob(f"jpserver-{self.process.pid}.json"):
            with contextlib.suppress(OSError, ValueError):
                info = json.loads(path.read_text(encoding="utf-8"))
                return int(info.get("port") or 0)
        return 0

    def api(self, method: str, path: str, body: dict | None = None) -> Any:
        """Call the server's REST API; the decoded JSON answer (None when there is none)."""
        request = urllib.request.Request(self.url(path), method=method,
                                         data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """Shut down every kernel of this server (what closing a notebook with "Shut Down Kernel" does)."""
        for kernel in self.api("GET", "/api/kernels") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def extension_loaded(self) -> bool:
        """Whether the course's server extension (innovation_course.frontend) was loaded, from the log."""
        return "innovation_course: answer widgets are saved" in self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server and its kernels: SIGTERM to its process group, SIGKILL to whatever is left."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # kernels are in the server's group; none may outlive it
            os.killpg(process.pid, signal.SIGKILL)

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright; closed whatever happens."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium not found")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# -- static pages: a local file server, axe-core, CJK glyphs ---------------------------------------------------
#: axe-core from the npm registry, installed by `make build/axe/node_modules/axe-core/axe.min.js` (make test does).
AXE_JS = ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")
AXE_RUN_JS = """async ([selector, impacts]) => {
  const context = selector ? document.querySelector(selector) : document;
  if (!context) throw new Error('axe: nothing matches ' + selector);
  const result = await axe.run(context, {resultTypes: ['violations']});
  return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''})),
  }));
}"""


@contextlib.contextmanager
def static_server(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) from a thread; yield its base URL ending in /."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def require_axe(in_ci: bool) -> None:
    """Skip (or, in CI, fail) when axe-core has not been installed into build/axe."""
    import pytest

    if not AXE_JS.is_file():
        reason = f"axe-core is not installed: make {AXE_JS.relative_to(ROOT)}"
        pytest.fail(reason) if in_ci else pytest.skip(reason)


def axe_findings(page: Any, impacts: tuple[str, ...] = SEVERE, within: str | None = None) -> list[dict]:
    """Run axe-core (every rule it runs by default) in ``page``, or only in the first element matching the CSS
    selector ``within``; the violations of an impact in ``impacts``, each ``{id, impact, help, nodes}`` with
    every failing element as ``{target, html, summary}``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS, [within, list(impacts)])


def axe_lines(findings: list[dict]) -> list[str]:
    """One line per violation: the rule, its impact, what it asks and the first elements that break it."""
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in findings]


def axe_violations(page: Any, impacts: tuple[str, ...] = SEVERE, within: str | None = None) -> list[str]:
    """:func:`axe_findings` in ``page`` (or ``within`` it), one line each (:func:`axe_lines`)."""
    return axe_lines(axe_findings(page, impacts, within))


def cjk_font_installed() -> bool:
    """Whether fontconfig knows one of the course's CJK fonts (Debian: fonts-noto-cjk)."""
    from innovation_course.content.style import CJK_FONTS

    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(name in found for name in CJK_FONTS)


#: Draws each character of ``text`` in the element's own font; tofu draws every missing glyph the same box.
GLYPHS_JS = """([selector, text]) => {
  const el = document.querySelector(selector);
  const font = getComputedStyle(el).fontStyle + ' 48px ' + getComputedStyle(el).fontFamily;
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d');
  const draw = ch => { ctx.clearRect(0, 0, 64, 64); ctx.font = font; ctx.fillText(ch, 4, 52);
                       return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(','); };
  return {font, glyphs: [...text].map(draw), missing: draw('\\u0378')};
}"""


def chinese_glyph_problems(page: Any, selector: str, minimum: int = 2) -> list[str]:
    """What is wrong with how the Chinese of the first element matching ``selector`` is drawn: fewer than
    ``minimum`` Chinese characters, no CJK font in its font stack, or characters drawn as the missing-glyph box
    (tofu). Empty when it renders."""
    from innovation_course.content.style import CJK_FONTS

    text = page.inner_text(selector)
    chinese = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    if len(chinese) < minimum:
        return [f"{selector}: no Chinese to draw in {text!r}"]
    drawn = page.evaluate(GLYPHS_JS, [selector, chinese])
    problems = [] if any(name in drawn["font"] for name in CJK_FONTS) else [f"no CJK font in {drawn['font']}"]
    if len(set(drawn["glyphs"])) != len(set(chinese)):
        problems.append(f"tofu: {chinese} drew identical boxes")
    if drawn["missing"] in drawn["glyphs"]:
        problems.append(f"{chinese} drew the missing-glyph box")
    return problems


# -- a learner's actions ---------------------------------------------------------------------------------------
# Waits read the page's own state (window.jupyterapp, exposed by the server flag expose_app_in_browser).
KERNEL_IDLE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const context = panel && panel.sessionContext;
  const kernel = context && context.session && context.session.kernel;
  if (!kernel || kernel.status !== 'idle' || kernel.connectionStatus !== 'connected') return false;
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !indicator || indicator.getAttribute('data-status') === 'idle';
}"""


PROMPT_DONE_JS = "el => /^\\[\\d+\\]:$/.test(el.textContent.trim())"  # "[12]:", not "[ ]:" or "[*]:"
ALL_RUN_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
  .filter(cell => cell.querySelector('.cm-content')?.textContent.trim())  // empty or hidden input: no count shown
  .every(cell => /^\\[\\d+\\]:$/.test(cell.querySelector('.jp-InputArea-prompt')?.textContent.trim()))"""
SAVED_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return !!(panel && panel.context && !panel.context.model.dirty);
}"""
FRESH_RUN_JS = """() => {
  // every code cell ran once, in order, since the kernel (re)started: execution counts read 1, 2, ..., n
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel && panel.content && panel.content.model ? [...panel.content.model.cells] : [];
  const counts = cells.filter(cell => cell.type === 'code').map(cell => cell.executionCount);
  return counts.length > 0 && counts.every((count, n) => count === n + 1);
}"""
RUN_ALL = "notebook:run-all-cells"
RESTART = "kernelmenu:restart"  # Kernel ▸ Restart Kernel…; its promise resolves once the kernel has restarted
RUN_CELL = "notebook:run-cell"  # Ctrl+Enter: Shift+Enter would add a new cell below the last one
SAVE = "docmanager:save"  # Ctrl+S; its promise resolves once the server has written the file
COUNT_COMMANDS_JS = """(command) => {
  if (!window.__courseDone) {
    window.__courseDone = {};
    window.jupyterapp.commands.commandExecuted.connect((_, args) => {
      const count = () => { window.__courseDone[args.id] = (window.__courseDone[args.id] || 0) + 1; };
      Promise.resolve(args.result).then(count, count);
    });
  }
  return window.__courseDone[command] || 0;
}"""


class NotebookPage:
    """One notebook open in JupyterLab or Notebook 7, with the actions a learner takes."""

    def __init__(self, page, server: JupyterServer, name: str, shots: Path) -> None:
        self.page, self.server, self.name, self.shots = page, server, name, shots
        self.path = server.root_dir / name
        self.lab = server.app == "lab"
        self.step = 0
        shots.mkdir(parents=True, exist_ok=True)
        page.set_default_timeout(UI_TIMEOUT)

    # -- navigation and state ----
    def open(self) -> None:
        path = f"/lab/tree/{self.name}?reset" if self.lab else f"/notebooks/{self.name}"
        self.page.goto(self.server.url(path))
        self.wait_ready()

    def reload(self) -> None:
        self.page.reload()
        self.wait_ready()

    def wait_ready(self) -> None:
        """The notebook is shown and its kernel connected and idle."""
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=KERNEL_TIMEOUT)
        self.wait_idle()

    def wait_idle(self, timeout: float = KERNEL_TIMEOUT) -> None:
        """The kernel is connected and idle (Lab: the toolbar's execution indicator says idle too)."""
        self.page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout, polling=100)

    def shot(self, label: str, locator=None) -> Path:
        """A screenshot of the page (or of one cell), numbered in the order the steps ran."""
        self.step += 1
        path = self.shots / f"{self.step:02d}-{label}.png"
        (locator or self.page).screenshot(path=str(path))
        return path

    def prompts(self) -> list[str]:
        return [p.strip() for p in self.page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt")
                .all_text_contents()]

    def completed(self, command: str) -> int:
        """How many runs of a JupyterLab command have finished since the page loaded.

        Counted from ``commands.commandExecuted``: the command's result promise resolves when the cells it
        ran have finished (run-all: every cell). Execution counts alone cannot tell: a restarted kernel
        numbers the cells 1, 2, ... again, so the new prompts can equal the saved ones.
        """
        return self.page.evaluate(COUNT_COMMANDS_JS, command)

    def wait_completed(self, command: str, before: int) -> None:
        self.page.wait_for_function("([c, n]) => (window.__courseDone[c] || 0) > n", arg=[command, before],
                                    timeout=KERNEL_TIMEOUT, polling=100)

    def run_all(self) -> None:
        """Run ▸ Run All Cells; wait until every cell has run, shows an execution count, and the kernel is idle."""
        before = self.completed(RUN_ALL)
        self.page.keyboard.press("Escape")
        self.menu("Run", "Run All Cells")
        self.wait_completed(RUN_ALL, before)
        try:
            self.page.wait_for_function(ALL_RUN_JS, timeout=UI_TIMEOUT, polling=100)
        except Exception as error:
            raise AssertionError(f"Run All finished, but the prompts read {self.prompts()}") from error
        self.wait_idle()

    def restart_and_run_all(self) -> None:
        """Kernel ▸ Restart Kernel and Run All Cells…, confirmed; wait until every cell ran in the new kernel.

        Call it only when the execution counts do not already read 1, 2, ..., n (a cell was re-run)."""
        assert not self.page.evaluate(FRESH_RUN_JS), "the execution counts cannot show that the cells re-ran"
        self.page.keyboard.press("Escape")
        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        dialog = self.page.locator(".jp-Dialog")
        dialog.locator(".jp-mod-accept").click()
        dialog.wait_for(state="detached")
        self.page.wait_for_function(FRESH_RUN_JS, timeout=KERNEL_TIMEOUT, polling=100)
        self.wait_idle()

    def clear_all_outputs(self) -> None:
        """Edit ▸ Clear Outputs of All Cells; wait until no cell shows an output."""
        self.page.keyboard.press("Escape")
        self.menu("Edit", "Clear Outputs of All Cells")
        self.page.locator(".jp-Notebook .jp-OutputArea-output").first.wait_for(state="detached")

    def rename(self, new_name: str) -> None:
        """File ▸ Rename…, type the new name, accept; wait until the file has moved on disk."""
        old = self.path
        self.page.keyboard.press("Escape")
        self.menu("File", "Rename Notebook…" if self.lab else "Rename…")
        dialog = self.page.locator(".jp-Dialog")
        field = dialog.locator("input")
        field.fill(new_name)
        dialog.locator(".jp-mod-accept").click()
        dialog.wait_for(state="detached")
        self.name = str(Path(self.name).with_name(new_name))
        self.path = self.server.root_dir / self.name
        self.page.wait_for_function(
            "name => window.jupyterapp.shell.currentWidget.context.path.endsWith(name)", arg=new_name,
            timeout=UI_TIMEOUT, polling=100)
        assert self.path.is_file() and not old.exists(), f"{old.name} was not renamed to {new_name}"

    def shut_down_kernel(self) -> None:
        """Kernel ▸ Shut Down Kernel; wait until the page shows no kernel."""
        self.page.keyboard.press("Escape")
        self.menu("Kernel", "Shut Down Kernel")
        self.page.wait_for_function("""() => {
          const context = window.jupyterapp.shell.currentWidget.sessionContext;
          return !context.session || !context.session.kernel;
        }""", timeout=UI_TIMEOUT, polling=100)

    def cell_count(self) -> int:
        return self.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")

    def menu(self, top: str, item: str) -> None:
        """Click a menu of the menu bar, then one of its items."""
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(top)}$")).click()
        label = self.page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel")
        label.filter(has_text=re.compile(rf"^{re.escape(item)}$")).click()

    # -- cells ----
    def cell(self, index: int):
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def question_cell(self, question_id: str):
        heading = self.page.locator(".jp-OutputArea-output", has_text=f"Question {question_id} ·")
        return self.page.locator(".jp-Notebook .jp-CodeCell").filter(has=heading)

    def identity_cell(self):
        return self.page.locator(".jp-Notebook .jp-CodeCell").filter(has=self.page.get_by_label("Learner ID:"))

    def answer_lines(self) -> list[str]:
        """Every text/plain answer line shown in the page."""
        texts = self.page.locator(f".jp-Notebook {TEXT_OUTPUT}").all_text_contents()
        return [line.strip() for text in texts for line in text.splitlines()
                if line.startswith(("Answer to ", "Learner: "))]

    def expect_line(self, cell, line: str) -> None:
        """Wait until a cell's text/plain output reads ``line``."""
        from playwright.sync_api import expect

        expect(cell.locator(TEXT_OUTPUT).last).to_have_text(line, timeout=UI_TIMEOUT)

    def run_cell(self, index: int) -> None:
        """Run the active cell with Ctrl+Enter and wait for it to finish."""
        before = self.completed(RUN_CELL)
        self.page.keyboard.press("ControlOrMeta+Enter")
        self.wait_completed(RUN_CELL, before)
        prompt = self.cell(index).locator(".jp-InputArea-prompt")
        if prompt.count():  # a question cell's input is hidden, and with it the prompt
            self.page.wait_for_function(PROMPT_DONE_JS, arg=prompt.element_handle(), timeout=UI_TIMEOUT,
                                        polling=100)
        self.wait_idle()

    def edit_and_run(self, index: int, source: str) -> None:
        """Replace a code cell's source by typing into its editor, then run it."""
        editor = self.cell(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.insert_text(source)  # one input event: no auto-indent or bracket closing
        self.run_cell(index)

    def save(self, changed_on_disk: bool = False) -> None:
        """Ctrl+S from command mode; wait until the tab is clean and the file changed on disk.

        ``changed_on_disk``: another page saved the file since this one did, so Jupyter asks "File Changed":
        answer Overwrite (keep what this page shows), as a learner who sees their answers would."""
        # the kernel may still be handling a widget change whose answer line is shown (the summary line comes after
        # it): saved before that update, the page would turn dirty again. Idle: every output it sent is on the page
        self.wait_idle()
        before = self.path.stat().st_mtime_ns
        saves = self.completed(SAVE)
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("ControlOrMeta+s")
        if changed_on_disk:
            dialog = self.page.locator(".jp-Dialog", has_text="File Changed")
            dialog.get_by_role("button", name="Overwrite").click()
            dialog.wait_for(state="detached")
        self.wait_completed(SAVE, saves)  # the server answered: the file is written whole (a clean page saving
        self.page.wait_for_function(SAVED_JS, timeout=UI_TIMEOUT, polling=100)  # is clean all along)
        deadline = time.monotonic() + UI_TIMEOUT / 1000
        while self.path.stat().st_mtime_ns == before:  # the server wrote the file before it answered
            assert time.monotonic() < deadline, f"{self.name} was not written"
            time.sleep(0.05)
        if self.lab:
            tab = self.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")
            self.page.wait_for_function("el => !el.classList.contains('jp-mod-dirty')", arg=tab.element_handle(),
                                        timeout=UI_TIMEOUT, polling=100)

    def restart_kernel(self) -> None:
        """Kernel ▸ Restart Kernel…, confirmed in its dialog; wait until the restart is done and the kernel idle."""
        before = self.completed(RESTART)
        self.page.keyboard.press("Escape")
        self.menu("Kernel", "Restart Kernel…")
        dialog = self.page.locator(".jp-Dialog")
        dialog.locator(".jp-mod-accept").click()
        dialog.wait_for(state="detached")
        self.wait_completed(RESTART, before)
        self.wait_idle()

    # -- answering: one function per kind, and reading the widgets back ----
    def answer(self, plan: Plan, question_id: str, answer: Any):
        """Answer one question as a learner would; wait for its answer line; return the cell that shows it."""
        question = plan.built[question_id]
        if question.kind == "computed":
            index = plan.submit_cell(question_id)
            source = "".join(plan.notebook.cells[index].source)
            assert PLACEHOLDER.search(source), f"no `name = ...` line to fill in cell {index}:\n{source}"
            self.edit_and_run(index, PLACEHOLDER.sub(lambda m: f"{m[1]}{m[2]} = {answer!r}", source, count=1))
            self.expect_line(self.cell(index), plan.lines()[question_id])
            return self.cell(index)
        cell = self.question_cell(question_id)
        cell.scroll_into_view_if_needed()
        kind = question.kind
        if kind == "choice":
            cell.get_by_role("radio", name=answer, exact=True).check()
        elif kind == "multiple":
            for option in question.options:
                box = cell.get_by_role("checkbox", name=option, exact=True)
                box.set_checked(option in answer)
                self.expect_checked(box, option in answer)
        elif kind == "ordering":
            for n, item in enumerate(answer):
                cell.get_by_label(f"{ordinal(n + 1)} place:", exact=True).select_option(value=item)
        elif kind == "matching":
            for item, choice in answer.items():
                cell.get_by_label(f"{item}:", exact=True).select_option(value=choice)
        elif kind in ("numeric", "text"):
            field = cell.locator(".widget-text input")
            field.fill(answer)
            field.press("Enter")  # continuous_update=False: the value is sent on Enter or when focus leaves
        elif kind == "free":
            area = cell.locator(".widget-textarea textarea")
            area.fill(answer)
            area.blur()
        else:
            raise ValueError(f"no browser action for {kind} questions")
        self.expect_line(cell, plan.lines()[question_id])
        return cell

    def expect_checked(self, box, checked: bool) -> None:
        from playwright.sync_api import expect

        (expect(box).to_be_checked() if checked else expect(box).not_to_be_checked())

    def answer_identity(self, who: dict) -> None:
        cell = self.identity_cell()
        for label, value in (("Your name:", who["name"]), ("Learner ID:", who["id"])):
            field = cell.get_by_label(label, exact=True)
            field.fill(value)
            field.press("Enter")
        self.expect_line(cell, identity_line(who))

    def widget_answer(self, question: Question) -> Any:
        """What a question's widgets show, as the answer they would record."""
        cell = self.question_cell(question.id)
        kind = question.kind
        if kind == "choice":
            # count() does not wait: first the radio buttons drawn (after Run All they come after the cell's outputs)
            cell.locator(".widget-radio-box input[type=radio]").first.wait_for()
            checked = cell.locator(".widget-radio-box input[type=radio]:checked")
            return unquote(checked.get_attribute("data-value")) if checked.count() else None  # URI-encoded
        if kind == "multiple":
            return [o for o in question.options if cell.get_by_role("checkbox", name=o, exact=True).is_checked()]
        if kind in ("ordering", "matching"):
            labels = ([f"{ordinal(n + 1)} place:" for n in range(len(question.options))] if kind == "ordering"
                      else [f"{p}:" for p in question.pairs])
            values = [cell.get_by_label(label, exact=True).input_value() for label in labels]
            values = [None if v.startswith("—") else v for v in values]
            if kind == "ordering":
                return None if all(v is None for v in values) else values
            return {p: v for p, v in zip(question.pairs, values, strict=True) if v is not None}
        if kind in ("numeric", "text"):
            return cell.locator(".widget-text input").input_value()
        if kind == "free":
            return cell.locator(".widget-textarea textarea").input_value()
        raise ValueError(f"{kind} questions have no widget")

    def identity_widgets(self) -> dict:
        cell = self.identity_cell()
        return {"name": cell.get_by_label("Your name:", exact=True).input_value(),
                "id": cell.get_by_label("Learner ID:", exact=True).input_value()}


def read_answers(path: Path) -> records.SavedAnswers:
    """The answers saved in a notebook file, read the way the grader reads them."""
    return records.read_saved(json.loads(path.read_text(encoding="utf-8")))


def points(solution: dict[str, Question], workbook_id: str, answers: dict[str, Any]) -> dict[str, float]:
    """Points per question for ``answers``, by the course's scoring with the solution's keys."""
    return {q.id: score(q, key_for(q, workbook_id), answers.get(q.id)).points for q in solution.values()}


def graded(notebook: Path, key_notebook: Path, identity: dict | None = None) -> dict[str, float]:
    """Points per question of a saved workbook, by the course grader with the solution as its key."""
    from innovation_course.classroom.grading.answerkey import load_key
    from innovation_course.classroom.grading.collect import collect
    from innovation_course.classroom.grading.mark import GRADED, mark

    key = load_key(key_notebook)
    assert not key.problems, key.problems
    (submission,) = collect([notebook])
    marked = mark(submission, key)
    assert marked.status == GRADED, marked.notes
    if identity is not None:
        assert (marked.learner.id, marked.learner.name) == (identity["id"], identity["name"])
    return {m.id: m.points for m in marked.marks}


@contextlib.contextmanager
def screenshot_on_failure(nb: NotebookPage):
    """Keep a screenshot of the page as it was when a test step failed (``<name>-FAILED.png``)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            nb.shot("FAILED")
        raise


def require_browser(in_ci: bool) -> None:
    """Skip (or, in CI, fail) when playwright or Debian's chromium is missing."""
    import pytest

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
        pytest.fail(reason) if in_ci else pytest.skip(reason)
    if chromium_path() is None:
        reason = "chromium is not installed (apt-get install chromium); browser tests need Debian's chromium"
        pytest.fail(reason) if in_ci else pytest.skip(reason)
