"""dbt layer: staging, intermediate and marts as Dagster assets (one asset per dbt model/seed).

dbt tests are loaded as Dagster asset checks, so a failing data test shows on the asset it tests;
each check's description says in words what it tests (``WarehouseDbtTranslator``). Singular tests
(dbt_project/tests/*.sql) name their asset in ``config(meta={'dagster': {'ref': ...}})``.
Every model and seed materialization carries its row count and column types (DuckDB's), read
once dbt has finished and released the build file. The manifest must exist before the
definitions load: ``orchestration.cli prepare`` (run by every make target) parses the project.
"""

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from orchestration.dbt_manifest import parse_dbt_project
from orchestration.dbt_runner import DbtInProcessResource
from orchestration.paths import DBT_PROJECT_DIR
from orchestration.resources import WarehouseResource
from orchestration.sql import sql_identifier, sql_string, transaction

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
parse_dbt_project(force=False)  # a fresh clone has no manifest yet


def _ref_name(ref: str) -> str:
    """``ref('dim_province')`` -> ``dim_province`` (a relationships test's ``to``)."""
    found = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", ref)
    return found.group(1) if found else ref


def _leading_comment(sql: str) -> str:
    """The ``--`` comment lines a singular test's SQL starts with, joined into one text."""
    lines = []
    for line in sql.strip().splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def describe_dbt_test(test: Mapping[str, Any], model: str) -> str:
    """What a dbt test checks, in words, for its asset check's description.

    The test's own ``description:`` (YAML) or ``meta.description`` comes first; a generic test
    is described from its name and arguments; a singular test by the comment its SQL starts
    with. ``model`` is the name of the model or seed the test is attached to."""
    own = test.get("description") or (test.get("meta") or {}).get("description")
    if own:
        return own.strip()
    metadata = test.get("test_metadata")
    if metadata is None:  # singular test: dbt_project/tests/<name>.sql
        return (f"dbt test {test['name']} (singular, dbt_project/tests): "
                + (_leading_comment(test.get("raw_code", ""))
                   or "returns the offending rows; none is expected"))
    name, kwargs = metadata["name"], metadata.get("kwargs", {})
    column = kwargs.get("column_name") or test.get("column_name")
    if name == "not_null":
        text = f"column {column} of {model} has no nulls"
    elif name == "unique":
        text = f"column {column} of {model} has no duplicate values"
    elif name == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values", []))
        text = f"column {column} of {model} takes only the values {values}"
    elif name == "relationships":
        text = (f"every {column} of {model} is a {kwargs.get('field')} of "
                f"{_ref_name(kwargs.get('to', ''))}")
    elif name == "unique_combination":
        text = f"no two rows of {model} share the same ({', '.join(kwargs['columns'])})"
    elif name == "column_rules":
        text = _describe_column_rules(kwargs, model)
    elif name == "balanced_panel":
        text = (f"every {kwargs['time']} of {model} holds every province of dim_province "
                f"(distinct {kwargs['entity']})")
    elif name == "balanced_industry_panel":
        text = (f"every {kwargs['time']} of {model} holds every industry of dim_industry "
                f"(distinct {kwargs['entity']})")
    elif "expression" in kwargs:  # dbt_utils.expression_is_true and the like
        text = f"every row of {model} satisfies {kwargs['expression']}"
    else:
        arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k != "model")
        text = f"{model}" + (f" ({arguments})" if arguments else "") + " passes"
    where = (test.get("config") or {}).get("where")
    if where:
        text += f", among rows where {where}"
    return f"dbt test {name}: {text}"


def _columns(columns: list[str], model: str) -> str:
    return (f"column {columns[0]} of {model} has" if len(columns) == 1
            else f"columns {', '.join(columns)} of {model} each have")


def _describe_column_rules(kwargs: Mapping[str, Any], model: str) -> str:
    """The rules of a ``column_rules`` test (dbt_project/macros/generic_tests.sql), one clause
    each, in the words of the one-rule tests they replace."""
    clauses = []
    if kwargs.get("not_null"):
        clauses.append(f"{_columns(list(kwargs['not_null']), model)} no nulls")
    if kwargs.get("unique"):
        clauses.append(f"{_columns(list(kwargs['unique']), model)} no duplicate values")
    for column, values in (kwargs.get("accepted_values") or {}).items():
        clauses.append(f"column {column} of {model} takes only the values "
                       + ", ".join(str(v) for v in values))
    for columns in kwargs.get("unique_combination") or []:
        clauses.append(f"no two rows of {model} share the same ({', '.join(columns)})")
    for column, parent in (kwargs.get("relationships") or {}).items():
        clauses.append(f"every {column} of {model} is a {parent['field']} of "
                       f"{_ref_name(parent['to'])}")
    return "; ".join(clauses) + " (an offending row names its rule and column in failed_rule)"


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Asset keys are the model and seed names (``mart_province_panel``); sources keep
    ``raw/<table>``. Groups follow the layer (the folder under models/); seeds are ``reference``.
    Each dbt test's asset check is described in words (``describe_dbt_test``).
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

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        test = manifest["nodes"][unique_id]
        return spec._replace(description=describe_dbt_test(test, asset_spec.key.to_user_string()))


