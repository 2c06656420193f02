"""Python's garbage collector during a refresh.

A refresh's process holds some 400,000 objects once Dagster, dbt and the models are imported,
and each full collection scans all of them again (about 0.2 s each); dbt, Dagster and pandas
allocate enough containers during a refresh to set off about 1,500 collections. Measured on the
full demo refresh: 1.5-1.8 s of collection; with the objects alive at the start of the run
frozen (``gc.freeze``: left out of every collection) and the youngest generation collected
every 50,000 allocations instead of 700, 0.7 s. Both are undone when the run ends (tests run
many refreshes in one process): objects that die while frozen are still freed by their
reference counts, only cycles among them wait for the end of the run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

REFRESH_THRESHOLD = 50_000
"""Allocations between two collections of the youngest generation during a refresh (Python's
default: 700)."""

_frozen_depth = 0


@contextmanager
def frozen() -> Iterator[None]:
    """``gc.freeze()`` for the duration; nested uses unfreeze only when the outermost ends (a
    forked worker pool inside a refresh must not unfreeze the refresh's objects)."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


@contextmanager
def refresh_collector(threshold: int = REFRESH_THRESHOLD) -> Iterator[None]:
    """The collector of a refresh: the objects alive now frozen, the youngest generation
    collected every ``threshold`` allocations; both restored on exit."""
    old = gc.get_threshold()
    with frozen():
        gc.set_threshold(threshold, *old[1:])
        try:
            yield
        finally:
            gc.set_threshold(*old)
