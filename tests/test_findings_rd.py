"""Lesson 2 findings, recomputed from the raw CSV files and checked against shared/facts.md (claim 4)."""

import csv
from pathlib import Path

import pytest

from innovation_course.content import findings
from innovation_course.content.findings import rd, rd_researchers

DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


GERD_ROWS = _rows("oecd_gerd_ppp")


def _gerd(iso3, code):
    return {int(r["year"]): float(r["value"]) for r in GERD_ROWS if r["iso3"] == iso3 and r["indicator_code"] == code}


def _crossing(a, b, code):
    """Independent rule: the year after the last year in which a was not above b (both with data)."""
    va, vb = _gerd(a, code), _gerd(b, code)
    years = sorted(set(va) & set(vb))
    if not va[years[-1]] > vb[years[-1]]:
        return None
    not_above = [y for y in years if not va[y] > vb[y]]
    return min(y for y in years if not not_above or y > max(not_above))


def test_exported_through_the_package():
    for name in ("crossing_year", "basic_research_share", "second_largest_years", "series_breaks"):
        assert getattr(findings, name) is getattr(rd, name)


@pytest.mark.parametrize("code", ["G_PPP", "G_PPPCT", "G_XGDP"])
@pytest.mark.parametrize("other", ["USA", "JPN", "EU27_2020", "DEU", "KOR", "GBR", "FRA"])
def test_crossing_year_matches_independent_rule(code, other):
    assert rd.crossing_year("CHN", other, code) == _crossing("CHN", other, code)
    assert rd.crossing_year(other, "CHN", code) == _crossing(other, "CHN", code)


def test_crossing_years_of_facts_md_claim_4():
    # facts.md: passes Japan in 2009, the EU-27 in 2013 (current PPP) or 2016 (constant 2020 PPP),
    # the US in 2024 (2024 values are OECD estimates).
    assert rd.crossing_year("CHN", "JPN", "current") == 2009
    assert rd.crossing_year("CHN", "JPN", "constant") == 2009
    assert rd.crossing_year("CHN", "EU27_2020", "current") == 2013
    assert rd.crossing_year("CHN", "EU27_2020", "constant") == 2016
    assert rd.crossing_year("CHN", "USA", "current") == 2024
    assert rd.crossing_year("CHN", "USA", "G_PPP") == 2024


def test_crossing_year_by_intensity():
    assert rd.crossing_year("CHN", "EU27_2020", "intensity") == 2015
    assert rd.crossing_year("CHN", "USA", "intensity") is None
    assert rd.crossing_year("CHN", "JPN", "intensity") is None


def test_crossing_year_means_stays_above():
    year = rd.crossing_year("CHN", "JPN", "current")
    china, japan = _gerd("CHN", "G_PPP"), _gerd("JPN", "G_PPP")
    assert all(china[y] > japan[y] for y in china if y >= year and y in japan)
    assert not china[year - 1] > japan[year - 1]


def test_crossing_table():
    table = rd.crossing_table()
    assert table.loc["R&D spending at current PPP", "Japan"] == "2009"
    assert table.loc["R&D spending at constant 2020 PPP", "EU-27"] == "2016"
    assert table.loc["R&D spending as % of GDP", "United States"] == "—"


def test_unknown_measure_is_refused():
    with pytest.raises(ValueError):
        rd.crossing_year("CHN", "USA", "nominal")


def test_series_breaks_from_obs_status():
    # SOURCES.md: China breaks in 2000 and 2009; Japan in 1996, 2008, 2013, 2018.
    assert rd.flagged_years("CHN", "current", "B") == [2000, 2009]
    assert rd.series_breaks()["JPN"] == [1996, 2008, 2013, 2018]
    raw = sorted(int(r["year"]) for r in GERD_ROWS if r["iso3"] == "USA" and r["indicator_code"] == "G_PPPCT"
                 and "B" in r["obs_status"].split("+"))
    assert rd.flagged_years("USA", "constant", "B") == raw


def test_2024_estimates():
    assert 2024 in rd.flagged_years("CHN", "constant", "E")
    assert 2024 in rd.flagged_years("USA", "current", "E")


def test_second_largest_spender():
    # facts.md claim 4: true for 2009 (single countries) or 2013 (EU-27 as one) to 2023; out of date in 2024.
    assert rd.second_largest_years("current", True) == (2013, 2023)
    assert rd.second_largest_years("current", False) == (2009, 2023)
    assert rd.second_largest_years("constant", True) == (2016, 2023)
    assert rd.rank("CHN", 2024, "current") == 1
    assert rd.rank("CHN", 2024, "constant") == 1
    assert rd.rank("USA", 2023, "current") == 1
    assert "out of date" in rd.second_largest_sentence("current")


