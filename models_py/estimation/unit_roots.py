"""Panel unit-root tests on a balanced panel: Levin-Lin-Chu, Im-Pesaran-Shin and the Fisher-type
(Maddala-Wu and Choi) combinations of unit ADF and Phillips-Perron tests.

Own code because no maintained Python package has them (statsmodels and arch test one series at
a time). The conventions are those of R plm's ``purtest`` (Croissant and Millo), against which
the tests reproduce the Munnell numbers of ../shared/methods/README.md section 8:

- Unit ADF regression (Dickey and Fuller 1979; Said and Dickey 1984), unit i, p_i lags::

      dy_t = rho y_{t-1} + sum_{j=1..p_i} theta_j dy_{t-j} + d_t' delta + e_t,

  d_t = 1 (``deterministic="intercept"``) or (1, t) (``"trend"``), t = 1..T counted from the
  first period, on the T - p_i - 1 observations left after differencing and lagging. The t
  statistic of rho uses sigma^2 = SSR / n **without** a degrees-of-freedom correction (plm's
  default ``dfcor = FALSE``, which the reference numbers need); ``df_correction=True`` gives
  SSR / (n - K), the textbook ADF t (plm's ``dfcor = TRUE``, statsmodels' ``adfuller``).
  In short panels the uncorrected t is larger in absolute value (by sqrt(n / (n - K)), 13 %
  with T = 10 and no lag), which pushes every test towards rejecting the unit root.
- Lags: a fixed number for every unit, or chosen per unit by AIC or BIC (plm's ``lagsel``):
  every candidate 0..max_lags is fitted on the same T - max_lags - 1 observations,
  AIC = ln(SSR/n) + 2K/n, BIC = ln(SSR/n) + K ln(n)/n (K regressors), the smallest wins; the
  chosen lag is then refitted on its own longer sample. Default ``max_lags``: Schwert's
  floor(12 (T/100)^(1/4)), capped so that the common sample keeps at least twice as many
  observations as the largest model has regressors.
- Unit p-values: MacKinnon's (1994, tables 3 and 4) asymptotic response surface,
  p = Phi(g(tau)) with a quadratic g left of tau* (-1.61 intercept, -2.89 trend) and a cubic g
  right of it (what plm uses when R package urca is absent, and what statsmodels' ``mackinnonp``
  implements for one series; the reference numbers were computed this way).
- Levin, Lin and Chu (2002): unit ADF regressions; the residuals of dy_t and of y_{t-1} on the
  lagged differences and d_t, both divided by the unit's ADF sigma, are pooled; t* =
  (t_delta - N T~ S_N sigma_eps^-2 se(delta) mu*) / sigma*, T~ = T - mean(p_i) - 1,
  S_N = mean of the ratios of long-run to short-run standard deviations (long-run variance of
  the demeaned or detrended dy with a Bartlett kernel, q = round(3.21 T^(1/3)), LLC p. 14),
  mu*, sigma* from LLC table 2 at T (linearly interpolated; T < 25 takes the T = 25 row).
  p = Phi(t*).
- Im, Pesaran and Shin (2003): W = sqrt(N) (tbar - mean E[t_i]) / sqrt(mean Var[t_i]) with
  E and Var from IPS table 3 by lag p_i and T - p_i - 1 (interpolated; below 10 the T = 10
  column); p = Phi(W). NaN when the table has no entry (many lags in a short series).
- Fisher-type combinations of the N unit p-values (Maddala and Wu 1999; Choi 2001):
  P = -2 sum ln p_i ~ chi2(2N) (upper tail); Z = sum Phi^-1(p_i) / sqrt(N) (lower tail);
  L* = sqrt(3(5N+4) / (pi^2 N (5N+2))) sum ln(p_i/(1-p_i)) ~ t(5N+4) (lower tail);
  Pm = -sum (ln p_i + 1) / sqrt(N) (upper tail).
- Fisher-PP: the same four combinations of unit Phillips and Perron (1988) Z_tau statistics:
  OLS of y_t on y_{t-1} and d_t, Z_tau = sqrt(g0/l2) t - (l2 - g0) n se / (2 sqrt(l2) s), with
  g0 = SSR/n, s^2 = SSR/(n-K), l2 the Newey-West (Bartlett) long-run variance of the residuals
  with Stata's ``pperron`` bandwidth int(4 (n/100)^(2/9)); MacKinnon (1994) p-values.

All tests share H0: every unit has a unit root; the alternative is stationarity (of some or
all units for IPS and the Fisher tests, of all for LLC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

Deterministic = Literal["intercept", "trend"]
LagRule = int | Literal["aic", "bic"]

# MacKinnon (1994) tables 3 and 4, one series (N = 1): coefficients of g(tau) left and right of
# tau*.
_MACKINNON_SMALL = {"intercept": (2.1659, 1.4412, 0.038269), "trend": (3.2512, 1.6047, 0.049588)}
_MACKINNON_LARGE = {"intercept": (1.7339, 0.93202, -0.12745, -0.010368),
                    "trend": (2.5261, 0.61654, -0.37956, -0.060285)}
_MACKINNON_STAR = {"intercept": -1.61, "trend": -2.89}

# Levin, Lin and Chu (2002) table 2: mean and standard-deviation adjustments by T.
_LLC_T = np.array([25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 250, 500], dtype=float)
_LLC_ADJ = {
    "intercept": (
        [-0.554, -0.546, -0.541, -0.537, -0.533, -0.531, -0.527, -0.524, -0.521, -0.520, -0.518,
         -0.509, -0.500],
        [0.919, 0.889, 0.867, 0.850, 0.837, 0.826, 0.810, 0.798, 0.789, 0.782, 0.776, 0.742,
         0.707]),
    "trend": (
        [-0.703, -0.674, -0.653, -0.637, -0.624, -0.614, -0.598, -0.587, -0.578, -0.571, -0.566,
         -0.533, -0.500],
        [1.003, 0.949, 0.906, 0.871, 0.842, 0.818, 0.780, 0.751, 0.728, 0.710, 0.695, 0.603,
         0.500]),
}

# Im, Pesaran and Shin (2003) table 3: E[t_i] and Var[t_i] by lag (rows 0..8) and T (columns).
_IPS_T = np.array([10, 15, 20, 25, 30, 40, 50, 60, 70, 100], dtype=float)
_NA = np.nan
_IPS_ADJ = {
    ("intercept", "mean"): [
        [-1.504, -1.514, -1.522, -1.520, -1.526, -1.523, -1.527, -1.519, -1.524, -1.532],
        [-1.488, -1.503, -1.516, -1.514, -1.519, -1.520, -1.524, -1.519, -1.522, -1.530],
        [-1.319, -1.387, -1.428, -1.443, -1.460, -1.476, -1.493, -1.490, -1.498, -1.514],
        [-1.306, -1.366, -1.413, -1.433, -1.453, -1.471, -1.489, -1.486, -1.495, -1.512],
        [-1.171, -1.260, -1.329, -1.363, -1.394, -1.428, -1.454, -1.458, -1.470, -1.495],
        [_NA, _NA, -1.313, -1.351, -1.384, -1.421, -1.451, -1.454, -1.467, -1.494],
        [_NA, _NA, _NA, -1.289, -1.331, -1.380, -1.418, -1.427, -1.444, -1.476],
        [_NA, _NA, _NA, -1.273, -1.319, -1.371, -1.411, -1.423, -1.441, -1.474],
        [_NA, _NA, _NA, -1.212, -1.266, -1.329, -1.377, -1.393, -1.415, -1.456]],
    ("intercept", "var"): [
        [1.069, 0.923, 0.851, 0.809, 0.789, 0.770, 0.760, 0.749, 0.736, 0.735],
        [1.255, 1.011, 0.915, 0.861, 0.831, 0.803, 0.781, 0.770, 0.753, 0.745],
        [1.421, 1.078, 0.969, 0.905, 0.865, 0.830, 0.798, 0.789, 0.766, 0.754],
        [1.759, 1.181, 1.037, 0.952, 0.907, 0.858, 0.819, 0.802, 0.782, 0.761],
        [2.080, 1.279, 1.097, 1.005, 0.946, 0.886, 0.842, 0.819, 0.801, 0.771],
        [_NA, _NA, 1.171, 1.055, 0.980, 0.912, 0.863, 0.839, 0.814, 0.781],
        [_NA, _NA, _NA, 1.114, 1.023, 0.942, 0.886, 0.858, 0.834, 0.795],
        [_NA, _NA, _NA, 1.164, 1.062, 0.968, 0.910, 0.875, 0.851, 0.806],
        [_NA, _NA, _NA, 1.217, 1.105, 0.996, 0.929, 0.896, 0.871, 0.818]],
    ("trend", "mean"): [
        [-2.166, -2.167, -2.168, -2.167, -2.172, -2.173, -2.176, -2.174, -2.174, -2.177],
        [-2.173, -2.169, -2.172, -2.172, -2.173, -2.177, -2.180, -2.178, -2.176, -2.179],
        [-1.914, -1.999, -2.047, -2.074, -2.095, -2.120, -2.137, -2.143, -2.146, -2.158],
        [-1.922, -1.977, -2.032, -2.065, -2.091, -2.117, -2.137, -2.142, -2.146, -2.158],
        [-1.750, -1.823, -1.911, -1.968, -2.009, -2.057, -2.091, -2.103, -2.114, -2.135],
        [_NA, _NA, -1.888, -1.955, -1.998, -2.051, -2.087, -2.101, -2.111, -2.135],
        [_NA, _NA, _NA, -1.868, -1.923, -1.995, -2.042, -2.065, -2.081, -2.113],
        [_NA, _NA, _NA, -1.851, -1.912, -1.986, -2.036, -2.063, -2.079, -2.112],
        [_NA, _NA, _NA, -1.761, -1.835, -1.925, -1.987, -2.024, -2.046, -2.088]],
    ("trend", "var"): [
        [1.132, 0.869, 0.763, 0.713, 0.690, 0.655, 0.633, 0.621, 0.610, 0.597],
        [1.453, 0.975, 0.845, 0.769, 0.734, 0.687, 0.654, 0.641, 0.627, 0.605],
        [1.627, 1.036, 0.882, 0.796, 0.756, 0.702, 0.661, 0.653, 0.634, 0.613],
        [2.482, 1.214, 0.983, 0.861, 0.808, 0.735, 0.688, 0.674, 0.650, 0.625],
        [3.947, 1.332, 1.052, 0.913, 0.845, 0.759, 0.705, 0.685, 0.662, 0.629],
        [_NA, _NA, 1.165, 0.991, 0.899, 0.792, 0.730, 0.705, 0.673, 0.638],
        [_NA, _NA, _NA, 1.055, 0.945, 0.828, 0.753, 0.725, 0.689, 0.650],
        [_NA, _NA, _NA, 1.145, 1.009, 0.872, 0.786, 0.747, 0.713, 0.661],
        [_NA, _NA, _NA, 1.208, 1.063, 0.902, 0.808, 0.766, 0.728, 0.670]],
}

TEST_NAMES = (
    "LLC t*", "IPS W[t-bar]",
    "Fisher-ADF P (Maddala-Wu)", "Fisher-ADF Z (Choi)", "Fisher-ADF L* (Choi)",
    "Fisher-ADF Pm (Choi)",
    "Fisher-PP P (Maddala-Wu)", "Fisher-PP Z (Choi)", "Fisher-PP L* (Choi)",
    "Fisher-PP Pm (Choi)",
)


def mackinnon_g(tau: np.ndarray | float, deterministic: Deterministic) -> np.ndarray:
    """MacKinnon's (1994) normal quantile g(tau) of a unit DF/ADF t statistic: p = Phi(g)."""
    tau = np.asarray(tau, dtype=float)
    s, large = _MACKINNON_SMALL[deterministic], _MACKINNON_LARGE[deterministic]
    left = s[0] + s[1] * tau + s[2] * tau ** 2
    right = large[0] + large[1] * tau + large[2] * tau ** 2 + large[3] * tau ** 3
    return np.where(tau <= _MACKINNON_STAR[deterministic], left, right)


