"""Great Expectations suites (expectations/*.yml) as blocking Dagster asset checks.

One check per table: raw tables on the raw assets, staging and mart tables on their dbt assets,
results tables on the study tables (check specs of each study's multi-asset, evaluated in the
step that builds the tables: orchestration/assets/studies.py). A failing check stops everything
downstream of its asset in the run, and its metadata carries the sentences of
models_py.validation that name the offending rows. Results go to reports/validation/<layer>/.
"""

from collections.abc import Mapping, Sequence

import dagster as dg
import pandas as pd

from models_py.validation.runner import (
    LONG_TABLE_ROWS,
    columns_to_read,
    unordered_columns,
    validate,
    write_report,
)
from models_py.validation.suites import load_layer_suite
from orchestration.asset_keys import table_asset_key
from orchestration.resources import WarehouseResource
from orchestration.sql import sql_identifier, sql_string


def _enum_types(con, rows_read: str, parameters: Sequence[object], types: Mapping[str, str],
                candidates: set[str]) -> dict[str, str]:
    """DuckDB ENUM types for the text columns among ``candidates`` of few distinct values in a
    long base table (``rows_read``: ``from <table> where <condition>``, the rows read, on
    ``parameters``; ``types``: the table's columns' DuckDB types): read as pandas categoricals,
    without a Python string per row (the runner would make them categoricals anyway, see
    models_py.validation.runner._as_categories)."""
    text = [c for c in candidates if types.get(c) == "VARCHAR"]
    if not text:
        return {}
    *distinct, rows = con.execute(
        "select " + ", ".join(f"approx_count_distinct({sql_identifier(c)})" for c in text)
        + f", count(*){rows_read}", parameters).fetchone()
    if rows < LONG_TABLE_ROWS:
        return {}
    enums = {}
    for column, n in zip(text, distinct, strict=True):
        if n > rows // 20:
            continue
        values = [v for (v,) in con.execute(
            f"select distinct {sql_identifier(column)}{rows_read} "
            f"and {sql_identifier(column)} is not null order by 1", parameters).fetchall()]
        if not values:
            continue
        enums[column] = "ENUM(" + ", ".join(map(sql_string, values)) + ")"
    return enums


