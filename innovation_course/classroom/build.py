"""Build learners' workbooks from the authored solutions: ``innovation-course build``.

solutions/exNN_*.ipynb (mode "solution", answers in plain text)
    → exercises/exNN_*.ipynb (mode "self-study": answers replaced by salted-hash keys, explanations sealed,
      rubrics and solution code removed, outputs cleared), under a feedback policy: practice (default) or,
      with ``--policy homework``, explanations only after a right answer or ``--reveal-after`` tries and
      ``--deduction`` of the points per extra try
    → with ``--exam DIR``: an exam release (mode "exam": no key, no explanations, no hints).

Question, identity and hand-in cells of the copies start with ``from innovation_course.workbook import wb``,
so they work (or say what to do) even when the setup cell has not run. Sentences that describe the
feedback are rewritten for the copy's policy.

The rewrite is deterministic, so ``--check`` can tell whether exercises/ is what the solutions make.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat

from ..engine import records
from ..engine.keys import compile_key
from ..engine.questions import Question, display_order, make_question
from ..engine.scoring import EXAM, HOMEWORK, POLICIES, PRACTICE, normalise_feedback
from ..engine.spec import (
    AskCall,
    SpecError,
    ask_calls,
    find_calls,
    findings_module,
    importable_from,
    parse_workbook,
    seal,
)
from . import ROOT, exam
from .exam import is_exam_bank
from .exam_secret import SECRET_FILE, read_secret
from .grading.identify import safe_id
from .roster import Roster, RosterError, read_roster

SOLUTION_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION[^\n]*\n?", re.M | re.S)
SOLUTION_ONLY_TAG = "solution-only"
DROPPED = {"self-study": ("answer", "rubric"), "exam": ("answer", "rubric", "explanation", "hints", "key")}
WB_IMPORT = "from innovation_course.workbook import wb"
CELL_CALLS = ("ask", "identity", "check")  # cells that get WB_IMPORT
#: the sentence of the solutions' "How to answer" cell that describes practice feedback
PRACTICE_SENTENCE = "You get feedback at once; the hints button gives a nudge."
PRACTICE_WORDS = re.compile(r"feedback (at once|as soon as)|right away", re.I)


def policy_sentence(feedback: dict) -> str:
    """What the "How to answer" cell says about feedback, for a copy's policy."""
    if feedback["policy"] == EXAM:
        return ("Your answers are saved but not marked here, and there are no hints or explanations: your "
                "teacher marks them.")
    if feedback["policy"] == HOMEWORK:
        after = feedback["reveal_after"]
        text = ("Press **Check my answer** to have an answer marked; the explanation appears once it is right"
                + (f" or after {after} tries." if after else "."))
        if feedback["deduction"]:
            text += f" Each try after the first costs {feedback['deduction']:.0%} of the question's points."
        return text + " The hints button gives a nudge."
    return PRACTICE_SENTENCE


def _placeholder(match: re.Match) -> str:
    """What a learner sees instead of the solution code: the variable to compute, set to ``...``."""
    indent, block = match.group(1), match.group(2)
    targets = [node.targets[0].id for node in ast.walk(ast.parse(re.sub(r"^" + indent, "", block, flags=re.M)))
               if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)]
    name = targets[-1] if targets else "value"
    return f"{indent}# Your code here: compute {name} from the data.\n{indent}{name} = ...\n"


def _spans(source: str) -> list[int]:
    """Offsets of the start of each line, to turn (line, column) into a string index."""
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return [*starts, total]


def _replace(source: str, node: ast.AST, text: str) -> str:
    starts = _spans(source)
    encoded = source.encode()  # ast columns count UTF-8 bytes
    begin = len(source[: starts[node.lineno - 1]].encode()) + node.col_offset
    end = len(source[: starts[node.end_lineno - 1]].encode()) + node.end_col_offset
    return (encoded[:begin] + text.encode() + encoded[end:]).decode()


#: what an exam copy writes of a learner's variant of a template question (no answer, explanation or hint)
VARIANT_FIELDS = ("id", "kind", "prompt", "options", "pairs", "unit", "tolerance", "rel_tolerance", "points",
                  "source", "variant")


def variant_spec(question: Question) -> dict:
    """The literal keywords of one variant of a template question, as an exam copy asks it."""
    spec = {name: getattr(question, name) for name in VARIANT_FIELDS}
    spec = {name: list(v) if isinstance(v, tuple) else v for name, v in spec.items() if v not in (None, "", ())}
    return {**spec, "variant": {k: v for k, v in question.variant.items() if k != "draw"}}


