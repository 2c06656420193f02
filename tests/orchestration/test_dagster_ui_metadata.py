"""What users see in the Dagster UI: row counts and column types on every dbt asset, a description
on every dbt check, singular dbt tests as checks on their asset, and a snapshot that republishes
itself after an upstream materialization.

One fast build (the raw files and dbt, 2011-2016) serves the tests; one more dbt run on it, with
a planted bad value and a dropped seed table, shows that failures still surface."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.dbt import describe_dbt_test, warehouse_dbt_models
from orchestration.definitions import defs
from orchestration.refresh import refresh

DBT_KEYS = set(warehouse_dbt_models.keys)


def _manifest() -> dict:
    from orchestration.dbt_manifest import MANIFEST_PATH

    return json.loads(MANIFEST_PATH.read_text())


def _materializations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetMaterialization]:
    return {e.asset_key.to_user_string(): e.event_specific_data.materialization
            for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}


def _check_evaluations(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], bool]:
    return {(e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name):
            e.event_specific_data.passed
            for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("ui_metadata")
    selection = dg.AssetSelection.groups("raw") | dg.AssetSelection.assets(*DBT_KEYS)
    result = refresh(root, years=(2011, 2016), selection=selection)
    assert result.success
    return root, result


def _count(root: Path, relation: str) -> int:
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        return con.execute(f"select count(*) from {relation}").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.xdist_group("ui_metadata")
def test_every_dbt_asset_carries_its_row_count_and_column_types(built) -> None:
    root, result = built
    materialized = _materializations(result)
    dbt_keys = {key.to_user_string() for key in DBT_KEYS}
    assert dbt_keys <= set(materialized)  # every model and seed
    for key in dbt_keys:
        metadata = materialized[key].metadata
        assert metadata["dagster/row_count"].value >= 0, key
        assert metadata["dagster/column_schema"].value.columns, key
    panel = materialized["mart_province_panel"].metadata
    assert panel["dagster/row_count"].value == _count(root, "marts.mart_province_panel") > 0
    columns = {c.name: c for c in panel["dagster/column_schema"].value.columns}
    assert columns["year"].type == "INTEGER"
    assert columns["province_code"].type == "VARCHAR"
    assert columns["province_code"].description == "GB/T 2260 code."  # persisted YAML docs
    seed = materialized["dim_province"].metadata
    assert seed["dagster/row_count"].value == _count(root, "marts.dim_province")


@pytest.mark.xdist_group("ui_metadata")
def test_singular_dbt_tests_are_checks_on_their_asset(built) -> None:
    _, result = built
    manifest = _manifest()
    singular = {node["name"]: node["config"]["meta"]["dagster"]["ref"]["name"]
                for node in manifest["nodes"].values()
                if node["resource_type"] == "test" and "test_metadata" not in node}
    assert len(singular) == 9
    check_keys = defs.resolve_asset_graph().asset_check_keys
    evaluated = _check_evaluations(result)
    for name, asset in singular.items():
        assert dg.AssetCheckKey(dg.AssetKey(asset), name) in check_keys, name
        assert evaluated[(asset, name)] is True, name
    assert not [e for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"]


def test_every_dbt_check_says_what_it_tests() -> None:
    specs = {(s.asset_key.to_user_string(), s.name): s.description
             for s in warehouse_dbt_models.check_specs}
    # one column_rules test per model, not one per column and rule (212 rules in all)
    assert 50 <= len(specs) <= 60
    for key, description in specs.items():
        assert description and description.startswith("dbt test "), key
        assert "No description provided" not in description, key
    panel = "mart_province_panel"
    assert specs[(panel, "column_rules_mart_province_panel")] == (
        "dbt test column_rules: columns province_code, year of mart_province_panel each have no "
        "nulls; column region of mart_province_panel takes only the values east, central, west; "
        "no two rows of mart_province_panel share the same (province_code, year); every "
        "province_code of mart_province_panel is a province_code of dim_province (an offending "
        "row names its rule and column in failed_rule)")
    assert specs[(panel, "not_null_mart_province_panel_co2_total_10kt")] == (  # a warning
        "dbt test not_null: column co2_total_10kt of mart_province_panel has no nulls")
    assert specs[("dim_fuel", "column_rules_dim_fuel")].startswith(
        "dbt test column_rules: columns fuel_code, name_zh of dim_fuel each have no nulls; "
        "columns fuel_code, name_zh of dim_fuel each have no duplicate values")
    assert specs[("int_province_capital_stocks",
                  "unique_combination_int_province_capital_stocks_province_code__year")] == (
        "dbt test unique_combination: no two rows of int_province_capital_stocks share the same "
        "(province_code, year)")
    singular = specs[("mart_carbon_price_mapping",
                      "assert_carbon_price_mapping_covers_every_industry")]
    assert "Every study industry is in the carbon-price mapping." in singular


def test_a_column_rules_test_is_described_rule_by_rule() -> None:
    test = {"name": "column_rules_m", "column_name": None, "config": {"where": "year > 2000"},
            "test_metadata": {"name": "column_rules", "kwargs": {
                "not_null": ["a"], "unique": ["a", "b"], "accepted_values": {"c": [1, 2]},
                "unique_combination": [["a", "d"]],
                "relationships": {"e": {"to": "ref('dim_province')", "field": "province_code"}},
                "model": "{{ get_where_subquery(ref('m')) }}"}}}
    assert describe_dbt_test(test, "m") == (
        "dbt test column_rules: column a of m has no nulls; columns a, b of m each have no "
        "duplicate values; column c of m takes only the values 1, 2; no two rows of m share the "
        "same (a, d); every e of m is a province_code of dim_province (an offending row names "
        "its rule and column in failed_rule), among rows where year > 2000")


def test_the_snapshot_republishes_after_an_upstream_materialization() -> None:
    snapshot = defs.resolve_assets_def("published_warehouse").specs_by_key[
        dg.AssetKey("published_warehouse")]
    assert snapshot.automation_condition is not None
    assert snapshot.automation_condition.get_label() == "eager"
    assert "Refreshed automatically after any upstream materialization while `make ui` runs" \
        in snapshot.description
    sensor = defs.resolve_sensor_def("snapshot_automation_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    graph = defs.resolve_asset_graph()
    assert sensor.asset_selection.resolve(graph) == {dg.AssetKey("published_warehouse")}


@pytest.mark.xdist_group("ui_metadata")
def test_a_failing_dbt_test_fails_its_check_and_a_model_error_the_run(built) -> None:
    # last in this file: it changes the module's build
    root, _ = built
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"))
    try:  # a region the panel's column_rules test rejects, and a seed table gone
        con.execute("update marts.dim_province set region = 'nowhere' "
                    "where province_code = '110000'")
        con.execute("drop table reference.ref_province_contiguity")
    finally:
        con.close()
    selection = dg.AssetSelection.assets("mart_province_panel", "mart_spatial_weights")
    result = refresh(root, years=(2011, 2016), selection=selection, raise_on_error=False)
    assert not result.success
    beijing = "marts.mart_province_panel where province_code = '110000'"
    materialized = _materializations(result)
    assert "mart_spatial_weights" not in materialized  # its model failed
    panel = materialized["mart_province_panel"].metadata
    assert panel["dagster/row_count"].value == _count(root, "marts.mart_province_panel")
    evaluated = _check_evaluations(result)
    assert evaluated[("mart_province_panel", "column_rules_mart_province_panel")] is False
    # the check names the broken rule, its column and the offending value (the test's rows)
    described = {e.event_specific_data.check_name: e.event_specific_data.description
                 for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert described["column_rules_mart_province_panel"] == (
        f"accepted_values(region): {_count(root, beijing)} rows, e.g. nowhere")
    # the step fails with dbt's own error, naming the model and the table it missed
    [failure] = [e.event_specific_data.error.cause.message for e in result.all_events
                 if e.event_type_value == "STEP_FAILURE"]
    assert failure.startswith("orchestration.dbt_runner.DbtBuildError: dbt build")
    assert "mart_spatial_weights" in failure and "ref_province_contiguity" in failure
    # dbt ran in this process and released the build file: another process can write it
    subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])"
                    ".execute('create table main.written_after_dbt as select 1 as x')",
                    str(root / "data" / "warehouse" / "build.duckdb")], check=True)
