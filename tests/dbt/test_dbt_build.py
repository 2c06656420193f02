"""dbt build (models, seeds, data and unit tests) on a demo warehouse, latest and as of 2021."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from models_py.demo.generate import revisions, write_demo_yearbook
from models_py.demo.structural import simulate_world
from models_py.ingest.discover import SOURCES, discover_raw_files, parse_edition
from models_py.ingest.load import ensure_raw_table, load_edition
from tests.dbt.dbt_cli import invoke_dbt

YEARS = (2016, 2020)


def load_raw(raw_root: Path, db: Path) -> None:
    con = duckdb.connect(str(db))
    files = discover_raw_files(raw_root)
    for source in SOURCES:
        ensure_raw_table(con, source)
        for edition in sorted({f.edition for f in files if f.source == source}):
            load_edition(con, source, edition, parse_edition(raw_root, source, edition))
    con.close()


def dbt_build(db: Path, target: Path, *extra: str) -> None:
    os.environ["WAREHOUSE_DB_PATH"] = str(db)
    result = invoke_dbt("build", target, *extra)
    assert result.success, result.exception or [
        (r.node.name, r.message) for r in result.result if r.status not in ("pass", "success")]


def panel(db: Path) -> pd.DataFrame:
    # same configuration as dbt's in-process connection (DuckDB shares one instance per file)
    con = duckdb.connect(str(db))
    frame = con.execute("select * from marts.mart_province_panel").df()
    con.close()
    return frame.set_index(["province_code", "year"])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt")
    write_demo_yearbook(root / "raw", years=YEARS)
    load_raw(root / "raw", root / "build.duckdb")
    return root


@pytest.mark.xdist_group("dbt_build")
def test_latest_and_older_vintage(warehouse: Path) -> None:
    db = warehouse / "build.duckdb"
    world = simulate_world(YEARS)
    truth = world.province_year.set_index(["province_code", "year"])
    revised = revisions(world)
    gdp_revised = revised[revised["variable"] == "gdp"].set_index(["province_code", "year"])

    dbt_build(db, warehouse / "target_latest")
    latest = panel(db)
    assert len(latest) == 30 * (YEARS[1] - YEARS[0] + 1)
    assert set(latest["edition_max"]) == {"2023"}
    assert latest.loc[("110000", 2019), "gdp_nominal_100m_yuan"] == truth.loc[("110000", 2019),
                                                                              "gdp"]
    assert latest["tech_import_stock_10k_yuan"].reindex(truth.index).to_numpy() == pytest.approx(
        truth["true_tech_import_stock"].to_numpy(), rel=1e-8)

    # 1 % winsorised copies beside the originals: numpy's linear percentiles = percentile_cont
    for column in ("ln_ce", "ln_tech_import_stock", "tertiary_share", "ln_ofdi_stock"):
        values = latest[column]
        low, high = np.nanpercentile(values, [1, 99])
        expected = values.clip(low, high)
        np.testing.assert_allclose(latest[f"{column}_wins1"], expected, rtol=1e-12)
        assert (latest[f"{column}_wins1"] != values).sum() >= 2  # both tails were clipped
    assert latest["rd_stock_10k_yuan"].gt(0).all()

    dbt_build(db, warehouse / "target_2021", "--vars", '{"as_of_edition": "2021"}')
    as_2021 = panel(db)
    assert set(as_2021["edition_max"]) == {"2021"}
    # the 2021 release of the inventories stops in 2019: the panel as of 2021 keeps 2020 (the
    # yearbooks print it) with NULL emissions and says which input is missing, never drops it
    assert as_2021.index.get_level_values("year").max() == 2020
    last = as_2021.xs(2020, level="year")
    assert last["co2_total_10kt"].isna().all() and last["gdp_nominal_100m_yuan"].notna().all()
    assert set(last["missing_inputs"]) == {"emissions (ceads)"}
    assert as_2021.xs(2019, level="year")["missing_inputs"].isna().all()
    for key in [("110000", 2019), ("440000", 2019), ("650000", 2018)]:
        assert as_2021.loc[key, "gdp_nominal_100m_yuan"] == pytest.approx(
            gdp_revised.loc[key, "value_2021"])
        assert latest.loc[key, "gdp_nominal_100m_yuan"] == pytest.approx(
            gdp_revised.loc[key, "value_2023"])
    assert as_2021.loc[("110000", 2017), "gdp_nominal_100m_yuan"] == latest.loc[
        ("110000", 2017), "gdp_nominal_100m_yuan"]
    # the 2021 edition printed technology imports in 亿元: converted to the same 万元 figures
    unrevised = ("110000", 2017)
    assert as_2021.loc[unrevised, "tech_import_expenditure_10k_yuan"] == pytest.approx(
        latest.loc[unrevised, "tech_import_expenditure_10k_yuan"], abs=0.5)


@pytest.mark.xdist_group("dbt_build")
def test_spatial_weights_mart_matches_the_demo_generator(warehouse: Path) -> None:
    """The SQL matrices agree with the numpy ones the demo world is generated with."""
    from models_py.demo.structural import inverse_distance_weights
    from models_py.reference import provinces

    db = warehouse / "build.duckdb"
    dbt_build(db, warehouse / "target_weights", "--select", "+mart_spatial_weights",
              "--indirect-selection", "cautious")
    con = duckdb.connect(str(db))
    long = con.execute("select * from marts.mart_spatial_weights").df()
    con.close()
    prov = provinces()
    codes = prov["province_code"].tolist()
    dense = (long[long["matrix_name"] == "inverse_distance"]
             .pivot(index="province_code_i", columns="province_code_j",
                    values="weight_row_standardised")
             .reindex(index=codes, columns=codes).fillna(0.0).to_numpy())
    expected = inverse_distance_weights(prov["centroid_lon"].to_numpy(),
                                        prov["centroid_lat"].to_numpy())
    np.testing.assert_allclose(dense, expected, rtol=1e-6)
    contiguity = long[long["matrix_name"] == "contiguity"]
    assert len(contiguity) == 2 * 65  # 64 land borders among the 30 + Hainan-Guangdong
    beijing_tianjin = long[(long["province_code_i"] == "110000")
                           & (long["province_code_j"] == "120000")]
    assert beijing_tianjin["distance_km"].iloc[0] == pytest.approx(126.53, abs=0.01)


@pytest.mark.xdist_group("dbt_build")
def test_ceads_method_reproduces_the_real_inventories(shared_data: Path, tmp_path: Path) -> None:
    """Real CEADs workbooks: raw -> staging -> fct_emissions -> mart_emissions_province_year."""
    from models_py.ingest.ceads import parse_ceads_workbook
    from models_py.ingest.schema import ParseResult

    db = tmp_path / "build.duckdb"
    con = duckdb.connect(str(db))
    for source in SOURCES:
        ensure_raw_table(con, source)
    folder = shared_data / "ceads_provincial"
    results = [parse_ceads_workbook(folder / f"Emission_Inventories_for_30_Provinces_{y}.xlsx",
                                    name=f"ceads/2020/{y}.xlsx", edition="2020")
               for y in (2015, 2018)]
    load_edition(con, "ceads", "2020", ParseResult.concat(results))
    con.close()
    dbt_build(db, tmp_path / "target", "--select", "+mart_emissions_province_year",
              "--indirect-selection", "cautious")
    con = duckdb.connect(str(db))
    totals = dict(con.execute("select year, sum(co2_total_mt) "
                              "from marts.mart_emissions_province_year group by year").fetchall())
    beijing = con.execute("select co2_total_mt from marts.mart_emissions_province_year "
                          "where province_code = '110000' and year = 2015").fetchone()[0]
    fact = con.execute("select sum(co2_t) / 1e6 from marts.fct_emissions "
                       "where year = 2018 and scope = 1").fetchone()[0]
    # every province's scope-1 total as the workbook's own total row prints it
    per_province = con.execute("""
        select mart.province_code, mart.year, mart.co2_total_mt, printed.value
        from marts.mart_emissions_province_year as mart
        inner join marts.dim_province as province using (province_code)
        inner join raw.ceads_cells as printed
            on replace(printed.entity, ' ', '') = province.ceads_sheet_name
            and printed.year = mart.year
            and printed.item = 'Total'
            and replace(lower(printed.indicator), ' ', '_') = 'scope_1_total'
    """).df()
    con.close()
    assert len(per_province) == 60
    np.testing.assert_allclose(per_province["co2_total_mt"], per_province["value"], rtol=1e-6,
                               atol=1e-6)
    assert totals[2015] == pytest.approx(9831.560, abs=1e-3)
    assert totals[2018] == pytest.approx(10529.314, abs=1e-3)
    assert beijing == pytest.approx(92.763002, abs=1e-6)
    assert fact == pytest.approx(10529.314, abs=1e-3)


@pytest.mark.xdist_group("dbt_build")
def test_computed_and_ceads_methods_agree_on_the_demo(warehouse: Path) -> None:
    """The demo prints balance sheets and inventories from one model with dim_fuel's factors, so
    the two methods of fct_emissions agree to the balance sheets' rounding (2 decimals)."""
    from models_py.demo.energy_balance import balance_world
    from models_py.reference import co2_t_per_physical_unit, fuels

    db = warehouse / "build.duckdb"
    dbt_build(db, warehouse / "target_emissions", "--select", "+mart_emissions_reconciliation",
              "+mart_emissions_province_year", "--indirect-selection", "cautious")
    con = duckdb.connect(str(db))
    gaps = con.execute("select * from marts.mart_emissions_reconciliation").df()
    coal = con.execute("select sum(activity), sum(co2_t) from intermediate.int_emissions_computed "
                       "where province_code = '370000' and year = 2019 and fuel = 'raw_coal' "
                       "and balance_sector = 'industry'").fetchone()
    scope2 = con.execute("select co2_scope2_electricity_method, co2_scope2_electricity_10kt "
                         "from marts.mart_emissions_province_year where province_code = '440000' "
                         "and year = 2019").fetchone()
    con.close()
    assert len(gaps) == 30 * (YEARS[1] - YEARS[0] + 1)
    for column in ("scope1_energy_gap_rel", "industrial_energy_gap_rel",
                   "scope2_electricity_gap_rel"):
        assert gaps[column].abs().max() < 1e-3, column
    assert gaps["scope1_energy_mt_ceads"].sum() > 10 * gaps["scope1_energy_gap_rel"].abs().sum()

    # hand-checked factor: raw coal 20.908 GJ/t x 25.8 t C/TJ x 0.98 x 44/12 = 1.938339 t CO2/t
    raw_coal = fuels().set_index("fuel_code").loc["raw_coal"]
    assert co2_t_per_physical_unit(raw_coal) / 1e4 == pytest.approx(1.938339, abs=1e-6)
    assert coal[1] == pytest.approx(coal[0] * 19383.3886, rel=1e-6)

    # scope 2 of Guangdong 2019 = its final electricity (亿kWh) x 10^5 MWh x the South grid's
    # 2012 factor 0.5271 t/MWh, in 10^4 t
    world = simulate_world(YEARS)
    electricity = balance_world(world).electricity[18, world.years.index(2019)].sum()
    assert scope2[0] == "computed"
    assert scope2[1] == pytest.approx(electricity * 1e5 * 0.5271 / 1e4, rel=1e-5)



