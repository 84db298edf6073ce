"""Synthetic workbooks and submissions for the grader's tests and benchmark, built the way the course
builds them (ask cells read by :mod:`innovation_course.spec`, answers as :mod:`innovation_course.records`
outputs), so they need neither lesson data nor a kernel."""

from __future__ import annotations

import copy
import random
from typing import Any

import nbformat

from ...engine import records, spec
from ...engine.keys import compile_key
from ...engine.questions import make_question
from ...engine.templates import own_variant

DEMO_ID = "zz-demo"
DEMO_TITLE = "A demonstration workbook"
#: One question of every kind, answered as the solutions answer them.
DEMO_QUESTIONS: list[dict[str, Any]] = [
    {"id": "plan-year", "kind": "choice", "prompt": "In which year was Made in China 2025 issued?",
     "options": ["2006", "2015", "2021"], "answer": "2015", "explanation": "The State Council issued it in 2015."},
    {"id": "pillars", "kind": "multiple", "prompt": "Which are R&D performers in national statistics?",
     "options": ["Business", "Government", "Higher education", "Households"],
     "answer": ["Business", "Government", "Higher education"], "explanation": "Households are not one."},
    {"id": "rd-share", "kind": "numeric", "prompt": "R&D spending in 2020, in % of GDP?", "answer": 2.4,
     "tolerance": 0.05, "unit": "% of GDP", "points": 2, "explanation": "About 2.4 %."},
    {"id": "plans-order", "kind": "ordering", "prompt": "Put the plans in time order.",
     "options": ["MLP 2006", "MIC 2025", "14th FYP"], "answer": ["MLP 2006", "MIC 2025", "14th FYP"],
     "explanation": "2006, 2015, 2021."},
    {"id": "cities", "kind": "matching", "prompt": "Match each district to its city.",
     "pairs": ["Zhongguancun", "Nanshan"], "options": ["Beijing", "Shenzhen", "Shanghai"],
     "answer": {"Zhongguancun": "Beijing", "Nanshan": "Shenzhen"}, "explanation": "Beijing and Shenzhen."},
    {"id": "district", "kind": "text", "prompt": "Name Beijing's best-known technology district.",
     "answer": ["Zhongguancun"], "explanation": "Zhōngguāncūn."},
    {"id": "growth", "kind": "computed", "prompt": "Compute the growth rate (%).", "answer": 10.5,
     "rel_tolerance": 0.01, "unit": "%", "explanation": "(b - a) / a."},
    {"id": "essay", "kind": "free", "prompt": "Explain one limit of R&D intensity as a measure.",
     "answer": "It counts inputs, not results.", "rubric": ["names a limit", "explains it"], "points": 3,
     "explanation": "Inputs are not outputs."},
]


def _ask_source(question: dict[str, Any], workbook: str, hashed: bool) -> str:
    """``wb.ask(...)`` source for a question; hashed: the key instead of the answer, a sealed explanation."""
    fields = dict(question)
    if hashed:
        built = make_question(**fields)
        fields.pop("answer", None)
        fields.pop("rubric", None)
        fields["key"] = compile_key(built, workbook, hashed=True)
    lines = []
    for name, value in fields.items():
        text = repr(value)
        if hashed and name == "explanation":
            text = f"sealed({spec.seal(value)!r})"
        lines.append(f"    {name}={text},")
    return "wb.ask(\n" + "\n".join(lines) + "\n)"


def _record_output(workbook: str, version: str, question: str, kind: str, answer: Any,
                   variant: dict | None = None) -> dict:
    record = records.make_record(workbook, version, question, kind, answer, variant=variant)
    return nbformat.v4.new_output("display_data", data=records.bundle(record, f"Saved answer: {answer!r}"))


def workbook_notebook(workbook: str = DEMO_ID, version: str = "1", questions: list[dict] | None = None,
                      hashed: bool = False, title: str = DEMO_TITLE) -> dict:
    """A workbook notebook (JSON as a dict): header, identity cell, one cell per question (a computed
    question gets its ``wb.submit`` cell). Not hashed: a solution with every answer recorded."""
    questions = DEMO_QUESTIONS if questions is None else questions
    mode = "self-study" if hashed else "solution"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata[records.METADATA_KEY] = {"workbook": workbook, "version": version, "mode": mode}
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {title}"))
    nb.cells.append(nbformat.v4.new_code_cell(
        "from innovation_course.workbook import Workbook\n\n"
        f"wb = Workbook({workbook!r}, title={title!r}, version={version!r}, mode={mode!r})"))
    nb.cells.append(nbformat.v4.new_code_cell("wb.identity()"))
    for question in questions:
        nb.cells.append(nbformat.v4.new_code_cell(_ask_source(question, workbook, hashed)))
        if question["kind"] == "computed":
            nb.cells.append(nbformat.v4.new_code_cell(f"value = None\nwb.submit({question['id']!r}, value)"))
    nb = nbformat.from_dict(nb)
    if hashed:
        return nb
    answers = correct_answers(spec.parse_workbook(nb))
    return with_answers(nb, answers, {"name": "Model Answer", "id": "solution"}, mode="solution")


