"""Keep a run's SQLite event log files open while the run writes to them.

``make run`` stores its run in the project's Dagster instance (dagster.yaml: SQLite files under
.dagster_home/storage), so the UI shows it. Dagster's SQLite event log storage opens a new
connection for every event it stores and closes it after the commit (one run's ~660 events:
its own file, ``<run id>.db``, and for asset and check events the cross-run ``index.db`` too).
SQLite checkpoints a WAL database and deletes its write-ahead log when the *last* connection to
it closes: on every event here, two file syncs and a file deletion, 3 to 20 ms of waiting per
event on these machines' disks, 10 s and more a run. While one other connection to the file
stays open, closing Dagster's connection does none of that (the commit is still durable: the
default synchronous=FULL syncs the log at each commit); the checkpoint happens once, when the
last connection closes after the run.

:func:`held_event_log_files` is that other connection, for the run's file and the index, for
the duration of a run started with the run id it is given. Other storages (the in-memory one of
tests and benchmarks' ephemeral instances, Postgres) need nothing: it does nothing for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager

import dagster as dg


def _sqlite_files(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The SQLite files the run ``run_id`` writes its events to, each existing and in WAL
    mode, or [] when the instance's event log storage is not Dagster's run-sharded SQLite
    storage."""
    storage = instance.event_log_storage
    if not (getattr(storage, "is_run_sharded", False) and hasattr(storage, "path_for_shard")
            and hasattr(storage, "run_connection")):
        return []
    # Dagster creates a run's file (its tables, WAL mode) on the first connection: now, so
    # that the file held open is the one Dagster made
    with storage.run_connection(run_id):
        pass
    return [storage.path_for_shard(run_id), storage.path_for_shard("index")]


@contextmanager
def held_event_log_files(instance: dg.DagsterInstance, run_id: str) -> Iterator[list[str]]:
    """For the ``with`` block: an idle read connection to each SQLite file the run ``run_id``
    stores its events in (see the module's docstring); the files' paths, [] for a storage that
    needs none."""
    files = _sqlite_files(instance, run_id)
    with ExitStack() as stack:
        for path in files:
            connection = stack.enter_context(closing(sqlite3.connect(path)))
            connection.execute("select 1 from sqlite_master limit 1").fetchall()
        yield files
