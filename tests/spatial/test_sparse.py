"""The sparse path (scipy.sparse W; log-determinant, traces and effects from tr(W^k)/N) against
the dense, exact path on the same W."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from models_py.spatial.effects import point_effects
from models_py.spatial.lm_tests import panel_lm_tests
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

N = 500
MATRIX = random_knn_weights(N, seed=4, as_sparse=True)
SPARSE = SpatialWeights(MATRIX, range(N), "knn")
DENSE = SpatialWeights(MATRIX.toarray(), range(N), "knn")


def test_sparse_builder_is_the_dense_builder() -> None:
    np.testing.assert_array_equal(MATRIX.toarray(), random_knn_weights(N, seed=4))
    assert SPARSE.is_sparse and SPARSE.eigenvalues is None and SPARSE.row_standardised


def test_moments_give_the_log_determinant_and_the_traces() -> None:
    assert SPARSE.moments[2] == pytest.approx(np.trace(DENSE.matrix @ DENSE.matrix) / N,
                                              rel=1e-12)
    for rho in (-0.5, 0.3, 0.8):
        exact = np.linalg.slogdet(np.eye(N) - rho * DENSE.matrix)[1]
        assert SPARSE.log_det(rho) == pytest.approx(exact, rel=0.02)  # Monte Carlo moments
        np.testing.assert_allclose(SPARSE.resolvent_means(rho), DENSE.resolvent_means(rho),
                                   rtol=0.03)


@pytest.mark.parametrize("model", ["sdm", "sem"])
def test_sparse_fit_agrees_with_the_dense_fit(model: str) -> None:
    frame = simulate_panel(MATRIX, 10, model, beta=(1.0, -0.5),
                           theta=(0.5, 0.3) if model == "sdm" else (), spatial=0.4, seed=2)
    fits = {kind: fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, model, "twoways")
            for kind, w in (("sparse", SPARSE), ("dense", DENSE))}
    sparse_fit, dense_fit = fits["sparse"], fits["dense"]
    # the approximation moves every estimate by less than a quarter of its standard error
    assert (abs(sparse_fit.params - dense_fit.params) < 0.25 * dense_fit.std_errors).all()
    np.testing.assert_allclose(sparse_fit.std_errors, dense_fit.std_errors, rtol=0.05)
    for name in ("direct", "direct_bc"):
        assert abs(sparse_fit.alternatives[name].rho - dense_fit.alternatives[name].rho) < (
            0.25 * dense_fit.alternatives[name].std_errors.iloc[-1])
    if model == "sdm":
        np.testing.assert_allclose(point_effects(sparse_fit), point_effects(dense_fit),
                                   rtol=0.02)


def test_lm_tests_are_exact_on_a_sparse_w() -> None:
    frame = simulate_panel(MATRIX, 5, "sar", beta=(1.0, -0.5), spatial=0.3, seed=3)
    args = (frame, "y", ["x1", "x2"], "i", "t")
    np.testing.assert_allclose(panel_lm_tests(*args, SPARSE, fixed_effects="twoways"),
                               panel_lm_tests(*args, DENSE, fixed_effects="twoways"),
                               rtol=1e-10)


def test_sparse_weights_are_checked_and_reordered_by_label() -> None:
    with pytest.raises(ValueError, match="non-zero diagonal for 1"):
        SpatialWeights(sparse.csr_matrix(np.array([[0, 1.0], [1, 1.0]])), [0, 1])
    with pytest.raises(ValueError, match="no neighbour for 2"):
        SpatialWeights(sparse.csr_matrix(np.array([[0, 1.0, 0], [1, 0, 0], [0, 0, 0]])),
                       [0, 1, 2])
    order = list(range(N))[::-1]
    np.testing.assert_array_equal(SPARSE.reordered(order).matrix.toarray(),
                                  DENSE.reordered(order).matrix)
