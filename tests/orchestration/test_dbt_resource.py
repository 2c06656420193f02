"""The dbt resource skips dagster-dbt's `dbt --version` subprocess and its in-process adapter
(orchestration/resources.py): the private methods it overrides must still be dagster-dbt's."""

from __future__ import annotations

import inspect

from dagster_dbt import DbtCliResource
from dbt.version import __version__ as dbt_core_version

from orchestration.resources import WarehouseDbtResource, dbt_resource


def test_the_overridden_methods_are_still_dagster_dbts() -> None:
    # an upgrade that renames them would silently bring the 5 s back: fail here instead
    assert "_cli_version" in dict(inspect.getmembers(DbtCliResource))
    source = inspect.getsource(DbtCliResource.cli)
    assert "self._cli_version" in source and "self._initialize_dbt_core_adapter(" in source


def test_the_version_is_the_installed_dbt_cores_and_no_adapter_is_made() -> None:
    resource = dbt_resource()
    assert isinstance(resource, WarehouseDbtResource)
    assert str(resource._cli_version) == dbt_core_version
    assert resource._cli_version.major == 1  # dbt Core, not the Fusion engine (2.x)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
