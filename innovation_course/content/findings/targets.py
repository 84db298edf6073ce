"""Findings for lessons 1 and 2: plan targets beside what happened.

The 2016 Outline's three steps, and the 14th Five-Year Plan's (2021–2025) targets each set beside its outcome:
computed from ``data/`` where the data hold it (R&D growth: NBS in yuan and OECD at constant 2020 PPP; basic
research: OECD by type of research), otherwise read from the reported figures (``reported_figures``, the table
"Reported figures" in data/facts.md, one published page per row). The verdict follows from the numbers: **met**,
**missed**, or **not yet known** when no figure for the target year was found.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from .. import data
from . import policy, rd, rd_sectors
from .reported import _number, reported, reported_text

__all__ = [
    "MET",
    "MISSED",
    "NOT_YET_KNOWN",
    "OUTLINE_2016_STEPS",
    "chained_fall",
    "co2_intensity_fall",
    "energy_intensity_fall",
    "outline_steps_table",
    "plan14_predict_explanation",
    "plan14_sentence",
    "plan14_table",
    "plan14_verdict_key",
    "plan14_verdicts",
    "rd_growth",
    "rd_growth_explanation",
    "rd_growth_frame",
    "rd_growth_sentence",
    "rd_growth_table",
    "target_verdict_of",
]

MET, MISSED, NOT_YET_KNOWN = "met", "missed", "not yet known"
#: The three steps of the Outline of the National Innovation-Driven Development Strategy (19 May 2016), in
#: Xinhua's English and the Chinese text (data/facts.md, "Issue 21: the 2016 Outline's three steps").
OUTLINE_2016_STEPS = (
    (2020, "an innovative nation", "进入创新型国家行列"),
    (2030, "an international leader in innovation", "跻身创新型国家前列"),
    (2050, "a world powerhouse of scientific and technological innovation", "建成世界科技创新强国"),
)
#: The years of the 14th Five-Year Plan.
PLAN14 = (2021, 2025)
_NBS_SPENDING = ("china_provinces_rd", "v4_ztr_jf_RD")


def target_verdict_of(outcome: float | None, target: float, more_than: bool = False) -> str:
    """"met" when ``outcome`` reaches ``target`` (passes it, for a "more than" target), "missed" when not,
    "not yet known" when there is no outcome."""
    if outcome is None or (isinstance(outcome, float) and math.isnan(outcome)):
        return NOT_YET_KNOWN
    return MET if (outcome > target if more_than else outcome >= target) else MISSED


def chained_fall(falls: Iterable[float]) -> float:
    """The fall over several years, in %, from the falls of each year on the year before (in %): compounded,
    1 − (1 − a)(1 − b)…, not added."""
    level = 1.0
    for fall in falls:
        level *= 1 - float(fall) / 100
    return (1 - level) * 100


def co2_intensity_fall(start: int = PLAN14[0], end: int = PLAN14[1]) -> float:
    """The fall in CO2 emissions per unit of GDP over ``start``–``end``, chained from the reported falls of each
    year (co2_intensity_fall_YYYY)."""
    return chained_fall(reported(f"co2_intensity_fall_{year}") for year in range(start, end + 1))


def energy_intensity_fall(definition: str = "first published") -> float:
    """The fall in energy use per unit of GDP over 2021–2025: ``"first published"`` chains the yearly falls as
    NBS first published them (2021–2022 on the old definition, 2023 on on the new one); ``"new"`` chains NDRC's
    figure for 2021–2024 (new definition, applied back) with NBS's for 2025."""
    if definition == "first published":
        return chained_fall(reported(f"energy_intensity_fall_{year}") for year in range(PLAN14[0], PLAN14[1] + 1))
    if definition == "new":
        return chained_fall([reported("energy_intensity_fall_2021_2024"), reported("energy_intensity_fall_2025")])
    raise ValueError(f"unknown definition {definition!r}; choose 'first published' or 'new'")


# --------------------------------------------------------------------------- R&D growth against "more than 7 %"


def _nbs_spending() -> pd.Series:
    frame = data.load(_NBS_SPENDING[0])
    rows = frame[(frame["region_code"] == "CN") & (frame["indicator_code"] == _NBS_SPENDING[1])]
    values = rows.set_index("year")["value"].astype(float).sort_index()
    values.index = values.index.astype(int)
    return values


def _oecd_constant() -> pd.Series:
    return rd.gerd("constant", ["CHN"])["CHN"].dropna()


def rd_growth(source: str = "NBS", start: int = 2020, end: int | None = None) -> float:
    """Average yearly growth (compound, %) of China's R&D spending from ``start`` to ``end`` (default: the last
    year with data): ``"NBS"`` in yuan at current prices, ``"OECD"`` at constant 2020 prices and PPP."""
    values = {"NBS": _nbs_spending, "OECD": _oecd_constant}[source.upper()]()
    end = int(end or values.index[-1])
    return ((values[end] / values[int(start)]) ** (1 / (end - int(start))) - 1) * 100