def read_for_check(con, table: str, table_suite, where: str = "",
                   parameters: Sequence[object] = (),
                   types: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``table`` with the values its suite checks and the key naming offending rows
    (columns whose name alone is checked come as NULLs, text columns of few values as
    categoricals; views are read as they are, as a view would be computed once per query);
    with ``where``, only the rows meeting that SQL condition on ``parameters``. ``types``: the
    columns of a base table and their DuckDB types, when the caller knows them (the query of
    the catalogue that finds them otherwise costs more than reading a small table)."""
    rows_read = f" from {table} where " + (f"({where})" if where else "true")
    if table_suite is None:
        return con.execute(f"select *{rows_read}", parameters).df()
    is_base_table = True
    if types is None:
        schema, name = table.split(".")
        described = con.execute(
            "select c.column_name, c.data_type, t.table_type from information_schema.columns c "
            "join information_schema.tables t using (table_catalog, table_schema, table_name) "
            "where c.table_catalog = current_database() and c.table_schema = ? "
            "and c.table_name = ? order by c.ordinal_position", [schema, name]).fetchall()
        if not described:  # no such table: DuckDB's own error names it
            return con.execute(f"select *{rows_read}", parameters).df()
        types = {column: data_type for column, data_type, _ in described}
        is_base_table = described[0][2] == "BASE TABLE"
    wanted = columns_to_read(table_suite, list(types))
    enums = (_enum_types(con, rows_read, parameters, types,
                         unordered_columns(table_suite, list(wanted))) if is_base_table else {})
    return con.execute("select " + ", ".join(
        (f"{sql_identifier(c)}::{enums[c]} as {sql_identifier(c)}" if c in enums
         else sql_identifier(c))
        if values else f"null::double as {sql_identifier(c)}"
        for c, values in wanted.items()) + rows_read, parameters).df()


def build_expectation_check(
    layer: str, asset_key: dg.AssetKey, table: str
) -> dg.AssetChecksDefinition:
    """A blocking check that validates ``table`` against the ``layer`` suite."""

    @dg.asset_check(
        asset=asset_key,
        name=f"{layer}_expectations",
        blocking=True,
        description=f"Great Expectations suite expectations/{layer}.yml on {table}.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        suite = load_layer_suite(layer)
        with warehouse.connect() as con:
            frame = read_for_check(con, table, suite.for_table(table))
        out_dir = warehouse.paths.reports_dir / "validation" / layer
        report = validate(layer, {table: frame}, suite,
                          docs_dir=out_dir / "gx_data_docs")
        html_path = write_report(report, out_dir)
        # warnings (expectations/<layer>.yml `warnings:`) do not block: WARN severity
        warn_only = report.success and bool(report.warnings)
        return dg.AssetCheckResult(
            passed=report.success and not warn_only,
            severity=dg.AssetCheckSeverity.WARN if warn_only else dg.AssetCheckSeverity.ERROR,
            description=report.summary()[:2000],
            metadata={
                "rows": len(frame),
                "failures": dg.MetadataValue.json([f.message for f in report.failures][:20]),
                "warnings": dg.MetadataValue.json([f.message for f in report.warnings][:20]),
                "report": dg.MetadataValue.path(str(html_path)),
                "gx_data_docs": dg.MetadataValue.path(str(out_dir / "gx_data_docs" / "index.html")),
            },
        )

    return _check


def build_validation_checks(
    raw_sources: tuple[str, ...], staging_models: list[str], mart_models: list[str],
) -> list[dg.AssetChecksDefinition]:
    checks = []
    suites = {layer: load_layer_suite(layer) for layer in ("raw", "staging", "marts")}
    for source in raw_sources:
        if suites["raw"].for_table(f"raw.{source}_cells"):
            checks.append(build_expectation_check("raw", dg.AssetKey(["raw", f"{source}_cells"]),
                                                  f"raw.{source}_cells"))
    for layer, schema, names in (("staging", "staging", staging_models),
                                 ("marts", "marts", mart_models)):
        for name in names:
            if suites[layer].for_table(f"{schema}.{name}"):
                checks.append(
                    build_expectation_check(layer, dg.AssetKey(name), f"{schema}.{name}"))
    return checks


RESULTS_CHECK = "results_expectations"


def study_table_check_spec(study: str, table_id: str) -> dg.AssetCheckSpec:
    """The blocking check on ``results/<study>/<table>``: its rows in every ``results`` table
    against expectations/results.yml. A table that wrote no rows fails: a check that validated
    nothing is not a pass. Evaluated in the step that builds the table
    (orchestration/assets/studies.py) by :func:`check_study_table`."""
    return dg.AssetCheckSpec(
        RESULTS_CHECK,
        asset=table_asset_key(study, table_id),
        blocking=True,
        description=f"Great Expectations suite expectations/results.yml on the rows of "
                    f"{study}/{table_id} in every results.* table; fails when it wrote none.",
    )


def read_study_table_rows(con, study: str, table_ids: list[str]
                          ) -> dict[str, dict[str, pd.DataFrame]]:
    """``{table id: {"results.<name>": its rows}}`` of the tables ``table_ids`` of ``study``,
    as stored, with the columns expectations/results.yml checks (:func:`read_for_check`: the
    100 000 rows of a scenario's simulation with its text as categoricals, not a Python string
    per value; one query per results table for all of them; tables with no rows left out)."""
    from orchestration.results_store import COLUMNS, column_types

    out: dict[str, dict[str, pd.DataFrame]] = {table_id: {} for table_id in table_ids}
    if not table_ids:
        return out
    suite = load_layer_suite("results")
    marks = ", ".join("?" for _ in table_ids)
    for name in COLUMNS:
        rows = read_for_check(con, f"results.{name}", suite.for_table(f"results.{name}"),
                              f"study = ? and table_id in ({marks})", [study, *table_ids],
                              column_types(name))
        for table_id, frame in rows.groupby("table_id", sort=False):
            out[table_id][f"results.{name}"] = frame.reset_index(drop=True)
    return out


def check_study_table(study: str, table_id: str, frames: dict[str, pd.DataFrame],
                      reports_dir) -> dict:
    """The outcome of ``results_expectations`` on ``results/<study>/<table>`` from its rows
    (``read_study_table_rows``), in plain values (picklable, so that a forked worker could send
    it back: Dagster's results do not unpickle): see :func:`study_table_check_result`. Writes
    the report under ``reports_dir``/validation/results/<study>/<table>/; needs no database."""
    frames = {name: frame for name, frame in frames.items() if len(frame)}
    if not frames:
        return {"passed": False, "description": (
            f"{study}/{table_id} wrote no rows to any results table: nothing to check.")}
    out_dir = reports_dir / "validation" / "results" / study / table_id
    report = validate("results", frames, load_layer_suite("results"))
    html_path = write_report(report, out_dir)
    checked = sum(t.n_expectations for t in report.tables)
    return {"passed": report.success and checked > 0,
            "description": (report.summary() if checked else "no expectation applied")[:2000],
            "rows": sum(len(f) for f in frames.values()), "expectations": checked,
            "failures": [f.message for f in report.failures][:20], "report": str(html_path)}


def check_study_tables_together(study: str, rows: dict[str, dict[str, pd.DataFrame]],
                                reports_dir) -> dict[str, dict] | None:
    """The outcomes of :func:`check_study_table` for every table of ``rows`` from one
    validation of their rows together (one Great Expectations run per results table instead of
    one per study table and results table): expectations/results.yml has only row-wise
    expectations and keys that start with (study, table_id), so the rows of several tables meet
    it exactly when each table's rows do. None when they do not, or when a table wrote no rows:
    the caller then validates each table alone, which names the failures of each. The report
    is written under ``reports_dir``/validation/results/<study>/."""
    present = {table_id: {name: frame for name, frame in frames.items() if len(frame)}
               for table_id, frames in rows.items()}
    if not present or not all(present.values()):
        return None
    names = sorted({name for frames in present.values() for name in frames})
    together = {name: pd.concat([frames[name] for frames in present.values() if name in frames],
                                ignore_index=True) for name in names}
    report = validate("results", together, load_layer_suite("results"))
    if not report.success or report.warnings:
        return None
    html_path = write_report(report, reports_dir / "validation" / "results" / study)
    applied = {table.table: table.n_expectations for table in report.tables}
    outcomes = {}
    for table_id, frames in present.items():
        checked = sum(applied.get(name, 0) for name in frames)
        n_rows = sum(len(frame) for frame in frames.values())
        outcomes[table_id] = {
            "passed": checked > 0,
            "description": (f"results: the {n_rows} rows of {study}/{table_id} in "
                            f"{len(frames)} results table(s) meet every expectation "
                            f"({checked}; validated with the study's other tables)"
                            if checked else "no expectation applied"),
            "rows": n_rows, "expectations": checked, "failures": [],
            "report": str(html_path)}
    return outcomes


def study_table_check_result(study: str, table_id: str, outcome: dict) -> dg.AssetCheckResult:
    """The check's result of an outcome of :func:`check_study_table`."""
    metadata = ({"rows": outcome["rows"], "expectations": outcome["expectations"],
                 "failures": dg.MetadataValue.json(outcome["failures"]),
                 "report": dg.MetadataValue.path(outcome["report"])}
                if "report" in outcome else None)
    return dg.AssetCheckResult(asset_key=table_asset_key(study, table_id),
                               check_name=RESULTS_CHECK, passed=outcome["passed"],
                               description=outcome["description"], metadata=metadata)
