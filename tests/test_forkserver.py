"""Learners' kernels forked from a warmed process (innovation_course.classroom.hub.forkserver): a forked kernel is
set up as a kernel started afresh would be (folder, path, environment, no debugger, widgets' comm targets, its
own random numbers), and interrupts, restarts and shutdowns reach it and only it; when the fork server cannot
start or stops, kernels start the stock way. Its CPU: benchmarks/hub_load.py and benchmarks/kernel_start.py."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import weakref
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from innovation_course.classroom.hub import forkserver
from innovation_course.classroom.hub import kernel as course_kernel
from innovation_course.classroom.hub.kernel import FORKSERVER, CourseKernelSpecs

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="forked kernels need pidfds (Linux)")

PROBE = ("import os, sys, json, numpy, random\n"
         "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'cwd': os.getcwd(), 'path': sys.path,"
         " 'env': os.environ.get('COURSE_TEST_VALUE'), 'debugpy': sys.modules.get('debugpy') is None,"
         " 'pandas': 'pandas' in sys.modules, 'targets': sorted(get_ipython().kernel.comm_manager.targets),"
         " 'numpy': numpy.random.randint(2**31), 'random': random.getrandbits(31),"
         " 'comm': open('/proc/self/comm').read().strip(), 'local': __import__('local_module').VALUE}))")


def run(kc, code: str, timeout: float = 60) -> tuple[dict, str]:
    outputs: list[dict] = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
    return reply["content"], text


class Kernels:
    """Kernels started through the course's spec manager, shut down at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.started = folder, []

    def start(self, forked: bool = True, **env: str):
        km = KernelManager(kernel_name="python3", kernel_spec_manager=CourseKernelSpecs(forked=forked))
        km.start_kernel(cwd=str(self.folder), env={**os.environ, **env})
        kc = km.client()
        kc.start_channels()
        self.started.append((km, kc))
        kc.wait_for_ready(timeout=120)
        return km, kc

    def close(self) -> None:
        for km, kc in self.started:
            kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=True)


@pytest.fixture
def kernels(tmp_path):
    (tmp_path / "local_module.py").write_text("VALUE = 42\n")  # a learner's own module beside the notebook
    started = Kernels(tmp_path)
    yield started
    started.close()


@pytest.fixture
def fresh_forkserver(monkeypatch):
    """A fork server of this test's own (the other tests' one is left alone)."""
    monkeypatch.setattr(forkserver, "SERVERS", weakref.WeakKeyDictionary())
    return forkserver.SERVERS


def wait_until(check, timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return check()


def test_the_spec_names_the_provisioner_only_for_the_course_kernel_and_only_when_forked(monkeypatch):
    assert CourseKernelSpecs().get_kernel_spec("python3").metadata["kernel_provisioner"] == {
        "provisioner_name": FORKSERVER}
    assert "kernel_provisioner" not in CourseKernelSpecs(forked=False).get_kernel_spec("python3").metadata
    monkeypatch.setattr(course_kernel, "forkserver_installed", lambda: False)  # metadata without the entry point
    assert "kernel_provisioner" not in CourseKernelSpecs().get_kernel_spec("python3").metadata


@pytest.mark.parametrize("cmd, args", [
    ([sys.executable, "-m", "innovation_course.classroom.hub.kernel", "-f", "c.json"], ["-f", "c.json"]),
    (["/other/python", "-m", "innovation_course.classroom.hub.kernel", "-f", "c.json"], None),  # another Python
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], None),  # the stock launcher
    ([sys.executable, "-Xfrozen_modules=off", "-m", "innovation_course.classroom.hub.kernel"], None),  # options
])
def test_only_this_python_running_the_course_kernel_is_forked(cmd, args):
    assert forkserver.forkable(cmd) == args


