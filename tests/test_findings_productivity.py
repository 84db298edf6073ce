"""Lesson 5's new findings, recomputed from the raw CSV files with the csv module: productivity (Penn World Table,
World Bank), the FDI verdict with the 2023 collapse, and the reported figures on funds and talent. Each verdict is
checked to follow from the numbers: with other numbers, it changes."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from raw_data import raw, reported

from innovation_course.content import findings
from innovation_course.content.findings import challenges, productivity

DATA = Path(__file__).resolve().parent.parent / "data"


PWT = raw("pwt1001_productivity")
WDI = raw("wdi_labour_productivity")["SL.GDP.PCAP.EM.KD"]
FDI = {y: v / 1e9 for (i, y), v in raw("wdi_fdi_net_inflows")["BX.KLT.DINV.CD.WD"].items() if i == "CHN"}


def rate(first: float, last: float, years: int) -> float:
    return ((last / first) ** (1 / years) - 1) * 100


def test_the_split_year_is_the_strategy_milestone_and_the_series_end_in_2019():
    with (DATA / "policy_milestones.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "innovation-driven" in r["milestone"].lower()
                and "strateg" in r["milestone"].lower()]
    assert productivity.STRATEGY_YEAR == min(int(r["year"]) for r in rows) == 2012
    assert productivity.pwt_last_year() == max(y for (i, y) in PWT["rtfpna"]) == 2019


@pytest.mark.parametrize("iso3", productivity.PRODUCTIVITY_ECONOMIES)
def test_tfp_growth_and_index_recomputed(iso3):
    tfp = PWT["rtfpna"]
    assert findings.tfp_growth(iso3, 2012, 2019) == pytest.approx(rate(tfp[(iso3, 2012)], tfp[(iso3, 2019)], 7))
    index = findings.tfp_index()
    assert index.loc[2012, iso3] == pytest.approx(100)
    assert index.loc[2019, iso3] == pytest.approx(tfp[(iso3, 2019)] / tfp[(iso3, 2012)] * 100)


def test_growth_accounting_recomputed_from_pwt():
    table = findings.growth_accounting("CHN")
    assert list(table.index) == ["2000–2012", "2012–2019"]
    y, e, k, hc, tfp = (PWT[c] for c in ("rgdpna", "emp", "rnna", "hc", "rtfpna"))
    for label, (a, b) in zip(table.index, [(2000, 2012), (2012, 2019)], strict=True):
        row = table.loc[label]
        c = "CHN"
        assert row["output per worker"] == pytest.approx(rate(y[(c, a)] / e[(c, a)], y[(c, b)] / e[(c, b)], b - a))
        assert row["capital per worker"] == pytest.approx(rate(k[(c, a)] / e[(c, a)], k[(c, b)] / e[(c, b)], b - a))
        assert row["human capital per worker"] == pytest.approx(rate(hc[(c, a)], hc[(c, b)], b - a))
        assert row["TFP"] == pytest.approx(rate(tfp[(c, a)], tfp[(c, b)], b - a))


def test_tfp_sentence_and_level():
    sentence = findings.tfp_sentence()
    tfp = PWT["rtfpna"]
    after = rate(tfp[("CHN", 2012)], tfp[("CHN", 2019)], 7)
    assert f"fell {abs(after):.1f} % a year in 2012–2019" in sentence
    assert f"was {tfp[('CHN', 2019)] / tfp[('CHN', 2012)] * 100:.1f} in 2019" in sentence
    assert "TFP grew in 5 of the 5 other economies shown" in sentence
    assert findings.tfp_level("CHN", 2019) == PWT["ctfp"][("CHN", 2019)]


def test_verdict_follows_the_sign_of_tfp_growth(monkeypatch):
    verdict = findings.innovation_growth_verdict()
    assert verdict.startswith("Not supported by the data to 2019") and "Since 2019: cannot be checked" in verdict
    # the same code gives another verdict when TFP grows: the verdict is computed, not typed
    real = productivity._pwt

    def rising(code, economies=productivity.PRODUCTIVITY_ECONOMIES):
        wide = real(code, economies)
        if code == "rtfpna":
            wide.loc[2013:] = wide.loc[2013:].mul(pd.Series(1.05, index=wide.columns)).to_numpy() * 1.05
        return wide

    monkeypatch.setattr(productivity, "_pwt", rising)
    assert findings.innovation_growth_verdict().startswith(("Supported", "Partly supported"))


def test_caveats_say_where_the_fall_comes_and_where_the_series_end():
    caveats = " ".join(findings.productivity_caveats())
    tfp = PWT["rtfpna"]
    flat_until = max(y for (i, y) in tfp if i == "CHN" and y >= 2012 and tfp[(i, y)] >= tfp[("CHN", 2012)])
    assert f"until {flat_until}" in caveats and flat_until == 2017
    assert "end in 2019" in caveats and "residual" in caveats


def test_labour_productivity_to_2024_from_the_world_bank():
    ratio = findings.labour_productivity_ratio()
    assert ratio[2024] == pytest.approx(WDI[("CHN", 2024)] / WDI[("USA", 2024)])
    sentence = findings.labour_productivity_sentence()
    assert f"China {WDI[('CHN', 2024)]:,.0f} in 2024" in sentence
    assert f"{rate(WDI[('CHN', 2019)], WDI[('CHN', 2024)], 5):.1f} % a year in China" in sentence


def test_fdi_names_the_2023_collapse():
    falls = {y: FDI[y] / FDI[y - 1] - 1 for y in FDI if y - 1 in FDI}
    assert findings.fdi_largest_fall_year() == min(falls, key=falls.get) == 2023
    sentence = findings.fdi_sentence()
    assert f"from US$ {FDI[2022]:.1f} billion to US$ {FDI[2023]:.1f} billion" in sentence
    assert f"{-falls[2023] * 100:.0f} % less in one year" in sentence


def test_fdi_verdict_keeps_statements_apart_from_investment(monkeypatch):
    verdict = findings.fdi_verdict()
    assert "The optimism itself: cannot be checked with these data" in verdict
    assert "not supported by the flows" in verdict and "sharpest fall in 2023" in verdict
    reported_text = findings.fdi_reported_sentence()
    for figure_id in ("mofcom_fdi_2024_fall", "mofcom_fdi_2025_fall", "mofcom_new_firms_2025_rise"):
        assert f"{reported(figure_id):g} %" in reported_text
    assert f"about {reported('safe_fdi_2023'):g} billion US$" in reported_text
    # had the inflows recovered to their peak, the investment half of the verdict would change
    flows = challenges.fdi_inflows()
    grown = flows.copy()
    grown.iloc[-1] = flows.max() * 2
    monkeypatch.setattr(challenges, "fdi_inflows", lambda iso3="CHN": grown)
    assert "supported by the flows" in findings.fdi_verdict() and "not supported" not in findings.fdi_verdict()


def test_guidance_funds_target_beside_outcome():
    share = findings.guidance_fund_raised_share()
    assert share == pytest.approx(reported("ggf_raised_2020") / reported("ggf_target_2020") * 100)
    table = findings.funds_table()
    assert f"{share:.0f} % of the target" in table.iloc[0]["outcome reported"]
    assert table.iloc[2]["outcome reported"].startswith("not yet known")
    assert f"{reported('ai_talent_chinese_origin'):g} %" in findings.talent_sentence()