def rd_growth_frame(start: int = 2011) -> pd.DataFrame:
    """Yearly growth (%) of China's R&D spending by both measures, from ``start`` (index year)."""
    frame = pd.concat({"NBS, yuan at current prices": _nbs_spending().pct_change(fill_method=None) * 100,
                       "OECD, constant 2020 PPP": _oecd_constant().pct_change(fill_method=None) * 100}, axis=1)
    return frame.sort_index().loc[start:].dropna(how="all")


def rd_growth_table() -> pd.DataFrame:
    """The 14th plan's R&D growth target ("more than 7 % a year") beside each measure of what happened."""
    target = reported("fyp14_rd_growth")
    nbs_end, oecd_end = int(_nbs_spending().index[-1]), int(_oecd_constant().index[-1])
    estimate = oecd_end in rd.flagged_years("CHN", "constant", "E")
    rows = [
        (f"NBS, yuan at current prices, 2020–{nbs_end}", "data", rd_growth("NBS", 2020)),
        (f"OECD, constant 2020 PPP, 2020–{oecd_end}", "data" + (f" ({oecd_end} an OECD estimate)" if estimate
                                                                  else ""), rd_growth("OECD", 2020)),
        ("NBS, 2021–2024 average", "reported (NBS, 29 Sep 2025)", reported("rd_growth_2021_2024")),
        ("NBS, 2024 on 2023", "reported (NBS, 29 Sep 2025)", reported("rd_growth_2024")),
    ]
    table = pd.DataFrame(rows, columns=["measure", "source", "% a year"]).set_index("measure")
    table["verdict against 'more than 7 %'"] = [target_verdict_of(v, target, more_than=True)
                                                for v in table["% a year"]]
    return table


def rd_growth_sentence() -> str:
    """The check of the 14th plan's R&D growth target, in words."""
    table = rd_growth_table()
    nbs, oecd = table.iloc[0], table.iloc[1]
    verdicts = set(table.iloc[:, -1])
    verdict = verdicts.pop() if len(verdicts) == 1 else "met by some measures, missed by others"
    return (f"Target: R&D spending to grow by {reported_text('fyp14_rd_growth')} (14th plan, 2021–2025). "
            f"In the data it grew by {nbs['% a year']:.1f} % a year ({nbs.name}, compound) and "
            f"{oecd['% a year']:.1f} % a year ({oecd.name}: growth in real resources, after prices). NBS reported "
            f"{_number(reported('rd_growth_2021_2024'))} % a year for 2021–2024. Verdict: **{verdict}** for the "
            "years the data cover; growth in 2025 is not yet in the data.")


# --------------------------------------------------------------------------- the 14th plan, target by target


def _latest(series: pd.Series) -> tuple[int, float]:
    series = series.dropna()
    return int(series.index[-1]), float(series.iloc[-1])


def plan14_verdicts() -> dict[str, tuple[str, str, str]]:
    """Each 14th-plan target → (the aim, what happened with its source, verdict), every number computed here."""
    rd_target = reported("fyp14_rd_growth")
    nbs_g, oecd_g = rd_growth("NBS", 2020), rd_growth("OECD", 2020)
    nbs_end, oecd_end = int(_nbs_spending().index[-1]), int(_oecd_constant().index[-1])
    basic_target = reported("fyp14_basic_research")
    basic_year, basic = _latest(rd_sectors.basic_share(["CHN"])["CHN"])
    basic_2025 = reported("basic_research_share_2025")
    co2, energy_old, energy_new = co2_intensity_fall(), energy_intensity_fall(), energy_intensity_fall("new")
    return {
        "R&D spending growth": (
            f"more than {_number(rd_target)} % a year",
            f"{nbs_g:.1f} % a year 2020–{nbs_end} (NBS, yuan, data); {oecd_g:.1f} % a year 2020–{oecd_end} "
            "(OECD, constant 2020 PPP, data)",
            target_verdict_of(min(nbs_g, oecd_g), rd_target, more_than=True)),
        "Basic research, share of R&D spending": (
            f"over {_number(basic_target)} % by 2025",
            f"{basic:.2f} % in {basic_year} (OECD, data); {_number(basic_2025)} % in 2025 (the minister, reported)",
            target_verdict_of(basic_2025, basic_target, more_than=True)),
        "High-value invention patents": (
            f"{_number(reported('fyp14_hv_patents'))} per 10,000 people by 2025",
            f"{_number(reported('hv_patents_2025'))} per 10,000 people at the end of 2025 (CNIPA, reported)",
            target_verdict_of(reported("hv_patents_2025"), reported("fyp14_hv_patents"))),
        "Core digital-economy industries, share of GDP": (
            f"{_number(reported('fyp14_digital_core'))} % of GDP by 2025",
            f"{_number(reported('digital_core_2023'))} % in 2023 (NBS, reported); no official 2025 figure found",
            target_verdict_of(None, reported("fyp14_digital_core"))),
        "CO2 emissions per unit of GDP": _fall_row(
            "fyp14_co2_intensity", co2, "the five yearly falls as reported, chained; no official total found"),
        "Energy use per unit of GDP, yearly falls as first published": _fall_row(
            "fyp14_energy_intensity", energy_old, "chained; definition changed from 2023"),
        "Energy use per unit of GDP, new definition (NDRC 2021–2024, NBS 2025)": _fall_row(
            "fyp14_energy_intensity", energy_new, "chained; leaves out non-fossil energy and raw-material use"),
    }


