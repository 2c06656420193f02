"""The one entry point that runs a refresh: used by the CLI (``make run``), the tests and the
benchmarks, so that all three materialize the same definitions with the same resources."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TextIO

import dagster as dg

from orchestration.progress import progress_logger_def


def warehouse_resource(root: Path | None = None, years: tuple[int, int] | None = None,
                       as_of_edition: str | None = None, **options):
    """The warehouse resource of one run: ``root`` (default: the project), the span of the
    demo yearbook when it is written (``years``, the fast path), the vintage."""
    from orchestration.paths import DEFAULT_PATHS
    from orchestration.resources import WarehouseResource

    return WarehouseResource(
        root=str(root or DEFAULT_PATHS.root),
        demo_first_year=years[0] if years else None,
        demo_last_year=years[1] if years else None,
        as_of_edition=as_of_edition,
        **options,
    )


def instance() -> dg.DagsterInstance:
    """The project's Dagster instance (runs show in the UI) when DAGSTER_HOME is set, else an
    ephemeral one (tests)."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def _asset_steps(job: dg.JobDefinition, defs: dg.Definitions) -> int:
    """The steps of ``job`` that materialize assets (its nodes less the asset checks')."""
    check_ops = {c.node_def.name for c in defs.asset_checks or ()}
    return sum(1 for node in job.graph.node_defs if node.name not in check_ops)


def refresh(root: Path | None = None, years: tuple[int, int] | None = None,
            as_of_edition: str | None = None, selection: dg.AssetSelection | None = None,
            run_config: dict | None = None, dagster_instance: dg.DagsterInstance | None = None,
            raise_on_error: bool = True, progress: TextIO | None = None, debug: bool = False,
            **options) -> dg.ExecuteInProcessResult:
    """Materialize ``selection`` (default: every asset, the ``refresh_all`` job) in process.

    ``progress``: a stream that gets one line per finished step and each failure once, with
    Dagster's console log silenced (``debug`` keeps it, tracebacks included)."""
    from orchestration.definitions import defs
    from orchestration.resources import dbt_resource

    resources = {"warehouse": warehouse_resource(root, years, as_of_edition, **options),
                 "dbt": dbt_resource()}
    if selection is None:
        job = defs.resolve_job_def("refresh_all")
    else:
        keys = selection.resolve(defs.resolve_asset_graph())
        job = defs.get_implicit_global_asset_job_def().get_subset(asset_selection=keys)
    if progress is not None:
        job = job.with_logger_defs({
            "console": dg.colored_console_logger,
            "progress": progress_logger_def(_asset_steps(job, defs), progress)})
        level = "INFO" if debug else "CRITICAL"
        run_config = {**(run_config or {}), "loggers": {
            "console": {"config": {"log_level": level}}, "progress": {}}}
        for name in ("", "great_expectations", "dagster", "dagster_dbt", "dbt"):
            logging.getLogger(name).setLevel(logging.INFO if debug else logging.WARNING)
        # Dagster's own step log (dagster.builtin) is the run history's, not the terminal's:
        # dagster-dbt warns there about every singular dbt test it records as an observation
        logging.getLogger("dagster.builtin").setLevel(logging.INFO if debug else logging.ERROR)
    return job.execute_in_process(
        instance=dagster_instance or instance(), run_config=run_config,
        resources=resources, raise_on_error=raise_on_error,
    )
