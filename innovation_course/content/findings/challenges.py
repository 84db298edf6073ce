"""Findings for lesson 5, challenges and opportunities: the intellectual-property balance, invention patents
among all patents, China's Global Innovation Index rank and foreign direct investment (the growth claim is in
:mod:`growth`)."""

from __future__ import annotations

import pandas as pd

from .. import data
from ..words import ordinal
from .reported import reported_row, reported_text

__all__ = [
    "IP_ECONOMIES",
    "fdi_inflows",
    "fdi_largest_fall_year",
    "fdi_peak_year",
    "fdi_reported_sentence",
    "fdi_sentence",
    "fdi_share_of_gdp",
    "fdi_verdict",
    "gii_economies_ranked",
    "gii_first_top_ten",
    "gii_places_climbed",
    "gii_rank",
    "gii_ranks",
    "gii_sentence",
    "invention_share",
    "invention_share_table",
    "invention_shares",
    "ip_balance",
    "ip_balance_sentence",
    "ip_balances",
    "ip_common_year",
    "ip_flows",
    "ip_peak_ratio_year",
    "ip_ratio",
    "ip_sentence",
    "ip_surplus_economies",
    "ip_surplus_names",
    "patent_mix",
    "patent_sentence",
]

IP = "wdi_ip_charges"
PAYMENTS, RECEIPTS = "BM.GSR.ROYL.CD", "BX.GSR.ROYL.CD"
PATENTS = "china_provinces_patents"
GII = "gii_china_rank"

#: The economies compared on intellectual-property charges.
IP_ECONOMIES = ("CHN", "USA", "JPN", "DEU", "KOR", "GBR", "FRA", "IND")

#: Patent indicator codes in the province file (national total "CN"): applications accepted, patents granted.
PATENT_CODES = {
    "applications": {"total": "v4_cg_zlsq_hj", "invention": "v4_cg_zlsq_fm",
                     "utility model": "v4_cg_zlsq_syxx", "design": "v4_cg_zlsq_wgsj"},
    "grants": {"total": "v4_cg_zlsq2_hj", "invention": "v4_cg_zlsq2_fm",
               "utility model": "v4_cg_zlsq2_syxx", "design": "v4_cg_zlsq2_wgsj"},
}


def _name(iso3: str) -> str:
    frame = data.load(IP)
    names = frame.drop_duplicates("iso3").set_index("iso3")["country"]
    return {"EUU": "the European Union", "WLD": "the world", "USA": "the United States",
            "GBR": "the United Kingdom"}.get(iso3, str(names.get(iso3, iso3)))


# --------------------------------------------------------------------------- intellectual property


def ip_flows(iso3: str = "CHN") -> pd.DataFrame:
    """An economy's charges for the use of intellectual property, by year: payments and receipts in US$
    billion, the balance (receipts − payments, negative = deficit) and payments per dollar of receipts."""
    frame = data.load(IP)
    rows = frame[frame["iso3"] == iso3]
    wide = rows.pivot(index="year", columns="indicator_code", values="value").sort_index() / 1e9
    wide = wide.reindex(columns=[PAYMENTS, RECEIPTS]).dropna()
    table = pd.DataFrame({"payments": wide[PAYMENTS], "receipts": wide[RECEIPTS]})
    table["balance"] = table["receipts"] - table["payments"]
    table["ratio"] = table["payments"] / table["receipts"]
    table.index.name = "year"
    return table


def ip_ratio(year: int, iso3: str = "CHN") -> float:
    """US$ paid abroad for the use of intellectual property per US$ received, in one year."""
    return float(ip_flows(iso3).loc[year, "ratio"])


def ip_balance(year: int, iso3: str = "CHN") -> float:
    """Receipts minus payments for the use of intellectual property, US$ billion (negative = deficit)."""
    return float(ip_flows(iso3).loc[year, "balance"])


def ip_peak_ratio_year(iso3: str = "CHN") -> int:
    """The year in which payments were largest relative to receipts."""
    return int(ip_flows(iso3)["ratio"].idxmax())


