"""The tables the course extracts from its own data/facts.md: milestones (with a kind), reported figures and
claims for evidence briefs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

MILESTONES = "policy_milestones"
REPORTED = "reported_figures"
CLAIMS = "brief_claims"
CLAIM_COLUMNS = ["id", "essay", "quote", "resource", "code", "economies", "evidence", "threshold", "start", "test",
                 "caveats", "checked_in"]
MILESTONE_KINDS = ["plan", "programme", "zone", "law", "strategy", "event"]
# Editorial classification of a milestone: the first rule whose pattern matches the text wins.
KIND_RULES = [
    ("law", r"\blaws?\b"),
    ("strategy", r"\bstrateg(y|ies)\b"),
    ("programme", r"\bprogram(me)?s?\b"),
    ("zone", r"\b(zones?|parks?)\b"),
    ("plan", r"\b(plans?|outline)\b|\bmade in china\b"),
]
KIND_DEFAULT = "event"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


# --------------------------------------------------------------------------- milestones


def facts_table(facts: Path, heading: str, header: list[str]) -> list[list[str]]:
    """The body rows of the Markdown table in the facts.md section that starts with ``heading``."""
    lines = facts.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        raise SystemExit(f"{facts}: no section {heading!r}")
    table = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    found, rule, *body = table
    if found != header or not all(set(cell) <= set("-: ") for cell in rule):
        raise SystemExit(f"{facts}: table under {heading!r} has header {found}, expected {header}")
    if any(len(row) != len(header) for row in body):
        raise SystemExit(f"{facts}: a row under {heading!r} does not have {len(header)} cells")
    return body


def extract_milestones(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Milestones for a policy timeline', with year, month, kind and source."""
    body = facts_table(facts, "## Milestones for a policy timeline", ["Date", "Milestone", "Source"])
    rows = []
    for date_text, milestone, source in body:
        year = re.search(r"\b(\d{4})\b", date_text)
        if not year:
            raise SystemExit(f"{facts}: no year in milestone date {date_text!r}")
        month = re.search(r"\b(" + "|".join(MONTHS) + r")[a-z]*\b", date_text, re.IGNORECASE)
        rows.append(
            {
                "date_text": date_text,
                "year": year.group(1),
                "month": str(MONTHS.index(month.group(1).lower()) + 1) if month else "",
                "milestone": milestone,
                "kind": classify(milestone),
                "source": source,
            }
        )
    return rows


def extract_reported(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Reported figures' (id, figure, qualifier, value, unit, period, source)."""
    header = ["id", "figure", "qualifier", "value", "unit", "period", "source"]
    rows = [dict(zip(header, row, strict=True)) for row in facts_table(facts, "## Reported figures", header)]
    for row in rows:
        try:
            float(row["value"])
        except ValueError:
            raise SystemExit(f"{facts}: reported figure {row['id']}: value {row['value']!r} is not a number") from None
    return rows


def extract_claims(facts: Path) -> list[dict[str, str]]:
    """Rows of the facts.md table 'Claims for evidence briefs'."""
    header = ["id", "essay", "quote", "resource", "code", "economies", "evidence", "threshold", "from", "test",
              "caveats", "checked in"]
    body = facts_table(facts, "## Claims for evidence briefs", header)
    return [dict(zip(CLAIM_COLUMNS, row, strict=True)) for row in body]


def classify(milestone: str) -> str:
    for kind, pattern in KIND_RULES:
        if re.search(pattern, milestone, re.IGNORECASE):
            return kind
    return KIND_DEFAULT


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


