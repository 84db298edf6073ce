"""The workbook API that lesson and exercise notebooks call: ``Workbook``, ``identity``, ``ask``, ``submit``,
``check``.

Each answer is written as a record into the question cell's own output (see :mod:`records`), so the saved
notebook carries it, and at once into the answer journal beside the notebook (see :mod:`journal`). When a
question cell runs again, the newest answer among this kernel's memory, the journal and the saved notebook
file comes back (else, in solutions, the model answer) and is written into the cell's output again.

Question cells of learners' copies start with ``from innovation_course.workbook import wb``: ``wb`` is then
the workbook made last in this kernel, or, before the setup cell has run, a stand-in that says what to do.
"""

from __future__ import annotations

import os
from typing import Any

from IPython.display import Markdown, display

from . import frontend, ownership, records, scoring, variant_cell
from .answers import AnswerStore, jsonable, saved_record
from .handin import HandIn, findings
from .keys import key_for
from .questions import KIND_NAMES, Question, make_question
from .scoring import EXAM, HOMEWORK, MISSING, TRIED, Result, apply_policy, normalise_feedback, score
from .session import in_jupyter_session, now
from .spec import sealed
from .widgets import answer_line_html, answer_widget, check_button, feedback_html, hint_button

__all__ = ["HandIn", "Workbook", "jsonable", "sealed", "wb"]

MODES = ("self-study", "solution", "exam")
MODE_TEXT = {
    "self-study": "You get feedback as soon as you answer.",
    "solution": "Teacher's copy: the answers are filled in and marked.",
    "exam": "Your answers are saved but not marked here: your teacher marks them.",
}
CHECK_LABEL = "Check my answer"
NOT_READY = ("⚠ Run the first code cell of this workbook (the one with `wb = Workbook(...)`), then run this "
             "cell again.")
GATED = (scoring.CORRECT, scoring.PARTIAL, scoring.INCORRECT)  # in homework these wait for "Check my answer"

_CURRENT: list[Workbook] = []  # the workbook made last in this kernel (see ``wb``)

