"""The one Definitions object of the project:
raw files -> dbt marts -> study results -> the analysts' snapshot."""

from __future__ import annotations

import dagster as dg

from models_py.studies.schema import load_studies  # noqa: E402
from orchestration.assets.dbt import warehouse_dbt_models
from orchestration.assets.publishing import build_snapshot_asset
from orchestration.assets.raw import RAW_SOURCES, raw_assets, yearbook_files
from orchestration.assets.reports import build_reports_asset
from orchestration.assets.studies import STUDIES_DIR, build_study_assets
from orchestration.checks import build_validation_checks
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.schedules import new_yearbook_edition_sensor, yearly_refresh_schedule

study_assets = build_study_assets()
report_assets = [build_reports_asset(load_studies(STUDIES_DIR))]
published_warehouse = build_snapshot_asset([warehouse_dbt_models, *study_assets,
                                            *report_assets])


def _dbt_models_in(group: str) -> list[str]:
    return [spec.key.path[-1] for spec in warehouse_dbt_models.specs if spec.group_name == group]


# the study tables' checks (results_expectations) are check specs of their multi-assets
validation_checks = build_validation_checks(
    RAW_SOURCES,
    staging_models=_dbt_models_in("staging"),
    mart_models=_dbt_models_in("marts"),
)

# Dagster 1.13 adds a default automation sensor for assets with an automation condition, but
# stopped: this one starts running, so `make ui` republishes the snapshot after a user
# materializes an upstream asset (orchestration/assets/publishing.py).
snapshot_automation_sensor = dg.AutomationConditionSensorDefinition(
    "snapshot_automation_sensor",
    target=dg.AssetSelection.assets(published_warehouse),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Republishes the analysts' snapshot after any upstream materialization "
                "(published_warehouse's eager automation condition).",
)

refresh_all_job = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    description=(
        "Every asset: raw files -> dbt marts -> study results -> the analysts' snapshot."
    ),
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[*yearbook_files, *raw_assets, warehouse_dbt_models, *study_assets, *report_assets,
            published_warehouse],
    asset_checks=validation_checks,
    jobs=[refresh_all_job],
    schedules=[yearly_refresh_schedule],
    sensors=[new_yearbook_edition_sensor, snapshot_automation_sensor],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)
