"""Two-way fixed effects against R plm on the Munnell data, and on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.estimation.panel_fe import PanelFixedEffects

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


@pytest.fixture(scope="module")
def munnell(munnell_panel: pd.DataFrame) -> pd.DataFrame:
    return munnell_panel


def fit(frame: pd.DataFrame, time_effects: bool, convention: str = "plm_hc1"):
    return PanelFixedEffects(frame, "lgsp", REGRESSORS, "state", "year", True, time_effects,
                             "entity", convention).fit()


def test_within_estimator_matches_plm(munnell: pd.DataFrame) -> None:
    # R plm 2.6-2: plm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, model = "within")
    np.testing.assert_allclose(fit(munnell, False).params,
                               [-0.026150, 0.292007, 0.768159, -0.005298], atol=1e-6)


def test_two_way_coefficients_and_hc1_cluster_errors_match_plm(munnell: pd.DataFrame) -> None:
    result = fit(munnell, True)
    np.testing.assert_allclose(result.params, [-0.030176, 0.168828, 0.769306, -0.004221],
                               atol=1e-6)
    # plm vcovHC(method = "arellano", type = "HC1", cluster = "group")
    np.testing.assert_allclose(result.std_errors, [0.057059, 0.083942, 0.083342, 0.003131],
                               atol=1e-6)
    assert result.nobs == 816 and result.n_entities == 48 and result.n_periods == 17


def test_stata_convention_is_the_documented_factor(munnell: pd.DataFrame) -> None:
    plm, stata = fit(munnell, True, "plm_hc1"), fit(munnell, True, "stata")
    n, k, groups, periods = 816, 4, 48, 17
    hc1 = n / (n - k)
    stata_factor = groups / (groups - 1) * (n - 1) / (n - (k + 1 + periods - 1))
    np.testing.assert_allclose(stata.std_errors, plm.std_errors * np.sqrt(stata_factor / hc1),
                               rtol=1e-12)
    np.testing.assert_allclose(stata.params, plm.params, rtol=1e-12)


def test_hand_computed_two_by_two_within_estimate() -> None:
    # y = 2 x + entity effect + time effect, exactly: the within slope is 2, residuals 0.
    frame = pd.DataFrame({"i": [1, 1, 2, 2, 3, 3], "t": [1, 2, 1, 2, 1, 2],
                          "x": [1.0, 3.0, 2.0, 7.0, 0.0, 1.0]})
    frame["y"] = 2 * frame["x"] + frame["i"].map({1: 5, 2: -1, 3: 0}) + frame["t"].map({1: 0, 2: 4})
    result = PanelFixedEffects(frame, "y", ["x"], "i", "t", cluster=None).fit()
    assert result.params["x"] == pytest.approx(2.0, abs=1e-12)
    assert result.rsquared_within == pytest.approx(1.0, abs=1e-12)


def test_recovers_known_coefficients_on_a_synthetic_panel() -> None:
    rng = np.random.default_rng(7)
    n, t = 60, 12
    frame = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n)})
    frame["x1"] = rng.normal(size=n * t) + 0.5 * frame["i"] / n
    frame["x2"] = rng.normal(size=n * t) + 0.1 * frame["t"]
    frame["y"] = (0.7 * frame["x1"] - 0.3 * frame["x2"] + rng.normal(size=n)[frame["i"]]
                  + rng.normal(size=t)[frame["t"]] + rng.normal(scale=0.5, size=n * t))
    result = PanelFixedEffects(frame, "y", ["x1", "x2"], "i", "t").fit()
    assert abs(result.params["x1"] - 0.7) < 2 * result.std_errors["x1"]
    assert abs(result.params["x2"] + 0.3) < 2 * result.std_errors["x2"]


def test_duplicated_panel_keys_are_refused() -> None:
    frame = pd.DataFrame({"i": [1, 1], "t": [1, 1], "x": [1.0, 2.0], "y": [1.0, 2.0]})
    with pytest.raises(ValueError, match="duplicated"):
        PanelFixedEffects(frame, "y", ["x"], "i", "t")


def test_hausman_matches_plm_phtest(munnell: pd.DataFrame) -> None:
    from models_py.estimation.hausman import hausman_fe_re

    # R plm 2.6-2 phtest, Swamy-Arora random effects: chi2 = 9.525416, df 4, p = 0.0492
    result = hausman_fe_re(munnell, "lgsp", REGRESSORS, "state", "year")
    assert result.chi2 == pytest.approx(9.525416, abs=1e-5)
    assert result.df == 4
    assert result.p_value == pytest.approx(0.0492, abs=1e-4)
    assert result.prefers_fixed_effects
