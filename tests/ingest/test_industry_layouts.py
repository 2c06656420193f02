"""Layouts added for the industry side: R&D by industry in the S&T source (years across) and the
national price indices (years down), dispatched by file name and parsed cell by cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from models_py.ingest.discover import discover_raw_files, parse_raw_file
from models_py.ingest.errors import RawFileError
from tests.ingest.test_yearbook_layouts import NOTE, one, write_book


def rd_sheet(rows: list[list]) -> list[list]:
    return [["分行业R&D经费内部支出"], ["单位：万元"], ["行业", "2011年", "2012年"], *rows, [NOTE]]


def test_industry_rd_and_national_indices_are_dispatched_and_parsed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_book(raw / "science_tech/2023/industry_rd_expenditure.xlsx", {"R&D经费": rd_sheet([
        ["06 煤炭开采和洗选业", 123456.7, 130000.0],
        ["化学原料和化学制品制造业", 2345678.9, "…"]])})
    write_book(raw / "industry/2023/national_price_indices.xlsx", {"价格指数": [
        ["全国居民消费价格指数和固定资产投资价格指数"],
        ["年份", "居民消费价格指数", "固定资产投资价格指数"],
        [None, "上年=100", "上年=100"], ["2011年", 105.4, 106.6], [2012, 102.6, 101.1], [NOTE]]})
    files = {f.path.name: f for f in discover_raw_files(raw)}
    rd = parse_raw_file(files["industry_rd_expenditure.xlsx"])
    frame = rd.frame
    assert len(frame) == 4 and set(frame["indicator"]) == {"R&D经费内部支出"}
    assert set(frame["unit"]) == {"万元"} and set(frame["source"]) == {"science_tech"}
    cell = one(frame, entity="06 煤炭开采和洗选业", year=2012)
    assert cell["value"] == 130000.0 and cell["row_number"] == 4 and cell["column_name"] == "2012年"
    gap = one(frame, entity="化学原料和化学制品制造业", year=2012)
    assert pd.isna(gap["value"]) and gap["value_text"] == "…"
    assert any("合成演示数据" in n for n in rd.notes)

    indices = parse_raw_file(files["national_price_indices.xlsx"]).frame
    assert set(indices["entity"]) == {"全国"} and set(indices["unit"]) == {"上年=100"}
    assert one(indices, year=2012, indicator="固定资产投资价格指数")["value"] == 101.1
    assert one(indices, year=2011, indicator="居民消费价格指数")["row_number"] == 4


def test_an_industry_printed_twice_is_named(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_book(raw / "science_tech/2023/industry_rd_expenditure.xlsx", {"R&D经费": rd_sheet([
        ["纺织业", 1.0, 2.0], ["医药制造业", 3.0, 4.0], ["纺织业", 5.0, 6.0]])})
    (rd_file,) = discover_raw_files(raw)
    with pytest.raises(RawFileError) as caught:
        parse_raw_file(rd_file)
    message = str(caught.value)
    for fragment in ("science_tech/2023/industry_rd_expenditure.xlsx", "sheet 'R&D经费'", "row 6",
                     "each industry once", "'纺织业' again (first in row 4)"):
        assert fragment in message, message
