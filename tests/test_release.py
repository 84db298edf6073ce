"""The learner edition (``innovation-course release``): everything learners need, no answer anywhere.

The answers are read from ``solutions/`` and from the lessons' self-checks in ``notebooks/`` (never typed
here): each question's ``answer=``/``rubric=`` source text, its written answers, model answers, rubrics and
explanations, and the code of every solution block. None may appear in any file of the release; the release's
keys must still mark the solutions' answers right (keyed, not just removed).
"""

from __future__ import annotations

import ast
import json
import subprocess
import tomllib
from pathlib import Path

import nbformat
import pytest
from leak_support import SOURCES, secrets_of

from innovation_course.classroom import release
from innovation_course.classroom.cli import main
from innovation_course.engine.keys import key_for
from innovation_course.engine.scoring import CORRECT, score
from innovation_course.engine.spec import workbook_header

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("release") / "learners"
    assert main(["release", str(target), "--url", "https://github.com/my-uni/course-learners"]) == 0
    return target


def release_texts(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8", errors="replace")
            for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts}


def test_the_sources_have_answers_to_hide():
    found = [secrets_of(p) for p in SOURCES]
    assert sum(len(a) for a, _ in found) > 50  # the tests below would otherwise prove nothing
    assert sum(len(v) for _, c in found for v in c.values()) > 5


def test_no_answer_from_solutions_or_lessons_appears_in_the_release(edition):
    texts = release_texts(edition)
    leaks = [(path.name, secret[:60], name) for path in SOURCES for secret in secrets_of(path)[0]
             for name, text in texts.items() if secret in text]
    assert not leaks, f"answers found in the learner edition: {leaks[:10]}"


def test_no_question_cell_carries_its_answer(edition):
    leaks = []
    for path in SOURCES:
        shipped = edition / ("exercises" if path.parent.name == "solutions" else "notebooks") / path.name
        nb = nbformat.read(shipped, as_version=4)
        for call, _ in release.lesson_calls(nb):
            cell = nbformat.writes(nbformat.from_dict({**nb, "cells": [nb.cells[call.cell]]}))
            leaks += [(path.name, call.spec["id"], s) for s in secrets_of(path)[1].get(call.spec["id"], [])
                      if s in cell or json.dumps(s)[1:-1] in cell]
    assert not leaks, f"question cells carrying their answers: {leaks[:10]}"


