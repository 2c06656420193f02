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


def _sqlite_instance(home: Path) -> dg.DagsterInstance:
    """An instance storing runs and events in SQLite files under ``home``, as make run's
    (dagster.yaml), telemetry off."""
    return dg.DagsterInstance.local_temp(tempdir=str(home),
                                         overrides={"telemetry": {"enabled": False}})


def _log_event(run_id: str, text: str) -> EventLogEntry:
    return EventLogEntry(error_info=None, level=20, user_message=text, run_id=run_id,
                         timestamp=time.time(), step_key="step", job_name="job",
                         dagster_event=None)


def test_sqlite_files_held_during_the_run(tmp_path: Path) -> None:
    instance = _sqlite_instance(tmp_path)
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
    instance = _sqlite_instance(tmp_path)
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
    instance = _sqlite_instance(tmp_path)
    run_id = str(uuid.uuid4())
    instance.event_log_storage.store_event(_log_event(run_id, "first"))
    assert not Path(instance.event_log_storage.path_for_shard(run_id) + "-wal").exists()


def test_in_memory_storage_needs_nothing() -> None:
    with held_event_log_files(dg.DagsterInstance.ephemeral(), str(uuid.uuid4())) as files:
        assert files == []


def test_a_run_stores_its_events_through_kept_connections(tmp_path: Path) -> None:
    """A run (an asset and its check) while the files are held: its events go through one kept
    connection per file, and read back, with the index's records, afterwards; the storage is
    Dagster's class again once the block ends."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from orchestration.event_log import _KeptConnections

    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="numbers")])
    def numbers():
        yield dg.MaterializeResult(metadata={"rows": 3})
        yield dg.AssetCheckResult(passed=True)

    instance = _sqlite_instance(tmp_path)
    run_id = str(uuid.uuid4())
    with held_event_log_files(instance, run_id):
        storage = instance.event_log_storage
        assert type(storage) is _KeptConnections
        job = dg.Definitions(assets=[numbers]).resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=instance, run_id=run_id)
        assert set(storage._kept) == {run_id, "index"}
    assert result.success
    assert type(instance.event_log_storage) is SqliteEventLogStorage
    assert not hasattr(instance.event_log_storage, "_kept")
    event = instance.get_latest_materialization_event(dg.AssetKey("numbers"))
    assert event.run_id == run_id
    assert event.asset_materialization.metadata["rows"].value == 3
    check = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(dg.AssetKey("numbers"), "positive"), limit=1)
    assert check[0].run_id == run_id
    kinds = [e.dagster_event.event_type_value for e in instance.all_logs(run_id)
             if e.dagster_event]
    assert kinds[-1] == "PIPELINE_SUCCESS" and "ASSET_CHECK_EVALUATION" in kinds
