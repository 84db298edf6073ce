"""A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
REDRAW_SECONDS = 0.1


class Progress:
    """``with Progress(total, "grading") as bar: bar.advance()``; silent when the stream is not a TTY. A total of
    0 (not known in advance) draws the count so far."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total, self.label, self.done = max(total, 0), label, 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= REDRAW_SECONDS or (self.total and self.done >= self.total)):
            self._drawn = now
            if not self.total:  # files are read as they are graded: the count so far
                self.stream.write(f"\r{self.label}: {self.done} files")
                self.stream.flush()
                return
            share = self.done / self.total
            filled = int(WIDTH * share)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                              f"{self.done}/{self.total} {share:4.0%}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
