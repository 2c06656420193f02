"""SAR and SEM fixed-effects panels against R splm on the Munnell data (methods README sec. 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.effects import sar_point_effects, sar_simulated_effects
from models_py.spatial.panel_ml import fit_sar_panel, fit_sem_panel
from models_py.spatial.weights import SpatialWeights

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


def fit(munnell, time_effects: bool, model=fit_sar_panel):
    """splm's estimator: the direct approach with splm's lag convention."""
    frame, w = munnell
    return model(frame, "lgsp", REGRESSORS, "state", "year", w, time_effects=time_effects,
                 approach="direct", lag_convention="splm")


def test_sar_individual_effects_model(munnell) -> None:
    result = fit(munnell, False)
    np.testing.assert_allclose(result.params, [-0.046582, 0.187433, 0.625090, -0.0044816,
                                               0.274689], atol=1e-6)
    np.testing.assert_allclose(result.std_errors, [0.025442, 0.023044, 0.029704, 0.000865,
                                                   0.023516], atol=1e-6)
    assert result.sigma2 == pytest.approx(0.00111138, abs=1e-8)
    assert result.loglik == pytest.approx(1609.72, abs=5e-3)


def test_sar_two_way_model(munnell) -> None:
    result = fit(munnell, True)
    np.testing.assert_allclose(result.params, [-0.034862, 0.159126, 0.687931, -0.0034726,
                                               0.196664], atol=1e-6)
    assert result.sigma2 == pytest.approx(0.00099319, abs=1e-8)
    assert result.loglik == pytest.approx(1659.4477, abs=1e-4)


def test_sar_point_effects(munnell) -> None:
    effects = sar_point_effects(fit(munnell, False), munnell[1])
    np.testing.assert_allclose(effects.loc["lpcap"], [-0.047504, -0.016720, -0.064223],
                               atol=2e-6)
    np.testing.assert_allclose(effects.loc["lemp"], [0.637460, 0.224364, 0.861823], atol=2e-6)
    np.testing.assert_allclose(effects.loc["unemp"], [-0.0045703, -0.0016086, -0.0061789],
                               atol=2e-7)


def test_unbalanced_panel_is_refused(munnell) -> None:
    frame, w = munnell
    with pytest.raises(ValueError, match="balanced panel"):
        fit_sar_panel(frame.iloc[1:], "lgsp", REGRESSORS, "state", "year", w)


def test_sem_individual_effects_model(munnell) -> None:
    result = fit(munnell, False, fit_sem_panel)
    np.testing.assert_allclose(result.params, [0.005144, 0.205303, 0.782254, -0.0022317,
                                               0.557401], atol=1e-6)
    assert result.std_errors["lambda"] == pytest.approx(0.033075, abs=1e-6)
    assert result.sigma2 == pytest.approx(0.00097649, abs=1e-8)


def test_sem_two_way_model(munnell) -> None:
    result = fit(munnell, True, fit_sem_panel)
    np.testing.assert_allclose(result.params, [-0.013370, 0.155802, 0.758845, -0.0030115,
                                               0.390864], atol=1e-6)
    assert result.sigma2 == pytest.approx(0.00093332, abs=1e-8)


def test_lm_tests_on_the_individual_fe_model(munnell) -> None:
    from models_py.spatial.lm_tests import panel_lm_tests

    frame, w = munnell
    table = panel_lm_tests(frame, "lgsp", REGRESSORS, "state", "year", w)
    np.testing.assert_allclose(table["statistic"], [163.695, 223.868, 34.7495, 94.9225],
                               atol=5e-3)
    assert (table["p_value"] < 1e-8).all()


def test_sdm_recovers_planted_parameters_on_a_synthetic_panel() -> None:
    import libpysal

    from models_py.spatial.panel_ml import fit_sdm_panel

    rng = np.random.default_rng(11)
    n, t = 80, 12
    knn = libpysal.weights.KNN.from_array(rng.uniform(size=(n, 2)), k=6)
    knn.transform = "r"
    w = SpatialWeights(knn.full()[0], range(n), "knn")
    x = rng.normal(size=(n, t))
    mu = rng.normal(size=(n, 1))
    rhs = 0.8 * x - 0.4 * (w.matrix @ x) + mu + 0.3 * rng.normal(size=(n, t))
    y = np.linalg.solve(np.eye(n) - 0.4 * w.matrix, rhs)
    frame = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n),
                          "y": y.ravel(), "x": x.ravel()})
    result = fit_sdm_panel(frame, "y", ["x"], ["x"], "i", "t", w)
    for name, truth in (("x", 0.8), ("W_x", -0.4), ("rho", 0.4)):
        assert abs(result.params[name] - truth) < 2 * result.std_errors[name], name


def test_simulated_effects_centre_on_the_point_effects(munnell) -> None:
    result = fit(munnell, False)
    simulated = sar_simulated_effects(result, munnell[1], draws=1000, seed=7)
    again = sar_simulated_effects(result, munnell[1], draws=1000, seed=7)
    pd.testing.assert_frame_equal(simulated, again)  # seeded
    table = simulated.set_index(["term", "effect"])
    point = sar_point_effects(result, munnell[1])
    for term in REGRESSORS:
        for effect in ("direct", "indirect", "total"):
            row = table.loc[(term, effect)]
            # the simulated mean is within 3 Monte Carlo standard errors of the point effect
            assert abs(row["mean"] - point.loc[term, effect]) < 3 * row["sd"] / np.sqrt(1000)
    # the direct effect's sd is close to the coefficient's standard error (direct ~ 1.02 b)
    assert table.loc[("lemp", "direct"), "sd"] == pytest.approx(
        result.std_errors["lemp"] * 1.02, rel=0.1)
