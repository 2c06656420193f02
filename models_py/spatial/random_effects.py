"""Spatial lag panels with random individual effects by maximum likelihood: SAR and SDM (Elhorst
2014, "Spatial Econometrics", Springer, sec. 3.4; Baltagi, Song and Koh 2003; R splm's
``spml(model = "random", lag = TRUE, spatial.error = "none")``, Millo and Piras 2012, J. Stat.
Software 47(1); Elhorst's ``sar_panel_RE``).

  SAR:  y_t = rho W y_t + c + X_t b + mu + e_t
  SDM:  y_t = rho W y_t + c + X_t b + W X_t theta + mu + e_t
with mu ~ N(0, sigma_mu^2 I_N) independent of X and e_t ~ N(0, sigma^2 I_N); the panel is stacked
by period. With phi = sigma_mu^2 / sigma^2 the error covariance is sigma^2 Sigma,
Sigma = phi (J_T x I_N) + I_NT, Sigma^-1 = Q + c P with P = (J_T / T) x I_N (unit means),
Q = I - P and c = 1 / (1 + T phi). The log-likelihood (nats, all constants) is
  ln L = -NT/2 ln(2 pi sigma^2) - e'Sigma^-1 e / (2 sigma^2) + T sum_k ln(1 - rho w_k)
         - N/2 ln(1 + T phi),        e = y - rho (I_T x W) y - Z g,  Z = [1, X, (W X)],
with w_k the eigenvalues of W. Given (rho, phi), g is GLS (OLS on the quasi-demeaned data
v - (1 - sqrt(c)) v_bar_i) and sigma^2 = e'Sigma^-1 e / NT; the concentrated likelihood is
maximised over rho (inner, bounded scalar search) and ln phi (outer, phi in [1e-8, 1e8] as splm).
Every evaluation works on the within and between cross-products of [y, Wy, Z], formed once:
[.]' Sigma^-1 [.] = [.]'Q[.] + c [.]'P[.].

Covariance of (g, rho, phi), ``covariance=``:
  "information" (default): the inverse of the expected information of (g, rho, phi, sigma^2),
      analytic (W~ = W (I - rho W)^-1 commutes with Sigma, S = Sigma^-1, s2 = sigma^2):
        gg  Z'S Z / s2             g rho  Z'S (I x W~) Z g / s2
        rho rho  T tr(W~W~ + W~'W~) + (W~Zg)'S(W~Zg) / s2
        rho phi  T c tr W~         rho s2  T tr W~ / s2
        phi phi  N T^2 c^2 / 2     phi s2  N T c / (2 s2)      s2 s2  NT / (2 s2^2)
      the convention of this project's fixed-effects models (and of Elhorst's sar_panel_RE,
      whose parametrisation in teta = sqrt(c) differs), so that the spatial Hausman test
      compares like with like.
  "hessian": the inverse of the observed information -d2 ln L of (g, rho, phi, sigma^2),
      analytic:
        gg  Z'S Z / s2          g rho  Z'S Wy / s2        g phi  T c^2 Z'P e / s2
        rho rho  T sum w^2/(1 - rho w)^2 + Wy'S Wy / s2   rho phi  T c^2 Wy'P e / s2
        phi phi  T^2 c^3 e'P e / s2 - N T^2 c^2 / 2       phi s2  T c^2 e'P e / (2 s2^2)
        s2 s2  e'S e / s2^3 - NT / (2 s2^2)               g s2, rho s2: Z'S e / s2^2, Wy'S e / s2^2
  "splm": splm's convention: g from GLS given (rho, phi), s2 (Z'S Z)^-1, which leaves out the
      uncertainty of rho (no cross terms), and (rho, phi) from the Hessian of the likelihood
      concentrated on them (splm differentiates it numerically with nlme's fdHess; its inverse
      equals the (rho, phi) block of the "hessian" inverse, computed here analytically).
      Reproduces splm's printed standard errors of g exactly and those of rho and phi within
      splm's finite-difference error (about 0.2 and 0.4 per cent on the Munnell data: fdHess's
      relative step eps^(1/3) leaves rounding noise of that size).
Observed and expected information agree when the model holds and differ when the random-effects
assumption fails: on the Munnell data (which the spatial Hausman test rejects) rho's standard
error is 0.029 from the Hessian and 0.019 from the expected information, because the unit means
of Wy there are correlated with the residuals' unit means (the rho-phi term).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from models_py.spatial.eigen import log_det, parameter_bounds
from models_py.spatial.panel_ml import spatial_lag
from models_py.spatial.results import durbin_name
from models_py.spatial.weights import SpatialWeights

__all__ = ["COVARIANCES", "SpatialRandomEffectsResults", "fit_spatial_random_effects"]

COVARIANCES = ("information", "hessian", "splm")
_PHI_BOUNDS = (1e-8, 1e8)  # splm's bounds for phi


@dataclass(frozen=True, eq=False)
class SpatialRandomEffectsResults:
    """A fitted spatial lag panel with random individual effects.

    ``params``: ``const``, the regressors, the Durbin lags ``W_<x>`` (SDM), ``phi``
    (= sigma_mu^2 / sigma^2) and last ``rho``, as in the fixed-effects results, so that
    ``effects.point_effects`` and ``simulated_effects`` apply; ``cov`` their covariance by
    ``covariance``; statistics are z.
    ``sigma2`` is the idiosyncratic variance sigma^2, ``sigma2_mu`` = phi sigma^2; ``loglik`` the
    maximised log-likelihood (nats, with all constants); ``nobs`` = N T.
    """

    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int
    loglik: float
    sigma2: float
    sigma2_se: float
    model: str
    dependent: str
    regressors: tuple[str, ...]
    durbin: tuple[str, ...]
    n_entities: int
    n_periods: int
    covariance: str
    row_standardised: bool = True
    weights: SpatialWeights | None = field(default=None, repr=False)

    @property
    def eigenvalues(self) -> np.ndarray | None:
        """The eigenvalues of the fit's W (cached on it)."""
        return None if self.weights is None else self.weights.eigenvalues

    @property
    def statistic_kind(self) -> str:
        return "z"

    @property
    def rho(self) -> float:
        return float(self.params["rho"])

    @property
    def phi(self) -> float:
        return float(self.params["phi"])

    @property
    def sigma2_mu(self) -> float:
        """Variance of the random individual effects, phi sigma^2."""
        return self.phi * self.sigma2

    @property
    def fixed_effects(self) -> str:
        """``"random"``: the individual effects are random (none is swept out)."""
        return "random"

    def beta(self) -> pd.Series:
        """Coefficients of the regressors themselves (no constant, no W x, no rho or phi)."""
        return self.params[list(self.regressors)]

    def theta(self) -> pd.Series:
        """Coefficients of W x per regressor (zero for regressors without a Durbin term)."""
        return pd.Series([self.params.get(durbin_name(r), 0.0) for r in self.regressors],
                         index=list(self.regressors))

    def fit_statistics(self) -> dict[str, float]:
        return {"nobs": float(self.nobs), "loglik": self.loglik, "sigma2": self.sigma2,
                "sigma2_mu": self.sigma2_mu, "rho": self.rho, "phi": self.phi,
                "n_entities": float(self.n_entities), "n_periods": float(self.n_periods)}

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: term, estimate, std_error, statistic, p_value."""
        return pd.DataFrame({"term": self.params.index, "estimate": self.params.to_numpy(),
                             "std_error": self.std_errors.to_numpy(),
                             "statistic": self.tstats.to_numpy(),
                             "p_value": self.pvalues.to_numpy()})

    def summary(self) -> str:
        """The fit as text (nothing is printed)."""
        head = (f"{self.model.upper()} panel, random individual effects, maximum likelihood: "
                f"{self.dependent or 'y'}, N = {self.n_entities}, T = {self.n_periods}, "
                f"log-likelihood {self.loglik:.4f}, sigma2 {self.sigma2:.6g}, "
                f"sigma2_mu {self.sigma2_mu:.6g}; standard errors: {self.covariance}")
        table = self.to_frame().set_index("term").rename(columns={"statistic": "z"})
        return "\n".join([head, "", table.to_string(float_format=lambda v: f"{v:.6g}")])


@dataclass(frozen=True)
class _Panel:
    y: np.ndarray  # stacked by period
    wy: np.ndarray
    z: np.ndarray  # [1, X, W X]
    names: list[str]
    n: int
    t: int

    def unit_means(self, values: np.ndarray) -> np.ndarray:
        """P v: each unit's mean over the periods, repeated in every period."""
        shaped = values.reshape(self.t, self.n, -1)
        return np.broadcast_to(shaped.mean(axis=0), shaped.shape).reshape(values.shape)


