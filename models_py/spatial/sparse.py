"""Large sparse W (scipy.sparse): log-determinant, traces and effects from the moments
tr(W^k)/N, without an eigendecomposition or any dense N x N matrix.

Barry and Pace (1999, Linear Algebra Appl. 289: 41-54): for |rho| < 1 and a row-standardised W
(spectral radius one),
  ln|I - rho W| = -N sum_{k>=1} rho^k m_k / k,          m_k = tr(W^k) / N,
and the means over the eigenvalues that the likelihood, its information matrix and the effects
need are power series in the same moments (LeSage and Pace 2009, sec. 4.2 and 5.6.3):
  mean 1/(1 - rho w)          = sum_{k>=0} rho^k m_k
  mean w/(1 - rho w)          = sum_{k>=0} rho^k m_{k+1}        (tr G / N, G = W (I - rho W)^-1)
  mean w^2/(1 - rho w)^2      = sum_{k>=0} (k+1) rho^k m_{k+2}  (tr GG / N).
m_0 = 1, m_1 = tr W and m_2 = sum_ij w_ij w_ji are exact; m_k for k >= 3 are Hutchinson
estimates (1/p) sum_j u_j' W^k u_j / N with p seeded Rademacher vectors u_j (one sparse product
W U per k). The series are truncated after ``TERMS`` terms (|rho|^TERMS < 3e-5 for |rho| <= 0.9).
tr G'G = ||G||_F^2, which is not a function of the eigenvalues, is estimated the same way:
(1/p) sum_j ||G u_j||^2 with G u from a sparse LU factor of I - rho W (``splu``).
Results are reproducible (fixed seed) but approximate: the information matrix's trace terms
carry a Monte Carlo error of order 1/sqrt(p N).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import splu

TERMS = 100
PROBES = 100
SEED = 20240601


def probes(n: int, count: int = PROBES, seed: int = SEED) -> np.ndarray:
    """n x count seeded Rademacher vectors."""
    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(n, count))


def trace_moments(w: sparse.csr_matrix, terms: int = TERMS, count: int = PROBES,
                  seed: int = SEED) -> np.ndarray:
    """m_k = tr(W^k)/N for k = 0 .. terms + 1 (exact for k <= 2, Hutchinson beyond)."""
    n = w.shape[0]
    moments = np.empty(terms + 2)
    moments[0] = 1.0
    moments[1] = w.diagonal().sum() / n
    moments[2] = w.multiply(w.T).sum() / n
    u = probes(n, count, seed)
    v = u
    for k in range(1, terms + 2):
        v = w @ v
        if k >= 3:
            moments[k] = float(np.einsum("ij,ij->", u, v)) / (n * count)
    return moments


def _powers(rho: np.ndarray, terms: int) -> np.ndarray:
    return np.asarray(rho, dtype=float)[..., None] ** np.arange(terms + 1)


def log_det(rho: float, moments: np.ndarray, n: int) -> float:
    """ln|I - rho W| by the truncated series (``moments`` of an N x N W, N = ``n``)."""
    terms = len(moments) - 2
    k = np.arange(1, terms + 1)
    return float(-n * np.sum(rho ** k * moments[1:terms + 1] / k))


def resolvent_means(rho: np.ndarray, moments: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean 1/(1 - rho w), mean w/(1 - rho w), mean w^2/(1 - rho w)^2) for each rho."""
    terms = len(moments) - 2
    p = _powers(rho, terms)
    k = np.arange(terms + 1)
    inverse = p @ moments[:terms + 1]
    w_inverse = p @ moments[1:terms + 2]
    squared = p[..., :terms] @ ((k[:terms] + 1) * moments[2:terms + 2])
    return inverse, w_inverse, squared


def lu_of(w: sparse.csr_matrix, rho: float):
    """Sparse LU factor of I - rho W."""
    n = w.shape[0]
    return splu((sparse.identity(n, format="csc") - rho * w.tocsc()).tocsc())


def g_products(w: sparse.csr_matrix, rho: float, values: np.ndarray, count: int = PROBES,
               seed: int = SEED, centre: bool = False) -> tuple[np.ndarray, float]:
    """(G V for the columns of ``values`` (N x m), tr G'G (estimated; ||J G J||^2 when
    ``centre``)), G = (I - rho W)^-1 W, from one sparse LU factor."""
    n = w.shape[0]
    lu = lu_of(w, rho)
    gv = lu.solve(np.asarray(w @ values))
    u = probes(n, count, seed)
    if centre:  # ||J G J||^2 = E ||J G J u||^2
        u = u - u.mean(axis=0)
    gu = lu.solve(np.asarray(w @ u))
    if centre:
        gu -= gu.mean(axis=0)
    return gv, float((gu ** 2).sum() / count)
