"""Spatial weight matrices: built from coordinates or a contiguity edge list, or read from the
long table ``marts.mart_spatial_weights``; row-standardisation and checks (pure numerics).

Conventions (methods README section 4; Anselin 1988, ch. 3; Elhorst 2014, sec. 2.4):
  inverse distance           w_ij = 1 / d_ij        (d_ij great-circle distance in km, i != j)
  inverse squared distance   w_ij = 1 / d_ij^2
  k nearest neighbours       w_ij = 1 if j is among the k nearest of i (great-circle), else 0
  contiguity                 w_ij = 1 if i and j share a border (or a conventional link such as
                             Hainan-Guangdong), else 0
  row-standardised           w*_ij = w_ij / sum_j w_ij   (each row sums to one)
Every matrix has a zero diagonal and non-negative weights; a row of zeros (an island, a unit
without a neighbour) is refused unless ``allow_islands=True`` (it then stays a row of zeros after
row-standardisation, as in libpysal). Distance and contiguity matrices are symmetric before
row-standardisation; k-nearest-neighbour matrices are not. Rows and columns follow the order of
the ``codes`` given.

``SpatialWeights`` carries one matrix with its ids (the label of each row and column), its name,
whether its rows sum to one and its eigenvalues (computed once, on first use). The estimators,
Moran's I, the LM tests and the effects take it instead of an array and a parallel list of
codes, and match a panel's units to it by label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse as sp

from models_py.spatial import sparse as sparse_w
from models_py.spatial.eigen import log_det, parameter_bounds, weights_spectrum
from models_py.spatial.geometry import great_circle_km

_SYMMETRY_RTOL = 1e-10


def _label(codes: Sequence | None, index: int) -> str:
    return str(codes[index]) if codes is not None else f"row {index}"


def check_weights(
    w: np.ndarray, codes: Sequence | None = None, *, name: str = "W", symmetric: bool = False,
    allow_islands: bool = False,
) -> None:
    """Raise ValueError unless ``w`` is a valid spatial weight matrix.

    Checked: square, one row per code (when ``codes`` is given), finite, non-negative, zero
    diagonal, no row of zeros (unless ``allow_islands``) and, when ``symmetric``, w = w' up to a
    relative 1e-10 (use it on the matrix *before* row-standardisation: a row-standardised
    symmetric matrix is in general not symmetric). Messages name the matrix and the provinces.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"{name}: expected a square matrix, got shape {w.shape}")
    if codes is not None and len(codes) != w.shape[0]:
        raise ValueError(f"{name}: {w.shape[0]} rows but {len(codes)} codes")
    if not np.isfinite(w).all():
        i, j = np.argwhere(~np.isfinite(w))[0]
        raise ValueError(f"{name}: weight ({_label(codes, i)}, {_label(codes, j)}) is not finite "
                         "(two units at the same coordinates?)")
    if (w < 0).any():
        i, j = np.argwhere(w < 0)[0]
        raise ValueError(f"{name}: negative weight {w[i, j]} at ({_label(codes, i)}, "
                         f"{_label(codes, j)}); weights must be non-negative")
    diagonal = np.flatnonzero(np.diag(w) != 0)
    if diagonal.size:
        raise ValueError(f"{name}: non-zero diagonal for "
                         + ", ".join(_label(codes, i) for i in diagonal)
                         + " (a unit cannot be its own neighbour)")
    islands = np.flatnonzero(w.sum(axis=1) == 0)
    if islands.size and not allow_islands:
        raise ValueError(f"{name}: no neighbour for "
                         + ", ".join(_label(codes, i) for i in islands)
                         + " (pass allow_islands=True to keep islands as rows of zeros)")
    if symmetric and not np.allclose(w, w.T, rtol=_SYMMETRY_RTOL, atol=0.0):
        i, j = np.argwhere(~np.isclose(w, w.T, rtol=_SYMMETRY_RTOL, atol=0.0))[0]
        raise ValueError(f"{name}: not symmetric: w[{_label(codes, i)}, {_label(codes, j)}] = "
                         f"{w[i, j]} but w[{_label(codes, j)}, {_label(codes, i)}] = {w[j, i]}")


