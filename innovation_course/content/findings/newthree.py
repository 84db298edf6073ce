"""Findings for lesson 4, the "new three" (新三样: electric cars, lithium batteries, solar cells): China's share of
the world's electric-car sales and battery demand (IEA Global EV Outlook 2025) and of its solar capacity and
generation (Our World in Data), beside the manufacturing shares the IEA reports, which the data cannot show."""

from __future__ import annotations

import pandas as pd

from .. import data
from .reported import reported_row, reported_text

__all__ = [
    "NEW_THREE_START",
    "battery_share_of_world",
    "ev_sales",
    "ev_sales_share",
    "ev_share_of_world",
    "new_three_reported",
    "new_three_sentence",
    "new_three_shares",
    "new_three_verdict",
    "solar_share_at_home",
    "solar_share_of_world",
]

EV = "iea_gevo2025_ev"
SOLAR = "owid_solar"
EV_WORLD, SOLAR_WORLD = "WLD", "OWID_WRL"
#: Electric cars as the IEA counts them: battery-electric plus plug-in hybrid (fuel-cell cars are listed apart).
EV_POWERTRAINS = ("BEV", "PHEV")
SOLAR_CODES = {"capacity": "solar__total_gw", "generation": "solar_generation__twh"}
SOLAR_AT_HOME = "solar_share_of_electricity__pct"
#: First year of the chart: before it, both series are too small for a share of the world to mean much.
NEW_THREE_START = 2013


def ev_sales(economies: tuple[str, ...] = ("CHN", EV_WORLD)) -> pd.DataFrame:
    """Electric cars sold (battery-electric + plug-in hybrid), by year, one column per area (country of sale)."""
    parts = [data.series(EV, f"EV sales, Cars, {p}", iso3=list(economies)) for p in EV_POWERTRAINS]
    return parts[0].add(parts[1], fill_value=0)


def ev_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share of the world's electric-car sales, in per cent (default: the last year)."""
    sales = ev_sales((iso3, EV_WORLD)).dropna()
    year = year or int(sales.index.max())
    return float(sales.loc[year, iso3] / sales.loc[year, EV_WORLD] * 100)


def ev_sales_share(iso3: str = "CHN", year: int | None = None) -> float:
    """Electric cars as a share of all new cars sold in an area, in per cent (the IEA's "EV sales share")."""
    shares = data.series(EV, "EV sales share, Cars, EV", iso3=[iso3])[iso3].dropna()
    return float(shares.loc[year or int(shares.index.max())])


def battery_share_of_world(iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share of the world's demand for batteries in electric cars (GWh), in per cent."""
    demand = data.series(EV, "Battery demand, Cars, EV", iso3=[iso3, EV_WORLD]).dropna()
    year = year or int(demand.index.max())
    return float(demand.loc[year, iso3] / demand.loc[year, EV_WORLD] * 100)


def solar_share_of_world(measure: str = "capacity", iso3: str = "CHN", year: int | None = None) -> float:
    """An economy's share of the world's installed solar capacity or solar generation, in per cent."""
    wide = data.series(SOLAR, SOLAR_CODES[measure], iso3=[iso3, SOLAR_WORLD]).dropna()
    year = year or int(wide.index.max())
    return float(wide.loc[year, iso3] / wide.loc[year, SOLAR_WORLD] * 100)


def solar_share_at_home(iso3: str = "CHN", year: int | None = None) -> float:
    """Solar power's share of an area's own electricity generation, in per cent (Our World in Data)."""
    shares = data.series(SOLAR, SOLAR_AT_HOME, iso3=[iso3])[iso3].dropna()
    return float(shares.loc[year or int(shares.index.max())])


def new_three_shares(iso3: str = "CHN", start: int = NEW_THREE_START) -> pd.DataFrame:
    """China's share of the world (%) in electric-car sales, solar capacity and solar generation, by year."""
    sales = ev_sales((iso3, EV_WORLD))
    columns = {"Electric-car sales": sales[iso3] / sales[EV_WORLD] * 100}
    for measure, code in SOLAR_CODES.items():
        wide = data.series(SOLAR, code, iso3=[iso3, SOLAR_WORLD])
        columns[f"Solar {measure}"] = wide[iso3] / wide[SOLAR_WORLD] * 100
    table = pd.DataFrame(columns).loc[start:]
    table.index.name = "year"
    return table


def new_three_sentence() -> str:
    """The takeaway of the new-three chart, each figure with its own year."""
    shares = new_three_shares()
    ev = shares["Electric-car sales"].dropna()
    cap, gen = shares["Solar capacity"].dropna(), shares["Solar generation"].dropna()
    ev_last, solar_last = int(ev.index.max()), int(cap.index.max())
    return (f"China's share of the world's electric-car sales went from {ev.iloc[0]:.1f} % in {int(ev.index[0])} "
            f"to {ev[ev_last]:.1f} % in {ev_last}, when electric cars were {ev_sales_share('CHN'):.0f} % of the new "
            f"cars sold in China and {ev_sales_share(EV_WORLD):.0f} % worldwide; the electric cars sold in China held "
            f"{battery_share_of_world('CHN'):.0f} % of the battery capacity (GWh) of those sold worldwide (IEA, "
            f"{ev_last}). "
            f"China had {cap.iloc[0]:.1f} % of the world's installed solar capacity in {int(cap.index[0])} and "
            f"{cap[solar_last]:.1f} % in {solar_last}, and made {gen[solar_last]:.1f} % of the world's solar "
            f"electricity in {solar_last}; solar was {solar_share_at_home('CHN', solar_last):.1f} % of China's own "
            f"electricity that year ({solar_share_at_home(SOLAR_WORLD, solar_last):.1f} % worldwide; Our World in "
            f"Data, whose series end in {solar_last}).")


def new_three_reported() -> str:
    """The manufacturing shares and export figures that are reported, not in the data."""
    pv, ev = reported_row("pv_manufacturing_share"), reported_row("ev_chinese_makers_2023")
    return (f"**Reported, not computed.** Where the goods are *made* is not in these files. The IEA reports that "
            f"China's share of every manufacturing stage of solar panels, from polysilicon to modules, is "
            f"{reported_text('pv_manufacturing_share')} ({pv['period']}), and that Chinese carmakers produced "
            f"{reported_text('ev_chinese_makers_2023')} (more than half) of the electric cars sold worldwide in "
            f"{ev['period']}. China's customs reported exports of the new three of "
            f"{reported_text('new_three_exports_2023', with_period=True)}.")


def new_three_verdict() -> str:
    """The verdict on China's lead in the new three: what the data support and what rests on reported figures."""
    ev, cap = ev_share_of_world("CHN"), solar_share_of_world("capacity")
    rivals = ("USA", "EU27", "EUROPE")  # the largest other markets, the EU and Europe counted whole
    lead = (ev > max(ev_share_of_world(other) for other in rivals)
            and cap > max(solar_share_of_world("capacity", other) for other in rivals[:2]))
    if not lead:
        return "Not supported by these data: China does not lead the world's deployment of electric cars and solar."
    return (f"**Supported for deployment**: {ev:.0f} % of the world's new electric cars were sold in China in "
            f"{int(ev_sales().dropna().index.max())}, and China had {cap:.0f} % of the world's solar capacity "
            f"in {int(new_three_shares()['Solar capacity'].dropna().index.max())}, more than any other economy in the "
            "data. **Manufacturing: cannot be checked with these data**: the lead in making the goods rests on "
            "figures the IEA reports (an intergovernmental agency, citing industry data), not on the course's "
            "files.")