def test_a_forked_kernel_is_set_up_as_a_fresh_one_with_the_imports_done(kernels):
    km, kc = kernels.start(COURSE_TEST_VALUE="forked")
    assert isinstance(km.provisioner, forkserver.ForkServerProvisioner)
    assert isinstance(km.provisioner.process, forkserver.ForkedKernel)
    stock_km, stock_kc = kernels.start(forked=False, COURSE_TEST_VALUE="stock")
    assert not isinstance(stock_km.provisioner, forkserver.ForkServerProvisioner)
    forked, stock = (json.loads(run(kc, PROBE)[1]) for kc in (kc, stock_kc))

    server = forkserver.SERVERS[next(iter(forkserver.SERVERS))]
    assert forked["ppid"] == server.process.pid != os.getpid() and stock["ppid"] == os.getpid()
    assert os.getpgid(forked["pid"]) == forked["pid"]  # its own process group: an interrupt reaches it alone
    assert forked["comm"] == f"kernel-{km.kernel_id}"[:15]
    assert forked["pandas"] and not stock["pandas"]  # the imports done before the fork
    for key in ("cwd", "path", "debugpy", "local"):
        assert forked[key] == stock[key], key
    assert (forked["env"], stock["env"]) == ("forked", "stock")
    assert forked["debugpy"] and forked["local"] == 42
    assert set(forked["targets"]) >= {"jupyter.widget", "jupyter.widget.control"}  # widgets can open their comms
    _, text = run(stock_kc, "import ipywidgets\n" + PROBE)
    assert json.loads(text)["targets"] == forked["targets"]  # what a fresh kernel has once it imports ipywidgets


def test_each_forked_kernel_has_its_own_state_and_random_numbers(kernels):
    (km_a, kc_a), (km_b, kc_b) = kernels.start(), kernels.start()
    assert km_a.provisioner.pid != km_b.provisioner.pid
    a, b = (json.loads(run(kc, PROBE)[1]) for kc in (kc_a, kc_b))
    assert a["ppid"] == b["ppid"]  # one fork server for both
    assert (a["numpy"], a["random"]) != (b["numpy"], b["random"])
    run(kc_a, "answer = 'a'")
    assert run(kc_b, "answer")[0]["status"] == "error"  # NameError: nothing shared but the imports


@pytest.mark.parametrize("forked", [True, False])
def test_interrupt_restart_and_shutdown_reach_a_forked_kernel_as_a_stock_one(kernels, forked):
    km, kc = kernels.start(forked)
    msg_id = kc.execute("import time\nprint('running', flush=True)\nfor _ in range(600): time.sleep(0.1)")
    while True:  # wait until the cell's own code runs (its first line printed), not for a time
        message = kc.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream":
            break
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:  # (kernel_info replies left from wait_for_ready)
        reply = kc.get_shell_msg(timeout=60)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    content, text = run(kc, "print(6 * 7)")
    for _ in range(20):  # after an error ipykernel aborts what was queued until its "stop aborting" message
        if content["status"] != "aborted":
            break
        content, text = run(kc, "print(6 * 7)")
    assert (content["status"], text.strip()) == ("ok", "42"), content  # still alive after the interrupt

    old = km.provisioner.pid
    run(kc, "state = 1")
    km.restart_kernel(now=True)
    kc.wait_for_ready(timeout=120)
    assert km.provisioner.pid != old and isinstance(km.provisioner.process, forkserver.ForkedKernel) == forked
    assert wait_until(lambda: not Path(f"/proc/{old}").exists())  # the old kernel is gone and reaped
    assert run(kc, "state")[0]["status"] == "error" and run(kc, "print(1)")[1].strip() == "1"

    pid = km.provisioner.pid
    km.shutdown_kernel(now=True)
    assert wait_until(lambda: not Path(f"/proc/{pid}").exists())


def test_a_fork_server_that_cannot_start_means_stock_kernels(kernels, fresh_forkserver, monkeypatch, caplog):
    monkeypatch.setattr(forkserver.ForkServer, "command", staticmethod(
        lambda fd: [sys.executable, "-c", "raise SystemExit(3)"]))
    km, kc = kernels.start()
    assert not isinstance(km.provisioner.process, forkserver.ForkedKernel)  # a Popen: started the stock way
    assert run(kc, "print(6 * 7)")[1].strip() == "42"
    assert "this kernel starts the stock way" in caplog.text
    km2, _ = kernels.start()  # and the next one too, without trying again
    assert not isinstance(km2.provisioner.process, forkserver.ForkedKernel)