def mackinnon_pvalue(tau: np.ndarray | float, deterministic: Deterministic) -> np.ndarray:
    """Asymptotic left-tail p-value of a unit DF/ADF t statistic (MacKinnon 1994)."""
    return stats.norm.cdf(mackinnon_g(tau, deterministic))


def _deterministic_columns(length: int, deterministic: Deterministic) -> np.ndarray:
    if deterministic == "intercept":
        return np.ones((length, 1))
    if deterministic == "trend":
        return np.column_stack([np.ones(length), np.arange(1, length + 1, dtype=float)])
    raise ValueError(f"deterministic must be 'intercept' or 'trend', got {deterministic!r}")


def _adf_design(y: np.ndarray, lags: int, first: int,
                deterministic: Deterministic) -> tuple[np.ndarray, np.ndarray]:
    """Regressand dy_t and regressors (y_{t-1}, dy_{t-1..t-lags}, d_t) for t >= first + 1.

    ``first`` counts the leading observations of dy dropped (at least ``lags``).
    """
    dy = np.diff(y)
    d = _deterministic_columns(len(y), deterministic)[1:]   # d_t aligned with dy_t
    rows = slice(first, len(dy))
    columns = [y[:-1][rows]]
    columns += [dy[first - j:len(dy) - j] for j in range(1, lags + 1)]
    return dy[rows], np.column_stack([*columns, d[rows]])


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients, residuals and (X'X)^-1."""
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)
    return beta, y - x @ beta, xtx_inv


