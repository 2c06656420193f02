"""No silent wrong answers: the weights object, panels matched to W by label, and the refusals
(or warnings) for missing values, id types, T = 1, collinear regressors and W's row sums."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from models_py.estimation.protocol import EstimationResults
from models_py.spatial.effects import point_effects
from models_py.spatial.lm_tests import panel_lm_tests
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

N, T = 30, 6
IDS = [f"p{i:02d}" for i in range(N)]
MATRIX = random_knn_weights(N, k=4, seed=5)
W = SpatialWeights(MATRIX, IDS, "knn")


def panel(seed: int = 3) -> pd.DataFrame:
    frame = simulate_panel(MATRIX, T, "sar", beta=(1.0, -0.5), spatial=0.4, seed=seed)
    frame["i"] = np.asarray(IDS, dtype=object)[frame["i"]]
    return frame


def fit(frame: pd.DataFrame, w: SpatialWeights = W, **options):
    return fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sar",
                             options.pop("fixed_effects", "twoways"), **options)


def test_weights_object_carries_ids_name_row_sums_and_eigenvalues() -> None:
    assert W.ids == tuple(IDS) and W.name == "knn" and W.n == N and W.row_standardised
    np.testing.assert_allclose(W.eigenvalues, np.sort(np.linalg.eigvals(MATRIX).real),
                               atol=1e-10)
    assert W.eigenvalues is W.eigenvalues  # computed once
    raw = SpatialWeights(np.array([[0, 2.0, 0], [1, 0, 1], [0, 1, 0]]), ["a", "b", "c"], "raw")
    assert not raw.row_standardised
    assert raw.not_row_standardised() == "W 'raw' is not row-standardised (row sums a: 2, b: 2)"
    with pytest.raises(ValueError, match="non-zero diagonal for b"):
        SpatialWeights(np.array([[0, 1.0], [1, 1]]), ["a", "b"], "loop")
    with pytest.raises(ValueError, match="duplicated ids a"):
        SpatialWeights(np.array([[0, 1.0], [1, 0]]), ["a", "a"])
    long = pd.DataFrame({"matrix_name": "m", "province_code_i": ["a", "b", "b", "c"],
                         "province_code_j": ["b", "a", "c", "b"], "weight_raw": 1.0,
                         "weight_row_standardised": [1.0, 0.5, 0.5, 1.0]})
    from_mart = SpatialWeights.from_long(long, "m", ["c", "b", "a"])
    assert from_mart.name == "m" and from_mart.ids == ("c", "b", "a")
    np.testing.assert_allclose(from_mart.matrix, [[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]])


def test_w_in_another_order_is_aligned_by_label() -> None:
    frame = panel()
    reference = fit(frame)
    order = list(np.random.default_rng(1).permutation(IDS))
    shuffled = W.reordered(order)
    assert shuffled.ids == tuple(order) and not np.allclose(shuffled.matrix, MATRIX)
    again = fit(frame.sample(frac=1.0, random_state=2), shuffled)
    np.testing.assert_allclose(again.params, reference.params, atol=1e-10)
    np.testing.assert_allclose(again.std_errors, reference.std_errors, rtol=1e-8)
    lm = panel_lm_tests(frame, "y", ["x1", "x2"], "i", "t", W, fixed_effects="twoways")
    pd.testing.assert_frame_equal(
        panel_lm_tests(frame, "y", ["x1", "x2"], "i", "t", shuffled, fixed_effects="twoways"),
        lm, rtol=1e-8)
    # a W that knows other units, or lacks some, is refused with their names
    with pytest.raises(ValueError, match=r"weights have ids that are not in the panel's i: "
                                         r"'p29'"):
        fit(frame[frame["i"] != "p29"])
    stranger = frame.assign(i=frame["i"].replace("p00", "zz"))
    with pytest.raises(ValueError, match="panel has i ids that the weights do not have: 'zz'"):
        fit(stranger)


def test_ids_of_another_type_are_named() -> None:
    frame = panel()
    numbers = SpatialWeights(MATRIX, range(N), "knn")
    with pytest.raises(ValueError, match=r"panel's i ids are str \(e.g. 'p00'\) but the "
                                         r"weights' ids are int \(e.g. 0\)"):
        fit(frame, numbers)


def test_nan_and_infinity_are_refused_with_their_rows() -> None:
    frame = panel()
    frame.loc[(frame["i"] == "p03") & (frame["t"] == 2), "y"] = np.nan
    frame.loc[(frame["i"] == "p07") & (frame["t"] == 4), "x2"] = np.inf
    message = (r"2 value\(s\) of the panel are NaN or infinite: y at \('p03', 2\), "
               r"x2 at \('p07', 4\)")
    with pytest.raises(ValueError, match=message):
        fit(frame)
    with pytest.raises(ValueError, match=message):
        panel_lm_tests(frame, "y", ["x1", "x2"], "i", "t", W, fixed_effects="twoways")


def test_one_period_is_named() -> None:
    frame = panel()
    with pytest.raises(ValueError, match=r"one period \(T = 1, t = 0\): entity fixed effects "
                                         "need at least two periods"):
        fit(frame[frame["t"] == 0], fixed_effects="entity")


def test_collinear_regressors_same_error_in_the_fit_and_the_lm_tests() -> None:
    frame = panel().assign(x3=lambda f: 2 * f["x1"] - f["x2"])
    message = r"the regressors \['x1', 'x2', 'x3'\] are collinear after removing the fixed"
    with pytest.raises(ValueError, match=message):
        fit_spatial_panel(frame, "y", ["x1", "x2", "x3"], "i", "t", W, "sar", "twoways")
    with pytest.raises(ValueError, match=message):
        panel_lm_tests(frame, "y", ["x1", "x2", "x3"], "i", "t", W, fixed_effects="twoways")
    # a regressor constant within units is swept out by the entity effects
    frame = panel().assign(x3=lambda f: f["i"].str[1:].astype(float))
    with pytest.raises(ValueError, match="collinear"):
        panel_lm_tests(frame, "y", ["x1", "x2", "x3"], "i", "t", W)


def test_w_whose_rows_do_not_sum_to_one() -> None:
    frame = panel()
    raw = SpatialWeights(MATRIX * 2, IDS, "doubled")
    # the transformation of the time effects needs W 1 = 1: refused with what to do
    with pytest.raises(ValueError, match=r"W 'doubled' is not row-standardised \(row sums "
                                         r"p00: 2.*assume rows that sum to one.*"
                                         "approach='direct'"):
        fit(frame, raw)
    # the direct approach runs, with a warning that names what no longer holds
    with pytest.warns(UserWarning, match="rho < 1 is no longer the upper bound.*no "
                                         "transformation-approach or bc = 1 alternative"):
        direct = fit(frame, raw, approach="direct")
    assert direct.alternatives == {} and not direct.row_standardised
    # rho W is the same operator as (rho/2)(2W): the estimate halves
    assert direct.rho == pytest.approx(fit(frame, approach="direct").rho / 2, rel=1e-6)
    with pytest.raises(ValueError, match="row-standardised"):
        point_effects(direct)
    with pytest.warns(UserWarning, match="not row-standardised"):
        fit(frame, raw, fixed_effects="entity")
    # islands: allowed in the weights object only when asked, then refused with time effects
    island = MATRIX.copy()
    island[0] = 0.0
    island[:, 0] = 0.0
    island = island / np.where(island.sum(axis=1, keepdims=True) > 0,
                               island.sum(axis=1, keepdims=True), 1)
    with pytest.raises(ValueError, match="no neighbour for p00"):
        SpatialWeights(island, IDS, "island")
    with pytest.raises(ValueError, match="has islands .no neighbour.: p00"):
        fit(frame, SpatialWeights(island, IDS, "island", allow_islands=True))


def test_results_follow_the_estimation_protocol() -> None:
    result = fit(panel())
    assert isinstance(result, EstimationResults)
    assert result.statistic_kind == "z"
    statistics = result.fit_statistics()
    assert statistics == {"nobs": N * T, "n_entities": N, "n_periods": T,
                          "loglik": result.loglik, "sigma2": result.sigma2,
                          "r2": result.rsquared, "corr2": result.corr2,
                          "rho": result.rho}
    frame = result.to_frame()
    assert list(frame.columns) == ["term", "estimate", "std_error", "statistic", "p_value"]
    assert list(frame["term"]) == ["x1", "x2", "rho"]
    np.testing.assert_allclose(frame["statistic"], frame["estimate"] / frame["std_error"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result.summary()