def _panel(data: pd.DataFrame, dependent: str, regressors: list[str], durbin: list[str],
           entity: str, time: str, w: np.ndarray, entity_order: list) -> _Panel:
    n = len(entity_order)
    if w.shape != (n, n):
        raise ValueError(f"w is {w.shape}, expected ({n}, {n}) for the entities of entity_order")
    columns = [dependent, *regressors]
    missing = [c for c in [entity, time, *columns] if c not in data.columns]
    if missing:
        raise ValueError(f"the panel has no column(s) {missing}")
    position = {e: i for i, e in enumerate(entity_order)}
    frame = data.assign(_pos=data[entity].map(position))
    unknown = frame.loc[frame["_pos"].isna(), entity].unique()
    if len(unknown):
        raise ValueError(f"entities {list(unknown[:5])} of column '{entity}' are not among the "
                         f"ids of W (entity_order, e.g. {entity_order[:3]}); check their type "
                         "and spelling")
    frame = frame.sort_values([time, "_pos"])
    t = frame[time].nunique()
    if len(frame) != n * t or frame.groupby(time)["_pos"].nunique().ne(n).any():
        raise ValueError("the spatial random-effects panel needs a balanced panel of the "
                         f"entities in entity_order: {len(frame)} rows for {n} entities x "
                         f"{t} periods")
    if t < 2:
        raise ValueError(f"random individual effects need T >= 2 periods, the panel has {t}")
    values = frame[columns].to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows, cols = np.nonzero(bad)
        where = [f"{frame[entity].iloc[r]}/{frame[time].iloc[r]}:{columns[c]}"
                 for r, c in zip(rows[:5], cols[:5], strict=True)]
        raise ValueError(f"{bad.sum()} missing or infinite value(s) in the panel, e.g. "
                         f"(entity/period:column) {where}")
    y, x = values[:, 0], values[:, 1:]
    parts = [np.ones((n * t, 1)), x]
    names = ["const", *regressors]
    if durbin:
        parts.append(spatial_lag(frame[durbin].to_numpy(dtype=float), w, n))
        names += [durbin_name(d) for d in durbin]
    z = np.hstack(parts)
    if np.linalg.matrix_rank(z) < z.shape[1]:
        raise ValueError(f"the regressors {names} are collinear (the constant included)")
    return _Panel(y, spatial_lag(y, w, n), z, names, n, t)


