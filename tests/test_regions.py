"""Region groupings and the province explorer's pure functions (the widget only wires them)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from innovation_course.content import charts, regions

FACTS_MD = (Path(__file__).resolve().parent.parent / "data" / "facts.md").read_text(encoding="utf-8")


def test_groupings_name_the_right_provinces():
    names = regions.province_names()
    assert [names[c] for c in regions.CITY_REGIONS["JJJ"].provinces] == ["Beijing", "Tianjin", "Hebei"]
    assert [names[c] for c in regions.CITY_REGIONS["YRD"].provinces] == ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"]
    gba = regions.CITY_REGIONS["GBA"]
    assert [names[c] for c in gba.provinces] == ["Guangdong"]
    assert gba.proxy and "proxy" in gba.label and "Guangdong" in gba.label
    assert "Hong Kong" in gba.note and "Macao" in gba.note
    assert not regions.CITY_REGIONS["JJJ"].proxy


def test_gba_cities_are_facts_md_claim_eight():
    row = next(line for line in FACTS_MD.splitlines() if line.startswith("| 8 |"))
    listed = re.search(r"nine Guangdong cities: ([^|]+)\|", row).group(1)
    nine = [c.strip() for c in listed.split(",")]
    table = regions.gba_cities_table()
    assert table.loc[table["in"] == "Guangdong", "city"].tolist() == nine
    assert set(table["city"]) - set(nine) == {"Hong Kong", "Macao"}
    assert len(table) == 11


def test_no_province_data_for_hong_kong_or_macao():
    names = set(regions.province_names().values())
    assert len(names) == 32
    assert not {n for n in names if "Hong Kong" in n or "Macao" in n or "Macau" in n}


def test_grouped_intensity_lies_between_its_provinces():
    wide = regions.province_wide(regions.INTENSITY)
    grouped = regions.grouped(wide, regions.INTENSITY)
    for key, region in regions.CITY_REGIONS.items():
        cols = list(region.provinces)
        assert (grouped[key] >= wide[cols].min(axis=1) - 1e-9).all()
        assert (grouped[key] <= wide[cols].max(axis=1) + 1e-9).all()


def test_grouped_counts_are_sums():
    wide = regions.province_wide("v4_cg_zlsq_fm")
    grouped = regions.grouped(wide, "v4_cg_zlsq_fm")
    assert grouped.loc[2015, "YRD"] == wide.loc[2015, ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"]].sum()


def test_province_values_and_missing_years():
    values = regions.province_values(regions.INTENSITY, 2023, ["CN-BJ", "CN-GD"])
    assert list(values.index) == ["Beijing", "Guangdong"]
    assert regions.province_values(regions.INTENSITY, 2010, ["CN-BJ"]).empty  # intensity starts in 2011
    assert regions.national_value(regions.INTENSITY, 2010) is None
    assert regions.years_covered(regions.EXPENDITURE) == (2011, 2023)


def test_bars_sentence():
    values = pd.Series({"A": 4.0, "B": 1.0, "C": 2.0})
    sentence = regions.bars_sentence(values, regions.INTENSITY, 2020, national=2.4)
    assert sentence.startswith("R&D intensity in 2020: A is highest of the 3 shown (4.00 % of GDP)")
    assert "4.0 times B (1.00 % of GDP)" in sentence and "national intensity is 2.40 %" in sentence
    counts = regions.bars_sentence(pd.Series({"A": 1500.0}), regions.EXPENDITURE, 2020)
    assert counts == "R&D expenditure in 2020: A is highest of the 1 shown (1,500 亿元)."
    empty = regions.bars_sentence(pd.Series(dtype=float), regions.INTENSITY, 2010)
    assert "2011–2023" in empty


@pytest.mark.parametrize("view", ["provinces", "city-regions"])
def test_explorer_view(view):
    values, sentence = regions.explorer_view("v4_cg_zlsq2_fm", 2023, ["CN-BJ", "CN-GD"], view)
    if view == "provinces":
        assert set(values.index) == {"Beijing", "Guangdong"}
    else:
        assert list(values.index) == ["Beijing–Tianjin–Hebei", "Yangtze River Delta", "Guangdong (GBA proxy)"]
    assert values.idxmax() in sentence and "national total" in sentence


def test_explorer_chart_for_every_indicator_and_view():
    for code in regions.INDICATORS:
        for view in ("provinces", "city-regions"):
            bundle, metadata, sentence = regions.explorer_chart(code, 2020, ["CN-BJ", "CN-GD"], view)
            assert not metadata and charts.chart_image(bundle)[1] == sentence
            assert bundle["text/plain"] == f"Chart: {sentence}"
    bundle, _metadata, sentence = regions.explorer_chart(regions.INTENSITY, 2010, ["CN-BJ"])
    assert charts.chart_image(bundle) is None and "2011–2023" in sentence


def test_explorer_redraws_when_a_control_changes():
    app = regions.ProvinceExplorer()
    assert app.year.min == 2010 and app.year.max == 2023 and app.year.value == 2023
    app.view.value = "city-regions"
    assert "Beijing–Tianjin–Hebei" in app.sentence
    app.indicator.value = "v4_cg_zlsq2_fm"
    app.view.value = "provinces"
    app.provinces.value = ("CN-GD", "CN-HE")
    app.year.value = 2015
    assert app.sentence.startswith("Invention patents granted in 2015: Guangdong is highest of the 2 shown")


def test_the_province_explorer_reuses_a_layout_for_the_same_bars():
    explorer = regions.ProvinceExplorer()
    explorer.current()
    assert len(explorer.layouts) == 1
    explorer.year.value = explorer.year.value - 1
    explorer.year.value = explorer.year.value + 1
    assert len(explorer.layouts) == 1  # same indicator, view and bars: no new layout step
    explorer.view.value = "city-regions"
    assert len(explorer.layouts) == 2


def test_the_province_explorer_shows_a_recent_choice_again_without_drawing(monkeypatch):
    explorer = regions.ProvinceExplorer()
    first = explorer.current()
    explorer.view.value = "city-regions"
    monkeypatch.setattr(regions, "explorer_chart", lambda *a, **k: pytest.fail("drew a choice it had"))
    explorer.view.value = "provinces"
    assert explorer.current() is first


def test_the_explorer_figure_drawn_again_matches_a_new_figure_every_time():
    import base64
    import io

    import numpy as np
    from PIL import Image

    def decoded(bundle):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(charts.chart_image(bundle)[0]))).convert("RGB"))

    figure, kept = charts.blank_figure(), {}
    choices = [(regions.INTENSITY, 2020, list(regions.CITY_REGION_PROVINCES), "provinces"),
               (regions.INTENSITY, 2020, ["CN-BJ", "CN-GD"], "city-regions"),  # 3 bars after more, a national line
               ("v4_cg_zlsq2_fm", 2015, ["CN-GD", "CN-HE"], "provinces"),  # no national line: its legend goes
               (regions.INTENSITY, 2019, list(regions.CITY_REGION_PROVINCES), "provinces")]  # a kept layout
    for choice in choices:
        fresh_layouts = dict(kept)
        reused = regions.explorer_chart(*choice, kept, figure)
        fresh = regions.explorer_chart(*choice, fresh_layouts)
        assert reused[2] == fresh[2]
        assert (decoded(reused[0]) == decoded(fresh[0])).all(), choice
        labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        values, _ = regions.explorer_view(*choice)
        assert sorted(labels) == sorted(charts.label_for(i) for i in values.index)  # only this view's bars
    assert len(figure.texts) == 1 and figure.texts[0].get_text().startswith("Source:")
