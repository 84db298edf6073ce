"""Template questions in the grader: which variant is the learner's, and answers that belong to someone else's.

The grader works out a learner's variant itself, from the account it identified (see :mod:`identify`), never from
what the file claims: the JupyterHub user (the name the learner's kernel used), the typed ID of a plain file
(the file's only identity), or for a Canvas or Moodle account the learner ID the roster gives it. It then
computes that variant's key from the data (``engine.templates``). The record's own ``variant`` only says which
variant the learner answered:

* under the practice policy any variant of the template counts (a learner may have pressed "Try another");
* under any other policy, and in an exam (variants keyed with the exam's secret), only the learner's own: an
  answer to another variant is marked against the learner's own (so a copied answer scores at chance) and
  flagged, and a learner whose ID the grader cannot tell gets no mark for these questions, with the reason.

After the whole batch is marked, :func:`borrowed_answers` flags learners whose wrong answers are right for the
variant of one same classmate in three questions or more (answers copied into one's own file).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from ...engine import scoring, templates, variants
from ...engine.keys import AnswerTypeError, compile_key, in_key, tokens
from ...engine.questions import Question
from .identify import BY_IDENTITY, Learner

FREE, OWN, EXAM = "any variant", "own variant", "exam variant"
MIN_BORROWED = 3  # wrong answers right for one classmate's variants; two can be honest slips in a large class
NOT_THEIRS = "answered a version that is not theirs"
_CONCRETE: dict[tuple[str, str, bytes], tuple[Question, dict | None]] = {}


def rule(key: Any, workbook: str) -> str:
    """Which variants count in a workbook: an exam's, the learner's own, or any (practice)."""
    if workbook in getattr(key, "exam_bank", ()):
        return EXAM
    policy = key.policy(workbook) or {}
    return FREE if policy.get("policy", scoring.PRACTICE) == scoring.PRACTICE else OWN


def identities(learner: Learner, roster: dict[str, str]) -> list[str]:
    """The learner IDs a learner's variants may have been drawn for, as the grader knows the learner."""
    if learner.lms == "hub":
        found = [roster.get(learner.id), learner.lms_id]
    elif learner.lms:
        found = [roster.get(learner.id)]
    elif learner.identified_by == BY_IDENTITY:
        found = [learner.typed_id or learner.id]
    else:
        found = []
    return list(dict.fromkeys(i for i in found if i))


def concrete(question: Question, workbook: str, params: dict) -> tuple[Question, dict | None]:
    """A variant of a template question and its plain key (each computed once per process)."""
    cache = (workbook, question.id, variants.canonical({"t": question.template.name, "p": params}))
    if cache not in _CONCRETE:
        made = templates.instantiate(question, params)
        _CONCRETE[cache] = (made, compile_key(made, workbook, hashed=False))
    return _CONCRETE[cache]


def resolve(question: Question, record: dict | None, learner: Learner, key: Any,
            workbook: str) -> tuple[Question, dict | None, str]:
    """The variant to mark a template question's answer against, its key, and a note ("" when all is well). When
    the learner's variant cannot be told, the template question itself comes back, with no key."""
    how = rule(key, workbook)
    given = templates.variant_params(record)
    if record is not None and (record.get("variant") or {}).get("template") != question.template.name:
        given = None
    if how == FREE and given is not None and question.template.contains(given):
        return (*concrete(question, workbook, given), "")
    answered = record is not None and not scoring.is_blank(record.get("answer"))
    ids = identities(learner, getattr(key, "roster", {}))
    if not ids:
        why = ("no learner ID typed in the file" if not learner.lms else
               f"the roster gives no learner ID for {learner.id}")
        return question, None, f"{question.id}: cannot tell which version is this learner's ({why})"
    secret = getattr(key, "secret", b"") if how == EXAM else b""
    owns = [question.template.choose(i, workbook, question.id, secret) for i in ids]
    made, made_key = concrete(question, workbook, given if given in owns else owns[0])
    if given in owns or not answered:
        return made, made_key, ""
    if given is None:  # a file from before the question had versions, or an edited record
        return made, made_key, f"{question.id}: the answer names no version; marked against this learner's own"
    if how == FREE:
        return made, made_key, f"{question.id}: the answer is for a version this workbook does not have"
    return made, made_key, f"{question.id}: {NOT_THEIRS}; marked against their own"


def mark_template(question: Question, record: dict | None, learner: Learner, key: Any, workbook: str,
                  score: Any) -> tuple[Question, scoring.Result, str]:
    """A template question marked against the learner's variant (see :func:`resolve`): the variant, the result
    (``score(question, key)`` gives it, with the grader's policy) and the note ("" when all is well)."""
    made, made_key, note = resolve(question, record, learner, key, workbook)
    answer = record.get("answer") if isinstance(record, dict) else None
    result = unmarked(made, answer, note) if made.generic else score(made, made_key)
    if note and not made.generic:
        result = replace(result, detail="; ".join(d for d in (result.detail, note.split(": ", 1)[-1]) if d))
    return made, result, note


