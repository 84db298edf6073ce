"""The data package: files, checksums, schemas, provenance, the loader's checks and known cross-checks."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from innovation_course.content import data
from innovation_course.content.data import DataError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
OWN = ROOT / "sources"  # the course's own fetched copies (sources/SOURCES.md)
SCRIPT = ROOT / "scripts" / "make_datapackage.py"
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {res["name"]: res for res in PACKAGE["resources"]}
SOURCES_MD = (DATA / "SOURCES.md").read_text(encoding="utf-8")
FACTS_MD = (DATA / "facts.md").read_text(encoding="utf-8")
DTYPES = {"integer": ("int64", "Int64"), "number": ("float64",), "string": ("str",)}


def plain(text: str) -> str:
    """Markdown without emphasis or code marks, spaces collapsed."""
    return " ".join(text.replace("**", "").replace("`", "").split())


def copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def rehash(folder: Path, name: str) -> None:
    """Record a file's new checksum and size in the copied descriptor, as a regenerated package would."""
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r["name"] == name)
    raw = (folder / res["path"]).read_bytes()
    res["hash"], res["bytes"] = f"sha256:{hashlib.sha256(raw).hexdigest()}", len(raw)
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    rehash(folder, name)


# --------------------------------------------------------------------------- the package


def test_every_csv_is_described_and_every_resource_exists():
    on_disk = sorted(p.name for p in DATA.glob("*.csv"))
    assert sorted(res["path"] for res in PACKAGE["resources"]) == on_disk
    assert data.resource_names() == [res["name"] for res in PACKAGE["resources"]]
    assert all(res["name"] == Path(res["path"]).stem for res in PACKAGE["resources"])
    assert PACKAGE["profile"] == "tabular-data-package"


@pytest.mark.parametrize("name", RESOURCES)
def test_hash_and_bytes_match(name):
    res = RESOURCES[name]
    raw = (DATA / res["path"]).read_bytes()
    assert res["hash"] == f"sha256:{hashlib.sha256(raw).hexdigest()}"
    assert res["bytes"] == len(raw)


def test_frictionless_validation_passes():
    assert data.validate() == []


def test_validate_reports_an_undescribed_csv_and_a_bad_hash(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    path = folder / "wdi_journal_articles.csv"
    path.write_bytes(path.read_bytes().replace(b"China,CHN,1996,", b"China,CHN,1996,1", 1))
    problems = data.validate(data_dir=folder)
    assert any("stray.csv" in p and "not described" in p for p in problems)
    assert any("wdi_journal_articles" in p and "hash" in p for p in problems)
    assert data.validate("wdi_gdp", data_dir=folder) == []


@pytest.mark.parametrize("name", RESOURCES)
def test_resource_metadata_is_complete(name):
    res = RESOURCES[name]
    for key in ("title", "description", "format", "mediatype", "encoding", "sources", "licenses", "cite_as"):
        assert res[key], key
    assert res["format"] == "csv" and res["encoding"] == "utf-8"
    assert all(source["title"] for source in res["sources"])
    assert all(licence.get("name") and licence.get("title") for licence in res["licenses"])
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["retrieved"]) for s in res["sources"] if "retrieved" in s)
    for key in ("indicators", "known_gaps", "caveats", "series_breaks"):
        assert isinstance(res[key], list), key
    schema = res["schema"]
    assert schema["missingValues"] == [""]
    names = [field["name"] for field in schema["fields"]]
    assert set(schema["primaryKey"]) <= set(names)
    for field in schema["fields"]:
        assert field["type"] in DTYPES and field["description"]
        if field["name"] in ("year", "gii_edition"):
            assert (field["constraints"]["minimum"], field["constraints"]["maximum"]) == (1950, 2026)


def test_commits_and_dates_are_copied_from_sources_md():
    text = plain(SOURCES_MD)
    for res in PACKAGE["resources"]:
        for source in res["sources"]:
            for key in ("commit", "snapshot"):
                if key in source:
                    assert source[key] in text, (res["name"], source[key])
            if "retrieved" in source and res["name"] != "policy_milestones":
                assert source["retrieved"] in text, (res["name"], source["retrieved"])


