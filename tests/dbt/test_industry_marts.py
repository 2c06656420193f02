"""The industry marts built from the demo's industry tables: balanced, equal to the demo's truth,
the carbon-price mapping's shape, and the planted elasticities recovered by two-way FE."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunner

from models_py.demo.industry import simulate_industry_world
from models_py.demo.industry_writers import write_industry_files
from models_py.demo.planted import PLANTED
from models_py.estimation.panel_fe import PanelFixedEffects
from models_py.ingest.checks import PROVINCE_SOURCES
from models_py.ingest.discover import LAYOUTS
from models_py.reference import seed
from orchestration.paths import DBT_PROJECT_DIR
from tests.dbt.test_dbt_build import dbt_build, load_raw

SELECT = ("--select", "+mart_industry_panel +mart_carbon_price_mapping",
          "--indirect-selection", "cautious")


def query(db: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(db))
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def industry_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the industry tables of both demo editions, loaded and built (seconds)."""
    root = tmp_path_factory.mktemp("industry_dbt")
    for edition in ("2021", "2023"):
        write_industry_files(root / "raw", edition)
    load_raw(root / "raw", root / "build.duckdb")
    dbt_build(root / "build.duckdb", root / "target", *SELECT)
    return root


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return simulate_industry_world().industry_year.set_index(["industry_code", "year"])


@pytest.mark.xdist_group("dbt_industry")
def test_panel_is_balanced_and_equals_the_demo_truth(industry_warehouse: Path,
                                                     truth: pd.DataFrame) -> None:
    panel = query(industry_warehouse / "build.duckdb",
                  "select * from marts.mart_industry_panel").set_index(["industry_code", "year"])
    codes = set(seed("dim_industry")["industry_code"])
    assert len(panel) == 36 * 13
    assert set(panel.index.get_level_values(0)) == codes
    assert panel.groupby(level="year").size().eq(36).all()
    assert set(panel.index.get_level_values(1)) == set(range(2003, 2015 + 1))
    first_year = panel.index.get_level_values(1) == 2003
    assert panel.loc[first_year, "lag_ln_unit_energy_cost"].isna().all()
    assert panel.loc[~first_year, "lag_ln_unit_energy_cost"].notna().all()
    expected = truth.loc[panel.index]
    for column, true_column in [
        ("unit_energy_cost_yuan_per_tce", "true_unit_energy_cost"),
        ("relative_fdi", "true_rel_fdi"),
        ("carbon_tco2_per_tce", "true_carbon_per_tce"),
        ("absolute_fdi_real_100m_yuan", "true_abs_fdi_real"),
        ("real_wage_yuan", "true_real_wage"),
        ("rd_stock_10k_yuan", "true_rd_stock"),
        ("profitability_foreign", "true_profitability_foreign"),
        ("scale_real_100m_yuan", "true_scale"),
    ]:
        np.testing.assert_allclose(panel[column], expected[true_column], rtol=1e-8,
                                   err_msg=column)
    # the latest edition: 2011-2012 output revised by the 2023 edition
    assert (panel.xs(2011, level="year")["edition_max"] == "2023").all()
    assert panel.loc[("32", 2011), "gross_output_100m_yuan"] == truth.loc[("32", 2011),
                                                                         "工业总产值|全部"]


@pytest.mark.xdist_group("dbt_industry")
def test_mc_starts_at_uc_over_p_and_falls_with_the_carbon_price(industry_warehouse: Path,
                                                                truth: pd.DataFrame) -> None:
    mapping = query(industry_warehouse / "build.duckdb",
                    "select * from marts.mart_carbon_price_mapping")
    assert len(mapping) == 36 * 301 and set(mapping["base_year"]) == {2015}
    assert mapping.groupby("industry_code")["carbon_price_yuan_per_t"].agg(
        ["min", "max", "count"]).eq([0, 300, 301]).all().all()
    at_zero = mapping[mapping["carbon_price_yuan_per_t"] == 0].set_index("industry_code")
    np.testing.assert_allclose(at_zero["mc"], at_zero["uc_tco2_per_tce"]
                               / at_zero["p_energy_yuan_per_tce"], rtol=1e-9)
    base = truth.xs(2015, level="year").loc[at_zero.index]
    np.testing.assert_allclose(at_zero["uc_tco2_per_tce"], base["true_carbon_per_tce"],
                               rtol=1e-8)
    ordered = mapping.sort_values(["industry_code", "carbon_price_yuan_per_t"])
    assert (ordered.groupby("industry_code")["mc"].diff().dropna() < 0).all()
    at_100 = ordered[ordered["carbon_price_yuan_per_t"] == 100].set_index("industry_code")
    np.testing.assert_allclose(at_100["mc"], at_100["uc_tco2_per_tce"]
                               / (at_100["p_energy_yuan_per_tce"]
                                  + 100 * at_100["uc_tco2_per_tce"]), rtol=1e-9)


