"""``feedback/<safe-id>.html``: one page per learner with, for every question, the prompt, the answer given,
the result and the explanation. Free responses read "to be marked" until the marking sheet is merged.
Prompts and explanations (the teacher's Markdown) are rendered with mistune, the Markdown library nbconvert
uses, with raw HTML escaped and harmful links removed; everything else is escaped text. Files are named by
their path inside the download (never by the teacher's archive or folder names); when the grade goes to an LMS,
the page says how the points were scaled for it."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from html import escape

import mistune

from ...engine import scoring
from .gradebook import number
from .htmlpage import page
from .identify import BY_FILE, safe_id
from .mark import Marked, QuestionMark, answer_text

_MARKDOWN = mistune.create_markdown(escape=True)


@lru_cache(maxsize=4096)
def markdown(text: str) -> str:
    """Markdown as safe HTML: raw HTML escaped, ``javascript:`` and other harmful links dropped."""
    return _MARKDOWN(text or "").strip()


def _result_text(m: QuestionMark) -> str:
    if m.status == scoring.MANUAL:
        text = f"✎ {scoring.MANUAL} by your teacher (up to {number(m.max_points)} points)"
    else:
        text = scoring.Result(m.status, m.points, m.max_points, m.detail).text
    return f"{text}. Comment: {m.comment}" if m.comment else text


def shown_answer(answer: object, decimals: int | None = None) -> str:
    """An answer as the page shows it: a computed float with the ``decimals`` its question shows numbers with
    (see :meth:`Question.shown_decimals`: ±0.05 → 5.498002784344002 reads 5.498), else rounded to 4 significant
    digits, never in raw float digits; anything else as the notebook shows it."""
    if isinstance(answer, float):
        grouping = "," if abs(answer) >= 1e4 else ""
        if decimals is not None:
            return f"{answer:{grouping}.{decimals}f}"
        text = f"{answer:,.0f}" if grouping else f"{answer:.4g}"
        return text if "e" not in text else f"{answer:.3e}"
    return answer_text(answer)


def _question(m: QuestionMark) -> str:
    answer = shown_answer(m.answer, m.decimals) or "(no answer)"
    return (f'<tr><th scope="row">{escape(m.id)}</th><td class="prompt">{markdown(m.prompt)}</td>'
            f'<td class="answer">{escape(answer)}</td><td>{escape(_result_text(m))}</td>'
            f'<td class="prompt">{markdown(m.explanation)}</td></tr>\n')


def _workbook(item: Marked) -> str:
    title = f"{item.title or item.workbook} ({item.workbook}, version {item.version})"
    total = f"{number(item.total)} of {number(item.max_points)} points ({number(item.percent)} %)"
    notes = f"<p>Notes: {escape(item.reason)}</p>" if item.notes else ""
    rows = "".join(_question(m) for m in item.marks)
    return (f"<section>\n<h2>{escape(title)}</h2>\n<p>{escape(total)}. File: {escape(item.path)}</p>\n{notes}\n"
            '<table>\n<thead><tr><th scope="col">Question</th><th scope="col">Prompt</th>'
            '<th scope="col">Your answer</th><th scope="col">Result</th><th scope="col">Explanation</th></tr>'
            f"</thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>")


def _not_counted(items: list[Marked]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li>{escape(i.path)}: {escape(i.status)}, {escape(i.reason)}</li>\n" for i in items)
    return f"<section>\n<h2>Files not counted</h2>\n<ul>\n{rows}</ul>\n</section>"


def learner_page(items: list[Marked], lms: str | None = None) -> bytes:
    """The feedback page of one learner (all rows share the learner id); ``lms``: how their points go into
    the LMS (scaled or not), said on the page."""
    learner = items[0].learner
    counted = sorted((i for i in items if i.counted and i.marks), key=lambda i: (i.workbook, i.origin))
    others = sorted((i for i in items if not (i.counted and i.marks)), key=lambda i: i.origin)
    heading = (f"Feedback for {learner.name}" if learner.identified_by == BY_FILE
               else f"Feedback for {learner.name} ({learner.id})")
    body = [f"<h1>{escape(heading)}</h1>", f'<p class="lms">{escape(lms)}</p>' if lms else ""]
    body += [_workbook(i) for i in counted] + [_not_counted(others)]
    return page(heading, "\n".join(b for b in body if b))


def pages_by_learner(marked: list[Marked], lms: dict[str, str] | None = None) -> dict[str, bytes]:
    """Learner id → feedback page; ``lms``: learner id → how their points go into the LMS."""
    by_learner: dict[str, list[Marked]] = defaultdict(list)
    for item in marked:
        by_learner[item.learner.id].append(item)
    return {lid: learner_page(items, (lms or {}).get(lid)) for lid, items in sorted(by_learner.items())}


def feedback_files(marked: list[Marked]) -> dict[str, bytes]:
    """Relative path → page, for every learner in the batch."""
    return {f"feedback/{safe_id(lid)}.html": page for lid, page in pages_by_learner(marked).items()}
