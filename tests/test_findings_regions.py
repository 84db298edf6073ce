"""Lesson 3's findings, recomputed from the raw CSV files with the csv module and checked against facts.md."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from innovation_course.content import findings

DATA = Path(__file__).resolve().parent.parent / "data"
FACTS_MD = (DATA / "facts.md").read_text(encoding="utf-8")
JJJ, YRD, GD = ("CN-BJ", "CN-TJ", "CN-HE"), ("CN-SH", "CN-JS", "CN-ZJ", "CN-AH"), ("CN-GD",)
SPEND, INTENSITY, GRANTED = "v4_ztr_jf_RD", "v4_ztr_qd_RD", "v4_cg_zlsq2_fm"


def raw(name: str) -> dict[str, dict[tuple[str, int], float]]:
    """indicator code → {(region_code, year): value}, straight from the CSV."""
    table: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["indicator_code"]][(row["region_code"], int(row["year"]))] = float(row["value"])
    return table


RD = raw("china_provinces_rd")
PAT = raw("china_provinces_patents")


def years(table: dict[tuple[str, int], float]) -> list[int]:
    return sorted({y for _, y in table})


def group_sum(table, codes, year):
    return sum(table[(c, year)] for c in codes)


def group_intensity(codes, year):
    gdp = sum(RD[SPEND][(c, year)] / RD[INTENSITY][(c, year)] * 100 for c in codes)
    return group_sum(RD[SPEND], codes, year) / gdp * 100


def test_years_covered_match_the_files():
    assert findings.province_years(INTENSITY) == (min(years(RD[INTENSITY])), max(years(RD[INTENSITY])))
    assert findings.province_years(INTENSITY) == (2011, 2023)  # SOURCES.md §4
    assert findings.province_years("v4_cg_zlsq_fm") == (2010, 2023)
    assert "2011–2023" in findings.province_coverage_sentence()
    assert "亿元" in findings.province_coverage_sentence()
    assert "current prices" in findings.province_coverage_sentence()


def test_national_totals_match_the_communique():
    """SOURCES.md §4: 2023 R&D 33 357.1 亿元 and 2.65 %; 2022 30 782.9 亿元 and 2.54 %."""
    assert findings.province_value("CN", SPEND, 2023) == pytest.approx(33357.1)
    assert findings.province_value("CN", INTENSITY, 2023) == pytest.approx(2.65)
    assert findings.province_value("CN", SPEND, 2022) == pytest.approx(30782.9)


@pytest.mark.parametrize("year", [2011, 2017, 2023])
def test_city_region_sums_and_intensities(year):
    for key, codes in (("JJJ", JJJ), ("YRD", YRD), ("GBA", GD)):
        assert findings.city_region_value(key, SPEND, year) == pytest.approx(group_sum(RD[SPEND], codes, year))
        assert findings.city_region_value(key, GRANTED, year) == pytest.approx(group_sum(PAT[GRANTED], codes, year))
        assert findings.city_region_value(key, INTENSITY, year) == pytest.approx(group_intensity(codes, year))
    # the GBA proxy is Guangdong and nothing else
    assert findings.city_region_value("GBA", INTENSITY, year) == pytest.approx(RD[INTENSITY][("CN-GD", year)])


def test_city_region_intensity_is_weighted_not_averaged():
    """Each province counts by its GDP: Tianjin's small economy weighs less than in a simple mean."""
    simple_mean = sum(RD[INTENSITY][(c, 2023)] for c in JJJ) / 3
    assert abs(findings.city_region_value("JJJ", INTENSITY, 2023) - simple_mean) > 0.1
    assert findings.city_region_value("JJJ", INTENSITY, 2023) == pytest.approx(4.27, abs=0.01)


def test_shares_of_national_total():
    share = findings.city_region_share_of_national("YRD", SPEND, 2023)
    assert share == pytest.approx(group_sum(RD[SPEND], YRD, 2023) / RD[SPEND][("CN", 2023)] * 100)
    assert 25 < share < 35
    with pytest.raises(ValueError):
        findings.city_region_share_of_national("YRD", INTENSITY, 2023)


def test_top_intensity_provinces():
    row = {c: v for (c, y), v in RD[INTENSITY].items() if y == 2023 and c != "CN"}
    top = sorted(row, key=row.get, reverse=True)[:3]
    names = {"CN-BJ": "Beijing", "CN-SH": "Shanghai", "CN-TJ": "Tianjin", "CN-GD": "Guangdong"}
    assert findings.top_intensity_provinces(2023) == [names[c] for c in top]
    assert findings.province_rank("Beijing", INTENSITY, 2023) == 1


def test_guangdong_alone_outspends_beijing_tianjin_hebei_from_2020():
    gd_ahead = {y: RD[SPEND][("CN-GD", y)] > group_sum(RD[SPEND], JJJ, y) for y in years(RD[SPEND])}
    assert not gd_ahead[2019] and all(gd_ahead[y] for y in range(2020, 2024))
    assert findings.guangdong_passes_jjj(SPEND) == 2020
    assert findings.guangdong_vs_jjj(SPEND, 2023) == pytest.approx(
        RD[SPEND][("CN-GD", 2023)] / group_sum(RD[SPEND], JJJ, 2023))
    assert findings.guangdong_vs_jjj(SPEND, 2011) < 1 < findings.guangdong_vs_jjj(SPEND, 2023)
    sentence = findings.guangdong_vs_jjj_sentence(2023)
    assert f"{RD[SPEND][('CN-GD', 2023)]:,.0f} 亿元" in sentence
    assert "in every year from 2020 to 2023, the last year of the data" in sentence
    assert f"{PAT[GRANTED][('CN-GD', 2023)]:,.0f}" in sentence


def test_invention_patent_grants_crossing():
    ahead = {y: PAT[GRANTED][("CN-GD", y)] > group_sum(PAT[GRANTED], JJJ, y) for y in years(PAT[GRANTED])}
    expected = min(y for y in ahead if all(ahead[z] for z in ahead if z >= y))
    assert findings.guangdong_passes_jjj(GRANTED) == expected


def test_region_sentence_uses_the_data():
    sentence = findings.region_intensity_sentence(2023)
    assert f"{group_intensity(JJJ, 2023):.2f} %" in sentence
    assert "Guangdong (GBA proxy)" in sentence
    assert f"{RD[INTENSITY][('CN-BJ', 2023)]:.2f} %" in sentence


def test_gii_cluster_ranks_match_facts_md():
    """facts.md: Shenzhen–Hong Kong–Guangzhou ranked 2nd in 2022 and 1st in 2025."""
    assert "Shenzhen–Hong Kong–Guangzhou ranked 2nd in 2022 and 1st in 2025" in FACTS_MD
    ranks = findings.cluster_ranks()
    assert findings.cluster_rank(2022) == 2 and findings.cluster_rank(2025) == 1
    with (DATA / "gii_science_technology_clusters.csv").open(encoding="utf-8", newline="") as handle:
        rows = {int(r["gii_edition"]): int(r["value"]) for r in csv.DictReader(handle)
                if r["subject"] == "Shenzhen-Hong Kong-Guangzhou" and r["metric"] == "cluster_rank"}
    assert ranks.to_dict() == rows
    sentence = findings.gba_cluster_sentence()
    assert "1st in 2025" in sentence and "venture-capital" in sentence


def test_essay_claim_six_is_recorded_as_wrong():
    row = next(line for line in FACTS_MD.splitlines() if line.startswith("| 6 |"))
    assert "**wrong**" in row and "Shenzhen is in Guangdong" in row
    assert re.search(r"Zhongguancun", row)
