"""Loading parsed editions into DuckDB schema ``raw``, one transaction per edition."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb
import pandas as pd

from models_py.ingest.schema import RAW_COLUMNS, RAW_SCHEMA, ParseResult, coerce_raw_frame

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    source varchar,
    edition varchar,
    n_files integer,
    n_rows bigint,
    content_sha256 varchar,
    loaded_at timestamp,
    primary key (source, edition)
)
"""


def ensure_raw_table(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Create ``raw.<source>_cells`` (and the load log) if missing, empty."""
    columns = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in RAW_SCHEMA.items())
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists raw.{source}_cells (\n    {columns}\n)")
    con.execute(LOAD_LOG_DDL)


def content_hash(frame: pd.DataFrame) -> str:
    """sha256 of the rows in a canonical order: equal for equal content whatever the file order."""
    ordered = frame.sort_values(["file", "sheet", "row_number", "column_name"], na_position="first")
    digest = hashlib.sha256(ordered.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()


def load_edition(
    con: duckdb.DuckDBPyConnection,
    source: str,
    edition: str,
    result: ParseResult,
    loaded_at: datetime | None = None,
) -> int:
    """Replace one edition of one source in ``raw.<source>_cells`` in a single transaction.

    On any error the transaction is rolled back: the table holds exactly what it held before.
    Returns the number of rows loaded.
    """
    frame = coerce_raw_frame(result.frame)
    if len(frame) and (frame["source"].ne(source).any() or frame["edition"].ne(edition).any()):
        raise ValueError(f"rows of another source or edition passed to load {source} {edition}")
    ensure_raw_table(con, source)
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        con.execute(f"delete from raw.{source}_cells where edition = ?", [edition])
        con.register("incoming_cells", frame)
        con.execute(
            f"insert into raw.{source}_cells ({', '.join(RAW_COLUMNS)}) "
            f"select {', '.join(RAW_COLUMNS)} from incoming_cells"
        )
        con.unregister("incoming_cells")
        con.execute(
            "insert or replace into raw.load_log values (?, ?, ?, ?, ?, ?)",
            [source, edition, int(frame["file"].nunique()), len(frame), content_hash(frame),
             loaded_at],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(frame)
