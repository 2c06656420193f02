"""Switching the synthetic demo yearbook off: its files leave data/raw and its rows leave the build
warehouse in one step (``make demo-off``), and ``make run`` does not write it again.

Files are recognised by their own synthetic-data note (models_py.ingest.origin.file_origin), not by
their names, so real files that share a folder with the demo stay. In the build warehouse the
synthetic raw rows are deleted and the layers built from them (staging, intermediate, marts,
reference, results) are dropped, in one transaction; the next refresh rebuilds them from what is
left. The analysts' snapshot is not touched: it keeps what it held until a refresh publishes a new
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from models_py.ingest.origin import file_origin
from models_py.ingest.schema import SOURCES

DEMO_OFF_STAMP = ".demo_off"  # in data/raw: do not write the demo when data/raw is empty
DEMO_MARKER = "DEMO_YEARBOOK.txt"
DERIVED_SCHEMAS = ("staging", "intermediate", "marts", "reference", "results", "pipeline")
"""Dropped with the demo's rows: every layer built from raw, and ``pipeline`` (the refresh's
records of what was built from what), so that the next refresh rebuilds them all."""


@dataclass(frozen=True)
class DemoRemoval:
    files: list[str]  # removed, relative to data/raw
    raw_rows: int  # synthetic rows deleted from raw


def demo_is_off(raw_root: Path) -> bool:
    return (Path(raw_root) / DEMO_OFF_STAMP).exists()


def remove_demo_files(raw_root: Path) -> list[str]:
    """Delete every file of data/raw/<source>/<edition>/ that prints the synthetic-data note,
    the demo's marker file, and the edition and source folders left empty; write the stamp that
    keeps the demo off. Returns the files removed (relative to ``raw_root``), sorted."""
    raw_root = Path(raw_root)
    removed: list[str] = []
    for source in SOURCES:
        source_dir = raw_root / source
        if not source_dir.is_dir():
            continue
        for path in sorted(p for p in source_dir.rglob("*") if p.is_file()):
            if file_origin(path) == "synthetic":
                removed.append(path.relative_to(raw_root).as_posix())
                path.unlink()
        for folder in sorted((p for p in source_dir.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(source_dir.iterdir()):
            source_dir.rmdir()
    if (raw_root / DEMO_MARKER).exists():
        (raw_root / DEMO_MARKER).unlink()
        removed.append(DEMO_MARKER)
    raw_root.mkdir(parents=True, exist_ok=True)
    (raw_root / DEMO_OFF_STAMP).write_text(
        "The synthetic demo yearbook is switched off (make demo-off): make run does not write it "
        "while this file exists. make demo writes it again and removes this file.\n",
        encoding="utf-8")
    return sorted(removed)


def purge_synthetic_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Delete the synthetic rows of every raw table and the load-log rows of editions left
    empty, and drop the layers built from raw, in one transaction; returns the rows deleted."""
    tables = {t for t, in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
    deleted = 0
    con.execute("begin transaction")
    try:
        for source in SOURCES:
            table = f"{source}_cells"
            if table not in tables:
                continue
            deleted += con.execute(f"select count(*) from raw.{table} "
                                   "where origin = 'synthetic'").fetchone()[0]
            con.execute(f"delete from raw.{table} where origin = 'synthetic'")
            if "load_log" in tables:
                con.execute(f"delete from raw.load_log where source = ? and edition not in "
                            f"(select distinct edition from raw.{table})", [source])
                # what is left of a mixed edition: counts and origin recomputed, hashes unknown
                # until the next refresh parses and reloads it
                con.execute(f"""
                    update raw.load_log as log set
                        n_rows = (select count(*) from raw.{table} c
                                  where c.edition = log.edition),
                        n_files = (select count(distinct file) from raw.{table} c
                                   where c.edition = log.edition),
                        origin = (select case when count(distinct origin) = 1
                                         then min(origin) else 'mixed' end
                                  from raw.{table} c where c.edition = log.edition),
                        content_sha256 = null,
                        input_sha256 = null
                    where source = ? and origin != 'real'""", [source])
        for schema in DERIVED_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return deleted


def switch_demo_off(raw_root: Path, build_db: Path) -> DemoRemoval:
    """``make demo-off``: the demo's rows leave the build warehouse (if it exists), then its
    files leave data/raw. The warehouse goes first so that a refused step (a refresh holding the
    build file) leaves the files where they were."""
    rows = 0
    if Path(build_db).exists():
        con = duckdb.connect(str(build_db))
        try:
            rows = purge_synthetic_rows(con)
        finally:
            con.close()
    return DemoRemoval(remove_demo_files(raw_root), rows)
