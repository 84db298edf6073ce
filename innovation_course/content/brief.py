"""One-chart evidence briefs (lesson 6): take a claim from one of the two essays, test it against one data
series, and write the result down in a fixed shape: the claim with its attribution, one chart in the house
style, an evidence sentence computed from the data, the source, a verdict and the caveats.

    >>> from innovation_course import brief
    >>> brief.evidence_brief("rd-second-largest", verdict="Out of date")        # a claim from CLAIMS
    >>> brief.evidence_brief(claim="China's R&D intensity ...", essay="anon",     # or any claim of your own
    ...                      resource="wdi_rd_expenditure_pct_gdp", code="GB.XPD.RSDV.GD.ZS",
    ...                      economies=("CHN", "USA", "JPN"), verdict="Supported")
    >>> brief.brief_builder(wb)                                                   # the app: pick, judge, write

Pure functions first (the claim list, the data frame behind a chart, the evidence sentence, the brief's
Markdown), tested in ``tests/test_brief.py``; the chart and the widgets last and thin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import charts, data
from .findings import challenges as _challenges

__all__ = [
    "CLAIMS",
    "ESSAYS",
    "VERDICTS",
    "Brief",
    "Claim",
    "Essay",
    "brief_builder",
    "brief_markdown",
    "caveats_for",
    "claim_by_id",
    "claim_options",
    "claims_markdown",
    "crossing_year",
    "decade_hook",
    "decade_means",
    "evidence_brief",
    "evidence_sentence",
    "frame_for",
    "growth_claim_explorer",
    "load_claims",
    "make_brief",
    "rank_hook",
]


@dataclass(frozen=True)
class Essay:
    """One of the two source essays, as the course cites it."""

    key: str
    title: str
    author: str
    published: str

    @property
    def citation(self) -> str:
        return f"“{self.title}”, {self.author} ({self.published})"


ESSAYS: dict[str, Essay] = {
    "anon": Essay("anon", "China Innovation-based Development", "unnamed author",
                  "web essay citing “TopSchoolsintheusa”, undated"),
    "akram": Essay("akram", "China's Efforts to Facilitate Innovation-driven Development", "Khalid Taimur Akram",
                   "Institute for a Community with Shared Future, Communication University of China, "
                   "19 March 2024"),
}

#: What a brief can conclude. "Out of date" is for a claim that was true when written but no longer is.
VERDICTS = ("Supported", "Partly supported", "Not supported", "Out of date", "Cannot be checked with these data")

#: Evidence kinds: compare economies, change over time, decade means against a threshold, a rank, two flows.
EVIDENCE = ("compare", "trend", "decades", "rank", "flows")


@dataclass(frozen=True)
class Claim:
    """A checkable claim from an essay and the data series that tests it."""

    id: str
    essay: str                      # a key of ESSAYS
    quote: str                      # the essay's exact words
    resource: str                   # a data package resource
    code: str | tuple[str, ...]     # its indicator code (two codes: two flows of one economy)
    economies: tuple[str, ...]      # iso3 codes; the first is the focus (China)
    test: str                       # what in the data tests the claim
    evidence: str = "compare"       # one of EVIDENCE
    threshold: float | None = None  # decades: the claim's number
    caveats: tuple[str, ...] = ()   # what the data cannot tell
    facts: str = ""                 # where data/facts.md checks it

    @property
    def label(self) -> str:
        """A short line for a drop-down menu."""
        who = "Akram" if self.essay == "akram" else "Anonymous essay"
        quote = self.quote if len(self.quote) <= 70 else self.quote[:67].rstrip(" ,") + "…"
        return f"{who}: “{quote}”"


def _split(text: object, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(text).split(separator) if part.strip()) if pd.notna(text) else ()


def load_claims() -> tuple[Claim, ...]:
    """The checkable claims, read from ``brief_claims`` (the table "Claims for evidence briefs" in data/facts.md,
    each row with its essay, exact words, data and caveats)."""
    claims = []
    for row in data.load("brief_claims").itertuples(index=False):
        codes = _split(row.code, ";")
        claims.append(Claim(
            id=row.id, essay=row.essay, quote=row.quote, resource=row.resource,
            code=codes[0] if len(codes) == 1 else codes, economies=_split(row.economies, ";"), test=row.test,
            evidence=row.evidence, threshold=None if pd.isna(row.threshold) else float(row.threshold),
            caveats=_split(row.caveats, "<br>"), facts="" if pd.isna(row.checked_in) else str(row.checked_in)))
    return tuple(claims)


#: The checkable claims of the two essays (from data/facts.md via ``brief_claims``).
CLAIMS: tuple[Claim, ...] = load_claims()


def claim_by_id(claim_id: str) -> Claim:
    """A claim of CLAIMS by its id."""
    for claim in CLAIMS:
        if claim.id == claim_id:
            return claim
    raise KeyError(f"no claim {claim_id!r}; the claims are: {', '.join(c.id for c in CLAIMS)}")


def claims_markdown() -> str:
    """The claims as a Markdown table: which essay, the words, and the data that test them."""
    rows = ["| id | essay | claim | tested with |", "|---|---|---|---|"]
    for claim in CLAIMS:
        who = "Akram" if claim.essay == "akram" else "anonymous"
        code = ", ".join(f"`{c}`" for c in _codes(claim.code))
        rows.append(f"| `{claim.id}` | {who} | “{claim.quote}” | {claim.test} (`{claim.resource}`: {code}) |")
    return "\n".join(rows)


def claim_options() -> list[tuple[str, str]]:
    """(label, id) pairs for a drop-down of the claims."""
    return [(claim.label, claim.id) for claim in CLAIMS]


# --------------------------------------------------------------------------- the data behind a chart


def _codes(code: str | Sequence[str]) -> tuple[str, ...]:
    return (code,) if isinstance(code, str) else tuple(code)


def _label(resource: str, code: str) -> tuple[str, str]:
    """(label, unit) of an indicator, also for the two files without an indicator column."""
    if resource == "gii_china_rank":
        return "China's rank in the Global Innovation Index", "rank (1 = best)"
    return data.indicator_label(resource, code), data.indicator_unit(resource, code)


def frame_for(resource: str, code: str | Sequence[str], economies: Sequence[str] = ("CHN",),
              start: int | None = None, end: int | None = None) -> tuple[pd.DataFrame, str, str]:
    """The wide frame (years × columns) a brief charts, with its title and y-axis unit.

    One code: one column per economy. Two codes (flows): one column per code, for the first economy.
    Large amounts are rescaled (US$ → billion US$, million USD → billion USD) so the axis stays readable.
    """
    codes = _codes(code)
    if resource == "gii_china_rank":
        wide = _challenges.gii_ranks().to_frame("CHN")
    elif resource == "china_5g_base_stations":
        frame = data.load(resource)
        frame = frame[frame["as_of"] == "end of year"]  # a count for part of a year is not a year's step
        wide = frame.set_index("year")[[codes[0]]].rename(columns={codes[0]: "CHN"}).astype(float)
    elif len(codes) > 1:
        focus = economies[0]
        wide = pd.concat({_short(resource, c): data.series(resource, c, iso3=[focus])[focus] for c in codes}, axis=1)
    else:
        wide = data.series(resource, codes[0], iso3=list(economies))
    wide.index.name = "year"
    wide = wide.loc[start:end].dropna(how="all").astype(float)
    label, unit = _label(resource, codes[0])
    if len(codes) > 1:
        label = f"{charts.label_for(economies[0])}: {label.split(',')[0].lower()}"
    wide, unit = _rescale(wide, unit)
    return wide, label, unit


def _short(resource: str, code: str) -> str:
    """A column name for one of several flows: "payments" from "..., payments (BoP, current US$)"."""
    label = re.sub(r"\s*\(.*?\)", "", data.indicator_label(resource, code))
    return label.split(",")[-1].strip().capitalize()


def _rescale(wide: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, str]:
    top = float(wide.abs().max().max()) if wide.size else 0.0
    if "US$" in unit and top >= 1e9:
        return wide / 1e9, "billion " + unit
    if unit.startswith("million") and top >= 1e4:
        return wide / 1e3, "billion" + unit[len("million"):]
    return wide, unit


# --------------------------------------------------------------------------- the evidence sentence


def crossing_year(wide: pd.DataFrame, focus: str, other: str) -> int | None:
    """The first year of the run in which ``focus`` stays above ``other`` to the last common year
    (None when ``focus`` is not above in the last common year)."""
    both = wide[[focus, other]].dropna()
    if both.empty:
        return None
    above = both[focus] > both[other]
    if not above.iloc[-1]:
        return None
    below_years = above.index[~above]
    return int(above.index[0]) if len(below_years) == 0 else int(above.index[above.index > below_years.max()][0])


def decade_means(values: pd.Series, decades: Sequence[int] = (1980, 1990, 2000, 2010)) -> pd.Series:
    """Arithmetic means of a yearly series by decade (1980 = 1980–1989), only for complete decades."""
    means = {}
    for decade in decades:
        part = values.loc[decade:decade + 9].dropna()
        if len(part) == 10:
            means[f"{decade}s"] = float(part.mean())
    return pd.Series(means, dtype=float)


def _the(iso3: str) -> str:
    """An economy's name as it reads in a sentence: "the United States", "Japan"."""
    name = charts.label_for(iso3)
    return f"the {name}" if iso3 in ("USA", "EUU", "EU27_2020", "GBR", "OECD", "WLD", "W") else name


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _short_unit(unit: str) -> str:
    """A unit short enough for a sentence: "applications" for "number of applications (inventor ...)"."""
    short = re.sub(r"\s*\(.*?\)", "", unit).split(",")[0].strip()
    return short.removeprefix("number of ")


