"""Parse the dbt project so its manifest exists before the Dagster definitions load."""

from __future__ import annotations

import os

from orchestration.paths import DBT_PROJECT_DIR, DEFAULT_PATHS

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"


def parse_dbt_project(force: bool = True) -> None:
    """Run ``dbt parse`` in-process (writes dbt_project/target/manifest.json).

    Parsing needs no database; the profile's path is read from WAREHOUSE_DB_PATH, which is set to
    the default build database when the caller has not set it.
    """
    if MANIFEST_PATH.exists() and not force:
        return
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("WAREHOUSE_DB_PATH", str(DEFAULT_PATHS.build_db))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed for {DBT_PROJECT_DIR}: {result.exception}")
