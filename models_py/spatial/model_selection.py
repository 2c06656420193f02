"""Tests between spatial panel models and the choice among SDM, SAR and SEM (Elhorst 2014,
"Spatial Econometrics", sec. 3.5; Elhorst 2010, Spatial Economic Analysis 5: 9-28).

Restrictions of the SDM y = rho W y + X b + W X theta + ...:
  SDM -> SAR: theta = 0 (K linear restrictions).
    Wald = theta' V_theta^-1 theta;  LR = 2 (ln L_SDM - ln L_SAR).
  SDM -> SEM: theta + rho b = 0 (K non-linear restrictions; the SEM with lambda = rho).
    Wald by the delta method: g = theta + rho b, G = dg/d(b, theta, rho) = [rho I, I, b],
    Wald = g' (G V G')^-1 g;  LR = 2 (ln L_SDM - ln L_SEM) against the fitted SEM.
All are chi-squared with K degrees of freedom under the null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from models_py.spatial.results import SpatialPanelResults, durbin_name
from models_py.spatial.weights import SpatialWeights


def _check_nested(sdm: SpatialPanelResults, restricted: SpatialPanelResults, kind: str) -> None:
    if sdm.model != "sdm" or restricted.model != kind:
        raise ValueError(f"expected an SDM and a {kind.upper()} fit, got {sdm.model.upper()} "
                         f"and {restricted.model.upper()}")
    if (sdm.fixed_effects != restricted.fixed_effects or sdm.nobs != restricted.nobs
            or set(sdm.regressors) != set(restricted.regressors)):
        raise ValueError(f"the SDM and the {kind.upper()} must share data, regressors and fixed "
                         "effects for the test to compare them")


def _row(hypothesis: str, test: str, statistic: float, df: int) -> dict:
    return {"hypothesis": hypothesis, "test": test, "statistic": float(statistic), "df": df,
            "p_value": float(stats.chi2.sf(statistic, df))}


def sdm_to_sar_tests(sdm: SpatialPanelResults, sar: SpatialPanelResults | None = None
                     ) -> pd.DataFrame:
    """Wald (and, with the fitted SAR, LR) tests of theta = 0."""
    theta_names = [durbin_name(d) for d in sdm.durbin]
    theta = sdm.params[theta_names].to_numpy()
    v = sdm.cov.loc[theta_names, theta_names].to_numpy()
    rows = [_row("SDM -> SAR (theta = 0)", "Wald", theta @ np.linalg.solve(v, theta),
                 len(theta))]
    if sar is not None:
        _check_nested(sdm, sar, "sar")
        rows.append(_row("SDM -> SAR (theta = 0)", "LR", 2 * (sdm.loglik - sar.loglik),
                         len(theta)))
    return pd.DataFrame(rows)


def sdm_to_sem_tests(sdm: SpatialPanelResults, sem: SpatialPanelResults | None = None
                     ) -> pd.DataFrame:
    """Wald (delta method) and, with the fitted SEM, LR tests of theta + rho b = 0."""
    if set(sdm.durbin) != set(sdm.regressors):
        raise ValueError("the SDM nests the SEM only when every regressor has its W x term")
    beta_names = list(sdm.durbin)
    theta_names = [durbin_name(d) for d in beta_names]
    rho = sdm.rho
    beta, theta = sdm.params[beta_names].to_numpy(), sdm.params[theta_names].to_numpy()
    g = theta + rho * beta
    names = [*beta_names, *theta_names, "rho"]
    k = len(beta_names)
    jacobian = np.hstack([rho * np.eye(k), np.eye(k), beta[:, None]])
    v = jacobian @ sdm.cov.loc[names, names].to_numpy() @ jacobian.T
    rows = [_row("SDM -> SEM (theta + rho b = 0)", "Wald", g @ np.linalg.solve(v, g), k)]
    if sem is not None:
        _check_nested(sdm, sem, "sem")
        rows.append(_row("SDM -> SEM (theta + rho b = 0)", "LR", 2 * (sdm.loglik - sem.loglik),
                         k))
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ModelSelection:
    """The chosen model (``"SDM"``, ``"SAR"`` or ``"SEM"``), the test table, the LM tests used
    (or None) and the reasons in words; ``text`` is the report."""

    chosen: str
    tests: pd.DataFrame
    lm_tests: pd.DataFrame | None
    reasons: tuple[str, ...]
    alpha: float

    @property
    def text(self) -> str:
        lines = [f"Model selection (Elhorst 2014 decision rules, {self.alpha:.0%} level): "
                 f"{self.chosen}", ""]
        if self.lm_tests is not None:
            lines += ["LM tests on the non-spatial fixed-effects model:",
                      self.lm_tests.to_string(float_format=lambda v: f"{v:.4g}"), ""]
        lines += ["Tests of the SDM against its restrictions:",
                  self.tests.to_string(index=False, float_format=lambda v: f"{v:.4g}"), ""]
        lines += [f"- {reason}" for reason in self.reasons]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def _lm_direction(lm: pd.DataFrame, alpha: float) -> str:
    """'lag', 'error', 'both' or 'none' from the (robust) LM tests (Elhorst 2014, sec. 3.5)."""
    p = lm["p_value"]
    lag, error = p["lm_lag"] < alpha, p["lm_error"] < alpha
    if not (lag or error):
        return "none"
    robust_lag, robust_error = p["robust_lm_lag"] < alpha, p["robust_lm_error"] < alpha
    if robust_lag and not robust_error:
        return "lag"
    if robust_error and not robust_lag:
        return "error"
    if lag and not error:
        return "lag"
    if error and not lag:
        return "error"
    return "both"


def select_spatial_model(sdm: SpatialPanelResults, sar: SpatialPanelResults,
                         sem: SpatialPanelResults, lm_tests: pd.DataFrame | None = None,
                         alpha: float = 0.05) -> ModelSelection:
    """Choose among SDM, SAR and SEM.

    A restriction counts as rejected when its Wald or its LR test rejects at ``alpha`` (the
    conservative reading: keep the more general model when the two disagree). Rules (Elhorst
    2010, 2014): both restrictions rejected -> SDM; only theta + rho b = 0 rejected -> SAR,
    unless the LM tests point to a spatial error (then SDM, as the two disagree); only theta = 0
    rejected -> SEM, unless the LM tests point to a spatial lag (then SDM); neither rejected ->
    the model the LM tests point to, else the restricted model with the larger log-likelihood.
    ``lm_tests``: the table of ``models_py.spatial.lm_tests.panel_lm_tests`` (rows lm_lag,
    lm_error, robust_lm_lag, robust_lm_error; column p_value).
    """
    tests = pd.concat([sdm_to_sar_tests(sdm, sar), sdm_to_sem_tests(sdm, sem)],
                      ignore_index=True)
    rejected = tests.assign(reject=tests["p_value"] < alpha).groupby("hypothesis")["reject"].any()
    sar_rejected = bool(rejected[tests["hypothesis"][0]])
    sem_rejected = bool(rejected[tests["hypothesis"].iloc[-1]])
    direction = _lm_direction(lm_tests, alpha) if lm_tests is not None else None
    reasons = [f"theta = 0 (SDM -> SAR) is {'rejected' if sar_rejected else 'not rejected'}; "
               f"theta + rho b = 0 (SDM -> SEM) is "
               f"{'rejected' if sem_rejected else 'not rejected'} (Wald or LR, p < {alpha})."]
    if direction is not None:
        decided = " (the robust tests decide)" if direction in ("lag", "error") else ""
        reasons.append(f"The LM tests on the non-spatial model point to: {direction}{decided}.")
    if sar_rejected and sem_rejected:
        chosen = "SDM"
        reasons.append("Both restrictions are rejected: the SDM describes the data best.")
    elif not sar_rejected and sem_rejected:
        chosen = "SDM" if direction == "error" else "SAR"
        reasons.append("The SAR restriction holds" + (
            " but the LM tests point to a spatial error model; as the tests disagree, the more "
            "general SDM is kept." if chosen == "SDM" else ": the SAR is chosen."))
    elif sar_rejected and not sem_rejected:
        chosen = "SDM" if direction == "lag" else "SEM"
        reasons.append("The SEM restriction holds" + (
            " but the LM tests point to a spatial lag model; as the tests disagree, the more "
            "general SDM is kept." if chosen == "SDM" else ": the SEM is chosen."))
    elif direction in ("lag", "error"):
        chosen = "SAR" if direction == "lag" else "SEM"
        reasons.append(f"Neither restriction is rejected; the LM tests point to a spatial "
                       f"{direction}: the {chosen} is chosen.")
    else:
        chosen = "SAR" if sar.loglik >= sem.loglik else "SEM"
        reasons.append(f"Neither restriction is rejected; the {chosen} has the larger "
                       f"log-likelihood ({max(sar.loglik, sem.loglik):.3f} against "
                       f"{min(sar.loglik, sem.loglik):.3f}).")
    return ModelSelection(chosen, tests, lm_tests, tuple(reasons), alpha)


def model_selection_report(
    data: pd.DataFrame, dependent: str, regressors: list[str], entity: str, time: str,
    w: SpatialWeights, fixed_effects: str = "twoways", lm_tests: pd.DataFrame | None = None,
    alpha: float = 0.05, **options,
) -> tuple[ModelSelection, dict[str, SpatialPanelResults]]:
    """Fit SDM, SAR and SEM on one panel (sharing W and its eigenvalues) and select among them
    with ``select_spatial_model``; returns the selection and the three fits. ``options`` go to
    ``fit_spatial_panel`` (e.g. ``approach``)."""
    from models_py.spatial.panel_ml import fit_spatial_panel

    fits = {model: fit_spatial_panel(data, dependent, regressors, entity, time, w, model,
                                     fixed_effects, **options)
            for model in ("sdm", "sar", "sem")}
    return select_spatial_model(fits["sdm"], fits["sar"], fits["sem"], lm_tests, alpha), fits