def test_numbers_in_the_metadata_text_come_from_the_sources():
    """Typed text may quote SOURCES.md or facts.md, but must not bring in a number of its own."""
    corpus = plain(SOURCES_MD + FACTS_MD).replace("\u202f", " ")
    for res in PACKAGE["resources"]:
        csv_text = (DATA / res["path"]).read_text(encoding="utf-8")
        texts = [res["title"], res["description"], *res["known_gaps"], *res["caveats"]]
        texts += [b["note"] for b in res["series_breaks"]]
        for text in texts:
            for number in re.findall(r"\d+(?:[.,]\d+)*", text):
                assert number in corpus or number in csv_text, (res["name"], number, text)


# --------------------------------------------------------------------------- the loader


@pytest.mark.parametrize("name", RESOURCES)
def test_every_resource_loads_with_the_schema_types(name):
    df = data.load(name)
    fields = RESOURCES[name]["schema"]["fields"]
    assert list(df.columns) == [field["name"] for field in fields]
    assert len(df) > 0
    for field in fields:
        assert str(df[field["name"]].dtype) in DTYPES[field["type"]], field["name"]
    if "year" in df:
        assert df["year"].dtype == "int64"
    if "indicator_code" in df:
        assert df["value"].dtype == "float64"


def test_load_is_fast_after_the_first_call_and_returns_a_copy():
    biggest = max(RESOURCES, key=lambda name: RESOURCES[name]["bytes"])
    first = data.load(biggest)
    first.loc[0, "value"] = -1.0
    start = time.perf_counter()
    again = data.load(biggest)
    assert time.perf_counter() - start < 0.05
    assert again.loc[0, "value"] != -1.0


def test_environment_variable_points_the_loader_elsewhere(tmp_path, monkeypatch):
    folder = copy_data(tmp_path)
    edit(folder, "china_5g_base_stations", "2025,end of year", "2025,end of Oct.")
    monkeypatch.setenv("INNOVATION_COURSE_DATA", str(folder))
    with pytest.raises(DataError, match="not in the schema's list"):
        data.load("china_5g_base_stations")


def test_a_tampered_copy_names_the_file_and_sha256(tmp_path):
    folder = copy_data(tmp_path)
    path = folder / "wdi_rd_expenditure_pct_gdp.csv"
    path.write_bytes(path.read_bytes().replace(b"China,CHN,1996,0.", b"China,CHN,1996,1.", 1))
    with pytest.raises(DataError, match=r"wdi_rd_expenditure_pct_gdp\.csv: sha256 is [0-9a-f]{64}") as err:
        data.load("wdi_rd_expenditure_pct_gdp", data_dir=folder)
    assert RESOURCES["wdi_rd_expenditure_pct_gdp"]["hash"].split(":")[1] in str(err.value)
    assert "altered" in str(err.value)


def test_the_repository_copy_says_how_to_restore_it(tmp_path, monkeypatch):
    folder = copy_data(tmp_path)
    monkeypatch.setattr(data, "REPO_DATA_DIR", folder.resolve())  # pretend the copy is the repository's
    path = folder / "wdi_rd_expenditure_pct_gdp.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(DataError, match=r"restore it with git checkout data/wdi_rd_expenditure_pct_gdp\.csv$"):
        data.load("wdi_rd_expenditure_pct_gdp", data_dir=folder)


def test_a_missing_file(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "gii_china_rank.csv").unlink()
    with pytest.raises(DataError, match=r"gii_china_rank\.csv: file is missing"):
        data.load("gii_china_rank", data_dir=folder)


def test_a_truncated_file(tmp_path):
    folder = copy_data(tmp_path)
    path = folder / "wdi_researchers_rd.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 20])  # cut the last line short
    rehash(folder, "wdi_researchers_rd")
    with pytest.raises(DataError, match=r"wdi_researchers_rd\.csv: does not end .* looks truncated"):
        data.load("wdi_researchers_rd", data_dir=folder)


