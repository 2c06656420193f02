"""Reference tables shared by Python and dbt: read from the dbt seeds, never repeated in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


@cache
def seed(name: str) -> pd.DataFrame:
    """A dbt seed as strings (codes keep their leading zeros)."""
    return pd.read_csv(SEEDS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def provinces() -> pd.DataFrame:
    """The 30 study provinces (dim_province), in NBS order, with numeric coordinates."""
    frame = seed("dim_province").copy()
    for column in ("centroid_lon", "centroid_lat"):
        frame[column] = frame[column].astype(float)
    frame["nbs_order"] = frame["nbs_order"].astype(int)
    return frame.sort_values("nbs_order").reset_index(drop=True)


def indicators(source: str | None = None) -> pd.DataFrame:
    """ref_indicators: Chinese indicator names -> variable codes and canonical units."""
    frame = seed("ref_indicators")
    return frame if source is None else frame[frame["source"] == source].reset_index(drop=True)


def ceads_sectors() -> pd.DataFrame:
    frame = seed("ref_ceads_sectors").copy()
    frame["sector_order"] = frame["sector_order"].astype(int)
    frame["is_industrial"] = frame["is_industrial"] == "true"
    return frame
