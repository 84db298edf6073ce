"""Grading: every kind of bad input is listed with a status and a reason, and never stops the batch."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import struct
import zipfile
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.collect import Limits, collect, read_zip
from innovation_course.classroom.grading.identify import from_path, identify, safe_id
from innovation_course.classroom.grading.mark import load_notebook, mark
from innovation_course.engine.spec import parse_workbook

DEMO = synthetic.DEMO_ID


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key", workbooks=(DEMO, "zz-other"))


@pytest.fixture
def solution() -> dict:
    return synthetic.workbook_notebook()


def answered(answers: dict | None = None, who: dict | None = None, **kw) -> dict:
    """A learner's demo submission; all answers right unless given."""
    nb = synthetic.workbook_notebook()
    right = synthetic.correct_answers(parse_workbook(nb))
    return synthetic.with_answers(nb, right if answers is None else answers, who, **kw)


def grade(key: Path, out: Path, *inputs: Path | str, extra: tuple[str, ...] = ()) -> dict[str, dict]:
    """Run the CLI; the gradebook as source file → row."""
    assert main(["grade", *map(str, inputs), "--out", str(out), "--key", str(key), "--jobs", "1", "--force",
                 *extra]) in (0, 1)
    return gradebook(out)


def gradebook(out: Path) -> dict[str, dict]:
    """Rows by source file; files are named relative to their input, here keyed back by their path beside
    the output folder (``in/a.ipynb`` → ``<tmp>/in/a.ipynb``)."""
    text = (out / "gradebook.csv").read_text(encoding="utf-8-sig")
    return {str(out.parent / row["source_file"]): row for row in csv.DictReader(io.StringIO(text))}


def submission(nb: dict, path: Path):
    """Save a notebook and collect it back as a submission."""
    synthetic.save(nb, path)
    return collect([path])[0]


def only(rows: dict[str, dict]) -> dict:
    assert len(rows) == 1, rows
    return next(iter(rows.values()))


