"""Question templates on regions, patents, intellectual property and growth (workbooks 3 to 5): a variant per
learner, every number computed from ``data/``, parameters only where the data hold the values."""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from ...engine.templates import Template, Variant
from .. import data
from .. import regions as _regions
from ..words import economy, possessive
from .challenges import invention_shares, ip_flows
from .growth import GROWTH_CLAIM_THRESHOLD, growth_series
from .newthree import EV, EV_POWERTRAINS, EV_WORLD, ev_sales
from .technology import PCT_TECHNOLOGIES, PCT_WORLD, pct_series
from .template_kit import as_fraction, numeric_variant, table, year_before

__all__ = ["ev_share_in_year", "growth_over_ten_years", "invention_share_in_year", "ip_ratio_in_year",
           "pct_share_in_year", "region_intensity", "region_share"]

#: the indicators a city-region's share of the national total is asked for
SHARE_OF = {_regions.EXPENDITURE: "R&D spending", "v4_cg_zlsq_fm": "invention patent applications",
            "v4_cg_zlsq2_fm": "invention patents granted"}
PCT_FROM = 2005      # China's shares are too small before this to tell apart
GROWTH_FROM, GROWTH_YEARS = 1978, 10  # ten-year windows from the start of the reforms
EV_ECONOMIES = ("CHN", "USA")  # the two largest markets with sales of both kinds in every year of the file


@cache
def _regions_of(code: str) -> dict[int, dict[str, float]]:
    """An indicator for the city-regions: year → region → value (read and grouped once)."""
    return table(_regions.city_region_wide(code))


@cache
def _provinces_of(code: str) -> dict[int, dict[str, float]]:
    """An indicator for every province and the national total: year → region code → value (read once)."""
    return table(_regions.province_wide(code))


def _region_name(region: str) -> str:
    """"Beijing–Tianjin–Hebei", "the Yangtze River Delta", "Guangdong (standing in for the Greater Bay Area)"."""
    info = _regions.CITY_REGIONS[region]
    if info.proxy:
        return "Guangdong (standing in for the Greater Bay Area)"
    return ("the " if region == "YRD" else "") + info.name


def _codes(region: str) -> str:
    return ", ".join(f"`{code}`" for code in _regions.CITY_REGIONS[region].provinces)


def _region_share_space():
    for code in SHARE_OF:
        for region in _regions.CITY_REGIONS:
            for year, row in _regions_of(code).items():
                if region in row and _regions.NATIONAL in _provinces_of(code).get(year, {}):
                    yield {"region": region, "indicator": code, "year": year}


def _region_share(params: dict) -> Variant:
    region, code, year = params["region"], params["indicator"], params["year"]
    part, whole = _regions_of(code)[year][region], _provinces_of(code)[year][_regions.NATIONAL]
    share = part / whole * 100
    resource = _regions.resource_for(code)
    return numeric_variant(
        f"Compute the share of China's {SHARE_OF[code]} in {year} that was in {_region_name(region)}, in per cent: "
        f"the sum of its provinces ({_codes(region)}) over the national total (`CN`), indicator `{code}` in "
        f"`{resource}`.", share,
        f"The provinces' {SHARE_OF[code]} ({part:,.0f}) over the national total ({whole:,.0f}) in {year}, times 100: "
        f"{share:.1f} %.",
        [as_fraction(share), ("that is the national total over the region, the wrong way round", whole / part * 100)],
        tolerance=0.1)


region_share = Template(
    "region-share", "computed", _region_share_space, _region_share, tolerance=0.1, unit="%",
    title="Compute a city-region's share of China's R&D spending or invention patents in a given year.")


def _region_intensity_space():
    for region, info in _regions.CITY_REGIONS.items():
        if len(info.provinces) > 1:  # one province: its own intensity, nothing to combine
            for year, row in _regions_of(_regions.INTENSITY).items():
                if region in row:
                    yield {"region": region, "year": year}


