"""The course's Jupyter front-end pieces without a browser: the pre-save hook, the shipped config, the script.

The browser tests (test_browser_moves.py) prove them in JupyterLab and Notebook 7.
"""

from __future__ import annotations

import copy
import json
import sys
import tomllib
from pathlib import Path

import pytest

from innovation_course.engine import frontend, records

ROOT = Path(__file__).resolve().parents[1]
RECORD = records.bundle(records.make_record("wb", "1", "q1", "choice", "Ten"), "Answer to q1: Ten")
WIDGET_VIEW = frontend.WIDGET_VIEW
WIDGET = {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "abc"},
          "text/plain": "VBox(children=(RadioButtons(...),))"}


def display_output(data: dict) -> dict:
    return {"output_type": "display_data", "data": copy.deepcopy(data), "metadata": {}}


def notebook(*cells: list[dict]) -> dict:
    return {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": list(outputs),
                       "execution_count": 1} for outputs in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_widgets_are_saved_as_a_line_that_says_how_to_change_the_answer_or_bring_the_controls_back():
    nb = notebook([display_output(WIDGET), display_output(RECORD)], [display_output(WIDGET)])
    model = {"type": "notebook", "content": nb}
    frontend.pre_save_hook(model=model, path="x.ipynb", contents_manager=None)
    answer_cell, other_cell = nb["cells"]
    widget, record = answer_cell["outputs"]
    assert WIDGET_VIEW not in widget["data"] and frontend.REOPENED_TEXT in widget["data"]["text/plain"]
    assert "Run All Cells" in widget["data"]["text/markdown"]
    assert record["data"] == RECORD, "the answer record itself is never changed"
    explorer = other_cell["outputs"][0]["data"]  # an explorer's controls: how to bring them back, not an error
    assert WIDGET_VIEW not in explorer and explorer["text/plain"] == frontend.CONTROLS_TEXT
    assert records.read_saved(nb).answers == {"q1": "Ten"}


def test_an_explorers_chart_and_sentence_are_kept_when_its_controls_are_replaced():
    chart = {"text/html": '<img class="ic-chart" src="data:image/png;base64,iVBORw0KGgo=" alt="China rose">',
             "text/plain": "Chart: China rose"}
    nb = notebook([display_output(WIDGET), display_output(chart), display_output({"text/markdown": "China rose."})])
    frontend.pre_save_hook(model={"type": "notebook", "content": nb}, path="02.ipynb", contents_manager=None)
    controls, kept_chart, sentence = nb["cells"][0]["outputs"]
    assert "Run All Cells" in controls["data"]["text/markdown"] and WIDGET_VIEW not in controls["data"]
    assert (kept_chart["data"], sentence["data"]) == (chart, {"text/markdown": "China rose."})


@pytest.mark.parametrize("model", [{"type": "file", "content": "text"}, {"type": "notebook", "content": None},
                                   {"type": "notebook", "content": {"cells": [{"cell_type": "markdown"}, 3]}}])
def test_the_hook_leaves_other_files_and_odd_notebooks_alone(model):
    before = copy.deepcopy(model)
    frontend.pre_save_hook(model=model, path="x")
    assert model == before


def test_shipped_config_files_match_the_package_and_pyproject():
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {f"{folder}/{Path(f).name}": ROOT / f for folder, files in data_files.items() for f in files}
    assert set(shipped) == set(frontend.CONFIG_FILES)
    for relative, path in shipped.items():
        assert json.loads(path.read_text()) == frontend.CONFIG_FILES[relative], path


def test_install_writes_the_config_once(tmp_path):
    paths = frontend.install_config(str(tmp_path))
    assert {str(p.relative_to(tmp_path)) for p in paths} == set(frontend.CONFIG_FILES)
    stamps = [p.stat().st_mtime_ns for p in paths]
    frontend.install_config(str(tmp_path))
    assert [p.stat().st_mtime_ns for p in paths] == stamps
    assert frontend.main(["nonsense"]) == 2


def test_this_environment_has_the_course_config():
    """`make` installs it (editable installs get no data files); without it Jupyter saves dead widgets."""
    for relative, content in frontend.CONFIG_FILES.items():
        path = Path(sys.prefix) / relative
        assert path.is_file(), f"{path} is missing: run `python -m innovation_course.engine.frontend install`"
        assert json.loads(path.read_text()) == content


def test_the_script_suppresses_plain_keys_only_and_runs_only_for_a_page(monkeypatch, capsys):
    assert "data-lm-suppress-shortcuts" in frontend.SCRIPT
    assert "event.ctrlKey || event.metaKey || event.altKey" in frontend.SCRIPT
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    frontend.install()  # nbclient, nbval: no page, no output
    assert capsys.readouterr().out == ""
