"""The engine's question templates and variants: which variant a learner gets, what a variant is, how records
carry it and how a workbook cell shows it (issue 20). A tiny template on made-up numbers stands for a course's."""

from __future__ import annotations

import pickle

import pytest

from innovation_course.engine import records, templates, variants
from innovation_course.engine.questions import QuestionError, make_question
from innovation_course.engine.spec import SpecError, evaluate, parse_workbook
from innovation_course.engine.templates import Template, TemplateError, Variant, instantiate, own_variant

VALUES = {year: 1.0 + year % 7 / 3 for year in range(2000, 2020)}


def _twice(params: dict) -> Variant:
    year = params["year"]
    return Variant(prompt=f"Twice the value of {year}?", answer=2 * VALUES[year], explanation=f"2 × {VALUES[year]}")


TWICE = Template("twice", "numeric", lambda: ({"year": y} for y in VALUES), _twice, tolerance=0.01, unit="units",
                 title="Twice a year's value.")


def _biggest(params: dict) -> Variant:
    years = [params["a"], params["b"], params["c"]]
    best = max(years, key=VALUES.get)
    return Variant(prompt="Which year had the most?", answer=str(best), options=tuple(str(y) for y in years))


BIGGEST = Template("biggest", "choice",
                   lambda: ({"a": a, "b": a + 1, "c": a + 2} for a in range(2000, 2017)
                            if len({VALUES[a], VALUES[a + 1], VALUES[a + 2]}) == 3), _biggest,
                   title="Which of three years had the most?")


def question(**extra):
    return make_question(id="q-twice", template=TWICE, points=2, **extra)


# -- variants: who gets which ----------------------------------------------------------------------------------
def test_a_learners_variant_is_the_same_every_time_and_differs_between_learners():
    chosen = {who: TWICE.choose(who, "wb", "q") for who in ("ada", "bo", "cy", "di", "ed", "flo", "gus", "hal")}
    assert chosen == {who: TWICE.choose(who, "wb", "q") for who in chosen}
    assert len({variants.canonical(p) for p in chosen.values()}) > 3
    assert TWICE.choose("ada", "wb", "q") != TWICE.choose("ada", "wb", "q", draw=1) or \
        TWICE.choose("ada", "wb", "q") != TWICE.choose("ada", "wb", "q", draw=2)


def test_the_learner_id_is_folded_so_typing_it_differently_keeps_the_variant():
    assert variants.learner_key("  Li  HUA ") == variants.learner_key("li hua") == "li hua"
    assert variants.learner_key("ＳＯ１２") == "so12"  # full-width
    assert TWICE.choose(" S-042 ", "wb", "q") == TWICE.choose("s-042", "wb", "q")


def test_an_exam_secret_changes_every_variant_assignment():
    plain = [TWICE.choose(f"s{n}", "wb", "q") for n in range(40)]
    keyed = [TWICE.choose(f"s{n}", "wb", "q", secret=b"x" * 32) for n in range(40)]
    assert sum(a != b for a, b in zip(plain, keyed, strict=True)) > 25


def test_a_variant_survives_the_data_gaining_a_year():
    """Rendezvous choice: adding one parameter set moves only the learners it wins (about 1 in the space's size)."""
    grown = Template("grown", "numeric", lambda: ({"year": y} for y in [*VALUES, 2020]), _twice, tolerance=0.01,
                     title="t")
    old = Template("old", "numeric", lambda: ({"year": y} for y in VALUES), _twice, tolerance=0.01, title="t")
    learners = [f"learner-{n}" for n in range(400)]
    moved = [who for who in learners if grown.choose(who, "wb", "q") != old.choose(who, "wb", "q")]
    assert all(grown.choose(who, "wb", "q") == {"year": 2020} for who in moved)
    assert len(moved) < 400 * 2 / len(grown.params)


def test_try_another_never_gives_the_same_variant_again():
    current = TWICE.choose("ada", "wb", "q")
    draw = 0
    for _ in range(30):
        draw, params = TWICE.another("ada", "wb", "q", current, draw)
        assert params != current and TWICE.contains(params)
        current = params


