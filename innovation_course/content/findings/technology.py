"""Findings for lesson 4, emerging technologies: PCT patents by technology, 5G base stations against the
14th Five-Year Plan target, high-tech exports and journal articles."""

from __future__ import annotations

import pandas as pd

from .. import data
from .reported import reported, reported_row

__all__ = [
    "FIVE_G_TARGET_PER_10K",
    "FIVE_G_TARGET_YEAR",
    "PCT_ECONOMIES",
    "PCT_TECHNOLOGIES",
    "articles_pass_year",
    "articles_sentence",
    "articles_share_of_world",
    "five_g_per_10k",
    "five_g_per_10k_in",
    "five_g_rows",
    "five_g_sentence",
    "five_g_target_check",
    "five_g_target_first_met",
    "five_g_target_source",
    "five_g_wide",
    "five_g_world_share_statement",
    "five_g_year_ends",
    "hightech_sentence",
    "hightech_share_of_world",
    "hightech_share_year",
    "pct_coverage_sentence",
    "pct_first_year_ahead",
    "pct_last_year",
    "pct_leader",
    "pct_rank",
    "pct_sentence",
    "pct_series",
    "pct_share_of_world",
    "pct_share_sentence",
    "pct_share_series",
    "pct_shares_table",
    "pct_technologies_by_share",
    "pct_value",
]

PCT = "oecd_pct_patents_by_technology"
PCT_WORLD = "W"
#: The economies lesson 4 compares (EU27_2020 = OECD's EU-27).
PCT_ECONOMIES = ("CHN", "USA", "JPN", "KOR", "EU27_2020")
#: PCT technology codes → short names.
PCT_TECHNOLOGIES = {
    "PCTAI_NB": "AI",
    "PCTICT_NB": "ICT",
    "PCTBIOT_NB": "Biotechnology",
    "PCTPHARM_NB": "Pharmaceuticals",
    "PCTMEDT_NB": "Medical technology",
    "PCTTOT_NB": "All technologies",
}
FIVE_G = "china_5g_base_stations"
#: MIIT, 14th Five-Year Plan for the information and communication industry (released 16 Nov 2021): 26 5G base
#: stations per 10,000 people by 2025. A policy target, read from the reported figure ``five_g_target``.
FIVE_G_TARGET_PER_10K = reported("five_g_target")
FIVE_G_TARGET_YEAR = int(reported_row("five_g_target")["period"])
ARTICLES = "wdi_journal_articles"
HIGHTECH = "wdi_hightech_exports"
_NAMES = {"CHN": "China", "USA": "the United States", "JPN": "Japan", "KOR": "Korea", "EU27_2020": "the EU-27",
          "EUU": "the European Union", "DEU": "Germany", "GBR": "the United Kingdom", "IND": "India",
          "FRA": "France", "WLD": "the world", "W": "the world"}


def _name(iso3: str) -> str:
    return _NAMES.get(iso3, iso3)


# --------------------------------------------------------------------------- PCT patents by technology


def pct_series(code: str = "PCTTOT_NB", iso3: tuple[str, ...] | list[str] = PCT_ECONOMIES) -> pd.DataFrame:
    """PCT applications (fractional counts, by priority year): index year, one column per economy."""
    return data.series(PCT, code, iso3=list(iso3))


def pct_last_year() -> int:
    """The last priority year in the PCT data."""
    return int(data.load(PCT)["year"].max())


def pct_value(iso3: str, code: str = "PCTTOT_NB", year: int | None = None) -> float:
    """One economy's PCT applications in a priority year (default: the last)."""
    return float(pct_series(code, [iso3]).loc[year or pct_last_year(), iso3])


def pct_share_of_world(iso3: str, code: str = "PCTTOT_NB", year: int | None = None) -> float:
    """An economy's share of the world's PCT applications in a technology, in per cent."""
    wide = pct_series(code, [iso3, PCT_WORLD])
    year = year or pct_last_year()
    return float(wide.loc[year, iso3] / wide.loc[year, PCT_WORLD] * 100)


def pct_shares_table(year: int | None = None, economies: tuple[str, ...] = PCT_ECONOMIES) -> pd.DataFrame:
    """Share of world PCT applications (%), rows technologies, columns economies, for one priority year."""
    year = year or pct_last_year()
    rows = {}
    for code, name in PCT_TECHNOLOGIES.items():  # one wide table per technology, not one per economy
        row = pct_series(code, [*economies, PCT_WORLD]).loc[year]
        rows[name] = {e: float(row[e] / row[PCT_WORLD] * 100) for e in economies}
    table = pd.DataFrame(rows).T
    table.index.name = f"share of world, {year} (%)"
    return table


