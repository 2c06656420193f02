"""The results protocol every estimator returns, so that studies, writers and reports treat a
fixed-effects regression, a spatial panel and a random-effects model alike.

An estimator's result has coefficients, their standard errors, test statistics and p-values
(``pandas.Series`` indexed by term), the covariance of the coefficients (``DataFrame``), the
number of observations, ``fit_statistics()`` (name -> number: ``nobs``, ``r2_within``,
``loglik``, ``sigma2``, ``rho`` ...) and ``to_frame()`` (one row per term: ``term``,
``estimate``, ``std_error``, ``statistic``, ``p_value``). ``statistic_kind`` says whether the
statistic is a t (small-sample) or a z (asymptotic) statistic.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pandas as pd


@runtime_checkable
class EstimationResults(Protocol):
    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int

    @property
    def statistic_kind(self) -> str:
        """``"t"`` or ``"z"``: the name printed for ``tstats``."""
        ...

    def fit_statistics(self) -> dict[str, float]:
        """Scalar statistics of the fit, by name (``nobs`` always among them)."""
        ...

    def to_frame(self) -> pd.DataFrame:
        """One row per term: term, estimate, std_error, statistic, p_value."""
        ...
