"""Run pure functions side by side in forked worker processes, results in input order.

A refresh runs its Dagster steps one after another (the in-process executor: one DuckDB file
has one writer, and a step process would pay the imports again). Within a step, the work that
needs no database (parsing a yearbook edition, fitting a table's models, drawing a report's
figures) runs in forked workers: a fork inherits the imported modules and the data already
read, so a worker starts in a few milliseconds. The parent reads from and writes to DuckDB;
the workers never touch a connection (they inherit the parent's, and must leave it alone).

``workers`` (default: ``YCW_WORKERS`` or the machine's cores) of 1, one item, or a platform
without ``fork`` (Windows; macOS, where forking a process that has loaded system frameworks is
unsafe) run the items in this process instead, with the same results in the same order.

A worker's exception reaches the parent as itself when it can be pickled (the parsers' errors
name file, sheet, row and column), else as a :class:`WorkerError` with its traceback's text.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from orchestration.gc_tuning import frozen

Item = TypeVar("Item")
Result = TypeVar("Result")
WORKERS_VARIABLE = "YCW_WORKERS"


# threads importing modules in the background: a fork must wait for them, as a module half
# imported by another thread stays locked for ever in the forked child
_BACKGROUND_IMPORTS: list[threading.Thread] = []


def import_in_background(*modules: str) -> None:
    """Import ``modules`` in a thread, while this process waits on its workers: the first
    import of Great Expectations costs about 3 s of one core, which the raw step's wait for its
    parsers can hide. An import error is left to the code that imports the module for use
    (Python then raises it there). The next :func:`fork_map` waits for the thread first."""
    missing = [name for name in modules if name not in sys.modules]
    if not missing:
        return
    thread = threading.Thread(target=_import_quietly, args=(missing,),
                              name="background-import", daemon=True)
    thread.start()
    _BACKGROUND_IMPORTS.append(thread)


def _import_quietly(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - raised again where the module is used
            return


def wait_for_background_imports() -> None:
    """Join the threads of :func:`import_in_background` (before any fork)."""
    while _BACKGROUND_IMPORTS:
        _BACKGROUND_IMPORTS.pop().join()


class WorkerError(RuntimeError):
    """An exception of a worker that could not be pickled back: its type, text and traceback."""


def worker_count(requested: int | None = None) -> int:
    """``requested`` if given, else ``YCW_WORKERS``, else the cores this process may use."""
    if requested is not None:
        return max(1, int(requested))
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"{WORKERS_VARIABLE}={configured!r}: expected a whole number of "
                             "worker processes (1 runs everything in the refresh's process)"
                             ) from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Fork is available and safe here: Linux (and other POSIX systems but macOS)."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and sys.platform != "darwin" and not sys.platform.startswith("win"))


# the work of each fork_map call, by call: the workers inherit it when they fork, so only an
# index travels to them and only the result comes back (pickled)
_WORK: dict[int, tuple[Callable[[Any], Any], list[Any]]] = {}


def _call(call: int, index: int) -> tuple[bool, Any]:
    """In a worker: (True, result) or (False, the exception, or a picklable stand-in)."""
    function, items = _WORK[call]
    try:
        return True, function(items[index])
    except BaseException as error:  # noqa: BLE001 - handed to the parent, raised there
        try:
            pickle.loads(pickle.dumps(error))
            return False, error
        except Exception:  # an exception type whose arguments do not survive pickling
            text = "".join(traceback.format_exception(error))
            return False, WorkerError(f"{type(error).__name__}: {error}\n{text}")


def fork_map(function: Callable[[Item], Result], items: Sequence[Item],
             workers: int | None = None,
             while_working: Callable[[], None] | None = None,
             cost: Callable[[Item], float] | None = None) -> Iterator[Result]:
    """``function(item)`` for every item, yielded in the order of ``items`` as each is ready
    (later items keep running in the workers while the caller handles an earlier one).

    ``function`` (a closure will do) and ``items`` reach the workers by fork: nothing is
    pickled on the way there, so a frame read from DuckDB costs nothing to hand over; each
    result comes back pickled. The first exception is raised in the caller once the earlier
    results have been yielded; the items not yet started are dropped. ``while_working`` is called
    once the workers have started (after the fork), e.g. :func:`import_in_background`; in the
    caller's process, it is called before the first item.

    ``cost`` (an estimate of an item's work, e.g. its input's size) makes the workers start the
    costliest items first, the results still coming in the order of ``items``: a long item
    started last would keep one worker busy while the others wait (the raw step's two large
    editions, ~2 s each, among ten of ~0.3 s).
    """
    for _, result in _fork_run(function, items, workers, while_working, in_order=True,
                               cost=cost):
        yield result


def fork_map_as_completed(function: Callable[[Item], Result], items: Sequence[Item],
                          workers: int | None = None,
                          while_working: Callable[[], None] | None = None,
                          cost: Callable[[Item], float] | None = None
                          ) -> Iterator[tuple[int, Result]]:
    """(index in ``items``, ``function(item)``) as each finishes, as :func:`fork_map` otherwise:
    the caller handles whichever item is ready (writes it, checks it) while the workers go on
    with the others. In this process (one worker, no fork) the items come in order."""
    yield from _fork_run(function, items, workers, while_working, in_order=False, cost=cost)


def _fork_run(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None,
              while_working: Callable[[], None] | None, in_order: bool,
              cost: Callable[[Item], float] | None = None) -> Iterator[tuple[int, Result]]:
    items = list(items)
    count = min(worker_count(workers), len(items))
    # one item goes to a worker too when there is something to do meanwhile
    alongside = count == 1 and while_working is not None and worker_count(workers) > 1
    if (count <= 1 and not alongside) or not can_fork():
        if while_working is not None:
            while_working()
        for index, item in enumerate(items):
            yield index, function(item)
        return
    wait_for_background_imports()
    call = id(items)
    _WORK[call] = (function, items)
    context = multiprocessing.get_context("fork")
    # the fork context starts every worker at the first submit, after _WORK holds this call
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
    try:
        # the workers fork at the first submit: with the parent's objects frozen, a worker's
        # garbage collections skip them and leave their pages shared (not copied on write,
        # ~15% of a report figure's time); the parent collects them again right after, unless
        # a refresh keeps them frozen (orchestration/gc_tuning.py)
        with frozen():
            futures = _submit(pool, call, _start_order(items, cost))
        if while_working is not None:  # the fork context has started every worker by now
            while_working()
        index_of = {future: index for index, future in enumerate(futures)}
        for future in futures if in_order else as_completed(futures):
            succeeded, value = future.result()
            if not succeeded:
                raise value
            yield index_of[future], value
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORK.pop(call, None)


def _start_order(items: list[Any], cost: Callable[[Any], float] | None) -> list[int]:
    """The indexes of ``items`` in the order the workers should start them: costliest first
    (ties in the order of ``items``), or the order of ``items`` without a ``cost``."""
    if cost is None:
        return list(range(len(items)))
    costs = [cost(item) for item in items]
    return sorted(range(len(items)), key=lambda index: -costs[index])


def _submit(pool: ProcessPoolExecutor, call: int, order: list[int]) -> list[Any]:
    """Submit the items of ``call`` in ``order`` (the pool starts them in that order); their
    futures by item index."""
    futures: list[Any] = [None] * len(order)
    for index in order:
        futures[index] = pool.submit(_call, call, index)
    return futures