def _fmt(value: float, unit: str = "") -> str:
    magnitude = abs(value)
    text = f"{value:,.0f}" if magnitude >= 100 else f"{value:,.1f}" if magnitude >= 10 else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def _growth(first: float, last: float, years: int, unit: str = "") -> str:
    """The change from ``first`` to ``last``: in percentage points for a series that is itself a percentage
    (a rate is not compounded), else the average growth a year over ``years`` whole years."""
    if "%" in unit:
        return f" (up {last - first:.2f} percentage points)" if last >= first else \
            f" (down {first - last:.2f} percentage points)"
    if years <= 0 or first <= 0 or last <= 0:
        return ""
    rate = ((last / first) ** (1 / years) - 1) * 100
    return f" ({rate:+.1f} % a year on average over {years} years)"


def evidence_sentence(wide: pd.DataFrame, label: str, unit: str, evidence: str = "compare",
                      threshold: float | None = None) -> str:
    """The brief's evidence, computed from the charted frame (first column = the focus economy)."""
    if evidence not in EVIDENCE:
        raise ValueError(f"evidence must be one of {EVIDENCE}")
    focus = wide.columns[0]
    name = charts.label_for(focus)
    values = wide[focus].dropna()
    if evidence in ("compare", "trend") and (values > 0).any():
        values = values.loc[values.gt(0).idxmax():]  # start where the series starts to count
    if values.empty:
        return f"The data have no values for {name}."
    unit = _short_unit(unit)
    (y0, v0), (y1, v1) = (int(values.index[0]), values.iloc[0]), (int(values.index[-1]), values.iloc[-1])
    what = label[0].lower() + label[1:] if label[1:2].islower() else label
    if evidence == "rank":
        best = int(values.idxmin())
        return (f"{name} ranked {_ordinal(int(v0))} in {y0} and {_ordinal(int(v1))} in {y1} (best: "
                f"{_ordinal(int(values.min()))}, first reached in {best}); {int((values <= 10).sum())} of "
                f"{len(values)} editions put it in the top ten.")
    if evidence == "decades":
        means = decade_means(values)
        listed = ", ".join(f"{d} {v:.1f} %" for d, v in means.items())
        text = f"{name}, {what}, average by decade: {listed}."
        if threshold is not None and len(means):
            above = int((means > threshold).sum())
            text += (f" {above} of {len(means)} decades are above {threshold:g} %; over "
                     f"{means.index[0][:4]}–{int(means.index[-1][:4]) + 9} as a whole the average is "
                     f"{values.loc[int(means.index[0][:4]):int(means.index[-1][:4]) + 9].mean():.1f} %.")
        return text
    if evidence == "flows":
        a, b = wide.columns[0], wide.columns[1]
        both = wide[[a, b]].dropna()
        f0, f1 = int(both.index[0]), int(both.index[-1])
        r0, r1 = both.loc[f0, a] / both.loc[f0, b], both.loc[f1, a] / both.loc[f1, b]
        larger = int((both[a] > both[b]).sum())
        return (f"{a} were {r0:.1f} times {b.lower()} in {f0} and {r1:.1f} times in {f1} "
                f"({_fmt(both.loc[f1, a], unit)} against {_fmt(both.loc[f1, b], unit)}); {a.lower()} were the "
                f"larger in {larger} of {len(both)} years. {a} grew from {_fmt(both.loc[f0, a], unit)} in {f0} "
                f"to {_fmt(both.loc[f1, a], unit)} in {f1}{_growth(both.loc[f0, a], both.loc[f1, a], f1 - f0, unit)}.")
    subject = label if name in label else f"{name}'s {what}"
    text = (f"{subject} went from {_fmt(v0, unit)} in {y0} to {_fmt(v1, unit)} in {y1}"
            f"{_growth(v0, v1, y1 - y0, unit)}.")
    if evidence == "trend" or wide.shape[1] == 1:
        return text
    row = wide.loc[y1].drop(focus).dropna()
    rank = int((row > v1).sum()) + 1
    text += (f" In {y1} it ranks {_ordinal(rank)} of the {len(row) + 1} economies shown with data for that "
             f"year.")
    parts, always = [], {}
    for other in wide.columns[1:]:
        other_name = _the(other)
        since = crossing_year(wide, focus, other)
        common = wide[[focus, other]].dropna()
        if common.empty:
            continue
        last = int(common.index[-1])
        if since is None:
            parts.append(f"still below {other_name} ({last}: {_fmt(common.loc[last, focus])} against "
                         f"{_fmt(common.loc[last, other])})")
        elif since == int(common.index[0]):
            always.setdefault((since, last), []).append(other_name)
        elif since == last:
            parts.append(f"above {other_name} in {last} only, the last year of the data")
        else:
            parts.append(f"above {other_name} since {since}")
    for (first, last), names in always.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"above {listed} in every year of the data ({first}–{last})")
    if parts:
        text += f" {name} is " + "; ".join(parts) + "."
    return text


