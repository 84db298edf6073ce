"""Grading outputs: deterministic, atomic, only inside DIR, escaped; the marking sheet and LMS files."""

from __future__ import annotations

import csv
import html
import io
import random
import re
from pathlib import Path

import pytest

from innovation_course.classroom.cli import main
from innovation_course.classroom.grading import atomic, batch, synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.collect import collect
from innovation_course.classroom.grading.gradebook import defuse, undefuse
from innovation_course.classroom.grading.progress import Progress
from innovation_course.engine.spec import parse_workbook

DEMO = synthetic.DEMO_ID
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def write_class(folder: Path, n: int, seed: int = 7) -> Path:
    """``n`` learners' submissions with random answers, Canvas-named."""
    solution = synthetic.workbook_notebook()
    spec = parse_workbook(solution)
    rng = random.Random(seed)
    for i in range(n):
        who = {"name": f"Learner {i}", "id": f"2025{i:04d}"}
        nb = synthetic.with_answers(solution, synthetic.random_answers(spec, rng), who)
        synthetic.save(nb, folder / f"learner{i}_{100 + i}_{900 + i}_{DEMO}.ipynb")
    return folder


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return synthetic.write_key(tmp_path / "key")


def run(key: Path, out: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["grade", *map(str, inputs), "--out", str(out), "--key", str(key), *extra])


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_inputs_give_byte_identical_outputs(key, tmp_path):
    inputs = write_class(tmp_path / "in", 12)
    assert run(key, tmp_path / "one", inputs, extra=("--jobs", "1")) == 0
    assert run(key, tmp_path / "two", inputs, extra=("--jobs", "1")) == 0
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert first == second and len(first) == 5 + 12


def test_parallel_and_serial_grading_agree(key, tmp_path, monkeypatch):
    inputs = write_class(tmp_path / "in", 30)
    assert run(key, tmp_path / "serial", inputs, extra=("--jobs", "1")) == 0
    monkeypatch.setattr(batch, "SERIAL_BELOW", 2)
    monkeypatch.setattr(batch, "CHUNK", 4)
    assert batch.workers_for(30, 2) == 2
    assert run(key, tmp_path / "parallel", inputs, extra=("--jobs", "2")) == 0
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def test_an_interrupted_run_leaves_the_previous_outputs_whole(key, tmp_path, monkeypatch):
    inputs = write_class(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert run(key, out, inputs) == 0
    before = tree(out)
    write_class(tmp_path / "in", 4, seed=99)  # different answers: every output would change

    def failing_exchange(a, b):
        raise OSError("disk full")

    monkeypatch.setattr(atomic, "exchange", failing_exchange)
    with pytest.raises(OSError, match="disk full"):
        atomic.replace_set(out, {"gradebook.csv": b"new"}, {})
    assert run(key, out, inputs) == 2  # the CLI says it in one line
    assert tree(out) == before and atomic.check_set(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "key", "out"]  # no staging


def test_nothing_is_written_outside_the_output_folder(key, tmp_path):
    who = {"name": "../../../evil", "id": "../../../../tmp/evil/../x"}
    nb = synthetic.with_answers(synthetic.workbook_notebook(), {"essay": "hi"}, who)
    synthetic.save(nb, tmp_path / "in" / "evil.ipynb")
    synthetic.save(synthetic.with_answers(synthetic.workbook_notebook(), {}, {"name": "n", "id": "/abs/path"}),
                   tmp_path / "in" / "abs.ipynb")
    before = {p for p in tmp_path.parent.rglob("*")}
    assert run(key, tmp_path / "out", tmp_path / "in") == 0
    new = {p for p in tmp_path.parent.rglob("*")} - before
    assert new and all((tmp_path / "out") in p.parents or p == tmp_path / "out" for p in new)
    pages = sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir())
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", name) for name in pages), pages


def test_atomic_writes_refuse_paths_outside(tmp_path):
    for bad in ("../x.html", "/etc/x", "feedback/../../x", "a//b", "feedback/./x"):
        with pytest.raises(atomic.OutsideError):
            atomic.write_all(tmp_path / "out", {bad: b"x"})
    assert not list(tmp_path.parent.glob("x*"))