def _fall_row(target: str, fall: float, note: str) -> tuple[str, str, str]:
    """(aim, what happened, verdict) of a target for a fall over the plan (``target``: its reported figure)."""
    return (f"down {_number(reported(target))} %", f"down {fall:.1f} % ({note})",
            target_verdict_of(fall, reported(target)))


#: The 14th-plan targets as a workbook question names them → their rows in :func:`plan14_verdicts`.
PLAN14_QUESTION_ROWS = {
    "R&D spending growing by more than 7 % a year": "R&D spending growth",
    "Basic research above 8 % of R&D spending": "Basic research, share of R&D spending",
    "12 high-value invention patents per 10,000 people": "High-value invention patents",
    "Core digital-economy industries at 10 % of GDP": "Core digital-economy industries, share of GDP",
    "CO2 emissions per unit of GDP down 18 %": "CO2 emissions per unit of GDP",
}


def plan14_verdict_key() -> dict[str, str]:
    """The answer key of a matching question (target as the question names it → verdict), from the table."""
    verdicts = plan14_verdicts()
    return {label: verdicts[row][2] for label, row in PLAN14_QUESTION_ROWS.items()}


def plan14_table() -> pd.DataFrame:
    """The 14th plan's targets beside outcomes: target, aim, outcome (with its source), verdict."""
    rows = plan14_verdicts()
    table = pd.DataFrame(rows.values(), index=list(rows), columns=["aim (2021–2025)", "what happened", "verdict"])
    table.index.name = "14th plan target"
    return table


def plan14_sentence() -> str:
    """How the 14th plan's targets came out, counted from the table, with what the count hides."""
    verdicts = plan14_table()["verdict"]
    counts = verdicts.value_counts()
    energy = verdicts[verdicts.index.str.startswith("Energy")]
    return (f"Of the {len(verdicts)} rows, {counts.get(MET, 0)} say met, {counts.get(MISSED, 0)} missed and "
            f"{counts.get(NOT_YET_KNOWN, 0)} not yet known. The energy target is "
            f"{' on one definition and '.join(energy)} on the other: the definition changed in the middle of the "
            "plan, and the verdict moves with it. Only the R&D growth and basic-research rows are computed from "
            "the course's data; the others rest on reported figures, and the CO2 and energy totals are chained "
            "from yearly figures because no official five-year total was found.")


# --------------------------------------------------------------------------- the 2016 Outline's three steps


def outline_steps_table() -> pd.DataFrame:
    """The 2016 Outline's three steps, and for step 1 its R&D sub-target checked against the data."""
    target = reported("outline2016_rd_target")
    first = policy.target_verdict(2020, target)
    checked = {2020: f"R&D at {_number(target)} % of GDP by 2020: {first} (NBS and World Bank data)"}
    rows = [(year, goal, chinese, checked.get(year, "target year not reached yet"))
            for year, goal, chinese in OUTLINE_2016_STEPS]
    return pd.DataFrame(rows, columns=["by", "goal (Xinhua's English)", "中文", "checked"]).set_index("by")


# --------------------------------------------------------------------------- explanations of lesson questions
# (a lesson's question reads them as findings.NAME(), so its key stays readable without running the lesson)


def plan14_predict_explanation() -> str:
    """Lesson 1's prediction about the 14th plan: what happened to each of the four targets it names."""
    return (f"R&D spending grew by {rd_growth('NBS', 2020):.1f} % a year (NBS, 2020–{int(_nbs_spending().index[-1])}): "
            f"met. Basic research reached {_number(reported('basic_research_share_2025'))} % in 2025 (the minister's "
            f"figure): missed. High-value invention patents reached {_number(reported('hv_patents_2025'))} per 10,000 "
            f"people (CNIPA): met. CO2 per unit of GDP fell about {co2_intensity_fall():.1f} % on the yearly figures "
            "as reported: missed.")


def rd_growth_explanation() -> str:
    """Lesson 2's prediction about R&D growth against "more than 7 %": both measures, computed."""
    return (f"In yuan at current prices {rd_growth('NBS', 2020):.1f} % a year (2020–{int(_nbs_spending().index[-1])}); "
            f"at constant 2020 PPP {rd_growth('OECD', 2020):.1f} % a year (2020–{int(_oecd_constant().index[-1])}): "
            "slower once prices are taken out, but above 7 % in both.")
