"""The lesson's apps: the brief builder (pick a claim, judge it, write why; kept like an answer) and the growth-
claim explorer."""

from __future__ import annotations

from .. import charts
from ..findings import growth as _growth
from .claims import CLAIMS, VERDICTS, claim_options
from .compose import chart_for, make_brief


def brief_builder(wb=None, question_id: str = "my-brief") -> None:
    """The app of lesson 6: pick a claim, choose a verdict, write your reasoning; the chart and brief redraw.

    With a workbook ``wb``, the choice is kept as a question's answer is: in this cell's output (and so in the
    notebook when you save it) and in the answer journal beside it, and it comes back when the cell runs again,
    after a rename, a restart or cleared outputs too.
    """
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    from ...engine import records

    saved = (wb.previous_answer(question_id, {}) if wb is not None else {}) or {}
    saved = saved if isinstance(saved, dict) else {}
    ids = [c.id for c in CLAIMS]
    style = {"description_width": "initial"}
    pick = widgets.Dropdown(options=claim_options(), value=saved.get("claim") if saved.get("claim") in ids
                            else ids[0], description="Claim:", style=style, layout={"width": "95%"})
    judge = widgets.RadioButtons(options=["(not yet)", *VERDICTS], value=saved.get("verdict") if saved.get(
        "verdict") in VERDICTS else "(not yet)", description="Your verdict:", style=style)
    why = widgets.Textarea(value=saved.get("reasoning", ""), description="Your reasoning:", style=style,
                           placeholder="Two or three sentences: what the chart shows, and what it cannot show",
                           continuous_update=False, layout={"width": "95%", "height": "6em"})

    def answer() -> dict:
        verdict = judge.value if judge.value in VERDICTS else ""
        return {"claim": pick.value, "verdict": verdict, "reasoning": why.value.strip()}

    def outputs(changed: bool) -> tuple[tuple[dict, dict], Markdown, dict]:
        given = answer()
        made, wide, _, _, known = make_brief(given["claim"], verdict=given["verdict"] or None,
                                             reasoning=given["reasoning"])
        chart = charts.figure_bundle(chart_for(made, wide, known, show=False), made.evidence)
        words = len(given["reasoning"].split())
        line = (f"Your brief: claim {given['claim']} · verdict {given['verdict'] or '(not yet)'} · reasoning "
                f"{words} word{'s' if words != 1 else ''}" + (" (saved)" if wb is not None else ""))
        record = (wb.keep(question_id, "free", given, changed) if wb is not None  # in the kernel and the journal
                  else records.make_record("brief", "1", question_id, "free", given))
        return chart, Markdown(made.markdown()), records.bundle(record, line)

    display(widgets.VBox([pick, judge, why]))
    (png, meta), text, record = outputs(changed=False)
    handles = (display(png, raw=True, metadata=meta, display_id=True), display(text, display_id=True),
               display(record, raw=True, display_id=True))

    def redraw(*_):
        (png, meta), text, record = outputs(changed=True)
        handles[0].update(png, raw=True, metadata=meta)
        handles[1].update(text)
        handles[2].update(record, raw=True)

    for control in (pick, judge, why):
        control.observe(redraw, names="value")


def growth_claim_explorer(first: int = 1980, last: int = 2019) -> None:
    """The app of lesson 5's claim check: choose years, mean (arithmetic or compound) and GDP series; the
    sentence on average growth against the claim's 9 % is recomputed."""
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    years = _growth.growth_series("WDI").index
    style = {"description_width": "initial"}
    span = widgets.IntRangeSlider(value=(first, last), min=int(years.min()), max=int(years.max()),
                                  description="Years:", style=style, layout={"width": "95%"})
    mean = widgets.ToggleButtons(options=list(_growth.MEANS), description="Mean:", style=style)
    series = widgets.ToggleButtons(options=[(v, k) for k, v in _growth.SOURCES.items()],
                                   description="GDP series:", style=style)

    def sentence() -> Markdown:
        return Markdown(_growth.growth_period_sentence(*span.value, mean.value, series.value))

    display(widgets.VBox([span, mean, series]))
    handle = display(sentence(), display_id=True)
    for control in (span, mean, series):
        control.observe(lambda _change: handle.update(sentence()), names="value")
