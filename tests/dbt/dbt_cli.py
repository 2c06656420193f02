"""dbt in this process, on the project, with a target folder of the test's own."""

from __future__ import annotations

from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

from orchestration.paths import DBT_PROJECT_DIR


def invoke_dbt(command: str, target: Path, *extra: str) -> dbtRunnerResult:
    """``dbt <command> --quiet <extra>`` on the project (the build file: WAREHOUSE_DB_PATH)."""
    return dbtRunner().invoke([command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                               str(DBT_PROJECT_DIR), "--target-path", str(target), "--quiet",
                               *extra])
