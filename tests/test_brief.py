"""The evidence-brief helper of lesson 6: the claims quote the essays exactly, every claim's data exist,
and the evidence sentences agree with the data (facts.md claim 4 and claim 9)."""

import re
from pathlib import Path

import pandas as pd
import pytest

from innovation_course.content import brief, data, findings

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ESSAY_FILES = {"anon": "000_05481ec566c385c6.txt", "akram": "001_ceb65bb46245c206.txt"}


def flat(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("claim", brief.CLAIMS, ids=[c.id for c in brief.CLAIMS])
def test_claim_quotes_its_essay_exactly(claim):
    path = SEEDS / ESSAY_FILES[claim.essay]
    if not path.is_file():
        pytest.skip("the source essays are not next to this checkout")
    assert flat(claim.quote) in flat(path.read_text(encoding="utf-8"))
    other = SEEDS / ESSAY_FILES["akram" if claim.essay == "anon" else "anon"]
    assert flat(claim.quote) not in flat(other.read_text(encoding="utf-8"))


def test_claims_are_unique_and_well_formed():
    ids = [c.id for c in brief.CLAIMS]
    assert len(ids) == len(set(ids)) >= 10
    assert {c.essay for c in brief.CLAIMS} == set(brief.ESSAYS)
    names = set(data.resource_names())
    for claim in brief.CLAIMS:
        assert claim.resource in names, claim.id
        assert claim.evidence in brief.EVIDENCE, claim.id
        assert claim.test, claim.id
    assert brief.claim_options()[0] == (brief.CLAIMS[0].label, brief.CLAIMS[0].id)
    with pytest.raises(KeyError):
        brief.claim_by_id("no-such-claim")


@pytest.mark.parametrize("claim", brief.CLAIMS, ids=[c.id for c in brief.CLAIMS])
def test_every_claim_makes_a_brief(claim):
    made, wide, label, unit, _ = brief.make_brief(claim.id, verdict="Partly supported", reasoning="Because.")
    assert not wide.empty and label and unit
    assert wide.columns[0] in ("CHN", "Payments")
    assert made.source.startswith("Source: ")
    assert made.verdict == "Partly supported."
    text = made.markdown()
    order = [text.index(s) for s in ("**Claim.**", "**Evidence.**", "**Source.**", "**Verdict.**")]
    assert order == sorted(order)
    assert brief.ESSAYS[claim.essay].title in text
    assert "Because." in text


def test_second_largest_spender_crossings_match_facts():
    """facts.md claim 4: China passes Japan in 2009, the EU-27 in 2013 (current PPP) or 2016 (constant
    2020 PPP), and the United States in 2024 (OECD estimates)."""
    constant = data.series("oecd_gerd_ppp", "G_PPPCT", iso3=["CHN", "USA", "JPN", "EU27_2020"])
    current = data.series("oecd_gerd_ppp", "G_PPP", iso3=["CHN", "USA", "JPN", "EU27_2020"])
    assert brief.crossing_year(constant, "CHN", "JPN") == 2009
    assert brief.crossing_year(constant, "CHN", "EU27_2020") == 2016
    assert brief.crossing_year(current, "CHN", "EU27_2020") == 2013
    assert brief.crossing_year(constant, "CHN", "USA") == 2024
    made = brief.make_brief("rd-second-largest")[0]
    assert "above Japan since 2009" in made.evidence
    assert "above the EU-27 since 2016" in made.evidence
    assert "above the United States in 2024 only" in made.evidence
    assert "estimates" in " ".join(made.caveats)


def test_crossing_year_on_a_small_frame():
    wide = pd.DataFrame({"CHN": [1, 3, 1, 4, 5], "USA": [2, 2, 2, 2, 2], "JPN": [0, 0, 0, 0, 0],
                         "KOR": [9, 9, 9, 9, 9]}, index=[2000, 2001, 2002, 2003, 2004])
    assert brief.crossing_year(wide, "CHN", "USA") == 2003  # the last run above, not the first crossing
    assert brief.crossing_year(wide, "CHN", "JPN") == 2000
    assert brief.crossing_year(wide, "CHN", "KOR") is None


def test_growth_claim_brief_agrees_with_findings():
    made, wide, *_ = brief.make_brief("gdp-9-percent")
    means = brief.decade_means(wide["CHN"])
    for decade in findings.DECADES:
        assert means[f"{decade}s"] == pytest.approx(findings.decade_growth(decade))
    assert "1980s 9.7 %, 1990s 10.1 %, 2000s 10.4 %, 2010s 7.7 %" in made.evidence  # facts.md claim 9
    assert "3 of 4 decades are above 9 %" in made.evidence


def test_ip_and_gii_evidence_agree_with_findings():
    made = brief.make_brief("ip-dependence")[0]
    last = int(findings.ip_flows().index.max())
    assert f"{findings.ip_ratio(last):.1f} times in {last}" in made.evidence
    gii = brief.make_brief("epicenter")[0]
    assert f"{findings.gii_rank(2025)}th in 2025" in gii.evidence
    assert "1 of 14 editions put it in the top ten" in gii.evidence


def test_a_claim_of_your_own():
    made, wide, _, _, known = brief.make_brief(
        "China's R&D intensity caught up with the EU", essay="akram", resource="wdi_rd_expenditure_pct_gdp",
        code="GB.XPD.RSDV.GD.ZS", economies=("CHN", "EUU"), verdict="supported")
    assert known.evidence == "compare" and list(wide.columns) == ["CHN", "EUU"]
    assert made.attribution.startswith("“China's Efforts")
    assert made.verdict == "Supported."
    assert "above the European Union since" in made.evidence
    with pytest.raises(ValueError):
        brief.make_brief("anything", essay="anon")  # no data named
    with pytest.raises(ValueError):
        brief.make_brief("rd-second-largest", verdict="probably")
    with pytest.raises(ValueError):
        brief.make_brief("x", essay="someone else", resource="wdi_gdp", code="NY.GDP.MKTP.KD.ZG")


def test_caveats_concern_only_what_is_shown():
    china = brief.caveats_for("wdi_rd_expenditure_pct_gdp", ["CHN"])
    assert not any(note.startswith("UK:") for note in china)
    assert any("NBS" in note for note in china)
    uk = brief.caveats_for("wdi_rd_expenditure_pct_gdp", ["GBR"])
    assert any(note.startswith("UK:") for note in uk)
    gdp = brief.caveats_for("wdi_gdp", ["CHN"], codes=["NY.GDP.MKTP.KD.ZG"])
    assert not any("NY.GDP.PCAP" in note for note in gdp)
    breaks = brief.caveats_for("oecd_gerd_ppp", ["CHN"], (2005, 2024))
    assert "Break in series for China in 2009 (OECD flag B)." in breaks


def test_rescaling_keeps_the_values():
    wide, _, unit = brief.frame_for("wdi_hightech_exports", "TX.VAL.TECH.CD", ["CHN"])
    raw = data.series("wdi_hightech_exports", "TX.VAL.TECH.CD", iso3=["CHN"])
    assert unit.startswith("billion ")
    assert wide.loc[2020, "CHN"] == pytest.approx(raw.loc[2020, "CHN"] / 1e9)


class FakeHandle:
    def __init__(self, obj):
        self.shown = [obj]

    def update(self, obj, **_):
        self.shown.append(obj)


def test_brief_builder_keeps_the_learners_brief_in_the_journal_and_restores_it(monkeypatch, tmp_path):
    """Lesson 6's brief is a learner's answer like any other: every change goes to the journal, and after a
    restart with outputs cleared (or a rename) the cell brings the brief back from it."""
    import IPython.display

    from innovation_course.engine import answers, journal, workbook
    from innovation_course.engine.workbook import Workbook

    for name in ("_ANSWERS", "_RECORDS", "_NOTEBOOK_IDS"):
        monkeypatch.setattr(answers, name, {})
    monkeypatch.setattr(workbook, "_CURRENT", [])
    monkeypatch.setattr(workbook.frontend, "install", lambda: None)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv("INNOVATION_COURSE_JOURNAL", "1")
    monkeypatch.chdir(tmp_path)
    shown = []

    def fake_display(obj, **kwargs):
        shown.append(FakeHandle(obj) if kwargs.get("display_id") else obj)
        return shown[-1] if kwargs.get("display_id") else None

    monkeypatch.setattr(IPython.display, "display", fake_display)
    wb = Workbook("lesson-06", "Synthesis")
    brief.brief_builder(wb)
    box, chart, text, record = shown[-4:]
    pick, judge, why = box.children
    assert judge.value == "(not yet)" and why.value == ""
    where = journal.journal_path(wb.store.notebook_id)
    assert not journal.read_journal(where)  # untouched: nothing journaled

    pick.value = "epicenter"  # the learner picks a claim, a verdict and writes: chart, brief, record, journal
    judge.value = "Not supported"
    why.value = "A rank is not an epicenter."
    expected = {"claim": "epicenter", "verdict": "Not supported", "reasoning": "A rank is not an epicenter."}
    saved = record.shown[-1]["application/vnd.innovation-course.answer+json"]
    assert (saved["workbook"], saved["question"], saved["answer"]) == ("lesson-06", "my-brief", expected)
    assert saved["answered_at"]
    assert journal.read_journal(where)["my-brief"]["answer"] == expected
    assert "editions put it in the top ten" in chart.shown[-1]["text/plain"]
    assert "**Verdict.** Not supported. A rank is not an epicenter." in text.shown[-1].data
    assert record.shown[-1]["text/plain"].startswith("Your brief: claim epicenter · verdict Not supported")

    for name in ("_ANSWERS", "_RECORDS", "_NOTEBOOK_IDS"):  # Kernel ▸ Restart, Clear Outputs, Run All
        monkeypatch.setattr(answers, name, {})
    shown.clear()
    brief.brief_builder(Workbook("lesson-06", "Synthesis"))
    pick, judge, why = shown[0].children
    assert (pick.value, judge.value, why.value) == ("epicenter", "Not supported", "A rank is not an epicenter.")
    assert shown[3].shown[-1]["application/vnd.innovation-course.answer+json"]["answer"] == expected


def test_growth_claim_explorer_updates_its_sentence(monkeypatch):
    import IPython.display

    handles = []

    def fake_display(obj, **kwargs):
        if kwargs.get("display_id"):
            handles.append(FakeHandle(obj))
            return handles[-1]
        handles.append(obj)
        return None

    monkeypatch.setattr(IPython.display, "display", fake_display)
    brief.growth_claim_explorer(1980, 2019)
    box, handle = handles
    span, mean, series = box.children
    assert handle.shown[-1].data == findings.growth_period_sentence(1980, 2019, "arithmetic", "WDI")
    span.value = (2010, 2019)
    series.value = "Maddison"
    mean.value = "compound"
    assert handle.shown[-1].data == findings.growth_period_sentence(2010, 2019, "compound", "Maddison")


# --------------------------------------------------------------------------- the claims live in a data file

def test_claims_come_from_the_data_file_with_their_sources():
    from pathlib import Path

    from innovation_course.content import data

    table = data.load("brief_claims")
    assert [c.id for c in brief.CLAIMS] == list(table["id"])
    assert "CLAIMS: tuple[Claim, ...] = load_claims()" in Path(brief.claims.__file__).read_text(encoding="utf-8")
    assert set(table["essay"]) <= set(brief.ESSAYS)
    for row in table.itertuples():
        assert row.resource in data.resource_names(), row.id
        codes = [c.strip() for c in row.code.split(";")]
        if data.resource(row.resource).get("indicator_field"):
            for code in codes:
                data.indicator_label(row.resource, code)  # raises for an unknown code
    epicenter = brief.claim_by_id("epicenter")
    assert "cannot settle a metaphor" in epicenter.test


def test_claim_quotes_are_the_essays_exact_words():
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not available")
    texts = {"anon": "000_05481ec566c385c6.txt", "akram": "001_ceb65bb46245c206.txt"}
    for claim in brief.CLAIMS:
        essay = " ".join((seeds / texts[claim.essay]).read_text(encoding="utf-8").split())
        assert " ".join(claim.quote.split()) in essay, claim.id
