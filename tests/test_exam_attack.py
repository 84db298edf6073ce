"""The exam attacked as a cheating learner would (issue 20), with the learner edition and their own exam copy:

1. search every string and option of both (explanations unsealed) for hash matches with every key of the learner
   edition, and crack every hashed numeric key by trying every rounding bucket;
2. compute every number the public workbooks can give: the cracked keys, every variant of every template the
   edition's package ships, every number written in the edition;
3. answer the exam copy with the best of it (for each question, the value of the public question whose prompt
   reads most like it; for a choice, an option that is a cracked public answer) and hand it in.

The grader, with the teacher's bank and secret, gives that nothing beyond chance: no numeric exam key is
recovered, choices score what picking at random scores, and the exam's keys are no nearer the attacker's numbers
than any other numbers are. Done for one learner's copy, and for thirty to measure chance.
"""

from __future__ import annotations

import ast
import bisect
import contextlib
import csv
import hashlib
import math
import re
from pathlib import Path

import nbformat
import pytest

from innovation_course import findings
from innovation_course.classroom import build, release
from innovation_course.classroom.exam import BANK
from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.batch import mark_all
from innovation_course.classroom.grading.collect import Submission
from innovation_course.classroom.grading.versions import concrete
from innovation_course.classroom.roster import read_roster
from innovation_course.engine import scoring
from innovation_course.engine.keys import normalise_text
from innovation_course.engine.spec import find_calls, sealed
from innovation_course.engine.templates import Template

ROOT = Path(__file__).resolve().parents[1]
SECRET = bytes(range(32))
CLASS = 30
BUCKETS = 60_000  # every rounding bucket from -60000 to 60000 steps: years, shares, ratios and more
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.fixture(scope="module")
def attack(tmp_path_factory):
    root = tmp_path_factory.mktemp("attack")
    edition = root / "edition"
    release.stage(edition)
    with (root / "roster.csv").open("w", newline="") as out:
        csv.writer(out).writerows([["learner_id", "name"], *[[f"S-{n:03d}", f"Learner {n}"] for n in range(CLASS)]])
    roster = read_roster(root / "roster.csv")
    build.build_exams(BANK, root / "exam", roster, SECRET, ROOT / "solutions")
    (root / "bank").mkdir()
    for path in [*BANK.glob("*.ipynb"), *BANK.glob("*.py")]:
        (root / "bank" / path.name).write_bytes(path.read_bytes())
    (root / "bank" / ".exam-secret").write_text(SECRET.hex())
    return Attacker(edition), root, roster


# -- what the attacker reads -----------------------------------------------------------------------------------
def notebooks(folder: Path) -> list[nbformat.NotebookNode]:
    return [nbformat.read(p, as_version=4) for p in sorted(folder.rglob("*.ipynb"))]


def asks(nb) -> list[dict]:
    """Every ask call's literal keywords (what a learner reads in the cell's source)."""
    found = []
    for _, call in find_calls(nb, "ask"):
        spec = {}
        for kw in call.keywords:
            try:
                spec[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                if isinstance(kw.value, ast.Call) and kw.value.args:  # wb.sealed('...'): unsealed by the attacker
                    spec[kw.arg] = sealed(ast.literal_eval(kw.value.args[0]))
        found.append(spec)
    return found


def strings_of(nb) -> set[str]:
    """Every string the attacker can read: markdown, string constants in code, unsealed explanations."""
    found = set()
    for cell in nb.cells:
        found |= {line.strip() for line in cell.source.splitlines() if line.strip()}
        if cell.cell_type == "code":
            with contextlib.suppress(SyntaxError):
                found |= {n.value for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Constant)
                          and isinstance(n.value, str)}
    for spec in asks(nb):
        for value in spec.values():
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list | tuple):
                found |= {str(v) for v in value}
    return found


def numbers_in(texts) -> set[float]:
    return {float(m.replace(",", "").replace("−", "-")) for t in texts for m in NUMBER.findall(t)}


