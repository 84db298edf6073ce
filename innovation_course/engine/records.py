"""Answer records: how a learner's answers live inside the saved notebook.

Each question cell shows one display output whose bundle holds a versioned JSON record under
:data:`MIME` and a readable ``text/plain`` line. The widget updates that output whenever the answer
changes, so saving the notebook saves the answer; reading answers back needs no kernel (:func:`read_saved`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .templates import params_problem

MIME = "application/vnd.innovation-course.answer+json"
SCHEMA = "innovation-course/answer"
SCHEMA_VERSION = 1
IDENTITY = "_identity"
METADATA_KEY = "innovation_course"
ID_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")  # usable as a file name


def make_record(workbook: str, version: str, question: str, kind: str, answer: Any, *,
                answered_at: str | None = None, tries: int | None = None, checked: bool | None = None,
                variant: dict | None = None) -> dict:
    """A record for one answer (``answer`` must be JSON-serialisable); optional fields are left out when None.
    ``variant``: which variant of a template question the answer is for (``{"template", "params", "draw"}``)."""
    record = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "workbook": workbook,
              "workbook_version": str(version), "question": question, "kind": kind, "answer": answer}
    for name, value in (("answered_at", answered_at), ("tries", tries), ("checked", checked), ("variant", variant)):
        if value is not None:
            record[name] = value
    return record


def record_time(record: dict | None) -> str:
    """When a record's answer was given (ISO-8601 UTC, comparable as text); "" when unknown."""
    value = record.get("answered_at") if isinstance(record, dict) else None
    return value if isinstance(value, str) else ""


def record_tries(record: dict | None) -> int:
    """How many scored answers a record says were given (0 when unknown)."""
    value = record.get("tries") if isinstance(record, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def answer_line(answer: Any, limit: int | None = 120) -> str:
    """An answer in one line for people: mappings as 'item → choice; …', lists comma-separated, a half-filled
    order as '3 of 6 placed', long text cut."""
    if answer is None:
        return "(none)"
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    if isinstance(answer, list):
        if any(a is None for a in answer):
            return f"{sum(1 for a in answer if a is not None)} of {len(answer)} placed"
        return ", ".join(str(a) for a in answer)
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
    if "answered_at" in obj and not (isinstance(obj["answered_at"], str) and len(obj["answered_at"]) <= 40):
        return f"record for {obj['question']!r} has a bad answered_at"
    tries = obj.get("tries", 0)
    if not isinstance(tries, int) or isinstance(tries, bool) or tries < 0:
        return f"record for {obj['question']!r} has a bad tries count"
    if "variant" in obj:
        return variant_problem(obj["variant"], obj["question"])
    return None


def variant_problem(variant: Any, question: str = "?") -> str | None:
    """Why a record's ``variant`` is not ``{"template": name, "params": {...}, "draw": n}``, or None."""
    if not isinstance(variant, dict) or set(variant) - {"template", "params", "draw"}:
        return f"record for {question!r} has a bad variant"
    name, draw = variant.get("template"), variant.get("draw", 0)
    if not isinstance(name, str) or not 0 < len(name) <= 64:
        return f"record for {question!r} has a variant without a template name"
    if not isinstance(draw, int) or isinstance(draw, bool) or not 0 <= draw < 2**31:
        return f"record for {question!r} has a bad variant draw"
    problem = params_problem(variant.get("params"))
    return f"record for {question!r}: variant {problem}" if problem else None


@dataclass
class SavedAnswers:
    """What a saved notebook says: which workbook, which learner, which answers, and what was odd."""

    workbook: str | None = None
    version: str | None = None
    mode: str | None = None
    identity: dict = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    records: dict[str, dict] = field(default_factory=dict)  # question id (or IDENTITY) → its last record


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
        saved.records[item["question"]] = item
        if item["question"] == IDENTITY:
            saved.identity = item["answer"] if isinstance(item["answer"], dict) else {}
        else:
            saved.answers[item["question"]] = item["answer"]
    return saved
