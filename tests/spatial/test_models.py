"""SAR, SEM, SDM and SDEM panels: Munnell references (methods README sec. 8), spreg's SDM,
recovery of planted parameters, the eigenvalue paths and the Lee-Yu correction."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.eigen import symmetrising_scale, weights_eigenvalues
from models_py.spatial.panel_ml import fit_sdem_panel, fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


def fit_munnell(munnell, model: str, fixed_effects: str):
    frame, w, order = munnell
    return fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, order, model,
                             fixed_effects)


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
    assert result.lee_yu is not None and result.correction == "none"


def test_munnell_standard_errors(munnell) -> None:
    sar = fit_munnell(munnell, "sar", "entity")
    np.testing.assert_allclose(sar.std_errors, [0.025442, 0.023044, 0.029704, 0.000865,
                                                0.023516], atol=1e-4)
    sem = fit_munnell(munnell, "sem", "entity")
    assert sem.std_errors["lambda"] == pytest.approx(0.033075, abs=1e-4)


def test_sdm_matches_spreg_ml_lagfe(munnell) -> None:
    import libpysal
    import spreg

    frame, w, order = munnell
    sdm = fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, order, "sdm",
                            "entity")
    stacked = (frame.assign(_pos=frame["state"].map({s: i for i, s in enumerate(order)}))
               .sort_values(["year", "_pos"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = libpysal.weights.full2W(w)
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
    w = random_knn_weights(80, seed=3)
    planted = PLANTED[model]
    frame = simulate_panel(w, 15, model, seed=5, fixed_effects=fixed_effects, **planted)
    result = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(80)), model,
                               fixed_effects)
    if fixed_effects == "time":  # O(1/N) bias of the direct approach: Lee-Yu's estimates
        result = result.lee_yu
    truth = {"x1": 1.0, "x2": -0.5, "W_x1": 0.5, "W_x2": 0.3,
             result.spatial_name: planted["spatial"]}
    for name in result.params.index.drop("const", errors="ignore"):
        assert abs(result.params[name] - truth[name]) < 2 * result.std_errors[name], name
    # sigma^2 of the demeaned model is biased by the incidental parameters; Lee-Yu's is not
    sigma2 = result.lee_yu if result.lee_yu is not None else result
    assert abs(sigma2.sigma2 - 1.0) < 2 * sigma2.sigma2_se
    assert 0 < result.rsquared < 1 and 0 < result.corr2 < 1


def test_sdem_wrapper_and_durbin_subset() -> None:
    w = random_knn_weights(60, seed=4)
    frame = simulate_panel(w, 10, "sdem", beta=(1.0, -0.5), theta=(0.5, 0.0), spatial=0.4,
                           seed=8)
    result = fit_sdem_panel(frame, "y", ["x1", "x2"], ["x1"], "i", "t", w, list(range(60)),
                            time_effects=True)
    assert list(result.params.index) == ["x1", "x2", "W_x1", "lambda"]
    assert result.model == "sdem" and result.fixed_effects == "twoways"
    with pytest.raises(ValueError, match="Durbin terms"):
        fit_sdem_panel(frame, "y", ["x1"], ["x2"], "i", "t", w, list(range(60)))


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


def test_lee_yu_reported_beside_the_uncorrected_estimates() -> None:
    w = random_knn_weights(50, seed=1)
    frame = simulate_panel(w, 6, "sar", beta=(1.0, -0.5), spatial=0.4, seed=3)
    result = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(50)), "sar",
                               "twoways")
    plain = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(50)), "sar",
                              "twoways", lee_yu=False)
    pd.testing.assert_series_equal(result.params, plain.params)  # never replaced
    corrected = result.lee_yu
    assert corrected.correction == "lee_yu" and plain.lee_yu is None
    assert corrected.rho > result.rho  # the correction raises the downward-biased rho
    assert corrected.sigma2 > result.sigma2 * 6 / 5  # more than the T/(T-1) factor alone
    entity = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(50)), "sar",
                               "entity")
    pd.testing.assert_series_equal(entity.lee_yu.params, entity.params)
    assert entity.lee_yu.sigma2 == pytest.approx(entity.sigma2 * 6 / 5)
    assert "Lee and Yu (2010)" in result.summary()


def test_lee_yu_monte_carlo_small_t() -> None:
    """T = 5, N = 60, two-way SAR: the corrected sigma^2 is closer to the truth (1.0)."""
    n, t, rho, replications = 60, 5, 0.4, 40
    w = random_knn_weights(n, seed=12)
    eig = weights_eigenvalues(w)
    estimates = []
    for seed in range(replications):
        frame = simulate_panel(w, t, "sar", beta=(1.0, -0.5), spatial=rho, seed=100 + seed)
        fit = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(n)), "sar",
                                "twoways", eigenvalues=eig)
        estimates.append((fit.rho, fit.lee_yu.rho, fit.sigma2, fit.lee_yu.sigma2))
    rho_plain, rho_ly, s2_plain, s2_ly = np.mean(estimates, axis=0)
    print(f"\nLee-Yu Monte Carlo (N={n}, T={t}, {replications} replications, rho={rho}, "
          f"sigma2=1): bias of rho uncorrected {rho_plain - rho:+.4f}, corrected "
          f"{rho_ly - rho:+.4f}; bias of sigma2 uncorrected {s2_plain - 1:+.4f}, corrected "
          f"{s2_ly - 1:+.4f}")
    assert abs(s2_ly - 1) < abs(s2_plain - 1)
    assert abs(s2_ly - 1) < 0.05 and s2_plain < 0.85  # uncorrected ~ (N-1)(T-1)/(NT) = 0.79


def test_invalid_arguments_are_refused(munnell) -> None:
    frame, w, order = munnell
    with pytest.raises(ValueError, match="model must be"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, order, "sac")
    with pytest.raises(ValueError, match="fixed_effects"):
        fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, order, "sar", "both")
    with pytest.raises(ValueError, match="balanced panel"):
        fit_spatial_panel(frame.iloc[1:], "lgsp", REGRESSORS, "state", "year", w, order)


def test_lag_conventions_agree_without_time_effects() -> None:
    w = random_knn_weights(40, seed=2)
    frame = simulate_panel(w, 6, "sar", beta=(1.0, -0.5), spatial=0.4, seed=4)
    fits = {(fe, c): fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, list(range(40)),
                                       "sar", fe, lag_convention=c)
            for fe in ("entity", "twoways") for c in ("splm", "transformed")}
    # W commutes with demeaning over time, not with demeaning over units
    assert fits[("entity", "splm")].rho == pytest.approx(fits[("entity", "transformed")].rho,
                                                         abs=1e-10)
    assert fits[("twoways", "splm")].rho != pytest.approx(fits[("twoways", "transformed")].rho,
                                                          abs=1e-6)
