"""Grading, issue 17: no single file stops or fools the grader. Each case is the input that broke it: a lone
surrogate in any field, a file name that is not UTF-8, a FIFO or device or loop, hard links, an upload that
expands to the limit (once, six times), a slow nested zip under ``--time-limit``. One file's problem is one
row's reason; every other file is graded; peak memory and time stay bounded (measured in a child process).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from grading_support import RIGHT, ROOT, SOLUTION, notebook, zip_bytes

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import safe_read, synthetic
from innovation_course.classroom.grading.archive import read_zip
from innovation_course.classroom.grading.submission import Limits
from innovation_course.engine.records import MIME

GB = 2**30


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key")


def grade(key: Path, tmp_path: Path, *inputs, extra: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    out = tmp_path / "out"
    code = main(["grade", *map(str, inputs), "--out", str(out), "--key", str(key), "--jobs", "1", "--force",
                 *extra])
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    for page in out.rglob("*.html"):
        page.read_text(encoding="utf-8")  # every output is valid UTF-8
    return code, rows


# --- a lone surrogate, in every field -----------------------------------------------------------------

TINY = ('{"cells":[{"cell_type":"code","execution_count":1,"id":"a","metadata":{},"source":"","outputs":['
        '{"output_type":"display_data","metadata":{},"data":{"text/plain":"x","' + MIME + '":{"schema":'
        '"innovation-course/answer","schema_version":1,"workbook":"zz-demo","workbook_version":"1",'
        '"question":"district","kind":"text","answer":"\\ud800"}}}]}],"metadata":{"innovation_course":'
        '{"workbook":"zz-demo","version":"1"}},"nbformat":4,"nbformat_minor":5}')


def test_the_480_byte_notebook_whose_answer_is_a_lone_surrogate(key, tmp_path):
    assert len(TINY) < 520
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tiny.ipynb").write_text(TINY, encoding="ascii")
    (tmp_path / "in" / "good.ipynb").write_bytes(notebook(None, {"name": "Good", "id": "g"}))
    code, rows = grade(key, tmp_path, tmp_path / "in")
    by_file = {r["source_file"]: r for r in rows}
    assert code == 0 and len(rows) == 2
    tiny = by_file["in/tiny.ipynb"]
    assert tiny["status"] == "graded" and "1 invalid character (lone surrogate" in tiny["reason"]
    assert by_file["in/good.ipynb"]["status"] == "graded"
    sheet = (tmp_path / "out" / "gradebook.csv").read_bytes().decode("utf-8")
    assert "\ufffd" not in sheet or "district" in sheet


@pytest.mark.parametrize("field", ["answer", "version", "workbook", "matching key", "identity", "question"])
def test_a_lone_surrogate_in_any_field_is_replaced_and_reported(key, tmp_path, field):
    nb = synthetic.with_answers(SOLUTION, RIGHT, {"name": "Ann", "id": "a1"})
    text = json.dumps(nb)
    bad = "\\ud800"
    if field == "answer":
        text = text.replace('"answer": "Zhongguancun"', f'"answer": "Zhong{bad}"')
    elif field == "version":
        text = text.replace('"version": "1"', f'"version": "1{bad}"')
    elif field == "workbook":
        text = text.replace('"workbook": "zz-demo"', f'"workbook": "zz{bad}demo"')
    elif field == "matching key":
        text = text.replace('"Nanshan": "Shenzhen"', f'"Nan{bad}shan": "Shenzhen"')
    elif field == "identity":
        text = text.replace('"name": "Ann"', f'"name": "A{bad}nn"')
    else:
        text = text.replace('"question": "district"', f'"question": "dis{bad}trict"')
    assert bad in text
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.ipynb").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "good.ipynb").write_bytes(notebook(None, {"name": "Good", "id": "g"}))
    code, rows = grade(key, tmp_path, tmp_path / "in")
    assert code == 0
    by_file = {r["source_file"]: r for r in rows}
    bad_row = by_file["in/bad.ipynb"]
    assert "invalid character" in bad_row["reason"], bad_row
    assert by_file["in/good.ipynb"]["status"] == "graded"
    if field == "workbook":
        assert bad_row["status"] == "rejected" and "unknown workbook 'zz\ufffddemo'" in bad_row["reason"]
    else:
        assert bad_row["status"] in ("graded", "other version")


def test_a_notebook_of_a_million_empty_lists_is_rejected_unparsed(key, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "lists.ipynb").write_text('{"nbformat": 4, "cells": [' + "[]," * 1_000_001 + "[]]}")
    code, rows = grade(key, tmp_path, tmp_path / "in")
    assert code == 1 and "too many JSON objects and lists: 1,000,004 (limit 1,000,000)" in rows[0]["reason"]


def test_a_file_name_that_is_not_utf8_is_shown_replaced_and_graded(key, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9\xff.ipynb")).write_bytes(notebook(None, {"name": "Ann", "id": "a1"}))
    (folder / os.fsdecode(b"sub\xfe")).mkdir()
    (folder / os.fsdecode(b"sub\xfe") / "x.ipynb").write_bytes(notebook(None, {"name": "Bo", "id": "b1"}))
    code, rows = grade(key, tmp_path, folder)
    assert code == 0 and sorted(r["status"] for r in rows) == ["graded", "graded"]
    names = sorted(r["source_file"] for r in rows)
    assert names == ["in/caf\ufffd\ufffd.ipynb", "in/sub\ufffd/x.ipynb"]
    assert all("file name is not valid UTF-8" in r["reason"] for r in rows)


def test_a_member_name_flagged_utf8_that_is_not_keeps_the_download_readable(key, tmp_path):
    data = zip_bytes({"ann_1_10_ex01.ipynb": notebook(None, {"name": "Ann", "id": "a"}),
                      "bob_2_20_exX1.ipynb": notebook(None, {"name": "Bob", "id": "b"})})
    broken = bytearray(data)
    for start in (broken.find(b"PK\x03\x04", 10), broken.find(b"PK\x01\x02", broken.find(b"PK\x01\x02") + 4)):
        name_at = start + (30 if broken[start + 2] == 3 else 46)
        flag_at = start + (6 if broken[start + 2] == 3 else 8)
        broken[flag_at + 1] |= 0x08  # UTF-8 flag
        broken[name_at + len("bob_2_20_ex")] = 0xFF  # "exX1" → an invalid byte
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(io.BytesIO(bytes(broken)))
    (tmp_path / "canvas.zip").write_bytes(bytes(broken))
    code, rows = grade(key, tmp_path, tmp_path / "canvas.zip")
    assert code == 0 and len(rows) == 2
    by_id = {r["learner_id"]: r for r in rows}
    assert by_id["canvas-1"]["status"] == "graded" and by_id["canvas-2"]["status"] == "graded"
    assert "member name is not valid UTF-8" in by_id["canvas-2"]["reason"]


# --- only regular files, links only inside the folder given, hard links read once ---------------------

def test_fifos_devices_loops_and_links_out_are_refused_one_line_each(key, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.ipynb").write_bytes(notebook(None, {"name": "Good", "id": "g"}))
    os.mkfifo(folder / "ex01_fifo.ipynb")
    (folder / "zero.ipynb").symlink_to("/dev/zero")
    (folder / "loop1.ipynb").symlink_to(folder / "loop2.ipynb")
    (folder / "loop2.ipynb").symlink_to(folder / "loop1.ipynb")
    outside = tmp_path / "elsewhere.ipynb"
    outside.write_bytes(notebook(None, {"name": "Other", "id": "o"}))
    (folder / "out_link.ipynb").symlink_to(outside)
    (folder / "in_link.ipynb").symlink_to(folder / "good.ipynb")
    started = time.perf_counter()
    code, rows = grade(key, tmp_path, folder)
    assert time.perf_counter() - started < 30  # the FIFO would have blocked for ever
    reasons = {r["source_file"]: (r["status"], r["reason"]) for r in rows}
    assert code == 0 and len(rows) == 7
    assert reasons["in/good.ipynb"][0] == "graded"
    assert "FIFO" in reasons["in/ex01_fifo.ipynb"][1]
    assert "outside the learner's own folder" in reasons["in/zero.ipynb"][1]
    assert "loop" in reasons["in/loop1.ipynb"][1] and "loop" in reasons["in/loop2.ipynb"][1]
    assert "outside the learner's own folder" in reasons["in/out_link.ipynb"][1]
    assert "read once" in reasons["in/in_link.ipynb"][1]  # a link inside: the same file, not twice


def test_21_hard_links_to_one_20_mb_file_are_read_once(key, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    nb = synthetic.with_answers(SOLUTION, RIGHT, {"name": "Ann", "id": "a"})
    nb["cells"][0]["source"] = "x" * (20 * 2**20 - 60_000)
    (folder / "ex01.ipynb").write_bytes(synthetic.to_bytes(nb))
    for n in range(20):
        os.link(folder / "ex01.ipynb", folder / f"copy{n:02d}.ipynb")
    started = time.perf_counter()
    code, rows = grade(key, tmp_path, folder)
    assert time.perf_counter() - started < 30
    assert code == 0 and len(rows) == 21
    assert sum(r["status"] == "graded" for r in rows) == 1
    assert sum("read once" in r["reason"] for r in rows) == 20


# --- budgets per upload --------------------------------------------------------------------------------

def bomb_upload(members: int = 6, size: int = 19 * 2**20) -> bytes:
    """A learner's zip of a few hundred KB that expands past the upload budget (100 MB)."""
    return zip_bytes({f"part{i}.ipynb": bytes(size) for i in range(members)})


