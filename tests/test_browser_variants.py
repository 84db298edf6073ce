"""Practice without end, in a real JupyterLab (issue 20): "Try another" on a template question shows a new variant
(prompt, an empty answer box, instant feedback and the explanation for it), and after a rename and Run All, then a
kernel restart and Run All, the last variant and its answer come back and are what the saved file holds.

Every wait waits for a state (a prompt changed, an answer line shown, the kernel idle), never for a time.
Screenshots of every step: ``test-artifacts/browser/variants-*``.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    UI_TIMEOUT,
    JupyterServer,
    NotebookPage,
    read_answers,
    screenshot_on_failure,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from innovation_course import findings
from innovation_course.classroom.build import build_notebook
from innovation_course.engine import variant_cell

pytestmark = pytest.mark.browser

QID = "v-gap"
PROMPT = re.compile(r"By (WDI|NBS)'s figure, how many percentage points short of the .* in (\d{4})\?")
#: The question once "Try another" has shown a new variant: a prompt other than ``old`` and, in place of the answer
#: box ``field`` (removed), one new box: {"prompt", "value"}, else null. The prompt comes before the new box, and the
#: answer line reads "(none)" before and after: one read of the page, of the new variant only.
NEW_VARIANT_JS = """([cell, field, old]) => {
  const heading = cell.querySelector('.jp-RenderedMarkdown'), fields = cell.querySelectorAll('.widget-text input');
  return heading && heading.innerText !== old && !field.isConnected && fields.length === 1
    ? {prompt: heading.innerText, value: fields[0].value} : null;
}"""


def solution() -> nbformat.NotebookNode:
    nb = new_notebook(cells=[
        new_markdown_cell("# Versions"),
        new_code_cell("from innovation_course import findings\nfrom innovation_course.workbook import Workbook\n\n"
                      'wb = Workbook("versions-browser", title="Versions", version="1", mode="solution")'),
        new_code_cell("wb.identity()"),
        new_code_cell(f'wb.ask(id="{QID}", template=findings.gap_to_target, points=1,\n'
                      '       hints=["The target minus the value of that source and year."])'),
        new_code_cell("wb.check()")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    work = tmp_path_factory.mktemp("variants")
    (work / "root").mkdir()
    with JupyterServer("lab", work / "root", work / "home", ARTIFACTS / "variants-server.log") as server:
        yield server


def prompt_of(nb: NotebookPage) -> str:
    cell = nb.question_cell(QID)
    return cell.locator(".jp-RenderedMarkdown").first.inner_text()


def expected(prompt: str) -> tuple[dict, float]:
    found = PROMPT.search(" ".join(prompt.split()))
    assert found, f"not a gap question: {prompt!r}"
    params = {"source": found[1], "year": int(found[2])}
    return params, findings.target_gap(params["source"], params["year"])


def test_try_another_then_rename_and_run_all_bring_back_the_last_variant_and_its_answer(lab, browser):
    (lab.root_dir / "try").mkdir()
    built = build_notebook(solution(), "self-study", "solutions/versions.ipynb")
    nbformat.write(built, lab.root_dir / "try" / "versions.ipynb")
    shots = ARTIFACTS / "variants-lab"
    shutil.rmtree(shots, ignore_errors=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    nb = NotebookPage(context.new_page(), lab, "try/versions.ipynb", shots)
    try:
        with screenshot_on_failure(nb):
            nb.open()
            nb.run_all()
            first = prompt_of(nb)
            cell = nb.question_cell(QID)
            nb.shot("first-variant", cell)

            field = cell.locator(".widget-text input").element_handle()
            cell.get_by_role("button", name=variant_cell.TRY_LABEL).click()  # a new variant, in the same outputs
            shown = nb.page.wait_for_function(NEW_VARIANT_JS, arg=[cell.element_handle(), field, first],
                                              timeout=UI_TIMEOUT, polling=100).json_value()
            second = shown["prompt"]
            nb.expect_line(cell, f"Answer to {QID}: (none)")
            assert shown["value"] == ""
            params, gap = expected(second)
            assert params != expected(first)[0]
            nb.shot("tried-another", cell)

            typed = f"{gap:.3f}"
            field = cell.locator(".widget-text input")
            field.fill(typed)
            field.press("Enter")
            nb.expect_line(cell, f"Answer to {QID}: {typed} — ✔ Correct — 1/1 point")
            assert "percentage points short" in cell.locator("[role=status]").inner_text()  # the explanation
            nb.shot("answered", cell)

            nb.rename("renamed.ipynb")  # not saved yet; the kernel still knows the old name
            nb.run_all()
            cell = nb.question_cell(QID)
            assert prompt_of(nb) == second
            assert cell.locator(".widget-text input").input_value() == typed
            nb.expect_line(cell, f"Answer to {QID}: {typed} — ✔ Correct — 1/1 point")
            nb.shot("renamed-ran-all", cell)

            nb.restart_and_run_all()  # a new kernel: only the journal and the file remember
            cell = nb.question_cell(QID)
            assert prompt_of(nb) == second
            nb.expect_line(cell, f"Answer to {QID}: {typed} — ✔ Correct — 1/1 point")
            nb.save()
            record = read_answers(nb.path).records[QID]
            assert (record["answer"], record["variant"]["params"], record["variant"]["template"]) == (
                typed, params, "gap-to-target")
            assert record["variant"]["draw"] >= 1
            nb.shot("restarted-saved", cell)
    finally:
        context.close()
        lab.shut_down_kernels()
