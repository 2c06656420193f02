"""Parsers on the real published files in ../shared/data (skipped when that folder is absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models_py.ingest.ceads import CEADS_COLUMNS, parse_ceads_workbook
from models_py.ingest.nbs import parse_nbs_file

FUELS_AND_PROCESS = [
    "Raw Coal", "Cleaned Coal", "Other Washed Coal", "Briquettes", "Coke", "Coke Oven Gas",
    "Other Gas", "Other Coking Products", "Crude Oil", "Gasoline", "Kerosene", "Diesel Oil",
    "Fuel Oil", "LPG", "Refinery Gas", "Other Petroleum Products", "Natural Gas", "Process",
]


def value(frame, **where) -> float:
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in where.items():
        mask &= (frame[column] == wanted).to_numpy()
    rows = frame[mask]
    assert len(rows) == 1, where
    return float(rows["value"].iloc[0])


def test_nbs_classic_gdp_export(shared_data: Path) -> None:
    result = parse_nbs_file(shared_data / "nbs_raw_examples" / "nbs_gdp_by_province_2006_2024.csv",
                            name="nbs_gdp.csv")
    frame = result.frame
    assert frame["entity"].nunique() == 31
    assert sorted(frame["year"].unique()) == list(range(2006, 2025))
    assert set(frame["indicator"]) == {"地区生产总值"} and set(frame["unit"]) == {"亿元"}
    assert value(frame, entity="北京市", year=2024) == 49670.2
    assert value(frame, entity="新疆维吾尔自治区", year=2006) == 2984.5
    assert any("数据来源" in note for note in result.notes)


def test_nbs_variant_patent_export(shared_data: Path) -> None:
    name = "nbs_patent_applications_by_province_2011_2025_variant.csv"
    path = shared_data / "nbs_raw_examples" / name
    result = parse_nbs_file(path, name="patents.csv", indicator="国内专利申请受理量", unit="件")
    frame = result.frame
    assert value(frame, entity="北京市", year=2024) == 321445
    assert value(frame, entity="新疆维吾尔自治区", year=2011) == 4736
    assert frame.loc[frame["year"] == 2025, "value"].isna().all()
    assert any("2025" in note for note in result.notes)


def test_nbs_indicator_layout_for_one_region(shared_data: Path) -> None:
    path = shared_data / "nbs_raw_examples" / "nbs_beijing_fiscal_expenditure_indicator_layout.csv"
    frame = parse_nbs_file(path, name="fiscal.csv", region="北京市").frame
    assert value(frame, indicator="地方财政一般公共预算支出", year=2024) == 8396.49
    assert set(frame["unit"]) == {"亿元"} and set(frame["entity"]) == {"北京市"}
    blank = frame[(frame["indicator"] == "地方财政教育支出") & (frame["year"] == 2024)]
    assert blank["value"].isna().all() and list(blank["value_text"]) == [""]
    assert value(frame, indicator="地方财政教育支出", year=2023) == 1227.90


@pytest.mark.parametrize(("year", "beijing_total", "sum_30"), [
    (2015, 92.763002, 9831.560), (2018, 89.690887, 10529.314)])
def test_ceads_workbooks_both_header_styles(shared_data: Path, year: int, beijing_total: float,
                                            sum_30: float) -> None:
    path = shared_data / "ceads_provincial" / f"Emission_Inventories_for_30_Provinces_{year}.xlsx"
    frame = parse_ceads_workbook(path, name=path.name).frame
    renamed = frame["indicator"].str.replace("_", " ")
    frame["column"] = renamed.replace({"CleanedCoal": "Cleaned Coal"})
    totals = frame[(frame["item"] == "Total") & (frame["column"] == "Scope 1 Total")]
    assert len(totals) == 30
    assert totals["value"].sum() == pytest.approx(sum_30, abs=1e-3)
    assert value(totals, entity="Beijing") == pytest.approx(beijing_total, abs=1e-6)
    if year == 2015:
        beijing = frame[(frame["entity"] == "Beijing") & (frame["item"] == "Total")]
        assert value(beijing, column="Raw Coal") == pytest.approx(18.633244, abs=1e-6)
        assert value(beijing, column="Natural Gas") == pytest.approx(30.611048, abs=1e-6)
    wide = frame.pivot_table(index=["entity", "item"], columns="column", values="value",
                             aggfunc="sum")
    np.testing.assert_allclose(wide[FUELS_AND_PROCESS].sum(axis=1), wide["Scope 1 Total"],
                               rtol=1e-6, atol=1e-9)


def test_every_real_ceads_workbook_parses(shared_data: Path) -> None:
    """All 21 CEADs workbooks (1997-2015, 2018, and the national 1997-2019 inventory)."""
    folder = shared_data / "ceads_provincial"
    paths = sorted(folder.glob("*.xlsx"))
    assert len(paths) == 21
    for path in paths:
        result = parse_ceads_workbook(path, name=path.name)
        frame = result.frame
        national = path.name.startswith("China_CO2")
        assert frame["entity"].nunique() == (1 if national else 30), path.name
        assert frame["value"].notna().all(), path.name
        if national:
            assert sorted(frame["year"].unique()) == list(range(1997, 2020))
            assert any("summary sheet 'sum'" in note for note in result.notes)


@pytest.mark.shared_data
def test_every_real_ceads_workbook_loads_through_discovery_and_checks(shared_data: Path,
                                                                     tmp_path: Path) -> None:
    """The 20 provincial workbooks and the national one, as they would sit in data/raw: parsed,
    checked against the reference tables, real by origin, 30 provinces for 1997-2015 and 2018;
    Ningxia's published 0.81 Mt of 2000 (scope-1 total) is there."""
    from models_py.ingest.discover import parse_edition

    edition = tmp_path / "raw" / "ceads" / "2020"
    edition.mkdir(parents=True)
    for path in (shared_data / "ceads_provincial").glob("*.xlsx"):
        (edition / path.name).symlink_to(path)
    frame = parse_edition(tmp_path / "raw", "ceads", "2020").frame
    assert set(frame["origin"]) == {"real"}
    provincial = frame[frame["entity"] != "China"]
    assert provincial.groupby("year")["entity"].nunique().to_dict() == {
        y: 30 for y in [*range(1997, 2016), 2018]}
    ningxia = provincial[(provincial["entity"] == "Ningxia") & (provincial["year"] == 2000)
                         & (provincial["item"] == "Total")
                         & (provincial["indicator"] == "Scope 1 Total")]
    assert ningxia["value"].iloc[0] == pytest.approx(0.81, abs=0.01)
    assert set(frame["indicator"]) <= set(CEADS_COLUMNS)