def ip_common_year(economies: tuple[str, ...] = IP_ECONOMIES) -> int:
    """The latest year with payments and receipts for every one of the economies."""
    years = set.intersection(*(set(ip_flows(iso3).index) for iso3 in economies))
    return int(max(years))


def ip_balances(year: int, economies: tuple[str, ...] = IP_ECONOMIES) -> pd.Series:
    """The intellectual-property balance (US$ billion) of several economies in one year, by iso3 code."""
    values = {}
    for iso3 in economies:
        flows = ip_flows(iso3)
        if year in flows.index:
            values[iso3] = float(flows.loc[year, "balance"])
    return pd.Series(values, name="balance", dtype=float)


def ip_surplus_economies(year: int, economies: tuple[str, ...] = IP_ECONOMIES) -> list[str]:
    """The economies (iso3) that received more for their intellectual property than they paid, in one year."""
    balances = ip_balances(year, economies)
    return [iso3 for iso3, value in balances.items() if value > 0]


def ip_balance_sentence(year: int | None = None, economies: tuple[str, ...] = IP_ECONOMIES) -> str:
    """The takeaway of the bar chart of IP balances across economies."""
    year = int(year or ip_common_year(economies))
    balances = ip_balances(year, economies)
    surplus = ip_surplus_economies(year, economies)
    names = [_name(i) for i in surplus]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    top, bottom = balances.idxmax(), balances.idxmin()
    china = (f"China's deficit (US$ {-balances['CHN']:.1f} billion) was the largest"
             if bottom == "CHN" else f"China's balance was US$ {balances['CHN']:+.1f} billion")
    return (f"In {year}, {len(surplus)} of the {len(balances)} economies shown received more for their "
            f"intellectual property than they paid: {listed}. {_name(top)[0].upper() + _name(top)[1:]} had the "
            f"largest surplus (US$ {balances[top]:.1f} billion); {china}.")


def ip_surplus_names(year: int, economies: tuple[str, ...] = IP_ECONOMIES) -> list[str]:
    """The surplus economies of :func:`ip_surplus_economies` by their names in the data (e.g. "United States")."""
    names = data.load(IP).drop_duplicates("iso3").set_index("iso3")["country"]
    return [str(names[iso3]) for iso3 in ip_surplus_economies(year, economies)]


def ip_sentence(iso3: str = "CHN") -> str:
    """The takeaway of the payments-against-receipts chart."""
    flows = ip_flows(iso3)
    first, last = int(flows.index.min()), int(flows.index.max())
    peak = ip_peak_ratio_year(iso3)
    deficits = int((flows["balance"] < 0).sum())
    return (f"In {last}, {_name(iso3)} paid US$ {flows.loc[last, 'payments']:.1f} billion for the use of foreign "
            f"intellectual property and received US$ {flows.loc[last, 'receipts']:.1f} billion: "
            f"{flows.loc[last, 'ratio']:.1f} dollars paid for every dollar received, a deficit of US$ "
            f"{-flows.loc[last, 'balance']:.1f} billion. The gap was widest relative to receipts in {peak} "
            f"({flows.loc[peak, 'ratio']:.0f} to 1); in {first} it was {flows.loc[first, 'ratio']:.0f} to 1. "
            f"Payments exceeded receipts in {deficits} of the {len(flows)} years from {first} to {last}.")


# --------------------------------------------------------------------------- patents


def _patent_wide(measure: str) -> pd.DataFrame:
    if measure not in PATENT_CODES:
        raise ValueError(f"measure must be one of {sorted(PATENT_CODES)}")
    frame = data.load(PATENTS)
    rows = frame[frame["region_code"] == "CN"]
    wide = rows.pivot(index="year", columns="indicator_code", values="value").sort_index()
    codes = PATENT_CODES[measure]
    return pd.DataFrame({kind: wide[code] for kind, code in codes.items()})


def patent_mix(year: int, measure: str = "grants") -> pd.Series:
    """Shares (%) of invention, utility-model and design patents in China's domestic total, one year."""
    wide = _patent_wide(measure)
    row = wide.loc[year]
    return (row.drop("total") / row["total"] * 100).rename(f"% of {measure}")