def row_standardise(w: np.ndarray, *, allow_islands: bool = False,
                    codes: Sequence | None = None, name: str = "W") -> np.ndarray:
    """w*_ij = w_ij / sum_j w_ij, after ``check_weights``; island rows (allowed) stay zero."""
    w = np.asarray(w, dtype=float)
    check_weights(w, codes, name=name, allow_islands=allow_islands)
    totals = w.sum(axis=1, keepdims=True)
    return np.divide(w, totals, out=np.zeros_like(w), where=totals > 0)


def inverse_distance_weights(
    lon: np.ndarray, lat: np.ndarray, power: float = 1.0, row_standardised: bool = True,
    codes: Sequence | None = None,
) -> np.ndarray:
    """w_ij = 1 / d_ij^power for i != j (d great-circle km, ``great_circle_km``), zero diagonal.

    ``power`` 1 gives inverse distance, 2 inverse squared distance. Row-standardised unless
    ``row_standardised=False``; the raw matrix is checked for symmetry.
    """
    if power <= 0:
        raise ValueError(f"power must be positive, got {power}")
    d = great_circle_km(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    w = np.zeros_like(d)
    off = ~np.eye(len(d), dtype=bool)
    with np.errstate(divide="ignore"):
        w[off] = 1.0 / d[off] ** power
    name = "inverse distance" if power == 1 else f"inverse distance^{power:g}"
    check_weights(w, codes, name=name, symmetric=True)
    return row_standardise(w, codes=codes, name=name) if row_standardised else w


def knn_weights(
    lon: np.ndarray, lat: np.ndarray, k: int, row_standardised: bool = True,
    codes: Sequence | None = None,
) -> np.ndarray:
    """w_ij = 1 if j is one of the ``k`` nearest units of i by great-circle distance.

    Ties are broken by the order of the units (stable sort). Not symmetric in general.
    Row-standardised (each weight 1/k) unless ``row_standardised=False``.
    """
    d = great_circle_km(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    n = len(d)
    if not 1 <= k < n:
        raise ValueError(f"k must be between 1 and {n - 1} for {n} units, got {k}")
    np.fill_diagonal(d, np.inf)
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    w = np.zeros((n, n))
    w[np.repeat(np.arange(n), k), nearest.ravel()] = 1.0
    check_weights(w, codes, name=f"{k}-nearest neighbours")
    return w / k if row_standardised else w


def contiguity_weights(
    edges: Iterable[tuple] | pd.DataFrame, codes: Sequence, row_standardised: bool = True,
    allow_islands: bool = False,
) -> np.ndarray:
    """Binary contiguity from unordered pairs (i, j) of ``codes``: w_ij = w_ji = 1.

    ``edges`` is an iterable of pairs or a data frame whose first two columns are the pair
    (e.g. ``ref_province_contiguity``: province_code_i, province_code_j). Add conventional links
    (Hainan 460000 - Guangdong 440000) as ordinary pairs. Raises on a code not in ``codes``, on a
    self-link and, unless ``allow_islands``, on a unit without a neighbour.
    """
    pairs = (edges.iloc[:, :2].itertuples(index=False, name=None)
             if isinstance(edges, pd.DataFrame) else edges)
    position = {code: i for i, code in enumerate(codes)}
    w = np.zeros((len(codes), len(codes)))
    for a, b in pairs:
        unknown = [c for c in (a, b) if c not in position]
        if unknown:
            raise ValueError(f"contiguity: link ({a}, {b}) names {', '.join(map(str, unknown))}, "
                             "which is not among the codes given")
        if a == b:
            raise ValueError(f"contiguity: self-link ({a}, {b}); a unit cannot be its own "
                             "neighbour")
        w[position[a], position[b]] = w[position[b], position[a]] = 1.0
    check_weights(w, codes, name="contiguity", symmetric=True, allow_islands=allow_islands)
    if row_standardised:
        return row_standardise(w, allow_islands=allow_islands, codes=codes, name="contiguity")
    return w


def weights_from_long(
    long: pd.DataFrame, matrix_name: str, codes: list[str], row_standardised: bool = True,
    *, allow_islands: bool = False, symmetric: bool = True,
) -> np.ndarray:
    """Dense n x n matrix of ``matrix_name`` with rows and columns in the order of ``codes``.

    ``long`` has columns matrix_name, province_code_i, province_code_j, weight_raw and
    weight_row_standardised (absent pairs are zero). Raises ValueError when the matrix names a
    province that is not in ``codes`` (the matrix must be built on exactly these provinces), when
    a province has no neighbour (unless ``allow_islands``), on a non-zero diagonal or a negative
    weight, when the raw weights are not symmetric (all matrices of the mart are distance or
    contiguity matrices; pass ``symmetric=False`` for others) and when a row-standardised row
    does not sum to one.
    """
    part = long[long["matrix_name"] == matrix_name]
    if part.empty:
        raise KeyError(f"no spatial weights named '{matrix_name}'")
    extra = sorted(set(part["province_code_i"]).union(part["province_code_j"]) - set(codes))
    if extra:
        raise ValueError(f"matrix '{matrix_name}' has weights for {', '.join(map(str, extra))}, "
                         "which is not among the provinces given: the matrix does not match the "
                         "panel's provinces")

    def dense(column: str) -> np.ndarray:
        return (part.pivot(index="province_code_i", columns="province_code_j", values=column)
                .reindex(index=codes, columns=codes).fillna(0.0).to_numpy())

    raw = dense("weight_raw")
    check_weights(raw, codes, name=f"matrix '{matrix_name}'", symmetric=symmetric,
                  allow_islands=allow_islands)
    if not row_standardised:
        return raw
    standardised = dense("weight_row_standardised")
    totals = standardised.sum(axis=1)
    wrong = [c for c, total, r in zip(codes, totals, raw.sum(axis=1), strict=True)
             if r > 0 and abs(total - 1) > 1e-9]
    if wrong:
        raise ValueError(f"matrix '{matrix_name}': row-standardised weights of "
                         f"{', '.join(map(str, wrong))} do not sum to one")
    return standardised


ROW_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class SpatialWeights:
    """A spatial weight matrix with the ids of its rows and columns.

    ``matrix`` (N x N) is checked by ``check_weights`` on construction: finite, non-negative,
    zero diagonal, no island unless ``allow_islands``; ``ids`` are unique and say which unit each
    row (and column) is. ``row_standardised`` is True when every row sums to one (within 1e-9);
    ``eigenvalues`` (and the symmetrising scale of ``models_py.spatial.eigen``) are computed once,
    on first use. Build it from the mart with ``SpatialWeights.from_long`` or wrap a builder's
    matrix: ``SpatialWeights(inverse_distance_weights(lon, lat), codes, "inverse distance")``.

    A ``scipy.sparse`` matrix is kept sparse (the large-N path): no eigenvalues then; the
    log-determinant, the traces and the effects come from the moments tr(W^k)/N
    (``models_py.spatial.sparse``, Barry and Pace 1999), the parameter space is (-1, 1).
    ``log_det``, ``bounds`` and ``resolvent_means`` answer for either kind.
    """

    matrix: np.ndarray
    ids: tuple
    name: str = "W"
    allow_islands: bool = False

    def __post_init__(self) -> None:
        ids = tuple(self.ids)
        if sp.issparse(self.matrix):
            matrix = sp.csr_matrix(self.matrix, dtype=float)
            matrix.eliminate_zeros()
            _check_sparse(matrix, ids, self.name, self.allow_islands)
            object.__setattr__(self, "matrix", matrix)
            object.__setattr__(self, "ids", ids)
            self._check_ids()
            return
        matrix = np.array(self.matrix, dtype=float)
        check_weights(matrix, ids, name=self.name, allow_islands=self.allow_islands)
        matrix.setflags(write=False)
        object.__setattr__(self, "matrix", matrix)
        object.__setattr__(self, "ids", ids)
        self._check_ids()

    def _check_ids(self) -> None:
        if len(set(self.ids)) < len(self.ids):
            seen: set = set()
            duplicated = sorted({str(i) for i in self.ids if i in seen or seen.add(i)})
            raise ValueError(f"{self.name}: duplicated ids {', '.join(duplicated)}")

    @classmethod
    def from_long(cls, long: pd.DataFrame, matrix_name: str, ids: Sequence,
                  row_standardised: bool = True, *, allow_islands: bool = False,
                  symmetric: bool = True) -> SpatialWeights:
        """The matrix ``matrix_name`` of ``marts.mart_spatial_weights`` on the units ``ids``
        (checks of ``weights_from_long``)."""
        matrix = weights_from_long(long, matrix_name, list(ids), row_standardised,
                                   allow_islands=allow_islands, symmetric=symmetric)
        return cls(matrix, tuple(ids), matrix_name, allow_islands)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.matrix)

    @cached_property
    def row_sums(self) -> np.ndarray:
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    @property
    def row_standardised(self) -> bool:
        """True when every row sums to one (within 1e-9)."""
        return bool(np.all(np.abs(self.row_sums - 1) <= ROW_SUM_TOLERANCE))

    @property
    def islands(self) -> tuple:
        """Ids of the units without a neighbour (rows of zeros)."""
        return tuple(i for i, total in zip(self.ids, self.row_sums, strict=True) if total == 0)

    def not_row_standardised(self) -> str:
        """'' when rows sum to one, else a sentence naming the rows that do not."""
        if self.row_standardised:
            return ""
        if self.islands:
            return (f"W '{self.name}' has islands (no neighbour): "
                    + ", ".join(map(str, self.islands[:10])))
        wrong = [(i, total) for i, total in zip(self.ids, self.row_sums, strict=True)
                 if abs(total - 1) > ROW_SUM_TOLERANCE]
        return (f"W '{self.name}' is not row-standardised (row sums "
                + ", ".join(f"{i}: {total:.4g}" for i, total in wrong[:5])
                + (" ..." if len(wrong) > 5 else "") + ")")

    @cached_property
    def spectrum(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(eigenvalues, symmetrising scale or None), ``eigen.weights_spectrum``."""
        if self.is_sparse:
            raise ValueError(f"W '{self.name}' is sparse: its eigenvalues are not computed "
                             "(the sparse path uses the moments tr(W^k)/N)")
        return weights_spectrum(self.matrix)

    @property
    def eigenvalues(self) -> np.ndarray | None:
        """The eigenvalues (None for a sparse W)."""
        return None if self.is_sparse else self.spectrum[0]

    @cached_property
    def moments(self) -> np.ndarray:
        """m_k = tr(W^k)/N, k = 0 .. ``sparse.TERMS`` + 1 (sparse W only)."""
        return sparse_w.trace_moments(self.matrix)

    def log_det(self, rho: float) -> float:
        """ln|I - rho W|: from the eigenvalues, or the moments' series for a sparse W."""
        if self.is_sparse:
            return sparse_w.log_det(rho, self.moments, self.n)
        return log_det(rho, self.eigenvalues)

    def bounds(self) -> tuple[float, float]:
        """The interval on which the spatial parameter is searched: (1/w_min, 1/w_max) from the
        eigenvalues, (-1, 1) for a sparse W."""
        return (-1.0, 1.0) if self.is_sparse else parameter_bounds(self.eigenvalues)

    def resolvent_means(self, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean 1/(1 - rho w), mean w/(1 - rho w), mean w^2/(1 - rho w)^2) over the
        eigenvalues w of W, for each rho (real parts): tr((I - rho W)^-1)/N, tr G/N, tr GG/N."""
        rho = np.asarray(rho, dtype=float)
        if self.is_sparse:
            return sparse_w.resolvent_means(rho, self.moments)
        eig = self.eigenvalues
        ratio = 1 / (1 - rho[..., None] * eig)
        w_ratio = eig * ratio
        return (np.real(ratio.mean(axis=-1)), np.real(w_ratio.mean(axis=-1)),
                np.real((w_ratio ** 2).mean(axis=-1)))

    def reordered(self, ids: Sequence) -> SpatialWeights:
        """The same weights with rows and columns in the order of ``ids`` (matched by label);
        the eigenvalues are kept (a permutation does not change them)."""
        position = {i: k for k, i in enumerate(self.ids)}
        missing = [i for i in ids if i not in position]
        if missing or len(ids) != self.n:
            raise ValueError(f"W '{self.name}' cannot be put in the order given: ids "
                             f"{missing[:10] if missing else 'of another length'} "
                             f"({len(ids)} given, W has {self.n})")
        order = np.array([position[i] for i in ids])
        matrix = (self.matrix[order][:, order] if self.is_sparse
                  else self.matrix[np.ix_(order, order)])
        out = SpatialWeights(matrix, tuple(ids), self.name, self.allow_islands)
        if "spectrum" in self.__dict__:
            eig, scale = self.spectrum
            out.__dict__["spectrum"] = (eig, None if scale is None else scale[order])
        return out


    def restricted(self, ids: Sequence) -> SpatialWeights:
        """The weights among ``ids`` only, each row standardised again to sum to one: a
        subsample's own W (weights to units outside it are dropped, not redistributed by
        position). Raises when a unit of the subsample has no neighbour inside it."""
        position = {i: k for k, i in enumerate(self.ids)}
        missing = [i for i in ids if i not in position]
        if missing:
            raise ValueError(f"W '{self.name}' has no units {missing[:10]}")
        order = np.array([position[i] for i in ids])
        dense = self.matrix.toarray() if self.is_sparse else np.asarray(self.matrix)
        sub = dense[np.ix_(order, order)]
        totals = sub.sum(axis=1, keepdims=True)
        isolated = [ids[k] for k in np.flatnonzero(totals[:, 0] <= 0)]
        if isolated:
            raise ValueError(f"W '{self.name}' restricted to {len(ids)} units leaves "
                             f"{isolated} without a neighbour")
        return SpatialWeights(sub / totals, tuple(ids), f"{self.name} (subsample)")


def _check_sparse(w: sp.csr_matrix, ids: tuple, name: str, allow_islands: bool) -> None:
    """``check_weights`` for a sparse matrix (symmetry is not checked)."""
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"{name}: expected a square matrix, got shape {w.shape}")
    if len(ids) != w.shape[0]:
        raise ValueError(f"{name}: {w.shape[0]} rows but {len(ids)} codes")
    if not np.isfinite(w.data).all():
        raise ValueError(f"{name}: weights that are not finite")
    if (w.data < 0).any():
        raise ValueError(f"{name}: negative weights; weights must be non-negative")
    diagonal = np.flatnonzero(w.diagonal() != 0)
    if diagonal.size:
        raise ValueError(f"{name}: non-zero diagonal for "
                         + ", ".join(str(ids[i]) for i in diagonal[:10])
                         + " (a unit cannot be its own neighbour)")
    islands = np.flatnonzero(np.diff(w.indptr) == 0)
    if islands.size and not allow_islands:
        raise ValueError(f"{name}: no neighbour for "
                         + ", ".join(str(ids[i]) for i in islands[:10])
                         + " (pass allow_islands=True to keep islands as rows of zeros)")


def weights_matrix(w: np.ndarray | SpatialWeights) -> np.ndarray:
    """The matrix of a ``SpatialWeights`` or an array as it is (for the pure functions that
    take values already in W's order)."""
    return w.matrix if isinstance(w, SpatialWeights) else np.asarray(w, dtype=float)
