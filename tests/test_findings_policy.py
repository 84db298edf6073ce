"""Lesson 1 findings, recomputed from the raw CSV files and checked against shared/facts.md."""

import csv
import math
from pathlib import Path

import pytest

from innovation_course.content import findings
from innovation_course.content.findings import policy

DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _raw(source):
    """China's R&D intensity by year, read with the csv module (no package code)."""
    if source == "WDI":
        rows = [r for r in _rows("wdi_rd_expenditure_pct_gdp") if r["iso3"] == "CHN"]
    elif source == "OECD":
        rows = [r for r in _rows("oecd_gerd_ppp") if r["iso3"] == "CHN" and r["indicator_code"] == "G_XGDP"]
    else:
        rows = [r for r in _rows("china_provinces_rd") if r["region_code"] == "CN"
                and r["indicator_code"] == "v4_ztr_qd_RD"]
    return {int(r["year"]): float(r["value"]) for r in rows}


def test_exported_through_the_package():
    for name in ("rd_intensity", "target_gap", "year_target_reached", "target_verdict", "milestone_year"):
        assert getattr(findings, name) is getattr(policy, name)


@pytest.mark.parametrize("source", ["WDI", "OECD", "NBS"])
def test_intensity_matches_raw_csv(source):
    raw = _raw(source)
    series = policy.rd_intensity(source)
    assert dict(series.items()) == pytest.approx(raw)
    assert policy.rd_intensity(source, 2020) == pytest.approx(raw[2020])


def test_2020_values_are_those_in_sources_md():
    # SOURCES.md: WDI 2020 = 2.357 (same as OECD G_XGDP); NBS publishes 2.40.
    assert round(policy.rd_intensity("WDI", 2020), 3) == 2.357
    assert round(policy.rd_intensity("OECD", 2020), 3) == 2.357
    assert policy.rd_intensity("NBS", 2020) == pytest.approx(2.40)


def test_gap_to_target_in_2020():
    assert policy.TARGET_PCT == 2.5 and policy.TARGET_YEAR == 2020
    assert policy.target_gap("WDI") == pytest.approx(2.5 - _raw("WDI")[2020])
    assert policy.target_gap("NBS") == pytest.approx(0.10)
    assert policy.target_gap("WDI") > policy.target_gap("NBS") > 0


def test_target_missed_by_both_sources():
    assert policy.target_verdict() == "missed"
    assert policy.target_verdict(2023) == "met"
    assert "**missed**" in policy.target_sentence()


@pytest.mark.parametrize("source", ["WDI", "OECD", "NBS"])
def test_year_target_reached_is_first_year_at_or_above(source):
    raw = _raw(source)
    expected = min(y for y, v in raw.items() if v >= 2.5)
    assert policy.year_target_reached(source) == expected
    assert all(v < 2.5 for y, v in raw.items() if y < expected)


def test_years_reached_differ_by_source():
    # NBS 2022 = 2.54 % (SOURCES.md); WDI 2022 = 2.494, 2023 = 2.577.
    assert policy.year_target_reached("NBS") == 2022
    assert policy.year_target_reached("WDI") == 2023
    assert policy.year_target_reached("WDI", 9.0) is None


def test_sentence_carries_computed_numbers():
    text = policy.target_sentence()
    assert f"{_raw('WDI')[2020]:.2f} %" in text and "2.40 %" in text
    assert "2022" in text and "2023" in text


def test_milestones_from_facts_md():
    assert policy.milestone_year("863") == 1986
    assert policy.milestone_year("Torch") == 1988
    assert policy.milestone_year("973") == 1997
    assert policy.milestone_year("Made in China 2025") == 2015
    assert policy.milestone_year("Outline of the National Innovation-Driven") == 2016
    assert policy.milestone_year("Thousand Talents") == 2008
    assert policy.years_between_milestones("863", "973") == 11
    with pytest.raises(ValueError):
        policy.milestone_year("no such milestone")


def test_milestone_counts_match_raw_table():
    rows = _rows("policy_milestones")
    assert policy.milestone_count() == len(rows) >= 28
    for kind in {r["kind"] for r in rows}:
        assert policy.milestone_count(kind) == sum(r["kind"] == kind for r in rows)
    assert policy.milestone_count("plan", 2016, 2016) == sum(
        r["kind"] == "plan" and r["year"] == "2016" for r in rows)


def test_made_in_china_2025_has_ten_sectors_essay_names_five():
    assert len(policy.MIC2025_SECTORS) == 10
    assert len(set(policy.MIC2025_SECTORS)) == 10
    assert len(policy.MIC2025_SECTORS_IN_ESSAY) == 5


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        policy.rd_intensity("IMF")
    assert math.isnan(policy.rd_intensity("NBS", 1990))


def test_intensity_table_shows_missing_as_dash():
    table = policy.intensity_table(2016)
    assert list(table.columns) == ["WDI", "OECD", "NBS"] and table.index[0] == 2016
    assert table.loc[2020, "NBS"] == "2.40"
    assert table.loc[2020, "WDI"] == f"{_raw('WDI')[2020]:.2f}"
    missing = [y for y in table.index if y not in _raw("NBS")]
    assert missing and all(table.loc[y, "NBS"] == "—" for y in missing)


def test_milestones_sentence_is_not_a_count_of_a_hand_picked_list():
    """Issue 12, item 6: the before/after-2012 split was an artefact of the list, presented as a finding."""
    sentence = policy.milestones_sentence()
    assert "selection" in sentence and "before 2012" not in sentence and "from 2012" not in sentence
    first, last = policy.milestone_years()
    assert f"from {first} to {last}" in sentence and (first, last) == (1980, 2026)
    assert policy.milestone_kind_table()["milestones"].sum() == policy.milestone_count()