# --------------------------------------------------------------------------- the brief


_MENTIONS = {
    "CHN": ("China", "Chinese"), "USA": ("USA", "US ", "US's", "United States"), "JPN": ("Japan", "JPN"),
    "EUU": ("EUU", "European Union", " EU "), "EU27_2020": ("EU27", "EU-27"), "DEU": ("Germany", "DEU"),
    "KOR": ("Korea", "KOR"), "GBR": ("UK", "GBR", "United Kingdom"), "IND": ("India", "IND"),
    "FRA": ("France", "FRA"), "OECD": ("OECD total", "OECD/"), "WLD": ("World",), "W": ("World",),
}
_CODE = re.compile(r"\b[A-Z]{2}\.[A-Z0-9.]+[A-Z0-9]\b")


def _relevant(note: str, economies: Sequence[str], codes: Sequence[str]) -> bool:
    """Whether a data-package note concerns the economies and indicator codes a brief shows."""
    named = {iso3 for iso3, words in _MENTIONS.items() if any(w in f" {note} " for w in words)}
    if named and not named & set(economies):
        return False
    mentioned = set(_CODE.findall(note))
    return not mentioned or bool(mentioned & set(codes))


def caveats_for(resource: str, economies: Sequence[str], years: tuple[int, int] | None = None,
                codes: Sequence[str] = ()) -> list[str]:
    """The data package's caveats, known gaps and series breaks for a resource and the economies shown
    (notes that name only other economies or other indicator codes are left out)."""
    res = data.resource(resource)
    notes = [n for n in [*res.get("caveats", []), *res.get("known_gaps", [])]
             if _relevant(n, economies, codes or [i["code"] for i in res.get("indicators", [])])]
    for entry in res.get("series_breaks", []):
        if entry["iso3"] in economies:
            shown = [y for y in entry["years"] if years is None or years[0] <= y <= years[1]]
            if shown:
                notes.append(f"Break in series for {_the(entry['iso3'])} in "
                             f"{', '.join(str(y) for y in shown)} (OECD flag B).")
    return notes