@dataclass(frozen=True)
class UnitADF:
    """One unit's ADF regression (plm's ``tsadf``)."""

    lags: int
    tstat: float
    sigma: float
    resid_diff: np.ndarray   # dy_t on the lagged differences and d_t, divided by sigma (LLC)
    resid_level: np.ndarray  # y_{t-1} on the same, divided by sigma (LLC)


def unit_adf(y: np.ndarray, lags: int, deterministic: Deterministic,
             df_correction: bool = False) -> UnitADF:
    """ADF regression of one series with ``lags`` lagged differences; sigma^2 = SSR / n, or
    SSR / (n - K) with ``df_correction``."""
    dep, x = _adf_design(np.asarray(y, dtype=float), lags, lags, deterministic)
    beta, resid, xtx_inv = _ols(dep, x)
    sigma = float(np.sqrt(resid @ resid / (len(dep) - (x.shape[1] if df_correction else 0))))
    tstat = float(beta[0] / (sigma * np.sqrt(xtx_inv[0, 0])))
    aux = x[:, 1:]
    resid_diff = dep - aux @ np.linalg.lstsq(aux, dep, rcond=None)[0]
    resid_level = x[:, 0] - aux @ np.linalg.lstsq(aux, x[:, 0], rcond=None)[0]
    return UnitADF(lags, tstat, sigma, resid_diff / sigma, resid_level / sigma)


