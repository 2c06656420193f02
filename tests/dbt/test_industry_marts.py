"""The industry marts built from the demo's industry tables (and the energy balance sheets of
the mapping's base year, for electricity's grid factor): balanced, equal to the demo's truth,
the carbon-price mapping computed by hand from the files, and the planted elasticities
recovered by two-way FE."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from models_py.demo.energy_balance import balance_sheets_by_year, balance_world
from models_py.demo.industry import simulate_industry_world
from models_py.demo.industry_writers import write_industry_files
from models_py.demo.planted import PLANTED
from models_py.demo.structural import simulate_world
from models_py.demo.writers import SYNTHETIC_NOTE, write_xlsx
from models_py.estimation.linear_panels import FixedEffectsPanel
from models_py.ingest.checks import PROVINCE_SOURCES
from models_py.ingest.discover import LAYOUTS, discover_raw_files, parse_raw_file
from models_py.reference import seed
from orchestration.paths import DBT_PROJECT_DIR
from tests.dbt.dbt_cli import invoke_dbt
from tests.dbt.test_dbt_build import dbt_build, load_raw

SELECT = ("--select", "+mart_industry_panel +mart_carbon_price_mapping ref_pilot_carbon_prices "
          "assert_carbon_price_mapping_covers_every_industry", "--indirect-selection", "cautious")
BALANCE_YEARS = (2012, 2013)  # the mapping's base year (2013) and the as-of-2021 test's (2012)


def query(db: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(db))
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def industry_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The industry tables of both demo editions and the energy balance sheets of 2012-2013,
    loaded and built (seconds)."""
    root = tmp_path_factory.mktemp("industry_dbt")
    for edition in ("2021", "2023"):
        write_industry_files(root / "raw", edition)
    world = simulate_world()
    for year, sheets in balance_sheets_by_year(world, balance_world(world),
                                               BALANCE_YEARS).items():
        sheets[0] = (sheets[0][0], [*sheets[0][1], [SYNTHETIC_NOTE]])
        write_xlsx(root / "raw" / "energy" / "2021" / f"energy_balance_{year}.xlsx", sheets)
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
    assert len(panel) == 36 * 17
    assert set(panel.index.get_level_values(0)) == codes
    assert panel.groupby(level="year").size().eq(36).all()
    assert set(panel.index.get_level_values(1)) == set(range(1999, 2015 + 1))
    assert set(panel["base_year"]) == {1999}
    first_year = panel.index.get_level_values(1) == 1999
    assert panel.loc[first_year, "lag_ln_unit_energy_cost"].isna().all()
    assert panel.loc[~first_year, "lag_ln_unit_energy_cost"].notna().all()
    expected = truth.loc[panel.index]
    for column, true_column in [
        ("unit_energy_cost_yuan_per_tce", "true_unit_energy_cost"),
        ("relative_fdi", "true_rel_fdi"),
        ("energy_total_10k_tce", "total_energy_10k_tce"),
        ("absolute_fdi_real_100m_yuan", "true_abs_fdi_real"),
        ("real_wage_yuan", "true_real_wage"),
        ("rd_stock_10k_yuan", "true_rd_stock"),
        ("profitability_foreign", "true_profitability_foreign"),
        ("scale_real_100m_yuan", "true_scale"),
        ("nfa_state_real_100m_yuan", "true_nfa_state_real"),
        ("nfa_private_real_100m_yuan", "true_nfa_private_real"),
        ("ppi_deflator", "true_ppi_deflator"),
    ]:
        np.testing.assert_allclose(panel[column], expected[true_column], rtol=1e-8,
                                   err_msg=column)
    np.testing.assert_allclose(panel["ln_nfa_state"], np.log(expected["true_nfa_state_real"]))
    np.testing.assert_allclose(panel["ln_ppi"], np.log(expected["true_ppi_deflator"]))
    high = panel["is_high_energy"]
    assert (panel["high_energy"] == high.astype(int)).all() and high.groupby(level=0).first(
        ).sum() == 6
    np.testing.assert_allclose(panel["ln_unit_energy_cost_x_high_energy"],
                               panel["ln_unit_energy_cost"] * panel["high_energy"])
    # the latest edition: 2011-2012 output revised by the 2023 edition
    assert (panel.xs(2011, level="year")["edition_max"] == "2023").all()
    assert panel.loc[("32", 2011), "gross_output_100m_yuan"] == truth.loc[("32", 2011),
                                                                         "工业总产值|全部"]


