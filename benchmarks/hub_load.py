"""Load on one machine: N simulated learners on one local JupyterHub, no browsers.

    .venv/bin/python benchmarks/hub_load.py [--learners 30] [--lesson 01_policy_framework.ipynb]
                                            [--workbook ex01_policy_framework.ipynb] [--json out.json]
                                            [--baseline]

``--baseline`` runs the same lesson and workbook on stock servers and kernels, every chart drawn: what the
course's savings (innovation_course/classroom/hub/singleuser.py, .kernel, the chart cache) are measured against.

Each learner logs in with a password (the hub's login form), waits for their server, and then, as JupyterLab
would, through the Jupyter server's REST API and kernel websockets (in the protocol JupyterLab 4 asks for):
opens a session on the lesson and runs every code cell, then opens the workbook, runs it, answers every
widget question by sending the widget updates a browser sends (comm messages) and saves the notebook with its
outputs (PUT /api/contents). The saved file is read back: the answers must be in it. All learners start at
once (a class starting together).

Prints, with the machine's load average before, during and after the run: per-learner times (p50/p95) for
logging in (the server starting), the lesson, login to lesson done, the workbook and the whole session;
failures; how many answers were given and found in the saved files; the hub's memory and CPU (hub + proxy)
and each learner's (server + kernels); and where each learner's CPU goes (benchmarks/hub_profile.py): the
server's start, each kernel's start, every lesson cell (the import cell, the data loading inside the cells),
the workbook's cells, answering, saving, and what the server spends relaying. Every figure is measured in this
run: nothing is extrapolated to other class sizes (run it again with another --learners for that).
Needs ``make test-hub`` installed (the proxy in build/hub).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

import nbformat
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub_kernel import CELL_TIMEOUT, WS_PROTOCOL, Kernel  # noqa: E402  (benchmarks/, beside this script)
from hub_profile import (  # noqa: E402
    DATA_PROBE,
    DATA_PROBE_READ,
    cpu_seconds,
    forkserver_pid,
    kernel_pid,
    learner_processes,
    load_average,
    mean_profile,
    percentile,
    phase,
    pss_mb,
    report,
    rss_mb,
    server_pid,
    tree,
)

from innovation_course.classroom.chart_cache import fill  # noqa: E402
from innovation_course.classroom.hub.local import HubSession, LocalHub  # noqa: E402
from innovation_course.classroom.release import release  # noqa: E402
from innovation_course.content import chartcache  # noqa: E402
from innovation_course.engine import records  # noqa: E402
from innovation_course.engine.spec import parse_workbook  # noqa: E402

EDITION = "learners"
TARGET_P95 = 30.0
LOAD_EVERY = 2.0  # seconds between readings of the load average during the run


def cell_label(index: int, source: str) -> str:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return f"cell {index:>2} {first[:44]}"


def widget_updates(question, answer: Any, comms: list[dict]) -> list[tuple[str, dict]]:
    """The updates a browser sends to the widgets of one question to give ``answer``."""
    updates = []
    for comm in comms:
        state = (comm.get("data") or {}).get("state") or {}
        model, description = state.get("_model_name"), state.get("description", "")
        labels = state.get("_options_labels") or []
        if model == "RadioButtonsModel" and str(answer) in labels:
            updates.append((comm["comm_id"], {"index": labels.index(str(answer))}))
        elif model == "CheckboxModel" and isinstance(answer, list):
            updates.append((comm["comm_id"], {"value": description in answer}))
        elif model == "TextModel" and question.kind in ("numeric", "text"):
            updates.append((comm["comm_id"], {"value": str(answer)}))
        elif model == "DropdownModel":
            if question.kind == "ordering" and description.endswith(" place:"):
                choice = answer[int("".join(ch for ch in description if ch.isdigit())) - 1]
            elif question.kind == "matching":
                choice = answer.get(description.removesuffix(":"))
            else:
                continue
            if choice in labels:
                updates.append((comm["comm_id"], {"index": labels.index(choice)}))
    return updates


def model_answer(question) -> Any:
    if question.kind == "text":
        return question.answer[0]
    if question.kind == "multiple":
        return [o for o in question.options if o in question.answer]
    return question.answer


class Learner:
    def __init__(self, hub: LocalHub, name: str, lesson: str, workbook: str, solution) -> None:
        self.hub, self.name, self.lesson, self.workbook, self.solution = hub, name, lesson, workbook, solution
        self.times: dict[str, float] = {}
        self.error: str | None = None
        self.answered = 0
        self.found = 0
        self.server: int | None = None
        self.cpu: dict[str, float] = {}     # phase → CPU seconds of this learner's server and kernels
        self.inside: dict[str, float] = {}  # CPU seconds inside phases above (data loading), not added again
        self.http = AsyncHTTPClient(force_instance=True, defaults={"request_timeout": CELL_TIMEOUT,
                                                                   "connect_timeout": CELL_TIMEOUT})

    async def rest(self, method: str, path: str, body: dict | None = None) -> dict:
        request = HTTPRequest(f"{self.hub.url}/user/{self.name}{path}", method=method,
                              headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
                              body=json.dumps(body) if body is not None else None)
        response = await self.http.fetch(request)
        return json.loads(response.body) if response.body else {}

    async def open_kernel(self, path: str, part: str) -> tuple[Kernel, str, int | None]:
        """A session on ``path`` and its kernel, ready (it answered kernel_info); the kernel's whole CPU until
        then and the server's for the session count as starting the kernel."""
        with phase(self.cpu, f"{part}: start the kernel (server's share)", self.server):
            session = await self.rest("POST", "/api/sessions", {"path": path, "name": Path(path).name,
                                                                "type": "notebook", "kernel": {"name": "python3"}})
            kernel_id = session["kernel"]["id"]
            ws_url = (f"{self.hub.url.replace('http', 'ws', 1)}/user/{self.name}/api/kernels/{kernel_id}/channels"
                      f"?session_id={uuid.uuid4().hex}")
            request = HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"},
                                  connect_timeout=CELL_TIMEOUT, request_timeout=CELL_TIMEOUT)  # a browser waits too
            connection = await websocket_connect(request, max_message_size=64 * 2**20, subprotocols=[WS_PROTOCOL])
            if connection.selected_subprotocol != WS_PROTOCOL:
                raise ConnectionError(f"the server did not accept the kernel protocol {WS_PROTOCOL}")
            kernel = Kernel(connection, uuid.uuid4().hex)
            await kernel.send("kernel_info_request", {})
        pid = kernel_pid(self.server, kernel_id) if self.server else None
        self.cpu[f"{part}: start the kernel (kernel)"] = cpu_seconds(pid) if pid else 0.0
        forks = forkserver_pid(self.server) if self.server else None
        if forks:  # the course's fork server: started (and imports) with the first kernel, forks each kernel
            spent = cpu_seconds(forks) - sum(v for k, v in self.cpu.items() if k.endswith("(fork server)"))
            self.cpu[f"{part}: start the kernel (fork server)"] = spent
        return kernel, session["id"], pid

    async def run_notebook(self, path: str, part: str, each_cell: bool
                           ) -> tuple[nbformat.NotebookNode, dict[int, list[dict]], Kernel, str, int | None]:
        """Open, start a kernel and run every code cell, as Run All does; CPU per cell (``each_cell``), or of
        the first cell (the imports) and of the others together."""
        with phase(self.cpu, f"{part}: open the notebook (server)", self.server):
            nb = nbformat.from_dict((await self.rest("GET", f"/api/contents/{path}?content=1"))["content"])
        kernel, session, pid = await self.open_kernel(path, part)
        await kernel.execute(DATA_PROBE, store_history=False)
        comms = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            first = not comms
            name = cell_label(index, cell.source) if each_cell or first else "the other cells"
            with phase(self.cpu, f"{part}: relaying the cells (server)", self.server), \
                    phase(self.cpu, f"{part}: {name}", pid):
                cell.outputs, comms[index] = await kernel.execute(cell.source)
        outputs, _ = await kernel.execute(DATA_PROBE_READ, store_history=False)
        seconds, calls = "".join(o.get("text", "") for o in outputs).split()
        self.inside[f"{part}: data loading, {calls} data.load() calls (in the cells above)"] = float(seconds)
        return nb, comms, kernel, session, pid

    async def run(self) -> None:
        start = time.monotonic()
        try:
            session = HubSession(self.hub, self.name)
            await asyncio.to_thread(session.login)
            await asyncio.to_thread(session.wait_server)
            self.server = server_pid(self.hub.process.pid, self.name)
            self.cpu["server start (to ready)"] = cpu_seconds(self.server) if self.server else 0.0
            self.token = await asyncio.to_thread(self.hub.user_token, self.name)
            self.times["login"] = time.monotonic() - start
            t = time.monotonic()
            _, _, kernel, _, _ = await self.run_notebook(f"{EDITION}/notebooks/{self.lesson}", "lesson", True)
            self.times["lesson"] = time.monotonic() - t
            self.times["to lesson done"] = time.monotonic() - start
            kernel.close()  # the tab moves on; the kernel keeps running, as in JupyterLab
            t = time.monotonic()
            path = f"{EDITION}/exercises/{self.workbook}"
            nb, comms, kernel, _, pid = await self.run_notebook(path, "workbook", False)
            built = parse_workbook(nb)
            with phase(self.cpu, "workbook: answering (kernel + server)", pid, self.server):
                for index, cell_comms in comms.items():
                    asked = [c for c in built.questions.values() if f'id={c.id!r}' in nb.cells[index].source]
                    for question in asked:
                        solution = self.solution.questions.get(question.id)
                        if solution is None or solution.answer is None or question.kind == "free":
                            continue
                        updates = widget_updates(question, model_answer(solution), cell_comms)
                        for comm_id, state in updates:
                            await kernel.update_widget(comm_id, state)
                        self.answered += bool(updates)
            with phase(self.cpu, "workbook: saving (server)", self.server):
                await self.rest("PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json",
                                                                 "content": json.loads(nbformat.writes(nb))})
            saved = records.read_saved(json.loads((self.hub.homes / self.name / path).read_text()))
            self.found = sum(1 for a in saved.answers.values() if a not in (None, "", [], {}))
            if self.found < self.answered:
                raise RuntimeError(f"saved file holds {self.found} answers, {self.answered} were given")
            self.times["workbook"] = time.monotonic() - t
        except Exception as error:  # one learner's failure is counted, the others go on
            self.error = f"{type(error).__name__}: {error}"
            traceback.print_exc(limit=3)
        self.times["total"] = time.monotonic() - start


