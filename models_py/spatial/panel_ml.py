"""Spatial panel models by maximum likelihood: SAR, SEM, SDM and SDEM with no, entity (individual),
time or two-way fixed effects (Elhorst 2014, "Spatial Econometrics", Springer, ch. 3; Lee and Yu
2010, J. Econometrics 154: 165-185).

  SAR:  y_t = rho W y_t + X_t b + mu (+ alpha_t) + e_t
  SDM:  y_t = rho W y_t + X_t b + W X_t theta + mu (+ alpha_t) + e_t
  SEM:  y_t = X_t b + mu (+ alpha_t) + u_t,             u_t = lambda W u_t + e_t
  SDEM: y_t = X_t b + W X_t theta + mu (+ alpha_t) + u_t, u_t = lambda W u_t + e_t
with e_t ~ N(0, sigma^2 I_N). The panel is stacked by period (all units of period 1, then
period 2, ...), the units in the order of W's ids (matched by label). Fixed effects are removed
by demeaning (``models_py.estimation.panel_transforms``); without fixed effects a constant is
estimated. The Durbin lags W x are formed period by period from the raw regressors and then
demeaned (Elhorst's SDM convention).

Three approaches (``approach``), all computed by default and carried in ``results.alternatives``:

"transformation" (the default; Lee and Yu 2010). The fixed effects are removed by orthonormal
transformations (F_T for the entity effects, F_N for the time effects, which needs a W whose rows
sum to one) that leave (N-1)(T-1) independent observations with two-way effects, N(T-1) with
entity effects and (N-1)T with time effects:
  ln L = -n t/2 ln(2 pi sigma^2) + t [ln|I - rho W| - ln(1 - rho)] - e'e / (2 sigma^2),
n = N-1, t = T-1 two-way; n = N, t = T-1 and no -ln(1 - rho) with entity effects; n = N-1,
t = T with time effects. e are the innovations of the demeaned data with the transformed lag
J_N W y* (W y* demeaned over units again in each period, J_N = I - 11'/N): with W 1 = 1,
F_N' W = W* F_N' and ||F_N' v||^2 = ||J_N v||^2, so this is exactly the likelihood of the
transformed model, whose log-determinant |I_{N-1} - rho W*| = |I - rho W| / (1 - rho) drops W's
unit eigenvalue. The direct approach keeps it; with time effects and a dense W (inverse distance
over 30 provinces) that one term drags rho far down (methods README section 4).

"direct": the likelihood of the demeaned data as if they were N T independent observations,
  ln L = -NT/2 ln(2 pi sigma^2) - e'e / (2 sigma^2) + T sum_k ln(1 - rho w_k)
(splm's and Elhorst's estimator; with ``lag_convention="splm"`` the lag is W y* as splm computes
it, which reproduces splm's two-way numbers; "transformed" uses J_N W y*).

"direct_bc": Elhorst's bc = 1, the direct estimates corrected for their bias (Lee and Yu 2010,
as Elhorst's sar_panel_FE / sem_panel_FE compute it): with entity effects only sigma^2 T/(T-1);
with two-way effects
  theta_bc = theta + (I(theta)/NT)^-1 (0', 1/(1 - rho), 1/(2 sigma^2))' / N,
  sigma^2_bc = T/(T-1) sigma^2 from theta_bc,
and with time effects the same O(1/N) correction without the T/(T-1) factor; the information
matrix is evaluated again at the corrected values and the log-likelihood is the transformation
approach's at the corrected values.

Every approach is concentrated on the spatial parameter: for SAR/SDM with e0, e1 the OLS
residuals of y* and the lag on X*, sigma^2(rho) = (e0 - rho e1)'(e0 - rho e1)/(n t) and
b = b0 - rho b1; for SEM/SDEM, b(lambda) and sigma^2(lambda) are OLS of the data filtered by
(I - lambda W). Standard errors come from the inverse of the full information matrix of
(b, rho, sigma^2) (Elhorst 2014, eqs. 3.34 and 3.36; Lee and Yu 2010, sec. 3), with
G = W (I - rho W)^-1 and, for the transformation approach with time effects, G* = F_N' G F_N
(tr G* = tr G - 1/(1 - rho), tr G*G* = tr GG - 1/(1 - rho)^2, tr G*'G* = ||J_N G J_N||^2):
  SAR/SDM: [ X'X/s2   X'(I x G)Xb/s2                                0           ]
           [ .        t tr(G G + G'G) + b'X'(I x G'G)Xb/s2           t tr(G)/s2  ]
           [ .        .                                              n t/(2 s2^2)]
  SEM/SDEM: X~'X~/s2 for b (X~ = (I - lambda W) X*), and for (lambda, sigma^2)
           [[t tr(G G + G'G), t tr(G)/s2], [., n t/(2 s2^2)]],
with G, G X b demeaned over units (J_N) in the transformation approach with time effects.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.linalg import lapack

from models_py.estimation.panel_transforms import demean, plain, stack_by_period
from models_py.spatial import sparse as sparse_w
from models_py.spatial.eigen import symmetrised
from models_py.spatial.results import (
    APPROACHES,
    ERROR_MODELS,
    FIXED_EFFECTS,
    LAG_MODELS,
    SpatialPanelResults,
    durbin_name,
)
from models_py.spatial.weights import SpatialWeights

__all__ = [
    "APPROACHES", "SpatialPanelResults", "demeaned_panel", "fit_sar_panel", "fit_sdem_panel",
    "fit_sdm_panel", "fit_sem_panel", "fit_spatial_panel", "resolve_fixed_effects",
    "spatial_lag",
]

LAG_CONVENTIONS = ("transformed", "splm")


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


def _centre_units(values: np.ndarray, n: int) -> np.ndarray:
    """J_N v in every period: v minus its mean over the units of the period."""
    t = len(values) // n
    shaped = values.reshape(t, n, -1)
    return (shaped - shaped.mean(axis=1, keepdims=True)).reshape(values.shape)


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
class DemeanedPanel:
    """A balanced panel stacked by period in W's order, fixed effects removed, checked."""

    y: np.ndarray
    x: np.ndarray  # regressors, then the Durbin lags W x (and a constant first without effects)
    names: list[str]
    n: int
    t: int
    time_codes: np.ndarray
    entity_codes: np.ndarray


