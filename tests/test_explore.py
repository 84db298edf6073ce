"""The explorer's pure parts: measures, growth and the computed sentence."""

import math

import pandas as pd
import pytest

from innovation_course import data, explore


@pytest.fixture
def wide():
    years = pd.Index([2000, 2001, 2002], name="year")
    return pd.DataFrame({"CHN": [1.0, 2.0, 4.0], "USA": [3.0, 3.0, 3.0]}, index=years)


def test_index_and_growth_measures(wide):
    assert explore.transform(wide, "index")["CHN"].tolist() == [100.0, 200.0, 400.0]
    assert explore.transform(wide, "growth")["CHN"].tolist()[1:] == [100.0, 100.0]
    assert explore.transform(wide, "level") is wide
    with pytest.raises(ValueError, match="measure"):
        explore.transform(wide, "log")


def test_compound_growth():
    assert explore.compound_growth(1.0, 4.0, 2) == pytest.approx(100.0)
    assert math.isnan(explore.compound_growth(0.0, 4.0, 2))


def test_change_sentence_is_computed_from_the_frame(wide):
    sentence = explore.change_sentence(wide, "CHN", "% of GDP", "r&d intensity")
    assert "from 1 in 2000 to 4 % of GDP in 2002" in sentence and "+100.0 % a year" in sentence
    assert "ranks 1 of 2" in sentence
    assert "fewer than two years" in explore.change_sentence(wide.iloc[:1], "CHN", "", "x")


def test_change_sentence_on_real_data_names_the_last_year():
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "USA"])
    last = int(wide["CHN"].dropna().index[-1])
    assert f"in {last}" in explore.change_sentence(wide, "CHN", "% of GDP", "r&d")
