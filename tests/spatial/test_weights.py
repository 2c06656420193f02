"""Spatial weights: hand-computed cases, the published province contiguity matrix, libpysal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.geometry import EARTH_RADIUS_KM, great_circle_km
from models_py.spatial.weights import (
    check_weights,
    contiguity_weights,
    inverse_distance_weights,
    knn_weights,
    row_standardise,
    weights_from_long,
)

# four points on the equator at longitudes 0, 1, 3 and 7 degrees
EQ_LON, EQ_LAT = np.array([0.0, 1.0, 3.0, 7.0]), np.zeros(4)


def test_great_circle_distances_by_hand() -> None:
    d = great_circle_km(np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 90.0]))
    one_degree = 2 * np.pi * EARTH_RADIUS_KM / 360  # 111.195 km
    assert d[0, 1] == pytest.approx(one_degree, rel=1e-12)
    assert d[0, 2] == pytest.approx(np.pi / 2 * EARTH_RADIUS_KM, rel=1e-12)  # equator to pole
    assert np.all(np.diag(d) == 0)


def test_inverse_distance_by_hand() -> None:
    lon, lat = EQ_LON[:3], EQ_LAT[:3]  # gaps of 1 and 2 degrees
    # row 0: 1/1 and 1/3 -> (3/4, 1/4); row 1: 1/1 and 1/2 -> (2/3, 1/3); row 2: 1/3, 1/2 -> .4, .6
    np.testing.assert_allclose(inverse_distance_weights(lon, lat),
                               [[0, .75, .25], [2 / 3, 0, 1 / 3], [.4, .6, 0]], rtol=1e-12)
    # squared: row 0: 1 and 1/9 -> (.9, .1)
    squared = inverse_distance_weights(lon, lat, power=2)
    np.testing.assert_allclose(squared[0], [0, .9, .1], rtol=1e-12)
    raw = inverse_distance_weights(lon, lat, row_standardised=False)
    assert raw[0, 1] == pytest.approx(1 / (2 * np.pi * EARTH_RADIUS_KM / 360), rel=1e-12)
    np.testing.assert_array_equal(raw, raw.T)


def test_inverse_distance_refuses_two_units_at_one_place() -> None:
    with pytest.raises(ValueError, match=r"\(a, b\) is not finite"):
        inverse_distance_weights(np.array([0.0, 0.0, 1.0]), np.zeros(3), codes=["a", "b", "c"])


def test_knn_by_hand() -> None:
    # nearest of 0 -> 1; of 1 -> 0 (1 degree, before 3 at 2 degrees); of 3 -> 1; of 7 -> 3
    np.testing.assert_array_equal(knn_weights(EQ_LON, EQ_LAT, 1),
                                  [[0, 1, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    two = knn_weights(EQ_LON, EQ_LAT, 2)
    np.testing.assert_allclose(two[3], [0, .5, .5, 0])
    assert not np.allclose(two, two.T)
    with pytest.raises(ValueError, match="k must be between 1 and 3"):
        knn_weights(EQ_LON, EQ_LAT, 4)


def test_knn_matches_libpysal_on_the_province_centroids(shared_data: Path) -> None:
    import libpysal

    centroids = pd.read_csv(shared_data / "geo" / "province_centroids_31.csv")
    lon, lat = centroids["centroid_lon"].to_numpy(), centroids["centroid_lat"].to_numpy()
    theirs = libpysal.weights.KNN.from_array(np.column_stack([lon, lat]), k=4,
                                             distance_metric="arc", radius=EARTH_RADIUS_KM)
    theirs.transform = "r"
    np.testing.assert_allclose(knn_weights(lon, lat, 4), theirs.full()[0], atol=1e-15)


@pytest.fixture(scope="module")
def province_contiguity(shared_data: Path):
    edges = pd.read_csv(shared_data / "geo" / "province_contiguity_31.csv", dtype=str)
    codes = pd.read_csv(shared_data / "geo" / "province_centroids_31.csv",
                        dtype=str)["adcode"].tolist()
    return edges[["adcode_i", "adcode_j"]], codes


def test_contiguity_matches_the_published_31_province_matrix(province_contiguity,
                                                             shared_data: Path) -> None:
    edges, codes = province_contiguity
    published = pd.read_csv(shared_data / "geo" / "renjiyi163_W_adj_31_rowstd.csv",
                            index_col=0).to_numpy()
    # the published matrix leaves Hainan isolated and links Qinghai and Ningxia (SOURCES.md)
    ours = contiguity_weights([*edges.itertuples(index=False, name=None), ("630000", "640000")],
                              codes, allow_islands=True)
    np.testing.assert_allclose(ours, published, atol=1e-15)
    assert ours[codes.index("460000")].sum() == 0


def test_contiguity_refuses_hainan_alone_and_accepts_the_guangdong_link(
        province_contiguity) -> None:
    edges, codes = province_contiguity
    with pytest.raises(ValueError, match="contiguity: no neighbour for 460000"):
        contiguity_weights(edges, codes)
    linked = contiguity_weights([*edges.itertuples(index=False, name=None),
                                 ("460000", "440000")], codes)
    hainan, guangdong = codes.index("460000"), codes.index("440000")
    assert linked[hainan, guangdong] == 1.0
    np.testing.assert_allclose(linked.sum(axis=1), 1.0)
    raw = contiguity_weights(edges, codes, row_standardised=False, allow_islands=True)
    assert raw.sum() == 2 * len(edges)  # 68 unordered borders, each counted both ways


def test_contiguity_refuses_unknown_codes_and_self_links() -> None:
    with pytest.raises(ValueError, match="names z, which is not among the codes"):
        contiguity_weights([("a", "b"), ("b", "z")], ["a", "b"])
    with pytest.raises(ValueError, match="self-link"):
        contiguity_weights([("a", "b"), ("a", "a")], ["a", "b"])


def test_checks_name_the_problem() -> None:
    codes = ["a", "b", "c"]
    good = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    check_weights(good, codes, symmetric=True)
    with pytest.raises(ValueError, match=r"negative weight -1.0 at \(a, b\)"):
        check_weights(good * [[1, -1, 1]], codes)
    with pytest.raises(ValueError, match="non-zero diagonal for b"):
        check_weights(good + np.diag([0, 1, 0]), codes)
    with pytest.raises(ValueError, match=r"not symmetric: w\[a, b\] = 2.0"):
        check_weights(good + np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0]]), codes, symmetric=True)
    with pytest.raises(ValueError, match="3 rows but 2 codes"):
        check_weights(good, codes[:2])
    island = good.copy()
    island[2, 1] = island[1, 2] = 0
    with pytest.raises(ValueError, match="no neighbour for c"):
        row_standardise(island, codes=codes)
    np.testing.assert_allclose(row_standardise(island, allow_islands=True),
                               [[0, 1, 0], [1, 0, 0], [0, 0, 0]])


def _long(pairs: list[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(pairs, columns=["province_code_i", "province_code_j", "weight_raw"])
    frame["matrix_name"] = "m"
    frame["weight_row_standardised"] = (
        frame["weight_raw"] / frame.groupby("province_code_i")["weight_raw"].transform("sum"))
    return frame


def test_weights_from_long_checks_the_mart() -> None:
    symmetric = _long([("a", "b", 2.0), ("b", "a", 2.0), ("b", "c", 1.0), ("c", "b", 1.0)])
    np.testing.assert_allclose(weights_from_long(symmetric, "m", ["a", "b", "c"]),
                               [[0, 1, 0], [2 / 3, 0, 1 / 3], [0, 1, 0]])
    np.testing.assert_allclose(
        weights_from_long(symmetric, "m", ["c", "b", "a"], row_standardised=False),
        [[0, 1, 0], [1, 0, 2], [0, 2, 0]])
    with pytest.raises(ValueError, match="weights for c, which is not among the provinces"):
        weights_from_long(symmetric, "m", ["a", "b"])
    with pytest.raises(ValueError, match="no neighbour for d"):
        weights_from_long(symmetric, "m", ["a", "b", "c", "d"])
    assert weights_from_long(symmetric, "m", list("abcd"), allow_islands=True)[3].sum() == 0
    lopsided = _long([("a", "b", 2.0), ("b", "a", 1.0)])
    with pytest.raises(ValueError, match="not symmetric"):
        weights_from_long(lopsided, "m", ["a", "b"])
    weights_from_long(lopsided, "m", ["a", "b"], symmetric=False)
    with pytest.raises(ValueError, match="non-zero diagonal for a"):
        weights_from_long(_long([("a", "a", 1.0), ("a", "b", 1.0), ("b", "a", 1.0)]), "m",
                          ["a", "b"])
    broken = symmetric.assign(weight_row_standardised=symmetric["weight_row_standardised"] * 2)
    with pytest.raises(ValueError, match="do not sum to one"):
        weights_from_long(broken, "m", ["a", "b", "c"])
    with pytest.raises(KeyError, match="no spatial weights named 'x'"):
        weights_from_long(symmetric, "x", ["a", "b", "c"])
