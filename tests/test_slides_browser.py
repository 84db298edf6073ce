"""Every slide of every real deck in headless Chromium at a projector's 1280×720.

Stepping with → from the first slide reaches every slide, vertical ones included, in document order and
ends on the last; no slide's content runs out of its box; each chart fills at least 80 % of the slide's
width at no less than 90 % of its own pixel size (so its legend and source line keep about their printed
size); every piece of text in a table (key terms, data) is at least 24 px high on the 1280×720 screen, so it
reads from the back of a room (issue 17: key-term tables were about 15 px). And the
Chinese in lesson 0's italic subtitle renders as glyphs, not as empty boxes, where a CJK font is installed.
Waits are for states of the page (reveal.js ready, the slide index reached), never for a fixed time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import chinese_glyph_problems, chromium, chromium_path, cjk_font_installed

from innovation_course.classroom import publish

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium (apt-get install chromium)")]

ROOT = Path(__file__).resolve().parents[1]
LESSONS = publish.find_notebooks([ROOT / "notebooks"]) if (ROOT / "notebooks").is_dir() else []
VIEWPORT = {"width": publish.SLIDE_WIDTH, "height": publish.SLIDE_HEIGHT}
STEP_TIMEOUT = 10_000  # ms for one → to reach the next slide (fit-to-screen included)

#: (h, v) of every slide in document order: each horizontal section, then its vertical children.
ORDER_JS = """() => [...document.querySelectorAll('.reveal .slides > section')].flatMap((stack, h) => {
  const inner = [...stack.children].filter(c => c.tagName === 'SECTION');
  return inner.length ? inner.map((_, v) => [h, v]) : [[h, 0]];
})"""
#: What the current slide shows: its index, overflow, and each image's share of the slide width and scale.
MIN_TABLE_PX = 24  # text in a slide's tables, on the 1280×720 screen
MEASURE_JS = """() => {
  const MIN_TABLE_PX = """ + str(MIN_TABLE_PX) + """;
  const slide = Reveal.getCurrentSlide(), box = slide.getBoundingClientRect();
  const idx = Reveal.getIndices();
  const outside = [...slide.querySelectorAll('.jp-Cell, img, table, h1, h2, h3, p, li')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && (r.bottom > box.bottom + 1 || r.right > box.right + 1 || r.top < box.top - 1);
  }).map(e => e.tagName + ': ' + (e.textContent || e.alt || '').trim().slice(0, 60));
  const images = [...slide.querySelectorAll('.jp-OutputArea-output img')].map(img => ({
    share: img.getBoundingClientRect().width / box.width,
    scale: img.getBoundingClientRect().width / Reveal.getScale() / img.naturalWidth,
    alt: img.alt}));
  const small = [...slide.querySelectorAll('table td, table th, table td *, table th *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
    && parseFloat(getComputedStyle(e).fontSize) * Reveal.getScale() < MIN_TABLE_PX
  ).map(e => Math.round(parseFloat(getComputedStyle(e).fontSize) * Reveal.getScale()) + ' px: '
             + e.textContent.trim().slice(0, 40));
  return {h: idx.h, v: idx.v || 0, scrollH: slide.scrollHeight, clientH: slide.clientHeight,
          scrollW: slide.scrollWidth, clientW: slide.clientWidth, outside, images, small,
          tables: slide.querySelectorAll('table td').length,
          last: Reveal.isLastSlide(), total: Reveal.getTotalSlides()};
}"""
AT_JS = "([h, v]) => { const i = Reveal.getIndices(); return i.h === h && (i.v || 0) === v; }"


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    if not LESSONS:
        pytest.skip("no lessons in notebooks/")
    return publish.build_slides(LESSONS, tmp_path_factory.mktemp("slides"))


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def _open(browser, deck):
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(deck.path.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=STEP_TIMEOUT)
    return page, errors


def test_arrow_right_visits_every_slide_in_order_and_each_fits(browser, decks):
    problems, table_cells = [], 0
    for deck in decks:
        page, errors = _open(browser, deck)
        try:
            order = [tuple(x) for x in page.evaluate(ORDER_JS)]
            assert page.evaluate("Reveal.getTotalSlides()") == len(order), deck.path.name
            visited = []
            for step, expected in enumerate(order):
                if step:
                    page.keyboard.press("ArrowRight")
                page.wait_for_function(AT_JS, arg=list(expected), timeout=STEP_TIMEOUT)
                seen = page.evaluate(MEASURE_JS)
                visited.append((seen["h"], seen["v"]))
                where = f"{deck.path.name} slide {step + 1}/{len(order)} {expected}"
                if seen["scrollH"] > seen["clientH"] + 1 or seen["scrollW"] > seen["clientW"] + 1:
                    problems.append(f"{where}: content {seen['scrollW']}×{seen['scrollH']} in a "
                                    f"{seen['clientW']}×{seen['clientH']} slide")
                if seen["outside"]:
                    problems.append(f"{where}: outside the slide: {seen['outside'][:3]}")
                if seen["small"]:
                    problems.append(f"{where}: table text under {MIN_TABLE_PX} px: {seen['small'][:3]}")
                table_cells += seen["tables"]
                for image in seen["images"]:
                    if image["share"] < 0.8:
                        problems.append(f"{where}: chart {image['share']:.0%} of the slide width ({image['alt'][:50]})")
                    if image["scale"] < 0.9:  # 12 pt legend text at 100 dpi stays above 15 px
                        problems.append(f"{where}: chart shrunk to {image['scale']:.0%} of its pixel size")
                    if not image["alt"] or image["alt"].startswith("No description"):
                        problems.append(f"{where}: chart without its text version")
            assert page.evaluate("Reveal.isLastSlide()"), f"{deck.path.name}: → stopped before the last slide"
            page.keyboard.press("ArrowRight")  # one more → stays on the last slide
            page.wait_for_function(AT_JS, arg=list(order[-1]), timeout=STEP_TIMEOUT)
            assert visited == order, deck.path.name
            assert not errors, (deck.path.name, errors)
        finally:
            page.close()
    assert table_cells > 100, "no tables measured: the size check would check nothing"
    assert not problems, "\n".join(problems)


def test_decks_have_vertical_slides_and_charts_to_check(decks):
    """The stepping test above is only worth something if the decks have vertical slides and charts."""
    pages = [d.path.read_text(encoding="utf-8") for d in decks]
    stacks = sum(p.count("</section>\n<section") + p.count("</section><section") for p in pages)
    assert stacks > len(pages), "no vertical slides: → would have nothing to skip"
    assert sum(p.count('class="ic-chart"') for p in pages) >= 10


@pytest.mark.skipif(not cjk_font_installed(), reason="no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
def test_lesson_0_subtitle_chinese_renders_as_glyphs(browser, decks):
    deck = next((d for d in decks if d.path.name.startswith("00_")), None)
    if deck is None:
        pytest.skip("no lesson 0")
    page, _ = _open(browser, deck)
    try:
        subtitle = ".reveal .slides section.present em"
        assert not chinese_glyph_problems(page, subtitle, minimum=4), page.inner_text(subtitle)
    finally:
        page.close()
