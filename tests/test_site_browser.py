"""The course website in headless Debian Chromium, served from a local file server with every other host
blocked: each page opens with no failed or blocked request and no console error; axe-core finds no serious
or critical accessibility violation on any page, at desktop and at phone width; search finds each lesson by
one of its key terms; the keyboard alone skips to the content and reaches the next lesson; a lesson fits a
phone's width; printing hides the navigation and keeps charts whole; Chinese renders in a CJK font.
Screenshots of a lesson at desktop and phone width, and its printed PDF, go to test-artifacts/site/.
Every wait is for a state of the page (loaded, results shown, focus moved, URL changed), never for a time.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from browser_support import (
    IN_CI,
    axe_violations,
    chinese_glyph_problems,
    chromium_path,
    cjk_font_installed,
    require_axe,
    static_server,
)

from innovation_course.classroom.publish.sitepages import key_terms

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(chromium_path() is None and not IN_CI, reason="needs Debian's chromium")]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "site"
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT = 60_000  # ms: an upper bound for one page to load or one search to finish on a loaded machine
SEARCH_DONE_JS = """() => {
  // Sphinx adds the results one by one (a 5 ms timer between two, late on a busy page), then says it has finished
  const status = document.querySelector('#search-results .search-summary');
  return !!status && /finished|found|did not match/i.test(status.innerText);
}"""


@pytest.fixture(scope="module")
def served(course_site):
    with static_server(course_site.out) as base:
        yield course_site, base


class Visit:
    """A browser context that may reach only the site: every other request is blocked and recorded, and so
    are failed requests, error responses, console errors and uncaught exceptions."""

    def __init__(self, browser, base: str, viewport: dict) -> None:
        self.base = base
        self.context = browser.new_context(viewport=viewport)
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.problems.append(f"another host: {url}")
            route.abort()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load", timeout=TIMEOUT)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, served):
    base = served[1]
    opened: list[Visit] = []

    def make(viewport: dict = DESKTOP) -> Visit:
        opened.append(Visit(browser, base, viewport))
        return opened[-1]

    yield make
    for v in opened:
        v.close()


def pages(site) -> list[str]:
    return [str(p.relative_to(site.out)) for p in site.pages]


def test_every_page_opens_with_no_failed_request_and_no_console_error(served, visit):
    site, _ = served
    v = visit()
    assert len(site.pages) >= len(LESSONS) + 4
    for path in pages(site):
        v.open(path)
        v.page.wait_for_load_state("networkidle", timeout=TIMEOUT)  # late requests (search index, icons) too
    assert not v.problems, v.problems[:10]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_accessibility_violation_on_any_page(served, visit, viewport):
    require_axe(IN_CI)
    site, _ = served
    v = visit(viewport)
    found = []
    for path in pages(site):
        v.open(path)
        found += [f"{path}: {line}" for line in axe_violations(v.page)]
    assert not found, "\n".join(found[:20])


def _unique_terms() -> list[tuple[Path, str, str, str]]:
    """For each lesson with key terms, one whose English no other lesson's text mentions: (lesson, English,
    中文, pinyin); the Chinese and pinyin as whole words, the way Sphinx's search indexes them."""
    texts = {p: " ".join(c.source for c in nbformat.read(p, as_version=4).cells).lower() for p in LESSONS}
    chosen = []
    for lesson in LESSONS:
        nb = nbformat.read(lesson, as_version=4)
        for english, chinese, pinyin, _ in key_terms([c.source for c in nb.cells if c.cell_type == "markdown"]):
            term = re.sub(r"\s*\(.*?\)", "", english).strip()
            if len(term) > 4 and not any(term.lower() in t for p, t in texts.items() if p != lesson):
                chosen.append((lesson, term, re.sub(r"\s*\(.*?\)", "", chinese).strip(), pinyin.split()[0]))
                break
    return chosen


def _found(v, query: str) -> list[str]:
    v.open(f"search.html?q={quote(query)}")
    v.page.wait_for_function(SEARCH_DONE_JS, timeout=TIMEOUT, polling=100)
    # Sphinx then fetches each found page for its summary; leaving before they arrive aborts them (a failed
    # request caused by the test, not the site), so wait until the network is quiet.
    v.page.wait_for_load_state("networkidle", timeout=TIMEOUT)
    return v.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")


def test_search_finds_each_lesson_by_one_of_its_key_terms_in_english_chinese_and_pinyin(served, visit):
    terms = _unique_terms()
    assert len(terms) >= 4, terms
    v = visit()
    for lesson, *queries in terms:
        for query in queries:
            found = _found(v, query)
            assert any(f"notebooks/{lesson.stem}.html" in href for href in found), (query, found)
    assert not v.problems, v.problems


