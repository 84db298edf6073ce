"""The essays' checkable claims (``data/brief_claims.csv``, made from data/facts.md), the two essays as the course
cites them, and what a brief can conclude."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import data


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
    start: int | None = None        # the first year the brief shows (None: the whole series)
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


def codes_of(code: str | Sequence[str]) -> tuple[str, ...]:
    """A claim's indicator code(s) as a tuple (one code, or several separated in the data file)."""
    return (code,) if isinstance(code, str) else tuple(code)


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
            start=None if pd.isna(row.start) else int(row.start),
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
        code = ", ".join(f"`{c}`" for c in codes_of(claim.code))
        rows.append(f"| `{claim.id}` | {who} | “{claim.quote}” | {claim.test} (`{claim.resource}`: {code}) |")
    return "\n".join(rows)


def claim_options() -> list[tuple[str, str]]:
    """(label, id) pairs for a drop-down of the claims."""
    return [(claim.label, claim.id) for claim in CLAIMS]