def _region_intensity(params: dict) -> Variant:
    region, year = params["region"], params["year"]
    value = _regions_of(_regions.INTENSITY)[year][region]
    row = _provinces_of(_regions.INTENSITY)[year]
    provinces = [row[code] for code in _regions.CITY_REGIONS[region].provinces]
    return numeric_variant(
        f"Compute the R&D intensity of {_region_name(region)} ({_codes(region)}) **as one region** in {year}: the "
        f"provinces' R&D "
        f"spending divided by their combined GDP, in % of GDP. The data have no GDP column: each province's GDP is "
        f"its R&D spending (`v4_ztr_jf_RD`) divided by its intensity (`v4_ztr_qd_RD`) times 100.", value,
        f"Adding spending and implied GDP weights each province by the size of its economy: {value:.2f} % in {year}, "
        f"between the provinces' lowest ({min(provinces):.2f} %) and highest ({max(provinces):.2f} %).",
        [("that is the simple average of the provinces' intensities, which ignores the size of their economies",
          sum(provinces) / len(provinces))],
        tolerance=0.02)


region_intensity = Template(
    "region-intensity", "computed", _region_intensity_space, _region_intensity, tolerance=0.02, unit="% of GDP",
    title="Compute the R&D intensity of a city-region as one region in a given year.")


@cache
def _pct_shares(code: str) -> pd.Series:
    wide = pct_series(code, ["CHN", PCT_WORLD])
    return (wide["CHN"] / wide[PCT_WORLD] * 100).dropna()


def _pct_space():
    for code in PCT_TECHNOLOGIES:
        for year in _pct_shares(code).index:
            if year >= PCT_FROM:
                yield {"technology": code, "year": int(year)}


def _pct_share(params: dict) -> Variant:
    code, year = params["technology"], params["year"]
    share, name = float(_pct_shares(code)[year]), PCT_TECHNOLOGIES[code]
    what = "all PCT applications" if code == "PCTTOT_NB" else f"{name} PCT applications"
    return numeric_variant(
        f"What share of the world's {what} (`{code}`) did inventors in China file in priority year {year}?", share,
        f"China's `{code}` count over the world's (`{PCT_WORLD}`) for {year}, times 100: {share:.1f} %.",
        [year_before(_pct_shares(code), year), as_fraction(share)],
        tolerance=0.5)


pct_share_in_year = Template(
    "pct-share-in-year", "numeric", _pct_space, _pct_share, tolerance=0.5, unit="%",
    title="China's share of the world's PCT applications in a technology and priority year.")


@cache
def _ip() -> pd.DataFrame:
    return ip_flows("CHN").dropna()


def _ip_space():
    for year in _ip().index:
        yield {"year": int(year)}


def _ip_ratio(params: dict) -> Variant:
    year = params["year"]
    row = _ip().loc[year]
    ratio = float(row["ratio"])
    return numeric_variant(
        f"Compute how many US dollars China paid for the use of foreign intellectual property in {year} for every "
        f"dollar it received (payments divided by receipts).", ratio,
        f"Payments (US$ {row['payments']:.2f} billion) over receipts (US$ {row['receipts']:.2f} billion) for "
        f"{year}: {ratio:.2f}.",
        [("that is receipts over payments, the wrong way round", 1 / ratio),
         ("that is the balance in billion US dollars, not a ratio", float(row["balance"]))],
        tolerance=0.05)


ip_ratio_in_year = Template(
    "ip-ratio-in-year", "computed", _ip_space, _ip_ratio, tolerance=0.05, unit="US$ paid per US$ received",
    title="How many US dollars China paid for foreign intellectual property per dollar received, in a given year.")


MEASURE_WORDS = {"grants": "patents China granted", "applications": "patent applications China accepted"}


@cache
def _inventions(measure: str) -> pd.Series:
    return invention_shares(measure).dropna()


def _invention_space():
    for measure in MEASURE_WORDS:
        for year in _inventions(measure).index:
            yield {"measure": measure, "year": int(year)}


def _invention_share(params: dict) -> Variant:
    measure, year = params["measure"], params["year"]
    share = float(_inventions(measure)[year])
    other = "applications" if measure == "grants" else "grants"
    return numeric_variant(
        f"What percentage of the domestic {MEASURE_WORDS[measure]} in {year} were invention patents?", share,
        f"Invention patents over all domestic {measure} in {year}, times 100: {share:.1f} %; the rest are utility "
        f"models and designs.",
        [(f"that is the share among {other}, not {measure}", float(_inventions(other).get(year, float("nan")))),
         as_fraction(share)],
        tolerance=0.5)


