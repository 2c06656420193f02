"""Linear panel models by linearmodels (Sheppard): fixed effects (``PanelOLS``, entity, time and
other absorbed effects such as group x year) and random effects (``RandomEffects``,
Swamy-Arora variance components), with the Stata and R plm small-sample conventions applied
explicitly, and results in the project's protocol (``protocol.py``).

Fixed effects: y_it = x_it' b + effects + e_it, OLS on the data with the effects removed
(Wooldridge 2010, ch. 10). At most two effects after redundancy is removed: an effect whose
groups each lie inside one group of another included effect is absorbed by it (time effects
with a group x year effect, for instance) and is dropped, which leaves the estimates
unchanged. With ``constant=True`` the constant is printed as Stata's ``xtreg, fe`` (and
``reghdfe``) print it: _cons = mean(y) - mean(x)' b, the average of the absorbed effects, from
the regression of y - effects + mean(y) on x - effects + mean(x) and 1 (linearmodels does
exactly this when the regressors include a constant); its variance is
s^2 / N + mean(x)' V_b mean(x) in the classical case.

Covariance (N observations, k slopes, G clusters, a = dimensions absorbed by the effects and
the constant, so N - k - a residual degrees of freedom), ``cov_type``. The rank a is counted
here: the groups of the effects less the connected components of the graph linking groups
observed together (linearmodels assumes one component, which overcounts when, for instance,
entities are nested in the groups of a group x year effect: 8 too many for the Munnell states
in 9 regions).

- ``"unadjusted"``: s^2 (X'X)^-1, s^2 = SSR / (N - k - a) (Stata ``xtreg, fe``; plm).
- ``"clustered"``: the sandwich V0 = (X'X)^-1 [sum_g X_g'u_g u_g'X_g] (X'X)^-1 (linearmodels
  with ``debiased=False`` and no effect count, i.e. factor 1) times the factor of
  ``se_convention``:
  ``"stata"`` G/(G-1) (N-1)/(N-K) with K = k + 1 + (a - number of entities) when entity
  effects are absorbed (``xtreg, fe vce(cluster)`` with the other effects as dummies; Stata
  does not count the entity effects nested in the clusters) and K = k + a otherwise;
  ``"plm_hc1"`` N/(N-k) (plm ``vcovHC(method = "arellano", type = "HC1")``); ``"none"`` 1.
- ``"robust"``: the White sandwich (each observation its own cluster), factor
  N/(N - k - a) for ``"stata"`` (``areg, vce(robust)``), N/(N-k) for ``"plm_hc1"``
  (``vcovHC(method = "white1", type = "HC1")``), 1 for ``"none"``.

Test statistics are t: p-values from t(G-1) for clustered Stata errors, t(N - k - a)
otherwise (random effects: t(N - k - 1)).

Random effects: linearmodels' ``RandomEffects`` (quasi-demeaning with theta_i =
1 - sqrt(s_e^2 / (T_i s_u^2 + s_e^2)); s_e^2 from the within regression, s_u^2 from the
between regression: Swamy and Arora 1972, plm's default ``random.method = "swar"``), with a
constant; the same covariance options with K = k + 1 (the formula of Stata's ``regress``;
not checked against ``xtreg, re vce(cluster)``, which reports z statistics).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from models_py.estimation.panel_transforms import plain
from models_py.estimation.protocol import coefficient_frame, coefficient_lines

CovType = Literal["unadjusted", "robust", "clustered"]
SEConvention = Literal["stata", "plm_hc1", "none"]
CONSTANT = "const"


@dataclass(frozen=True)
class LinearPanelResults:
    """Fitted linear panel model (results protocol). Series are indexed by term."""

    model: str
    dependent: str
    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int
    effects: tuple[str, ...]
    cov_type: str
    se_convention: str
    cluster: str | None
    statistics: dict[str, float] = field(repr=False)
    statistic_kind: str = "t"

    def fit_statistics(self) -> dict[str, float]:
        """nobs, n_entities, n_periods, df_resid, df_absorbed, r2, r2_within, r2_between,
        r2_overall, sigma2, loglik (fixed effects), n_clusters (clustered), and for random
        effects sigma2_u, sigma2_e, rho."""
        return dict(self.statistics)

    def to_frame(self) -> pd.DataFrame:
        """One row per term: term, estimate, std_error, statistic, p_value."""
        return coefficient_frame(self)

    def summary(self) -> str:
        errors = self.cov_type + (f" by {self.cluster}" if self.cluster else "") + (
            f" ({self.se_convention})" if self.cov_type != "unadjusted" else "")
        return "\n".join([f"{self.model} regression of {self.dependent}; effects: "
                          f"{', '.join(self.effects) or 'none'}; N = {self.nobs}; "
                          f"errors: {errors}", coefficient_lines(self)])


def _nested(inner: np.ndarray, outer: np.ndarray) -> bool:
    """True when every group of ``inner`` lies inside one group of ``outer``."""
    pairs = pd.DataFrame({"inner": inner, "outer": outer}).drop_duplicates()
    return not pairs["inner"].duplicated().any()


def _absorbed_rank(codes: list[np.ndarray]) -> int:
    """Rank of the dummy variables of one or two effects (the constant is in their span):
    the number of groups, less for two effects the number of connected components of the
    graph that links the groups observed together (Abowd, Creecy and Kramarz 2002)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if len(codes) == 1:
        return int(codes[0].max()) + 1
    first, second = codes
    n1, n2 = int(first.max()) + 1, int(second.max()) + 1
    links = coo_matrix((np.ones(len(first)), (first, second + n1)), shape=(n1 + n2, n1 + n2))
    components = connected_components(links, directed=False)[0]
    return n1 + n2 - int(components)


