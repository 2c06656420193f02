"""Reference tables shared by Python and dbt: read from the dbt seeds, never repeated in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import yaml

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


def ceads_factor_intensity() -> pd.Series:
    """Factor-intensity class by industrial CEADs sector (sector_order -> resource, labour or
    capital_technology): dim_industry's class through its CEADs sector, and
    ref_factor_intensity_other_sectors for the four sectors outside the 36 industries (the map
    of int_ceads_sector_factor_intensity)."""
    industry = seed("dim_industry")
    other = seed("ref_factor_intensity_other_sectors")
    mapping = pd.concat([
        pd.Series(industry["factor_intensity"].to_numpy(),
                  index=industry["ceads_sector_order"].astype(int)),
        pd.Series(other["factor_intensity"].to_numpy(), index=other["sector_order"].astype(int)),
    ])
    return mapping.sort_index()


def fuels() -> pd.DataFrame:
    """dim_fuel: balance-sheet fuels with NCV (kJ per ``ncv_per``), carbon content (t C/TJ) and
    oxidation rate; numeric columns as floats, ``is_scope1_fossil`` as bool."""
    frame = seed("dim_fuel").copy()
    for column in ("ncv_kj", "ncv_units_per_physical_unit", "carbon_content_tc_per_tj",
                   "oxidation_rate"):
        frame[column] = pd.to_numeric(frame[column].replace("", None))
    frame["is_scope1_fossil"] = frame["is_scope1_fossil"] == "true"
    return frame


@cache
def dbt_var(name: str) -> object:
    """A var of dbt_project/dbt_project.yml (constants such as kj_per_kgce live there once)."""
    project = yaml.safe_load((SEEDS_DIR.parent / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"][name]


def tj_per_physical_unit(fuel: pd.Series | pd.DataFrame) -> pd.Series | float:
    """TJ in one printed physical unit of a fuel (dim_fuel row or rows):
    ncv_units_per_physical_unit x ncv_kj / 10^9 (dbt macro energy_tj)."""
    return fuel["ncv_units_per_physical_unit"] * fuel["ncv_kj"] / 1e9


def co2_t_per_tj(fuel: pd.Series | pd.DataFrame) -> pd.Series | float:
    """t CO2 per TJ of a fossil fuel: carbon content x oxidation x 44/12 (dbt macro
    co2_t_per_tj)."""
    return fuel["carbon_content_tc_per_tj"] * fuel["oxidation_rate"] * 44.0 / 12.0


def co2_t_per_physical_unit(fuel: pd.Series | pd.DataFrame) -> pd.Series | float:
    """t CO2 per printed physical unit of a fossil fuel: TJ per unit x t CO2 per TJ, the
    formula of dbt's int_emissions_computed; the demo uses it to print the balance sheets that
    the computed method reads back."""
    return tj_per_physical_unit(fuel) * co2_t_per_tj(fuel)


def tj_per_tce() -> float:
    """TJ in one tonne of standard coal: kj_per_kgce (dbt var, 29,307.6) x 1000 / 10^9."""
    return float(dbt_var("kj_per_kgce")) * 1000 / 1e9


@cache
def _grid_factor_rows() -> dict[str, list[tuple[int, float]]]:
    """dim_grid as {grid_code: [(factor_year, tco2_per_mwh), ...]} in file order (cached: the
    demo asks for every province-year, and filtering the seed frame each time took seconds)."""
    table = seed("dim_grid")
    rows: dict[str, list[tuple[int, float]]] = {}
    for code, year, factor in zip(table["grid_code"], table["factor_year"],
                                  table["tco2_per_mwh"], strict=True):
        rows.setdefault(code, []).append((int(year), float(factor)))
    return rows


def grid_factor(grid_code: str, year: int) -> float:
    """t CO2 per MWh of a grid in a year (dim_grid): the factor of the latest factor_year at or
    before ``year``, else the earliest published (the rule of int_province_grid_factors)."""
    rows = _grid_factor_rows().get(grid_code)
    if not rows:
        raise KeyError(f"grid '{grid_code}' is not in dbt_project/seeds/dim_grid.csv")
    before = [row for row in rows if row[0] <= year]
    # max/min keep the first of equal years, as idxmax/idxmin did
    chosen = max(before, key=lambda r: r[0]) if before else min(rows, key=lambda r: r[0])
    return chosen[1]
