"""Runs of equal values in the columns of a parsed frame.

A parser writes the rows of one file, and of one sheet, together, so work per file or sheet can
read the runs of equal values instead of grouping every cell; and a text column (file, sheet,
entity, unit) holds few runs, so work per value can be done once per run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NULL = object()
"""A null (None, NaN, pd.NA) as one value: NaN is not equal to itself, so it cannot be a key."""


def null_as_one(value: object) -> object:
    """``NULL`` for None, NaN and pd.NA, the value itself otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return NULL
    return value


def run_starts(*columns: np.ndarray) -> np.ndarray:
    """Positions where a run of rows equal in every one of ``columns`` starts (none for empty
    columns). Values are compared with ``!=``, so each NaN starts a run of its own."""
    n = len(columns[0])
    changed = np.zeros(max(n - 1, 0), dtype=bool)
    for values in columns:
        changed |= values[1:] != values[:-1]
    return np.flatnonzero(np.r_[n > 0, changed])


def run_lengths(starts: np.ndarray, n: int) -> np.ndarray:
    """The length of each run of ``n`` rows starting at ``starts``."""
    return np.diff(np.r_[starts, n])
