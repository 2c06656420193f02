"""A small, independent check of the two-way fixed-effects SDM: Lee and Yu's (2010)
transformation approach, used by the demo's recovery tests (not by the pipeline).

Model (balanced panel, N units x T periods, W row-standardised):
  y_t = rho W y_t + X_t b + W X_t theta + mu + alpha_t 1 + e_t,   e ~ N(0, s2 I).
Lee and Yu (2010, J. Econometrics 154: 165-185, sec. 4): eliminating the unit effects (T -> T-1
effective periods) and the time effects (N -> N-1 effective units, with J_N = I - 11'/N) gives
  ln L(b, rho, s2) = -(N-1)(T-1)/2 ln(2 pi s2) + (T-1)[ln|I - rho W| - ln(1 - rho)]
                     - e'e / (2 s2),
  e = y~ - rho (J_N W y)~ - Z~ d,
with ~ the two-way demeaning and Z = [X, W X]. ln|I - rho W| = sum_k ln(1 - rho w_k) over the
eigenvalues of W. b and s2 are concentrated out; rho maximises the concentrated likelihood
(bounded search); standard errors come from a numerical Hessian of the full log-likelihood.
Effects (LeSage and Pace 2009) by the eigenvalue formulas, with inference by 2000 seeded draws
from the estimates' asymptotic normal distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize


def twoway_demean(a: np.ndarray) -> np.ndarray:
    """a (N x T or N x T x k) minus unit means, minus period means, plus the grand mean."""
    return (a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True)
            + a.mean(axis=(0, 1), keepdims=True))


@dataclass
class SDMFit:
    names: list[str]
    params: np.ndarray  # b (k), theta (k), rho, s2
    se: np.ndarray
    cov: np.ndarray
    eig: np.ndarray
    k: int
    durbin: list[str]

    def value(self, name: str) -> tuple[float, float]:
        i = self.names.index(name)
        return float(self.params[i]), float(self.se[i])

    def effects(self, draws: int = 2000, seed: int = 7) -> dict[str, dict[str, tuple]]:
        """{regressor: {direct|indirect|total: (point, se)}}."""
        k, eig = self.k, self.eig
        rng = np.random.default_rng(seed)
        sample = rng.multivariate_normal(self.params, self.cov, draws)
        sample = np.vstack([self.params, sample])
        b = sample[:, :k]
        th = np.zeros_like(b)
        for j, name in enumerate(self.durbin):
            th[:, self.names.index(name)] = sample[:, k + j]
        rho = sample[:, k + len(self.durbin)][:, None]
        inv = 1 / (1 - rho * eig[None, :])
        direct = b * inv.mean(axis=1)[:, None] + th * (eig[None, :] * inv).mean(axis=1)[:, None]
        total = (b + th) / (1 - rho)
        indirect = total - direct
        out = {}
        for j, name in enumerate(self.names[:k]):
            out[name] = {e: (float(v[0, j]), float(v[1:, j].std()))
                         for e, v in (("direct", direct), ("indirect", indirect),
                                      ("total", total))}
        return out


def fit_sdm_lee_yu(y: np.ndarray, x: np.ndarray, w: np.ndarray, names: list[str],
                   durbin: list[str] | None = None) -> SDMFit:
    """y: N x T; x: N x T x k (raw regressors); w: N x N row-standardised; ``durbin``: the
    regressors whose W x enter (default all; the others' theta are fixed at zero)."""
    n, t, k = x.shape
    durbin = list(names) if durbin is None else list(durbin)
    eig = np.linalg.eigvals(w).real
    wx = np.einsum("ij,jtk->itk", w, x[:, :, [names.index(d) for d in durbin]])
    kd = len(durbin)
    z = twoway_demean(np.concatenate([x, wx], axis=2)).reshape(n * t, k + kd)
    yd = twoway_demean(y).reshape(n * t)
    wy = twoway_demean(np.einsum("ij,jt->it", w, y)).reshape(n * t)
    nt_eff = (n - 1) * (t - 1)
    zz_inv_zt = np.linalg.solve(z.T @ z, z.T)
    d0, d1 = zz_inv_zt @ yd, zz_inv_zt @ wy
    e0, e1 = yd - z @ d0, wy - z @ d1

    def logdet(rho: float) -> float:
        return float(np.sum(np.log(1 - rho * eig)) - np.log(1 - rho))

    def concentrated(rho: float) -> float:
        e = e0 - rho * e1
        s2 = e @ e / nt_eff
        return -(nt_eff / 2) * np.log(s2) + (t - 1) * logdet(rho)

    lower, upper = 1 / eig.min() + 1e-6, 1 - 1e-6
    res = optimize.minimize_scalar(lambda r: -concentrated(r), bounds=(max(lower, -0.99), upper),
                                   method="bounded", options={"xatol": 1e-10})
    rho = float(res.x)
    d = d0 - rho * d1
    e = e0 - rho * e1
    s2 = float(e @ e / nt_eff)
    theta = np.concatenate([d, [rho, s2]])

    def loglik(p: np.ndarray) -> float:
        dd, r, v = p[:k + kd], p[k + kd], p[k + kd + 1]
        ee = yd - r * wy - z @ dd
        return (-(nt_eff / 2) * np.log(2 * np.pi * v) + (t - 1) * logdet(r)
                - ee @ ee / (2 * v))

    m = len(theta)
    h = 1e-4 * np.maximum(1.0, np.abs(theta))
    h[-1] = 1e-4 * s2
    hess = np.zeros((m, m))
    for i in range(m):
        for j in range(i, m):
            pp = theta.copy(); pp[i] += h[i]; pp[j] += h[j]  # noqa: E702
            pm = theta.copy(); pm[i] += h[i]; pm[j] -= h[j]  # noqa: E702
            mp = theta.copy(); mp[i] -= h[i]; mp[j] += h[j]  # noqa: E702
            mm = theta.copy(); mm[i] -= h[i]; mm[j] -= h[j]  # noqa: E702
            hess[i, j] = hess[j, i] = (loglik(pp) - loglik(pm) - loglik(mp) + loglik(mm)) / (
                4 * h[i] * h[j])
    cov = np.linalg.inv(-hess)
    all_names = [*names, *[f"W_{nm}" for nm in durbin], "rho", "sigma2"]
    return SDMFit(all_names, theta, np.sqrt(np.diag(cov)), cov, eig, k, durbin)
