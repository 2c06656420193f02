"""Malformed raw files: each is rejected with an error naming file, row or sheet, and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from models_py.ingest.ceads import OLD_STYLE_COLUMNS, parse_ceads_workbook
from models_py.ingest.errors import RawFileError
from models_py.ingest.load import load_edition
from models_py.ingest.nbs import parse_nbs_file
from models_py.ingest.schema import ParseResult

HEAD = "数据库：分省年度数据\r\n指标：地区生产总值(亿元)\r\n时间：最近3年\r\n"


def write_csv(tmp_path: Path, body: str, name: str = "gdp.csv", encoding: str = "gb18030") -> Path:
    path = tmp_path / name
    path.write_bytes((HEAD + body).encode(encoding))
    return path


def test_good_file_with_missing_markers_and_footnotes(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "地区,2022年,2021年,2020年\r\n北京市,3.5,-,…\r\n天津市,,2.0,1.0\r\n"
                               "注：合成。\r\n数据来源：国家统计局\r\n")
    result = parse_nbs_file(path, name="nbs/2023/gdp.csv")
    frame = result.frame
    assert len(frame) == 6
    assert frame["value"].notna().sum() == 3
    assert sorted(frame.loc[frame["value"].isna(), "value_text"]) == ["", "-", "…"]
    assert len(result.notes) == 2


@pytest.mark.parametrize(("body", "fragments"), [
    ("地区,2022年,2021年\r\n北京市,1.0,abc\r\n",
     ["nbs/2023/gdp.csv", "row 5", "column '2021年'", "a number", "'abc'"]),
    ("地区,2022年,2022年\r\n北京市,1.0,2.0\r\n", ["row 4", "column '2022年'", "each year once"]),
    ("地区,2022年,2021年\r\n北京市,1.0,2.0\r\n北京市,1.0,2.0\r\n",
     ["row 6", "each region once", "'北京市' again (first in row 5)"]),
    ("地区,2022年,2021年\r\n北京市,1.0\r\n", ["row 5", "column '2021年'", "3 fields"]),
    ("地区,2022年,2021年\r\n注：脚注\r\n北京市,1.0,2.0\r\n",
     ["row 6", "no data after the footnote"]),
    ("省份名称,2022年\r\n北京市,1.0\r\n", ["row 4", "column 'A'", "NBS export header"]),
    ("地区,二〇二二\r\n北京市,1.0\r\n", ["row 4", "a year such as '2019年'"]),
])
def test_malformed_nbs_csv_is_rejected(tmp_path: Path, body: str, fragments: list[str]) -> None:
    path = write_csv(tmp_path, body)
    with pytest.raises(RawFileError) as caught:
        parse_nbs_file(path, name="nbs/2023/gdp.csv")
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gdp.csv"
    path.write_bytes(b"")
    expected = "gdp.csv: expected an NBS export .* found 'an empty file'"
    with pytest.raises(RawFileError, match=expected):
        parse_nbs_file(path, name="gdp.csv")


def test_workbook_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "Emission_Inventories_for_30_Provinces_2015.xlsx"
    path.write_text("this is not a zip archive", encoding="utf-8")
    with pytest.raises(RawFileError, match="expected an .xlsx workbook"):
        parse_ceads_workbook(path, name=path.name)


def ceads_sheet(columns: list[str]) -> list[list]:
    rows = [[None, *columns], [None, *["Mt CO2"] * 22], [None] * 23,
            ["Total Consumption", *[1.0] * 22]]
    rows += [[f"Sector {i}", *[0.5] * 22] for i in range(47)]
    return rows


@pytest.mark.parametrize(("columns", "fragments"), [
    ([c for c in OLD_STYLE_COLUMNS if c != "Coke"] + ["Scope 1 Total"],
     ["sheet 'Beijing2015'", "row 1", "column 'column 6'", "expected column 'Coke'"]),
    (["Cleaned Coal", "Raw Coal", *OLD_STYLE_COLUMNS[2:]],
     ["sheet 'Beijing2015'", "column 'column 2'", "expected column 'Raw Coal'", "'Cleaned Coal'"]),
])
def test_ceads_sheet_with_missing_or_swapped_column(tmp_path: Path, columns, fragments) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Beijing2015"
    for row in ceads_sheet(list(columns)):
        sheet.append(row)
    path = tmp_path / "Emission_Inventories_for_30_Provinces_2015.xlsx"
    book.save(path)
    with pytest.raises(RawFileError) as caught:
        parse_ceads_workbook(path, name=path.name)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_failed_load_leaves_the_raw_layer_as_it_was(tmp_path: Path) -> None:
    good = write_csv(tmp_path, "地区,2022年,2021年\r\n北京市,1.0,2.0\r\n")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = parse_nbs_file(good, name="nbs/2023/gdp.csv", source="nbs", edition="2023")
    assert load_edition(con, "nbs", "2023", first) == 2
    before = con.execute("select * from raw.nbs_cells order by year").fetchall()
    broken = ParseResult(first.frame.assign(year=first.frame["year"].astype(object)))
    broken.frame.loc[0, "year"] = "not a year"
    with pytest.raises((ValueError, TypeError, duckdb.Error)):
        load_edition(con, "nbs", "2023", broken)
    assert con.execute("select * from raw.nbs_cells order by year").fetchall() == before
    assert load_edition(con, "nbs", "2023", first) == 2  # reload replaces, no duplicates
    assert con.execute("select count(*) from raw.nbs_cells").fetchone()[0] == 2
    con.close()
