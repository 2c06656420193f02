"""Dagster resources: the warehouse (paths and DuckDB connections) and dbt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from orchestration.dbt_runner import DbtInProcessResource
from orchestration.paths import DBT_PROJECT_DIR, DEFAULT_PATHS, WarehousePaths


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse instance a run reads and writes.

    ``root`` holds ``data/raw`` (input), ``data/warehouse/build.duckdb`` (the build database)
    and ``reports/`` (output). ``demo_years`` limits the demo yearbook to a span of years (the
    fast path used by most tests); ``write_demo_if_missing`` writes the synthetic demo yearbook
    when ``data/raw`` holds no yearbook files at all. ``as_of_edition`` (a year, e.g. "2021")
    rebuilds everything as the yearbooks stood in that edition: dbt takes it as its
    ``as_of_edition`` var, results carry it, and the build goes to its own file
    (``build_as_of_<edition>.duckdb``) that is never published over the analysts' snapshot.

    A run holds the warehouse's refresh lock from start to end (orchestration/refresh_lock.py):
    a second run on the same warehouse fails at once with "a refresh is already running (pid,
    started at)" instead of meeting DuckDB's file lock later; and the run's process collects its
    garbage as orchestration/gc_tuning.py says (the objects alive at the start frozen).

    During a run, :meth:`connect` hands out cursors of one DuckDB connection that stays open
    from step to step (opening the build file and checkpointing it on close cost about 20 ms
    each, for some 150 connections a refresh), and :meth:`release` closes it (with a
    checkpoint) before another process or database instance opens the file: dbt's build, the
    snapshot's copy. Outside a run each ``connect`` opens and closes the file itself.
    """

    root: str = str(DEFAULT_PATHS.root)
    write_demo_if_missing: bool = True
    demo_first_year: int | None = None
    demo_last_year: int | None = None
    as_of_edition: str | None = None
    _lock: object = PrivateAttr(default=None)
    _in_run: bool = PrivateAttr(default=False)
    _shared: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _collector: AbstractContextManager | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        from orchestration.gc_tuning import refresh_collector
        from orchestration.refresh_lock import acquire_refresh_lock

        self._lock = acquire_refresh_lock(self.paths)
        self._in_run = True
        self._collector = refresh_collector()  # the run's garbage collection, undone at its end
        self._collector.__enter__()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.release()
        self._in_run = False
        if self._collector is not None:
            self._collector.__exit__(None, None, None)
            self._collector = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def release(self) -> None:
        """Close the run's shared connection (DuckDB checkpoints the file), so that another
        process (dbt) or database instance (the snapshot's copy) can open the build file."""
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.root), self.as_of_edition)

    @property
    def demo_years(self) -> tuple[int, int] | None:
        if self.demo_first_year is None or self.demo_last_year is None:
            return None
        return (self.demo_first_year, self.demo_last_year)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database, closed on exit. During a run: a cursor of the
        run's shared connection (``read_only`` is then the caller's promise, not enforced);
        outside one: the file opened and closed, read-only when asked."""
        self.paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        if not self._in_run:
            con = duckdb.connect(str(self.paths.build_db), read_only=read_only)
        else:
            if self._shared is None:
                self._shared = duckdb.connect(str(self.paths.build_db))
            con = self._shared.cursor()
        try:
            yield con
        finally:
            con.close()


def dbt_resource() -> DbtInProcessResource:
    """dbt on this project, run in the refresh's own process (orchestration/dbt_runner.py)."""
    return DbtInProcessResource(project_dir=str(DBT_PROJECT_DIR),
                                profiles_dir=str(DBT_PROJECT_DIR))
