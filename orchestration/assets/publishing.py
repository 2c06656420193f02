"""Publishing: after the marts and results are built, replace the analysts' snapshot atomically."""


import dagster as dg

from orchestration.publish import publish_snapshot
from orchestration.resources import WarehouseResource


def build_snapshot_asset(upstream: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The snapshot depends on every asset it publishes (the marts, reference tables, study
    results and reports), so it is built last. Its eager automation condition republishes it
    after a user materializes any of them in the UI (the daemon of ``make ui`` evaluates it
    through ``snapshot_automation_sensor`` in orchestration/definitions.py)."""
    deps = [spec.key for assets_def in upstream for spec in assets_def.specs
            if spec.group_name not in ("raw", "staging", "intermediate")]

    @dg.asset(
        name="published_warehouse",
        group_name="publishing",
        deps=deps,
        kinds={"duckdb"},
        # eager: after any upstream materialization, once no upstream asset is missing or in
        # progress (a refresh_all run publishes it itself, which counts as handled)
        automation_condition=dg.AutomationCondition.eager(),
        description=(
            "Read-only snapshot of the marts, reference tables and results "
            "(data/warehouse/warehouse.duckdb) for analysts: written to a new file, then renamed "
            "over the previous one, so a reader never meets a lock or a half-built table. "
            "Refreshed automatically after any upstream materialization while `make ui` runs "
            "(once every upstream asset has been materialized); otherwise materialize it."
        ),
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        if warehouse.as_of_edition:
            context.log.info(f"Built as of edition {warehouse.as_of_edition} in "
                             f"{warehouse.paths.build_db}: not published over the analysts' "
                             "snapshot.")
            return dg.MaterializeResult(metadata={"published": False,
                                                  "build": str(warehouse.paths.build_db)})
        warehouse.release()  # the copy attaches the build file from its own DuckDB instance
        names = publish_snapshot(warehouse.paths.build_db, warehouse.paths.snapshot_db)
        context.log.info(f"Published {len(names)} tables to {warehouse.paths.snapshot_db}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(warehouse.paths.snapshot_db)),
                "tables": dg.MetadataValue.json(names),
            }
        )

    return published_warehouse
