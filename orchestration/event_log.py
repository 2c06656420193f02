"""Keep a run's SQLite event log files open while the run writes to them.

``make run`` stores its run in the project's Dagster instance (dagster.yaml: SQLite files under
.dagster_home/storage), so the UI shows it. Dagster's SQLite event log storage opens a new
connection for every event it stores and closes it after the commit (one run's ~660 events:
its own file, ``<run id>.db``, and for asset and check events the cross-run ``index.db`` too).
SQLite checkpoints a WAL database and deletes its write-ahead log when the *last* connection to
it closes: on every event here, two file syncs and a file deletion, 3 to 20 ms of waiting per
event on these machines' disks, 10 s and more a run. While one other connection to the file
stays open, closing Dagster's connection does none of that (the commit is still durable: the
default synchronous=FULL syncs the log at each commit).

:func:`held_event_log_files` is that other connection, for the run's file and the index, for
the duration of a run started with the run id it is given. It checkpoints both files once a
second instead (a passive checkpoint: it never waits for a reader or writer): the UI, which
follows a run's log by watching its ``<run id>.db`` file change, shows a running ``make run``
at most a second late. Other storages (the in-memory one of tests' ephemeral instances,
Postgres) need nothing: it does nothing for them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

CHECKPOINT_EVERY_S = 1.0


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


class _Holder(threading.Thread):
    """A thread holding one idle connection to each of ``files`` until :meth:`stop`,
    checkpointing them every ``every`` seconds (SQLite connections stay in their thread)."""

    def __init__(self, files: list[str], every: float) -> None:
        super().__init__(name="event-log-holder", daemon=True)
        self.files, self.every = files, every
        self.opened, self.stopping = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        connections = []
        try:
            for path in self.files:
                connections.append(sqlite3.connect(path))
                connections[-1].execute("select 1 from sqlite_master limit 1").fetchall()
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
            self.error = error
        self.opened.set()
        try:
            while not self.stopping.wait(self.every) and self.error is None:
                for connection in connections:
                    connection.execute("pragma wal_checkpoint(passive)").fetchall()
        finally:
            for connection in connections:
                connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


@contextmanager
def held_event_log_files(instance: dg.DagsterInstance, run_id: str,
                         checkpoint_every: float = CHECKPOINT_EVERY_S) -> Iterator[list[str]]:
    """For the ``with`` block: an idle connection to each SQLite file the run ``run_id`` stores
    its events in, checkpointed every ``checkpoint_every`` seconds (see the module's
    docstring); the files' paths, [] for a storage that needs none."""
    files = _sqlite_files(instance, run_id)
    if not files:
        yield files
        return
    holder = _Holder(files, checkpoint_every)
    holder.start()
    holder.opened.wait()
    try:
        if holder.error is not None:
            raise holder.error
        yield files
    finally:
        holder.stop()