def _frame(data: pd.DataFrame, columns: list[str], entity: str, time: str) -> pd.DataFrame:
    missing = [c for c in dict.fromkeys([entity, time, *columns]) if c not in data.columns]
    if missing:
        raise KeyError(f"linear panel: columns {missing} are not in the data")
    frame = data[list(dict.fromkeys([entity, time, *columns]))].dropna()
    repeated = frame[frame.duplicated([entity, time], keep=False)]
    if not repeated.empty:
        counts = repeated.groupby([entity, time], sort=False).size()
        listed = ", ".join(f"({plain(e)!r}, {plain(t)!r}) {n} times"
                           for (e, t), n in counts.head(10).items())
        more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
        raise ValueError(f"linear panel: {len(counts)} ({entity}, {time}) pairs appear more "
                         f"than once: {listed}{more}; expected one row per unit and period")
    return frame.set_index([entity, time])


def _cluster_column(cov_type: CovType, cluster: str | None, entity: str, time: str,
                    se_convention: SEConvention) -> list[str]:
    """Check the covariance options; the data column to keep for clustering, if it is not
    the entity or the time."""
    if cov_type not in ("unadjusted", "robust", "clustered"):
        raise ValueError(f"cov_type must be unadjusted, robust or clustered, got {cov_type!r}")
    if se_convention not in ("stata", "plm_hc1", "none"):
        raise ValueError(f"se_convention must be stata, plm_hc1 or none, got {se_convention!r}")
    if cov_type == "clustered" and cluster is None:
        raise ValueError("cov_type='clustered' needs a cluster variable")
    if cov_type != "clustered" or cluster in (None, "entity", "time", entity, time):
        return []
    return [cluster]


def _panel_statistics(result, frame: pd.DataFrame) -> dict[str, float]:
    index = frame.index
    return {
        "n_entities": float(index.get_level_values(0).nunique()),
        "n_periods": float(index.get_level_values(1).nunique()),
        "r2": float(result.rsquared),
        "r2_within": float(result.rsquared_within),
        "r2_between": float(result.rsquared_between),
        "r2_overall": float(result.rsquared_overall),
    }


def _cov_options(frame: pd.DataFrame, cov_type: CovType, cluster: str | None,
                 entity: str, time: str) -> tuple[dict, np.ndarray | None]:
    """linearmodels fit options giving the plain sandwich, and the cluster codes."""
    if cov_type == "unadjusted":
        return {"cov_type": "unadjusted", "debiased": False}, None
    if cov_type == "robust":
        return {"cov_type": "robust", "debiased": False}, None
    if cluster in ("entity", entity):
        codes = frame.index.get_level_values(0)
    elif cluster in ("time", time):
        codes = frame.index.get_level_values(1)
    else:
        codes = frame[cluster]
    codes = pd.factorize(np.asarray(codes))[0]
    clusters = pd.DataFrame({"cluster": codes}, index=frame.index)
    return {"cov_type": "clustered", "clusters": clusters, "debiased": False}, codes


