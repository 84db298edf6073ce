"""Lesson 4's new findings, recomputed from the raw CSV files with the csv module: the new three (IEA, Our World in
Data), quality beside quantity (OECD citations), what trade data show (World Bank technology content) and the
reported facts on high-tech exports, semiconductors and AI. Each verdict is checked to follow from the numbers."""

from __future__ import annotations

import pytest
from raw_data import raw, reported

from innovation_course.content import findings
from innovation_course.content.findings import newthree, quality

EV = raw("iea_gevo2025_ev", "indicator_name")
SOLAR = raw("owid_solar")
PUBS = raw("oecd_publications_citations")
TECH = raw("wdi_tech_content")


def ev_sales(iso3: str, year: int) -> float:
    return sum(EV[f"EV sales, Cars, {p}"].get((iso3, year), 0.0) for p in ("BEV", "PHEV"))


def test_ev_share_of_world_sales_recomputed():
    last = max(y for (i, y) in EV["EV sales, Cars, BEV"] if i == "WLD")
    expected = ev_sales("CHN", last) / ev_sales("WLD", last) * 100
    assert last == 2024 and findings.ev_share_of_world("CHN") == pytest.approx(expected)
    assert findings.ev_sales_share("CHN") == EV["EV sales share, Cars, EV"][("CHN", 2024)]
    demand = EV["Battery demand, Cars, EV"]
    assert findings.battery_share_of_world("CHN") == pytest.approx(demand[("CHN", 2024)] / demand[("WLD", 2024)] * 100)


@pytest.mark.parametrize("measure,code", [("capacity", "solar__total_gw"), ("generation", "solar_generation__twh")])
def test_solar_share_of_world_recomputed(measure, code):
    values = SOLAR[code]
    last = max(y for (i, y) in values if i == "OWID_WRL")
    assert last == 2023
    expected = values[("CHN", last)] / values[("OWID_WRL", last)] * 100
    assert findings.solar_share_of_world(measure) == pytest.approx(expected)


def test_new_three_sentence_gives_each_figure_its_own_year():
    sentence = findings.new_three_sentence()
    assert f"{findings.ev_share_of_world('CHN'):.1f} % in 2024" in sentence
    assert f"{findings.solar_share_of_world('capacity'):.1f} % in 2023" in sentence
    shares = findings.new_three_shares()
    assert int(shares.index.min()) == newthree.NEW_THREE_START
    assert shares.loc[2024, "Solar capacity"] != shares.loc[2024, "Solar capacity"]  # no solar data for 2024: NaN


def test_new_three_verdict_separates_deployment_from_manufacturing(monkeypatch):
    verdict = findings.new_three_verdict()
    assert "Supported for deployment" in verdict and "Manufacturing: cannot be checked with these data" in verdict
    text = findings.new_three_reported()
    assert f"over {reported('pv_manufacturing_share'):g} %" in text and "Reported, not computed" in text
    # if China's share of world EV sales were below the US's, the deployment verdict would not hold
    monkeypatch.setattr(newthree, "ev_share_of_world", lambda iso3="CHN", year=None: 10.0 if iso3 == "CHN" else 20.0)
    assert findings.new_three_verdict().startswith("Not supported")


def test_top10_rates_and_world_shares_recomputed():
    last = max(y for (i, y) in PUBS["TOP10_X"])
    assert findings.top10_rate("CHN") == PUBS["TOP10_X"][("CHN", last)]
    assert findings.top10_share_of_world("CHN") == PUBS["TOP10_X_WLD"][("CHN", last)]
    # the world's own rate, implied by China's counts and shares, is 10 % by definition
    top = PUBS["TOP10FPUBS_NBFRAC"][("CHN", last)] / (PUBS["TOP10_X_WLD"][("CHN", last)] / 100)
    pubs = PUBS["FPUBS_NBFRAC"][("CHN", last)] / (PUBS["FPUBS_X_WLD"][("CHN", last)] / 100)
    assert findings.world_top10_rate(last) == pytest.approx(top / pubs * 100) == pytest.approx(10, abs=0.01)


def test_quality_passed_the_us_share_of_the_most_cited():
    years = sorted({y for (i, y) in PUBS["TOP10_X_WLD"]})
    ahead = [PUBS["TOP10_X_WLD"][("CHN", y)] > PUBS["TOP10_X_WLD"][("USA", y)] for y in years]
    first = min(y for k, y in enumerate(years) if all(ahead[k:]))
    assert findings.quality_passed_us_year() == first == 2020
    assert f"since {first}" in findings.quality_sentence()


def test_quality_verdict_follows_the_rates(monkeypatch):
    assert findings.quality_verdict().startswith("**Supported on this measure**")
    monkeypatch.setattr(quality, "top10_rate", lambda iso3="CHN", year=None: 5.0)
    assert findings.quality_verdict().startswith("Not supported")


def test_tech_content_recomputed():
    table = findings.tech_content_table()
    last = max(y for (i, y) in TECH["TX.MNF.TECH.ZS.UN"])
    assert last == 2022 and table.index.name.endswith(str(last))
    china = table.loc["China"]
    assert china["% of manufactured exports"] == TECH["TX.MNF.TECH.ZS.UN"][("CHN", last)]
    assert china["gap (points)"] == pytest.approx(TECH["TX.MNF.TECH.ZS.UN"][("CHN", last)]
                                                 - TECH["NV.MNF.TECH.ZS.UN"][("CHN", last)])
    assert f"{TECH['TX.MNF.TECH.ZS.UN'][('CHN', last)]:.1f} % in {last}" in findings.tech_content_sentence()


def test_hightech_sentence_keeps_each_year_with_its_figure():
    sentence = findings.hightech_sentence()
    assert "(2023 is the last year with a world total)" in sentence
    assert "In 2024, China's high-tech exports were" in sentence and "exports in 2024, against" in sentence


def test_reported_facts_are_read_from_the_package():
    makers = findings.hightech_makers_sentence()
    assert f"{reported('fie_hightech_exports_2007'):g} %" in makers and "nearly 90 %" in makers
    chips = findings.semiconductor_timeline()
    assert f"{reported('big_fund_3'):g} billion yuan" in chips.loc["24 May 2024", "what happened"]
    assert f"{reported('chokepoint_technologies'):g} technologies" in chips.loc["2018", "what happened"]
    targets = findings.ai_plus_targets()
    assert list(targets.index) == ["2027", "2030"] and (targets["outcome"].str.startswith("not yet known")).all()
    assert "priority year 2020" in findings.ai_sentence(findings.pct_last_year())
