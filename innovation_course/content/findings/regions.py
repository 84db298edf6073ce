"""Findings for lesson 3, ecosystems and regions: provinces' R&D and patents, the three city-regions, the GII
clusters, and the claim check on "Shenzhen-Hong Kong Innovation Circle" in Beijing–Tianjin–Hebei."""

from __future__ import annotations

import pandas as pd

from .. import data
from .. import regions as _regions

__all__ = [
    "GII_GBA_CLUSTER",
    "city_region_share_of_national",
    "city_region_value",
    "cluster_rank",
    "cluster_ranks",
    "gba_cluster_sentence",
    "guangdong_passes_jjj",
    "guangdong_vs_jjj",
    "guangdong_vs_jjj_sentence",
    "province_coverage_sentence",
    "province_rank",
    "province_value",
    "province_years",
    "region_intensity_sentence",
    "top_intensity_provinces",
]

GII_GBA_CLUSTER = "Shenzhen-Hong Kong-Guangzhou"
_CLUSTERS = "gii_science_technology_clusters"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _code(province: str) -> str:
    """A province as a region code: accepts "CN-GD" or "Guangdong"."""
    if province.startswith("CN"):
        return province
    by_name = {v: k for k, v in _regions.province_names().items()}
    return by_name[province]


def province_years(code: str = _regions.INTENSITY) -> tuple[int, int]:
    """First and last year the province data cover for an indicator code."""
    return _regions.years_covered(code)


def province_value(province: str, code: str, year: int) -> float:
    """One province's value (region code or English name; "CN" is the national total)."""
    return float(_regions.province_wide(code).loc[year, _code(province)])


def province_rank(province: str, code: str, year: int) -> int:
    """A province's rank among the 31 provinces (1 = highest) for an indicator and year."""
    row = _regions.province_wide(code).loc[year].drop(_regions.NATIONAL)
    return int((row > row[_code(province)]).sum()) + 1


def top_intensity_provinces(year: int, n: int = 3) -> list[str]:
    """The ``n`` provinces with the highest R&D intensity in a year (English names, highest first)."""
    row = _regions.province_wide(_regions.INTENSITY).loc[year].drop(_regions.NATIONAL)
    names = _regions.province_names()
    return [names[c] for c in row.sort_values(ascending=False).index[:n]]


def city_region_value(region: str, code: str, year: int) -> float:
    """A city-region's value ("JJJ", "YRD" or "GBA" = Guangdong proxy): sums, or the group's R&D intensity."""
    return float(_regions.city_region_wide(code).loc[year, region])


def city_region_share_of_national(region: str, code: str, year: int) -> float:
    """A city-region's share of the national total, in per cent (not for intensities)."""
    if code == _regions.INTENSITY:
        raise ValueError("a share of the national total makes no sense for an intensity")
    return city_region_value(region, code, year) / province_value("CN", code, year) * 100


def guangdong_vs_jjj(code: str, year: int) -> float:
    """Guangdong's value divided by Beijing–Tianjin–Hebei's combined value (> 1: Guangdong alone is larger)."""
    return city_region_value("GBA", code, year) / city_region_value("JJJ", code, year)


def guangdong_passes_jjj(code: str = _regions.EXPENDITURE) -> int | None:
    """First year from which Guangdong alone stays above Beijing, Tianjin and Hebei combined (None if never)."""
    wide = _regions.city_region_wide(code)[["GBA", "JJJ"]].dropna()
    ahead = wide["GBA"] > wide["JJJ"]
    if not ahead.iloc[-1]:
        return None
    behind = ahead[~ahead]
    later = ahead.index[ahead.index > behind.index.max()] if len(behind) else ahead.index
    return int(later.min())


def province_coverage_sentence() -> str:
    """Which years and units the province files cover, read from the data."""
    rd_first, rd_last = province_years(_regions.INTENSITY)
    pat_first, pat_last = province_years("v4_cg_zlsq_fm")
    unit = data.indicator_unit(_regions.RD, _regions.EXPENDITURE)
    provinces = len(_regions.province_names()) - 1
    prices = "at current prices, not adjusted for inflation" if "current prices" in unit else f"({unit})"
    return (f"The province files cover R&D spending and intensity for {rd_first}–{rd_last} and patents for "
            f"{pat_first}–{pat_last}, for {provinces} provinces and the national total. R&D spending is in 亿元 "
            f"(yì yuán, 100 million yuan) {prices}; intensity is R&D spending as a % of the province's GDP.")


