"""Hausman test of fixed against random individual effects in a spatial panel (Mutl and Pfaffermayr
2011, Econometrics Journal 14: 48-76; R splm's ``sphtest``, Millo and Piras 2012).

  H = |d' (V_RE - V_FE)^-1 d|,   d = b_FE - b_RE,
chi-squared with k degrees of freedom under the null that the random effects are uncorrelated
with the regressors (both estimators consistent, random effects efficient), on the k slope
coefficients the two models share: the regressors and, in an SDM, the lags W x; neither the
constant nor the spatial parameter. V_FE and V_RE are the models' own covariances of those
coefficients; splm's ``sphtest`` uses the fixed-effects covariance from the information matrix
and the random-effects GLS covariance given (rho, phi) (``covariance="splm"`` of
``fit_spatial_random_effects``), and takes the absolute value when V_RE - V_FE is not negative
definite, as here.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from models_py.estimation.hausman import HausmanResult
from models_py.estimation.protocol import EstimationResults

__all__ = ["spatial_hausman"]

_NOT_SLOPES = ("const", "rho", "lambda", "phi")


def spatial_hausman(fixed: EstimationResults, random: EstimationResults) -> HausmanResult:
    """Spatial Hausman statistic from a fixed-effects fit (``fit_spatial_panel`` with entity
    effects) and a random-effects fit (``fit_spatial_random_effects``) of the same model."""
    terms = [term for term in fixed.params.index
             if term in random.params.index and term not in _NOT_SLOPES]
    if not terms:
        raise ValueError("the fixed- and random-effects fits share no slope coefficient: "
                         f"{list(fixed.params.index)} against {list(random.params.index)}")
    diff = (fixed.params[terms] - random.params[terms]).to_numpy()
    var = (random.cov.loc[terms, terms] - fixed.cov.loc[terms, terms]).to_numpy()
    chi2 = float(abs(diff @ np.linalg.solve(var, diff)))
    return HausmanResult(chi2, len(terms), float(stats.chi2.sf(chi2, len(terms))))
