"""Slides and handouts: built from small notebooks made here and from the course's real folders."""

import base64
import html
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from innovation_course.classroom import publish
from innovation_course.engine.records import MIME as ANSWER_MIME

ROOT = Path(__file__).resolve().parents[1]
LESSONS = publish.find_notebooks([ROOT / "notebooks"]) if (ROOT / "notebooks").is_dir() else []
WORKBOOKS = publish.find_notebooks([ROOT / "exercises"]) if (ROOT / "exercises").is_dir() else []
CHROMIUM = Path("/usr/bin/chromium")
# A 1×1 PNG: enough to check that images are embedded, not linked.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/"
                       "iZk9HQAAAABJRU5ErkJggg==")
WIDGET = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc123", "version_major": 2, "version_minor": 0},
          "text/plain": "RadioButtons(options=('Five', 'Ten'), value=None)"}


def _cell(cell, slide_type=None, hidden=False):
    if slide_type:
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _code(source, outputs=(), **kw):
    cell = new_code_cell(source, outputs=list(outputs), execution_count=None)
    return _cell(cell, **kw)


def make_lesson(folder: Path, name="01_why_innovation.ipynb", title="Lesson 1: Why *innovation*? 创新") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figure.png").write_bytes(PNG)
    png = base64.b64encode(PNG).decode()
    ask = ('wb.ask(id="mic2025-sectors", kind="choice", prompt="How many sectors does **MIC 2025** name?",\n'
           '       options=["Five", "Ten", "Twenty"], answer="Ten", points=1,\n'
           '       hints=["HINTTEXT"], explanation="EXPLAINTEXT")')
    record = {ANSWER_MIME: {"schema": "innovation-course/answer", "answer": "Ten"}, "text/plain": "Saved: Ten"}
    nb = new_notebook(cells=[
        _cell(new_markdown_cell(f"# {title}\n\nWhat makes a country innovative?"), "slide"),
        _cell(new_markdown_cell("## R&D spending\n\n![a local figure](figure.png)\n\n- one\n- two"), "slide"),
        _code("charts.line(wide, title='R&D')", [new_output("display_data", data={
            "image/png": png, "text/plain": "Chart: R&D"})], slide_type="-", hidden=True),
        _code("from innovation_course.workbook import Workbook\nwb = Workbook('l01', mode='self-study')",
              slide_type="skip"),
        _code(ask, [new_output("display_data", data=WIDGET), new_output("display_data", data=record)],
              slide_type="subslide", hidden=True),
        _code("interact(explore, year=(2000, 2022))", [new_output("display_data", data=WIDGET)],
              slide_type="fragment"),
        _code("import warnings\nprint('shown')", [new_output("stream", name="stderr", text="STDERRTEXT\n"),
                                                 new_output("stream", name="stdout", text="shown\n")]),
        _cell(new_markdown_cell("Ask the class: NOTESTEXT"), "notes"),
        _cell(new_markdown_cell("Authoring reminder: SKIPTEXT"), "skip"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    path = folder / name
    nbformat.write(nb, path)
    return path


def make_workbook(folder: Path, name="ex01_rd_investment.ipynb", mode="self-study") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    key = "key={'scheme': 'sha256-v1', 'salt': 'c2FsdA', 'tokens': ['9f86d081884c7d65']}"
    nb = new_notebook(cells=[
        new_markdown_cell("# Exercise 1: R&D investment\n\nWork in pairs."),
        _code(f"from innovation_course.workbook import Workbook\nwb = Workbook('ex01', version='1', mode='{mode}')"),
        _code("wb.identity()"),
        _code(f"wb.ask(id='q-choice', kind='choice', prompt='Pick one', options=['Five', 'Ten'], {key},\n"
              "       explanation=sealed('eJwLSS0uUUhUKEktLgEAHUkEZw=='), points=2)"),
        _code(f"wb.ask(id='q-order', kind='ordering', prompt='Order these', options=['A1', 'B2', 'C3'], {key})"),
        _code("wb.ask(id='q-match', kind='matching', prompt='Match', pairs=['Beijing', 'Shenzhen'],\n"
              f"       options=['Zhongguancun', 'Nanshan'], {key})"),
        _code(f"wb.ask(id='q-num', kind='numeric', prompt='How much?', unit='% of GDP', tolerance=0.1, {key})"),
        _code(f"wb.ask(id='q-comp', kind='computed', prompt='Compute it', unit='% of GDP', rel_tolerance=0.01, {key})"),
        _code("rd = data.load('wdi_rd_expenditure_pct_gdp')\nvalue = ...  # your code here\n"
              "wb.submit('q-comp', value)"),
        _code("wb.ask(id='q-free', kind='free', prompt='Discuss the *claim*', points=3)"),
        _code(""),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def first_slide_h1(page: str) -> str:
    match = re.search(r"<section[^>]*>.*?<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    assert match, "the deck has no title heading on its first slide"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def html_title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)).strip()


def reveal_copy_is_offline(folder: Path) -> None:
    reveal = folder / publish.REVEAL_DIR
    for name in ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "plugin/notes/notes.js", "LICENSE"):
        assert (reveal / name).is_file(), f"reveal.js file missing: {name}"
    for css in reveal.rglob("*.css"):
        assert not publish.css_external(css.read_text(encoding="utf-8")), css


# ------------------------------------------------------------------------------------- small notebooks


@pytest.fixture(scope="module")
def tmp_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("course")
    lesson = make_lesson(base / "notebooks")
    make_lesson(base / "notebooks", "02_plain.ipynb", "Lesson 2: No slide metadata")
    plain = nbformat.read(base / "notebooks" / "02_plain.ipynb", as_version=4)
    for cell in plain.cells:
        cell.metadata.pop("slideshow", None)
    nbformat.write(plain, base / "notebooks" / "02_plain.ipynb")
    workbook = make_workbook(base / "exercises")
    slides = publish.build_slides(publish.find_notebooks([base / "notebooks"]), base / "site" / "slides")
    handouts = publish.build_handouts([lesson], [workbook], base / "site" / "handouts")
    return base, slides, handouts


def test_decks_have_the_lesson_title_on_their_first_slide(tmp_site):
    _, slides, _ = tmp_site
    assert [b.path.name for b in slides] == ["01_why_innovation.html", "02_plain.html"]
    page = slides[0].path.read_text(encoding="utf-8")
    assert first_slide_h1(page) == "Lesson 1: Why innovation? 创新" == slides[0].title
    assert html_title(page) == "Lesson 1: Why innovation? 创新 slides"
    assert first_slide_h1(slides[1].path.read_text(encoding="utf-8")) == "Lesson 2: No slide metadata"


def test_decks_are_offline_and_carry_reveal(tmp_site):
    base, slides, _ = tmp_site
    reveal_copy_is_offline(base / "site" / "slides")
    for built in slides:
        page = built.path.read_text(encoding="utf-8")
        assert publish.external_resources(page) == []
        assert 'src="reveal.js/dist/reveal.js"' in page
        assert "require.js" not in page and "mathjax" not in page.lower() and "unpkg" not in page
    assert (base / "site" / "slides" / "index.html").is_file()


def test_deck_structure_follows_slide_metadata(tmp_site):
    _, slides, _ = tmp_site
    page = slides[0].path.read_text(encoding="utf-8")
    assert page.count("<section") == 6  # 2 slides, each opening a subslide, plus the chart's and the question's
    assert '<aside class="notes">' in page and "NOTESTEXT" in page
    assert "SKIPTEXT" not in page
    assert 'class="fragment"' in page
    plain = slides[1].path.read_text(encoding="utf-8")
    assert plain.count("<section") == 6  # one slide per heading when a lesson has no metadata; the chart's own


def test_hidden_inputs_and_widgets_render_sensibly(tmp_site):
    _, slides, handouts = tmp_site
    for page in (slides[0].path.read_text(encoding="utf-8"), handouts[0].path.read_text(encoding="utf-8")):
        assert "charts.line" not in page and "data:image/png;base64," in page  # output without its input
        assert "wb.ask" not in page and "EXPLAINTEXT" not in page and "HINTTEXT" not in page
        assert "answer=" not in page and "Saved: Ten" not in page
        assert 'class="ic-question"' in page and "<strong>MIC 2025</strong>" in page
        assert "RadioButtons(" not in page and "model_id" not in page and "abc123" not in page
        assert publish.LIVE_NOTE in page
        assert "STDERRTEXT" not in page and "shown" in page
        assert "Workbook(" not in page


def test_markdown_images_are_embedded(tmp_site):
    _, slides, handouts = tmp_site
    for page in (slides[0].path.read_text(encoding="utf-8"), handouts[0].path.read_text(encoding="utf-8")):
        assert 'src="figure.png"' not in page
        assert page.count("data:image/png;base64,") >= 2


def test_handouts_have_titles_print_css_and_no_external_resources(tmp_site):
    base, _, handouts = tmp_site
    assert [(b.kind, b.path.name) for b in handouts] == [("lesson", "01_why_innovation.html"),
                                                        ("workbook", "ex01_rd_investment.html")]
    lesson, workbook = (b.path.read_text(encoding="utf-8") for b in handouts)
    assert html_title(lesson) == "Lesson 1: Why innovation? 创新"
    assert html_title(workbook) == "Exercise 1: R&D investment"
    for page in (lesson, workbook):
        assert publish.external_resources(page) == []
        assert "@media print" in page
        assert "<script" not in page
    assert "SKIPTEXT" in lesson and "NOTESTEXT" in lesson  # a handout is the whole lesson, not only the slides
    index = (base / "site" / "handouts" / "index.html").read_text(encoding="utf-8")
    assert "ex01_rd_investment.html" in index and "Workbooks (no answers)" in index


def test_workbook_handout_has_questions_and_no_key(tmp_site):
    _, _, handouts = tmp_site
    page = handouts[1].path.read_text(encoding="utf-8")
    for marker in ("answer=", "key=", "sha256", "sealed(", "eJwLSS0u", "9f86d081", "c2FsdA"):
        assert marker not in page, marker
    assert page.count('class="ic-question"') == 6
    assert "Question 1 · single choice · 2 points" in page and "Question 6 · free response · 3 points" in page
    assert "Learner ID" in page
    assert "(to within ±0.1 % of GDP)" in page
    assert "your code here" in page  # the learner's own code cell stays, to be done in the notebook
    order = re.search(r"Order these.*?</ul>", page, flags=re.S).group(0)
    positions = [order.index(item) for item in ("A1", "B2", "C3")]
    assert positions != sorted(positions), "an ordering question printed in its answer order"


def test_handouts_refuse_solutions(tmp_path):
    solution = make_workbook(tmp_path / "solutions", mode="solution")
    with pytest.raises(publish.PublishError, match="solutions"):
        publish.build_handouts([], [solution], tmp_path / "out")
    elsewhere = make_workbook(tmp_path / "other", mode="solution")
    with pytest.raises(publish.PublishError, match="solution"):
        publish.build_handouts([], [elsewhere], tmp_path / "out")


def test_external_resource_finder():
    page = ('<link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/x.js"></script>'
            '<img src="http://example.org/a.png"><style>@import url(https://fonts.example/f.css);</style>'
            '<script>import m from "https://cdn.example/m.mjs";</script><a href="https://ok.example/">a link</a>'
            '<script src="reveal.js/dist/reveal.js"></script><img src="data:image/png;base64,AAAA">')
    found = publish.external_resources(page)
    assert len(found) == 5 and not any("ok.example" in f for f in found)


def test_cli_commands(tmp_path, monkeypatch, capsys):
    from innovation_course.classroom import cli

    make_lesson(tmp_path / "notebooks")
    make_workbook(tmp_path / "exercises")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["slides", "--out", "site/slides"]) == 0
    assert cli.main(["handouts", "--out", "site/handouts"]) == 0
    assert (tmp_path / "site/slides/01_why_innovation.html").is_file()
    assert (tmp_path / "site/handouts/ex01_rd_investment.html").is_file()
    make_workbook(tmp_path / "solutions", mode="solution")
    assert cli.main(["handouts", "--exercises", "solutions", "--out", "x"]) == 1
    assert "never from solutions" in capsys.readouterr().err
    assert cli.main(["slides", "no-such-folder", "--out", "x"]) == 1


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_deck_runs_in_a_browser_with_no_network(tmp_site):
    from playwright.sync_api import sync_playwright

    _, slides, _ = tmp_site
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda r: requests.append(r.url))
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(slides[0].path.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=10_000)
            assert page.evaluate("Reveal.getTotalSlides()") == 4
            assert page.inner_text(".reveal .slides section.present h1").strip() == slides[0].title
            assert not errors
        finally:
            browser.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


# ------------------------------------------------------------------------------------- the real course


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    if not LESSONS and not WORKBOOKS:
        pytest.skip("notebooks/ and exercises/ have no notebooks yet")
    out = tmp_path_factory.mktemp("site")
    slides = publish.build_slides(LESSONS, out / "slides") if LESSONS else []
    handouts = publish.build_handouts(LESSONS, WORKBOOKS, out / "handouts")
    return out, slides, handouts


def test_real_decks_titles_and_offline(real_site):
    out, slides, _ = real_site
    if not slides:
        pytest.skip("no lessons yet")
    reveal_copy_is_offline(out / "slides")
    for built in slides:
        nb = nbformat.read(built.source, as_version=4)
        page = built.path.read_text(encoding="utf-8")
        assert first_slide_h1(page) == publish.notebook_title(nb), built.source.name
        assert publish.external_resources(page) == [], built.source.name
        assert "model not found" not in page.lower() and "widget-view+json" not in page


def test_real_lesson_title_cells_are_slides():
    lessons = [p for p in LESSONS if re.match(r"0[1-9]_", p.name)]
    if not lessons:
        pytest.skip("no lessons yet")
    for path in lessons:
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown" and re.match(r"# Lesson \d+: \S", first.source), path.name
        assert first.metadata.get("slideshow", {}).get("slide_type") == "slide", path.name


def test_real_handouts(real_site):
    _, _, handouts = real_site
    for built in handouts:
        page = built.path.read_text(encoding="utf-8")
        nb = nbformat.read(built.source, as_version=4)
        assert html_title(page) == publish.notebook_title(nb, built.source.stem), built.source.name
        assert publish.external_resources(page) == [], built.source.name
        if built.kind == "workbook":
            assert built.source.parent.name == "exercises"
            for marker in publish.KEY_MARKERS:
                assert marker not in page, (built.source.name, marker)


def test_site_folder_is_ignored_by_git():
    assert "_site/" in (ROOT / ".gitignore").read_text().split()



def test_consecutive_questions_get_one_slide_each():
    ask = "wb.ask(id='q{}', kind='text', prompt='Say {}')"
    nb = new_notebook(cells=[_cell(new_markdown_cell("# Lesson 9: Check"), "slide"),
                             _cell(new_markdown_cell("## Check yourself"), "slide"),
                             *[_code(ask.format(i, i), slide_type="-", hidden=True) for i in range(3)]])
    slides = publish.prepare(nb, for_slides=True)
    assert [publish.slide_type(c) for c in slides.cells] == ["slide", "slide", "-", "subslide", "subslide"]
    handout = publish.prepare(nb, for_slides=False)
    assert [publish.slide_type(c) for c in handout.cells][2:] == ["-", "-", "-"]


# ------------------------------------------------------------------------------- the instructor guide

GUIDE = ROOT / "docs" / "instructor-guide.md"


def test_guide_times_match_the_lessons():
    """The self-study table gives each lesson's own *Time needed* (rows marked ≈ are estimates)."""
    rows = re.findall(r"^\| (\d\d) \| `notebooks/(\S+\.ipynb)`[^|]*\| (≈ )?(\d+) min \|", GUIDE.read_text(), re.M)
    assert len(rows) == 7
    for _, name, _estimate, minutes in rows:
        path = ROOT / "notebooks" / name
        if not path.exists():
            continue
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells[:4] if c.cell_type == "markdown")
        stated = re.search(r"Time needed:\*\*\s*about (\d+) min", text)
        if stated:
            assert int(minutes) == int(stated.group(1)), (name, minutes, stated.group(1))


def test_guide_maps_real_questions():
    """Every ``exNN/question-id`` in the guide exists, and a workbook named there has all its questions mapped."""
    from innovation_course.engine.spec import parse_workbook

    mapped: dict[str, set[str]] = {}
    for workbook, qid in re.findall(r"`(ex\d\d)/([a-z0-9][a-z0-9.\-]*)`", GUIDE.read_text()):
        mapped.setdefault(workbook, set()).add(qid)
    assert mapped
    for workbook, ids in mapped.items():
        sources = sorted((ROOT / "solutions").glob(f"{workbook}_*.ipynb"))
        if not sources:
            continue
        questions = set(parse_workbook(nbformat.read(sources[0], as_version=4)).questions)
        assert ids <= questions, f"{workbook}: the guide names questions that do not exist: {sorted(ids - questions)}"
        assert questions <= ids, f"{workbook}: questions not mapped to an outcome: {sorted(questions - ids)}"


def test_docs_index_links_exist_or_are_expected():
    index = (ROOT / "docs" / "README.md").read_text()
    for link in re.findall(r"\]\(([\w\-]+\.md)\)", index):
        assert (ROOT / "docs" / link).exists() or link == "grading.md", link


# ------------------------------------------------------------------------------------------ chart slides


def _chart_png(width_in: float, height_in: float, rows: int = 0) -> str:
    """A real matplotlib chart as base64 PNG; ``rows`` labelled rows make it tall like the policy timeline."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=100)
    ax.plot([2000, 2020], [0, max(rows, 1)])
    for row in range(rows):
        ax.annotate(f"{2000 + row} · milestone number {row}", (2000 + row % 20, row), fontsize=12)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("saved_as", ["html", "png"])
def test_a_chart_gets_a_slide_of_its_own_sized_to_fill_it(saved_as):
    """A chart as lessons now save it (an HTML <img> with its alt, which JupyterLab shows) or as an older lesson
    saved it (a PNG with its alt in the metadata): a PNG on a slide of its own, with its alt text."""
    from innovation_course.content.charts import image_html

    png = _chart_png(10, 5.6)
    saved = (new_output("display_data", data={"text/html": image_html(png, "China rises."), "text/plain": "Chart"})
             if saved_as == "html" else
             new_output("display_data", data={"image/png": png, "text/plain": "Chart"},
                        metadata={"image/png": {"alt": "China rises."}}))
    chart = _code("charts.line(wide)", [new_output("stream", name="stdout", text="before\n"), saved,
                                        new_output("display_data", data={"text/markdown": "China rises.",
                                                                          "text/plain": "China rises."})])
    nb = new_notebook(cells=[_cell(new_markdown_cell("# Lesson 9: Charts"), "slide"),
                             _cell(new_markdown_cell("## A chart\n\nSome text."), "slide"), chart,
                             new_markdown_cell("What it means."), _cell(new_markdown_cell("Say: NOTES"), "notes")])
    cells = publish.prepare(nb, for_slides=True).cells
    assert [publish.slide_type(c) for c in cells] == ["slide", "slide", None, "subslide", "subslide", None,
                                                       "notes"]  # the text after the chart's sentence joins it
    lead, shown, after = cells[2:5]
    assert [o.get("text") for o in lead.outputs] == ["before\n"] and "remove_source" not in lead.metadata
    assert shown.metadata["transient"]["remove_source"] and after.metadata["transient"]["remove_source"]
    width = shown.outputs[0]["metadata"]["image/png"]["width"]
    assert width == publish.chart_width((1000, 560)) >= 0.8 * publish.SLIDE_WIDTH
    assert width * 560 / 1000 <= publish.SLIDE_HEIGHT - publish.CHART_FOOT  # its height fits the slide
    assert shown.metadata["slideshow"]["data"] == {"ic_chart": str(width)}
    assert shown.outputs[0]["metadata"]["image/png"]["alt"] == "China rises."
    assert shown.outputs[0]["data"]["image/png"] == png and "text/html" not in shown.outputs[0]["data"]
    assert len({c.id for c in cells}) == len(cells)
    page = publish.export.export(publish.export.exporter("slides"), publish.prepare(nb, for_slides=True),
                                 Path("x.ipynb"), {"css": ""})
    assert 'alt="China rises."' in page and f'style="width: {width}px"' in page and 'class="ic-chart"' in page
    assert 'data-ic-chart="' in page and "No description has been provided" not in page


def test_a_tall_chart_is_cut_between_rows_into_slide_sized_pieces():
    import io

    import numpy as np
    from PIL import Image

    png = _chart_png(12, 10.5, rows=24)
    width, height = publish.png_size(png)
    assert publish.chart_width((width, height)) < 0.8 * publish.SLIDE_WIDTH  # too tall to fill a slide whole
    pieces = publish.chart_pieces(png)
    assert len(pieces) == 2
    images = [Image.open(io.BytesIO(base64.b64decode(p))) for p, _ in pieces]
    assert sum(i.height for i in images) == height and all(i.width == width for i in images)
    room = publish.SLIDE_HEIGHT - 2 * publish.CHART_PAD - publish.CHART_FOOT
    for image, (_, shown) in zip(images, pieces, strict=True):
        assert 0.8 * publish.SLIDE_WIDTH <= shown <= publish.SLIDE_WIDTH and shown >= width
        assert image.height * shown / width <= room
    full = np.asarray(Image.open(io.BytesIO(base64.b64decode(png))).convert("L"))
    cut = images[0].height
    assert (full[cut] < 128).sum() <= 6, "the cut runs through text, not between rows"  # axes and line only
    assert publish.chart_pieces(_chart_png(10, 5.6))[0][1] == publish.chart_width((1000, 560))


def test_a_long_table_gets_a_slide_of_its_own_and_a_short_one_does_not():
    def table(rows):
        return "<table>" + "<tr><th>a</th></tr>" + "<tr><td>1</td></tr>" * rows + "</table>"

    nb = new_notebook(cells=[_cell(new_markdown_cell("# Lesson 9: Tables"), "slide"),
                             _cell(new_markdown_cell("## Tables"), "slide"),
                             _code("short()", [new_output("execute_result", data={"text/html": table(3)})]),
                             _code("long()", [new_output("execute_result", data={"text/html": table(11)})]),
                             new_markdown_cell("Next."),
                             _code("md()", [new_output("display_data", data={"text/markdown": "| a |\n|---|\n"
                                                                             + "| 1 |\n" * 9})])])
    cells = publish.prepare(nb, for_slides=True).cells
    assert [publish.slide_type(c) for c in cells] == ["slide", "slide", None, None, "subslide", "subslide",
                                                       None, "subslide"]  # md(): its code, then its table


def test_slide_and_handout_css_name_the_cjk_font_stack():
    from innovation_course.content.style import CJK_FONTS, CSS_FONT_STACK

    assert {"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei"} <= set(CJK_FONTS)
    for name in ("slides.css", "handout.css"):
        css = (publish.TEMPLATES / name).read_text(encoding="utf-8")
        assert f"--jp-content-font-family: {CSS_FONT_STACK};" in css, name
    assert f"--r-main-font: {CSS_FONT_STACK};" in (publish.TEMPLATES / "slides.css").read_text(encoding="utf-8")


def test_a_template_question_card_says_each_learner_has_their_own_version():
    import ast

    from innovation_course.classroom.publish.prepare import VERSIONS_NOTE, card_fields, question_card

    call = ast.parse('wb.ask(id="q", kind="computed", template=findings.spending_multiple, points=2)').body[0].value
    card = question_card(card_fields(call), 3)
    assert VERSIONS_NOTE.split(",")[0] in card and "Question 3 · computed from data · 2 points" in card
    assert "spending_multiple" not in card


def test_a_table_too_tall_for_a_slide_is_shown_over_several_each_with_its_header():
    """A lesson's key terms at 24 px (issue 17) do not fit one slide: every row is shown once, in order, under the
    table's header, the heading marked "continued" after the first; a short table is left as it is."""
    from innovation_course.classroom.publish.tableslides import split_markdown_cell, table_pieces

    rows = [f"| term {n} | {'长' * (n % 7)} | {'a fairly long explanation of the term ' * (n % 4)} |"
            for n in range(40)]
    text = "\n".join(["Intro text.", "### Key terms", "", "| English | 中文 | Meaning |", "|---|---|---|", *rows,
                      "", "After the table."])
    pieces = table_pieces(text)
    assert len(pieces) > 1
    assert pieces[0].startswith("Intro text.\n### Key terms") and pieces[-1].endswith("After the table.")
    shown = [line for piece in pieces for line in piece.splitlines() if line.startswith("| term")]
    assert shown == rows
    for piece in pieces:
        assert "| English | 中文 | Meaning |\n|---|---|---|" in piece
    assert all(piece.startswith("### Key terms (continued)") for piece in pieces[1:])
    assert table_pieces("\n".join(["| a | b |", "|---|---|", *rows[:3]])) == ["\n".join(["| a | b |", "|---|---|",
                                                                                          *rows[:3]])]
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["slideshow"] = {"slide_type": "subslide"}
    parts = split_markdown_cell(cell)
    assert [p.source for p in parts] == pieces and len({p.id for p in parts}) == len(parts)
    assert [p.metadata["slideshow"]["slide_type"] for p in parts] == ["subslide"] * len(parts)
