"""Province boundaries for maps: the shipped simplified file, its loader and the simplifier.

``load_provinces()`` reads ``models_py/reports/data/provinces_simplified.geojson`` (34 features:
the 31 mainland provinces, Hong Kong, Macao and Taiwan), keyed by the GB/T 2260 province code
(``"110000"`` ...), with English (``name_en``) and Chinese (``name_zh``) names, and returns one
:class:`Province` per feature with its rings projected for drawing (:func:`albers`).

The shipped file is derived from ``../shared/data/geo/cn_atlas_provinces.geojson``
(BarbarossaWang/cn-atlas, ISC licence; see ``data/README.md``) by
:func:`simplify_feature_collection`, a topology-preserving Douglas-Peucker (Douglas and Peucker
1973): every ring is cut at the vertices where the set of provinces sharing the boundary
changes, so a border shared by two provinces is one chain, simplified once with the same result
on both sides (no slivers or gaps). Islands smaller than ``min_island_deg2`` and the South China
Sea islands south of ``min_latitude`` are dropped (they carry no data and would shrink the
mainland on a page).
Regenerate with ``python -m models_py.reports.geo SOURCE.geojson`` (writes the shipped file).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
SIMPLIFIED_PATH = DATA_DIR / "provinces_simplified.geojson"

# English names where the source's pinyin differs from the names the project prints
# (dim_province's name_en for the 30 study provinces; the usual English for the others).
ENGLISH_NAMES = {"150000": "Inner Mongolia", "540000": "Tibet", "810000": "Hong Kong",
                 "820000": "Macao", "710000": "Taiwan"}

Point = tuple[float, float]


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker simplification of an open chain: keeps both ends and every vertex whose
    perpendicular distance from the simplified chain exceeds ``tolerance`` (same units)."""
    pts = np.asarray(points, dtype=float)
    if len(pts) <= 2:
        return [tuple(p) for p in pts]
    keep = np.zeros(len(pts), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = pts[first], pts[last]
        seg = b - a
        inner = pts[first + 1:last]
        length = np.hypot(*seg)
        if length == 0.0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(seg[0] * (inner[:, 1] - a[1]) - seg[1] * (inner[:, 0] - a[0])) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            split = first + 1 + i
            keep[split] = True
            stack += [(first, split), (split, last)]
    return [tuple(p) for p in pts[keep]]


def ring_area(ring: Sequence[Point]) -> float:
    """Absolute planar (shoelace) area of a ring, in squared coordinate units."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _polygons(geometry: dict) -> list[list[list[Point]]]:
    coords = geometry["coordinates"]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    return [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons]


def _simplify_ring(ring: list[Point], owners: dict[Point, frozenset[int]],
                   tolerance: float) -> list[Point]:
    """Simplify a closed ring chain by chain between the vertices where its owners change."""
    open_ring = ring[:-1] if ring[0] == ring[-1] else list(ring)
    n = len(open_ring)
    keys = [owners[p] for p in open_ring]
    fixed = [i for i in range(n) if keys[i] != keys[i - 1] or keys[i] != keys[(i + 1) % n]]
    if not fixed:  # an island or a ring inside one neighbour: anchor at two far-apart vertices
        xy = np.asarray(open_ring)
        fixed = [0, int(np.argmax(np.hypot(*(xy - xy[0]).T)))]
        fixed = sorted(set(fixed))
    out: list[Point] = []
    for k, start in enumerate(fixed):
        stop = fixed[(k + 1) % len(fixed)]
        chain = [open_ring[i % n] for i in range(start, stop + (n if stop <= start else 0) + 1)]
        # the same chain seen from the neighbour runs the other way: simplify one orientation
        if chain[-1] < chain[0]:
            simplified = douglas_peucker(chain[::-1], tolerance)[::-1]
        else:
            simplified = douglas_peucker(chain, tolerance)
        out += simplified[:-1]
    out.append(out[0])
    return out


def simplify_feature_collection(collection: dict, tolerance: float = 0.02,
                                min_island_deg2: float = 0.005, min_latitude: float = 17.0,
                                decimals: int = 3) -> dict:
    """The simplified collection (see the module docstring); properties become
    ``code``, ``name_en``, ``name_zh``, ``name_pinyin``. ``tolerance`` and areas in degrees."""
    features = collection["features"]
    polygons = [_polygons(f["geometry"]) for f in features]
    owner_sets: dict[Point, set[int]] = defaultdict(set)
    for index, polys in enumerate(polygons):
        for polygon in polys:
            for ring in polygon:
                for point in ring:
                    owner_sets[point].add(index)
    owners = {p: frozenset(s) for p, s in owner_sets.items()}
    out_features = []
    for feature, polys in zip(features, polygons, strict=True):
        largest = max(ring_area(p[0]) for p in polys)
        kept = []
        for polygon in polys:
            exterior = polygon[0]
            area = ring_area(exterior)
            if area < largest and (area < min_island_deg2
                                   or max(y for _, y in exterior) < min_latitude):
                continue
            rings = []
            for r, ring in enumerate(polygon):
                simple = _simplify_ring(ring, owners, tolerance)
                if len(simple) < 4:
                    if r > 0:
                        continue  # a hole that vanished
                    simple = ring  # keep a tiny exterior (Macao) as it is
                rings.append([[round(x, decimals), round(y, decimals)] for x, y in simple])
            kept.append(rings)
        props = feature["properties"]
        code = str(props["id"])
        out_features.append({
            "type": "Feature",
            "properties": {"code": code,
                           "name_en": ENGLISH_NAMES.get(code, props["name"]),
                           "name_zh": props["地名"], "name_pinyin": props["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": kept},
        })
    out_features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": out_features}


def albers(lon: np.ndarray, lat: np.ndarray, lon0: float = 105.0, lat0: float = 0.0,
           lat1: float = 25.0, lat2: float = 47.0) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic projection on the unit sphere (Snyder 1987, eq. 14-1 to 14-4),
    with the standard parallels usual for maps of China (25 N, 47 N, central meridian 105 E)."""
    p0, p1, p2 = np.radians([lat0, lat1, lat2])
    n = (np.sin(p1) + np.sin(p2)) / 2
    c = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho0 = np.sqrt(c - 2 * n * np.sin(p0)) / n
    theta = n * np.radians(np.asarray(lon, dtype=float) - lon0)
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(np.asarray(lat, dtype=float)))) / n
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


