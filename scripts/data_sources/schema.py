"""Table Schema fields, keys and the descriptor parts computed from each file (indicators, breaks, gaps)."""

from __future__ import annotations

from . import META, PROVENANCE
from .facts_tables import CLAIMS, MILESTONE_KINDS, MILESTONES, REPORTED

# Table Schema fields: type, description (and unit where the field itself has one).
FIELDS: dict[str, dict] = {
    "country": {"type": "string", "description": "Country or aggregate, as named by the source"},
    "iso3": {
        "type": "string",
        "description": "ISO 3166-1 alpha-3 code, or the source's aggregate code "
        "(EUU = World Bank EU, EU27_2020/EU27 = EU-27, OECD = OECD total, WLD/W = World)",
    },
    "year": {"type": "integer", "description": "Year of the observation"},
    "value": {"type": "number", "description": "Value of the indicator; its unit is in the unit column"},
    "indicator_code": {"type": "string", "description": "Indicator code used by the source"},
    "indicator_name": {"type": "string", "description": "Indicator name"},
    "unit": {"type": "string", "description": "Unit of value"},
    "obs_status": {
        "type": "string",
        "description": "SDMX observation flags joined with '+': B = break in series, D = definition "
        "differs, E = estimate, P = provisional; empty when none",
    },
    "aux_obs_status": {
        "type": "string",
        "description": "Auxiliary observation flag, copied verbatim; M2 is not documented by the source",
    },
    "footnote": {"type": "string", "description": "NCSES footnote mark; its text is not preserved"},
    "ncses_row_id": {"type": "string", "description": "Row identifier in the NCSES table"},
    "region": {"type": "string", "description": "Province (English name) or 'China (national total)'"},
    "region_code": {"type": "string", "description": "ISO 3166-2:CN code; 'CN' = national total"},
    "province_zh": {"type": "string", "description": "Province name in Chinese (全国 = national total)"},
    "label_zh": {"type": "string", "description": "Chinese label of the variable in the yearbook"},
    "source_table": {"type": "string", "description": "techme data table the row comes from"},
    "gii_edition": {"type": "integer", "description": "Edition (year) of the Global Innovation Index"},
    "economy": {"type": "string", "description": "Economy ranked"},
    "gii_rank": {"type": "integer", "description": "Overall GII rank (1 = best)", "unit": "rank"},
    "economies_ranked": {
        "type": "integer",
        "description": "Number of economies ranked in that edition; empty when the source page does not say",
        "unit": "economies",
    },
    "source_url": {"type": "string", "description": "Published page the row was transcribed from"},
    "source_statement": {"type": "string", "description": "What the page says (quoted or summarised)"},
    "subject": {"type": "string", "description": "Cluster or country"},
    "metric": {
        "type": "string",
        "description": "cluster_rank (rank of the cluster) or clusters_in_top100 (a country's clusters)",
    },
    "as_of": {"type": "string", "description": "Point in the year the count refers to"},
    "base_stations_million": {
        "type": "number",
        "description": "5G base stations in China, millions",
        "unit": "million base stations",
    },
    "date_text": {"type": "string", "description": "Date as written in facts.md (verbatim)"},
    "month": {"type": "integer", "description": "Month (1–12): the first month named in date_text"},
    "milestone": {"type": "string", "description": "Milestone, verbatim from facts.md"},
    "kind": {"type": "string", "description": "Editorial classification (see the resource description)"},
    "source": {"type": "string", "description": "Where the row comes from"},
    "id": {"type": "string", "description": "Identifier of the reported figure"},
    "figure": {"type": "string", "description": "What the number is"},
    "qualifier": {"type": "string", "description": "The source's hedge (over, nearly, at least, more than)"},
    "period": {"type": "string", "description": "Year or period the figure is for"},
    "essay": {"type": "string", "description": "Which essay: anon (unnamed author) or akram (Khalid Taimur Akram)"},
    "quote": {"type": "string", "description": "The essay's exact words"},
    "resource": {"type": "string", "description": "Data resource (file name without .csv) that tests the claim"},
    "code": {"type": "string", "description": "Indicator code(s) in that resource, separated by '; '"},
    "economies": {"type": "string", "description": "Economies shown (iso3), the focus first, separated by '; '"},
    "evidence": {"type": "string", "description": "Kind of evidence: compare, trend, decades, rank or flows"},
    "threshold": {"type": "number", "description": "The claim's own number (decade claims); empty otherwise"},
    "start": {"type": "integer", "description": "First year the brief shows; empty: the whole series"},
    "test": {"type": "string", "description": "What in the data tests the claim"},
    "caveats": {"type": "string", "description": "What the data cannot tell, separated by '<br>'"},
    "checked_in": {"type": "string", "description": "Where facts.md checks the claim; empty when it does not"},
    "i_cig": {
        "type": "string",
        "description": "PWT flag: how relative prices were obtained (benchmark, interpolated, extrapolated, "
        "ICP PPP time series), verbatim",
    },
    "i_outlier": {"type": "string", "description": "PWT flag: whether the observation is an outlier, verbatim"},
    "mode": {"type": "string", "description": "IEA vehicle mode (Cars, Buses, Vans, Trucks, 2 and 3 wheelers)"},
    "powertrain": {
        "type": "string",
        "description": "IEA powertrain: BEV (battery electric), PHEV (plug-in hybrid), FCEV (fuel cell), EV (all)",
    },
}
OPTIONAL_FIELDS = {"obs_status", "aux_obs_status", "footnote", "economies_ranked", "month", "qualifier", "threshold",
                   "start", "caveats", "checked_in"}
