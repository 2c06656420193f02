"""The province world tells the two provincial studies' stories, recovered from the demo FILES.

The demo yearbook is written for 2004-2020 (both studies' samples), loaded and built by dbt;
the tests estimate on mart_province_panel as an analyst would and compare with planted.py:
- technology-import study (paper 001, 2011-2020): two-way FE, paper's controls, every planted
  coefficient of Tables 3 (col. 4), 4, 10 and 11 within two standard errors;
- two-way FDI study (paper 000, 2004-2019): SDM with two-way FE on the row-standardised
  inverse-distance W by Lee and Yu's transformation approach; every planted parameter and
  effect within two standard errors, and the abstract's signs;
- global Moran's I of ce, tech and ln industrial CO2 in levels positive and significant.
A failure names the parameter, the truth, the estimate and the standard error.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from models_py.demo.generate import write_demo_yearbook
from models_py.demo.structural import simulate_world
from models_py.reference import provinces
from models_py.spatial.weights import inverse_distance_weights
from tests.dbt.test_dbt_build import dbt_build, load_raw
from tests.demo.recovery import (
    FDI_SAMPLE,
    TECH_SAMPLE,
    moran_by_year,
    sdm_recovery,
    tech_recovery,
    world_panel,
)

YEARS = (2004, 2020)


def _codes_and_w() -> tuple[list[str], np.ndarray]:
    prov = provinces()
    w = inverse_distance_weights(prov["centroid_lon"].to_numpy(), prov["centroid_lat"].to_numpy())
    return prov["province_code"].tolist(), w


def _assert_recovered(table: pd.DataFrame) -> None:
    bad = table[(table["estimate"] - table["truth"]).abs() >= 2 * table["se"]]
    assert bad.empty, "planted values not recovered within 2 SE:\n" + "\n".join(
        f"{r.equation} / {r.term}: truth {r.truth:.4f}, estimate {r.estimate:.4f}, "
        f"SE {r.se:.4f}" for r in bad.itertuples())


@pytest.fixture(scope="module")
def mart_panel(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("province_world")
    write_demo_yearbook(root / "raw", years=YEARS)
    load_raw(root / "raw", root / "build.duckdb")
    dbt_build(root / "build.duckdb", root / "target", "--select", "+mart_province_panel",
              "+mart_emissions_factor_intensity", "--indirect-selection", "cautious")
    # same configuration as dbt's in-process connection (DuckDB shares one instance per file)
    con = duckdb.connect(str(root / "build.duckdb"))
    try:
        return con.execute("select * from marts.mart_province_panel").df()
    finally:
        con.close()


def test_generator_series_recover_both_studies() -> None:
    """The generator's own series (full span) recover every planted value: the world is what
    planted.py says before any file is written."""
    world = simulate_world()
    codes, w = _codes_and_w()
    panel = world_panel(world)
    _assert_recovered(tech_recovery(panel))
    _assert_recovered(sdm_recovery(panel, w, codes)[0])


@pytest.mark.xdist_group("province_world")
def test_technology_import_study_recovered_from_the_files(mart_panel: pd.DataFrame) -> None:
    table = tech_recovery(mart_panel)
    assert len(table) == 58
    _assert_recovered(table)
    sample = mart_panel[mart_panel["year"].between(*TECH_SAMPLE)]
    assert len(sample.dropna(subset=["ce", "tech", "ino", "gdp", "ind", "ei", "tra", "edu",
                                     "fin"])) == 300
    # the paper's orders of magnitude (Table 1)
    assert 1.5 < sample["gdp"].min() and sample["gdp"].max() < 20
    assert 0.06 < sample["ei"].mean() < 0.2
    assert 7.5 < sample["edu"].mean() < 10.5


@pytest.mark.xdist_group("province_world")
def test_two_way_fdi_study_recovered_from_the_files(mart_panel: pd.DataFrame) -> None:
    codes, w = _codes_and_w()
    table, effects = sdm_recovery(mart_panel, w, codes)
    _assert_recovered(table)

    def t(regressor: str, kind: str) -> float:
        value, se = effects[regressor][kind]
        return value / se

    # the abstract's story: inward FDI lowers local CO2 and raises the neighbours'; OFDI lowers
    # it; the interaction raises local CO2 with no significant spillover
    assert t("ln_fdi", "direct") < -1.96 and t("ln_fdi", "indirect") > 1.96
    assert t("ln_ofdi_stock", "direct") < -1.96
    assert t("fdi_x_ofdi_centred", "direct") > 1.96
    assert abs(t("fdi_x_ofdi_centred", "indirect")) < 1.96


@pytest.mark.xdist_group("province_world")
def test_levels_cluster_in_space(mart_panel: pd.DataFrame) -> None:
    """Global Moran's I (row-standardised 1/d W) of the levels: positive every year, and
    significant at 5 % in most years (the papers' Tables 5-7 and the FDI study's abstract)."""
    codes, w = _codes_and_w()
    for column, years in (("ce", TECH_SAMPLE), ("tech", TECH_SAMPLE),
                          ("ln_co2_industrial", FDI_SAMPLE)):
        moran = moran_by_year(mart_panel, column, w, codes, years)
        assert (moran["moran_i"] > 0).all(), (column, moran)
        assert (moran["p"] < 0.05).mean() > 0.5, (column, moran)


@pytest.mark.xdist_group("province_world")
def test_mart_columns_are_the_generators_variables(mart_panel: pd.DataFrame) -> None:
    """The mart computes the papers' variables from the files exactly as the generator defines
    them (ce with scope 2, tech based at 2011, the controls in the paper's units, the
    interaction centred on the 2004-2019 means)."""
    truth = world_panel(simulate_world(YEARS)).set_index(["province_code", "year"])
    mart = mart_panel.set_index(["province_code", "year"]).reindex(truth.index)
    sample = truth.index.get_level_values("year") >= 2011
    for column in ("ce1", "ce2", "ce3", "ce4", "ino", "gdp", "ind", "ei", "tra", "edu", "fin",
                   "ln_co2_industrial", "fdi_x_ofdi_centred"):
        np.testing.assert_allclose(mart[column], truth[column], rtol=1e-6, atol=1e-6,
                                   err_msg=column)
    # scope 2 comes from electricity printed to 2 decimals (亿kWh): about 1e-5 ln points
    np.testing.assert_allclose(mart["ce"], truth["ce"], atol=1e-4, err_msg="ce")
    np.testing.assert_allclose(mart.loc[sample, "tech"], truth.loc[sample, "tech"], rtol=1e-8,
                               err_msg="tech")
    assert mart.loc[~sample, "tech"].isna().all()
