"""Mediation on a panel with fixed effects: Baron and Kenny's (1986) three regressions, the
Sobel (1982) test, and a bootstrap over whole units (Preacher and Hayes 2008).

With treatment x, mediator m, outcome y, controls w and the absorbed effects (entity and/or
time), three regressions:

    total      y = c x + w' g1 + effects + e1
    mediator   m = a x + w' g2 + effects + e2
    outcome    y = c' x + b m + w' g3 + effects + e3

indirect effect a b, direct effect c', share a b / c (with OLS on the same sample
c = c' + a b exactly), Sobel z = a b / sqrt(b^2 s_a^2 + a^2 s_b^2), two-sided normal p.

Verdict, at significance ``level`` (two-sided p-values of the estimator used):

- ``rule="baron_kenny"`` (the paper's stepwise procedure, Baron and Kenny 1986): c, a and b
  all significant -> ``"partial"`` if c' is significant too, else ``"full"``; otherwise
  ``"none"``.
- ``rule="zhao_lynch_chen"`` (Zhao, Lynch and Chen 2010): the indirect effect significant by
  the Sobel test -> ``"partial"`` if c' is significant (complementary or competitive
  mediation), else ``"full"`` (indirect-only); otherwise ``"none"``.

The regressions are fitted by ``estimator(frame, dependent, regressors)``, which must return
an object with ``params``, ``std_errors`` and ``pvalues`` (the results protocol); the default
is the project's fixed-effects estimator (``linear_panels.FixedEffectsPanel``) with the
classical covariance s^2 (X'X)^-1, s^2 = SSR / (N - k - absorbed effects), t p-values (Stata's
``xtreg, fe`` without ``vce``).

Bootstrap (:func:`bootstrap_mediation`): ``replications`` samples of whole units drawn with
replacement (``numpy.random.default_rng(seed)``; a unit drawn twice enters as two units with
their own fixed effects); in each, the within transformation of the balanced resample is exact
(x - unit mean - period mean + grand mean) and a, b and c' come from batched normal equations,
so that no estimator object is built per replication. The same draws serve every outcome.
Intervals at ``confidence``: percentile (numpy's default quantile, Hyndman-Fan type 7) and
bias-corrected (Efron 1982): z0 = Phi^-1(share of draws below the estimate, ties counted
half, bounded to [0.5/B, 1 - 0.5/B]), bounds at the quantiles Phi(2 z0 +- z_{1-alpha/2}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from models_py.estimation.linear_panels import FixedEffectsPanel, LinearPanelResults

Rule = Literal["baron_kenny", "zhao_lynch_chen"]
Estimator = Callable[[pd.DataFrame, str, list[str]], Any]


def sobel_test(a: float, se_a: float, b: float, se_b: float) -> tuple[float, float]:
    """Sobel (1982) z of the indirect effect a b and its two-sided normal p-value."""
    z = a * b / np.sqrt(b ** 2 * se_a ** 2 + a ** 2 * se_b ** 2)
    return float(z), float(2 * stats.norm.sf(abs(z)))


def mediation_verdict(p_total: float, p_a: float, p_b: float, p_direct: float,
                      p_sobel: float, rule: Rule = "baron_kenny", level: float = 0.05) -> str:
    """``"partial"``, ``"full"`` or ``"none"`` by the rule described in the module docstring."""
    if rule == "baron_kenny":
        mediated = p_total < level and p_a < level and p_b < level
    elif rule == "zhao_lynch_chen":
        mediated = p_sobel < level
    else:
        raise ValueError(f"unknown mediation rule {rule!r}")
    if not mediated:
        return "none"
    return "partial" if p_direct < level else "full"


@dataclass(frozen=True)
class MediationResult:
    outcome: str
    treatment: str
    mediator: str
    total: float
    total_se: float
    a: float
    a_se: float
    b: float
    b_se: float
    direct: float
    direct_se: float
    indirect: float
    share: float
    sobel_z: float
    sobel_p: float
    verdict: str
    rule: str
    nobs: int
    models: dict[str, Any] = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per quantity: outcome, quantity, value."""
        names = ("total", "total_se", "a", "a_se", "b", "b_se", "direct", "direct_se",
                 "indirect", "share", "sobel_z", "sobel_p", "nobs")
        return pd.DataFrame({"outcome": self.outcome, "quantity": names,
                             "value": [float(getattr(self, n)) for n in names]})