def zip_bytes(members: dict[str, bytes], dates: dict[str, tuple] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (dates or {}).get(name, (2025, 3, 1, 12, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


# --- files that are not notebooks -------------------------------------------------------------------

@pytest.mark.parametrize(("content", "reason"), [
    (b"{not json at all", "not JSON"),
    (synthetic.to_bytes(answered())[:500], "truncated"),
    (b'{"hello": "world"}', "not a notebook"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}).encode(), "v3 is too old"),
    (b"", "empty file"),
    ("{\"caf\u00e9\": 1}".encode("latin-1"), "not UTF-8"),
    (b"[1, 2, 3]", "not a notebook"),
])
def test_unreadable_notebooks_are_rejected_with_a_reason(key, tmp_path, content, reason):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.ipynb").write_bytes(content)
    synthetic.save(answered(who={"name": "Good", "id": "g1"}), tmp_path / "in" / "good.ipynb")
    rows = grade(key, tmp_path / "out", tmp_path / "in")
    bad, good = rows[str(tmp_path / "in" / "bad.ipynb")], rows[str(tmp_path / "in" / "good.ipynb")]
    assert bad["status"] == "rejected" and reason in bad["reason"], bad
    assert good["status"] == "graded" and good["percent"] == "72.7"  # the free response waits for the teacher


def test_other_files_and_missing_inputs_are_listed(key, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    rows = grade(key, tmp_path / "out", tmp_path / "notes.pdf", tmp_path / "nowhere.ipynb")
    assert rows[str(tmp_path / "notes.pdf")]["reason"] == "not a notebook (.pdf file)"
    assert rows[str(tmp_path / "nowhere.ipynb")]["reason"] == "no such file or folder"


def test_a_very_large_file_is_rejected_unread(key, tmp_path, monkeypatch):
    big = tmp_path / "big.ipynb"
    with big.open("wb") as stream:  # sparse: 21 MB on paper, nothing on disk
        stream.truncate(21 * 2**20)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    row = only(grade(key, tmp_path / "out", big))
    assert row["status"] == "rejected" and "too large" in row["reason"] and "not read" in row["reason"]


# --- workbooks that are not quite right -------------------------------------------------------------

def test_a_workbook_from_another_lesson_is_rejected(key, tmp_path, solution):
    nb = synthetic.with_answers(solution, {"plan-year": "2015"}, {"name": "A", "id": "a"}, workbook="ex99-unknown")
    synthetic.save(nb, tmp_path / "a.ipynb")
    row = only(grade(key, tmp_path / "out", tmp_path / "a.ipynb"))
    assert row["status"] == "rejected" and "unknown workbook 'ex99-unknown'" in row["reason"]
    assert row["workbook"] == "ex99-unknown" and row["learner_id"] == "a"


def test_each_workbook_is_graded_against_its_own_key(key, tmp_path, solution):
    demo = answered(who={"name": "A", "id": "a"})
    other = synthetic.with_answers(solution, {"plan-year": "2006"}, {"name": "A", "id": "a"}, workbook="zz-other")
    synthetic.save(demo, tmp_path / "in" / "demo.ipynb")
    synthetic.save(other, tmp_path / "in" / "other.ipynb")
    rows = grade(key, tmp_path / "out", tmp_path / "in")
    assert {r["workbook"]: r["status"] for r in rows.values()} == {DEMO: "graded", "zz-other": "graded"}
    by_workbook = {r["workbook"]: r for r in rows.values()}
    assert by_workbook[DEMO]["q:plan-year"] == "1" and by_workbook["zz-other"]["q:plan-year"] == "0"


def test_an_older_version_is_graded_on_what_matches(tmp_path):
    key = synthetic.write_key(tmp_path / "key", version="2")
    nb = synthetic.with_answers(synthetic.workbook_notebook(version="1"), {"plan-year": "2015", "old-q": "x"},
                                {"name": "A", "id": "a"}, version="1")
    synthetic.save(nb, tmp_path / "a.ipynb")
    row = only(grade(key, tmp_path / "out", tmp_path / "a.ipynb"))
    assert row["status"] == "older version" and row["workbook_version"] == "1"
    assert "key version '2'" in row["reason"] and "old-q" in row["reason"]
    assert row["q:plan-year"] == "1" and row["total"] == "1"


def test_answers_to_unknown_questions_are_ignored_and_reported(key, tmp_path):
    synthetic.save(answered({"plan-year": "2015", "ghost": 1, "ghost-2": [1]}, {"name": "A", "id": "a"}),
                   tmp_path / "a.ipynb")
    row = only(grade(key, tmp_path / "out", tmp_path / "a.ipynb"))
    assert row["status"] == "graded" and row["total"] == "1"
    assert "ignored answers to unknown questions: ghost, ghost-2" in row["reason"]
    assert "q:ghost" not in row


def test_answers_of_the_wrong_type_are_invalid(tmp_path):
    key = load_key(synthetic.write_key(tmp_path / "key"))
    wrong = {"plan-year": ["2015"], "pillars": "Business", "rd-share": "lots", "plans-order": {"a": 1},
             "cities": ["Beijing"], "district": {"x": 1}, "growth": 10**400, "essay": 42}
    result = mark(submission(answered(wrong, {"name": "A", "id": "a"}), tmp_path / "a.ipynb"), key)
    assert {m.id: m.status for m in result.marks} == dict.fromkeys(wrong, "invalid")
    assert result.total == 0 and result.status == "graded"


def test_multiple_choice_with_numbers_for_options_reads_them_as_the_options_like_single_choice(tmp_path):
    questions = [{"id": "m", "kind": "multiple", "prompt": "Pick", "options": ["1", "2"], "answer": ["1"]}]
    synthetic.save(synthetic.workbook_notebook(questions=questions), tmp_path / "key" / "k.ipynb")
    key = load_key(tmp_path / "key")
    nb = synthetic.with_answers(synthetic.workbook_notebook(questions=questions), {"m": [1]}, None)
    assert mark(submission(nb, tmp_path / "s.ipynb"), key).marks[0].status == "correct"
    nb = synthetic.with_answers(synthetic.workbook_notebook(questions=questions), {"m": [3]}, None)
    assert mark(submission(nb, tmp_path / "s.ipynb"), key).marks[0].status == "invalid"


def test_an_empty_workbook_has_every_question_missing(key, tmp_path):
    synthetic.save(synthetic.workbook_notebook(hashed=True), tmp_path / "blank.ipynb")
    row = only(grade(key, tmp_path / "out", tmp_path / "blank.ipynb"))
    assert row["status"] == "empty" and row["total"] == "0" and row["identified_by"] == "file name"
    sheet = (tmp_path / "out" / "feedback" / "file-blank.html").read_text()
    assert sheet.count("○ No answer yet") == len(synthetic.DEMO_QUESTIONS)


def test_bad_records_inside_a_good_notebook_are_reported(key, tmp_path):
    nb = answered(who={"name": "A", "id": "a"})
    nb["cells"][4]["outputs"][0]["data"]["application/vnd.innovation-course.answer+json"] = {"schema": "nope"}
    nb["cells"][5]["outputs"] = "not a list"
    nb["cells"][6] = ["not", "a", "cell"]
    (tmp_path / "a.ipynb").write_text(json.dumps(nb))
    row = only(grade(key, tmp_path / "out", tmp_path / "a.ipynb"))
    assert row["status"] == "graded" and "unreadable answer records" in row["reason"]


# --- duplicates -----------------------------------------------------------------------------------

def test_the_newest_submission_counts_by_file_time(key, tmp_path):
    who = {"name": "A", "id": "a"}
    old, new = tmp_path / "in" / "z-first.ipynb", tmp_path / "in" / "a-second.ipynb"
    synthetic.save(answered(who=who), old)
    synthetic.save(answered({"plan-year": "2006"}, who), new)
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    rows = grade(key, tmp_path / "out", tmp_path / "in")
    assert rows[str(new)]["status"] == "graded"
    assert rows[str(old)]["status"] == "superseded" and "counts: a-second.ipynb" in rows[str(old)]["reason"]
    assert str(tmp_path) not in (tmp_path / "out" / "gradebook.csv").read_text()  # never the teacher's paths


def test_the_newest_submission_counts_by_zip_date_then_name(key, tmp_path):
    who = {"name": "A", "id": "a"}
    data = synthetic.to_bytes(answered(who=who))
    members = {"b_late.ipynb": data, "a_early.ipynb": data, "c_same_time.ipynb": data, "d_same_time.ipynb": data}
    dates = {"b_late.ipynb": (2025, 3, 2, 0, 0, 0), "a_early.ipynb": (2025, 3, 1, 0, 0, 0),
             "c_same_time.ipynb": (2025, 3, 2, 0, 0, 0), "d_same_time.ipynb": (2025, 3, 2, 0, 0, 0)}
    (tmp_path / "batch.zip").write_bytes(zip_bytes(members, dates))
    rows = grade(key, tmp_path / "out", tmp_path / "batch.zip")
    status = {origin.split("!")[1]: row["status"] for origin, row in rows.items()}
    assert status == {"a_early.ipynb": "superseded", "b_late.ipynb": "superseded",
                      "c_same_time.ipynb": "superseded", "d_same_time.ipynb": "graded"}


def test_one_typed_id_from_two_lms_accounts_is_not_a_duplicate(key, tmp_path):
    who = {"name": "Copy Cat", "id": "12345678"}
    data = synthetic.to_bytes(answered(who=who))
    (tmp_path / "canvas.zip").write_bytes(zip_bytes({"anna_11_1_zz-demo.ipynb": data, "ben_22_2_zz-demo.ipynb": data,
                                                     "ben_22_3_zz-demo-1.ipynb": data}))
    rows = grade(key, tmp_path / "out", tmp_path / "canvas.zip")
    status = sorted((r["learner_id"], r["status"]) for r in rows.values())
    assert status == [("canvas-11", "graded"), ("canvas-22", "graded"), ("canvas-22", "superseded")]
    assert all("typed ID '12345678' is also in other accounts' files" in r["reason"] for r in rows.values())
    report = (tmp_path / "out" / "report.html").read_text()
    assert "typed ID &#x27;12345678&#x27; appears in files of 2 accounts" in report
    assert sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir()) == ["canvas-11.html", "canvas-22.html"]


# --- zips ---------------------------------------------------------------------------------------

def test_canvas_and_moodle_downloads_identify_learners(key, tmp_path):
    data = synthetic.to_bytes(answered(who=None))
    typed = synthetic.to_bytes(answered(who={"name": "Li Wei", "id": "2025001"}))
    canvas = zip_bytes({"leewei_12345_67890_zz-demo.ipynb": data, "chenjing_late_222_333_zz-demo-1.ipynb": data,
                        "wangfang_444_555_zz-demo.ipynb": typed})
    moodle = zip_bytes({"Zhang San_1001_assignsubmission_file_/zz-demo.ipynb": data,
                        "Liu Yang_1002_assignsubmission_file_zz-demo.ipynb": data})
    (tmp_path / "canvas.zip").write_bytes(canvas)
    (tmp_path / "moodle.zip").write_bytes(moodle)
    rows = grade(key, tmp_path / "out", tmp_path / "canvas.zip", tmp_path / "moodle.zip")
    who = {(r["learner_id"], r["name"], r["identified_by"], r["lms_id"]) for r in rows.values()}
    assert who == {("canvas-12345", "leewei", "Canvas file name", "12345"),
                   ("canvas-222", "chenjing", "Canvas file name", "222"),
                   ("canvas-444", "Li Wei", "Canvas file name", "444"),
                   ("moodle-1001", "Zhang San", "Moodle folder", "1001"),
                   ("moodle-1002", "Liu Yang", "Moodle folder", "1002")}
    assert all(r["status"] == "graded" for r in rows.values())


def test_dangerous_zip_names_are_skipped_and_nothing_is_extracted(key, tmp_path):
    data = synthetic.to_bytes(answered(who={"name": "A", "id": "a"}))
    members = {"../escape.ipynb": data, "/etc/absolute.ipynb": data, "ok/../../up.ipynb": data,
               "C:\\win.ipynb": data, "fine.ipynb": data}
    (tmp_path / "evil.zip").write_bytes(zip_bytes(members))
    before = set(tmp_path.parent.rglob("*"))
    rows = grade(key, tmp_path / "out", tmp_path / "evil.zip")
    reasons = {origin.split("!", 1)[1]: row["reason"] for origin, row in rows.items()}
    assert rows[f"{tmp_path / 'evil.zip'}!fine.ipynb"]["status"] == "graded"
    for name in members:
        if name != "fine.ipynb":
            assert "path" in reasons[name], (name, reasons[name])
    after = set(tmp_path.parent.rglob("*"))
    assert {p for p in after - before if tmp_path / "out" not in (p, *p.parents)} == set()


def test_a_zip_bomb_is_stopped_by_declared_size(key, tmp_path):
    bomb = zip_bytes({"bomb.ipynb": b"\0" * (21 * 2**20)})
    assert len(bomb) < 100_000
    (tmp_path / "bomb.zip").write_bytes(bomb)
    row = only(grade(key, tmp_path / "out", tmp_path / "bomb.zip"))
    assert row["status"] == "rejected" and "too large" in row["reason"]


def _lie_about_size(data: bytes, size: int) -> bytes:
    """Rewrite a one-member zip's declared uncompressed size in both headers."""
    data = bytearray(data)
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


def test_a_zip_bomb_with_lying_headers_is_stopped_while_reading(tmp_path):
    limits = Limits(file_bytes=10_000)
    honest = zip_bytes({"x.ipynb": b"\0" * 1_000_000})
    subs = list(read_zip(_lie_about_size(honest, 100), "lying.zip", limits))
    assert len(subs) == 1 and subs[0].data is None and "damaged" in subs[0].problem
    subs = list(read_zip(_lie_about_size(honest, 5_000), "lying.zip", Limits(file_bytes=6_000)))
    assert subs[0].data is None and subs[0].problem


def test_the_size_budget_belongs_to_one_upload_never_to_the_download(tmp_path):
    """Issue 17: one learner's upload that expanded to the archive's limit got every classmate rejected."""
    members = {f"m{i}.ipynb": bytes(1000) for i in range(6)}
    subs = list(read_zip(zip_bytes(members), "many.zip", Limits(upload_bytes=2500)))
    assert all(s.data is not None for s in subs)  # each file of a download is an upload of its own
    inner = zip_bytes(members)
    download = zip_bytes({"ann_1_2_work.zip": inner, "bob_3_4_ex01.ipynb": bytes(1000),
                          "cat_5_6_ex01.ipynb": bytes(1000)})
    subs = list(read_zip(download, "download.zip", Limits(upload_bytes=len(inner) + 2500)))
    ann = [s for s in subs if s.entry == "ann_1_2_work.zip"]
    assert [s.data is not None for s in ann] == [True, True, False, False, False, False]
    assert "more than" in ann[2].problem and "used up" in ann[3].problem
    assert [s.data is not None for s in subs if not s.entry] == [True, True]  # classmates untouched
    subs = list(read_zip(zip_bytes(members), "many.zip", Limits(zip_members=3)))
    assert len(subs) == 4 and "members (limit 3)" in subs[3].problem


def test_nested_zips_one_level_deep(key, tmp_path):
    data = synthetic.to_bytes(answered(who={"name": "A", "id": "a"}))
    inner = zip_bytes({"inner.ipynb": data})
    innermost = zip_bytes({"deep.zip": zip_bytes({"deep.ipynb": data})})
    (tmp_path / "outer.zip").write_bytes(zip_bytes({"inner.zip": inner, "twice.zip": innermost}))
    rows = grade(key, tmp_path / "out", tmp_path / "outer.zip")
    by_name = {origin.rsplit("!", 1)[1]: row for origin, row in rows.items()}
    assert by_name["inner.ipynb"]["status"] == "graded"
    assert by_name["deep.zip"]["status"] == "rejected" and "nested too deeply" in by_name["deep.zip"]["reason"]


def test_broken_and_empty_zips(key, tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "empty.zip").write_bytes(zip_bytes({}))
    rows = grade(key, tmp_path / "out", tmp_path / "broken.zip", tmp_path / "empty.zip")
    assert "not a readable zip" in rows[str(tmp_path / "broken.zip")]["reason"]
    assert rows[str(tmp_path / "empty.zip")]["reason"] == "zip holds no files"


# --- identities and names ---------------------------------------------------------------------------

def test_the_lms_account_wins_over_the_typed_id_which_counts_for_plain_files_only():
    canvas = identify({"name": "Li Wei", "id": " 42 "}, "leewei_1_2_x.ipynb")
    assert (canvas.id, canvas.name, canvas.typed_id) == ("canvas-1", "Li Wei", "42")
    assert identify({"name": "Li Wei", "id": " 42 "}, "folder/x.ipynb").id == "42"
    assert identify({"name": "Li Wei"}, "leewei_1_2_x.ipynb").name == "Li Wei"
    assert identify({"id": ["odd"]}, "folder/stem.ipynb").identified_by == "file name"
    for typed in ("moodle-222", "Canvas-5", "hub-bob", "file-x"):
        learner = identify({"name": "Eve", "id": typed}, "eve.ipynb", "in/eve.ipynb")
        assert learner.id == "file-eve" and "reserved prefix" in learner.note
    assert from_path("a/Full Name_7_assignsubmission_file_/x.ipynb").lms_id == "7"


@pytest.mark.parametrize("learner_id", ["../../etc/passwd", "a/b", "..", "CON", "", "名字", "x" * 300, "a\\b"])
def test_safe_ids_are_plain_file_names(learner_id):
    name = safe_id(learner_id)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".") and len(name) < 100
    assert name != safe_id(learner_id + "!")


def test_notebooks_load_with_a_bom_and_reject_v5():
    assert load_notebook(b"\xef\xbb\xbf" + synthetic.to_bytes(answered()))["nbformat"] == 4
    with pytest.raises(ValueError, match="newer"):
        load_notebook(b'{"nbformat": 5, "cells": []}')


def test_random_answers_make_a_spread_of_marks(tmp_path):
    key = load_key(synthetic.write_key(tmp_path / "key"))
    spec = key.specs[DEMO]
    rng = random.Random(3)
    for i in range(20):
        synthetic.save(synthetic.with_answers(synthetic.workbook_notebook(), synthetic.random_answers(spec, rng),
                                              {"name": f"L{i}", "id": f"l{i}"}), tmp_path / "in" / f"{i}.ipynb")
    totals = {mark(sub, key).total for sub in collect([tmp_path / "in"])}
    assert len(totals) > 5
