"""held_event_log_files: a run's SQLite event files stay open, so that Dagster's connection per
event no longer checkpoints and deletes the write-ahead log on every event."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import dagster as dg
from dagster._core.events.log import EventLogEntry

from orchestration.event_log import held_event_log_files


def _log_event(run_id: str, text: str) -> EventLogEntry:
    return EventLogEntry(error_info=None, level=20, user_message=text, run_id=run_id,
                         timestamp=time.time(), step_key="step", job_name="job",
                         dagster_event=None)


def test_sqlite_files_held_during_the_run(tmp_path: Path) -> None:
    instance = dg.DagsterInstance.local_temp(tempdir=str(tmp_path))
    storage = instance.event_log_storage
    run_id = str(uuid.uuid4())
    with held_event_log_files(instance, run_id) as files:
        assert [Path(f).name for f in files] == [f"{run_id}.db", "index.db"]
        storage.store_event(_log_event(run_id, "first"))
        storage.store_event(_log_event(run_id, "second"))
        # Dagster closed its connection after each event: the log survives because ours is open
        assert Path(f"{files[0]}-wal").exists()
    # after the run the last connection has closed: SQLite checkpointed and removed the log
    assert not Path(f"{files[0]}-wal").exists()
    assert [e.user_message for e in instance.all_logs(run_id)] == ["first", "second"]


def test_without_the_hold_each_event_checkpoints(tmp_path: Path) -> None:
    """What the hold avoids: with no other connection open, the write-ahead log is gone after
    every event Dagster stores (a checkpoint and its syncs each time)."""
    instance = dg.DagsterInstance.local_temp(tempdir=str(tmp_path))
    run_id = str(uuid.uuid4())
    instance.event_log_storage.store_event(_log_event(run_id, "first"))
    assert not Path(instance.event_log_storage.path_for_shard(run_id) + "-wal").exists()


def test_in_memory_storage_needs_nothing() -> None:
    with held_event_log_files(dg.DagsterInstance.ephemeral(), str(uuid.uuid4())) as files:
        assert files == []
