"""A brief put together: its caveats and breaks from the data package, its Markdown, and the chart in the house
style (:func:`evidence_brief`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import charts, data
from .claims import CLAIMS, ESSAYS, VERDICTS, Claim, codes_of
from .evidence import decade_means, evidence_sentence, frame_for, the_name

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
                notes.append(f"Break in series for {the_name(entry['iso3'])} in "
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
        codes = codes_of(code)
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
    start = known.start if start is None else start
    wide, label, unit = frame_for(known.resource, known.code, known.economies, start, end)
    sentence = evidence_sentence(wide, label, unit, known.evidence, known.threshold)
    years = (int(wide.index.min()), int(wide.index.max())) if len(wide) else None
    notes = [*known.caveats, *extra, *caveats_for(known.resource, known.economies, years, codes_of(known.code))]
    if known.facts:
        notes.append(f"Checked against the course's facts: {known.facts}.")
    codes = codes_of(known.code)
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


def chart_for(made: Brief, wide: pd.DataFrame, known: Claim, show: bool = True):
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
        chart_for(made, wide, known)
        display(Markdown(made.markdown()))
    return made


