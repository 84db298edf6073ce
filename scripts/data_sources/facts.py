"""Provenance of the course's own checked facts (data/facts.md): milestones, claims, reported figures.

Text, commits and dates are copied from SOURCES.md; no data values are
typed here)."""

from __future__ import annotations

from .facts_tables import CLAIMS, KIND_DEFAULT, KIND_RULES, MILESTONES, REPORTED

META: dict[str, dict] = {
    MILESTONES: {
        "title": "Milestones of China's science, technology and innovation policy",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Milestones for a policy "
        "timeline' in facts.md (the course's checked facts, each checked against a published source). "
        "date_text and milestone are verbatim; year is the first 4-digit year in date_text and month the "
        "first month name in it (empty when the source gives only a year). kind is an editorial "
        "classification by keyword rules, the first match wins: "
        + "; ".join(f"{kind}: /{pattern}/" for kind, pattern in KIND_RULES)
        + f"; otherwise {KIND_DEFAULT} (case-insensitive).",
        "sources": [
            {
                "title": "Checked facts for the course: Milestones for a policy timeline",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "cite the sources named there"}],
        "cite_as": "checked facts of this course (data/facts.md)",
        "fields": {"year": {"description": "Year: the first 4-digit year in date_text"}},
        "known_gaps": [],
    },
    CLAIMS: {
        "title": "Checkable claims from the two essays, with the data that test them (lesson 6)",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Claims for evidence briefs' in "
        "facts.md: each essay's exact words, the data resource and indicator code(s) that test them, the kind of "
        "evidence, the caveats and where facts.md checks the claim. Several codes or economies are separated by "
        "'; ', several caveats by '<br>'. Read by innovation_course.brief.",
        "sources": [
            {
                "title": "Checked facts for the course: Claims for evidence briefs",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "quotations from the two essays, cited by title and author"}],
        "cite_as": "claims checked by this course (data/facts.md)",
        "fields": {"id": {"description": "Identifier of the claim"}},
        "known_gaps": [],
    },
    REPORTED: {
        "title": "Reported figures: targets and statements quoted by the lessons",
        "description": "Extracted by scripts/make_datapackage.py from the table 'Reported figures' in facts.md: "
        "numbers read on a published page (official statements, plan targets as reported), one per row, with the "
        "page in source. They are not statistical series: lessons show them beside the data and say which is which.",
        "sources": [
            {
                "title": "Checked facts for the course: Reported figures",
                "path": "facts.md",
                "publisher": "this course",
            }
        ],
        "licenses": [{"name": "other-at", "title": "cite the sources named there"}],
        "cite_as": "reported figures checked by this course, page in each row (data/facts.md)",
        "value_range": (0, None),
        "fields": {"unit": {"description": "Unit of value, as the source states it"}},
        "known_gaps": [],
    },
}
