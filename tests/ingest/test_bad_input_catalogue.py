"""A catalogue of malformed raw files, built by corrupting demo files the way real ones go wrong.

Each must be rejected by parse_raw_file with a RawFileError naming the file and the row, sheet or
column and what was expected; tolerable oddities are parsed and noted. The last test shows a
rejected edition leaves the raw layer exactly as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pytest

from models_py.demo.generate import write_demo_yearbook
from models_py.ingest.discover import discover_raw_files, parse_edition, parse_raw_file
from models_py.ingest.errors import RawFileError
from models_py.ingest.load import content_hash, load_edition

YEARS = (2010, 2011)
GDP = "nbs/2023/gdp.csv"
CEADS = "ceads/2021/Emission_Inventories_for_30_Provinces_2010.xlsx"
SCIENCE = "science_tech/2023/industrial_enterprises_by_province.xlsx"
OFDI = "ofdi/2023/ofdi_by_province.xlsx"
CPI = "nbs/2023/cpi.xlsx"
TRADITIONAL = {"数据库": "數據庫", "分省年度数据": "分省年度數據", "指标": "指標", "时间": "時間",
               "地区": "地區", "演示数据": "演示數據"}


def beijing(text: str, change: Callable[[list[str]], list[str]]) -> str:
    """The GDP export with Beijing's row (row 5) changed field by field."""
    lines = text.split("\r\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("北京市,"))
    lines[i] = ",".join(change(lines[i].split(",")))
    return "\r\n".join(lines)


def to_big5(root: Path, name: str) -> None:
    text = (root / name).read_bytes().decode("gb18030")
    for simplified, traditional in TRADITIONAL.items():
        text = text.replace(simplified, traditional)
    (root / name).write_bytes(text.encode("big5", errors="replace"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    write_demo_yearbook(root, years=YEARS)
    return root


@pytest.fixture
def raw_root(demo: Path, tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    shutil.copytree(demo, root)
    return root


def edit_text(root: Path, name: str, change: Callable[[str], str], encoding="gb18030") -> None:
    path = root / name
    path.write_bytes(change(path.read_bytes().decode(encoding)).encode(encoding))


def edit_sheet(root: Path, name: str, sheet: str, change: Callable) -> None:
    path = root / name
    book = openpyxl.load_workbook(path)
    change(book[sheet])
    book.save(path)


def edit_book(root: Path, name: str, change: Callable) -> None:
    path = root / name
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def parse(root: Path, name: str):
    raw_file = next(f for f in discover_raw_files(root) if f.name == name)
    return parse_raw_file(raw_file)


CORRUPTIONS = {
    "missing province": (GDP, lambda r: edit_text(r, GDP, lambda t: "\r\n".join(
        line for line in t.split("\r\n") if not line.startswith("山西省"))),
        ["nbs/2023/gdp.csv", "a row for each of the 30 provinces", "no row for 山西省"]),
    "duplicated row": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "\r\n天津市", "\r\n" + next(x for x in t.split("\r\n") if x.startswith("北京市"))
        + "\r\n天津市", 1)), ["row 6", "each region once", "'北京市' again (first in row 5)"]),
    "misspelt province": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace("北京市", "北景市")),
                          ["row 5", "column 'A'", "a province name known", "'北景市'"]),
    "extra unknown province": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "\r\n注", "\r\n台湾省,1.0,2.0\r\n注", 1)), ["a province name known", "'台湾省'"]),
    "unit no conversion exists for": (GDP, lambda r: edit_text(
        r, GDP, lambda t: t.replace("(亿元)", "(千元)")),
        ["a unit convertible to 亿元 for 地区生产总值", "'千元'", "row 5"]),
    "footnote row inside the data": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "\r\n天津市", "\r\n注：插入的脚注\r\n天津市", 1)), ["no data after the footnote"]),
    "text in a numeric cell": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "北京市,", "北京市,约", 1)), ["row 5", "column '2011年'", "a number", "'约"]),
    "truncated file": (GDP, lambda r: edit_text(r, GDP, lambda t: t[: t.index("河北省") + 4]),
                       ["row 7", "fields as in the header"]),
    "truncated inside a number": (GDP, lambda r: edit_text(
        r, GDP, lambda t: t[: t.index("河北省") + 12]),
        ["a row for each of the 30 provinces", "no row for 山西省"]),
    "wrong encoding": (GDP, lambda r: (r / GDP).write_bytes(
        (r / GDP).read_bytes().decode("gb18030").encode("utf-16")),
        ["nbs/2023/gdp.csv", "expected"]),
    "year column missing": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "地区,2011年,2010年", "地区", 1)), ["row 4", "year columns"]),
    "year column duplicated": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(
        "2011年,2010年", "2011年,2011年", 1)), ["row 4", "each year once", "2011 twice"]),
    "empty file": (GDP, lambda r: (r / GDP).write_bytes(b""), ["an empty file"]),
    "CEADs column missing": (CEADS, lambda r: edit_sheet(r, CEADS, "Beijing2010",
                             lambda s: s.delete_cols(6)),
                             ["sheet 'Beijing2010'", "row 1", "expected column 'Coke'"]),
    "CEADs columns reordered": (CEADS, lambda r: edit_sheet(r, CEADS, "Beijing2010", lambda s: (
        s.cell(1, 2, "Cleaned Coal"), s.cell(1, 3, "Raw Coal"))),
        ["sheet 'Beijing2010'", "column 'column 2'", "expected column 'Raw Coal'"]),
    "CEADs unit changed": (CEADS, lambda r: edit_sheet(r, CEADS, "Beijing2010",
                           lambda s: s.cell(2, 5, "kt CO2")),
                           ["sheet 'Beijing2010'", "row 2", "column 'Briquettes'",
                            "unit 'Mt CO2'"]),
    "negative emissions": (CEADS, lambda r: edit_sheet(r, CEADS, "Hebei2010",
                           lambda s: s.cell(30, 2, -5.0)),
                           ["sheet 'Hebei2010'", "row 30", "column 'Raw Coal'",
                            "non-negative emissions"]),
    "CEADs sheet of another year": (CEADS, lambda r: edit_sheet(r, CEADS, "Jilin2010",
                                    lambda s: setattr(s, "title", "Jilin2009")),
                                    ["sheet 'Jilin2009'", "sheets of year 2010"]),
    "footnote marker after a number": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(
        t, lambda f: [f[0], f[1] + "①", *f[2:]])),
        ["row 5", "column '2011年'", "a number without a footnote marker", "'①'"]),
    "superscript footnote marker": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(
        t, lambda f: [f[0], f[1], f[2] + "¹"])),
        ["row 5", "column '2010年'", "a number without a footnote marker", "'¹'"]),
    "header-only file": (GDP, lambda r: edit_text(r, GDP, lambda t: "\r\n".join(
        line for line in t.split("\r\n") if not line.endswith(tuple("0123456789")))),
        ["expected at least one data row below the header", "a header without data"]),
    "Big5 file": (GDP, lambda r: to_big5(r, GDP),
                  ["expected text in UTF-8 or GB18030", "Big5"]),
    "full-width commas": (GDP, lambda r: edit_text(r, GDP, lambda t: t.replace(",", "，")),
                          ["row 4", "fields separated by ASCII commas", "full-width separators"]),
    "full-width commas in one row": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(
        t, lambda f: ["，".join(f)])), ["row 5", "full-width separators '，'"]),
    "zero GDP": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(t, lambda f: [f[0], "0",
                                                                              *f[2:]])),
                 ["row 5", "column '2011年'", "a positive figure of 地区生产总值 (gdp)", "0.0"]),
    "negative GDP": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(
        t, lambda f: [f[0], f[1], "-" + f[2]])),
        ["row 5", "column '2010年'", "a positive figure of 地区生产总值 (gdp)"]),
    "GDP 10,000 times too large in one year": (GDP, lambda r: edit_text(r, GDP, lambda t: beijing(
        t, lambda f: [f[0], str(float(f[1]) * 10000), *f[2:]])),
        ["row 5", "column '2011年'", "unit slip", "for 北京市 in 2011"]),
    "patents of one province 10,000 times too large": (SCIENCE, lambda r: edit_sheet(
        r, SCIENCE, "2010", lambda s: s.cell(4, 4, s.cell(4, 4).value * 10000)),
        ["sheet '2010'", "row 4", "unit slip", "in 2010"]),
    "formula cell without a cached value": (SCIENCE, lambda r: edit_sheet(
        r, SCIENCE, "2011", lambda s: s.cell(5, 2, "=B4*2")),
        ["sheet '2011'", "row 5", "column 'B'", "a formula without a cached value in cell B5"]),
    "NBS workbook with two data sheets": (CPI, lambda r: edit_book(
        r, CPI, lambda b: b.create_sheet("Sheet2").append(["地区", "2011年"])),
        ["one sheet with data", "'Sheet2' hold data"]),
    "CEADs workbook missing a province sheet": (CEADS, lambda r: edit_book(
        r, CEADS, lambda b: b.remove(b["Hainan2010"])),
        ["a sheet for each of the 30 provinces", "no sheet for Hainan ('Hainan2010')"]),
    "CEADs province sheet twice": (CEADS, lambda r: edit_book(
        r, CEADS, lambda b: setattr(b.copy_worksheet(b["Hainan2010"]), "title", "Hainan 2010")),
        ["one sheet per province", "'Hainan 2010' and 'Hainan2010'"]),
    "workbook that is not a workbook": (CEADS, lambda r: (r / CEADS).write_text("<html>"),
                                        ["expected an .xlsx workbook"]),
    "S&T table without its unit line": (SCIENCE, lambda r: edit_sheet(r, SCIENCE, "2011",
                                        lambda s: setattr(s["A2"], "value", None)),
                                        ["sheet '2011'", "row 3", "a unit"]),
    "OFDI year twice": (OFDI, lambda r: edit_sheet(r, OFDI, "存量", lambda s: s.cell(3, 3, 2010)),
                        ["sheet '存量'", "row 3", "distinct years"]),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_malformed_file_is_rejected_with_its_place(raw_root: Path, case: str) -> None:
    name, corrupt, fragments = CORRUPTIONS[case]
    corrupt(raw_root)
    with pytest.raises(RawFileError) as caught:
        parse(raw_root, name)
    message = str(caught.value)
    assert message.startswith(name), message
    for fragment in fragments:
        assert fragment in message, message


