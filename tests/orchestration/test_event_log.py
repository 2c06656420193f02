"""held_event_log_files: a run's SQLite event files stay open, so that Dagster's connection per
event no longer checkpoints and deletes the write-ahead log on every event."""

from __future__ import annotations

import os
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


def _changes_within(path: str, seconds: float, since: int) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.stat(path).st_mtime_ns != since:
            return True
        time.sleep(0.05)
    return False


def test_the_run_file_follows_its_log_within_the_checkpoint_interval(tmp_path: Path) -> None:
    """The UI follows a run by watching its file change: held open, the file is checkpointed
    every interval (here 0.2 s), not only when the run ends."""
    instance = dg.DagsterInstance.local_temp(tempdir=str(tmp_path))
    run_id = str(uuid.uuid4())
    with held_event_log_files(instance, run_id, checkpoint_every=0.2) as files:
        time.sleep(0.3)  # the file as Dagster created it, checkpointed
        before = os.stat(files[0]).st_mtime_ns
        instance.event_log_storage.store_event(_log_event(run_id, "first"))
        assert _changes_within(files[0], 2.0, before)
    with held_event_log_files(instance, run_id, checkpoint_every=60) as files:
        before = os.stat(files[0]).st_mtime_ns
        instance.event_log_storage.store_event(_log_event(run_id, "second"))
        assert not _changes_within(files[0], 0.5, before)  # in the log, not yet in the file


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
