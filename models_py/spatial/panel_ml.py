"""Spatial panel models by maximum likelihood: SAR, SEM, SDM and SDEM with no, entity (individual),
time or two-way fixed effects (Elhorst 2014, "Spatial Econometrics", Springer, ch. 3).

  SAR:  y_t = rho W y_t + X_t b + mu (+ alpha_t) + e_t
  SDM:  y_t = rho W y_t + X_t b + W X_t theta + mu (+ alpha_t) + e_t
  SEM:  y_t = X_t b + mu (+ alpha_t) + u_t,             u_t = lambda W u_t + e_t
  SDEM: y_t = X_t b + W X_t theta + mu (+ alpha_t) + u_t, u_t = lambda W u_t + e_t
with e_t ~ N(0, sigma^2 I_N). The panel is stacked by period (all units of period 1, then
period 2, ...). Fixed effects are removed by demeaning; without fixed effects a constant is
estimated. The Durbin lags W x are formed period by period from the raw regressors and then
demeaned (Elhorst's SDM convention); the lag of the dependent variable is W applied to the
demeaned y (splm's convention, which reproduces splm's two-way estimates).

The log-likelihood, with w_k the eigenvalues of W (``models_py.spatial.eigen``), is
  ln L = -NT/2 ln(2 pi sigma^2) - e'e / (2 sigma^2) + T sum_k ln(1 - rho w_k),
concentrated on the spatial parameter: for SAR/SDM with e0, e1 the OLS residuals of y* and
(I_T x W) y* on X*, sigma^2(rho) = (e0 - rho e1)'(e0 - rho e1)/NT and b = b0 - rho b1; for
SEM/SDEM, b(lambda) and sigma^2(lambda) are OLS of (I - lambda W) y* on (I - lambda W) X*.
Standard errors come from the inverse of the full asymptotic information matrix of
(b, rho, sigma^2) (Elhorst 2014, eqs. 3.34 and 3.36; Elhorst's sar_panel_FE / sem_panel_FE),
with W~ = W (I - rho W)^-1:
  SAR/SDM: [ X'X/s2   X'(I x W~)Xb/s2                                0           ]
           [ .        T tr(W~W~ + W~'W~) + b'X'(I x W~'W~)Xb/s2       T tr(W~)/s2 ]
           [ .        .                                              NT/(2 s2^2) ]
  SEM/SDEM: X~'X~/s2 for b (X~ = (I - lambda W) X*), and for (lambda, sigma^2)
           [[T tr(W~W~ + W~'W~), T tr(W~)/s2], [., NT/(2 s2^2)]].

Lee and Yu (2010, J. Econometrics 154: 165-185) bias correction, as Elhorst's sar_panel_FE and
sem_panel_FE (info.bc = 1) compute it, is reported beside the uncorrected estimates in
``results.lee_yu``: with entity effects only sigma^2 T/(T-1); with two-way effects
  theta_bc = theta + (I(theta)/NT)^-1 (0', 1/(1 - rho), 1/(2 sigma^2))' / N,
  sigma^2_bc = T/(T-1) sigma^2 from theta_bc,
and the information matrix is evaluated again at the corrected values. With time effects only,
the same O(1/N) correction without the T/(T-1) factor (Lee and Yu 2010, sec. 4; Elhorst's code
only rescales sigma^2 by N/(N-1) there, which leaves rho's O(1/N) bias). The corrected
log-likelihood is that of the transformation approach (T -> T-1 periods; with time effects
N -> N-1 units and log-determinant sum_k ln(1 - rho w_k) - ln(1 - rho)) at the corrected values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.linalg import lapack

from models_py.estimation.panel_fe import demean
from models_py.spatial.effects import sar_point_effects, sar_simulated_effects
from models_py.spatial.eigen import (
    eigen_sum,
    log_det,
    parameter_bounds,
    symmetrised,
    symmetrising_scale,
    weights_spectrum,
)
from models_py.spatial.results import (
    ERROR_MODELS,
    FIXED_EFFECTS,
    LAG_MODELS,
    SpatialPanelResults,
    durbin_name,
)

__all__ = [
    "DemeanedPanel", "SpatialPanelResults", "fit_sar_panel", "fit_sdem_panel", "fit_sdm_panel",
    "fit_sem_panel", "fit_spatial_panel", "prepare_panel", "resolve_fixed_effects",
    "sar_point_effects", "sar_simulated_effects", "spatial_lag",
]


def spatial_lag(values: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """(I_T x W) v for v (NT x m, or NT) stacked by period; one matrix product."""
    values = np.asarray(values, dtype=float)
    flat = values.ndim == 1
    t = len(values) // n
    shaped = values.reshape(t, n, -1)
    m = shaped.shape[2]
    lagged = (w @ shaped.transpose(1, 0, 2).reshape(n, t * m)).reshape(n, t, m)
    out = lagged.transpose(1, 0, 2).reshape(len(values), m)
    return out[:, 0] if flat else out


@dataclass(frozen=True)
class DemeanedPanel:
    y: np.ndarray  # demeaned, stacked by period
    x: np.ndarray
    n: int
    t: int


def _stacked_frame(data: pd.DataFrame, entity: str, time: str,
                   entity_order: list) -> tuple[pd.DataFrame, int, int]:
    """The panel sorted by period then by ``entity_order``; refuses unbalanced panels."""
    n = len(entity_order)
    position = {e: i for i, e in enumerate(entity_order)}
    frame = data.assign(_pos=data[entity].map(position)).sort_values([time, "_pos"])
    t = frame[time].nunique()
    if (len(frame) != n * t or frame["_pos"].isna().any()
            or frame.groupby(time)["_pos"].nunique().ne(n).any()):
        raise ValueError("the spatial panel needs a balanced panel of the entities in "
                         f"entity_order: {len(frame)} rows for {n} entities x {t} periods")
    return frame, n, t


def prepare_panel(data: pd.DataFrame, dependent: str, regressors: list[str], entity: str,
                  time: str, entity_order: list, time_effects: bool,
                  entity_effects: bool = True) -> DemeanedPanel:
    """Balanced panel stacked by period in ``entity_order``, fixed effects removed."""
    frame, n, t = _stacked_frame(data, entity, time, entity_order)
    within = demean(frame[[dependent, *regressors]].to_numpy(dtype=float),
                    frame["_pos"].to_numpy(dtype=int), pd.factorize(frame[time])[0],
                    entity_effects, time_effects)
    return DemeanedPanel(within[:, 0], within[:, 1:], n, t)


def resolve_fixed_effects(time_effects: bool, fixed_effects: str | None) -> str:
    """The fixed-effects choice of the models and the LM tests: ``fixed_effects`` when given
    (one of FIXED_EFFECTS), else the older keyword's meaning (time_effects -> 'twoways', else
    'entity')."""
    if fixed_effects is None:
        return "twoways" if time_effects else "entity"
    if fixed_effects not in FIXED_EFFECTS:
        raise ValueError(f"fixed_effects must be one of {FIXED_EFFECTS}, got '{fixed_effects}'")
    return fixed_effects


@dataclass(frozen=True)
class _Design:
    """Demeaned data of one model with the pieces the likelihood needs."""

    y: np.ndarray
    x: np.ndarray
    wy: np.ndarray  # (I_T x W) y*, time-demeaned again when there are time effects
    wx: np.ndarray  # (I_T x W) X*, likewise
    names: list[str]
    n: int
    t: int
    w: np.ndarray
    eig: np.ndarray
    scale: np.ndarray | None  # d with D^1/2 W D^-1/2 symmetric, or None


def _design(data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str],
            entity: str, time: str, w: np.ndarray, entity_order: list, fixed_effects: str,
            eigenvalues: np.ndarray | None, lag_convention: str = "splm") -> _Design:
    frame, n, t = _stacked_frame(data, entity, time, entity_order)
    missing = [d for d in durbin if d not in regressors]
    if missing:
        raise ValueError(f"Durbin terms {missing} are not among the regressors {regressors}")
    w = np.asarray(w, dtype=float)
    if w.shape != (n, n):
        raise ValueError(f"w is {w.shape}, expected ({n}, {n}) for the entities of entity_order")
    columns = frame[[dependent, *regressors]].to_numpy(dtype=float)
    if durbin:
        columns = np.hstack([columns, spatial_lag(frame[durbin].to_numpy(dtype=float), w, n)])
    names = [*regressors, *[durbin_name(d) for d in durbin]]
    if fixed_effects == "none":
        columns = np.hstack([columns[:, :1], np.ones((n * t, 1)), columns[:, 1:]])
        names = ["const", *names]
    entity_codes, time_codes = frame["_pos"].to_numpy(dtype=int), pd.factorize(frame[time])[0]
    entity_effects, time_effects = (fixed_effects in ("entity", "twoways"),
                                    fixed_effects in ("time", "twoways"))
    within = demean(columns, entity_codes, time_codes, entity_effects, time_effects)
    y, x = within[:, 0], within[:, 1:]
    # W commutes with the demeaning over time of each unit but not with the demeaning over
    # units of each period. "splm": W y* as splm (and Elhorst's sem_panel_FE) compute it;
    # "transformed": J_N W y*, the lag of the time-transformed model (Lee and Yu 2010)
    if lag_convention not in ("splm", "transformed"):
        raise ValueError(f"lag_convention must be 'splm' or 'transformed', got '{lag_convention}'")
    lagged = demean(spatial_lag(within, w, n), entity_codes, time_codes, False,
                    time_effects and lag_convention == "transformed")
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise ValueError(f"the regressors {names} are collinear after removing the fixed effects")
    if eigenvalues is None:
        eig, scale = weights_spectrum(w)
    else:
        eig, scale = np.asarray(eigenvalues), symmetrising_scale(w)
    return _Design(y, x, lagged[:, 0], lagged[:, 1:], names, n, t, w, eig, scale)


def _maximise(negative_loglik, eig: np.ndarray) -> float:
    low, high = parameter_bounds(eig)
    return optimize.minimize_scalar(negative_loglik, bounds=(low + 1e-9, high - 1e-9),
                                    method="bounded", options={"xatol": 1e-12}).x


def _lag_estimates(d: _Design) -> tuple[np.ndarray, float]:
    """Concentrated ML of SAR/SDM: (b, rho)."""
    nt = d.n * d.t
    xtx_inv = np.linalg.inv(d.x.T @ d.x)
    b0, b1 = xtx_inv @ d.x.T @ d.y, xtx_inv @ d.x.T @ d.wy
    e0, e1 = d.y - d.x @ b0, d.wy - d.x @ b1
    e00, e01, e11 = e0 @ e0, e0 @ e1, e1 @ e1

    def negative_loglik(rho: float) -> float:
        sigma2 = (e00 - 2 * rho * e01 + rho ** 2 * e11) / nt
        return 0.5 * nt * np.log(sigma2) - d.t * log_det(rho, d.eig)

    rho = _maximise(negative_loglik, d.eig)
    return b0 - rho * b1, rho


def _error_estimates(d: _Design) -> tuple[np.ndarray, float]:
    """Concentrated ML of SEM/SDEM: (b, lambda), with the cross-products of [y, X, Wy, WX]
    formed once so that each evaluation costs O(k^3)."""
    nt, k = d.n * d.t, d.x.shape[1]
    z = np.column_stack([d.y, d.x, d.wy, d.wx])
    g = z.T @ z

    def moments(lam: float) -> tuple[np.ndarray, np.ndarray, float]:
        # (I - lam W) [y X] = [y X] - lam [Wy WX]
        a = np.vstack([np.eye(k + 1), -lam * np.eye(k + 1)])
        m = a.T @ g @ a
        return m[1:, 1:], m[1:, 0], m[0, 0]

    def fitted(lam: float) -> tuple[np.ndarray, float]:
        xx, xy, yy = moments(lam)
        b = np.linalg.solve(xx, xy)
        return b, (yy - xy @ b) / nt

    def negative_loglik(lam: float) -> float:
        return 0.5 * nt * np.log(fitted(lam)[1]) - d.t * log_det(lam, d.eig)

    lam = _maximise(negative_loglik, d.eig)
    return fitted(lam)[0], lam


def _residuals(d: _Design, lag: bool, b: np.ndarray, spatial: float) -> np.ndarray:
    """The innovations e of the model at (b, spatial)."""
    if lag:
        return d.y - spatial * d.wy - d.x @ b
    return d.y - spatial * d.wy - (d.x - spatial * d.wx) @ b


def _w_tilde(d: _Design, rho: float) -> np.ndarray:
    """W~ = W (I - rho W)^-1 = ((I - rho W)^-1 - I) / rho.

    For W = D^-1/2 S D^1/2 with S symmetric, I - rho S is symmetric positive definite on the
    parameter space, so (I - rho S)^-1 comes from a Cholesky factor (about N^3 flops against
    2.7 N^3 for the LU solve of the general case) and W~ = D^-1/2 ((I - rho S)^-1 - I)/rho D^1/2.
    Near rho = 0 (cancellation) and for other W: the LU solve (I - rho W) W~ = W.
    """
    n = d.n
    if d.scale is not None and abs(rho) > 0.05:
        a = symmetrised(d.w, d.scale)
        a *= -rho
        a[np.diag_indices(n)] += 1.0
        factor, status = lapack.dpotrf(a, lower=False, overwrite_a=True)
        if status == 0:
            inverse, status = lapack.dpotri(factor, lower=False, overwrite_c=True)
        if status == 0:
            upper = np.triu(inverse)
            upper += np.triu(inverse, 1).T
            upper[np.diag_indices(n)] -= 1.0
            upper /= rho
            root = np.sqrt(d.scale)
            upper /= root[:, None]
            upper *= root[None, :]
            return upper
    return np.linalg.solve(np.eye(n) - rho * d.w, d.w)  # W and (I - rho W)^-1 commute


def _information(d: _Design, lag: bool, b: np.ndarray, spatial: float, sigma2: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Asymptotic information matrix of (b, spatial, sigma^2) and W~ X b (for prediction)."""
    n, t, k = d.n, d.t, d.x.shape[1]
    w_tilde = _w_tilde(d, spatial)
    ratio = d.eig / (1 - spatial * d.eig)
    tr_w, tr_ww = eigen_sum(ratio), eigen_sum(ratio ** 2)  # tr W~, tr W~W~ from the eigenvalues
    tr_wtw = (w_tilde ** 2).sum()  # tr W~'W~ = squared Frobenius norm
    info = np.zeros((k + 2, k + 2))
    w_xb = spatial_lag(d.x @ b, w_tilde, n)
    if lag:
        info[:k, :k] = d.x.T @ d.x / sigma2
        info[:k, k] = info[k, :k] = d.x.T @ w_xb / sigma2
        info[k, k] = t * (tr_ww + tr_wtw) + w_xb @ w_xb / sigma2
    else:
        xs = d.x - spatial * d.wx
        info[:k, :k] = xs.T @ xs / sigma2
        info[k, k] = t * (tr_ww + tr_wtw)
    info[k, k + 1] = info[k + 1, k] = t * tr_w / sigma2
    info[k + 1, k + 1] = n * t / (2 * sigma2 ** 2)
    return info, w_xb