@dataclass(frozen=True)
class _CrossProducts:
    """Within (Q) and between (P) cross-products of v = [y, Wy, Z]."""

    within: np.ndarray
    between: np.ndarray

    def gls(self, c: float) -> np.ndarray:
        """v' Sigma^-1 v for c = 1 / (1 + T phi)."""
        return self.within + c * self.between


def _profile(g: np.ndarray, nt: int) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """From v' Sigma^-1 v: b0, b1 (GLS of y and Wy on Z) and the cross-products of their
    residuals, so that SSR(rho) = e00 - 2 rho e01 + rho^2 e11."""
    zz, zy, zwy = g[2:, 2:], g[2:, 0], g[2:, 1]
    b0, b1 = np.linalg.solve(zz, np.column_stack([zy, zwy])).T
    e00 = g[0, 0] - zy @ b0
    e01 = g[0, 1] - zy @ b1
    e11 = g[1, 1] - zwy @ b1
    return b0, b1, e00, e01, e11


def _estimate(cp: _CrossProducts, eig: np.ndarray, n: int, t: int
              ) -> tuple[float, float, float]:
    """(rho, phi, maximised log-likelihood)."""
    nt = n * t
    low, high = parameter_bounds(eig)

    def best_rho(phi: float) -> tuple[float, float]:
        _, _, e00, e01, e11 = _profile(cp.gls(1 / (1 + t * phi)), nt)

        def negative(rho: float) -> float:
            return 0.5 * nt * np.log(e00 - 2 * rho * e01 + rho ** 2 * e11) - t * log_det(rho, eig)

        found = optimize.minimize_scalar(negative, bounds=(low + 1e-9, high - 1e-9),
                                         method="bounded", options={"xatol": 1e-12})
        loglik = (-0.5 * nt * (np.log(2 * np.pi / nt) + 1) - found.fun
                  - 0.5 * n * np.log(1 + t * phi))
        return found.x, loglik

    outer = optimize.minimize_scalar(lambda s: -best_rho(np.exp(s))[1],
                                     bounds=tuple(np.log(_PHI_BOUNDS)), method="bounded",
                                     options={"xatol": 1e-10})
    phi = float(np.exp(outer.x))
    rho, loglik = best_rho(phi)
    return float(rho), phi, float(loglik)


