"""How many of the public workbooks' number questions have a version per learner (issue 20, point 5).

    python scripts/template_share.py            # the table docs/authoring.md quotes

Counted from ``solutions/`` as the grader reads it (never by hand): a question is *eligible* when it is
auto-graded with a number for answer (kind ``numeric`` or ``computed``) read or computed from a data series;
a question on one figure a government or the press reported (its source names ``reported_figures``: no series
to draw other parameters from) is counted apart. A question is *converted* when it is asked from a template.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from innovation_course.engine.spec import parse_workbook

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("numeric", "computed")
REPORTED = "reported_figures"


def counts(folder: Path = ROOT / "solutions") -> dict[str, dict[str, int]]:
    """Per public workbook (the exam bank left out): converted, eligible and reported-figure questions."""
    found = {}
    for path in sorted(folder.glob("*.ipynb")):
        spec = parse_workbook(json.loads(path.read_text(encoding="utf-8")))
        numbers = [q for q in spec.questions.values() if q.kind in NUMBERS]
        eligible = [q for q in numbers if REPORTED not in (q.source or "")]
        found[spec.id] = {"converted": sum(q.template is not None for q in eligible), "eligible": len(eligible),
                          "reported": len(numbers) - len(eligible)}
    return found


def table(found: dict[str, dict[str, int]]) -> str:
    """The Markdown table of :func:`counts`, with the total and its share."""
    lines = ["| workbook | templates / eligible | on one reported figure (not eligible) |", "|---|---|---|"]
    lines += [f"| {wb} | {c['converted']} / {c['eligible']} | {c['reported']} |" for wb, c in found.items()]
    converted, eligible = (sum(c[k] for c in found.values()) for k in ("converted", "eligible"))
    lines.append(f"| all {len(found)} | {converted} / {eligible} ({converted / eligible:.0%}) | "
                 f"{sum(c['reported'] for c in found.values())} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(counts()))
    sys.exit(0)