@pytest.mark.xdist_group("dbt_industry")
def test_two_way_fe_recovers_the_planted_elasticities(industry_warehouse: Path) -> None:
    panel = query(industry_warehouse / "build.duckdb", "select * from marts.mart_industry_panel")
    # ln capital cost is national: the year effects absorb it
    regressors = ["lag_ln_unit_energy_cost", "lag_ln_unit_energy_cost_x_high_energy",
                  "lag_ln_real_wage", "lag_ln_rd_stock", "lag_profitability_foreign",
                  "lag_ln_scale"]
    planted = {
        "ln_relative_fdi": (PLANTED.industry_rel_energy_cost,
                            PLANTED.industry_rel_energy_cost_high),
        "ln_absolute_fdi": (PLANTED.industry_abs_energy_cost,
                            PLANTED.industry_abs_energy_cost_high),
    }
    for dependent, (base, interaction) in planted.items():
        fit = PanelFixedEffects(panel, dependent, regressors, "industry_code", "year").fit()
        assert fit.nobs == 36 * 12
        for term, value in zip(regressors[:2], (base, interaction), strict=True):
            gap = abs(fit.params[term] - value)
            assert gap < 2 * fit.std_errors[term], (dependent, term, fit.params[term], value)
    assert PLANTED.industry_rel_energy_cost_high == pytest.approx(-0.956)


@pytest.mark.xdist_group("dbt_industry")
def test_as_of_2021_and_an_unknown_industry_is_named(industry_warehouse: Path,
                                                     truth: pd.DataFrame) -> None:
    db = industry_warehouse / "vintage.duckdb"
    shutil.copy(industry_warehouse / "build.duckdb", db)
    dbt_build(db, industry_warehouse / "target_2021", *SELECT,
              "--vars", '{"as_of_edition": "2021"}')
    panel = query(db, "select * from marts.mart_industry_panel").set_index(
        ["industry_code", "year"])
    assert panel.index.get_level_values("year").max() == 2012
    assert set(panel["edition_max"]) == {"2021"}
    printed_2021 = truth.loc[("32", 2011), "工业总产值|全部"]
    assert panel.loc[("32", 2011), "gross_output_100m_yuan"] < printed_2021  # before revision

    con = duckdb.connect(str(db))
    con.execute("update raw.industry_cells set entity = '32 黑色金属冶练及压延加工业' "
                "where entity = '32 黑色金属冶炼及压延加工业' "
                "and file = 'industry/2021/industry_main_indicators_2012.xlsx'")
    con.close()
    result = dbtRunner().invoke(["test", "--project-dir", str(DBT_PROJECT_DIR),
                                 "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path",
                                 str(industry_warehouse / "target_bad"), "--quiet", "--select",
                                 "assert_raw_industry_names_are_known"])
    assert not result.success
    # what the failing test returns: the printed name, the file and its first row
    compiled = next((industry_warehouse / "target_bad" / "compiled").rglob(
        "assert_raw_industry_names_are_known.sql"))
    failures = query(db, compiled.read_text(encoding="utf-8"))
    assert failures[["entity", "file", "first_row"]].values.tolist() == [
        ["32 黑色金属冶练及压延加工业", "industry/2021/industry_main_indicators_2012.xlsx", 29]]
    assert failures["problem"].iloc[0].startswith("unknown industry name")


def test_national_table_prefixes_match_the_layout_registry() -> None:
    """Province staging skips national tables by file prefix: the dbt list and the parsers'
    registry of non-province layouts (in province sources) must agree."""
    macro = (DBT_PROJECT_DIR / "macros" / "industry_tables.sql").read_text(encoding="utf-8")
    listed = set(re.search(r"return\(\[(.*?)\]\)", macro).group(1).replace("'", "").replace(
        " ", "").split(","))
    registry = {prefix for source, prefix, _, _, by_province in LAYOUTS
                if not by_province and source in PROVINCE_SOURCES}
    assert registry <= listed, registry - listed


@pytest.mark.xdist_group("dbt_industry")
def test_expectation_suites_pass_and_catch_a_broken_share(industry_warehouse: Path) -> None:
    from models_py.validation.runner import validate

    db = industry_warehouse / "build.duckdb"
    frames = {table: query(db, f"select * from {table}")
              for table in ("marts.mart_industry_panel", "marts.mart_carbon_price_mapping")}
    report = validate("marts", frames)
    assert report.success, report.summary()
    broken = frames["marts.mart_carbon_price_mapping"].copy()
    broken.loc[5, "energy_cost_with_carbon_yuan_per_tce"] = 1.0
    report = validate("marts", {"marts.mart_carbon_price_mapping": broken})
    assert not report.success
    assert "energy_cost_with_carbon_yuan_per_tce" in report.summary()
