"""The quick answer to "has anything changed since the last refresh?", before Dagster loads.

After a refresh that leaves every asset fresh (orchestration/staleness.py finds nothing stale),
the digest of everything a refresh reads (the yearbook files, the study files, the dbt project,
the code and the expectation suites) is stored in the build database
(``pipeline.clean_state``). ``make run`` compares it first: when it matches and the outputs
outside the database (the analysts' snapshot, the reports' index) are there, nothing can be stale
and the run stops in about a second instead of loading Dagster and planning asset by asset
(about 8 s). Any difference falls through to the asset-by-asset plan. This module imports
neither Dagster nor dbt.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb

from models_py.fingerprint import digest_code, digest_paths
from orchestration.dbt_manifest import PROJECT_FILES
from orchestration.paths import PROJECT_ROOT, WarehousePaths

CLEAN_STATE_TABLE = "pipeline.clean_state"
PROJECT_INPUTS = ("models_py", "orchestration", "expectations", "studies",
                  *(f"dbt_project/{name}" for name in PROJECT_FILES))


def state_digest(paths: WarehousePaths) -> str:
    """Digest of every yearbook file under data/raw and every project file a refresh reads."""
    code = digest_code(PROJECT_INPUTS, PROJECT_ROOT)
    files = digest_paths([paths.raw_root], paths.raw_root)
    return hashlib.sha256(f"{code}\n{files}\n{paths.as_of_edition or ''}".encode()).hexdigest()


def outputs_present(paths: WarehousePaths) -> bool:
    """The files a refresh writes outside the build database are there."""
    needed = [paths.reports_dir / "index.html"]
    if not paths.as_of_edition:
        needed.append(paths.snapshot_db)
    return all(p.exists() for p in needed)


def unchanged_since(paths: WarehousePaths) -> datetime | None:
    """When the last refresh that left everything fresh finished, if nothing has changed since
    (the stored digest equals :func:`state_digest` and the outputs are present); else None."""
    if not paths.build_db.exists() or not outputs_present(paths):
        return None
    try:
        con = duckdb.connect(str(paths.build_db), read_only=True)
    except duckdb.Error:  # held by a running refresh: let the full path say so
        return None
    try:
        row = con.execute(
            "select digest, refreshed_at from pipeline.clean_state").fetchone()
    except duckdb.Error:  # no clean state recorded (or one of an older layout)
        return None
    finally:
        con.close()
    if row is None or row[0] != state_digest(paths):
        return None
    return row[1]


def record_clean_state(paths: WarehousePaths, digest: str | None,
                       refreshed_at: datetime | None = None) -> None:
    """Store ``digest`` with the time of the refresh it describes (None: forget the clean
    state, something is stale)."""
    con = duckdb.connect(str(paths.build_db))
    try:
        con.execute("create schema if not exists pipeline")
        con.execute("begin transaction")
        con.execute(f"create or replace table {CLEAN_STATE_TABLE} "
                    "(digest varchar, refreshed_at timestamp)")
        if digest is not None:
            con.execute(f"insert into {CLEAN_STATE_TABLE} values (?, ?)",
                        [digest, refreshed_at or datetime.now(UTC).replace(tzinfo=None)])
        con.execute("commit")
    finally:
        con.close()
