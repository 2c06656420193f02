"""Lagrange multiplier tests for spatial lag and spatial error on a panel: pooled, individual,
time or two-way fixed effects.

Fixed effects are removed by demeaning (entity: y_it - ybar_i; time: y_it - ybar_t; two-way:
y_it - ybar_i - ybar_t + ybar; Elhorst 2014, sec. 3.2); the pooled model ("none") keeps y and X
as they are and adds a constant to X. From the OLS residuals e of that (demeaned) model,
sigma^2 = e'e/NT, with W_T = I_T x W, T_W = tr(WW + W'W) and
J = [ (W_T X b)' M (W_T X b) + T T_W sigma^2 ] / sigma^2,
M = I - X(X'X)^-1 X' (Anselin et al. 1996; Elhorst 2014, section 3.5):
  LM_lag   = (e' W_T y / s2)^2 / J
  LM_error = (e' W_T e / s2)^2 / (T T_W)
  robust LM_lag   = (e' W_T y / s2 - e' W_T e / s2)^2 / (J - T T_W)
  robust LM_error = (e' W_T e / s2 - (T T_W / J) e' W_T y / s2)^2 / (T T_W (1 - T T_W / J))
each chi-squared with one degree of freedom. The statistics are the cross-sectional LM tests of
Anselin (1988) with I_T x W as the weight matrix, so spreg's OLS spatial diagnostics on the
stacked, demeaned data with a block-diagonal W reproduce them; spreg's diagnostics_panel gives
the same LM-error and robust tests when its OLS uses sigma^2 = e'e/NT (it uses e'e/(NT-k)), but
its panel_LMlag adds T_W^2 sigma^2 where J has T T_W sigma^2 (spreg 1.9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse, stats

from models_py.spatial.panel_ml import demeaned_panel, resolve_fixed_effects, spatial_lag
from models_py.spatial.weights import SpatialWeights


def panel_lm_tests(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, time_effects: bool = False, fixed_effects: str | None = None,
) -> pd.DataFrame:
    """The four LM statistics with their p-values (rows: lm_lag, lm_error, robust_lm_lag,
    robust_lm_error), on a balanced panel whose units are matched to ``w.ids`` by label; the
    panel is checked as the fit checks it (same errors for missing values, collinear
    regressors, ids, T = 1).

    ``fixed_effects``: "none" (pooled OLS with a constant), "entity", "time" or "twoways", the
    vocabulary of ``panel_ml.fit_spatial_panel``. When it is not given, ``time_effects`` chooses
    between "entity" (False, the default) and "twoways" (True), as in ``fit_sar_panel``.
    """
    effects = resolve_fixed_effects(time_effects, fixed_effects)
    panel = demeaned_panel(data, dependent, list(regressors), entity, time, w, effects)
    y, x, n, t = panel.y, panel.x, panel.n, panel.t  # x has the constant when effects == "none"
    w = w.matrix
    xtx_inv = np.linalg.inv(x.T @ x)
    b = xtx_inv @ x.T @ y
    e = y - x @ b
    sigma2 = e @ e / (n * t)
    wy = spatial_lag(y[:, None], w, n)[:, 0]
    we = spatial_lag(e[:, None], w, n)[:, 0]
    wxb = spatial_lag((x @ b)[:, None], w, n)[:, 0]
    m_wxb = wxb - x @ (xtx_inv @ (x.T @ wxb))
    t_w = float(w.multiply(w.T).sum() + w.multiply(w).sum()) if sparse.issparse(w) else float(
        (w * w.T).sum() + (w * w).sum())  # tr(WW + W'W)
    j = (wxb @ m_wxb + t * t_w * sigma2) / sigma2
    lag_score, error_score = e @ wy / sigma2, e @ we / sigma2
    statistics = {
        "lm_lag": lag_score ** 2 / j,
        "lm_error": error_score ** 2 / (t * t_w),
        "robust_lm_lag": (lag_score - error_score) ** 2 / (j - t * t_w),
        "robust_lm_error": (error_score - t * t_w / j * lag_score) ** 2
        / (t * t_w * (1 - t * t_w / j)),
    }
    return pd.DataFrame({"statistic": statistics,
                         "p_value": {k: stats.chi2.sf(v, 1) for k, v in statistics.items()}})
