"""Every lesson and workbook, after Run All in JupyterLab, adds no serious or critical accessibility violation to
what a blank notebook shows in the same JupyterLab (issue 18), as axe-core finds them in the notebook's panel.

Lean by design: one JupyterLab and one page for the module; each notebook is opened in that page, run once
(Run ▸ Run All Cells), checked, then closed with its kernel shut down. The blank notebook's violations are
JupyterLab's own (its notebook toolbar's debugger button, its cell list): a notebook may break a rule on as many
elements of a kind as the blank notebook does, never more. Every finding, before any comparison, is kept in
``test-artifacts/browser/axe/<notebook>.json``. Before Run All, as the file opens with its saved (untrusted)
outputs, every chart image must show its picture and alt text.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    IN_CI,
    KERNEL_TIMEOUT,
    ROOT,
    JupyterServer,
    NotebookPage,
    axe_findings,
    axe_lines,
    require_axe,
)

pytestmark = pytest.mark.browser

NOTEBOOKS = [*sorted((ROOT / "notebooks").glob("*.ipynb")), *sorted((ROOT / "exercises").glob("*.ipynb"))]
BLANK = "blank.ipynb"
FOUND = ARTIFACTS / "axe"
VIEWPORT = {"width": 1280, "height": 900}

OPEN_JS = """async path => {
  const app = window.jupyterapp;
  for (const widget of [...app.shell.widgets('main')]) {  // the notebook checked before: closed, kernel shut down
    if (widget.sessionContext) await widget.sessionContext.shutdown();
    widget.dispose();
  }
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  return panel.id;
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """JupyterLab serving a copy of the lessons and workbooks (the copy's answers and journals are the test's)."""
    home = tmp_path_factory.mktemp("a11y")
    root = home / "root"
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, root / folder)
    blank = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    blank.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(blank, root / BLANK)
    with JupyterServer("lab", root, home / "home", ARTIFACTS / "a11y-server.log") as server:
        yield server


@pytest.fixture(scope="module")
def page(lab, browser):
    """One JupyterLab page for the module: JupyterLab loads once; each notebook is opened in it."""
    require_axe(IN_CI)
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page(), lab, BLANK, FOUND)
    nb.open()
    yield nb
    context.close()


SAVED_IMAGES_JS = """async panel => {
  const images = [...document.querySelectorAll(`#${panel} .jp-OutputArea img`)];
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  return images.filter(image => !image.alt.trim() || !image.naturalWidth).map(image => image.outerHTML.slice(0, 120));
}"""


def checked(nb: NotebookPage, path: str) -> tuple[list[dict], list[str]]:
    """Open ``path`` in the page, Run All; axe-core's serious and critical findings in its panel, and the chart
    images that showed no alt text (or no picture) as the file opened, before anything ran (its saved outputs,
    untrusted: sanitized by JupyterLab)."""
    nb.name, nb.path = path, nb.server.root_dir / path
    panel = nb.page.evaluate(OPEN_JS, path)
    nb.page.locator(f"#{panel} .jp-Notebook .jp-Cell").first.wait_for(timeout=KERNEL_TIMEOUT)
    nb.wait_idle()
    saved = nb.page.evaluate(SAVED_IMAGES_JS, panel)
    nb.run_all()
    found = axe_findings(nb.page, within=f"#{panel}")
    FOUND.mkdir(parents=True, exist_ok=True)
    (FOUND / f"{Path(path).stem}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False))
    return found, saved


def counts(violations: list[dict]) -> Counter:
    """How many elements break each rule, by the kind of element (tag and classes, ids and numbers left out)."""
    return Counter((v["id"], v["impact"], element_kind(node["html"])) for v in violations for node in v["nodes"])


def element_kind(html: str) -> str:
    tag = re.match(r"<\s*([\w-]+)", html)
    classes = re.search(r'class="([^"]*)"', html)
    words = sorted(c for c in (classes[1].split() if classes else []) if not re.search(r"\d", c))
    return f"{tag[1] if tag else '?'}.{'.'.join(words)}"


@pytest.fixture(scope="module")
def blank(page) -> Counter:
    return counts(checked(page, BLANK)[0])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_run_adds_no_serious_or_critical_violation(page, blank, notebook):
    """Beyond the blank notebook's: no rule broken by more elements of one kind than there (JupyterLab's toolbar
    and cell list, the same in every notebook); and the saved charts show their alt text before anything runs."""
    found, saved = checked(page, str(notebook.relative_to(ROOT)))
    added = counts(found) - blank
    assert not added, "beyond a blank notebook:\n" + "\n".join(
        f"{rule} ({impact}) x{n} on {kind}" for (rule, impact, kind), n in added.items()) + "\n" + "\n".join(
        axe_lines(found))
    assert not saved, f"saved chart images without alt text or picture: {saved}"