def mediation_analysis(data: pd.DataFrame, outcome: str, *args: Any, **kwargs: Any
                       ) -> MediationResult:
    """The three Baron-Kenny regressions of one ``outcome`` on the rows complete in all
    variables: :func:`mediation_analyses` of ``[outcome]``, whose other parameters (treatment,
    mediator, controls, entity, time, effects, estimator, rule, level) it takes as they are."""
    return mediation_analyses(data, [outcome], *args, **kwargs)[0]


def mediation_analyses(
    data: pd.DataFrame,
    outcomes: list[str] | tuple[str, ...],
    treatment: str,
    mediator: str,
    controls: list[str] | tuple[str, ...] = (),
    entity: str = "entity",
    time: str = "time",
    entity_effects: bool = True,
    time_effects: bool = True,
    estimator: Estimator | None = None,
    rule: Rule = "baron_kenny",
    level: float = 0.05,
) -> list[MediationResult]:
    """The three Baron-Kenny regressions (total effect, mediator, outcome with the mediator)
    of each of ``outcomes`` on the rows complete in all its variables (same treatment, mediator
    and controls), in order. The mediator regression involves no outcome: it is fitted once per
    set of complete rows (outcomes complete on the same rows share it), not once per outcome,
    with the same results."""
    controls = list(controls)
    if estimator is None:
        def estimator(f: pd.DataFrame, dep: str, regs: list[str]) -> LinearPanelResults:
            return FixedEffectsPanel(f, dep, regs, entity, time, entity_effects, time_effects,
                                     cov_type="unadjusted").fit()
    mediator_fits: dict[tuple, Any] = {}  # rows of the sample -> the mediator regression
    results = []
    for outcome in outcomes:
        frame = data[[entity, time, outcome, treatment, mediator, *controls]].dropna()
        total = estimator(frame, outcome, [treatment, *controls])
        rows = tuple(frame.index)
        if rows not in mediator_fits:
            mediator_fits[rows] = estimator(frame, mediator, [treatment, *controls])
        first = mediator_fits[rows]
        second = estimator(frame, outcome, [treatment, mediator, *controls])
        c, c_se = float(total.params[treatment]), float(total.std_errors[treatment])
        a, a_se = float(first.params[treatment]), float(first.std_errors[treatment])
        b, b_se = float(second.params[mediator]), float(second.std_errors[mediator])
        direct, direct_se = float(second.params[treatment]), float(second.std_errors[treatment])
        z, p = sobel_test(a, a_se, b, b_se)
        verdict = mediation_verdict(float(total.pvalues[treatment]),
                                    float(first.pvalues[treatment]),
                                    float(second.pvalues[mediator]),
                                    float(second.pvalues[treatment]), p, rule, level)
        results.append(MediationResult(
            outcome=outcome, treatment=treatment, mediator=mediator, total=c, total_se=c_se,
            a=a, a_se=a_se, b=b, b_se=b_se, direct=direct, direct_se=direct_se,
            indirect=a * b, share=a * b / c if c != 0 else np.nan, sobel_z=z, sobel_p=p,
            verdict=verdict, rule=rule, nobs=len(frame),
            models={"total": total, "mediator": first, "outcome": second},
        ))
    return results


def _balanced_cube(frame: pd.DataFrame, entity: str, time: str,
                   columns: list[str]) -> np.ndarray:
    """Units x periods x variables array; raises when the panel is not balanced."""
    entities, periods = frame[entity].unique(), frame[time].unique()
    if len(frame) != len(entities) * len(periods) or frame.duplicated([entity, time]).any():
        counts = frame.groupby(entity)[time].nunique()
        short = counts[counts < len(periods)]
        where = (f"{entity} = {short.index[0]} has {short.iloc[0]} of {len(periods)} periods"
                 if len(short) else f"duplicated ({entity}, {time}) pairs")
        raise ValueError("the mediation bootstrap needs a balanced panel complete in every "
                         f"variable: {where}")
    ordered = frame.sort_values([entity, time])
    return ordered[columns].to_numpy(dtype=float).reshape(len(entities), len(periods),
                                                          len(columns))