def ask_source(call: AskCall, func: str, workbook: str, mode: str,
               variant_of: Callable[[Question], Question] | None = None) -> str:
    """The ``ask(...)`` call a learner's workbook carries for one question. A template question keeps its
    ``template=findings.NAME`` in a learner's workbook; an exam copy asks the learner's variant (``variant_of``)
    in literals."""
    spec = dict(call.spec)
    template = next((kw.value for kw in call.node.keywords if kw.arg == "template"), None)
    if template is not None and mode == "exam":
        if variant_of is None:
            raise SpecError(f"question {spec.get('id')!r} has a version per learner: an exam with it is built for "
                            "each learner of a roster (build --exam DIR --roster CSV)")
        spec, template = variant_spec(variant_of(make_question(**spec))), None
    if mode == "self-study" and template is None:
        key = compile_key(make_question(**spec), workbook, hashed=True)
        if key is not None:
            spec["key"] = key
    for name in DROPPED[mode]:
        spec.pop(name, None)
    if spec.get("kind") == "ordering" and "options" in spec:  # the authored order is the answer
        spec["options"] = display_order(spec["id"], spec["options"])
    unseal = func[: -len("ask")] + "sealed"  # wb.ask → wb.sealed, so the workbook needs no extra import
    lines = [f"{func}("]
    for name, value in spec.items():
        if name == "template" and template is not None:
            lines.append(f"    template={ast.unparse(template)},")  # findings.NAME, as the author wrote it
        elif name == "explanation" and value:
            lines.append(f"    explanation={unseal}({seal(value)!r}),")
        else:
            lines.append(f"    {name}={value!r},")
    return "\n".join([*lines, ")"])


def _calls_in(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "wb"}


def _describe_policy(cell: nbformat.NotebookNode, feedback: dict, origin: str, index: int) -> None:
    if feedback["policy"] == PRACTICE:
        return
    cell.source = cell.source.replace(PRACTICE_SENTENCE, policy_sentence(feedback))
    if PRACTICE_WORDS.search(cell.source):
        raise SpecError(f"{origin}: cell {index + 1} promises instant feedback, which a {feedback['policy']} copy "
                        f"does not give; word it as build.PRACTICE_SENTENCE so the build can rewrite it")


def findings_import(nb: dict) -> str | None:
    """The line that imports a notebook's findings module as ``findings`` (for cells run before the setup cell)."""
    module = findings_module(nb)
    if module is None:
        return None
    package, _, name = module.rpartition(".")
    if not package:
        return f"import {module} as findings"
    return f"from {package} import {name}" + ("" if name == "findings" else " as findings")


def build_notebook(nb: nbformat.NotebookNode, mode: str, origin: str, feedback: dict | None = None,
                   variant_of: Callable[[Question], Question] | None = None) -> nbformat.NotebookNode:
    """A learner's copy (``mode`` "self-study" or "exam") of a solution notebook, under a feedback policy; an exam
    copy asks each template question as ``variant_of(question)``, its learner's variant."""
    feedback = normalise_feedback({"policy": EXAM} if mode == "exam" else feedback)
    if mode != "exam" and feedback["policy"] == EXAM:
        raise SpecError("the exam policy is built with --exam DIR")
    if mode != "exam" and is_exam_bank(nb):
        raise SpecError(f"{origin} is in the exam bank: it is built only as exam copies (build --exam)")
    spec = parse_workbook(nb)
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if SOLUTION_ONLY_TAG not in c.get("metadata", {}).get("tags", [])]
    calls = {(c.cell, c.node.lineno, c.node.col_offset): c for c in ask_calls(out, findings_module(nb))}
    header = find_calls(out, "Workbook")[0]
    if not any(kw.arg == "mode" for kw in header[1].keywords):
        raise SpecError(f"{origin}: Workbook(...) needs mode=\"solution\" so the build can rewrite it")
    for index, cell in enumerate(out.cells):
        if cell.cell_type == "markdown":
            _describe_policy(cell, feedback, origin, index)
        if cell.cell_type != "code":
            continue
        source = cell.source
        edits = [(c.node, ask_source(c, ast.get_source_segment(source, c.node.func), spec.id, mode, variant_of))
                 for key, c in calls.items() if key[0] == index]
        if header[0] == index:
            edits += [(kw.value, repr(mode)) for kw in header[1].keywords if kw.arg == "mode"]
            edits += [(kw.value, repr(feedback)) for kw in header[1].keywords if kw.arg == "feedback"]
        for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
            source = _replace(source, node, text)
        if header[0] == index and feedback["policy"] == HOMEWORK and not any(
                kw.arg == "feedback" for kw in header[1].keywords):
            call = find_calls({"cells": [{"cell_type": "code", "source": source}]}, "Workbook")[0][1]
            text = ast.get_source_segment(source, call).rstrip()
            source = _replace(source, call, f"{text[:-1].rstrip().rstrip(',')}, feedback={feedback!r})")
        if header[0] != index and _calls_in(source) & set(CELL_CALLS) and WB_IMPORT not in source:
            templates = mode != "exam" and any(k[0] == index and "template" in c.spec for k, c in calls.items())
            imports = [*([findings_import(nb)] if templates and findings_import(nb) else []), WB_IMPORT]
            source = "\n".join(imports) + f"\n\n{source}"
        cell.source = SOLUTION_BLOCK.sub(_placeholder, source)
        if any(key[0] == index for key in calls):  # learners see the question, not its code
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        cell.outputs, cell.execution_count = [], None
    out.metadata[records.METADATA_KEY] = {"workbook": spec.id, "version": spec.version, "mode": mode,
                                          "feedback": feedback, "built_from": origin}
    return out