def breaks_for(resource: str, columns: Sequence[str]) -> dict[str, list[int]]:
    """Series breaks by column, for the chart's hollow markers."""
    res = data.resource(resource)
    return {e["iso3"]: list(e["years"]) for e in res.get("series_breaks", []) if e["iso3"] in columns}


@dataclass
class Brief:
    """A finished evidence brief: everything but the chart, as text."""

    claim: str
    attribution: str
    title: str
    evidence: str
    source: str
    verdict: str
    reasoning: str = ""
    caveats: list[str] = field(default_factory=list)
    test: str = ""
    unit: str = ""

    def markdown(self) -> str:
        return brief_markdown(self)


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown, in the course's fixed order."""
    lines = [f"#### Evidence brief: {brief.title}", "",
             f"**Claim.** “{brief.claim}” — {brief.attribution}.", ""]
    if brief.test:
        lines += [f"**What the data test.** {brief.test}.", ""]
    lines += [f"**Evidence.** {brief.evidence}", "", f"**Source.** {brief.source.removeprefix('Source: ')}", "",
              f"**Verdict.** {brief.verdict}" + (f" {brief.reasoning.strip()}" if brief.reasoning.strip() else ""),
              ""]
    if brief.caveats:
        lines += ["**Caveats.**", "", *[f"- {c}" for c in brief.caveats]]
    return "\n".join(lines).rstrip() + "\n"


