"""Where the project keeps its files: one place, so nothing else hard-codes a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class WarehousePaths:
    """The folders and files of one warehouse instance.

    ``root`` is the project root for ``make run``; tests point it at a temporary folder.
    """

    root: Path
    as_of_edition: str | None = None
    """A build as of an older edition goes to its own build file and report folder and is never
    published over the analysts' snapshot."""

    @property
    def raw_root(self) -> Path:
        """Raw yearbook files: ``data/raw/<source>/<edition>/``."""
        return self.root / "data" / "raw"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "data" / "warehouse"

    @property
    def build_db(self) -> Path:
        """The DuckDB file Dagster and dbt build into (analysts read the published snapshot)."""
        if self.as_of_edition:
            return self.warehouse_dir / f"build_as_of_{self.as_of_edition}.duckdb"
        return self.warehouse_dir / "build.duckdb"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for this build file (compiled SQL and its partial-parse state,
        which holds the build file's path; no JSON artifacts: orchestration/dbt_runner.py): one
        folder reused by every build, instead of dagster-dbt's new folder per invocation (about
        10 MB each)."""
        return self.build_db.with_name(f"{self.build_db.stem}_dbt_target")

    @property
    def snapshot_db(self) -> Path:
        """The read-only snapshot analysts open (``make sql``), replaced atomically."""
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def reports_dir(self) -> Path:
        """Publication tables, figures and validation output (``reports/as_of_<edition>`` for
        a build as of an older edition)."""
        if self.as_of_edition:
            return self.root / "reports" / f"as_of_{self.as_of_edition}"
        return self.root / "reports"

    @property
    def tables_dir(self) -> Path:
        return self.reports_dir / "tables"


DEFAULT_PATHS = WarehousePaths(PROJECT_ROOT)
