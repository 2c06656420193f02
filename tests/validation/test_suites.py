"""The expectation suites: good tables pass, each planted defect fails with a clear message."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from models_py.reference import provinces
from models_py.validation.runner import validate, write_report
from orchestration.checks import build_expectation_check
from orchestration.resources import WarehouseResource

PANEL = "marts.mart_province_panel"


def good_panel() -> pd.DataFrame:
    codes = provinces()["province_code"].tolist()
    years = [2014, 2015]
    frame = pd.DataFrame([(c, y) for c in codes for y in years], columns=["province_code", "year"])
    n = len(frame)
    frame["co2_total_10kt"] = np.linspace(2000, 90000, n)
    frame["co2_industrial_10kt"] = frame["co2_total_10kt"] * 0.8
    frame["ce_10kt"] = frame["co2_industrial_10kt"] * 0.4
    for share in ("tertiary_share", "urbanisation_rate", "fiscal_expenditure_share",
                  "fdi_share_gdp"):
        frame[share] = 0.4
    frame["tech_import_stock_10k_yuan"] = 1e5
    frame["ofdi_stock_100m_yuan"] = 50.0
    frame["gdp_per_capita_real_yuan"] = 30000.0
    frame["avg_years_schooling"] = 9.0
    return frame


def test_good_panel_passes() -> None:
    report = validate("marts", {PANEL: good_panel()})
    assert report.success, report.summary()
    assert report.tables[0].n_expectations >= 15


@pytest.mark.parametrize(("defect", "fragments"), [
    (lambda f: f.assign(tertiary_share=f["tertiary_share"].where(f.index != 3, 1.4)),
     ["tertiary_share", "expect_column_values_to_be_between", "province_code=120000",
      "year=2015", "tertiary_share=1.4"]),
    (lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True),
     ["expect_compound_columns_to_be_unique", "province_code=110000, year=2014"]),
    (lambda f: f.drop(index=5),
     ["not a balanced panel of 30 province_codes", "year=2015: 29", "missing 130000"]),
    (lambda f: f.assign(tech_import_stock_10k_yuan=-1.0),
     ["tech_import_stock_10k_yuan", "60 rows fail"]),
    (lambda f: f.assign(co2_total_10kt=f["co2_total_10kt"] * 100),
     ["co2_total_10kt", "max_value': 150000"]),
    (lambda f: f.assign(province_code=f["province_code"].replace("110000", "540000")),
     ["province_code has 2 values outside the expected set"]),
    (lambda f: f.assign(ce_10kt=f["co2_industrial_10kt"] * 2),
     ["co2_industrial_10kt, ce_10kt", "expect_column_pair_values_a_to_be_greater_than_b"]),
])
def test_planted_defects_fail_with_the_offending_rows(defect, fragments) -> None:
    report = validate("marts", {PANEL: defect(good_panel())})
    assert not report.success
    text = report.summary()
    assert text.startswith(PANEL)
    for fragment in fragments:
        assert fragment in text, text


def test_results_suite_checks_long_results_tables() -> None:
    keys = {"study": "s", "table_id": "t", "model": "m", "variant": "main", "column_order": 1}
    good = pd.DataFrame([{**keys, "term": "x", "statistic": "estimate", "value": 0.1},
                         {**keys, "term": "x", "statistic": "std_error", "value": 0.01}])
    assert validate("results", {"results.estimates": good}).success
    duplicated = pd.concat([good, good.iloc[[0]]], ignore_index=True)
    text = validate("results", {"results.estimates": duplicated}).summary()
    assert "expect_compound_columns_to_be_unique" in text
    moran = pd.DataFrame({"study": "s", "table_id": "t", "variable": "y", "weights": "w",
                          "year": [2011, 2012], "moran_i": [0.2, 1.8], "p_value": [0.01, 1.5]})
    text = validate("results", {"results.moran": moran}).summary()
    assert "moran_i" in text and "p_value" in text


def test_a_check_that_applies_no_expectation_or_meets_an_empty_table_fails() -> None:
    unrelated = pd.DataFrame({"something": [1.0]})
    report = validate("results", {"results.estimates": unrelated})
    assert not report.success
    assert "no expectation of the results suite applies" in report.summary()
    empty = pd.DataFrame({"study": [], "table_id": [], "variable": [], "statistic": [],
                          "value": []})
    report = validate("results", {"results.descriptives": empty})
    assert not report.success and "is empty (0 rows)" in report.summary()


def test_the_layer_page_lists_every_table_checked(tmp_path: Path) -> None:
    write_report(validate("marts", {PANEL: good_panel()}), tmp_path)
    keys = {"study": "s", "table_id": "t", "model": "m", "variant": "main", "column_order": 1}
    estimates = pd.DataFrame([{**keys, "term": "x", "statistic": "estimate", "value": 0.1}])
    page = write_report(validate("results", {"results.estimates": estimates}), tmp_path)
    text = page.read_text(encoding="utf-8")
    assert PANEL in text and "results.estimates" in text


def test_report_files(tmp_path: Path) -> None:
    report = validate("marts", {PANEL: good_panel().drop(index=5)})
    html_path = write_report(report, tmp_path)
    assert "balanced panel" in html_path.read_text(encoding="utf-8")
    assert (tmp_path / f"{PANEL}.json").exists()


def test_failing_check_blocks_downstream_assets(tmp_path: Path) -> None:
    warehouse = WarehouseResource(root=str(tmp_path))

    @dg.asset(key="mart_province_panel")
    def panel(warehouse: WarehouseResource) -> None:
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts")
            bad = good_panel().drop(index=5)  # unbalanced
            con.register("bad", bad)
            con.execute("create or replace table marts.mart_province_panel as select * from bad")

    @dg.asset(deps=["mart_province_panel"])
    def estimate() -> None:
        raise AssertionError("must not run after a failed blocking check")

    check = build_expectation_check("marts", dg.AssetKey("mart_province_panel"), PANEL)
    defs = dg.Definitions(assets=[panel, estimate], asset_checks=[check],
                          resources={"warehouse": warehouse})
    job = dg.define_asset_job("all", selection="*").resolve(asset_graph=defs.resolve_asset_graph())
    result = job.execute_in_process(raise_on_error=False, resources={"warehouse": warehouse})
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 1 and not evaluations[0].passed
    assert "balanced panel" in evaluations[0].description
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("mart_province_panel") in materialized
    assert dg.AssetKey("estimate") not in materialized
    validation = tmp_path / "reports" / "validation" / "marts"
    assert (validation / "index.html").exists()
    assert (validation / "gx_data_docs" / "index.html").exists()  # GE's own data docs
    assert list((validation / "gx_data_docs" / "validations").rglob("*.html"))


def test_real_low_emitters_pass_the_calibrated_bounds() -> None:
    """Ningxia's published 0.81 Mt of 2000 (real CEADs) is a plausible provincial total."""
    frame = good_panel()
    ningxia = (frame["province_code"] == "640000") & (frame["year"] == 2014)
    frame.loc[ningxia, ["co2_total_10kt", "co2_industrial_10kt", "ce_10kt"]] = [81.4, 60.0, 20.0]
    report = validate("marts", {PANEL: frame})
    assert report.success, report.summary()


