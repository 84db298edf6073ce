"""Redraw time of each explorer the lessons use: p50 and p95 of the seconds from a control change to the new
chart image and sentence, measured in the kernel (the work a change triggers: data, chart, PNG), as wall-clock
time and as this process's CPU time (which a busy machine inflates less). Only choices not drawn before are
timed: an explorer shows a recent choice again from what it kept, without drawing.

    .venv/bin/python benchmarks/explore_bench.py [--repeat 20] [--browser]

``--browser`` also times each explorer where learners use it: its lesson, run whole in JupyterLab in headless
Chromium, from a click to the new chart image in the page (browser, server and kernel share the machine).

Each explorer is built as a lesson builds it, then its controls are changed the way a learner would (years
dragged, an economy or a measure or an indicator picked); every change is one redraw. The machine's load
average is printed with the figures: on a shared 2-core machine it can multiply them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innovation_course.content import data, explore, regions, timeline

ROOT = Path(__file__).resolve().parents[1]
GOAL_P50 = 0.150  # seconds, from a control change to the new chart


def _changes(explorer: explore.IndicatorExplorer) -> list[Callable[[], None]]:
    """A learner's changes: drag the years, drop and add an economy, switch measures, pick indicators."""
    low, high = explorer.years.min, explorer.years.max
    steps = [lambda v=(low + k, high): setattr(explorer.years, "value", v) for k in range(0, 8, 2)]
    picked = tuple(explorer.economies.value)
    steps += [lambda: setattr(explorer.economies, "value", picked[:-1]),
              lambda: setattr(explorer.economies, "value", picked)]
    steps += [lambda m=m: setattr(explorer.measure, "value", m) for m in ("index", "growth", "level")]
    codes = [value for _, value in explorer.code.options]
    steps += [lambda c=c: setattr(explorer.code, "value", c) for c in codes[:3]]
    return steps


Timing = tuple[float, float]  # wall-clock and CPU seconds


