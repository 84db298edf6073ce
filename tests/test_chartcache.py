"""The chart cache (innovation_course.content.chartcache): a stored chart is shown only under the key of the code,
the data and the arguments that drew it; a change to the data or the package is another key, so the chart is
drawn (and stored again by the build step); lesson 1 run from the cache writes the same bytes as drawn."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from innovation_course.classroom import chart_cache
from innovation_course.content import chartcache, charts, data, timeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import execute_notebooks  # noqa: E402


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """A cache folder of the test's own, written to; draws counted."""
    folder = tmp_path / "charts"
    monkeypatch.setenv(chartcache.FOLDER_ENV, str(folder))
    monkeypatch.setenv(chartcache.WRITE_ENV, "1")
    shown = []
    monkeypatch.setattr(charts, "display", lambda bundle, **kw: shown.append((bundle, kw["metadata"])))
    drawn = []
    real = charts.figure_bundle
    monkeypatch.setattr(charts, "figure_bundle", lambda fig, alt, **kw: drawn.append(alt) or real(fig, alt, **kw))
    return folder, shown, drawn


def wdi_chart():
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "USA"])
    charts.line(wide, title="R&D intensity", ylabel="% of GDP", source="wdi_rd_expenditure_pct_gdp", alt="Rises.")


def test_a_stored_chart_is_shown_without_drawing_and_is_the_same_bundle(cache):
    folder, shown, drawn = cache
    wdi_chart()
    wdi_chart()
    assert drawn == ["Rises."], "the second chart should come from the cache"
    assert shown[0] == shown[1] and shown[0][0]["text/html"]
    assert len(list(folder.glob("*.json"))) == 1


def test_only_the_build_step_writes(cache, monkeypatch):
    folder, _, drawn = cache
    monkeypatch.delenv(chartcache.WRITE_ENV)
    wdi_chart()
    wdi_chart()
    assert drawn == ["Rises.", "Rises."] and not folder.exists()


def test_other_arguments_are_another_chart(cache):
    _, shown, drawn = cache
    wdi_chart()
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "JPN"])
    charts.line(wide, title="R&D intensity", ylabel="% of GDP", source="wdi_rd_expenditure_pct_gdp", alt="Rises.")
    assert len(drawn) == 2 and shown[0][0]["text/html"] != shown[1][0]["text/html"]


def test_a_changed_data_file_is_another_key(monkeypatch, tmp_path):
    """The regression this cache must never have: data edited, the old chart shown."""
    folder = tmp_path / "data"
    shutil.copytree(data.REPO_DATA_DIR, folder)
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    before = chartcache.key("line", {"title": "t"})
    path = folder / "wdi_rd_expenditure_pct_gdp.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n", 1))  # one byte more, same table
    assert chartcache.key("line", {"title": "t"}) != before


def test_changed_package_code_is_another_key(monkeypatch, tmp_path):
    package = tmp_path / "innovation_course"
    shutil.copytree(chartcache.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(chartcache, "PACKAGE_DIR", package)
    chartcache._code_and_version.cache_clear()
    try:
        before = chartcache.key("line", {"title": "t"})
        tool = package / "classroom" / "pulse.py"  # above the content: never draws
        tool.write_text(tool.read_text() + "\n# a change\n")
        chartcache._code_and_version.cache_clear()
        assert chartcache.key("line", {"title": "t"}) == before
        for changed in (package / "content" / "charts.py", package / "engine" / "widgets.py"):
            changed.write_text(changed.read_text() + "\n# a change\n")
            chartcache._code_and_version.cache_clear()
            assert chartcache.key("line", {"title": "t"}) != before
            before = chartcache.key("line", {"title": "t"})
    finally:
        chartcache._code_and_version.cache_clear()


HOOK_LIMIT = 2.5  # read by the hook below, as a lesson's hook reads a notebook's variable


def mark_limit(ax):
    ax.axhline(HOOK_LIMIT)


def test_a_hook_is_keyed_by_its_code_and_the_values_it_reads(monkeypatch):
    first = chartcache.key("line", {"ax_hook": mark_limit})
    monkeypatch.setitem(globals(), "HOOK_LIMIT", 3.0)
    assert chartcache.key("line", {"ax_hook": mark_limit}) != first
    limit = 2.5

    def closing(ax):
        ax.axhline(limit)  # reads a variable of the test: no plain value, so no key: drawn

    assert chartcache.key("line", {"ax_hook": closing}) is None


def test_frames_are_keyed_by_their_values():
    frame = pd.DataFrame({"CHN": [1.0, 2.0]}, index=pd.Index([2000, 2001], name="year"))
    same = chartcache.key("line", {"wide": frame.copy()})
    assert chartcache.key("line", {"wide": frame}) == same
    assert chartcache.key("line", {"wide": frame.assign(CHN=[1.0, 2.5])}) != same


def test_cache_off_draws(cache, monkeypatch):
    _, _, drawn = cache
    monkeypatch.setenv(chartcache.FOLDER_ENV, "off")
    wdi_chart()
    wdi_chart()
    assert len(drawn) == 2


def test_a_damaged_stored_chart_is_drawn_again(cache):
    folder, shown, drawn = cache
    wdi_chart()
    next(folder.glob("*.json")).write_text("{not json")
    wdi_chart()
    assert len(drawn) == 2 and shown[0] == shown[1]


def test_timeline_explorer_opens_from_the_cache_and_redraws_when_asked(cache, monkeypatch):
    folder, _, _ = cache
    handles = []

    class Handle:
        def __init__(self, obj):
            self.shown = [obj]

        def update(self, obj, **_kw):
            self.shown.append(obj)

    def display(obj, **kw):
        if kw.get("display_id"):
            handles.append(Handle(obj))
            return handles[-1]
        return None

    monkeypatch.setattr("IPython.display.display", display)
    timeline.timeline_explorer()
    first = handles[0].shown[0]["text/html"]
    handles.clear()
    timeline.timeline_explorer()  # a second learner: the stored first view
    assert handles[0].shown[0]["text/html"] == first and len(list(folder.glob("*.json"))) == 1


def test_lesson_1_from_the_cache_writes_the_same_bytes(monkeypatch, tmp_path):
    """Lesson outputs unchanged: lesson 1 executed with a filled cache is byte for byte the stored notebook."""
    lesson = ROOT / "notebooks" / "01_policy_framework.ipynb"
    folder = tmp_path / "charts"
    assert chart_cache.fill([lesson], folder) == 3
    monkeypatch.setenv(chartcache.FOLDER_ENV, str(folder))
    copy = tmp_path / lesson.name
    shutil.copy(lesson, copy)
    execute_notebooks.execute(copy)
    assert copy.read_bytes() == lesson.read_bytes()


def test_a_failing_lesson_does_not_stop_the_fill(tmp_path, capsys):
    """The build step (postBuild) must not fail an image because one lesson stops: it names it and goes on."""
    import nbformat

    broken = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('stop')")])
    nbformat.write(nb, broken)
    lesson = ROOT / "notebooks" / "01_policy_framework.ipynb"
    assert chart_cache.fill([broken, lesson], tmp_path / "charts") == 3
    assert "broken.ipynb stopped" in capsys.readouterr().err
