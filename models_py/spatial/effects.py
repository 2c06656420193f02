"""Direct, indirect and total effects of spatial panel models (LeSage and Pace 2009, ch. 2).

For SAR/SDM, the marginal effects of regressor k are S_k(W) = (I - rho W)^-1 (b_k I + theta_k W)
(theta_k = 0 in SAR): direct = mean of the diagonal of S_k, total = mean row sum, indirect =
total - direct. With the eigenvalues w_i of W (S_k is a function of W, so its trace is the sum
of that function over the eigenvalues) and a row-standardised W (W 1 = 1):
  direct_k = (1/N) sum_i (b_k + theta_k w_i) / (1 - rho w_i),  total_k = (b_k + theta_k)/(1 - rho).
For a sparse W the means over the eigenvalues come from the power series in tr(W^k)/N
(``models_py.spatial.sparse``; LeSage and Pace 2009, sec. 4.2).
For SEM/SDEM the effects are direct = b_k, indirect = theta_k, total = b_k + theta_k.
Inference: the parameters are drawn ``draws`` times from their asymptotic normal distribution
N(estimates, cov) with a seeded generator; each draw costs O(N), vectorised over draws. Effects
are in the units of the coefficients (d y / d x).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from models_py.spatial.results import ERROR_MODELS, SpatialPanelResults, durbin_name
from models_py.spatial.weights import SpatialWeights

EFFECTS = ("direct", "indirect", "total")
DEFAULT_SEED = 20240601


def _weights(results: SpatialPanelResults, w: SpatialWeights | None) -> SpatialWeights:
    """The W of the fit (or ``w``, which must have the fit's ids), row-standardised."""
    if w is None:
        w = results.weights
    if w is None:
        raise ValueError("pass w: these results do not carry their weights")
    if results.weights is not None and tuple(w.ids) != tuple(results.weights.ids):
        raise ValueError(f"W '{w.name}' has other ids (or another order) than the W "
                         f"'{results.weights.name}' of the fit")
    if not w.row_standardised:
        raise ValueError(f"{w.not_row_standardised()}: the eigenvalue formula of the total "
                         "effect needs a row-standardised W (every row summing to one)")
    return w


def _effects(results: SpatialPanelResults, sample: np.ndarray, w: SpatialWeights
             ) -> dict[str, np.ndarray]:
    """Effects for parameter vectors ``sample`` (draws x parameters in ``results.params``
    order): arrays draws x regressors."""
    index = {name: i for i, name in enumerate(results.params.index)}
    b = sample[:, [index[r] for r in results.regressors]]
    theta = np.zeros_like(b)
    for j, r in enumerate(results.regressors):
        if durbin_name(r) in index:
            theta[:, j] = sample[:, index[durbin_name(r)]]
    if results.model in ERROR_MODELS:
        return {"direct": b, "indirect": theta, "total": b + theta}
    rho = sample[:, -1][:, None]
    mean_inverse, mean_w_inverse, _ = w.resolvent_means(sample[:, -1])  # per draw, O(N) each
    mean_inverse, mean_w_inverse = mean_inverse[:, None], mean_w_inverse[:, None]
    direct = b * mean_inverse + theta * mean_w_inverse
    total = (b + theta) / (1 - rho)
    return {"direct": direct, "indirect": total - direct, "total": total}


def point_effects(results: SpatialPanelResults, w: SpatialWeights | None = None) -> pd.DataFrame:
    """Direct, indirect and total effects at the estimates (rows: regressors)."""
    w = _weights(results, w)
    values = _effects(results, results.params.to_numpy()[None, :], w)
    return pd.DataFrame({e: values[e][0] for e in EFFECTS}, index=list(results.regressors))


def simulated_effects(results: SpatialPanelResults, w: SpatialWeights | None = None,
                      draws: int = 1000, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Effects with inference from ``draws`` seeded draws of the parameters.

    One row per regressor and effect: ``point`` (at the estimates), ``mean``, ``sd``,
    ``t`` = mean/sd and the two-sided normal ``p_value`` (NaN where the effect is identically
    zero, e.g. the indirect effect of a SEM).
    """
    w = _weights(results, w)
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal(results.params.to_numpy(), results.cov.to_numpy(), draws)
    simulated = _effects(results, sample, w)
    point = _effects(results, results.params.to_numpy()[None, :], w)
    rows = []
    for j, name in enumerate(results.regressors):
        for effect in EFFECTS:
            values = simulated[effect][:, j]
            mean, sd = values.mean(), values.std(ddof=1)
            t = mean / sd if sd > 0 else np.nan
            rows.append({"term": name, "effect": effect, "point": point[effect][0, j],
                         "mean": mean, "sd": sd, "t": t,
                         "p_value": 2 * stats.norm.sf(abs(t)) if sd > 0 else np.nan})
    return pd.DataFrame(rows)


def sar_point_effects(results: SpatialPanelResults, w: SpatialWeights | None = None
                      ) -> pd.DataFrame:
    """Point effects of a SAR or SDM fit (kept name; see ``point_effects``)."""
    return point_effects(results, w)


def sar_simulated_effects(results: SpatialPanelResults, w: SpatialWeights | None = None,
                          draws: int = 1000, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Simulated effects with columns term, effect, mean, sd, t, p_value (kept name; see
    ``simulated_effects``)."""
    return simulated_effects(results, w, draws, seed).drop(columns="point")
