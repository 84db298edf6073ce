"""A learner's kernels on the hub, forked from one warmed process per server instead of each started afresh.

    python -m innovation_course.classroom.hub.forkserver FD      (started by the server, never by hand)

Each learner opens two notebooks in a class (the lesson and its workbook), and every kernel started afresh pays
for a Python start, ipykernel's imports and the course's imports (pandas above all) before it runs a cell:
``benchmarks/hub_load.py`` measured about 0.4 CPU s to start a kernel and 0.5-0.6 CPU s for the import cell,
in each kernel, with 30 learners starting together on two cores. So the learner's server starts one *fork
server* when it first starts a kernel: a process that imports what a course kernel imports (:data:`WARM`) and
then, for every kernel the server asks for, forks a child that becomes that kernel, exactly as
``python -m innovation_course.classroom.hub.kernel -f CONNECTION_FILE`` would: its own session and process group,
the kernel's working directory, environment, ``sys.path[0]`` and arguments, no debugger (:mod:`.kernel`), and
ipywidgets' comm targets registered (ipywidgets registers them when it is imported inside a kernel, and in the
fork server it was imported before any kernel existed). Restarts fork again.

:class:`ForkServerProvisioner` is the server's side: a Jupyter kernel provisioner (entry point
``course-forkserver``) that asks the fork server for the kernel and follows it through a pidfd, so a signal
(interrupt, restart, shut down) never reaches a process that reused a dead kernel's pid. Whatever does not fit
is started the stock way, with a warning in the server's log: another command, another Python, no pidfd on this
system, or a fork server that failed to start or died (then every later kernel of that server too).

When a file the fork server imported changes on disk (the course upgraded in place, as on a Littlest
JupyterHub), the fork server answers the next request "stale" and stops once the kernels it forked have stopped,
and a new fork server forks the next kernel with the new code. What a forked kernel does not do is import a
learner's own file named like a module in :data:`WARM` in its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import traceback
import weakref
from typing import Any, NoReturn

from jupyter_client.provisioning import LocalProvisioner

from . import kernel as course_kernel

#: What the fork server imports before it forks: ipykernel, what a kernel's start imports after it (its shell's
#: history, debugger and magics) and what the course's notebooks import first.
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.debugger", "IPython.core.completerlib",
        "IPython.extensions.storemagic", "sqlite3", "psutil", "pandas", "ipywidgets", "innovation_course.charts",
        "innovation_course.findings", "innovation_course.timeline", "innovation_course.workbook",
        "innovation_course.data", "innovation_course.engine.progress")
#: Added to a forked kernel's arguments: ipywidgets' own extension registers its comm targets in the kernel.
EXTENSIONS = ("--IPKernelApp.extra_extensions=ipywidgets",)
#: Seconds the server waits for the fork server's imports (30 learners' servers start together on two cores).
READY_TIMEOUT = 300


# ---- the fork server: its own process -------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    """Import :data:`WARM`, say ready on the socket ``FD``, then fork a kernel per request until the server
    closes the socket."""
    args = sys.argv[1:] if argv is None else argv
    channel = socket.socket(fileno=int(args[0]))
    course_kernel.block()
    for name in WARM:
        importlib.import_module(name)
    gc.freeze()  # what was imported stays out of the kernels' garbage collections: no pass copies its pages
    send(channel, {"ready": os.getpid()})
    serve(channel, sources())


def sources() -> dict[str, int]:
    """Each imported module's file and its modification time (nanoseconds)."""
    found = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            with contextlib.suppress(OSError):
                found[path] = os.stat(path).st_mtime_ns
    return found


def changed(imported: dict[str, int]) -> bool:
    """Whether a file imported before the forks has changed or gone since (a package upgraded in place)."""
    for path, mtime in imported.items():
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return True
        except OSError:
            return True
    return False


def send(channel: socket.socket, message: dict) -> None:
    channel.sendall(json.dumps(message).encode() + b"\n")


def serve(channel: socket.socket, imported: dict[str, int]) -> None:
    """Answer each request line with the forked kernel's pid, and report each kernel's exit status. Once a file
    it imported has changed, answer "stale" (a kernel forked now would run the old code) and stop when the
    kernels it forked have stopped."""
    kernels: dict[int, int] = {}  # pidfd → pid
    buffer = b""
    stale = False
    while not (stale and not kernels):
        ready, _, _ = select.select([channel, *kernels], [], [])
        for fd in ready:
            if fd in kernels:
                pid = kernels.pop(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                send(channel, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})
                continue
            data = channel.recv(65536)
            if not data:
                return  # the server is gone; its kernels notice that their parent is gone and stop too
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                stale = stale or changed(imported)
                if stale:
                    send(channel, {"stale": True})
                    continue
                try:  # a fork refused (no memory, too many processes) costs this kernel, not the running ones
                    pid = fork_kernel(json.loads(line), channel, list(kernels))
                except OSError as error:
                    send(channel, {"error": str(error)})
                    continue
                kernels[os.pidfd_open(pid)] = pid
                send(channel, {"pid": pid})