def answer_cells(nb: dict) -> dict[str, int]:
    """Question id → the cell whose output holds its answer (the ``wb.submit`` cell for computed ones)."""
    cells = {call.spec["id"]: call.cell for call in spec.ask_calls(nb) if isinstance(call.spec.get("id"), str)}
    for index, call in spec.find_calls(nb, "submit"):
        if call.args and isinstance(call.args[0], spec.ast.Constant) and call.args[0].value in cells:
            cells[call.args[0].value] = index
    for index, _ in spec.find_calls(nb, "identity")[:1]:
        cells[records.IDENTITY] = index
    return cells


def answer_layout(nb: dict) -> tuple[dict, dict[str, Any], dict[str, int]]:
    """What :func:`with_answers` reads from a workbook's source (header, question kinds, answer cells):
    compute it once to answer the same workbook many times."""
    return (spec.workbook_header(nb), {call.spec.get("id"): call.spec.get("kind") for call in spec.ask_calls(nb)},
            answer_cells(nb))


def with_answers(nb: dict, answers: dict[str, Any], identity: dict | None, version: str | None = None,
                 workbook: str | None = None, mode: str = "self-study",
                 layout: tuple[dict, dict[str, Any], dict[str, int]] | None = None,
                 variants: dict[str, dict] | None = None) -> dict:
    """A copy of a workbook notebook answered as given: every earlier answer output removed, then one record
    per answer (and the identity) in its cell, the way the widgets save them; ``variants``: question id → the
    variant its answer was given for (template questions)."""
    header, kinds, cells = layout or answer_layout(nb)
    cells = dict(cells)
    nb = copy.deepcopy(nb)
    workbook = workbook or header["id"]
    version = str(version or header.get("version", "1"))
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if records.MIME not in (o.get("data") or {})]
    given = dict(answers)
    if identity is not None:
        given = {records.IDENTITY: identity, **given}
    for question, answer in given.items():
        if question not in cells:
            nb["cells"].append(nbformat.v4.new_code_cell("# extra answer"))
            cells[question] = len(nb["cells"]) - 1
        kind = kinds.get(question, "identity" if question == records.IDENTITY else "text")
        nb["cells"][cells[question]]["outputs"].append(
            _record_output(workbook, version, question, kind, answer, (variants or {}).get(question)))
    meta = nb.setdefault("metadata", {}).setdefault(records.METADATA_KEY, {})
    meta.update({"workbook": workbook, "version": version, "mode": mode})
    return nb


def learner_answer(question) -> Any:
    """The right answer as a learner gives it (a text question: its first accepted answer)."""
    if question.kind == "text" and isinstance(question.answer, list | tuple):
        return question.answer[0]
    return copy.deepcopy(question.answer)


def correct_answers(workbook: spec.WorkbookSpec) -> dict[str, Any]:
    """The answers of a solution (questions whose answer is known)."""
    return {q.id: learner_answer(q) for q in workbook.questions.values() if q.answer is not None}


def random_answer(question, rng: random.Random) -> Any:
    """A plausible answer to a question: right, wrong, partly right or missing."""
    if rng.random() < 0.08:
        return None
    kind, known = question.kind, question.answer
    if known is not None and rng.random() < 0.55:
        return learner_answer(question)
    if kind == "choice":
        return rng.choice(question.options)
    if kind == "multiple":
        return rng.sample(list(question.options), rng.randint(1, len(question.options)))
    if kind == "ordering":
        return rng.sample(list(question.options), len(question.options))
    if kind == "matching":
        return {pair: rng.choice(question.options) for pair in question.pairs}
    if question.numeric:
        base = known if isinstance(known, int | float) else 10.0
        return round(base * rng.choice([0.5, 0.9, 1.1, 2.0]), 3)
    if kind == "free":
        return " ".join(rng.choice(["R&D", "counts", "inputs", "patents", "quality", "growth"]) for _ in range(12))
    return rng.choice(["Shenzhen", "zhong guan cun", "Pudong", "42"])


def random_answers(workbook: spec.WorkbookSpec, rng: random.Random) -> dict[str, Any]:
    """Answers to every question of a workbook, some missing (template questions: in the variant of "")."""
    return variant_answers(workbook, rng)[0]


def variant_answers(workbook: spec.WorkbookSpec, rng: random.Random, learner: str = "",
                    secret: bytes = b"") -> tuple[dict[str, Any], dict[str, dict]]:
    """Answers to every question of a workbook, some missing; a template question answered in ``learner``'s own
    variant (``secret``: an exam's). Returns the answers and the variants they were given for."""
    answers, variants = {}, {}
    for question in workbook.questions.values():
        if question.template is not None:
            question = own_variant(question, learner, workbook.id, secret)
            variants[question.id] = question.variant
        answers[question.id] = random_answer(question, rng)
    return {k: v for k, v in answers.items() if v is not None}, variants


def to_bytes(nb: dict) -> bytes:
    """A notebook's file content, as Jupyter writes it."""
    return (nbformat.writes(nbformat.from_dict(nb)) + "\n").encode()


def save(nb: dict, path) -> None:
    """Write a notebook to ``path`` (a :class:`pathlib.Path`), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(nb))


def write_key(folder, hashed: bool = False, workbooks: tuple[str, ...] = (DEMO_ID,), version: str = "1"):
    """A key folder with the demo workbook under each id: solutions, or built exercises when ``hashed``."""
    for workbook in workbooks:
        save(workbook_notebook(workbook, version, hashed=hashed), folder / f"{workbook}.ipynb")
    return folder