@pytest.mark.xdist_group("dbt_industry")
def test_mc_starts_at_uc_over_p_and_falls_with_the_carbon_price(industry_warehouse: Path) -> None:
    mapping = query(industry_warehouse / "build.duckdb",
                    "select * from marts.mart_carbon_price_mapping")
    assert len(mapping) == 36 * 301 and set(mapping["base_year"]) == {2013}
    assert mapping.groupby("industry_code")["carbon_price_yuan_per_t"].agg(
        ["min", "max", "count"]).eq([0, 300, 301]).all().all()
    at_zero = mapping[mapping["carbon_price_yuan_per_t"] == 0].set_index("industry_code")
    np.testing.assert_allclose(at_zero["mc"], at_zero["uc_tco2_per_tce"]
                               / at_zero["p_energy_yuan_per_tce"], rtol=1e-6)
    # Q_i is the printed total, above the mapped fuels; Q_i cancels in MC
    assert (at_zero["q_total_10k_tce"] > at_zero["q_mapped_fuels_10k_tce"]).all()
    np.testing.assert_allclose(at_zero["mc_coal_equivalent"], at_zero["mc"], rtol=1e-6)
    assert (at_zero["uc_tco2_per_tce_coal_equivalent"] < at_zero["uc_tco2_per_tce"]).all()
    ordered = mapping.sort_values(["industry_code", "carbon_price_yuan_per_t"])
    assert (ordered.groupby("industry_code")["mc"].diff().dropna() < 0).all()
    at_100 = ordered[ordered["carbon_price_yuan_per_t"] == 100].set_index("industry_code")
    np.testing.assert_allclose(at_100["mc"], at_100["uc_tco2_per_tce"]
                               / (at_100["p_energy_yuan_per_tce"]
                                  + 100 * at_100["uc_tco2_per_tce"]), rtol=1e-6)
    for column in ("q_total_source", "quantity_sources", "price_sources", "factor_sources",
                   "grid_factor_source"):
        assert mapping[column].notna().all(), column
    assert at_zero.at["32", "q_total_source"].startswith(
        "energy/2023/industry_energy_2013.xlsx row ")


# by hand: NCV (kJ per printed unit's base: kg, m3, kWh), carbon content (t C/TJ), oxidation,
# printed quantity unit in base units (万吨 = 10^7 kg, 亿立方米 = 10^8 m3, 亿千瓦小时 = 10^8 kWh)
# and price unit in base units (元/吨 = per 1000 kg)
BY_HAND = {
    "原煤": (20908, 25.8, 0.98, 1e7, 1000), "焦炭": (28435, 29.2, 0.93, 1e7, 1000),
    "汽油": (43070, 18.9, 0.98, 1e7, 1000), "柴油": (42652, 20.2, 0.98, 1e7, 1000),
    "天然气": (38931, 15.3, 0.99, 1e8, 1), "电力": (3600, None, None, 1e8, 1),
}