def _verdict(verdict: str | None) -> str:
    if verdict is None or not str(verdict).strip():
        return "(no verdict yet)"
    for option in VERDICTS:
        if str(verdict).strip().casefold() == option.casefold():
            return option + "."
    raise ValueError(f"verdict must be one of {VERDICTS}")


def _resolve(claim: str | Claim, essay: str | None, resource: str | None, code: Any, economies: Any,
             caveats: Sequence[str]) -> tuple[Claim, tuple[str, ...]]:
    known = claim if isinstance(claim, Claim) else next((c for c in CLAIMS if c.id == claim), None)
    if known is None:
        if not (essay and resource and code):
            raise ValueError("a claim of your own needs essay=, resource= and code= (and usually economies=)")
        essay_key = next((k for k, e in ESSAYS.items() if essay in (k, e.title, e.author)), None)
        if essay_key is None:
            raise ValueError(f"essay must be one of {sorted(ESSAYS)} or an essay's title or author")
        codes = _codes(code)
        evidence = ("rank" if resource == "gii_china_rank" else "flows" if len(codes) > 1
                    else "compare" if economies and len(economies) > 1 else "trend")
        known = Claim("own", essay_key, str(claim), resource, code if len(codes) > 1 else codes[0],
                      tuple(economies or ("CHN",)), "", evidence=evidence)
    else:
        changes = {k: v for k, v in (("resource", resource), ("code", code)) if v}
        if economies:
            changes["economies"] = tuple(economies)
        if changes:
            known = Claim(**{**known.__dict__, **changes})
    return known, tuple(caveats)


