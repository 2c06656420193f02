"""A refresh's garbage collection (orchestration/gc_tuning.py): set for the run, undone after,
and not undone early by a worker pool inside it."""

from __future__ import annotations

import gc

from orchestration.gc_tuning import REFRESH_THRESHOLD, frozen, refresh_collector


def test_the_refresh_collector_is_set_for_the_run_and_restored_after() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    alive = [object() for _ in range(10)]
    with refresh_collector():
        assert gc.get_threshold() == (REFRESH_THRESHOLD, *before[1:])
        frozen_count = gc.get_freeze_count()
        assert frozen_count >= len(alive)
        with frozen():  # a worker pool forking inside the run
            assert gc.get_freeze_count() >= frozen_count
        assert gc.get_freeze_count() >= frozen_count  # still frozen: the run has not ended
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_worker_pool_outside_a_run_unfreezes_when_it_is_done() -> None:
    with frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