def test_when_the_fork_server_stops_its_kernels_stop_and_later_ones_start_the_stock_way(kernels, fresh_forkserver):
    km, _ = kernels.start()
    assert isinstance(km.provisioner.process, forkserver.ForkedKernel)
    server = next(iter(fresh_forkserver.values()))
    server.process.send_signal(signal.SIGKILL)
    pid = km.provisioner.pid
    assert wait_until(lambda: not Path(f"/proc/{pid}/stat").exists() or " Z " in Path(f"/proc/{pid}/stat").read_text())
    assert wait_until(lambda: not km.is_alive())  # the server sees it stopped (status 1: nobody read it)
    km2, kc2 = kernels.start()
    assert not isinstance(km2.provisioner.process, forkserver.ForkedKernel)
    assert run(kc2, "print(6 * 7)")[1].strip() == "42"


EXTRA_IMPORT = ("import sys; sys.path.insert(0, {folder!r}); import probe_module\n"
                "from innovation_course.classroom.hub.forkserver import main; main([sys.argv[1]])")


def test_changed_code_means_a_new_fork_server_and_the_old_one_keeps_its_kernels(kernels, fresh_forkserver,
                                                                                 monkeypatch, tmp_path):
    folder = tmp_path / "installed"
    folder.mkdir()
    module = folder / "probe_module.py"  # stands for the course's package, upgraded in place on a running hub
    module.write_text("VERSION = 1\n")
    monkeypatch.setattr(forkserver.ForkServer, "command", staticmethod(
        lambda fd: [sys.executable, "-c", EXTRA_IMPORT.format(folder=str(folder)), str(fd)]))
    old_km, old_kc = kernels.start()
    first = next(iter(fresh_forkserver.values()))
    assert run(old_kc, "import probe_module; print(probe_module.VERSION)")[1].strip() == "1"

    module.write_text("VERSION = 2\n")
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later time, whatever the clock's grain
    km, kc = kernels.start()
    assert isinstance(km.provisioner.process, forkserver.ForkedKernel)
    second = next(iter(fresh_forkserver.values()))
    assert second is not first and km.provisioner.process.server is second
    assert run(kc, "import probe_module; print(probe_module.VERSION)")[1].strip() == "2"  # the new code
    assert run(old_kc, "print(probe_module.VERSION)")[1].strip() == "1"  # the learner's running kernel is kept
    assert first.process.poll() is None  # its fork server stays while it has a kernel...
    old_km.shutdown_kernel(now=True)
    assert wait_until(lambda: first.process.poll() is not None)  # ...and stops when it has none
    assert second.process.poll() is None and km.is_alive()


REFUSE_SECOND_FORK = ("import os, sys\nreal, calls = os.fork, []\n"
                      "def fork():\n    calls.append(1)\n"
                      "    if len(calls) == 2:\n        raise BlockingIOError(11, 'Resource temporarily unavailable')\n"
                      "    return real()\n"
                      "os.fork = fork\n"
                      "from innovation_course.classroom.hub.forkserver import main; main([sys.argv[1]])")


def test_a_refused_fork_costs_that_kernel_only(kernels, fresh_forkserver, monkeypatch, caplog):
    monkeypatch.setattr(forkserver.ForkServer, "command", staticmethod(
        lambda fd: [sys.executable, "-c", REFUSE_SECOND_FORK, str(fd)]))
    first, first_kc = kernels.start()
    refused, refused_kc = kernels.start()  # the system refuses this fork: started the stock way
    third, _ = kernels.start()
    assert isinstance(first.provisioner.process, forkserver.ForkedKernel)
    assert not isinstance(refused.provisioner.process, forkserver.ForkedKernel)
    assert "refused the fork" in caplog.text and "Resource temporarily unavailable" in caplog.text
    assert isinstance(third.provisioner.process, forkserver.ForkedKernel)  # the fork server goes on
    for kc in (first_kc, refused_kc):
        assert run(kc, "print(6 * 7)")[1].strip() == "42"  # the running kernel was not touched
