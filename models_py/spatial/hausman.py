"""Hausman test of fixed against random individual effects in a spatial panel (Mutl and Pfaffermayr
2011, Econometrics Journal 14: 48-76; R splm's ``sphtest``, Millo and Piras 2012).

  H = |d' (V_RE - V_FE)^-1 d|,   d = b_FE - b_RE,
chi-squared with k degrees of freedom under the null that the random effects are uncorrelated
with the regressors (both estimators consistent, random effects efficient), on the k slope
coefficients the two models share: the regressors and, in an SDM, the lags W x; neither the
constant nor the spatial parameter. V_FE and V_RE are the covariances the two fits carry, so the
statistic depends on which fits are paired:
  - splm's pairing: the uncorrected entity-FE fit (``fit_spatial_panel(..., "entity")``,
    information matrix with sigma^2 = e'e/NT) and ``fit_spatial_random_effects(...,
    covariance="splm")`` (GLS covariance given rho and phi) reproduces ``sphtest``. Its
    V_FE - V_RE is rarely positive definite (sigma^2 of the FE fit is biased down by (T-1)/T),
    the absolute value hides it, and in seeded simulations under the null it almost never
    rejects (``benchmarks/spatial_hausman_size.py`` prints the size of each pairing).
  - the Lee-Yu corrected FE fit (``results.lee_yu``, sigma^2 T/(T-1)) with the random-effects
    expected information (the default of ``fit_spatial_random_effects``) keeps the size near
    the nominal level for SAR; for SDM with short panels V_FE - V_RE is close to singular and
    the test over-rejects.
``positive_definite`` says whether V_FE - V_RE is; when it is not, a warning says so, because the
statistic is then not a chi-squared quadratic form.

``spatial_mundlak_test`` is the regression form of the same hypothesis, which needs no
difference of covariances (Mundlak 1978, Econometrica 46: 69-85; for the spatial Durbin panel
Debarsy 2012, Spatial Economic Analysis 7: 109-131): the random-effects model is refitted with
the unit means x_bar_i of the regressors (and, in an SDM, their lags W x_bar_i) added, and
  W = a' V_a^-1 a,  a = their coefficients,
is chi-squared with as many degrees of freedom under the null (random effects uncorrelated with
the regressors); V_a comes from the random-effects fit's covariance, always positive definite.
In the benchmark's simulations it keeps its size near the nominal level for SAR and SDM and has
the most power of the forms; report it beside ``spatial_hausman``, which serves comparison with
splm.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from models_py.estimation.hausman import HausmanResult
from models_py.estimation.protocol import EstimationResults
from models_py.spatial.weights import SpatialWeights

__all__ = ["SpatialHausmanResult", "spatial_hausman", "spatial_mundlak_test"]

_NOT_SLOPES = ("const", "rho", "lambda", "phi")


@dataclass(frozen=True)
class SpatialHausmanResult(HausmanResult):
    """The Hausman statistic with the terms it compares and whether V_FE - V_RE is positive
    definite."""

    terms: tuple[str, ...] = ()
    positive_definite: bool = True


def spatial_hausman(fixed: EstimationResults, random: EstimationResults
                    ) -> SpatialHausmanResult:
    """Spatial Hausman statistic from an entity fixed-effects fit (``fit_spatial_panel``, or
    its ``lee_yu`` correction) and a random-effects fit (``fit_spatial_random_effects``) of the
    same model (module docstring)."""
    terms = [term for term in fixed.params.index
             if term in random.params.index and term not in _NOT_SLOPES]
    if not terms:
        raise ValueError("the fixed- and random-effects fits share no slope coefficient: "
                         f"{list(fixed.params.index)} against {list(random.params.index)}")
    diff = (fixed.params[terms] - random.params[terms]).to_numpy()
    var = (fixed.cov.loc[terms, terms] - random.cov.loc[terms, terms]).to_numpy()
    smallest = float(np.linalg.eigvalsh(var).min())
    positive_definite = smallest > 0
    if not positive_definite:
        warnings.warn("spatial Hausman test: V_FE - V_RE of the terms "
                      f"{terms} is not positive definite (smallest eigenvalue {smallest:.3g}); "
                      "the statistic is |d'(V_RE - V_FE)^-1 d| as splm's sphtest computes it, "
                      "not a chi-squared quadratic form; the Lee-Yu corrected FE fit "
                      "(results.lee_yu) usually gives a positive definite difference",
                      stacklevel=2)
    chi2 = float(abs(diff @ np.linalg.solve(var, diff)))
    return SpatialHausmanResult(chi2, len(terms), float(stats.chi2.sf(chi2, len(terms))),
                                tuple(terms), positive_definite)


def spatial_mundlak_test(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, model: str = "sar", durbin: list[str] | None = None,
    covariance: str = "information",
) -> SpatialHausmanResult:
    """Wald test that the unit means of the regressors (``mean_<x>``, and ``W_mean_<x>`` for the
    Durbin regressors of an SDM) have zero coefficients in the random-effects SAR/SDM (module
    docstring); ``covariance`` as ``fit_spatial_random_effects``."""
    from models_py.spatial.random_effects import fit_spatial_random_effects

    regressors = list(regressors)
    means = {f"mean_{x}": data.groupby(entity)[x].transform("mean") for x in regressors}
    clash = [name for name in means if name in data.columns]
    if clash:
        raise ValueError(f"the panel already has columns {clash}; rename them")
    if model.lower() == "sdm":
        durbin = regressors if durbin is None else list(durbin)
        durbin = [*durbin, *[f"mean_{x}" for x in durbin]]
    fit = fit_spatial_random_effects(data.assign(**means), dependent, [*regressors, *means],
                                     entity, time, w, model, durbin, covariance)
    terms = [t for t in fit.params.index if t.startswith(("mean_", "W_mean_"))]
    a = fit.params[terms].to_numpy()
    chi2 = float(a @ np.linalg.solve(fit.cov.loc[terms, terms].to_numpy(), a))
    return SpatialHausmanResult(chi2, len(terms), float(stats.chi2.sf(chi2, len(terms))),
                                tuple(terms), True)
