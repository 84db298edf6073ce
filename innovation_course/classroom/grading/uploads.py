"""Which LMS files a run writes: the Canvas or Moodle file filled in for one workbook, only with grades that
are final.

A learner with answers still to be marked gets no grade (their cell is left as it was). While any learner of
an upload has such answers, the upload file is not written at all unless the teacher passes ``--partial``
(then the final grades go, the others stay as they were); an upload that would hold no grade is never
written. Either way the run says why (exit status 3) and the rest of the output set is written as usual.
The LMS file's rows are also the class roster: class statistics count only its learners, never the Canvas
test student.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .answerkey import resolve_workbook
from .identify import canvas_name
from .lms import SheetError, Upload, moodle_feedback_zip, plan_canvas, plan_moodle
from .mark import Marked

CANVAS_UPLOAD, MOODLE_UPLOAD, MOODLE_FEEDBACK = "canvas-upload.csv", "moodle-upload.csv", "moodle-feedback.zip"
CANVAS_TEST_LOGIN = "studenttest"  # the test student's "Student, Test" as a Canvas download names it


class UploadRefused(ValueError):
    """The LMS files cannot be made at all (a workbook to choose, a file that is not the LMS's)."""


@dataclass
class Uploads:
    """The LMS files of a run, planned: (file name, upload) and what was met on the way."""

    workbook: str = ""
    plans: list[tuple[str, Upload]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def sentences(self) -> dict[str, str]:
        """Learner id → how their points go into the LMS (for their feedback page)."""
        found: dict[str, str] = {}
        for _, upload in self.plans:
            for learner, text in upload.sentences().items():
                found[learner] = f"{found[learner]} {text}" if learner in found else text
        return found

    def roster(self) -> set[str] | None:
        """The learners on the LMS files' rosters (None without an LMS file)."""
        return set().union(*(u.roster for _, u in self.plans)) if self.plans else None

    def overwrites(self) -> list[str]:
        return [line for _, upload in self.plans for line in upload.overwrites()]

    def files(self, pages: dict[str, bytes], partial: bool) -> tuple[dict[str, bytes], list[str]]:
        """The upload files that may be written, and why each other one is not."""
        files: dict[str, bytes] = {}
        withheld: list[str] = []
        for name, upload in self.plans:
            pending = sum(upload.pending.values())
            graded = len(upload.cells)
            if not graded:
                why = (f"all {len(upload.pending)} learners in it have answers still to be marked ({pending}; see "
                       "marking-sheet.csv)" if upload.pending else
                       f"no counted submission of {self.workbook} matches a row of your {upload.lms} file "
                       "(see Problems)")
                withheld.append(f"{name} not written: it would hold no grade: {why}")
                continue
            if upload.pending and not partial:
                withheld.append(f"{name} not written: {pending} answer{'s' if pending != 1 else ''} of "
                                f"{len(upload.pending)} learner{'s' if len(upload.pending) != 1 else ''} "
                                "still to be marked (marking-sheet.csv); mark them and grade again, or pass "
                                f"--partial to upload the {graded} final grade{'s' if graded != 1 else ''} "
                                "(the others' cells left as they were)")
                continue
            files[name] = upload.to_bytes()
            if upload.lms == "Moodle":
                files[MOODLE_FEEDBACK] = moodle_feedback_zip(upload, pages)
        return files, withheld


def choose_workbook(given: str | None, marked: list[Marked], known: list[str]) -> str:
    """The workbook whose totals go into the LMS file: ``--workbook`` (short or full id), else the batch's
    only one."""
    if given:
        try:
            return resolve_workbook(known, given)
        except ValueError as error:
            raise UploadRefused(f"--workbook {error}") from None
    counted = sorted({m.workbook for m in marked if m.counted and m.marks})
    if len(counted) != 1:
        raise UploadRefused(f"the batch holds workbooks {', '.join(counted) or 'none'}: pass --workbook ID (ex01 or "
                            "in full) to say which one goes into the LMS file")
    return counted[0]


def plan(canvas: str | None, assignment: str | None, moodle: str | None, workbook: str | None,
         marked: list[Marked], known: list[str]) -> Uploads:
    """The LMS files to fill in for this run (none without ``--canvas``/``--moodle``)."""
    if not (canvas or moodle):
        return Uploads()
    if canvas and not assignment:
        raise UploadRefused('--canvas needs --assignment "Assignment name (id)", the column header in your export')
    chosen_id = choose_workbook(workbook, marked, known)
    uploads = Uploads(chosen_id)
    uploads.problems += [f"{m.path}: workbook {m.workbook}, not {chosen_id}: not in the LMS file"
                         for m in marked if m.counted and m.marks and m.workbook != chosen_id]
    chosen = [m for m in marked if m.workbook == chosen_id]
    try:
        if canvas:
            uploads.plans.append((CANVAS_UPLOAD, plan_canvas(canvas, assignment or "", chosen)))
        if moodle:
            uploads.plans.append((MOODLE_UPLOAD, plan_moodle(moodle, chosen)))
    except SheetError as error:
        raise UploadRefused(str(error)) from None
    for _, upload in uploads.plans:
        uploads.problems += upload.problems
    return uploads


def in_statistics(item: Marked, roster: set[str] | None) -> bool:
    """Whether a counted submission counts in the class statistics: its learner is on the roster (when an
    LMS file gives one), and never the Canvas test student."""
    if item.learner.lms == "canvas":
        name = canvas_name(PurePosixPath(item.path).parts[0]) if item.path else None
        if name and name[0].lower() == CANVAS_TEST_LOGIN:
            return False
    return roster is None or item.learner.id in roster