def _observed_information(p: _Panel, cp: _CrossProducts, coef: np.ndarray, rho: float,
                          phi: float, sigma2: float, eig: np.ndarray) -> np.ndarray:
    """-d2 ln L of (g, rho, phi, sigma^2), analytic (module docstring)."""
    t, n, k = p.t, p.n, p.z.shape[1]
    c = 1 / (1 + t * phi)
    a = np.concatenate([[1.0, -rho], -coef])  # e = [y, Wy, Z] a
    s_full, between = cp.gls(c), cp.between
    s_e, p_e = s_full @ a, between @ a  # [y, Wy, Z]' S e and [y, Wy, Z]' P e
    epe = a @ p_e
    ese = a @ s_e
    ratio = eig / (1 - rho * eig)
    info = np.zeros((k + 3, k + 3))
    g, r, f, s = slice(0, k), k, k + 1, k + 2
    info[g, g] = s_full[2:, 2:] / sigma2
    info[g, r] = info[r, g] = s_full[2:, 1] / sigma2
    info[g, f] = info[f, g] = t * c ** 2 * p_e[2:] / sigma2
    info[g, s] = info[s, g] = s_e[2:] / sigma2 ** 2
    info[r, r] = t * float(np.real((ratio ** 2).sum())) + s_full[1, 1] / sigma2
    info[r, f] = info[f, r] = t * c ** 2 * p_e[1] / sigma2
    info[r, s] = info[s, r] = s_e[1] / sigma2 ** 2
    info[f, f] = t ** 2 * c ** 3 * epe / sigma2 - n * t ** 2 * c ** 2 / 2
    info[f, s] = info[s, f] = t * c ** 2 * epe / (2 * sigma2 ** 2)
    info[s, s] = ese / sigma2 ** 3 - n * t / (2 * sigma2 ** 2)
    return info


def _expected_information(p: _Panel, cp: _CrossProducts, coef: np.ndarray, rho: float,
                          phi: float, sigma2: float, eig: np.ndarray, w: np.ndarray
                          ) -> np.ndarray:
    """Expected information of (g, rho, phi, sigma^2) (module docstring)."""
    t, n, k = p.t, p.n, p.z.shape[1]
    c = 1 / (1 + t * phi)
    w_tilde = np.linalg.solve(np.eye(n) - rho * w, w)  # W and (I - rho W)^-1 commute
    ratio = eig / (1 - rho * eig)
    tr_w, tr_ww = float(np.real(ratio.sum())), float(np.real((ratio ** 2).sum()))
    tr_wtw = float((w_tilde ** 2).sum())
    wzg = spatial_lag(p.z @ coef, w_tilde, n)
    s_wzg = wzg - (1 - c) * p.unit_means(wzg)  # Sigma^-1 W~ Z g
    info = np.zeros((k + 3, k + 3))
    g, r, f, s = slice(0, k), k, k + 1, k + 2
    info[g, g] = cp.gls(c)[2:, 2:] / sigma2
    info[g, r] = info[r, g] = p.z.T @ s_wzg / sigma2
    info[r, r] = t * (tr_ww + tr_wtw) + wzg @ s_wzg / sigma2
    info[r, f] = info[f, r] = t * c * tr_w
    info[r, s] = info[s, r] = t * tr_w / sigma2
    info[f, f] = n * t ** 2 * c ** 2 / 2
    info[f, s] = info[s, f] = n * t * c / (2 * sigma2)
    info[s, s] = n * t / (2 * sigma2 ** 2)
    return info