Columns = dict[tuple[str, str], list[tuple[str, str, str | None]]]


def _relation_columns(con: duckdb.DuckDBPyConnection) -> Columns:
    """Every relation's columns in the build database, (schema, table) -> [(name, DuckDB type,
    comment)] in column order: one catalogue query (a few ms), where one per built relation
    took about 4 ms each (about 0.2 s a build)."""
    columns: Columns = {}
    for schema, table, name, data_type, comment in con.execute(
            "select schema_name, table_name, column_name, data_type, comment "
            "from duckdb_columns() where database_name = current_database() "
            "order by schema_name, table_name, column_index").fetchall():
        columns.setdefault((schema, table), []).append((name, data_type, comment))
    return columns


def _table_metadata(con: duckdb.DuckDBPyConnection, node: Mapping[str, Any],
                    relation_columns: Columns) -> dict[str, Any]:
    """``dagster/row_count`` and ``dagster/column_schema`` (DuckDB's types, the persisted
    column comments as descriptions) of the relation a dbt model or seed built
    (``relation_columns``: :func:`_relation_columns`, read after the comments were written)."""
    schema, table = node["schema"], node.get("alias") or node["name"]
    columns = relation_columns.get((schema, table))
    if not columns:
        raise LookupError(f"no relation {schema}.{table} in the build database")
    [(row_count,)] = con.execute(
        f"select count(*) from {sql_identifier(schema)}.{sql_identifier(table)}").fetchall()
    return {
        "dagster/row_count": row_count,
        "dagster/column_schema": dg.TableSchema(columns=[
            dg.TableColumn(name, data_type, description=comment or None)
            for name, data_type, comment in columns]),
    }


def write_model_comments(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any],
                         unique_ids: Iterable[str]) -> int:
    """The YAML descriptions of the models ``unique_ids`` (a build's) as DuckDB comments on
    their tables and columns (``DESCRIBE``, ``duckdb_columns()``; the snapshot copies them), in
    one transaction: what dbt's ``persist_docs`` wrote with a catalogue query and one statement
    per table and column in dbt's own threads (about a second of every build). Columns the
    table does not have are left out. Returns the number of comments written."""
    models = [manifest["nodes"][uid] for uid in unique_ids
              if manifest["nodes"][uid]["resource_type"] == "model"]
    if not models:
        return 0
    present: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database()").fetchall():
        present.setdefault((schema, table), set()).add(column)
    statements = []
    for node in models:
        schema, table = node["schema"], node.get("alias") or node["name"]
        columns = present.get((schema, table))
        if columns is None:
            continue
        relation = f"{sql_identifier(schema)}.{sql_identifier(table)}"
        if node.get("description"):
            statements.append(f"comment on table {relation} is {sql_string(node['description'])}")
        for name, column in node.get("columns", {}).items():
            if column.get("description") and name in columns:
                statements.append(f"comment on column {relation}.{sql_identifier(name)} is "
                                  f"{sql_string(column['description'])}")
    with transaction(con):
        for statement in statements:
            con.execute(statement)
    return len(statements)


def failed_rules(con: duckdb.DuckDBPyConnection, compiled_sql: str, max_values: int = 3) -> str:
    """What a failing ``column_rules`` test returns, in words: each broken rule with its column,
    its offending rows and first offending values (``not_null(year): 3 rows;
    accepted_values(region): 30 rows, e.g. nowhere``)."""
    rules: dict[str, list[Any]] = {}
    for rule, value, n_rows in con.execute(
            f"select failed_rule, value, n_rows from ({compiled_sql}) "
            "order by failed_rule, n_rows desc, value").fetchall():
        total, values = rules.setdefault(rule, [0, []])
        rules[rule][0] = total + n_rows
        if value is not None and len(values) < max_values:
            values.append(value)
    return "; ".join(f"{rule}: {n} row{'' if n == 1 else 's'}"
                     + (f", e.g. {' | '.join(values)}" if values else "")
                     for rule, (n, values) in rules.items())