def test_one_bomb_upload_costs_its_learner_alone(key, tmp_path):
    bomb = bomb_upload()
    assert len(bomb) < 250_000
    members = {"eve_1_2_work.zip": bomb}
    members.update({f"l{n}_{100 + n}_{200 + n}_ex01.ipynb": notebook(None, {"name": f"L{n}", "id": f"{n}"})
                    for n in range(20)})
    (tmp_path / "canvas.zip").write_bytes(zip_bytes(members))
    code, rows = grade(key, tmp_path, tmp_path / "canvas.zip")
    assert code == 0
    classmates = [r for r in rows if r["learner_id"] != "canvas-1"]
    assert len(classmates) == 20 and all(r["status"] == "graded" for r in classmates)
    eve = [r for r in rows if r["learner_id"] == "canvas-1"]
    assert len(eve) == 6 and all(r["status"] == "rejected" for r in eve)
    assert any("zip bomb" in r["reason"] for r in eve)


def measured(args: list[str], cwd: Path) -> tuple[int, float, float]:
    """Run ``innovation-course`` in a child process: (exit status, seconds, peak memory in bytes of it and
    its own children)."""
    code = ("import resource, sys; from innovation_course.cli import main; status = main(sys.argv[1:]); "
            "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print('PEAK', peak * 1024); sys.exit(status)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - started
    peak = next(float(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("PEAK"))
    return done.returncode, seconds, peak


def test_six_bomb_uploads_grade_the_class_in_bounded_memory(key, tmp_path):
    members = {f"eve{n}_{n + 1}_{n + 50}_work.zip": bomb_upload() for n in range(6)}
    members.update({f"l{n}_{100 + n}_{200 + n}_ex01.ipynb": notebook(None, {"name": f"L{n}", "id": f"{n}"})
                    for n in range(14)})
    (tmp_path / "canvas.zip").write_bytes(zip_bytes(members))
    assert (tmp_path / "canvas.zip").stat().st_size < 2_000_000
    code, seconds, peak = measured(["grade", str(tmp_path / "canvas.zip"), "--out", str(tmp_path / "out"),
                                    "--key", str(key), "--jobs", "2"], tmp_path)
    assert code == 0 and peak < GB, peak
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert sum(r["status"] == "graded" for r in rows) == 14 and len(rows) == 14 + 36
    print(f"six bombs: {seconds:.1f} s, peak {peak / 2**20:.0f} MB")


def test_the_time_limit_holds_for_a_nested_zip(tmp_path, monkeypatch):
    """A slow nested zip (here: a clock that moves 0.3 s per look) stops at its upload's time limit; the
    next learner's upload has a time budget of its own."""
    clock = iter(range(10**6))
    monkeypatch.setattr(safe_read.time, "monotonic", lambda: next(clock) * 0.3)
    slow = zip_bytes({f"part{i}.ipynb": bytes(5 * 2**20) for i in range(4)})
    download = zip_bytes({"eve_1_2_work.zip": slow, "bob_3_4_ex01.ipynb": b"{}"})
    subs = list(read_zip(download, "canvas.zip", Limits(seconds=1.0)))
    eve = [s for s in subs if s.entry]
    assert len(eve) == 4 and all("time limit of 1 s" in s.problem for s in eve)
    assert [s.data for s in subs if not s.entry] == [b"{}"]


def test_time_limit_reaches_the_reading_of_uploads(key, tmp_path, monkeypatch):
    seen: list[float | None] = []
    real = Limits.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        seen.append(self.seconds)

    monkeypatch.setattr(Limits, "__init__", spy)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.ipynb").write_bytes(notebook(None, {"name": "A", "id": "a"}))
    grade(key, tmp_path, tmp_path / "in", extra=("--time-limit", "1.5"))
    assert 1.5 in seen
