"""Panel unit-root tests against R plm's purtest on the Munnell data, and hand-computed parts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.adfvalues import mackinnonp
from statsmodels.tsa.stattools import adfuller

from models_py.estimation.unit_roots import (
    TEST_NAMES,
    fisher_combinations,
    mackinnon_pvalue,
    panel_unit_root_tests,
    phillips_perron_tau,
    select_lag,
    unit_adf,
)
from tests.estimation._munnell import load_munnell


def test_munnell_log_gsp_matches_plm_purtest() -> None:
    # R plm 2.6-2: purtest(log(gsp) ~ 1, data = Produc, index = c("state", "year"),
    # test = ..., lags = 1) (no urca: MacKinnon 1994 unit p-values); methods README section 8.
    result = panel_unit_root_tests(load_munnell(), "state", "year", "lgsp",
                                   deterministic="intercept", lags=1)
    by_test = result.set_index("test")
    expected = {
        "LLC t*": (-4.060992, 2.44e-05),
        "IPS W[t-bar]": (2.629322, 0.9957),
        "Fisher-ADF P (Maddala-Wu)": (83.259555, 0.8199),
        "Fisher-ADF Pm (Choi)": (-0.919462, None),
        "Fisher-ADF Z (Choi)": (2.919676, None),
        "Fisher-ADF L* (Choi)": (3.148110, None),
    }
    for test, (statistic, p_value) in expected.items():
        assert by_test.loc[test, "statistic"] == pytest.approx(statistic, abs=1e-3), test
        if p_value is not None:
            assert by_test.loc[test, "p_value"] == pytest.approx(p_value, rel=1e-2), test
    assert list(result["test"]) == list(TEST_NAMES)
    assert set(result["n_units"]) == {48} and set(result["n_periods"]) == {17}
    assert by_test.loc["LLC t*", "conclusion"] == "unit root rejected at 5%"
    assert by_test.loc["IPS W[t-bar]", "conclusion"] == "unit root not rejected at 5%"


def test_mackinnon_pvalues_agree_with_statsmodels() -> None:
    for deterministic, regression in (("intercept", "c"), ("trend", "ct")):
        for tau in (-6.0, -3.5, -2.89, -1.61, -0.5, 0.5):
            assert mackinnon_pvalue(tau, deterministic) == pytest.approx(
                mackinnonp(tau, regression, 1), rel=1e-10)


def test_fisher_combinations_by_hand() -> None:
    # Two units with p = 0.5 and p = 0.1 (g = Phi^-1(p) = 0 and -1.2815515655446004).
    g = np.array([0.0, -1.2815515655446004])
    out = fisher_combinations(g)
    assert out["P (Maddala-Wu)"][0] == pytest.approx(-2 * (np.log(0.5) + np.log(0.1)))
    assert out["Z (Choi)"][0] == pytest.approx(-1.2815515655446004 / np.sqrt(2))
    k = 3 * (5 * 2 + 4) / (np.pi ** 2 * 2 * (5 * 2 + 2))
    assert out["L* (Choi)"][0] == pytest.approx(np.sqrt(k) * np.log(0.1 / 0.9))
    assert out["Pm (Choi)"][0] == pytest.approx(-(np.log(0.5) + np.log(0.1) + 2) / np.sqrt(2))


def _random_walk(n: int, seed: int) -> np.ndarray:
    return np.cumsum(np.random.default_rng(seed).normal(size=n))


def test_unit_adf_is_statsmodels_t_without_df_correction() -> None:
    y = _random_walk(40, 1)
    for lags, deterministic, regression in ((0, "intercept", "c"), (2, "trend", "ct")):
        t_sm = adfuller(y, maxlag=lags, regression=regression, autolag=None,
                        result_object=False)[0]
        n, k = len(y) - lags - 1, 1 + lags + (1 if deterministic == "intercept" else 2)
        assert unit_adf(y, lags, deterministic).tstat == pytest.approx(
            t_sm * np.sqrt(n / (n - k)), rel=1e-10)


def test_phillips_perron_without_kernel_is_the_dickey_fuller_t() -> None:
    y = _random_walk(30, 2)
    t_df = adfuller(y, maxlag=0, regression="c", autolag=None,
                        result_object=False)[0]
    assert phillips_perron_tau(y, "intercept", bandwidth=0) == pytest.approx(t_df, rel=1e-10)


def test_bic_finds_the_autoregressive_lag() -> None:
    rng = np.random.default_rng(3)
    dy = np.zeros(300)
    for t in range(1, 300):
        dy[t] = 0.7 * dy[t - 1] + rng.normal()
    assert select_lag(np.cumsum(dy), "intercept", "bic", 4) == 1


def test_lag_choice_per_unit_is_reported() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame([(i, t, v) for i in range(30) for t, v in
                          enumerate(np.cumsum(rng.normal(size=10)))], columns=["id", "year", "x"])
    result = panel_unit_root_tests(frame, "id", "year", ["x"], lags="aic")
    assert (result["lag_selection"].iloc[0] == "AIC per unit, 0..1")
    assert 0 <= result["lags"].iloc[0] <= 1
    assert np.isfinite(result["statistic"]).all()


def test_unbalanced_panel_is_refused_with_the_missing_cell() -> None:
    frame = pd.DataFrame({"id": [1, 1, 2], "year": [2000, 2001, 2000], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="id = 2, year = 2001"):
        panel_unit_root_tests(frame, "id", "year", "x")


def _study_panel(rho: float, seed: int) -> pd.DataFrame:
    # 30 provinces x 10 years (the study's shape), y_t = mu_i + rho y_{t-1} + e_t after burn-in
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(30):
        mu, y, path = rng.normal(), 0.0, []
        for _ in range(60):
            y = mu * (1 - rho) + rho * y + rng.normal()
            path.append(y)
        rows += [(unit, 2011 + t, v) for t, v in enumerate(path[-10:])]
    return pd.DataFrame(rows, columns=["province", "year", "ce"])


def test_study_shape_stationary_and_unit_root_panels() -> None:
    stationary = panel_unit_root_tests(_study_panel(0.2, 5), "province", "year", "ce",
                                       lags=0).set_index("test")
    for test in ("LLC t*", "IPS W[t-bar]", "Fisher-ADF P (Maddala-Wu)",
                 "Fisher-PP P (Maddala-Wu)"):
        assert stationary.loc[test, "p_value"] < 0.01, test
    # With T = 10 only the tests built on the textbook (df-corrected) t and finite-T moments
    # keep their size: IPS and Choi's Z (LLC's kernel and the asymptotic unit p-values of the
    # P statistics reject far too often in so short a panel).
    walk = panel_unit_root_tests(_study_panel(1.0, 6), "province", "year", "ce", lags=0,
                                 df_correction=True).set_index("test")
    for test in ("IPS W[t-bar]", "Fisher-ADF Z (Choi)"):
        assert walk.loc[test, "p_value"] > 0.05, test


def test_df_correction_gives_the_textbook_adf_t() -> None:
    y = _random_walk(25, 7)
    t_sm = adfuller(y, maxlag=1, regression="c", autolag=None, result_object=False)[0]
    assert unit_adf(y, 1, "intercept", df_correction=True).tstat == pytest.approx(t_sm,
                                                                                  rel=1e-10)
