"""Linear panel regression with entity and/or time fixed effects and clustered standard errors.

Estimator: OLS on the within-transformed data (two-way demeaning by alternating projections,
exact for balanced panels after one pass, iterated to 1e-12 otherwise), the textbook fixed-effects
estimator (Wooldridge 2010, ch. 10). Covariance: the cluster-robust sandwich

    V0 = (X'X)^-1 [ sum_g X_g' u_g u_g' X_g ] (X'X)^-1

scaled by the small-sample factor of the chosen convention (N observations, G clusters, k
regressors of the within model, not counting the absorbed effects):

- ``stata`` (``xtreg, fe vce(cluster id)``): G/(G-1) * (N-1)/(N-K), K = k + 1 (Stata counts the
  constant). With time effects, Stata users include ``i.year``: those T-1 dummies count in K too.
- ``plm_hc1`` (R plm ``vcovHC(method = "arellano", type = "HC1")``): N/(N-k).
- ``unadjusted``: factor 1 (the plain sandwich).
``cluster=None`` gives the classical covariance s^2 (X'X)^-1 with s^2 = SSR/(N - k - absorbed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from models_py.estimation.panel_transforms import demean

SEConvention = Literal["stata", "plm_hc1", "unadjusted"]


@dataclass(frozen=True)
class PanelFEResults:
    """Fitted fixed-effects regression. Series are indexed by regressor name."""

    dependent: str
    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int
    n_entities: int
    n_periods: int
    df_resid: int
    rsquared_within: float
    loglik: float
    sigma2: float
    entity_effects: bool
    time_effects: bool
    cluster: str | None
    se_convention: str
    n_clusters: int | None = None

    @property
    def statistic_kind(self) -> str:
        """t statistics (with G - 1 degrees of freedom when clustered)."""
        return "t"

    def fit_statistics(self) -> dict[str, float]:
        """N, entities, periods, within R-squared, sigma^2 (SSR / df), log-likelihood and,
        when clustered, the number of clusters."""
        out = {"nobs": self.nobs, "n_entities": self.n_entities, "n_periods": self.n_periods,
               "r2_within": self.rsquared_within, "sigma2": self.sigma2, "loglik": self.loglik,
               "df_resid": self.df_resid}
        if self.n_clusters is not None:
            out["n_clusters"] = self.n_clusters
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per coefficient: term, estimate, std_error, statistic, p_value."""
        return pd.DataFrame({
            "term": self.params.index,
            "estimate": self.params.to_numpy(),
            "std_error": self.std_errors.to_numpy(),
            "statistic": self.tstats.to_numpy(),
            "p_value": self.pvalues.to_numpy(),
        })

    def summary(self) -> str:
        lines = [
            f"Fixed-effects regression of {self.dependent}",
            f"entity effects: {self.entity_effects}; time effects: {self.time_effects}; "
            f"N = {self.nobs}; entities = {self.n_entities}; periods = {self.n_periods}",
            f"R-squared (within) = {self.rsquared_within:.4f}; standard errors: "
            + (f"clustered by {self.cluster} ({self.se_convention})" if self.cluster
               else "classical"),
            f"{'term':<28}{'coef':>12}{'std.err':>12}{'t':>9}{'p':>9}",
        ]
        for term in self.params.index:
            lines.append(f"{term:<28}{self.params[term]:>12.6f}{self.std_errors[term]:>12.6f}"
                         f"{self.tstats[term]:>9.3f}{self.pvalues[term]:>9.4f}")
        return "\n".join(lines)


class PanelFixedEffects:
    """y_it = x_it' b + mu_i + lambda_t + e_it, estimated by the within transformation."""

    def __init__(
        self,
        data: pd.DataFrame,
        dependent: str,
        regressors: list[str],
        entity: str,
        time: str,
        entity_effects: bool = True,
        time_effects: bool = True,
        cluster: str | None = "entity",
        se_convention: SEConvention = "stata",
    ) -> None:
        columns = [entity, time, dependent, *regressors]
        missing = [c for c in columns if c not in data.columns]
        if missing:
            raise KeyError(f"columns not in the data: {missing}")
        frame = data[columns].dropna()
        if frame.duplicated([entity, time]).any():
            raise ValueError(f"duplicated ({entity}, {time}) pairs in the panel")
        if se_convention not in ("stata", "plm_hc1", "unadjusted"):
            raise ValueError(f"unknown se_convention '{se_convention}'")
        self.frame = frame
        self.dependent, self.regressors = dependent, list(regressors)
        self.entity, self.time = entity, time
        self.entity_effects, self.time_effects = entity_effects, time_effects
        self.cluster, self.se_convention = cluster, se_convention

    def fit(self) -> PanelFEResults:
        f = self.frame
        entity_codes = pd.factorize(f[self.entity])[0]
        time_codes = pd.factorize(f[self.time])[0]
        n_entities, n_periods = int(entity_codes.max()) + 1, int(time_codes.max()) + 1
        raw = f[[self.dependent, *self.regressors]].to_numpy(dtype=float)
        within = demean(raw, entity_codes, time_codes, self.entity_effects, self.time_effects)
        y, x = within[:, 0], within[:, 1:]
        n, k = x.shape
        xtx_inv = np.linalg.inv(x.T @ x)
        beta = xtx_inv @ x.T @ y
        resid = y - x @ beta
        ssr = float(resid @ resid)
        absorbed = ((n_entities if self.entity_effects else 0)
                    + (n_periods - 1 if self.time_effects else 0)
                    - (1 if not self.entity_effects and not self.time_effects else 0))
        df_resid = n - k - absorbed
        if self.cluster is None:
            cov = xtx_inv * ssr / df_resid
        else:
            cluster_codes = entity_codes if self.cluster == "entity" else (
                time_codes if self.cluster == "time" else pd.factorize(f[self.cluster])[0])
            scores = x * resid[:, None]
            groups = int(cluster_codes.max()) + 1
            summed = np.zeros((groups, k))
            np.add.at(summed, cluster_codes, scores)
            cov = xtx_inv @ (summed.T @ summed) @ xtx_inv * self._factor(n, k, groups, n_periods)
        se = np.sqrt(np.diag(cov))
        tstats = beta / se
        dof = (groups - 1) if self.cluster is not None else df_resid
        pvalues = 2 * stats.t.sf(np.abs(tstats), dof)
        sigma2 = ssr / n
        index = pd.Index(self.regressors, name="term")
        return PanelFEResults(
            dependent=self.dependent,
            params=pd.Series(beta, index=index),
            std_errors=pd.Series(se, index=index),
            tstats=pd.Series(tstats, index=index),
            pvalues=pd.Series(pvalues, index=index),
            cov=pd.DataFrame(cov, index=index, columns=index),
            nobs=n, n_entities=n_entities, n_periods=n_periods, df_resid=df_resid,
            rsquared_within=1 - ssr / float(y @ y),
            loglik=(-0.5 * n * (np.log(2 * np.pi * sigma2) + 1)) if sigma2 > 0 else np.inf,
            sigma2=ssr / df_resid,
            entity_effects=self.entity_effects, time_effects=self.time_effects,
            cluster=self.cluster, se_convention=self.se_convention,
            n_clusters=groups if self.cluster is not None else None,
        )

    def _factor(self, n: int, k: int, groups: int, n_periods: int) -> float:
        if self.se_convention == "plm_hc1":
            return n / (n - k)
        if self.se_convention == "stata":
            big_k = k + 1 + (n_periods - 1 if self.time_effects else 0)
            return groups / (groups - 1) * (n - 1) / (n - big_k)
        return 1.0
