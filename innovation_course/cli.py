"""The ``innovation-course`` command: one verb per workflow step.

    innovation-course build      solutions/ → exercises/ (and an exam release with --exam DIR)
    innovation-course grade      saved workbooks → gradebook, feedback, report
    innovation-course slides     lessons → offline reveal.js decks
    innovation-course handouts   lessons and blank workbooks → printable HTML
    innovation-course check-data validate data/ against its data package
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: verb → (module, help). Each module has ``add_arguments(parser)`` and ``run(args) -> int``.
VERBS = {
    "build": ("innovation_course.build", "make exercises/ (and exam releases) from solutions/"),
    "grade": ("innovation_course.grading.cli", "grade saved workbooks into a gradebook and reports"),
    "slides": ("innovation_course.publish", "turn lessons into offline reveal.js slide decks"),
    "handouts": ("innovation_course.publish", "render lessons and blank workbooks to printable HTML"),
    "check-data": ("innovation_course.data", "validate data/ against data/datapackage.json"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="innovation-course", description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, (module_name, help_text) in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        getattr(module, f"add_{verb.replace('-', '_')}_arguments", module.add_arguments)(sub)
        sub.set_defaults(run=getattr(module, f"run_{verb.replace('-', '_')}", getattr(module, "run", None)))
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
