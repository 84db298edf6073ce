"""Load on one machine: N simulated learners on one local JupyterHub, no browsers.

    .venv/bin/python benchmarks/hub_load.py [--learners 30] [--lesson 01_policy_framework.ipynb]
                                            [--workbook ex01_policy_framework.ipynb] [--json out.json]

Each learner logs in with a password (the hub's login form), waits for their server, and then, as JupyterLab
would, through the Jupyter server's REST API and kernel websockets: opens a session on the lesson and runs
every code cell, then opens the workbook, runs it, answers every widget question by sending the widget
updates a browser sends (comm messages) and saves the notebook with its outputs (PUT /api/contents). The
saved file is read back: the answers must be in it. All learners start at once (a class starting together).

Prints per-learner times (p50/p95) for the lesson run, the workbook and the whole session, failures, the
hub's memory (hub + proxy) and each learner's (server + kernels, resident set), and how many learners one
2-core, 24 GB machine serves with a lesson run under 30 s p95 (from the measured CPU and memory per learner).
Needs ``make test-hub`` installed (the proxy in build/hub).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

from innovation_course.classroom.hub.local import HubSession, LocalHub  # noqa: E402
from innovation_course.classroom.release import release  # noqa: E402
from innovation_course.engine import records  # noqa: E402
from innovation_course.engine.spec import parse_workbook  # noqa: E402

EDITION = "learners"
TARGET_P95 = 30.0
MACHINE_CORES, MACHINE_GB, RESERVED_GB = 2, 24, 2.0
TICKS = os.sysconf("SC_CLK_TCK")
CELL_TIMEOUT = 600.0


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return 0.0


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children(current)
    return found


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


class Kernel:
    """One kernel reached over the server's websocket, running cells and sending widget updates."""

    def __init__(self, connection, session: str) -> None:
        self.connection, self.session = connection, session
        self.outputs: dict[str, list[dict]] = {}     # request msg_id → outputs
        self.comms: dict[str, list[dict]] = {}       # request msg_id → comm_open contents
        self.done: dict[str, asyncio.Event] = {}
        self.replies: dict[str, dict] = {}
        self.idle: set[str] = set()
        self.displays: dict[str, list[dict]] = {}    # display_id → outputs that show it
        self._no_reply: dict[str, bool] = {}         # msg_id → done at idle (comm messages get no reply)
        self.closed = False
        self.reader = asyncio.ensure_future(self._read())

    def _message(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "username": "learner", "session": self.session,
                           "msg_type": msg_type, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}

    async def _read(self) -> None:
        while True:
            raw = await self.connection.read_message()
            if raw is None:  # the server closed the websocket: every pending request fails now
                self.closed = True
                for event in self.done.values():
                    event.set()
                return
            if not isinstance(raw, str):
                continue  # binary frames: widget buffers, not used here
            msg = json.loads(raw)
            parent = (msg.get("parent_header") or {}).get("msg_id")
            kind, content = msg["header"]["msg_type"], msg.get("content") or {}
            if parent not in self.done:
                continue
            outputs = self.outputs[parent]
            if kind == "execute_reply":
                self.replies[parent] = content
            elif kind == "status" and content.get("execution_state") == "idle":
                self.idle.add(parent)
            elif kind == "comm_open":
                self.comms[parent].append(content)
            elif kind in ("display_data", "execute_result", "stream", "error"):
                output = nbformat.v4.output_from_msg(msg)
                outputs.append(output)
                display_id = (content.get("transient") or {}).get("display_id")
                if display_id:
                    self.displays.setdefault(display_id, []).append(output)
            elif kind == "update_display_data":
                for output in self.displays.get((content.get("transient") or {}).get("display_id"), []):
                    output["data"], output["metadata"] = content.get("data", {}), content.get("metadata", {})
            elif kind == "clear_output":
                outputs.clear()
            if parent in self.idle and (parent in self.replies or self._no_reply.get(parent)):
                self.done[parent].set()

    async def send(self, msg_type: str, content: dict, expect_reply: bool = True) -> str:
        message = self._message(msg_type, content)
        msg_id = message["header"]["msg_id"]
        self.outputs[msg_id], self.comms[msg_id], self.done[msg_id] = [], [], asyncio.Event()
        self._no_reply[msg_id] = not expect_reply
        await self.connection.write_message(json.dumps(message))
        await asyncio.wait_for(self.done[msg_id].wait(), CELL_TIMEOUT)
        if self.closed:
            raise ConnectionError("the kernel's websocket was closed by the server")
        return msg_id

    async def execute(self, code: str) -> tuple[list[dict], list[dict]]:
        msg_id = await self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                     "user_expressions": {}, "allow_stdin": False,
                                                     "stop_on_error": True})
        reply = self.replies.get(msg_id, {})
        if reply.get("status") != "ok":
            raise RuntimeError(f"cell failed: {reply.get('ename')}: {reply.get('evalue')}")
        return self.outputs[msg_id], self.comms[msg_id]

    async def update_widget(self, comm_id: str, state: dict) -> None:
        await self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                                   "buffer_paths": []}}, expect_reply=False)

    def close(self) -> None:
        self.reader.cancel()
        self.connection.close()


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
        self.lesson_kernel = ""
        self.http = AsyncHTTPClient(force_instance=True, defaults={"request_timeout": CELL_TIMEOUT,
                                                                   "connect_timeout": CELL_TIMEOUT})

    async def rest(self, method: str, path: str, body: dict | None = None) -> dict:
        request = HTTPRequest(f"{self.hub.url}/user/{self.name}{path}", method=method,
                              headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
                              body=json.dumps(body) if body is not None else None)
        response = await self.http.fetch(request)
        return json.loads(response.body) if response.body else {}

    async def open_kernel(self, path: str) -> tuple[Kernel, str]:
        session = await self.rest("POST", "/api/sessions", {"path": path, "name": Path(path).name,
                                                            "type": "notebook", "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        ws_url = (f"{self.hub.url.replace('http', 'ws', 1)}/user/{self.name}/api/kernels/{kernel_id}/channels"
                  f"?session_id={uuid.uuid4().hex}")
        request = HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"},
                              connect_timeout=CELL_TIMEOUT, request_timeout=CELL_TIMEOUT)  # a browser waits too
        connection = await websocket_connect(request, max_message_size=64 * 2**20)
        return Kernel(connection, uuid.uuid4().hex), session["id"]

    async def run_notebook(self, path: str) -> tuple[nbformat.NotebookNode, dict[int, list[dict]], Kernel, str]:
        nb = nbformat.from_dict((await self.rest("GET", f"/api/contents/{path}?content=1"))["content"])
        kernel, session = await self.open_kernel(path)
        comms = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            cell.outputs, comms[index] = await kernel.execute(cell.source)
        return nb, comms, kernel, session

    async def run(self) -> None:
        start = time.monotonic()
        try:
            session = HubSession(self.hub, self.name)
            await asyncio.to_thread(session.login)
            await asyncio.to_thread(session.wait_server)
            self.token = await asyncio.to_thread(self.hub.user_token, self.name)
            self.times["login"] = time.monotonic() - start
            t = time.monotonic()
            _, _, kernel, sid = await self.run_notebook(f"{EDITION}/notebooks/{self.lesson}")
            self.times["lesson"] = time.monotonic() - t
            self.lesson_kernel = (await self.rest("GET", f"/api/sessions/{sid}"))["kernel"]["id"]
            kernel.close()  # the tab moves on; the kernel keeps running, as in JupyterLab
            t = time.monotonic()
            path = f"{EDITION}/exercises/{self.workbook}"
            nb, comms, kernel, sid = await self.run_notebook(path)
            built = parse_workbook(nb)
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
            await self.rest("PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json",
                                                             "content": json.loads(nbformat.writes(nb))})
            saved = records.read_saved(json.loads((self.hub.homes / self.name / path).read_text()))
            found = sum(1 for a in saved.answers.values() if a not in (None, "", [], {}))
            if found < self.answered:
                raise RuntimeError(f"saved file holds {found} answers, {self.answered} were given")
            self.times["workbook"] = time.monotonic() - t
            self.kernel_session = sid
        except Exception as error:  # one learner's failure is counted, the others go on
            self.error = f"{type(error).__name__}: {error}"
            traceback.print_exc(limit=3)
        self.times["total"] = time.monotonic() - start