def _finish(owner: FixedEffectsPanel | RandomEffectsPanel, model: str, result, k: int,
            absorbed: int, stata_k: int, codes: np.ndarray | None, effects: tuple[str, ...],
            statistics: dict[str, float]) -> LinearPanelResults:
    """Scale linearmodels' plain covariance by the convention and build the results.

    ``absorbed``: dimensions taken by the effects and the constant; ``stata_k``: the K of
    Stata's clustered factor."""
    cov_type, se_convention, cluster = owner.cov_type, owner.se_convention, owner.cluster
    n = int(result.nobs)
    df_resid = n - k - absorbed
    factor, dof = 1.0, df_resid
    if cov_type == "unadjusted":
        factor = n / df_resid        # linearmodels' SSR / N becomes SSR / (N - k - a)
    elif cov_type == "clustered":
        groups = int(codes.max()) + 1
        statistics["n_clusters"] = float(groups)
        if se_convention == "stata":
            factor = groups / (groups - 1) * (n - 1) / (n - stata_k)
            dof = groups - 1
        elif se_convention == "plm_hc1":
            factor = n / (n - k)
    elif cov_type == "robust":
        factor = {"stata": n / df_resid, "plm_hc1": n / (n - k), "none": 1.0}[se_convention]
    terms = pd.Index(list(result.params.index), name="term")
    cov = pd.DataFrame(result.cov.to_numpy() * factor, index=terms, columns=terms)
    params = pd.Series(result.params.to_numpy(), index=terms)
    se = pd.Series(np.sqrt(np.diag(cov)), index=terms)
    tstats = params / se
    pvalues = pd.Series(2 * stats.t.sf(np.abs(tstats.to_numpy()), dof), index=terms)
    statistics.update({"nobs": float(n), "df_resid": float(df_resid),
                       "df_absorbed": float(absorbed)})
    return LinearPanelResults(
        model=model, dependent=owner.dependent, params=params, std_errors=se, tstats=tstats,
        pvalues=pvalues, cov=cov, nobs=n, effects=effects,
        cov_type=cov_type, se_convention=se_convention if cov_type != "unadjusted" else "none",
        cluster=cluster if cov_type == "clustered" else None, statistics=statistics)


