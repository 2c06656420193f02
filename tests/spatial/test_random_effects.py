"""Spatial lag panels with random effects and the spatial Hausman test: against R splm 1.6-5 on
the Munnell data (methods README sec. 8), against an independent dense likelihood, and by recovery
of planted values on seeded synthetic panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.estimation.protocol import EstimationResults
from models_py.spatial import random_effects
from models_py.spatial.effects import point_effects, simulated_effects
from models_py.spatial.eigen import weights_eigenvalues
from models_py.spatial.hausman import spatial_hausman, spatial_mundlak_test
from models_py.spatial.panel_ml import fit_spatial_panel, spatial_lag
from models_py.spatial.random_effects import fit_spatial_random_effects
from models_py.spatial.synthetic import random_knn_weights, simulate_random_effects_panel
from models_py.spatial.weights import SpatialWeights

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


def munnell_re(munnell, covariance: str):
    frame, w = munnell
    return fit_spatial_random_effects(frame, "lgsp", REGRESSORS, "state", "year", w,
                                      covariance=covariance)


def test_sar_random_effects_reproduce_splm(munnell) -> None:
    # splm 1.6-5: spml(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, data = Produc,
    # listw = mat2listw(usaww), model = "random", lag = TRUE, spatial.error = "none")
    result = munnell_re(munnell, "splm")
    np.testing.assert_allclose(result.params[["const", *REGRESSORS]],
                               [1.658150, 0.012945, 0.225554, 0.670811, -0.005797], atol=1e-6)
    np.testing.assert_allclose(result.std_errors[["const", *REGRESSORS]],
                               [0.150719, 0.024940, 0.021634, 0.026421, 0.000892], atol=1e-6)
    assert result.rho == pytest.approx(0.161615, abs=1e-6)
    assert result.phi == pytest.approx(21.3175, abs=1e-4)
    assert result.loglik == pytest.approx(1426.577, abs=1e-3)
    # splm's 0.029013 and 8.2631 come from nlme's fdHess (relative step eps^(1/3)), whose
    # rounding error is of this size; the analytic Hessian gives 0.0290563 and 8.29603 (checked
    # against finite differences below)
    assert result.std_errors["rho"] == pytest.approx(0.029013, rel=2e-3)
    assert result.std_errors["phi"] == pytest.approx(8.2631, rel=5e-3)
    assert result.std_errors["rho"] == pytest.approx(0.0290563, rel=1e-5)
    assert result.std_errors["phi"] == pytest.approx(8.29603, rel=1e-5)


def test_covariance_conventions_share_the_estimates(munnell) -> None:
    splm, hessian, information = (munnell_re(munnell, c) for c in ("splm", "hessian",
                                                                    "information"))
    pd.testing.assert_series_equal(splm.params, information.params)
    # splm's (rho, phi) errors are the (rho, phi) block of the observed information's inverse
    np.testing.assert_allclose(splm.cov.loc[["rho", "phi"], ["rho", "phi"]],
                               hessian.cov.loc[["rho", "phi"], ["rho", "phi"]], rtol=1e-10)
    # with rho's uncertainty the coefficients' errors grow (splm's GLS errors leave it out)
    assert (hessian.std_errors[REGRESSORS] > splm.std_errors[REGRESSORS]).all()
    assert information.std_errors["rho"] == pytest.approx(0.018822, rel=1e-4)


def test_spatial_hausman_reproduces_sphtest(munnell) -> None:
    frame, w = munnell
    # splm's FE fit: the direct approach with its lag convention (sigma^2 = e'e/NT)
    fixed = fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, "sar",
                              "entity", approach="direct", lag_convention="splm")
    # Elhorst's bc = 1 correction of it (with entity effects sigma^2 T/(T-1))
    corrected = fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", w, "sar",
                                  "entity", approach="direct_bc", lag_convention="splm")
    # splm: sphtest(fixed, random) with splm's covariances: chisq = 83.079, df = 4
    with pytest.warns(UserWarning, match="not positive definite"):
        test = spatial_hausman(fixed, munnell_re(munnell, "splm"))
    assert test.chi2 == pytest.approx(83.079, abs=1e-3)
    assert (test.df, test.terms, test.positive_definite) == (4, tuple(REGRESSORS), False)
    assert test.p_value < 2.2e-16
    # the statistic depends on the pairing of covariances; V_FE - V_RE is indefinite in every
    # pairing here: uncorrected FE with the RE expected information 118.8, with the RE Hessian
    # 8.96, the bc = 1 corrected FE with the RE expected information 9.22 (p = 0.056)
    # (an indefinite V_FE - V_RE is ill-conditioned: its pseudo-inverse amplifies rounding, and
    # the fourth or fifth digit depends on the machine's BLAS kernels: 118.8055 and 9.2213 on
    # one, 118.80537 and 9.2225 on another, with the same packages; three are asserted)
    pairings = {(fixed, "information"): 118.8055, (fixed, "hessian"): 8.9648,
                (corrected, "information"): 9.2213}
    for (fe, covariance), chi2 in pairings.items():
        with pytest.warns(UserWarning, match="not positive definite"):
            assert spatial_hausman(fe, munnell_re(munnell, covariance)).chi2 == pytest.approx(
                chi2, rel=1e-3)


def dense_loglik(frame: pd.DataFrame, w: np.ndarray, names: list[str], durbin: bool):
    """The random-effects SAR/SDM log-likelihood of (g, rho, phi, sigma^2) with Sigma and the
    determinants formed densely, independent of the estimator's within/between algebra."""
    n, t = len(w), frame["t"].nunique()
    k = len(names)
    x = frame[[c for c in names if c != "const" and not c.startswith("W_")]].to_numpy()
    big_w = np.kron(np.eye(t), w)
    z = np.hstack([np.ones((n * t, 1)), x, *([big_w @ x] if durbin else [])])
    y = frame["y"].to_numpy()
    wy = big_w @ y
    blocks = np.kron(np.ones((t, t)), np.eye(n))

    def loglik(params: np.ndarray) -> float:
        g, rho, phi, sigma2 = params[:k], params[k], params[k + 1], params[k + 2]
        e = y - rho * wy - z @ g
        sigma = phi * blocks + np.eye(n * t)
        return float(-0.5 * n * t * np.log(2 * np.pi * sigma2)
                     - e @ np.linalg.solve(sigma, e) / (2 * sigma2)
                     + np.linalg.slogdet(np.eye(n * t) - rho * big_w)[1]
                     - 0.5 * np.linalg.slogdet(sigma)[1])

    return loglik