def _loglik(d: _Design, resid: np.ndarray, sigma2: float, spatial: float, n_eff: int,
            t_eff: int, time_transformed: bool) -> float:
    """Gaussian log-likelihood with n_eff x t_eff independent observations."""
    det = log_det(spatial, d.eig) - (np.log(1 - spatial) if time_transformed else 0.0)
    nobs = n_eff * t_eff
    return float(-0.5 * nobs * np.log(2 * np.pi * sigma2) - resid @ resid / (2 * sigma2)
                 + t_eff * det)


def _package(d: _Design, model: str, fixed_effects: str, dependent: str, regressors: list[str],
             durbin: list[str], b: np.ndarray, spatial: float, sigma2: float, loglik: float,
             correction: str, row_standardised: bool,
             information: tuple[np.ndarray, np.ndarray] | None = None) -> SpatialPanelResults:
    lag = model in LAG_MODELS
    info, w_xb = information or _information(d, lag, b, spatial, sigma2)
    cov_full = np.linalg.inv(info)
    k = len(b) + 1
    names = [*d.names, "lambda" if model in ERROR_MODELS else "rho"]
    params = pd.Series([*b, spatial], index=names)
    se = pd.Series(np.sqrt(np.diag(cov_full)[:k]), index=names)
    tstats = params / se
    resid = _residuals(d, lag, b, spatial)
    centred = d.y - d.y.mean()
    predicted = d.x @ b + (spatial * w_xb if lag else 0.0)  # (I - rho W)^-1 = I + rho W~
    return SpatialPanelResults(
        params=params, cov=pd.DataFrame(cov_full[:k, :k], index=names, columns=names),
        std_errors=se, tstats=tstats,
        pvalues=pd.Series(2 * stats.norm.sf(tstats.abs()), index=names),
        sigma2=float(sigma2), loglik=float(loglik), nobs=d.n * d.t, rho=float(spatial),
        model=model, fixed_effects=fixed_effects, dependent=dependent,
        regressors=tuple(regressors), durbin=tuple(durbin), n_entities=d.n, n_periods=d.t,
        rsquared=float(1 - resid @ resid / (centred @ centred)),
        corr2=float(np.corrcoef(d.y, predicted)[0, 1] ** 2),
        sigma2_se=float(np.sqrt(cov_full[k, k])), row_standardised=row_standardised,
        eigenvalues=d.eig, correction=correction)


