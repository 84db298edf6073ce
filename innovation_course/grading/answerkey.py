"""The key: every workbook of a folder (``solutions/`` with plain answers, or built ``exercises/`` with hashed
keys), parsed from the notebooks' source with :func:`innovation_course.spec.parse_workbook`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..keys import key_for
from ..spec import WorkbookSpec, parse_workbook


@dataclass
class AnswerKey:
    """Workbook id → its spec, and workbook id → question id → key (None: marked by hand or no key)."""

    specs: dict[str, WorkbookSpec] = field(default_factory=dict)
    keys: dict[str, dict[str, dict | None]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, spec: WorkbookSpec, origin: str = "") -> None:
        """Add a workbook; a second workbook with the same id is reported and ignored."""
        if spec.id in self.specs:
            self.problems.append(f"{origin}: workbook {spec.id!r} is already in the key; ignored")
            return
        keys = {}
        for question in spec.questions.values():
            try:
                keys[question.id] = key_for(question, spec.id)
            except (ValueError, TypeError, ArithmeticError) as error:
                self.problems.append(f"{origin}: question {question.id!r} has no usable key: {error}")
                keys[question.id] = None
        self.specs[spec.id], self.keys[spec.id] = spec, keys


def load_key(folder: str | Path) -> AnswerKey:
    """Parse every notebook in ``folder`` (recursively; checkpoints skipped). Unreadable ones are reported."""
    key = AnswerKey()
    root = Path(folder)
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*.ipynb")
                                                 if ".ipynb_checkpoints" not in p.parts)
    for path in paths:
        try:
            spec = parse_workbook(json.loads(path.read_text(encoding="utf-8")))
        except Exception as error:  # one bad key notebook must not hide the others
            key.problems.append(f"{path}: not a workbook ({type(error).__name__}: {error})")
            continue
        key.add(spec, str(path))
    return key