def test_the_release_has_what_learners_and_binder_need_and_no_solutions(edition):
    files = set(subprocess.run(["git", "-C", str(edition), "ls-files"], capture_output=True, text=True,
                               check=True).stdout.split())
    assert not any(f.startswith("solutions/") or "/solutions/" in f for f in files)
    for name in ("README.md", "environment.yml", "pyproject.toml", "data/datapackage.json",
                 "innovation_course/engine/workbook.py", "notebooks/00_start_here.ipynb"):
        assert name in files, name
    assert {f"exercises/{p.name}" for p in (ROOT / "solutions").glob("ex*.ipynb")} <= files
    assert {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")} <= files
    for name in (*release.ENVIRONMENT_FILES, *release.ENVIRONMENT_DIRS):  # e.g. a postBuild or a Lab override
        if (ROOT / name).exists():
            assert any(f == name or f.startswith(f"{name}/") for f in files), f"{name} is not shipped"
    project = tomllib.loads((edition / "pyproject.toml").read_text())
    for listed in project.get("tool", {}).get("setuptools", {}).get("data-files", {}).values():
        assert set(listed) <= files, f"pyproject.toml installs files the release lacks: {set(listed) - files}"
    readme = (edition / "README.md").read_text()
    assert "mybinder.org/v2/gh/my-uni/course-learners/main?urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme
    assert "<OWNER>" not in readme


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_release_keys_mark_the_teachers_answers_right(edition, path):
    teacher_nb = nbformat.read(path, as_version=4)
    teacher = release.lesson_questions(teacher_nb)
    if not teacher:
        pytest.skip("no questions")
    shipped = edition / ("exercises" if path.parent.name == "solutions" else "notebooks") / path.name
    learner_nb = nbformat.read(shipped, as_version=4)
    learner = release.lesson_questions(learner_nb)
    workbook = workbook_header(teacher_nb)["id"]
    assert workbook_header(learner_nb)["id"] == workbook and set(learner) == set(teacher)
    for qid, question in teacher.items():
        built = learner[qid]
        assert built.answer is None and built.rubric in (None, [], ())
        if question.auto_graded and question.answer is not None:
            assert built.key and built.key["scheme"] != "plain", f"{qid}: no hashed key"
            assert score(built, key_for(built, workbook), question.model_answer).status == CORRECT, qid
    assert learner_nb.metadata["innovation_course"]["workbook"] == workbook
    for index in {c.cell for c, _ in release.lesson_calls(learner_nb)}:
        cell = learner_nb.cells[index]
        assert cell.outputs == [] and cell.metadata["jupyter"]["source_hidden"] is True
        ast.parse(cell.source)


def test_lessons_keep_their_charts(edition):
    lesson = ROOT / "notebooks" / "01_policy_framework.ipynb"
    teacher = nbformat.read(lesson, as_version=4)
    shipped = nbformat.read(edition / "notebooks" / lesson.name, as_version=4)
    asked = {c.cell for c, _ in release.lesson_calls(teacher)}
    kept = [i for i, c in enumerate(teacher.cells) if c.cell_type == "code" and c.outputs and i not in asked]
    assert kept, "the lesson has no outputs to keep"
    assert all(shipped.cells[i].outputs == teacher.cells[i].outputs for i in kept)


def test_a_second_release_is_a_commit_on_the_named_branch(edition, tmp_path):
    head = subprocess.run(["git", "-C", str(edition), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    url = "https://github.com/my-uni/course-learners"
    assert release.release(edition, "main", url) == head  # nothing changed: no new commit
    new = release.release(edition, "spring-2027", message="Spring class")
    log = subprocess.run(["git", "-C", str(edition), "log", "--format=%s", "spring-2027"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert log == ["Spring class"] and new != head
    (edition / "README.md").write_text("a learner's change")
    with pytest.raises(release.ReleaseError, match="uncommitted changes"):
        release.release(edition, "main")


def test_release_refuses_a_folder_that_is_not_a_repository(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["release", str(tmp_path)]) == 2
    assert "not a git repository" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_binder_links_for_other_hosts():
    assert release.binder_url("https://gitlab.com/uni/course", "main").startswith(
        "https://mybinder.org/v2/gl/uni%2Fcourse/main?")
    assert release.binder_url("https://git.example.edu/c.git", "b").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.edu%2Fc/b?")
    json.dumps(release.learner_readme(None, "main"))  # no URL: still a README


def test_the_editions_pages_are_whole(edition):
    """Issue 18: lesson 0 linked to docs/grading.md and docs/instructor-guide.md, which the edition does not hold,
    and data/SOURCES.md showed "US$ … US$" as mathematics in JupyterLab."""
    assert release.edition_problems(edition) == []
    start = nbformat.read(edition / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in start.cells)
    assert "docs/grading.md" not in text and "For teachers" not in text and "seeds README" not in text
    sources = (edition / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert "US\\$" in sources and not release.DOLLAR.findall(release.CODE.sub("", sources))


def test_a_link_to_a_page_the_edition_does_not_hold_stops_the_release(tmp_path):
    page = tmp_path / "notebooks" / "lesson.md"
    page.parent.mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a\n")
    page.write_text("[guide](../docs/instructor-guide.md), [data](../data/x.csv), [web](https://example.org), "
                    "[here](#top), `US$ … US$` in code, and US\\$ 5 or US\\$ 6.")
    assert release.edition_problems(tmp_path) == [
        "notebooks/lesson.md: links to ../docs/instructor-guide.md, which the learner edition does not hold"]
    page.write_text("US$ 5 and US$ 6")
    assert release.edition_problems(tmp_path) == [
        "notebooks/lesson.md: unescaped '$' signs, which JupyterLab reads as mathematics"]


def test_a_release_with_site_and_hub_publishes_the_website_and_links_the_hub(tmp_path):
    import shlex

    import yaml

    from innovation_course.classroom.publish import site

    url, hub = "https://github.com/my-uni/course-learners", "hub.example.edu"
    target = tmp_path / "learners"
    assert main(["release", str(target), "--url", url, "--hub", hub, "--site", "--branch", "spring"]) == 0
    workflow = yaml.safe_load((target / release.SITE_WORKFLOW).read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["spring"]  # YAML reads the key `on` as True
    build = workflow["jobs"]["build"]["steps"]
    command = next(s["run"] for s in build if "innovation-course site" in s.get("run", ""))
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    command = command.replace("${{ github.server_url }}/${{ github.repository }}", url) \
                     .replace("${{ github.ref_name }}", "spring")
    parser = __import__("argparse").ArgumentParser()
    site.add_arguments(parser)
    args = parser.parse_args(shlex.split(command)[2:])  # the command the workflow runs is one our CLI takes
    assert (args.url, args.branch, args.hub, str(args.out)) == (url, "spring", hub, upload["with"]["path"])
    assert any('".[site]"' in s.get("run", "") for s in build)
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "https://my-uni.github.io/course-learners/" in readme
    assert ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fmy-uni%2F"
            "course-learners&branch=spring&urlpath=lab/tree/course-learners/notebooks/00_start_here.ipynb") in readme
    assert "_site/" in (target / ".gitignore").read_text(encoding="utf-8")


def test_a_release_without_site_has_no_workflow_and_hub_needs_a_url(edition, tmp_path, capsys):
    assert not (edition / release.SITE_WORKFLOW).exists()
    assert "Read it on the web" not in (edition / "README.md").read_text(encoding="utf-8")
    assert main(["release", str(tmp_path / "x"), "--hub", "hub.example.edu"]) == 2
    assert "--hub needs --url" in capsys.readouterr().err