invention_share_in_year = Template(
    "invention-share-in-year", "numeric", _invention_space, _invention_share, tolerance=0.5, unit="%",
    title="What percentage of China's domestic patent grants or applications in a given year were invention "
          "patents?")


@cache
def _growth() -> dict[int, float]:
    return {int(year): float(rate) for year, rate in growth_series("WDI").items()}


def _mean_growth(start: int, end: int) -> float:
    rates = [_growth().get(year, math.nan) for year in range(start, end + 1)]
    return sum(rates) / len(rates)


def _growth_space():
    years = set(_growth())
    for start in range(GROWTH_FROM, max(years) - GROWTH_YEARS + 2):
        if all(year in years for year in range(start, start + GROWTH_YEARS)):
            yield {"start": start, "end": start + GROWTH_YEARS - 1}


def _growth_window(params: dict) -> Variant:
    start, end = params["start"], params["end"]
    rates = [_growth()[year] for year in range(start, end + 1)]
    mean = _mean_growth(start, end)
    compound = (math.prod(1 + rate / 100 for rate in rates) ** (1 / len(rates)) - 1) * 100
    return numeric_variant(
        f"Compute the arithmetic mean of China's annual GDP growth (`NY.GDP.MKTP.KD.ZG`) over the years "
        f"{start}–{end}.", mean,
        f"The mean of the {len(rates)} annual rates {start}–{end}: {mean:.2f} % a year "
        f"({'above' if mean > GROWTH_CLAIM_THRESHOLD else 'not above'} the essay's {GROWTH_CLAIM_THRESHOLD:g} %).",
        [("that is the compound (geometric) mean; the question asks for the arithmetic one", compound),
         (f"that is the mean of {start + 1}–{end + 1}, one year late", _mean_growth(start + 1, end + 1))],
        tolerance=0.05)


growth_over_ten_years = Template(
    "growth-over-ten-years", "computed", _growth_space, _growth_window, tolerance=0.05, unit="% a year",
    title="Compute the arithmetic mean of China's annual GDP growth over ten given years.")


# -- electric cars: a market's share of the world's sales ---------------------------------------------------------
@cache
def _ev_sales() -> dict[int, dict[str, float]]:
    """Electric cars sold (battery-electric + plug-in hybrid): year → area → cars (read once)."""
    return table(ev_sales((*EV_ECONOMIES, EV_WORLD)))


@cache
def _ev_by_kind(powertrain: str) -> dict[int, dict[str, float]]:
    """One kind of electric car sold: year → area → cars."""
    return table(data.series(EV, f"EV sales, Cars, {powertrain}", iso3=[*EV_ECONOMIES, EV_WORLD]))


def _ev_space():
    for iso3 in EV_ECONOMIES:
        for year in _ev_sales():
            if all(area in _ev_by_kind(kind).get(year, {}) for kind in EV_POWERTRAINS for area in (iso3, EV_WORLD)):
                yield {"economy": iso3, "year": year}


def _ev_share(params: dict) -> Variant:
    iso3, year = params["economy"], params["year"]
    part, whole = _ev_sales()[year][iso3], _ev_sales()[year][EV_WORLD]
    share = part / whole * 100
    battery = _ev_by_kind("BEV")[year]
    shares = {y: row[iso3] / row[EV_WORLD] * 100 for y, row in _ev_sales().items() if iso3 in row and EV_WORLD in row}
    return numeric_variant(
        f"From `{EV}`, compute {possessive(iso3)} share (%) of the world's electric-car sales in {year}: "
        "battery-electric plus plug-in hybrid cars (`indicator_name` \"EV sales, Cars, BEV\" and \"EV sales, Cars, "
        f"PHEV\"), {economy(iso3)} (`{iso3}`) over the world (`{EV_WORLD}`).", share,
        f"Electric cars sold in {economy(iso3)} ({part:,.0f}) over those sold in the world ({whole:,.0f}) in {year}, "
        f"times 100: {share:.1f} %: where the cars were bought, not where they were made.",
        [("that counts battery-electric cars only; add the plug-in hybrids", battery[iso3] / battery[EV_WORLD] * 100),
         year_before(shares, year), as_fraction(share)],
        tolerance=0.5)


ev_share_in_year = Template(
    "ev-share-in-year", "computed", _ev_space, _ev_share, tolerance=0.5, unit="%",
    title="A market's share of the world's electric-car sales in a given year.")