def test_a_broken_row_fails_its_model_column_rules_and_names_the_column(tmp_path: Path) -> None:
    """One column_rules test checks a model's not-null, unique and accepted-values rules in one
    query; what it returns names each broken rule and column (failed_rule) with the offending
    values, and dbt's failure count is the offending rows."""
    from orchestration.assets.dbt import failed_rules

    db = tmp_path / "build.duckdb"
    dbt_build(db, tmp_path / "target", "--select", "dim_province",  # the seed and its tests
              "--indirect-selection", "cautious")
    con = duckdb.connect(str(db))
    con.execute("update marts.dim_province set name_zh = null where province_code = '110000'")
    con.execute("update marts.dim_province set nbs_order = 1 where province_code = '120000'")
    con.execute("update marts.dim_province set region = 'nowhere' "
                "where province_code in ('130000', '140000')")
    con.close()
    result = invoke_dbt("test", tmp_path / "target", "--select", "column_rules_dim_province")
    assert not result.success
    assert [(r.node.name, r.status, r.failures) for r in result.result] == [
        ("column_rules_dim_province", "fail", 5)]  # 1 null + 2 rows sharing 1 + 2 regions
    compiled = next((tmp_path / "target" / "compiled").rglob("column_rules_dim_province.sql"))
    con = duckdb.connect(str(db))  # dbt's in-process connection's configuration
    try:
        described = failed_rules(con, compiled.read_text(encoding="utf-8"))
    finally:
        con.close()
    assert described == ("accepted_values(region): 2 rows, e.g. nowhere; "
                         "not_null(name_zh): 1 row; unique(nbs_order): 2 rows, e.g. 1")