def make_brief(claim: str | Claim, essay: str | None = None, resource: str | None = None,
               code: str | Sequence[str] | None = None, economies: Sequence[str] | None = None,
               verdict: str | None = None, reasoning: str = "", caveats: Sequence[str] = (),
               start: int | None = None, end: int | None = None) -> tuple[Brief, pd.DataFrame, str, str, Claim]:
    """Everything a brief needs, without drawing: (brief, charted frame, title, unit, resolved claim)."""
    known, extra = _resolve(claim, essay, resource, code, economies, caveats)
    wide, label, unit = frame_for(known.resource, known.code, known.economies, start, end)
    sentence = evidence_sentence(wide, label, unit, known.evidence, known.threshold)
    years = (int(wide.index.min()), int(wide.index.max())) if len(wide) else None
    notes = [*known.caveats, *extra, *caveats_for(known.resource, known.economies, years, _codes(known.code))]
    if known.facts:
        notes.append(f"Checked against the course's facts: {known.facts}.")
    codes = _codes(known.code)
    source = data.citation(known.resource, codes[0] if len(codes) == 1 and known.resource not in (
        "gii_china_rank", "china_5g_base_stations") else None)
    made = Brief(claim=known.quote, attribution=ESSAYS[known.essay].citation, title=label, evidence=sentence,
                 source=source, verdict=_verdict(verdict), reasoning=reasoning, caveats=list(dict.fromkeys(notes)),
                 test=known.test, unit=unit)
    return made, wide, label, unit, known


def decade_hook(values: pd.Series, threshold: float | None = None, decades: Sequence[int] = (1980, 1990, 2000, 2010)):
    """An ``ax_hook`` for charts.line: each decade's average as a bar across the decade, and the claim's
    threshold as a dashed line."""
    def hook(ax):
        for decade, mean in decade_means(values.dropna(), decades).items():
            start = int(decade[:4])
            ax.hlines(mean, start - 0.5, start + 9.5, colors="#444444", linewidth=3.5)
        ax.plot([], [], color="#444444", linewidth=3.5, label="decade average")
        if threshold is not None:
            charts.reference_line(ax, threshold, f"the claim: {threshold:g} %")
    return hook


def rank_hook(ax) -> None:
    """An ``ax_hook`` for rank charts: rank 1 at the top, and the top-ten line."""
    ax.invert_yaxis()
    charts.reference_line(ax, 10, "top ten")


def _hook(known: Claim, wide: pd.DataFrame):
    if known.evidence == "rank":
        return rank_hook
    if known.evidence == "decades":
        return decade_hook(wide.iloc[:, 0], known.threshold)
    return None


def _chart(made: Brief, wide: pd.DataFrame, known: Claim, show: bool = True):
    if known.evidence == "decades":
        wide = wide.loc[max(int(wide.index.min()), 1978):]
    return charts.line(wide, title=made.title, ylabel=made.unit, source=made.source, alt=made.evidence,
                       xlabel="GII edition" if known.evidence == "rank" else "Year",
                       breaks=breaks_for(known.resource, list(wide.columns)), ax_hook=_hook(known, wide), show=show)


def evidence_brief(claim: str | Claim, essay: str | None = None, resource: str | None = None,
                   code: str | Sequence[str] | None = None, economies: Sequence[str] | None = None,
                   verdict: str | None = None, reasoning: str = "", caveats: Sequence[str] = (),
                   start: int | None = None, end: int | None = None, show: bool = True) -> Brief:
    """Draw the chart and show the brief for a claim: an id from CLAIMS, or your own quote with ``essay``
    (``"anon"`` or ``"akram"``), ``resource``, ``code`` and ``economies``. Returns the :class:`Brief`."""
    from IPython.display import Markdown, display

    made, wide, _, _, known = make_brief(claim, essay, resource, code, economies, verdict, reasoning, caveats,
                                         start, end)
    if show:
        _chart(made, wide, known)
        display(Markdown(made.markdown()))
    return made


# --------------------------------------------------------------------------- the apps
# Both update display handles instead of an Output widget: the latest chart, brief and answer are ordinary
# cell outputs, saved with the notebook and checked by nbval.