def test_ratio_and_values():
    china, japan = _gerd("CHN", "G_PPP"), _gerd("JPN", "G_PPP")
    assert rd.gerd_value("CHN", 2023, "current") == pytest.approx(china[2023])
    assert rd.gerd_ratio("CHN", "JPN", 2023) == pytest.approx(china[2023] / japan[2023])


def test_basic_research_share_from_nbs_national_total():
    rows = [r for r in _rows("china_provinces_rd") if r["region_code"] == "CN"]
    total = {int(r["year"]): float(r["value"]) for r in rows if r["indicator_code"] == "v4_zh_nbzc_hj"}
    basic = {int(r["year"]): float(r["value"]) for r in rows if r["indicator_code"] == "v4_zh_nbzc_jcyj"}
    share = rd.basic_research_share()
    assert dict(share.items()) == pytest.approx({y: basic[y] / total[y] * 100 for y in total})
    # SOURCES.md: 2023 basic research 2 259.1 of 33 357.1 (100 million CNY).
    assert rd.basic_research_share(2023) == pytest.approx(2259.1 / 33357.1 * 100, abs=0.01)
    oecd = {int(r["year"]): float(r["value"]) for r in _rows("oecd_rd_by_type")
            if r["iso3"] == "CHN" and r["indicator_code"] == "G_BRXG"}
    assert oecd[2023] == pytest.approx(rd.basic_research_share(2023), abs=0.01)  # NBS and OECD: the same split
    assert f"{oecd[2023]:.1f} % for 2023, the same split" in rd.basic_research_sentence()


def test_researchers_and_the_2009_break():
    raw = {int(r["year"]): float(r["value"]) for r in _rows("oecd_researchers_fte") if r["iso3"] == "CHN"}
    assert rd_researchers.researchers(["CHN"])["CHN"].to_dict() == pytest.approx(raw)
    assert raw[2009] < raw[2008]
    assert "2009" in rd_researchers.researchers_sentence()


def test_intensity_sentence():
    text = rd.intensity_sentence(2023)
    china = _gerd("CHN", "G_XGDP")[2023]
    assert f"{china:.2f} %" in text and "less than the United States" in text


def _wdi(name, code):
    return {(r["iso3"], int(r["year"])): float(r["value"]) for r in _rows(name) if r["indicator_code"] == code}


def test_rd_at_market_exchange_rates():
    """GDP in current US$ × R&D % of GDP: China about 0.49 × the US in 2023 (issue 12)."""
    gdp, share = _wdi("wdi_gdp", "NY.GDP.MKTP.CD"), _wdi("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS")
    china, usa = (gdp[(c, 2023)] * share[(c, 2023)] / 100 / 1e9 for c in ("CHN", "USA"))
    assert findings.rd_market_last_year() == 2023
    assert findings.rd_market_usd(["CHN", "USA"]).loc[2023, "CHN"] == pytest.approx(china)
    assert findings.rd_market_ratio("CHN", "USA", 2023) == pytest.approx(china / usa)
    assert round(china / usa, 2) == 0.49
    ppp = _gerd("CHN", "G_PPP")[2023] / _gerd("USA", "G_PPP")[2023]
    assert findings.rd_ppp_ratio("CHN", "USA", 2023) == pytest.approx(ppp) and ppp > 0.9
    sentence = findings.exchange_rate_sentence()
    assert f"{china / usa:.2f} times" in sentence
    assert "overtaken at PPP (2024, OECD estimates); still second at exchange rates" in sentence
    for other in ("JPN", "EUU"):  # second, not third: ahead of Japan and the EU at exchange rates
        assert china > gdp[(other, 2023)] * share[(other, 2023)] / 100 / 1e9


def test_researchers_per_million():
    values = _wdi("wdi_researchers_rd", "SP.POP.SCIE.RD.P6")
    last = max(y for (i, y) in values if i == "CHN")
    assert findings.researchers_per_million(["CHN"]).loc[last, "CHN"] == pytest.approx(values[("CHN", last)])
    sentence = findings.researchers_per_million_sentence()
    assert f"{values[('CHN', last)]:,.0f} researchers per million people in {last}" in sentence
    assert all(values[("CHN", last)] < values[(o, last)] for o in ("JPN", "KOR", "EUU"))


def test_eu_crossing_depends_on_the_aggregate():
    """Lesson 2 (OECD EU-27) and lesson 6 (World Bank EU) give different years (issue 12, item 3)."""
    years = findings.eu_intensity_crossings()
    assert years["OECD EU-27"] == _crossing("CHN", "EU27_2020", "G_XGDP") == 2015
    assert years["World Bank EU"] == 2020
    sentence = findings.eu_intensity_sentence()
    assert "in 2015 against the OECD's EU-27" in sentence and "in 2020 against the World Bank's EU" in sentence
