"""The policy timeline: filtering, labels and layout are pure and tested; the chart and app are smoke-tested."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from innovation_course.content import charts, data, timeline

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def table():
    return data.milestones()


def _raw():
    with (DATA / "policy_milestones.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_kinds_cover_the_data(table):
    assert set(table["kind"]) <= set(timeline.KINDS)
    assert set(timeline.KIND_NAMES) == set(timeline.KINDS) == set(timeline.KIND_STYLE)


def test_filter_by_kind_and_years_matches_raw_csv(table):
    shown = timeline.filter_milestones(table, ["plan", "programme"], 1990, 2016)
    expected = [r["milestone"] for r in _raw() if r["kind"] in ("plan", "programme")
                and 1990 <= int(r["year"]) <= 2016]
    assert sorted(shown["milestone"]) == sorted(expected)
    assert len(timeline.filter_milestones(table)) == len(_raw())


def test_filter_is_chronological_and_accepts_reversed_years(table):
    shown = timeline.filter_milestones(table, timeline.KINDS, timeline.LAST_YEAR, timeline.FIRST_YEAR)
    keys = list(zip(shown["year"], shown["month"].fillna(0), strict=True))
    assert keys == sorted(keys)
    assert len(shown) == len(table)


def test_filter_refuses_unknown_kinds(table):
    with pytest.raises(ValueError):
        timeline.filter_milestones(table, ["treaty"])
    assert timeline.filter_milestones(table, []).empty


def test_short_label():
    assert timeline.short_label("863 Program (National High Technology R&D Program)") == "863 Program"
    long = "China joins the WTO, taking on TRIPS obligations on intellectual property"
    assert timeline.short_label(long) == "China joins the WTO"
    words = "Zhongguancun approved as Beijing's experimental zone for new-technology industries"
    assert len(timeline.short_label(words)) <= 56 and timeline.short_label(words).endswith("…")


def test_period():
    assert timeline.period("Medium- and Long-Term Plan for S&T Development 2006–2020 (target ...)") == (2006, 2020)
    assert timeline.period("13th Five-Year Plan (2016–2020) adopted") == (2016, 2020)
    assert timeline.period("Made in China 2025") is None


def test_layout_rows_and_positions(table):
    shown = timeline.filter_milestones(table)
    spots = timeline.layout(shown)
    assert list(spots["row"]) == list(range(len(shown)))
    first = spots.iloc[0]
    assert first["x"] == pytest.approx(1980 + 7 / 12)  # August 1980
    assert first["label"].startswith("26 Aug 1980 · Shenzhen Special Economic Zone")
    no_month = spots[shown["month"].isna().to_numpy()]
    assert ((no_month["x"] % 1 - 5.5 / 12).abs() < 1e-9).all() and len(no_month) == 1
    # a bar for every plan whose text names its years: the 2006 plan and the 13th, 14th and 15th FYPs
    periods = spots.dropna(subset=["period_start"]).set_index("period_start")["period_end"].to_dict()
    assert periods == {2006: 2020, 2016: 2020, 2021: 2025, 2026: 2030}


def test_years_span_the_milestones(table):
    assert (int(table["year"].min()), int(table["year"].max())) == (timeline.FIRST_YEAR, timeline.LAST_YEAR)
    assert timeline.LAST_YEAR >= 2026  # the 15th Five-Year Plan, approved 12 March 2026


def test_summary_counts_and_busiest_year(table):
    text = timeline.summary(table)
    busiest = table["year"].value_counts()
    assert text.startswith(f"{len(table)} of {len(table)} milestones")
    assert f"busiest year is {busiest.idxmax()}, with {busiest.max()}." in text
    plans = timeline.summary(table, ["plan"], timeline.FIRST_YEAR, timeline.LAST_YEAR)
    assert plans.startswith(f"{(table['kind'] == 'plan').sum()} of {len(table)} milestones (plan)")
    assert "Widen the years" in timeline.summary(table, ["law"], 1986, 1990)


def test_summary_longest_gap():
    frame = pd.DataFrame({"date_text": ["1990", "1991", "2001"], "year": [1990, 1991, 2001],
                          "month": pd.array([None, None, None], dtype="Int64"),
                          "milestone": ["a", "b", "c"], "kind": ["plan"] * 3, "source": [""] * 3})
    assert "from 1991 to 2001 (10 years)" in timeline.summary(frame, ["plan"], 1986, 2024)


def test_chart_draws_one_marker_per_milestone(table):
    fig = timeline.chart(["plan", "zone"], timeline.FIRST_YEAR, timeline.LAST_YEAR, show=False)
    ax = fig.axes[0]
    shown = timeline.filter_milestones(table, ["plan", "zone"])
    labels = [text.get_text() for text in ax.texts if text.get_visible()]  # the others wait for another view
    assert labels == list(timeline.layout(shown)["label"])
    assert sum(len(line.get_xdata()) for line in ax.lines if line.get_marker() != "None") == len(shown)
    assert ax.get_title(loc="left").endswith(f"{timeline.FIRST_YEAR}–{timeline.LAST_YEAR}")
    assert fig.texts and fig.texts[0].get_text().startswith("Source:")


def test_chart_shows_the_whole_period_of_the_last_plan(table):
    fig = timeline.chart(["plan"], timeline.FIRST_YEAR, timeline.LAST_YEAR, show=False)
    assert fig.axes[0].get_xlim()[1] > 2031  # the 15th plan's bar runs to the end of 2030


def test_chart_with_nothing_to_show():
    fig = timeline.chart([], 1986, 2024, show=False)
    assert any("No milestone" in t.get_text() for t in fig.axes[0].texts)


def test_chart_bundle_is_a_png_with_its_sentence(table):
    bundle, metadata, sentence = timeline.chart_bundle(["law"], 1986, 2024)
    png, alt = charts.chart_image(bundle)
    assert bundle["text/plain"] == f"Chart: {sentence}" and alt == sentence and not metadata
    assert png.startswith("iVBOR")  # base64 of the PNG signature
    assert sentence == timeline.summary(table, ["law"], 1986, 2024)


def test_explorer_redraws_on_change(monkeypatch):
    shown, updates = [], []

    class Handle:
        def update(self, obj, **_):
            updates.append(obj)

    def fake_display(obj, **kwargs):
        shown.append(obj)
        return Handle() if kwargs.get("display_id") else None

    monkeypatch.setattr("IPython.display.display", fake_display)
    assert timeline.timeline_explorer() is None
    controls = shown[0]
    kinds_row, years = controls.children
    boxes = [w for w in kinds_row.children if hasattr(w, "indent")]
    assert len(boxes) == len(timeline.KINDS)
    years.value = (2000, 2010)
    assert any("2000–2010" in getattr(u, "data", "") for u in updates)
    boxes[0].value = False
    assert len(updates) == 4


def test_a_redraw_reuses_the_first_views_margins_in_inches(table):
    import matplotlib.pyplot as plt

    margins: dict = {}
    first = timeline.chart(table=table, show=False, margins=margins)
    assert set(margins) == {"left", "right", "bottom", "top"} and all(v > 0 for v in margins.values())
    kept = dict(margins)
    later = timeline.chart(("plan", "programme"), table=table, show=False, margins=margins)
    assert margins == kept
    assert later.get_size_inches()[1] < first.get_size_inches()[1]  # fewer rows, a shorter chart
    for fig in (first, later):
        width, height = fig.get_size_inches()
        assert fig.subplotpars.left * width == pytest.approx(kept["left"])
        assert (1 - fig.subplotpars.top) * height == pytest.approx(kept["top"])
        plt.close(fig)
    _, _, sentence = timeline.chart_bundle(("plan",), table=table, margins=margins)
    assert sentence == timeline.chart_bundle(("plan",), table=table)[2]


def test_going_back_to_a_recent_choice_shows_it_again_without_drawing(monkeypatch):
    drawn, updates = [], []
    real = timeline.chart_bundle

    def counting(*args, **kwargs):
        drawn.append(args)
        return real(*args, **kwargs)

    class Handle:
        def update(self, obj, **_):
            updates.append(obj)

    shown = []
    monkeypatch.setattr(timeline, "chart_bundle", counting)
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj) or Handle())
    timeline.timeline_explorer()
    boxes = [w for w in shown[0].children[0].children if hasattr(w, "indent")]
    boxes[0].value = False
    boxes[0].value = True  # back to the first view
    assert len(drawn) == 2 and len(updates) == 4
    assert updates[-2].get("text/html") == shown[1]["text/html"]  # the first view's chart, shown again


def test_a_timeline_figure_is_freed_once_unused(table):
    import gc
    import weakref

    figure = timeline.blank_figure()
    timeline.chart_bundle(table=table, margins={}, figure=figure)
    import matplotlib.pyplot as plt

    made = timeline.chart(table=table, show=False)  # a figure made by the chart, used once
    plt.close(made)  # pyplot lets go of it, as the caller of show=False must
    fresh, kept = weakref.ref(made), weakref.ref(figure)
    del figure, made
    gc.collect()
    assert fresh() is None and kept() is None  # nothing the timeline keeps holds on to either