def _check_rank(x: np.ndarray, names: list[str]) -> None:
    """The error of the fit and of the LM tests when the demeaned regressors are collinear."""
    if x.shape[1] and np.linalg.matrix_rank(x) < x.shape[1]:
        raise ValueError(f"the regressors {names} are collinear after removing the fixed effects")


def _check_finite(frame: pd.DataFrame, columns: list[str], entity: str, time: str) -> None:
    values = frame[columns].to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows = [(frame[entity].iloc[r], frame[time].iloc[r], columns[c])
                for r, c in zip(*np.nonzero(bad), strict=True)]
        listed = ", ".join(f"{column} at ({plain(e)!r}, {plain(p)!r})"
                           for e, p, column in rows[:10])
        raise ValueError(f"{len(rows)} value(s) of the panel are NaN or infinite: {listed}"
                         + (" ..." if len(rows) > 10 else "")
                         + f" ({entity}, {time}); drop or fill them (the panel must be balanced)")


def demeaned_panel(data: pd.DataFrame, dependent: str, regressors: list[str], entity: str,
                   time: str, w: SpatialWeights, fixed_effects: str,
                   durbin: list[str] | None = None) -> DemeanedPanel:
    """The checked, demeaned panel of the fit and of the LM tests: units matched to ``w.ids``
    by label, balanced, finite, T >= 2 with entity effects, regressors not collinear."""
    if not isinstance(w, SpatialWeights):
        raise TypeError("w must be a SpatialWeights (the matrix with its ids, e.g. "
                        "SpatialWeights(matrix, codes, name)), not "
                        f"{type(w).__name__}: the panel's units are matched to W by label")
    durbin = list(durbin or [])
    missing_columns = [c for c in [entity, time, dependent, *regressors] if c not in data]
    if missing_columns:
        raise KeyError(f"columns not in the data: {missing_columns}")
    missing = [d for d in durbin if d not in regressors]
    if missing:
        raise ValueError(f"Durbin terms {missing} are not among the regressors {regressors}")
    frame, n, t = stack_by_period(data, entity, time, list(w.ids))
    entity_effects, time_effects = (fixed_effects in ("entity", "twoways"),
                                    fixed_effects in ("time", "twoways"))
    if t < 2 and entity_effects:
        only = plain(frame[time].iloc[0])
        raise ValueError(f"the panel has one period (T = 1, {time} = {only!r}): entity fixed "
                         "effects need at least two periods")
    _check_finite(frame, [dependent, *regressors], entity, time)
    columns = frame[[dependent, *regressors]].to_numpy(dtype=float)
    if durbin:
        columns = np.hstack([columns, spatial_lag(frame[durbin].to_numpy(dtype=float),
                                                  w.matrix, n)])
    names = [*regressors, *[durbin_name(d) for d in durbin]]
    if fixed_effects == "none":
        columns = np.hstack([columns[:, :1], np.ones((n * t, 1)), columns[:, 1:]])
        names = ["const", *names]
    entity_codes, time_codes = frame["_pos"].to_numpy(dtype=int), pd.factorize(frame[time])[0]
    within = demean(columns, entity_codes, time_codes, entity_effects, time_effects)
    _check_rank(within[:, 1:], names)
    return DemeanedPanel(within[:, 0], within[:, 1:], names, n, t, time_codes, entity_codes)