def test_ceads_header_variants_within_one_workbook_are_one_name(raw_root: Path) -> None:
    """'Cleaned Coal', 'CleanedCoal', 'cleaned_coal' are one column; 'Total Emissions' is the
    total row: compared without blanks, underscores and case."""
    def variants(sheet) -> None:
        sheet.cell(1, 2, "Raw_Coal")
        sheet.cell(1, 3, "CleanedCoal")
        sheet.cell(1, 18, "natural gas")
        sheet.cell(1, 23, "Scope_1_Total")
        sheet.cell(4, 1, "Total Emissions")
    edit_sheet(raw_root, CEADS, "Beijing2010", variants)
    frame = parse(raw_root, CEADS).frame
    beijing = frame[frame["sheet"] == "Beijing2010"]
    assert set(beijing["indicator"]) == set(frame[frame["sheet"] == "Tianjin2010"]["indicator"])
    assert {"Raw_Coal", "CleanedCoal", "natural gas"} <= set(beijing["column_name"])
    assert (beijing.loc[beijing["row_number"] == 4, "item"] == "Total").all()


def test_dangling_link_is_an_error(raw_root: Path) -> None:
    (raw_root / "nbs" / "2023" / "gdp_index.csv").unlink()
    (raw_root / "nbs" / "2023" / "gdp_index.csv").symlink_to(raw_root / "gone" / "gdp_index.csv")
    with pytest.raises(RawFileError) as caught:
        discover_raw_files(raw_root)
    assert str(caught.value).startswith("nbs/2023/gdp_index.csv: expected a file (this is a link "
                                        "to a file that does not exist), found '")


