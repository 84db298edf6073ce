"""The workbook API that lesson and exercise notebooks call: ``Workbook``, ``identity``, ``ask``, ``submit``.

Each answer is written as a record into the question cell's own output (see :mod:`records`), so the saved
notebook carries it. When a question cell runs again, the answer comes back from this kernel's memory,
else from the saved notebook file, else (in solutions) from the key.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from . import findings, records
from .keys import key_for
from .questions import KIND_NAMES, Question, make_question
from .scoring import MISSING, Result, score
from .spec import sealed
from .widgets import answer_widget, feedback_html, hint_button

__all__ = ["Workbook", "findings", "sealed"]

MODES = ("self-study", "solution", "exam")
MODE_TEXT = {
    "self-study": "You get feedback as soon as you answer.",
    "solution": "Teacher's copy: the answers are filled in and marked.",
    "exam": "Your answers are saved but not marked here: your teacher marks them.",
}


def notebook_path() -> Path | None:
    """The notebook this kernel runs, as Jupyter tells the kernel (None outside Jupyter)."""
    name = os.environ.get("JPY_SESSION_NAME")
    if not name:
        return None
    for candidate in (Path(name), Path.cwd() / Path(name).name):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate
    return None


def jsonable(value: Any) -> Any:
    """An answer as JSON: numpy/pandas scalars to Python, NaN to None, unknown objects to text."""
    if value is None or value is Ellipsis or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy and pandas scalars
        try:
            return jsonable(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)


class Workbook:
    """One workbook (or a lesson's self-check questions) in a running notebook."""

    def __init__(self, id: str, title: str = "", version: str = "1", mode: str = "self-study") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.id, self.title, self.version, self.mode = id, title, str(version), mode
        self.questions: dict[str, Question] = {}
        self.answers: dict[str, Any] = {}
        self._file_cache: tuple[float, records.SavedAnswers] | None = None
        display(Markdown(f"**{title or id}** · {MODE_TEXT[mode]} Answers are kept in this notebook: "
                         "save it (Ctrl+S / ⌘+S) to keep them."))

    sealed = staticmethod(sealed)

    # -- where answers come from ---------------------------------------------------------------
    def _saved_in_file(self) -> records.SavedAnswers | None:
        path = notebook_path()
        if path is None:
            return None
        mtime = path.stat().st_mtime
        if self._file_cache is None or self._file_cache[0] != mtime:
            try:
                saved = records.read_saved(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                return None
            self._file_cache = (mtime, saved)
        saved = self._file_cache[1]
        return saved if saved.workbook in (None, self.id) else None

    def previous_answer(self, question_id: str, default: Any = None) -> Any:
        """The learner's latest answer: this kernel's memory, else the saved file, else ``default``."""
        if question_id in self.answers:
            return self.answers[question_id]
        saved = self._saved_in_file()
        if saved is not None:
            if question_id == records.IDENTITY and saved.identity:
                return saved.identity
            if question_id in saved.answers:
                return saved.answers[question_id]
        return default

    # -- marking and recording -----------------------------------------------------------------
    def result(self, question: Question, answer: Any) -> Result:
        key = None if self.mode == "exam" else key_for(question, self.id)
        return score(question, key, answer)

    def _line(self, question: Question, answer: Any, result: Result) -> str:
        given = f"Answer to {question.id}: {records.answer_line(answer)}"
        if self.mode == "exam" or result.status == MISSING:
            return given + (" (saved)" if answer is not None else "")
        return f"{given} — {result.text}"

    def _record(self, question_id: str, kind: str, answer: Any, line: str) -> dict:
        self.answers[question_id] = answer
        return records.bundle(records.make_record(self.id, self.version, question_id, kind, answer), line)

    # -- what notebooks call --------------------------------------------------------------------
    def identity(self) -> None:
        """The learner's name and ID, stored in the notebook like an answer."""
        import ipywidgets as widgets

        saved = self.previous_answer(records.IDENTITY, {}) or {}
        name = widgets.Text(value=saved.get("name", ""), description="Your name:", continuous_update=False,
                            style={"description_width": "initial"})
        learner = widgets.Text(value=saved.get("id", ""), description="Learner ID:", continuous_update=False,
                               style={"description_width": "initial"})

        def bundle() -> dict:
            who = {"name": name.value.strip(), "id": learner.value.strip()}
            line = f"Learner: {who['name'] or '(name not given)'} · ID: {who['id'] or '(not given)'}"
            return self._record(records.IDENTITY, "identity", who, line)

        display(widgets.VBox([name, learner]))
        handle = display(bundle(), raw=True, display_id=True)
        for field in (name, learner):
            field.observe(lambda _change: handle.update(bundle(), raw=True), names="value")

    def ask(self, **spec: Any) -> None:
        """Show a question with its answer widget; every change is marked and saved into this cell's output."""
        question = make_question(**spec)
        self.questions[question.id] = question
        display(Markdown(self._prompt(question)))
        if question.kind == "computed":
            display(Markdown(f"*Answer in the code cell below, which ends with* `wb.submit(\"{question.id}\", …)`."))
            return
        default = question.model_answer if self.mode == "solution" else None
        initial = self.previous_answer(question.id, default)
        initial = {p: initial[p] for p in question.pairs if p in initial} if isinstance(initial, dict) else initial
        import ipywidgets as widgets

        feedback = widgets.HTML()
        handle = None

        def changed(answer: Any) -> None:
            answer = jsonable(answer)
            result = self.result(question, answer)
            line = self._line(question, answer, result)
            show_explanation = self.mode != "exam" and result.status != MISSING
            feedback.value = feedback_html(line, question.explanation if show_explanation else "",
                                           question.source if show_explanation else "")
            bundle = self._record(question.id, question.kind, answer, line)
            if handle is not None:
                handle.update(bundle, raw=True)
            return bundle

        parts = [answer_widget(question, initial, changed), hint_button(question.hints), feedback]
        display(widgets.VBox([p for p in parts if p is not None]))
        handle = display(changed(initial), raw=True, display_id=True)

    def submit(self, question_id: str, value: Any) -> None:
        """Save the value a learner's code computed as the answer to a computed question."""
        answer = jsonable(value)
        question = self.questions.get(question_id)
        if question is None:
            display(records.bundle(records.make_record(self.id, self.version, question_id, "computed", answer),
                                   f"Answer to {question_id}: {records.answer_line(answer)} (saved; run the "
                                   "question cell above for feedback)"), raw=True)
            self.answers[question_id] = answer
            return
        result = self.result(question, answer)
        line = self._line(question, answer, result)
        if self.mode != "exam" and result.status not in (MISSING,) and question.explanation:
            display(Markdown(f"{question.explanation}\n\n*Source: {question.source}*" if question.source
                             else question.explanation))
        display(self._record(question_id, question.kind, answer, line), raw=True)

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
        results = [self.result(q, self.answers.get(q.id)) for q in self.questions.values()]
        return sum(r.points for r in results), sum(r.max_points for r in results)
