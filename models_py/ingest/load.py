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

from models_py.ingest.runs import run_lengths, run_starts
from models_py.ingest.schema import (
    RAW_COLUMNS,
    RAW_SCHEMA,
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


def as_raw_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the raw schema's columns and types: the parsers' frames are already, and
    are not copied again (nothing in loading alters them). Text columns held as Categoricals
    (:func:`hashed_for_loading`) become object columns again."""
    return frame if is_raw_frame(frame) else coerce_raw_frame(frame)


def hashed_for_loading(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """A raw frame as a worker hands it back to the parent (orchestration/assets/raw.py), with
    its :func:`content_hash`, the runs of its text columns read once for both. Each text column
    of few runs of one value (file, sheet, entity, unit: :func:`_by_runs`) becomes a Categorical
    of the same values, nulls as missing, when every text column holds only strings and nulls:
    such a column pickles to a fraction of its size, unpickles without a Python string per cell,
    and DuckDB inserts it from its codes (ceads 2021: the parent's unpickling and insert take
    0.3 s of CPU instead of 0.7 s). :func:`load_edition` inserts either form: the same rows."""
    columns = frame[RAW_COLUMNS]
    runs = _text_runs(columns)
    if runs is None:
        return frame, content_hash(frame)
    compact = _as_categories(columns, runs)
    return compact, _sorted_rows_digest(compact, columns, runs)


def is_loadable_frame(frame: pd.DataFrame) -> bool:
    """True for a raw frame (:func:`~models_py.ingest.schema.is_raw_frame`), or one whose text
    columns are partly Categoricals (:func:`hashed_for_loading`): what load_edition inserts as
    it is."""
    if is_raw_frame(frame):
        return True
    categorical = {name: object for name, column in frame.items()
                   if RAW_SCHEMA.get(name) == "varchar"
                   and isinstance(column.dtype, pd.CategoricalDtype)}
    return bool(categorical) and is_raw_frame(frame.head(0).astype(categorical))


def content_hash(frame: pd.DataFrame) -> str:
    """sha256 of the rows (RAW_COLUMNS) sorted by file, sheet, row and column: equal for equal
    content whatever the order the files were parsed or the rows stored in. Each row is hashed
    with pandas' fixed-key row hash (``hash_pandas_object``, stable across runs and machines),
    and the sequence of row hashes with sha256: about ten times faster than hashing CSV text.

    When every text column holds only strings and nulls (what the parsers give), the rows are
    hashed where they are and the hashes put in order (a row's hash then does not depend on its
    place), sparing the sort of the whole frame; runs of one value (file, sheet, entity) are
    hashed once (:func:`_by_runs`). Otherwise the frame is sorted first, as pandas hashes a
    column of mixed values (1, 1.0) by the first one met."""
    columns = frame[RAW_COLUMNS]
    runs = _text_runs(columns)
    if runs is None:
        ordered = columns.sort_values(SORT_KEY, na_position="first", kind="stable")
        rows = pd.util.hash_pandas_object(ordered, index=False).to_numpy()
        return hashlib.sha256(rows.tobytes()).hexdigest()
    return _sorted_rows_digest(_as_categories(columns, runs), columns, runs)


def _text_runs(columns: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """Each text (object) column's values and the starts of its runs of one value, or None when
    a text column holds anything but strings and nulls."""
    runs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, column in columns.items():
        if column.dtype != object:
            continue
        values = column.to_numpy(dtype=object)
        starts = run_starts(values)
        if not _text_or_null(values[starts]):
            return None
        runs[name] = values, starts
    return runs


def _as_categories(columns: pd.DataFrame,
                   runs: dict[str, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """``columns`` with each text column of few runs as a Categorical (:func:`_by_runs`)."""
    return pd.DataFrame({name: _by_runs(column, *runs[name]) if name in runs else column
                         for name, column in columns.items()}, index=columns.index)


def _sorted_rows_digest(hashable: pd.DataFrame, columns: pd.DataFrame,
                        runs: dict[str, tuple[np.ndarray, np.ndarray]]) -> str:
    """sha256 of the row hashes of ``hashable`` (``columns`` with text as Categoricals, which
    pandas hashes as their values), in the order of :func:`sort_order`."""
    rows = pd.util.hash_pandas_object(hashable, index=False).to_numpy()
    return hashlib.sha256(rows[sort_order(columns, runs)].tobytes()).hexdigest()


def _text_or_null(values: np.ndarray) -> bool:
    """True when every value is a str, None or NaN (a run's first value stands for the run: only
    a str equals a str, and NaN equals nothing)."""
    kinds = set(map(type, values)) - {str, type(None)}
    if not kinds:
        return True
    # floats besides: all NaN when what is not null (pd.isna: None, NaN) is text; a value_text
    # column can hold hundreds of thousands of NaN, tested at C speed instead of one by one
    return kinds == {float} and set(map(type, values[~pd.isna(values)])) <= {str}


def _by_runs(column: pd.Series, values: np.ndarray, starts: np.ndarray) -> pd.Series:
    """An object column as a Categorical built from its runs of equal values (``starts``), when
    it has few (file, sheet, entity, unit: one value over a sheet or a row). pandas hashes an
    object column by factorizing it into such a Categorical, so the hashes are the same; only
    the first value of each run is factorized instead of every cell."""
    if len(starts) > len(values) // 4:
        return column
    codes, categories = pd.factorize(values[starts])
    return pd.Series(pd.Categorical.from_codes(
        np.repeat(codes, run_lengths(starts, len(values))),
        categories=pd.Index(categories, dtype=object)), index=column.index)


def sort_order(frame: pd.DataFrame,
               runs: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> np.ndarray:
    """Row positions in the order of ``frame.sort_values(SORT_KEY, na_position="first",
    kind="stable")`` for text keys of strings and nulls: each key's values ranked (nulls rank
    -1, first), then a stable lexsort. ``runs``: a text column's values and the starts of its
    runs of one value, ranked by the runs' first values (every value starts some run)."""
    ranks = []
    for column in SORT_KEY:
        if column in (runs or {}):
            values, starts = runs[column]
            run_ranks = pd.factorize(values[starts], sort=True)[0]
            ranks.append(np.repeat(run_ranks, run_lengths(starts, len(values))))
        else:
            ranks.append(pd.factorize(frame[column], sort=True)[0])
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
    content_sha256: str | None = None,
) -> int:
    """Replace one edition of one source in ``raw.<source>_cells`` in a single transaction.

    Within one transaction: create the schema and tables if missing, delete the edition's rows,
    insert the parsed rows (the DataFrame registered as a view, inserted by select), and upsert
    ``raw.load_log`` (source, edition, n_files, n_rows, content_sha256, loaded_at, origin,
    input_sha256; ``loaded_at`` defaults to now, UTC; ``input_sha256`` is the caller's digest of
    the files and the parser, see :func:`loaded_input_digests`; ``content_sha256``: the
    :func:`content_hash` of ``as_raw_frame(result.frame)`` when the caller has it already,
    computed where the edition was parsed). ``result.frame`` may hold its text columns as
    Categoricals (:func:`hashed_for_loading`): the same rows are inserted. On any error the
    transaction is rolled back and the error re-raised: the tables hold exactly what they held
    before. Returns the number of rows inserted.
    """
    frame = result.frame if is_loadable_frame(result.frame) else as_raw_frame(result.frame)
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
            [source, edition, int(frame["file"].nunique()), len(frame),
             content_sha256 or content_hash(as_raw_frame(frame)),
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
