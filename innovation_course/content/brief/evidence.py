"""The data behind a brief's chart and its evidence sentence, computed from the data (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .. import charts, data
from ..findings import challenges as _challenges
from ..words import ordinal
from .claims import EVIDENCE, codes_of


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
    codes = codes_of(code)
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


def the_name(iso3: str) -> str:
    """An economy's name as it reads in a sentence: "the United States", "Japan"."""
    name = charts.label_for(iso3)
    return f"the {name}" if iso3 in ("USA", "EUU", "EU27_2020", "GBR", "OECD", "WLD", "W") else name


def _short_unit(unit: str) -> str:
    """A unit short enough for a sentence: "applications" for "number of applications (inventor ...)"; a money
    unit keeps its price basis ("billion USD at constant 2020 prices and PPPs"), without which a reader cannot tell
    constant from current dollars."""
    head, *rest = re.sub(r"\s*\(.*?\)", "", unit).split(",")
    basis = rest[0].strip() if rest else ""
    if re.search(r"\b(prices|PPPs?)\b", basis):
        return f"{head.strip()} at {basis}"
    return head.strip().removeprefix("number of ")


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
        return (f"{name} ranked {ordinal(int(v0))} in {y0} and {ordinal(int(v1))} in {y1} (best: "
                f"{ordinal(int(values.min()))}, first reached in {best}); {int((values <= 10).sum())} of "
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
    text += (f" In {y1} it ranks {ordinal(rank)} of the {len(row) + 1} economies shown with data for that "
             f"year.")
    parts, always = [], {}
    for other in wide.columns[1:]:
        other_name = the_name(other)
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