@dataclass(frozen=True)
class _Design:
    """Demeaned data of one model with the pieces the likelihood needs."""

    y: np.ndarray
    x: np.ndarray
    wy: np.ndarray  # the lag of y*: W y* or J_N W y* (see the module docstring)
    wx: np.ndarray  # likewise for X*
    names: list[str]
    n: int
    t: int
    weights: SpatialWeights

    @property
    def w(self) -> np.ndarray:
        return self.weights.matrix


@dataclass(frozen=True)
class _Shape:
    """Effective observations of an approach: n_eff x t_eff, and whether W's unit eigenvalue
    leaves the likelihood (time effects transformed away)."""

    n_eff: int
    t_eff: int
    time_transformed: bool


def _shape(approach: str, fixed_effects: str, n: int, t: int) -> _Shape:
    if approach == "direct" or fixed_effects == "none":
        return _Shape(n, t, False)
    time_effects = fixed_effects in ("time", "twoways")
    return _Shape(n - 1 if time_effects else n,
                  t - 1 if fixed_effects in ("entity", "twoways") else t, time_effects)


def _design(panel: DemeanedPanel, w: SpatialWeights, centre_lags: bool) -> _Design:
    within = np.column_stack([panel.y, panel.x])
    lagged = spatial_lag(within, w.matrix, panel.n)
    if centre_lags:
        lagged = _centre_units(lagged, panel.n)
    return _Design(panel.y, panel.x, lagged[:, 0], lagged[:, 1:], panel.names, panel.n,
                   panel.t, w)


def _maximise(negative_loglik, w: SpatialWeights) -> float:
    low, high = w.bounds()
    return optimize.minimize_scalar(negative_loglik, bounds=(low + 1e-9, high - 1e-9),
                                    method="bounded", options={"xatol": 1e-12}).x


def _jacobian(spatial: float, w: SpatialWeights, shape: _Shape) -> float:
    """The log-determinant of one period: ln|I - rho W|, less ln(1 - rho) when the unit
    eigenvalue is transformed away."""
    det = w.log_det(spatial)
    return det - np.log(1 - spatial) if shape.time_transformed else det


