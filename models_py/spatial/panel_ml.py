"""Spatial panel models with fixed effects by maximum likelihood: SAR (spatial lag) and SEM
(spatial error), individual or two-way effects.

SAR: y_it = rho sum_j w_ij y_jt + x_it' b + mu_i (+ alpha_t) + e_it,  e ~ N(0, sigma^2).
SEM: y_it = x_it' b + mu_i (+ alpha_t) + u_it, u_t = lambda W u_t + e_t (fit_sem_panel).
Fixed effects are removed by demeaning (Elhorst 2014, ch. 3). The likelihood is concentrated on
rho: with e0 and e1 the OLS residuals of y* and (I_T x W) y* on X*,
  ln L(rho) = -NT/2 ln(2 pi sigma^2(rho)) - NT/2 + T sum_k ln(1 - rho w_k),
  sigma^2(rho) = (e0 - rho e1)'(e0 - rho e1) / (NT),
with w_k the eigenvalues of W (one eigendecomposition). Then b = b0 - rho b1. Standard errors
from the inverse of the asymptotic information matrix of (b, rho, sigma^2) (Elhorst 2014,
eq. 3.34), with W~ = W (I - rho W)^-1:
  [ X'X/s2        X'(I_T x W~) X b / s2                      0          ]
  [ .             T tr(W~W~ + W~'W~) + b'X'(I x W~'W~)Xb/s2    T tr(W~)/s2 ]
  [ .             .                                          NT/(2 s2^2) ]
The panel is stacked by period (all units of period 1, then period 2, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from models_py.estimation.panel_fe import demean


@dataclass(frozen=True)
class SpatialPanelResults:
    """``params`` holds the regressors and the spatial parameter (``rho`` or ``lambda``)."""

    params: pd.Series
    cov: pd.DataFrame  # asymptotic covariance of params
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    sigma2: float
    loglik: float
    nobs: int
    rho: float  # the spatial parameter: rho (SAR) or lambda (SEM)


def spatial_lag(values: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """(I_T x W) v for v stacked by period."""
    t = len(values) // n
    shaped = values.reshape(t, n, -1)
    return np.einsum("ij,tjk->tik", w, shaped).reshape(len(values), -1)


@dataclass(frozen=True)
class DemeanedPanel:
    y: np.ndarray  # demeaned, stacked by period
    x: np.ndarray
    n: int
    t: int


def prepare_panel(data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
             entity_order: list, time_effects: bool) -> DemeanedPanel:
    """Balanced panel stacked by period in ``entity_order``, fixed effects removed."""
    n = len(entity_order)
    position = {e: i for i, e in enumerate(entity_order)}
    frame = data.assign(_pos=data[entity].map(position)).sort_values([time, "_pos"])
    t = frame[time].nunique()
    if len(frame) != n * t or frame["_pos"].isna().any():
        raise ValueError("the spatial panel needs a balanced panel of the entities in "
                         "entity_order")
    within = demean(frame[[dependent, *regressors]].to_numpy(dtype=float),
                    frame["_pos"].to_numpy(dtype=int), pd.factorize(frame[time])[0],
                    True, time_effects)
    return DemeanedPanel(within[:, 0], within[:, 1:], n, t)


def _results(names: list[str], estimates: np.ndarray, cov: np.ndarray, sigma2: float,
             loglik: float, nobs: int, spatial: float) -> SpatialPanelResults:
    params = pd.Series(estimates, index=names)
    k = len(names)
    cov_frame = pd.DataFrame(cov[:k, :k], index=names, columns=names)
    se = pd.Series(np.sqrt(np.diag(cov))[:k], index=names)
    tstats = params / se
    pvalues = pd.Series(2 * stats.norm.sf(tstats.abs()), index=names)
    return SpatialPanelResults(params, cov_frame, se, tstats, pvalues, float(sigma2),
                               float(loglik), nobs, float(spatial))


def fit_sar_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: np.ndarray, entity_order: list, time_effects: bool = False,
) -> SpatialPanelResults:
    """Fit the SAR fixed-effects panel on a balanced panel; ``w`` rows follow ``entity_order``."""
    panel = prepare_panel(data, dependent, regressors, entity, time, entity_order, time_effects)
    y, x, n, t = panel.y, panel.x, panel.n, panel.t
    # the spatial lag of the demeaned y (with time effects, lag and time-demeaning do not
    # commute for a row-standardised W; this is the order of Elhorst's and splm's estimators)
    wy = spatial_lag(y[:, None], w, n)[:, 0]
    xtx_inv = np.linalg.inv(x.T @ x)
    b0, b1 = xtx_inv @ x.T @ y, xtx_inv @ x.T @ wy
    e0, e1 = y - x @ b0, wy - x @ b1
    nt = n * t
    eig = np.linalg.eigvals(w).real

    def negative_loglik(rho: float) -> float:
        resid = e0 - rho * e1
        sigma2 = resid @ resid / nt
        return 0.5 * nt * np.log(2 * np.pi * sigma2) + 0.5 * nt - t * np.log(1 - rho * eig).sum()

    low = 1 / eig.min() + 1e-9
    rho = optimize.minimize_scalar(negative_loglik, bounds=(low, 1 - 1e-9), method="bounded",
                                   options={"xatol": 1e-12}).x
    b = b0 - rho * b1
    resid = e0 - rho * e1
    sigma2 = resid @ resid / nt
    w_tilde = w @ np.linalg.inv(np.eye(n) - rho * w)
    xb = x @ b
    w_xb = spatial_lag(xb[:, None], w_tilde, n)[:, 0]
    k = x.shape[1]
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = x.T @ x / sigma2
    info[:k, k] = info[k, :k] = x.T @ w_xb / sigma2
    info[k, k] = t * np.trace(w_tilde @ w_tilde + w_tilde.T @ w_tilde) + w_xb @ w_xb / sigma2
    info[k, k + 1] = info[k + 1, k] = t * np.trace(w_tilde) / sigma2
    info[k + 1, k + 1] = nt / (2 * sigma2 ** 2)
    return _results([*regressors, "rho"], np.array([*b, rho]), np.linalg.inv(info), sigma2,
                    -negative_loglik(rho), nt, rho)


def fit_sem_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: np.ndarray, entity_order: list, time_effects: bool = False,
) -> SpatialPanelResults:
    """Fit the SEM fixed-effects panel: for each lambda, OLS of (I - lambda W) y* on
    (I - lambda W) X*; ln L(lambda) = -NT/2 ln(2 pi sigma^2) - NT/2 + T sum_k ln(1 - lambda w_k).
    Standard errors: sigma^2 (X~'X~)^-1 for b; for (lambda, sigma^2) the inverse of
    [[T tr(W~W~ + W~'W~), T tr(W~)/s2], [., NT/(2 s2^2)]] with W~ = W (I - lambda W)^-1
    (Elhorst 2014, eq. 3.36)."""
    panel = prepare_panel(data, dependent, regressors, entity, time, entity_order, time_effects)
    y, x, n, t = panel.y, panel.x, panel.n, panel.t
    wy, wx = spatial_lag(y[:, None], w, n)[:, 0], spatial_lag(x, w, n)
    nt = n * t
    eig = np.linalg.eigvals(w).real

    def fitted(lam: float):
        ys, xs = y - lam * wy, x - lam * wx
        b = np.linalg.lstsq(xs, ys, rcond=None)[0]
        resid = ys - xs @ b
        return b, resid @ resid / nt, xs

    def negative_loglik(lam: float) -> float:
        sigma2 = fitted(lam)[1]
        return 0.5 * nt * np.log(2 * np.pi * sigma2) + 0.5 * nt - t * np.log(1 - lam * eig).sum()

    low = 1 / eig.min() + 1e-9
    lam = optimize.minimize_scalar(negative_loglik, bounds=(low, 1 - 1e-9), method="bounded",
                                   options={"xatol": 1e-12}).x
    b, sigma2, xs = fitted(lam)
    w_tilde = w @ np.linalg.inv(np.eye(n) - lam * w)
    spatial_info = np.array([
        [t * np.trace(w_tilde @ w_tilde + w_tilde.T @ w_tilde), t * np.trace(w_tilde) / sigma2],
        [t * np.trace(w_tilde) / sigma2, nt / (2 * sigma2 ** 2)]])
    k = x.shape[1]
    cov = np.zeros((k + 2, k + 2))
    cov[:k, :k] = sigma2 * np.linalg.inv(xs.T @ xs)
    cov[k:, k:] = np.linalg.inv(spatial_info)
    return _results([*regressors, "lambda"], np.array([*b, lam]), cov, sigma2,
                    -negative_loglik(lam), nt, lam)


def sar_point_effects(results: SpatialPanelResults, w: np.ndarray) -> pd.DataFrame:
    """Direct, indirect and total effects of each regressor (LeSage and Pace 2009).

    For a row-standardised W with eigenvalues w_k: direct = b (1/N) sum_k 1/(1 - rho w_k)
    (the mean diagonal of (I - rho W)^-1 b), total = b / (1 - rho), indirect = total - direct.
    """
    eig = np.linalg.eigvals(w).real
    rho = results.rho
    b = results.params.drop("rho")
    direct = b * np.mean(1 / (1 - rho * eig))
    total = b / (1 - rho)
    return pd.DataFrame({"direct": direct, "indirect": total - direct, "total": total})


def fit_sdm_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str], entity: str,
    time: str, w: np.ndarray, entity_order: list, time_effects: bool = False,
) -> SpatialPanelResults:
    """Spatial Durbin model: the SAR model with the spatial lags W x of the ``durbin`` regressors
    added (named ``W_<x>``), lagged period by period before the fixed effects are removed."""
    n = len(entity_order)
    position = {e: i for i, e in enumerate(entity_order)}
    frame = data.assign(_pos=data[entity].map(position)).sort_values([time, "_pos"])
    if len(frame) % n or frame["_pos"].isna().any():
        raise ValueError("the spatial panel needs a balanced panel of the entities in "
                         "entity_order")
    lagged = spatial_lag(frame[durbin].to_numpy(dtype=float), w, n)
    frame = frame.assign(**{f"W_{name}": lagged[:, i] for i, name in enumerate(durbin)})
    return fit_sar_panel(frame, dependent, [*regressors, *[f"W_{d}" for d in durbin]], entity,
                         time, w, entity_order, time_effects)


def sar_simulated_effects(
    results: SpatialPanelResults, w: np.ndarray, draws: int = 1000, seed: int = 20240601
) -> pd.DataFrame:
    """Direct, indirect and total effects with inference by simulation (LeSage and Pace 2009).

    (b, rho) are drawn ``draws`` times from N(estimates, asymptotic covariance) with a seeded
    generator; each draw's effects use the eigenvalue formulas of ``sar_point_effects`` (O(N)
    per draw). Returns, per regressor and effect, the mean, sd, t = mean/sd and two-sided p.
    """
    eig = np.linalg.eigvals(w).real
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal(results.params.to_numpy(), results.cov.to_numpy(), draws)
    names = [n for n in results.params.index if n != "rho"]
    b, rho = sample[:, : len(names)], sample[:, -1]
    direct_factor = (1 / (1 - rho[:, None] * eig[None, :])).mean(axis=1)
    direct = b * direct_factor[:, None]
    total = b / (1 - rho)[:, None]
    rows = []
    for j, name in enumerate(names):
        for effect, values in (("direct", direct[:, j]), ("indirect", total[:, j] - direct[:, j]),
                               ("total", total[:, j])):
            mean, sd = values.mean(), values.std(ddof=1)
            rows.append({"term": name, "effect": effect, "mean": mean, "sd": sd,
                         "t": mean / sd, "p_value": 2 * stats.norm.sf(abs(mean / sd))})
    return pd.DataFrame(rows)