def brief_builder(wb=None, question_id: str = "my-brief") -> None:
    """The app of lesson 6: pick a claim, choose a verdict, write your reasoning; the chart and brief redraw.

    With a workbook ``wb``, the choice is kept as a question's answer is: in this cell's output (and so in the
    notebook when you save it) and in the answer journal beside it, and it comes back when the cell runs again,
    after a rename, a restart or cleared outputs too.
    """
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    from ..engine import records

    saved = (wb.previous_answer(question_id, {}) if wb is not None else {}) or {}
    saved = saved if isinstance(saved, dict) else {}
    ids = [c.id for c in CLAIMS]
    style = {"description_width": "initial"}
    pick = widgets.Dropdown(options=claim_options(), value=saved.get("claim") if saved.get("claim") in ids
                            else ids[0], description="Claim:", style=style, layout={"width": "95%"})
    judge = widgets.RadioButtons(options=["(not yet)", *VERDICTS], value=saved.get("verdict") if saved.get(
        "verdict") in VERDICTS else "(not yet)", description="Your verdict:", style=style)
    why = widgets.Textarea(value=saved.get("reasoning", ""), description="Your reasoning:", style=style,
                           placeholder="Two or three sentences: what the chart shows, and what it cannot show",
                           continuous_update=False, layout={"width": "95%", "height": "6em"})

    def answer() -> dict:
        verdict = judge.value if judge.value in VERDICTS else ""
        return {"claim": pick.value, "verdict": verdict, "reasoning": why.value.strip()}

    def outputs(changed: bool) -> tuple[tuple[dict, dict], Markdown, dict]:
        given = answer()
        made, wide, _, _, known = make_brief(given["claim"], verdict=given["verdict"] or None,
                                             reasoning=given["reasoning"])
        chart = charts.figure_bundle(_chart(made, wide, known, show=False), made.evidence)
        words = len(given["reasoning"].split())
        line = (f"Your brief: claim {given['claim']} · verdict {given['verdict'] or '(not yet)'} · reasoning "
                f"{words} word{'s' if words != 1 else ''}" + (" (saved)" if wb is not None else ""))
        record = (wb.keep(question_id, "free", given, changed) if wb is not None  # in the kernel and the journal
                  else records.make_record("brief", "1", question_id, "free", given))
        return chart, Markdown(made.markdown()), records.bundle(record, line)

    display(widgets.VBox([pick, judge, why]))
    (png, meta), text, record = outputs(changed=False)
    handles = (display(png, raw=True, metadata=meta, display_id=True), display(text, display_id=True),
               display(record, raw=True, display_id=True))

    def redraw(*_):
        (png, meta), text, record = outputs(changed=True)
        handles[0].update(png, raw=True, metadata=meta)
        handles[1].update(text)
        handles[2].update(record, raw=True)

    for control in (pick, judge, why):
        control.observe(redraw, names="value")


def growth_claim_explorer(first: int = 1980, last: int = 2019) -> None:
    """The app of lesson 5's claim check: choose years, mean (arithmetic or compound) and GDP series; the
    sentence on average growth against the claim's 9 % is recomputed."""
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    years = _challenges.growth_series("WDI").index
    style = {"description_width": "initial"}
    span = widgets.IntRangeSlider(value=(first, last), min=int(years.min()), max=int(years.max()),
                                  description="Years:", style=style, layout={"width": "95%"})
    mean = widgets.ToggleButtons(options=list(_challenges.MEANS), description="Mean:", style=style)
    series = widgets.ToggleButtons(options=[(v, k) for k, v in _challenges.SOURCES.items()],
                                   description="GDP series:", style=style)

    def sentence() -> Markdown:
        return Markdown(_challenges.growth_period_sentence(*span.value, mean.value, series.value))

    display(widgets.VBox([span, mean, series]))
    handle = display(sentence(), display_id=True)
    for control in (span, mean, series):
        control.observe(lambda _change: handle.update(sentence()), names="value")
