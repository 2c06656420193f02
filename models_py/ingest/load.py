"""Loading parsed editions into DuckDB schema ``raw``, one transaction per edition.

``raw.<source>_cells`` holds every edition of a source whose folder is on disk (docs/raw-layer.md);
``raw.load_log`` one row per (source, edition) with the row and file counts, the origin of its
files (``real``, ``synthetic`` or ``mixed``), a sha256 of the content, so a reload of unchanged
files is visibly a no-op, and ``input_sha256``, the digest of the edition's file bytes and of the
parser code it was read with: a refresh skips parsing an edition whose digest is unchanged. An
edition whose folder was removed is forgotten at the next refresh (:func:`forget_editions`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from models_py.ingest.schema import (
    RAW_COLUMNS,
    ParseResult,
    coerce_raw_frame,
    is_raw_frame,
    raw_table_ddl,
)

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    source varchar,
    edition varchar,
    n_files integer,
    n_rows bigint,
    content_sha256 varchar,
    loaded_at timestamp,
    origin varchar,
    input_sha256 varchar,
    primary key (source, edition)
)
"""
SORT_KEY = ["file", "sheet", "row_number", "column_name"]


def _create(con: duckdb.DuckDBPyConnection, source: str) -> None:
    con.execute("create schema if not exists raw")
    con.execute(raw_table_ddl(source))
    con.execute(LOAD_LOG_DDL)
    # warehouses built before rows carried their origin: add the column (null = unknown)
    con.execute(f"alter table raw.{source}_cells add column if not exists origin varchar")
    con.execute("alter table raw.load_log add column if not exists origin varchar")
    con.execute("alter table raw.load_log add column if not exists input_sha256 varchar")


def ensure_raw_table(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Create schema ``raw``, ``raw.<source>_cells`` and ``raw.load_log`` if missing (empty)."""
    _create(con, source)


def content_hash(frame: pd.DataFrame) -> str:
    """sha256 of the rows (RAW_COLUMNS) sorted by file, sheet, row and column: equal for equal
    content whatever the order the files were parsed or the rows stored in. Each row is hashed
    with pandas' fixed-key row hash (``hash_pandas_object``, stable across runs and machines),
    and the sequence of row hashes with sha256: about ten times faster than hashing CSV text.
    The rows are hashed where they are and the hashes put in order (a row's hash does not
    depend on its place), which spares sorting and copying the whole frame."""
    columns = frame[RAW_COLUMNS]
    rows = pd.util.hash_pandas_object(columns, index=False).to_numpy()
    return hashlib.sha256(rows[sort_order(columns)].tobytes()).hexdigest()


def sort_order(frame: pd.DataFrame) -> np.ndarray:
    """Row positions in the order of ``frame.sort_values(SORT_KEY, na_position="first",
    kind="stable")``: each key's values ranked (nulls rank -1, first), then a stable lexsort."""
    ranks = [pd.factorize(frame[column], sort=True)[0] for column in SORT_KEY]
    return np.lexsort(ranks[::-1])


def edition_origin(frame: pd.DataFrame) -> str | None:
    """``real`` or ``synthetic`` when every row has that origin, ``mixed`` when both occur."""
    origins = sorted(set(frame["origin"].dropna()))
    if not origins:
        return None
    return origins[0] if len(origins) == 1 else "mixed"


def forget_editions(con: duckdb.DuckDBPyConnection, source: str,
                    keep: list[str] | set[str]) -> list[str]:
    """Delete from ``raw.<source>_cells`` and ``raw.load_log`` every edition not in ``keep`` (the
    edition folders on disk), in one transaction; returns the editions deleted, sorted."""
    _create(con, source)
    stored = {r[0] for r in con.execute(
        f"select distinct edition from raw.{source}_cells union "
        "select edition from raw.load_log where source = ?", [source]).fetchall()}
    gone = sorted(stored - set(keep))
    if not gone:
        return gone
    con.execute("begin transaction")
    try:
        for edition in gone:
            con.execute(f"delete from raw.{source}_cells where edition = ?", [edition])
            con.execute("delete from raw.load_log where source = ? and edition = ?",
                        [source, edition])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return gone


def load_edition(
    con: duckdb.DuckDBPyConnection,
    source: str,
    edition: str,
    result: ParseResult,
    loaded_at: datetime | None = None,
    input_sha256: str | None = None,
) -> int:
    """Replace one edition of one source in ``raw.<source>_cells`` in a single transaction.

    Within one transaction: create the schema and tables if missing, delete the edition's rows,
    insert the parsed rows (the DataFrame registered as a view, inserted by select), and upsert
    ``raw.load_log`` (source, edition, n_files, n_rows, content_sha256, loaded_at, origin,
    input_sha256; ``loaded_at`` defaults to now, UTC; ``input_sha256`` is the caller's digest of
    the files and the parser, see :func:`loaded_input_digests`). On any error the transaction is
    rolled back and the error re-raised: the tables hold exactly what they held before. Returns
    the number of rows inserted.
    """
    # parsers return frames of the raw schema already: not copied again (nothing here alters it)
    frame = result.frame if is_raw_frame(result.frame) else coerce_raw_frame(result.frame)
    if len(frame) and (frame["source"].ne(source).any() or frame["edition"].ne(edition).any()):
        raise ValueError(f"rows of another source or edition passed to load {source} {edition}")
    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    view = f"incoming_{source}_cells"
    con.execute("begin transaction")
    try:
        _create(con, source)
        con.execute(f"delete from raw.{source}_cells where edition = ?", [edition])
        con.register(view, frame)
        columns = ", ".join(RAW_COLUMNS)
        # Scanning the frame's text (object) columns needs Python's GIL: DuckDB's threads would
        # wait on each other, so the insert runs on one (about 40 % less wall time).
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        con.execute("set threads = 1")
        try:
            con.execute(f"insert into raw.{source}_cells ({columns}) select {columns} "
                        f"from {view}")
        finally:
            con.execute(f"set threads = {int(threads)}")
        con.execute(
            "insert or replace into raw.load_log "
            "(source, edition, n_files, n_rows, content_sha256, loaded_at, origin, input_sha256) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [source, edition, int(frame["file"].nunique()), len(frame), content_hash(frame),
             loaded_at, edition_origin(frame), input_sha256],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        try:
            con.unregister(view)
        except duckdb.Error:
            pass
    return len(frame)


def loaded_input_digests(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """``{edition: input_sha256}`` of the editions of ``source`` loaded with a recorded digest
    (editions loaded before digests were recorded are left out: they are parsed again)."""
    _create(con, source)
    return dict(con.execute(
        "select edition, input_sha256 from raw.load_log where source = ? "
        "and input_sha256 is not null", [source]).fetchall())
