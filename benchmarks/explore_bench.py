"""Redraw time of each explorer the lessons use: p50 and p95 of the seconds from a control change to the new
chart image and sentence, measured in the kernel (the work a change triggers: data, chart, PNG).

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


def indicator(resource: str, **kwargs) -> Callable[[int], list[float]]:
    def run(repeat: int) -> list[float]:
        explorer = explore.IndicatorExplorer(resource, **kwargs)
        explorer.current()  # the first view, drawn when the cell runs
        for change in itertools.islice(itertools.cycle(_changes(explorer)), repeat):
            change()
        return explorer.timings
    return run


def policy_timeline(repeat: int) -> list[float]:
    table = data.milestones()
    choices = itertools.cycle([(timeline.KINDS, timeline.FIRST_YEAR + k, timeline.LAST_YEAR) for k in (0, 5, 10)]
                              + [(("plan", "programme"), timeline.FIRST_YEAR, timeline.LAST_YEAR),
                                 (timeline.KINDS[1:], timeline.FIRST_YEAR, timeline.LAST_YEAR)])
    timeline.chart_bundle(table=table)
    times = []
    for kinds, start, end in itertools.islice(choices, repeat):
        began = time.perf_counter()
        timeline.chart_bundle(kinds, start, end, table=table)
        times.append(time.perf_counter() - began)
    return times


def province(repeat: int) -> list[float]:
    explorer = regions.ProvinceExplorer()
    explorer.current()
    last = explorer.year.value
    changes = itertools.cycle([("year", last - 1), ("year", last), ("view", "city-regions"), ("view", "provinces"),
                               ("indicator", regions.EXPENDITURE), ("indicator", regions.INTENSITY)])
    times = []
    for name, value in itertools.islice(changes, repeat):
        began = time.perf_counter()
        getattr(explorer, name).value = value  # observe() runs the redraw
        times.append(time.perf_counter() - began)
    return times


EXPLORERS: dict[str, Callable[[int], list[float]]] = {
    "lesson 1 policy timeline": policy_timeline,
    "lesson 2 R&D spending (oecd_gerd_ppp)": indicator("oecd_gerd_ppp", economies=("CHN", "USA", "JPN", "EU27_2020")),
    "lesson 3 provinces and city-regions": province,
    "lesson 4 patents by technology": indicator("oecd_pct_patents_by_technology",
                                                economies=("CHN", "USA", "JPN", "KOR", "EU27_2020"), start=2000),
    "lesson 5 IP charges (wdi_ip_charges)": indicator("wdi_ip_charges", economies=("CHN", "USA", "JPN", "KOR"),
                                                      start=1997),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="redraws per explorer (default 20)")
    args = parser.parse_args(argv)
    print(f"explorer redraw, in the kernel (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); "
          f"goal p50 < {GOAL_P50 * 1000:.0f} ms")
    print(f"{'explorer':42} {'n':>3} {'p50 ms':>8} {'p95 ms':>8}")
    for name, run in EXPLORERS.items():
        times = run(args.repeat)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{name:42} {len(times):3d} {p50 * 1000:8.0f} {p95 * 1000:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