ENUM_FIELDS = {
    "country", "iso3", "indicator_code", "unit", "obs_status", "aux_obs_status", "footnote", "region",
    "region_code", "province_zh", "label_zh", "source_table", "economy", "subject", "metric", "as_of",
    "source", "i_cig", "i_outlier", "mode", "powertrain",
}  # fmt: skip
YEAR_FIELDS = {"year", "gii_edition"}
YEAR_RANGE = (1950, 2026)
PRIMARY_KEYS = {
    "country": ["iso3", "year", "indicator_code"],
    "province": ["region_code", "year", "indicator_code"],
    "ncses_sei_gerd_selected_years": ["iso3", "year", "indicator_name"],
    "gii_china_rank": ["gii_edition"],
    "gii_science_technology_clusters": ["gii_edition", "subject", "metric"],
    "china_5g_base_stations": ["year"],
    "iea_gevo2025_ev": ["iso3", "year", "indicator_name"],
    MILESTONES: ["milestone"],
    REPORTED: ["id"],
    CLAIMS: ["id"],
}


def primary_key(name: str, columns: list[str]) -> list[str]:
    if name in PRIMARY_KEYS:
        return PRIMARY_KEYS[name]
    if "region_code" in columns:
        return PRIMARY_KEYS["province"]
    return PRIMARY_KEYS["country"]


# --------------------------------------------------------------------------- descriptor parts


def indicators(name: str, columns: list[str], rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The indicators found in the file: {code, name, unit}, one per distinct code."""
    meta = META[name]
    if "wide_indicators" in meta:
        return [
            {"code": col, "name": meta["wide_indicators"][col][0], "unit": meta["wide_indicators"][col][1]}
            for col in columns
            if col in meta["wide_indicators"]
        ]
    field = indicator_field(name, columns)
    if field is None:
        return []
    found: dict[str, tuple[str, str]] = {}
    for row in rows:
        code = row[field]
        entry = meta["metric_meta"][code] if field == "metric" else (row["indicator_name"], row["unit"])
        if found.setdefault(code, entry) != entry:
            raise SystemExit(f"{name}: indicator {code} has more than one name or unit")
    return [{"code": code, "name": n, "unit": u} for code, (n, u) in sorted(found.items())]


def indicator_field(name: str, columns: list[str]) -> str | None:
    if "indicator_field" in META[name]:
        return META[name]["indicator_field"]
    for field in ("indicator_code", "indicator_name"):
        if field in columns:
            return field
    return None


def series_breaks(rows: list[dict[str, str]], notes: dict[str, str], codes: set[str] | None = None):
    """Break years from the OECD flag B, one entry per area."""
    years: dict[str, set[int]] = {}
    for row in rows:
        if "B" in (row["obs_status"] or "").split("+") and (codes is None or row["indicator_code"] in codes):
            years.setdefault(row["iso3"], set()).add(int(row["year"]))
    return [
        {
            "iso3": iso3,
            "years": sorted(found),
            "note": "OECD flag B (break in series)" + (f". {notes[iso3]}" if iso3 in notes else ""),
        }
        for iso3, found in sorted(years.items())
    ]


def schema(name: str, columns: list[str], rows: list[dict[str, str]]) -> dict:
    meta = META[name]
    fields = []
    for col in columns:
        if col not in FIELDS:
            raise SystemExit(f"{name}: no field description for column {col!r}")
        field = {"name": col, **FIELDS[col], **meta.get("fields", {}).get(col, {})}
        values = sorted({row[col] for row in rows if row[col] != ""})
        constraints: dict = {"required": col not in OPTIONAL_FIELDS}
        if col in YEAR_FIELDS:
            constraints["minimum"], constraints["maximum"] = YEAR_RANGE
        elif col == "month":
            constraints["minimum"], constraints["maximum"] = 1, 12
        elif col == "kind":
            constraints["enum"] = MILESTONE_KINDS
        elif col in ("gii_rank", "economies_ranked"):
            constraints["minimum"] = 1
        elif col == "base_stations_million":
            constraints["minimum"] = 0
        elif col == "value":
            low, high = meta["value_range"]
            if low is not None:
                constraints["minimum"] = low
            if high is not None:
                constraints["maximum"] = high
            units = {row["unit"] for row in rows} if "unit" in columns else set()
            if len(units) == 1:
                field["unit"] = units.pop()
        elif col in ENUM_FIELDS and len(values) <= 40:
            constraints["enum"] = values
        field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": primary_key(name, columns), "missingValues": [""]}


def sources_and_licences(name: str, columns: list[str], rows: list[dict[str, str]], ind: list[dict]):
    """A resource's sources, licences and citation: computed by its source's module, else as its metadata says."""
    meta = META[name]
    family = PROVENANCE.get(meta.get("family"))
    if family is not None:
        return family(meta, rows, ind)
    return meta["sources"], meta["licenses"], meta["cite_as"]


def computed_gaps(name: str, rows: list[dict[str, str]]) -> list[str]:
    if name == "gii_china_rank":
        empty = [row["gii_edition"] for row in rows if row["economies_ranked"] == ""]
        return [f"economies_ranked is not given for editions {', '.join(empty)}"] if empty else []
    return []


