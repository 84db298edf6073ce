"""China's innovation-driven development: the course package, in three layers (docs/architecture.md).

- :mod:`innovation_course.engine`: the exercise engine (questions, keys, scoring, answer records, the workbook
  API, widgets, the journal, the JupyterLab glue). It knows nothing of China.
- :mod:`innovation_course.content`: the course's content (data loading, house style and charts, findings,
  explorers, the policy timeline, regions, the evidence brief). It may use the engine.
- :mod:`innovation_course.classroom`: the tools a teacher runs (build, slides and handouts, release, grading,
  collect, pulse, a local hub, the ``innovation-course`` command). It may use both.

Data flow one way: ``data/`` → content (findings, charts) → notebooks; a saved notebook → answer records
(engine) → scoring (engine) → gradebook (classroom).

Notebooks keep their short imports (``from innovation_course import data, findings``, ``from
innovation_course.workbook import wb``): :mod:`innovation_course.names` maps each name a lesson, workbook or
saved notebook of an earlier release imports to the module that holds it now.
"""

from .names import install as _install_names

__version__ = "0.1.0"

_install_names()
