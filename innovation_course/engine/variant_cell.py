"""What a template question's cell shows: one variant, made an ordinary question, and in practice "Try another".

Which variant: in practice (and the teacher's copy) the variant last shown, kept in the answer record like the
answer (so it survives a rename, a restart or cleared outputs), else the learner's own; under any other policy
always the learner's own, from their JupyterHub user or, in a plain copy, the learner ID they typed (see
:mod:`variants`). "Try another" (practice only) shows a new variant in the same outputs: its prompt, a fresh
answer widget with instant feedback, and a new record, journaled at once.
"""

from __future__ import annotations

import os
from typing import Any

from IPython.display import Markdown, display

from . import records
from .answers import jsonable
from .questions import Question
from .scoring import PRACTICE
from .templates import instantiate, own_variant, variant_params

Workbook = Any  # a workbook.Workbook (which imports this module)

TRY_LABEL = "Try another"
NEEDS_ID = ("This question has a version of its own for each learner. Type your learner ID in the box under the "
            "first code cell, then run this cell again.")
NOT_CARRIED = "*Your earlier answer was to another learner ID's version of this question; answer this one.*"
#: set by BinderHub in a Binder session, whose JupyterHub user is a new name at every launch, not the learner
BINDER = ("BINDER_REPO_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST")


def learner(wb: Workbook) -> str | None:
    """Whose variants this kernel shows: the JupyterHub user (not on Binder, whose hub user is per launch), else
    the learner ID typed in the identity cell."""
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub and not any(os.environ.get(name) for name in BINDER):
        return hub
    who = wb.previous_answer(records.IDENTITY)
    typed = who.get("id") if isinstance(who, dict) else None
    return typed.strip() if isinstance(typed, str) and typed.strip() else None


def free(wb: Workbook) -> bool:
    """Whether a learner may try other variants (practice feedback in a learner's or the teacher's copy)."""
    return wb.policy == PRACTICE and wb.mode in ("self-study", "solution")


def _restored(question: Question, record: dict | None) -> tuple[dict | None, int]:
    """The parameters and draw a restored record was answered for, when it is this template's."""
    variant = record.get("variant") if isinstance(record, dict) else None
    params = variant_params(record)
    if params is None or variant.get("template") != question.template.name:
        return None, 0
    return params, variant.get("draw", 0)


def choose(wb: Workbook, question: Question, record: dict | None) -> tuple[Question | None, dict | None]:
    """The variant to show and the record to start from (None, None: the learner's ID is needed first)."""
    params, draw = _restored(question, record)
    if free(wb):
        if params is not None and question.template.contains(params):
            return instantiate(question, params, draw), record
        return own_variant(question, learner(wb) or "", wb.id), None
    who = learner(wb)
    if who is None:
        return None, None
    own = own_variant(question, who, wb.id)
    return own, record if params == own.variant["params"] else None


def ask(wb: Workbook, question: Question) -> None:
    """Show a template question (see the module's doc)."""
    restored = wb.latest_record(question.id)
    shown, record = choose(wb, question, restored)
    if shown is None:
        wb.questions[question.id] = question
        display(Markdown(f"{wb._prompt(question)}\n\n⚠ {NEEDS_ID}"))
        return
    wb.questions[question.id] = shown
    prompt = display(Markdown(wb._prompt(shown)), display_id=True)
    if record is None and restored is not None and restored.get("answer") is not None and not free(wb):
        display(Markdown(NOT_CARRIED))
    import ipywidgets as widgets

    button = widgets.Button(description=TRY_LABEL, icon="refresh", layout=widgets.Layout(width="auto"),
                            tooltip="A new version of this question, with other numbers from the data")
    body = widgets.VBox([])
    handle = None

    def show_record(current: dict) -> None:
        if handle is not None:
            handle.update(records.bundle(current, wb._line(wb.questions[question.id], current)), raw=True)

    def controls(current: Question, start: dict) -> list:
        if current.kind == "computed":
            return [widgets.HTML(f"<em>Answer in the code cell below, which ends with "
                                 f"<code>wb.submit(\"{current.id}\", …)</code>; "
                                 f"<code>wb.params(\"{current.id}\")</code> gives this version's values.</em>")]
        return [wb._controls(current, start, show_record)]

    def another(_button: Any = None) -> None:
        current = wb.questions[question.id]
        draw, params = question.template.another(learner(wb) or "", wb.id, question.id, current.variant["params"],
                                                 current.variant.get("draw", 0))
        new = wb.questions[question.id] = instantiate(question, params, draw)
        default = new.model_answer if wb.mode == "solution" else None
        fresh = wb._new_record(question.id, new.kind, jsonable(default), 0, None)
        wb._store(fresh, changed=True, line=wb._line(new, fresh))  # journaled with its line (see answers.keep)
        prompt.update(Markdown(wb._prompt(new)))
        body.children = (*controls(new, fresh), *body.children[-1:])
        show_record(fresh)
        wb.refresh()

    button.on_click(another)
    start = record if shown.kind == "computed" else wb._shown_record(shown, record)
    body.children = (*controls(shown, start or {}), *([button] if free(wb) else []))
    display(body)
    if shown.kind != "computed":
        handle = display(records.bundle(start, wb._line(shown, start)), raw=True, display_id=True)
    wb.refresh()


def params(wb: Workbook, question_id: str) -> dict:
    """The parameters of the variant of ``question_id`` shown in this kernel."""
    question = wb.questions.get(question_id)
    if question is None:
        raise LookupError(f"{question_id}: run the question's cell above first (it shows your version)")
    if question.variant is None:
        raise LookupError(f"{question_id}: {NEEDS_ID}" if question.template is not None
                          else f"{question_id} is not a question with versions")
    return dict(question.variant["params"])
