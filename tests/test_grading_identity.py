"""Grading: who is who. The LMS or hub account decides; typed IDs only for plain files, checked, never
followed into another account; every oddity listed under the report's Problems (issue 10, "Who is who")."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import synthetic
from innovation_course.engine.spec import parse_workbook

DEMO = synthetic.DEMO_ID
SOLUTION = synthetic.workbook_notebook()
RIGHT = synthetic.correct_answers(parse_workbook(SOLUTION))
ALL_RIGHT = {k: v for k, v in RIGHT.items() if k != "essay"}


def notebook(answers: dict | None = None, who: dict | None = None) -> bytes:
    return synthetic.to_bytes(synthetic.with_answers(SOLUTION, RIGHT if answers is None else answers, who))


def zip_bytes(members: dict[str, bytes], dates: dict[str, tuple] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (dates or {}).get(name, (2025, 3, 1, 12, 0, 0))), data)
    return buffer.getvalue()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key")


def grade(key: Path, tmp_path: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> tuple[list[dict], str]:
    out = tmp_path / "out"
    assert main(["grade", *map(str, inputs), "--out", str(out), "--key", str(key), "--jobs", "1", "--force",
                 *extra]) in (0, 1)
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    return rows, html.unescape((out / "report.html").read_text())


def problems(report: str) -> str:
    return report.split("<h2>Problems</h2>", 1)[1]


def counted(rows: list[dict]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in rows:
        if row["status"] not in ("superseded", "rejected"):
            assert row["learner_id"] not in found, f"two counted rows for {row['learner_id']}"
            found[row["learner_id"]] = row
    return found


def test_a_canvas_resubmission_with_a_blank_identity_is_the_same_learner(key, tmp_path):
    first = notebook({"plan-year": "2015"}, {"name": "Lee Wei", "id": "2025001"})
    again = notebook(ALL_RIGHT, None)  # the -1 file: blank identity cell, better answers (no essay to mark)
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({"leewei_51022_900_ex01.ipynb": first,
                                                     "leewei_51022_901_ex01-1.ipynb": again}))
    rows, _ = grade(key, tmp_path, tmp_path / "canvas.zip")
    assert {r["learner_id"] for r in rows} == {"canvas-51022"}
    row = counted(rows)["canvas-51022"]
    assert row["source_file"].endswith("ex01-1.ipynb") and row["total"] == "8"
    gradebook = tmp_path / "grades.csv"
    gradebook.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Ex01 (77)\n"
                         "    Points Possible,,,,,11.00\n\"Lee, Wei\",51022,2025001,lw,A,\n", encoding="utf-8")
    grade(key, tmp_path, tmp_path / "canvas.zip", extra=("--canvas", str(gradebook), "--assignment", "Ex01 (77)"))
    upload = list(csv.reader(io.StringIO((tmp_path / "out" / "canvas-upload.csv").read_text(encoding="utf-8"))))
    assert [r[1] for r in upload] == ["ID", "", "51022"] and upload[2][5] == "8"


def test_two_names_with_one_typed_id_are_both_kept_and_flagged(key, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.ipynb").write_bytes(notebook({"plan-year": "2015"}, {"name": "Ann Lee", "id": "42"}))
    (tmp_path / "in" / "b.ipynb").write_bytes(notebook({"plan-year": "2006"}, {"name": "Bo Chen", "id": "42"}))
    rows, report = grade(key, tmp_path, tmp_path / "in")
    found = counted(rows)
    assert set(found) == {"42 (Ann Lee)", "42 (Bo Chen)"}
    assert "typed ID '42' is used by 2 different names (Ann Lee, Bo Chen)" in problems(report)


def test_a_plain_resubmission_under_the_same_typed_id_and_name_counts_once(key, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.ipynb").write_bytes(notebook({"plan-year": "2006"}, {"name": "Ann Lee", "id": "42"}))
    (tmp_path / "in" / "b.ipynb").write_bytes(notebook({"plan-year": "2015"}, {"name": "ann  lee", "id": "42"}))
    rows, _ = grade(key, tmp_path, tmp_path / "in")
    assert list(counted(rows)) == ["42"] and sorted(r["status"] for r in rows) == ["graded", "superseded"]


def test_a_newer_file_typing_a_classmates_id_with_no_name_supersedes_nobody(key, tmp_path):
    """Issue 17: it superseded the classmate (0 points) and the report said "Problems: None"."""
    (tmp_path / "in").mkdir()
    ann = tmp_path / "in" / "ann.ipynb"
    ann.write_bytes(notebook(None, {"name": "Ann Lee", "id": "42"}))
    eve = tmp_path / "in" / "eve.ipynb"
    eve.write_bytes(notebook({}, {"name": "", "id": "42"}))
    os.utime(ann, (1_000_000, 1_000_000))
    os.utime(eve, (2_000_000, 2_000_000))  # newer
    rows, report = grade(key, tmp_path, tmp_path / "in")
    found = counted(rows)
    assert set(found) == {"42 (Ann Lee)", "42 (no name, eve.ipynb)"} and found["42 (Ann Lee)"]["total"] == "8"
    assert all(r["status"] != "superseded" for r in rows)
    assert "typed ID '42' is used by 2 different names (Ann Lee, no name, eve.ipynb)" in problems(report)


@pytest.mark.parametrize("typed", ["moodle-222", "222", "canvas-222"])
def test_typing_another_accounts_id_supersedes_nothing(key, tmp_path, typed):
    real = notebook(None, {"name": "Real Owner", "id": "S222"})
    fake = notebook({}, {"name": "Eve", "id": typed})
    (tmp_path / "moodle.zip").write_bytes(zip_bytes(
        {"Real Owner_222_assignsubmission_file_/ex01.ipynb": real,
         "Eve Evil_111_assignsubmission_file_/ex01.ipynb": fake},
        {"Eve Evil_111_assignsubmission_file_/ex01.ipynb": (2099, 1, 1, 0, 0, 0)}))
    rows, report = grade(key, tmp_path, tmp_path / "moodle.zip")
    found = counted(rows)
    assert set(found) == {"moodle-222", "moodle-111"} and len(rows) == 2
    assert found["moodle-222"]["total"] == "8" and found["moodle-111"]["typed_id"] == typed
    if typed == "moodle-222":
        assert "says it is 'moodle-222'; counted for moodle-111" in problems(report)


def test_a_plain_file_cannot_type_a_reserved_prefix(key, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "eve.ipynb").write_bytes(notebook({}, {"name": "Eve", "id": "canvas-222"}))
    rows, report = grade(key, tmp_path, tmp_path / "in")
    assert rows[0]["learner_id"] == "file-eve" and rows[0]["identified_by"] == "file name"
    assert "typed ID 'canvas-222' uses a reserved prefix" in problems(report)


@pytest.mark.parametrize("outer", ["eve_111_5_work.zip", "Eve_111_assignsubmission_file_/work.zip"])
def test_nested_zip_members_belong_to_the_outer_entry_and_its_date(key, tmp_path, outer):
    inner = zip_bytes({"wubea_222_888_ex01.ipynb": notebook({}, None),
                       "Wu Bea_222_assignsubmission_file_/ex01.ipynb": notebook({}, None)},
                      {"wubea_222_888_ex01.ipynb": (2099, 1, 1, 0, 0, 0)})
    own = "wubea_222_777_ex01.ipynb" if outer.startswith("eve_") else "Wu Bea_222_assignsubmission_file_/ex01.ipynb"
    (tmp_path / "download.zip").write_bytes(zip_bytes({outer: inner, own: notebook(None, None)},
                                                      {outer: (2025, 3, 1, 0, 0, 0), own: (2025, 3, 2, 0, 0, 0)}))
    rows, _ = grade(key, tmp_path, tmp_path / "download.zip")
    lms = "canvas" if outer.startswith("eve_") else "moodle"
    victim = [r for r in rows if r["learner_id"] == f"{lms}-222"]
    assert len(victim) == 1 and victim[0]["status"] == "graded" and victim[0]["total"] == "8"
    eve = [r for r in rows if r["learner_id"] == f"{lms}-111"]
    assert len(eve) == 2 and sorted(r["status"] for r in eve) == ["empty", "superseded"]


def test_identical_answers_under_two_accounts_are_flagged_and_graded(key, tmp_path):
    same = {**RIGHT, "plan-year": "2006", "essay": "Patents are not products."}
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({
        "ann_1_10_ex01.ipynb": notebook(same, {"name": "Ann", "id": "a"}),
        "bob_2_20_ex01.ipynb": notebook(same, {"name": "Bob", "id": "b"}),
        "cat_3_30_ex01.ipynb": notebook(ALL_RIGHT, {"name": "Cat", "id": "c"}),  # everyone right: no sign
        "dan_4_40_ex01.ipynb": notebook(ALL_RIGHT, {"name": "Dan", "id": "d"})}))
    rows, report = grade(key, tmp_path, tmp_path / "canvas.zip")
    flagged = {r["learner_id"] for r in rows if "possible copying" in r["reason"]}
    assert flagged == {"canvas-1", "canvas-2"} and all(r["status"] == "graded" for r in rows)
    assert "possible copying: identical answers to zz-demo from canvas-1, canvas-2" in problems(report)


def hub_folder(root: Path, listed: dict[str, bytes], extra: dict[str, bytes]) -> Path:
    files = []
    for rel, data in {**listed, **extra}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    for rel, data in listed.items():
        files.append({"path": rel, "user": rel.split("/")[0], "mtime": 1.0,
                      "sha256": hashlib.sha256(data).hexdigest()})
    (root / "hub-collection.json").write_text(json.dumps({
        "schema": "innovation-course/hub-collection", "schema_version": 1, "workbook": DEMO,
        "collected_at": "2026-12-01T10:00:00+00:00", "files": files, "missing": ["carol"],
        "problems": ["bob: two copies of the workbook; the newest taken"]}))
    return root


def test_a_hub_collection_is_identified_by_hub_user(key, tmp_path):
    typed = notebook(None, {"name": "Alice", "id": "bob", "hub_user": "bob"})  # types another's name: no matter
    root = hub_folder(tmp_path / "collected", {"alice/ex01.ipynb": typed, "bob/ex01.ipynb": notebook({}, None)},
                      {"mallory/ex01.ipynb": notebook(None, None)})
    rows, report = grade(key, tmp_path, root)
    by_file = {r["source_file"]: r for r in rows}
    assert by_file["collected/alice/ex01.ipynb"]["learner_id"] == "hub-alice"
    assert by_file["collected/alice/ex01.ipynb"]["identified_by"] == "JupyterHub user"
    assert "the workbook records JupyterHub user 'bob', not 'alice'" in by_file["collected/alice/ex01.ipynb"]["reason"]
    assert by_file["collected/bob/ex01.ipynb"]["learner_id"] == "hub-bob"
    stray = by_file["collected/mallory/ex01.ipynb"]
    assert stray["status"] == "rejected" and "not listed in hub-collection.json" in stray["reason"]
    listed = problems(report)
    assert "no copy collected from JupyterHub user 'carol'" in listed and "bob: two copies" in listed


def test_a_hub_file_changed_after_collection_is_reported(key, tmp_path):
    root = hub_folder(tmp_path / "collected", {"alice/ex01.ipynb": notebook(None, None)}, {})
    (root / "alice" / "ex01.ipynb").write_bytes(notebook({}, None))
    _, report = grade(key, tmp_path, root)
    assert "changed since it was collected" in problems(report)
