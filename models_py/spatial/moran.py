"""Global Moran's I with its moments under normality and under randomisation.

I = (n / S0) z'Wz / z'z, z the deviations from the mean, S0 the sum of the weights.
E[I] = -1/(n-1). With S1 = 1/2 sum_ij (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2 and the
kurtosis b2 = n sum z^4 / (sum z^2)^2 (Cliff and Ord 1981, ch. 2):
  Var_N[I] = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E[I]^2
  Var_R[I] = [n((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2((n^2 - n) S1 - 2n S2 + 6 S0^2)]
             / ((n - 1)(n - 2)(n - 3) S0^2) - E[I]^2
z = (I - E[I]) / sqrt(Var), two-sided p from the standard normal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


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


def global_moran(values: np.ndarray, w: np.ndarray) -> MoranResult:
    """Moran's I of ``values`` (n) under the weight matrix ``w`` (n x n, zero diagonal)."""
    y = np.asarray(values, dtype=float)
    n = len(y)
    if w.shape != (n, n):
        raise ValueError(f"weights are {w.shape}, values have {n} elements")
    z = y - y.mean()
    s0 = w.sum()
    s1 = 0.5 * ((w + w.T) ** 2).sum()
    s2 = ((w.sum(axis=1) + w.sum(axis=0)) ** 2).sum()
    i = n / s0 * (z @ w @ z) / (z @ z)
    expected = -1.0 / (n - 1)
    var_n = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected ** 2
    b2 = n * (z ** 4).sum() / (z @ z) ** 2
    var_r = ((n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0)
              - b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0))
             / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - expected ** 2)
    z_n, z_r = (i - expected) / np.sqrt(var_n), (i - expected) / np.sqrt(var_r)
    return MoranResult(i, expected, var_n, var_r, z_n, z_r,
                       2 * stats.norm.sf(abs(z_n)), 2 * stats.norm.sf(abs(z_r)), n)


def moran_by_year(
    panel: pd.DataFrame, variable: str, w: np.ndarray, codes: list[str],
    entity: str = "province_code", time: str = "year",
) -> pd.DataFrame:
    """One row per year: Moran's I of ``variable`` across the entities in ``codes`` order."""
    rows = []
    for year, part in panel.groupby(time):
        values = part.set_index(entity)[variable].reindex(codes)
        if values.isna().any():
            continue
        result = global_moran(values.to_numpy(), w)
        rows.append({"variable": variable, time: year, **result.__dict__})
    return pd.DataFrame(rows)