def invention_shares(measure: str = "grants") -> pd.Series:
    """Invention patents as a % of all domestic patents (national total), by year; ``measure`` is
    ``"applications"`` (accepted) or ``"grants"``."""
    wide = _patent_wide(measure)
    return (wide["invention"] / wide["total"] * 100).rename(f"invention share of {measure}")


def invention_share_table() -> pd.DataFrame:
    """Invention shares (%) of applications and of grants, by year, for a chart."""
    return pd.DataFrame({"Applications": invention_shares("applications"), "Grants": invention_shares("grants")})


def invention_share(year: int, measure: str = "grants") -> float:
    """Invention patents as a % of all domestic patent applications or grants in China, one year."""
    return float(invention_shares(measure).loc[year])


def patent_sentence() -> str:
    """The takeaway of the invention-share chart."""
    grants, apps = invention_shares("grants"), invention_shares("applications")
    first, last = int(grants.index.min()), int(grants.index.max())
    wide = _patent_wide("grants")
    growth = wide.loc[last] / wide.loc[first]
    return (f"Invention patents — the kind examined for novelty and inventiveness — were {grants[first]:.1f} % of "
            f"the domestic patents China granted in {first} and {grants[last]:.1f} % in {last}; of applications, "
            f"{apps[first]:.1f} % and {apps[last]:.1f} %. Grants of invention patents multiplied by "
            f"{growth['invention']:.1f} over these years, all grants by {growth['total']:.1f}: most grants are "
            f"still utility models and designs.")


# --------------------------------------------------------------------------- Global Innovation Index


def gii_ranks() -> pd.Series:
    """China's overall Global Innovation Index rank by edition (1 = most innovative)."""
    frame = data.load(GII)
    ranks = frame.set_index("gii_edition")["gii_rank"].sort_index().astype(int)
    ranks.index.name = "edition"
    return ranks.rename("rank")


def gii_rank(edition: int) -> int:
    """China's GII rank in one edition."""
    return int(gii_ranks().loc[edition])


def gii_first_top_ten() -> int | None:
    """The first edition in which China ranks in the top ten (None if never)."""
    ranks = gii_ranks()
    top = ranks[ranks <= 10]
    return int(top.index.min()) if len(top) else None


def gii_places_climbed(first: int, last: int) -> int:
    """Places gained between two editions (positive = a better rank)."""
    return gii_rank(first) - gii_rank(last)


def gii_economies_ranked() -> tuple[int, int]:
    """The smallest and largest number of economies ranked in the editions that report it."""
    counts = data.load(GII)["economies_ranked"].dropna().astype(int)
    return int(counts.min()), int(counts.max())


def gii_sentence() -> str:
    """The takeaway of the GII chart, with WIPO's caveat."""
    ranks = gii_ranks()
    first, last = int(ranks.index.min()), int(ranks.index.max())
    low, high = gii_economies_ranked()
    top = gii_first_top_ten()
    top_text = f"entering the top ten for the first time in {top}" if top else "without reaching the top ten"
    return (f"China's Global Innovation Index rank went from {ordinal(ranks[first])} in the {first} edition to "
            f"{ordinal(ranks[last])} in {last}, {top_text}. Ranks are not strictly comparable across editions: "
            f"WIPO changes its method and the number of economies ranked varies ({low} to {high} in the "
            f"editions that report it).")


# --------------------------------------------------------------------------- foreign direct investment

FDI = ("wdi_fdi_net_inflows", "BX.KLT.DINV.CD.WD")


def fdi_inflows(iso3: str = "CHN") -> pd.Series:
    """Net inflows of foreign direct investment, billion current US$ (WDI BX.KLT.DINV.CD.WD), by year."""
    return (data.series(*FDI, iso3=[iso3])[iso3].dropna() / 1e9).rename(f"{iso3} FDI net inflows")


def fdi_share_of_gdp(iso3: str = "CHN") -> pd.Series:
    """Net FDI inflows as % of GDP (both current US$, WDI), by year."""
    gdp = data.series("wdi_gdp", "NY.GDP.MKTP.CD", iso3=[iso3])[iso3] / 1e9
    return (fdi_inflows(iso3) / gdp * 100).dropna().rename(f"{iso3} FDI, % of GDP")


