"""Transformations shared by the panel estimators: removing fixed effects by demeaning and
stacking a balanced panel by period (pure numerics, no estimator of its own).

``demean`` is the within transformation (Wooldridge 2010, ch. 10): entity effects y_it - ybar_i,
time effects y_it - ybar_t, both by alternating projections (exact after one pass on a balanced
panel, y_it - ybar_i - ybar_t + ybar; iterated to 1e-12 otherwise). ``stack_by_period`` orders a
balanced panel period by period, the units of each period in a given order (the layout
I_T (x) W acts on) and refuses anything else with a message that names what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def demean(
    values: np.ndarray, entity_codes: np.ndarray, time_codes: np.ndarray,
    entity_effects: bool, time_effects: bool, tol: float = 1e-12, max_iter: int = 10_000,
) -> np.ndarray:
    """Remove entity and/or time means from each column of ``values`` (N x m)."""
    out = np.array(values, dtype=float, copy=True)
    groups = []
    if entity_effects:
        groups.append(entity_codes)
    if time_effects:
        groups.append(time_codes)
    if not groups:
        return out
    for _ in range(max_iter):
        previous = out.copy()
        for codes in groups:
            counts = np.bincount(codes)
            for j in range(out.shape[1]):
                means = np.bincount(codes, weights=out[:, j]) / counts
                out[:, j] -= means[codes]
        if len(groups) == 1 or np.max(np.abs(out - previous)) < tol:
            break
    return out


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (so that messages print 2005, not
    np.int64(2005), and int64 ids count as int)."""
    return value.item() if isinstance(value, np.generic) else value


def _kind(values: Sequence) -> str:
    kinds = sorted({type(plain(v)).__name__ for v in values})
    return " and ".join(kinds)


def _listed(values: Sequence) -> str:
    return ", ".join(repr(plain(v)) for v in values[:10]) + (" ..." if len(values) > 10 else "")


def stack_by_period(data: pd.DataFrame, entity: str, time: str, entity_order: Sequence
                    ) -> tuple[pd.DataFrame, int, int]:
    """The panel sorted by period, then by ``entity_order`` (matched by label, never by
    position), with column ``_pos`` (the unit's position in ``entity_order``); returns
    (frame, N, T). Raises ValueError when the ids are of another type than ``entity_order``'s
    (str against int), when units are missing on either side, on duplicated (entity, period)
    pairs and on an unbalanced panel."""
    n = len(entity_order)
    ids = pd.unique(data[entity])
    position = {e: i for i, e in enumerate(entity_order)}
    unknown = [e for e in ids if e not in position]
    if unknown and len(unknown) == len(ids) and n and _kind(ids) != _kind(entity_order):
        raise ValueError(
            f"the panel's {entity} ids are {_kind(ids)} (e.g. {plain(ids[0])!r}) but the "
            f"weights' ids are {_kind(entity_order)} (e.g. {plain(entity_order[0])!r}): no id "
            "matches; convert one "
            "of them so that both are of the same type")
    if unknown:
        raise ValueError(f"the panel has {entity} ids that the weights do not have: "
                         + _listed(unknown))
    present = set(ids)
    absent = [e for e in entity_order if e not in present]
    if absent:
        raise ValueError(f"the weights have ids that are not in the panel's {entity}: "
                         + _listed(absent) + "; build W on the panel's units")
    frame = data.assign(_pos=data[entity].map(position)).sort_values([time, "_pos"])
    duplicated = frame.duplicated([time, "_pos"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ValueError(f"duplicated ({entity}, {time}) pair ({plain(first[entity])!r}, "
                         f"{plain(first[time])!r}) in the panel")
    t = frame[time].nunique()
    if len(frame) != n * t:
        counts = frame.groupby(time)["_pos"].size()
        short = counts[counts < n]
        raise ValueError(f"the spatial panel needs a balanced panel: {len(frame)} rows for {n} "
                         f"entities x {t} periods (periods with fewer units: "
                         + ", ".join(f"{p} ({c})" for p, c in short.head(5).items()) + ")")
    return frame, n, t