@pytest.fixture(scope="module")
def small_sdm():
    w = random_knn_weights(20, k=4, seed=3)
    frame = simulate_random_effects_panel(w, 5, beta=(1.0, -0.5), theta=(0.4, 0.2), rho=0.3,
                                          phi=1.5, const=0.5, seed=4)
    return frame, w, fit_spatial_random_effects(frame, "y", ["x1", "x2"], "i", "t",
                                                SpatialWeights(w, range(20)), "sdm",
                                                covariance="hessian")


def test_maximum_and_observed_information_match_the_dense_likelihood(small_sdm) -> None:
    frame, w, result = small_sdm
    names = list(result.params.index[:-2])
    # the dense likelihood's order: (g, rho, phi, sigma^2)
    point = np.concatenate([result.params[names], [result.rho, result.phi, result.sigma2]])

    loglik = dense_loglik(frame, w, names, durbin=True)
    assert loglik(point) == pytest.approx(result.loglik, rel=1e-12)
    m = len(point)
    steps = 1e-4 * np.maximum(np.abs(point), 0.1)
    gradient = np.zeros(m)
    hessian = np.zeros((m, m))
    for i in range(m):
        di = np.eye(m)[i] * steps[i]
        gradient[i] = (loglik(point + di) - loglik(point - di)) / (2 * steps[i])
        for j in range(i, m):
            dj = np.eye(m)[j] * steps[j]
            hessian[i, j] = hessian[j, i] = (
                loglik(point + di + dj) - loglik(point + di - dj) - loglik(point - di + dj)
                + loglik(point - di - dj)) / (4 * steps[i] * steps[j])
    np.testing.assert_allclose(gradient * np.sqrt(np.diag(-hessian)) ** -1, 0, atol=1e-5)
    numerical = np.linalg.inv(-hessian)[:-1, :-1]
    reported = result.cov.loc[[*names, "rho", "phi"], [*names, "rho", "phi"]].to_numpy()
    np.testing.assert_allclose(reported, numerical, rtol=1e-4,
                               atol=1e-6 * np.abs(numerical).max())


