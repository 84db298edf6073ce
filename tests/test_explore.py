"""The explorer's pure parts: measures, growth, numbers in words, and the sentences it prints for the
lessons' real indicators (no "9.19e+03", no lower-cased acronyms, the unit once, no compounded rates)."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from innovation_course.content import charts, data, explore


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


def test_index_and_growth_skip_zeros():
    frame = pd.DataFrame({"KOR": [0.0, 2.0, 4.0]}, index=[2000, 2001, 2002])
    assert explore.transform(frame, "index")["KOR"].tolist() == [0.0, 100.0, 200.0]
    assert explore.transform(frame, "growth")["KOR"].isna().tolist() == [True, True, False]


def test_compound_growth():
    assert explore.compound_growth(1.0, 4.0, 2) == pytest.approx(100.0)
    assert math.isnan(explore.compound_growth(0.0, 4.0, 2))
    assert math.isnan(explore.compound_growth(math.inf, math.inf, 2))


@pytest.mark.parametrize(("value", "text"), [(9190.4, "9,190"), (2.584, "2.58"), (7.6, "7.6"), (0.7224, "0.722"),
                                             (1_030_000, "1,030,000"), (-1.06, "-1.06"), (0, "0"), (100.0, "100")])
def test_plain_number_has_no_exponent(value, text):
    assert explore.plain_number(value) == text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (9190.4, "million USD, current PPP", "9.19 billion"),
    (1_030_000, "million USD, current PPP", "1.03 trillion"),
    (5.43e8, "current US$ (BoP)", "543 million"),
    (3243.2, "number of applications (inventor country, priority date, fractional counts)", "3,240"),
    (2.58, "% of GDP", "2.58"),
    (11200.4, "index, first year = 100", "11,200"),
])
def test_amount_in_words(value, unit, text):
    assert explore.amount(value, unit) == text


def test_unit_words_and_axis_scale():
    assert explore.unit_words("million USD, current PPP") == "US dollars at current PPP"
    assert explore.unit_words("current US$ (BoP)") == "current US dollars"
    assert explore.unit_words("number of applications (inventor country, priority date, fractional counts)") \
        == "applications"
    frame = pd.DataFrame({"CHN": [9190.0, 1.03e6]})
    assert explore.axis_scale(frame, "million USD, current PPP") == (1e3, "billion USD, current PPP")
    assert explore.axis_scale(pd.DataFrame({"CHN": [5.4e8, 4.7e10]}), "current US$ (BoP)") \
        == (1e9, "billion current US$ (BoP)")
    assert explore.axis_scale(pd.DataFrame({"CHN": [2.5]}), "% of GDP") == (1.0, "% of GDP")


def test_change_sentence_is_computed_from_the_frame(wide):
    sentence = explore.change_sentence(wide, "CHN", "applications", "R&D projects")
    assert "R&D projects rose from 1 in 2000 to 4 applications in 2002" in sentence
    assert "+100.0 % a year on average (compound annual growth)" in sentence
    assert "ranks 1st of the 2 economies" in sentence
    assert "fewer than two years" in explore.change_sentence(wide.iloc[:1], "CHN", "", "x")


def test_a_share_changes_by_percentage_points_not_a_compound_rate(wide):
    sentence = explore.change_sentence(wide, "CHN", "% of GDP", "R&D spending")
    assert "from 1 % in 2000 to 4 % of GDP in 2002 (+3.00 percentage points)" in sentence  # no bare figure
    assert "a year" not in sentence


def test_a_growth_rate_is_averaged_not_compounded(wide):
    growth = explore.transform(wide, "growth")
    sentence = explore.change_sentence(growth, "CHN", explore.measure_unit("growth", "x"), "Spending", "growth")
    assert "changed by +100.0 % in 2001 and +100.0 % in 2002 on the year before" in sentence
    assert "the mean of the yearly changes" in sentence and "compound" not in sentence


def _sentence(resource, code, economies, start=None, measure="level"):
    _, _, sentence, _ = explore.view(resource, code, economies, (start or 0, 9999), measure)
    return sentence


LESSON_EXPLORERS = [  # the indicators and choices the lessons open their explorers with
    ("oecd_gerd_ppp", "G_PPP", ("CHN", "USA", "JPN", "EU27_2020"), None),
    ("oecd_pct_patents_by_technology", "PCTAI_NB", ("CHN", "USA", "JPN", "KOR", "EU27_2020"), 2000),
    ("wdi_ip_charges", "BM.GSR.ROYL.CD", ("CHN", "USA", "JPN", "KOR"), 1997),
]


@pytest.mark.parametrize(("resource", "code", "economies", "start"), LESSON_EXPLORERS)
@pytest.mark.parametrize("measure", sorted(explore.MEASURES))
def test_sentences_for_real_indicators_read_as_words(resource, code, economies, start, measure):
    sentence = _sentence(resource, code, economies, start, measure)
    assert not re.search(r"\d[eE][+-]?\d", sentence), sentence  # no exponents
    assert data.indicator_label(resource, code).split(" ")[0] in sentence  # the label keeps its capitals
    assert "compounded" not in sentence
    if measure == "growth":
        assert "compound" not in sentence and "mean of the yearly changes" in sentence
    unit = data.indicator_unit(resource, code)
    assert sentence.count(unit) <= 1 and sentence.count("US dollars") <= 1


def test_real_sentences_give_the_values_in_words():
    wide = data.series("oecd_gerd_ppp", "G_PPP", iso3=["CHN"])
    first, last = wide["CHN"].dropna().index[[0, -1]]
    v0, v1 = wide.loc[first, "CHN"] * 1e6, wide.loc[last, "CHN"] * 1e6  # million USD
    sentence = _sentence("oecd_gerd_ppp", "G_PPP", ("CHN", "USA"))
    assert sentence.startswith("China: GERD (gross domestic expenditure on R&D), current prices and PPPs rose from ")
    assert f"from {explore.plain_number(v0 / 1e9)} billion in {first}" in sentence
    assert f"to {explore.plain_number(v1 / 1e12)} trillion US dollars in {last}" in sentence
    ip = _sentence("wdi_ip_charges", "BM.GSR.ROYL.CD", ("CHN", "USA"), 1997)
    assert "Charges for the use of intellectual property, payments rose from " in ip
    assert "(BoP, current US$)" not in ip and " million in 1997 " in ip and "current US dollars in" in ip
    share = _sentence("oecd_gerd_ppp", "G_XGDP", ("CHN", "USA"))
    assert "percentage points" in share and "% a year" not in share


def test_explorer_chart_axis_reads_in_billions_without_an_exponent():
    wide = data.series("oecd_gerd_ppp", "G_PPP", iso3=["CHN", "USA"])
    divisor, unit = explore.axis_scale(wide, data.indicator_unit("oecd_gerd_ppp", "G_PPP"))
    fig = charts.line(wide / divisor, title="GERD", ylabel=unit, source="oecd_gerd_ppp", alt="a", show=False)
    ax = fig.axes[0]
    fig.canvas.draw()
    assert ax.yaxis.get_offset_text().get_text() == ""  # no "1e6" above the axis
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all("e" not in label for label in labels) and "billion" in ax.get_ylabel()
    assert all(float(t.get_text().replace(",", "").replace("−", "-")).is_integer() for t in ax.get_xticklabels()
               if t.get_text())


def test_long_titles_axis_labels_and_source_lines_wrap_inside_the_chart():
    label = data.indicator_unit("oecd_pct_patents_by_technology", "PCTAI_NB")
    fig = charts.line(data.series("oecd_pct_patents_by_technology", "PCTAI_NB", iso3=["CHN"]),
                      title="GERD (gross domestic expenditure on R&D), current prices and PPPs, a long title indeed",
                      ylabel=label, source="oecd_pct_patents_by_technology + wdi_ip_charges + wdi_gdp_growth",
                      alt="a", show=False)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    ax = fig.axes[0]
    for text in (ax.title, ax._left_title, ax.yaxis.label, fig.texts[0]):
        if text.get_text():
            extent = text.get_window_extent(renderer)
            assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, text.get_text()
            assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, text.get_text()


def test_explorer_sliders_send_on_release_and_redraw_reuses_the_layout():
    explorer = explore.IndicatorExplorer("oecd_gerd_ppp", economies=("CHN", "USA"))
    assert explorer.years.continuous_update is False
    assert explorer.measure.style.button_width == "auto"
    explorer.current()
    high = explorer.years.value[1]
    explorer.years.value = (2000, high)
    explorer.years.value = (2005, high)
    assert len(explorer.timings) == 2 and list(explorer.layouts) == [("G_PPP", "level")]
    assert "from " in explorer.sentence and " in 2005 " in explorer.sentence


def test_the_province_explorer_slider_sends_on_release_too():
    from innovation_course.content import regions

    assert regions.ProvinceExplorer().year.continuous_update is False


def _pixels(bundle: dict):
    import base64
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(charts.chart_image(bundle)[0]))).convert("RGB"), dtype=int)


def test_a_redraw_reuses_the_explorers_figure_and_draws_what_a_new_chart_shows():
    explorer = explore.IndicatorExplorer("oecd_gerd_ppp", economies=("CHN", "USA", "JPN"))
    explorer.current()
    figure = explorer.figure
    explorer.measure.value = "index"
    explorer.economies.value = ("CHN", "USA")
    explorer.measure.value = "level"
    assert explorer.figure is figure and len(explorer.timings) == 3
    ax = figure.axes[0]
    assert len(ax.lines) == 2 and ax.get_ylabel() and figure.texts[0].get_text()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["China", "United States"]
    redrawn, _, sentence = explorer.current()
    fresh, _, fresh_sentence, _ = explore.view("oecd_gerd_ppp", explorer.code.value, ("CHN", "USA"),
                                               explorer.years.value, "level", explorer.layouts[("G_PPP", "level")])
    assert sentence == fresh_sentence
    difference = np.abs(_pixels(redrawn) - _pixels(fresh))
    assert difference.shape[2] == 3 and (difference.max(axis=2) > 40).mean() < 0.002  # the same chart


def test_going_back_to_a_recent_choice_shows_it_again_without_drawing():
    explorer = explore.IndicatorExplorer("oecd_gerd_ppp", economies=("CHN", "USA"))
    level = explorer.current()
    explorer.measure.value = "index"
    drawn = len(explorer.figure.axes[0].lines[0].get_ydata())
    explorer.figure.axes[0].lines[0].set_label("drawn again?")
    explorer.measure.value = "level"  # back: the kept outputs, the figure untouched
    assert explorer.figure.axes[0].lines[0].get_label() == "drawn again?" and drawn
    assert explorer.current(fast=True) == explorer.rendered[next(reversed(explorer.rendered))]
    assert explorer.current()[2] == level[2]  # the first view's sentence
    for start in range(explorer.years.min, explorer.years.min + explore.RENDERED_KEPT + 3):
        explorer.years.value = (start, explorer.years.max)
    assert len(explorer.rendered) == explore.RENDERED_KEPT


def test_a_redraw_gives_the_pixels_of_a_new_chart_whatever_changed():
    """The explorer draws into its one figure (lines kept while the economies stay); every view must look
    exactly like the same choice drawn afresh."""
    import base64
    import io

    from PIL import Image

    def pixels(bundle):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(charts.chart_image(bundle)[0]))).convert("RGB"))

    app = explore.IndicatorExplorer("oecd_gerd_ppp", economies=("CHN", "USA", "JPN", "EU27_2020"))
    app.current()
    steps = [("measure", "index"), ("measure", "growth"), ("economies", ("CHN", "USA")), ("years", (2005, 2015)),
             ("measure", "level"), ("economies", ("CHN", "USA", "JPN", "EU27_2020"))]
    for name, value in steps:
        app.rendered.clear()
        getattr(app, name).value = value
        shown = app.rendered[next(reversed(app.rendered))]
        layout = app.layouts.get((app.code.value, app.measure.value))
        fresh = explore.view(app.resource, app.code.value, app.economies.value, app.years.value, app.measure.value,
                             layout, fast=True)
        assert shown[2] == fresh[2]
        assert (pixels(shown[0]) == pixels(fresh[0])).all(), (name, value)
    labels = [text.get_text() for text in app.figure.axes[0].get_legend().get_texts()]
    assert len(labels) == 4 and len(app.figure.axes[0].lines) == 4  # lines replaced, not added, when economies change