@pytest.mark.xdist_group("dbt_industry")
def test_uc_p_and_mc_of_one_industry_by_hand_from_the_files(industry_warehouse: Path) -> None:
    """Ferrous metals (32) in 2013, from the demo's files: the 2013 energy table, the 2023
    price table, and the 2013 balance sheets with dim_grid's 2012 NDRC regional factors."""
    raw = industry_warehouse / "raw"
    cells = pd.concat([parse_raw_file(f).frame for f in discover_raw_files(raw)
                       if f.path.name in ("industry_energy_2013.xlsx", "energy_prices.xlsx",
                                     "energy_balance_2013.xlsx")])
    use = cells[cells["file"].str.endswith("industry_energy_2013.xlsx")
                & cells["entity"].str.startswith("32 ")].set_index("indicator")["value"]
    price = cells[cells["file"].str.endswith("energy_prices.xlsx") & (cells["year"] == 2013)
                  ].set_index("indicator")["value"]
    # electricity's factor: the provinces' industrial final use x their grid's 2012 factor
    flows = seed("ref_energy_balance_flows")
    industrial = flows[(flows["is_industrial"] == "true") & (flows["emission_role"] == "final")
                       & ~flows["balance_sector"].isin(["power_heat", "losses"])]["item"]
    balance = cells[cells["file"].str.endswith("energy_balance_2013.xlsx")
                    & (cells["indicator"] == "电力") & cells["item"].isin(industrial)]
    aliases = seed("ref_province_aliases").set_index("alias")["province_code"]
    grids = seed("dim_province").set_index("province_code")["power_grid"]
    factors = seed("dim_grid").query("factor_year == '2012'").set_index("grid_code")[
        "tco2_per_mwh"].astype(float)
    power = balance.groupby("entity")["value"].sum()
    grid_factor = sum(v * factors[grids[aliases[p]]] for p, v in power.items()) / power.sum()
    assert 0.5 < grid_factor < 0.9 and len(power) == 30

    co2 = bill = 0.0
    for fuel, (ncv, carbon, oxidation, base_units, price_units) in BY_HAND.items():
        base = use[fuel] * base_units  # kg, m3 or kWh
        bill += price[fuel] * base / price_units  # yuan
        co2 += (base * 1e-3 * grid_factor if carbon is None  # kWh -> MWh
                else base * ncv / 1e9 * carbon * oxidation * 44 / 12)
    q_total = use["能源消费总量"] * 1e4  # tce (electricity at 0.1229 kgce/kWh)
    uc, p = co2 / q_total, bill / q_total

    mapping = query(industry_warehouse / "build.duckdb",
                    "select * from marts.mart_carbon_price_mapping where industry_code = '32'"
                    ).set_index("carbon_price_yuan_per_t")
    assert mapping.at[0, "grid_tco2_per_mwh"] == pytest.approx(grid_factor, rel=1e-8)
    assert mapping.at[0, "uc_tco2_per_tce"] == pytest.approx(uc, rel=1e-8)
    assert mapping.at[0, "p_energy_yuan_per_tce"] == pytest.approx(p, rel=1e-8)
    for j in (0, 50, 100, 300):
        assert mapping.at[j, "mc"] == pytest.approx(uc / (p + j * uc), rel=1e-8)
    # coal equivalent: electricity at 0.302 instead of 3600 / 29307.6 kgce/kWh
    q_ce = q_total + use["电力"] * 1e8 * (0.302 - 3600 / 29307.6) / 1000
    assert mapping.at[0, "uc_tco2_per_tce_coal_equivalent"] == pytest.approx(co2 / q_ce,
                                                                             rel=1e-8)


PAPER_REGRESSORS = [  # Wang and Wu 2017 section 2.2: energy, labour, capital cost lagged
    "lag_ln_unit_energy_cost", "lag_ln_unit_energy_cost_x_high_energy", "lag_ln_real_wage",
    "ln_rd_stock", "profitability_foreign", "ln_scale", "ln_nfa_state", "ln_nfa_private",
    "ln_ppi"]  # ln capital cost is national: the year effects absorb it