@pytest.mark.parametrize("copy", ["gdp (1).csv", "gdp - 副本.csv", "gdp.xlsx", "gdp - Copy.csv"])
def test_two_files_for_one_variable_name_both(raw_root: Path, copy: str) -> None:
    shutil.copy(raw_root / GDP, raw_root / "nbs" / "2023" / copy)
    with pytest.raises(RawFileError) as caught:
        parse_edition(raw_root, "nbs", "2023")
    message = str(caught.value)
    names = sorted([GDP, f"nbs/2023/{copy}"])
    assert message.startswith(f"{names[1]}: expected one file per table in an edition "
                              f"(this one and {names[0]} hold the same table 'gdp'"), message


def test_the_same_figures_in_two_files_name_both(raw_root: Path) -> None:
    shutil.copy(raw_root / GDP, raw_root / "nbs" / "2023" / "gdp_2024.csv")
    with pytest.raises(RawFileError) as caught:
        parse_edition(raw_root, "nbs", "2023")
    assert str(caught.value).startswith(
        f"nbs/2023/gdp_2024.csv: expected one file per table in an edition (this one and {GDP} "
        "both print 地区生产总值 of 北京市 for 20"), str(caught.value)


def test_half_written_file_rejects_the_edition(raw_root: Path) -> None:
    (raw_root / "nbs" / "2023" / "cpi.csv.part").write_bytes(b"partial")
    with pytest.raises(RawFileError, match="cpi.csv.part: expected complete files only"):
        discover_raw_files(raw_root)


def test_tolerated_oddities_are_parsed_and_noted(raw_root: Path) -> None:
    edit_text(raw_root, GDP, lambda t: t.replace("北京市,", "北京,", 1).replace(
        "天津市,", "天津市,-,", 1).replace(",-,", ",-,", 1))
    result = parse(raw_root, "nbs/2023/population.csv")
    assert any("other known forms" in n for n in result.notes)
    assert any("合成演示数据" in n for n in result.notes)


def test_rejected_edition_leaves_the_raw_layer_unchanged(raw_root: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_edition(con, "nbs", "2023", parse_edition(raw_root, "nbs", "2023"))
    before = content_hash(con.execute("select * from raw.nbs_cells").df())
    edit_text(raw_root, GDP, lambda t: t.replace("北京市", "北景市"))
    with pytest.raises(RawFileError):
        load_edition(con, "nbs", "2023", parse_edition(raw_root, "nbs", "2023"))
    assert content_hash(con.execute("select * from raw.nbs_cells").df()) == before
    con.close()
