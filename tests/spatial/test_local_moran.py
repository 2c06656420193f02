"""Local Moran I_i against esda's Moran_Local on the same data: I_i and quadrants exactly,
conditional-permutation p-values within Monte Carlo error (the random draws differ)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from models_py.spatial.moran import QUADRANTS, global_moran, local_moran


@pytest.fixture(scope="module")
def field():
    import libpysal

    rng = np.random.default_rng(3)
    coords = rng.uniform(size=(40, 2))
    knn = libpysal.weights.KNN.from_array(coords, k=5)
    knn.transform = "r"
    y = rng.normal(size=40) + coords[:, 0] * 2
    return y, knn


def esda_local(y, knn, permutations: int, seed: int):
    import esda

    with warnings.catch_warnings():  # esda's notice that its default alternative will change
        warnings.simplefilter("ignore", DeprecationWarning)
        return esda.Moran_Local(y, knn, transformation="r", permutations=permutations, seed=seed)


def test_local_statistics_and_quadrants_match_esda(field) -> None:
    y, knn = field
    ours = local_moran(y, knn.full()[0], permutations=0)
    theirs = esda_local(y, knn, permutations=0, seed=1)
    np.testing.assert_allclose(ours["i"], theirs.Is, rtol=1e-12, atol=1e-15)
    assert list(ours["quadrant"]) == [QUADRANTS[q] for q in theirs.q]
    assert ours["p_sim"].isna().all()
    assert set(ours["cluster"]) == {"not significant"}
    # sum_i I_i = (n - 1) z'Wz / z'z = (n - 1) I for a row-standardised W (S0 = n)
    assert ours["i"].sum() == pytest.approx(39 * global_moran(y, knn.full()[0]).i, rel=1e-12)


def test_pseudo_p_values_agree_with_esda_within_monte_carlo_error(field) -> None:
    y, knn = field
    ours = local_moran(y, knn.full()[0], permutations=9999, seed=20240501)
    theirs = esda_local(y, knn, permutations=9999, seed=1)
    # each p has Monte Carlo sd <= 0.5 / sqrt(9999) = 0.005; the difference of two independent
    # estimates <= 0.0071, so 0.03 is over 4 sd for every one of the 40 units
    np.testing.assert_allclose(ours["p_sim"], theirs.p_sim, atol=0.03)
    assert ours["p_sim"].max() <= 0.5 + 1 / 10000  # folded: one-sided towards the observation
    significant = ours["p_sim"] < 0.05
    assert significant.any()
    assert (ours.loc[significant, "cluster"] == ours.loc[significant, "quadrant"]).all()
    assert (ours.loc[~significant, "cluster"] == "not significant").all()


def test_seeded_and_on_the_permutation_grid(field) -> None:
    y, knn = field
    w = knn.full()[0]
    first = local_moran(y, w, permutations=99, seed=7)
    np.testing.assert_array_equal(first["p_sim"], local_moran(y, w, permutations=99,
                                                              seed=7)["p_sim"])
    assert not np.array_equal(first["p_sim"], local_moran(y, w, permutations=99,
                                                          seed=8)["p_sim"])
    counts = first["p_sim"] * 100 - 1  # p = (G + 1) / (P + 1) with G a whole count
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-9)


def test_extreme_unit_is_significant_and_constant_values_are_refused() -> None:
    # a line of 12 with the values rising along it: the ends are far from the mean and their
    # single neighbour is too; with 11 other values each permutation is an even draw of one of
    # them, so for the high end only the next value (10 of 11) gives a simulated I_i at least
    # as large: p = (about P/11 + 1) / (P + 1)
    n = 12
    w = np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)
    w = w / w.sum(axis=1, keepdims=True)
    table = local_moran(np.arange(n, dtype=float), w, permutations=9999, seed=1)
    assert table.loc[n - 1, "quadrant"] == "HH" and table.loc[0, "quadrant"] == "LL"
    assert table.loc[n - 1, "p_sim"] == pytest.approx(1 / 11, abs=0.02)
    assert table.loc[n - 1, "cluster"] == "not significant"  # 1/11 > 0.05
    assert local_moran(np.arange(n, dtype=float), w, permutations=9999, seed=1,
                       alpha=0.1).loc[n - 1, "cluster"] == "HH"
    with pytest.raises(ValueError, match="constant"):
        local_moran(np.ones(n), w)
    with pytest.raises(ValueError, match="no neighbour"):
        local_moran(np.arange(3.0), np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float))
