"""Grading killed at random moments of a 2,000-file run (``kill -9``): the output folder is always the old
set or the new set, whole, and no worker process is left behind (issue 10, "The teacher's marking is lost")."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

from innovation_course.classroom.grading import atomic, synthetic

FILES = 2000
KILLS = 3


def class_zip(path: Path, version: str) -> Path:
    """FILES Canvas submissions, each with its own essay (cheap: one template, text replaced)."""
    template = synthetic.to_bytes(synthetic.with_answers(
        synthetic.workbook_notebook(), {"plan-year": "2015", "essay": "ESSAY-PLACEHOLDER"}, None))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(FILES):
            data = template.replace(b"ESSAY-PLACEHOLDER", f"essay {version} {i}".encode())
            zf.writestr(zipfile.ZipInfo(f"l{i}_{1000 + i}_{9000 + i}_ex01.ipynb", (2025, 3, 1, 0, 0, 0)), data)
    path.write_bytes(buffer.getvalue())
    return path


def left_behind(tag: str) -> list[int]:
    """Processes still running with our tag in their environment."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if tag.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def state(out: Path) -> str:
    """The set in ``out``: its grading-run.json (after checking every file it lists)."""
    assert atomic.check_set(out) == [], atomic.check_set(out)
    run = atomic.read_run(out)
    assert run is not None
    return json.dumps(run, sort_keys=True)


def test_kill_9_at_random_moments_leaves_the_old_or_the_new_set_whole(tmp_path):
    key = synthetic.write_key(tmp_path / "key")
    out = tmp_path / "out"
    tag = f"GRADER_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, tag: "1"}

    def command(inputs: Path) -> list[str]:
        return [sys.executable, "-m", "innovation_course.classroom.cli", "grade", str(inputs), "--out", str(out),
                "--key", str(key), "--jobs", "2"]

    started = time.perf_counter()
    subprocess.run(command(class_zip(tmp_path / "v1.zip", "one")), env=env, check=True, capture_output=True)
    duration = time.perf_counter() - started
    old = state(out)
    new_inputs = class_zip(tmp_path / "v2.zip", "two")
    rng, seen = random.Random(), []
    for _ in range(KILLS):
        grader = subprocess.Popen(command(new_inputs), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.1 * duration))
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        deadline = time.monotonic() + 5
        while left_behind(tag) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left_behind(tag) == [], "worker processes outlived the grader"
        seen.append(state(out))
    subprocess.run(command(new_inputs), env=env, check=True, capture_output=True)
    new = state(out)
    assert old != new and all(s in (old, new) for s in seen), "a mixed output set"
    assert not list(tmp_path.glob(".out.grading-staging-*")), "the last run cleans up"
    assert len(list((out / "feedback").iterdir())) == FILES
