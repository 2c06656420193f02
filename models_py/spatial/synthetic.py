"""Seeded synthetic spatial panels with known parameters, for tests, Monte Carlo studies and
benchmarks of the spatial panel estimators."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import splu
from scipy.spatial import cKDTree

from models_py.spatial import weights as spatial_weights


def random_knn_weights(n: int, k: int = 6, seed: int = 0, as_sparse: bool = False
                       ) -> np.ndarray | sparse.csr_matrix:
    """k-nearest-neighbour W on ``n`` random points (uniform longitude 75-135 E, latitude
    18-53 N; great-circle distance, ``weights.knn_weights``), symmetrised (i ~ j when either is
    among the other's k nearest) and row-standardised: similar to a symmetric matrix, so the
    symmetric eigenvalue path of ``eigen`` applies. ``as_sparse``: a ``scipy.sparse`` CSR
    matrix built from a k-d tree on the unit sphere (chord length orders neighbours as the
    great-circle distance does; the same points and, without ties, the same W)."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(75, 135, n), rng.uniform(18, 53, n)
    if not as_sparse:
        links = spatial_weights.knn_weights(lon, lat, k, row_standardised=False)
        return spatial_weights.row_standardise(np.maximum(links, links.T))
    lam, phi = np.radians(lon), np.radians(lat)
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    nearest = cKDTree(xyz).query(xyz, k + 1)[1][:, 1:]
    links = sparse.csr_matrix((np.ones(n * k), (np.repeat(np.arange(n), k), nearest.ravel())),
                              shape=(n, n))
    links = links.maximum(links.T).tocsr()
    return sparse.diags(1 / np.asarray(links.sum(axis=1)).ravel()) @ links


def _lagged(w: np.ndarray | sparse.csr_matrix, x: np.ndarray) -> np.ndarray:
    """W x_t for x (t x n x k)."""
    t, n, k = x.shape
    return np.asarray(w @ x.transpose(1, 0, 2).reshape(n, t * k)).reshape(n, t, k).transpose(
        1, 0, 2)


def simulate_random_effects_panel(
    w: np.ndarray, t: int, beta: tuple[float, ...], rho: float, phi: float,
    theta: tuple[float, ...] = (), const: float = 0.0, sigma: float = 1.0,
    correlation: float = 0.0, seed: int = 0,
) -> pd.DataFrame:
    """Long frame (columns i, t, y, x1..xk) from the SAR/SDM with random individual effects,
    y_t = (I - rho W)^-1 (const + X_t b + W X_t theta + mu + e_t), mu ~ N(0, phi sigma^2 I_N),
    e_t ~ N(0, sigma^2 I_N). ``correlation`` adds that multiple of mu (scaled to unit standard
    deviation) to every regressor, so that random effects are inconsistent (for the Hausman
    test's power)."""
    rng = np.random.default_rng(seed)
    n, k = len(w), len(beta)
    mu = rng.normal(scale=np.sqrt(phi) * sigma, size=n)
    x = rng.normal(size=(t, n, k)) + correlation * (mu / mu.std())[None, :, None]
    theta = np.array(theta or (0.0,) * k)
    systematic = const + x @ np.array(beta) + np.einsum("ij,tjk->tik", w, x) @ theta
    shocks = systematic + mu[None, :] + sigma * rng.normal(size=(t, n))
    y = np.linalg.solve(np.eye(n) - rho * w, shocks.T).T
    return pd.DataFrame({"i": np.tile(np.arange(n), t), "t": np.repeat(np.arange(t), n),
                         "y": y.ravel(), **{f"x{j + 1}": x[:, :, j].ravel() for j in range(k)}})


def simulate_panel(w: np.ndarray, t: int, model: str, beta: tuple[float, ...],
                   theta: tuple[float, ...] = (), spatial: float = 0.0, sigma: float = 1.0,
                   seed: int = 1, fixed_effects: str = "twoways") -> pd.DataFrame:
    """Long frame (columns i, t, y, x1..xk) from SAR/SDM (spatial = rho) or SEM/SDEM
    (spatial = lambda) with entity and/or time effects drawn N(0, 1)."""
    rng = np.random.default_rng(seed)
    n, k = w.shape[0], len(beta)
    theta = theta or (0.0,) * k
    x = rng.normal(size=(t, n, k))
    mu = rng.normal(size=n) if fixed_effects in ("entity", "twoways") else np.zeros(n)
    alpha = rng.normal(size=t) if fixed_effects in ("time", "twoways") else np.zeros(t)
    e = sigma * rng.normal(size=(t, n))
    systematic = (x @ np.array(beta) + _lagged(w, x) @ np.array(theta)
                  + mu[None, :] + alpha[:, None])
    if sparse.issparse(w):
        solve = splu((sparse.identity(n, format="csc") - spatial * w).tocsc()).solve
    else:
        a = np.eye(n) - spatial * w

        def solve(b: np.ndarray) -> np.ndarray:
            return np.linalg.solve(a, b)
    if model in ("sar", "sdm"):
        y = solve((systematic + e).T).T  # y_t = (I - rho W)^-1 (...)
    else:
        y = systematic + solve(e.T).T  # u_t = (I - lambda W)^-1 e_t
    return pd.DataFrame({"i": np.tile(np.arange(n), t), "t": np.repeat(np.arange(t), n),
                         "y": y.ravel(), **{f"x{j + 1}": x[:, :, j].ravel() for j in range(k)}})
