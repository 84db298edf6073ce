"""Grading saved workbooks: LMS downloads in, gradebook, LMS import files, feedback and a class report out.

One module per step, data flowing one way::

    collect   inputs (notebooks, folders, zips) → in-memory submissions, bad ones rejected with a reason
    answerkey solutions/ or exercises/ → the key of every workbook
    identify  who submitted: the workbook's identity block, else the LMS's file name
    mark      one submission + the key → marks (pure; reuses records, spec, keys and scoring)
    batch     every submission marked, in parallel for large batches, in a deterministic order
    gradebook duplicates, gradebook.csv and the LMS import files
    manual    the marking sheet for free responses and merging it back
    feedback  one HTML page per learner
    report    the class report with its charts
    atomic    every output written to a temporary file in DIR, then renamed over the old one
    cli       ``innovation-course grade``

Helpers: ``htmlpage`` (the escaped HTML frame), ``progress`` (a progress bar on a terminal) and
``synthetic`` (workbooks and answered submissions for the tests and ``benchmarks/grade_bench.py``).

The grader never runs a learner's code and never extracts an archive to disk.
"""
