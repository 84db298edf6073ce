"""Committed notebooks are code too: no errors, ordered runs, the right kernel, no private paths."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions", "exercises")
NOTEBOOKS = sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
PRIVATE_PATH = re.compile(r"(/home/\w|/Users/\w|/root/|/work/|/tmp/|[A-Z]:\\\\Users|site-packages)")
MAX_CODE_LINES = 25


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_every_folder_has_notebooks():
    for folder in FOLDERS:
        assert list((ROOT / folder).glob("*.ipynb")), f"{folder}/ has no notebooks"


@pytest.fixture(params=NOTEBOOKS, ids=_ids(NOTEBOOKS))
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_kernel_is_python3(notebook):
    path, nb = notebook
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name


def test_no_error_outputs(notebook):
    path, nb = notebook
    errors = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{path.name}: error outputs in cells {errors}"


def test_execution_counts_run_in_order(notebook):
    path, nb = notebook
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


def test_no_paths_from_someones_machine(notebook):
    path, nb = notebook
    text = nbformat.writes(nb)
    found = sorted(set(PRIVATE_PATH.findall(text)))
    assert not found, f"{path.name}: contains machine paths {found}"


def test_code_cells_are_short(notebook):
    path, nb = notebook
    long_cells = [i for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" and len(c.source.splitlines()) > MAX_CODE_LINES]
    assert not long_cells, f"{path.name}: cells {long_cells} exceed {MAX_CODE_LINES} lines"


def test_learner_workbooks_carry_no_outputs():
    """Exercise workbooks are handed out clean; only nbval-checked notebooks keep outputs."""
    for path in (ROOT / "exercises").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert not dirty, f"{path.name}: cells {dirty} have outputs"


def _execute_notebooks():
    import importlib.util

    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stored_widget_views_have_the_ids_a_rerun_gives_them(notebook):
    """Re-executing an unchanged notebook rewrites the same bytes: no random widget model id is stored."""
    path, nb = notebook
    execute_notebooks = _execute_notebooks()
    for index, cell in enumerate(nb.cells):
        for place, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(execute_notebooks.WIDGET_VIEW)
            if view:
                assert view["model_id"] == execute_notebooks.model_id(cell.get("id") or str(index), place), \
                    (path.name, index)


def test_tidy_replaces_a_random_model_id_by_one_from_the_cell():
    execute_notebooks = _execute_notebooks()
    cell = nbformat.v4.new_code_cell("explorer()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        execute_notebooks.WIDGET_VIEW: {"model_id": "3cb4c2aa46974c80bb83a0974b7bfec8", "version_major": 2,
                                        "version_minor": 0}, "text/plain": "VBox()"})]
    nb = nbformat.v4.new_notebook(cells=[cell])
    execute_notebooks.tidy(nb)
    first = nb.cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"]
    assert first != "3cb4c2aa46974c80bb83a0974b7bfec8" and len(first) == 32
    nb.cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"] = "another random id"
    execute_notebooks.tidy(nb)
    assert nb.cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"] == first
