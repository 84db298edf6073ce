"""A class on a real JupyterHub, end to end (``make test-hub``; skipped by plain ``pytest``).

The learner edition is published to a local git repository; a JupyterHub (dummy authenticator, simple
local-process spawner, 127.0.0.1 only, see innovation_course.hub.local) serves three learners who log in
through Chromium, open the nbgitpuller link, answer the ex01 workbook and save. The teacher changes a lesson
in the release; the learners pull again and their answers are intact. The teacher collects the workbooks from
the home folders, grades them (each learner known by hub user name, scores equal to what the widgets showed),
and the pulse page shows the three, with no names. Screenshots: ``test-artifacts/hub/``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ALL_RUN_JS,
    KERNEL_TIMEOUT,
    RUN_ALL,
    UI_TIMEOUT,
    NotebookPage,
    Plan,
    chromium,
    learner_answer,
    require_browser,
)

from innovation_course.classroom.cli import main
from innovation_course.classroom.hub.local import (
    PROXY,
    HubSession,
    LocalHub,
    listening_addresses,
    outside_addresses,
    refuses,
)
from innovation_course.classroom.release import release
from innovation_course.engine import records
from innovation_course.engine.spec import parse_workbook

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.environ.get("COURSE_TEST_HUB") != "1", reason="run by `make test-hub`")]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "hub"
SOURCE = Path(os.environ.get("COURSE_RELEASE_ROOT", ROOT))  # the teacher's repository to release (a snapshot)
WORKBOOK = "ex01_policy_framework.ipynb"
LESSON = "01_policy_framework.ipynb"
EDITION = "learners"  # the release repository's folder name: nbgitpuller clones into <home>/learners
LEARNERS = ("alice", "bob", "carol")
IDLE_USER = "dave"  # logs in, never opens the workbook: collect must list them as missing
KINDS = ("choice", "multiple", "ordering", "matching", "numeric", "text")
CHANGE = "*Note from your teacher: this lesson was updated for this class after you first opened it.*"
POINTS = re.compile(r"— (\d+(?:\.\d+)?)/(\d+(?:\.\d+)?) points?")
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class HubUser:
    """What NotebookPage needs of a server: a URL builder and the folder it serves (the user's home)."""

    hub: LocalHub
    name: str
    app: str = "lab"

    @property
    def root_dir(self) -> Path:
        return self.hub.homes / self.name

    def url(self, path: str) -> str:
        return f"{self.hub.url}/user/{self.name}{path}"


def wrong_answer(question, right):
    """Another valid answer than the right one (bob gets some questions wrong)."""
    if question.kind == "choice":
        return next(o for o in question.options if o != right)
    if question.kind == "numeric":
        return str(float(right) + 10 * (question.tolerance or 1) + 1)
    return right


def plan_for(name: str, learner_nb, solution_nb) -> Plan:
    """alice answers the first question of each widget kind right; bob gets the choice and numeric ones wrong;
    carol answers two."""
    built, solution = parse_workbook(learner_nb), parse_workbook(solution_nb)
    plan = Plan(name, f"{EDITION}/exercises/{WORKBOOK}", learner_nb, built.id, built.questions, solution.questions)
    firsts = [next((q for q in solution.questions.values() if q.kind == kind and not q.generic), None)
              for kind in KINDS]  # not a template question: its answer depends on the learner's variant
    chosen = [q for q in firsts if q is not None and q.id in built.questions]  # the kinds this workbook has
    assert len(chosen) >= 3 and any(q.kind == "choice" for q in chosen), "ex01 has too few widget questions"
    if name == "carol":
        chosen = chosen[:2]
    for question in chosen:
        answer = learner_answer(question)
        plan.answers[question.id] = wrong_answer(question, answer) if name == "bob" else answer
    return plan


def start_run_all(nb: NotebookPage) -> int:
    """Run ▸ Run All Cells, without waiting for it; returns the count to wait past (see finish_run_all)."""
    before = nb.completed(RUN_ALL)
    nb.page.keyboard.press("Escape")
    nb.menu("Run", "Run All Cells")
    return before


def finish_run_all(nb: NotebookPage, before: int) -> None:
    """Wait until the Run All started by start_run_all has run every cell and the kernel is idle."""
    nb.wait_completed(RUN_ALL, before)
    nb.page.wait_for_function(ALL_RUN_JS, timeout=UI_TIMEOUT, polling=100)
    nb.wait_idle()


def save(nb: NotebookPage) -> None:
    """Save as a learner does after typing an answer: focus leaves the answer box, then Ctrl+S."""
    nb.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    nb.save()


def pull_link(user: str, repo: Path, urlpath: str) -> str:
    query = urllib.parse.urlencode({"repo": str(repo), "branch": "main", "urlpath": urlpath})
    return f"/user/{user}/git-pull?{query}"


def shown_points(page: NotebookPage) -> dict[str, float]:
    """Question id → the points its answer line in the page shows."""
    found = {}
    for line in page.answer_lines():
        match = POINTS.search(line)
        if line.startswith("Answer to ") and match:
            found[line[len("Answer to "):].split(":", 1)[0]] = float(match.group(1))
    return found


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=Teacher", "-c", "user.email=t@localhost",
                           *args], capture_output=True, text=True, check=True).stdout