def test_a_value_missing_from_its_parent_breaks_the_relationships_rule(tmp_path: Path) -> None:
    """A column_rules test also checks that every value of a column is a key of its parent
    (dbt's relationships test, one rule of the model's one test): an industry whose CEADs
    sector is not in ref_ceads_sectors is named with its value; NULLs pass, as in dbt's."""
    from orchestration.assets.dbt import failed_rules

    db = tmp_path / "build.duckdb"
    dbt_build(db, tmp_path / "target", "--select", "dim_industry", "ref_ceads_sectors",
              "ref_energy_balance_flows", "--indirect-selection", "cautious")
    con = duckdb.connect(str(db))
    codes = [code for (code,) in con.execute(
        "select industry_code from marts.dim_industry order by industry_code limit 3").fetchall()]
    con.execute("update marts.dim_industry set ceads_sector_order = 999 "
                "where industry_code in (?, ?)", codes[:2])
    con.execute("update marts.dim_industry set ceads_sector_order = null "
                "where industry_code = ?", codes[2:])
    con.close()
    result = invoke_dbt("test", tmp_path / "target", "--select", "column_rules_dim_industry")
    assert [(r.node.name, r.status, r.failures) for r in result.result] == [
        ("column_rules_dim_industry", "fail", 2)]
    compiled = next((tmp_path / "target" / "compiled").rglob("column_rules_dim_industry.sql"))
    con = duckdb.connect(str(db))
    try:
        described = failed_rules(con, compiled.read_text(encoding="utf-8"))
    finally:
        con.close()
    assert described == "relationships(ceads_sector_order): 2 rows, e.g. 999"
