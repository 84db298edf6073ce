"""Redraw time of each explorer the lessons use: p50 and p95 of the seconds from a control change to the new
chart image and sentence, measured in the kernel (the work a change triggers: data, chart, PNG), as wall-clock
time and as this process's CPU time (which a busy machine inflates less). Only choices not drawn before are
timed: an explorer shows a recent choice again from what it kept, without drawing.

    .venv/bin/python benchmarks/explore_bench.py [--repeat 20]

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

from innovation_course import data, explore, regions, timeline

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


#: In the page: click a control of a cell's explorer (a button by its label, or the first checkbox), then time
#: until the chart image below it has changed.
CLICK_AND_TIME_JS = """async ({cell, selector, label}) => {
  const area = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[cell].querySelector('.jp-OutputArea');
  const image = () => area.querySelector('img');
  const before = image().src;
  const controls = [...area.querySelectorAll(selector)];
  const control = label === null ? controls[0] : controls.find(b => b.textContent.trim() === label);
  const began = performance.now();
  control.click();
  while (!image() || image().src === before) { await new Promise(r => requestAnimationFrame(r)); }
  return (performance.now() - began) / 1000;
}"""
#: In the page: widgets or chart wider than the space they are given (clipped text, cut-off image).
CLIPPED_JS = """() => {
  const area = document.querySelector('.jp-Notebook .jp-CodeCell .jp-OutputArea');
  const clipped = [...area.querySelectorAll('.widget-label, .widget-toggle-button, select, option, button')]
    .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim().slice(0, 40));
  const img = area.querySelector('img');
  if (img && img.getBoundingClientRect().width < img.naturalWidth - 1
      && img.getBoundingClientRect().right > area.getBoundingClientRect().right) clipped.push('chart image');
  return clipped;
}"""


def browser_redraws(repeat: int) -> int:
    """Lesson 2's explorer and lesson 1's timeline in JupyterLab in headless Chromium at 1280×800: seconds from
    a click (a measure; a kind's checkbox) to the new chart image in the page (every click draws: the explorers
    keep no choice), and any clipped control or title."""
    import tempfile

    import nbformat

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from browser_support import KERNEL_TIMEOUT, JupyterServer, NotebookPage, chromium

    keep_none = "  # the benchmark times drawing: no choice is shown again from memory\n"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "from innovation_course import explore\n"
            f"explore.RENDERED_KEPT = 0{keep_none}"
            'explore.indicator_explorer("oecd_gerd_ppp", economies=("CHN", "USA", "JPN", "EU27_2020"))'),
            nbformat.v4.new_code_cell(f"from innovation_course import timeline\ntimeline.RENDERED_KEPT = 0{keep_none}"
                                      "timeline.timeline_explorer()")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, root / "explore.ipynb")
        with JupyterServer("lab", root, root / "home", root / "server.log") as server, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            notebook = NotebookPage(page, server, "explore.ipynb", root / "shots")
            notebook.open()
            notebook.run_all()
            for cell in (1, 0):  # scrolled into view: JupyterLab draws the outputs of cells on screen
                notebook.cell(cell).scroll_into_view_if_needed()
                notebook.cell(cell).locator(".jp-OutputArea img").first.wait_for(timeout=KERNEL_TIMEOUT)
            labels = list(explore.MEASURES.values())
            times = [page.evaluate(CLICK_AND_TIME_JS, {"cell": 0, "selector": ".widget-toggle-button",
                                                       "label": labels[(k + 1) % len(labels)]}) for k in range(repeat)]
            clipped = page.evaluate(CLIPPED_JS)
            notebook.cell(1).scroll_into_view_if_needed()
            ticks = [page.evaluate(CLICK_AND_TIME_JS, {"cell": 1, "selector": ".widget-checkbox input", "label": None})
                     for _ in range(repeat)]
            notebook.shut_down_kernel()
    first = len(labels) - 1  # the first click on each other measure also lays its chart out (once per measure)
    print(f"{'lesson 2 in JupyterLab (click → new image)':42} {len(times) - first:3d} "
          f"{statistics.median(times[first:]) * 1000:8.0f} {percentile(times[first:], 0.95) * 1000:8.0f}")
    print(f"{'  … first view of a measure (with layout)':42} {first:3d} {statistics.median(times[:first]) * 1000:8.0f} "
          f"{max(times[:first]) * 1000:8.0f}")
    print(f"{'lesson 1 timeline in JupyterLab (tick)':42} {len(ticks):3d} {statistics.median(ticks) * 1000:8.0f} "
          f"{percentile(ticks, 0.95) * 1000:8.0f}")
    print("clipped at 1280 px (lesson 2):", ", ".join(clipped) or "nothing")
    return 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="redraws per explorer (default 20)")
    parser.add_argument("--browser", action="store_true",
                        help="also time lesson 2's explorer in JupyterLab in headless Chromium (Debian's chromium)")
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
