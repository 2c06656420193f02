"""dbt runs in the refresh's process (orchestration/dbt_runner.py) through three dagster-dbt
functions that its subprocess runner uses: an upgrade that moves or changes them must fail here,
not in a refresh. The runner's behaviour on a real build (events, a failing test, a model error,
the build file released) is tested in tests/orchestration/test_dagster_ui_metadata.py."""

from __future__ import annotations

import inspect

import pytest
from dagster_dbt.asset_utils import (
    extract_runtime_selection_from_args,
    get_updated_cli_invocation_params_for_context,
)
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration.dbt_runner import RESULT_EVENTS, DbtInProcessResource, DbtInvocation
from orchestration.resources import dbt_resource


def _message(name: str, unique_id: str = "model.yearbook_carbon_warehouse.fct_emissions"
             ) -> DbtCoreCliEventMessage:
    return DbtCoreCliEventMessage(
        raw_event={"info": {"name": name}, "data": {"node_info": {"unique_id": unique_id}}},
        event_history_metadata={})


@pytest.mark.parametrize("name", sorted(RESULT_EVENTS))
def test_the_events_kept_are_the_ones_dagster_dbt_turns_into_results(name: str) -> None:
    assert _message(name).is_result_event
    assert not _message(name, "unit_test.yearbook_carbon_warehouse.some_case").is_result_event


def test_other_events_are_not_results() -> None:
    for name in ("NodeFinished", "NodeStart", "MainReportVersion", "JinjaLogInfo"):
        assert not _message(name).is_result_event


def test_the_selection_functions_take_what_the_runner_passes() -> None:
    cleaned, selects, excludes = extract_runtime_selection_from_args(
        ["build", "--select", "a b", "--exclude", "c", "--exclude-resource-type", "unit_test"])
    assert (cleaned, selects, excludes) == (
        ["build", "--exclude-resource-type", "unit_test"], ["a", "b"], ["c"])
    parameters = inspect.signature(get_updated_cli_invocation_params_for_context).parameters
    assert {"context", "manifest", "dagster_dbt_translator", "runtime_selects",
            "runtime_excludes"} <= set(parameters)


def test_the_resource_is_the_in_process_runner_on_this_project() -> None:
    from orchestration.paths import DBT_PROJECT_DIR

    resource = dbt_resource()
    assert isinstance(resource, DbtInProcessResource)
    assert resource.project_dir == resource.profiles_dir == str(DBT_PROJECT_DIR)


def test_a_failed_command_raises_with_dbts_error_messages() -> None:
    assert DbtInvocation("build", success=True).error() is None
    error = DbtInvocation("build", success=False,
                          errors=["Runtime Error in model mart_spatial_weights", "no table"]
                          ).error()
    assert str(error) == ("dbt build failed:\nRuntime Error in model mart_spatial_weights\n"
                          "no table")
    crashed = DbtInvocation("build", success=False, exception=RuntimeError("profile missing"))
    assert str(crashed.error()) == "dbt build failed:\nRuntimeError('profile missing')"


def test_the_build_file_is_closed_even_when_a_handle_was_left_open(tmp_path) -> None:
    """dbt-duckdb closes its database when its last handle closes: one left open (a failed or
    interrupted build) must not keep the file from this process's other connections."""
    import duckdb
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.duckdb.credentials import DuckDBCredentials
    from dbt.adapters.duckdb.environments import create

    from orchestration.dbt_runner import _release_build_file

    path = str(tmp_path / "build.duckdb")
    DuckDBConnectionManager._ENV = create(DuckDBCredentials(path=path, schema="main",
                                                            database="build"))
    handle = DuckDBConnectionManager._ENV.handle()  # never closed, as after a crash
    handle.cursor().execute("create table t as select 1 as x")
    with pytest.raises(duckdb.ConnectionException, match="different configuration"):
        duckdb.connect(path, read_only=True)
    _release_build_file()
    assert DuckDBConnectionManager._ENV is None
    con = duckdb.connect(path, read_only=True)
    assert con.execute("select x from t").fetchall() == [(1,)]
    con.close()
