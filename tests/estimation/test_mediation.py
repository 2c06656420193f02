"""Mediation: Sobel by hand, the three regressions against the FE estimator, and the unit
bootstrap on a planted panel (truth inside the intervals, seeded); its speed is
benchmarks/mediation_bootstrap.py's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.estimation.linear_panels import FixedEffectsPanel
from models_py.estimation.mediation import (
    bootstrap_mediation,
    mediation_analysis,
    mediation_verdict,
    sobel_test,
)

A, B, DIRECT = -0.3, 0.4, -0.3   # planted paths: indirect a b = -0.12


def planted_panel(seed: int = 7, units: int = 30, periods: int = 10, outcomes: int = 5,
                  b: float = B) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(units), periods)
    year = np.tile(np.arange(2011, 2011 + periods), units)
    alpha, lam = rng.normal(size=units), rng.normal(size=periods)
    x = 0.5 * alpha[unit] + 0.5 * lam[year - 2011] + rng.normal(size=unit.size)
    w = rng.normal(size=unit.size)
    m = (A * x + 0.3 * w + rng.normal(size=units)[unit] + rng.normal(size=periods)[year - 2011]
         + 0.3 * rng.normal(size=unit.size))
    frame = pd.DataFrame({"province": unit, "year": year, "x": x, "m": m, "w": w})
    for j in range(outcomes):
        frame[f"y{j}"] = (DIRECT * x + b * m + 0.2 * w + rng.normal(size=units)[unit]
                          + rng.normal(size=periods)[year - 2011]
                          + 0.3 * rng.normal(size=unit.size))
    return frame


def test_sobel_by_hand() -> None:
    # a = 0.5 (se 0.1), b = 0.4 (se 0.1): z = 0.2 / sqrt(0.16 * 0.01 + 0.25 * 0.01)
    z, p = sobel_test(0.5, 0.1, 0.4, 0.1)
    assert z == pytest.approx(0.2 / np.sqrt(0.0041))
    assert z == pytest.approx(3.1234752377721215)
    assert p == pytest.approx(0.0017876, abs=1e-6)


def test_verdict_rules() -> None:
    assert mediation_verdict(0.01, 0.01, 0.01, 0.01, 0.01) == "partial"
    assert mediation_verdict(0.01, 0.01, 0.01, 0.40, 0.01) == "full"
    assert mediation_verdict(0.30, 0.01, 0.01, 0.01, 0.01) == "none"
    assert mediation_verdict(0.30, 0.01, 0.01, 0.01, 0.01, rule="zhao_lynch_chen") == "partial"
    assert mediation_verdict(0.01, 0.01, 0.20, 0.01, 0.20, rule="zhao_lynch_chen") == "none"


def test_three_regressions_on_the_planted_panel() -> None:
    frame = planted_panel()
    result = mediation_analysis(frame, "y0", "x", "m", ["w"], "province", "year")
    # OLS on one sample: c = c' + a b exactly
    assert result.total == pytest.approx(result.direct + result.indirect, rel=1e-10)
    assert result.a == pytest.approx(A, abs=3 * result.a_se)
    assert result.b == pytest.approx(B, abs=3 * result.b_se)
    assert result.direct == pytest.approx(DIRECT, abs=3 * result.direct_se)
    assert result.share == pytest.approx(result.indirect / result.total)
    assert result.verdict == "partial" and result.sobel_p < 0.01
    assert set(result.to_frame()["quantity"]) >= {"indirect", "sobel_z", "share"}
    no_mediation = mediation_analysis(planted_panel(b=0.0), "y0", "x", "m", ["w"],
                                      "province", "year")
    assert no_mediation.verdict == "none"


def test_bootstrap_covers_the_planted_effects_and_is_seeded() -> None:
    frame = planted_panel()
    outcomes = [f"y{j}" for j in range(5)]
    result = bootstrap_mediation(frame, outcomes, "x", "m", ["w"], "province", "year",
                                 replications=500, seed=11)
    assert len(result) == 10
    truth = {"direct": DIRECT, "indirect": A * B}
    for row in result.itertuples():
        assert row.percentile_lower < truth[row.effect] < row.percentile_upper, row
        assert row.bc_lower < truth[row.effect] < row.bc_upper, row
        assert row.percentile_lower < row.estimate < row.percentile_upper
    point = mediation_analysis(frame, "y3", "x", "m", ["w"], "province", "year")
    y3 = result.set_index(["outcome", "effect"])
    assert y3.loc[("y3", "indirect"), "estimate"] == pytest.approx(point.indirect, rel=1e-10)
    assert y3.loc[("y3", "direct"), "estimate"] == pytest.approx(point.direct, rel=1e-10)
    again = bootstrap_mediation(frame, outcomes, "x", "m", ["w"], "province", "year",
                                replications=500, seed=11)
    pd.testing.assert_frame_equal(result, again)
    other = bootstrap_mediation(frame, outcomes, "x", "m", ["w"], "province", "year",
                                replications=500, seed=12)
    assert not np.allclose(other["percentile_lower"], result["percentile_lower"])


def test_bootstrap_replication_refits_like_the_estimator() -> None:
    # A resample with unit 0 drawn twice: the duplicate is a unit of its own.
    frame = planted_panel(units=6, outcomes=1)
    draws = np.random.default_rng(11).integers(0, 6, size=(1, 6))[0]
    resampled = pd.concat([frame[frame["province"] == u].assign(province=i)
                           for i, u in enumerate(draws)])
    direct = FixedEffectsPanel(resampled, "y0", ["x", "m", "w"], "province", "year",
                               time_effects=True, cov_type="unadjusted").fit()
    first = FixedEffectsPanel(resampled, "m", ["x", "w"], "province", "year",
                              time_effects=True, cov_type="unadjusted").fit()
    from models_py.estimation.mediation import _balanced_cube, _paths, _within
    cube = _balanced_cube(frame, "province", "year", ["x", "m", "w", "y0"])[draws]
    a, b, c_prime = _paths(_within(cube, True, True), 1, 1)[:, 0]
    assert (a, b, c_prime) == pytest.approx(
        (first.params["x"], direct.params["m"], direct.params["x"]), rel=1e-9)


def test_unbalanced_panel_is_refused() -> None:
    frame = planted_panel().iloc[1:]
    with pytest.raises(ValueError, match="province = 0 has 9 of 10 periods"):
        bootstrap_mediation(frame, "y0", "x", "m", ["w"], "province", "year")


def test_an_estimator_can_be_passed_in() -> None:
    def entity_effects_only(frame: pd.DataFrame, dependent: str, regressors: list[str]):
        return FixedEffectsPanel(frame, dependent, regressors, "province", "year",
                                 time_effects=False, cov_type="unadjusted").fit()

    frame = planted_panel()
    passed = mediation_analysis(frame, "y1", "x", "m", ["w"], "province", "year",
                                estimator=entity_effects_only)
    first = entity_effects_only(frame, "m", ["x", "w"])
    second = entity_effects_only(frame, "y1", ["x", "m", "w"])
    assert passed.a == pytest.approx(first.params["x"], rel=1e-12)
    assert passed.b == pytest.approx(second.params["m"], rel=1e-12)
    assert passed.sobel_z == pytest.approx(sobel_test(
        first.params["x"], first.std_errors["x"], second.params["m"],
        second.std_errors["m"])[0], rel=1e-12)
    two_way = mediation_analysis(frame, "y1", "x", "m", ["w"], "province", "year")
    assert passed.a != pytest.approx(two_way.a, rel=1e-6)  # the default absorbs years too
