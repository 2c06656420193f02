"""Studies end to end on the demo (fast path): every declared table of the shipped studies
lands in the results tables with its rows and columns, and a study declared only in a test
fixture runs with no code change."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from models_py.studies.schema import load_studies, load_study
from orchestration.assets.studies import STUDIES_DIR, build_study_assets
from orchestration.refresh import refresh, warehouse_resource
from tests.pipeline.test_end_to_end import assert_recovers_planted

FAST_YEARS = (2009, 2020)
FIXTURES = Path(__file__).resolve().parents[1] / "studies" / "fixtures"

# which results tables each kind of table fills
FILLS = {"regression": {"models", "estimates", "fit_statistics"},
         "spatial": {"models", "estimates", "fit_statistics", "effects"},
         "moran": {"moran", "local_moran"}, "spatial_tests": {"tests"}, "hausman": {"tests"},
         "descriptives": {"descriptives"}, "unit_roots": {"tests"}, "vif": {"tests"},
         "mediation": {"mediation", "tests"}, "carbon_price": {"simulation", "tests"}}


@pytest.fixture(scope="module")
def warehouse_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("studies")
    assert refresh(root, FAST_YEARS).success
    return root


def counts(root: Path, study: str) -> dict[tuple[str, str], int]:
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        out = {}
        for name in ("models", "estimates", "fit_statistics", "tests", "effects",
                     "descriptives", "moran", "local_moran", "mediation", "simulation"):
            for table_id, n in con.execute(
                    f"select table_id, count(*) from results.{name} where study = ? "
                    "group by 1", [study]).fetchall():
                out[(table_id, name)] = n
        return out
    finally:
        con.close()


@pytest.mark.xdist_group("studies_fast")
def test_fast_path_recovers_planted_elasticity(warehouse_root: Path) -> None:
    assert_recovers_planted(warehouse_root, 2020 - 2011 + 1)


@pytest.mark.xdist_group("studies_fast")
def test_every_declared_table_has_its_rows(warehouse_root: Path) -> None:
    for study in load_studies(STUDIES_DIR):
        got = counts(warehouse_root, study.name)
        for table in study.tables:
            for name in FILLS[table.kind]:
                assert got.get((table.id, name), 0) > 0, \
                    f"{study.name}/{table.id}: no rows in results.{name}"
        assert (warehouse_root / "reports" / study.name / "index.html").exists()
    study = load_study(STUDIES_DIR / "tech_imports_co2.yaml")
    # the baseline prints four columns side by side, the SDM one per W
    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "build.duckdb"),
                         read_only=True)
    titles = con.execute("select table_id, count(*), string_agg(weights, ',' order by "
                         "column_order) from results.models where study = ? group by 1",
                         [study.name]).fetchall()
    con.close()
    by_table = {t: (n, w) for t, n, w in titles}
    assert by_table["baseline"][0] == 4
    assert by_table["sdm"] == (3, "inverse_distance,inverse_distance_squared,contiguity")


@pytest.mark.xdist_group("studies_fast")
def test_a_study_declared_in_a_fixture_runs_with_no_code_change(warehouse_root: Path) -> None:
    assets = build_study_assets(FIXTURES)
    defs = dg.Definitions(assets=assets, resources={"warehouse": warehouse_resource(
        warehouse_root, FAST_YEARS)})
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success
    got = counts(warehouse_root, "industrial_co2_toy")
    assert got[("side_by_side", "models")] == 1
    assert got[("spatial", "effects")] == 2 * 3 * 5  # terms x effects x statistics
    assert got[("spatial", "estimates")] == 3 * 4  # tech, gdp, rho x 4 statistics


@pytest.mark.xdist_group("studies_fast")
def test_docs_are_comments_in_the_analysts_snapshot(warehouse_root: Path) -> None:
    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "warehouse.duckdb"),
                         read_only=True)
    try:
        tables = dict(con.execute(
            "select schema_name || '.' || table_name, comment from duckdb_tables() "
            "where schema_name in ('marts', 'results')").fetchall())
        columns = dict(con.execute(
            "select table_name || '.' || column_name, comment from duckdb_columns() "
            "where schema_name in ('marts', 'results')").fetchall())
    finally:
        con.close()
    assert "Coefficients of every fitted model" in tables["results.estimates"]
    assert tables["marts.mart_province_panel"]  # dbt's description, persisted
    assert "yearbook edition requested" in columns["estimates.as_of_edition"]
    assert columns["mart_province_panel.province_code"]


REPORT_CHECK = """(() => ({
  tables: [...document.querySelectorAll('figure.results-table')].map(f => f.id),
  images: [...document.images].map(i => i.complete && i.naturalWidth > 0),
  banner: (document.getElementById('data-origin') || {}).innerText || null,
}))()"""


@pytest.mark.xdist_group("studies_fast")
def test_the_study_report_shows_every_table_and_figure_in_chromium(warehouse_root: Path
                                                                   ) -> None:
    from tests.reports.browser import find_chromium, inspect_page

    page = warehouse_root / "reports" / "tech_imports_co2" / "index.html"
    assert page.exists() and (warehouse_root / "reports" / "index.html").exists()
    study = load_study(STUDIES_DIR / "tech_imports_co2.yaml")
    for table in study.tables:
        for suffix in ("md", "csv", "tex"):
            assert (page.parent / "tables" / f"{table.id}.{suffix}").exists(), table.id
    chromium, why = find_chromium()
    if chromium is None:
        pytest.skip(f"browser check skipped: {why}")
    screenshot = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
    report = inspect_page(chromium, page, REPORT_CHECK, screenshot / "tech_imports_co2.png")
    assert report.errors == []
    shown = report.value["tables"]
    assert len(shown) >= len(study.tables), shown
    # 6 LISA maps (2 variables x 3 years), the maps of tech, the regional paths, 3 scatters
    assert len(report.value["images"]) == 11 and all(report.value["images"])
    assert report.value["banner"].startswith("Data origin: synthetic.")


@pytest.mark.xdist_group("studies_fast")
def test_carbon_price_study_recovers_the_planted_elasticities(warehouse_root: Path) -> None:
    """Model 4 of Tables 3 and 4: b and b + d within two standard errors of the paper's values
    planted in the demo; the scenario reads them and its ACE grows in size with the price."""
    from models_py.demo.planted import PLANTED

    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "build.duckdb"),
                         read_only=True)
    try:
        for table, base, total in (
                ("table3", PLANTED.industry_rel_energy_cost,
                 PLANTED.industry_rel_energy_cost_high_total),
                ("table4", PLANTED.industry_abs_energy_cost,
                 PLANTED.industry_abs_energy_cost_high_total)):
            b, se_b = con.execute(
                "select max(value) filter (statistic = 'estimate'), max(value) filter "
                "(statistic = 'std_error') from results.estimates where study = "
                "'carbon_price_fdi' and table_id = ? and column_order = 4 and term = 'ec'",
                [table]).fetchone()
            assert abs(b - base) < 2 * se_b, (table, "b", b, base, se_b)
            scenario = "carbon_price_relative" if table == "table3" else "carbon_price_absolute"
            d = con.execute(
                "select value from results.estimates where study = 'carbon_price_fdi' and "
                "table_id = ? and column_order = 4 and term = 'ec_high' and statistic = "
                "'estimate'", [table]).fetchone()[0]
            cov = dict(((t, o), v) for t, o, v in con.execute(
                "select term, other_term, value from results.covariances where study = "
                "'carbon_price_fdi' and table_id = ? and column_order = 4 and term in "
                "('ec', 'ec_high') and other_term in ('ec', 'ec_high')", [table]).fetchall())
            se = (cov["ec", "ec"] + cov["ec_high", "ec_high"] + 2 * cov["ec", "ec_high"]) ** 0.5
            assert abs(b + d - total) < 2 * se, (table, "b + d", b + d, total, se)
            z = con.execute(
                "select statistic from results.tests where study = 'carbon_price_fdi' and "
                "table_id = ? and test like 'b + d%'", [scenario]).fetchone()[0]
            assert z == pytest.approx((b + d) / se, rel=1e-9)
            ace = con.execute(
                "select grid_value, value from results.simulation where study = "
                "'carbon_price_fdi' and table_id = ? and measure = 'ace' and unit = '32' "
                "and statistic = 'estimate' order by grid_value", [scenario]).fetchall()
            values = [v for _, v in ace]
            assert len(values) == 301 and values[0] == 0
            assert all(later < earlier for earlier, later in zip(values[1:], values[2:],
                                                                 strict=False))
    finally:
        con.close()


@pytest.mark.xdist_group("studies_fast")
def test_fdi_study_selects_the_sdm_and_recovers_the_planted_spillovers(warehouse_root: Path
                                                                       ) -> None:
    """The two-way FDI study on the demo: the tests select the planted SDM, every planted
    parameter of its main column is recovered within two standard errors (rho and the W x
    terms included), and the effects show the abstract's signs."""
    from models_py.demo.planted import PLANTED

    study = "fdi_ofdi_co2"
    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "build.duckdb"),
                         read_only=True)
    try:
        selected = con.execute("select conclusion from results.tests where study = ? and "
                               "test = 'selected_model'", [study]).fetchone()[0]
        values = {(t, s): v for t, s, v in con.execute(
            "select term, statistic, value from results.estimates where study = ? and "
            "table_id = 'main' and column_order = 1", [study]).fetchall()}
        effects = {(t, e, s): v for t, e, s, v in con.execute(
            "select term, effect, statistic, value from results.effects where study = ? and "
            "table_id = 'main' and column_order = 1", [study]).fetchall()}
    finally:
        con.close()
    assert selected.startswith("SDM")
    tra, gdp, ind, urb = PLANTED.sdm_controls
    planted = {"rho": PLANTED.sdm_rho, "fdi": PLANTED.sdm_fdi, "W_fdi": PLANTED.sdm_w_fdi,
               "ofdi": PLANTED.sdm_ofdi, "W_ofdi": PLANTED.sdm_w_ofdi,
               "fdi_ofdi": PLANTED.sdm_interaction, "W_fdi_ofdi": PLANTED.sdm_w_interaction,
               "tra": tra, "gdp": gdp, "ind": ind, "urb": urb}
    missed = [f"{term}: planted {truth}, estimate {values[term, 'estimate']:.4f} "
              f"(s.e. {values[term, 'std_error']:.4f})" for term, truth in planted.items()
              if abs(values[term, "estimate"] - truth) >= 2 * values[term, "std_error"]]
    assert not missed, "planted SDM values not recovered within 2 s.e.:\n" + "\n".join(missed)
    # the abstract: inward FDI lowers local CO2 and raises the neighbours'; OFDI lowers it;
    # the interaction raises local CO2 with no significant spillover
    assert effects["fdi", "direct", "estimate"] < 0 and effects["fdi", "direct", "p_value"] < 0.05
    assert effects["fdi", "indirect", "estimate"] > 0
    assert effects["fdi", "indirect", "p_value"] < 0.05
    assert effects["ofdi", "direct", "estimate"] < 0
    assert effects["fdi_ofdi", "direct", "estimate"] > 0
    assert effects["fdi_ofdi", "indirect", "p_value"] > 0.05