def _failed_rules_description(con: duckdb.DuckDBPyConnection, event: Any,
                              manifest: Mapping[str, Any], target_path: Path | None) -> str | None:
    """The broken rules of a failed ``column_rules`` check, read by running the test's compiled
    SQL again (dbt's own result is only a row count)."""
    if target_path is None or event.passed or "unique_id" not in event.metadata:
        return None
    node = manifest["nodes"].get(event.metadata["unique_id"].value) or {}
    if (node.get("test_metadata") or {}).get("name") != "column_rules":
        return None
    compiled = next((target_path / "compiled").rglob(f"{node['name']}.sql"), None)
    if compiled is None:
        return None
    return failed_rules(con, compiled.read_text(encoding="utf-8"))


def with_table_metadata(events: Iterable[Any], manifest: Mapping[str, Any],
                        warehouse: WarehouseResource, log: dg.DagsterLogManager,
                        target_path: Path | None = None) -> Iterator[Any]:
    """``events`` (dbt's, already collected: dbt has finished and released the build file)
    with row counts and column types (and descriptions, written first as the tables' comments:
    :func:`write_model_comments`) on each model's and seed's Output/AssetMaterialization, and
    the broken rules and columns as the description of each failed ``column_rules`` check
    (compiled under ``target_path``), over one connection."""
    events = list(events)
    built = [e for e in events if isinstance(e, dg.Output | dg.AssetMaterialization)
             and "unique_id" in e.metadata]
    failed = [e for e in events if isinstance(e, dg.AssetCheckResult) and not e.passed]
    if not built and not failed:
        yield from events
        return
    extra: dict[int, dict[str, Any]] = {}
    described: dict[int, str] = {}
    with warehouse.connect() as con:
        write_model_comments(con, manifest, [e.metadata["unique_id"].value for e in built])
        relation_columns = _relation_columns(con) if built else {}
        for event in built:
            unique_id = event.metadata["unique_id"].value
            try:
                extra[id(event)] = _table_metadata(con, manifest["nodes"][unique_id],
                                                   relation_columns)
            except (duckdb.Error, LookupError) as error:
                log.warning(f"No row count or column types for {unique_id}: {error}")
        for event in failed:
            try:
                description = _failed_rules_description(con, event, manifest, target_path)
            except duckdb.Error as error:
                log.warning(f"No failed rules for {event.check_name}: {error}")
                continue
            if description:
                described[id(event)] = description
    for event in events:
        more = extra.get(id(event))
        if more:
            yield event.with_metadata({**event.metadata, **more})
        elif id(event) in described:
            yield event._replace(description=described[id(event)])
        else:
            yield event


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseDbtTranslator(),
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtInProcessResource,
    warehouse: WarehouseResource,
):
    # dbt runs in this process (orchestration/dbt_runner.py); profiles.yml reads the path.
    os.environ["WAREHOUSE_DB_PATH"] = str(warehouse.paths.build_db)
    warehouse.release()  # the run's connection to the build file: dbt opens it its own way
    # The vintage has one owner, the warehouse resource. The latest build passes no --vars
    # (dbt_project.yml's as_of_edition "9999" = latest): the command line's vars are part of
    # dbt's partial-parse state, and `prepare` parses without them, so the build reuses that
    # parse (target/partial_parse.msgpack, copied into the build's own target folder the first
    # time, then that folder's own) instead of parsing the whole project again (about 3 s).
    args = ["build"]
    if warehouse.as_of_edition:
        args += ["--vars", json.dumps({"as_of_edition": warehouse.as_of_edition})]
    # dbt's unit tests check the SQL on fixed inputs, not the data: they run in `make test`
    # (tests/dbt/test_dbt_build.py), not in every refresh (dbt's own advice for production)
    args += ["--exclude-resource-type", "unit_test"]
    target_path = warehouse.paths.dbt_target_dir
    # dbt's console log goes to a file (the Dagster UI keeps each model's events). The row
    # counts and column types are read after dbt has finished and released the build file; a
    # failed build raises after its events, so the models it built and the tests it ran are
    # still recorded.
    invocation = dbt.run(args, context=context, target_path=target_path,
                         log_path=warehouse.paths.reports_dir / "logs" / "dbt_build.log")
    yield from with_table_metadata(invocation.events, invocation.manifest, warehouse,
                                   context.log, target_path)
    failure = invocation.error()
    if failure is not None:
        raise failure
