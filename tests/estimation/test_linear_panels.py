"""Fixed and random effects by linearmodels against R plm on the Munnell data, against a
dummy-variable regression by numpy and on hand-computed and planted panels, the Stata
conventions, the constant row, other absorbed effects, duplicated keys and the Hausman test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from models_py.estimation.hausman import hausman_fe_re, hausman_test
from models_py.estimation.linear_panels import FixedEffectsPanel, RandomEffectsPanel
from models_py.estimation.protocol import EstimationResults
from tests.estimation._munnell import load_munnell

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


@pytest.fixture(scope="module")
def munnell() -> pd.DataFrame:
    frame = load_munnell()
    frame["region_year"] = frame["region"].astype(str) + "-" + frame["year"].astype(str)
    return frame


def fixed(frame: pd.DataFrame, **options) -> object:
    return FixedEffectsPanel(frame, "lgsp", REGRESSORS, "state", "year", **options).fit()


def test_two_way_coefficients_and_hc1_cluster_errors_match_plm(munnell: pd.DataFrame) -> None:
    result = fixed(munnell, time_effects=True, se_convention="plm_hc1")
    assert isinstance(result, EstimationResults) and result.statistic_kind == "t"
    np.testing.assert_allclose(result.params[REGRESSORS],
                               [-0.030176, 0.168828, 0.769306, -0.004221], atol=1e-6)
    # plm vcovHC(method = "arellano", type = "HC1", cluster = "group")
    np.testing.assert_allclose(result.std_errors[REGRESSORS],
                               [0.057059, 0.083942, 0.083342, 0.003131], atol=1e-6)
    fit = result.fit_statistics()
    assert (fit["nobs"], fit["n_entities"], fit["n_periods"]) == (816, 48, 17)
    assert fit["df_absorbed"] == 48 + 17 - 1 and fit["n_clusters"] == 48
    assert list(result.to_frame()["term"]) == [*REGRESSORS, "const"]


def test_within_coefficients_match_plm(munnell: pd.DataFrame) -> None:
    result = fixed(munnell, cov_type="unadjusted")
    np.testing.assert_allclose(result.params[REGRESSORS],
                               [-0.026150, 0.292007, 0.768159, -0.005298], atol=1e-6)


def test_two_way_fit_matches_a_dummy_variable_regression(munnell: pd.DataFrame) -> None:
    # LSDV by numpy: the regressors, 48 state dummies and 16 year dummies (1970's dropped)
    n, k, states = 816, 4, 48
    z = np.column_stack([munnell[REGRESSORS].to_numpy(),
                         pd.get_dummies(munnell["state"], dtype=float).to_numpy(),
                         pd.get_dummies(munnell["year"], dtype=float).to_numpy()[:, 1:]])
    y = munnell["lgsp"].to_numpy()
    coef, _, rank, _ = np.linalg.lstsq(z, y, rcond=None)
    assert rank == z.shape[1] == k + 48 + 16
    resid = y - z @ coef
    bread = np.linalg.inv(z.T @ z)
    df_resid = n - rank                       # 748 = N - k - (48 + 17 - 1)
    classical = np.sqrt(np.diag(bread)[:k] * (resid @ resid) / df_resid)
    scores = np.zeros((states, z.shape[1]))
    np.add.at(scores, pd.factorize(munnell["state"])[0], z * resid[:, None])
    sandwich = (bread @ scores.T @ scores @ bread)[:k, :k]
    # Stata's factor G/(G-1) (N-1)/(N-K), K = 4 slopes + constant + 16 year dummies
    clustered = np.sqrt(np.diag(sandwich) * states / (states - 1) * (n - 1) / (n - 21))
    for cov_type, cluster, expected in (("unadjusted", None, classical),
                                        ("clustered", "entity", clustered)):
        ours = fixed(munnell, time_effects=True, cov_type=cov_type, cluster=cluster)
        np.testing.assert_allclose(ours.params[REGRESSORS], coef[:k], rtol=1e-8)
        np.testing.assert_allclose(ours.std_errors[REGRESSORS], expected, rtol=1e-9)
        assert ours.fit_statistics()["df_resid"] == df_resid


def test_stata_convention_is_the_documented_factor(munnell: pd.DataFrame) -> None:
    # Stata's factor G/(G-1) (N-1)/(N-K), K = 4 slopes + constant + 16 year dummies
    plm = fixed(munnell, time_effects=True, se_convention="plm_hc1")
    stata = fixed(munnell, time_effects=True, se_convention="stata")
    ratio = (48 / 47 * 815 / (816 - 21)) / (816 / 812)
    np.testing.assert_allclose(stata.std_errors, plm.std_errors * np.sqrt(ratio), rtol=1e-12)
    np.testing.assert_allclose(stata.params, plm.params, rtol=1e-12)
    assert stata.pvalues["lemp"] == pytest.approx(
        2 * stats.t.sf(abs(stata.tstats["lemp"]), 47))


def test_hand_computed_exact_two_way_panel() -> None:
    # y = 2 x + entity effect + time effect, exactly: the within slope is 2, residuals 0.
    frame = pd.DataFrame({"i": [1, 1, 2, 2, 3, 3], "t": [1, 2, 1, 2, 1, 2],
                          "x": [1.0, 3.0, 2.0, 7.0, 0.0, 1.0]})
    frame["y"] = 2 * frame["x"] + frame["i"].map({1: 5, 2: -1, 3: 0}) + frame["t"].map({1: 0, 2: 4})
    result = FixedEffectsPanel(frame, "y", ["x"], "i", "t", time_effects=True,
                               cov_type="unadjusted").fit()
    assert result.params["x"] == pytest.approx(2.0, abs=1e-12)
    assert result.fit_statistics()["r2_within"] == pytest.approx(1.0, abs=1e-12)
    # the constant, mean(y) - 2 mean(x): the mean entity effect (5 - 1 + 0) / 3 plus the mean
    # time effect (0 + 4) / 2
    assert result.params["const"] == pytest.approx(4 / 3 + 2, abs=1e-12)


def test_recovers_known_coefficients_on_a_synthetic_panel() -> None:
    rng = np.random.default_rng(7)
    n, t = 60, 12
    frame = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n)})
    frame["x1"] = rng.normal(size=n * t) + 0.5 * frame["i"] / n
    frame["x2"] = rng.normal(size=n * t) + 0.1 * frame["t"]
    frame["y"] = (0.7 * frame["x1"] - 0.3 * frame["x2"] + rng.normal(size=n)[frame["i"]]
                  + rng.normal(size=t)[frame["t"]] + rng.normal(scale=0.5, size=n * t))
    result = FixedEffectsPanel(frame, "y", ["x1", "x2"], "i", "t", time_effects=True).fit()
    assert abs(result.params["x1"] - 0.7) < 2 * result.std_errors["x1"]
    assert abs(result.params["x2"] + 0.3) < 2 * result.std_errors["x2"]


def test_duplicated_panel_keys_are_refused_by_name() -> None:
    frame = pd.DataFrame({"i": ["a", "a", "b", "b", "b", "c"], "t": [1, 1, 1, 2, 2, 1],
                          "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}).assign(y=lambda f: f["x"])
    with pytest.raises(ValueError, match=r"2 \(i, t\) pairs appear more than once: "
                                         r"\('a', 1\) 2 times, \('b', 2\) 2 times"):
        FixedEffectsPanel(frame, "y", ["x"], "i", "t")


def test_constant_is_stata_xtreg_fe_average_effect(munnell: pd.DataFrame) -> None:
    result = fixed(munnell, cov_type="unadjusted")
    means = munnell[REGRESSORS].mean()
    b = result.params[REGRESSORS]
    assert result.params["const"] == pytest.approx(munnell["lgsp"].mean() - means @ b)
    # classical variance of _cons: s^2 / N + mean(x)' V_b mean(x)
    v = result.cov.loc[REGRESSORS, REGRESSORS]
    expected = result.fit_statistics()["sigma2"] / 816 + means @ v @ means
    assert result.std_errors["const"] == pytest.approx(np.sqrt(expected), rel=1e-8)


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_group_by_year_effect_equals_dummy_regression(munnell: pd.DataFrame) -> None:
    result = fixed(munnell, time_effects=True, other_effects=["region_year"],
                   cov_type="unadjusted")
    assert result.effects == ("entity", "region_year")   # the year effect is nested
    dummies = pd.get_dummies(munnell[["state", "region_year"]], drop_first=True, dtype=float)
    design = sm.add_constant(pd.concat([munnell[REGRESSORS], dummies], axis=1))
    lsdv = sm.OLS(munnell["lgsp"], design).fit()
    np.testing.assert_allclose(result.params[REGRESSORS], lsdv.params[REGRESSORS], rtol=1e-7)
    np.testing.assert_allclose(result.std_errors[REGRESSORS], lsdv.bse[REGRESSORS], rtol=1e-7)
    # states are nested in the 9 regions: 48 + 153 dummies, less one per region (the dummies
    # of a region's years and of its states have the same sum)
    assert result.fit_statistics()["df_absorbed"] == 48 + 9 * 17 - 9
    assert result.fit_statistics()["df_resid"] == lsdv.df_resid


def test_random_effects_match_plm_swamy_arora(munnell: pd.DataFrame) -> None:
    # plm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, data = Produc,
    # model = "random"): the example of the plm vignette
    result = RandomEffectsPanel(munnell, "lgsp", REGRESSORS, "state", "year").fit()
    np.testing.assert_allclose(result.params[[*REGRESSORS, "const"]],
                               [0.0044386, 0.3105484, 0.7296705, -0.0061725, 2.1354110],
                               atol=1e-6)
    np.testing.assert_allclose(result.std_errors[[*REGRESSORS, "const"]],
                               [0.0234173, 0.0198047, 0.0249202, 0.0009073, 0.1334615],
                               atol=1e-6)
    assert isinstance(result, EstimationResults)


def test_hausman_from_the_results_objects_matches_plm(munnell: pd.DataFrame) -> None:
    within = fixed(munnell, cov_type="unadjusted")
    random = RandomEffectsPanel(munnell, "lgsp", REGRESSORS, "state", "year").fit()
    result = hausman_test(within, random)
    # plm phtest: chi2 = 9.525416, df 4, p = 0.0492
    assert result.chi2 == pytest.approx(9.525416, abs=1e-5)
    assert result.df == 4 and result.p_value == pytest.approx(0.0492, abs=1e-4)


def test_three_unnested_effects_are_refused(munnell: pd.DataFrame) -> None:
    munnell = munnell.assign(size=(munnell["state"].str.len() % 3).astype(str)
                             + munnell["year"].astype(str).str[-1])
    with pytest.raises(ValueError, match="more than the two"):
        FixedEffectsPanel(munnell, "lgsp", REGRESSORS, "state", "year", True, True,
                          other_effects=["size"])


def test_hausman_refuses_robust_covariances(munnell: pd.DataFrame) -> None:
    clustered = fixed(munnell)
    random = RandomEffectsPanel(munnell, "lgsp", REGRESSORS, "state", "year").fit()
    with pytest.raises(ValueError, match="fixed-effects model has a clustered covariance"):
        hausman_test(clustered, random)


def test_hausman_from_the_data_matches_plm_phtest(munnell: pd.DataFrame) -> None:
    # R plm 2.6-2 phtest, Swamy-Arora random effects: chi2 = 9.525416, df 4, p = 0.0492
    result = hausman_fe_re(munnell, "lgsp", REGRESSORS, "state", "year")
    assert result.chi2 == pytest.approx(9.525416, abs=1e-5)
    assert result.df == 4
    assert result.p_value == pytest.approx(0.0492, abs=1e-4)
    assert result.prefers_fixed_effects