def _lag_estimates(d: _Design, shape: _Shape) -> tuple[np.ndarray, float]:
    """Concentrated ML of SAR/SDM: (b, rho)."""
    nobs = shape.n_eff * shape.t_eff
    xtx_inv = np.linalg.inv(d.x.T @ d.x)
    b0, b1 = xtx_inv @ d.x.T @ d.y, xtx_inv @ d.x.T @ d.wy
    e0, e1 = d.y - d.x @ b0, d.wy - d.x @ b1
    e00, e01, e11 = e0 @ e0, e0 @ e1, e1 @ e1

    def negative_loglik(rho: float) -> float:
        sigma2 = (e00 - 2 * rho * e01 + rho ** 2 * e11) / nobs
        return 0.5 * nobs * np.log(sigma2) - shape.t_eff * _jacobian(rho, d.weights, shape)

    rho = _maximise(negative_loglik, d.weights)
    return b0 - rho * b1, rho


def _error_estimates(d: _Design, shape: _Shape) -> tuple[np.ndarray, float]:
    """Concentrated ML of SEM/SDEM: (b, lambda), with the cross-products of [y, X, Wy, WX]
    formed once so that each evaluation costs O(k^3)."""
    nobs, k = shape.n_eff * shape.t_eff, d.x.shape[1]
    z = np.column_stack([d.y, d.x, d.wy, d.wx])
    g = z.T @ z

    def fitted(lam: float) -> tuple[np.ndarray, float]:
        # (I - lam W) [y X] = [y X] - lam [Wy WX]
        a = np.vstack([np.eye(k + 1), -lam * np.eye(k + 1)])
        m = a.T @ g @ a
        b = np.linalg.solve(m[1:, 1:], m[1:, 0])
        return b, (m[0, 0] - m[1:, 0] @ b) / nobs

    def negative_loglik(lam: float) -> float:
        return (0.5 * nobs * np.log(fitted(lam)[1])
                - shape.t_eff * _jacobian(lam, d.weights, shape))

    lam = _maximise(negative_loglik, d.weights)
    return fitted(lam)[0], lam


def _residuals(d: _Design, lag: bool, b: np.ndarray, spatial: float) -> np.ndarray:
    """The innovations e of the model at (b, spatial)."""
    if lag:
        return d.y - spatial * d.wy - d.x @ b
    return d.y - spatial * d.wy - (d.x - spatial * d.wx) @ b


def _w_tilde(d: _Design, rho: float) -> np.ndarray:
    """G = W (I - rho W)^-1 = ((I - rho W)^-1 - I) / rho.

    For W = D^-1/2 S D^1/2 with S symmetric, I - rho S is symmetric positive definite on the
    parameter space, so (I - rho S)^-1 comes from a Cholesky factor (about N^3 flops against
    2.7 N^3 for the LU solve of the general case) and G = D^-1/2 ((I - rho S)^-1 - I)/rho D^1/2.
    Near rho = 0 (cancellation) and for other W: the LU solve (I - rho W) G = W.
    """
    n, scale = d.n, d.weights.spectrum[1]
    if scale is not None and abs(rho) > 0.05:
        a = symmetrised(d.w, scale)
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
            root = np.sqrt(scale)
            upper /= root[:, None]
            upper *= root[None, :]
            return upper
    return np.linalg.solve(np.eye(n) - rho * d.w, d.w)  # W and (I - rho W)^-1 commute