def _lee_yu(d: _Design, uncorrected: SpatialPanelResults, info: np.ndarray, model: str,
            fixed_effects: str, dependent: str, regressors: list[str], durbin: list[str]
            ) -> SpatialPanelResults:
    """Lee and Yu (2010) correction as in Elhorst's sar_panel_FE / sem_panel_FE (bc = 1)."""
    lag = model in LAG_MODELS
    n, t = d.n, d.t
    b = uncorrected.params.to_numpy()[:-1]
    spatial, sigma2 = uncorrected.rho, uncorrected.sigma2
    if fixed_effects in ("time", "twoways"):  # the O(1/N) bias of the time effects
        k = len(b)
        bias = np.zeros(k + 2)
        bias[k], bias[k + 1] = 1 / (1 - spatial), 1 / (2 * sigma2)
        corrected = np.concatenate([b, [spatial, sigma2]]) + np.linalg.solve(
            info / (n * t), bias) / n
        b, spatial, sigma2 = corrected[:k], float(corrected[k]), corrected[k + 1]
    if fixed_effects in ("entity", "twoways"):  # the T -> T-1 of the entity effects
        sigma2 = sigma2 * t / (t - 1)
    n_eff = n - 1 if fixed_effects in ("time", "twoways") else n
    t_eff = t - 1 if fixed_effects in ("entity", "twoways") else t
    loglik = _loglik(d, _residuals(d, lag, b, spatial), sigma2, spatial, n_eff, t_eff,
                     fixed_effects in ("time", "twoways"))
    return _package(d, model, fixed_effects, dependent, regressors, durbin, b, spatial, sigma2,
                    loglik, "lee_yu", uncorrected.row_standardised)


