"""Descriptive statistics with winsorising, and VIFs, on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.estimation.collinearity import MEAN_ROW, variance_inflation
from models_py.estimation.descriptives import describe, winsorize


def test_winsorised_descriptives_by_hand() -> None:
    # 1..10 at 10 %: n q = 1 and 9 are integers, so the cut points are (1 + 2)/2 = 1.5 and
    # (9 + 10)/2 = 9.5; the clipped values are 1.5, 2, ..., 9, 9.5.
    frame = pd.DataFrame({"x": np.arange(1.0, 11.0), "y": [np.nan, *range(9)]})
    row = describe(frame, ["x"], winsorize_share=0.1).iloc[0]
    clipped = np.array([1.5, 2, 3, 4, 5, 6, 7, 8, 9, 9.5])
    assert (row["n"], row["min"], row["max"]) == (10, 1.5, 9.5)
    assert row["mean"] == pytest.approx(5.5)
    # sum of squared deviations: 2 * (4^2 + 3.5^2 + 2.5^2 + 1.5^2 + 0.5^2) = 74, / 9
    assert row["sd"] == pytest.approx(np.sqrt(74 / 9))
    assert row["sd"] == pytest.approx(clipped.std(ddof=1))


def test_winsorising_skips_missing_values_and_stata_cut_at_300() -> None:
    frame = pd.DataFrame({"x": np.r_[np.arange(1.0, 301.0), np.nan]})
    out = winsorize(frame, ["x"], 0.01)["x"]
    # n = 300, q = 1 %: n q = 3, so the lower cut is (x_(3) + x_(4)) / 2 = 3.5, upper 297.5
    assert out.min() == 3.5 and out.max() == 297.5 and out.isna().sum() == 1
    unwinsorised = describe(frame, ["x"], winsorize_share=None).iloc[0]
    assert (unwinsorised["n"], unwinsorised["min"], unwinsorised["max"]) == (300, 1.0, 300.0)


def test_vif_of_two_regressors_by_hand() -> None:
    # x1 = 1, 2, 3, 4 and x2 = 1, 3, 2, 4: deviations (-1.5, -.5, .5, 1.5) and
    # (-1.5, .5, -.5, 1.5), cross product 4, sums of squares 5, so r = 0.8 and
    # VIF = 1 / (1 - 0.64) for both.
    frame = pd.DataFrame({"x1": [1.0, 2, 3, 4], "x2": [1.0, 3, 2, 4]})
    table = variance_inflation(frame, ["x1", "x2"]).set_index("term")
    np.testing.assert_allclose(table["vif"], [1 / 0.36] * 3)
    assert list(table.index) == ["x1", "x2", MEAN_ROW]


def test_vif_mean_of_three_regressors() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    frame["c"] += frame["a"]
    table = variance_inflation(frame, ["a", "b", "c"]).set_index("term")
    # R^2 of c on a and b, by OLS with a constant
    design = np.column_stack([np.ones(200), frame[["a", "b"]]])
    fitted = design @ np.linalg.lstsq(design, frame["c"], rcond=None)[0]
    r2 = 1 - ((frame["c"] - fitted) ** 2).sum() / ((frame["c"] - frame["c"].mean()) ** 2).sum()
    assert table.loc["c", "vif"] == pytest.approx(1 / (1 - r2))
    assert table.loc[MEAN_ROW, "vif"] == pytest.approx(table["vif"].iloc[:3].mean())
