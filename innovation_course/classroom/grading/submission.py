"""What the grader reads, before anything is marked: one :class:`Submission` per file found, and the
:class:`Limits` each file and each learner's upload is read under."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Limits:
    """How much the grader reads. ``file_bytes`` bounds one file (a notebook, or a zip a learner uploaded);
    ``upload_bytes`` and ``seconds`` bound one learner's upload (a file of the LMS download, with whatever a
    zip of theirs holds), never the whole download; ``zip_members`` one archive's entries."""

    file_bytes: int = 20 * 2**20
    upload_bytes: int = 100 * 2**20
    zip_members: int = 5000
    zip_depth: int = 1  # a zip inside a zip is read; one more level is rejected
    seconds: float | None = None  # per upload (``--time-limit``); None: no limit


@dataclass(frozen=True)
class Submission:
    """One file to grade. ``path`` is its path inside its input (posix, for the LMS name patterns)."""

    origin: str          # what the gradebook shows: "batch.zip!Ann Lee_12_assignsubmission_file_/ex01.ipynb"
    path: str            # "Ann Lee_12_assignsubmission_file_/ex01.ipynb"
    date: float          # zip entry date or file modification time (seconds, for "newest counts")
    data: bytes | None = None
    problem: str | None = None
    entry: str = ""      # the path that says whose file it is (the outer zip entry for nested members)
    hub_user: str = ""   # the JupyterHub user a hub-collection.json manifest names
    layout: str | None = None   # the download's LMS ("canvas", "moodle", ""); None: read from the name alone
    notes: tuple[str, ...] = ()  # what was odd while reading it (a name that is not UTF-8, ...)

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def account_path(self) -> str:
        """The path the LMS gave this file (for nested zip members: the outer entry's)."""
        return self.entry or self.path


LIMITS = Limits()