def select_lag(y: np.ndarray, deterministic: Deterministic, criterion: Literal["aic", "bic"],
               max_lags: int) -> int:
    """Lag 0..max_lags minimising AIC or BIC on the common sample (plm ``lagsel``)."""
    y = np.asarray(y, dtype=float)
    best, best_value = 0, np.inf
    for lags in range(max_lags + 1):
        dep, x = _adf_design(y, lags, max_lags, deterministic)
        _, resid, _ = _ols(dep, x)
        n, k = x.shape
        penalty = 2 * k / n if criterion == "aic" else k * np.log(n) / n
        value = np.log(resid @ resid / n) + penalty
        if value < best_value - 1e-12:
            best, best_value = lags, value
    return best


def default_max_lags(n_periods: int, deterministic: Deterministic) -> int:
    """Schwert's floor(12 (T/100)^(1/4)), capped so that the common sample of T - p - 1
    observations keeps at least twice the p + 1 + (1 or 2) regressors of the largest model."""
    n_det = 1 if deterministic == "intercept" else 2
    schwert = int(np.floor(12 * (n_periods / 100) ** 0.25))
    cap = (n_periods - 1 - 2 * (1 + n_det)) // 3
    return max(0, min(schwert, cap))


def phillips_perron_tau(y: np.ndarray, deterministic: Deterministic,
                        bandwidth: int | None = None) -> float:
    """Phillips-Perron (1988) Z_tau of one series (Bartlett kernel, Stata's bandwidth)."""
    y = np.asarray(y, dtype=float)
    dep, x = _adf_design(y, 0, 0, deterministic)
    beta, resid, xtx_inv = _ols(dep, x)
    n, k = x.shape
    if bandwidth is None:
        bandwidth = int(4 * (n / 100) ** (2 / 9))
    ssr = float(resid @ resid)
    s2 = ssr / (n - k)
    se = np.sqrt(s2 * xtx_inv[0, 0])
    gamma0 = ssr / n
    lambda2 = gamma0 + 2 * sum((1 - j / (bandwidth + 1)) * float(resid[j:] @ resid[:-j]) / n
                               for j in range(1, bandwidth + 1))
    tstat = beta[0] / se
    return float(np.sqrt(gamma0 / lambda2) * tstat
                 - (lambda2 - gamma0) * n * se / (2 * np.sqrt(lambda2) * np.sqrt(s2)))


def _long_run_variance(y: np.ndarray, deterministic: Deterministic, q: int) -> float:
    """Bartlett-kernel long-run variance of dy after removing its mean (or mean and trend)."""
    dy = np.diff(np.asarray(y, dtype=float))
    d = _deterministic_columns(len(dy), deterministic)
    dy = dy - d @ np.linalg.lstsq(d, dy, rcond=None)[0]
    n = len(dy)
    value = float(dy @ dy) / n
    for lag in range(1, q + 1):
        value += 2 * float(dy[lag:] @ dy[:-lag]) / n * (1 - lag / (q + 1))
    return value


