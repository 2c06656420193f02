"""The demo's industry world: realistic magnitudes, the planted structure, and files that parse."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models_py.demo.industry import (
    INDUSTRY_YEARS,
    industries,
    printed_fuels,
    simulate_industry_world,
    unit_energy_cost,
)
from models_py.demo.industry_writers import write_industry_files
from models_py.ingest.discover import discover_raw_files, parse_raw_file
from models_py.reference import seed


@pytest.fixture(scope="module")
def world():
    return simulate_industry_world()


def test_forty_industries_the_study_keeps_thirty_six() -> None:
    ind = industries()
    assert len(ind) == 40 and ind["in_study"].sum() == 36
    assert set(ind.loc[~ind["in_study"], "industry_code"]) == {"11", "12", "42", "43"}
    assert set(ind.loc[ind["in_study"], "industry_code"]) == set(seed("dim_industry")[
        "industry_code"])
    assert ind.loc[ind["is_high_energy"], "industry_code"].tolist() == [
        "25", "26", "31", "32", "33", "44"]


def test_magnitudes_are_those_of_late_2000s_china(world) -> None:
    frame = world.industry_year
    total = frame.groupby("year")["工业总产值|全部"].sum()
    assert 400_000 < total[2008] < 600_000 and 800_000 < total[2015] < 1_100_000  # 10^8 yuan
    study = frame[frame["in_study"] & frame["year"].between(2006, 2010)]
    assert study["固定资产净值|全部"].between(100, 30_000).all()
    assert study["true_rel_fdi"].between(0.04, 0.75).all()
    assert study["平均工资|全部"].between(9_000, 70_000).all()
    assert study["true_unit_energy_cost"].between(300, 6_000).all()  # yuan per tce
    # the printed total energy use exceeds the printed fuels by the fuels it does not itemise
    fuel = printed_fuels().set_index("fuel_code")["tce_per_printed_unit"]
    itemised = (world.fuel_use.assign(tce=world.fuel_use["quantity"]
                                      * world.fuel_use["fuel_code"].map(fuel) / 1e4)
                .groupby(["industry_code", "year"])["tce"].sum())
    share = itemised / frame.set_index(["industry_code", "year"])["total_energy_10k_tce"]
    assert share.between(0.7, 0.97).all()
    assert 0.12 < world.industry_year.query("year == 2013")["true_rel_fdi"].median() < 0.5
    # the ownership classes never add up to more than all firms
    for cls in ("国有及国有控股", "私营"):
        assert (frame[f"固定资产净值|{cls}"] < frame["固定资产净值|全部"]).all()
    parts = (frame["固定资产净值|国有及国有控股"] + frame["固定资产净值|私营"]
             + frame["固定资产净值|外商投资和港澳台商投资"])
    assert (parts <= frame["固定资产净值|全部"] + 0.02).all()


def test_unit_energy_cost_is_the_tce_weighted_price(world) -> None:
    fuel = printed_fuels()
    assert set(fuel["name_zh"]) <= set(seed("dim_fuel")["name_zh"])
    # one tce of raw coal at 500 yuan/t costs 500 / (20908 / 29307.6) yuan
    coal_only = np.array([[1.0, 0, 0, 0, 0, 0]])
    prices = np.array([[500.0, 1, 1, 1, 1, 1]])
    assert unit_energy_cost(coal_only, prices, fuel)[0] == pytest.approx(500 * 29307.6 / 20908)
    use = world.fuel_use[(world.fuel_use["industry_code"] == "32")
                         & (world.fuel_use["year"] == 2010)].set_index("fuel_code")["quantity"]
    price = world.prices.set_index("year").loc[2010]
    tce = use * fuel.set_index("fuel_code")["tce_per_printed_unit"]
    per_tce = price / fuel.set_index("fuel_code")["tce_per_price_unit"]
    truth = world.industry_year.set_index(["industry_code", "year"])
    assert truth.at[("32", 2010), "true_unit_energy_cost"] == pytest.approx(
        (tce * per_tce).sum() / tce.sum())


def test_energy_cost_varies_within_industries(world) -> None:
    """The elasticities are identified from within-industry movements net of year effects."""
    frame = world.industry_year[world.industry_year["in_study"]].copy()
    frame["ln_p"] = np.log(frame["true_unit_energy_cost"])
    within = frame["ln_p"] - frame.groupby("industry_code")["ln_p"].transform("mean")
    within -= within.groupby(frame["year"]).transform("mean")
    assert within.std() > 0.05


def test_files_parse_and_say_they_are_synthetic(tmp_path: Path) -> None:
    written = write_industry_files(tmp_path, "2021") + write_industry_files(tmp_path, "2023")
    assert len(written) == 14 * 2 + 5 * 2 + 2 * 4  # two yearly files + four tables per edition
    assert write_industry_files(tmp_path, "2019") == []
    results = [parse_raw_file(f) for f in discover_raw_files(tmp_path)]
    assert len(results) == len(written)
    for result in results:
        assert any("合成演示数据" in note for note in result.notes), result.frame["file"].iloc[0]
    cells = pd.concat([r.frame for r in results])
    energy = cells[cells["file"].str.contains("industry_energy_2010")]
    assert set(energy["indicator"]) == set(printed_fuels()["name_zh"]) | {"能源消费总量"}
    assert set(energy["unit"]) == {"万吨", "亿立方米", "亿千瓦小时", "万吨标准煤"}
    main = cells[cells["file"] == "industry/2021/industry_main_indicators_2012.xlsx"]
    assert set(main["item"]) == {"全部", "国有及国有控股", "私营", "外商投资和港澳台商投资"}
    assert main["entity"].nunique() == 80  # 40 industries, with and without their code
    years = cells.groupby("edition")["year"].agg(["min", "max"])
    assert years.loc["2021"].tolist() == [1999, 2012] and years.loc["2023"].tolist() == [2011, 2015]
    assert min(INDUSTRY_YEARS) == 1999 and max(INDUSTRY_YEARS) == 2015


def test_same_files_every_time(tmp_path: Path) -> None:
    first = write_industry_files(tmp_path / "a", "2023")
    second = write_industry_files(tmp_path / "b", "2023")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
