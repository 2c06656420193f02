"""Estimator name (as a study declares it) -> the function that fits it.

Every fit takes a :class:`FitInput` and returns an object of the results protocol
(``models_py.estimation.protocol.EstimationResults``). Adding an estimator is one function
and one entry in ``ESTIMATORS`` (and its name in ``schema.ESTIMATORS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from models_py.estimation.linear_panels import FixedEffectsPanel, RandomEffectsPanel
from models_py.estimation.protocol import EstimationResults
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.weights import SpatialWeights
from models_py.studies.sample import regressor_names
from models_py.studies.schema import ModelSpec


@dataclass(frozen=True)
class FitInput:
    """What a fit needs: the estimation frame (keys, dependent, regressors), the model, the
    panel keys, the absorbed effects (one categorical column per ``absorb`` entry) and the
    spatial weights when the estimator is spatial."""

    frame: pd.DataFrame
    spec: ModelSpec
    entity: str
    time: str
    absorbed: pd.DataFrame = field(default_factory=pd.DataFrame)
    weights: SpatialWeights | None = None


def fixed_effects_name(spec: ModelSpec) -> str:
    """The spatial engine's name of the model's absorbed effects (none, entity, time, twoways)."""
    return {(True, True): "twoways", (True, False): "entity", (False, True): "time",
            (False, False): "none"}[(spec.entity_effects, spec.time_effects)]


def _covariance(spec: ModelSpec) -> dict:
    """linearmodels' covariance options of a declared model: clustered by ``cluster`` with the
    declared small-sample convention, or classical."""
    convention = "none" if spec.se_convention == "unadjusted" else spec.se_convention
    if spec.cluster is None:
        return {"cov_type": "unadjusted", "cluster": None, "se_convention": convention}
    return {"cov_type": "clustered", "cluster": spec.cluster, "se_convention": convention}


def fit_panel_fe(data: FitInput) -> EstimationResults:
    """Linear panel with absorbed entity, time and further effects (linearmodels' PanelOLS;
    the constant printed as Stata's ``xtreg, fe`` prints it)."""
    frame = data.frame
    if not data.absorbed.empty:
        frame = pd.concat([frame, data.absorbed], axis=1)
    return FixedEffectsPanel(
        frame, dependent=data.spec.dependent, regressors=regressor_names(data.spec),
        entity=data.entity, time=data.time, entity_effects=data.spec.entity_effects,
        time_effects=data.spec.time_effects, other_effects=list(data.absorbed.columns),
        constant=True, **_covariance(data.spec),
    ).fit()


def fit_random_effects(data: FitInput) -> EstimationResults:
    """Random individual effects (Swamy-Arora, linearmodels' RandomEffects) with a constant."""
    return RandomEffectsPanel(
        data.frame, dependent=data.spec.dependent, regressors=regressor_names(data.spec),
        entity=data.entity, time=data.time, **_covariance(data.spec),
    ).fit()


def fit_spatial(data: FitInput) -> EstimationResults:
    """SAR, SEM, SDM or SDEM panel by maximum likelihood on the declared weights."""
    spec, weights = data.spec, data.weights
    if weights is None:
        raise ValueError(f"estimator '{spec.estimator}' needs weights")
    durbin = list(spec.durbin) if spec.durbin is not None else None
    if spec.estimator in ("sdm", "sdem") and durbin is None:
        durbin = regressor_names(spec)
    return fit_spatial_panel(
        data.frame, spec.dependent, regressor_names(spec), data.entity, data.time,
        sample_weights(weights, data.frame[data.entity]), model=spec.estimator,
        fixed_effects=fixed_effects_name(spec), durbin=durbin, approach=spec.approach,
    )


def sample_weights(weights: SpatialWeights, entities: pd.Series) -> SpatialWeights:
    """The weights of the units present: the matrix as it is when the sample has all its
    units, else restricted to them and row-standardised again (a subsample's own W)."""
    present = sorted(entities.unique())
    return weights if set(present) == set(weights.ids) else weights.restricted(present)


ESTIMATORS: dict[str, Callable[[FitInput], EstimationResults]] = {
    "panel_fe": fit_panel_fe,
    "random_effects": fit_random_effects,
    "sar": fit_spatial,
    "sem": fit_spatial,
    "sdm": fit_spatial,
    "sdem": fit_spatial,
}


def fit(data: FitInput) -> EstimationResults:
    """Fit ``data.spec`` with the estimator it names."""
    try:
        estimator = ESTIMATORS[data.spec.estimator]
    except KeyError:
        raise NotImplementedError(f"estimator '{data.spec.estimator}' is not registered "
                                  f"(registered: {', '.join(ESTIMATORS)})") from None
    return estimator(data)
