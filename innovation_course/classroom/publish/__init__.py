"""Publish the course for a classroom: offline reveal.js slide decks and printable handouts (one module each:
:mod:`slides`, :mod:`handouts`; shared steps in :mod:`prepare`, :mod:`chartslides`, :mod:`export`, :mod:`offline`).

Both read the saved notebooks (no kernel runs) and share one clean-up step (:func:`prepare`):

* a question cell (``wb.ask(...)``) becomes a static question card: prompt, options, a blank to fill;
  its answer, key, hints and explanation are never read, so they cannot leak;
* a cell whose input is hidden (``metadata.jupyter.source_hidden``) shows its output only;
* widget views (which need a live kernel) become a short "open it in JupyterLab" note, answer
  records and stderr are dropped.

Slides come from the lessons' ``metadata.slideshow.slide_type`` and load reveal.js from a copy placed
next to the decks (taken from the ``sphinx-revealjs`` package), so they work with no network.
Handouts are single HTML files with embedded images and print CSS; learners' workbooks are taken from
``exercises/`` only, never from ``solutions/``.
"""

from . import export
from .chartslides import (
                          CHART_FOOT,
                          CHART_PAD,
                          SLIDE_HEIGHT,
                          SLIDE_WIDTH,
                          TABLE_ROWS,
                          chart_pieces,
                          chart_slides,
                          chart_width,
                          png_size,
                          slide_type,
)
from .export import REVEAL_DIR, write_index
from .handouts import add_handouts_arguments, build_handouts, run_handouts
from .offline import css_external, external_resources
from .prepare import (
                          CARD_FIELDS,
                          COURSE_NAME,
                          KEY_MARKERS,
                          LIVE_NOTE,
                          TEMPLATES,
                          WIDGET_VIEW,
                          Built,
                          PublishError,
                          card_fields,
                          default_folder,
                          find_notebooks,
                          notebook_title,
                          prepare,
                          question_card,
                          render_markdown,
)
from .slides import REVEAL_FILES, add_slides_arguments, build_slides, copy_reveal, reveal_source, run_slides

__all__ = ["CARD_FIELDS", "CHART_FOOT", "CHART_PAD", "COURSE_NAME", "KEY_MARKERS", "LIVE_NOTE", "REVEAL_DIR",
           "REVEAL_FILES", "SLIDE_HEIGHT", "SLIDE_WIDTH", "TABLE_ROWS", "TEMPLATES", "WIDGET_VIEW", "Built",
           "PublishError", "add_handouts_arguments", "add_slides_arguments", "build_handouts", "build_slides",
           "card_fields", "chart_pieces", "chart_slides", "chart_width", "copy_reveal", "css_external",
           "default_folder", "export", "external_resources", "find_notebooks", "notebook_title", "png_size",
           "prepare", "question_card", "render_markdown", "reveal_source", "run_handouts", "run_slides",
           "slide_type", "write_index"]