def _within(cube: np.ndarray, entity_effects: bool, time_effects: bool) -> np.ndarray:
    """Exact within transformation of balanced samples: cube is (..., units, periods, vars)."""
    out = cube
    if entity_effects:
        out = out - cube.mean(axis=-2, keepdims=True)
    if time_effects:
        out = out - cube.mean(axis=-3, keepdims=True)
    if entity_effects and time_effects:
        out = out + cube.mean(axis=(-3, -2), keepdims=True)
    return out


def _solve(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(gram, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(gram) @ rhs


def _paths(within: np.ndarray, n_outcomes: int, n_controls: int) -> np.ndarray:
    """a, b and c' of every outcome from within data (..., units, periods, vars) laid out as
    [x, m, controls..., outcomes...]; returns (..., 3, n_outcomes)."""
    flat = within.reshape(*within.shape[:-3], -1, within.shape[-1])
    gram = np.einsum("...ni,...nj->...ij", flat, flat)
    k = 2 + n_controls
    ra = [0, *range(2, k)]
    a = _solve(gram[..., ra, :][..., :, ra], gram[..., ra, 1:2])[..., 0, 0]
    coef = _solve(gram[..., :k, :k], gram[..., :k, k:])       # (..., k, n_outcomes)
    direct, b = coef[..., 0, :], coef[..., 1, :]
    return np.stack([np.broadcast_to(a[..., None], b.shape), b, direct], axis=-2)


def _bias_corrected(draws: np.ndarray, estimate: float, alpha: float) -> tuple[float, float]:
    count = len(draws)
    below = (np.sum(draws < estimate) + 0.5 * np.sum(draws == estimate)) / count
    z0 = stats.norm.ppf(np.clip(below, 0.5 / count, 1 - 0.5 / count))
    z = stats.norm.ppf(1 - alpha / 2)
    levels = stats.norm.cdf([2 * z0 - z, 2 * z0 + z])
    low, high = np.quantile(draws, levels)
    return float(low), float(high)


def bootstrap_mediation(
    data: pd.DataFrame,
    outcomes: str | list[str],
    treatment: str,
    mediator: str,
    controls: list[str] | tuple[str, ...] = (),
    entity: str = "entity",
    time: str = "time",
    entity_effects: bool = True,
    time_effects: bool = True,
    replications: int = 500,
    seed: int = 20240501,
    confidence: float = 0.95,
    chunk: int = 100,
) -> pd.DataFrame:
    """Unit-resampling bootstrap of the direct (c') and indirect (a b) effects.

    One row per outcome and effect: outcome, effect, estimate, boot_se, percentile_lower,
    percentile_upper, bc_lower, bc_upper, confidence, replications, seed.
    """
    if not (entity_effects or time_effects):
        raise ValueError("bootstrap_mediation needs entity or time effects (no constant)")
    outcomes = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    controls = list(controls)
    columns = [treatment, mediator, *controls, *outcomes]
    frame = data[[entity, time, *columns]].dropna()
    cube = _balanced_cube(frame, entity, time, columns)
    n_units = cube.shape[0]
    point = _paths(_within(cube, entity_effects, time_effects), len(outcomes), len(controls))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_units, size=(replications, n_units))
    paths = np.concatenate([
        _paths(_within(cube[draws[start:start + chunk]], entity_effects, time_effects),
               len(outcomes), len(controls))
        for start in range(0, replications, chunk)])                  # (B, 3, n_outcomes)
    alpha = 1 - confidence
    rows = []
    for j, outcome in enumerate(outcomes):
        effects = {"direct": (point[2, j], paths[:, 2, j]),
                   "indirect": (point[0, j] * point[1, j], paths[:, 0, j] * paths[:, 1, j])}
        for effect, (estimate, sample) in effects.items():
            low, high = np.quantile(sample, [alpha / 2, 1 - alpha / 2])
            bc_low, bc_high = _bias_corrected(sample, float(estimate), alpha)
            rows.append({
                "outcome": outcome, "effect": effect, "estimate": float(estimate),
                "boot_se": float(sample.std(ddof=1)),
                "percentile_lower": float(low), "percentile_upper": float(high),
                "bc_lower": bc_low, "bc_upper": bc_high, "confidence": confidence,
                "replications": replications, "seed": seed,
            })
    return pd.DataFrame(rows)
