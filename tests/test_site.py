"""The course website (``innovation-course site``): every lesson from its saved notebook, in course order, with
its charts and their alt text, explorers as their saved view, self-check questions without answers, run links,
key terms, sources and data files; nothing loaded from another host; no answer, key, explanation, rubric, hint
or solution code in any file. The site is built once per session (``course_site`` in conftest.py); what it
should show is read from the notebooks and the data package, never typed here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import SITE_HUB, SITE_URL
from leak_support import MIN_TEXT, SOURCES, hints_of, secrets_of, strings

from innovation_course.classroom import links, release
from innovation_course.classroom.cli import main
from innovation_course.classroom.publish.offline import css_external, external_resources
from innovation_course.classroom.publish.prepare import KEY_MARKERS, PublishError, notebook_title, render_markdown
from innovation_course.classroom.publish.site import TEXT_SUFFIXES, build_site, check_site
from innovation_course.classroom.publish.sitelessons import (
    SiteLinks,
    _consecutive_headings,
    _markdown_output,
    named_data_files,
    plain_text,
    run_box,
    site_links,
)
from innovation_course.classroom.publish.sitepages import key_terms

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WORKBOOKS = sorted((ROOT / "exercises").glob("ex*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: what a tracker's script leaves in a page (its host, its call or its script attribute; not English words such as
#: "plausible", which a lesson may use)
TRACKERS = ("google-analytics", "googletagmanager", "gtag(", "plausible.io", "data-domain=", "ethicalads", "matomo",
            "_paq.push", "analytics.js", "hotjar", "clarity.ms", "doubleclick")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_of(site, lesson: Path) -> Path:
    return site.out / "notebooks" / f"{lesson.stem}.html"


def article(page: BeautifulSoup):
    return page.find("article")


def asked_cells(nb) -> set[int]:
    return {call.cell for call, _ in release.lesson_calls(nb)}


def text_files(site) -> dict[str, str]:
    return {str(p.relative_to(site.out)): p.read_text(encoding="utf-8", errors="replace")
            for p in site.out.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES}


# ------------------------------------------------------------------------------------------ the lessons


def test_every_lesson_is_a_page_in_course_order_with_previous_and_next(course_site):
    assert LESSONS, "no lessons"
    index = soup(course_site.out / "index.html")
    nav = index.find("nav", class_="bd-docs-nav")
    listed = [a["href"] for a in nav.find_all("a") if a["href"].startswith("notebooks/")]
    assert listed == [f"notebooks/{p.stem}.html" for p in LESSONS]
    for number, lesson in enumerate(LESSONS):
        page = soup(page_of(course_site, lesson))
        title = notebook_title(nbformat.read(lesson, as_version=4))
        assert page.find("h1").get_text(" ", strip=True).rstrip("#").strip() == title
        previous = page.find("a", class_="left-prev")["href"]
        assert previous == (f"{LESSONS[number - 1].stem}.html" if number else "../index.html")
        following = page.find("a", class_="right-next")
        if number + 1 < len(LESSONS):
            assert following["href"] == f"{LESSONS[number + 1].stem}.html"


def _chart(output) -> tuple[str, str] | None:
    """(sha256 of the PNG bytes, alt text) of a chart output: an HTML <img> with its alt text, as lessons save
    charts (issue 18), or a PNG output with its alt in the metadata; None for any other output."""
    from innovation_course.content.charts import chart_image

    data = output.get("data", {})
    if "image/png" in data:
        png, alt = data["image/png"], output.get("metadata", {}).get("image/png", {}).get("alt", "")
    elif chart_image(data):
        png, alt = chart_image(data)
    else:
        return None
    return hashlib.sha256(base64.b64decode(png)).hexdigest(), alt


def _charts(nb) -> list[tuple[str, str]]:
    """(sha256 of the PNG bytes, alt text) of every chart a lesson shows outside its question cells."""
    asked = asked_cells(nb)
    return [chart for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and i not in asked
            for chart in map(_chart, cell.get("outputs", [])) if chart]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_charts_are_the_saved_ones_each_with_its_alt_text(course_site, lesson):
    charts = _charts(nbformat.read(lesson, as_version=4))
    images = {Path(img["src"]).stem: img.get("alt", "") for img in article(soup(page_of(course_site, lesson)))
              .find_all("img")}
    for sha, alt in charts:  # the same bytes as the committed output: nothing was run again
        assert sha in images, f"{lesson.name}: chart {sha[:12]} is not on the page"
        assert (course_site.out / "_images" / f"{sha}.png").is_file()
        assert alt, f"{lesson.name}: a chart without alt text in the notebook"
        assert images[sha] == plain_text(alt)
    assert all(images.values()), f"{lesson.name}: an image without alt text"


def test_the_lessons_have_charts_and_explorers_to_check():
    nbs = [nbformat.read(p, as_version=4) for p in LESSONS]
    assert sum(len(_charts(nb)) for nb in nbs) >= 20
    assert sum(len(_explorers(nb)) for nb in nbs) >= 5


def _quotes(text: str) -> str:
    """Straight quotes for typographic ones (Sphinx's smart quotes)."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def _explorers(nb) -> list:
    asked = asked_cells(nb)
    return [cell for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and i not in asked
            and any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_explorers_show_their_saved_view_with_a_line_saying_they_are_live_in_jupyterlab(course_site, lesson):
    explorers = _explorers(nbformat.read(lesson, as_version=4))
    page = soup(page_of(course_site, lesson))
    notes = page.find_all(class_="ic-live")
    assert len(notes) == len(explorers)
    for note, cell in zip(notes, explorers, strict=True):
        assert "Live in JupyterLab" in note.get_text()
        target = note.find("a")["href"]
        assert target.startswith("#") and page.find(id=target[1:]), f"{lesson.name}: {target} is not on the page"
        view = note.find_parent(class_="cell")  # the saved view: in the same cell (a second chart: the next)
        cells = [view, *view.find_next_siblings(class_="cell", limit=1)]
        shown = " ".join(c.get_text(" ", strip=True) for c in cells)
        images = [Path(i["src"]).stem for c in cells for i in c.find_all("img")]
        for output in cell.outputs:
            if "text/markdown" in output.get("data", {}):  # the sentence under the chart
                words = re.sub(r"[*_`#]", "", output["data"]["text/markdown"]).split()[:8]
                assert _quotes(" ".join(words)) in _quotes(" ".join(shown.split())), lesson.name
            if _chart(output):
                assert _chart(output)[0] in images, f"{lesson.name}: the explorer's saved chart is missing"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_self_check_questions_show_prompt_and_options_and_not_their_answer(course_site, lesson):
    nb = nbformat.read(lesson, as_version=4)
    calls = release.lesson_calls(nb)
    page = soup(page_of(course_site, lesson))
    in_cell = secrets_of(lesson)[1]
    for call, verbatim in calls:
        qid = call.spec["id"]
        card = page.find("div", attrs={"data-question": qid})
        assert card is not None, f"{lesson.name}: no card for {qid}"
        text = " ".join(card.get_text(" ", strip=True).split())
        if "prompt" not in verbatim:
            prompt = BeautifulSoup(render_markdown(call.spec["prompt"]), "html.parser").get_text(" ")
            assert " ".join(prompt.split())[:40] in text, qid
        for option in strings(call.spec.get("options")):
            option = BeautifulSoup(render_markdown(option), "html.parser").get_text(" ", strip=True)
            assert " ".join(option.split()) in text, (qid, option)
        leaked = [s for s in in_cell.get(qid, []) if s in text or s in str(card)]
        assert not leaked, f"{lesson.name}: {qid}'s card shows its answer {leaked}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_each_lesson_links_to_binder_and_the_hub(course_site, lesson):
    hrefs = [a["href"] for a in soup(page_of(course_site, lesson)).find_all("a", href=True)]
    path = f"notebooks/{lesson.name}"
    assert f"https://mybinder.org/v2/gh/my-uni/course-learners/main?urlpath=lab/tree/{path}" in hrefs
    assert (f"https://{SITE_HUB}/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fmy-uni%2F"
            f"course-learners&branch=main&urlpath=lab/tree/course-learners/{path}") in hrefs


def test_workbooks_are_listed_with_links_to_open_them_and_no_question(course_site):
    page = soup(course_site.out / "workbooks.html")
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    text = " ".join(article(page).get_text(" ", strip=True).split())
    assert WORKBOOKS
    for workbook in WORKBOOKS:
        assert links.binder_url(SITE_URL, "main", f"exercises/{workbook.name}") in hrefs
        assert links.hub_url(SITE_HUB, SITE_URL, "main", f"exercises/{workbook.name}") in hrefs
        assert notebook_title(nbformat.read(workbook, as_version=4)) in text
    prompts = [p for path in SOURCES if path.parent.name == "solutions"
               for call, _ in release.lesson_calls(nbformat.read(path, as_version=4))
               for p in strings(call.spec.get("prompt")) if len(p) >= MIN_TEXT]
    assert prompts and not [p for p in prompts if p[:MIN_TEXT * 2] in text]


def test_key_terms_with_chinese_and_pinyin_on_the_lessons_and_their_own_page(course_site):
    page = soup(course_site.out / "key-terms.html")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in article(page).find_all("tr")
            if tr.find("td")]
    chinese = {span.get_text(strip=True) for span in page.find_all("span", lang="zh-Hans")}
    found = 0
    for lesson in LESSONS:
        nb = nbformat.read(lesson, as_version=4)
        lesson_text = article(soup(page_of(course_site, lesson))).get_text(" ")
        for english, zh, pinyin, _note in key_terms([c.source for c in nb.cells if c.cell_type == "markdown"]):
            found += 1
            plain = [BeautifulSoup(render_markdown(x), "html.parser").get_text(" ", strip=True)
                     for x in (english, zh, pinyin)]
            assert any(row[:3] == plain or row[0].lower() == plain[0].lower() for row in rows), plain
            assert plain[1] in chinese and plain[1] in lesson_text and plain[2] in lesson_text
    assert found >= 30


def test_each_lesson_links_the_data_files_it_names_and_they_are_the_real_files(course_site):
    import json

    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    named = 0
    for lesson in LESSONS:
        files = named_data_files(nbformat.read(lesson, as_version=4), package)
        page = page_of(course_site, lesson)
        hrefs = {Path(a["href"]).name: a["href"] for a in soup(page).find_all("a", href=True)}
        for name in files:
            named += 1
            assert name in hrefs, f"{lesson.name}: {name} is not linked"
            linked = (page.parent / hrefs[name]).resolve()
            assert linked.read_bytes() == (ROOT / "data" / name).read_bytes()
    assert named >= 15


def test_markdown_outputs_tables_are_tables(course_site):
    """A lesson's Markdown output with a table (lesson 6's list of claims) shows an HTML table, not pipes."""
    found = 0
    for lesson in LESSONS:
        nb = nbformat.read(lesson, as_version=4)
        tables = sum(1 for cell in nb.cells for o in cell.get("outputs", [])
                     if re.search(r"^\|.*\|\s*$\n^\|[-:| ]+\|", str(o.get("data", {}).get("text/markdown", "")), re.M))
        page = article(soup(page_of(course_site, lesson)))
        shown = [o for o in page.select(".cell_output") if o.find("table")]
        assert len(shown) >= tables, lesson.name
        assert not [o for o in page.select(".cell_output") if re.search(r"\|\s*\|", o.get_text())], lesson.name
        found += tables
    assert found >= 1


def test_no_internal_link_is_broken(course_site):
    broken = []
    for page in course_site.pages:
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            if re.match(r"[a-z][a-z0-9+.-]*:|#", href, re.I):
                continue
            target, _, anchor = href.partition("#")
            file = (page.parent / target).resolve() if target else page
            if not file.is_file():
                broken.append(f"{page.relative_to(course_site.out)} → {href}")
            elif anchor and file.suffix == ".html" and not soup(file).find(id=anchor):
                broken.append(f"{page.relative_to(course_site.out)} → {href} (no such anchor)")
    assert not broken, broken[:10]


def test_headings_never_skip_a_level(course_site):
    skipped = []
    for page in course_site.pages:
        body = article(soup(page))
        if body is None:
            continue
        levels = [int(h.name[1]) for h in body.find_all(re.compile(r"^h[1-6]$"))]
        if levels and levels[0] != 1:
            skipped.append(f"{page.name}: starts at h{levels[0]}")
        skipped += [f"{page.name}: h{a} then h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skipped, skipped


# ---------------------------------------------------------------------------------- private, offline, no answers


def test_nothing_is_loaded_from_another_host_and_there_is_no_tracker(course_site):
    files = text_files(course_site)
    assert len(files) > 20
    for name, text in files.items():
        if name.endswith(".html"):
            assert external_resources(text) == [], name
            assert not [t for t in TRACKERS if t in text], name
        if name.endswith(".css"):
            assert css_external(text) == [], name
    page = (course_site.out / "notebooks" / f"{LESSONS[1].stem}.html").read_text(encoding="utf-8")
    assert "mathjax" not in page.lower() and "require.js" not in page  # myst-nb's and Sphinx's CDN scripts


def test_no_answer_key_explanation_rubric_hint_or_solution_code_anywhere_in_the_site(course_site):
    files = {name: (text, html.unescape(text)) for name, text in text_files(course_site).items()}
    secrets = [(path.name, s) for path in SOURCES for s in [*secrets_of(path)[0], *hints_of(path)]]
    assert len(secrets) > 50  # otherwise this test proves nothing
    leaks = [(source, secret[:60], name) for source, secret in secrets for name, (raw, text) in files.items()
             if secret in raw or secret in text]
    assert not leaks, f"answer material on the website: {leaks[:10]}"
    for name, (raw, _) in files.items():
        assert not [m for m in KEY_MARKERS if m in raw], name


def test_the_site_style_sheet_names_the_courses_cjk_font_stack():
    from innovation_course.classroom.publish.prepare import TEMPLATES
    from innovation_course.content.style import CSS_FONT_STACK

    css = (TEMPLATES / "site.css").read_text(encoding="utf-8")
    for variable in ("--pst-font-family-base", "--pst-font-family-heading"):
        assert f"{variable}: {CSS_FONT_STACK};" in css


def test_the_site_check_refuses_an_external_script_and_answer_material(tmp_path):
    (tmp_path / "index.html").write_text('<script src="https://cdn.example.org/x.js"></script>', encoding="utf-8")
    with pytest.raises(PublishError, match="would load"):
        check_site(tmp_path)
    (tmp_path / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    (tmp_path / "searchindex.js").write_text('Search.setIndex({"t": "sha256-v1"})', encoding="utf-8")
    with pytest.raises(PublishError, match="answer material"):
        check_site(tmp_path)


def test_the_learner_edition_builds_the_same_site_without_solutions(tmp_path):
    edition = tmp_path / "edition"
    release.stage(edition, url=SITE_URL)
    assert not (edition / "solutions").exists()
    report = build_site(tmp_path / "web", edition, SiteLinks(SITE_URL))
    assert [p.name for p in report.pages if p.parent.name == "notebooks"] == [f"{p.stem}.html" for p in LESSONS]
    assert report.warnings == []


def test_the_build_has_no_sphinx_warning_and_can_be_replaced_by_the_next(course_site):
    assert course_site.warnings == []
    assert (course_site.out / ".course-site").is_file()  # so a rebuild into the same folder may replace it


# ------------------------------------------------------------------------------------------- the pieces


def test_relative_links_the_site_cannot_follow_become_text():
    published = {"notebooks/01_a.ipynb", "data/facts.md", "data/x.csv"}
    text = ("[facts](../data/facts.md) [guide](../docs/instructor-guide.md) [ex](../exercises/ex01_a.ipynb) "
            "[l1](01_a.ipynb#key-terms) [web](https://example.org/a.md) [top](#top) ![img](pic.png)")
    assert site_links(text, "notebooks/00_b.ipynb", published) == (
        "[facts](../data/facts.md) guide [ex](../workbooks.md) [l1](01_a.ipynb#key-terms) "
        "[web](https://example.org/a.md) [top](#top) ![img](pic.png)")


def test_heading_levels_are_made_consecutive_outside_code_blocks():
    cells = [nbformat.v4.new_markdown_cell(s) for s in
             ("# Title\n\n### Key terms", "```\n### not a heading\n```\n#### Deep", "## Next")]
    _consecutive_headings(cells)
    assert [c.source for c in cells] == ["# Title\n\n## Key terms", "```\n### not a heading\n```\n### Deep",
                                         "## Next"]


def test_an_outputs_heading_becomes_a_bold_line_in_its_own_paragraph():
    """Regression: the heading's end of line swallowed the blank line after it, gluing it to "Claim."."""
    assert _markdown_output("#### Evidence brief: GERD ##\n\n**Claim.** text\n\nA # not a heading") == (
        "**Evidence brief: GERD**\n\n**Claim.** text\n\nA # not a heading")


def test_a_lesson_names_its_data_files_by_path_pattern_or_indicator_code():
    package = {"resources": [{"path": "wdi_gdp.csv", "indicators": [{"code": "NY.GDP.MKTP.CD"}]},
                             {"path": "wdi_fdi.csv", "indicators": []},
                             {"path": "oecd_x.csv", "indicators": [{"code": "G_XGDP"}]},
                             {"path": "gii.csv", "indicators": [{"code": "gii_rank"}]}]}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "World Bank (`data/wdi_*.csv`); OECD G_XGDP; a gii_rank column; NY.GDP.MKTP.CD.ZZ is another code")])
    assert named_data_files(nb, package) == ["wdi_gdp.csv", "wdi_fdi.csv", "oecd_x.csv"]


