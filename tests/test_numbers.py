"""Reading the numbers learners type: forgiving where the reading is certain, refusing where it is not.

Property-based (hypothesis): a number is either read as the number the learner meant, or refused with a
message saying what to write; never silently read as another number.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from innovation_course.engine.keys import AnswerTypeError, key_for, parse_number, to_number
from innovation_course.engine.questions import make_question
from innovation_course.engine.scoring import CORRECT, INVALID, score

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["years", "year", "% of GDP", "%", "percentage points", "times", "milestones", ""])


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(finite)
def test_python_written_numbers_read_back_exactly(x):
    assert parse_number(repr(x)) == x
    assert parse_number(f"  {x!r}  ") == x


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(st.integers(min_value=-10**12, max_value=10**12))
def test_thousands_commas_are_read_only_when_they_cannot_be_a_decimal_comma(n):
    text = f"{n:,}"
    groups = text.count(",")
    if groups == 0 or groups >= 2:
        assert parse_number(text) == n
    else:  # "1,234" could be 1.234 or 1234
        with pytest.raises(AnswerTypeError, match="could be"):
            parse_number(text)


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_thousands_with_a_decimal_point_are_read(whole, fraction):
    text = f"{whole:,}.{fraction}"
    assert parse_number(text) == float(f"{whole}.{fraction}")


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(st.integers(min_value=0, max_value=999), st.text(alphabet="0123456789", min_size=1, max_size=6))
def test_a_decimal_comma_is_refused_with_the_number_to_write(whole, decimals):
    assume(len(decimals) != 3)  # three decimals look like a thousands group: refused as ambiguous instead
    text = f"{whole},{decimals}"
    with pytest.raises(AnswerTypeError) as error:
        parse_number(text)
    assert str(error.value) == f"write the number with a point, e.g. {whole}.{decimals}"


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(st.integers(min_value=1000, max_value=10**9))
def test_spaces_between_thousands_are_read(n):
    assert parse_number(f"{n:,}".replace(",", " ")) == n
    assert parse_number(f"{n:,}".replace(",", "\u00a0")) == n  # no-break space, as some keyboards type


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(finite, units)
def test_the_questions_unit_may_follow_the_number(x, unit):
    assume(unit)
    assert parse_number(f"{x!r} {unit}", unit) == x


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(finite, st.sampled_from(["million", "billion", "thousand", "k", "m", "%", "years ago", "or so"]))
def test_other_words_after_a_number_are_refused_not_dropped(x, word):
    unit = "years"
    with pytest.raises(AnswerTypeError, match="write just the number"):
        parse_number(f"{x!r} {word}", unit)


@settings(deadline=None)  # a loaded 2-core machine is slow, not wrong
@given(st.text(max_size=30), units)
def test_anything_typed_is_a_number_or_a_clear_refusal(text, unit):
    try:
        value = to_number(text, unit)
    except AnswerTypeError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert math.isfinite(value)
        assert any(ch.isdigit() for ch in text)


@pytest.mark.parametrize("text,expected", [
    ("30 years", 30.0), ("1,234,567", 1234567.0), ("1,234.5", 1234.5), ("２０２２", 2022.0), ("−3", -3.0),
    ("2.4 % of GDP", 2.4), ("0.14 pp", 0.14), ("3.2x", 3.2), ("5.", 5.0), (".5", 0.5),
])
def test_numbers_read_as_meant(text, expected):
    unit = {"30 years": "years", "2.4 % of GDP": "% of GDP", "0.14 pp": "percentage points", "3.2x": "times"}
    assert parse_number(text, unit.get(text, "")) == expected


@pytest.mark.parametrize("text,message", [
    ("0,14", "write the number with a point, e.g. 0.14"),
    ("1,234", "could be 1.234 or 1234"),
    ("1.234.567", "no dots between thousands"),
    ("30 million", "write just the number (in years), e.g. 30"),
    ("1e400", "too large"),
    ("about 30", "is not a number"),
    ("㉑", "is not a number"),
])
def test_numbers_refused_with_what_to_write(text, message):
    with pytest.raises(AnswerTypeError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_number(text, "years")


def test_a_refused_number_is_marked_invalid_with_the_message_never_wrong():
    q = make_question(id="gap", kind="numeric", prompt="p", answer=0.14, tolerance=0.01, unit="percentage points")
    key = key_for(q, "ex00")
    assert score(q, key, "0.14 percentage points").status == CORRECT
    refused = score(q, key, "0,14")
    assert refused.status == INVALID and refused.text == "⚠ write the number with a point, e.g. 0.14"
    assert score(q, key, "14,000,000").status != CORRECT