def _interpolate(grid: np.ndarray, values: np.ndarray, at: float) -> float:
    """Linear interpolation in a tabulated row, clamped to its ends (NaN cells stay NaN)."""
    if at <= grid[0]:
        return float(values[0])
    if at >= grid[-1]:
        return float(values[-1])
    hi = int(np.searchsorted(grid, at, side="left"))
    if grid[hi] == at:
        return float(values[hi])
    lo = hi - 1
    weight = (at - grid[lo]) / (grid[hi] - grid[lo])
    return float(values[lo] + weight * (values[hi] - values[lo]))


def levin_lin_chu(series: np.ndarray, unit_fits: list[UnitADF], deterministic: Deterministic,
                  bandwidth: int | None = None) -> float:
    """LLC (2002) t* of a balanced panel (``series``: T x N), given the unit ADF fits."""
    n_periods, n_units = series.shape
    q = int(round(3.21 * n_periods ** (1 / 3))) if bandwidth is None else bandwidth
    ratios = [np.sqrt(_long_run_variance(series[:, i], deterministic, q)) / fit.sigma
              for i, fit in enumerate(unit_fits)]
    level = np.concatenate([f.resid_level for f in unit_fits])
    diff = np.concatenate([f.resid_diff for f in unit_fits])
    delta = float(level @ diff) / float(level @ level)
    resid = diff - delta * level
    ssr = float(resid @ resid)
    se = np.sqrt(ssr / len(diff) / float(level @ level))
    t_tilde = n_periods - np.mean([f.lags for f in unit_fits]) - 1
    sigma_eps2 = ssr / (n_units * t_tilde)
    mu_table, sd_table = (np.array(v) for v in _LLC_ADJ[deterministic])
    mu = _interpolate(_LLC_T, mu_table, n_periods)
    sd = _interpolate(_LLC_T, sd_table, n_periods)
    return float((delta / se - n_units * t_tilde * np.mean(ratios) / sigma_eps2 * se * mu) / sd)


def im_pesaran_shin(unit_fits: list[UnitADF], n_periods: int,
                    deterministic: Deterministic) -> float:
    """IPS (2003) W[t-bar]; NaN when a unit's lag and length are not tabulated."""
    means, variances = [], []
    for fit in unit_fits:
        if fit.lags > 8:
            return float("nan")
        length = n_periods - fit.lags - 1
        means.append(_interpolate(_IPS_T, np.array(_IPS_ADJ[deterministic, "mean"][fit.lags]),
                                  length))
        variances.append(_interpolate(
            _IPS_T, np.array(_IPS_ADJ[deterministic, "var"][fit.lags]), length))
    tbar = np.mean([f.tstat for f in unit_fits])
    return float(np.sqrt(len(unit_fits)) * (tbar - np.mean(means)) / np.sqrt(np.mean(variances)))


def fisher_combinations(g: np.ndarray) -> dict[str, tuple[float, float]]:
    """Maddala-Wu P and Choi's Z, L*, Pm with their p-values, from the unit p-values
    p_i = Phi(g_i) (passing the normal quantiles g keeps ln p_i accurate in the tails)."""
    g = np.asarray(g, dtype=float)
    n = len(g)
    log_p, log_1mp = stats.norm.logcdf(g), stats.norm.logsf(g)
    p_stat = float(-2 * log_p.sum())
    z_stat = float(g.sum() / np.sqrt(n))
    scale = np.sqrt(3 * (5 * n + 4) / (np.pi ** 2 * n * (5 * n + 2)))
    l_stat = float(scale * (log_p - log_1mp).sum())
    pm_stat = float(-(log_p + 1).sum() / np.sqrt(n))
    return {
        "P (Maddala-Wu)": (p_stat, float(stats.chi2.sf(p_stat, 2 * n))),
        "Z (Choi)": (z_stat, float(stats.norm.cdf(z_stat))),
        "L* (Choi)": (l_stat, float(stats.t.cdf(l_stat, 5 * n + 4))),
        "Pm (Choi)": (pm_stat, float(stats.norm.sf(pm_stat))),
    }


