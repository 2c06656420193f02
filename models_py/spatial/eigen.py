"""Eigenvalues of a spatial weight matrix, for log-determinants and effects.

ln|I_N - rho W| = sum_k ln(1 - rho w_k) with w_k the eigenvalues of W (Ord 1975). A
row-standardised W = D^-1 C built from a symmetric C (contiguity, inverse distance, a
symmetrised k-nearest-neighbour graph) is similar to the symmetric matrix
S = D^1/2 W D^-1/2 = D^-1/2 C D^-1/2, whose entries are C_ij / sqrt(d_i d_j): its eigenvalues
are real and come from one symmetric eigendecomposition (``np.linalg.eigvalsh``, about three
times faster than the general solver and exact in real arithmetic). The row sums d are
recovered from W alone: d_i W_ij = d_j W_ji on every link, so d is propagated along a
breadth-first tree of each connected component and the symmetry of S is then checked. Any
other W falls back to ``np.linalg.eigvals``; complex eigenvalues of a non-symmetric W (e.g. a
row-standardised asymmetric k-nearest-neighbour matrix) come in conjugate pairs and are kept:
ln|I - rho W| = sum_k ln|1 - rho w_k| and the traces sum_k f(w_k) are then real.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csgraph, csr_matrix


def symmetrising_scale(w: np.ndarray, rtol: float = 1e-10) -> np.ndarray | None:
    """Positive d with d_i W_ij = d_j W_ji for all i, j (so D^1/2 W D^-1/2 is symmetric), or
    None when no such d exists (W not similar to a symmetric matrix by a diagonal scaling).
    For a row-standardised W = D^-1 C with C symmetric, d is proportional to C's row sums."""
    w = np.asarray(w, dtype=float)
    rows, cols = np.nonzero(w)
    if (w[rows, cols] < 0).any() or (w[cols, rows] == 0).any():
        return None
    n = len(w)
    graph = csr_matrix((w[rows, cols], (rows, cols)), shape=(n, n))
    d = np.zeros(n)
    _, labels = csgraph.connected_components(graph, directed=False)
    for component in np.unique(labels):
        root = int(np.flatnonzero(labels == component)[0])
        order, predecessors = csgraph.breadth_first_order(graph, root, directed=False,
                                                          return_predecessors=True)
        d[root] = 1.0
        for node in order[1:]:
            parent = predecessors[node]
            d[node] = d[parent] * w[parent, node] / w[node, parent]
    left, right = d[rows] * w[rows, cols], d[cols] * w[cols, rows]
    if not np.allclose(left, right, rtol=rtol, atol=0.0):
        return None
    return d


def weights_spectrum(w: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(eigenvalues of W, symmetrising scale d or None); see ``weights_eigenvalues``."""
    w = np.asarray(w, dtype=float)
    d = symmetrising_scale(w)
    if d is not None:
        return np.linalg.eigvalsh(symmetrised(w, d)), d
    values = np.linalg.eigvals(w)
    if np.abs(values.imag).max() <= 1e-10 * max(1.0, np.abs(values.real).max()):
        return np.sort(values.real), None
    return values, None


def symmetrised(w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """S = D^1/2 W D^-1/2, made exactly symmetric."""
    root = np.sqrt(d)
    s = root[:, None] * w / root[None, :]
    s += s.T
    s *= 0.5
    return s


def weights_eigenvalues(w: np.ndarray) -> np.ndarray:
    """Eigenvalues of W: real and ascending unless W has complex ones (then complex, unsorted).

    W similar to a symmetric matrix by a diagonal scaling (a symmetric W, or a row-standardised
    symmetric C): ``eigvalsh(D^1/2 W D^-1/2)``. Otherwise ``eigvals(W)``.
    """
    return weights_spectrum(w)[0]


def log_det(rho: float, eigenvalues: np.ndarray) -> float:
    """ln|I - rho W| = sum_k ln|1 - rho w_k| (for rho inside ``parameter_bounds``)."""
    return float(np.log(np.abs(1 - rho * eigenvalues)).sum())


def parameter_bounds(eigenvalues: np.ndarray) -> tuple[float, float]:
    """Interval (1/w_min, 1/w_max) of the real parts (LeSage and Pace 2009, sec. 4.1) on which
    the estimators search (w_max = 1 for a row-standardised W)."""
    real = np.real(eigenvalues)
    return 1 / real.min(), 1 / real.max()
