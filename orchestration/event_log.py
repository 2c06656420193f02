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
at most a second late. For the same block, the storage keeps one connection per file instead
of making an engine and a connection for every event (:class:`_KeptConnections`: about 1.3 ms
less per event stored, some 2 s of a full refresh). Other storages (the in-memory one of tests'
ephemeral instances, Postgres) need nothing: it does nothing for them.

Dagster's own code used: ``SqliteEventLogStorage`` (its public ``path_for_shard``,
``run_connection``, ``conn_string_for_shard`` and its private ``_connect(shard)``, ``_initdb``,
``_initialized_dbs`` and ``_db_lock``, which :class:`_KeptConnections` replaces for the run;
Dagster is pinned in constraints.txt and tests/orchestration/test_event_log.py fails if an
upgrade moves them).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

CHECKPOINT_EVERY_S = 1.0


def _sqlite_files(storage: SqliteEventLogStorage, run_id: str) -> list[str]:
    """The SQLite files the run ``run_id`` writes its events to in ``storage``, each existing
    and in WAL mode."""
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


class _KeptConnections(SqliteEventLogStorage):
    """Dagster's SQLite event log storage with one engine and one connection per file, kept
    until :meth:`close_kept`, instead of an engine and a connection made and disposed for every
    statement. Only ever the class of a storage object for the duration of
    :func:`held_event_log_files`: its state is SqliteEventLogStorage's, and its connections are
    used under the storage's own lock, as Dagster's are."""

    _kept: dict[str, object]

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._kept.get(shard)
            if engine is None:
                engine = create_engine(self.conn_string_for_shard(shard), poolclass=StaticPool,
                                       connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                                                     "check_same_thread": False})
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                self._kept[shard] = engine
            with engine.connect() as connection, connection.begin():
                yield connection

    def close_kept(self) -> None:
        """Close every kept connection (SQLite checkpoints a file when its last closes)."""
        for engine in self._kept.values():
            engine.dispose()
        self._kept.clear()


@contextmanager
def _connections_kept(storage: SqliteEventLogStorage) -> Iterator[None]:
    """For the ``with`` block, ``storage`` (a SqliteEventLogStorage, exactly) keeps its
    connections (:class:`_KeptConnections`); it is Dagster's class again afterwards."""
    storage.__class__ = _KeptConnections
    storage._kept = {}
    try:
        yield
    finally:
        with storage._db_lock:
            storage.close_kept()
            del storage._kept
            storage.__class__ = SqliteEventLogStorage


@contextmanager
def held_event_log_files(instance: dg.DagsterInstance, run_id: str,
                         checkpoint_every: float = CHECKPOINT_EVERY_S) -> Iterator[list[str]]:
    """For the ``with`` block: an idle connection to each SQLite file the run ``run_id`` stores
    its events in, checkpointed every ``checkpoint_every`` seconds (see the module's
    docstring); the files' paths, [] for a storage that needs none (any but Dagster's own
    run-sharded SQLite storage)."""
    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:
        yield []
        return
    files = _sqlite_files(storage, run_id)
    holder = _Holder(files, checkpoint_every)
    holder.start()
    holder.opened.wait()
    try:
        if holder.error is not None:
            raise holder.error
        with _connections_kept(storage):
            yield files
    finally:
        holder.stop()
