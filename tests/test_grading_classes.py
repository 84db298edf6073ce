"""Grading random classes (hypothesis): learners in every LMS layout, resubmissions, typed IDs (shared,
reserved, naming other accounts), nested zips with other learners' names inside, hub users. Whatever the
class: one counted row per account and workbook, the newest submission counts, nobody's file supersedes
another account's, and every input is accounted for."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.accounts import resolve_all
from innovation_course.classroom.grading.answerkey import AnswerKey
from innovation_course.classroom.grading.batch import mark_all
from innovation_course.classroom.grading.collect import Limits, Submission, read_zip
from innovation_course.engine.spec import parse_workbook

SOLUTION = synthetic.workbook_notebook()
SPEC = parse_workbook(SOLUTION)
KEY = AnswerKey()
KEY.add(SPEC)
RIGHT = synthetic.correct_answers(SPEC)
LAYOUTS = ("canvas", "moodle-folder", "moodle-flat", "plain-typed", "plain-untyped", "hub")


def notebook(who: dict | None, answers: dict) -> bytes:
    return synthetic.to_bytes(synthetic.with_answers(SOLUTION, answers, who))


def zipped(members: dict[str, tuple[bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, (data, day) in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 1, day, 0, 0, 0) if day < 99 else (2099, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


@st.composite
def classes(draw):
    n = draw(st.integers(1, 7))
    learners = [{"i": i, "layout": draw(st.sampled_from(LAYOUTS)), "copies": draw(st.integers(1, 3))}
                for i in range(n)]
    typed_pool = ["s1", "s2", "s3", "canvas-100", "moodle-200", "hub-u0", "file-x", ""]
    canvas, moodle, loose = {}, {}, []
    expected: dict[str, str] = {}   # origin → account
    ranks: dict[str, tuple] = {}    # origin → (date, resubmission): which file is newer
    newest: dict[str, tuple] = {}   # account → (date, resubmission) of its newest file
    plain_ids: dict[str, set] = defaultdict(set)
    plans = []
    for learner in learners:
        i = learner["i"]
        for copy in range(learner["copies"]):
            typed = "" if learner["layout"] == "plain-untyped" else draw(st.sampled_from(typed_pool))
            who = {"name": f"Learner {i}", "id": typed} if typed or draw(st.booleans()) else None
            answers = draw(st.sampled_from([RIGHT, {}, {"plan-year": "2006"}, {"plan-year": "2015", "essay": "x y"}]))
            nested = learner["layout"] in ("canvas", "moodle-folder") and draw(st.booleans())
            plans.append((learner, copy, who, answers, nested))
            if learner["layout"] == "plain-typed" and who and who["id"] and not who["id"].startswith(
                    ("canvas-", "moodle-", "hub-", "file-")):
                plain_ids[who["id"]].add(i)
    for learner, copy, who, answers, nested in plans:
        i, layout, day = learner["i"], learner["layout"], 1 + copy
        data = notebook(who, answers)
        if layout == "canvas":
            name = f"learner{i}_{100 + i}_{5000 + 10 * i + copy}_ex01{f'-{copy}' if copy else ''}"
            account = f"canvas-{100 + i}"
            if nested:  # a zip of the learner's, holding a file named as another learner's, dated 2099
                inner = zipped({f"victim_{100 + (i + 1) % n}_1_ex01.ipynb": (data, 99)})
                canvas[f"{name}.zip"] = (inner, day)
                origin = f"canvas.zip!{name}.zip!victim_{100 + (i + 1) % n}_1_ex01.ipynb"
            else:
                canvas[f"{name}.ipynb"] = (data, day)
                origin = f"canvas.zip!{name}.ipynb"
            rank = (day, copy)
        elif layout.startswith("moodle"):
            folder = f"Learner {i}_{200 + i}_assignsubmission_file_"
            account = f"moodle-{200 + i}"
            member = f"{folder}/v{copy}/ex01.ipynb" if layout == "moodle-folder" else f"{folder}ex01-v{copy}.ipynb"
            if nested:
                inner = zipped({f"Other_{200 + (i + 1) % n}_assignsubmission_file_/ex01.ipynb": (data, 99)})
                member = f"{folder}/v{copy}/work.zip"
                moodle[member] = (inner, day)
                origin = f"moodle.zip!{member}!Other_{200 + (i + 1) % n}_assignsubmission_file_/ex01.ipynb"
            else:
                moodle[member] = (data, day)
                origin = f"moodle.zip!{member}"
            rank = (day, 0)
        else:
            path = f"learner{i}/copy{copy}.ipynb"
            origin = f"class/{path}"
            hub = f"u{i}" if layout == "hub" else ""
            loose.append(Submission(origin, path, float(day), data, hub_user=hub))
            typed = (who or {}).get("id", "")
            if hub:
                account = f"hub-u{i}"
            elif layout == "plain-typed" and typed in plain_ids:
                account = typed if len(plain_ids[typed]) == 1 else f"{typed} (Learner {i})"
            else:
                account = f"file-learner{i}/copy{copy}"  # named inside its input, not by the folder
            rank = (day, 0)
        expected[origin] = account
        ranks[origin] = rank
        newest[account] = max(newest.get(account, rank), rank)
    subs = list(loose)
    if canvas:
        subs += list(read_zip(zipped(canvas), "canvas.zip", Limits()))
    if moodle:
        subs += list(read_zip(zipped(moodle), "moodle.zip", Limits()))
    return subs, expected, ranks, newest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(classes())
def test_every_random_class_is_sorted_out_account_by_account(case):
    subs, expected, ranks, newest = case
    marked, _ = resolve_all(mark_all(subs, KEY))
    assert sorted(m.origin for m in marked) == sorted(expected)  # every input accounted for, once
    counted: dict[tuple[str, str], list] = defaultdict(list)
    for item in marked:
        assert item.learner.id == expected[item.origin], (item.origin, item.learner)  # nobody else's account
        assert item.status != "rejected", item.reason
        if item.counted:
            counted[(item.learner.id, item.workbook)].append(item)
    assert sorted(a for a, _ in counted) == sorted(set(expected.values()))
    for (account, _), items in counted.items():
        assert len(items) == 1, items  # one row per account and workbook
        assert ranks[items[0].origin] == newest[account], (items[0].origin, newest[account])  # the newest counts
