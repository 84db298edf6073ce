"""Distractors are mistakes a learner could make, each explained; no question shows its answer by wording or place."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from innovation_course.classroom.release import lesson_questions
from innovation_course.engine.questions import Question
from innovation_course.engine.spec import parse_workbook

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("solutions", "exercises")
OPTION_KINDS = ("choice", "multiple", "ordering", "matching")

# Options a review found implausible (nobody would pick them): no question offers them again.
REMOVED = ["Financial technology", "Real estate", "Tianjin", "Spending by foreign firms",
           "A value missing in the source", "number of researchers", "The 15th plan doubles the R&D growth target",
           "The cluster's inventors filed fewer patents in 2025",
           "The series ends because inventors in China stopped filing PCT applications", "An OECD statistic",
           "What China's government spends on its patent office"]
# Lesson options a review found implausible, replaced by mistakes a learner makes (LESSON_EXPLAINED).
LESSON_REMOVED = ["Three programmes", "Applications are counted in thousands",
                  "The OECD data leave out the United States",
                  "Guangdong–Hong Kong–Macao Greater Bay Area"]  # named Hong Kong, which the prompt names
# Options that conventionally come last, whatever the right answer is.
LAST_OPTIONS = ("both", "neither", "none of these", "all of these")
# Words no option may contain at all (issue 12's examples).
BANNED_WORDS = ["real estate", "financial technology", "fintech", "do no r&d"]

# For each rewritten question: every wrong option, and the words its explanation must use to say why it is wrong.
EXPLAINED = {
    "mic2025-left-out": {"Steel": "steel", "Textiles and clothing": "textiles"},
    "talent-programmes": {
        "They are two programmes: one for overseas Chinese scientists, one for foreign experts": "not two programmes",
        "The Recruitment Program of Global Experts replaced the Thousand Talents Plan in 2019": "nothing replaced",
        "The Thousand Talents Plan is a provincial scheme; the Recruitment Program is the national one":
            "levels of government"},
    "plan-targets-carbon": {
        "The R&D growth target stays at about 7 % a year; the 15th plan raises the digital-economy share and adds a "
        "carbon target, which the 14th plan did not have": "does not add one",
        "The R&D growth target stays at about 7 % a year, and the 15th plan sets GDP growth of 4.5–5 % a year for "
        "2026–2030": "2026 alone",
        "The 15th plan replaces the R&D growth target with a level: R&D at 2.5 % of GDP, like the 2006 plan":
            "2006 plan's r&d target for 2020"},
    "sci-tech-commission": {
        "It abolished the Ministry of Science and Technology and handed all of its work to the National Development "
        "and Reform Commission, the other ministries and the provincial governments": "restructured, not abolished",
        "It made the Ministry of Science and Technology review and manage every national research project itself":
            "no longer reviews",
        "It moved the setting of research priorities from the Party to the State Council, which now decides them alone "
        "without any Party body": "towards the party"},
    "energy-redefinition": {
        "One calculation compounds the yearly falls and the other adds them up, which gives a bigger total":
            "well under a point",
        "The later figures measure GDP in US dollars at purchasing power parity, while the first-published ones "
        "measure it in yuan at each year's prices": "10,000 yuan",
        "The first-published figures stop in 2024, so they miss the large fall of 2025": "both include 2025"},
    "timeline-reading": {
        "China made more science and technology policy after innovation-driven development became a national "
        "strategy in 2012": "complete register",
        "Policy paused between the 973 Program (1997) and China's entry into the WTO (2001), the quiet spell on "
        "the timeline": "not a pause",
        "Plans replaced programmes after 2012: no programme on the timeline starts after the Thousand Talents Plan "
        "(2008)": "national key r&d program"},
    "constant-ppp": {"Differences in what money buys from one country to another": "both convert currencies",
                     "Differences in the size of the economies, so large and small spenders can be compared":
                         "size of the economy",
                     "Nothing: the two measures are the same in every year": "equal in 2020 only"},
    "flag-b": {"A provisional value, to be revised when final figures come in": "p = provisional",
               "An estimate by the OECD, not a figure reported by the country": "e = estimate",
               "A definition that differs from the OECD's standard one": "d = definition differs"},
    "basic-peers": {
        "China passed 8 % in 2024, but the United States, Japan and Korea still spend a larger share": "below it too",
        "No comparison can be made: only China's statistics split R&D by type of research": "five economies",
        "China's share is low because the OECD counts only the basic research that China's government funds":
            "whoever pays for it"},
    "growth-measures": {
        "The PPP series is converted at market exchange rates, and the yuan fell against the dollar":
            "not market exchange rates",
        "The OECD series counts business R&D only, and firms' spending grew more slowly": "not business r&d alone"},
    "data-cannot-show": {"What share of R&D firms perform": "g_xeb",
                         "What share of business R&D the government funds directly": "b_xfg"},
    "rd-2025-source": {"The OECD, in its Main Science and Technology Indicators": "oecd and world bank",
                       "The World Bank, in its World Development Indicators": "oecd and world bank",
                       "Only the Minister of Science and Technology, in a statement in March 2026, with no statistical "
                       "release": "repeated it"},
    "ppp-lead": {
        "China's 2024 figure is a forecast that the OECD published before the year had even begun": "not a forecast",
        "Current-PPP dollars are constant-price dollars, so the 2024 figures leave out the inflation of recent years "
        "and understate both economies' spending": "not a constant-price measure",
        "China reports its R&D in US dollars, so its figure was never converted at all": "reports r&d in yuan"},
    "silicon-valley": {
        "The essay is right: the region has carried the name since its coordinated development outline of 2015":
            "not the source of the name",
        "The name usually means Tianjin Binhai New Area, the region's national reform pilot zone":
            "not the place the name means",
        "The name is the essay's own: no place in China has been called that": "not the essay's own"},
    "gba-members": {"Xiamen": "xiamen (fujian)", "Shantou": "shantou (guangdong)", "Suzhou": "shanghai–suzhou"},
    "cluster-caveat": {"Nothing: the ranks of different editions are always comparable": "not always comparable",
                       "The rise shows that the cluster's output overtook that of Tokyo–Yokohama, first in every "
                       "edition from 2021 to 2024": "does not by itself show"},
    "priority-year": {"The year the patent was granted, after examination": "grant come after",
                      "The year the international (PCT) application was published": "publication and grant"},
    "series-stops": {
        "The data show that China has led the United States in AI patents every year since 2020, so the claim is "
        "supported": "every year since",
        "The PCT counts measure how much is invested in AI research, so the 2020 lead supports the claim":
            "not investment",
        "The data refute the claim: inventors in China filed fewer AI applications than those in the United States "
        "the year before": "refutes nothing"},
    "world-share": {"A figure computed from the course data: the 5G file gives it in its 2021 row": "not computed",
                    "A World Bank statistic, like the population used for the per-10,000 figure":
                        "world bank file gives population"},
    "ip-what": {"What non-residents pay residents of China for the right to use China's patents, trademarks, "
                "copyrights and know-how": "receipts",
                "The value of China's imports of high-technology goods": "trade in goods"},
    "gii-caveats": {"China reports its own rank to WIPO": "wipo ranks the economies itself",
                    "The index measures only patents": "not only patents"},
    "alt-series-reading": {
        "The official figures are wrong and the Maddison figures are right, so the claim fails in every decade":
            "not a settled truth",
        "The claim fails only because the table uses compound means; with arithmetic means it would hold":
            "kind of mean",
        "In the alternative series China's economy shrank in the 2010s, so the two series disagree on the direction":
            "growth stays positive"},
    # issue 21, lessons 4 and 5: quality, trade, the new three, chips, AI, productivity, FDI, talent
    "quality-reading": {
        "Most of China's papers are now among the world's most cited": "not mean most papers",
        "China published more papers than the United States, so its science is now the better of the two":
            "a count of papers says nothing of quality",
        "Citations show that China's papers are the most important in the world": "attention, not importance"},
    "hightech-makers": {
        "They leave out exports by foreign-invested firms, which are counted in the investors' home countries instead":
            "count for china, not for the investors' home countries",
        "They count only the value added in China, so assembling imported parts adds little to them":
            "value added in china is not what is counted",
        "They show that Chinese-owned firms designed most of China's high-tech exports": "opposite of chinese-owned"},
    "deployment-or-making": {
        "China's share of the world's solar-panel manufacturing": "manufacturing shares are figures the iea reports",
        "The share of the world's electric cars made by Chinese carmakers":
            "manufacturing shares are figures the iea reports",
        "China's exports of the \"new three\" in 2023": "a figure china's customs reported"},
    "chip-evidence": {
        "Supported: medium- and high-tech goods are most of China's manufactured exports":
            "covers all machinery and electronics, not chips",
        "Refuted: the US export controls of October 2022 prove that China cannot make any advanced chips of its own":
            "not what china cannot make",
        "Supported: the Big Fund's third phase raised enough capital to complete the chain":
            "an input, not an outcome"},
    "ai-plus-verdict": {
        "Met: China's AI patent applications already led the world's in priority year 2020": "pct counts stop in 2020",
        "Missed: no official statistic shows the targets' penetration rates reached":
            "does not exist yet is not a miss",
        "Targets of this kind cannot be set beside any outcome": "can be measured when the year comes"},
    "tfp-reading": {
        "Labour productivity and TFP measure the same thing, so one of the two Penn World Table series must be wrong":
            "can move apart",
        "TFP fell because China's economy shrank in these years": "grew in every year",
        "TFP measures R&D spending, so China's R&D spending must have fallen": "tfp is not a measure of r&d"},
    "tfp-caveats": {"An index with 2017 = 1 cannot show change over time": "exactly what it is for",
                    "TFP counts only manufacturing, not services": "services included"},
    "fdi-verdict": {
        "Supported: more new foreign firms were set up in China in each year from 2023 to 2025":
            "count of new firms is not money invested",
        "Not supported: a survey of the time found foreign firms pessimistic about China": "optimism, not pessimism",
        "Not supported: the US export controls of October 2022 drove foreign firms and their money out of China "
        "altogether": "cannot show what caused the fall"},
    "talent-evidence": {
        "An official statistic from China's Ministry of Education": "not official",
        "A count of every AI researcher in each country, from the OECD's files on scientists":
            "mobility file is not used",
        "A measure of where the researchers work today": "not where researchers work today"},
}


# For each rewritten lesson question: every wrong option, and the words its explanation must use about it.
LESSON_EXPLAINED = {
    "l1-talent": {"Two separate programmes": "is the thousand talents plan",
                  "Two: the Recruitment Program of Global Experts replaced the Thousand Talents Plan in 2019":
                      "not a new programme that replaced it"},
    "l4-fractional": {"Only a fraction of applications is counted, as a sample": "each application is shared",
                      "An application with inventors in two countries counts in full in each of them":
                          "counted them in full"},
    "l6-caveats": {"The United States' recent values are provisional (flag P)": "flagged d (definition differs)",
                   "The essay gives a date for its claim": "essay is undated"},
    # distractors made as long as the answer, so that length gives nothing away
    "l3-gba-proxy": {
        "The Greater Bay Area and Guangdong province cover the same cities, so their figures are the same":
            "nine of guangdong's cities",
        "Hong Kong and Macao report their R&D inside Guangdong's provincial figures": "publish their own statistics"},
    "l4-world-share": {
        "It is computed in this lesson from MIIT's counts and the World Bank's population figures":
            "cannot compute a world share",
        "It comes from the OECD patent data, which count applications by the inventors' country":
            "count patent applications, not base stations"},
    "l4-hightech-meaning": {
        "Where the technology in those goods was invented and designed, wherever they were assembled":
            "whoever designed its parts",
        "China's share of the world's high-tech patents, counted by the inventors' country": "patents, not by exports",
        "How much of its own R&D China turned into products that it sold to other countries":
            "says nothing of the research behind it"},
    "l1-carbon-14th": {
        "None: the 15th plan (2026–2030) is the first plan with a carbon target": "not the first",
        "Total CO2 emissions down 18 % by 2025": "not totals",
        "Energy use per unit of GDP down 17 %, and no CO2 target": "not an energy one"},
    "l2-business-owners": {
        "Private firms perform about three quarters of China's R&D": "state-owned or private",
        "Private firms perform less than half: the rest of business R&D is state-owned": "less than half"},
    "l6-measure": {
        "The OECD has figures for different years in the two series, so the years compared differ":
            "cover the same years",
        "Current PPP dollars leave out government R&D, which the constant-price series includes":
            "business and government alike"},
    # issue 21, lessons 4 and 5
    "l4-predict-quality": {"Less than half the US share: quantity without quality": "close to the united states' share",
                           "Well above the US share, at twice the world average": "close to the united states' share"},
    "l4-predict-ev": {"About 40 %": "nearly two thirds in the last year of the data",
                      "Around one in five": "nearly two thirds in the last year of the data"},
    "l4-solar-meaning": {
        "China's share of the world's solar-panel factories, wherever the panels were installed": "installed, not made",
        "China's share of the electricity the world generated from solar power that year":
            "generation (electricity produced) is another series",
        "The share of China's own electricity that came from solar power that year":
            "not a share of china's own electricity"},
    "l4-chip-data": {"China's imports of integrated circuits, by type of chip": "imports by type of chip are not there",
                     "Where the chips inside China's exported phones were made":
                         "where the parts inside a product were made"},
    "l5-predict-tfp": {"It grew faster than in the 2000s": "below its 2012 level",
                       "It grew, but more slowly than in the 2000s": "below its 2012 level"},
    "l5-fdi-reading": {
        "The US export controls of October 2022 caused the fall": "cannot separate causes",
        "Multinationals were pessimistic about China's growth in these years, so Akram's report of their optimism "
        "is simply false": "reported optimism",
        "Foreign firms left China: fewer of them set up in China in these years": "firms did not leave"},
    "l5-tfp-meaning": {"Output per worker, or per hour worked": "labour productivity",
                       "Spending on research and development as a share of GDP, the R&D intensity of Lesson 2":
                           "r&d spending and patents are",
                       "The number of patents granted per worker": "r&d spending and patents are"},
}


def lessons() -> list[tuple[str, dict[str, Question]]]:
    """Each lesson's self-check questions (a prompt computed when the lesson runs stands in as ``@@prompt@@``)."""
    paths = sorted((ROOT / "notebooks").glob("0*.ipynb"))
    assert len(paths) >= 7, "notebooks/ has lost lessons"
    return [(p.name, lesson_questions(nbformat.read(p, as_version=4))) for p in paths]