# -- templates and their variants ------------------------------------------------------------------------------
def test_a_template_question_takes_kind_unit_and_tolerance_from_its_template():
    q = question()
    assert (q.kind, q.unit, q.tolerance, q.generic, q.answer) == ("numeric", "units", 0.01, True, None)
    made = instantiate(q, {"year": 2003})
    assert (made.prompt, made.answer, made.generic) == ("Twice the value of 2003?", 2 * VALUES[2003], False)
    assert made.variant == {"template": "twice", "params": {"year": 2003}} and made.points == 2
    assert instantiate(q, {"year": 2003}, draw=4).variant["draw"] == 4


@pytest.mark.parametrize("bad", [{"answer": 3.0}, {"options": ["a", "b"]}, {"kind": "choice"}])
def test_a_template_question_refuses_what_its_template_decides(bad):
    with pytest.raises(QuestionError):
        question(**bad)


def test_parameters_outside_the_space_have_no_variant():
    for params in ({"year": 1999}, {"year": "2003"}, {"year": 2003, "x": 1}, {}, None, {"Year": 2003}):
        assert not TWICE.contains(params)
        with pytest.raises(TemplateError):
            TWICE.variant(params)


def test_a_template_is_pickled_by_reference_for_grading_workers():
    assert pickle.loads(pickle.dumps(TWICE)) is TWICE
    assert pickle.loads(pickle.dumps(question())).template is TWICE


def test_a_variant_is_checked_like_any_question():
    broken = Template("broken", "choice", lambda: [{"n": 1}],
                      lambda p: Variant(prompt="?", answer="z", options=("a", "b")), title="t")
    with pytest.raises(TemplateError, match="not one of the options"):
        instantiate(make_question(id="b", template=broken), {"n": 1})


def test_own_variant_is_draw_zero_of_the_learner():
    q = make_question(id="q-big", template=BIGGEST)
    made = own_variant(q, "ada", "wb")
    assert made.variant["params"] == BIGGEST.choose("ada", "wb", "q-big") and made.answer in made.options


# -- records and the notebook's source -------------------------------------------------------------------------
def test_records_carry_a_variant_and_a_malformed_one_is_refused():
    good = records.make_record("wb", "1", "q", "numeric", 3.0, variant={"template": "twice", "params": {"year": 1}})
    assert records.record_problem(good) is None
    for bad in ({"template": "twice"}, {"template": "", "params": {"y": 1}}, {"template": "t", "params": {"y": [1]}},
                {"template": "t", "params": {"y": 1}, "draw": -1}, {"template": "t", "params": {"y": 1}, "x": 1},
                {"template": "t", "params": {"y": "x" * 500}}, "twice"):
        assert records.record_problem({**good, "variant": bad}), bad


def test_a_workbook_names_a_template_as_findings_NAME(monkeypatch):
    import ast
    import sys
    import types

    module = types.ModuleType("coursex.findings")
    module.twice, module.value = TWICE, lambda: 3
    monkeypatch.setitem(sys.modules, "coursex.findings", module)
    assert evaluate(ast.parse("findings.twice", mode="eval").body, "coursex.findings") is TWICE
    with pytest.raises(SpecError, match="not a question template"):
        evaluate(ast.parse("findings.value", mode="eval").body, "coursex.findings")
    nb = {"cells": [{"cell_type": "code", "source": "from coursex import findings\nfrom x import Workbook\n"
                     "wb = Workbook('wbx', mode='solution')\nwb.ask(id='q1', template=findings.twice, points=2)"}]}
    spec = parse_workbook(nb)
    assert spec.questions["q1"].template is TWICE and spec.questions["q1"].generic


def test_variant_params_of_a_record():
    record = {"variant": {"template": "twice", "params": {"year": 2003}}}
    assert templates.variant_params(record) == {"year": 2003}
    assert templates.variant_params({"variant": {"params": {"year": [1]}}}) is None
    assert templates.variant_params(None) is None
