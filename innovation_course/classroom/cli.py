"""The ``innovation-course`` command: one verb per workflow step.

    innovation-course build      solutions/ → exercises/ (and an exam release with --exam DIR)
    innovation-course grade      saved workbooks → gradebook, feedback, report
    innovation-course slides     lessons → offline reveal.js decks
    innovation-course handouts   lessons and blank workbooks → printable HTML
    innovation-course site       lessons → a searchable static website (Sphinx), offline-safe, no answers
    innovation-course check-data validate data/ against its data package
    innovation-course release    the learner edition (no answers) as a git repository
    innovation-course collect    one workbook from each JupyterHub home folder, with a manifest
    innovation-course pulse      a live, nameless class view of the answers, for the teacher's screen
    innovation-course chart-cache  store the lessons' charts for the learners' kernels (an image's build step)
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: verb → (module, help). Each module has ``add_arguments(parser)`` and ``run(args) -> int``
#: (or ``add_<verb>_arguments`` and ``run_<verb>`` where one module serves two verbs).
VERBS = {
    "build": ("innovation_course.classroom.build", "make exercises/ (and exam releases) from solutions/"),
    "grade": ("innovation_course.classroom.grading.cli", "grade saved workbooks into a gradebook and reports"),
    "slides": ("innovation_course.classroom.publish.slides", "turn lessons into offline reveal.js slide decks"),
    "handouts": ("innovation_course.classroom.publish.handouts",
                 "render lessons and blank workbooks to printable HTML"),
    "site": ("innovation_course.classroom.publish.site",
             "build the course website: every lesson, searchable, offline-safe, no answers"),
    "check-data": ("innovation_course.classroom.cli", "validate data/ against data/datapackage.json"),
    "release": ("innovation_course.classroom.release", "write the learner edition (no answers) as a git repository"),
    "collect": ("innovation_course.classroom.hub.collect", "collect one workbook from each JupyterHub home folder"),
    "pulse": ("innovation_course.classroom.pulse", "a live, nameless class view of answers, for the teacher's screen"),
    "chart-cache": ("innovation_course.classroom.chart_cache", "store the lessons' charts for the learners' kernels"),
}


def add_check_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", help="resources to check (default: all)")


def run_check_data(args: argparse.Namespace) -> int:
    from ..content import data

    problems = [p for name in (args.names or [None]) for p in data.validate(name)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"data package: {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="innovation-course", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, (module_name, help_text) in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text, description=help_text)
        if argv and argv[0] == verb:  # import only the module of the verb asked for
            module = importlib.import_module(module_name)
            name = verb.replace("-", "_")
            getattr(module, f"add_{name}_arguments", getattr(module, "add_arguments", None))(sub)
            sub.set_defaults(run=getattr(module, f"run_{name}", getattr(module, "run", None)))
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