def region_intensity_sentence(year: int | None = None) -> str:
    """The takeaway of the city-region R&D intensity chart."""
    wide = _regions.city_region_wide(_regions.INTENSITY).dropna()
    year = int(year or wide.index.max())
    first = int(wide.index.min())
    row = wide.loc[year]
    order = row.sort_values(ascending=False)
    names = {k: ("the " if k == "YRD" else "") + r.label for k, r in _regions.CITY_REGIONS.items()}
    national = province_value("CN", _regions.INTENSITY, year)
    rose = [_regions.CITY_REGIONS[k].label for k in wide.columns if wide.loc[year, k] > wide.loc[first, k]]
    trend = ("All three are higher than in" if len(rose) == len(wide.columns)
             else f"Higher than in {first}: {', '.join(rose) or 'none'}; compare with") + f" {first}"
    return (f"In {year}, {names[order.index[0]]} spent {order.iloc[0]:.2f} % of its GDP on R&D, "
            f"{names[order.index[1]]} {order.iloc[1]:.2f} % and {names[order.index[2]]} {order.iloc[2]:.2f} % "
            f"(China: {national:.2f} %). {trend}. Within Beijing–Tianjin–Hebei, Beijing is at "
            f"{province_value('CN-BJ', _regions.INTENSITY, year):.2f} %, Hebei at "
            f"{province_value('CN-HE', _regions.INTENSITY, year):.2f} %.")


def guangdong_vs_jjj_sentence(year: int | None = None) -> str:
    """The claim-check evidence: Guangdong alone against Beijing–Tianjin–Hebei combined."""
    year = int(year or province_years(_regions.EXPENDITURE)[1])
    spend_gd = city_region_value("GBA", _regions.EXPENDITURE, year)
    spend_jjj = city_region_value("JJJ", _regions.EXPENDITURE, year)
    pat_gd = city_region_value("GBA", "v4_cg_zlsq2_fm", year)
    pat_jjj = city_region_value("JJJ", "v4_cg_zlsq2_fm", year)
    passed = guangdong_passes_jjj(_regions.EXPENDITURE)
    last = province_years(_regions.EXPENDITURE)[1]
    since = f" in every year from {passed} to {last}, the last year of the data" if passed else ""
    return (f"In {year}, Guangdong alone spent {spend_gd:,.0f} 亿元 on R&D, against {spend_jjj:,.0f} 亿元 for "
            f"Beijing, Tianjin and Hebei together: more{since}. It was granted {pat_gd:,.0f} invention patents, "
            f"against {pat_jjj:,.0f} for the three. Shenzhen's R&D is counted in Guangdong, not in "
            f"Beijing–Tianjin–Hebei.")


def cluster_ranks(subject: str = GII_GBA_CLUSTER) -> pd.Series:
    """A GII science and technology cluster's rank by edition (only the editions the data report)."""
    frame = data.load(_CLUSTERS)
    rows = frame[(frame["subject"] == subject) & (frame["metric"] == "cluster_rank")]
    ranks = rows.set_index("gii_edition")["value"].sort_index().astype(int)
    ranks.index.name = "edition"
    return ranks


def cluster_rank(edition: int, subject: str = GII_GBA_CLUSTER) -> int:
    """A cluster's rank in one GII edition."""
    return int(cluster_ranks(subject).loc[edition])


def gba_cluster_sentence() -> str:
    """Shenzhen–Hong Kong–Guangzhou's GII cluster rank by edition, with the 2025 method caveat."""
    ranks = cluster_ranks()
    listed = ", ".join(f"{_ordinal(rank)} in {edition}" for edition, rank in ranks.items())
    return (f"WIPO's Global Innovation Index ranks the Shenzhen–Hong Kong–Guangzhou cluster {listed} "
            f"(editions {ranks.index.min()}–{ranks.index.max()}). The 2025 edition added venture-capital deals to "
            f"the cluster method, so its rank is not strictly comparable with earlier ones.")
