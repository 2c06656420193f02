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


def coefficient_frame(results: EstimationResults) -> pd.DataFrame:
    """The ``to_frame()`` of the protocol: term, estimate, std_error, statistic, p_value."""
    return pd.DataFrame({
        "term": results.params.index,
        "estimate": results.params.to_numpy(),
        "std_error": results.std_errors.to_numpy(),
        "statistic": results.tstats.to_numpy(),
        "p_value": results.pvalues.to_numpy(),
    })


def coefficient_lines(results: EstimationResults) -> str:
    """A plain-text coefficient table (term, coefficient, standard error, statistic, p)."""
    lines = [f"{'term':<28}{'coef':>12}{'std.err':>12}{results.statistic_kind:>9}{'p':>9}"]
    for term in results.params.index:
        lines.append(f"{term:<28}{results.params[term]:>12.6f}"
                     f"{results.std_errors[term]:>12.6f}{results.tstats[term]:>9.3f}"
                     f"{results.pvalues[term]:>9.4f}")
    return "\n".join(lines)
