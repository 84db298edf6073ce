"""Load the course's data files, checked against ``data/datapackage.json``.

Every file in ``data/`` is described in the data package: its checksum, its columns and their types,
its primary key, plausible value ranges, where it comes from and its licence. :func:`load` checks all
of that (quickly, with pandas) before handing a table to a lesson, so a changed or damaged file stops
with a message that says what is wrong instead of drawing a wrong chart.

    >>> from innovation_course import data
    >>> df = data.load("wdi_rd_expenditure_pct_gdp")
    >>> data.citation("wdi_rd_expenditure_pct_gdp")
    'Source: World Bank, World Development Indicators (GB.XPD.RSDV.GD.ZS), CC BY 4.0, retrieved 2026-07-01.'

Set the environment variable ``INNOVATION_COURSE_DATA`` (or pass ``data_dir=``) to use another folder.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

__all__ = [
    "DATA_DIR",
    "DataError",
    "citation",
    "indicator_label",
    "indicator_unit",
    "load",
    "milestones",
    "resource",
    "resource_names",
    "series",
    "validate",
]

ENV_VAR = "INNOVATION_COURSE_DATA"
REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DATA_DIR = Path(os.environ.get(ENV_VAR, REPO_DATA_DIR))
DESCRIPTOR = "datapackage.json"

# Caches keyed by (path, mtime_ns, size): a file that changes on disk is read and checked again.
_descriptors: dict[tuple, dict] = {}
_hashes: dict[tuple, str] = {}
_frames: dict[tuple, pd.DataFrame] = {}


class DataError(Exception):
    """A data file is missing, altered or does not match its description in the data package."""


# --------------------------------------------------------------------------- locating files


def _dir(data_dir: str | Path | None) -> Path:
    if data_dir is not None:
        return Path(data_dir)
    return Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else DATA_DIR


def _show(path: Path) -> str:
    """A path as the learner would type it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(REPO_DATA_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def _stamp(path: Path) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def _package(data_dir: str | Path | None = None) -> dict:
    path = _dir(data_dir) / DESCRIPTOR
    if not path.is_file():
        raise DataError(f"{_show(path)}: file is missing; rebuild it with python scripts/make_datapackage.py")
    key = _stamp(path)
    if key not in _descriptors:
        try:
            _descriptors[key] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataError(f"{_show(path)}: not valid JSON ({exc})") from exc
    return _descriptors[key]


def _resource(name: str, data_dir: str | Path | None = None) -> dict:
    for res in _package(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"unknown data resource {name!r}; known names: {', '.join(resource_names(data_dir))}")


def resource_names(data_dir: str | Path | None = None) -> list[str]:
    """Names of the data files (without ``.csv``) described in the data package."""
    return [res["name"] for res in _package(data_dir)["resources"]]


def resource(name: str, data_dir: str | Path | None = None) -> dict:
    """The data package's description of one file (a copy: title, sources, licences, schema, ...)."""
    return copy.deepcopy(_resource(name, data_dir))


# --------------------------------------------------------------------------- loading


def _verify_hash(path: Path, res: dict, restore_hint: str) -> None:
    key = _stamp(path)
    if _hashes.get(key) == res["hash"]:
        return
    algorithm, expected = res["hash"].split(":", 1)
    actual = hashlib.new(algorithm, path.read_bytes()).hexdigest()
    if actual != expected:
        raise DataError(
            f"{_show(path)}: {algorithm} is {actual}, the data package expects {expected} "
            f"— the file was altered; {restore_hint}"
        )
    _hashes[key] = res["hash"]


def _read(path: Path, res: dict) -> pd.DataFrame:
    fields = res["schema"]["fields"]
    names = [field["name"] for field in fields]
    shown = _show(path)
    raw = path.read_bytes()
    if not raw.endswith(b"\n"):
        raise DataError(f"{shown}: does not end with a line break — the file looks truncated")
    try:
        header = next(csv.reader(raw.decode("utf-8").splitlines()[:1]), [])
    except UnicodeDecodeError as exc:
        raise DataError(f"{shown}: is not UTF-8 text ({exc})") from exc
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [n for n in header if n not in names]
        detail = f"missing {missing}, unexpected {extra}" if missing or extra else "in a different order"
        raise DataError(f"{shown}: columns are {header}, the schema expects {names} ({detail})")
    dtypes = {field["name"]: {"integer": "Int64", "number": "float64"}.get(field["type"], "str") for field in fields}
    options = {"encoding": "utf-8", "keep_default_na": False, "na_values": res["schema"]["missingValues"]}
    try:
        df = pd.read_csv(path, dtype=dtypes, **options)
    except pd.errors.ParserError as exc:
        raise DataError(f"{shown}: malformed CSV ({exc})") from exc
    except (ValueError, TypeError) as exc:
        raw = pd.read_csv(path, dtype=str, **options)
        for name, dtype in dtypes.items():
            if dtype != "str":
                bad = raw[name].notna() & pd.to_numeric(raw[name], errors="coerce").isna()
                if dtype == "Int64":
                    number = pd.to_numeric(raw[name], errors="coerce")
                    bad |= number.notna() & (number % 1 != 0)
                if bad.any():
                    row = bad.idxmax()
                    raise DataError(
                        f"{shown}: line {row + 2}, column {name!r}: {raw.at[row, name]!r} is not "
                        f"{'an integer' if dtype == 'Int64' else 'a number'}"
                    ) from exc
        raise DataError(f"{shown}: cannot be read ({exc})") from exc
    _check(df, res, shown)
    for field in fields:  # a required integer column needs no missing-value support
        if field["type"] == "integer" and field.get("constraints", {}).get("required"):
            df[field["name"]] = df[field["name"]].astype("int64")
    return df


def _check(df: pd.DataFrame, res: dict, shown: str) -> None:
    """Constraints of the Table Schema: required, minimum, maximum, enum, primary key."""

    def fail(column: str, mask: pd.Series, problem: str) -> None:
        row = mask.idxmax()
        value = df.at[row, column]
        value = repr(value) if isinstance(value, str) else value
        raise DataError(
            f"{shown}: column {column!r} has {int(mask.sum())} {problem} (first at line {row + 2}: {value})"
        )

    for field in res["schema"]["fields"]:
        name, rules = field["name"], field.get("constraints", {})
        col = df[name]
        if rules.get("required") and col.isna().any():
            row = col.isna().idxmax()
            raise DataError(
                f"{shown}: column {name!r} has {int(col.isna().sum())} empty value(s) "
                f"(first at line {row + 2}); the schema requires a value"
            )
        if "minimum" in rules and (low := col < rules["minimum"]).any():
            fail(name, low.fillna(False), f"value(s) below the minimum {rules['minimum']}")
        if "maximum" in rules and (high := col > rules["maximum"]).any():
            fail(name, high.fillna(False), f"value(s) above the maximum {rules['maximum']}")
        if "enum" in rules and (other := col.notna() & ~col.isin(rules["enum"])).any():
            fail(name, other, f"value(s) not in the schema's list {rules['enum']}")
    key = res["schema"].get("primaryKey", [])
    if key and (dup := df.duplicated(subset=key)).any():
        row = dup.idxmax()
        values = ", ".join(f"{k}={df.at[row, k]}" for k in key)
        raise DataError(f"{shown}: line {row + 2} repeats the primary key {key} ({values})")


def load(name: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One data file as a DataFrame, after checking it against the data package.

    Raises :class:`DataError` when the file is missing, its sha256 differs from the package's, its
    columns differ from the schema, a value cannot be read or breaks a constraint, or the primary key
    repeats. Columns get the schema's types: integer → ``int64`` (``Int64`` where values may be
    missing), number → ``float64``, string → pandas' string dtype.
    """
    folder = _dir(data_dir)
    res = _resource(name, folder)
    path = folder / res["path"]
    if not path.is_file():
        raise DataError(f"{_show(path)}: file is missing (the data package lists it as resource {name!r})")
    in_repo = folder.resolve() == REPO_DATA_DIR
    hint = f"restore it with git checkout {_show(path)}" if in_repo else "restore the original file"
    _verify_hash(path, res, hint)
    key = (*_stamp(path), res["hash"], json.dumps(res["schema"], sort_keys=True))
    if key not in _frames:
        _frames[key] = _read(path, res)
    return _frames[key].copy()


def milestones(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Policy milestones (date_text, year, month, milestone, kind, source), from data/facts.md."""
    return load("policy_milestones", data_dir=data_dir)


# --------------------------------------------------------------------------- metadata helpers


def _indicator(name: str, code: str, data_dir: str | Path | None) -> dict:
    indicators = _resource(name, data_dir).get("indicators", [])
    for entry in indicators:
        if entry["code"] == code:
            return entry
    known = ", ".join(entry["code"] for entry in indicators) or "none"
    raise DataError(f"{name}: no indicator {code!r}; its indicators are: {known}")


def indicator_unit(name: str, code: str, *, data_dir: str | Path | None = None) -> str:
    """Unit of an indicator, e.g. ``"% of GDP"``."""
    return _indicator(name, code, data_dir)["unit"]


def indicator_label(name: str, code: str, *, data_dir: str | Path | None = None) -> str:
    """Readable name of an indicator, e.g. ``"Research and development expenditure (% of GDP)"``."""
    return _indicator(name, code, data_dir)["name"]


def citation(name: str, code: str | None = None, *, data_dir: str | Path | None = None) -> str:
    """A one-line source note for a chart footer: publisher, series, licence, retrieval date."""
    res = _resource(name, data_dir)
    codes = [code] if code else [entry["code"] for entry in res.get("indicators", [])]
    retrieved = res.get("retrieved")
    if code:
        _indicator(name, code, data_dir)
        dates = [s["retrieved"] for s in res["sources"] if s.get("title", "").endswith(f": {code}")]
        retrieved = dates[0] if dates else retrieved
    fields = [field["name"] for field in res["schema"]["fields"]]
    tail = "; pages in source_url." if "source_url" in fields else "."
    if retrieved:
        tail = f", retrieved {retrieved}."
    licence = res["licenses"][0]["title"]
    plain = f"Source: {res['cite_as']}, {licence}{tail}"
    if res.get("indicator_field") != "indicator_code" or len(codes) > 3:
        return plain
    with_codes = f"Source: {res['cite_as']} ({', '.join(codes)}), {licence}{tail}"
    return with_codes if len(with_codes) <= 160 else plain


def series(
    name: str, code: str, iso3: str | list[str] | None = None, *, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """One indicator as a wide table for charts: index ``year``, one column per area.

    Columns are ``iso3`` codes, or English province names for the province files. ``iso3`` keeps
    only the given areas (ISO 3166-2 codes such as ``"CN-BJ"`` for provinces), in the given order.
    """
    res = _resource(name, data_dir)
    field = res.get("indicator_field")
    if field is None:
        raise DataError(f"{name}: has no indicator column; use load({name!r}) instead")
    _indicator(name, code, data_dir)
    df = load(name, data_dir=data_dir)
    df = df[df[field] == code]
    key, column = ("region_code", "region") if "region_code" in df.columns else ("iso3", "iso3")
    if iso3 is not None:
        wanted = [iso3] if isinstance(iso3, str) else list(iso3)
        unknown = sorted(set(wanted) - set(df[key]))
        if unknown:
            raise DataError(f"{name}: no {code} data for {unknown}")
        df = df[df[key].isin(wanted)]
        labels = dict(zip(df[key], df[column], strict=True))
        order = [labels[area] for area in wanted]
    else:
        order = None
    wide = df.pivot(index="year", columns=column, values="value").sort_index()
    wide.columns.name = None
    return wide[order] if order else wide


# --------------------------------------------------------------------------- full validation


def validate(name: str | None = None, *, data_dir: str | Path | None = None) -> list[str]:
    """Full Frictionless validation of one data file (or all): a list of problems, empty when fine.

    Besides what Frictionless checks (checksum, size, types, constraints, primary key), reports CSV
    files in the folder that the data package does not describe.
    """
    from frictionless import Package  # slow to import; only needed here

    folder = _dir(data_dir)
    _package(folder)  # a clear DataError when the descriptor is missing or not JSON
    package = Package(str(folder / DESCRIPTOR))
    problems: list[str] = []
    if name is None:
        report = package.validate()
        described = {res["path"] for res in _package(folder)["resources"]}
        for path in sorted(folder.glob("*.csv")):
            if path.name not in described:
                problems.append(f"{_show(path)}: not described in {DESCRIPTOR}")
    else:
        _resource(name, folder)
        report = package.get_resource(name).validate()
    problems += [f"{DESCRIPTOR}: {error.message}" for error in report.errors]
    for task in report.tasks:
        problems += [f"{task.name} ({task.place}): {error.message}" for error in task.errors]
    return problems
