"""``report.html``: the class report, one offline file. Per workbook: the score distribution, each
question's difficulty (share answered correctly) and the commonest wrong answers; then every file not
counted and every problem met.

The two charts are HTML bar charts (a table whose rows carry a bar and its value): they need no plotting
library, so a class report costs milliseconds; they stay sharp at any zoom, print, and read as a table to a
screen reader. Each has a title, both axes named with units, a source line and a text summary; the bars use
the course's colour-blind-safe palette and a pattern, and every bar prints its value, so no reading
depends on colour.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ...engine import scoring
from .gradebook import number
from .htmlpage import page, table
from .mark import STATUSES, Marked, answer_text

TOP_WRONG = 3
MAX_ANSWER_CHARS = 80
BINS = 10  # score bins of 10 percentage points


def bar_chart(title: str, rows: list[tuple[str, float, str]], axes: tuple[str, str], scale: float,
              summary: str, source: str, kind: str) -> str:
    """A horizontal bar chart as an HTML table: one row per (label, value, value as printed).
    ``axes`` names the rows' axis and the bars' axis, units included; bars are drawn against ``scale``;
    ``kind`` picks the colour and pattern (``distribution`` or ``difficulty``, see ``htmlpage.STYLE``)."""
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td><div class="row"><span class="bar {kind}" '
        f'style="width:{0 if scale <= 0 else min(100.0, 100 * value / scale):.1f}%"></span>'
        f'<span class="value">{escape(text)}</span></div></td></tr>\n' for label, value, text in rows)
    return (f'<figure class="chart">\n<figcaption><strong>{escape(title)}</strong></figcaption>\n'
            f'<table class="bars">\n<thead><tr><th scope="col">{escape(axes[0])}</th>'
            f'<th scope="col">{escape(axes[1])}</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n'
            f'<p class="summary">{escape(summary)}</p>\n<p class="source">Source: {escape(source)}</p>\n</figure>')


def _source(count: int) -> str:
    return f"this run's {count} counted submission{'s' if count != 1 else ''} (gradebook.csv)"


def distribution_chart(workbook: str, percents: list[float]) -> str:
    """The scores of one workbook's counted submissions, in bins of 10 percentage points (100 % in the last)."""
    counts = Counter(max(0, min(int(p // BINS), BINS - 1)) for p in percents)
    rows = [(f"{BINS * b}–{BINS * (b + 1)}", counts[b], str(counts[b])) for b in range(BINS)]
    summary = (f"{len(percents)} scores for {workbook}: mean {statistics.fmean(percents):.1f} %, "
               f"median {statistics.median(percents):.1f} %, lowest {min(percents):.1f} %, "
               f"highest {max(percents):.1f} %.")
    return bar_chart(f"Score distribution: {workbook}", rows,
                     ("Score (% of the maximum points)", "Submissions (count)"), max(counts.values()),
                     summary, _source(len(percents)), "distribution")


def difficulty_chart(workbook: str, shares: dict[str, float], count: int) -> str:
    """The share of ``count`` submissions answering each question correctly (full marks), hardest first."""
    ordered = sorted(shares.items(), key=lambda kv: (kv[1], kv[0]))
    rows = [(qid, share, f"{share:.0f} %") for qid, share in ordered]
    (hard, hard_share), (easy, easy_share) = ordered[0], ordered[-1]
    summary = (f"Share of submissions answering each of the {len(ordered)} auto-graded questions of {workbook} "
               f"correctly: hardest {hard} ({hard_share:.0f} %), easiest {easy} ({easy_share:.0f} %).")
    return bar_chart(f"Question difficulty: {workbook}", rows,
                     ("Question (id)", "Answered correctly (% of submissions)"), 100.0, summary, _source(count),
                     "difficulty")


def _short(text: str) -> str:
    return text if len(text) <= MAX_ANSWER_CHARS else text[:MAX_ANSWER_CHARS - 1] + "…"


def wrong_answers(items: list[Marked]) -> list[list[str]]:
    """Rows (question, answer, count) of the commonest wrong or partly right answers of each question."""
    counts: dict[str, Counter] = {}
    for item in items:
        for m in item.marks:
            if m.kind != "free" and m.status in (scoring.INCORRECT, scoring.PARTIAL):
                counts.setdefault(m.id, Counter())[answer_text(m.answer)] += 1
    order = [m.id for m in items[0].marks] if items else []
    rows = []
    for qid in order:
        for answer, n in sorted(counts.get(qid, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WRONG]:
            rows.append([qid, _short(answer), str(n)])
    return rows


@dataclass
class _Section:
    """What the report says about one workbook."""

    workbook: str
    items: list[Marked]
    percents: list[float]
    shares: dict[str, float]

    def charts(self) -> list[str]:
        figures = [distribution_chart(self.workbook, self.percents)] if self.percents else []
        if self.shares:
            figures.append(difficulty_chart(self.workbook, self.shares, len(self.items)))
        return figures


def _section(workbook: str, items: list[Marked]) -> _Section:
    percents = [i.percent for i in items if i.percent is not None]
    correct: Counter = Counter(m.id for i in items for m in i.marks if m.status == scoring.CORRECT)
    auto = [m.id for m in items[0].marks if m.kind != "free"]
    return _Section(workbook, items, percents, {q: 100 * correct[q] / len(items) for q in auto})


def _section_html(section: _Section) -> str:
    items, percents = section.items, section.percents
    title = items[0].title or section.workbook
    parts = [f"<section>\n<h2>{escape(title)} ({escape(section.workbook)})</h2>",
             f"<p>{len(items)} submissions counted; mean {number(statistics.fmean(percents))} %, "
             f"median {number(statistics.median(percents))} %.</p>" if percents else "<p>No scores.</p>",
             *section.charts(), "<h3>Commonest wrong answers</h3>"]
    rows = wrong_answers(items)
    parts.append(table(["Question", "Answer given", "Submissions"], rows, frozenset({2})) if rows
                 else "<p>None: every auto-graded answer was right, missing or not understood.</p>")
    return "\n".join(parts) + "\n</section>"


def class_report(marked: list[Marked], problems: list[str], summary: str,
                 statistics: Callable[[Marked], bool] | None = None, changes: list[str] | None = None) -> bytes:
    """The whole report: summary, one section per workbook (its statistics over the submissions that
    ``statistics`` keeps: the roster's), files not counted, what the LMS uploads change, problems."""
    counted = [m for m in marked if m.counted and m.marks]
    kept = [m for m in counted if statistics is None or statistics(m)]
    sections = [_section(w, [m for m in kept if m.workbook == w]) for w in sorted({m.workbook for m in kept})]
    kept_ids = {id(m) for m in kept}
    left_out = sorted(m.learner.id for m in counted if id(m) not in kept_ids)
    note = (f"<p>Class statistics count the {len(kept)} submissions of learners on the LMS roster; left out: "
            f"{escape(', '.join(left_out))} (the test student, or learners not on the roster).</p>"
            if left_out else "")
    return _assemble(marked, problems, summary, [note, *[_section_html(s) for s in sections]], changes or [])


def _assemble(marked: list[Marked], problems: list[str], summary: str, sections: list[str],
              changes: list[str]) -> bytes:
    statuses = Counter(m.status for m in marked)
    body = ["<h1>Class report</h1>", f"<p>{escape(summary)}</p>",
            table(["Status", "Submissions"], [[s, str(statuses[s])] for s in STATUSES], frozenset({1})), *sections]
    skipped = sorted((m for m in marked if not m.counted), key=lambda m: (m.status, m.path, m.origin))
    body.append("<section>\n<h2>Files not counted</h2>")
    body.append(table(["File", "Status", "Reason"], [[m.path, m.status, m.reason] for m in skipped])
                if skipped else "<p>None.</p>")
    body.append("</section>")
    if changes:
        body.append("<section>\n<h2>Grades and comments the upload replaces</h2>\n<ul>\n"
                    + "".join(f"<li>{escape(c)}</li>\n" for c in changes) + "</ul>\n</section>")
    body.append("<section>\n<h2>Problems</h2>")
    body.append("<ul>\n" + "".join(f"<li>{escape(p)}</li>\n" for p in problems) + "</ul>" if problems
                else "<p>None.</p>")
    body.append("</section>")
    return page("Class report", "\n".join(b for b in body if b))
