"""Grading benchmark: N synthetic submissions through the real pipeline (``innovation-course grade``).

Submissions are answered at random from the course's solutions when ``solutions/`` holds workbooks, else from
synthetic demo workbooks, and packed into one Canvas-style zip (``--files`` for loose files instead). With
``--templates`` (the default) one workbook in every ``len(workbooks) + 1`` is a homework of question templates
(a version per learner, :data:`TEMPLATES`), answered in each learner's own variants; the grader gets the roster
that maps each Canvas account to its learner ID, and works every variant out again. The grader runs as its own
process, as a teacher runs it (start-up included). Prints submissions per second, the grader's peak memory
(its largest process) and the number of worker processes.
Target on the 2-core reference machine: at least 200 submissions per second.

    python benchmarks/grade_bench.py [--n 1000] [--jobs N] [--files] [--no-templates] [--keep DIR]
    python benchmarks/grade_bench.py --hostile [--jobs N]

``--hostile`` grades instead the inputs of issue 17 that once stopped or swamped the grader, beside a class of
14: six learners' zips of about 200 KB that expand to 114 MB each, a learner's slow nested zip of LZMA members,
a folder with 21 hard links to one 20 MB notebook, a FIFO and a link to ``/dev/zero`` named like workbooks; it
prints the run's time and the grader's peak memory (target: under 1 GB; every classmate graded).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat

from innovation_course.classroom.grading import synthetic
from innovation_course.classroom.grading.answerkey import load_key
from innovation_course.classroom.grading.batch import default_jobs, workers_for

ROOT = Path(__file__).resolve().parents[1]
TARGET_PER_SECOND = 200
#: the homework of question templates: every kind of template the course has, numbers and a choice
TEMPLATES = ("intensity_in_year", "spending_multiple", "basic_share_in_year", "region_share", "region_intensity",
             "pct_share_in_year", "ip_ratio_in_year", "invention_share_in_year", "growth_over_ten_years",
             "highest_spender", "spender_order", "sector_share_in_year", "ev_share_in_year")
VERSIONS = "zz-versions"


def versions_notebook() -> nbformat.NotebookNode:
    """A homework of template questions, one per template (graded: each learner's own variants)."""
    cells = [nbformat.v4.new_code_cell("from innovation_course import findings\nfrom innovation_course.workbook "
                                       f"import Workbook\n\nwb = Workbook({VERSIONS!r}, mode=\"solution\")"),
             nbformat.v4.new_code_cell("wb.identity()")]
    cells += [nbformat.v4.new_code_cell(f'wb.ask(id="v-{n}", template=findings.{name}, points=1)')
              for n, name in enumerate(TEMPLATES)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["innovation_course"] = {"workbook": VERSIONS, "feedback": {"policy": "homework", "reveal_after": 3,
                                                                          "deduction": 0.0}}
    return nb


def key_folder(work: Path, templates: bool) -> tuple[Path, str]:
    """The real solutions when they parse, else three synthetic workbooks written under ``work``; with
    ``templates``, copied beside the homework of template questions."""
    real = ROOT / "solutions"
    if any(real.glob("*.ipynb")) and load_key(real).specs and not load_key(real).problems:
        folder, source = real, "solutions/"
    else:
        folder = synthetic.write_key(work / "key", workbooks=("ex01-demo", "ex02-demo", "ex03-demo"))
        source = "synthetic demo workbooks"
    if not templates:
        return folder, source
    (work / "key-versions").mkdir(exist_ok=True)
    for path in folder.glob("*.ipynb"):
        shutil.copy(path, work / "key-versions" / path.name)
    nbformat.write(versions_notebook(), work / "key-versions" / f"{VERSIONS}.ipynb")
    return work / "key-versions", f"{source} and a homework of {len(TEMPLATES)} template questions"


def make_submissions(key: Path, n: int, work: Path, loose: bool, seed: int = 2025) -> Path:
    """``n`` answered copies of the key's workbooks, Canvas-named, in a zip (or a folder); ``work/roster.csv``
    maps each Canvas account to the learner ID its variants were drawn for."""
    rng = random.Random(seed)
    sources = sorted(key.glob("*.ipynb"))
    notebooks = [json.loads(p.read_text(encoding="utf-8")) for p in sources]
    specs = [load_key(p).specs for p in sources]
    layouts = [synthetic.answer_layout(nb) for nb in notebooks]
    members, roster = {}, ["learner_id,name,account"]
    for i in range(n):
        index = i % len(notebooks)
        (spec,) = specs[index].values()
        who = {"name": f"Learner {i}", "id": f"2025{i:05d}"}
        roster.append(f"{who['id']},{who['name']},canvas-{10000 + i}")
        answers, variants = synthetic.variant_answers(spec, rng, learner=who["id"])
        answered = synthetic.with_answers(notebooks[index], answers, who, layout=layouts[index], variants=variants)
        members[f"learner{i}_{10000 + i}_{50000 + i}_{sources[index].name}"] = synthetic.to_bytes(answered)
    (work / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    if loose:
        folder = work / "submissions"
        for name, data in members.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return folder
    target = work / "submissions.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 9, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def hostile_inputs(key: Path, work: Path) -> tuple[list[Path], int]:
    """Issue 17's hostile inputs beside a class of 14 (Canvas-named); the inputs and how many are real."""
    source = sorted(key.glob("*.ipynb"))[0]
    nb = json.loads(source.read_text(encoding="utf-8"))
    (spec,) = load_key(source).specs.values()
    rng = random.Random(17)
    members = {f"learner{i}_{1000 + i}_{5000 + i}_{source.name}": synthetic.to_bytes(synthetic.with_answers(
        nb, synthetic.random_answers(spec, rng), {"name": f"Learner {i}", "id": f"{i}"})) for i in range(14)}
    bomb = zipped({f"part{i}.ipynb": bytes(19 * 2**20) for i in range(6)})
    members.update({f"eve{n}_{n + 1}_{n + 50}_work.zip": bomb for n in range(6)})
    members["slow_99_98_work.zip"] = zipped({f"part{i}.ipynb": bytes(15 * 2**20) for i in range(6)}, zipfile.ZIP_LZMA)
    (work / "canvas.zip").write_bytes(zipped(members))
    folder = work / "folder"
    folder.mkdir()
    big = json.loads(json.dumps(nb))
    big["cells"][0]["source"] = "x" * (20 * 2**20 - 200_000)
    (folder / source.name).write_bytes(synthetic.to_bytes(big))
    for n in range(20):
        os.link(folder / source.name, folder / f"copy{n:02d}.ipynb")
    os.mkfifo(folder / "ex01_pipe.ipynb")
    (folder / "ex01_zero.ipynb").symlink_to("/dev/zero")
    return [work / "canvas.zip", folder], 14


def run_hostile(jobs: int, work: Path) -> int:
    key, source = key_folder(work, templates=False)
    inputs, classmates = hostile_inputs(key, work)
    size = (work / "canvas.zip").stat().st_size
    print(f"built issue 17's hostile inputs beside {classmates} learners from {source} "
          f"(canvas.zip {size / 2**20:.1f} MB; a folder of 21 hard links to one 20 MB file, a FIFO, /dev/zero)")
    command = [sys.executable, "-m", "innovation_course.classroom.cli", "grade", *map(str, inputs),
               "--out", str(work / "out"), "--key", str(key), "--jobs", str(jobs), "--time-limit", "1"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    print(done.stdout.strip() or done.stderr.strip()[-500:])
    rows = list(csv.DictReader(io.StringIO((work / "out" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    graded = sum(1 for r in rows if r["status"] != "rejected")
    print(f"{len(rows)} rows, {graded} graded ({classmates} classmates + the one of 21 hard links) in {seconds:.1f} s "
          f"with --time-limit 1")
    print(f"peak memory of the grader: {peak_children_mb():.0f} MB (largest process; target under 1024; load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return done.returncode


def peak_children_mb() -> float:
    """Peak resident memory of the largest finished child process (and its own children), in MB."""
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions to grade (default 1000)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes (default: CPUs)")
    parser.add_argument("--files", action="store_true", help="loose notebook files instead of one zip")
    parser.add_argument("--keep", type=Path, help="keep the submissions and outputs in this folder")
    parser.add_argument("--no-templates", dest="templates", action="store_false",
                        help="no homework of template questions in the class")
    parser.add_argument("--hostile", action="store_true", help="issue 17's hostile inputs instead of a big class")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as temp:
        work = args.keep or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        if args.hostile:
            return run_hostile(args.jobs, work)
        key, source = key_folder(work, args.templates)
        started = time.perf_counter()
        inputs = make_submissions(key, args.n, work, args.files)
        size = sum(p.stat().st_size for p in ([inputs] if inputs.is_file() else inputs.rglob("*")))
        print(f"built {args.n} submissions from {source} in {time.perf_counter() - started:.1f} s "
              f"({size / 2**20:.1f} MB {'of files' if args.files else 'zipped'})")
        command = [sys.executable, "-m", "innovation_course.classroom.cli", "grade", str(inputs),
                   "--out", str(work / "out"), "--key", str(key), "--jobs", str(args.jobs),
                   "--roster", str(work / "roster.csv")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(done.stdout.strip() or done.stderr.strip())
        print(f"graded {args.n} submissions in {seconds:.2f} s: {args.n / seconds:.0f} submissions per second "
              f"(target {TARGET_PER_SECOND}); workers: {workers_for(args.n, args.jobs)} of {args.jobs} jobs")
        print(f"CPU time of the grader and its workers: {cpu:.2f} s ({args.n / cpu:.0f} submissions per CPU-second)")
        print(f"peak memory of the grader: {peak_children_mb():.0f} MB (largest process; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
