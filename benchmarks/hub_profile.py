"""Where a learner's CPU goes on a hub: the pieces of ``hub_load.py`` that read processes and add up phases.

CPU seconds come from ``/proc/<pid>/stat`` (user + system time) of the learner's own processes, its
single-user server and its kernels, read before and after each phase. They are much less sensitive to what
else runs on the machine than wall-clock times, which is why the profile is argued from them; the machine's
load average is printed with every figure all the same.
"""

from __future__ import annotations

import contextlib
import os
import statistics
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")

#: Sent to a kernel before its notebook runs, silently: wraps ``innovation_course.content.data.load`` when the
#: notebook first imports it (a one-shot import hook, so the probe imports nothing itself and the import cell's
#: share stays where it is), or at once in a kernel forked with it imported; adds up the CPU seconds spent in it.
#: Read back with :data:`DATA_PROBE_READ`.
DATA_PROBE = r"""
import importlib.abc as _abc, importlib.util as _util, sys as _sys, time as _time
_hub_load_data_cpu = [0.0, 0]
def _hub_load_time(module):
    load = module.load
    def timed(*args, **kwargs):
        start = _time.process_time()
        try:
            return load(*args, **kwargs)
        finally:
            _hub_load_data_cpu[0] += _time.process_time() - start
            _hub_load_data_cpu[1] += 1
    timed.__wrapped__, timed.__doc__ = load, load.__doc__
    module.load = timed
class _HubLoadDataProbe(_abc.MetaPathFinder):
    busy = False
    def find_spec(self, name, path=None, target=None):
        if name != "innovation_course.content.data" or self.busy:
            return None
        self.busy = True
        try:
            spec = _util.find_spec(name)
        finally:
            self.busy = False
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            if self in _sys.meta_path:
                _sys.meta_path.remove(self)
            _hub_load_time(module)
        spec.loader.exec_module = exec_module
        return spec
if "innovation_course.content.data" in _sys.modules:  # a kernel forked with the course's imports done
    _hub_load_time(_sys.modules["innovation_course.content.data"])
else:
    _sys.meta_path.insert(0, _HubLoadDataProbe())
"""
DATA_PROBE_READ = "print(_hub_load_data_cpu[0], _hub_load_data_cpu[1])"


def cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime + stime, and cutime + cstime: the CPU of the children it ran and waited for (a server's helper
        # processes); children still running (kernels) are read by themselves
        return sum(int(f) for f in fields[11:15]) / TICKS
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident memory: every page the process maps, shared ones counted in each process that shares them."""
    return _memory_mb(f"/proc/{pid}/status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Proportional memory: a page shared by n processes counts 1/n in each (kernels forked from one process
    share its imports' pages until they change them)."""
    return _memory_mb(f"/proc/{pid}/smaps_rollup", "Pss:")


def _memory_mb(path: str, field: str) -> float:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
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


def hub_user(pid: int) -> str | None:
    with contextlib.suppress(OSError):
        for entry in Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace").split("\0"):
            if entry.startswith("JUPYTERHUB_USER="):
                return entry.split("=", 1)[1]
    return None


def server_pid(hub_pid: int, user: str) -> int | None:
    """The single-user server the hub started for ``user`` (a child of the hub with that JUPYTERHUB_USER)."""
    return next((child for child in children(hub_pid) if hub_user(child) == user), None)


def process_name(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/comm").read_text().strip()
    return ""


def kernel_pid(server: int, kernel_id: str) -> int | None:
    """The kernel process with id ``kernel_id`` among the server's processes: its connection file's name in its
    command, or (forked by the course's fork server, which has the command) its name."""
    name = f"kernel-{kernel_id}"
    return next((p for p in tree(server) if f"{name}.json" in command_line(p) or process_name(p) == name[:15]), None)


def forkserver_pid(server: int) -> int | None:
    """The server's kernel fork server, if it has one (innovation_course.classroom.hub.forkserver)."""
    return next((p for p in children(server) if "hub.forkserver" in command_line(p)), None)


def learner_processes(hub_pid: int) -> tuple[dict[str, list[int]], list[int]]:
    """Single-user servers (with their kernels) by user, and the hub's own processes (hub, proxy)."""
    by_user: dict[str, list[int]] = {}
    own = [hub_pid]
    for child in children(hub_pid):
        user = hub_user(child) if "singleuser" in command_line(child) else None
        if user:
            by_user[user] = tree(child)
        else:
            own += tree(child)
    return by_user, own


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@contextlib.contextmanager
def phase(book: dict[str, float], name: str, *pids: int | None):
    """Add to ``book[name]`` the CPU seconds that ``pids`` (None skipped) use inside the block."""
    alive = [p for p in pids if p]
    before = sum(cpu_seconds(p) for p in alive)
    try:
        yield
    finally:
        book[name] = book.get(name, 0.0) + sum(cpu_seconds(p) for p in alive) - before


def mean_profile(books: list[dict[str, float]]) -> dict[str, float]:
    """Per phase, the mean over learners (a learner without the phase counts as 0), in the order first seen."""
    names: dict[str, None] = {}
    for book in books:
        names.update(dict.fromkeys(book))
    return {name: statistics.fmean(book.get(name, 0.0) for book in books) for name in names} if books else {}


def profile_lines(profile: dict[str, float], total: float) -> list[str]:
    """The profile as aligned lines with each phase's share of ``total``."""
    lines = []
    for name, seconds in profile.items():
        share = 100 * seconds / total if total else 0.0
        lines.append(f"    {name:<58} {seconds:6.2f} s {share:5.1f} %")
    return lines


def report(result: dict, target_p95: float) -> str:
    """What ``hub_load.py`` prints: times, the target, answers, memory and the CPU profile, with the load."""
    t, answers, load = result["times_s"], result["answers"], result["load_average"]
    n = result["learners"]
    to_lesson = t["to lesson done"]["p95"]
    verdict = ("met" if result["failures"] == 0 and to_lesson < target_p95
               and answers["learners_with_every_answer_saved"] == n else "NOT met")
    lines = [
        f"hub load: {n} learners at once, {result['failures']} failure(s), "
        f"{result['wall_s']} s wall on {result['machine']['cores']} cores / {result['machine']['gb']} GB",
        "  load average (1, 5, 15 min): " + "; ".join(f"{when} {value}" for when, value in load.items()),
        f"  servers: {result.get('servers', '-')}",
        f"  chart cache: {result['chart_cache']}",
        *(f"  {part:<14} p50 {v['p50']:>6} s   p95 {v['p95']:>6} s   max {v['max']} s" for part, v in t.items()),
        f"  target: login to lesson done p95 under {target_p95:.0f} s with 0 failures and every answer saved: "
        f"{verdict} ({to_lesson} s, {result['failures']} failures)",
        f"  answers: {answers['given']} given, {answers['found_in_saved_files']} found in the saved files; "
        f"{answers['learners_with_every_answer_saved']} of {n} learners have every answer saved",
        f"  hub + proxy: {result['hub_mb']} MB resident, {result['hub_cpu_s']} CPU s "
        f"({result['hub_cpu_s'] / n:.2f} CPU s per learner)",
        f"  per learner (server + kernels): {result['learner_mb']['mean']} MB mean, {result['learner_mb']['max']} MB "
        f"max resident; {result.get('learner_pss_mb', {}).get('mean')} MB mean, "
        f"{result.get('learner_pss_mb', {}).get('max')} MB max proportional; {result['learner_cpu_s']} CPU s",
        "  where a learner's CPU goes (mean over the learners who finished):",
        *profile_lines(result["cpu_profile_s"], result["learner_cpu_s"]),
        "    of which:",
        *profile_lines(result["cpu_inside_s"], result["learner_cpu_s"]),
    ]
    lines += [f"  error: {e}" for e in result["errors"]]
    return "\n".join(lines)
