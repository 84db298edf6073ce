"""Answer widgets, one builder per question kind: a thin front-end over :mod:`innovation_course.scoring`.

Every control has a visible label (read by screen readers), works from the keyboard, and feedback is
given in words and symbols, never by colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from .questions import Question, display_order

STYLE = {"description_width": "initial"}
WIDE = widgets.Layout(width="95%")
BLANK = ("— choose —", None)


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _choice(q: Question, initial: Any):
    value = initial if initial in q.options else None
    radio = widgets.RadioButtons(options=list(q.options), value=value, description="Your answer:",
                                 style=STYLE, layout=WIDE)
    return radio, [radio], lambda: radio.value


def _multiple(q: Question, initial: Any):
    chosen = set(initial or [])
    boxes = [widgets.Checkbox(value=o in chosen, description=o, indent=False, layout=WIDE) for o in q.options]
    box = widgets.VBox([widgets.Label("Tick every answer that applies:"), *boxes])
    return box, boxes, lambda: [b.description for b in boxes if b.value]


def _text(q: Question, initial: Any, label: str = "Your answer:", area: bool = False):
    cls = widgets.Textarea if area else widgets.Text
    field = cls(value="" if initial is None else str(initial), description=label, continuous_update=False,
                placeholder="type your answer, then press Tab or click elsewhere", style=STYLE,
                layout=widgets.Layout(width="95%", height="8em" if area else None))
    return field, [field], lambda: field.value


def _numeric(q: Question, initial: Any):
    unit = f" ({q.unit})" if q.unit else ""
    return _text(q, initial, label=f"Your answer{unit}:")


def _ordering(q: Question, initial: Any):
    items = display_order(q.id, q.options)
    start = list(initial) if isinstance(initial, list) and len(initial) == len(items) else [None] * len(items)
    menus = [widgets.Dropdown(options=[BLANK, *[(i, i) for i in items]], value=start[n] if start[n] in items else None,
                              description=f"{ordinal(n + 1)} place:", style=STYLE, layout=WIDE)
             for n in range(len(items))]
    box = widgets.VBox([widgets.Label("Put the items in order, earliest or first at the top:"), *menus])

    def value():
        chosen = [m.value for m in menus]
        return None if all(c is None for c in chosen) else chosen

    return box, menus, value


def _matching(q: Question, initial: Any):
    start = initial if isinstance(initial, dict) else {}
    menus = [widgets.Dropdown(options=[BLANK, *[(o, o) for o in q.options]],
                              value=start.get(p) if start.get(p) in q.options else None,
                              description=f"{p}:", style=STYLE, layout=WIDE) for p in q.pairs]
    box = widgets.VBox([widgets.Label("Match each item with one choice:"), *menus])
    return box, menus, lambda: {p: m.value for p, m in zip(q.pairs, menus, strict=True) if m.value is not None}


BUILDERS = {
    "choice": _choice,
    "multiple": _multiple,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "text": _text,
    "free": lambda q, initial: _text(q, initial, label="Your answer:", area=True),
}


def answer_widget(question: Question, initial: Any, on_change: Callable[[Any], None]) -> widgets.Widget:
    """The input for a question, pre-set to ``initial``; ``on_change(answer)`` runs on every change."""
    box, controls, value = BUILDERS[question.kind](question, initial)
    for control in controls:
        control.observe(lambda _change: on_change(value()), names="value")
    return box


def hint_button(hints: tuple[str, ...]) -> widgets.Widget | None:
    """A button that reveals the hints one at a time (None when there are none)."""
    if not hints:
        return None
    shown = widgets.HTML()
    button = widgets.Button(description=f"Show a hint (1 of {len(hints)})", icon="lightbulb-o",
                            tooltip="Reveal the next hint", layout=widgets.Layout(width="auto"))
    revealed: list[str] = []

    def reveal(_):
        revealed.append(hints[len(revealed)])
        shown.value = "".join(f"<p>💡 Hint {i + 1}: {html.escape(h)}</p>" for i, h in enumerate(revealed))
        if len(revealed) == len(hints):
            button.disabled, button.description = True, "No more hints"
        else:
            button.description = f"Show a hint ({len(revealed) + 1} of {len(hints)})"

    button.on_click(reveal)
    return widgets.VBox([button, shown])


def check_button(label: str, on_click: Callable[[], None]) -> widgets.Widget:
    """The homework button that has the current answer marked (one try per new answer)."""
    button = widgets.Button(description=label, icon="check", tooltip="Mark my current answer (counts as a try)",
                            layout=widgets.Layout(width="auto"))
    button.on_click(lambda _button: on_click())
    return button


LIVE_LINE = "innovation-course-answer-line"
# While the cell's widgets are live, the answer line they keep up to date stands in for the answer output's own
# line, which the page may no longer update (a cell restored by undo): that one is hidden, never both shown.
LIVE_CSS = (f".jp-OutputArea:has(.{LIVE_LINE}) .jp-OutputArea-output.jp-RenderedText[data-mime-type='text/plain']"
            " { display: none; }")


def answer_line_html(line: str) -> str:
    """The answer line as the question's widgets show it, live. The kernel updates the answer output below the
    widgets by its display id, but a cell deleted and restored by undo is a new output on the page that no
    update reaches; the widgets are live in it, so the line they show is always the current one. The saved file
    and a reopened notebook show the answer output's line (this widget is not saved)."""
    style = "font-family: var(--jp-code-font-family); font-size: var(--jp-code-font-size); white-space: pre-wrap;"
    return f'<style>{LIVE_CSS}</style><div class="{LIVE_LINE}" style="{style}">{html.escape(line)}</div>'


def feedback_html(explanation: str = "", source: str = "") -> str:
    """The explanation under a question, announced politely to screen readers. The answer line is shown once,
    by :func:`answer_line_html` below it, never here as well."""
    parts = []
    if explanation:
        parts.append(f"<p>{html.escape(explanation)}</p>")
    if source:
        parts.append(f"<p><em>Source: {html.escape(source)}</em></p>")
    return f'<div role="status" aria-live="polite">{"".join(parts)}</div>'
