"""Mark every submission: serially for small batches, in a process pool for large ones; results in a
deterministic order (by origin) whatever order the workers finish in."""

from __future__ import annotations

import os
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from .answerkey import AnswerKey
from .collect import Submission
from .mark import Marked, mark, rejected
from .progress import Progress

SERIAL_BELOW = 150   # fewer submissions than this are marked in this process
CHUNK = 50           # submissions per task sent to a worker
IN_FLIGHT = 4        # tasks queued per worker, so memory stays bounded

_KEY: AnswerKey | None = None


def _install(key: AnswerKey) -> None:
    """Worker initialiser: the key is sent once per worker, not once per submission."""
    global _KEY
    _KEY = key


def mark_safely(sub: Submission, key: AnswerKey) -> Marked:
    """:func:`mark`, and a rejection with the error's name should anything still go wrong."""
    try:
        return mark(sub, key)
    except Exception as error:  # the last guard: one submission never stops the batch
        return rejected(sub, f"internal error while marking ({type(error).__name__}: {error})")


def _mark_chunk(chunk: list[Submission]) -> list[Marked]:
    assert _KEY is not None
    return [mark_safely(sub, _KEY) for sub in chunk]


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def workers_for(count: int, jobs: int) -> int:
    """How many worker processes a batch of ``count`` gets (1 means: in this process)."""
    return 1 if jobs <= 1 or count < SERIAL_BELOW else min(jobs, -(-count // CHUNK))


def mark_all(subs: list[Submission], key: AnswerKey, jobs: int = 1, progress: Progress | None = None) -> list[Marked]:
    """Every submission marked, sorted by origin then path."""
    workers = workers_for(len(subs), jobs)
    results: list[Marked] = []
    if workers == 1:
        for sub in subs:
            results.append(mark_safely(sub, key))
            if progress:
                progress.advance()
    else:
        chunks = [subs[i:i + CHUNK] for i in range(0, len(subs), CHUNK)]
        with ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(key,)) as pool:
            pending: dict[Future, list[Submission]] = {}
            for chunk in chunks:
                pending[pool.submit(_mark_chunk, chunk)] = chunk
                if len(pending) >= workers * IN_FLIGHT:
                    _gather(pending, results, key, progress, FIRST_COMPLETED)
            while pending:
                _gather(pending, results, key, progress, ALL_COMPLETED)
    return sorted(results, key=lambda m: (m.origin, m.path, m.date))


def _gather(pending: dict[Future, list[Submission]], results: list[Marked], key: AnswerKey,
            progress: Progress | None, when: str) -> None:
    """Move finished tasks from ``pending`` to ``results``; a task whose worker died is marked here instead."""
    done, _ = wait(pending, return_when=when)
    for future in done:
        chunk = pending.pop(future)
        try:
            batch = future.result()
        except Exception:  # a worker crashed (killed, out of memory): mark its chunk in this process
            batch = [mark_safely(sub, key) for sub in chunk]
        results.extend(batch)
        if progress:
            progress.advance(len(batch))
