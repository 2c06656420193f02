"""The carbon-price counterfactual (Wang and Wu 2017, formulas 4-5) on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.simulation.carbon_price import (
    EnergyCostElasticity,
    carbon_prices,
    counterfactual,
    cumulative_marginal_cost,
    group_ranges,
    marginal_cost,
    summary_table,
)

# b and d of relative FDI as the paper (b + d = -0.668); var b = 0.01, var d = 0.02,
# cov = -0.005, so var(b + d) = 0.01 + 0.02 - 2 x 0.005 = 0.02
PAPER_RELATIVE = EnergyCostElasticity(0.288, -0.956, np.array([[0.01, -0.005],
                                                               [-0.005, 0.02]]))
# UC = 2.5 t CO2/tce, P = 500 yuan/tce: MC_j = 2.5 / (500 + 2.5 j) = 1 / (200 + j)
TWO = pd.DataFrame({"industry_code": ["32", "40"], "is_high_energy": [True, False],
                    "uc_tco2_per_tce": [2.5, 2.5], "p_energy_yuan_per_tce": [500.0, 500.0]})


def frame(level: float = 0.95, max_price: int = 3) -> pd.DataFrame:
    return counterfactual(TWO, PAPER_RELATIVE, carbon_prices(max_price), level=level,
                          fdi_measure="relative").set_index(
        ["measure", "industry_code", "carbon_price"])


def test_me_and_ace_by_hand_at_two_prices() -> None:
    out = frame()
    # j = 1: MC = 1/201; ME = -0.668 / 201; ACE = ME_1 (k starts at 1)
    assert out.at[("me", "32", 1), "mc"] == pytest.approx(1 / 201)
    assert out.at[("me", "32", 1), "estimate"] == pytest.approx(-0.0033233830845771)
    assert out.at[("ace", "32", 1), "estimate"] == pytest.approx(-0.0033233830845771)
    # j = 3: ME = -0.668 / 203; ACE = -0.668 (1/201 + 1/202 + 1/203) = -0.00992095417
    assert out.at[("me", "32", 3), "estimate"] == pytest.approx(-0.668 / 203)
    assert out.at[("ace", "32", 3), "estimate"] == pytest.approx(-0.00992095417)
    assert out.at[("ace", "40", 3), "estimate"] == pytest.approx(0.0042772976)
    # no carbon price, no cumulative effect; ME_0 = coef x UC / P
    assert out.at[("ace", "32", 0), "estimate"] == 0.0
    assert out.at[("me", "40", 0), "estimate"] == pytest.approx(0.288 * 0.005)
    # delta method: se(ME) = MC sqrt(var(b + d)) = sqrt(0.02) / 201 (high), 0.1 / 201 (other)
    assert out.at[("me", "32", 1), "std_error"] == pytest.approx(np.sqrt(0.02) / 201)
    assert out.at[("me", "40", 1), "std_error"] == pytest.approx(0.1 / 201)
    assert out.at[("me", "32", 1), "upper"] == pytest.approx(
        -0.668 / 201 + 1.959963985 * np.sqrt(0.02) / 201)
    assert PAPER_RELATIVE.high_energy_total == pytest.approx(-0.668)
    assert PAPER_RELATIVE.high_energy_total_se == pytest.approx(np.sqrt(0.02))


def test_the_sum_can_start_at_zero() -> None:
    mc = marginal_cost(np.array([2.5]), np.array([500.0]), carbon_prices(3))
    np.testing.assert_allclose(cumulative_marginal_cost(mc, carbon_prices(3), first_k=0)[0],
                               [0, 1 / 200, 1 / 200 + 1 / 201, 1 / 200 + 1 / 201 + 1 / 202])
    with pytest.raises(ValueError, match="step 1"):
        cumulative_marginal_cost(mc[:, ::2], carbon_prices(3, step=2))


def test_ace_is_monotone_and_bands_contain_the_estimate_and_widen() -> None:
    out = frame(max_price=300).reset_index()
    ace = out[out["measure"] == "ace"].sort_values(["industry_code", "carbon_price"])
    steps = ace.groupby("industry_code")["estimate"].diff().dropna()
    high = ace.loc[steps.index, "is_high_energy"]
    assert (steps[high] < 0).all() and (steps[~high] > 0).all()
    assert ((out["lower"] <= out["estimate"]) & (out["estimate"] <= out["upper"])).all()
    width = (ace["upper"] - ace["lower"]).groupby(ace["industry_code"]).diff().dropna()
    assert (width > 0).all()
    # a wider level, wider bands
    narrow = frame(level=0.90).reset_index()
    wide = frame(level=0.99).reset_index()
    assert ((wide["upper"] - wide["lower"]) >= (narrow["upper"] - narrow["lower"])).all()


def test_summary_keeps_the_six_high_energy_and_the_six_most_affected_others() -> None:
    rng = np.random.default_rng(1)
    codes = [f"{c:02d}" for c in range(10, 30)]
    mapping = pd.DataFrame({"industry_code": codes,
                            "is_high_energy": [c in codes[:6] for c in codes],
                            "uc_tco2_per_tce": rng.uniform(1.5, 3.5, 20),
                            "p_energy_yuan_per_tce": rng.uniform(800, 3000, 20)})
    effects = counterfactual(mapping, PAPER_RELATIVE, fdi_measure="relative")
    summary = summary_table(effects)
    assert len(summary) == 2 * 12
    assert set(summary.loc[summary["group"] == "high_energy", "industry_code"]) == set(codes[:6])
    others = summary[(summary["group"] == "other") & (summary["carbon_price"] == 100)]
    at_100 = effects[(effects["measure"] == "ace") & (effects["carbon_price"] == 100)
                     & ~effects["is_high_energy"]]
    assert others["estimate_percent"].min() >= 100 * at_100["estimate"].nlargest(6).min() - 1e-12
    ranges = group_ranges(summary).set_index(["group", "carbon_price"])
    assert (ranges.loc[("high_energy", 100), "max_percent"] < 0)
    assert ranges.loc[("other", 100), "min_percent"] > ranges.loc[("other", 50), "min_percent"]


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="symmetric 2 x 2"):
        EnergyCostElasticity(0.1, 0.2, np.eye(3))
    with pytest.raises(KeyError, match="uc_tco2_per_tce"):
        counterfactual(TWO.drop(columns="uc_tco2_per_tce"), PAPER_RELATIVE)
    with pytest.raises(ValueError, match="no ACE at carbon prices"):
        summary_table(frame().reset_index(), prices=(50,))