def _report_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, the build time of the pages blanked."""
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix in (".html", ".json"):
            data = re.sub(rb"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC", b"(time)", data)
        files[path.relative_to(root).as_posix()] = data
    return files


@pytest.mark.xdist_group("studies_fast")
def test_figures_drawn_in_forked_workers_give_the_serial_report(warehouse_root: Path,
                                                               tmp_path: Path) -> None:
    """build_study_report with fork_map (2 workers, as the report assets run it) writes the
    same files, HTML and figure bytes as with the builtin map; every figure task pickles."""
    from models_py.reports.study_report import build_study_report
    from models_py.studies.sample import study_variables
    from orchestration.assets.studies import WEIGHTS_MART, read_panel, read_weights
    from orchestration.parallel import fork_map
    from orchestration.results_store import read_study_results

    def pickled_map(function, items):  # serial, each task through pickle as to a process
        return [function(pickle.loads(pickle.dumps(item))) for item in items]

    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "build.duckdb"),
                         read_only=True)
    try:
        studies = [load_study(STUDIES_DIR / f"{name}.yaml")
                   for name in ("tech_imports_co2", "carbon_price_fdi")]  # every figure kind
        inputs = []
        for study in studies:
            long = con.execute(f"select * from marts.{WEIGHTS_MART}").df()
            weights = {name: pd.DataFrame(w.matrix, index=list(w.ids), columns=list(w.ids))
                       for name, w in read_weights(long, study.figure_weights).items()}
            inputs.append((study, read_study_results(con, study.name),
                           study_variables(read_panel(con, study), study), weights))
    finally:
        con.close()
    written = {}
    for mode, mapper in (("serial", pickled_map),
                         ("forked", lambda f, items: fork_map(f, items, workers=2))):
        for study, results, variables, weights in inputs:
            build_study_report(study, results, variables, weights, tmp_path / mode,
                               mapper=mapper)
        written[mode] = _report_files(tmp_path / mode)
    assert sorted(written["forked"]) == sorted(written["serial"])
    figures = [name for name in written["serial"] if "/figures/" in name]
    assert len([f for f in figures if f.endswith(".png")]) == 11 + 4, figures
    assert len([f for f in figures if f.endswith(".pdf")]) == 11 + 4, figures
    for name, data in written["serial"].items():
        assert written["forked"][name] == data, name
    assert "tech_imports_co2/index.html" in written["forked"] and "index.html" in written["forked"]
