"""The instructor guide matches the lessons (issue 17): every section number, discussion question number and
note it cites is checked against the lessons in ``notebooks/``.

* Every citation of a lesson's section ("Lesson 5 §7", "Lessons 1 §6, 2 §2–3", "(section 8)" in a lesson's
  row or notes) must be listed in :data:`SECTIONS` with words that its section holds, so a renumbered or
  rewritten section fails here, and a new citation must be added here to be checked.
* Where the guide names what it cites ("who pays, who earns? (section 8)"), the name shares a word with the
  cited section's heading (in the session table and the Lesson 6 plan) or text (in the notes).
* Each lesson's notes on the discussion questions are as many as its questions, in order: note *n*'s title
  shares more words with question *n* than with any other.
* The discussion questions the session table picks, and any "discussion question N", exist; the guide's
  count of discussion questions per lesson is right.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
LESSONS = range(1, 7)

#: (lesson, section) → words its section holds, for every section the guide cites.
SECTIONS = {
    (1, 1): "What the essays say", (2, 1): "What the essays say", (3, 1): "What the essays say",
    (4, 1): "What the essays say", (5, 1): "What the essays say",
    (1, 2): "the March 2023 reform", (1, 5): "Explore the timeline", (1, 6): "reach its R&D target",
    (1, 7): "Targets beside outcomes",
    (2, 2): "R&D intensity", (2, 3): "current and constant PPP", (2, 5): "basic research",
    (2, 6): "Explore: R&D spending", (2, 7): "second-largest spender", (2, 8): "Who does China's R&D",
    (3, 3): "R&D intensity of the three city-regions", (3, 4): "Silicon Valley of China", (3, 5): "WIPO",
    (3, 6): "Explore: provinces and city-regions",
    (4, 2): "Patents in emerging technologies", (4, 3): "Explore: patents by technology", (4, 4): "5G",
    (4, 5): "quality of science", (4, 6): "high-technology exports", (4, 7): "the \"new three\"",
    (4, 8): "Semiconductors", (4, 9): "AI after 2024", (4, 10): "new quality productive forces",
    (5, 2): "Paying for foreign technology", (5, 3): "Patents: how many", (5, 4): "Global Innovation Index",
    (5, 5): "9 percent", (5, 6): "does innovation drive growth", (5, 7): "foreign investment",
    (5, 8): "guidance funds", (5, 9): "claims without numbers", (5, 10): "promotional text",
    (5, 11): "who pays, who earns",
    (6, 1): "What an evidence brief is", (6, 3): "Worked example", (6, 5): "build a brief",
    (6, 6): "Check yourself",
}
#: (lesson, question) → words the discussion question holds, for "discussion question N" in the guide.
QUESTIONS = {(5, 2): "invention share"}
STOP = {"and", "are", "but", "can", "does", "for", "from", "how", "its", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "what", "when", "which", "who", "why", "will", "with", "would", "you",
        "your"}


def lesson_notebook(lesson: int) -> dict:
    return json.loads(next((ROOT / "notebooks").glob(f"0{lesson}_*.ipynb")).read_text(encoding="utf-8"))


def sections(lesson: int) -> dict[int, str]:
    """Section number → the text of its markdown cells (heading included)."""
    found: dict[int, list[str]] = {}
    current = 0
    for cell in lesson_notebook(lesson)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        numbered = re.match(r"## (\d+)\. ", text)
        if numbered:
            current = int(numbered[1])
        elif text.startswith("## "):
            current = 0
        found.setdefault(current, []).append(text)
    return {n: "\n".join(texts) for n, texts in found.items()}


def discussion(lesson: int) -> list[str]:
    for cell in lesson_notebook(lesson)["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("## Discussion questions"):
            return re.findall(r"^\d+\. (.+)$", text, re.M)
    return []


def citations() -> set[tuple[int, int]]:
    """Every (lesson, section) the guide cites."""
    found: set[tuple[int, int]] = set()
    for run in re.findall(r"Lessons? (\d[\d§–,() ]*(?:(?:and|,) §?\d[\d§–,() ]*)*)", GUIDE):
        lesson = None
        for token in re.findall(r"§\d+(?:–\d+)?|\d+(?:–\d+)?", run):
            if not token.startswith("§"):
                lesson = None if "–" in token else int(token)  # "Lessons 1–6": no section cited
                continue
            first, _, last = token[1:].partition("–")
            found.update((lesson, n) for n in range(int(first), int(last or first) + 1) if lesson)
    for lesson, text in lesson_blocks():
        found.update((lesson, int(n)) for n in re.findall(r"\bsection (\d+)", text))
    generic = re.search(r'section 1, "What the essays say"', GUIDE)
    if generic:
        found.update((lesson, 1) for lesson in range(1, 6))
    return found


def note_blocks() -> dict[int, str]:
    """Lesson → the guide's notes on its discussion questions."""
    notes = GUIDE.split("## Notes on the discussion questions", 1)[1].split("\n## ", 1)[0]
    return {int(n): text for n, text in re.findall(r"### Lesson (\d):[^\n]*\n(.*?)(?=\n### |\Z)", notes, re.S)}


