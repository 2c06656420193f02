"""LR and Wald tests of SDM -> SAR and SDM -> SEM, the model-selection report and the printed
Main / Wx table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.reports.spatial_table import spatial_table_frame, spatial_table_markdown
from models_py.spatial.effects import simulated_effects
from models_py.spatial.model_selection import (
    model_selection_report,
    sdm_to_sar_tests,
    sdm_to_sem_tests,
    select_spatial_model,
)
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

N, T = 80, 10
W = SpatialWeights(random_knn_weights(N, seed=21), range(N), "knn")
WORLDS = {
    "sar": dict(beta=(1.0, -0.5), spatial=0.4),
    "sem": dict(beta=(1.0, -0.5), spatial=0.5),
    "sdm": dict(beta=(1.0, -0.5), theta=(0.6, 0.4), spatial=0.4),
}


@pytest.fixture(scope="module")
def reports():
    out = {}
    for world, planted in WORLDS.items():
        frame = simulate_panel(W.matrix, T, world, seed=31, **planted)
        out[world] = model_selection_report(frame, "y", ["x1", "x2"], "i", "t", W, "twoways")
    return out


def p_values(selection, hypothesis: str) -> pd.Series:
    tests = selection.tests
    return tests[tests["hypothesis"].str.startswith(hypothesis)].set_index("test")["p_value"]


def test_sar_world(reports) -> None:
    selection, _ = reports["sar"]
    assert (p_values(selection, "SDM -> SAR") > 0.05).all()
    assert (p_values(selection, "SDM -> SEM") < 0.05).all()
    assert selection.chosen == "SAR"


def test_sem_world(reports) -> None:
    selection, _ = reports["sem"]
    assert (p_values(selection, "SDM -> SEM") > 0.05).all()
    assert (p_values(selection, "SDM -> SAR") < 0.05).all()
    assert selection.chosen == "SEM"


def test_sdm_world(reports) -> None:
    selection, fits = reports["sdm"]
    assert (p_values(selection, "SDM -> SAR") < 0.05).all()
    assert (p_values(selection, "SDM -> SEM") < 0.05).all()
    assert selection.chosen == "SDM"
    assert "Both restrictions are rejected" in selection.text
    # LR uses the fitted restricted models
    lr = selection.tests.set_index(["hypothesis", "test"])["statistic"]
    assert lr.iloc[1] == pytest.approx(2 * (fits["sdm"].loglik - fits["sar"].loglik))
    assert lr.iloc[3] == pytest.approx(2 * (fits["sdm"].loglik - fits["sem"].loglik))


def test_wald_of_theta_is_the_quadratic_form(reports) -> None:
    _, fits = reports["sdm"]
    sdm = fits["sdm"]
    theta = sdm.params[["W_x1", "W_x2"]].to_numpy()
    v = sdm.cov.loc[["W_x1", "W_x2"], ["W_x1", "W_x2"]].to_numpy()
    assert sdm_to_sar_tests(sdm)["statistic"][0] == pytest.approx(theta @ np.linalg.inv(v) @ theta)
    # delta method against a numerical Jacobian of g(p) = theta + rho b over all parameters
    params = sdm.params.to_numpy()
    index = list(sdm.params.index)

    def g(p: np.ndarray) -> np.ndarray:
        return np.array([p[index.index(f"W_{x}")] + p[index.index("rho")] * p[index.index(x)]
                         for x in ("x1", "x2")])

    step = 1e-6
    jacobian = np.column_stack([(g(params + step * e) - g(params - step * e)) / (2 * step)
                                for e in np.eye(len(params))])
    v = jacobian @ sdm.cov.to_numpy() @ jacobian.T
    expected = g(params) @ np.linalg.solve(v, g(params))
    assert sdm_to_sem_tests(sdm)["statistic"][0] == pytest.approx(expected, rel=1e-6)


def test_lm_tests_steer_the_choice_when_restrictions_disagree(reports) -> None:
    _, fits = reports["sar"]
    lm_error = pd.DataFrame({"statistic": [1.0, 30.0, 0.5, 29.0],
                             "p_value": [0.3, 1e-7, 0.5, 1e-7]},
                            index=["lm_lag", "lm_error", "robust_lm_lag", "robust_lm_error"])
    selection = select_spatial_model(fits["sdm"], fits["sar"], fits["sem"], lm_error)
    assert selection.chosen == "SDM"
    assert "point to: error" in selection.text and "LM tests" in selection.text


def test_restricted_model_must_match(reports) -> None:
    _, fits = reports["sdm"]
    with pytest.raises(ValueError, match="expected an SDM and a SEM"):
        sdm_to_sem_tests(fits["sdm"], fits["sar"])


def test_main_wx_table_layout(reports) -> None:
    _, fits = reports["sdm"]
    sdm = fits["sdm"]
    frame = spatial_table_frame(sdm)
    assert list(frame.columns) == ["", "Main", "Wx"]
    first = frame.iloc[0]
    assert first[""] == "x1" and first["Main"].startswith(f"{sdm.params['x1']:.3f}")
    assert first["Main"].endswith("***") and first["Wx"].startswith(f"{sdm.params['W_x1']:.3f}")
    assert frame.iloc[1]["Main"] == f"({sdm.tstats['x1']:.2f})"
    labels = frame[""].tolist()
    for row in ("rho", "sigma²", "Log-likelihood", "R²", "N", "Entity FE", "Time FE"):
        assert row in labels
    assert frame.set_index("").loc["Time FE", "Main"] == "Yes"
    text = spatial_table_markdown(sdm, simulated_effects(sdm, draws=200, seed=1))
    assert "| x1 |" in text and "Direct" in text and "Indirect" in text
    summary = sdm.summary()
    assert summary.startswith("SDM panel, entity and time fixed effects") and "Lee-Yu" in summary
    assert "direct, bc = 1" in summary