def test_an_empty_required_value(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_researchers_rd", "China,CHN,1996,", "China,,1996,")
    with pytest.raises(DataError, match=r"column 'iso3' has 1 empty value\(s\) \(first at line 2\)"):
        data.load("wdi_researchers_rd", data_dir=folder)


def test_a_malformed_row(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_journal_articles", "China,CHN,1997,", "China,CHN,1997,1,")
    with pytest.raises(DataError, match=r"wdi_journal_articles\.csv: malformed CSV"):
        data.load("wdi_journal_articles", data_dir=folder)


def test_a_file_that_is_not_utf8(tmp_path):
    folder = copy_data(tmp_path)
    path = folder / "gii_china_rank.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    rehash(folder, "gii_china_rank")
    with pytest.raises(DataError, match=r"gii_china_rank\.csv: (is not UTF-8|does not end)"):
        data.load("gii_china_rank", data_dir=folder)


def test_a_value_that_is_not_a_number(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_journal_articles", "China,CHN,1997,37424.8", "China,CHN,1997,n/a")
    with pytest.raises(DataError, match=r"line 3, column 'value': 'n/a' is not a number"):
        data.load("wdi_journal_articles", data_dir=folder)


def test_a_wrong_column(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "oecd_gerd_ppp", "indicator_code,", "indicator,")
    with pytest.raises(DataError, match=r"oecd_gerd_ppp\.csv: columns are .*missing \['indicator_code'\]"):
        data.load("oecd_gerd_ppp", data_dir=folder)


def test_a_value_outside_the_schema_range(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_rd_expenditure_pct_gdp", "China,CHN,1996,0.56014", "China,CHN,1996,56.014e1")
    with pytest.raises(DataError, match=r"column 'value' has 1 value\(s\) above the maximum 100"):
        data.load("wdi_rd_expenditure_pct_gdp", data_dir=folder)
    assert any("maximum" in p for p in data.validate("wdi_rd_expenditure_pct_gdp", data_dir=folder))


def test_a_year_outside_the_schema_range(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_journal_articles", "China,CHN,1996,", "China,CHN,1896,")
    with pytest.raises(DataError, match=r"column 'year' has 1 value\(s\) below the minimum 1950"):
        data.load("wdi_journal_articles", data_dir=folder)


def test_a_repeated_primary_key(tmp_path):
    folder = copy_data(tmp_path)
    edit(folder, "wdi_journal_articles", "China,CHN,1997,", "China,CHN,1996,")
    expected = r"line 3 repeats the primary key \[.*\] \(iso3=CHN, year=1996, indicator_code=IP\.JRN"
    with pytest.raises(DataError, match=expected):
        data.load("wdi_journal_articles", data_dir=folder)


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(DataError, match=r"unknown data resource 'wdi_rd'; known names: .*wdi_gdp"):
        data.load("wdi_rd")


@pytest.mark.parametrize("name", RESOURCES)
def test_primary_keys_are_unique(name):
    key = RESOURCES[name]["schema"]["primaryKey"]
    assert not data.load(name).duplicated(subset=key).any()


# --------------------------------------------------------------------------- metadata helpers


@pytest.mark.parametrize("name", RESOURCES)
def test_citation_names_publisher_licence_and_date(name):
    res = RESOURCES[name]
    line = data.citation(name)
    assert line.startswith("Source: ") and len(line) <= 160
    assert res["sources"][0]["publisher"] in line
    assert res["licenses"][0]["title"] in line
    if "retrieved" in res:
        assert f"retrieved {res['retrieved']}" in line


def test_citation_example_and_per_indicator_date():
    assert data.citation("wdi_rd_expenditure_pct_gdp") == (
        "Source: World Bank, World Development Indicators (GB.XPD.RSDV.GD.ZS), CC BY 4.0, retrieved 2026-07-01."
    )
    resd = next(s for s in RESOURCES["wdi_patent_applications"]["sources"] if s["title"].endswith("IP.PAT.RESD"))
    assert f"retrieved {resd['retrieved']}" in data.citation("wdi_patent_applications", "IP.PAT.RESD")


@pytest.mark.parametrize("name", [n for n in RESOURCES if RESOURCES[n].get("indicator_field")])
def test_indicators_are_those_found_in_the_file(name):
    res = RESOURCES[name]
    df = data.load(name)
    field = res["indicator_field"]
    assert [i["code"] for i in res["indicators"]] == sorted(df[field].unique())
    for entry in res["indicators"]:
        rows = df[df[field] == entry["code"]]
        assert data.indicator_label(name, entry["code"]) == entry["name"]
        assert data.indicator_unit(name, entry["code"]) == entry["unit"]
        if "unit" in df:
            assert set(rows["unit"]) == {entry["unit"]}


def test_unknown_indicator_code():
    with pytest.raises(DataError, match=r"no indicator 'XX'; its indicators are: GB\.XPD\.RSDV\.GD\.ZS$"):
        data.indicator_unit("wdi_rd_expenditure_pct_gdp", "XX")


def test_series_is_wide_by_year():
    long = data.load("wdi_rd_expenditure_pct_gdp")
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["USA", "CHN"])
    assert list(wide.columns) == ["USA", "CHN"]
    assert wide.index.name == "year" and wide.index.is_monotonic_increasing
    china = long[long["iso3"] == "CHN"].set_index("year")["value"]
    pd.testing.assert_series_equal(wide["CHN"].dropna(), china, check_names=False)
    provinces = data.series("china_provinces_rd", "v4_ztr_qd_RD", iso3=["CN-BJ"])
    assert list(provinces.columns) == ["Beijing"]
    with pytest.raises(DataError, match=r"no GB\.XPD\.RSDV\.GD\.ZS data for \['XXX'\]"):
        data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3="XXX")


def test_resource_returns_a_copy():
    data.resource("wdi_gdp")["title"] = "changed"
    assert data.resource("wdi_gdp")["title"] == RESOURCES["wdi_gdp"]["title"]


# --------------------------------------------------------------------------- the generator


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not available")
def test_copies_are_byte_identical_to_the_shared_files():
    shared = sorted(p.name for p in SHARED.glob("*.csv"))
    assert shared and set(shared) <= {p.name for p in DATA.glob("*.csv")}
    for name in shared:
        assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), name
    for path in sorted(OWN.glob("*.csv")):  # the course's own copies, byte for byte too
        assert (DATA / path.name).read_bytes() == path.read_bytes(), path.name
    # data/SOURCES.md is the shared notes, then the notes of the course's own copies (sources/SOURCES.md)
    notes = (SHARED / "SOURCES.md").read_bytes()
    if (OWN / "SOURCES.md").is_file():
        notes += b"\n" + (OWN / "SOURCES.md").read_bytes()
    assert (DATA / "SOURCES.md").read_bytes() == notes
    # data/facts.md is the course's own file: it keeps every row of the shared checked facts, and adds to them
    shared_rows = [line for line in (SHARED.parent / "facts.md").read_text(encoding="utf-8").splitlines()
                   if line.startswith("| ") and "Milestone" not in line and not line.startswith("| Date")]
    ours = FACTS_MD.replace("14th Five-Year Plan (2021–2025) and", "14th Five-Year Plan and")
    for line in shared_rows:
        date, *rest = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert date in ours and all(cell in ours for cell in rest if "rebranded" not in cell), line


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not available")
def test_the_script_is_idempotent_and_data_is_up_to_date(tmp_path):
    outputs = []
    for run in ("a", "b", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(SCRIPT), "--source", str(SHARED), "--source", str(OWN), "--out", str(out)],
                       check=True)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0] == {p.name: p.read_bytes() for p in sorted(DATA.iterdir())}


