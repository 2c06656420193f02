"""One refresh at a time per warehouse: a second one is refused at once, with who holds it.

The lock is an advisory ``flock`` on ``data/warehouse/refresh.lock``, taken for the length of a run
by the warehouse resource (every materialization, from ``make run``, the UI, the schedule or the
sensor) and tried by ``make run`` and ``make demo-off`` before they start. The file records the
holder's pid and start time for the message; the operating system releases the lock when the
holder exits, even on ``kill -9``, so a stale file never blocks a later refresh.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from orchestration.paths import WarehousePaths

LOCK_NAME = "refresh.lock"


class RefreshAlreadyRunning(RuntimeError):
    """Raised when another process holds the warehouse's refresh lock."""


class RefreshLock:
    """The held lock; ``release()`` (idempotent) lets the next refresh start."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd: int | None = fd
        self.path = path

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> RefreshLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    return f"pid {info.get('pid', '?')}, started at {info.get('started_at', '?')}"


def acquire_refresh_lock(paths: WarehousePaths) -> RefreshLock:
    """Take the warehouse's refresh lock or raise RefreshAlreadyRunning at once (no waiting)."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = paths.warehouse_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RefreshAlreadyRunning(
            f"a refresh is already running ({_holder(path)}) on {paths.build_db}; "
            "wait for it to finish") from None
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": os.getpid(), "started_at": started}).encode())
    return RefreshLock(fd, path)


def refuse_if_running(paths: WarehousePaths) -> None:
    """Raise RefreshAlreadyRunning when another process refreshes this warehouse."""
    acquire_refresh_lock(paths).release()
