"""Scale of the spatial panel engine: two-way FE spatial Durbin panel plus effects.

For N in {30, 300, 1000, 2851} regions and T = 20 years, a synthetic SDM panel
(y = 0.4 W y + X b + W X theta + mu + alpha + e, two regressors) on a k-nearest-neighbour W
(k = 6 on random points by great-circle distance, symmetrised and then row-standardised, so
W is similar to a symmetric matrix and its eigenvalues come from one symmetric
eigendecomposition). Timed: the two-way FE SDM fit (the Lee-Yu transformation approach with
the direct and bc = 1 alternatives, and the eigendecomposition of W) plus
direct/indirect/total effects from 1,000 draws;
wall-clock seconds are the best of three runs (two for N = 2851).
Peak memory by tracemalloc (numpy's allocations) in a second, untimed run. Beside it, spreg's
``ML_LagFE`` with ``slx_lags=1`` on the same data demeaned over time first (spreg has entity
effects only), as a time ratio; skipped for N = 2851, where its dense N x N work needs several
GB and minutes on a 2-core machine (1.2 GB already at N = 1000, stack notes).
Then the sparse path (W as scipy.sparse; log-determinant, traces and effects from the moments
tr(W^k)/N, ``models_py.spatial.sparse``) for N = 10,000 on the same kind of W: no dense N x N
matrix anywhere.

Run: .venv/bin/python benchmarks/spatial_scale.py
"""

from __future__ import annotations

import resource
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from models_py.spatial.effects import simulated_effects
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

SIZES = (30, 300, 1000, 2851)
SPARSE_SIZES = (10_000,)
PERIODS = 20
SPREG_LIMIT = 1000
REPEATS = 3


def sdm_panel(w: np.ndarray, t: int) -> pd.DataFrame:
    """Long frame (i, t, y, x1, x2) from the two-way FE SDM with rho = 0.4 (dense or sparse W)."""
    return simulate_panel(w, t, "sdm", beta=(1.0, -0.5), theta=(0.5, 0.3), spatial=0.4, seed=1)


def engine(frame: pd.DataFrame, w: np.ndarray) -> pd.DataFrame:
    weights = SpatialWeights(w, range(w.shape[0]), "knn")  # new each run: eigenvalues timed
    fit = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", weights, "sdm", "twoways")
    return simulated_effects(fit, draws=1000, seed=1)


def best_of(run, args: tuple, repeats: int) -> float:
    """The shortest of ``repeats`` wall-clock times (s): the figure least disturbed by other
    processes on a shared machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def spreg_seconds(frame: pd.DataFrame, w: np.ndarray) -> float:
    import libpysal
    import spreg

    demeaned = frame.copy()
    for column in ("y", "x1", "x2"):  # time effects by demeaning over time first
        demeaned[column] -= demeaned.groupby("t")[column].transform("mean")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = libpysal.weights.full2W(w)
        weights.transform = "r"
        return best_of(lambda y, x: spreg.panel.ML_LagFE(y, x, weights, slx_lags=1,
                                                         spat_impacts="simple"),
                       (demeaned[["y"]].to_numpy(), demeaned[["x1", "x2"]].to_numpy()), REPEATS)


def main() -> None:
    warm_w = random_knn_weights(30)
    engine(sdm_panel(warm_w, PERIODS), warm_w)  # warm-up (imports, BLAS)
    print(f"Two-way FE SDM + effects (1,000 draws), T = {PERIODS}, kNN W (k = 6, symmetrised, "
          "row-standardised: symmetric eigen path)")
    print(f"{'N':>6} {'fit+effects s':>14} {'peak MB':>8} {'spreg ML_LagFE s':>17} "
          f"{'spreg/engine':>13}")
    for n in SIZES:
        w = random_knn_weights(n)
        frame = sdm_panel(w, PERIODS)
        seconds = best_of(engine, (frame, w), REPEATS if n < 2000 else 2)
        tracemalloc.start()
        engine(frame, w)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
        if n <= SPREG_LIMIT:
            reference = spreg_seconds(frame, w)
            spreg_cells = f"{reference:>17.2f} {reference / seconds:>12.1f}x"
        else:
            spreg_cells = f"{'skipped':>17} {'-':>13}"
        print(f"{n:>6} {seconds:>14.2f} {peak_mb:>8.0f} {spreg_cells}")
    print(f"spreg is skipped above N = {SPREG_LIMIT}: its dense N x N work would need several "
          "GB and minutes.")
    print("Sparse path (scipy.sparse W, moments tr(W^k)/N, sparse LU), same model and draws:")
    print(f"{'N':>6} {'fit+effects s':>14} {'peak MB':>8}")
    for n in SPARSE_SIZES:
        w = random_knn_weights(n, as_sparse=True)
        frame = sdm_panel(w, PERIODS)
        seconds = best_of(engine, (frame, w), 2)
        tracemalloc.start()
        engine(frame, w)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
        print(f"{n:>6} {seconds:>14.2f} {peak_mb:>8.0f}")
    print(f"process peak resident memory (all runs, spreg included): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