async def watch_load(readings: list[float]) -> None:
    while True:
        readings.append(os.getloadavg()[0])
        await asyncio.sleep(LOAD_EVERY)


async def main_async(args: argparse.Namespace) -> dict:
    load = {"before": load_average()}
    work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    try:
        edition = work / EDITION
        release(edition, "main", root=args.source)
        solution = parse_workbook(nbformat.read(args.source / "solutions" / args.workbook, as_version=4))
        charts = work / "charts"
        if args.chart_cache:  # as an image's build step does (postBuild): the lesson's charts, stored
            t0 = time.perf_counter()
            count = fill([args.source / "notebooks" / args.lesson], charts)
            cache = f"{count} charts of {args.lesson} stored before the hub started ({time.perf_counter() - t0:.0f} s)"
        else:
            cache = "off: every kernel draws its charts"
        os.environ[chartcache.FOLDER_ENV] = str(charts) if args.chart_cache else "off"  # the hub passes it on
        hub = LocalHub(work / "hub", stock_server=args.baseline)
        names = [f"learner{n:03d}" for n in range(args.learners)]
        for name in names:
            shutil.copytree(edition, hub.homes / name / EDITION, ignore=shutil.ignore_patterns(".git"))
        with hub:
            cpu_before = {pid: cpu_seconds(pid) for pid in tree(hub.process.pid)}
            learners = [Learner(hub, n, args.lesson, args.workbook, solution) for n in names]
            readings: list[float] = []
            watcher = asyncio.ensure_future(watch_load(readings))
            load["at start"] = load_average()
            started = time.monotonic()
            await asyncio.gather(*(learner.run() for learner in learners))
            wall = time.monotonic() - started
            watcher.cancel()
            load["at end"] = load_average()
            load["highest 1-min during the run"] = f"{max(readings):.2f}"
            by_user, own = learner_processes(hub.process.pid)
            per_user_mb = [sum(rss_mb(p) for p in pids) for pids in by_user.values()]
            per_user_pss = [sum(pss_mb(p) for p in pids) for pids in by_user.values()]
            per_user_cpu = {user: sum(cpu_seconds(p) for p in pids) for user, pids in by_user.items()}
            hub_mb = sum(rss_mb(p) for p in own)
            hub_cpu = sum(cpu_seconds(p) - cpu_before.get(p, 0.0) for p in own)
        if any(learner.error for learner in learners):  # the hub's and the servers' log, to read the cause
            kept = Path(tempfile.gettempdir()) / f"hub-load-{time.strftime('%Y%m%d-%H%M%S')}.log"
            shutil.copyfile(hub.log_path, kept)
            print(f"hub log (hub and single-user servers) kept in {kept}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = [learner for learner in learners if learner.error is None]
    for learner in ok:  # what no phase took: the server's idle work (the hub's activity checks, culling, logs)
        learner.cpu["server and kernels outside the phases above"] = (
            per_user_cpu.get(learner.name, 0.0) - sum(learner.cpu.values()))
    profile = mean_profile([learner.cpu for learner in ok])
    inside = mean_profile([learner.inside for learner in ok])
    cpu_per_learner = statistics.fmean(per_user_cpu[lr.name] for lr in ok if lr.name in per_user_cpu) if ok else 0
    return {
        "learners": args.learners, "failures": len(learners) - len(ok), "wall_s": round(wall, 1),
        "load_average": load, "chart_cache": cache,
        "servers": "stock jupyterhub-singleuser and ipykernel (--baseline)" if args.baseline
        else "the course's (innovation_course.classroom.hub.singleuser and .kernel)",
        "errors": sorted({learner.error for learner in learners if learner.error})[:5],
        "times_s": {part: {"p50": round(percentile(v, 0.5), 1), "p95": round(percentile(v, 0.95), 1),
                           "max": round(max(v), 1) if v else None}
                    for part in ("login", "lesson", "to lesson done", "workbook", "total")
                    for v in [[learner.times[part] for learner in ok if part in learner.times]]},
        "answers": {"given": sum(lr.answered for lr in learners), "found_in_saved_files": sum(lr.found for lr in ok),
                    "learners_with_every_answer_saved": sum(1 for lr in ok if lr.answered and lr.found >= lr.answered)},
        "hub_mb": round(hub_mb), "hub_cpu_s": round(hub_cpu, 1),
        "learner_mb": {"mean": round(statistics.fmean(per_user_mb)) if per_user_mb else None,
                       "max": round(max(per_user_mb)) if per_user_mb else None},
        "learner_pss_mb": {"mean": round(statistics.fmean(per_user_pss)) if per_user_pss else None,
                           "max": round(max(per_user_pss)) if per_user_pss else None},
        "learner_cpu_s": round(cpu_per_learner, 2),
        "cpu_profile_s": {name: round(seconds, 3) for name, seconds in profile.items()},
        "cpu_inside_s": {name: round(seconds, 3) for name, seconds in inside.items()},
        "machine": {"cores": os.cpu_count(), "gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                                         / 2**30, 1)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--lesson", default="01_policy_framework.ipynb")
    parser.add_argument("--workbook", default="ex01_policy_framework.ipynb")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--no-chart-cache", dest="chart_cache", action="store_false",
                        help="every kernel draws the lesson's charts (default: stored first, as an image's build does)")
    parser.add_argument("--baseline", action="store_true",
                        help="servers and kernels as before the course's savings: stock jupyterhub-singleuser and "
                             "ipykernel, every chart drawn (implies --no-chart-cache); to measure them against")
    parser.add_argument("--source", type=Path, default=ROOT, help="the teacher's repository to release (default: this)")
    args = parser.parse_args(argv)
    args.chart_cache = args.chart_cache and not args.baseline
    result = asyncio.run(main_async(args))
    print(report(result, TARGET_P95))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0 if result["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
