"""SAR, SEM, SDM and SDEM panels: Munnell references (methods README sec. 8), spreg's SDM,
recovery of planted parameters, the eigenvalue paths and the three approaches (Lee-Yu
transformation, direct, Elhorst's bc = 1)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.eigen import symmetrising_scale, weights_eigenvalues
from models_py.spatial.panel_ml import fit_sdem_panel, fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


def fit_munnell(munnell, model: str, fixed_effects: str):
    """splm's estimator: the direct approach with splm's lag convention."""
    frame, w = munnell
    return fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, model,
                             fixed_effects, approach="direct", lag_convention="splm")


def knn(n: int, seed: int) -> SpatialWeights:
    return SpatialWeights(random_knn_weights(n, seed=seed), range(n), "knn")


# (model, fixed effects): coefficients + spatial parameter, sigma^2, log-likelihood (R splm)
MUNNELL = {
    ("sar", "entity"): ([-0.046582, 0.187433, 0.625090, -0.0044816, 0.274689], 0.00111138,
                        1609.72),
    ("sem", "entity"): ([0.005144, 0.205303, 0.782254, -0.0022317, 0.557401], 0.00097649, None),
    ("sar", "twoways"): ([-0.034862, 0.159126, 0.687931, -0.0034726, 0.196664], 0.00099319,
                         1659.4477),
    ("sem", "twoways"): ([-0.013370, 0.155802, 0.758845, -0.0030115, 0.390864], 0.00093332,
                         None),
}


@pytest.mark.parametrize(("model", "fixed_effects"), list(MUNNELL))
def test_munnell_references(munnell, model: str, fixed_effects: str) -> None:
    params, sigma2, loglik = MUNNELL[(model, fixed_effects)]
    result = fit_munnell(munnell, model, fixed_effects)
    np.testing.assert_allclose(result.params, params, atol=1e-4)
    assert result.sigma2 == pytest.approx(sigma2, abs=1e-4)
    if loglik is not None:
        # 1609.72 is printed with two decimals; the two-way figure with four
        assert result.loglik == pytest.approx(loglik, abs=1e-4 if fixed_effects == "twoways"
                                              else 5e-3)
    assert result.approach == "direct"
    assert set(result.alternatives) == {"transformation", "direct_bc"}


def test_munnell_standard_errors(munnell) -> None:
    sar = fit_munnell(munnell, "sar", "entity")
    np.testing.assert_allclose(sar.std_errors, [0.025442, 0.023044, 0.029704, 0.000865,
                                                0.023516], atol=1e-4)
    sem = fit_munnell(munnell, "sem", "entity")
    assert sem.std_errors["lambda"] == pytest.approx(0.033075, abs=1e-4)


def test_sdm_matches_spreg_ml_lagfe(munnell) -> None:
    import libpysal
    import spreg

    frame, w = munnell
    sdm = fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, "sdm", "entity",
                            approach="direct")
    stacked = (frame.assign(_pos=frame["state"].map({s: i for i, s in enumerate(w.ids)}))
               .sort_values(["year", "_pos"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = libpysal.weights.full2W(w.matrix)
        weights.transform = "r"
        reference = spreg.panel.ML_LagFE(stacked[["lgsp"]].to_numpy(),
                                         stacked[REGRESSORS].to_numpy(), weights, slx_lags=1,
                                         spat_impacts=None)
    np.testing.assert_allclose(sdm.params, reference.betas.ravel(), atol=1e-5)
    np.testing.assert_allclose(sdm.std_errors, np.sqrt(np.diag(reference.vm)), atol=1e-5)
    assert sdm.loglik == pytest.approx(float(reference.logll), abs=1e-4)
    assert list(sdm.params.index[4:8]) == [f"W_{r}" for r in REGRESSORS]


PLANTED = {
    "sar": dict(beta=(1.0, -0.5), spatial=0.4),
    "sem": dict(beta=(1.0, -0.5), spatial=0.5),
    "sdm": dict(beta=(1.0, -0.5), theta=(0.5, 0.3), spatial=0.35),
    "sdem": dict(beta=(1.0, -0.5), theta=(0.5, 0.3), spatial=0.5),
}


@pytest.mark.parametrize("fixed_effects", ["entity", "twoways", "none", "time"])
@pytest.mark.parametrize("model", list(PLANTED))
def test_planted_parameters_recovered(model: str, fixed_effects: str) -> None:
    w = knn(80, seed=3)
    planted = PLANTED[model]
    frame = simulate_panel(w.matrix, 15, model, seed=5, fixed_effects=fixed_effects, **planted)
    result = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, model, fixed_effects)
    assert result.approach == ("direct" if fixed_effects == "none" else "transformation")
    truth = {"x1": 1.0, "x2": -0.5, "W_x1": 0.5, "W_x2": 0.3,
             result.spatial_name: planted["spatial"]}
    for name in result.params.index.drop("const", errors="ignore"):
        assert abs(result.params[name] - truth[name]) < 2 * result.std_errors[name], name
    # the transformation approach's sigma^2 has no incidental-parameter bias
    assert abs(result.sigma2 - 1.0) < 2 * result.sigma2_se
    assert 0 < result.rsquared < 1 and 0 < result.corr2 < 1


def test_sdem_wrapper_and_durbin_subset() -> None:
    w = knn(60, seed=4)
    frame = simulate_panel(w.matrix, 10, "sdem", beta=(1.0, -0.5), theta=(0.5, 0.0),
                           spatial=0.4, seed=8)
    result = fit_sdem_panel(frame, "y", ["x1", "x2"], ["x1"], "i", "t", w, time_effects=True)
    assert list(result.params.index) == ["x1", "x2", "W_x1", "lambda"]
    assert result.model == "sdem" and result.fixed_effects == "twoways"
    with pytest.raises(ValueError, match="Durbin terms"):
        fit_sdem_panel(frame, "y", ["x1"], ["x2"], "i", "t", w)


def test_symmetric_eigen_path_agrees_with_the_general_solver() -> None:
    w = random_knn_weights(120, seed=9)
    assert not np.allclose(w, w.T) and symmetrising_scale(w) is not None
    np.testing.assert_allclose(weights_eigenvalues(w), np.sort(np.linalg.eigvals(w).real),
                               atol=1e-10)
    # an asymmetric kNN (not symmetrised) is not similar to a symmetric matrix by scaling
    points = np.random.default_rng(2).uniform(size=(40, 2))
    dist = np.linalg.norm(points[:, None] - points[None, :], axis=2)
    np.fill_diagonal(dist, np.inf)
    directed = np.zeros((40, 40))
    directed[np.repeat(np.arange(40), 4), np.argsort(dist, axis=1)[:, :4].ravel()] = 0.25
    assert symmetrising_scale(directed) is None
    eig = weights_eigenvalues(directed)
    assert np.prod(1 - 0.3 * eig).real == pytest.approx(np.linalg.det(np.eye(40) - 0.3 * directed))


def test_alternatives_reported_beside_the_default() -> None:
    w = knn(50, seed=1)
    frame = simulate_panel(w.matrix, 6, "sar", beta=(1.0, -0.5), spatial=0.4, seed=3)
    result = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar", "twoways")
    alone = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar", "twoways",
                              alternatives=False)
    pd.testing.assert_series_equal(result.params, alone.params)  # never replaced
    assert alone.alternatives == {} and result.approach == "transformation"
    direct, corrected = result.alternatives["direct"], result.alternatives["direct_bc"]
    assert corrected.approach == "direct_bc"
    assert corrected.rho > direct.rho  # the correction raises the downward-biased rho
    assert corrected.sigma2 > direct.sigma2 * 6 / 5  # more than the T/(T-1) factor alone
    # the default's sigma^2 is e'e / ((N-1)(T-1)) of its own residuals
    assert result.sigma2 > direct.sigma2 * 6 / 5
    entity = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar", "entity")
    entity_direct = entity.alternatives["direct"]
    # with entity effects only, the transformation approach's likelihood is the direct one
    # with T -> T-1: the same b and rho, sigma^2 scaled by T/(T-1) = 6/5
    np.testing.assert_allclose(entity.params, entity_direct.params, rtol=1e-7)
    assert entity.sigma2 == pytest.approx(entity_direct.sigma2 * 6 / 5)
    pd.testing.assert_series_equal(entity.alternatives["direct_bc"].params,
                                   entity_direct.params)
    assert entity.alternatives["direct_bc"].sigma2 == pytest.approx(entity_direct.sigma2 * 6 / 5)
    summary = result.summary()
    assert "Lee-Yu transformation" in summary and "bc = 1" in summary
    compared = result.compare_approaches()
    assert compared.loc["rho", "direct"] == pytest.approx(direct.rho)
    assert compared.loc["rho", "Lee-Yu transformation"] == pytest.approx(result.rho)


def test_bc_monte_carlo_small_t() -> None:
    """T = 5, N = 60, two-way SAR: Elhorst's bc = 1 sigma^2 is closer to the truth (1.0)."""
    n, t, rho, replications = 60, 5, 0.4, 40
    w = knn(n, seed=12)
    estimates = []
    for seed in range(replications):
        frame = simulate_panel(w.matrix, t, "sar", beta=(1.0, -0.5), spatial=rho,
                               seed=100 + seed)
        fit = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar", "twoways",
                                approach="direct")
        bc = fit.alternatives["direct_bc"]
        estimates.append((fit.rho, bc.rho, fit.sigma2, bc.sigma2))
    rho_plain, rho_ly, s2_plain, s2_ly = np.mean(estimates, axis=0)
    print(f"\nbc = 1 Monte Carlo (N={n}, T={t}, {replications} replications, rho={rho}, "
          f"sigma2=1): bias of rho direct {rho_plain - rho:+.4f}, corrected "
          f"{rho_ly - rho:+.4f}; bias of sigma2 direct {s2_plain - 1:+.4f}, corrected "
          f"{s2_ly - 1:+.4f}")
    assert abs(s2_ly - 1) < abs(s2_plain - 1)
    assert abs(s2_ly - 1) < 0.05 and s2_plain < 0.85  # uncorrected ~ (N-1)(T-1)/(NT) = 0.79