def _information(d: _Design, lag: bool, b: np.ndarray, spatial: float, sigma2: float,
                 shape: _Shape) -> tuple[np.ndarray, np.ndarray]:
    """Asymptotic information matrix of (b, spatial, sigma^2) and G X b (for prediction)."""
    n, k = d.n, d.x.shape[1]
    _, mean_g, mean_gg = d.weights.resolvent_means(spatial)
    tr_g, tr_gg = n * float(mean_g), n * float(mean_gg)  # tr G, tr GG from the spectrum
    if d.weights.is_sparse:  # G X b and tr G'G (estimated) from a sparse LU factor
        products, tr_gtg = sparse_w.g_products(d.w, spatial, (d.x @ b).reshape(d.t, n).T,
                                               centre=shape.time_transformed)
        g_xb = products.T.ravel()
    else:
        g = _w_tilde(d, spatial)
        tr_gtg = (g ** 2).sum()  # tr G'G = squared Frobenius norm
        g_xb = spatial_lag(d.x @ b, g, n)
        if shape.time_transformed:  # ||J G J||^2 by the ANOVA decomposition
            rows, cols = g.mean(axis=1), g.mean(axis=0)
            tr_gtg += n * n * g.mean() ** 2 - n * (rows @ rows) - n * (cols @ cols)
    if shape.time_transformed:  # G* = F'GF: W's unit eigenvalue 1/(1 - rho) of G removed
        tr_g -= 1 / (1 - spatial)
        tr_gg -= 1 / (1 - spatial) ** 2
        g_xb = _centre_units(g_xb, n)
    info = np.zeros((k + 2, k + 2))
    t_eff = shape.t_eff
    if lag:
        info[:k, :k] = d.x.T @ d.x / sigma2
        info[:k, k] = info[k, :k] = d.x.T @ g_xb / sigma2
        info[k, k] = t_eff * (tr_gg + tr_gtg) + g_xb @ g_xb / sigma2
    else:
        xs = d.x - spatial * d.wx
        info[:k, :k] = xs.T @ xs / sigma2
        info[k, k] = t_eff * (tr_gg + tr_gtg)
    info[k, k + 1] = info[k + 1, k] = t_eff * tr_g / sigma2
    info[k + 1, k + 1] = shape.n_eff * t_eff / (2 * sigma2 ** 2)
    return info, g_xb


def _loglik(d: _Design, resid: np.ndarray, sigma2: float, spatial: float, shape: _Shape
            ) -> float:
    """Gaussian log-likelihood with n_eff x t_eff independent observations."""
    nobs = shape.n_eff * shape.t_eff
    return float(-0.5 * nobs * np.log(2 * np.pi * sigma2) - resid @ resid / (2 * sigma2)
                 + shape.t_eff * _jacobian(spatial, d.weights, shape))


@dataclass(frozen=True)
class _Spec:
    """What the results object needs besides the estimates."""

    model: str
    fixed_effects: str
    dependent: str
    regressors: tuple[str, ...]
    durbin: tuple[str, ...]
    weights: SpatialWeights
    lag_convention: str


def _package(d: _Design, spec: _Spec, approach: str, b: np.ndarray, spatial: float,
             sigma2: float, loglik: float, shape: _Shape,
             information: tuple[np.ndarray, np.ndarray] | None = None) -> SpatialPanelResults:
    lag = spec.model in LAG_MODELS
    info, g_xb = information or _information(d, lag, b, spatial, sigma2, shape)
    cov_full = np.linalg.inv(info)
    k = len(b) + 1
    names = [*d.names, "lambda" if spec.model in ERROR_MODELS else "rho"]
    params = pd.Series([*b, spatial], index=names)
    se = pd.Series(np.sqrt(np.diag(cov_full)[:k]), index=names)
    tstats = params / se
    resid = _residuals(d, lag, b, spatial)
    centred = d.y - d.y.mean()
    predicted = d.x @ b + (spatial * g_xb if lag else 0.0)  # (I - rho W)^-1 = I + rho G
    return SpatialPanelResults(
        params=params, cov=pd.DataFrame(cov_full[:k, :k], index=names, columns=names),
        std_errors=se, tstats=tstats,
        pvalues=pd.Series(2 * stats.norm.sf(tstats.abs()), index=names),
        sigma2=float(sigma2), loglik=float(loglik), nobs=d.n * d.t, rho=float(spatial),
        model=spec.model, fixed_effects=spec.fixed_effects, dependent=spec.dependent,
        regressors=spec.regressors, durbin=spec.durbin, n_entities=d.n, n_periods=d.t,
        rsquared=float(1 - resid @ resid / (centred @ centred)),
        corr2=float(np.corrcoef(d.y, predicted)[0, 1] ** 2),
        sigma2_se=float(np.sqrt(cov_full[k, k])), approach=approach,
        lag_convention=spec.lag_convention if approach != "transformation" else "transformed",
        weights=spec.weights)


