"""Global Moran's I with its moments under normality and under randomisation.

I = (n / S0) z'Wz / z'z, z the deviations from the mean, S0 the sum of the weights.
E[I] = -1/(n-1). With S1 = 1/2 sum_ij (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2 and the
kurtosis b2 = n sum z^4 / (sum z^2)^2 (Cliff and Ord 1981, ch. 2):
  Var_N[I] = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E[I]^2
  Var_R[I] = [n((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2((n^2 - n) S1 - 2n S2 + 6 S0^2)]
             / ((n - 1)(n - 2)(n - 3) S0^2) - E[I]^2
z = (I - E[I]) / sqrt(Var), two-sided p from the standard normal. The randomisation moments need
n >= 4 (the denominator has (n - 3)); for n = 3 they are NaN. Constant values (z'z = 0) leave I
undefined: ``global_moran`` raises, the per-year tables give a row of NaN for that year.

Local Moran (Anselin 1995, "Local indicators of spatial association - LISA", Geogr. Anal. 27):
  I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2,
the scaling of esda's Moran_Local (so that sum_i I_i = (n - 1) z'Wz / z'z). Inference by
conditional permutation: z_i is held fixed, the values of its |N(i)| neighbours are replaced by
a random draw without replacement from the other n - 1 values (one draw of indices per
permutation, shared by every i, as in esda's crand), giving `permutations` simulated I_i. The
pseudo p-value is esda's folded ("directed") one: with G the number of simulated I_i >= the
observed one, p = (min(G, P - G) + 1) / (P + 1), the one-sided p in the direction of the observed
statistic (at most about 0.5; double it for a two-sided test). Cluster labels: the quadrant of
(z_i, (Wz)_i) -- HH (z_i > 0, lag > 0), LH (z_i <= 0, lag > 0), LL (both <= 0), HL (z_i > 0,
lag <= 0), esda's convention for zeros -- when p < alpha, else "not significant".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from models_py.estimation.panel_transforms import plain
from models_py.spatial.weights import SpatialWeights, check_weights, weights_matrix

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's numbering of Moran_Local.q
NOT_SIGNIFICANT = "not significant"


@dataclass(frozen=True)
class MoranResult:
    i: float
    expected: float
    var_normality: float
    var_randomisation: float
    z_normality: float
    z_randomisation: float
    p_normality: float
    p_randomisation: float
    n: int


def global_moran(values: np.ndarray, w: np.ndarray | SpatialWeights) -> MoranResult:
    """Moran's I of ``values`` (n, in the order of W's rows) under the weight matrix ``w``
    (n x n, zero diagonal; an array or a ``SpatialWeights``).

    Raises ValueError for fewer than 3 values, weights summing to zero or constant values (I is
    0/0). The randomisation moments are NaN for n = 3 (they divide by n - 3).
    """
    y = np.asarray(values, dtype=float)
    w = weights_matrix(w)
    n = len(y)
    if w.shape != (n, n):
        raise ValueError(f"weights are {w.shape}, values have {n} elements")
    if n < 3:
        raise ValueError(f"Moran's I needs at least 3 values, got {n}")
    z = y - y.mean()
    s0 = w.sum()
    if s0 == 0:
        raise ValueError("the weights sum to zero: no pair of neighbours")
    if z @ z == 0:
        raise ValueError("the values are constant: Moran's I (z'Wz / z'z) is undefined")
    s1 = 0.5 * ((w + w.T) ** 2).sum()
    s2 = ((w.sum(axis=1) + w.sum(axis=0)) ** 2).sum()
    i = n / s0 * (z @ w @ z) / (z @ z)
    expected = -1.0 / (n - 1)
    var_n = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected ** 2
    z_n = (i - expected) / np.sqrt(var_n)
    if n > 3:
        b2 = n * (z ** 4).sum() / (z @ z) ** 2
        var_r = ((n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0)
                  - b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0))
                 / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - expected ** 2)
        z_r = (i - expected) / np.sqrt(var_r)
        p_r = 2 * stats.norm.sf(abs(z_r))
    else:  # the randomisation variance divides by n - 3
        var_r = z_r = p_r = float("nan")
    return MoranResult(i, expected, var_n, var_r, z_n, z_r, 2 * stats.norm.sf(abs(z_n)), p_r, n)


def global_moran_panel(
    panel: pd.DataFrame, variables: Sequence[str], w: SpatialWeights,
    entity: str = "province_code", time: str = "year",
) -> pd.DataFrame:
    """Tidy table of global Moran's I per variable and period.

    One row per (variable, period) with columns variable, ``time``, i, expected,
    var_normality, var_randomisation, z_normality, z_randomisation, p_normality,
    p_randomisation and n; values are matched to ``w.ids`` by label (an id of W that never
    occurs in the panel is refused). Periods where a variable is missing for some entity are
    left out; periods where it is constant across entities get NaN statistics (I is undefined
    there).
    """
    present = set(panel[entity])
    never = [i for i in w.ids if i not in present]
    if never:  # a unit of W absent in every period (often ids of another type): refuse
        sample = panel[entity].iloc[0] if len(panel) else None
        raise ValueError(f"W '{w.name}' has ids that never occur in the panel's {entity}: "
                         + ", ".join(map(repr, never[:10]))
                         + f" (the panel's ids look like {plain(sample)!r}, of type "
                         f"{type(plain(sample)).__name__})")
    fields = list(MoranResult.__dataclass_fields__)
    rows = []
    for variable in variables:
        for period, part in panel.groupby(time):
            values = part.set_index(entity)[variable].reindex(list(w.ids))
            if values.isna().any():
                continue
            values = values.to_numpy(dtype=float)
            if np.ptp(values) == 0:
                result = dict.fromkeys(fields, float("nan")) | {"n": len(values)}
            else:
                result = global_moran(values, w).__dict__
            rows.append({"variable": variable, time: period, **result})
    return pd.DataFrame(rows, columns=["variable", time, *fields])


def moran_by_year(
    panel: pd.DataFrame, variable: str, w: SpatialWeights,
    entity: str = "province_code", time: str = "year",
) -> pd.DataFrame:
    """One row per year: Moran's I of ``variable`` across the entities of ``w`` (matched by
    label; ``global_moran_panel`` for one variable)."""
    return global_moran_panel(panel, [variable], w, entity, time)


def local_moran(
    values: np.ndarray | pd.Series, w: np.ndarray | SpatialWeights,
    codes: Sequence | None = None, permutations: int = 999,
    seed: int = 12345, alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran I_i with conditional-permutation pseudo p-values and cluster labels.

    ``w`` (n x n; row-standardised for the usual reading of the lag) must have a zero diagonal
    and no island. With a ``SpatialWeights``, ``codes`` are its ids and a ``pandas.Series`` of
    values is matched to them by label (an array is taken in the order of the ids). Returns
    one row per unit in the order of W's rows: code, value, z (the deviation from the mean
    divided by the standard deviation, ddof 0), lag ((Wz)_i), i (I_i), quadrant (HH, LH, LL,
    HL), p_sim (folded pseudo p-value, see the module docstring; NaN when ``permutations`` is
    0) and cluster (the quadrant when p_sim < ``alpha``, else "not significant"). Seeded: the
    same ``seed`` gives the same p-values.
    """
    if isinstance(w, SpatialWeights):
        codes = list(w.ids)
        if isinstance(values, pd.Series):
            missing = [c for c in codes if c not in values.index]
            if missing:
                raise ValueError(f"no value for {', '.join(map(str, missing[:10]))} of W "
                                 f"'{w.name}'")
            values = values.loc[codes]
    y = np.asarray(values, dtype=float)
    n = len(y)
    w = weights_matrix(w)
    check_weights(w, codes, name="local Moran weights")
    if w.shape[0] != n:
        raise ValueError(f"weights are {w.shape}, values have {n} elements")
    if np.ptp(y) == 0:
        raise ValueError("the values are constant: local Moran's I is undefined")
    z = (y - y.mean()) / y.std()
    scaling = (n - 1) / (z @ z)
    lag = w @ z
    local = scaling * z * lag
    quadrant = np.where(z > 0, np.where(lag > 0, "HH", "HL"), np.where(lag > 0, "LH", "LL"))
    p_sim = np.full(n, np.nan)
    if permutations:
        p_sim = _conditional_permutation_p(z, w, local, scaling, permutations, seed)
    cluster = np.where(p_sim < alpha, quadrant, NOT_SIGNIFICANT)
    return pd.DataFrame({"code": list(codes) if codes is not None else np.arange(n),
                         "value": y, "z": z, "lag": lag, "i": local, "quadrant": quadrant,
                         "p_sim": p_sim, "cluster": cluster})


def _conditional_permutation_p(z: np.ndarray, w: np.ndarray, observed: np.ndarray,
                               scaling: float, permutations: int, seed: int) -> np.ndarray:
    """Folded pseudo p-values of I_i: neighbours' values drawn from the other n - 1 values."""
    n = len(z)
    neighbours = [np.flatnonzero(row) for row in w]
    max_card = max(len(j) for j in neighbours)
    rng = np.random.default_rng(seed)
    # one draw of max_card distinct indices into the n - 1 other values per permutation
    draws = rng.permuted(np.tile(np.arange(n - 1), (permutations, 1)), axis=1)[:, :max_card]
    p = np.empty(n)
    for i, j in enumerate(neighbours):
        others = np.delete(z, i)
        simulated = scaling * z[i] * (others[draws[:, :len(j)]] @ w[i, j])
        larger = int((simulated >= observed[i]).sum())
        p[i] = (min(larger, permutations - larger) + 1) / (permutations + 1)
    return p
