"""Shared helpers for the issue-21 data scripts.

Every script reads a file from a GitHub snapshot brought onto this machine with the
search tool's `fetch` (a bare git directory under MIRROR), checks that the snapshot is the
commit recorded in SNAPSHOTS, filters rows programmatically and writes a tidy CSV to
../data/.  Nothing is typed in by hand.  `provenance()` records, for every source file
used, the snapshot commit, the commit that last changed the file and the sha256 of the
bytes read, so the lead can check that a re-run read the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
from pathlib import Path

MIRROR = Path(os.environ.get("MIRROR", "/work/.mirror"))
# sources/: the CSVs as fetched, copied into data/ by scripts/make_datapackage.py
OUT = Path(__file__).resolve().parent.parent
PROVENANCE = Path(__file__).resolve().parent / "provenance.json"

# repository -> snapshot commit read on 2026-12-03 (HEAD of the fetched snapshot)
SNAPSHOTS = {
    "cran/pwt10": "957b298fd706a567af96ccb1663ad68d5e5d07ba",
    "STIScoreboard/STI.Scoreboard": "ea5af11a0d16b4cc34491023ce507db7291e095a",
    "datasets/world-development-indicators": "4ebec5a2273f531ba238a34dbe440394dc5a6c4b",
    "Vasanth2310/EV-Pulse": "b042803c3f61e0242d9e5b2c67c6dd863c6bac4c",
    "mei-glow/data-visualization-shiny": "90584cdd9b30ef954044dde8e3a3869d3d1f8b11",
    "wang34/Progetto-Visualizzazione-Scientifica": "28ee79377b4e065e9e97aca1c5d2d3abd2bd6da8",
}

# The course's country set (names and codes as in the course's data/ files).
COUNTRIES = {
    "CHN": "China",
    "USA": "United States",
    "JPN": "Japan",
    "DEU": "Germany",
    "KOR": "Korea, Rep.",
    "GBR": "United Kingdom",
    "IND": "India",
    "FRA": "France",
}


def git_dir(repo: str) -> Path:
    """Bare git directory of a fetched snapshot, checked against SNAPSHOTS."""
    path = MIRROR / repo.replace("/", "+") / "repo"
    if (path / ".git").is_dir():
        path = path / ".git"
    head = subprocess.run(
        ["git", "--git-dir", str(path), "rev-parse", "HEAD"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    if head != SNAPSHOTS[repo]:
        raise SystemExit(f"{repo}: snapshot is {head}, expected {SNAPSHOTS[repo]}")
    return path


def read_blob(repo: str, path: str) -> bytes:
    """Bytes of `path` at the recorded snapshot commit; records provenance."""
    gdir = git_dir(repo)
    data = subprocess.run(
        ["git", "--git-dir", str(gdir), "show", f"{SNAPSHOTS[repo]}:{path}"],
        check=True, capture_output=True,
    ).stdout
    last = subprocess.run(
        ["git", "--git-dir", str(gdir), "log", "-1", "--format=%H %cs", SNAPSHOTS[repo], "--", path],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    _record(repo, path, data, last)
    return data


_PROV: dict[str, dict] = {}


def _record(repo: str, path: str, data: bytes, last: str) -> None:
    commit, _, date = last.partition(" ")
    _PROV[f"{repo}:{path}"] = {
        "repo": repo,
        "snapshot_commit": SNAPSHOTS[repo],
        "path": path,
        "last_changed_commit": commit,
        "last_changed_date": date,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }


def provenance(output: str, sources: list[str]) -> None:
    """Merge this script's sources into ../provenance.json under `output`."""
    existing = json.loads(PROVENANCE.read_text()) if PROVENANCE.exists() else {}
    existing[output] = [_PROV[s] for s in sources]
    PROVENANCE.write_text(json.dumps(existing, indent=1, sort_keys=True) + "\n")


def write_csv(name: str, header: list[str], rows: list[list]) -> Path:
    """Write rows (already sorted) to ../data/<name> with a fixed header."""
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def fmt(x: float) -> str:
    """Shortest text that round-trips the float (repr), no trailing '.0' loss."""
    return repr(float(x))
