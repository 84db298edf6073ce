"""Mark every submission: serially for small batches, in a process pool for large ones; results in a
deterministic order (by origin) whatever order the workers finish in. Submissions are taken from an iterator
as they are read, and at most a few chunks of bounded size are held at once, so memory does not grow with
the class.

Each submission has a time limit (:data:`TIME_LIMIT` seconds, a SIGALRM timer where signals are available):
past it, the submission is rejected with that reason and the batch goes on. Worker processes end with the
grader: they ask the kernel to kill them when their parent dies (Linux ``PR_SET_PDEATHSIG``) and also
watch their parent's id, so a grader killed with ``kill -9`` leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from .answerkey import AnswerKey
from .mark import Marked, mark, rejected
from .progress import Progress
from .submission import Submission

SERIAL_BELOW = 150   # fewer submissions than this are marked in this process
CHUNK = 50           # submissions per task sent to a worker
CHUNK_BYTES = 16 * 2**20  # and at most this many bytes of files per task
HEAD_BYTES = 64 * 2**20   # read ahead to decide serial or parallel: at most this many bytes
IN_FLIGHT = 4        # tasks queued per worker, so memory stays bounded
TIME_LIMIT = 10.0    # seconds one submission may take
PR_SET_PDEATHSIG = 1

_KEY: AnswerKey | None = None
_LIMIT = TIME_LIMIT


class TimeLimit(Exception):
    """A submission took longer than its time limit."""


def end_with_parent() -> None:
    """Make this (worker) process end when its parent does: the kernel's parent-death signal on Linux,
    and a watcher thread everywhere."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _install(key: AnswerKey, limit: float = TIME_LIMIT) -> None:
    """Worker initialiser: the key is sent once per worker, not once per submission."""
    global _KEY, _LIMIT
    end_with_parent()
    _KEY, _LIMIT = key, limit


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimit` in this thread after ``seconds`` (no limit off the main thread or without
    SIGALRM)."""
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def mark_safely(sub: Submission, key: AnswerKey, limit: float = TIME_LIMIT) -> Marked:
    """:func:`mark` under the time limit, and a rejection with the error's name should anything go wrong."""
    try:
        with time_limit(limit):
            return mark(sub, key)
    except TimeLimit:
        return rejected(sub, f"took longer than the time limit of {limit:g} s per submission; not graded")
    except Exception as error:  # the last guard: one submission never stops the batch
        return rejected(sub, f"internal error while marking ({type(error).__name__}: {error})")


def _mark_chunk(chunk: list[Submission]) -> list[Marked]:
    assert _KEY is not None
    return [mark_safely(sub, _KEY, _LIMIT) for sub in chunk]


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def workers_for(count: int, jobs: int) -> int:
    """How many worker processes a batch of ``count`` gets (1 means: in this process)."""
    return 1 if jobs <= 1 or count < SERIAL_BELOW else min(jobs, -(-count // CHUNK))


def _size(sub: Submission) -> int:
    return len(sub.data) if sub.data else 0


def _chunks(head: list[Submission], rest: Iterator[Submission]) -> Iterator[list[Submission]]:
    """Tasks of at most CHUNK submissions and CHUNK_BYTES bytes (a larger file goes alone)."""
    chunk: list[Submission] = []
    size = 0
    for sub in _chain(head, rest):
        if chunk and (len(chunk) >= CHUNK or size + _size(sub) > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(sub)
        size += _size(sub)
    if chunk:
        yield chunk


def _chain(head: list[Submission], rest: Iterator[Submission]) -> Iterator[Submission]:
    while head:
        yield head.pop(0)
    yield from rest


def mark_all(subs: Iterable[Submission], key: AnswerKey, jobs: int = 1, progress: Progress | None = None,
             limit: float = TIME_LIMIT) -> list[Marked]:
    """Every submission marked, sorted by origin then path. A batch of fewer than SERIAL_BELOW submissions
    (read ahead, at most HEAD_BYTES of them) is marked in this process; a larger one in a pool."""
    source = iter(subs)
    head: list[Submission] = []
    size = 0
    for sub in source:
        head.append(sub)
        size += _size(sub)
        if len(head) >= SERIAL_BELOW or size >= HEAD_BYTES:
            break
    results: list[Marked] = []
    if (len(head) < SERIAL_BELOW and size < HEAD_BYTES) or jobs <= 1:
        for sub in _chain(head, source):
            results.append(mark_safely(sub, key, limit))
            if progress:
                progress.advance()
        return sorted(results, key=lambda m: (m.origin, m.path, m.date))
    workers = max(1, jobs)
    with ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(key, limit)) as pool:
        pending: dict[Future, list[Submission]] = {}
        for chunk in _chunks(head, source):
            pending[pool.submit(_mark_chunk, chunk)] = chunk
            if len(pending) >= workers * IN_FLIGHT:
                _gather(pending, results, key, progress, FIRST_COMPLETED, limit)
        while pending:
            _gather(pending, results, key, progress, ALL_COMPLETED, limit)
    return sorted(results, key=lambda m: (m.origin, m.path, m.date))


def _gather(pending: dict[Future, list[Submission]], results: list[Marked], key: AnswerKey,
            progress: Progress | None, when: str, limit: float) -> None:
    """Move finished tasks from ``pending`` to ``results``; a task whose worker died is marked here instead."""
    done, _ = wait(pending, return_when=when)
    for future in done:
        chunk = pending.pop(future)
        try:
            batch = future.result()
        except Exception:  # a worker crashed (killed, out of memory): mark its chunk in this process
            batch = [mark_safely(sub, key, limit) for sub in chunk]
        results.extend(batch)
        if progress:
            progress.advance(len(batch))
