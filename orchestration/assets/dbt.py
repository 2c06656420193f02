"""dbt layer: staging, intermediate and marts as Dagster assets (one asset per dbt model/seed).

dbt tests are loaded as Dagster asset checks, so a failing data test shows on the asset it tests.
The manifest must exist before the definitions load: ``orchestration.cli prepare`` (run by every
make target) parses the project.
"""

import contextlib
import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_manifest import parse_dbt_project
from orchestration.paths import DBT_PROJECT_DIR
from orchestration.resources import WarehouseResource

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
LATEST_EDITION = "9999"
parse_dbt_project(force=False)  # a fresh clone has no manifest yet

class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Asset keys are the model and seed names (``mart_province_panel``); sources keep
    ``raw/<table>``. Groups follow the layer (the folder under models/); seeds are ``reference``.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseDbtTranslator(),
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
):
    # dbt runs as a subprocess that inherits this environment; profiles.yml reads the path.
    os.environ["WAREHOUSE_DB_PATH"] = str(warehouse.paths.build_db)
    # The vintage has one owner, the warehouse resource: "9999" takes the latest edition.
    dbt_vars = json.dumps({"as_of_edition": warehouse.as_of_edition or LATEST_EDITION})
    # dbt's console log goes to a file (the Dagster UI keeps each model's events); dagster-dbt
    # writes it to sys.stdout.
    log_path = warehouse.paths.reports_dir / "logs" / "dbt_build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        yield from dbt.cli(["build", "--vars", dbt_vars], context=context).stream()