def balanced_wide(data: pd.DataFrame, entity: str, time: str, variable: str) -> pd.DataFrame:
    """T x N matrix of ``variable``; raises when the panel is unbalanced or has gaps."""
    missing = [c for c in (entity, time, variable) if c not in data.columns]
    if missing:
        raise KeyError(f"unit-root tests: columns {missing} are not in the data")
    frame = data[[entity, time, variable]]
    duplicated = frame.duplicated([entity, time])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise ValueError(f"unit-root tests: ({entity}, {time}) = ({row[entity]}, {row[time]}) "
                         "appears more than once; expected one row per unit and period")
    wide = frame.pivot(index=time, columns=entity, values=variable).sort_index()
    if wide.isna().any().any():
        unit = wide.columns[wide.isna().any()][0]
        period = wide.index[wide[unit].isna()][0]
        raise ValueError(f"unit-root tests need a balanced panel: {variable} is missing for "
                         f"{entity} = {unit}, {time} = {period}")
    return wide


def panel_unit_root_tests(
    data: pd.DataFrame,
    entity: str,
    time: str,
    variables: str | list[str],
    deterministic: Deterministic = "intercept",
    lags: LagRule = 1,
    max_lags: int | None = None,
    llc_bandwidth: int | None = None,
    pp_bandwidth: int | None = None,
    df_correction: bool = False,
    level: float = 0.05,
) -> pd.DataFrame:
    """LLC, IPS, Fisher-ADF and Fisher-PP tests of each variable, one row per statistic.

    ``lags``: a number of lagged differences for every unit, or ``"aic"``/``"bic"`` for a
    per-unit choice among 0..``max_lags`` (see the module docstring); ``df_correction``:
    the unit ADF sigma with SSR / (n - K) instead of plm's SSR / n. Columns: variable, test,
    statistic, p_value, lags (mean ADF lag over units; 0 for Fisher-PP), lag_selection,
    deterministic, n_units, n_periods, conclusion (at ``level``).
    """
    if isinstance(variables, str):
        variables = [variables]
    rows = []
    for variable in variables:
        wide = balanced_wide(data, entity, time, variable)
        series = wide.to_numpy(dtype=float)
        n_periods, n_units = series.shape
        if isinstance(lags, str):
            if lags not in ("aic", "bic"):
                raise ValueError(f"lags must be an integer, 'aic' or 'bic', got {lags!r}")
            top = default_max_lags(n_periods, deterministic) if max_lags is None else max_lags
            unit_lags = [select_lag(series[:, i], deterministic, lags, top)
                         for i in range(n_units)]
            selection = f"{lags.upper()} per unit, 0..{top}"
        else:
            unit_lags = [int(lags)] * n_units
            selection = "fixed"
        fits = [unit_adf(series[:, i], p, deterministic, df_correction)
                for i, p in enumerate(unit_lags)]
        llc = levin_lin_chu(series, fits, deterministic, llc_bandwidth)
        ips = im_pesaran_shin(fits, n_periods, deterministic)
        adf_g = mackinnon_g(np.array([f.tstat for f in fits]), deterministic)
        pp_tau = np.array([phillips_perron_tau(series[:, i], deterministic, pp_bandwidth)
                           for i in range(n_units)])
        pp_g = mackinnon_g(pp_tau, deterministic)
        mean_lag = float(np.mean(unit_lags))
        pp_rule = ("Newey-West int(4 (n/100)^(2/9))" if pp_bandwidth is None
                   else f"Newey-West bandwidth {pp_bandwidth}")
        results = [("LLC t*", llc, float(stats.norm.cdf(llc)), mean_lag, selection),
                   ("IPS W[t-bar]", ips, float(stats.norm.cdf(ips)), mean_lag, selection)]
        results += [(f"Fisher-ADF {name}", stat, p, mean_lag, selection)
                    for name, (stat, p) in fisher_combinations(adf_g).items()]
        results += [(f"Fisher-PP {name}", stat, p, 0.0, pp_rule)
                    for name, (stat, p) in fisher_combinations(pp_g).items()]
        for test, statistic, p_value, test_lags, test_selection in results:
            if np.isnan(p_value):
                conclusion = "not tabulated"
            elif p_value < level:
                conclusion = f"unit root rejected at {level:.0%}"
            else:
                conclusion = f"unit root not rejected at {level:.0%}"
            rows.append({
                "variable": variable, "test": test, "statistic": statistic, "p_value": p_value,
                "lags": test_lags, "lag_selection": test_selection,
                "deterministic": deterministic, "n_units": n_units, "n_periods": n_periods,
                "conclusion": conclusion,
            })
    return pd.DataFrame(rows)
