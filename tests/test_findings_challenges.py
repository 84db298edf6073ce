"""Lesson 5's findings, recomputed from the raw CSV files with the csv module and checked against the
statements in facts.md (claim 9 and the GII ranks), so a change in the data or the code that moves a
finding fails here."""

import csv
import math
from pathlib import Path

import pytest

from innovation_course.content import findings

DATA = Path(__file__).resolve().parents[1] / "data"


def rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def values(name, code, iso3="CHN", field="indicator_code", area="iso3"):
    return {int(r["year"]): float(r["value"]) for r in rows(name) if r[field] == code and r[area] == iso3}


# --------------------------------------------------------------------------- growth claim (facts.md claim 9)

@pytest.fixture(scope="module")
def growth():
    return values("wdi_gdp", "NY.GDP.MKTP.KD.ZG")


@pytest.mark.parametrize("decade, checked", [(1980, 9.7), (1990, 10.1), (2000, 10.4), (2010, 7.7)])
def test_decade_arithmetic_means_match_facts(growth, decade, checked):
    rates = [growth[y] for y in range(decade, decade + 10)]
    assert len(rates) == 10
    expected = sum(rates) / 10
    assert findings.decade_growth(decade) == pytest.approx(expected, abs=1e-9)
    assert round(findings.decade_growth(decade), 1) == checked  # facts.md, claim 9


def test_decade_compound_means(growth):
    for decade in findings.DECADES:
        factor = math.prod(1 + growth[y] / 100 for y in range(decade, decade + 10))
        expected = (factor ** (1 / 10) - 1) * 100
        assert findings.decade_growth(decade, "compound") == pytest.approx(expected, abs=1e-9)
        # a compound mean never exceeds the arithmetic mean of the same rates
        assert findings.decade_growth(decade, "compound") <= findings.decade_growth(decade)


def test_whole_period_means_match_facts(growth):
    assert round(findings.growth_period(1980, 2019), 1) == 9.5
    assert round(findings.growth_period(1978, 2024), 1) == 9.0
    years = range(1978, 2025)
    assert findings.growth_period(1978, 2024) == pytest.approx(sum(growth[y] for y in years) / len(years))


def test_maddison_compound_by_decade():
    gdp = values("maddison2020_gdp", "MPD2020_gdp_owid")
    assert max(gdp) == 2018
    for decade in findings.DECADES:
        last = min(decade + 9, 2018)
        expected = ((gdp[last] / gdp[decade - 1]) ** (1 / (last - decade + 1)) - 1) * 100
        assert findings.decade_growth(decade, "compound", "Maddison") == pytest.approx(expected, abs=1e-9)
    assert findings.decades_above(9.0, "compound", "Maddison") == 0


def test_growth_claim_verdict_and_table():
    assert findings.decades_above() == 3
    table = findings.growth_by_decade()
    assert list(table.index) == ["1980s", "1990s", "2000s", "2010s"]
    assert table.loc["2010s", "WDI, arithmetic mean"] < 9 < table.loc["2000s", "WDI, arithmetic mean"]
    verdict = findings.growth_claim_verdict()
    assert verdict.startswith("Partly supported") and "2010s" in verdict
    from innovation_course.content.brief import VERDICTS
    assert verdict.split(":")[0] in VERDICTS  # one verdict vocabulary across lessons (issue 12, item 11)
    sentence = findings.growth_claim_sentence()
    for text in ("1980s 9.7 %", "1990s 10.1 %", "2000s 10.4 %", "2010s 7.7 %", "1980–2019 as a whole: 9.5 %"):
        assert text in sentence


def test_growth_period_sentence_keeps_the_side_of_the_threshold():
    sentence = findings.growth_period_sentence(1978, 2024)
    assert "8.97 %" in sentence and "not above" in sentence
    assert "above the claim" in findings.growth_period_sentence(1990, 1999)
    with pytest.raises(ValueError):
        findings.growth_period(1980, 1989, "harmonic")


# --------------------------------------------------------------------------- intellectual property

def test_ip_flows_recomputed():
    pay = values("wdi_ip_charges", "BM.GSR.ROYL.CD")
    rec = values("wdi_ip_charges", "BX.GSR.ROYL.CD")
    flows = findings.ip_flows("CHN")
    assert list(flows.index) == sorted(set(pay) & set(rec))
    for year in (1997, 2010, 2025):
        assert flows.loc[year, "payments"] == pytest.approx(pay[year] / 1e9)
        assert findings.ip_ratio(year) == pytest.approx(pay[year] / rec[year])
        assert findings.ip_balance(year) == pytest.approx((rec[year] - pay[year]) / 1e9)
    ratios = {y: pay[y] / rec[y] for y in pay if y in rec}
    assert findings.ip_peak_ratio_year() == max(ratios, key=ratios.get) == 2005
    assert all(pay[y] > rec[y] for y in ratios)  # a deficit in every year of the data


def test_ip_balances_and_surplus_economies():
    balances = findings.ip_balances(2024)
    assert balances["USA"] > 0 > balances["CHN"]
    assert balances["USA"] == balances.max()
    assert "CHN" not in findings.ip_surplus_economies(2024)
    assert "USA" in findings.ip_surplus_economies(2024)
    sentence = findings.ip_sentence()
    assert "In 2025" in sentence and "29 of the 29 years" in sentence


# --------------------------------------------------------------------------- patents

