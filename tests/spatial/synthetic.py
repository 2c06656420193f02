"""Seeded synthetic spatial panels with known parameters (for the model and effects tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def knn_weights(n: int, k: int = 6, seed: int = 0) -> np.ndarray:
    """k-nearest-neighbour W on random points, symmetrised (i~j if either is among the other's
    k nearest) and row-standardised: similar to a symmetric matrix."""
    points = np.random.default_rng(seed).uniform(size=(n, 2))
    dist = np.linalg.norm(points[:, None] - points[None, :], axis=2)
    np.fill_diagonal(dist, np.inf)
    nearest = np.argsort(dist, axis=1)[:, :k]
    links = np.zeros((n, n))
    links[np.repeat(np.arange(n), k), nearest.ravel()] = 1.0
    links = np.maximum(links, links.T)
    return links / links.sum(axis=1, keepdims=True)


def simulate_panel(w: np.ndarray, t: int, model: str, beta: tuple[float, ...],
                   theta: tuple[float, ...] = (), spatial: float = 0.0, sigma: float = 1.0,
                   seed: int = 1, fixed_effects: str = "twoways") -> pd.DataFrame:
    """Long frame (columns i, t, y, x1..xk) from SAR/SDM (spatial = rho) or SEM/SDEM
    (spatial = lambda) with entity and/or time effects drawn N(0, 1)."""
    rng = np.random.default_rng(seed)
    n, k = len(w), len(beta)
    theta = theta or (0.0,) * k
    x = rng.normal(size=(t, n, k))
    mu = rng.normal(size=n) if fixed_effects in ("entity", "twoways") else np.zeros(n)
    alpha = rng.normal(size=t) if fixed_effects in ("time", "twoways") else np.zeros(t)
    inverse = np.linalg.inv(np.eye(n) - spatial * w)
    rows = []
    for s in range(t):
        e = sigma * rng.normal(size=n)
        systematic = x[s] @ np.array(beta) + (w @ x[s]) @ np.array(theta) + mu + alpha[s]
        if model in ("sar", "sdm"):
            y = inverse @ (systematic + e)
        else:
            y = systematic + inverse @ e
        rows.append(pd.DataFrame({"i": np.arange(n), "t": s, "y": y,
                                  **{f"x{j + 1}": x[s][:, j] for j in range(k)}}))
    return pd.concat(rows, ignore_index=True)
