"""The terminal's step lines (orchestration/progress.py): a failed non-blocking check says why,
also when it is a dbt test, which carries no description."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import dagster as dg

from orchestration.progress import ProgressHandler


def _record(kind: str, step: str, data=None) -> logging.LogRecord:
    record = logging.LogRecord("dagster", logging.DEBUG, __file__, 0, "", None, None)
    record.dagster_meta = {"dagster_event": SimpleNamespace(
        event_type_value=kind, step_key=step, event_specific_data=data)}
    return record


def _failed_check(description, metadata) -> SimpleNamespace:
    return SimpleNamespace(passed=False, asset_key=dg.AssetKey("stg_nbs__province_indicators"),
                           check_name="warn_source_without_a_year_others_have",
                           description=description, metadata=metadata)


def test_a_failed_dbt_test_says_how_many_rows_and_where_they_are() -> None:
    stream = io.StringIO()
    handler = ProgressHandler(total_steps=1, stream=stream)
    handler.emit(_record("STEP_START", "warehouse_dbt_models"))
    handler.emit(_record("ASSET_MATERIALIZATION", "warehouse_dbt_models", SimpleNamespace(
        materialization=SimpleNamespace(asset_key=dg.AssetKey("stg_nbs__province_indicators"),
                                        metadata={"dagster/row_count": 120}))))
    handler.emit(_record("ASSET_CHECK_EVALUATION", "warehouse_dbt_models", _failed_check(
        None, {"dagster_dbt/failed_row_count": dg.MetadataValue.int(3)})))
    handler.emit(_record("STEP_SUCCESS", "warehouse_dbt_models"))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[1/1] stg_nbs__province_indicators: 120 rows, 0 checks passed, "
                               "1 failed ("), lines
    assert lines[1] == ("  check failed (not blocking): stg_nbs__province_indicators: "
                        "warn_source_without_a_year_others_have")
    assert lines[2] == ("    3 offending rows (dbt test; its SQL and rows: "
                        "reports/logs/dbt_build.log)")
    assert len(lines) == 3


def test_a_failed_expectation_check_prints_its_own_description() -> None:
    stream = io.StringIO()
    handler = ProgressHandler(total_steps=0, stream=stream)
    handler.emit(_record("STEP_START", "check_step"))
    handler.emit(_record("ASSET_CHECK_EVALUATION", "check_step", _failed_check(
        "marts.x: 2 rows fail expect_column_values_to_not_be_null", {})))
    handler.emit(_record("STEP_SUCCESS", "check_step"))
    assert stream.getvalue().splitlines()[-1] == (
        "    marts.x: 2 rows fail expect_column_values_to_not_be_null")