def fork_kernel(request: dict, channel: socket.socket, pidfds: list[int]) -> int:
    """Fork a child that becomes the kernel ``request`` describes (``args``, ``env``, ``cwd``); returns its pid."""
    pid = os.fork()
    if pid:
        return pid
    channel.close()  # the server's socket and the other kernels' pidfds are the fork server's alone
    for fd in pidfds:
        os.close(fd)
    become_kernel(request)


def become_kernel(request: dict) -> NoReturn:
    """In the forked child: set up as ``python -m innovation_course.classroom.hub.kernel ARGS`` would be, run
    the kernel, and exit with its status (never return into the fork server's loop)."""
    code = 1
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel stops when the fork server is gone
        # the name ps and top show: the kernel's id, as far as it fits
        with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
            comm.write(request.get("name", "kernel")[:15])
        sys.path[0] = os.getcwd()  # as ``python -m`` sets it
        if "numpy.random" in sys.modules:  # numpy's global generator, seeded at import, would repeat in each fork
            sys.modules["numpy.random"].seed()  # (Python's own random module reseeds itself after a fork)
        # ipykernel reads JPY_PARENT_PID when it is imported, which was before this kernel's environment
        sys.argv = [sys.argv[0], *request["args"], f"--IPKernelApp.parent_handle={os.getppid()}", *EXTENSIONS]
        course_kernel.main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# ---- the server's side ----------------------------------------------------------------------------------------

class ForkServerError(RuntimeError):
    """The fork server could not start or stopped: kernels start the stock way."""


class StaleForkServer(ForkServerError):
    """The fork server's imported code changed on disk: a new fork server forks the next kernels."""


