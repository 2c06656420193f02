"""A second refresh while one runs is refused at once, naming the running one's pid and start."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.paths import PROJECT_ROOT, WarehousePaths
from orchestration.refresh_lock import RefreshAlreadyRunning, acquire_refresh_lock
from orchestration.resources import WarehouseResource, dbt_resource

HOLDER = """
import sys, time
from pathlib import Path
from orchestration.paths import WarehousePaths
from orchestration.refresh_lock import acquire_refresh_lock
lock = acquire_refresh_lock(WarehousePaths(Path(sys.argv[1])))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def running_refresh(tmp_path: Path):
    """Another process holding the warehouse's refresh lock (as a running refresh does)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=PROJECT_ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield holder
    holder.kill()
    holder.wait()


def test_make_run_is_refused_at_once(tmp_path: Path, running_refresh, capsys) -> None:
    started = time.monotonic()
    assert main(["run", "--root", str(tmp_path), "--years", "2010", "2011"]) == 1
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.startswith(f"Refused: a refresh is already running (pid {running_refresh.pid}, "
                          "started at 20"), err
    assert not WarehousePaths(tmp_path).raw_root.exists()  # nothing was started


def test_a_dagster_run_is_refused_at_once(tmp_path: Path, running_refresh) -> None:
    warehouse = WarehouseResource(root=str(tmp_path), demo_first_year=2010, demo_last_year=2011)
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        defs.resolve_job_def("refresh_all").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            resources={"warehouse": warehouse, "dbt": dbt_resource()})
    assert time.monotonic() - started < 30
    cause = caught.value.__cause__  # Dagster wraps the resource's error
    assert isinstance(cause, RefreshAlreadyRunning)
    assert f"a refresh is already running (pid {running_refresh.pid}" in str(cause)


def test_demo_off_is_refused_while_a_refresh_runs(tmp_path: Path, running_refresh,
                                                   capsys) -> None:
    assert main(["demo-off", "--root", str(tmp_path)]) == 1
    assert "a refresh is already running" in capsys.readouterr().err


def test_the_lock_of_a_killed_refresh_is_free(tmp_path: Path, running_refresh) -> None:
    with pytest.raises(RefreshAlreadyRunning):
        acquire_refresh_lock(WarehousePaths(tmp_path))
    running_refresh.send_signal(signal.SIGKILL)
    running_refresh.wait()
    acquire_refresh_lock(WarehousePaths(tmp_path)).release()