def test_an_empty_mart_fails_its_check() -> None:
    report = validate("marts", {PANEL: good_panel().iloc[0:0]})
    assert not report.success
    assert "marts.mart_province_panel: is empty (0 rows)" in report.summary()


def test_reconciliation_gap_warns_with_the_worst_rows_and_does_not_block() -> None:
    codes = provinces()["province_code"].tolist()
    frame = pd.DataFrame({"province_code": codes, "year": 2015,
                          "scope1_energy_mt_computed": 100.0,
                          "scope1_energy_gap_rel": [0.01] * 27 + [0.2, -0.4, 0.3]})
    report = validate("marts", {"marts.mart_emissions_reconciliation": frame})
    assert report.success, report.summary()
    (warning,) = report.warnings
    assert warning.unexpected_count == 3
    assert warning.examples[0].startswith(f"province_code={codes[28]}")  # -0.4: the worst
    assert "warning: beyond the stated tolerance" in report.summary()


def test_validations_in_one_process_are_independent(tmp_path: Path) -> None:
    """The runner keeps one GE context per process and docs folder: validating a table name
    again, with another frame or another suite, gives that frame's and that suite's result."""
    from models_py.validation.suites import LayerSuite, TableSuite

    docs = tmp_path / "gx_data_docs"
    assert validate("marts", {PANEL: good_panel()}, docs_dir=docs).success
    bad = good_panel().assign(tertiary_share=lambda f: f["tertiary_share"].where(f.index != 3, 1.4))
    report = validate("marts", {PANEL: bad}, docs_dir=docs)
    assert not report.success
    assert "province_code=120000, year=2015, tertiary_share=1.4" in report.summary()
    assert validate("marts", {PANEL: good_panel()}, docs_dir=docs).success
    # the same table name under another suite: only that suite's expectations run
    other = LayerSuite("marts", (TableSuite(PANEL, ("province_code", "year"), (
        ("expect_column_values_to_be_between", {"column": "year", "min_value": 2015}),)),))
    report = validate("marts", {PANEL: good_panel()}, other, docs_dir=docs)
    assert report.tables[0].n_expectations == 1
    (failure,) = report.failures
    assert failure.unexpected_count == 30 and "year=2014" in failure.message
    # another table into the same docs: the site shows the latest validation of each table
    estimates = pd.DataFrame([{"study": "s", "table_id": "t", "column_order": 1, "term": "x",
                               "statistic": "estimate", "value": 0.1}])
    assert validate("results", {"results.estimates": estimates}, docs_dir=docs).success
    pages = sorted(p.relative_to(docs).parts[:3] for p in (docs / "validations").rglob("*.html"))
    assert pages == [("validations", "marts", "mart_province_panel"),
                     ("validations", "results", "estimates")]
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "mart_province_panel" in index and "estimates" in index