def test_stale_feedback_pages_are_removed_and_the_teachers_files_kept(key, tmp_path):
    out = tmp_path / "out"
    inputs = write_class(tmp_path / "in", 3)
    assert run(key, out, inputs) == 0
    (out / "notes.txt").write_text("the teacher's own file")
    (inputs / f"learner2_102_902_{DEMO}.ipynb").unlink()
    assert run(key, out, inputs) == 0
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["canvas-100.html", "canvas-101.html"]
    assert (out / "notes.txt").read_text() == "the teacher's own file"


def test_html_and_script_are_escaped_in_every_html_output(key, tmp_path):
    who = {"name": EVIL, "id": EVIL}
    answers = {"essay": EVIL, "district": EVIL, "plan-year": EVIL, EVIL[:8].lower(): 1}
    synthetic.save(synthetic.with_answers(synthetic.workbook_notebook(), answers, who), tmp_path / "in" / "a.ipynb")
    data = synthetic.to_bytes(synthetic.with_answers(synthetic.workbook_notebook(), answers, None))
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(f"{EVIL}.ipynb", data)
        zf.writestr(f"{EVIL}.txt", b"x")
    (tmp_path / "in" / "b.zip").write_bytes(buffer.getvalue())
    assert run(key, tmp_path / "out", tmp_path / "in") == 0
    outputs = tree(tmp_path / "out")
    for name, content in outputs.items():
        text = content.decode("utf-8-sig")
        if name.endswith(".html"):
            assert "<script" not in text.lower() and "<img src=x" not in text, name
            assert "onerror=alert(1)&gt;" in text or name == "report.html", name
    # the CSV files keep the text exactly (they are data, read by spreadsheets and LMSs, never as HTML)
    sheet = read_csv(tmp_path / "out" / "marking-sheet.csv")
    assert EVIL in {row["answer"] for row in sheet}


def test_spreadsheet_formulas_are_defused_and_read_back():
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", ""):
        cell = defuse(text)
        assert not cell.startswith(("=", "+", "-", "@")) and undefuse(cell) == text


def test_the_documented_columns_are_the_columns_written(key, tmp_path):
    assert run(key, tmp_path / "out", write_class(tmp_path / "in", 3)) == 0
    docs = (Path(__file__).parents[1] / "docs" / "grading.md").read_text()
    for name in ("gradebook.csv", "marking-sheet.csv"):
        for column in read_csv(tmp_path / "out" / name)[0]:
            if not column.startswith("q:"):
                assert f"`{column}`" in docs, column


