"""Grading never crashes and accounts for every input, whatever happens to the submissions."""

from __future__ import annotations

import copy
import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import AnswerKey
from innovation_course.classroom.grading.batch import mark_all
from innovation_course.classroom.grading.cli import outputs
from innovation_course.classroom.grading.collect import Submission
from innovation_course.classroom.grading.feedback import feedback_files
from innovation_course.classroom.grading.gradebook import gradebook_csv, resolve_duplicates
from innovation_course.classroom.grading.manual import marking_sheet
from innovation_course.classroom.grading.mark import REJECTED, STATUSES, SUPERSEDED
from innovation_course.engine.records import MIME
from innovation_course.engine.spec import parse_workbook

SOLUTION = synthetic.workbook_notebook()
SPEC = parse_workbook(SOLUTION)
KEY = AnswerKey()
KEY.add(SPEC)
VALID = synthetic.with_answers(SOLUTION, synthetic.correct_answers(SPEC), {"name": "Ann", "id": "a1"})
VALID_BYTES = synthetic.to_bytes(VALID)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def record_outputs(nb: dict) -> list[dict]:
    """The answer outputs still shaped like outputs (earlier edits may have broken others)."""
    cells = nb.get("cells") if isinstance(nb.get("cells"), list) else []
    return [o for c in cells if isinstance(c, dict) and isinstance(c.get("outputs"), list)
            for o in c["outputs"] if isinstance(o, dict) and isinstance(o.get("data"), dict)
            and isinstance(o["data"].get(MIME), dict)]


def some_cell(draw, nb: dict) -> dict | None:
    """A random cell that is still a dict, or None."""
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)] if isinstance(nb.get("cells"), list) else []
    return draw(st.sampled_from(cells)) if cells else None


@st.composite
def json_edit(draw) -> bytes:
    """The valid submission with its records, cells or fields edited at random."""
    nb = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["answer", "field", "drop-field", "remove-cell", "cell-type", "top",
                                       "outputs", "metadata"]))
        found = record_outputs(nb)
        if action in ("answer", "field", "drop-field") and found:
            record = draw(st.sampled_from(found))["data"][MIME]
            if action == "answer":
                record["answer"] = draw(json_values)
            elif action == "field":
                record[draw(st.sampled_from(sorted(record)))] = draw(json_values)
            else:
                record.pop(draw(st.sampled_from(sorted(record))))
        elif action == "remove-cell" and isinstance(nb.get("cells"), list) and nb["cells"]:
            nb["cells"].pop(draw(st.integers(0, len(nb["cells"]) - 1)))
        elif action == "cell-type" and isinstance(nb.get("cells"), list) and nb["cells"]:
            nb["cells"][draw(st.integers(0, len(nb["cells"]) - 1))] = draw(json_values)
        elif action == "outputs" and (cell := some_cell(draw, nb)) is not None:
            cell["outputs"] = draw(json_values)
        elif action == "metadata":
            nb["metadata"] = draw(json_values)
        elif action == "top":
            nb[draw(st.sampled_from(["cells", "nbformat", "metadata"]))] = draw(json_values)
    return json.dumps(nb).encode()


@st.composite
def byte_edit(draw) -> bytes:
    """The valid submission's bytes flipped, cut or spliced."""
    data = bytearray(VALID_BYTES)
    action = draw(st.sampled_from(["flip", "truncate", "insert"]))
    if action == "flip":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    elif action == "truncate":
        del data[draw(st.integers(0, len(data) - 1)):]
    else:
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


submissions = st.lists(st.one_of(json_edit(), byte_edit(), st.just(b"valid"), st.binary(max_size=64)),
                       min_size=1, max_size=5)


def as_submissions(contents: list[bytes]) -> list[Submission]:
    """Submissions of the generated contents (b"valid" stands for the untouched valid notebook)."""
    return [Submission(f"in/{i}.ipynb", f"{i}.ipynb", float(i), data=VALID_BYTES if c == b"valid" else c)
            for i, c in enumerate(contents)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contents=submissions)
def test_mutated_submissions_never_crash_and_are_all_accounted_for(contents):
    subs = as_submissions(contents)
    marked = resolve_duplicates(mark_all(subs, KEY))
    assert sorted(m.origin for m in marked) == sorted(s.origin for s in subs)  # one row per input
    for m in marked:
        assert m.status in STATUSES
        assert "internal error" not in m.reason, m.reason
        if m.status == REJECTED:
            assert m.reason and not m.marks
        elif m.status != SUPERSEDED:
            assert [q.id for q in m.marks] == list(SPEC.questions) and 0 <= m.total <= m.max_points
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(marked).decode("utf-8-sig"))))
    assert sorted(r["source_file"] for r in rows) == sorted(s.origin for s in subs)
    marking_sheet(marked)
    for content in feedback_files(marked).values():
        assert b"<script" not in content


@settings(max_examples=5, deadline=None)
@given(contents=st.lists(st.one_of(json_edit(), byte_edit(), st.just(b"valid")), min_size=8, max_size=12))
def test_the_whole_output_set_survives_mutated_batches(contents):
    files = outputs(resolve_duplicates(mark_all(as_submissions(contents), KEY)), ["a <script> problem"], "s")
    assert b"<script" not in files["report.html"] and b"&lt;script&gt;" in files["report.html"]


def test_every_valid_answer_of_the_right_shape_scores_without_error():
    subs = [Submission("v.ipynb", "v.ipynb", 0.0, data=VALID_BYTES)]
    (marked,) = mark_all(subs, KEY)
    assert marked.status == "graded"
    assert {m.status for m in marked.marks} == {"correct", "to be marked"}