def fdi_peak_year(iso3: str = "CHN") -> int:
    """The year of the largest net FDI inflow."""
    return int(fdi_inflows(iso3).idxmax())


def fdi_largest_fall_year(iso3: str = "CHN") -> int:
    """The year whose net FDI inflow fell most, in proportion, from the year before."""
    return int(fdi_inflows(iso3).pct_change().idxmin())


def fdi_sentence(iso3: str = "CHN") -> str:
    """Net FDI inflows from their peak to the last year, naming the year of the largest fall."""
    flows, share = fdi_inflows(iso3), fdi_share_of_gdp(iso3)
    peak, last = fdi_peak_year(iso3), int(flows.index.max())
    falling = bool((flows.loc[peak:].diff().dropna() < 0).all())
    trend = f"fell in each year from {peak} to {last}" if falling else f"was lower in {last} than in {peak}"
    drop = fdi_largest_fall_year(iso3)
    return (f"Net inflows of foreign direct investment into China peaked at US$ {flows[peak]:.1f} billion in "
            f"{peak} ({share[peak]:.1f} % of GDP) and {trend}. The sharpest fall, in proportion, came in {drop}: "
            f"from US$ {flows[drop - 1]:.1f} billion to US$ {flows[drop]:.1f} billion, "
            f"{(1 - flows[drop] / flows[drop - 1]) * 100:.0f} % less in one year. In {last} the inflow was US$ "
            f"{flows[last]:.1f} billion ({share[last]:.1f} % of GDP), {flows[last] / flows[peak] * 100:.0f} % of "
            "the peak. A net flow is new investment minus what foreign investors took out.")


def fdi_reported_sentence() -> str:
    """The official Chinese measures of the same years, as reported: SAFE's and MOFCOM's, and a survey beside them."""
    return (f"China's own figures tell the same story. SAFE's balance of payments recorded a rise of "
            f"{reported_text('safe_fdi_2023')} in direct investment liabilities in 2023, "
            f"{reported_text('safe_fdi_2023_fall')} less than in 2022 and the lowest since 1993. MOFCOM's actual "
            f"use of foreign capital, which leaves out reinvested earnings, fell "
            f"{reported_text('mofcom_fdi_2023_fall')} in 2023, {reported_text('mofcom_fdi_2024_fall')} in 2024 and "
            f"{reported_text('mofcom_fdi_2025_fall')} in 2025, while the number of new foreign-invested firms rose "
            f"{reported_text('mofcom_new_firms_2023_rise')}, "
            f"{reported_text('mofcom_new_firms_2024_rise')} and {reported_text('mofcom_new_firms_2025_rise')}. In the "
            f"weeks SAFE's 2023 low was published, a CCPIT survey reported that "
            f"{reported_text('ccpit_survey_optimistic')} expected their profits in China to stay stable or rise over "
            "five years.")


def fdi_verdict(iso3: str = "CHN") -> str:
    """The verdict on Akram's "optimism ... expressed by top multinational corporations", kept apart from the
    investment it is said to show."""
    flows = fdi_inflows(iso3)
    peak, last, drop = fdi_peak_year(iso3), int(flows.index.max()), fdi_largest_fall_year(iso3)
    later = [reported_row(f"mofcom_fdi_{year}_fall")["period"] for year in (2024, 2025)]
    if flows[last] < flows[peak]:
        investment = (f"not supported by the flows.** Net inflows fell from {peak} to {last}, with the sharpest "
                      f"fall in {drop}, the year before the essay, and MOFCOM reported further falls in "
                      f"{later[0]} and {later[1]}")
    else:
        investment = "supported by the flows.**"
    return ("Two claims in one sentence. **The optimism itself: cannot be checked with these data.** Statements and "
            "survey answers are not in the balance of payments; a survey of the time did report optimism, so the "
            "statements may well have been made. **The \"commitment to expanding and investing\" they are said to "
            f"show: {investment}. The data cannot say why (pandemic controls, interest rates abroad, geopolitics and "
            "export controls all came in the same years), and more foreign firms were set up each year, so some "
            "firms did expand: what fell is the money.")