def lesson_question_map() -> dict[str, Question]:
    return {qid: q for _, questions in lessons() for qid, q in questions.items()}


def questions_of(folder: str) -> dict[str, Question]:
    return lesson_question_map() if folder == "notebooks" else solution_questions()


def workbooks(folder: str) -> list[tuple[str, dict[str, Question]]]:
    paths = sorted((ROOT / folder).glob("ex*.ipynb"))
    assert paths, f"{folder}/ has no workbooks"
    return [(p.name, parse_workbook(nbformat.read(p, as_version=4)).questions) for p in paths]


def solution_questions() -> dict[str, Question]:
    return {qid: q for _, questions in workbooks("solutions") for qid, q in questions.items()}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_implausible_options_are_gone_from_every_question(folder):
    named = {words(o) for o in REMOVED}
    for name, questions in workbooks(folder):
        for q in questions.values():
            offered = [words(o) for o in (*q.options, *q.pairs)]
            assert not set(offered) & named, (name, q.id, set(offered) & named)
            assert not [o for o in offered for w in BANNED_WORDS if w in o], (name, q.id)


def test_every_wrong_option_of_a_rewritten_question_is_explained():
    questions = solution_questions()
    for qid, reasons in EXPLAINED.items():
        q = questions[qid]
        correct = {q.answer} if q.kind == "choice" else set(q.answer)
        assert set(q.options) - correct == set(reasons), (qid, sorted(set(q.options) - correct))
        explanation = words(q.explanation)
        for option, reason in reasons.items():
            assert reason in explanation, (qid, option, reason)