def test_the_marking_sheet_merges_back_into_the_totals(key, tmp_path):
    inputs = write_class(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert run(key, out, inputs) == 0
    before = {r["learner_id"]: r for r in read_csv(out / "gradebook.csv")}
    sheet = read_csv(out / "marking-sheet.csv")
    assert [r["question"] for r in sheet] == ["essay"] * 3 and all(r["points"] == "" for r in sheet)
    assert list(sheet[0]) == ["learner_id", "name", "workbook", "question", "max_points", "answer", "answer_sha",
                              "points", "comment", "note"]
    sheet[0].update(points="2.5", comment="Good <b>point</b>")
    sheet[1].update(points="7")          # above max 3
    sheet[2].update(points="abc")        # not a number
    sheet.append({**sheet[0], "learner_id": "nobody", "points": "1"})
    sheet.append({**sheet[0], "question": "plan-year", "points": "1"})  # not a free response
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    assert run(key, out, inputs, extra=("--manual", str(filled))) == 0
    after = {r["learner_id"]: r for r in read_csv(out / "gradebook.csv")}
    first, second = sheet[0]["learner_id"], sheet[1]["learner_id"]
    assert after[first]["q:essay"] == "2.5"
    assert float(after[first]["total"]) == pytest.approx(float(before[first]["total"]) + 2.5)
    assert "to be marked" not in after[first]["reason"] and "to be marked" in after[second]["reason"]
    assert after[second]["total"] == before[second]["total"]
    report = (out / "report.html").read_text()
    for problem in ("outside 0..3", "'abc' are not a number", "learner 'nobody'", "'plan-year'"):
        assert html.escape(problem) in report, problem
    page = (out / "feedback" / f"{first}.html").read_text()
    assert "Good &lt;b&gt;point&lt;/b&gt;" in page and "marked by your teacher" in page
    merged = {r["learner_id"]: r for r in read_csv(out / "marking-sheet.csv")}
    assert merged[first]["points"] == "2.5" and merged[second]["points"] == "7"  # kept as typed, not applied
    assert merged[second]["note"] == "not applied: points 7 are outside 0..3"


def test_a_semicolon_sheet_with_decimal_commas_is_read(key, tmp_path):
    inputs = write_class(tmp_path / "in", 1)
    assert run(key, tmp_path / "out", inputs) == 0
    row = read_csv(tmp_path / "out" / "marking-sheet.csv")[0]
    filled = tmp_path / "filled.csv"
    filled.write_text(f"learner_id;workbook;question;points;comment\n{row['learner_id']};{DEMO};essay;1,5;ok\n",
                      encoding="utf-8-sig")
    assert run(key, tmp_path / "out", inputs, extra=("--manual", str(filled))) == 0
    assert read_csv(tmp_path / "out" / "gradebook.csv")[0]["q:essay"] == "1.5"


def test_cli_end_to_end_summary_and_exit_codes(key, tmp_path, capsys):
    inputs = write_class(tmp_path / "in", 5)
    synthetic.save(synthetic.workbook_notebook(), tmp_path / "in" / "zz-copy.ipynb")  # identity "solution"
    (tmp_path / "in" / "broken.ipynb").write_text("{")
    assert run(key, tmp_path / "out", inputs) == 0
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r"graded 6 submissions from 7 inputs: 1 rejected, 0 duplicates; mean \d+\.\d %; "
                        r"6 answers still to mark \(marking-sheet.csv\); "
                        rf"wrote {re.escape(str(tmp_path / 'out'))}/", line), line
    report = (tmp_path / "out" / "report.html").read_text()
    charts = re.findall(r'<figure class="chart">.*?</figure>', report, re.S)
    assert len(charts) == 2 and "<img" not in report and "<script" not in report
    for chart in charts:  # a title, both axes named with units, a text summary and a source line
        assert re.search(r"<figcaption><strong>(Score distribution|Question difficulty): ", chart)
        assert len(re.findall(r'<th scope="col">[^<]+\([^)]+\)</th>', chart)) == 2
        assert re.search(r'<p class="summary">[^<]{40,}</p>', chart) and "Source: this run&#x27;s 6 counted" in chart
    assert "Commonest wrong answers" in report and "broken.ipynb" in report
    assert main(["grade", str(inputs), "--out", str(tmp_path / "o2"), "--key", str(tmp_path / "nokey")]) == 2
    (tmp_path / "file").write_text("x")
    assert run(key, tmp_path / "file", inputs) == 2
    assert run(key, tmp_path / "o3", tmp_path / "in" / "broken.ipynb") == 1


def test_a_built_exercise_key_grades_like_the_solutions(tmp_path):
    inputs = write_class(tmp_path / "in", 6)
    plain = synthetic.write_key(tmp_path / "plain")
    hashed = synthetic.write_key(tmp_path / "hashed", hashed=True)
    assert run(plain, tmp_path / "a", inputs) == 0 and run(hashed, tmp_path / "b", inputs) == 0
    assert (tmp_path / "a" / "gradebook.csv").read_bytes() == (tmp_path / "b" / "gradebook.csv").read_bytes()


def test_the_key_reports_bad_and_repeated_workbooks(tmp_path):
    folder = synthetic.write_key(tmp_path / "key")
    synthetic.save(synthetic.workbook_notebook(), folder / "copy.ipynb")
    (folder / "broken.ipynb").write_text("{}")
    key = load_key(folder)
    assert list(key.specs) == [DEMO] and len(key.problems) == 2


def test_feedback_marks_free_responses_to_be_marked(key, tmp_path):
    assert run(key, tmp_path / "out", write_class(tmp_path / "in", 1)) == 0
    page = next((tmp_path / "out" / "feedback").glob("*.html")).read_text()
    assert "to be marked by your teacher" in page
    for column in ("Prompt", "Your answer", "Result", "Explanation"):
        assert f">{column}</th>" in page


def test_progress_bar_draws_only_when_asked():
    stream = io.StringIO()
    with Progress(3, "grading", stream) as bar:  # StringIO is not a terminal
        bar.advance(3)
    assert stream.getvalue() == ""
    with Progress(3, "grading", stream, enabled=True) as bar:
        for _ in range(3):
            bar.advance()
    assert "3/3 100%" in stream.getvalue() and stream.getvalue().endswith("\n")