def pct_share_series(iso3: str = "CHN", start: int = 2005) -> pd.DataFrame:
    """An economy's share of world PCT applications (%) by technology over time: index year, one column per
    technology (all technologies last)."""
    out = {}
    for code, name in PCT_TECHNOLOGIES.items():
        wide = pct_series(code, [iso3, PCT_WORLD])
        out[name] = wide[iso3] / wide[PCT_WORLD] * 100
    return pd.DataFrame(out).loc[start:]


def pct_share_sentence(iso3: str = "CHN", start: int = 2005) -> str:
    """The takeaway of the share-of-world chart: each technology's share in the first and last year."""
    shares = pct_share_series(iso3, start)
    first, last = int(shares.index.min()), int(shares.index.max())
    ordered = shares.loc[last].drop("All technologies").sort_values(ascending=False)
    parts = [f"{name} {shares.loc[last, name]:.1f} % (up from {shares.loc[first, name]:.1f} % in {first})"
             if shares.loc[last, name] > shares.loc[first, name] else
             f"{name} {shares.loc[last, name]:.1f} % ({shares.loc[first, name]:.1f} % in {first})"
             for name in ordered.index]
    return (f"Share of the world's PCT applications filed by inventors in {_name(iso3)}, priority year {last}: "
            f"{'; '.join(parts)}; all technologies {shares.loc[last, 'All technologies']:.1f} %.")


def pct_technologies_by_share(year: int | None = None, iso3: str = "CHN") -> list[str]:
    """The five technology groups, from the highest share of world PCT applications to the lowest."""
    year = year or pct_last_year()
    shares = {name: pct_share_of_world(iso3, code, year) for code, name in PCT_TECHNOLOGIES.items()
              if code != "PCTTOT_NB"}
    return sorted(shares, key=shares.get, reverse=True)


def pct_rank(iso3: str, code: str = "PCTTOT_NB", year: int | None = None,
             economies: tuple[str, ...] = PCT_ECONOMIES) -> int:
    """An economy's rank (1 = most applications) among ``economies`` in one technology and year."""
    row = pct_series(code, economies).loc[year or pct_last_year()]
    return int((row > row[iso3]).sum()) + 1


def pct_leader(code: str = "PCTTOT_NB", year: int | None = None,
               economies: tuple[str, ...] = PCT_ECONOMIES) -> str:
    """The economy (iso3) with the most PCT applications in a technology and year."""
    return str(pct_series(code, economies).loc[year or pct_last_year()].idxmax())


def pct_first_year_ahead(code: str = "PCTTOT_NB", iso3: str = "CHN", other: str = "USA") -> int | None:
    """First priority year from which ``iso3`` stays ahead of ``other`` to the end of the data (None if not
    ahead in the last year)."""
    wide = pct_series(code, [iso3, other]).dropna()
    ahead = wide[iso3] > wide[other]
    if not ahead.iloc[-1]:
        return None
    behind = ahead.index[~ahead]
    return int(ahead.index[ahead.index > behind.max()].min()) if len(behind) else int(ahead.index.min())


def pct_sentence(code: str = "PCTTOT_NB", year: int | None = None) -> str:
    """The takeaway for one technology: China's count, share of world, rank and the year it passed the US."""
    last = pct_last_year()
    year = year or last
    name = PCT_TECHNOLOGIES[code]
    wide = pct_series(code, [*PCT_ECONOMIES, PCT_WORLD])  # one table for every figure of the sentence
    row = wide.loc[year, list(PCT_ECONOMIES)]
    china = float(row["CHN"])
    share = china / float(wide.loc[year, PCT_WORLD]) * 100
    rank = int((row > china).sum()) + 1
    passed = pct_first_year_ahead(code, "CHN", "USA")
    leader = _name(str(row.idxmax()))
    if passed is None:
        us = "behind the United States"
    elif passed == last:
        us = (f"ahead of the United States in {last}, the last year of the data, and behind it in {last - 1}: "
              "one year is too short to call a lead")
    else:
        us = f"ahead of the United States every year from {passed} to {last}, the last year of the data"
    place = "the most" if rank == 1 else f"number {rank} of {len(PCT_ECONOMIES)} ({leader} led)"
    return (f"{name}: in priority year {year}, inventors in China filed {china:,.0f} PCT applications "
            f"({share:.1f} % of the world's), {place} among China, the US, Japan, Korea and the EU-27; {us}.")


def pct_coverage_sentence() -> str:
    """Where the PCT series stops, and what that means for any verdict drawn from it."""
    last = pct_last_year()
    return (f"The OECD's PCT counts by technology end in priority year {last}: applications are counted by the "
            "year of first filing, and recent years stay incomplete until every filing is in. So this lesson can "
            f"say where inventors in China stood in {last}, not where they stand now; a verdict on the essays' "
            f"present tense (\"is investing\", \"is leading\") rests on data that stop in {last}.")


