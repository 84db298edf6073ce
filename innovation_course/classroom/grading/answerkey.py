"""The key: every workbook of a folder (``solutions/`` with plain answers, or built ``exercises/`` with hashed
keys), parsed from the notebooks' source with :func:`innovation_course.spec.parse_workbook`. These are the
teacher's files; the feedback policy comes from their metadata (``innovation_course.feedback``) or from
the command line, never from a learner's file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ...engine.keys import key_for
from ...engine.records import METADATA_KEY
from ...engine.scoring import POLICIES, normalise_feedback
from ...engine.spec import WorkbookSpec, importable_from, parse_workbook

__all__ = ["POLICIES", "AnswerKey", "load_key", "resolve_workbook"]


@dataclass
class AnswerKey:
    """Workbook id → its spec, and workbook id → question id → key (None: marked by hand or no key);
    workbook id → the feedback policy of the key notebook; ``override``: the policy given on the command line."""

    specs: dict[str, WorkbookSpec] = field(default_factory=dict)
    keys: dict[str, dict[str, dict | None]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    feedback: dict[str, dict] = field(default_factory=dict)
    override: dict | None = None
    exam_bank: dict[str, str] = field(default_factory=dict)  # exam bank workbook → its folder (variants: `secret`)
    roster: dict[str, str] = field(default_factory=dict)  # account (canvas-123...) → learner ID (see roster)
    secret: bytes = b""                                  # the exam's secret (see exam_secret)

    def add(self, spec: WorkbookSpec, origin: str = "", feedback: dict | None = None) -> None:
        """Add a workbook; a second workbook with the same id is reported and ignored."""
        if spec.id in self.specs:
            self.problems.append(f"{origin}: workbook {spec.id!r} is already in the key; ignored")
            return
        keys = {}
        for question in spec.questions.values():
            try:
                keys[question.id] = key_for(question, spec.id)
                if question.template is not None:  # its parameter space, computed once here, before workers fork
                    question.template.hashed  # noqa: B018
            except (ValueError, TypeError, ArithmeticError) as error:
                self.problems.append(f"{origin}: question {question.id!r} has no usable key: {error}")
                keys[question.id] = None
        self.specs[spec.id], self.keys[spec.id] = spec, keys
        if feedback is not None:
            try:
                self.feedback[spec.id] = normalise_feedback(feedback if isinstance(feedback, dict) else {"policy": 0})
            except ValueError as error:
                self.problems.append(f"{origin}: feedback policy in the metadata not used: {error}")

    def policy(self, workbook: str) -> dict | None:
        """The feedback policy that marks this workbook: the command line's, else the key notebook's."""
        return self.override or self.feedback.get(workbook)

    @property
    def has_answers(self) -> bool:
        """Whether any auto-graded question has a key (an exam release has none; a template question's key is
        computed from the data for each learner's variant)."""
        return any(k is not None or spec.questions[q].template is not None
                   for wb, spec in self.specs.items() for q, k in self.keys[wb].items())


def resolve_workbook(known: list[str] | set[str], given: str) -> str:
    """The full id of a workbook given short (``ex01``) or whole (``ex01-policy-framework``); ValueError,
    listing the workbooks there are, when it names none or several."""
    ids = sorted(known)
    if given in ids:
        return given
    found = [wid for wid in ids if wid.startswith(f"{given}-")]
    if len(found) == 1:
        return found[0]
    what = f"names {len(found)} workbooks" if found else "names no workbook"
    raise ValueError(f"{given!r} {what}; the workbooks are: {', '.join(ids) or 'none'} "
                     "(give one as ex01 or in full)")


def load_key(folder: str | Path) -> AnswerKey:
    """Parse every notebook in ``folder`` (recursively; checkpoints skipped). Unreadable ones are reported."""
    key = AnswerKey()
    root = Path(folder)
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*.ipynb")
                                                 if ".ipynb_checkpoints" not in p.parts)
    for path in paths:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            with importable_from(path.parent):  # an exam bank's templates live beside its notebooks
                spec = parse_workbook(nb)
        except Exception as error:  # one bad key notebook must not hide the others
            key.problems.append(f"{path}: not a workbook ({type(error).__name__}: {error})")
            continue
        meta = (nb.get("metadata") or {}).get(METADATA_KEY) or {}
        key.add(spec, str(path), meta.get("feedback") if isinstance(meta, dict) else None)
        if isinstance(meta, dict) and meta.get("exam_bank") is True:
            key.exam_bank[spec.id] = str(path.parent)
    return key
