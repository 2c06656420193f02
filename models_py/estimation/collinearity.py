"""Variance inflation factors of a set of regressors and their mean (Stata's ``estat vif``).

VIF_j = 1 / (1 - R_j^2), R_j^2 from the OLS regression of regressor j on the other regressors
and a constant (statsmodels' ``variance_inflation_factor`` on the design with a constant
column; the constant's own VIF is not reported). Rows with a missing value in any regressor are
dropped first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.outliers_influence import variance_inflation_factor

MEAN_ROW = "Mean VIF"


def variance_inflation(data: pd.DataFrame, regressors: list[str]) -> pd.DataFrame:
    """One row per regressor (term, vif, tolerance = 1/vif), then a ``Mean VIF`` row."""
    if len(regressors) < 2:
        raise ValueError(f"VIF needs at least two regressors, got {regressors}")
    missing = [c for c in regressors if c not in data.columns]
    if missing:
        raise KeyError(f"VIF: columns {missing} are not in the data")
    design = data[regressors].dropna().to_numpy(dtype=float)
    design = np.column_stack([np.ones(len(design)), design])
    vifs = [float(variance_inflation_factor(design, j + 1)) for j in range(len(regressors))]
    table = pd.DataFrame({"term": regressors, "vif": vifs,
                          "tolerance": [1 / v for v in vifs]})
    mean = float(np.mean(vifs))
    return pd.concat([table, pd.DataFrame({"term": [MEAN_ROW], "vif": [mean],
                                           "tolerance": [1 / mean]})], ignore_index=True)
