"""Study assets: one asset per table of every study declared under studies/*.yaml, the tables
of a study built by one step (a multi-asset, ``results_<study>``, that can run any subset).

Asset key ``results/<study>/<table id>``, group ``<study>``, each with its blocking check
``results_expectations`` (orchestration/checks.py), evaluated in the same step. The step makes
sure of the ``results`` schema and reads the study's panel mart, the spatial weights its tables
name and the provenance once, fits the selected tables side by side in forked workers
(``orchestration.parallel``, slowest first; the workers never touch DuckDB) and, as each table
arrives, while the workers fit the others, replaces its rows in the long ``results`` tables in
the parent (one transaction per table), stamped with the edition requested, the newest edition
present and the data origin (``orchestration.provenance``); then it validates the stored rows
against expectations/results.yml (all tables together, each alone when that fails). Last, the
scenario tables whose source table passed: their sources' rows and mapping marts read once,
each written in its own transaction, all validated together (each alone when that fails).

A study is one step, not all studies: a failing check stops what is downstream of its table
(the study's report and the snapshot, which depend on every table of the study) and nothing of
the other studies, as with one step per table. A table whose computation raises does not lose
the others: they are written, materialized and checked, then the step fails naming the failed
tables (a scenario whose source failed or failed its check is not run).
"""


import traceback
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from models_py.spatial.weights import SpatialWeights
from models_py.studies.run import run_table
from models_py.studies.sample import study_variables
from models_py.studies.scenarios import run_carbon_price
from models_py.studies.schema import (
    CarbonPriceTable,
    MediationTable,
    MoranTable,
    SpatialTable,
    SpatialTestsTable,
    StudyDeclaration,
    Table,
    UnitRootsTable,
    load_studies,
)
from orchestration.asset_keys import table_asset_key
from orchestration.checks import (
    RESULTS_CHECK,
    check_study_table,
    check_study_tables_together,
    read_study_table_rows,
    study_table_check_result,
    study_table_check_spec,
)
from orchestration.parallel import fork_map_as_completed
from orchestration.paths import PROJECT_ROOT
from orchestration.provenance import Provenance, read_provenance
from orchestration.resources import WarehouseResource
from orchestration.results_store import ensure_results_schema, replace_table_rows

STUDIES_DIR = PROJECT_ROOT / "studies"
WEIGHTS_MART = "mart_spatial_weights"


def _weights_needed(study: StudyDeclaration, table) -> set[str]:
    names: set[str] = set()
    if isinstance(table, MoranTable):
        names.update(table.weights)
    for column in getattr(table, "columns", ()):
        names.update(s.weights for s in study.expand(column) if s.weights)
    model = getattr(table, "model", None)
    if model and study.models[model].weights:
        names.add(study.models[model].weights)
    return names


def read_weights(long: pd.DataFrame, names: set[str]) -> dict[str, SpatialWeights]:
    """Row-standardised matrices of ``mart_spatial_weights`` by name, on the provinces the
    matrix names (ids: GB/T 2260 codes as text, sorted)."""
    out = {}
    for name in sorted(names):
        part = long[long["matrix_name"] == name]
        if part.empty:
            raise KeyError(f"{WEIGHTS_MART} has no matrix named '{name}' (it has "
                           f"{sorted(long['matrix_name'].unique())})")
        ids = sorted(set(part["province_code_i"].astype(str)))
        out[name] = SpatialWeights.from_long(long, name, ids)
    return out


def read_panel(con, study: StudyDeclaration) -> pd.DataFrame:
    """The study's panel mart with the marts of ``joins`` joined on entity and time (left
    join: the panel's rows are kept, a missing row of a joined mart gives NULLs)."""
    keys = f"{study.entity}, {study.time}"

    def columns(mart: str) -> list[str]:
        return [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [mart]).fetchall()]

    seen = set(columns(study.panel))
    selected, joins = ["panel.*"], ""
    for k, mart in enumerate(study.joins):
        extra = [c for c in columns(mart) if c not in seen]  # the panel's own columns win
        seen.update(extra)
        selected += [f'j{k}."{c}"' for c in extra]
        joins += f" left join marts.{mart} as j{k} using ({keys})"
    return con.execute(f"select {', '.join(selected)} from marts.{study.panel} as panel"
                       f"{joins} order by {keys}").df()