def timed(change: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    change()
    return time.perf_counter() - wall, time.process_time() - cpu


def indicator(resource: str, **kwargs) -> Callable[[int], list[Timing]]:
    def run(repeat: int) -> list[Timing]:
        explorer = explore.IndicatorExplorer(resource, **kwargs)
        explorer.current()  # the first view, drawn when the cell runs
        times = []
        for change in itertools.islice(itertools.cycle(_changes(explorer)), repeat):
            explorer.rendered.clear()  # time drawing a choice, not showing again one drawn before
            before = len(explorer.timings)
            spent = timed(change)
            if len(explorer.timings) > before:  # the change redrew (setting a value it already had does not)
                times.append(spent)
        return times
    return run


def policy_timeline(repeat: int) -> list[Timing]:
    table = data.milestones()
    choices = itertools.cycle([(timeline.KINDS, timeline.FIRST_YEAR + k, timeline.LAST_YEAR) for k in (0, 5, 10)]
                              + [(("plan", "programme"), timeline.FIRST_YEAR, timeline.LAST_YEAR),
                                 (timeline.KINDS[1:], timeline.FIRST_YEAR, timeline.LAST_YEAR)])
    margins: dict = {}  # as timeline_explorer keeps them: filled by the first view, reused by redraws
    figure = timeline.blank_figure()  # and its one figure, drawn into at every view
    timeline.chart_bundle(table=table, margins=margins, figure=figure)
    return [timed(lambda c=c: timeline.chart_bundle(*c, table=table, margins=margins, figure=figure))
            for c in itertools.islice(choices, repeat)]


def province(repeat: int) -> list[Timing]:
    explorer = regions.ProvinceExplorer()
    explorer.current()
    last = explorer.year.value
    changes = itertools.cycle([("year", last - 1), ("year", last), ("view", "city-regions"), ("view", "provinces"),
                               ("indicator", regions.EXPENDITURE), ("indicator", regions.INTENSITY)])
    times = []
    for name, value in itertools.islice(changes, repeat):
        explorer.rendered.clear()  # time drawing a choice, not showing again one drawn before
        times.append(timed(lambda n=name, v=value: setattr(getattr(explorer, n), "value", v)))  # observe() redraws
    return times


EXPLORERS: dict[str, Callable[[int], list[Timing]]] = {
    "lesson 1 policy timeline": policy_timeline,
    "lesson 2 R&D spending (oecd_gerd_ppp)": indicator("oecd_gerd_ppp", economies=("CHN", "USA", "JPN", "EU27_2020")),
    "lesson 3 provinces and city-regions": province,
    "lesson 4 patents by technology": indicator("oecd_pct_patents_by_technology",
                                                economies=("CHN", "USA", "JPN", "KOR", "EU27_2020"), start=2000),
    "lesson 5 IP charges (wdi_ip_charges)": indicator("wdi_ip_charges", economies=("CHN", "USA", "JPN", "KOR"),
                                                      start=1997),
}


#: Each explorer in the lesson that shows it: (lesson, the call in its explorer cell, what a click changes).
IN_LESSONS: dict[str, tuple[str, str, str]] = {
    "lesson 1 policy timeline": ("01_policy_framework.ipynb", "timeline.timeline_explorer(", "kind"),
    "lesson 2 R&D spending": ("02_rd_investment.ipynb", 'indicator_explorer("oecd_gerd_ppp"', "toggle"),
    "lesson 3 provinces and city-regions": ("03_ecosystems_regions.ipynb", "regions.province_explorer(", "toggle"),
    "lesson 4 patents by technology": ("04_emerging_technologies.ipynb",
                                       'indicator_explorer("oecd_pct_patents_by_technology"', "toggle"),
    "lesson 5 IP charges": ("05_challenges_opportunities.ipynb", 'indicator_explorer("wdi_ip_charges"', "toggle"),
}
#: Put first in each lesson copy: the explorers keep no choice, so every click draws.
KEEP_NONE = ("from innovation_course import explore, regions, timeline\n"
             "explore.RENDERED_KEPT = regions.RENDERED_KEPT = timeline.RENDERED_KEPT = 0  # benchmark: time drawing")
#: In the page: in cell ``cell``'s outputs, click the first kind's checkbox ("kind") or the toggle button after
#: the pressed one ("toggle": the next measure or view), then time until the chart image has changed; before
#: returning the seconds, wait until the new image is decoded and the page is idle (the sentence shown too).
CLICK_AND_TIME_JS = """async ({cell, control}) => {
  const area = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell].querySelector('.jp-OutputArea');
  const image = () => area.querySelector('img');
  const before = image().src;
  let target = area.querySelector('.widget-checkbox input');
  if (control === 'toggle') {
    const buttons = [...area.querySelectorAll('.widget-toggle-button')];
    target = buttons[(buttons.findIndex(b => b.classList.contains('mod-active')) + 1) % buttons.length];
  }
  const began = performance.now();
  target.click();
  while (!image() || image().src === before) { await new Promise(r => requestAnimationFrame(r)); }
  const seconds = (performance.now() - began) / 1000;
  await image().decode().catch(() => null);
  await new Promise(r => requestIdleCallback(r));  // the page at rest again, as when a learner clicks next
  return seconds;
}"""
#: In the page: the labels of cell ``cell``'s toggle buttons (none for the timeline).
TOGGLES_JS = """(cell) => [...document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]
  .querySelectorAll('.jp-OutputArea .widget-toggle-button')].map(b => b.textContent.trim())"""
#: In the page: widgets or chart of cell ``cell`` wider than the space they are given (clipped text, cut-off image).
CLIPPED_JS = """(cell) => {
  const area = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell].querySelector('.jp-OutputArea');
  const clipped = [...area.querySelectorAll('.widget-label, .widget-toggle-button, select, option, button')]
    .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim().slice(0, 40));
  const img = area.querySelector('img');
  if (img && img.getBoundingClientRect().width < img.naturalWidth - 1
      && img.getBoundingClientRect().right > area.getBoundingClientRect().right) clipped.push('chart image');
  return clipped;
}"""


def lesson_copy(lesson: str, call: str, folder: Path) -> int:
    """Write a copy of ``lesson`` into ``folder`` with :data:`KEEP_NONE` as its first cell; return the index of
    the cell that shows the explorer."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / lesson, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(KEEP_NONE))
    cell = next(k for k, c in enumerate(nb.cells) if c.cell_type == "code" and call in c.source)
    nbformat.write(nb, folder / lesson)
    return cell


def browser_redraws(repeat: int) -> int:
    """Every explorer in its own lesson, run whole in JupyterLab in headless Chromium at 1280×800: the seconds
    from a click (a kind's checkbox; the next measure or view) to the new chart image in the page, with the
    lesson's other outputs on the page as a learner has them (and JupyterLab's default windowing, which skips
    drawing cells out of view), and any clipped control or title."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from browser_support import KERNEL_TIMEOUT, JupyterServer, NotebookPage, chromium

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "home").mkdir()
        with (JupyterServer("lab", root, root / "home", root / "server.log", windowing="contentVisibility") as server,
              chromium() as browser):
            for name, (lesson, call, control) in IN_LESSONS.items():
                cell = lesson_copy(lesson, call, root)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                notebook = NotebookPage(page, server, lesson, root / "shots")
                notebook.open()
                notebook.run_all()
                notebook.cell(cell).scroll_into_view_if_needed()
                notebook.cell(cell).locator(".jp-OutputArea img").first.wait_for(timeout=KERNEL_TIMEOUT)
                first = max(0, len(page.evaluate(TOGGLES_JS, cell)) - 1)  # each other toggle's first view lays out
                times = [page.evaluate(CLICK_AND_TIME_JS, {"cell": cell, "control": control})
                         for _ in range(repeat + first)]
                clipped = page.evaluate(CLIPPED_JS, cell)
                notebook.shut_down_kernel()
                page.close()
                timed = times[first:]
                print(f"{name + ' in JupyterLab':42} {len(timed):3d} {statistics.median(timed) * 1000:8.0f} "
                      f"{percentile(timed, 0.95) * 1000:8.0f}   clipped at 1280 px: {', '.join(clipped) or 'nothing'}")
    return 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="redraws per explorer (default 20)")
    parser.add_argument("--browser", action="store_true",
                        help="also time every explorer in its lesson, in JupyterLab in headless Chromium (Debian's)")
    args = parser.parse_args(argv)
    print(f"explorer redraw, in the kernel (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); "
          f"goal p50 < {GOAL_P50 * 1000:.0f} ms")
    print(f"{'explorer':42} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, run in EXPLORERS.items():
        times = run(args.repeat)
        wall, cpu = [t[0] for t in times], [t[1] for t in times]
        print(f"{name:42} {len(times):3d} {statistics.median(wall) * 1000:8.0f} {percentile(wall, 0.95) * 1000:8.0f}"
              f" {statistics.median(cpu) * 1000:8.0f} {percentile(cpu, 0.95) * 1000:8.0f}")
    if args.browser:
        browser_redraws(args.repeat)
    print(f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