def fit_spatial_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: np.ndarray, entity_order: list, model: str = "sar", fixed_effects: str = "entity",
    durbin: list[str] | None = None, eigenvalues: np.ndarray | None = None,
    lee_yu: bool = True, lag_convention: str = "splm",
) -> SpatialPanelResults:
    """Fit a SAR, SEM, SDM or SDEM panel by maximum likelihood on a balanced panel.

    ``w`` (N x N, rows and columns in ``entity_order``) should be row-standardised; a W
    similar to a symmetric matrix gets its eigenvalues from one symmetric eigendecomposition.
    ``fixed_effects``: "none" (a constant is estimated), "entity", "time" or "twoways".
    ``durbin``: the regressors whose spatial lags W x enter SDM/SDEM (default: all).
    ``eigenvalues``: the eigenvalues of ``w`` if already computed (saves the decomposition when
    several models share one W). ``lee_yu``: also compute the Lee and Yu (2010) corrected
    estimates (``results.lee_yu``) when the model has fixed effects. ``lag_convention``
    (matters only with time effects): "splm" lags the demeaned y and X (reproduces splm and
    Elhorst's SEM), "transformed" demeans the lags over units again (J_N W y*, the lag of the
    Lee-Yu transformed model; recovers planted values with time effects only, where the
    "splm" lag carries a per-period constant that biases the spatial parameter).
    """
    model = model.lower()
    if model not in LAG_MODELS + ERROR_MODELS:
        raise ValueError(f"model must be one of sar, sem, sdm, sdem, got '{model}'")
    fixed_effects = resolve_fixed_effects(False, fixed_effects)
    if model in ("sdm", "sdem"):
        durbin = list(regressors) if durbin is None else list(durbin)
    elif durbin:
        raise ValueError(f"{model.upper()} has no Durbin terms; use SDM or SDEM")
    else:
        durbin = []
    d = _design(data, dependent, list(regressors), durbin, entity, time, w, entity_order,
                fixed_effects, eigenvalues, lag_convention)
    lag = model in LAG_MODELS
    b, spatial = _lag_estimates(d) if lag else _error_estimates(d)
    resid = _residuals(d, lag, b, spatial)
    sigma2 = resid @ resid / (d.n * d.t)
    loglik = _loglik(d, resid, sigma2, spatial, d.n, d.t, False)
    row_standardised = bool(np.allclose(d.w.sum(axis=1), 1.0))
    information = _information(d, lag, b, spatial, sigma2)
    result = _package(d, model, fixed_effects, dependent, list(regressors), durbin, b, spatial,
                      sigma2, loglik, "none", row_standardised, information)
    if lee_yu and fixed_effects != "none":
        result = replace(result, lee_yu=_lee_yu(d, result, information[0], model, fixed_effects,
                                                dependent, list(regressors), durbin))
    return result


