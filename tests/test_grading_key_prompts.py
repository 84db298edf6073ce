"""No short-text key is printed in its own prompt (issue 10: ``jjj-pinyin`` accepted 京津冀, which its
prompt showed), so a learner cannot copy the answer from the question."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from innovation_course.classroom.grading.answerkey import load_key

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def squeezed(text: object) -> str:
    """Letters and digits only, case-folded, compatibility forms folded (so 'R&D-Program' ~ 'rdprogram')."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def offenders(key) -> list[str]:
    found = []
    for workbook, spec in sorted(key.specs.items()):
        for question in spec.questions.values():
            if question.kind != "text" or question.answer is None:
                continue
            answers = question.answer if isinstance(question.answer, list | tuple) else [question.answer]
            prompt = squeezed(question.prompt)
            found += [f"{workbook} {question.id}: {a!r}" for a in answers if squeezed(a) and squeezed(a) in prompt]
    return found


def test_the_check_finds_an_answer_printed_in_its_prompt():
    from innovation_course.classroom.grading.answerkey import AnswerKey
    from innovation_course.engine.questions import make_question
    from innovation_course.engine.spec import WorkbookSpec

    spec = WorkbookSpec("x")
    spec.questions["jjj"] = make_question(id="jjj", kind="text", prompt="Give the pinyin of 京津冀 (Jing-Jin-Ji).",
                                          answer=["京津冀", "jingjinji"], explanation="")
    key = AnswerKey()
    key.add(spec)
    assert offenders(key) == ["x jjj: '京津冀'", "x jjj: 'jingjinji'"]


def test_no_short_text_key_of_the_course_is_in_its_own_prompt():
    if not any(SOLUTIONS.glob("*.ipynb")):
        pytest.skip("no solutions yet")
    assert offenders(load_key(SOLUTIONS)) == []