def test_invention_shares_recomputed():
    def national(code):
        return values("china_provinces_patents", code, iso3="CN", area="region_code")

    for measure, (inv, total) in {"grants": ("v4_cg_zlsq2_fm", "v4_cg_zlsq2_hj"),
                                  "applications": ("v4_cg_zlsq_fm", "v4_cg_zlsq_hj")}.items():
        a, b = national(inv), national(total)
        shares = findings.invention_shares(measure)
        assert list(shares.index) == list(range(2010, 2024))
        for year in (2010, 2016, 2023):
            assert findings.invention_share(year, measure) == pytest.approx(a[year] / b[year] * 100)
    assert round(findings.invention_share(2010, "grants"), 1) == 10.8
    assert round(findings.invention_share(2023, "grants"), 1) == 23.2
    mix = findings.patent_mix(2023, "grants")
    assert mix.sum() == pytest.approx(100, abs=0.01)  # the three kinds add up to the total
    assert mix.idxmax() == "utility model"


# --------------------------------------------------------------------------- Global Innovation Index

def test_gii_ranks_match_facts():
    checked = {2014: 29, 2015: 29, 2016: 25, 2017: 22, 2018: 17, 2019: 14, 2020: 14, 2021: 12, 2022: 11,
               2023: 12, 2024: 11, 2025: 10}  # facts.md, "Other checked figures"
    ranks = findings.gii_ranks()
    for edition, rank in checked.items():
        assert ranks[edition] == rank == findings.gii_rank(edition)
    raw = {int(r["gii_edition"]): int(r["gii_rank"]) for r in rows("gii_china_rank")}
    assert ranks.to_dict() == raw
    assert findings.gii_first_top_ten() == 2025
    assert findings.gii_places_climbed(2012, 2025) == 24
    assert findings.gii_economies_ranked() == (126, 143)
    assert "not strictly comparable" in findings.gii_sentence()


def test_ip_balance_sentence_and_common_year():
    economies = findings.IP_ECONOMIES
    flows = rows("wdi_ip_charges")
    years = [
        {int(r["year"]) for r in flows if r["iso3"] == iso3 and r["indicator_code"] == "BM.GSR.ROYL.CD"}
        & {int(r["year"]) for r in flows if r["iso3"] == iso3 and r["indicator_code"] == "BX.GSR.ROYL.CD"}
        for iso3 in economies
    ]
    common = max(set.intersection(*years))
    assert findings.ip_common_year() == common
    sentence = findings.ip_balance_sentence()
    surplus = findings.ip_surplus_economies(common)
    assert f"{len(surplus)} of the {len(economies)} economies" in sentence
    assert "The United States had the largest surplus" in sentence
    assert "China's deficit" in sentence


def test_official_against_maddison():
    both = findings.growth_sources()
    assert int(both.index.min()) == 1978 and int(both.index.max()) == 2018
    wdi = values("wdi_gdp", "NY.GDP.MKTP.KD.ZG")
    gdp = values("maddison2020_gdp", "MPD2020_gdp_owid")
    assert both.loc[2000, "Official (World Bank)"] == pytest.approx(wdi[2000])
    assert both.loc[2000, "Maddison Project"] == pytest.approx((gdp[2000] / gdp[1999] - 1) * 100)
    official = findings.growth_period(1978, 2018, "compound", "WDI")
    maddison = findings.growth_period(1978, 2018, "compound", "Maddison")
    assert maddison == pytest.approx(((gdp[2018] / gdp[1977]) ** (1 / 41) - 1) * 100)
    assert official > maddison + 2  # the alternative estimate is much slower
    assert f"{official:.1f} % a year in the official series" in findings.growth_sources_sentence()


def test_invention_share_table():
    table = findings.invention_share_table()
    assert list(table.columns) == ["Applications", "Grants"]
    assert table.loc[2023, "Grants"] == pytest.approx(findings.invention_share(2023, "grants"))
    assert (table["Applications"] > table["Grants"]).sum() >= 10


def test_rankings_used_as_answer_keys(growth):
    means = {f"{d}s": sum(growth[y] for y in range(d, d + 10)) / 10 for d in findings.DECADES}
    assert findings.decades_by_growth() == sorted(means, key=means.get, reverse=True)
    assert findings.decades_by_growth() == ["2000s", "1990s", "1980s", "2010s"]
    names = findings.ip_surplus_names(2025)
    assert names == ["United States", "Japan", "Germany", "United Kingdom", "France"]
    assert len(names) == len(findings.ip_surplus_economies(2025))


def test_fdi_inflows_against_akram():
    path = Path(__file__).resolve().parent.parent / "data" / "wdi_fdi_net_inflows.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        raw = {int(r["year"]): float(r["value"]) / 1e9 for r in csv.DictReader(handle) if r["iso3"] == "CHN"}
    peak = max(raw, key=raw.get)
    assert findings.fdi_peak_year() == peak == 2021
    sentence = findings.fdi_sentence()
    assert f"US$ {raw[peak]:.1f} billion in {peak}" in sentence
    assert f"In 2024 the inflow was US$ {raw[2024]:.1f} billion" in sentence
    assert "fell in each year from 2021 to 2024" in sentence
    with (path.parent / "wdi_gdp.csv").open(encoding="utf-8", newline="") as handle:
        gdp = {int(r["year"]): float(r["value"]) / 1e9 for r in csv.DictReader(handle)
               if r["iso3"] == "CHN" and r["indicator_code"] == "NY.GDP.MKTP.CD"}
    share = findings.fdi_share_of_gdp()
    assert share[2024] == pytest.approx(raw[2024] / gdp[2024] * 100)
    assert 0 < share[2024] < share[2021]