def expected_cost(study: StudyDeclaration, table: Table) -> float:
    """A rough relative cost of fitting ``table`` (the step starts the slowest first, so that
    the workers finish together): bootstraps and simulated effects dominate."""
    if isinstance(table, MediationTable):
        return len(table.outcomes) * (1 + table.replications / 20)
    if isinstance(table, SpatialTable):
        models = sum(len(study.expand(c)) for c in table.columns)
        return models * (4 + table.effect_draws / 250)
    if isinstance(table, SpatialTestsTable):
        return 12
    if isinstance(table, MoranTable):
        return len(table.variables) * len(table.weights) * (
            1 + len(table.local_years) * table.permutations / 1000)
    if isinstance(table, UnitRootsTable):
        return 2 * len(table.variables)
    return float(len(getattr(table, "columns", ())) or 1)


def _table_spec(study: StudyDeclaration, table: Table) -> dg.AssetSpec:
    if isinstance(table, CarbonPriceTable):
        deps = [table_asset_key(study.name, table.source), dg.AssetKey(table.mapping)]
        description = (f"{study.title}: {table.title} (a scenario on the results of table "
                       f"'{table.source}', column {table.column}; rows in results.simulation "
                       "and results.tests).")
    else:
        deps = [dg.AssetKey(study.panel), *(dg.AssetKey(m) for m in study.joins)]
        deps += [dg.AssetKey(WEIGHTS_MART)] if _weights_needed(study, table) else []
        description = (f"{study.title}: {table.title} (declared in studies/{study.path.name}; "
                       "rows in the results.* tables with study and table_id).")
    return dg.AssetSpec(table_asset_key(study.name, table.id), group_name=study.name,
                        deps=deps, kinds={"python", "duckdb"}, description=description)


def _guarded(function):
    """``function`` returning (result, None), or (None, the traceback's text) when it raises:
    one table's error must not drop the others' results (a worker's exception would stop the
    others')."""
    def run(item):
        try:
            return function(item), None
        except Exception as error:  # noqa: BLE001 - reported by the step, which then fails
            return None, "".join(traceback.format_exception(error))
    return run


def _fit_tables(study: StudyDeclaration, tables: list[Table], warehouse: WarehouseResource,
                provenance: Provenance) -> tuple[dict[str, dict[str, int]], dict[str, str],
                                                 dict[str, dg.AssetCheckResult]]:
    """Fit ``tables`` (no scenario) in workers, slowest first; in this process, write each
    table's rows as soon as it arrives, while the workers fit the others, then check them all:
    ({table id: rows written per results table}, {table id: error}, {table id: check})."""
    weights = set().union(*(_weights_needed(study, t) for t in tables))
    with warehouse.connect(read_only=True) as con:
        panel = read_panel(con, study)
        long = (con.execute(f"select * from marts.{WEIGHTS_MART}").df() if weights
                else pd.DataFrame())
    matrices = read_weights(long, weights)
    variables = study_variables(panel, study)
    order = sorted(tables, key=lambda t: -expected_cost(study, t))

    def fit_one(table: Table) -> dict[str, pd.DataFrame]:
        # copies: the serial fallback must not let one table see another's changes
        return run_table(study, table, panel.copy(), matrices, variables.copy())

    counts, errors = {}, {}
    for index, (frames, error) in fork_map_as_completed(_guarded(fit_one), order):
        table = order[index]
        if error is not None:
            errors[table.id] = error
            continue
        with warehouse.connect() as con:
            counts[table.id] = replace_table_rows(con, study.name, table.id, frames,
                                                  provenance.columns())
    return counts, errors, _check_tables(study, [t.id for t in order if t.id in counts],
                                         warehouse)


def _run_scenarios(study: StudyDeclaration, tables: list[CarbonPriceTable],
                   warehouse: WarehouseResource
                   ) -> tuple[dict[str, dict[str, int]], dict[str, Provenance], dict[str, str]]:
    """Scenario tables: each reads its source table's results and its mapping mart, never
    refits, and is written in its own transaction. The source tables' rows, each mapping mart
    and its provenance are read once for all: ({table id: rows written per results table},
    {table id: provenance}, {table id: error})."""
    counts, stamps, errors = {}, {}, {}
    try:
        with warehouse.connect(read_only=True) as con:
            keys = [study.name, *sorted({t.source for t in tables})]
            marks = ", ".join("?" for _ in keys[1:])
            estimates, covariances = (con.execute(
                f"select * from results.{name} where study = ? and table_id in ({marks})", keys
            ).df() for name in ("estimates", "covariances"))
            mappings = {t.mapping: con.execute(f"select * from marts.{t.mapping}").df()
                        for t in tables}
            provenances = {mapping: read_provenance(con, warehouse.as_of_edition,
                                                    (study.panel, *study.joins, mapping))
                           for mapping in mappings}
    except Exception as error:  # noqa: BLE001 - the fitted tables are reported, then it fails
        return {}, {}, dict.fromkeys((t.id for t in tables),
                                     "".join(traceback.format_exception(error)))
    for table in tables:
        try:
            frames = run_carbon_price(study, table, estimates, covariances,
                                      mappings[table.mapping])
            with warehouse.connect() as con:
                counts[table.id] = replace_table_rows(con, study.name, table.id, frames,
                                                      provenances[table.mapping].columns())
            stamps[table.id] = provenances[table.mapping]
        except Exception as error:  # noqa: BLE001 - the others are reported, then the step fails
            errors[table.id] = "".join(traceback.format_exception(error))
    return counts, stamps, errors


