"""Parse the dbt project so its manifest exists before the Dagster definitions load."""

from __future__ import annotations

import os

from orchestration.paths import DBT_PROJECT_DIR, DEFAULT_PATHS

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
MANIFEST_DIGEST = DBT_PROJECT_DIR / "target" / "manifest.sources.sha256"
"""Digest of the project files the manifest was parsed from and of the build database's path
(parsing again is skipped while it matches: about 3 s saved on every ``make run``)."""
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "models", "macros", "seeds",
                 "tests", "snapshots", "analyses")


def project_digest() -> str:
    """Digest of the dbt project's own files (not target/ or logs/)."""
    from models_py.fingerprint import digest_code

    return digest_code(PROJECT_FILES, DBT_PROJECT_DIR)


def _parse_digest() -> str:
    """The project's digest and the build database's path: dbt's partial-parse state holds the
    profile (its path included), and a build whose profile or command-line vars differ from the
    parse's parses the whole project again (about 3 s more)."""
    return f"{project_digest()} {os.environ['WAREHOUSE_DB_PATH']}"


def parse_dbt_project(force: bool = True) -> None:
    """Run ``dbt parse`` in-process (writes dbt_project/target/manifest.json).

    ``force=True`` (``orchestration.cli prepare``): parse unless the manifest was parsed from the
    project files as they are now (MANIFEST_DIGEST); ``force=False`` (loading the definitions):
    parse only when no manifest exists.

    Parsing needs no database; the profile's path is read from WAREHOUSE_DB_PATH, which is set to
    the default build database when the caller has not set it. The build (orchestration/assets/
    dbt.py) reuses this parse when it runs with the same path and no command-line vars.
    """
    if MANIFEST_PATH.exists() and not force:
        return
    os.environ.setdefault("WAREHOUSE_DB_PATH", str(DEFAULT_PATHS.build_db))
    digest = _parse_digest()
    if (MANIFEST_PATH.exists() and MANIFEST_DIGEST.exists()
            and MANIFEST_DIGEST.read_text(encoding="utf-8").strip() == digest):
        return
    from dbt.cli.main import dbtRunner

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
    MANIFEST_DIGEST.write_text(digest + "\n", encoding="utf-8")