def test_mic2025_distractors_are_not_sectors_of_the_plan_and_the_answers_are():
    claim = next(line for line in (ROOT / "data" / "facts.md").read_text(encoding="utf-8").splitlines()
                 if line.startswith("| 1 |")).lower()
    q = solution_questions()["mic2025-left-out"]
    keyword = {"Advanced rail transport equipment": "advanced rail", "New materials": "new materials",
               "Agricultural machinery and equipment": "agricultural machinery", "Power equipment": "power equipment",
               "Steel": "steel", "Textiles and clothing": "textile"}
    assert set(q.options) == set(keyword)
    assert sorted(q.answer) == sorted(o for o in keyword if keyword[o] in claim)
    assert len(q.answer) == 4 and len(q.options) - len(q.answer) == 2


def accepted(q: Question) -> list[str]:
    if q.kind == "text":
        return list(q.answer) if isinstance(q.answer, list | tuple) else [q.answer]
    if q.kind == "choice":
        return [q.answer]
    if q.kind == "multiple":
        return list(q.answer)
    return []


@pytest.mark.parametrize("folder", ["solutions"])
def test_no_prompt_prints_its_own_answer(folder):
    for name, questions in workbooks(folder):
        for q in questions.values():
            for answer in accepted(q):
                assert words(answer) not in words(q.prompt), (name, q.id, answer)


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_the_right_answer_is_not_the_longest_option_in_most_questions(folder):
    choice = [q for q in questions_of(folder).values() if q.kind == "choice"]
    longest = [q.id for q in choice if all(len(q.answer) > len(o) for o in q.options if o != q.answer)]
    assert len(longest) <= len(choice) // 2, ("the right answer is the longest option", longest)


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_the_right_answer_has_no_favourite_place(folder):
    questions = questions_of(folder)
    choice = [q for q in questions.values() if q.kind == "choice"]
    first = [q.id for q in choice if q.options[0] == q.answer]
    last = [q.id for q in choice if q.options[-1] == q.answer]
    assert len(choice) >= 10
    assert len(first) <= len(choice) // 3, first
    assert len(last) <= len(choice) // 2, last
    multiple = [q for q in questions.values() if q.kind == "multiple" and len(q.answer) < len(q.options)]
    for q in multiple:
        k = len(q.answer)
        assert set(q.options[:k]) != set(q.answer), (q.id, "the right options come first")
    assert len([q.id for q in multiple if q.options[0] in q.answer]) <= max(1, len(multiple) // 2)
    matching = [q for q in questions.values() if q.kind == "matching"]
    for q in matching:
        same_place = [p for p, o in zip(q.pairs, q.options, strict=False) if q.answer[p] == o]
        assert len(same_place) < len(q.pairs) - 1, (q.id, "options listed in the pairs' order")
    assert folder == "solutions" or matching, "the lessons have no matching question to check"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_both_neither_and_none_of_these_stay_last(folder):
    for q in questions_of(folder).values():
        ends = [i for i, o in enumerate(q.options) if words(o) in LAST_OPTIONS]
        assert ends == list(range(len(q.options) - len(ends), len(q.options))), (q.id, q.options)


def test_the_lessons_offer_no_implausible_option_and_explain_the_new_ones():
    questions = lesson_question_map()
    named = {words(o) for o in (*REMOVED, *LESSON_REMOVED)}
    for q in questions.values():
        offered = {words(o) for o in (*q.options, *q.pairs)}
        assert not offered & named, (q.id, offered & named)
    for qid, reasons in LESSON_EXPLAINED.items():
        q = questions[qid]
        correct = {q.answer} if q.kind == "choice" else set(q.answer)
        assert set(q.options) - correct == set(reasons), (qid, sorted(set(q.options) - correct))
        for option, reason in reasons.items():
            assert reason in words(q.explanation), (qid, option, reason)


def test_no_lesson_prompt_names_its_answer_alone():
    """A prompt may name every option ("A or B?"), never the right one only."""
    for name, questions in lessons():
        for q in questions.values():
            text = words(q.prompt)
            named = [a for a in accepted(q) if words(a) in text]
            wrong = [o for o in q.options if o not in accepted(q) and words(o) in text]
            assert not named or wrong, (name, q.id, named)


def test_no_explanation_gives_away_the_next_question():
    q = solution_questions()["cross-eu-current"]
    assert not re.search(r"\b(one|two|three|four|five|\d+) years? (before|after|earlier|later)\b", q.explanation)
