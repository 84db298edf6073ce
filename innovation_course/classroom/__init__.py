"""The tools a teacher runs for a class: build, slides and handouts, release, grading, collect, pulse, a local
JupyterHub and the ``innovation-course`` command. They may use the content and the engine; see
docs/architecture.md."""

from pathlib import Path

#: the course repository: ``solutions/``, ``exercises/``, ``notebooks/``, ``data/``
ROOT = Path(__file__).resolve().parents[2]
