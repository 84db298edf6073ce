"""Lesson 4's findings, recomputed from the raw CSV files with the csv module and checked against facts.md."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from innovation_course.content import findings

DATA = Path(__file__).resolve().parent.parent / "data"
FACTS_MD = (DATA / "facts.md").read_text(encoding="utf-8")
SOURCES_MD = (DATA / "SOURCES.md").read_text(encoding="utf-8")


def raw(name: str) -> dict[str, dict[tuple[str, int], float]]:
    """indicator code → {(iso3, year): value}, straight from the CSV."""
    table: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["indicator_code"]][(row["iso3"], int(row["year"]))] = float(row["value"])
    return table


PCT = raw("oecd_pct_patents_by_technology")
POP = raw("wdi_gdp")["SP.POP.TOTL"]
ART = raw("wdi_journal_articles")["IP.JRN.ARTC.SC"]
HT = raw("wdi_hightech_exports")["TX.VAL.TECH.CD"]
with (DATA / "china_5g_base_stations.csv").open(encoding="utf-8", newline="") as _handle:
    FIVE_G = list(csv.DictReader(_handle))


def first_year_ahead(a: dict[int, float], b: dict[int, float]) -> int:
    years = sorted(set(a) & set(b))
    ahead = {y: a[y] > b[y] for y in years}
    return min(y for y in years if all(ahead[z] for z in years if z >= y))


def test_pct_ends_in_2020():
    assert findings.pct_last_year() == max(y for _, y in PCT["PCTTOT_NB"]) == 2020


@pytest.mark.parametrize("code", list(findings.PCT_TECHNOLOGIES))
def test_pct_shares_of_world(code):
    for iso3 in findings.PCT_ECONOMIES:
        expected = PCT[code][(iso3, 2020)] / PCT[code][("W", 2020)] * 100
        assert findings.pct_share_of_world(iso3, code, 2020) == pytest.approx(expected)
    table = findings.pct_shares_table(2020)
    assert table.loc[findings.PCT_TECHNOLOGIES[code], "CHN"] == pytest.approx(
        PCT[code][("CHN", 2020)] / PCT[code][("W", 2020)] * 100)


def test_technologies_ordered_by_chinas_share():
    shares = {name: PCT[code][("CHN", 2020)] / PCT[code][("W", 2020)]
              for code, name in findings.PCT_TECHNOLOGIES.items() if code != "PCTTOT_NB"}
    order = findings.pct_technologies_by_share(2020)
    assert order == sorted(shares, key=shares.get, reverse=True)
    assert order[0] == "ICT" and len(order) == 5


def test_china_leads_ai_and_ict_but_not_health_technologies_in_2020():
    for code in ("PCTAI_NB", "PCTICT_NB", "PCTTOT_NB"):
        assert findings.pct_leader(code, 2020) == "CHN"
    for code in ("PCTBIOT_NB", "PCTPHARM_NB", "PCTMEDT_NB"):
        assert findings.pct_leader(code, 2020) == "USA"
        assert findings.pct_rank("CHN", code, 2020) > 1


@pytest.mark.parametrize("code", ["PCTAI_NB", "PCTICT_NB", "PCTTOT_NB"])
def test_year_china_passed_the_us(code):
    china = {y: v for (i, y), v in PCT[code].items() if i == "CHN"}
    us = {y: v for (i, y), v in PCT[code].items() if i == "USA"}
    assert findings.pct_first_year_ahead(code, "CHN", "USA") == first_year_ahead(china, us)
    assert findings.pct_first_year_ahead("PCTBIOT_NB", "CHN", "USA") is None


def test_pct_sentence():
    sentence = findings.pct_sentence("PCTICT_NB")
    assert f"{PCT['PCTICT_NB'][('CHN', 2020)]:,.0f} PCT applications" in sentence
    assert "priority year 2020" in sentence and "the most" in sentence


def test_pct_sentence_does_not_call_one_year_a_lead():
    """AI: China ahead of the US only in 2020, the last year of the data, behind in 2019 (issue 12, item 1)."""
    ai = PCT["PCTAI_NB"]
    assert ai[("CHN", 2020)] > ai[("USA", 2020)] and ai[("CHN", 2019)] < ai[("USA", 2019)]
    sentence = findings.pct_sentence("PCTAI_NB")
    assert "every year since" not in sentence
    assert "in 2020, the last year of the data, and behind it in 2019" in sentence
    ict = PCT["PCTICT_NB"]
    since = first_year_ahead({y: v for (i, y), v in ict.items() if i == "CHN"},
                             {y: v for (i, y), v in ict.items() if i == "USA"})
    assert f"every year from {since} to 2020, the last year of the data" in findings.pct_sentence("PCTICT_NB")


def test_pct_coverage_says_where_the_series_stops():
    last = max(y for (_, y) in PCT["PCTTOT_NB"])
    assert findings.pct_last_year() == last == 2020
    assert f"end in priority year {last}" in findings.pct_coverage_sentence()


def test_5g_rows_as_documented():
    years = [int(r["year"]) for r in FIVE_G]
    assert 2020 not in years  # end-2020 is left out (SOURCES.md)
    assert findings.five_g_year_ends() == [int(r["year"]) for r in FIVE_G if r["as_of"] == "end of year"]
    assert findings.five_g_year_ends() == [2021, 2022, 2023, 2024, 2025]
    assert FIVE_G[-1]["year"] == "2025" and FIVE_G[-1]["as_of"] == "end of year"


def test_5g_counts_agree_with_facts_md_claim_ten():
    """facts.md: 1.43 million end-2021, 2.31 end-2022, 3.38 end-2023, about 4.25 end-2024."""
    rows = findings.five_g_rows().set_index("year")["base_stations_million"]
    for year, million in {2021: 1.43, 2022: 2.31, 2023: 3.38, 2024: 4.25}.items():
        assert rows[year] == pytest.approx(million, abs=0.006)
        assert f"{million:.2f}" in FACTS_MD


def test_5g_per_10000_people():
    assert ("CHN", 2025) in POP  # the 2025 population is in the data, so 2025 uses it
    table = findings.five_g_per_10k()
    for row in FIVE_G:
        year = int(row["year"])
        expected = float(row["base_stations_million"]) * 1e6 / POP[("CHN", year)] * 1e4
        assert table.loc[year, "per_10k"] == pytest.approx(expected)
        assert findings.five_g_per_10k_in(year) == pytest.approx(expected)
    assert "26 5G base stations per 10,000 people by 2025" in " ".join(SOURCES_MD.split())
    assert "每万人拥有5G基站数达到26个" in FACTS_MD  # MIIT's plan, as People's Daily quoted it
    assert findings.FIVE_G_TARGET_PER_10K == 26 and findings.FIVE_G_TARGET_YEAR == 2025
    met = [int(r["year"]) for r in FIVE_G
           if float(r["base_stations_million"]) * 1e6 / POP[("CHN", int(r["year"]))] * 1e4 >= 26]
    assert findings.five_g_target_first_met() == min(met) == 2024
    sentence = findings.five_g_sentence()
    assert "2021–2025" in sentence and "at end-2025" in sentence and "end-2020 is left out" in sentence
    assert "the latest count uses the 2025 population" in sentence
    assert (table["population_year"] == table.index).all()


def test_5g_uses_the_latest_population_when_a_year_is_missing(monkeypatch):
    from innovation_course.content.findings import technology

    full = technology._population()
    monkeypatch.setattr(technology, "_population", lambda: full.loc[:2024])
    table = findings.five_g_per_10k()
    assert table.loc[2025, "population_year"] == 2024
    assert table.loc[2025, "per_10k"] == pytest.approx(float(FIVE_G[-1]["base_stations_million"]) * 1e6
                                                       / POP[("CHN", 2024)] * 1e4)
    assert "the data end in 2024, so the 2025 count uses the 2024 population" in findings.five_g_sentence()


def test_5g_target_check_for_end_2025():
    end_2025 = next(r for r in FIVE_G if r["year"] == "2025")
    per_10k = float(end_2025["base_stations_million"]) * 1e6 / POP[("CHN", 2025)] * 1e4
    check = findings.five_g_target_check(2025)
    assert f"{per_10k:.1f} per 10,000 people against a target of 26" in check
    assert "Target **met**" in check and per_10k > 26
    assert "16 November 2021" in findings.five_g_target_source() and "envicool" not in findings.five_g_target_source()
    assert "cannot be checked" in findings.five_g_target_check(2030)


def test_journal_articles():
    china = {y: v for (i, y), v in ART.items() if i == "CHN"}
    us = {y: v for (i, y), v in ART.items() if i == "USA"}
    assert findings.articles_pass_year("CHN", "USA") == first_year_ahead(china, us) == 2017
    last = max(china)
    assert findings.articles_share_of_world("CHN", last) == pytest.approx(china[last] / ART[("WLD", last)] * 100)
    assert f"{china[last]:,.0f}" in findings.articles_sentence()


def test_hightech_exports_share_of_world():
    last = max(y for i, y in HT if i == "WLD")
    expected = HT[("CHN", last)] / HT[("WLD", last)] * 100
    assert findings.hightech_share_of_world("CHN") == pytest.approx(expected)
    assert f"In {last}, China exported {expected:.1f} %" in findings.hightech_sentence()