def submission_notes(notes: list[str]) -> list[str]:
    """A submission's notes on its template questions, one line per kind of problem."""
    found: dict[str, list[str]] = defaultdict(list)
    for note in notes:
        question, _, what = note.partition(": ")
        found[what].append(question)
    return [f"{what}: {', '.join(questions)}" for what, questions in found.items()]


def unmarked(question: Question, answer: Any, note: str) -> scoring.Result:
    """The result of a template question whose variant the grader cannot tell."""
    if scoring.is_blank(answer):
        return scoring.Result(scoring.MISSING, 0.0, float(question.points))
    return scoring.Result(scoring.INVALID, 0.0, float(question.points), note.split(": ", 1)[-1])


def _tokens(question: Question, key: dict | None, answer: Any) -> list[str]:
    try:
        return tokens(question, answer, key.get("step")) if key else []
    except (AnswerTypeError, TypeError, ValueError, ArithmeticError):
        return []


def borrowed_answers(marked: list, key: Any) -> tuple[list, list[str]]:
    """Counted submissions whose wrong answers to template questions are right for one same classmate's variants
    in :data:`MIN_BORROWED` questions or more, and in at least half of their wrong answers: flagged, with the
    classmate(s) they fit best (their marks stay as they are), and the problems to report. In a class, two
    learners' variants share a key now and then, so only the classmate that most wrong answers fit is named.
    Only number and text answers count: a choice is right for someone by chance too often."""
    hits: dict[tuple[int, int], list[str]] = defaultdict(list)
    wrong: dict[int, int] = defaultdict(int)
    by_workbook: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(marked):
        if item.counted and item.marks and rule(key, item.workbook) != FREE:
            by_workbook[item.workbook].append(index)
    for workbook, indices in by_workbook.items():
        spec = key.specs.get(workbook)
        for question in (spec.questions.values() if spec else ()):
            if question.template is None or question.kind not in ("numeric", "computed", "text"):
                continue
            owners: dict[str, set[int]] = defaultdict(set)  # accepted token → learners whose variant takes it
            variants_of: dict[int, tuple[Question, dict | None]] = {}
            for index in indices:
                mark = next((m for m in marked[index].marks if m.id == question.id), None)
                if mark is not None and mark.variant is not None:
                    variants_of[index] = concrete(question, workbook, mark.variant["params"])
            for index, (_made, made_key) in variants_of.items():
                for token in (made_key or {}).get("tokens", []):
                    owners[f"{made_key.get('step')}|{token}"].add(index)
            steps = {(made_key or {}).get("step") for _, made_key in variants_of.values()}
            for index in indices:
                mark = next((m for m in marked[index].marks if m.id == question.id), None)
                if mark is None or mark.status != scoring.INCORRECT:
                    continue
                wrong[index] += 1
                made = variants_of.get(index, (question, None))[0]
                for step in steps:
                    for token in _tokens(made, {"step": step} if step is not None else {}, mark.answer):
                        for other in owners.get(f"{step}|{token}", set()) - {index}:
                            if marked[other].learner.id != marked[index].learner.id:
                                hits[(index, other)].append(question.id)
    best: dict[int, int] = defaultdict(int)
    for (index, _other), questions in hits.items():
        best[index] = max(best[index], len(set(questions)))
    result, problems = list(marked), []
    for (index, other), questions in sorted(hits.items()):
        found = sorted(set(questions))
        if len(found) < max(MIN_BORROWED, best[index], (wrong[index] + 1) // 2):
            continue
        who, whose = marked[index].learner.id, marked[other].learner.id
        note = f"possible copying: wrong answers to {', '.join(found)} are right for {whose}'s versions"
        problems.append(f"{marked[index].origin}: {who}'s {note} (graded normally; check)")
        if note not in result[index].notes:
            result[index] = replace(result[index], notes=(*result[index].notes, note))
    return result, problems


def foreign_variants(marked: list) -> list[str]:
    """The problems to report for submissions that answered versions not theirs."""
    found = []
    for item in marked:
        if item.counted and any(NOT_THEIRS in m.detail for m in item.marks):
            questions = [m.id for m in item.marks if NOT_THEIRS in m.detail]
            found.append(f"{item.origin}: {item.learner.id} {NOT_THEIRS} ({', '.join(questions)}): a copied file "
                         "or answer? Marked against their own versions")
    return found


def accepted(question: Question, key: dict | None, answer: Any) -> bool:
    """Whether an answer is right for a variant (a helper for tests and reports)."""
    return bool(key) and any(in_key(key, t) for t in _tokens(question, key, answer))