def test_effects_of_the_random_effects_sdm_follow_the_matrix_definition(small_sdm) -> None:
    _, w, result = small_sdm
    effects = point_effects(result)
    inverse = np.linalg.inv(np.eye(len(w)) - result.rho * w)
    for name in ("x1", "x2"):
        s = inverse @ (result.params[name] * np.eye(len(w)) + result.params[f"W_{name}"] * w)
        np.testing.assert_allclose(effects.loc[name, ["direct", "total"]],
                                   [np.trace(s) / len(w), s.sum() / len(w)], rtol=1e-10)
    drawn = simulated_effects(result, draws=200).set_index(["term", "effect"])
    assert drawn.loc[("x1", "total"), "mean"] == pytest.approx(effects.loc["x1", "total"],
                                                               rel=0.05)


def test_expected_information_is_the_mean_observed_information() -> None:
    # at the true parameters, the observed information averaged over panels drawn from the model
    # converges to the expected information (the default covariance)
    n, t, rho, phi, sigma2 = 30, 5, 0.4, 1.5, 1.0
    w = random_knn_weights(n, seed=3)
    eig, inverse = weights_eigenvalues(w), np.linalg.inv(np.eye(n) - rho * w)
    template = random_effects._panel(
        simulate_random_effects_panel(w, t, beta=(1.0, -0.5), theta=(0.4, 0.2), rho=rho,
                                      phi=phi, seed=0),
        "y", ["x1", "x2"], ["x1", "x2"], "i", "t", w, list(range(n)))
    coef = np.array([0.5, 1.0, -0.5, 0.4, 0.2])
    rng = np.random.default_rng(5)
    draws = 2000

    def cross_products(panel):
        v = np.column_stack([panel.y, panel.wy, panel.z])
        between = v.T @ panel.unit_means(v)
        return random_effects._CrossProducts(v.T @ v - between, between)

    observed = []
    for _ in range(draws):
        shocks = (template.z @ coef).reshape(t, n) + rng.normal(scale=np.sqrt(phi), size=n)
        y = (inverse @ (shocks + rng.normal(size=(t, n))).T).T.ravel()
        panel = random_effects._Panel(y, spatial_lag(y, w, n), template.z, template.names, n, t)
        observed.append(random_effects._observed_information(
            panel, cross_products(panel), coef, rho, phi, sigma2, eig))
    expected = random_effects._expected_information(template, cross_products(template), coef,
                                                    rho, phi, sigma2, eig, w)
    observed = np.array(observed)
    # within four Monte Carlo standard errors, element by element (the exact ones have none)
    error = observed.std(axis=0) / np.sqrt(draws)
    assert (np.abs(observed.mean(axis=0) - expected) <= 4 * error + 1e-9 * np.abs(expected)).all()
    # and that error is small beside the terms it tests: the rho-phi term, for one, is 5 % of
    # the geometric mean of its diagonal elements here and its Monte Carlo error 0.24 %
    scale = np.sqrt(np.outer(np.diag(expected), np.diag(expected)))
    assert (error / scale).max() < 0.015


@pytest.mark.parametrize("model", ["sar", "sdm"])
def test_planted_values_are_recovered(model: str) -> None:
    w = random_knn_weights(150, seed=11)
    theta = (0.5, -0.3) if model == "sdm" else ()
    frame = simulate_random_effects_panel(w, 8, beta=(1.0, -0.5), theta=theta, rho=0.4,
                                          phi=2.0, const=1.0, sigma=0.5, seed=12)
    weights = SpatialWeights(w, range(150))
    result = fit_spatial_random_effects(frame, "y", ["x1", "x2"], "i", "t", weights, model)
    planted = pd.Series({"const": 1.0, "x1": 1.0, "x2": -0.5, "rho": 0.4, "phi": 2.0,
                         **({"W_x1": 0.5, "W_x2": -0.3} if model == "sdm" else {})})
    z = (result.params[planted.index] - planted) / result.std_errors[planted.index]
    assert (z.abs() < 3).all(), z
    assert result.sigma2 == pytest.approx(0.25, rel=0.1)
    # the model holds: observed and expected information agree
    hessian = fit_spatial_random_effects(frame, "y", ["x1", "x2"], "i", "t", weights, model,
                                         covariance="hessian")
    np.testing.assert_allclose(hessian.std_errors, result.std_errors, rtol=0.03)