@pytest.mark.xdist_group("dbt_industry")
def test_two_way_fe_recovers_the_planted_elasticities(industry_warehouse: Path) -> None:
    from linearmodels.panel import PanelOLS

    panel = query(industry_warehouse / "build.duckdb", "select * from marts.mart_industry_panel")
    panel = panel[panel["year"] >= 2000].set_index(["industry_code", "year"])
    planted = {
        "ln_relative_fdi": (PLANTED.industry_rel_energy_cost,
                            PLANTED.industry_rel_energy_cost_high_total),
        "ln_absolute_fdi": (PLANTED.industry_abs_energy_cost,
                            PLANTED.industry_abs_energy_cost_high_total),
    }
    for dependent, (base, total) in planted.items():
        fit = PanelOLS(panel[dependent], panel[PAPER_REGRESSORS], entity_effects=True,
                       time_effects=True).fit()
        assert fit.nobs == 36 * 16
        b, d = PAPER_REGRESSORS[:2]
        assert abs(fit.params[b] - base) < 2 * fit.std_errors[b], (dependent, fit.params[b])
        # b + d, the high-energy elasticity, with var(b) + var(d) + 2 cov(b, d)
        g = np.array([1.0, 1.0])
        cov = fit.cov.loc[[b, d], [b, d]].to_numpy()
        se_total = float(np.sqrt(g @ cov @ g))
        total_hat = fit.params[b] + fit.params[d]
        assert abs(total_hat - total) < 2 * se_total, (dependent, total_hat, total, se_total)
        # and the studies' estimator (PanelOLS behind FixedEffectsPanel, with its constant and
        # checks) agrees with PanelOLS called directly
        own = FixedEffectsPanel(panel.reset_index(), dependent, PAPER_REGRESSORS,
                                "industry_code", "year", time_effects=True).fit()
        np.testing.assert_allclose(own.params[b], fit.params[b], rtol=1e-6)
    assert PLANTED.industry_rel_energy_cost_high == pytest.approx(-0.956)
    assert PLANTED.industry_abs_energy_cost_high == pytest.approx(-1.258)


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
    # the 2021 edition stops in 2012: the mapping takes its last year instead of 2013
    mapped = query(db, "select distinct base_year from marts.mart_carbon_price_mapping")
    assert mapped["base_year"].tolist() == [2012]
    printed_2021 = truth.loc[("32", 2011), "工业总产值|全部"]
    assert panel.loc[("32", 2011), "gross_output_100m_yuan"] < printed_2021  # before revision

    con = duckdb.connect(str(db))
    con.execute("update raw.industry_cells set entity = '32 黑色金属冶练及压延加工业' "
                "where entity = '32 黑色金属冶炼及压延加工业' "
                "and file = 'industry/2021/industry_main_indicators_2012.xlsx'")
    con.close()
    result = invoke_dbt("test", industry_warehouse / "target_bad", "--select",
                        "assert_raw_industry_names_are_known")
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


@pytest.mark.xdist_group("dbt_industry")
def test_counterfactual_on_the_demo_brackets_the_planted_one(industry_warehouse: Path) -> None:
    """The paper's window (1999-2013; 2000-2013 with the lag): the 95 % delta-method bands of
    the ACE at 50 and 100 yuan per t, from the estimated (b, d), contain the ACE of the planted
    (b, d); high-energy industries lose FDI, the others gain."""
    from linearmodels.panel import PanelOLS

    from models_py.simulation.carbon_price import (
        EnergyCostElasticity,
        counterfactual,
        summary_table,
    )

    db = industry_warehouse / "build.duckdb"
    panel = query(db, "select * from marts.mart_industry_panel where year between 2000 and 2013")
    panel = panel.set_index(["industry_code", "year"])
    mapping = query(db, "select * from marts.mart_carbon_price_mapping")
    planted = {
        "relative": (PLANTED.industry_rel_energy_cost, PLANTED.industry_rel_energy_cost_high),
        "absolute": (PLANTED.industry_abs_energy_cost, PLANTED.industry_abs_energy_cost_high),
    }
    for measure, (b, d) in planted.items():
        fit = PanelOLS(panel[f"ln_{measure}_fdi"], panel[PAPER_REGRESSORS], entity_effects=True,
                       time_effects=True).fit()
        estimated = EnergyCostElasticity.from_fit(fit.params, fit.cov, *PAPER_REGRESSORS[:2])
        summary = summary_table(counterfactual(mapping, estimated, fdi_measure=measure))
        truth = summary_table(counterfactual(mapping, EnergyCostElasticity(b, d, np.zeros((2, 2))),
                                             fdi_measure=measure))
        assert len(summary) == 24 and summary["industry_code"].nunique() == 12
        high = summary["group"] == "high_energy"
        assert (summary.loc[high, "upper_percent"] < 0).all()
        assert (summary.loc[~high, "estimate_percent"] > 0).all()
        merged = summary.merge(truth, on=["industry_code", "carbon_price"],
                               suffixes=("", "_true"))
        assert len(merged) == 24  # the others' ranking depends on MC alone (one b for all)
        inside = merged["estimate_percent_true"].between(merged["lower_percent"],
                                                         merged["upper_percent"])
        assert inside.all(), merged.loc[~inside]