def test_key_terms_are_read_from_the_lessons_table():
    cell = ("### Key terms\n\n| English | 中文 | Pinyin | In this lesson |\n|---|---|---|---|\n"
            "| Torch Program | 火炬计划 | huǒjù jìhuà | August 1988 |\n| a \\| b | 甲 | jiǎ | |\n")
    assert key_terms(["# Lesson", cell]) == [["Torch Program", "火炬计划", "huǒjù jìhuà", "August 1988"],
                                             ["a \\| b", "甲", "jiǎ", ""]]
    assert key_terms(["# No terms here"]) == []


def test_run_links_need_the_repository_and_say_so_without_it():
    assert SiteLinks().run("notebooks/01_a.ipynb") == []
    box = run_box(SiteLinks(), "notebooks/01_a.ipynb")
    assert "your teacher's link" in box and "mybinder" not in box
    both = SiteLinks("https://gitlab.com/uni/course", "spring", "https://hub.uni.edu/", "c").run("exercises/ex1.ipynb")
    assert both == [("on Binder", "https://mybinder.org/v2/gl/uni%2Fcourse/spring?urlpath=lab/tree/exercises/ex1.ipynb"),
                    ("on the class's JupyterHub", "https://hub.uni.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2F"
                     "gitlab.com%2Funi%2Fcourse&branch=spring&urlpath=lab/tree/c/exercises/ex1.ipynb")]


def test_github_pages_addresses():
    assert links.pages_url("https://github.com/My-Uni/course-learners.git") == "https://my-uni.github.io/course-learners/"
    assert links.pages_url("https://github.com/my-uni/my-uni.github.io") == "https://my-uni.github.io/"
    assert links.pages_url("https://gitlab.com/uni/course") is None


def test_without_the_site_tools_the_command_says_what_to_install(capsys, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "myst_nb" else real(name, *a))
    assert main(["site", "--out", str(tmp_path / "web")]) == 1
    assert "myst_nb" in (err := capsys.readouterr().err) and ".[site]" in err


def test_the_build_never_replaces_a_folder_it_did_not_build(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["site", "--out", str(tmp_path)]) == 1
    assert "not a website this command built" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_site_command_wants_a_repository_for_a_hub(capsys, tmp_path):
    assert main(["site", "--out", str(tmp_path / "web"), "--hub", "hub.example.edu"]) == 2
    assert "--hub needs --url" in capsys.readouterr().err
    assert not (tmp_path / "web").exists()

