"""Great-circle distances between points on the earth (haversine; pure numerics)."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean earth radius (IUGG), the same constant as mart_spatial_weights


def great_circle_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Matrix of haversine distances (km) between points given in degrees.

    d_ij = 2 R asin(sqrt(sin^2((phi_j - phi_i)/2) + cos phi_i cos phi_j sin^2((l_j - l_i)/2))),
    with R = 6371.0088 km, phi the latitude and l the longitude in radians.
    """
    lon, lat = np.radians(lon), np.radians(lat)
    dlon = lon[:, None] - lon[None, :]
    dlat = lat[:, None] - lat[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
