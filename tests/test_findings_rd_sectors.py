"""Who performs and funds R&D, basic research and the 2024 PPP lead (lesson 2): recomputed from the raw CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from innovation_course.content import findings
from innovation_course.content.findings import rd_sectors

DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


SECTOR, TYPE = _rows("oecd_rd_by_sector"), _rows("oecd_rd_by_type")
REPORTED = {row["id"]: float(row["value"]) for row in _rows("reported_figures")}


def _value(rows, iso3, code, year):
    return next(float(r["value"]) for r in rows if r["iso3"] == iso3 and r["indicator_code"] == code
                and int(r["year"]) == year)


def test_business_share_is_the_files_value_and_the_sentence_says_what_it_cannot():
    share = findings.business_share()
    assert share.loc[2024, "CHN"] == pytest.approx(_value(SECTOR, "CHN", "G_XEB", 2024))
    sentence = findings.business_share_sentence()
    assert f"{_value(SECTOR, 'CHN', 'G_XEB', 2024):.1f} % of China's R&D" in sentence
    assert f"{_value(SECTOR, 'CHN', 'G_XEB', 1991):.1f} % in 1991" in sentence
    assert "state-owned" in sentence and "2000 and 2009" in sentence  # OECD flag B in China's series
    table = findings.performer_table()
    assert table.loc["China", "government"] == pytest.approx(round(_value(SECTOR, "CHN", "G_XEG", 2024), 1))


def test_funding_shares_and_the_unallocated_rest():
    table = findings.funding_table()
    row = table.loc[("China", 2024)]
    listed = sum(_value(SECTOR, "CHN", code, 2024) for code in ("G_XFB", "G_XFG", "G_XFA"))
    assert row["listed sources add up to"] == pytest.approx(round(listed, 1))
    assert listed < 99  # China has no "other national sources" row: the rest is not in the data
    assert table.loc[("United States", 2024), "listed sources add up to"] == pytest.approx(100, abs=0.2)
    assert f"{listed:.1f} %" in findings.funding_sentence()
    gov = findings.government_funds_business_sentence()
    assert f"China {_value(SECTOR, 'CHN', 'B_XFG', 2024):.1f} % (2024)" in gov and "tax incentives" in gov


def test_basic_research_against_the_8_percent_target():
    china = _value(TYPE, "CHN", "G_BRXG", 2024)
    assert findings.basic_target_gap() == pytest.approx(REPORTED["fyp14_basic_research"] - china)
    assert findings.basic_share().loc[2024, "USA"] == pytest.approx(_value(TYPE, "USA", "G_BRXG", 2024))
    sentence = findings.basic_target_sentence()
    assert f"{china:.2f} % in 2024" in sentence and "**missed**" in sentence
    assert "France 20.6 % (2023)" in sentence  # France's last year is 2023, and the sentence says so
    assert "DEU" not in findings.basic_share().columns  # Germany has no basic-research share in the file


def test_the_2024_lead_at_ppp_and_its_flags():
    gerd = _rows("oecd_gerd_ppp")
    china, usa = _value(gerd, "CHN", "G_PPP", 2024), _value(gerd, "USA", "G_PPP", 2024)
    assert findings.ppp_lead(2024) == pytest.approx((china / usa - 1) * 100)
    sentence = findings.ppp_lead_sentence()
    assert f"{(china / usa - 1) * 100:.1f} % above" in sentence
    status = next(r["obs_status"] for r in gerd if r["iso3"] == "USA" and r["indicator_code"] == "G_PPP"
                  and r["year"] == "2024")
    assert f"flagged {status}" in sentence and "about 40 %" in sentence
    berd = findings.berd_sentence()
    assert f"{_value(SECTOR, 'CHN', 'B_PPP', 2024) / 1e3:,.1f} billion" in berd and "flagged E" in berd


def test_firms_are_reported_figures_and_the_share_is_an_upper_bound():
    sentence = findings.firms_sentence()
    upper = REPORTED["huawei_rd_2024"] / (REPORTED["rd_spending_2024"] * 1000) * 100
    assert f"at most {upper:.0f} %" in sentence  # "more than 3.6 trillion": the share can only be smaller
    for key in ("scoreboard_china_2023", "scoreboard_us_2023", "scoreboard_eu_2023"):
        assert f"{REPORTED[key]:g} %" in sentence


def test_flags_text_names_only_flagged_values():
    assert rd_sectors._flags_text("oecd_gerd_ppp", "G_PPP", 2024) == "the United States' 2024 value is flagged D+E"
    assert rd_sectors._flags_text("oecd_gerd_ppp", "G_XGDP", 2024, ("CHN",)) == "neither 2024 value is flagged"
