"""Result object of the spatial panel estimators (SAR, SEM, SDM, SDEM with fixed effects)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FIXED_EFFECTS = ("none", "entity", "time", "twoways")
LAG_MODELS = ("sar", "sdm")
ERROR_MODELS = ("sem", "sdem")


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
    Gaussian log-likelihood with all constants (nats), ``nobs`` = N T. ``rsquared`` is
    1 - e'e / sum (y* - mean y*)^2 on the demeaned data with e the model's innovations;
    ``corr2`` is the squared correlation of y* with its prediction (reduced form
    (I - rho W)^-1 X* b for SAR/SDM, X* b for SEM/SDEM; Elhorst 2014, sec. 3.3).
    ``lee_yu`` holds the Lee and Yu (2010) bias-corrected estimates (a results object of the
    same shape with ``correction == "lee_yu"``) beside these uncorrected ones, or None.
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
    row_standardised: bool = True
    eigenvalues: np.ndarray | None = field(default=None, repr=False)
    correction: str = "none"
    lee_yu: SpatialPanelResults | None = field(default=None, repr=False)

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

    @property
    def statistic_kind(self) -> str:
        """z statistics (asymptotic, from the information matrix)."""
        return "z"

    def fit_statistics(self) -> dict[str, float]:
        """N T, N, T, log-likelihood, sigma^2, R-squared, corr^2 and the spatial parameter."""
        return {"nobs": self.nobs, "n_entities": self.n_entities, "n_periods": self.n_periods,
                "loglik": self.loglik, "sigma2": self.sigma2, "r2": self.rsquared,
                "corr2": self.corr2, self.spatial_name: self.rho}

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: estimate, std_error, z, p_value."""
        return pd.DataFrame({"estimate": self.params, "std_error": self.std_errors,
                             "z": self.tstats, "p_value": self.pvalues})

    def summary(self) -> str:
        """The fit as text (nothing is printed): header, the Main / Wx table, and the Lee-Yu
        corrected estimates beside the uncorrected ones when present."""
        from models_py.reports.spatial_table import spatial_table_markdown

        effects = {"none": "no fixed effects", "entity": "entity fixed effects",
                   "time": "time fixed effects", "twoways": "entity and time fixed effects"}
        head = (f"{self.model.upper()} panel, {effects[self.fixed_effects]}, maximum likelihood"
                f"{' (Lee-Yu bias-corrected)' if self.correction == 'lee_yu' else ''}: "
                f"{self.dependent or 'y'}, N = {self.n_entities}, T = {self.n_periods}")
        parts = [head, "", spatial_table_markdown(self)]
        if self.lee_yu is not None:
            corrected = self.lee_yu
            rows = pd.DataFrame({"uncorrected": self.params, "Lee-Yu": corrected.params,
                                 "se (Lee-Yu)": corrected.std_errors})
            rows.loc["sigma2"] = [self.sigma2, corrected.sigma2, corrected.sigma2_se]
            rows.loc["log-likelihood"] = [self.loglik, corrected.loglik, np.nan]
            parts += ["", "Lee and Yu (2010) bias correction (transformation approach, T -> T-1):",
                      rows.to_string(float_format=lambda v: f"{v:.6g}", na_rep="")]
        return "\n".join(parts)
