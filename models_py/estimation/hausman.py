"""Hausman test of fixed against random effects (Hausman 1978).

H = (b_FE - b_RE)' [V_FE - V_RE]^-1 (b_FE - b_RE), chi-squared with k degrees of freedom, on the
coefficients of the time-varying regressors; both models with classical (non-robust)
covariances, random effects by linearmodels' RandomEffects (the Swamy-Arora variance components
that R plm's phtest uses by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class HausmanResult:
    chi2: float
    df: int
    p_value: float

    @property
    def prefers_fixed_effects(self) -> bool:
        """True when random effects are rejected at the 5 % level."""
        return self.p_value < 0.05


def hausman_test(fixed, random, terms: list[str] | None = None) -> HausmanResult:
    """Hausman statistic from two fitted models with ``params`` and ``cov`` (fixed effects
    first, e.g. ``linear_panels.FixedEffectsPanel`` and ``RandomEffectsPanel`` results), on
    ``terms`` (default: the terms both share, less a constant ``const``). Both covariances
    must be classical: results that say otherwise (``cov_type``) are refused."""
    for name, result in (("fixed", fixed), ("random", random)):
        if str(getattr(result, "cov_type", "unadjusted")).lower() != "unadjusted":
            raise ValueError(f"Hausman test: the {name}-effects model has a {result.cov_type} "
                             "covariance; expected the classical one (cov_type='unadjusted')")
    if terms is None:
        terms = [t for t in fixed.params.index if t in random.params.index and t != "const"]
    diff = fixed.params[terms] - random.params[terms]
    var = fixed.cov.loc[terms, terms] - random.cov.loc[terms, terms]
    chi2 = float(diff @ np.linalg.solve(var, diff))
    df = len(terms)
    return HausmanResult(chi2, df, float(stats.chi2.sf(chi2, df)))


def hausman_fe_re(data: pd.DataFrame, dependent: str, regressors: list[str], entity: str,
                  time: str) -> HausmanResult:
    """Hausman statistic for entity fixed versus random effects, both fitted by the project's
    estimators (``linear_panels``) with classical covariances."""
    from models_py.estimation.linear_panels import FixedEffectsPanel, RandomEffectsPanel

    fixed = FixedEffectsPanel(data, dependent, regressors, entity, time,
                              cov_type="unadjusted").fit()
    random = RandomEffectsPanel(data, dependent, regressors, entity, time,
                                cov_type="unadjusted").fit()
    return hausman_test(fixed, random, regressors)
