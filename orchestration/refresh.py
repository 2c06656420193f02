"""The one entry point that runs a refresh: used by the CLI (``make run``), the tests and the
benchmarks, so that all three materialize the same definitions with the same resources.

:func:`refresh` materializes what it is asked to (everything by default: ``make run FULL=1``);
:func:`refresh_changed` (``make run``) materializes only what changed since the last refresh
(orchestration/staleness.py) and nothing at all when nothing did. Both record, after the run,
what each asset that built cleanly was built from.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import dagster as dg

from orchestration.clean_state import record_clean_state, state_digest
from orchestration.event_log import held_event_log_files
from orchestration.progress import progress_logger_def
from orchestration.staleness import (
    InputCatalog,
    RefreshPlan,
    built_cleanly,
    dbt_node_files,
    plan_refresh,
    record_versions,
)


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


def input_catalog(paths) -> InputCatalog:
    """Where the inputs of every asset of the project are read from, for ``paths``."""
    from models_py.studies.schema import load_studies
    from orchestration.assets.studies import STUDIES_DIR
    from orchestration.dbt_manifest import MANIFEST_PATH

    return InputCatalog(paths=paths,
                        study_files={s.name: s.path for s in load_studies(STUDIES_DIR)},
                        dbt_files=dbt_node_files(MANIFEST_PATH))


def prepare_raw_files(resource) -> None:
    """Write the demo yearbook before anything is compared (when data/raw is empty)."""
    from orchestration.assets.raw import ensure_raw_files

    ensure_raw_files(resource.paths.raw_root, resource.demo_years,
                     resource.write_demo_if_missing, logging.getLogger(__name__).info)


def refresh_changed(root: Path | None = None, years: tuple[int, int] | None = None,
                    as_of_edition: str | None = None,
                    on_plan: Callable[[RefreshPlan], None] | None = None,
                    progress: TextIO | None = None, debug: bool = False,
                    raise_on_error: bool = True,
                    dagster_instance: dg.DagsterInstance | None = None, **options
                    ) -> tuple[RefreshPlan, dg.ExecuteInProcessResult | None]:
    """Materialize the assets that changed since the last refresh and everything downstream of
    them. ``on_plan`` is given the plan before anything runs (the CLI prints it). When nothing
    changed, nothing runs (the result is None), nothing is published, and the clean state is
    stored so that the next ``make run`` answers before Dagster loads
    (orchestration/clean_state.py)."""
    from orchestration.definitions import defs

    warehouse = warehouse_resource(root, years, as_of_edition, **options)
    prepare_raw_files(warehouse)
    graph = defs.resolve_asset_graph()
    state = state_digest(warehouse.paths)  # before planning: a later change is seen next time
    planned = plan_refresh(graph, input_catalog(warehouse.paths))
    if on_plan is not None:
        on_plan(planned)
    if planned.nothing_changed:
        record_clean_state(warehouse.paths, state, planned.last_refresh)
        return planned, None
    # the plan's inputs (every asset's digests) are those recorded after the run
    result = _materialize(warehouse, graph, dg.AssetSelection.assets(*planned.selection),
                          state, planned.inputs, None, dagster_instance, raise_on_error,
                          progress, debug)
    return planned, result


def refresh(root: Path | None = None, years: tuple[int, int] | None = None,
            as_of_edition: str | None = None, selection: dg.AssetSelection | None = None,
            run_config: dict | None = None, dagster_instance: dg.DagsterInstance | None = None,
            raise_on_error: bool = True, progress: TextIO | None = None, debug: bool = False,
            **options) -> dg.ExecuteInProcessResult:
    """Materialize ``selection`` (default: every asset, the ``refresh_all`` job) in process.

    ``progress``: a stream that gets one line per finished step and each failure once, with
    Dagster's console log silenced (``debug`` keeps it, tracebacks included)."""
    from orchestration.definitions import defs

    warehouse = warehouse_resource(root, years, as_of_edition, **options)
    prepare_raw_files(warehouse)
    graph = defs.resolve_asset_graph()
    state = state_digest(warehouse.paths)
    catalog = input_catalog(warehouse.paths)
    inputs = {key: catalog.inputs(key) for key in graph.materializable_asset_keys}
    return _materialize(warehouse, graph, selection, state, inputs, run_config,
                        dagster_instance, raise_on_error, progress, debug)


def _materialize(warehouse, graph, selection: dg.AssetSelection | None, state: str,
                 inputs: dict, run_config: dict | None,
                 dagster_instance: dg.DagsterInstance | None, raise_on_error: bool,
                 progress: TextIO | None, debug: bool) -> dg.ExecuteInProcessResult:
    """Run ``selection`` (None: the ``refresh_all`` job) and record what built cleanly from
    ``inputs`` and ``state``, both taken before the run by the caller."""
    from orchestration.definitions import defs
    from orchestration.resources import dbt_resource

    resources = {"warehouse": warehouse, "dbt": dbt_resource()}
    if selection is None:
        job = defs.resolve_job_def("refresh_all")
    else:
        keys = selection.resolve(graph)
        job = defs.resolve_implicit_global_asset_job_def().get_subset(asset_selection=keys)
    if progress is not None:
        job = job.with_logger_defs({
            "console": dg.colored_console_logger,
            "progress": progress_logger_def(_asset_steps(job, defs), progress)})
        level = "INFO" if debug else "CRITICAL"
        run_config = {**(run_config or {}), "loggers": {
            "console": {"config": {"log_level": level}}, "progress": {}}}
        for name in ("", "great_expectations", "dagster", "dagster_dbt", "dbt"):
            logging.getLogger(name).setLevel(logging.INFO if debug else logging.WARNING)
        # Dagster's own step log (dagster.builtin) is the run history's, not the terminal's
        logging.getLogger("dagster.builtin").setLevel(logging.INFO if debug else logging.ERROR)
    run_instance = dagster_instance or instance()
    run_id = str(uuid.uuid4())  # Dagster's run ids are UUID4s; known before the run starts
    with held_event_log_files(run_instance, run_id):
        result = job.execute_in_process(
            instance=run_instance, run_config=run_config, resources=resources,
            raise_on_error=raise_on_error, run_id=run_id,
        )
    record_build(warehouse.paths, graph, inputs, state, result)
    return result


def record_build(paths, graph, inputs: dict, state: str,
                 result: dg.ExecuteInProcessResult) -> None:
    """Record the inputs of the assets ``result`` built cleanly (pipeline.asset_versions) and,
    when nothing is stale after it, the clean state of the quick check. ``inputs`` and
    ``state`` are taken before the run (a file changed during it stays stale)."""
    built = built_cleanly(result)
    if not built:
        return
    from orchestration.refresh_lock import acquire_refresh_lock

    with acquire_refresh_lock(paths):
        record_versions(paths.build_db, inputs, built, result.run_id)
        after = plan_refresh(graph, input_catalog(paths))
        record_clean_state(paths, state if after.nothing_changed else None, after.last_refresh)
