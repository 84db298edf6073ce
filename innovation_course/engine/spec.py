"""Read a workbook's questions and keys from a notebook's source, without running it.

Workbook cells are ordinary Python (``wb = Workbook(...)``, ``wb.ask(id=..., ...)``), written with
literal values so that this module, the builder and the grader can read them with :mod:`ast`. Two calls
are allowed inside them: ``findings.NAME(literals...)`` (a number computed from the course's data, never typed)
and ``sealed("...")`` (an explanation kept out of plain sight); and one name, ``findings.NAME`` for a question
template (``template=findings.NAME``, see :mod:`templates`). ``findings`` is the module the workbook itself
imports under that name (``from <course> import findings``): the engine knows no course of its own. Only the
teacher's own notebooks (solutions, lessons, built copies) are read this way, never a learner's file.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import importlib
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .questions import Question, QuestionError, make_question
from .templates import Template


class SpecError(ValueError):
    """A workbook notebook cannot be read as a workbook."""


def seal(text: str) -> str:
    """Encode an explanation so a learner does not read the answer in the cell source by accident."""
    return base64.b64encode(zlib.compress(text.encode(), 9)).decode("ascii")


def sealed(encoded: str) -> str:
    """Decode what :func:`seal` made."""
    return zlib.decompress(base64.b64decode(encoded)).decode()


@dataclass
class AskCall:
    """One ``wb.ask(...)`` call found in a cell: its keywords and where they sit in the source."""

    cell: int
    node: ast.Call
    spec: dict[str, Any]


@dataclass
class WorkbookSpec:
    id: str
    title: str = ""
    version: str = "1"
    mode: str = "self-study"
    questions: dict[str, Question] = field(default_factory=dict)
    feedback: dict | None = None  # Workbook(..., feedback={...}) as the build writes it (see scoring.apply_policy)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions.values())


#: the one module name whose functions a workbook's values may call
FINDINGS = "findings"


def findings_module(nb: dict) -> str | None:
    """The module a notebook imports as ``findings`` (``from pkg import findings`` → ``pkg.findings``)."""
    for cell in nb.get("cells") or []:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse("".join(cell.get("source") or ""))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if (alias.asname or alias.name) == FINDINGS:
                        return f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if (alias.asname or alias.name) == FINDINGS:
                        return alias.name
    return None


def _findings_name(node: ast.expr) -> str | None:
    """NAME when ``node`` is ``findings.NAME``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == FINDINGS:
        return node.attr
    return None


def _template(node: ast.Attribute, findings: str | None) -> Template:
    if findings is None:
        raise SpecError(f"line {node.lineno}: findings.{node.attr} but the notebook does not import findings")
    found = None if node.attr.startswith("_") else getattr(importlib.import_module(findings), node.attr, None)
    if not isinstance(found, Template):
        raise SpecError(f"line {node.lineno}: findings.{node.attr} is not a question template")
    return found


def evaluate(node: ast.expr, findings: str | None = None) -> Any:
    """The value of a literal, of ``findings.NAME(literals)`` (``findings``: the module's name, see
    :func:`findings_module`), of ``sealed("...")``, or the template ``findings.NAME``."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        pass
    if _findings_name(node) is not None:
        return _template(node, findings)
    if isinstance(node, ast.Call) and not node.keywords:
        args = [ast.literal_eval(a) for a in node.args]
        func = node.func
        if getattr(func, "id", getattr(func, "attr", None)) == "sealed":
            return sealed(*args)
        if _findings_name(func) is not None:
            if findings is None:
                raise SpecError(f"line {node.lineno}: findings.{func.attr}(...) but the notebook does not import "
                                "findings")
            function = getattr(importlib.import_module(findings), func.attr, None)
            if callable(function) and not func.attr.startswith("_"):
                return function(*args)
            raise SpecError(f"findings.{func.attr} does not exist")
    raise SpecError(f"line {node.lineno}: values must be literals, findings.NAME(...) or sealed(...)")


@contextlib.contextmanager
def importable_from(folder: str | Path) -> Iterator[None]:
    """While reading a notebook, its own folder is importable, as it is for the notebook's kernel (an exam bank's
    findings module sits beside its notebooks). Only for the teacher's notebooks."""
    entry = str(Path(folder).resolve())
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(entry)


def _calls(tree: ast.AST, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                yield node


def find_calls(nb: dict, name: str) -> list[tuple[int, ast.Call]]:
    """Every call of a function or method called ``name`` in the code cells, with its cell index."""
    found = []
    for index, cell in enumerate(nb.get("cells") or []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source") or "")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # learners' half-written code is not our business here
        found += [(index, call) for call in sorted(_calls(tree, name), key=lambda c: (c.lineno, c.col_offset))]
    return found


def ask_calls(nb: dict, findings: str | None = None) -> list[AskCall]:
    """The ``ask`` calls of a notebook, with their keywords evaluated (``findings``: the findings module, when the
    notebook's import of it was left out)."""
    calls, findings = [], findings or findings_module(nb)
    for index, node in find_calls(nb, "ask"):
        if node.args:
            raise SpecError(f"cell {index + 1}: ask(...) takes keywords only")
        try:
            spec = {kw.arg: evaluate(kw.value, findings) for kw in node.keywords}
        except SpecError as error:
            raise SpecError(f"cell {index + 1}: {error}") from None
        calls.append(AskCall(index, node, spec))
    return calls


def workbook_header(nb: dict) -> dict[str, Any]:
    """The arguments of the notebook's ``Workbook(...)`` call."""
    calls = find_calls(nb, "Workbook")
    if len(calls) != 1:
        raise SpecError(f"expected one Workbook(...) call, found {len(calls)}")
    index, node = calls[0]
    findings = findings_module(nb)
    args = dict(zip(("id", "title", "version", "mode"), (evaluate(a, findings) for a in node.args), strict=False))
    args.update({kw.arg: evaluate(kw.value, findings) for kw in node.keywords})
    if not isinstance(args.get("id"), str):
        raise SpecError(f"cell {index + 1}: Workbook(...) needs an id")
    return args


def parse_workbook(nb: dict) -> WorkbookSpec:
    """The workbook a notebook defines: its header and its questions in order."""
    header = workbook_header(nb)
    spec = WorkbookSpec(id=header["id"], title=header.get("title", ""), version=str(header.get("version", "1")),
                        mode=header.get("mode", "self-study"),
                        feedback=header["feedback"] if isinstance(header.get("feedback"), dict) else None)
    for call in ask_calls(nb):
        try:
            question = make_question(**call.spec)
        except (QuestionError, TypeError) as error:
            raise SpecError(f"cell {call.cell + 1}: {error}") from None
        if question.id in spec.questions:
            raise SpecError(f"cell {call.cell + 1}: question id {question.id!r} is used twice")
        spec.questions[question.id] = question
    return spec