@dataclass(frozen=True)
class Province:
    """One feature of the shipped file: code, names and its projected rings (exterior first)."""

    code: str
    name_en: str
    name_zh: str
    polygons: tuple[tuple[np.ndarray, ...], ...]  # per part: rings of shape (n, 2), projected

    @property
    def label_point(self) -> tuple[float, float]:
        """The area-weighted centroid of the largest part (projected), for a label."""
        ring = max((part[0] for part in self.polygons), key=ring_area)
        x, y = ring[:-1, 0], ring[:-1, 1]
        x1, y1 = np.roll(x, -1), np.roll(y, -1)
        cross = x * y1 - x1 * y
        a = cross.sum() / 2
        return float(((x + x1) * cross).sum() / (6 * a)), float(((y + y1) * cross).sum() / (6 * a))


@cache
def load_provinces(path: Path = SIMPLIFIED_PATH) -> tuple[Province, ...]:
    """The 34 features of the shipped simplified file, projected with :func:`albers`."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for feature in collection["features"]:
        parts = []
        for polygon in feature["geometry"]["coordinates"]:
            rings = []
            for ring in polygon:
                xy = np.asarray(ring, dtype=float)
                x, y = albers(xy[:, 0], xy[:, 1])
                rings.append(np.column_stack([x, y]))
            parts.append(tuple(rings))
        props = feature["properties"]
        out.append(Province(props["code"], props["name_en"], props["name_zh"], tuple(parts)))
    return tuple(out)


def main(argv: Sequence[str]) -> None:
    source = Path(argv[0])
    target = Path(argv[1]) if len(argv) > 1 else SIMPLIFIED_PATH
    simplified = simplify_feature_collection(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(simplified, ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    print(f"{target}: {len(simplified['features'])} features, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