def lesson_blocks() -> list[tuple[int, str]]:
    """(lesson, text) of the guide's parts about one lesson: its row of the session table, its notes, and the
    paragraph on Lesson 6's session (sections cited there without a lesson number)."""
    blocks = [(int(n), row) for n, row in re.findall(r"^\| (\d) [^|]+\|(.*)$", GUIDE, re.M)]
    blocks += list(note_blocks().items())
    lesson_6 = re.search(r"Lesson 6 \(\*Synthesis[^\n]*\n(?:[^\n]+\n)+", GUIDE)
    blocks += [(6, lesson_6[0])] if lesson_6 else []
    return blocks


def test_every_cited_section_is_checked_and_holds_its_words():
    cited = citations()
    assert len(cited) > 20
    unchecked = sorted(cited - set(SECTIONS))
    assert not unchecked, f"cited in the guide but not checked here (add them to SECTIONS): {unchecked}"
    wrong = []
    for (lesson, number), words in sorted(SECTIONS.items()):
        text = sections(lesson).get(number, "")
        if words.lower() not in text.lower():
            heading = text.splitlines()[0] if text else "no such section"
            wrong.append(f"Lesson {lesson} §{number} ({heading}) does not hold {words!r}")
    assert not wrong, "\n".join(wrong)


GENERIC = {"explorer", "widget", "lesson", "essay", "data", "china", "chart", "section", "run", "live", "then"}


def named(text: str) -> list[tuple[str, int]]:
    """(what the guide calls it, section number) for each "X (section N)" and "X of section N" in a text."""
    return [(name, int(a or b)) for name, a, b in
            re.findall(r"([^,;:()|.]+?)\s*(?:\(section (\d+)|of section (\d+))", text)]


@pytest.mark.parametrize("lesson", LESSONS)
def test_what_the_guide_names_is_in_the_section_it_cites(lesson):
    texts = sections(lesson)
    headings = {n: text.splitlines()[0] for n, text in texts.items()}
    rows = [row.split("|")[1] for n, row in re.findall(r"^\| (\d) [^|]+\|(.*)$", GUIDE, re.M) if int(n) == lesson]
    plan = [text for n, text in lesson_blocks() if n == lesson and "Lesson 6 (*Synthesis" in text]
    checks = [(name, number, headings) for text in rows + plan for name, number in named(text)]
    checks += [(name, number, texts) for name, number in named(note_blocks().get(lesson, ""))]
    assert checks, f"Lesson {lesson}: the guide names no section of it"
    for name, number, where in checks:
        shared = (words_of(name) - GENERIC) & words_of(where.get(number, ""))
        assert shared, f"Lesson {lesson}: the guide's {name.strip()!r} is not in section {number} " \
                       f"({headings.get(number, 'no such section')})"


def words_of(text: str) -> set[str]:
    """The content words of a text, plural "s" dropped."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", ""))
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words
            if (len(w) > 2 or any(c.isdigit() for c in w)) and w not in STOP}


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_notes_follow_the_lessons_discussion_questions(lesson):
    questions = discussion(lesson)
    titles = re.findall(r"^(\d)\. \*(.+?)\*", note_blocks()[lesson], re.M)
    assert [int(n) for n, _ in titles] == list(range(1, len(questions) + 1)), \
        f"Lesson {lesson}: {len(titles)} notes for {len(questions)} discussion questions"
    for (number, title), question in zip(titles, questions, strict=True):
        shared = [len(words_of(title) & words_of(q)) for q in questions]
        assert shared[int(number) - 1] == max(shared) and shared[int(number) - 1] >= 1, \
            f"Lesson {lesson} note {number} *{title}* does not discuss question {number}: {question[:80]}"


def test_the_discussion_questions_the_guide_names_exist():
    counts = {lesson: len(discussion(lesson)) for lesson in LESSONS}
    for lesson, row in re.findall(r"^\| (\d) [^|]+\|(.*)$", GUIDE, re.M):
        picks = row.split("|")[3]
        for number in re.findall(r"\d+", picks):
            assert 1 <= int(number) <= counts[int(lesson)], f"Lesson {lesson} has no discussion question {number}"
    for lesson, number in re.findall(r"Lesson (\d) §\d+, discussion question (\d+)", GUIDE):
        words = QUESTIONS[(int(lesson), int(number))]
        assert words in discussion(int(lesson))[int(number) - 1], (lesson, number)
    told = re.search(r"Each of Lessons 1–6 ends with (\w+)(?: (?:or|to) (\w+))? discussion questions", GUIDE)
    spelled = {"four": 4, "five": 5, "six": 6, "seven": 7}
    assert told and {spelled[w] for w in told.groups() if w} == {min(counts.values()), max(counts.values())}