def digest(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{token}".encode()).hexdigest()[:20]


class Attacker:
    """Everything the learner edition gives away, worked out once."""

    def __init__(self, edition: Path) -> None:
        self.notebooks = notebooks(edition / "notebooks") + notebooks(edition / "exercises")
        self.strings = set().union(*(strings_of(nb) for nb in self.notebooks))
        self.keys = [(spec, spec["key"]) for nb in self.notebooks for spec in asks(nb) if "key" in spec]
        self.cracked: dict[str, list] = {}  # salt → the tokens found
        for _, key in self.keys:
            self.cracked[key["salt"]] = self._crack(key)
        self.public = []  # (prompt, value): every public numeric key, and every variant of every shipped template
        for spec, key in self.keys:
            if "step" in key:
                self.public += [(spec.get("prompt", ""), float(t) * key["step"]) for t in self.cracked[key["salt"]]]
        for template in {t for t in vars(findings).values() if isinstance(t, Template)}:
            for params in template.params:
                made = template.variant(params)
                if isinstance(made.answer, float):
                    self.public.append((made.prompt, made.answer))
        self.numbers = {v for _, v in self.public} | numbers_in(self.strings)

    def _crack(self, key: dict) -> list:
        wanted, salt = set(key["tokens"]), key["salt"]
        if "step" in key:  # a number: every rounding bucket
            prefix = hashlib.sha256(f"{salt}\x1f".encode())
            found = []
            for n in range(-BUCKETS, BUCKETS + 1):
                h = prefix.copy()
                h.update(str(n).encode())
                if h.hexdigest()[:20] in wanted:
                    found.append(n)
            return found
        candidates = self.strings | {normalise_text(s) for s in self.strings}
        candidates |= {f"{s}={b}" for s in self.strings for b in (0, 1)}
        return [t for t in candidates if digest(salt, t) in wanted]

    def answers_for(self, copy) -> dict:
        """The attacker's answer to each question of an exam copy."""
        cracked = {t for tokens in self.cracked.values() for t in tokens if isinstance(t, str)}
        given = {}
        for spec in asks(copy):
            if spec.get("kind") in ("numeric", "computed"):
                words = set(re.findall(r"[a-z]+", spec["prompt"].lower()))
                _, value = max(self.public, key=lambda pv: len(words & set(re.findall(r"[a-z]+", pv[0].lower()))))
                given[spec["id"]] = f"{value:.6g}"
            elif spec.get("kind") == "choice":
                hits = [o for o in spec["options"] if o in cracked]
                given[spec["id"]] = (hits or spec["options"])[0]
        return given


def hand_in(copy, answers: dict, who: str, folder: Path) -> Submission:
    layout = synthetic.answer_layout(copy)
    variants = {s["id"]: s["variant"] for s in asks(copy) if "variant" in s}
    nb = synthetic.with_answers(copy, answers, {"name": who, "id": who}, mode="exam", layout=layout,
                                variants=variants)
    path = folder / f"{who}.ipynb"
    synthetic.save(nb, path)
    return Submission(path.name, path.name, 1.0, path.read_bytes())


def exam_key(root: Path):
    key = load_key(root / "bank")
    key.secret = bytes.fromhex((root / "bank" / ".exam-secret").read_text())
    assert set(key.exam_bank) == {"exam-rd-patents"} and not key.problems
    return key


# -- the attack ------------------------------------------------------------------------------------------------
def test_the_exam_copy_carries_no_key_and_the_edition_none_for_it(attack):
    attacker, root, _ = attack
    copy_text = (root / "exam" / "S-000" / "exam01_rd_patents.ipynb").read_text()
    copy = nbformat.reads(copy_text, as_version=4)
    for spec in asks(copy):
        assert not {"key", "answer", "explanation", "hints", "template", "rubric"} & set(spec), spec["id"]
    assert not re.search(r"\b[0-9a-f]{20}\b", copy_text), "a hash in the exam copy"
    assert "sealed(" not in copy_text and "exam_findings" not in copy_text
    ids = [s["id"] for s in asks(copy)]
    assert attacker.keys and not [k for _, k in attacker.keys if k["salt"].startswith("exam-rd-patents/")]
    everything = "\n".join(nbformat.writes(nb) for nb in attacker.notebooks)
    assert not [i for i in [*ids, "exam-rd-patents"] if i in everything], "an exam id in the learner edition"
    # every string and option of the exam copy, hashed under every salt of the edition: matches only tell
    # public answers, never anything under the exam's salts (there are none)
    exam_strings = strings_of(copy)
    salts = {k["salt"] for _, k in attacker.keys}
    matched = {(salt, s) for salt in salts for s in exam_strings
               if digest(salt, s) in next(k["tokens"] for _, k in attacker.keys if k["salt"] == salt)}
    assert all(not salt.startswith("exam-") for salt, _ in matched)


def test_one_learners_exam_gets_no_numeric_key_and_chance_on_choices(attack, tmp_path):
    attacker, root, _ = attack
    key = exam_key(root)
    copy = nbformat.read(root / "exam" / "S-000" / "exam01_rd_patents.ipynb", as_version=4)
    answers = attacker.answers_for(copy)
    (item,) = mark_all([hand_in(copy, answers, "S-000", tmp_path)], key)
    assert not item.notes, item.notes
    numeric = [m for m in item.marks if m.kind in ("numeric", "computed")]
    assert numeric and all(m.status == scoring.INCORRECT for m in numeric), [(m.id, m.answer) for m in numeric]


def test_thirty_learners_exams_score_at_chance_and_their_keys_are_no_nearer_the_public_numbers(attack, tmp_path):
    """Chance for a number: the attacker's answer to learner i, marked against the other learners' keys. An answer
    that carried anything of learner i's key would be right for i more often than for the others."""
    attacker, root, roster = attack
    key = exam_key(root)
    subs, copies = [], {}
    for member in roster.members:
        copy = nbformat.read(root / "exam" / member.learner_id / "exam01_rd_patents.ipynb", as_version=4)
        copies[member.learner_id] = copy
        subs.append(hand_in(copy, attacker.answers_for(copy), member.learner_id, tmp_path))
    marked = mark_all(subs, key)
    bank = key.specs["exam-rd-patents"].questions
    numeric = {(item.learner.id, m.id): m for item in marked for m in item.marks if m.kind in ("numeric", "computed")}
    own = sum(m.status == scoring.CORRECT for m in numeric.values())
    expected = variance = 0.0
    for (who, qid), m in numeric.items():
        others = [concrete(bank[qid], "exam-rd-patents", o.variant["params"])
                  for (whom, oid), o in numeric.items() if oid == qid and whom != who]
        share = sum(scoring.score(made, made_key, m.answer).status == scoring.CORRECT
                    for made, made_key in others) / len(others)
        expected, variance = expected + share, variance + share * (1 - share)
    assert own <= expected + 3 * math.sqrt(variance) + 1, f"{own} numeric keys right; chance {expected:.1f}"

    choices = [(m, len(next(s for s in asks(copies[item.learner.id]) if s["id"] == m.id)["options"]))
               for item in marked for m in item.marks if m.kind == "choice"]
    right = sum(m.status == scoring.CORRECT for m, _ in choices)
    chance = sum(1 / n for _, n in choices)
    spread = math.sqrt(sum((1 / n) * (1 - 1 / n) for _, n in choices))
    assert right <= chance + 3 * spread, f"{right} choices right; chance {chance:.1f} ± {spread:.1f}"

    # are the exam's keys any nearer the numbers the edition gives than other numbers are?
    public = sorted(attacker.numbers)

    def near(value: float, width: float) -> bool:
        at = bisect.bisect_left(public, value - width)
        return at < len(public) and public[at] <= value + width

    true_hits = decoy_hits = decoys = 0
    for (_, qid), m in numeric.items():
        made, _ = concrete(bank[qid], "exam-rd-patents", m.variant["params"])
        true_hits += near(made.answer, made.tolerance)
        for shift in (-3, -2, -1, 1, 2, 3):
            decoys += 1
            decoy_hits += near(made.answer + shift * 3 * made.tolerance, made.tolerance)
    rate, baseline = true_hits / len(numeric), decoy_hits / decoys
    assert rate <= baseline + 3 * math.sqrt(max(baseline * (1 - baseline), 0.01) / len(numeric)), (rate, baseline)
    print(f"\nattack on {len(marked)} exam copies: {own} of {len(numeric)} numeric answers right "
          f"(chance {expected:.1f}); {right} of {len(choices)} choices right (chance {chance:.1f}); the "
          f"edition's {len(public)} numbers lie within tolerance of {rate:.0%} of the exam keys and of "
          f"{baseline:.0%} of decoys")
