"""Where this kernel runs: inside a Jupyter session or not, the notebook file Jupyter told it about, and the
folder its answer journal lives in."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def now() -> str:
    """The time of an answer change, ISO-8601 UTC (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def in_jupyter_session() -> bool:
    """Whether a Jupyter server started this kernel for a notebook (it sets ``JPY_SESSION_NAME``)."""
    return bool(os.environ.get("JPY_SESSION_NAME"))


def journal_enabled() -> bool:
    """The journal is kept in Jupyter sessions; ``INNOVATION_COURSE_JOURNAL=1``/``0`` forces it on/off."""
    flag = os.environ.get("INNOVATION_COURSE_JOURNAL", "").strip().lower()
    if flag in ("0", "off", "no", "false"):
        return False
    return flag in ("1", "on", "yes", "true") or in_jupyter_session()


def notebook_path() -> Path | None:
    """The notebook this kernel runs, as Jupyter told the kernel at start (None when that file is gone)."""
    name = os.environ.get("JPY_SESSION_NAME")
    if not name:
        return None
    for candidate in (Path(name), Path.cwd() / Path(name).name):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()  # as the server extension names it (see journal.moved)
    return None


def session_path() -> Path | None:
    """The notebook file Jupyter named when it started this kernel, whether or not it exists (yet or still)."""
    name = os.environ.get("JPY_SESSION_NAME")
    return Path(name).resolve() if name and name.endswith(".ipynb") else None


def notebook_folder() -> Path:
    """The folder of this kernel's notebook: JPY_SESSION_NAME's folder while that file exists, else the kernel's
    working folder (Jupyter starts a kernel in its notebook's folder; a rename keeps the old session name)."""
    path = notebook_path()
    return path.parent.resolve() if path is not None else Path.cwd()