def _fit(d: _Design, spec: _Spec, approach: str) -> tuple[SpatialPanelResults, np.ndarray]:
    """The direct or the transformation estimates, with their information matrix."""
    lag = spec.model in LAG_MODELS
    shape = _shape(approach, spec.fixed_effects, d.n, d.t)
    b, spatial = _lag_estimates(d, shape) if lag else _error_estimates(d, shape)
    resid = _residuals(d, lag, b, spatial)
    sigma2 = resid @ resid / (shape.n_eff * shape.t_eff)
    information = _information(d, lag, b, spatial, sigma2, shape)
    result = _package(d, spec, approach, b, spatial, sigma2,
                      _loglik(d, resid, sigma2, spatial, shape), shape, information)
    return result, information[0]


def _direct_bc(d: _Design, spec: _Spec, direct: SpatialPanelResults, info: np.ndarray
               ) -> SpatialPanelResults:
    """Lee and Yu (2010) correction as in Elhorst's sar_panel_FE / sem_panel_FE (bc = 1)."""
    lag = spec.model in LAG_MODELS
    n, t = d.n, d.t
    b = direct.params.to_numpy()[:-1]
    spatial, sigma2 = direct.rho, direct.sigma2
    if spec.fixed_effects in ("time", "twoways"):  # the O(1/N) bias of the time effects
        k = len(b)
        bias = np.zeros(k + 2)
        bias[k], bias[k + 1] = 1 / (1 - spatial), 1 / (2 * sigma2)
        corrected = np.concatenate([b, [spatial, sigma2]]) + np.linalg.solve(
            info / (n * t), bias) / n
        b, spatial, sigma2 = corrected[:k], float(corrected[k]), corrected[k + 1]
    if spec.fixed_effects in ("entity", "twoways"):  # the T -> T-1 of the entity effects
        sigma2 = sigma2 * t / (t - 1)
    loglik = _loglik(d, _residuals(d, lag, b, spatial), sigma2, spatial,
                     _shape("transformation", spec.fixed_effects, n, t))
    return _package(d, spec, "direct_bc", b, spatial, sigma2, loglik,
                    _shape("direct", spec.fixed_effects, n, t))


def _check_row_sums(w: SpatialWeights, fixed_effects: str, approach: str) -> bool:
    """True when the approaches that assume W 1 = 1 may run; refuses or warns otherwise."""
    problem = w.not_row_standardised()
    if not problem:
        return True
    time_effects = fixed_effects in ("time", "twoways")
    if time_effects and approach != "direct":
        raise ValueError(f"{problem}: Lee and Yu's transformation of the time effects (and "
                         "Elhorst's bc = 1 correction) assume rows that sum to one (W 1 = 1); "
                         "row-standardise W or pass approach='direct'")
    warnings.warn(f"{problem}: estimating anyway, but rho < 1 is no longer the upper bound of "
                  "the parameter space, the effects' total (b + theta)/(1 - rho) no longer "
                  "holds (the effects refuse this W)"
                  + (" and no transformation-approach or bc = 1 alternative is computed"
                     if time_effects else ""), UserWarning, stacklevel=3)
    return not time_effects