def learner_processes(hub_pid: int) -> tuple[dict[str, list[int]], list[int]]:
    """Single-user servers (with their kernels) by user, and the hub's own processes (hub, proxy)."""
    by_user: dict[str, list[int]] = {}
    own = [hub_pid]
    for child in children(hub_pid):
        line = command_line(child)
        if "jupyterhub-singleuser" in line:
            user = next((e.split("=", 1)[1] for e in Path(f"/proc/{child}/environ").read_bytes().decode(
                errors="replace").split("\0") if e.startswith("JUPYTERHUB_USER=")), str(child))
            by_user[user] = tree(child)
        else:
            own += tree(child)
    return by_user, own


async def main_async(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    try:
        edition = work / EDITION
        release(edition, "main", root=args.source)
        solution = parse_workbook(nbformat.read(args.source / "solutions" / args.workbook, as_version=4))
        hub = LocalHub(work / "hub")
        names = [f"learner{n:03d}" for n in range(args.learners)]
        for name in names:
            shutil.copytree(edition, hub.homes / name / EDITION, ignore=shutil.ignore_patterns(".git"))
        with hub:
            cpu_before = {pid: cpu_seconds(pid) for pid in tree(hub.process.pid)}
            learners = [Learner(hub, n, args.lesson, args.workbook, solution) for n in names]
            started = time.monotonic()
            await asyncio.gather(*(learner.run() for learner in learners))
            wall = time.monotonic() - started
            by_user, own = learner_processes(hub.process.pid)
            lesson_kernels = {lr.lesson_kernel for lr in learners if lr.lesson_kernel}
            lesson_cpu = [cpu_seconds(p) for pids in by_user.values() for p in pids
                          if any(f"kernel-{k}.json" in command_line(p) for k in lesson_kernels)]
            per_user_mb = [sum(rss_mb(p) for p in pids) for pids in by_user.values()]
            per_user_cpu = [sum(cpu_seconds(p) for p in pids) for pids in by_user.values()]
            hub_mb = sum(rss_mb(p) for p in own)
            hub_cpu = sum(cpu_seconds(p) - cpu_before.get(p, 0.0) for p in own)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = [learner for learner in learners if learner.error is None]
    cpu_per_learner = statistics.fmean(per_user_cpu) if per_user_cpu else float("nan")
    mb_per_learner = statistics.fmean(per_user_mb) if per_user_mb else float("nan")
    cpu_per_lesson = statistics.fmean(lesson_cpu) if lesson_cpu else float("nan")
    # all learners starting a lesson together on MACHINE_CORES share them: the last finishes after n·cpu/cores
    by_cpu = int(TARGET_P95 * MACHINE_CORES / cpu_per_lesson) if lesson_cpu else 0
    by_memory = int((MACHINE_GB - RESERVED_GB) * 1024 / mb_per_learner) if per_user_mb else 0
    return {
        "learners": args.learners, "failures": len(learners) - len(ok), "wall_s": round(wall, 1),
        "errors": sorted({learner.error for learner in learners if learner.error})[:5],
        "times_s": {part: {"p50": round(percentile(v, 0.5), 1), "p95": round(percentile(v, 0.95), 1),
                           "max": round(max(v), 1) if v else None}
                    for part in ("login", "lesson", "workbook", "total")
                    for v in [[learner.times[part] for learner in ok if part in learner.times]]},
        "answers_per_learner": round(statistics.fmean([learner.answered for learner in ok]), 1) if ok else 0,
        "hub_mb": round(hub_mb), "hub_cpu_s": round(hub_cpu, 1),
        "learner_mb": {"mean": round(mb_per_learner), "max": round(max(per_user_mb)) if per_user_mb else None},
        "learner_cpu_s": round(cpu_per_learner, 1), "lesson_kernel_cpu_s": round(cpu_per_lesson, 1),
        "machine": {"cores": os.cpu_count(), "gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                                         / 2**30, 1)},
        "capacity_2core_24gb": {"by_cpu_lesson_p95_under_30s": by_cpu, "by_memory": by_memory,
                                "learners": min(by_cpu, by_memory)},
    }


def report(result: dict) -> str:
    t = result["times_s"]
    cap = result["capacity_2core_24gb"]
    lines = [
        f"hub load: {result['learners']} learners at once, {result['failures']} failure(s), "
        f"{result['wall_s']} s wall on {result['machine']['cores']} cores / {result['machine']['gb']} GB",
        *(f"  {part:<8} p50 {v['p50']:>6} s   p95 {v['p95']:>6} s   max {v['max']} s" for part, v in t.items()),
        f"  answers given and found in the saved file per learner: {result['answers_per_learner']}",
        f"  hub + proxy: {result['hub_mb']} MB resident, {result['hub_cpu_s']} CPU s",
        f"  per learner (server + kernels): {result['learner_mb']['mean']} MB mean, {result['learner_mb']['max']} MB "
        f"max, {result['learner_cpu_s']} CPU s in all; a lesson run takes {result['lesson_kernel_cpu_s']} CPU s",
        f"  one 2-core, 24 GB machine: {cap['learners']} learners starting a lesson together with p95 under "
        f"{TARGET_P95:.0f} s (CPU allows {cap['by_cpu_lesson_p95_under_30s']}, memory {cap['by_memory']})",
    ]
    lines += [f"  error: {e}" for e in result["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--lesson", default="01_policy_framework.ipynb")
    parser.add_argument("--workbook", default="ex01_policy_framework.ipynb")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--source", type=Path, default=ROOT, help="the teacher's repository to release (default: this)")
    args = parser.parse_args(argv)
    result = asyncio.run(main_async(args))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0 if result["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
