"""``innovation-course collect``: one workbook from each hub home folder, odd homes reported, a manifest.

Homes are built here from the real built workbook (exercises/, or built from solutions/ when absent), with
answers written as records, so the files are what learners' saved workbooks are.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nbformat
import pytest

from innovation_course.classroom.build import build_notebook
from innovation_course.classroom.cli import main
from innovation_course.classroom.hub import collect as hubcollect
from innovation_course.engine import records
from innovation_course.engine.spec import parse_workbook

ROOT = Path(__file__).resolve().parents[1]
NAME = "ex01_policy_framework.ipynb"


@pytest.fixture(scope="module")
def blank() -> nbformat.NotebookNode:
    built = ROOT / "exercises" / NAME
    if built.exists():
        return nbformat.read(built, as_version=4)
    return build_notebook(nbformat.read(ROOT / "solutions" / NAME, as_version=4), "self-study", f"solutions/{NAME}")


def answered(blank, typed_name: str) -> str:
    """The workbook with an identity typed by the learner and one answer, as saved by Jupyter."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(blank)))
    spec = parse_workbook(nb)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    qid = next(iter(spec.questions))
    cell.outputs = [nbformat.v4.new_output("display_data", data=records.bundle(
        records.make_record(spec.id, spec.version, records.IDENTITY, "identity", {"name": typed_name, "id": "x"}),
        f"Learner: {typed_name}")), nbformat.v4.new_output("display_data", data=records.bundle(
            records.make_record(spec.id, spec.version, qid, spec.questions[qid].kind, None), "none"))]
    return nbformat.writes(nb)


def put(path: Path, text: str, mtime: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def homes(tmp_path, blank) -> Path:
    root = tmp_path / "homes"
    # alice: one copy, where nbgitpuller put it; she typed someone else's name: the folder decides
    put(root / "alice" / "learners" / "exercises" / NAME, answered(blank, "Bob Impostor"), 1_000_000)
    # bob: two copies (a renamed duplicate is newer)
    put(root / "bob" / "learners" / "exercises" / NAME, answered(blank, "Bob"), 1_000_000)
    put(root / "bob" / "ex01_policy_framework-Copy1.ipynb", answered(blank, "Bob"), 2_000_000)
    # carol: a home with the lesson only
    put(root / "carol" / "learners" / "notebooks" / "01_policy_framework.ipynb", "{}", 1_000_000)
    # dave: the workbook is a truncated file
    put(root / "dave" / "learners" / "exercises" / NAME, answered(blank, "Dave")[:500], 1_000_000)
    # erin: the workbook is a link to another user's file (out of her home): refused
    target = put(tmp_path / "elsewhere" / NAME, answered(blank, "Erin"), 1_000_000)
    (root / "erin" / "learners" / "exercises").mkdir(parents=True)
    (root / "erin" / "learners" / "exercises" / NAME).symlink_to(target)
    # frank: a checkpoint copy only (Jupyter's autosave, not the learner's file)
    put(root / "frank" / "learners" / "exercises" / ".ipynb_checkpoints" / "ex01_policy_framework-checkpoint.ipynb",
        answered(blank, "Frank"), 1_000_000)
    # gina: renamed the file; found by the workbook id in its metadata
    put(root / "gina" / "my work.ipynb", answered(blank, "Gina"), 1_000_000)
    return root


def test_collect_takes_one_workbook_per_home_and_reports_odd_homes(homes, tmp_path, capsys):
    out = tmp_path / "collected"
    assert main(["collect", str(homes), "--workbook", "ex01", "--out", str(out)]) == 0
    manifest = json.loads((out / "hub-collection.json").read_text())
    assert manifest["schema"] == "innovation-course/hub-collection" and manifest["schema_version"] == 1
    assert manifest["workbook"] == "ex01"
    files = {f["user"]: f for f in manifest["files"]}
    assert sorted(files) == ["alice", "bob", "gina"]
    assert sorted(manifest["missing"]) == ["carol", "dave", "erin", "frank"]
    problems = "\n".join(manifest["problems"])
    assert "bob: 2 copies" in problems and "ex01_policy_framework-Copy1.ipynb" in files["bob"]["path"]
    assert "dave:" in problems and "not a notebook" in problems
    assert "erin:" in problems and "a link to a file outside the learner's own folder" in problems
    for user, entry in files.items():
        copied = out / entry["path"]
        assert entry["path"].startswith(f"{user}/")
        assert hashlib.sha256(copied.read_bytes()).hexdigest() == entry["sha256"]
        assert copied.stat().st_mtime == entry["mtime"]
    # identified by the home folder, whatever was typed
    assert files["alice"]["user"] == "alice"
    assert "Bob Impostor" in (out / files["alice"]["path"]).read_text()
    err = capsys.readouterr().err
    assert "no ex01 workbook: carol, dave, erin, frank" in err


def test_an_unreadable_file_is_reported_not_skipped(homes, tmp_path, monkeypatch):
    real = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).parent.parent.parent.name == "alice" and Path(path).name == NAME:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert "alice" in result.missing
    assert any(p.startswith("alice:") and "cannot be read (Permission denied)" in p for p in result.problems)


def test_the_grader_reads_the_folder_by_the_manifest(homes, tmp_path):
    out = tmp_path / "collected"
    hubcollect.collect(homes, "ex01", out)
    assert not (out / "dave").exists() and not (out / "erin").exists()
    assert {p.parent.name for p in out.rglob("*.ipynb")} == {"alice", "bob", "gina"}


def test_collect_refuses_bad_input(tmp_path, capsys):
    assert main(["collect", str(tmp_path / "nope"), "--workbook", "ex01", "--out", str(tmp_path / "o")]) == 2
    assert "not a folder of home folders" in capsys.readouterr().err
    assert main(["collect", str(tmp_path), "--workbook", "../x", "--out", str(tmp_path / "o")]) == 2
    (tmp_path / "file").write_text("x")
    assert main(["collect", str(tmp_path), "--workbook", "ex01", "--out", str(tmp_path / "file")]) == 2


def test_an_empty_class_writes_a_manifest_and_fails(tmp_path):
    (tmp_path / "homes" / "zoe").mkdir(parents=True)
    assert main(["collect", str(tmp_path / "homes"), "--workbook", "ex01", "--out", str(tmp_path / "o")]) == 1
    assert json.loads((tmp_path / "o" / "hub-collection.json").read_text())["missing"] == ["zoe"]


def test_answers_only_in_the_journal_are_reported(homes, tmp_path, blank):
    import datetime as dt

    from innovation_course.engine import journal

    spec = parse_workbook(blank)
    qid = next(iter(spec.questions))
    folder = homes / "alice" / "learners" / "exercises"
    now = dt.datetime.now(dt.UTC).isoformat()
    record = records.make_record(spec.id, spec.version, qid, spec.questions[qid].kind,
                                 "an answer given after the last save", answered_at=now)
    # written by alice's kernel on the hub, where her home is /home/jovyan
    journal.write_record(record, "a" * 32, Path("/home/jovyan") / folder.relative_to(homes / "alice") / NAME,
                         folder=homes / "alice" / journal.IN_HOME)
    result = hubcollect.collect(homes, "ex01", tmp_path / "out")
    assert any(p.startswith("alice: 1 answer(s) in the journal are newer") for p in result.problems)
    assert "alice" in {f["user"] for f in result.files}  # still collected: the saved file is what is graded