def fit_spatial_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, model: str = "sar", fixed_effects: str = "entity",
    durbin: list[str] | None = None, approach: str = "transformation",
    alternatives: bool = True, lag_convention: str = "transformed",
) -> SpatialPanelResults:
    """Fit a SAR, SEM, SDM or SDEM panel by maximum likelihood on a balanced panel.

    ``w``: a ``SpatialWeights`` whose ids are the values of ``data[entity]`` (matched by label;
    of the same type: str ids do not match int ids); it should be row-standardised (required
    with time effects unless ``approach="direct"``; otherwise a warning says what no longer
    holds). ``fixed_effects``: "none" (a constant is estimated), "entity", "time" or "twoways".
    ``durbin``: the regressors whose spatial lags W x enter SDM/SDEM (default: all).
    ``approach``: "transformation" (Lee and Yu 2010, the default), "direct" (splm, Elhorst) or
    "direct_bc" (Elhorst's bc = 1); without fixed effects there is only the direct estimator.
    ``alternatives``: also compute the other two approaches (``results.alternatives``, printed
    beside the estimates by ``summary``). ``lag_convention`` (the direct approaches with time
    effects): "transformed" lags as the transformation approach does (J_N W y*), "splm" lags
    the demeaned y and X as splm does (reproduces splm's two-way numbers).
    """
    model = model.lower()
    if model not in LAG_MODELS + ERROR_MODELS:
        raise ValueError(f"model must be one of sar, sem, sdm, sdem, got '{model}'")
    fixed_effects = resolve_fixed_effects(False, fixed_effects)
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}, got '{approach}'")
    if lag_convention not in LAG_CONVENTIONS:
        raise ValueError(f"lag_convention must be one of {LAG_CONVENTIONS}, got "
                         f"'{lag_convention}'")
    if model in ("sdm", "sdem"):
        durbin = list(regressors) if durbin is None else list(durbin)
    elif durbin:
        raise ValueError(f"{model.upper()} has no Durbin terms; use SDM or SDEM")
    else:
        durbin = []
    panel = demeaned_panel(data, dependent, list(regressors), entity, time, w, fixed_effects,
                           durbin)
    spec = _Spec(model, fixed_effects, dependent, tuple(regressors), tuple(durbin), w,
                 lag_convention)
    if fixed_effects == "none":
        return _fit(_design(panel, w, False), spec, "direct")[0]
    transformable = _check_row_sums(w, fixed_effects, approach)
    time_effects = fixed_effects in ("time", "twoways")
    wanted = {approach} | (set(APPROACHES) if alternatives and transformable else set())
    fits: dict[str, SpatialPanelResults] = {}
    if "transformation" in wanted:
        fits["transformation"] = _fit(_design(panel, w, time_effects), spec,
                                      "transformation")[0]
    if wanted & {"direct", "direct_bc"}:
        d = _design(panel, w, time_effects and lag_convention == "transformed")
        fits["direct"], info = _fit(d, spec, "direct")
        if "direct_bc" in wanted:
            fits["direct_bc"] = _direct_bc(d, spec, fits["direct"], info)
    others = {name: fit for name, fit in fits.items() if name != approach}
    return replace(fits[approach], alternatives=others)


def fit_sar_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, time_effects: bool = False, fixed_effects: str | None = None,
    **options,
) -> SpatialPanelResults:
    """SAR panel; ``time_effects=True`` means two-way effects unless ``fixed_effects`` says
    otherwise ("none", "entity", "time", "twoways"). Options as ``fit_spatial_panel``."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, "sar",
                             resolve_fixed_effects(time_effects, fixed_effects), **options)


def fit_sem_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, time_effects: bool = False, fixed_effects: str | None = None,
    **options,
) -> SpatialPanelResults:
    """SEM panel (spatial error); arguments as ``fit_sar_panel``."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, "sem",
                             resolve_fixed_effects(time_effects, fixed_effects), **options)


def fit_sdm_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str], entity: str,
    time: str, w: SpatialWeights, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """Spatial Durbin panel: SAR with the spatial lags W x of the ``durbin`` regressors (named
    ``W_<x>``), lagged period by period before the fixed effects are removed."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, "sdm",
                             resolve_fixed_effects(time_effects, fixed_effects), durbin=durbin,
                             **options)


def fit_sdem_panel(
    data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str], entity: str,
    time: str, w: SpatialWeights, time_effects: bool = False,
    fixed_effects: str | None = None, **options,
) -> SpatialPanelResults:
    """Spatial Durbin error panel: SEM with the spatial lags W x of the ``durbin`` regressors."""
    return fit_spatial_panel(data, dependent, regressors, entity, time, w, "sdem",
                             resolve_fixed_effects(time_effects, fixed_effects), durbin=durbin,
                             **options)
