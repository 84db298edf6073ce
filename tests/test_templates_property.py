"""Property tests of every question template, the course's and the exam bank's (issue 20): whatever variant a
template draws, its answer is computed from the data (and equals what the course's findings compute by another
road), its distractors and slips are distinct and never accepted, and an answer earns the same points in the
learner's kernel as in the grader."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation_course import findings
from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import AnswerKey
from innovation_course.classroom.grading.collect import Submission
from innovation_course.classroom.grading.mark import mark
from innovation_course.content.style import label_for
from innovation_course.engine import answers, scoring, workbook
from innovation_course.engine.keys import compile_key
from innovation_course.engine.questions import make_question
from innovation_course.engine.spec import importable_from, parse_workbook
from innovation_course.engine.templates import Template, instantiate
from innovation_course.engine.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "solutions" / "exam"
with importable_from(BANK):
    import exam_findings

COURSE = {t.name: t for t in vars(findings).values() if isinstance(t, Template)}
EXAM = {t.name: t for t in vars(exam_findings).values() if isinstance(t, Template)}
ALL = {**COURSE, **EXAM}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _gerd(iso3, year, measure):
    return findings.gerd_value(iso3, year, measure)


def _by_spending(p):
    group = p["economies"].split(",")
    values = {iso3: _gerd(iso3, p["year"], p["measure"]) for iso3 in group}
    return [label_for(iso3) for iso3 in sorted(group, key=values.get, reverse=True)]


def _pct_leader(p):
    values = {iso3: findings.pct_value(iso3, p["technology"], p["year"]) for iso3 in findings.PCT_ECONOMIES}
    return label_for(max(values, key=values.get))


#: each template's answer, computed by the course's findings functions (another road than the template's own)
BY_FINDINGS = {
    "intensity-in-year": lambda p: findings.rd_intensity(p["source"], p["year"]),
    "gap-to-target": lambda p: findings.target_gap(p["source"], p["year"]),
    "spending-multiple": lambda p: findings.gerd_ratio("CHN", p["economy"], p["year"], "current"),
    "basic-share-in-year": lambda p: findings.basic_research_share(p["year"]),
    "region-share": lambda p: findings.city_region_share_of_national(p["region"], p["indicator"], p["year"]),
    "region-intensity": lambda p: findings.city_region_value(p["region"], "v4_ztr_qd_RD", p["year"]),
    "pct-share-in-year": lambda p: findings.pct_share_of_world("CHN", p["technology"], p["year"]),
    "ip-ratio-in-year": lambda p: findings.ip_ratio(p["year"]),
    "invention-share-in-year": lambda p: findings.invention_share(p["year"], p["measure"]),
    "growth-over-ten-years": lambda p: findings.growth_period(p["start"], p["end"]),
    "sector-share-in-year": lambda p: findings.sector_value(p["sector"], "CHN", p["year"]),
    "ev-share-in-year": lambda p: findings.ev_share_of_world(p["economy"], p["year"]),
    "exam-gerd-growth": lambda p: ((_gerd(p["economy"], p["end"], "constant")
                                    / _gerd(p["economy"], p["start"], "constant")) ** (1 / 5) - 1) * 100,
    "exam-intensity-change": lambda p: (_gerd(p["economy"], p["end"], "intensity")
                                        - _gerd(p["economy"], p["start"], "intensity")),
    "exam-pct-leader": _pct_leader,
    "highest-spender": lambda p: _by_spending(p)[0],
    "spender-order": _by_spending,
}
#: templates comparing OECD values: no economy they read may carry a break in series (flag B) in the years read
BREAKS = {"spending-multiple": lambda p: [("CHN", p["year"]), (p["economy"], p["year"])],
          "highest-spender": lambda p: [(e, p["year"]) for e in p["economies"].split(",")],
          "spender-order": lambda p: [(e, p["year"]) for e in p["economies"].split(",")],
          "exam-gerd-growth": lambda p: [(p["economy"], y) for y in range(p["start"] + 1, p["end"] + 1)],
          "exam-intensity-change": lambda p: [(p["economy"], y) for y in range(p["start"] + 1, p["end"] + 1)]}
MEASURE_OF = {"spending-multiple": "current", "exam-gerd-growth": "constant", "exam-intensity-change": "intensity"}


def test_every_template_is_checked_against_the_findings_or_by_its_ranking():
    assert set(ALL) == set(BY_FINDINGS)
    assert len(COURSE) >= 14 and len(EXAM) >= 3


def variant_of(draw, template):
    params = draw(st.sampled_from(template.params))
    return params, instantiate(make_question(id="q-prop", template=template, points=2), params)


@pytest.mark.parametrize("name", sorted(ALL))
@SETTINGS
@given(data=st.data())
def test_every_variant_has_its_answer_from_the_data_and_distinct_distractors(name, data):
    template = ALL[name]
    params, made = variant_of(data.draw, template)
    key = compile_key(made, "wb", hashed=False)
    assert key is not None and key["tokens"], "a variant without a key"
    assert scoring.score(made, key, made.answer).status == scoring.CORRECT
    if made.numeric:
        assert math.isfinite(made.answer)
        expected = BY_FINDINGS[name](params)
        assert made.answer == pytest.approx(expected, rel=1e-9, abs=1e-12), (params, made.answer, expected)
        slips = [value for _, value in template.variant(params).mistakes]
        width = made.tolerance if made.tolerance is not None else abs(made.answer) * made.rel_tolerance
        assert all(abs(a - b) > width for n, a in enumerate(slips) for b in slips[n + 1:]), "slips repeat"
        for value in slips:  # a usual slip is named in the explanation and never marked right
            assert scoring.score(made, key, f"{value:.6g}").status == scoring.INCORRECT, (params, value)
            assert "If you got about" in made.explanation
    else:
        assert len(made.options) >= 2 and len(set(made.options)) == len(made.options)
        assert made.answer == BY_FINDINGS[name](params)
        if made.kind == "choice":
            assert made.answer in made.options
            for wrong in set(made.options) - {made.answer}:
                assert scoring.score(made, key, wrong).status == scoring.INCORRECT
        if made.kind == "ordering":
            assert sorted(made.answer) == sorted(made.options)
            assert scoring.score(made, key, made.answer[::-1]).status == scoring.INCORRECT
    for iso3, year in BREAKS.get(name, lambda p: [])(params):
        measure = MEASURE_OF.get(name, params.get("measure", "current"))
        assert year not in findings.flagged_years(iso3, measure, "B"), (params, iso3, year)
    if "sector" in params:  # a sector's share is never asked for a year the OECD flags as a break in series
        assert params["year"] not in findings.sector_flags(params["sector"], "CHN", "B"), params


# -- the same score in the learner's kernel and in the grader -------------------------------------------------
@pytest.fixture(autouse=True)
def quiet_kernel(monkeypatch):
    monkeypatch.setattr(answers, "_ANSWERS", {})
    monkeypatch.setattr(answers, "_RECORDS", {})
    monkeypatch.setattr(workbook, "_CURRENT", [])
    monkeypatch.setattr(workbook.frontend, "install", lambda: None)
    monkeypatch.setattr(workbook, "display", lambda *a, **k: None)
    for name in ("JPY_SESSION_NAME", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INNOVATION_COURSE_JOURNAL", "0")


def a_learners_answer(draw, made):
    """What a learner may give through the widget: the answer, a slip, another option, any number, nonsense."""
    if made.kind in ("choice",):
        return draw(st.sampled_from(made.options))
    if made.kind == "ordering":
        return draw(st.permutations(list(made.options)))
    slips = [value for _, value in made.template.variant(made.variant["params"]).mistakes]
    number = draw(st.one_of(st.just(made.answer), st.sampled_from(slips or [made.answer]),
                            st.floats(-1e6, 1e6, allow_nan=False), st.just(made.answer * 1.004)))
    return draw(st.sampled_from([f"{number!r}", f"{number:.2f}", f"{number:,.3f}", "about 3", ""]))


def graded_points(made, template_question, answer, who, policy):
    key = AnswerKey()
    solution = {"cells": [{"cell_type": "code", "metadata": {}, "source": "wb = Workbook('wbp', mode='solution')"}]}
    spec = parse_workbook(solution)
    spec.questions["q-prop"] = template_question
    key.add(spec, "test", policy)
    nb = synthetic.with_answers(
        {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "", "execution_count": None}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, {"q-prop": answer}, {"name": who, "id": who},
        workbook="wbp", layout=({"id": "wbp"}, {"q-prop": made.kind}, {"q-prop": 0, "_identity": 0}),
        variants={"q-prop": made.variant})
    marked = mark(Submission("x.ipynb", "x.ipynb", 0.0, json.dumps(nb).encode()), key)
    (only,) = marked.marks
    return only.status, only.points


@pytest.mark.parametrize("name", sorted(COURSE))
@pytest.mark.parametrize("policy", [{"policy": "practice"}, {"policy": "homework", "reveal_after": 2}])
@SETTINGS
@given(data=st.data())
def test_an_answer_earns_the_same_points_in_the_kernel_and_in_the_grader(name, policy, data):
    template = COURSE[name]
    who = data.draw(st.sampled_from(["S-001", "li.hua", "Ada Lovelace", "x"]))
    generic = make_question(id="q-prop", template=template, points=2)
    if policy["policy"] == "practice":  # any variant counts: "Try another" may have drawn it
        made = instantiate(generic, data.draw(st.sampled_from(template.params)))
    else:
        made = instantiate(generic, template.choose(who, "wbp", "q-prop"))
    answer = a_learners_answer(data.draw, made)
    wb = Workbook("wbp", mode="self-study", feedback=policy)
    in_kernel = scoring.apply_policy(wb.result(made, answer), wb.feedback, 1)
    status, points = graded_points(made, generic, answer, who, policy)
    assert (status, points) == (in_kernel.status, in_kernel.points), (made.variant, answer)