# --------------------------------------------------------------------------- 5G base stations


def five_g_rows() -> pd.DataFrame:
    """The 5G base-station rows as published: year, as_of, base_stations_million."""
    return data.load(FIVE_G)[["year", "as_of", "base_stations_million"]].sort_values("year").reset_index(drop=True)


def five_g_year_ends() -> list[int]:
    """Years with an end-of-year count (the last row may be a partial year)."""
    rows = five_g_rows()
    return [int(y) for y in rows.loc[rows["as_of"] == "end of year", "year"]]


def _population() -> pd.Series:
    return data.series("wdi_gdp", "SP.POP.TOTL", iso3=["CHN"])["CHN"]


def five_g_per_10k() -> pd.DataFrame:
    """Base stations per 10,000 people for each count, with China's population (WDI) of the same year; where
    that year's population is missing, the latest earlier one (``population_year`` says which was used)."""
    table = five_g_rows().set_index("year")
    population = _population().dropna()
    used = [int(population.index[population.index <= y].max()) for y in table.index]
    table["population_year"] = used
    table["population"] = population.loc[used].to_numpy()
    table["per_10k"] = table["base_stations_million"] * 1e6 / table["population"] * 1e4
    return table


def five_g_wide() -> pd.DataFrame:
    """Stations per 10,000 people for a chart: one column "CHN", indexed by labels that say which date each
    count is for ("2021" = end of 2021; the last may be a month, e.g. "Oct 2025")."""
    table = five_g_per_10k()
    labels = [str(y) if as_of == "end of year" else f"{as_of.replace('end of ', '')[:3]} {y}"
              for y, as_of in zip(table.index, table["as_of"], strict=True)]
    return pd.DataFrame({"CHN": table["per_10k"].to_numpy()}, index=pd.Index(labels, name="as of"))


def five_g_world_share_statement() -> str:
    """What the data's source says about China's share of the world's 5G base stations (reported, not data)."""
    rows = data.load(FIVE_G)
    hits = rows[rows["source_statement"].str.contains("global", case=False)]
    if hits.empty:
        return "The data's sources report no share of the world's 5G base stations."
    row = hits.iloc[0]
    return (f"Source note for end-{row['year']} in the data: \"{row['source_statement']}\" ({row['source_url']}). "
            f"The share of the world is a reported figure: the data have no count of 5G base stations "
            f"outside China, so it cannot be computed here.")


def five_g_per_10k_in(year: int) -> float:
    """Base stations per 10,000 people in one year."""
    return float(five_g_per_10k().loc[year, "per_10k"])


def five_g_target_source() -> str:
    """Where the 5G target comes from: MIIT's plan, released 16 November 2021, as reported."""
    return (f"MIIT's 14th Five-Year Plan for the information and communication industry, released 16 November "
            f"2021, aimed for {FIVE_G_TARGET_PER_10K:g} 5G base stations per 10,000 people by {FIVE_G_TARGET_YEAR} "
            f"(People's Daily, 17 November 2021: {reported_row('five_g_target')['source']}).")


def five_g_target_check(year: int = FIVE_G_TARGET_YEAR) -> str:
    """The target check for the target year's end-of-year count: stations per 10,000 people, met or missed."""
    table = five_g_per_10k()
    if year not in table.index:
        return f"The data have no count for {year}, so the target cannot be checked yet."
    row = table.loc[year]
    if row["as_of"] != "end of year":
        return f"The {year} count is for the {row['as_of']}, not the end of the year: the check must wait."
    met = row["per_10k"] >= FIVE_G_TARGET_PER_10K
    return (f"At the end of {year}, China had {row['base_stations_million']:.3f} million 5G base stations for "
            f"{row['population'] / 1e9:.3f} billion people (World Bank, {int(row['population_year'])}): "
            f"{row['per_10k']:.1f} per 10,000 people against a target of {FIVE_G_TARGET_PER_10K:g}. Target "
            f"**{'met' if met else 'missed'}**" + (f", by {row['per_10k'] / FIVE_G_TARGET_PER_10K:.1f} times."
                                                   if met else "."))


def five_g_target_first_met() -> int | None:
    """First year whose count reaches the 14th FYP target of 26 per 10,000 people (None if never)."""
    table = five_g_per_10k()
    met = table.index[table["per_10k"] >= FIVE_G_TARGET_PER_10K]
    return int(met.min()) if len(met) else None


