"""Provincial energy balance sheets (地区能源平衡表(实物量)) of the synthetic demo yearbook.

The sheets are derived from the same world as the CEADs-style inventories, so that the warehouse's
two emission methods must agree: for every province, year, balance sector and fossil fuel,

    AD (physical units) = CO2 (t, from the inventory) / co2_t_per_physical_unit(fuel)

with the factors of ``dbt_project/seeds/dim_fuel.csv`` (models_py.reference). CEADs sectors map
to balance sectors through ``ref_ceads_sectors.energy_balance_sector`` and to printed rows through
``ref_energy_balance_flows`` (the CEADs boundary, documented there):

- power_heat (sector 39): inputs to 火力发电 (85 %) and 供热 (15 %), printed negative;
- industry (sectors 2-41 but 39): 终端消费量/工业, of which a loss share of the gaseous fuels is
  printed as 损失量 instead, and feedstock (用作原料、材料, non-energy use: not emitted) is added on
  top of the energy use;
- the other final sectors one row each.

CEADs' "other gas" is printed as 高炉煤气 (blast furnace gas) and 其他煤气 in fixed CO2 shares.
Electricity (亿千瓦小时) by balance sector is the structural model's scope-2 CO2 over the grid
factor; its scope-2 CO2 (consumption x the grid factor of dim_grid) is what the demo inventory
prints in the Scope 2 Electricity column. Supply rows (production, inflows, outflows) and the
other transformation rows are filled so that each column balances (平衡差额 = 0), for realism;
the warehouse does not use them. Printed to 2 decimals, as the yearbook does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from models_py.demo.structural import CEADS_FUELS, DemoWorld, grid_factors
from models_py.reference import (
    ceads_sectors,
    co2_t_per_physical_unit,
    fuels,
    provinces,
    tj_per_physical_unit,
)

IND = "\u3000\u3000"  # one indentation level as the yearbook prints it (two full-width spaces)
# printed rows: (label with indentation, flow path or None for supply/bookkeeping rows)
ROWS: tuple[str, ...] = (
    "可供本地区消费的能源量", "一次能源生产量", "外省(区、市)调入量", "本省(区、市)调出量(-)",
    "进口量", "出口量(-)", "库存增(-)减(+)量", "加工转换投入(-)产出(+)量", IND + "火力发电",
    IND + "供热",
    IND + "洗选煤", IND + "炼焦", IND + "炼油及煤制油", IND + "制气", IND + "天然气液化",
    IND + "煤制品加工", "损失量", "终端消费量", IND + "农、林、牧、渔业", IND + "工业",
    IND * 2 + "用作原料、材料", IND + "建筑业", IND + "交通运输、仓储和邮政业",
    IND + "批发和零售业、住宿和餐饮业", IND + "其他", IND + "居民生活", IND * 2 + "城镇",
    IND * 2 + "乡村", "平衡差额",
)
FINAL_SECTORS = ("agriculture", "industry", "construction", "transport", "commerce", "other",
                 "households_urban", "households_rural")
# the printed row of each of FINAL_SECTORS
FINAL_LABELS = ("农、林、牧、渔业", "工业", "建筑业", "交通运输、仓储和邮政业",
                "批发和零售业、住宿和餐饮业", "其他", "城镇", "乡村")
POWER_SHARE = 0.85  # of sector 39's fossil inputs, to 火力发电 (the rest to 供热)
LOSS_SHARE = {"coke_oven_gas": 0.03, "other_gas": 0.03, "blast_furnace_gas": 0.03,
              "natural_gas": 0.02}  # of industrial use, printed as 损失量
FEEDSTOCK_SHARE = {"raw_coal": 0.03, "natural_gas": 0.10, "other_petroleum_products": 0.45,
                   "lpg": 0.10, "fuel_oil": 0.05}  # non-energy use on top of industrial use
BLAST_FURNACE_SHARE = 0.6  # of CEADs "other gas" CO2, printed as 高炉煤气
ELECTRICITY_SPLIT = {"agriculture": 0.02, "industry": 0.67, "construction": 0.01,
                     "transport": 0.02, "commerce": 0.05, "other": 0.09,
                     "households_urban": 0.09, "households_rural": 0.05}
LINE_LOSS = 0.06  # of final electricity consumption
PRINT_DECIMALS = 2


@dataclass(frozen=True)
class BalanceWorld:
    """Physical quantities by province x year x balance sector x fuel (dim_fuel order).

    ``use``: energy use counted by the computed method (fossil inputs of power_heat as positive
    quantities); ``loss``: 损失量; ``feedstock``: 用作原料、材料; ``electricity``: final electricity
    consumption by sector (亿千瓦小时); ``scope2_mt``: scope-2 CO2 by CEADs sector (Mt).
    """

    fuel_codes: tuple[str, ...]
    sectors: tuple[str, ...]
    use: np.ndarray
    loss: np.ndarray
    feedstock: np.ndarray
    electricity: np.ndarray
    scope2_mt: np.ndarray
    seed: int


@cache
def _fuel_table() -> pd.DataFrame:
    """dim_fuel by fuel_code (cached: read for each of the 690 sheets; never modified)."""
    return fuels().set_index("fuel_code")


def _sector_index() -> tuple[tuple[str, ...], np.ndarray]:
    """Balance sectors (power_heat first) and, per CEADs sector, the index of its sector."""
    sectors = ("power_heat", *FINAL_SECTORS)
    mapping = ceads_sectors()["energy_balance_sector"].map(sectors.index).to_numpy()
    return sectors, mapping


def balance_world(world: DemoWorld) -> BalanceWorld:
    """The physical quantities behind the printed balance sheets (see the module docstring)."""
    table = _fuel_table()
    codes = tuple(table.index)
    per_unit = co2_t_per_physical_unit(table)
    sectors, sector_of = _sector_index()
    n, t = world.ceads_mt.shape[:2]
    co2_t = np.zeros((n, t, len(sectors), len(codes)))
    for c, ceads_fuel in enumerate(CEADS_FUELS[:17]):
        by_sector = np.zeros((n, t, len(sectors)))
        np.add.at(by_sector, (slice(None), slice(None), sector_of),
                  world.ceads_mt[:, :, :, c] * 1e6)
        code = ceads_fuel.lower().replace(" ", "_")
        if code == "other_gas":
            co2_t[..., codes.index("blast_furnace_gas")] += by_sector * BLAST_FURNACE_SHARE
            co2_t[..., codes.index("other_gas")] += by_sector * (1 - BLAST_FURNACE_SHARE)
        else:
            co2_t[..., codes.index(code)] += by_sector
    with np.errstate(invalid="ignore", divide="ignore"):
        use = np.nan_to_num(co2_t / per_unit.to_numpy()[None, None, None, :])
    industry = sectors.index("industry")
    loss = np.zeros((n, t, len(codes)))
    feedstock = np.zeros((n, t, len(codes)))
    for code, share in LOSS_SHARE.items():
        loss[..., codes.index(code)] = use[:, :, industry, codes.index(code)] * share
    for code, share in FEEDSTOCK_SHARE.items():
        feedstock[..., codes.index(code)] = use[:, :, industry, codes.index(code)] * share
    electricity = _electricity(world, sectors)
    return BalanceWorld(codes, sectors, use, loss, feedstock, electricity,
                        _scope2_by_ceads_sector(world, electricity, sectors), world.planted.seed)


def _electricity(world: DemoWorld, sectors: tuple[str, ...]) -> np.ndarray:
    """Final electricity consumption (亿千瓦小时) by province x year x balance sector: the
    world's scope-2 CO2 (the structural model sets it, as part of the technology-import study's
    total CO2) divided by the grid factor, split over the sectors in ELECTRICITY_SPLIT."""
    prov = provinces()
    total = (world.province_year.pivot(index="province_code", columns="year",
                                       values="true_electricity_100m_kwh")
             .loc[prov["province_code"], list(world.years)].to_numpy())
    split = np.array([ELECTRICITY_SPLIT.get(s, 0.0) for s in sectors])
    return total[:, :, None] * split[None, None, :]


def _scope2_by_ceads_sector(world: DemoWorld, electricity: np.ndarray,
                            sectors: tuple[str, ...]) -> np.ndarray:
    """Scope-2 electricity CO2 (Mt) by province x year x CEADs sector: each balance sector's
    electricity spread over its CEADs sectors in proportion to their scope-1 CO2, times the grid
    factor (亿kWh = 10^5 MWh)."""
    _, sector_of = _sector_index()
    scope1 = world.ceads_mt.sum(axis=3)  # n x t x 47
    group_total = np.zeros(electricity.shape)
    np.add.at(group_total, (slice(None), slice(None), sector_of), scope1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.nan_to_num(scope1 / group_total[:, :, sector_of])
    kwh = electricity[:, :, sector_of] * weight
    factors = grid_factors(world.years)
    return kwh * 1e5 * factors[:, :, None] / 1e6


def _fuel_columns(balance: BalanceWorld, p: int, t: int) -> dict[str, np.ndarray]:
    """Every printed row of one province-year as an array over the fuels (physical units)."""
    fuel_codes = balance.fuel_codes
    nf = len(fuel_codes)
    sec = balance.sectors.index
    use = balance.use[p, t]
    rows = {label.strip("\u3000"): np.zeros(nf) for label in ROWS}
    rows["火力发电"] = -use[sec("power_heat")] * POWER_SHARE
    rows["供热"] = -use[sec("power_heat")] * (1 - POWER_SHARE)
    rows["损失量"] = balance.loss[p, t].copy()
    for sector, label in zip(FINAL_SECTORS, FINAL_LABELS, strict=True):
        rows[label] = use[sec(sector)].copy()
    rows["工业"] += balance.feedstock[p, t] - balance.loss[p, t]
    rows["用作原料、材料"] = balance.feedstock[p, t].copy()
    elec = fuel_codes.index("electricity")
    heat = fuel_codes.index("heat")
    electricity = balance.electricity[p, t]
    for sector, label in zip(FINAL_SECTORS, FINAL_LABELS, strict=True):
        rows[label][elec] = electricity[sec(sector)]
    final_elec = electricity.sum()
    rows["损失量"][elec] = final_elec * LINE_LOSS
    rows["火力发电"][elec] = final_elec * (1 + LINE_LOSS) * 0.7  # thermal output, rest primary
    table = _fuel_table()
    input_tj = (-rows["供热"] * tj_per_physical_unit(table).to_numpy()).sum()
    heat_out = input_tj * 0.85 / 10.0  # 万百万千焦 = 10 TJ; 85 % boiler efficiency
    rows["供热"][heat] = heat_out
    rows["工业"][heat] = heat_out * 0.7
    rows["城镇"][heat] = heat_out * 0.3
    _transformations(rows, fuel_codes, use)
    rows["居民生活"] = rows["城镇"] + rows["乡村"]
    rows["终端消费量"] = sum(rows[label] for label in (*FINAL_LABELS[:6], "居民生活"))
    rows["加工转换投入(-)产出(+)量"] = sum(rows[label] for label in (
        "火力发电", "供热", "洗选煤", "炼焦", "炼油及煤制油", "制气", "天然气液化", "煤制品加工"))
    available = rows["终端消费量"] + rows["损失量"] - rows["加工转换投入(-)产出(+)量"]
    rows["可供本地区消费的能源量"] = available
    _supply(rows, fuel_codes, available, balance.seed, p, t)
    return rows


def _transformations(rows: dict[str, np.ndarray], fuel_codes: tuple[str, ...],
                     use: np.ndarray) -> None:
    """Coal washing, coking and refining: inputs (-) and outputs (+) of the fossil fuels the
    province uses, with conversion losses (not counted by the computed method)."""
    f = fuel_codes.index
    total = use.sum(axis=0)
    washed = total[f("cleaned_coal")] + total[f("other_washed_coal")]
    rows["洗选煤"][f("cleaned_coal")] = total[f("cleaned_coal")] * 0.3
    rows["洗选煤"][f("other_washed_coal")] = total[f("other_washed_coal")]
    rows["洗选煤"][f("raw_coal")] = -washed * 1.2
    coke = total[f("coke")] * 0.8
    rows["炼焦"][f("coke")] = coke
    rows["炼焦"][f("coke_oven_gas")] = coke * 0.045
    rows["炼焦"][f("cleaned_coal")] = -coke * 1.3
    products = [f(c) for c in ("gasoline", "kerosene", "diesel_oil", "fuel_oil", "lpg",
                               "refinery_gas", "other_petroleum_products")]
    refined = sum(total[i] for i in products) * 0.7
    for i in products:
        rows["炼油及煤制油"][i] = total[i] * 0.7
    rows["炼油及煤制油"][f("crude_oil")] = -refined * 1.03


def _supply(rows: dict[str, np.ndarray], fuel_codes: tuple[str, ...], available: np.ndarray,
            seed_value: int, p: int, t: int) -> None:
    """Production of primary fuels, inflows and outflows that add up to the available energy."""
    rng = np.random.default_rng(np.random.SeedSequence([seed_value, 4, p, t]))
    primary = np.isin(fuel_codes, ("raw_coal", "crude_oil", "natural_gas", "electricity"))
    production = np.where(primary, available * rng.uniform(0.0, 1.6, len(fuel_codes)), 0.0)
    production = np.maximum(production, 0.0)
    inflow = np.maximum(available - production, 0.0) * 1.05
    outflow = -(production + inflow - available)
    rows["一次能源生产量"] = production
    rows["外省(区、市)调入量"] = inflow
    rows["本省(区、市)调出量(-)"] = outflow


def balance_sheet_rows(balance: BalanceWorld, p: int, t: int, title: str) -> list[list]:
    """One sheet as printed: title, fuel header, unit row, the flows, 平衡差额 and the note."""
    table = _fuel_table()
    values = _fuel_columns(balance, p, t)
    sheet: list[list] = [[title], ["项目", *table["name_zh"]], [None, *table["physical_unit"]]]
    supply_only = {"进口量", "出口量(-)", "库存增(-)减(+)量", "制气", "天然气液化", "煤制品加工"}
    for label in ROWS:
        key = label.strip("\u3000")
        if key == "平衡差额":
            sheet.append([label, *[0.0] * len(table)])
            continue
        row = np.round(values[key], PRINT_DECIMALS) + 0.0
        printed = ["-" if key in supply_only else float(v) for v in row]
        sheet.append([label, *printed])
    return sheet


def balance_sheets_by_year(world: DemoWorld, balance: BalanceWorld,
                           years: tuple[int, ...]) -> dict[int, list]:
    """{year: [(sheet name, rows), ...]} for the requested years, sheets named with the short
    Chinese province name, as the yearbook's provincial tables."""
    prov = provinces()
    out: dict[int, list] = {}
    for year in years:
        t = world.years.index(year)
        out[year] = [(name, balance_sheet_rows(balance, p, t, f"{name}能源平衡表(实物量) {year}"))
                     for p, name in enumerate(prov["name_zh_short"])]
    return out

