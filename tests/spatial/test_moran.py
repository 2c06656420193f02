"""Moran's I against esda on the same data, and on a hand-computed case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.moran import global_moran, global_moran_panel, moran_by_year
from models_py.spatial.weights import SpatialWeights, weights_from_long


def test_matches_esda_on_a_random_field() -> None:
    import esda
    import libpysal

    rng = np.random.default_rng(3)
    coords = rng.uniform(size=(40, 2))
    knn = libpysal.weights.KNN.from_array(coords, k=5)
    knn.transform = "r"
    w = knn.full()[0]
    y = rng.normal(size=40) + coords[:, 0] * 2
    ours = global_moran(y, w)
    theirs = esda.Moran(y, knn, permutations=0)
    assert ours.i == pytest.approx(theirs.I, rel=1e-12)
    assert ours.expected == pytest.approx(theirs.EI, rel=1e-12)
    assert ours.var_normality == pytest.approx(theirs.VI_norm, rel=1e-10)
    assert ours.var_randomisation == pytest.approx(theirs.VI_rand, rel=1e-10)
    assert ours.z_randomisation == pytest.approx(theirs.z_rand, rel=1e-10)
    assert ours.p_normality == pytest.approx(theirs.p_norm, rel=1e-8)


def test_hand_computed_line_of_four() -> None:
    # path 1-2-3-4, binary weights, y = 1, 2, 3, 4: z = -1.5, -.5, .5, 1.5, z'z = 5,
    # z'Wz = 2 (0.75 + -0.25 + 0.75) = 2.5, S0 = 6 -> I = 4/6 * 2.5/5 = 1/3
    w = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    result = global_moran(np.array([1.0, 2.0, 3.0, 4.0]), w)
    assert result.i == pytest.approx(1 / 3)
    assert result.expected == pytest.approx(-1 / 3)


def test_weights_from_long_and_by_year() -> None:
    long = pd.DataFrame({
        "matrix_name": "m", "province_code_i": ["a", "b", "b", "c"],
        "province_code_j": ["b", "a", "c", "b"], "weight_raw": 1.0,
        "weight_row_standardised": [1.0, 0.5, 0.5, 1.0]})
    w = weights_from_long(long, "m", ["a", "b", "c"])
    np.testing.assert_allclose(w, [[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]])
    with pytest.raises(ValueError, match="no neighbour for d"):
        weights_from_long(long, "m", ["a", "b", "c", "d"])
    panel = pd.DataFrame({"province_code": ["a", "b", "c"] * 2, "year": [1, 1, 1, 2, 2, 2],
                          "x": [1.0, 2.0, 4.0, 3.0, 1.0, 2.0]})
    table = moran_by_year(panel, "x", SpatialWeights.from_long(long, "m", ["a", "b", "c"]))
    assert list(table["year"]) == [1, 2]
    assert table.loc[0, "i"] == pytest.approx(global_moran(np.array([1.0, 2, 4]), w).i)
    # with three units the randomisation variance divides by n - 3 = 0: NaN, not a warning
    assert np.isnan(table.loc[0, "var_randomisation"])
    assert np.isfinite(table.loc[0, "var_normality"])


def test_undefined_cases_are_refused_or_marked() -> None:
    w = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    with pytest.raises(ValueError, match="values are constant"):
        global_moran(np.full(4, 2.0), w)
    with pytest.raises(ValueError, match="at least 3 values"):
        global_moran(np.array([1.0, 2.0]), w[:2, :2])


def test_tidy_table_per_variable_and_year() -> None:
    w = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    codes = ["a", "b", "c", "d"]
    panel = pd.DataFrame({"province_code": codes * 2, "year": [1] * 4 + [2] * 4,
                          "x": [1.0, 2, 3, 4, 4, 1, 3, 2], "y": [5.0] * 4 + [1, 2, 3, 5]})
    weights = SpatialWeights(w, codes, "line of four")
    table = global_moran_panel(panel, ["x", "y"], weights)
    assert list(zip(table["variable"], table["year"], strict=True)) == [
        ("x", 1), ("x", 2), ("y", 1), ("y", 2)]
    assert list(table.columns) == ["variable", "year", "i", "expected", "var_normality",
                                   "var_randomisation", "z_normality", "z_randomisation",
                                   "p_normality", "p_randomisation", "n"]
    assert table.loc[0, "i"] == pytest.approx(1 / 3)  # the hand-computed line of four
    for row in range(4):
        variable, year = table.loc[row, ["variable", "year"]]
        if (variable, year) == ("y", 1):  # constant across provinces: undefined
            assert table.loc[row, ["i", "z_normality", "p_randomisation"]].isna().all()
            continue
        values = panel[panel["year"] == year][variable].to_numpy()
        expected = global_moran(values, w)
        assert table.loc[row, "i"] == pytest.approx(expected.i)
        assert table.loc[row, "p_randomisation"] == pytest.approx(expected.p_randomisation)
    pd.testing.assert_frame_equal(moran_by_year(panel, "x", weights),
                                  table[table["variable"] == "x"])


def test_panel_values_are_matched_to_w_by_label() -> None:
    # the line a-b-c-d; the panel lists the provinces in another order and W's ids too
    w = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    weights = SpatialWeights(w, ["a", "b", "c", "d"], "line")
    panel = pd.DataFrame({"province_code": ["d", "c", "b", "a"], "year": 1,
                          "x": [4.0, 3.0, 2.0, 1.0]})
    shuffled = weights.reordered(["c", "a", "d", "b"])
    assert moran_by_year(panel, "x", weights).loc[0, "i"] == pytest.approx(1 / 3)
    assert moran_by_year(panel, "x", shuffled).loc[0, "i"] == pytest.approx(1 / 3)


def test_w_ids_absent_from_the_panel_are_refused() -> None:
    w = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    panel = pd.DataFrame({"province_code": [1, 2, 3, 4], "year": 1, "x": [4.0, 3.0, 2.0, 1.0]})
    with pytest.raises(ValueError, match=r"ids that never occur in the panel's province_code: "
                                         r"'1', '2', '3', '4' \(the panel's ids look like 1, "
                                         "of type int"):
        moran_by_year(panel, "x", SpatialWeights(w, ["1", "2", "3", "4"], "line"))
