"""The studies' multi-assets (orchestration/assets/studies.py): one step per study fits its
tables in forked workers and checks them in the same step.

One fast warehouse (the raw files and dbt, 2009-2020, no study) serves the tests; each test
materializes the carbon-price study (regressions and the scenarios that read them) or part of
it on that warehouse.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from models_py.studies.schema import load_study
from orchestration.assets import studies as study_module
from orchestration.assets.reports import build_reports_asset, report_asset_key
from orchestration.assets.studies import STUDIES_DIR, build_study_asset, table_asset_key
from orchestration.checks import RESULTS_CHECK
from orchestration.refresh import refresh, warehouse_resource
from orchestration.results_store import COLUMNS

FAST_YEARS = (2009, 2020)
STUDY = load_study(STUDIES_DIR / "carbon_price_fdi.yaml")
pytestmark = pytest.mark.xdist_group("study_assets")


@pytest.fixture(scope="module")
def warehouse_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("study_assets")
    marts = (dg.AssetSelection.all() - dg.AssetSelection.key_prefixes(["results"])
             - dg.AssetSelection.key_prefixes(["reports"]) - dg.AssetSelection.groups("publishing"))
    assert refresh(root, FAST_YEARS, selection=marts).success
    return root


def _run(root: Path, keys: list[dg.AssetKey] | None = None, report: bool = False
         ) -> dg.ExecuteInProcessResult:
    assets = [build_study_asset(STUDY), *([build_reports_asset([STUDY])] if report else [])]
    defs = dg.Definitions(assets=assets, resources={"warehouse": warehouse_resource(
        root, FAST_YEARS)})
    job = defs.resolve_implicit_global_asset_job_def()
    if keys is not None:
        job = job.get_subset(asset_selection=set(keys))
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                  raise_on_error=False)


def _rows(root: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        return {name: con.execute(f"select * from results.{name} where study = ? "
                                  "order by all", [STUDY.name]).df() for name in COLUMNS}
    finally:
        con.close()


def _materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


def _checks(result: dg.ExecuteInProcessResult) -> dict[dg.AssetKey, bool]:
    return {e.asset_key: e.passed for e in result.get_asset_check_evaluations()
            if e.check_name == RESULTS_CHECK}


def test_same_rows_with_one_worker_and_two(warehouse_root: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {table_asset_key(STUDY.name, t.id) for t in STUDY.tables}
    got = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("YCW_WORKERS", workers)
        result = _run(warehouse_root)
        assert result.success
        assert _materialized(result) == keys
        assert _checks(result) == dict.fromkeys(keys, True)
        got[workers] = _rows(warehouse_root)
    assert sum(len(f) for f in got["1"].values()) > 0
    for name in COLUMNS:
        pd.testing.assert_frame_equal(got["1"][name], got["2"][name], check_exact=True)
    # the scenarios ran after their source table, in the same step
    assert len(got["2"]["simulation"]) > 0


def test_a_subset_of_one_table_materializes_only_it(warehouse_root: Path) -> None:
    key = table_asset_key(STUDY.name, "descriptives")
    result = _run(warehouse_root, [key])
    assert result.success
    assert _materialized(result) == {key}
    assert _checks(result) == {key: True}


def test_a_failing_table_check_blocks_and_the_others_are_kept(
        warehouse_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table that writes no rows fails its blocking check: the step fails, the study's report
    does not run, and the other tables are materialized and checked."""
    real = study_module.run_table

    def no_rows_for_table4(study, table, *args, **kwargs):
        return {} if table.id == "table4" else real(study, table, *args, **kwargs)

    monkeypatch.setattr(study_module, "run_table", no_rows_for_table4)
    monkeypatch.setenv("YCW_WORKERS", "2")
    result = _run(warehouse_root, report=True)
    assert not result.success
    checks = _checks(result)
    assert checks[table_asset_key(STUDY.name, "table4")] is False
    assert checks[table_asset_key(STUDY.name, "table3")] is True
    materialized = _materialized(result)
    assert table_asset_key(STUDY.name, "table3") in materialized
    assert report_asset_key(STUDY.name) not in materialized
    # the scenario on table4 does not run on a table that failed its check
    assert table_asset_key(STUDY.name, "carbon_price_absolute") not in materialized
    assert table_asset_key(STUDY.name, "carbon_price_relative") in materialized


def test_an_error_in_one_table_keeps_the_others_and_names_it(
        warehouse_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = study_module.run_table

    def table3_raises(study, table, *args, **kwargs):
        if table.id == "table3":
            raise ValueError("planted failure of table3")
        return real(study, table, *args, **kwargs)

    monkeypatch.setattr(study_module, "run_table", table3_raises)
    monkeypatch.setenv("YCW_WORKERS", "2")
    result = _run(warehouse_root)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.event_specific_data.error.to_string()  # the cause included
    assert "table3" in message and "planted failure of table3" in message
    materialized = _materialized(result)
    assert table_asset_key(STUDY.name, "table4") in materialized
    assert table_asset_key(STUDY.name, "carbon_price_absolute") in materialized
    assert table_asset_key(STUDY.name, "table3") not in materialized
    assert table_asset_key(STUDY.name, "carbon_price_relative") not in materialized


def test_tables_checked_together_pass_and_fail_as_each_alone(warehouse_root: Path,
                                                              tmp_path: Path) -> None:
    from orchestration.checks import (
        check_study_table,
        check_study_tables_together,
        read_study_table_rows,
    )

    assert _run(warehouse_root).success
    con = duckdb.connect(str(warehouse_root / "data" / "warehouse" / "build.duckdb"),
                         read_only=True)
    try:
        ids = [t.id for t in STUDY.tables]
        rows = read_study_table_rows(con, STUDY.name, ids)
    finally:
        con.close()
    together = check_study_tables_together(STUDY.name, rows, tmp_path)
    alone = {table_id: check_study_table(STUDY.name, table_id, rows[table_id], tmp_path)
             for table_id in ids}
    assert together is not None and set(together) == set(ids)
    for table_id in ids:  # the same verdict, rows and expectations as each table alone
        assert together[table_id]["passed"] and alone[table_id]["passed"]
        assert together[table_id]["rows"] == alone[table_id]["rows"] > 0
        assert together[table_id]["expectations"] == alone[table_id]["expectations"] > 0
    # one table with a row its suite rejects (a key twice): not passed together; alone, only
    # that table fails
    broken_id = ids[0]
    name, frame = next((n, f) for n, f in rows[broken_id].items() if len(f))
    twice = pd.concat([frame, frame.iloc[:1]], ignore_index=True)
    broken = {**rows, broken_id: {**rows[broken_id], name: twice}}
    assert check_study_tables_together(STUDY.name, broken, tmp_path) is None
    assert not check_study_table(STUDY.name, broken_id, broken[broken_id], tmp_path)["passed"]
    assert check_study_table(STUDY.name, ids[1], broken[ids[1]], tmp_path)["passed"]