def test_the_courses_own_copies_are_in_data_byte_for_byte_with_the_research_checksums():
    """Each file in sources/ is copied unchanged into data/, and is the file sources/scripts wrote: its sha256
    starts with the one coverage.md records (a re-run of the scripts must give the same bytes)."""
    coverage = (OWN / "scripts" / "coverage.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| (\w+\.csv) \| \d+ \| ([0-9a-f]{16}) \|", coverage, re.MULTILINE))
    own = sorted(OWN.glob("*.csv"))
    assert own
    for path in own:
        assert (DATA / path.name).read_bytes() == path.read_bytes(), path.name
        assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(recorded[path.name]), path.name
        assert f"`{path.name}`" in (OWN / "SOURCES.md").read_text(encoding="utf-8"), path.name


# --------------------------------------------------------------------------- milestones


def facts_milestones() -> list[tuple[str, str]]:
    section = FACTS_MD.split("## Milestones for a policy timeline")[1].split("\n## ")[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [(date.strip(), text.strip()) for date, text, _source in rows[2:]]


def test_milestones_match_the_facts_table():
    df = data.milestones()
    assert list(zip(df["date_text"], df["milestone"], strict=True)) == facts_milestones()
    assert set(df["kind"]) <= {"plan", "programme", "zone", "law", "strategy", "event"}
    for row in df.itertuples():
        assert str(row.year) == re.search(r"\d{4}", row.date_text).group()
    new = df[df["source"] != "shared/facts.md (checked)"]
    assert len(new) >= 5 and new["source"].str.contains("http").all()  # each added milestone names its page


@pytest.mark.parametrize(
    ("milestone", "claim"), [("863 Program", "approved by Deng Xiaoping"), ("Made in China 2025", "launched in")]
)
def test_milestone_year_agrees_with_the_checked_claims(milestone, claim):
    df = data.milestones()
    row = df[df["milestone"].str.startswith(milestone)].iloc[0]
    claim_line = next(line for line in FACTS_MD.splitlines() if claim in line and milestone.split()[0] in line)
    assert str(row["year"]) in re.search(claim + r"[^|]*", claim_line).group()


def test_milestone_kinds():
    kinds = data.milestones().set_index("milestone")["kind"]
    assert kinds.filter(like="863 Program").item() == "programme"
    assert kinds.filter(like="Patent Law").item() == "law"
    assert kinds.filter(like="Made in China").item() == "plan"
    assert kinds.filter(like="Pilot Free Trade Zone").item() == "zone"


# --------------------------------------------------------------------------- cross-checks from SOURCES.md


def wide(name: str, code: str) -> pd.DataFrame:
    return data.series(name, code)


def test_china_rd_share_wdi_equals_oecd():
    wdi = wide("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS")
    oecd = wide("oecd_gerd_ppp", "G_XGDP")
    for iso3 in ("CHN", "JPN", "IND"):  # "Japan and India are identical"
        both = pd.concat([wdi[iso3], oecd[iso3]], axis=1, join="inner").dropna()
        assert len(both) > 10
        # equal to 3 decimals (WDI rounds to 5 significant digits: 2.0595 vs OECD 2.059497)
        assert (both.iloc[:, 0] - both.iloc[:, 1]).abs().max() < 5e-4, iso3
    limit = float(re.search(r"USA differs by ≤ ([\d.]+) pp", plain(SOURCES_MD)).group(1))
    usa = (wdi["USA"] - oecd["USA"]).dropna()
    assert len(usa) > 10 and usa.abs().max() <= limit + 5e-4


def test_series_breaks_match_sources_md():
    breaks = {b["iso3"]: b["years"] for b in RESOURCES["oecd_gerd_ppp"]["series_breaks"]}
    text = plain(SOURCES_MD)
    china = re.search(r"China: breaks in (\d{4}) and (\d{4})", text).groups()
    assert breaks["CHN"] == [int(y) for y in china]
    for iso3 in ("GBR", "JPN", "USA"):
        listed = re.search(iso3 + r" breaks in ([\d, and]+)\.", text).group(1)
        assert breaks[iso3] == [int(y) for y in re.findall(r"\d{4}", listed)], iso3
    wdi = {b["iso3"]: b["years"] for b in RESOURCES["wdi_rd_expenditure_pct_gdp"]["series_breaks"]}
    uk = re.search(r"UK R&D % of GDP jumps from (.*?)\. OECD flags both", text).group(1)
    assert wdi["GBR"] == [int(y) for y in re.findall(r"\((\d{4})\)", uk)][1::2]


def test_known_gaps_hold_in_the_data():
    text = plain(SOURCES_MD)
    technicians = data.load("wdi_researchers_rd")
    assert technicians.query("indicator_code == 'SP.POP.TECH.RD.P6' and iso3 == 'CHN'").empty
    assert technicians.query("indicator_code == 'SP.POP.SCIE.RD.P6' and iso3 == 'CHN'").shape[0] > 0
    patents = data.load("wdi_patent_applications")
    assert patents["year"].max() == int(re.search(r"Patents end in (\d{4})", text).group(1))
    assert patents.query("iso3 == 'CHN'")["year"].min() == int(re.search(r"starts in (\d{4}), the year", text).group(1))
    assert "EUU" not in set(patents["iso3"])
    pct = data.load("oecd_pct_patents_by_technology")
    assert pct["year"].max() == int(re.search(r"PCT counts by priority year end in (\d{4})", text).group(1))
    five_g = data.load("china_5g_base_stations")
    assert int(re.search(r"End-(\d{4}) is left out", text).group(1)) not in set(five_g["year"])
    assert (five_g["as_of"] == "end of year").all()  # the 2025 row is end of year since the 2026-12-01 update


def test_national_rd_matches_the_2023_communique():
    text = plain(SOURCES_MD).replace("\u202f", "")
    match = re.search(r"National (\d{4}) matches .*?R&D ([\d ]+\.\d) 亿元, intensity ([\d.]+) %", text)
    year, spending, intensity = int(match.group(1)), float(match.group(2).replace(" ", "")), float(match.group(3))
    rd = data.load("china_provinces_rd").query(f"region_code == 'CN' and year == {year}")
    values = rd.set_index("indicator_code")["value"]
    assert values["v4_ztr_jf_RD"] == pytest.approx(spending, abs=0.05)
    assert values["v4_ztr_qd_RD"] == pytest.approx(intensity, abs=0.005)


def test_provinces_sum_to_the_national_total():
    limit = float(re.search(r"national total within ([\d.]+) 亿元", plain(SOURCES_MD)).group(1))
    spending = wide("china_provinces_rd", "v4_ztr_jf_RD")
    national = spending.pop("China (national total)")
    assert (spending.sum(axis=1) - national).abs().max() <= limit + 1e-9
    assert spending.shape[1] == 31


# --------------------------------------------------------------------------- the late-2026 update


def test_reported_figures_match_the_facts_table_and_name_their_page():
    section = FACTS_MD.split("## Reported figures")[1].split("\n## ")[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines()
            if line.startswith("|")][2:]
    table = data.load("reported_figures").set_index("id")
    assert list(table.index) == [row[0] for row in rows]
    for row in rows:
        assert table.loc[row[0], "value"] == float(row[3])
        assert row[6].startswith("http") or "checked" in row[6]
        # the page is one this file names with a date in a sourced section above the table
        assert row[6] in FACTS_MD.split("## Reported figures")[0] or "checked" in row[6], row[0]


def test_reported_2025_figures_are_the_ministers_and_fyp15_targets():
    table = data.load("reported_figures").set_index("id")["value"]
    facts_2026 = plain((SHARED.parent / "facts-2026.md").read_text(encoding="utf-8")) if SHARED.is_dir() else ""
    if facts_2026:
        assert f"over {table['rd_spending_2025']:.2f} trillion yuan" in facts_2026
        assert f"{table['basic_research_share_2025']:.2f} % of R&D" in facts_2026
        assert f"at least {table['fyp15_rd_growth']:.0f} % a year" in facts_2026
        assert f"reach {table['fyp15_digital_core']:.1f} % of GDP" in facts_2026


def test_fdi_file_matches_the_numbers_sources_md_quotes():
    fdi = data.series("wdi_fdi_net_inflows", "BX.KLT.DINV.CD.WD", iso3=["CHN"])["CHN"] / 1e9
    text = plain(SOURCES_MD)
    quoted = re.search(r"China: ([\d.]+) bn US\$ in (\d{4}), ([\d.]+) bn in (\d{4}), ([\d.]+) bn in (\d{4})", text)
    for value, year in zip(quoted.groups()[::2], quoted.groups()[1::2], strict=True):
        assert round(fdi[int(year)], 1) == float(value)


def test_five_g_end_2025_row_is_the_bulletin_figure():
    five_g = data.load("china_5g_base_stations").set_index("year")
    assert five_g.loc[2025, "as_of"] == "end of year"
    assert f"{five_g.loc[2025, 'base_stations_million']:.3f} million" in five_g.loc[2025, "source_statement"]


def test_every_added_fact_names_a_page_and_a_date():
    """The late-2026 facts: each row's source is a web page (with its date where the page has one) or a data file."""
    section = FACTS_MD.split("## Late-2026 update")[1].split("\n## Claims for evidence briefs")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| fact")]
    assert len(rows) >= 12
    date = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b[A-Z][a-z]+ \d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
    for row in rows:
        fact, source = [cell.strip() for cell in row.strip().strip("|").split("|")][-2:]
        if source == "—":  # an explanatory row that cites the data files named in its own text
            assert "data/" in fact
            continue
        assert "http" in source or "data/" in source or "source_url" in source, row
        if "http" in source:
            assert date.search(source) or date.search(fact), row


def test_milestones_added_for_the_update():
    df = data.milestones().set_index("milestone")
    shenzhen = df.filter(like="Shenzhen Special Economic Zone", axis=0).iloc[0]
    assert (shenzhen["year"], shenzhen["month"], shenzhen["kind"]) == (1980, 8, "zone")
    fifteenth = df.filter(like="15th Five-Year Plan (2026–2030)", axis=0).iloc[0]
    assert (fifteenth["year"], fifteenth["month"], fifteenth["kind"]) == (2026, 3, "plan")
    for name, year in (("Internet Plus", 2015), ("Double First-Class", 2015), ("export controls", 2022),
                       ("information and communication industry", 2021)):
        row = df.filter(like=name, axis=0).iloc[0]
        assert row["year"] == year and row["source"].count("http") >= 1, name
