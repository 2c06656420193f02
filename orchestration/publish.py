"""Publish the marts and results as a read-only snapshot for analysts.

DuckDB lets no other process open a file while a writer holds it, so analysts never read the build
database. After a successful refresh the tables analysts use are copied into a new file, which is
then renamed over the previous snapshot (an atomic replace on POSIX file systems): a reader that
has the old snapshot open keeps reading it, and the next one opens the new one. A refresh that
dies before the rename leaves the last snapshot untouched.

The snapshot is written in DuckDB's v1.5 storage format so that the DuckDB CLI shipped as the
`duckdb-cli` package (1.5.x), `make sql`, can open it.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from orchestration.sql import sql_identifier, sql_string

PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts", "reference", "results")
SNAPSHOT_STORAGE_VERSION = "v1.5.0"


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every table and view of the published schemas of ``build``."""
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = 'build' and table_schema in ({placeholders}) "
        "order by table_schema, table_name",
        list(PUBLISHED_SCHEMAS),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def _comments(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    """The comments of the published tables of ``build`` (the dbt and results docs): {(schema,
    table): text} and {(schema, table): [(column, text), ...]}, read once (DuckDB's catalogue
    functions list every table of every attached database on each call: twice per table cost
    about a third of the copy)."""
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    tables = {(schema, table): text for schema, table, text in con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        f"where database_name = 'build' and schema_name in ({placeholders}) "
        "and comment is not null and comment <> ''", list(PUBLISHED_SCHEMAS)).fetchall()}
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, text in con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            f"where database_name = 'build' and schema_name in ({placeholders}) "
            "and comment is not null and comment <> '' order by column_index",
            list(PUBLISHED_SCHEMAS)).fetchall():
        columns.setdefault((schema, table), []).append((column, text))
    return tables, columns


def _copy_comments(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                   comments: tuple[dict, dict]) -> None:
    """The table's and its columns' ``comments`` (of :func:`_comments`), build -> snapshot."""
    table_comments, column_comments = comments
    relation = f"snapshot.{schema}.{sql_identifier(table)}"
    if (schema, table) in table_comments:
        con.execute(f"comment on table {relation} is "
                    f"{sql_string(table_comments[schema, table])}")
    for column, text in column_comments.get((schema, table), []):
        con.execute(f"comment on column {relation}.{sql_identifier(column)} "
                    f"is {sql_string(text)}")


def publish_snapshot(build_db: Path, snapshot: Path) -> list[str]:
    """Copy the published schemas of ``build_db`` into a new file and rename it to ``snapshot``.

    Returns the qualified names of the tables published.
    """
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    staging_file = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.tmp")
    staging_file.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{build_db}' as build (read_only)")
        con.execute(
            f"attach '{staging_file}' as snapshot (storage_version '{SNAPSHOT_STORAGE_VERSION}')"
        )
        # one transaction: each statement (a table, its comment, each column's comment) would
        # otherwise commit on its own, writing the file's catalog again (about 40 % of the copy)
        con.execute("begin transaction")
        names = []
        comments = _comments(con)
        for schema, table in published_tables(con):
            con.execute(f"create schema if not exists snapshot.{schema}")
            con.execute(
                f"create table snapshot.{schema}.{sql_identifier(table)} "
                f"as select * from build.{schema}.{sql_identifier(table)}"
            )
            _copy_comments(con, schema, table, comments)
            names.append(f"{schema}.{table}")
        con.execute("commit")
        con.execute("detach snapshot")
        con.execute("detach build")
    except BaseException:
        con.close()
        staging_file.unlink(missing_ok=True)
        raise
    con.close()
    with open(staging_file, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staging_file, snapshot)
    return names
