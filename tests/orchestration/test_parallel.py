"""fork_map: the same results in the same order as a loop, errors raised as themselves."""

import os
import threading

import pytest

from orchestration.parallel import WorkerError, can_fork, fork_map, worker_count

needs_fork = pytest.mark.skipif(not can_fork(), reason="no safe fork on this platform")


class EditionError(ValueError):
    """A picklable error with a message, as the parsers raise."""


class StubbornError(Exception):
    """An error whose constructor takes two arguments: pickle cannot rebuild it."""

    def __init__(self, path, row):
        super().__init__(f"{path}: row {row}")


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


@needs_fork
def test_results_come_in_input_order_from_worker_processes():
    out = list(fork_map(_square_and_pid, [5, 1, 4, 2, 3], workers=2))
    assert [value for value, _ in out] == [25, 1, 16, 4, 9]
    assert os.getpid() not in {pid for _, pid in out}


def test_one_worker_runs_in_this_process():
    out = list(fork_map(_square_and_pid, [3, 2], workers=1))
    assert out == [(9, os.getpid()), (4, os.getpid())]


@needs_fork
def test_items_reach_workers_by_fork_not_pickle():
    lock = threading.Lock()  # cannot be pickled: it has to be inherited
    out = list(fork_map(lambda k: (k, type(lock).__name__), [1, 2, 3], workers=2))
    assert out == [(1, "lock"), (2, "lock"), (3, "lock")]


@needs_fork
def test_a_worker_error_is_raised_as_itself_after_earlier_results():
    def parse(k):
        if k == 3:
            raise EditionError("nbs/2024/table.xlsx, sheet 3-1, row 7, column C: expected a "
                               "number, found 'n.a.'")
        return k

    seen = []
    with pytest.raises(EditionError, match="row 7, column C"):
        for value in fork_map(parse, [1, 2, 3, 4], workers=2):
            seen.append(value)
    assert seen == [1, 2]


@needs_fork
def test_an_error_pickle_cannot_rebuild_arrives_with_its_text():
    def fail(_):
        raise StubbornError("ceads/2019/Beijing.xlsx", 12)

    with pytest.raises(WorkerError, match=r"StubbornError: ceads/2019/Beijing.xlsx: row 12"):
        list(fork_map(fail, [1, 2], workers=2))


def test_worker_count_reads_the_environment(monkeypatch):
    monkeypatch.setenv("YCW_WORKERS", "3")
    assert worker_count() == 3
    assert worker_count(1) == 1
    monkeypatch.setenv("YCW_WORKERS", "two")
    with pytest.raises(ValueError, match="YCW_WORKERS='two': expected a whole number"):
        worker_count()


@needs_fork
def test_work_alongside_the_workers_runs_after_they_fork():
    calls = []
    out = list(fork_map(_square_and_pid, [4], workers=2,
                        while_working=lambda: calls.append(os.getpid())))
    assert calls == [os.getpid()]  # once, in this process
    assert out[0][0] == 16 and out[0][1] != os.getpid()  # one item still went to a worker


def test_a_background_import_is_joined_before_the_next_fork():
    import sys

    from orchestration import parallel

    sys.modules.pop("json.tool", None)
    parallel.import_in_background("json.tool", "no_such_module_here")
    parallel.wait_for_background_imports()
    assert "json.tool" in sys.modules and not parallel._BACKGROUND_IMPORTS


def _sleep_then_return(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds


@needs_fork
def test_as_completed_gives_the_quick_item_first_with_its_index():
    from orchestration.parallel import fork_map_as_completed

    out = list(fork_map_as_completed(_sleep_then_return, [0.6, 0.0], workers=2))
    assert out == [(1, 0.0), (0, 0.6)]
    assert list(fork_map_as_completed(_sleep_then_return, [0.2, 0.0], workers=1)) == [
        (0, 0.2), (1, 0.0)]


def _start_time(_: int) -> float:
    import time

    time.sleep(0.05)
    return time.monotonic()


@needs_fork
def test_the_costliest_items_start_first_results_in_input_order():
    started = list(fork_map(_start_time, [1, 5, 3], workers=2, cost=lambda item: item))
    assert started[0] == max(started)  # the cheapest item started last
    squares = [square for square, _ in fork_map(_square_and_pid, [1, 5, 3], workers=2,
                                                cost=lambda item: item)]
    assert squares == [1, 25, 9]