def fit_sar_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: np.ndarray, entity_order: list, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """SAR panel; ``time_effects=True`` means two-way effects unless ``fixed_effects`` says
    otherwise ("none", "entity", "time", "twoways"). Options as ``fit_spatial_panel``."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, entity_order, "sar",
                             resolve_fixed_effects(time_effects, fixed_effects), **options)


def fit_sem_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: np.ndarray, entity_order: list, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """SEM panel (spatial error); arguments as ``fit_sar_panel``."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, entity_order, "sem",
                             resolve_fixed_effects(time_effects, fixed_effects), **options)


def fit_sdm_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str], entity: str,
    time: str, w: np.ndarray, entity_order: list, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """Spatial Durbin panel: SAR with the spatial lags W x of the ``durbin`` regressors (named
    ``W_<x>``), lagged period by period before the fixed effects are removed."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, entity_order, "sdm",
                             resolve_fixed_effects(time_effects, fixed_effects), durbin=durbin,
                             **options)


def fit_sdem_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str], entity: str,
    time: str, w: np.ndarray, entity_order: list, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """Spatial Durbin error panel: SEM with the spatial lags W x of the ``durbin`` regressors."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, entity_order, "sdem",
                             resolve_fixed_effects(time_effects, fixed_effects), durbin=durbin,
                             **options)
