"""``report.html``: the class report, one offline file. Per workbook: the score distribution, each
question's difficulty (share answered correctly) and the commonest wrong answers; then every file not
counted and every problem met. Charts are PNGs embedded as base64, each with a title, labelled axes with
units and alt text; they are rendered deterministically (no software stamp, fixed hash salt)."""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

from .. import scoring
from ..style import HOUSE_STYLE, OKABE_ITO
from .gradebook import number
from .htmlpage import page, table
from .mark import STATUSES, Marked, answer_text

TOP_WRONG = 3
MAX_ANSWER_CHARS = 80
BLUE, ORANGE = OKABE_ITO["blue"], OKABE_ITO["orange"]
#: The course's chart look, a little smaller for a report page than for a projector.
STYLE = {**HOUSE_STYLE, "figure.figsize": (8, 4.8), "font.size": 13, "axes.titlesize": 16, "axes.labelsize": 13}


@contextmanager
def chart(title: str, xlabel: str, ylabel: str, height: float = 4.8) -> Iterator[tuple]:
    """A figure with its title and axis labels, drawn in the course style (no pyplot: nothing global)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(9, height), dpi=100)
        ax = fig.subplots()
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        yield fig, ax


def png(fig) -> str:
    """The figure as base64 PNG, with no software or date stamp, so equal charts give equal bytes."""
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(image: str, alt: str, caption: str) -> str:
    return (f'<figure>\n<img src="data:image/png;base64,{image}" alt="{escape(alt)}">\n'
            f"<figcaption>{escape(caption)}</figcaption>\n</figure>")


def distribution_chart(workbook: str, percents: list[float]) -> str:
    """Histogram of the scores of one workbook's counted submissions."""
    with chart(f"Score distribution: {workbook}", "Score (% of the maximum points)",
               "Submissions (count)") as (fig, ax):
        ax.hist(percents, bins=list(range(0, 101, 10)), color=BLUE, edgecolor="white", hatch="//")
        ax.set_xlim(0, 100)
        ax.yaxis.get_major_locator().set_params(integer=True)
        image = png(fig)
    alt = (f"Histogram of {len(percents)} scores for {workbook} in bins of 10 percentage points: "
           f"mean {statistics.fmean(percents):.1f} %, median {statistics.median(percents):.1f} %, "
           f"lowest {min(percents):.1f} %, highest {max(percents):.1f} %.")
    return _figure(image, alt, alt)


def difficulty_chart(workbook: str, shares: dict[str, float]) -> str:
    """Horizontal bars: the share of submissions answering each question correctly (full marks)."""
    ordered = sorted(shares.items(), key=lambda kv: (kv[1], kv[0]))
    with chart(f"Question difficulty: {workbook}", "Answered correctly (% of submissions)", "Question (id)",
               height=max(3.0, 0.45 * len(ordered) + 1.6)) as (fig, ax):
        bars = ax.barh([q for q, _ in ordered], [s for _, s in ordered], color=ORANGE, edgecolor="#444444")
        ax.bar_label(bars, labels=[f"{s:.0f} %" for _, s in ordered], padding=3)
        ax.set_xlim(0, 110)
        ax.grid(axis="y", visible=False)
        image = png(fig)
    hardest, easiest = ordered[0], ordered[-1]
    alt = (f"Bar chart of the share of submissions answering each of the {len(ordered)} questions of {workbook} "
           f"correctly: hardest {hardest[0]} ({hardest[1]:.0f} %), easiest {easiest[0]} ({easiest[1]:.0f} %).")
    return _figure(image, alt, alt)


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
    """What the report says about one workbook, and the charts it needs."""

    workbook: str
    items: list[Marked]
    percents: list[float]
    shares: dict[str, float]

    def charts(self) -> list[tuple[Callable[..., str], tuple]]:
        jobs: list[tuple[Callable[..., str], tuple]] = []
        if self.percents:
            jobs.append((distribution_chart, (self.workbook, self.percents)))
        if self.shares:
            jobs.append((difficulty_chart, (self.workbook, self.shares)))
        return jobs


def _section(workbook: str, items: list[Marked]) -> _Section:
    percents = [i.percent for i in items if i.percent is not None]
    correct: Counter = Counter(m.id for i in items for m in i.marks if m.status == scoring.CORRECT)
    auto = [m.id for m in items[0].marks if m.kind != "free"]
    return _Section(workbook, items, percents, {q: 100 * correct[q] / len(items) for q in auto})


def _section_html(section: _Section, figures: list[str]) -> str:
    items, percents = section.items, section.percents
    title = items[0].title or section.workbook
    parts = [f"<section>\n<h2>{escape(title)} ({escape(section.workbook)})</h2>",
             f"<p>{len(items)} submissions counted; mean {number(statistics.fmean(percents))} %, "
             f"median {number(statistics.median(percents))} %.</p>" if percents else "<p>No scores.</p>",
             *figures, "<h3>Commonest wrong answers</h3>"]
    rows = wrong_answers(items)
    parts.append(table(["Question", "Answer given", "Submissions"], rows, frozenset({2})) if rows
                 else "<p>None: every auto-graded answer was right, missing or not understood.</p>")
    return "\n".join(parts) + "\n</section>"


def start_report(marked: list[Marked], problems: list[str], summary: str,
                 pool: Executor | None = None) -> Callable[[], bytes]:
    """Begin the class report. With a ``pool`` its charts are drawn there, in parallel, from now on;
    without, when the returned function is called. That function gives the report's bytes."""
    counted = [m for m in marked if m.counted and m.marks]
    sections = [_section(w, [m for m in counted if m.workbook == w]) for w in sorted({m.workbook for m in counted})]
    jobs = [job for section in sections for job in section.charts()]
    futures = [pool.submit(function, *args) for function, args in jobs] if pool else None

    def finish() -> bytes:
        images = iter([f.result() for f in futures] if futures is not None else [f(*a) for f, a in jobs])
        html = [_section_html(s, [next(images) for _ in s.charts()]) for s in sections]
        return _assemble(marked, problems, summary, html)

    return finish


def class_report(marked: list[Marked], problems: list[str], summary: str) -> bytes:
    """The whole report: summary, one section per workbook, files not counted, problems."""
    return start_report(marked, problems, summary)()


def _assemble(marked: list[Marked], problems: list[str], summary: str, sections: list[str]) -> bytes:
    statuses = Counter(m.status for m in marked)
    body = ["<h1>Class report</h1>", f"<p>{escape(summary)}</p>",
            table(["Status", "Submissions"], [[s, str(statuses[s])] for s in STATUSES], frozenset({1})), *sections]
    skipped = sorted((m for m in marked if not m.counted), key=lambda m: (m.status, m.origin))
    body.append("<section>\n<h2>Files not counted</h2>")
    body.append(table(["File", "Status", "Reason"], [[m.origin, m.status, m.reason] for m in skipped])
                if skipped else "<p>None.</p>")
    body.append("</section>\n<section>\n<h2>Problems</h2>")
    body.append("<ul>\n" + "".join(f"<li>{escape(p)}</li>\n" for p in problems) + "</ul>" if problems
                else "<p>None.</p>")
    body.append("</section>")
    return page("Class report", "\n".join(body))
