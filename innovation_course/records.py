"""Answer records: how a learner's answers live inside the saved notebook.

Each question cell shows one display output whose bundle holds a versioned JSON record under
:data:`MIME` and a readable ``text/plain`` line. The widget updates that output whenever the answer
changes, so saving the notebook saves the answer; reading answers back needs no kernel (:func:`read_saved`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MIME = "application/vnd.innovation-course.answer+json"
SCHEMA = "innovation-course/answer"
SCHEMA_VERSION = 1
IDENTITY = "_identity"
METADATA_KEY = "innovation_course"


def make_record(workbook: str, version: str, question: str, kind: str, answer: Any) -> dict:
    """A record for one answer (``answer`` must be JSON-serialisable)."""
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "workbook": workbook,
            "workbook_version": str(version), "question": question, "kind": kind, "answer": answer}


def answer_line(answer: Any, limit: int | None = 120) -> str:
    """An answer in one line for people: mappings as 'item → choice; …', lists comma-separated, long text cut."""
    if answer is None:
        return "(none)"
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    if isinstance(answer, list):
        return ", ".join("—" if a is None else str(a) for a in answer)
    text = str(answer)  # only written answers are shortened
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "…"


def bundle(record: dict, text: str) -> dict:
    """The display bundle that carries a record: the JSON for machines, a line for people."""
    return {MIME: record, "text/plain": text}


def record_problem(obj: Any) -> str | None:
    """Why an object is not a usable record, or None when it is one."""
    if not isinstance(obj, dict):
        return "record is not a JSON object"
    if obj.get("schema") != SCHEMA:
        return f"unknown record schema {obj.get('schema')!r}"
    if obj.get("schema_version") != SCHEMA_VERSION:
        return f"record schema version {obj.get('schema_version')!r}; this course reads version {SCHEMA_VERSION}"
    for name in ("workbook", "question"):
        if not isinstance(obj.get(name), str) or not obj[name]:
            return f"record has no {name}"
    if "answer" not in obj:
        return f"record for {obj['question']!r} has no answer"
    return None


@dataclass
class SavedAnswers:
    """What a saved notebook says: which workbook, which learner, which answers, and what was odd."""

    workbook: str | None = None
    version: str | None = None
    mode: str | None = None
    identity: dict = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def iter_records(nb: dict):
    """Yield (cell index, record or problem text) for every answer output in a notebook's JSON."""
    for index, cell in enumerate(nb.get("cells") or []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and MIME in data:
                problem = record_problem(data[MIME])
                yield index, problem or data[MIME]


def read_saved(nb: dict) -> SavedAnswers:
    """Read the answers of a notebook (its JSON as a dict); the last record of a question counts."""
    saved = SavedAnswers()
    meta = (nb.get("metadata") or {}).get(METADATA_KEY) or {}
    if isinstance(meta, dict):
        saved.workbook, saved.version, saved.mode = meta.get("workbook"), meta.get("version"), meta.get("mode")
    for index, item in iter_records(nb):
        if isinstance(item, str):
            saved.problems.append(f"cell {index + 1}: {item}")
            continue
        if saved.workbook is None:
            saved.workbook = item["workbook"]
        if item["workbook"] != saved.workbook:
            saved.problems.append(f"cell {index + 1}: answer belongs to workbook {item['workbook']!r}")
            continue
        if saved.version is None:
            saved.version = item.get("workbook_version")
        if item["question"] == IDENTITY:
            saved.identity = item["answer"] if isinstance(item["answer"], dict) else {}
        else:
            saved.answers[item["question"]] = item["answer"]
    return saved