def process_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            children = {int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()}
            todo += list(children - found)
            found |= children
    return found


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium; asked for explicitly (`make test-hub`), so a missing browser fails, never skips."""
    require_browser(in_ci=True)
    with chromium() as launched:
        yield launched


def test_a_class_on_a_real_hub(tmp_path, browser):
    assert PROXY.exists(), "configurable-http-proxy is missing: `make test-hub` installs it into build/hub"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.rglob("*.png"):
        old.unlink()
    repo = tmp_path / EDITION
    release(repo, "main", root=SOURCE)
    solution_nb = nbformat.read(SOURCE / "solutions" / WORKBOOK, as_version=4)
    learner_nb = nbformat.read(repo / "exercises" / WORKBOOK, as_version=4)
    hub = LocalHub(tmp_path / "hub")
    started: set[int] = set()
    pages: dict[str, NotebookPage] = {}
    with hub:
        started.add(hub.process.pid)
        try:
            shown, collected = run_class(tmp_path, browser, repo, hub, started, pages, solution_nb, learner_nb)
        except Exception:
            for nb in pages.values():  # the pages as they were, before the hub stops
                with contextlib.suppress(Exception):
                    nb.shot("failure")
            print(hub.log_tail(80))
            raise
    assert not any(process_alive(pid) for pid in started), "a process outlived the hub"

    done = subprocess.run([sys.executable, "-m", "innovation_course.classroom.cli", "grade", str(collected), "--out",
                           str(tmp_path / "grades"), "--key", str(SOURCE / "solutions")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((tmp_path / "grades" / "gradebook.csv").open(encoding="utf-8-sig")))
    by_user = {row_user(row): row for row in rows}
    assert set(by_user) == set(LEARNERS), rows
    for name in LEARNERS:
        row = by_user[name]
        for qid, points in shown[name].items():
            assert float(row[f"q:{qid}"]) == points, f"{name} {qid}: gradebook {row[f'q:{qid}']}, widgets {points}"


def run_class(tmp_path, browser, repo, hub, started, pages, solution_nb, learner_nb):
    """The class itself, while the hub runs: returns the points each learner's page showed, and the collection."""
    started.add(hub.process.pid)
    plans, shown, runs = {}, {}, {}
    for name in LEARNERS:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(KERNEL_TIMEOUT)
        page.goto(f"{hub.url}/hub/login")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill(hub.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=KERNEL_TIMEOUT)
        page.goto(hub.url + pull_link(name, repo, f"lab/tree/{EDITION}/exercises/{WORKBOOK}"))
        page.wait_for_url(re.compile(rf"/user/{name}/lab/tree/{EDITION}/exercises/"), timeout=KERNEL_TIMEOUT)
        plans[name] = plan_for(name, learner_nb, solution_nb)
        nb = pages[name] = NotebookPage(page, HubUser(hub, name), plans[name].name, ARTIFACTS / name)
        nb.wait_ready()
        runs[name] = start_run_all(nb)  # the next learner logs in while this one's kernel runs
    for name, nb in pages.items():
        finish_run_all(nb, runs[name])
        for qid, answer in plans[name].answers.items():
            nb.answer(plans[name], qid, answer)
        save(nb)
        nb.shot("answered-and-saved")
        shown[name] = shown_points(nb)
        assert set(shown[name]) == set(plans[name].answers), f"{name}: answer lines {nb.answer_lines()}"
    assert shown["alice"] != shown["bob"], "the learners' scores should differ, or the test proves little"

    # 127.0.0.1 only: the hub, the proxy and every single-user server
    addresses = listening_addresses(hub.process.pid)
    assert len(addresses) >= 3 + len(LEARNERS), addresses
    assert all(a.startswith("127.0.0.1:") for a in addresses), addresses
    ports = [int(a.rsplit(":", 1)[1]) for a in addresses]
    for ip in outside_addresses():  # and nothing answers on this machine's other addresses
        assert all(refuses(ip, port) for port in ports), f"reachable on {ip}"

    # the identity block records the hub user by itself
    for name in LEARNERS:
        saved = records.read_saved(json.loads((hub.homes / name / EDITION / "exercises" / WORKBOOK).read_text()))
        assert saved.identity.get("hub_user") == name, f"{name}: identity {saved.identity}"

    # the teacher changes a lesson; each learner pulls again; their answers stay
    before = {n: (hub.homes / n / EDITION / "exercises" / WORKBOOK).read_bytes() for n in LEARNERS}
    lesson = nbformat.read(repo / "notebooks" / LESSON, as_version=4)
    lesson.cells.insert(1, nbformat.v4.new_markdown_cell(CHANGE))
    nbformat.write(lesson, repo / "notebooks" / LESSON)
    git(repo, "commit", "-qam", "Lesson 1: a note for this class")
    for name in LEARNERS:
        nb = pages[name]
        nb.page.goto(hub.url + pull_link(name, repo, f"lab/tree/{EDITION}/notebooks/{LESSON}"))
        nb.page.wait_for_url(re.compile(rf"/lab/tree/{EDITION}/notebooks/"), timeout=KERNEL_TIMEOUT)
        nb.page.locator(".jp-RenderedMarkdown", has_text="Note from your teacher").wait_for(timeout=KERNEL_TIMEOUT)
        nb.shot("pulled-again")
        home = hub.homes / name / EDITION
        assert CHANGE in (home / "notebooks" / LESSON).read_text()
        assert (home / "exercises" / WORKBOOK).read_bytes() == before[name], f"{name}'s answers changed"

    idle = HubSession(hub, IDLE_USER)
    idle.login()
    idle.wait_server()
    started |= descendants(hub.process.pid)

    # pulse: the three, no names
    page_path = tmp_path / "pulse.html"
    assert main(["pulse", str(hub.homes), "--workbook", "ex01", "--once", "--out", str(page_path),
                 "--key", str(SOURCE / "solutions")]) == 0
    text = page_path.read_text()
    assert re.search(r"\b3 learners\b", text), text[:2000]
    assert not any(n in text for n in (*LEARNERS, IDLE_USER)), "names on the projected page"
    view = browser.new_page(viewport=VIEWPORT)
    view.goto(page_path.as_uri())
    view.screenshot(path=str(ARTIFACTS / "pulse.png"), full_page=True)
    view.close()

    # collect and grade
    collected = tmp_path / "collected"
    assert main(["collect", str(hub.homes), "--workbook", "ex01", "--out", str(collected)]) == 0
    manifest = json.loads((collected / "hub-collection.json").read_text())
    assert sorted(f["user"] for f in manifest["files"]) == sorted(LEARNERS)
    assert manifest["missing"] == [IDLE_USER]
    return shown, collected


def row_user(row: dict) -> str:
    """The hub user a gradebook row names (learner id ``hub-<user>``)."""
    assert row["identified_by"] == "JupyterHub user", row
    return row["learner_id"].removeprefix("hub-")