def test_hausman_accepts_random_effects_when_they_hold_and_rejects_them_otherwise() -> None:
    w = random_knn_weights(120, seed=21)
    weights = SpatialWeights(w, range(120))

    def test(correlation: float):
        frame = simulate_random_effects_panel(w, 6, beta=(1.0, -0.5), theta=(0.5, 0.2),
                                              rho=0.3, phi=1.0, correlation=correlation,
                                              seed=25)
        fixed = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", weights, "sdm", "entity")
        random = fit_spatial_random_effects(frame, "y", ["x1", "x2"], "i", "t", weights, "sdm")
        return spatial_hausman(fixed, random)

    held = test(0.0)
    assert held.terms == ("x1", "x2", "W_x1", "W_x2")
    assert held.positive_definite
    assert held.p_value > 0.05
    with pytest.warns(UserWarning, match="not positive definite"):
        assert test(1.0).p_value < 1e-6


def test_mundlak_form_rejects_random_effects_on_munnell_in_every_convention(munnell) -> None:
    frame, w = munnell
    for covariance, chi2 in (("information", 46.3611), ("hessian", 39.8888), ("splm", 62.7311)):
        test = spatial_mundlak_test(frame, "lgsp", REGRESSORS, "state", "year", w,
                                    covariance=covariance)
        assert test.terms == tuple(f"mean_{x}" for x in REGRESSORS)
        assert test.chi2 == pytest.approx(chi2, abs=1e-4)
        assert test.p_value < 1e-7
    sdm = spatial_mundlak_test(frame, "lgsp", REGRESSORS, "state", "year", w, "sdm")
    assert sdm.df == 8 and sdm.terms[4:] == tuple(f"W_mean_{x}" for x in REGRESSORS)


def test_mundlak_form_on_synthetic_panels() -> None:
    w = random_knn_weights(120, seed=21)
    p_values = [spatial_mundlak_test(
        simulate_random_effects_panel(w, 6, beta=(1.0, -0.5), theta=(0.5, 0.2), rho=0.3,
                                      phi=1.0, correlation=correlation, seed=25),
        "y", ["x1", "x2"], "i", "t", SpatialWeights(w, range(120)), "sdm").p_value
        for correlation in (0.0, 0.3)]
    assert p_values[0] > 0.05
    assert p_values[1] < 1e-4


def test_results_follow_the_protocol(munnell) -> None:
    result = munnell_re(munnell, "information")
    assert isinstance(result, EstimationResults)
    assert result.statistic_kind == "z"
    assert result.nobs == 816
    assert list(result.to_frame().columns) == ["term", "estimate", "std_error", "statistic",
                                               "p_value"]
    assert list(result.to_frame()["term"]) == ["const", *REGRESSORS, "phi", "rho"]
    stats = result.fit_statistics()
    assert stats["nobs"] == 816 and stats["loglik"] == result.loglik
    assert stats["sigma2_mu"] == pytest.approx(result.phi * result.sigma2)
    assert "rho" in result.summary()


def test_bad_panels_are_refused_with_what_is_wrong(munnell) -> None:
    frame, w = munnell
    broken = frame.copy()
    broken.loc[broken.index[3], "lpc"] = np.nan
    with pytest.raises(ValueError, match=r"ALABAMA/1973:lpc"):
        fit_spatial_random_effects(broken, "lgsp", REGRESSORS, "state", "year", w)
    with pytest.raises(ValueError, match="balanced panel"):
        fit_spatial_random_effects(frame.iloc[1:], "lgsp", REGRESSORS, "state", "year", w)
    with pytest.raises(ValueError, match="T >= 2"):
        one_year = frame[frame["year"] == 1970]
        fit_spatial_random_effects(one_year, "lgsp", REGRESSORS, "state", "year", w)
    with pytest.raises(ValueError, match="not among the ids of W"):
        fit_spatial_random_effects(frame, "lgsp", REGRESSORS, "state", "year",
                                   SpatialWeights(w.matrix, range(48)))
    with pytest.raises(ValueError, match="collinear"):
        fit_spatial_random_effects(frame.assign(twice=2 * frame["lpc"]), "lgsp",
                                   [*REGRESSORS, "twice"], "state", "year", w)