def test_a_check_reads_only_the_columns_its_suite_needs() -> None:
    """columns_to_read: the key and the checked columns with their values; the others only by
    name when the suite checks the column list, not at all otherwise; everything when nothing
    applies (the failure lists the columns)."""
    from models_py.validation.runner import columns_to_read
    from models_py.validation.suites import load_layer_suite

    raw = load_layer_suite("raw").for_table("raw.nbs_cells")
    columns = ["source", "edition", "file", "sheet", "row_number", "column_name", "entity",
               "item", "indicator", "unit", "year", "value", "value_text", "origin"]
    plan = columns_to_read(raw, columns)
    assert list(plan) == columns  # every name, in order, for the column-list expectation
    assert [c for c, values in plan.items() if values] == [
        "edition", "file", "sheet", "row_number", "column_name", "entity", "year", "origin"]
    panel = load_layer_suite("marts").for_table(PANEL)
    plan = columns_to_read(panel, [*good_panel().columns, "region", "ln_gdp"])
    assert "region" not in plan and "ln_gdp" not in plan and all(plan.values())
    assert {"province_code", "year", "tertiary_share"} <= set(plan)
    estimates = load_layer_suite("results").for_table("results.estimates")
    assert columns_to_read(estimates, ["something"]) == {"something": True}
    # the pruned frame gives the report of the whole one
    bad = good_panel().assign(region="east", tertiary_share=lambda f: f["tertiary_share"]
                              .where(f.index != 3, 1.4))
    pruned = bad[list(columns_to_read(panel, list(bad.columns)))]
    assert validate("marts", {PANEL: pruned}).summary() == validate("marts", {PANEL: bad}).summary()


def test_a_long_table_of_cells_names_its_offending_rows() -> None:
    """Long tables go to GE with their columns of few strings as categoricals: the failures
    still name the offending rows by key, as on a short table."""
    n = 12_000
    cells = pd.DataFrame({
        "source": "nbs", "edition": "2021", "file": [f"nbs/2021/t{i % 40}.csv" for i in range(n)],
        "sheet": "Sheet1", "row_number": np.arange(n) // 40, "column_name": "2015年",
        "entity": "北京", "item": "x", "indicator": "gdp", "unit": "亿元", "year": 2015,
        "value": 1.0, "value_text": None, "origin": "synthetic"})
    cells.loc[7, "origin"] = "fake"
    cells.loc[11, "edition"] = "20x1"
    cells.loc[13, "entity"] = None
    text = validate("raw", {"raw.nbs_cells": cells}).summary()
    assert "column origin has 1 values outside the expected set" in text, text
    assert ("file=nbs/2021/t7.csv, sheet=Sheet1, row_number=0, column_name=2015年, "
            "origin=fake") in text
    assert "edition: 1 rows fail expect_column_values_to_match_regex_per_value" in text
    assert "row_number=0, column_name=2015年, edition=20x1" in text
    assert "entity: 1 rows fail expect_column_values_to_not_be_null" in text


def test_data_docs_render_every_page_of_a_raw_table(tmp_path: Path, caplog) -> None:
    """GE's data docs page of a table whose suite checks its column list needs that list's
    observed value: the result form kept for the docs must hold it (BOOLEAN_ONLY does not,
    and GE then logs a rendering error and leaves the page without its columns)."""
    cells = pd.DataFrame({
        "source": "nbs", "edition": "2021", "file": "nbs/2021/t.csv", "sheet": "Sheet1",
        "row_number": range(50), "column_name": "2015年", "entity": "北京", "item": "x",
        "indicator": "gdp", "unit": "亿元", "year": 2015, "value": 1.0, "value_text": None,
        "origin": "synthetic"})
    docs = tmp_path / "gx_data_docs"
    with caplog.at_level("ERROR", logger="great_expectations"):
        assert validate("raw", {"raw.nbs_cells": cells}, docs_dir=docs).success
    assert not [r for r in caplog.records if "data docs rendering" in r.getMessage()]
    (page,) = (docs / "validations" / "raw" / "nbs_cells").rglob("*.html")
    text = page.read_text(encoding="utf-8")
    assert "value_text" in text and "Successful Expectations" in text