def test_the_sidebar_search_form_works_from_the_keyboard(served, visit):
    lesson, term, *_ = _unique_terms()[0]
    v = visit()
    v.open("index.html")
    field = v.page.locator(".bd-sidebar-primary form.bd-search input[type=search]")
    field.focus()
    v.page.keyboard.type(term)
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(re.compile(r"search\.html\?q="), timeout=TIMEOUT)
    v.page.wait_for_function(SEARCH_DONE_JS, timeout=TIMEOUT, polling=100)
    assert v.page.locator(f"#search-results ul.search li a[href*='{lesson.stem}.html']").count() >= 1


def test_the_keyboard_skips_to_the_content_and_reaches_the_next_lesson(served, visit):
    v = visit()
    v.open(f"notebooks/{LESSONS[1].stem}.html")
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(re.compile(r"#main-content$"), timeout=TIMEOUT)
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("() => !!document.activeElement.closest('#main-content')")
    for _ in range(600):  # every link, table and code block of the lesson comes before the next-lesson link
        if v.page.evaluate("() => document.activeElement.classList.contains('right-next')"):
            break
        v.page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the link to the next lesson")
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(re.compile(rf"notebooks/{LESSONS[2].stem}\.html"), timeout=TIMEOUT)


FITS_JS = """() => ({
  scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  wide: [...document.querySelectorAll('article img')]
        .filter(i => i.getBoundingClientRect().right > window.innerWidth + 1).map(i => i.alt.slice(0, 40)),
  sidebar: (() => { const s = document.querySelector('.bd-sidebar-primary');
                    return !!s && s.getBoundingClientRect().width > 0 && getComputedStyle(s).visibility !== 'hidden'
                           && s.getBoundingClientRect().right > 0; })(),
})"""


def test_a_lesson_at_desktop_and_phone_width(served, visit):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lesson = f"notebooks/{LESSONS[1].stem}.html"
    desktop = visit(DESKTOP)
    desktop.open(lesson)
    desktop.page.screenshot(path=str(ARTIFACTS / "lesson-desktop.png"))
    seen = desktop.page.evaluate(FITS_JS)
    assert seen["sidebar"] and not seen["wide"] and seen["scroll"] <= seen["width"], seen
    phone = visit(PHONE)
    phone.open(lesson)
    phone.page.screenshot(path=str(ARTIFACTS / "lesson-phone.png"))
    seen = phone.page.evaluate(FITS_JS)
    assert not seen["sidebar"], "the contents sidebar covers a phone's screen"
    assert not seen["wide"] and seen["scroll"] <= seen["width"], seen  # no sideways scrolling, charts fit
    phone.page.locator("article img").first.scroll_into_view_if_needed()
    phone.page.screenshot(path=str(ARTIFACTS / "lesson-phone-chart.png"))
    assert not desktop.problems and not phone.problems, desktop.problems + phone.problems


PRINT_JS = """() => {
  const shown = sel => [...document.querySelectorAll(sel)].some(e => getComputedStyle(e).display !== 'none'
                                                                      && e.getBoundingClientRect().height > 0);
  return {sidebar: shown('.bd-sidebar-primary'), toc: shown('.bd-sidebar-secondary'), run: shown('.ic-run'),
          nav: shown('.prev-next-area'), article: shown('article'),
          whole: [...document.querySelectorAll('article img')].every(i => {
            const s = getComputedStyle(i), box = getComputedStyle(i.closest('.cell_output') || i);
            return s.breakInside === 'avoid' || box.breakInside === 'avoid'; })};
}"""


def test_a_lesson_prints_without_navigation_and_with_charts_whole(served, visit):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v = visit()
    v.open(f"notebooks/{LESSONS[1].stem}.html")
    v.page.emulate_media(media="print")
    seen = v.page.evaluate(PRINT_JS)
    assert seen == {"sidebar": False, "toc": False, "run": False, "nav": False, "article": True, "whole": True}
    v.page.pdf(path=str(ARTIFACTS / "lesson-print.pdf"), format="A4")
    assert (ARTIFACTS / "lesson-print.pdf").stat().st_size > 100_000  # the charts are in it


@pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
def test_chinese_renders_in_the_courses_cjk_fonts(served, visit):
    v = visit()
    v.open("key-terms.html")
    assert not chinese_glyph_problems(v.page, "article span[lang='zh-Hans']")
    v.open(f"notebooks/{LESSONS[1].stem}.html")
    assert not chinese_glyph_problems(v.page, "#key-terms tbody tr td:nth-child(2)")
