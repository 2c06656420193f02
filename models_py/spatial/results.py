"""Result object of the spatial panel estimators (SAR, SEM, SDM, SDEM with fixed effects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from models_py.spatial.weights import SpatialWeights

FIXED_EFFECTS = ("none", "entity", "time", "twoways")
LAG_MODELS = ("sar", "sdm")
ERROR_MODELS = ("sem", "sdem")
APPROACHES = ("transformation", "direct", "direct_bc")
APPROACH_LABELS = {"transformation": "Lee-Yu transformation", "direct": "direct",
                   "direct_bc": "direct, bc = 1"}


def durbin_name(regressor: str) -> str:
    """Column name of the spatial lag W x of a regressor in ``params`` (``W_<x>``)."""
    return f"W_{regressor}"


@dataclass(frozen=True, eq=False)
class SpatialPanelResults:
    """A fitted spatial panel model.

    ``params`` holds the coefficients of the regressors (``const`` first when the model has no
    fixed effects), of the spatial lags of the Durbin regressors (``W_<x>``) and last the
    spatial parameter (``rho`` for SAR/SDM, ``lambda`` for SEM/SDEM); ``cov`` is their
    asymptotic covariance (the inverse information matrix without the sigma^2 row and column;
    ``sigma2_se`` is sigma^2's standard error from the same inverse). ``loglik`` is the maximised
    Gaussian log-likelihood of the approach with all constants (nats; the transformation
    approach's counts (N-1)(T-1) observations with two-way effects), ``nobs`` = N T. ``rsquared`` is
    1 - e'e / sum (y* - mean y*)^2 on the demeaned data with e the model's innovations;
    ``corr2`` is the squared correlation of y* with its prediction (reduced form
    (I - rho W)^-1 X* b for SAR/SDM, X* b for SEM/SDEM; Elhorst 2014, sec. 3.3).
    ``approach`` says which estimator gave them ("transformation": Lee and Yu 2010, the
    default; "direct": splm's and Elhorst's; "direct_bc": Elhorst's bc = 1 correction of the
    direct estimates; see ``panel_ml``); ``alternatives`` holds the other approaches' results
    on the same data (empty when not computed or without fixed effects). ``weights`` is the
    ``SpatialWeights`` the model was fitted with (its eigenvalues serve the effects).
    """

    params: pd.Series
    cov: pd.DataFrame
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    sigma2: float
    loglik: float
    nobs: int
    rho: float  # the spatial parameter: rho (SAR/SDM) or lambda (SEM/SDEM)
    model: str = "sar"
    fixed_effects: str = "entity"
    dependent: str = ""
    regressors: tuple[str, ...] = ()
    durbin: tuple[str, ...] = ()
    n_entities: int = 0
    n_periods: int = 0
    rsquared: float = float("nan")
    corr2: float = float("nan")
    sigma2_se: float = float("nan")
    approach: str = "direct"
    lag_convention: str = "transformed"
    weights: SpatialWeights | None = field(default=None, repr=False)
    alternatives: Mapping[str, SpatialPanelResults] = field(default_factory=dict, repr=False)

    @property
    def statistic_kind(self) -> str:
        """The statistics are asymptotic z statistics."""
        return "z"

    @property
    def row_standardised(self) -> bool:
        return self.weights is None or self.weights.row_standardised

    @property
    def eigenvalues(self) -> np.ndarray | None:
        return None if self.weights is None else self.weights.eigenvalues

    def fit_statistics(self) -> dict[str, float]:
        """nobs, n_entities, n_periods, loglik, sigma2, r2 (``rsquared``), corr2 and the spatial
        parameter (``rho`` or ``lambda``)."""
        return {"nobs": self.nobs, "n_entities": self.n_entities, "n_periods": self.n_periods,
                "loglik": self.loglik, "sigma2": self.sigma2, "r2": self.rsquared,
                "corr2": self.corr2, self.spatial_name: self.rho}

    @property
    def spatial_name(self) -> str:
        """``rho`` (spatial lag of y) or ``lambda`` (spatial error)."""
        return "lambda" if self.model in ERROR_MODELS else "rho"

    @property
    def entity_effects(self) -> bool:
        return self.fixed_effects in ("entity", "twoways")

    @property
    def time_effects(self) -> bool:
        return self.fixed_effects in ("time", "twoways")

    def beta(self) -> pd.Series:
        """Coefficients of the regressors themselves (no constant, no W x, no spatial term)."""
        return self.params[list(self.regressors)]

    def theta(self) -> pd.Series:
        """Coefficients of W x per regressor (zero for regressors without a Durbin term)."""
        return pd.Series([self.params.get(durbin_name(r), 0.0) for r in self.regressors],
                         index=list(self.regressors))

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: term, estimate, std_error, statistic (z), p_value."""
        return pd.DataFrame({"term": self.params.index, "estimate": self.params.to_numpy(),
                             "std_error": self.std_errors.to_numpy(),
                             "statistic": self.tstats.to_numpy(),
                             "p_value": self.pvalues.to_numpy()})

    def compare_approaches(self) -> pd.DataFrame:
        """These estimates and those of ``alternatives`` side by side: one column of estimates
        and one of standard errors per approach, rows the parameters, sigma2 and the
        log-likelihood."""
        columns = {}
        for result in (self, *self.alternatives.values()):
            label = APPROACH_LABELS[result.approach]
            estimates = pd.concat([result.params, pd.Series(
                {"sigma2": result.sigma2, "log-likelihood": result.loglik})])
            errors = pd.concat([result.std_errors, pd.Series(
                {"sigma2": result.sigma2_se, "log-likelihood": np.nan})])
            columns[label] = estimates
            columns[f"se ({label})"] = errors
        return pd.DataFrame(columns)

    def summary(self) -> str:
        """The fit as plain text (nothing is printed): a header, the estimates with z and p,
        and the other approaches beside these estimates when present. The Main / Wx layout of
        papers is ``models_py.reports.spatial_table``."""
        effects = {"none": "no fixed effects", "entity": "entity fixed effects",
                   "time": "time fixed effects", "twoways": "entity and time fixed effects"}
        head = (f"{self.model.upper()} panel, {effects[self.fixed_effects]}, maximum likelihood "
                f"({APPROACH_LABELS[self.approach]}): {self.dependent or 'y'}, "
                f"N = {self.n_entities}, T = {self.n_periods}")
        fmt = {"float_format": lambda v: f"{v:.6g}", "na_rep": ""}
        stats = ", ".join(f"{k} = {v:.6g}" for k, v in self.fit_statistics().items())
        parts = [head, "", self.to_frame().to_string(index=False, **fmt), "", stats]
        if self.alternatives:
            parts += ["", "Approaches (Lee and Yu 2010 transformation; direct as splm and "
                      "Elhorst; Elhorst's bc = 1):", self.compare_approaches().to_string(**fmt)]
        return "\n".join(parts)