def test_invalid_arguments_are_refused(munnell) -> None:
    frame, w = munnell
    with pytest.raises(ValueError, match="model must be"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, "sac")
    with pytest.raises(ValueError, match="fixed_effects"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, "sar", "both")
    with pytest.raises(ValueError, match="approach must be"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, approach="bc")
    with pytest.raises(ValueError, match="balanced panel"):
        fit_spatial_panel(frame.iloc[1:], "lgsp", REGRESSORS, "state", "year", w)
    with pytest.raises(TypeError, match="SpatialWeights"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w.matrix)


def test_lag_conventions_agree_without_time_effects() -> None:
    w = knn(40, seed=2)
    frame = simulate_panel(w.matrix, 6, "sar", beta=(1.0, -0.5), spatial=0.4, seed=4)
    fits = {(fe, c): fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar", fe,
                                       approach="direct", lag_convention=c, alternatives=False)
            for fe in ("entity", "twoways") for c in ("splm", "transformed")}
    # W commutes with demeaning over time, not with demeaning over units
    assert fits[("entity", "splm")].rho == pytest.approx(fits[("entity", "transformed")].rho,
                                                         abs=1e-10)
    assert fits[("twoways", "splm")].rho != pytest.approx(fits[("twoways", "transformed")].rho,
                                                          abs=1e-6)
