"""Plan targets beside outcomes (lessons 1 and 2): every number recomputed from the raw CSV files or the reported
figures of data/facts.md, and every verdict shown to follow from its numbers (it flips when the numbers do)."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from innovation_course.content import findings
from innovation_course.content.findings import targets

DATA = Path(__file__).resolve().parents[1] / "data"
FACTS_MD = (DATA / "facts.md").read_text(encoding="utf-8")


def _rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


REPORTED = {row["id"]: float(row["value"]) for row in _rows("reported_figures")}


def _series(name, code, key="iso3", area="CHN"):
    return {int(r["year"]): float(r["value"]) for r in _rows(name) if r[key] == area and r["indicator_code"] == code}


def test_the_14th_plan_had_a_carbon_target_and_the_table_says_so():
    """Regression (issue 21): the table showed the 14th plan with no carbon target, as if the 15th added one."""
    table = findings.plan_targets_table()
    assert table.loc["CO2 per unit of GDP", "14th plan (2021–2025)"] == "down 18 %"
    assert table.loc["CO2 per unit of GDP", "15th plan (2026–2030)"] == "down 17 %"
    assert table.loc["Energy use per unit of GDP", "14th plan (2021–2025)"] == "down 13.5 %"
    outcomes = dict(zip(table.index, table["15th plan: outcome"], strict=True))  # a target beside its outcome
    assert outcomes["CO2 per unit of GDP"].startswith("not yet known") and outcomes["Energy use per unit of GDP"] == "—"
    assert REPORTED["fyp14_co2_intensity"] == 18 and REPORTED["fyp13_co2_intensity"] == 18
    assert "CO2 emissions per unit of GDP 18 %" in FACTS_MD and "cet.energy" in FACTS_MD


def test_verdict_rule_flips_with_the_numbers():
    assert findings.target_verdict_of(7.01, 7, more_than=True) == "met"
    assert findings.target_verdict_of(7.0, 7, more_than=True) == "missed"  # "more than 7 %" is not 7 %
    assert findings.target_verdict_of(7.0, 7) == "met"
    assert findings.target_verdict_of(None, 10) == findings.target_verdict_of(math.nan, 10) == "not yet known"


def test_chained_falls_compound_and_are_read_from_the_reported_figures():
    assert findings.chained_fall([10, 10]) == pytest.approx(19)  # not 20: each fall applies to a smaller level
    co2 = 1 - math.prod(1 - REPORTED[f"co2_intensity_fall_{y}"] / 100 for y in range(2021, 2026))
    assert findings.co2_intensity_fall() == pytest.approx(co2 * 100)
    first = 1 - math.prod(1 - REPORTED[f"energy_intensity_fall_{y}"] / 100 for y in range(2021, 2026))
    assert findings.energy_intensity_fall() == pytest.approx(first * 100)
    new = 1 - (1 - REPORTED["energy_intensity_fall_2021_2024"] / 100) * (1 - REPORTED["energy_intensity_fall_2025"]
                                                                        / 100)
    assert findings.energy_intensity_fall("new") == pytest.approx(new * 100)
    with pytest.raises(ValueError, match="unknown definition"):
        findings.energy_intensity_fall("other")


def test_rd_growth_is_computed_from_the_nbs_and_oecd_files():
    nbs = _series("china_provinces_rd", "v4_ztr_jf_RD", "region_code", "CN")
    last = max(nbs)
    assert findings.rd_growth("NBS", 2020) == pytest.approx(((nbs[last] / nbs[2020]) ** (1 / (last - 2020)) - 1) * 100)
    oecd = _series("oecd_gerd_ppp", "G_PPPCT")
    end = max(oecd)
    assert findings.rd_growth("OECD", 2020) == pytest.approx(((oecd[end] / oecd[2020]) ** (1 / (end - 2020)) - 1) * 100)
    frame = findings.rd_growth_frame()
    assert frame.index.is_monotonic_increasing
    assert frame.loc[2021, "NBS, yuan at current prices"] == pytest.approx((nbs[2021] / nbs[2020] - 1) * 100)
    table = findings.rd_growth_table()
    assert (table["verdict against 'more than 7 %'"] == [findings.target_verdict_of(v, 7, more_than=True)
                                                         for v in table["% a year"]]).all()
    assert "**met**" in findings.rd_growth_sentence()


def test_each_14th_plan_verdict_follows_from_its_numbers(monkeypatch):
    table = findings.plan14_table()
    verdict = table["verdict"]
    basic = _series("oecd_rd_by_type", "G_BRXG")
    assert f"{basic[max(basic)]:.2f} % in {max(basic)}" in table.loc["Basic research, share of R&D spending",
                                                                       "what happened"]
    assert verdict["Basic research, share of R&D spending"] == "missed"  # 7.08 (reported 2025) is not over 8
    assert REPORTED["basic_research_share_2025"] < REPORTED["fyp14_basic_research"]
    assert verdict["High-value invention patents"] == "met" and REPORTED["hv_patents_2025"] >= REPORTED[
        "fyp14_hv_patents"]
    assert verdict["Core digital-economy industries, share of GDP"] == "not yet known"
    assert verdict["CO2 emissions per unit of GDP"] == "missed"
    assert findings.co2_intensity_fall() < REPORTED["fyp14_co2_intensity"]
    energy = verdict[verdict.index.str.startswith("Energy")]
    assert list(energy) == ["missed", "met"]  # the definition moves the verdict
    assert f"down {findings.co2_intensity_fall():.1f} %" in table.loc["CO2 emissions per unit of GDP",
                                                                      "what happened"]
    # if the reported 2025 CO2 fall had been large enough, the same code would say "met"
    original = targets.reported
    monkeypatch.setattr(targets, "reported", lambda key: 20.0 if key == "co2_intensity_fall_2025" else original(key))
    assert findings.plan14_table().loc["CO2 emissions per unit of GDP", "verdict"] == "met"


def test_every_number_in_the_outcome_table_comes_from_data_or_the_facts():
    for cell in findings.plan14_table().to_numpy().ravel():
        for number in re.findall(r"\d+(?:\.\d+)?", cell):
            computed = {f"{v:.1f}" for v in (findings.rd_growth("NBS", 2020), findings.rd_growth("OECD", 2020),
                                             findings.co2_intensity_fall(), findings.energy_intensity_fall(),
                                             findings.energy_intensity_fall("new"))}
            basic = _series("oecd_rd_by_type", "G_BRXG")
            computed |= {f"{basic[max(basic)]:.2f}"}
            assert number in FACTS_MD or number in computed, (number, cell)


def test_the_2016_outline_steps_and_step_one_checked():
    table = findings.outline_steps_table()
    assert list(table.index) == [2020, 2030, 2050]
    assert table.loc[2020, "中文"] in FACTS_MD and table.loc[2050, "中文"] in FACTS_MD
    for goal in table["goal (Xinhua's English)"]:
        assert goal in FACTS_MD
    assert REPORTED["outline2016_rd_target"] == REPORTED["mlp2006_rd_target"]
    assert "missed" in table.loc[2020, "checked"] and findings.target_verdict(2020, 2.5) == "missed"


def test_the_new_milestones_are_on_the_timeline():
    from innovation_course.content import data

    kinds = data.milestones().set_index("milestone")["kind"]
    assert kinds.filter(like="2035 goal").item() == "strategy"
    assert kinds.filter(like="Central Science and Technology Commission").item() == "event"
    assert "three steps" in kinds.filter(like="Innovation-Driven Development Strategy").index[0]


def test_what_ex01_explanations_say_about_the_numbers_holds():
    """energy-redefinition: compounding instead of adding moves the total "well under a point", far less than the
    gap between the two definitions; co2-chained: adding the falls gives "a slightly larger number"."""
    falls = [REPORTED[f"energy_intensity_fall_{y}"] for y in range(2021, 2026)]
    assert 0 < sum(falls) - findings.energy_intensity_fall() < 1
    assert findings.energy_intensity_fall("new") - findings.energy_intensity_fall() > 4
    co2 = [REPORTED[f"co2_intensity_fall_{y}"] for y in range(2021, 2026)]
    assert 0 < sum(co2) - findings.co2_intensity_fall() < 1
    assert findings.plan14_verdict_key() == {label: findings.plan14_table().loc[row, "verdict"]
                                             for label, row in targets.PLAN14_QUESTION_ROWS.items()}


def test_lessons_1_and_2_keep_their_self_check_keys_readable():
    """Their questions take computed text from findings.NAME() calls, not f-strings, so the class page (pulse) and
    the grader can read the key without running the lesson (an f-string explanation made lesson 1 unreadable)."""
    from innovation_course.classroom.grading.answerkey import load_key

    key = load_key(DATA.parent / "notebooks")
    assert {"lesson-01", "lesson-02"} <= set(key.specs)
    questions = key.specs["lesson-01"].questions
    assert questions["l1-predict-plan14"].explanation == findings.plan14_predict_explanation()
    assert key.specs["lesson-02"].questions["l2-exchange-rates"].prompt == findings.exchange_rate_prompt()