class Workbook:
    """One workbook (or a lesson's self-check questions) in a running notebook."""

    def __init__(self, id: str, title: str = "", version: str = "1", mode: str = "self-study",
                 feedback: dict | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not records.ID_SAFE.match(id):
            raise ValueError(f"workbook id {id!r}: use letters, digits, '-', '_' and '.'")
        self.id, self.title, self.version, self.mode = id, title, str(version), mode
        rules = dict(feedback or {})
        if mode == "exam":
            rules["policy"] = EXAM
        self.feedback = normalise_feedback(rules)
        self.questions: dict[str, Question] = {}
        self.store = AnswerStore(id, self.version, mode)
        self.answers: dict[str, Any] = self.store.answers  # this kernel's answers survive Run All
        self._records: dict[str, dict] = self.store.records
        self._identity_asked = False
        self._summary = None
        _CURRENT[:] = [self]
        live = in_jupyter_session()  # a page to script only where a Jupyter server runs the kernel (not nbclient)
        if live:
            frontend.install()  # keys typed in answer widgets stay in the widgets (innovation_course.frontend)
        display(Markdown(f"**{title or id}** · {self._mode_text()} Answers are kept in this notebook: "
                         "save it (Ctrl+S / ⌘+S) to keep them."))
        if live:  # the live summary line (executed and tested notebooks keep no changing output)
            self._summary = display(self._summary_bundle(), raw=True, display_id=True)

    sealed = staticmethod(sealed)

    @property
    def policy(self) -> str:
        return self.feedback["policy"]

    def _mode_text(self) -> str:
        if self.mode == "self-study" and self.policy == HOMEWORK:
            after = self.feedback["reveal_after"]
            text = (f"Press “{CHECK_LABEL}” to have an answer marked; the explanation appears once it is right"
                    + (f" or after {after} tries." if after else "."))
            if self.feedback["deduction"]:
                text += f" Each extra try costs {self.feedback['deduction']:.0%} of the question's points."
            return text
        return MODE_TEXT[self.mode]

    # -- where answers come from: this kernel, the journal, the saved file (see :mod:`answers`) ------------------
    @property
    def journal_problem(self) -> str:
        return self.store.journal_problem

    def notebook_file(self):
        """The saved notebook of this workbook, if the kernel can find it (see :meth:`AnswerStore.notebook_file`)."""
        return self.store.notebook_file()

    def latest_record(self, question_id: str) -> dict | None:
        """The newest record of a question among this kernel's memory, the journal and the saved file."""
        return self.store.latest(question_id)

    def previous_answer(self, question_id: str, default: Any = None) -> Any:
        """The learner's latest answer (see :meth:`latest_record`), else ``default``."""
        record = self.latest_record(question_id)
        return default if record is None else record["answer"]

    def _store(self, record: dict, changed: bool, line: str | None = None) -> dict:
        return self.store.keep(record, changed, line)

    # -- the summary line at the top of the workbook -------------------------------------------------------------
    def _summary_bundle(self) -> dict:
        line = self.hand_in(read_file=False).summary()
        bundle = {"text/markdown": line, "text/plain": line.replace("**", "")}
        if self.store.notebook_id is not None:  # the notebook's id, for the pre-save hook (see ownership)
            bundle[ownership.MIME] = {ownership.ID_KEY: self.store.notebook_id, "workbook": self.id}
        return bundle

    def refresh(self) -> None:
        """Update the summary line at the top of the workbook (where it is shown)."""
        if self._summary is not None:
            self._summary.update(self._summary_bundle(), raw=True)

    def _new_record(self, question_id: str, kind: str, answer: Any, tries: int, checked: bool | None) -> dict:
        learner = self.mode != "solution"  # the teacher's copy carries no times, so it re-runs byte for byte
        return records.make_record(self.id, self.version, question_id, kind, answer,
                                   answered_at=now() if learner else None, tries=tries if learner else None,
                                   checked=checked if learner and self.policy == HOMEWORK else None,
                                   variant=getattr(self.questions.get(question_id), "variant", None))

    # -- marking ---------------------------------------------------------------------------------------------
    def result(self, question: Question, answer: Any) -> Result:
        key = None if self.mode == "exam" else key_for(question, self.id)
        return score(question, key, answer)

    def _waiting(self, result: Result, record: dict) -> bool:
        """In homework an answer that can be marked waits for "Check my answer"."""
        return self.policy == HOMEWORK and result.status in GATED and not record.get("checked")

    def _line(self, question: Question, record: dict) -> str:
        answer = record["answer"]
        given = f"Answer to {question.id}: {records.answer_line(answer)}"
        result = self.result(question, answer)
        if self.mode == "exam" or result.status == MISSING:
            return given + (" (saved)" if answer is not None and self.mode == "exam" else "")
        if self._waiting(result, record):
            return f"{given} — saved; press “{CHECK_LABEL}” to have it marked"
        tries = records.record_tries(record)
        marked = apply_policy(result, self.feedback, tries)
        suffix = f" (try {tries})" if self.policy == HOMEWORK and result.status in GATED and marked is result else ""
        return f"{given} — {marked.text}{suffix}"

    def _explanation(self, question: Question, record: dict) -> str:
        result = self.result(question, record["answer"])
        if self._waiting(result, record):
            return ""
        if not scoring.explanation_visible(self.feedback, result.status, records.record_tries(record)):
            return ""
        return question.explanation

    # -- what notebooks call ----------------------------------------------------------------------------------
    def identity(self) -> None:
        """The learner's name and ID, stored in the notebook like an answer (with the JupyterHub user, if any)."""
        import ipywidgets as widgets

        self._identity_asked = True
        hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
        restored = self.latest_record(records.IDENTITY)
        saved = restored["answer"] if restored and isinstance(restored["answer"], dict) else {}
        name = widgets.Text(value=str(saved.get("name", "")), description="Your name:", continuous_update=False,
                            style={"description_width": "initial"})
        learner = widgets.Text(value=str(saved.get("id", "")), description="Learner ID:", continuous_update=False,
                               style={"description_width": "initial"})

        def who() -> dict:
            answer = {"name": name.value.strip(), "id": learner.value.strip()}
            return {**answer, "hub_user": hub_user} if hub_user else answer

        def bundle(record: dict) -> dict:
            given = record["answer"]
            line = f"Learner: {given['name'] or '(name not given)'} · ID: {given['id'] or '(not given)'}"
            return records.bundle(record, line + (f" · hub user: {hub_user}" if hub_user else ""))

        if restored is None:  # nothing given yet: an empty identity carries no time and no tries
            record = records.make_record(self.id, self.version, records.IDENTITY, "identity", who())
        else:
            record = restored if restored["answer"] == who() else {**restored, "answer": who()}
        record = self._store(record, changed=False)
        parts = [name, learner]
        if hub_user:
            parts.append(widgets.HTML(f"JupyterHub user: <strong>{_escape(hub_user)}</strong>"))
        live = widgets.HTML(answer_line_html(bundle(record)["text/plain"]))  # the line, live (see widgets)
        display(widgets.VBox([*parts, live]))
        handle = display(bundle(record), raw=True, display_id=True)

        def changed(_change: Any) -> None:
            if self._records.get(records.IDENTITY, {}).get("answer") == who():
                return
            new = self._new_record(records.IDENTITY, "identity", who(), 0, None)
            shown = bundle(new)
            self._store(new, changed=True, line=shown["text/plain"])
            handle.update(shown, raw=True)
            live.value = answer_line_html(shown["text/plain"])
            self.refresh()

        for text in (name, learner):
            text.observe(changed, names="value")

    def ask(self, **spec: Any) -> None:
        """Show a question with its answer widget; every change is saved into this cell's output and the journal."""
        question = make_question(**spec)
        if question.generic:  # a template: the learner's own variant (or, in practice, the last one tried)
            variant_cell.ask(self, question)
            return
        self.questions[question.id] = question
        display(Markdown(self._prompt(question)))
        if question.kind == "computed":
            display(Markdown(f"*Answer in the code cell below, which ends with* `wb.submit(\"{question.id}\", …)`."))
            return
        record = self._shown_record(question, self.latest_record(question.id))
        handle = None

        def shown(current: dict) -> None:
            if handle is not None:
                handle.update(records.bundle(current, self._line(question, current)), raw=True)

        display(self._controls(question, record, shown))
        handle = display(records.bundle(record, self._line(question, record)), raw=True, display_id=True)
        self.refresh()

    def _shown_record(self, question: Question, restored: dict | None) -> dict:
        """The record a question cell starts from: the restored one, else an empty one (the model answer in the
        teacher's copy), kept in this kernel."""
        if restored is None:
            default = question.model_answer if self.mode == "solution" else None  # unanswered: no time, no tries
            restored = records.make_record(self.id, self.version, question.id, question.kind, jsonable(default),
                                           variant=question.variant)
        answer = restored["answer"]
        if isinstance(answer, dict):  # Jupyter sorts JSON keys on save: show the question's order again
            answer = {p: answer[p] for p in question.pairs if p in answer}
        return self._store({**restored, "answer": answer, "kind": question.kind}, changed=False)

    def _controls(self, question: Question, record: dict, shown: Any):
        """The answer widget, "Check my answer" (homework), hints and feedback of a question; ``shown(record)``
        runs after every change, to show the new record."""
        import ipywidgets as widgets

        explained = self._explanation(question, record)
        feedback = widgets.HTML(feedback_html(explained, question.source if explained else ""))
        live = widgets.HTML(answer_line_html(self._line(question, record)))  # the line, live (see widgets)

        def show(current: dict) -> None:
            explanation = self._explanation(question, current)
            feedback.value = feedback_html(explanation, question.source if explanation else "")
            live.value = answer_line_html(self._line(question, current))
            shown(current)
            self.refresh()

        def store(new: dict) -> dict:  # a learner's change: kept here and in the journal, with its line
            return self._store(new, changed=True, line=self._line(question, new))

        def changed(value: Any) -> None:
            value = jsonable(value)
            previous = self._records.get(question.id, record)
            if value == previous["answer"]:
                return
            tries, status = records.record_tries(previous), self.result(question, value).status
            if status in TRIED and not (self.policy == HOMEWORK and status in GATED):  # homework: tried on Check
                tries += 1
            show(store(self._new_record(question.id, question.kind, value, tries, False)))

        def check() -> None:
            current = self._records.get(question.id, record)
            if current.get("checked") or self.result(question, current["answer"]).status not in GATED:
                show(current)
                return
            show(store({**current, "tries": records.record_tries(current) + 1, "checked": True,
                        "answered_at": now()}))

        button = check_button(CHECK_LABEL, check) if self.policy == HOMEWORK and self.mode == "self-study" else None
        parts = [answer_widget(question, record["answer"], changed), button, hint_button(question.hints), feedback,
                 live]
        return widgets.VBox([p for p in parts if p is not None])

    def params(self, question_id: str) -> dict:
        """The parameters of the variant of a template question shown in this kernel (for a computed question's
        code: ``p = wb.params("id")``, then ``p["year"]``...)."""
        return variant_cell.params(self, question_id)

    def submit(self, question_id: str, value: Any) -> None:
        """Save the value a learner's code computed as the answer to a computed question (one try per new value)."""
        answer = jsonable(value)
        question = self.questions.get(question_id)
        previous = self.latest_record(question_id)
        variant = question.variant if question is not None else None
        same = previous is not None and previous["answer"] == answer and previous.get("variant") == variant
        if same:
            record = self._store(previous, changed=False)  # the same value again: no new try, no new time
        else:
            counted = question is not None and self.result(question, answer).status in TRIED
            tries = records.record_tries(previous) + (1 if counted else 0)
            record = self._new_record(question_id, question.kind if question else "computed", answer, tries, True)
        line = (self._line(question, record) if question is not None else
                f"Answer to {question_id}: {records.answer_line(answer)} (saved; run the question cell above for "
                "feedback)")
        if not same:
            self._store(record, changed=True, line=line)
        if question is not None:
            explanation = self._explanation(question, record)
            if explanation:
                display(Markdown(f"{explanation}\n\n*Source: {question.source}*" if question.source else explanation))
        display(records.bundle(record, line), raw=True)
        self.refresh()

    def keep(self, question_id: str, kind: str, answer: Any, changed: bool = True) -> dict:
        """Keep an answer that a lesson's app gathered (not an :meth:`ask` widget), as a question's is kept: in
        this kernel and, when the learner ``changed`` it, in the journal. Returns its record, for the app to
        show in its cell's output (and so in the saved notebook)."""
        answer = jsonable(answer)
        previous = self.latest_record(question_id)
        if previous is not None and previous["answer"] == answer:
            return self._store(previous, changed=False)
        if not changed:  # what the app shows before the learner touches it: no time, not journaled
            return self._store(records.make_record(self.id, self.version, question_id, kind, answer), changed=False)
        return self._store(self._new_record(question_id, kind, answer, records.record_tries(previous), None),
                           changed=True)

    def hand_in(self, read_file: bool = True) -> HandIn:
        """What the hand-in check finds (see :func:`handin.findings`)."""
        return findings(self, read_file)

    def check(self) -> None:
        """The hand-in check: every question's state, the points, and whether the saved file holds every answer."""
        display(Markdown("**Hand-in check.** " + self.hand_in().message()))
        self.refresh()

    def _prompt(self, q: Question) -> str:
        points = f"{q.points:g} point{'s' if q.points != 1 else ''}"
        lines = [f"**Question {q.id}** · {KIND_NAMES[q.kind]} · {points}", "", q.prompt]
        if q.numeric:
            unit = f" in {q.unit}" if q.unit else ""
            lines += ["", f"*Give a number{unit}; answers within {q.tolerance_text()} are accepted.*"]
        return "\n".join(lines)

    @property
    def total(self) -> tuple[float, float]:
        """Points so far and points available, over the questions asked in this kernel."""
        results = [apply_policy(self.result(q, self.answers.get(q.id)), self.feedback,
                                records.record_tries(self._records.get(q.id))) for q in self.questions.values()]
        return sum(r.points for r in results), sum(r.max_points for r in results)


def _escape(text: str) -> str:
    import html

    return html.escape(text)


# -- ``wb`` before the setup cell ---------------------------------------------------------------------------------
class _NotReady:
    """Stands in for the workbook before its setup cell has run: one sentence, and the saved answer kept."""

    def _keep(self, question_id: str | None) -> None:
        display(Markdown(NOT_READY))
        record = saved_record(question_id) if isinstance(question_id, str) else None
        if record is not None:
            line = (f"Answer to {question_id}: {records.answer_line(record['answer'])} (saved; run the first "
                    "cell, then this one, to see it marked or change it)")
            display(records.bundle(record, line), raw=True)

    def ask(self, **spec: Any) -> None:
        self._keep(spec.get("id"))

    def identity(self) -> None:
        self._keep(records.IDENTITY)

    def submit(self, question_id: str, value: Any = None) -> None:
        self._keep(question_id)

    def check(self) -> None:
        display(Markdown(NOT_READY))

    def sealed(self, encoded: str) -> str:
        return sealed(encoded)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"{name}: {NOT_READY}")


class _Current:
    """``wb`` for question cells: the workbook made last in this kernel (or :class:`_NotReady`)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_CURRENT[0] if _CURRENT else _NotReady(), name)

    def __repr__(self) -> str:
        return repr(_CURRENT[0]) if _CURRENT else "<workbook not set up yet: run the first code cell>"


wb = _Current()