class FixedEffectsPanel:
    """PanelOLS with entity, time and other absorbed effects (see the module docstring)."""

    def __init__(
        self,
        data: pd.DataFrame,
        dependent: str,
        regressors: list[str],
        entity: str,
        time: str,
        entity_effects: bool = True,
        time_effects: bool = False,
        other_effects: list[str] | tuple[str, ...] = (),
        cov_type: CovType = "clustered",
        cluster: str | None = "entity",
        se_convention: SEConvention = "stata",
        constant: bool = True,
    ) -> None:
        other_effects = list(other_effects)
        self.frame = _frame(data, [dependent, *regressors, *other_effects,
                                   *_cluster_column(cov_type, cluster, entity, time,
                                                   se_convention)],
                            entity, time)
        self.dependent, self.regressors = dependent, list(regressors)
        self.entity, self.time = entity, time
        self.cov_type, self.cluster, self.se_convention = cov_type, cluster, se_convention
        self.constant = constant
        self.entity_effects, self.time_effects, self.other_effects = self._reduce_effects(
            entity_effects, time_effects, other_effects)
        if not (self.entity_effects or self.time_effects or self.other_effects):
            raise ValueError("FixedEffectsPanel needs at least one effect")

    def _reduce_effects(self, entity_effects: bool, time_effects: bool,
                        other_effects: list[str]) -> tuple[bool, bool, list[str]]:
        """Drop effects absorbed by another included effect; at most two may remain."""
        index = self.frame.index
        codes = {}
        if entity_effects:
            codes["entity"] = pd.factorize(index.get_level_values(0))[0]
        if time_effects:
            codes["time"] = pd.factorize(index.get_level_values(1))[0]
        for name in other_effects:
            codes[name] = pd.factorize(self.frame[name])[0]
        names = list(codes)

        def absorbed_by_another(name: str) -> bool:
            # ``name`` is redundant when another effect's groups lie inside its groups; of two
            # identical partitions the first listed is kept.
            return any(_nested(codes[other], codes[name])
                       and not (_nested(codes[name], codes[other])
                                and names.index(other) > names.index(name))
                       for other in names if other != name)

        kept = [name for name in names if not absorbed_by_another(name)]
        if len(kept) > 2:
            raise ValueError(f"FixedEffectsPanel: effects {kept} are more than the two that "
                             "linearmodels' PanelOLS absorbs, and none nests another")
        self._effect_codes = {name: codes[name] for name in kept}
        return "entity" in kept, "time" in kept, [n for n in other_effects if n in kept]

    def fit(self) -> LinearPanelResults:
        from linearmodels.panel import PanelOLS

        f = self.frame
        exog = f[self.regressors].copy()
        if self.constant:
            exog[CONSTANT] = 1.0
        other = f[self.other_effects] if self.other_effects else None
        model = PanelOLS(f[self.dependent], exog, entity_effects=self.entity_effects,
                         time_effects=self.time_effects, other_effects=other)
        options, codes = _cov_options(f, self.cov_type, self.cluster, self.entity, self.time)
        result = model.fit(**options, auto_df=False, count_effects=False)
        k = len(self.regressors)
        absorbed = _absorbed_rank(list(self._effect_codes.values()))
        # Stata counts the constant and the dummies of the effects other than the entity's
        n_entities = f.index.get_level_values(0).nunique()
        stata_k = k + 1 + absorbed - n_entities if self.entity_effects else k + absorbed
        effects = tuple(["entity"] * self.entity_effects + ["time"] * self.time_effects
                        + self.other_effects)
        statistics = _panel_statistics(result, f) | {
            # R² of the model on the data with every absorbed effect removed (reghdfe's
            # "within R-sq."; Stata's xtreg, fe with i.year counts the year dummies in it):
            # linearmodels' rsquared_within removes only the entity means, which with time
            # or group x year effects absorbed can fall below zero
            "r2_within": float(result.rsquared),
            "sigma2": float(result.resid_ss) / (int(result.nobs) - k - absorbed),
            "loglik": float(result.loglik),
        }
        return _finish(self, "fixed effects", result, k, absorbed, stata_k, codes, effects,
                       statistics)


class RandomEffectsPanel:
    """linearmodels' RandomEffects (Swamy-Arora) with a constant (see the module docstring)."""

    def __init__(
        self,
        data: pd.DataFrame,
        dependent: str,
        regressors: list[str],
        entity: str,
        time: str,
        cov_type: CovType = "unadjusted",
        cluster: str | None = None,
        se_convention: SEConvention = "stata",
    ) -> None:
        self.frame = _frame(data, [dependent, *regressors,
                                   *_cluster_column(cov_type, cluster, entity, time,
                                                   se_convention)],
                            entity, time)
        self.dependent, self.regressors = dependent, list(regressors)
        self.entity, self.time = entity, time
        self.cov_type, self.cluster, self.se_convention = cov_type, cluster, se_convention

    def fit(self) -> LinearPanelResults:
        from linearmodels.panel import RandomEffects

        f = self.frame
        exog = f[self.regressors].assign(**{CONSTANT: 1.0})
        options, codes = _cov_options(f, self.cov_type, self.cluster, self.entity, self.time)
        result = RandomEffects(f[self.dependent], exog).fit(**options)
        k = len(self.regressors)
        components = result.variance_decomposition
        statistics = _panel_statistics(result, f) | {
            "sigma2_u": float(components["Effects"]),
            "sigma2_e": float(components["Residual"]),
            "sigma2": float(components["Residual"]),
            "rho": float(components["Percent due to Effects"]),
        }
        return _finish(self, "random effects", result, k, 1, k + 1, codes, ("entity",),
                       statistics)
