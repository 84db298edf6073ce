"""Grading saved workbooks: LMS downloads in, gradebook, the LMS's own files filled in, feedback and a class
report out.

One module per step, data flowing one way::

    safe_read learners' files read as data: regular files only, bounded reads under a budget, texts made safe
              (shared with ``collect`` and ``pulse`` on a hub)
    archive   zips (downloads and learners' uploads) read in memory, a budget per upload, never extracted
    collect   inputs (notebooks, folders, zips, hub collections) → submissions, one at a time, bad ones rejected
    answerkey solutions/ or exercises/ (the teacher's files) → the key and feedback policy of every workbook
    identify  whose file: the LMS or hub account first, the typed ID only for plain files
    mark      one submission + the key → marks (pure; JSON only, hard limits; reuses records, keys, scoring)
    batch     every submission marked under a time limit, in parallel for large batches, deterministic order
    accounts  typed IDs checked, resubmissions (newest counts), possible copying flagged
    gradebook gradebook.csv
    manual    the marking sheet, the marks kept in --out and merging them
    lms       the Canvas gradebook export and Moodle grading worksheet filled in, Moodle's feedback zip
    uploads   which LMS files a run writes: final grades only (``--partial``), the roster for statistics
    feedback  one HTML page per learner
    report    the class report with its charts
    atomic    the output set written to a staging folder and swapped in whole
    cli       ``innovation-course grade``

Helpers: ``submission`` (what is read, and the limits it is read under), ``htmlpage`` (the escaped HTML
frame), ``progress`` (a progress bar on a terminal) and ``synthetic`` (workbooks and answered submissions for
the tests and ``benchmarks/grade_bench.py``).

The grader never runs, parses or evaluates a learner's code and never extracts an archive to disk.
"""
