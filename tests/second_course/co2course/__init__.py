"""A second, tiny course (atmospheric CO2 at Mauna Loa) that uses only the exercise engine and the classroom
tools of innovation_course: it proves the engine knows no course of its own (tests/test_second_course.py)."""