def _check_tables(study: StudyDeclaration, table_ids: list[str], warehouse: WarehouseResource
                  ) -> dict[str, dg.AssetCheckResult]:
    """``results_expectations`` of each table, on its rows as stored: the tables together in
    one validation (``check_study_tables_together``), and when that fails each table alone, so
    that the failures are said of the table that has them. Validated in this process:
    validating in forked workers took longer in all (docs/refresh.md)."""
    with warehouse.connect(read_only=True) as con:
        rows = read_study_table_rows(con, study.name, table_ids)
    reports_dir = warehouse.paths.reports_dir
    outcomes = check_study_tables_together(study.name, rows, reports_dir) or {
        table_id: check_study_table(study.name, table_id, rows[table_id], reports_dir)
        for table_id in table_ids}
    return {table_id: study_table_check_result(study.name, table_id, outcomes[table_id])
            for table_id in table_ids}


def materialize_study_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                             study: StudyDeclaration, selected: list[Table]) -> Iterator:
    """The step of a study's tables ``selected``: see the module docstring."""
    fitted = [t for t in selected if not isinstance(t, CarbonPriceTable)]
    scenarios = [t for t in selected if isinstance(t, CarbonPriceTable)]
    with warehouse.connect() as con:
        # once per step: each table's write then only deletes and inserts its rows
        ensure_results_schema(con)
        provenance = read_provenance(con, warehouse.as_of_edition, (study.panel, *study.joins))
    counts, errors, checks = (_fit_tables(study, fitted, warehouse, provenance) if fitted
                              else ({}, {}, {}))
    stamps = dict.fromkeys(counts, provenance)
    runnable = []
    for table in scenarios:
        if table.source in errors or (table.source in checks
                                      and not checks[table.source].passed):
            errors[table.id] = (f"not run: its source table '{table.source}' failed"
                                + ("" if table.source in errors else " its check"))
        else:
            runnable.append(table)
    if runnable:
        done, done_stamps, failed = _run_scenarios(study, runnable, warehouse)
        counts.update(done)
        stamps.update(done_stamps)
        errors.update(failed)
        checks.update(_check_tables(study, [t.id for t in runnable if t.id in done], warehouse))
    for table in selected:
        if table.id not in counts:
            continue
        context.log.info(f"{study.name}/{table.id}: "
                         + ", ".join(f"{n} {name}" for name, n in counts[table.id].items()))
        yield dg.MaterializeResult(asset_key=table_asset_key(study.name, table.id), metadata={
            **{f"rows_{name}": dg.MetadataValue.int(n)
               for name, n in counts[table.id].items()},
            **stamps[table.id].columns(),
        })
        if (dg.AssetCheckKey(table_asset_key(study.name, table.id), RESULTS_CHECK)
                in context.selected_asset_check_keys):
            yield checks[table.id]
    if errors:
        for table_id, error in errors.items():
            context.log.error(f"{study.name}/{table_id}: {error}")
        raise RuntimeError(f"{study.name}: table(s) {', '.join(errors)} failed (the others "
                           "were written and checked):\n"
                           + "\n".join(f"{t}: {e.strip().splitlines()[-1]}"
                                       for t, e in errors.items()))


def build_study_asset(study: StudyDeclaration) -> dg.AssetsDefinition:
    """Every table of ``study``, with its blocking check, built by one step that can run any
    subset of them."""

    @dg.multi_asset(
        name=f"results_{study.name}",
        specs=[_table_spec(study, table) for table in study.tables],
        check_specs=[study_table_check_spec(study.name, table.id) for table in study.tables],
        can_subset=True,
        description=f"{study.title}: every table (studies/{study.path.name}), fitted side by "
                    "side in forked workers, each checked against expectations/results.yml.",
    )
    def _tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator:
        selected = [t for t in study.tables
                    if table_asset_key(study.name, t.id) in context.selected_asset_keys]
        yield from materialize_study_tables(context, warehouse, study, selected)

    return _tables


def build_study_assets(folder=STUDIES_DIR) -> list[dg.AssetsDefinition]:
    """One multi-asset per study under ``folder``: every table of the study."""
    return [build_study_asset(study) for study in load_studies(folder)]