def fit_spatial_random_effects(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, model: str = "sar", durbin: list[str] | None = None,
    covariance: str = "information",
) -> SpatialRandomEffectsResults:
    """Fit a SAR or SDM panel with random individual effects by maximum likelihood.

    ``w`` (a dense ``SpatialWeights``, its ids the panel's entities) should be
    row-standardised; its eigenvalues are computed once and cached on it. A constant
    is estimated. ``durbin``: the regressors whose lags W x enter the SDM (default: all).
    ``covariance``: "information" (expected information, default), "hessian" (observed
    information) or "splm" (splm's convention, reproduces its printed numbers); see the module
    docstring.
    """
    model = model.lower()
    if model not in ("sar", "sdm"):
        raise ValueError(f"model must be 'sar' or 'sdm' with random effects, got '{model}'")
    if covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got '{covariance}'")
    regressors = list(regressors)
    if model == "sdm":
        durbin = list(regressors) if durbin is None else list(durbin)
        if [d for d in durbin if d not in regressors]:
            raise ValueError(f"Durbin terms {durbin} are not all among {regressors}")
    elif durbin:
        raise ValueError("SAR has no Durbin terms; use model='sdm'")
    else:
        durbin = []
    if w.is_sparse:
        raise ValueError("random effects need a dense W (its eigenvalues)")
    weights, eig = w, w.eigenvalues
    entity_order = list(w.ids)
    w = np.asarray(w.matrix, dtype=float)
    p = _panel(data, dependent, regressors, durbin, entity, time, w, entity_order)
    n, t, k = p.n, p.t, p.z.shape[1]
    v = np.column_stack([p.y, p.wy, p.z])
    pv = p.unit_means(v)
    cp = _CrossProducts(within=v.T @ v - v.T @ pv, between=v.T @ pv)
    rho, phi, loglik = _estimate(cp, eig, n, t)
    b0, b1, e00, e01, e11 = _profile(cp.gls(1 / (1 + t * phi)), n * t)
    coef = b0 - rho * b1
    sigma2 = float((e00 - 2 * rho * e01 + rho ** 2 * e11) / (n * t))

    if covariance == "information":
        inverse = np.linalg.inv(_expected_information(p, cp, coef, rho, phi, sigma2, eig, w))
    else:
        inverse = np.linalg.inv(_observed_information(p, cp, coef, rho, phi, sigma2, eig))
    cov = inverse[:k + 2, :k + 2].copy()
    if covariance == "splm":  # GLS covariance of g given (rho, phi); no cross terms
        cov[:k, :] = cov[:, :k] = 0.0
        cov[:k, :k] = sigma2 * np.linalg.inv(cp.gls(1 / (1 + t * phi))[2:, 2:])
    # reported as (g, phi, rho): the spatial parameter last, as in every spatial results object
    # (the effects module reads rho there)
    order = [*range(k), k + 1, k]
    cov = cov[np.ix_(order, order)]
    names = [*p.names, "phi", "rho"]
    params = pd.Series([*coef, phi, rho], index=names)
    se = pd.Series(np.sqrt(np.diag(cov)), index=names)
    tstats = params / se
    return SpatialRandomEffectsResults(
        params=params, std_errors=se, tstats=tstats,
        pvalues=pd.Series(2 * stats.norm.sf(tstats.abs()), index=names),
        cov=pd.DataFrame(cov, index=names, columns=names), nobs=n * t, loglik=loglik,
        sigma2=sigma2, sigma2_se=float(np.sqrt(inverse[k + 2, k + 2])), model=model,
        dependent=dependent, regressors=tuple(regressors), durbin=tuple(durbin),
        n_entities=n, n_periods=t, covariance=covariance,
        row_standardised=weights.row_standardised, weights=weights)
