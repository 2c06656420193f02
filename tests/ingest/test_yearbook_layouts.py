"""The demo yearbook layouts of docs/raw-layer.md (energy, science_tech, ofdi, industry), written
here cell by cell with openpyxl and parsed back: every value, unit and item path is checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from models_py.ingest.discover import discover_raw_files, parse_edition, parse_raw_file
from models_py.ingest.errors import RawFileError
from models_py.ingest.schema import RAW_COLUMNS
from models_py.ingest.yearbook_tables import (
    flow_paths,
    indent_width,
    parse_energy_balance,
    parse_energy_prices,
    parse_indicators_across,
    parse_industry_energy,
    parse_industry_indicators,
    parse_years_across,
)

IND = "\u3000\u3000"  # one indentation level: two full-width spaces
NOTE = "注：本表为合成演示数据，仅供测试。"


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in where.items():
        mask &= (frame[column] == wanted).to_numpy()
    rows = frame[mask]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


def balance_sheet(province: str, year: int, scale: float = 1.0) -> list[list]:
    return [
        [f"{province}能源平衡表(实物量) {year}"],
        ["项目", "原煤", "天然气", "电力"],
        [None, "万吨", "亿立方米", "亿千瓦小时"],
        ["可供本地区消费的能源量", 100.5 * scale, 180.2, 1100.0],
        ["加工转换投入(-)产出(+)量", -50.0, -20.0, 300.0],
        [IND + "火力发电", -45.0, -18.0, 300.0],
        [IND + "供热", -5.0, -2.0, None],
        ["终端消费量", 40.0, 150.0, 1000.0],
        [IND + "工业", 30.0, 50.0, 600.0],
        [IND * 2 + "用作原料、材料", 2.0, "-", None],
        [IND + "居民生活", 1.0, 60.0, 200.0],
        [IND * 2 + "城镇", 0.5, 50.0, 150.0],
        [IND * 2 + "乡村", 0.5, 10.0, 50.0],
        ["平衡差额", 0.0, 0.0, 0.0],
        [NOTE],
    ]


def test_energy_balance_flows_become_item_paths(tmp_path: Path) -> None:
    path = write_book(tmp_path / "energy_balance_2019.xlsx",
                      {"北京": balance_sheet("北京", 2019),
                       "内蒙古": balance_sheet("内蒙古", 2019, 2)})
    result = parse_energy_balance(path, name="energy/2023/energy_balance_2019.xlsx",
                                  edition="2023")
    frame = result.frame
    assert list(frame.columns) == RAW_COLUMNS
    assert len(frame) == 2 * 11 * 3
    assert set(frame["year"]) == {2019} and set(frame["source"]) == {"energy"}
    assert set(frame["entity"]) == {"北京", "内蒙古"}
    items = list(dict.fromkeys(frame["item"]))
    assert items == [
        "可供本地区消费的能源量", "加工转换投入(-)产出(+)量", "加工转换投入(-)产出(+)量/火力发电",
        "加工转换投入(-)产出(+)量/供热", "终端消费量", "终端消费量/工业",
        "终端消费量/工业/用作原料、材料",
        "终端消费量/居民生活", "终端消费量/居民生活/城镇", "终端消费量/居民生活/乡村", "平衡差额"]
    cell = one(frame, entity="北京", item="终端消费量/工业/用作原料、材料", indicator="原煤")
    assert cell["value"] == 2.0 and cell["unit"] == "万吨" and cell["row_number"] == 10
    assert cell["sheet"] == "北京" and cell["column_name"] == "原煤"
    gas = one(frame, entity="北京", item="终端消费量/工业/用作原料、材料", indicator="天然气")
    assert pd.isna(gas["value"]) and gas["value_text"] == "-" and gas["unit"] == "亿立方米"
    power = one(frame, entity="北京", item="加工转换投入(-)产出(+)量/供热", indicator="电力")
    assert pd.isna(power["value"]) and power["value_text"] == "" and power["unit"] == "亿千瓦小时"
    assert one(frame, entity="内蒙古", item="可供本地区消费的能源量",
               indicator="原煤")["value"] == 201.0
    assert one(frame, entity="北京", item="终端消费量/居民生活/城镇",
               indicator="电力")["value"] == 150.0
    assert sum("合成演示数据" in n for n in result.notes) == 2


def test_indentation_with_ascii_blanks_and_depth() -> None:
    assert indent_width(IND + "火力发电") == 4
    assert indent_width("    火力发电") == 4
    assert indent_width("原煤") == 0 and indent_width(None) == 0


@pytest.mark.parametrize(("change", "fragments"), [
    (lambda rows: rows.__setitem__(3, [IND + "可供本地区消费的能源量", 1, 2, 3]),
     ["sheet '北京'", "row 4", "an unindented flow"]),
    (lambda rows: rows.__setitem__(12, [IND * 2 + "城镇", 1, 2, 3]),
     ["sheet '北京'", "row 13", "each flow once",
      "'终端消费量/居民生活/城镇' again (first in row 12)"]),
    (lambda rows: rows.__setitem__(0, ["北京能源平衡表(实物量) 2018"]),
     ["sheet '北京'", "row 1", "a title of year 2019 as in the file name"]),
    (lambda rows: rows.__setitem__(2, [None, "万吨", None, "亿千瓦小时"]),
     ["sheet '北京'", "row 2", "column '天然气'", "a unit"]),
    (lambda rows: rows.__setitem__(8, [IND + "工业", 30.0, "约50", 600.0]),
     ["sheet '北京'", "row 9", "column '天然气'", "a number", "'约50'"]),
    (lambda rows: rows.insert(14, ["其他", 1, 2, 3]),
     ["sheet '北京'", "row 15", "no data after the footnote in row 14"]),
])
def test_malformed_energy_balance(tmp_path: Path, change, fragments) -> None:
    rows = balance_sheet("北京", 2019)
    change(rows)
    if len(rows) > 15:  # a data row after the footnote: footnote in row 14, data in row 15
        rows[13], rows[14] = [NOTE], ["平衡差额", 0.0, 0.0, 0.0]
    path = write_book(tmp_path / "energy_balance_2019.xlsx", {"北京": rows})
    with pytest.raises(RawFileError) as caught:
        parse_energy_balance(path, name="energy/2023/energy_balance_2019.xlsx")
    message = str(caught.value)
    assert message.startswith("energy/2023/energy_balance_2019.xlsx, sheet '北京'"), message
    for fragment in fragments:
        assert fragment in message, message


def test_flow_paths_close_deeper_levels() -> None:
    from models_py.ingest.tables import TitledTable

    rows = [(4, ["A"]), (5, [IND + "a1"]), (6, [IND * 2 + "a1x"]), (7, [IND + "a2"]), (8, ["B"]),
            (9, [IND * 2 + "b-deep"])]
    table = TitledTable("f", "s", "", "", 2, ["项目"], None, rows)
    assert flow_paths(table) == ["A", "A/a1", "A/a1/a1x", "A/a2", "B", "B/b-deep"]


def test_industry_energy_by_two_digit_industry(tmp_path: Path) -> None:
    path = write_book(tmp_path / "industry_energy_2019.xlsx", {"分行业": [
        ["2019年工业分行业终端能源消费量(实物量)"],
        ["行业", "原煤", "电力"],
        ["", "万吨", "亿千瓦小时"],
        ["06 煤炭开采和洗选业", 25000.0, 850.0],
        ["32 黑色金属冶炼及压延加工业", 30000.0, "…"],
        [NOTE],
    ]})
    frame = parse_industry_energy(path, name="energy/2023/industry_energy_2019.xlsx").frame
    assert len(frame) == 4 and set(frame["year"]) == {2019} and set(frame["item"]) == {""}
    steel = one(frame, entity="32 黑色金属冶炼及压延加工业", indicator="原煤")
    assert steel["value"] == 30000.0 and steel["unit"] == "万吨" and steel["row_number"] == 5
    power = one(frame, entity="32 黑色金属冶炼及压延加工业", indicator="电力")
    assert pd.isna(power["value"]) and power["value_text"] == "…"
    assert one(frame, entity="06 煤炭开采和洗选业", indicator="电力")["unit"] == "亿千瓦小时"


def test_energy_prices_years_down(tmp_path: Path) -> None:
    path = write_book(tmp_path / "energy_prices.xlsx", {"价格": [
        ["主要能源品种价格"],
        ["年份", "原煤", "汽油", "天然气", "电力"],
        [None, "元/吨", "元/吨", "元/立方米", "元/千瓦时"],
        [2018, 600.0, 8000.0, 2.5, 0.6],
        ["2019年", 620.0, 8200.0, 2.6, 0.61],
    ]})
    frame = parse_energy_prices(path, name="energy/2023/energy_prices.xlsx").frame
    assert len(frame) == 8 and set(frame["entity"]) == {"全国"}
    power = one(frame, year=2019, indicator="电力")
    assert power["value"] == 0.61 and power["unit"] == "元/千瓦时" and power["row_number"] == 5
    assert one(frame, year=2018, indicator="天然气")["unit"] == "元/立方米"


def science_sheet(unit: str, tech_import_beijing: object) -> list[list]:
    return [
        ["分地区规模以上工业企业科技活动情况"],
        [f"单位：{unit}"],
        ["地区", "技术引进经费支出", "R&D经费内部支出", "专利申请数(件)"],
        ["北京", tech_import_beijing, 2345678.0, 5000],
        ["河北省", "-", 1200000.0, 3000],
        [" 内蒙古 ", 800.0, None, 900],
        [NOTE],
        ["数据来源：科技统计年鉴"],
    ]


def test_science_tech_sheets_per_year_with_own_units(tmp_path: Path) -> None:
    path = write_book(tmp_path / "industrial_enterprises_by_province.xlsx",
                      {"2015": science_sheet("万元", 12345.0), "2016": science_sheet("亿元", 1.5)})
    result = parse_indicators_across(path, name="science_tech/2021/x.xlsx",
                                     source="science_tech", edition="2021")
    frame = result.frame
    assert len(frame) == 2 * 3 * 3
    assert set(frame["indicator"]) == {"技术引进经费支出", "R&D经费内部支出", "专利申请数"}
    tech_2015 = one(frame, entity="北京", year=2015, indicator="技术引进经费支出")
    assert tech_2015["value"] == 12345.0 and tech_2015["unit"] == "万元"
    tech_2016 = one(frame, entity="北京", year=2016, indicator="技术引进经费支出")
    assert tech_2016["value"] == 1.5 and tech_2016["unit"] == "亿元"  # the unit change
    patents = one(frame, entity="北京", year=2016, indicator="专利申请数")
    assert patents["unit"] == "件" and patents["column_name"] == "专利申请数(件)"
    assert one(frame, entity="内蒙古", year=2015, indicator="技术引进经费支出")["value"] == 800.0
    hebei = one(frame, entity="河北省", year=2015, indicator="技术引进经费支出")
    assert pd.isna(hebei["value"]) and hebei["value_text"] == "-"
    assert len(result.notes) == 4


def ofdi_sheet(title: str, beijing: list) -> list[list]:
    return [[title], ["单位：万美元"], ["地区", 2003, 2004, "2005"],
            ["北京市", *beijing], ["广东省", 5000.0, None, 7000.0], [NOTE]]


def test_ofdi_flows_and_stocks_years_across(tmp_path: Path) -> None:
    path = write_book(tmp_path / "ofdi_by_province.xlsx", {
        "流量": ofdi_sheet("各省区市对外直接投资流量", [1000.0, 2000.0, 3000.0]),
        "存量": ofdi_sheet("各省区市对外直接投资存量", [10000.0, 12000.0, 15000.0])})
    frame = parse_years_across(path, name="ofdi/2023/ofdi_by_province.xlsx", source="ofdi",
                               edition="2023").frame
    assert len(frame) == 12
    assert set(frame["indicator"]) == {"对外直接投资流量", "对外直接投资存量"}
    assert set(frame["unit"]) == {"万美元"}
    flow = one(frame, entity="北京市", year=2004, indicator="对外直接投资流量")
    assert flow["value"] == 2000.0 and flow["sheet"] == "流量" and flow["column_name"] == "2004"
    assert one(frame, entity="北京市", year=2005, indicator="对外直接投资存量")["value"] == 15000.0
    gap = one(frame, entity="广东省", year=2004, indicator="对外直接投资流量")
    assert pd.isna(gap["value"]) and gap["value_text"] == ""


def industry_sheet(scale: float) -> list[list]:
    return [
        ["2019年分行业规模以上工业企业主要指标"],
        ["行业", "企业单位数(个)", "工业总产值(亿元)", "全部从业人员年平均人数(万人)",
         "平均工资(元)"],
        ["06 煤炭开采和洗选业", 5000 * scale, 30000.5 * scale, 300.0, 80000],
        ["32 黑色金属冶炼及压延加工业", 8000 * scale, 70000.0 * scale, "—", 90000],
        ["烟草制品业", 120 * scale, 9000.0 * scale, 20.0, 150000],
        [NOTE],
    ]


def test_industry_main_indicators_per_ownership_class(tmp_path: Path) -> None:
    path = write_book(tmp_path / "industry_main_indicators_2019.xlsx",
                      {"全部": industry_sheet(1.0), "国有及国有控股": industry_sheet(0.25),
                       "私营": industry_sheet(0.5), "外商投资和港澳台商投资": industry_sheet(0.1)})
    frame = parse_industry_indicators(path, name="industry/2023/x_2019.xlsx",
                                      edition="2023").frame
    assert len(frame) == 4 * 3 * 4 and set(frame["year"]) == {2019}
    assert set(frame["item"]) == {"全部", "国有及国有控股", "私营", "外商投资和港澳台商投资"}
    output = one(frame, entity="06 煤炭开采和洗选业", item="国有及国有控股", indicator="工业总产值")
    assert output["value"] == pytest.approx(7500.125) and output["unit"] == "亿元"
    assert one(frame, entity="烟草制品业", item="私营", indicator="企业单位数")["unit"] == "个"
    assert one(frame, entity="烟草制品业", item="全部", indicator="平均工资")["value"] == 150000
    labour = one(frame, entity="32 黑色金属冶炼及压延加工业", item="全部",
                 indicator="全部从业人员年平均人数")
    assert pd.isna(labour["value"]) and labour["value_text"] == "—" and labour["unit"] == "万人"


def test_industry_ppi_years_across(tmp_path: Path) -> None:
    path = write_book(tmp_path / "industry_ppi.xlsx", {"出厂价格指数": [
        ["分行业工业生产者出厂价格指数(上年=100)"],
        ["行业", "2018年", "2019年"],
        ["06 煤炭开采和洗选业", 105.2, 98.7],
        ["32 黑色金属冶炼及压延加工业", 108.0, 99.1],
    ]})
    frame = parse_years_across(path, name="industry/2023/industry_ppi.xlsx", source="industry",
                               edition="2023").frame
    assert set(frame["indicator"]) == {"工业生产者出厂价格指数"}
    assert set(frame["unit"]) == {"上年=100"}
    assert one(frame, entity="32 黑色金属冶炼及压延加工业", year=2019)["value"] == 99.1


def test_discovery_dispatches_every_demo_layout(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_book(raw / "energy/2023/energy_balance_2019.xlsx", {"北京": balance_sheet("北京", 2019)})
    write_book(raw / "energy/2023/energy_prices.xlsx", {"价格": [
        ["主要能源品种价格"], ["年份", "电力"], [None, "元/千瓦时"], [2019, 0.61]]})
    write_book(raw / "industry/2023/industry_main_indicators_2019.xlsx",
               {"全部": industry_sheet(1.0)})
    write_book(raw / "industry/2023/industry_ppi.xlsx", {"PPI": [
        ["分行业工业生产者出厂价格指数(上年=100)"], ["行业", 2019], ["06 煤炭开采和洗选业", 98.7]]})
    write_book(raw / "industry/2023/~$industry_ppi.xlsx", {"x": [["lock file"]]})
    (raw / "industry/2023/README.md").write_text("notes", encoding="utf-8")
    (raw / "industry/2023/.hidden.xlsx").write_bytes(b"")
    files = discover_raw_files(raw)
    assert [f.name for f in files] == [
        "energy/2023/energy_balance_2019.xlsx", "energy/2023/energy_prices.xlsx",
        "industry/2023/industry_main_indicators_2019.xlsx", "industry/2023/industry_ppi.xlsx"]
    energy = parse_edition(raw, "energy", "2023").frame
    assert len(energy) == 11 * 3 + 1 and set(energy["edition"]) == {"2023"}
    assert set(energy["file"]) == {"energy/2023/energy_balance_2019.xlsx",
                                   "energy/2023/energy_prices.xlsx"}
    industry = parse_edition(raw, "industry", "2023").frame
    assert len(industry) == 3 * 4 + 1
    assert one(industry, indicator="工业生产者出厂价格指数")["value"] == 98.7
    assert len(parse_raw_file(files[0]).frame) == 33

    write_book(raw / "industry/2023/industry_wages.xlsx", {"x": [["?"]]})
    unknown = next(f for f in discover_raw_files(raw) if f.path.name == "industry_wages.xlsx")
    with pytest.raises(RawFileError, match="industry/2023/industry_wages.xlsx: expected a file "
                       "in a layout this project reads for source 'industry'"):
        parse_raw_file(unknown)