def build(solutions: Path, target: Path, mode: str = "self-study", check: bool = False,
          feedback: dict | None = None) -> list[str]:
    """Build every workbook of ``solutions`` into ``target``; with ``check``, only list what differs."""
    differences = []
    sources = sorted(solutions.glob("ex*.ipynb"))
    if not sources:
        raise SystemExit(f"no workbooks (ex*.ipynb) in {solutions}")
    if not check:
        target.mkdir(parents=True, exist_ok=True)
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        text = nbformat.writes(build_notebook(nb, mode, f"solutions/{path.name}", feedback)) + "\n"
        destination = target / path.name
        current = destination.read_text(encoding="utf-8") if destination.exists() else None
        if current != text:
            differences.append(str(destination))
            if not check:
                destination.write_text(text, encoding="utf-8")
    if check:
        built = {p.name for p in sources}
        differences += [str(p) for p in sorted(target.glob("*.ipynb")) if p.name not in built]
    return differences


def build_exams(bank: Path, target: Path, roster: Roster, secret: bytes, solutions: Path) -> list[Path]:
    """Every roster learner's copy of every exam bank notebook, in ``target/<learner id>/`` (see :mod:`exam`)."""
    paths = exam.bank_notebooks(bank)
    if not paths:
        raise exam.ExamError(f"no exam bank notebooks in {bank}: write them there (docs/authoring.md, Exams)")
    written = []
    with importable_from(bank):
        notebooks = {}
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            notebooks[parse_workbook(nb).id] = (nb, path)
        exam.check_bank(notebooks, exam.public_question_ids(solutions))
        for member in roster.members:
            folder = target / safe_id(member.learner_id)
            folder.mkdir(parents=True, exist_ok=True)
            for workbook, (nb, path) in notebooks.items():
                origin = f"{bank.name}/{path.name}"
                copy = build_notebook(nb, "exam", origin, variant_of=exam.chooser(member.learner_id, workbook, secret))
                copy = exam.finish_copy(copy, member.learner_id, origin)
                (folder / path.name).write_text(nbformat.writes(copy) + "\n", encoding="utf-8")
                written.append(folder / path.name)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions", help="authored workbooks")
    parser.add_argument("--out", type=Path, default=ROOT / "exercises", help="where learners' copies go")
    parser.add_argument("--exam", type=Path, metavar="DIR",
                        help="also write exam copies (no key, no feedback, a variant per learner) to DIR/<learner>/, "
                             "from the exam bank, for each learner of --roster")
    parser.add_argument("--bank", type=Path, default=exam.BANK, help="with --exam: the exam bank (default: "
                        "solutions/exam)")
    parser.add_argument("--roster", type=Path, help="with --exam: the class list (learner_id[, name, account]) or "
                        "Canvas's gradebook export")
    parser.add_argument("--exam-secret", type=Path, metavar="FILE", help=f"with --exam: the exam's secret "
                        f"(default: BANK/{SECRET_FILE}, made at the first build)")
    parser.add_argument("--check", action="store_true", help="change nothing; fail if --out is out of date")
    parser.add_argument("--policy", choices=[p for p in POLICIES if p != EXAM], default=PRACTICE,
                        help="feedback in the copies: practice (explanation after any answer, the default) or "
                             "homework (a Check button; explanation after a right answer or --reveal-after tries)")
    parser.add_argument("--reveal-after", type=int, default=3, metavar="N",
                        help="homework: show the explanation after N tries even when not right (0: only when "
                             "right; default 3)")
    parser.add_argument("--deduction", type=float, default=0.0, metavar="X",
                        help="homework: share of a question's points taken per try after the first (default 0)")


def run(args: argparse.Namespace) -> int:
    try:
        feedback = normalise_feedback({"policy": args.policy, "reveal_after": args.reveal_after,
                                       "deduction": args.deduction})
    except ValueError as error:
        print(f"innovation-course build: {error}", file=sys.stderr)
        return 2
    if args.exam and not args.roster:
        print("innovation-course build: --exam needs --roster: each learner gets their own copy", file=sys.stderr)
        return 2
    changed = build(args.solutions, args.out, "self-study", check=args.check, feedback=feedback)
    if args.check:
        for path in changed:
            print(f"out of date: {path}", file=sys.stderr)
        print("exercises are up to date" if not changed else "run `innovation-course build` to rebuild them")
        return 1 if changed else 0
    print(f"built {args.out}: {len(changed)} workbook(s) changed")
    if args.exam:
        try:
            roster = read_roster(args.roster)
            secret = read_secret(args.exam_secret or args.bank / SECRET_FILE, create=True)
            written = build_exams(args.bank, args.exam, roster, secret, args.solutions)
        except (RosterError, SpecError) as error:
            print(f"innovation-course build: {error}", file=sys.stderr)
            return 2
        print(f"exam copies written to {args.exam}: {len(written)} notebook(s) for {len(roster.members)} learner(s), "
              f"no key inside; grade with --key {args.bank}")
    return 0