class ForkedKernel:
    """What :class:`~jupyter_client.provisioning.LocalProvisioner` needs of a ``Popen``, for a kernel the fork
    server forked: followed through a pidfd, its exit status reported by the fork server."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, server: ForkServer) -> None:
        self.pid, self.server, self.returncode = pid, server, None
        self.pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is None:
            if self.pid in self.server.exits:
                self.returncode = self.server.exits.pop(self.pid)
            elif self.server.closed and select.select([self.pidfd], [], [], 0)[0]:
                self.returncode = 1  # it stopped after its fork server: its status was the fork server's to read
        return self.returncode

    def wait(self) -> int | None:
        """The exit status of a kernel :meth:`poll` found stopped (the provisioner polls first)."""
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, if it has not stopped (as ``Popen.send_signal`` does)."""
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):  # stopped, not yet reaped or read
                signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """The fork server of this learner's server, started with its first kernel (one per event loop). Its socket
    is read by a thread of its own with blocking reads, so no event loop watches its file descriptor: the loop
    only awaits the answers."""

    def __init__(self, env: dict[str, str], cwd: str | None) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(self.command(theirs.fileno()), pass_fds=[theirs.fileno()], env=env, cwd=cwd,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        self.channel = ours
        self.exits: dict[int, int] = {}
        self.answers: queue.Queue[dict] = queue.Queue()
        self.lock = asyncio.Lock()
        self.closed = self.failed = self.stale = False
        self.loop = asyncio.get_running_loop()
        threading.Thread(target=self.listen, name="course-forkserver", daemon=True).start()
        self.started = asyncio.ensure_future(asyncio.to_thread(self.answer, "ready"))

    @staticmethod
    def command(fd: int) -> list[str]:
        """The fork server's command, given its end of the socket."""
        return [sys.executable, "-m", __name__, str(fd)]

    @classmethod
    async def get(cls, env: dict[str, str], cwd: str | None) -> ForkServer:
        """The running fork server, started (and its imports awaited) if there is none yet."""
        loop = asyncio.get_running_loop()
        server = SERVERS.get(loop)
        if server is None:
            SERVERS[loop] = server = cls(env, cwd)
        if server.failed:
            raise ForkServerError("the fork server stopped or did not start before")
        try:  # kernels asked for together all wait for the same start
            await asyncio.shield(server.started)
        except (TimeoutError, OSError, ValueError, ForkServerError) as error:
            server.stop()
            raise ForkServerError(f"the fork server did not start: {error!r}") from error
        return server

    def listen(self) -> None:
        """(Its thread.) Read the fork server's lines until it closes: ready, then the answers to requests in
        order (a pid, "stale" or a refusal), and kernels' exit statuses whenever they come."""
        try:
            with self.channel.makefile("rb") as lines:
                for line in lines:
                    message = json.loads(line)
                    if "exited" in message:
                        self.exits[message["exited"]] = message["code"]
                    else:
                        self.answers.put(message)
        except (OSError, ValueError):
            pass
        finally:  # it stopped: unless stale (it never stops while its server runs), later kernels start stock
            self.closed = True
            self.failed = self.failed or not self.stale
            self.answers.put({})

    def answer(self, expected: str, line: bytes = b"") -> dict:
        """(A worker thread.) Send ``line`` if any, and return the next answer, which must hold ``expected``."""
        if line:
            self.channel.sendall(line)
        try:
            message = self.answers.get(timeout=READY_TIMEOUT)
        except queue.Empty:
            raise TimeoutError(f"no answer from the fork server in {READY_TIMEOUT} s") from None
        if expected not in message and not message.keys() & {"stale", "error"}:
            raise ForkServerError("the fork server stopped" + (" during its imports" if expected == "ready" else ""))
        return message

    async def fork(self, args: list[str], env: dict[str, str], cwd: str, name: str) -> ForkedKernel:
        """Ask for a kernel with these arguments, environment and working directory."""
        line = json.dumps({"args": args, "env": env, "cwd": cwd, "name": name}).encode() + b"\n"
        async with self.lock:
            if self.closed:
                raise ForkServerError("the fork server has stopped")
            try:
                message = await asyncio.to_thread(self.answer, "pid", line)
            except (OSError, TimeoutError) as error:
                raise ForkServerError(f"the fork server did not answer: {error!r}") from error
        if message.get("stale"):
            self.stale = True
            if SERVERS.get(self.loop) is self:
                del SERVERS[self.loop]  # it keeps its kernels; a new one forks the next
            raise StaleForkServer("the course's code changed on disk since the fork server imported it")
        if "error" in message:
            raise ForkServerError(f"the system refused the fork ({message['error']})")
        return ForkedKernel(message["pid"], self)

    def stop(self) -> None:
        self.closed = self.failed = True
        with contextlib.suppress(OSError):
            self.channel.shutdown(socket.SHUT_RDWR)  # ends the reading thread's wait
        with contextlib.suppress(OSError):
            self.channel.close()
        with contextlib.suppress(OSError):
            self.process.kill()


#: Each event loop's fork server (a Jupyter server has one loop; a dropped loop's fork server closes with it).
SERVERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ForkServer] = weakref.WeakKeyDictionary()


def forkable(cmd: list[str]) -> list[str] | None:
    """The kernel's arguments if ``cmd`` is ``<this Python> -m innovation_course.classroom.hub.kernel ARGS``."""
    if len(cmd) >= 3 and cmd[0] == sys.executable and cmd[1:3] == ["-m", course_kernel.COURSE]:
        return list(cmd[3:])
    return None


class ForkServerProvisioner(LocalProvisioner):
    """Start a kernel by asking this server's fork server for it; the stock way when that cannot be done."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        args = forkable(cmd)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        if args is None or not hasattr(os, "pidfd_open"):
            self.log.warning("course-forkserver: %s starts the stock way (not a course kernel here)", cmd)
            return await super().launch_kernel(cmd, **kwargs)
        try:
            try:
                self.process = await self.forked(args, env, cwd)
            except StaleForkServer:
                self.log.info("course-forkserver: the course's code changed on disk; a new fork server starts")
                self.process = await self.forked(args, env, cwd)
        except ForkServerError as error:
            self.log.warning("course-forkserver: %s; this kernel starts the stock way", error)
            return await super().launch_kernel(cmd, **kwargs)
        self.pid = self.pgid = self.process.pid  # the kernel leads its own process group, as a stock kernel does
        self.cwd = cwd
        return self.connection_info

    async def forked(self, args: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        """This kernel, forked by the event loop's fork server (started first if need be)."""
        server = await ForkServer.get(env, cwd)
        return await server.fork(args, env, cwd, f"kernel-{self.kernel_id}")


if __name__ == "__main__":
    main()
