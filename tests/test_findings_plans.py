"""Reported figures and plan targets (lessons 1, 2 and 4): read from data/facts.md via the data package."""

from __future__ import annotations

from pathlib import Path

import pytest

from innovation_course.content import findings

FACTS_MD = (Path(__file__).resolve().parent.parent / "data" / "facts.md").read_text(encoding="utf-8")


def test_reported_values_and_their_words():
    assert findings.reported("rd_intensity_2025") == 2.8
    assert findings.reported_text("rd_spending_2025") == "over 3.92 trillion yuan"
    assert findings.reported_text("fyp15_rd_growth") == "at least 7 % a year on average"
    with pytest.raises(KeyError, match="no reported figure"):
        findings.reported("no_such_figure")


def test_plan_targets_side_by_side():
    table = findings.plan_targets_table()
    assert list(table.columns) == ["14th plan (2021–2025)", "15th plan (2026–2030)"]
    assert table.loc["R&D spending growth"].tolist() == ["more than 7 % a year", "at least 7 % a year on average"]
    assert "12.5 % of GDP" in table.loc["Core digital-economy industries, share of GDP", "15th plan (2026–2030)"]
    for cell in table.to_numpy().ravel():  # every number in the table is a reported figure of facts.md
        for number in __import__("re").findall(r"\d+(?:\.\d+)?", cell):
            assert number in FACTS_MD, (number, cell)


def test_reported_2025_figures_are_labelled_beside_the_data():
    table = findings.reported_vs_data_table().reset_index()
    data_rows = table[table["source"].str.contains("data")]
    reported = table[table["source"].str.contains("reported")]
    assert data_rows["year"].max() < 2025 and (reported["year"] == 2025).all()
    sentence = findings.reported_vs_data_sentence()
    assert "**reported figures**" in sentence and "over 3.92 trillion yuan" in sentence
    assert "7.08 % of R&D spending" in sentence
    # each series' own last year (not "the data end in 2023" beside a 2024 row), and who published the 2025 figure
    assert f"the OECD's in {data_rows['year'].max()}" in sentence and "NBS gave R&D intensity" in sentence
    assert "19 January 2026" in sentence and "OECD files updated 2026-04-13" in sentence
    assert "not published yet" not in sentence
    nbs = table[table["source"].str.startswith("NBS, first release")]
    assert nbs["value"].item() == findings.reported("rd_intensity_2025")
    assert "globaltimes" in findings.reported_row("rd_intensity_2025")["source"]  # the statistics office's release


def test_oecd_average_claim_is_set_beside_the_oecd_file():
    sentence = findings.oecd_average_sentence()
    assert "2.72 % of GDP (an OECD estimate)" in sentence and "not checkable" in sentence


def test_nqpf_and_industries_of_the_future_are_in_the_facts():
    assert findings.NQPF_TIMELINE[0][0] == "Sep 2023" and "Heilongjiang" in findings.NQPF_TIMELINE[0][1]
    assert "first of ten tasks in the 2024 government work report" in FACTS_MD
    for industry in findings.INDUSTRIES_OF_THE_FUTURE:
        assert industry in FACTS_MD, industry


def test_rd_spending_at_the_15th_plan_minimum():
    start, rate = findings.reported("rd_spending_2025"), findings.reported("fyp15_rd_growth")
    assert findings.rd_spending_at_target(2025) == pytest.approx(start)
    assert findings.rd_spending_at_target(2030) == pytest.approx(start * (1 + rate / 100) ** 5)
    assert findings.rd_spending_at_target(2030) > start * (1 + 5 * rate / 100)  # compounding beats adding
