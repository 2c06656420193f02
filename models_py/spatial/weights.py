"""Spatial weight matrices from the long table mart_spatial_weights."""

from __future__ import annotations

import numpy as np
import pandas as pd


def weights_from_long(
    long: pd.DataFrame, matrix_name: str, codes: list[str], row_standardised: bool = True
) -> np.ndarray:
    """Dense n x n matrix of ``matrix_name`` with rows and columns in the order of ``codes``.

    ``long`` has columns matrix_name, province_code_i, province_code_j, weight_raw and
    weight_row_standardised (absent pairs are zero). Raises when a province has no neighbour.
    """
    part = long[long["matrix_name"] == matrix_name]
    if part.empty:
        raise KeyError(f"no spatial weights named '{matrix_name}'")
    column = "weight_row_standardised" if row_standardised else "weight_raw"
    dense = (part.pivot(index="province_code_i", columns="province_code_j", values=column)
             .reindex(index=codes, columns=codes).fillna(0.0).to_numpy())
    islands = [c for c, total in zip(codes, dense.sum(axis=1), strict=True) if total == 0]
    if islands:
        raise ValueError(f"matrix '{matrix_name}': no neighbour for {', '.join(islands)}")
    return dense