def test_collect_skips_checkpoints_hidden_files_and_the_output_folder(key, tmp_path):
    inputs = write_class(tmp_path / "in", 2)
    synthetic.save(synthetic.workbook_notebook(), inputs / ".ipynb_checkpoints" / "x-checkpoint.ipynb")
    (inputs / ".DS_Store").write_bytes(b"\0")
    assert run(key, inputs / "out", inputs) == 0
    assert run(key, inputs / "out", inputs) == 0  # its own outputs are not graded the second time
    assert len(collect([inputs], exclude=inputs / "out")) == 2


def test_report_charts_bin_and_scale_the_numbers_they_print():
    from innovation_course.classroom.grading.report import difficulty_chart, distribution_chart

    chart = distribution_chart("ex01", [0.0, 9.9, 10.0, 55.0, 99.0, 100.0])
    rows = re.findall(r'<th scope="row">([^<]+)</th><td><div class="row"><span class="bar distribution" '
                      r'style="width:([\d.]+)%"></span><span class="value">(\d+)</span>', chart)
    assert [(label, int(n)) for label, _, n in rows] == [
        ("0–10", 2), ("10–20", 1), ("20–30", 0), ("30–40", 0), ("40–50", 0), ("50–60", 1), ("60–70", 0),
        ("70–80", 0), ("80–90", 0), ("90–100", 2)]
    assert [float(w) for _, w, _ in rows][:3] == [100.0, 50.0, 0.0]  # drawn against the largest bin
    assert "mean 45.6 %, median 32.5 %, lowest 0.0 %, highest 100.0 %" in chart
    chart = difficulty_chart("ex01", {"b-<q>": 75.0, "a": 12.5}, 8)
    assert re.findall(r'<th scope="row">([^<]+)</th>.*?width:([\d.]+)%.*?"value">([^<]+)<', chart) == [
        ("a", "12.5", "12 %"), ("b-&lt;q&gt;", "75.0", "75 %")]  # hardest first; ids escaped
    assert "hardest a (12 %), easiest b-&lt;q&gt; (75 %)" in chart and "8 counted submissions" in chart


def test_feedback_pages_print_computed_numbers_rounded_not_as_raw_floats():
    """Issue 18: feedback pages printed 5.498002784344002."""
    from innovation_course.classroom.grading.feedback import shown_answer

    assert shown_answer(5.498002784344002) == "5.498"
    assert shown_answer(0.14288000000000001) == "0.1429" and shown_answer(2021) == "2021"
    assert shown_answer(123456.789) == "123,457" and shown_answer(1.5e-7) == "1.500e-07"
    assert shown_answer("0,14") == "0,14" and shown_answer(None) == ""
    assert shown_answer(5.498002784344002, 3) == "5.498" and shown_answer(12345.6789, 2) == "12,345.68"


def test_feedback_pages_show_numbers_as_precisely_as_the_question_shows_its_tolerance(tmp_path):
    """Issue 18: a computed answer on the feedback page has the decimals of the tolerance its prompt shows, plus
    one (±0.5 → 2), so 42.30000000000001 reads 42.30 and an answer is never rounded across the tolerance's edge."""
    import json

    import nbformat
    from browser_support import demo_solution

    from innovation_course.engine.questions import make_question

    def decimals(**tolerance):
        return make_question(id="q", kind="computed", prompt="?", answer=1.0, **tolerance).shown_decimals()

    assert [decimals(tolerance=t) for t in (0.5, 0.05, 1, 100, 0.001)] == [2, 3, 1, 1, 4]
    assert decimals(rel_tolerance=0.01) is None and decimals() is None
    solution = json.loads(nbformat.writes(demo_solution()))  # demo-computed: 42 ± 0.5
    nbformat.write(nbformat.from_dict(solution), tmp_path / "key.ipynb")
    answered = synthetic.with_answers(solution, {"demo-computed": 42.30000000000001}, {"name": "A", "id": "1"})
    synthetic.save(answered, tmp_path / "in" / "a.ipynb")
    assert run(tmp_path / "key.ipynb", tmp_path / "out", tmp_path / "in") == 0
    page = next((tmp_path / "out" / "feedback").glob("*.html")).read_text(encoding="utf-8")
    assert '<td class="answer">42.30</td>' in page and "42.3000" not in page