def five_g_sentence() -> str:
    """The 5G takeaway: years covered, stations per 10,000 people and the 2025 target."""
    rows = five_g_rows()
    table = five_g_per_10k()
    ends = five_g_year_ends()
    last = rows.iloc[-1]
    partial = "" if last["as_of"] == "end of year" else f" and {last['as_of']} {last['year']}"
    met = five_g_target_first_met()
    same = bool((table["population_year"] == table.index).all())
    last_pop = int(table["population_year"].iloc[-1])
    population = ("China's population in the same year (World Bank SP.POP.TOTL; the data include "
                  f"{last_pop}, so the latest count uses the {last_pop} population)" if same else
                  f"China's population (World Bank SP.POP.TOTL; the data end in {last_pop}, so the "
                  f"{table.index[-1]} count uses the {last_pop} population)")
    verdict = (f"the target of {FIVE_G_TARGET_PER_10K:g} per 10,000 people was first passed at end-{met}, before "
               f"{FIVE_G_TARGET_YEAR}" if met and met < FIVE_G_TARGET_YEAR else
               f"the target of {FIVE_G_TARGET_PER_10K:g} per 10,000 people was reached in {met}" if met else
               f"the target of {FIVE_G_TARGET_PER_10K:g} per 10,000 people is not reached in these data")
    when = f"at end-{table.index[-1]}" if last["as_of"] == "end of year" else f"by the {last['as_of']} " \
        f"{table.index[-1]}"
    return (f"The data have year-end counts for {ends[0]}–{ends[-1]}{partial} (end-2020 is left out). With "
            f"{population}, China had "
            f"{table['per_10k'].iloc[0]:.1f} 5G base stations per 10,000 people at end-{table.index[0]} and "
            f"{table['per_10k'].iloc[-1]:.1f} {when}: {verdict}.")


# --------------------------------------------------------------------------- exports and articles


def _share(resource: str, code: str, iso3: str, year: int | None) -> tuple[float, int]:
    wide = data.series(resource, code, iso3=[iso3, "WLD"]).dropna()
    year = year or int(wide.index.max())
    return float(wide.loc[year, iso3] / wide.loc[year, "WLD"] * 100), year


def hightech_share_year(iso3: str = "CHN") -> int:
    """The last year with high-technology exports for ``iso3`` and a world total."""
    return _share(HIGHTECH, "TX.VAL.TECH.CD", iso3, None)[1]


def hightech_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share of world high-technology exports (current US$), in per cent (default: last year
    with a world total)."""
    return _share(HIGHTECH, "TX.VAL.TECH.CD", iso3, year)[0]


def articles_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share of the world's scientific and technical journal articles, in per cent."""
    return _share(ARTICLES, "IP.JRN.ARTC.SC", iso3, year)[0]


def articles_pass_year(iso3: str = "CHN", other: str = "USA") -> int | None:
    """First year from which ``iso3`` publishes more journal articles than ``other`` to the end of the data."""
    wide = data.series(ARTICLES, "IP.JRN.ARTC.SC", iso3=[iso3, other]).dropna()
    ahead = wide[iso3] > wide[other]
    if not ahead.iloc[-1]:
        return None
    behind = ahead.index[~ahead]
    return int(ahead.index[ahead.index > behind.max()].min()) if len(behind) else int(ahead.index.min())


def hightech_sentence() -> str:
    """High-tech exports: China's share of the world's and of its own manufactured exports, and its exports against
    the United States', each figure with its own year (the world total ends a year before China's series)."""
    share, year = _share(HIGHTECH, "TX.VAL.TECH.CD", "CHN", None)
    wide = data.series(HIGHTECH, "TX.VAL.TECH.CD", iso3=["CHN", "USA"]).dropna()
    mf = data.series(HIGHTECH, "TX.VAL.TECH.MF.ZS", iso3=["CHN"])["CHN"].dropna()
    last, mf_last = int(wide.index.max()), int(mf.index.max())
    world = f"In {year}, China exported {share:.1f} % of the world's high-technology goods by value"
    world += "." if year == last else f" ({year} is the last year with a world total)."
    return (f"{world} In {last}, China's high-tech exports were {wide.loc[last, 'CHN'] / wide.loc[last, 'USA']:.1f} "
            f"times the United States'. They were {mf.loc[mf_last]:.1f} % of China's manufactured exports in "
            f"{mf_last}, against {mf.iloc[0]:.1f} % in {mf.index[0]}.")


def articles_sentence() -> str:
    """Journal articles: when China passed the US and its share of the world's."""
    wide = data.series(ARTICLES, "IP.JRN.ARTC.SC", iso3=["CHN", "USA"]).dropna()
    last = int(wide.index.max())
    passed = articles_pass_year("CHN", "USA")
    lead = (f"more than the United States in every year from {passed} to {last}, the last year of the data" if passed
            else "fewer than the United States")
    return (f"In {last}, authors in China published {wide.loc[last, 'CHN']:,.0f} scientific and technical "
            f"journal articles ({articles_share_of_world('CHN', last):.1f} % of the world's), {lead}; the "
            f"United States published {wide.loc[last, 'USA']:,.0f}.")
