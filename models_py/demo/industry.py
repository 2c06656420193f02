"""The demo's industry world: national two-digit industries (GB/T 4754-2002), 1999-2015.

Synthetic. The span covers the industrial FDI study's sample (Wang and Wu 2017: 1999-2013) and
two more years (the marts keep every year; a study declares its window); the GB/T 4754-2002
classification, printed throughout (real yearbooks switched to GB/T 4754-2011
names from 2012; the alias seed ``ref_industry_aliases`` maps both). 40 industries are printed:
the 36 of ``dim_industry`` and 11, 12, 42, 43, which the study excludes and the marts drop.

Primitives (fuel mix, fuel prices, wages, R&D, output, prices, profitability) are drawn from
one ``numpy.random.default_rng(seed + 3)`` and rounded to their printed precision; the
regressors are then computed from the *printed* numbers exactly as the warehouse computes them,
and FDI follows

  ln RFDI_it = a_i + g_t + (b + d H_i) ln P_i,t-1 + X_it c + e_it         (foreign NFA share)
  ln AFDI_it = a'_i + g'_t + (b' + d' H_i) ln P_i,t-1 + X_it c' + e'_it    (at 1999 prices)

with P_it = sum_e P_et Q_eit / Q_it the unit energy cost (yuan per tce; Q in tce through the
NCVs of dim_fuel, 1 kgce = 29,307.6 kJ), H_i the high-energy flag and X = (ln real wage_t-1,
ln capital cost_t-1, ln R&D stock, profitability of foreign-funded firms, ln scale, ln nfa1,
ln nfa2, ln PPI deflator) (planted.py; the paper lags energy, labour and capital cost one year
and no other regressor). The first year (1999) has no lag and uses its own regressors; the
regressions run over 2000-2015. State-controlled (nfa1) and private (nfa2) net fixed assets
are drawn first (exogenous paths at 1999 prices); net fixed assets of all firms = foreign
nominal / RFDI, and the rest of them (collective and other domestic firms) stays positive.

The energy table prints, beside the six fuels, each industry's total energy use (能源消费总量,
万吨标准煤; the paper's 综合能源消费量 Q_i): the printed fuels in tce (electricity at its
calorific equivalent, 0.1229 kgce/kWh) plus fuels the table does not itemise (fuel oil, gases,
heat, ...), 5-25 % of the total.

The year effects offset the average drift of the regressors so that the foreign share stays in
5-60 % (high-energy industries lower) and foreign NFA grows about 11 % a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_py.demo.anchors import CPI_INFLATION, FAI_PRICE_INFLATION
from models_py.demo.planted import PLANTED, PlantedParameters
from models_py.demo.structural import chain_index, perpetual_inventory
from models_py.reference import co2_t_per_tj, fuels, seed, tj_per_physical_unit, tj_per_tce

INDUSTRY_YEARS: tuple[int, ...] = tuple(range(1999, 2016))
# printed header and unit of the total energy use Q_i (the paper's 综合能源消费量)
TOTAL_ENERGY = ("能源消费总量", "万吨标准煤")
# national CPI and FAI price inflation (%) of 1999, before the anchors' span (NBS, rounded)
_CPI_1999, _FAI_1999 = -1.4, -0.4
# printed fuels (dim_fuel codes), their printed quantity unit and printed price unit
PRINTED_FUELS: tuple[str, ...] = ("raw_coal", "coke", "gasoline", "diesel_oil", "natural_gas",
                                  "electricity")
PRICE_UNITS = {"kg": ("元/吨", 1000.0), "m3": ("元/立方米", 1.0), "kWh": ("元/千瓦时", 1.0)}
OWNERSHIP = ("全部", "国有及国有控股", "私营", "外商投资和港澳台商投资")
INDICATORS = (("企业单位数", "个", 0), ("工业总产值", "亿元", 2), ("资产总计", "亿元", 2),
              ("固定资产净值", "亿元", 2), ("主营业务收入", "亿元", 2), ("成本费用总额", "亿元", 2),
              ("利润总额", "亿元", 2), ("全部从业人员年平均人数", "万人", 2), ("平均工资", "元", 0))
PRICE_DECIMALS = {"元/吨": 1, "元/立方米": 3, "元/千瓦时": 4}
QUANTITY_DECIMALS = 2

# ---- realistic anchors (orders of magnitude from memory of the yearbooks; never published) ----
# gross industrial output in 2008 (10^8 yuan, current prices); the 2008 total is ~ 500,000
OUTPUT_2008: dict[str, float] = {
    "06": 14600, "07": 10600, "08": 3200, "09": 2300, "10": 1800, "11": 30, "12": 250,
    "13": 23900, "14": 7700, "15": 6300, "16": 4500, "17": 21400, "18": 9400, "19": 5900,
    "20": 3800, "21": 2900, "22": 6900, "23": 2400, "24": 2400, "25": 22900, "26": 33900,
    "27": 7900, "28": 4200, "29": 3800, "30": 9100, "31": 20900, "32": 44700, "33": 20900,
    "34": 13600, "35": 24600, "36": 14500, "37": 33400, "39": 30400, "40": 43900, "41": 5300,
    "42": 4400, "43": 1000, "44": 30300, "45": 1500, "46": 1100,
}
# final energy use in 2008 (10^4 tce)
ENERGY_2008: dict[str, float] = {
    "06": 8100, "07": 3500, "08": 1100, "09": 900, "10": 1100, "11": 40, "12": 60,
    "13": 2600, "14": 1300, "15": 1100, "16": 230, "17": 6300, "18": 700, "19": 400,
    "20": 1100, "21": 250, "22": 3500, "23": 320, "24": 260, "25": 13500, "26": 29000,
    "27": 1400, "28": 1700, "29": 900, "30": 1300, "31": 26000, "32": 52000, "33": 11500,
    "34": 2400, "35": 2500, "36": 1400, "37": 2300, "39": 1400, "40": 1600, "41": 250,
    "42": 450, "43": 80, "44": 21000, "45": 700, "46": 800,
}
# tce shares of the printed fuels (raw coal, coke, gasoline, diesel, natural gas, electricity)
_MIX = {
    "mining": (.55, .01, .03, .16, .05, .20), "oil_gas": (.12, .002, .03, .12, .55, .18),
    "light": (.55, .01, .05, .06, .05, .28), "petroleum": (.55, .05, .02, .03, .28, .07),
    "chemicals": (.55, .08, .01, .02, .16, .18), "chemical_fibre": (.50, .02, .03, .03, .08, .34),
    "materials": (.35, .03, .05, .06, .06, .45), "nonmetal": (.72, .03, .01, .05, .04, .15),
    "steel": (.25, .58, .005, .01, .02, .135), "nonferrous": (.35, .10, .01, .03, .06, .45),
    "machinery": (.25, .05, .08, .07, .08, .47), "power": (.90, .002, .003, .01, .04, .045),
    "gas": (.55, .12, .01, .01, .22, .09), "water": (.08, .002, .04, .05, .03, .80),
}
_MIX_OF = {
    "06": "mining", "07": "oil_gas", "08": "mining", "09": "mining", "10": "mining",
    "11": "mining", "12": "mining", "25": "petroleum", "26": "chemicals", "27": "chemical_fibre",
    "28": "chemical_fibre", "29": "materials", "30": "materials", "31": "nonmetal",
    "32": "steel", "33": "nonferrous", "34": "materials", "35": "machinery", "36": "machinery",
    "37": "machinery", "39": "machinery", "40": "machinery", "41": "machinery", "44": "power",
    "45": "gas", "46": "water",
}  # every other industry: "light"
# national prices in printed units (元/吨, 元/立方米, 元/千瓦时), interpolated in logs
PRICE_PATHS: dict[str, dict[int, float]] = {
    "raw_coal": {1999: 150, 2003: 260, 2005: 390, 2008: 620, 2011: 820, 2012: 760, 2013: 640,
                 2015: 470},
    "coke": {1999: 420, 2003: 650, 2004: 1250, 2005: 1150, 2008: 2100, 2009: 1600, 2011: 2000,
             2013: 1400,
             2015: 950},
    "gasoline": {1999: 2900, 2003: 3900, 2005: 4900, 2008: 6900, 2009: 7000, 2011: 8600, 2013: 9200,
                 2015: 7600},
    "diesel_oil": {1999: 2600, 2003: 3500, 2005: 4500, 2008: 6300, 2011: 7900, 2013: 8300,
                   2015: 6500},
    "natural_gas": {1999: 0.9, 2003: 1.15, 2008: 1.6, 2010: 1.9, 2013: 2.4, 2015: 2.7},
    "electricity": {1999: 0.42, 2003: 0.48, 2008: 0.58, 2011: 0.63, 2013: 0.66, 2015: 0.65},
}
# national PPI inflation (%), previous year = 100 minus 100
PPI_INFLATION: dict[int, float] = {
    1999: -2.4, 2000: 2.8, 2001: -1.3, 2002: -2.2,
    2003: 2.3, 2004: 6.1, 2005: 4.9, 2006: 3.0, 2007: 3.1, 2008: 6.9, 2009: -5.4, 2010: 5.5,
    2011: 6.0, 2012: -1.7, 2013: -1.9, 2014: -1.9, 2015: -5.2,
}
RESOURCE_PRICE_SENSITIVITY = 2.2  # resource industries' PPI swings with the cycle more
REVISED_YEARS = (2011, 2012)  # gross output the 2023 edition revises (as after a census)


def industries() -> pd.DataFrame:
    """The 40 printed industries: code, official GB/T 4754-2002 name, in the study or not, the
    high-energy flag and the factor-intensity class (null for the excluded four)."""
    aliases = seed("ref_industry_aliases")
    names = aliases[aliases["form"] == "gbt4754_2002"][["industry_code", "alias", "in_study"]]
    dim = seed("dim_industry")[["industry_code", "is_high_energy", "factor_intensity"]]
    frame = names.rename(columns={"alias": "name_zh"}).merge(dim, on="industry_code", how="left")
    frame["in_study"] = frame["in_study"] == "true"
    frame["is_high_energy"] = frame["is_high_energy"] == "true"
    return frame.sort_values("industry_code").reset_index(drop=True)


def printed_fuels() -> pd.DataFrame:
    """dim_fuel rows of the printed fuels with tce per printed quantity unit, the printed price
    unit and tce per price unit, and the emission factor (t CO2 per tce) of fossil fuels
    (electricity's indirect factor depends on the grid and year: carbon_per_tce)."""
    table = fuels().set_index("fuel_code").loc[list(PRINTED_FUELS)].reset_index()
    tce_per_tj = 1.0 / tj_per_tce()
    table["tce_per_printed_unit"] = tj_per_physical_unit(table) * tce_per_tj
    units = table["ncv_per"].map(PRICE_UNITS)
    table["price_unit"] = [u[0] for u in units]
    table["ncv_units_per_price_unit"] = [u[1] for u in units]
    table["tce_per_price_unit"] = (table["ncv_units_per_price_unit"] * table["ncv_kj"] / 1e9
                                   * tce_per_tj)
    table["tco2_per_tce"] = co2_t_per_tj(table) * tj_per_tce()  # NaN for electricity
    return table


@dataclass
class IndustryWorld:
    """The generated industry world.

    ``industry_year``: one row per printed industry and year, the printed main indicators of all
    four ownership classes (columns ``<indicator>|<class>``), PPI and R&D as printed, and the true
    derived variables (``true_*``, computed from the printed numbers as the warehouse does);
    ``fuel_use``: industry x year x fuel quantities as printed; ``prices``: year x fuel prices
    as printed; ``national``: year, CPI and FAI price index (previous year = 100);
    ``pre_revision``: gross output of all firms in REVISED_YEARS as the 2021 edition printed it.
    """

    industry_year: pd.DataFrame
    fuel_use: pd.DataFrame
    prices: pd.DataFrame
    national: pd.DataFrame
    pre_revision: pd.DataFrame
    planted: PlantedParameters


def _path(points: dict[int, float], years: np.ndarray) -> np.ndarray:
    keys = np.array(sorted(points))
    return np.exp(np.interp(years, keys, np.log([points[k] for k in keys])))


def unit_energy_cost(quantity: np.ndarray, prices: np.ndarray, fuel: pd.DataFrame) -> np.ndarray:
    """P = sum_e P_e Q_e / Q (yuan per tce) from printed quantities (..., fuel) and printed
    prices (..., fuel), both in printed units; ``fuel`` = printed_fuels()."""
    q_tce = quantity * fuel["tce_per_printed_unit"].to_numpy()
    p_tce = prices / fuel["tce_per_price_unit"].to_numpy()
    return (q_tce * p_tce).sum(axis=-1) / q_tce.sum(axis=-1)


def carbon_per_tce(quantity: np.ndarray, total_tce: np.ndarray, fuel: pd.DataFrame,
                   grid_tco2_per_mwh: float) -> np.ndarray:
    """UC = sum_e ef_e Q_e / Q (t CO2 per tce of total energy use ``total_tce``, Q_i) from printed
    quantities (..., fuel); electricity (printed in 10^8 kWh) at ``grid_tco2_per_mwh``."""
    q_tce = quantity * fuel["tce_per_printed_unit"].to_numpy()
    factor = fuel["tco2_per_tce"].to_numpy().copy()
    is_power = (fuel["fuel_code"] == "electricity").to_numpy()
    factor[is_power] = grid_tco2_per_mwh * 1e-3 / fuel.loc[is_power, "tce_per_price_unit"]
    return (q_tce * factor).sum(axis=-1) / total_tce


def simulate_industry_world(planted: PlantedParameters = PLANTED) -> IndustryWorld:
    """Simulate the industry world over INDUSTRY_YEARS (see the module docstring)."""
    rng = np.random.default_rng(planted.seed + 3)
    ind = industries()
    codes = ind["industry_code"].tolist()
    n, t_n = len(codes), len(INDUSTRY_YEARS)
    years = np.array(INDUSTRY_YEARS, dtype=float)
    i08 = INDUSTRY_YEARS.index(2008)
    fuel = printed_fuels()
    n_fuel = len(fuel)
    high = ind["is_high_energy"].to_numpy()
    resource = ind["industry_code"].isin(["06", "07", "08", "09", "10", "11", "25", "31", "32",
                                          "33", "44", "45"]).to_numpy()

    # ---- draws, in a fixed order ------------------------------------------------------------
    mix_level = rng.normal(0, 0.25, (n, n_fuel))
    mix_trend = rng.normal(0, 0.04, (n, n_fuel))
    mix_shock = rng.normal(0, 0.10, (n, t_n, n_fuel))
    energy_growth = rng.uniform(0.03, 0.09, n)
    energy_noise = rng.normal(0, 0.03, (n, t_n))
    price_noise = rng.normal(0, 0.02, (t_n, n_fuel))
    ppi_noise = rng.normal(0, 1.0, (n, t_n))
    output_growth = rng.uniform(0.08, 0.16, n)
    output_noise = np.cumsum(rng.normal(0, 0.03, (n, t_n)), axis=1)
    wage_1999 = np.exp(rng.uniform(np.log(6000), np.log(13000), n))
    wage_growth = rng.uniform(0.10, 0.14, n)
    wage_noise = rng.normal(0, 0.02, (n, t_n))
    rd_intensity = np.exp(rng.uniform(np.log(0.001), np.log(0.01), n))
    rd_growth = rng.uniform(0.05, 0.10, n)
    rd_noise = rng.normal(0, 0.05, (n, t_n))
    profit_level = rng.uniform(0.03, 0.09, n)
    profit_noise = rng.normal(0, 0.012, (n, t_n))
    foreign_share_2008 = rng.uniform(0.12, 0.55, n)
    # high-energy industries: lower foreign shares (their energy costs rose most since 1999)
    foreign_share_2008 = np.where(high, foreign_share_2008 * 0.4, foreign_share_2008)
    nfa_output_ratio = rng.uniform(0.15, 0.35, n)
    rel_noise = rng.normal(0, planted.industry_rel_noise_sd, (n, t_n))
    abs_noise = rng.normal(0, planted.industry_abs_noise_sd, (n, t_n))
    state_part = rng.uniform(0.20, 0.50, n)
    private_part = rng.uniform(0.08, 0.28, n)
    class_noise = rng.normal(0, 0.03, (n, t_n, 3))
    assets_ratio = rng.uniform(2.0, 3.0, n)
    firm_size = np.exp(rng.uniform(np.log(0.4), np.log(3.0), n))  # 10^8 yuan per firm, 2008
    productivity = np.exp(rng.uniform(np.log(35.0), np.log(150.0), n))  # 10^4 yuan per person
    revision = rng.uniform(0.01, 0.04, n)
    other_fuels_share = rng.uniform(0.05, 0.25, n)  # of total energy use, fuels not itemised
    other_fuels_noise = rng.normal(0, 0.01, (n, t_n))
    state_growth = rng.uniform(0.07, 0.12, n)
    private_growth = rng.uniform(0.12, 0.18, n)
    state_noise = np.cumsum(rng.normal(0, 0.04, (n, t_n)), axis=1)
    private_noise = np.cumsum(rng.normal(0, 0.05, (n, t_n)), axis=1)

    # ---- national prices ----------------------------------------------------------------------
    cpi = {1999: _CPI_1999, **CPI_INFLATION}
    fai = {1999: _FAI_1999, **FAI_PRICE_INFLATION}
    cpi_index = np.round(np.array([100 + cpi[y] for y in INDUSTRY_YEARS]), 1)
    fai_index = np.round(np.array([100 + fai[y] for y in INDUSTRY_YEARS]), 1)
    cpi_defl = chain_index(cpi_index[None, :])[0]
    fai_defl = chain_index(fai_index[None, :])[0]
    prices = np.column_stack([_path(PRICE_PATHS[f], years) for f in PRINTED_FUELS])
    prices = prices * np.exp(price_noise)
    prices = np.column_stack([np.round(prices[:, k], PRICE_DECIMALS[u])
                              for k, u in enumerate(fuel["price_unit"])])

    # ---- energy use by fuel --------------------------------------------------------------------
    base_mix = np.array([_MIX[_MIX_OF.get(c, "light")] for c in codes])
    logits = (np.log(np.maximum(base_mix, 0.002))[:, None, :] + mix_level[:, None, :]
              + mix_trend[:, None, :] * (years - 2008)[None, :, None] + mix_shock)
    logits[:, :, -1] += 0.03 * (years - 2008)[None, :]  # electrification
    shares = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    energy_tce = (np.array([ENERGY_2008[c] for c in codes])[:, None]
                  * np.exp(energy_growth[:, None] * (years - 2008)[None, :] + energy_noise))
    quantity = np.round(energy_tce[:, :, None] * 1e4 * shares
                        / fuel["tce_per_printed_unit"].to_numpy()[None, None, :],
                        QUANTITY_DECIMALS)
    cost = unit_energy_cost(quantity, prices[None, :, :], fuel)
    printed_tce = (quantity * fuel["tce_per_printed_unit"].to_numpy()).sum(axis=2) / 1e4
    total_energy = np.round(printed_tce / np.clip(
        1 - other_fuels_share[:, None] - other_fuels_noise, 0.7, 0.97), 2)  # 10^4 tce

    # ---- output, prices, wages, R&D, profitability -------------------------------------------
    ppi_infl = (np.array([PPI_INFLATION[y] for y in INDUSTRY_YEARS])[None, :]
                * np.where(resource, RESOURCE_PRICE_SENSITIVITY, 0.6)[:, None] + ppi_noise)
    ppi = np.round(100 + ppi_infl, 1)
    ppi_defl = chain_index(ppi)
    growth = np.where(years <= 2011, 1.0, 0.6)[None, :] * output_growth[:, None]
    real_path = np.exp(np.cumsum(np.column_stack([np.zeros(n), growth[:, 1:]]), axis=1)
                       + output_noise)
    real_path = real_path / real_path[:, [i08]] / ppi_defl[:, [i08]]
    output = np.round(np.array([OUTPUT_2008[c] for c in codes])[:, None] * real_path * ppi_defl,
                      2)
    scale = output / ppi_defl
    wage = np.round(wage_1999[:, None] * np.exp(wage_growth[:, None] * (years - 1999)[None, :]
                                               + wage_noise), 0)
    real_wage = wage / cpi_defl[None, :]
    rd = np.round(output * 1e4 * rd_intensity[:, None]
                  * np.exp(rd_growth[:, None] * (years - 1999)[None, :] + rd_noise), 1)
    rd_stock = perpetual_inventory(rd / fai_defl[None, :], planted.tis_depreciation,
                                   planted.tis_base_growth)
    profitability = profit_level[:, None] + profit_noise

    foreign_output_share = np.clip(foreign_share_2008[:, None] * 1.1, 0.05, 0.7) * np.ones(t_n)
    revenue_foreign = output * foreign_output_share * 0.97
    cost_foreign = np.round(revenue_foreign / (1 + profitability), 2)
    profit_foreign = np.round(cost_foreign * profitability, 2)
    profitability = profit_foreign / cost_foreign  # as the warehouse computes it

    # ---- state-controlled (nfa1) and private (nfa2) net fixed assets, exogenous -----------------
    nfa_2008 = np.array([OUTPUT_2008[c] for c in codes]) * nfa_output_ratio
    nfa_2008[codes.index("44")] = OUTPUT_2008["44"] * 0.55  # power: capital-heavy
    nfa_2008[codes.index("46")] = OUTPUT_2008["46"] * 1.6  # water
    domestic_2008 = nfa_2008 * (1 - foreign_share_2008)
    nfa_state_real = np.round(domestic_2008[:, None] * state_part[:, None] * np.exp(
        state_growth[:, None] * (years - 2008)[None, :] + state_noise) / fai_defl[i08], 2)
    nfa_private_real = np.round(domestic_2008[:, None] * private_part[:, None] * np.exp(
        private_growth[:, None] * (years - 2008)[None, :] + private_noise) / fai_defl[i08], 2)
    nfa_state = np.round(nfa_state_real * fai_defl[None, :], 2)
    nfa_private = np.round(nfa_private_real * fai_defl[None, :], 2)

    # ---- FDI ------------------------------------------------------------------------------------
    def lag(x: np.ndarray) -> np.ndarray:
        """One-year lag; the first year keeps its own value (it has no lag)."""
        return np.concatenate([x[:, :1], x[:, :-1]], axis=1)

    # as the warehouse computes them: real values from the printed (rounded) nominal figures
    state_real = nfa_state / fai_defl[None, :]
    private_real = nfa_private / fai_defl[None, :]
    controls = np.stack([lag(np.log(real_wage)),
                         lag(np.log(np.broadcast_to(fai_defl, (n, t_n)))),
                         np.log(rd_stock), profitability, np.log(scale), np.log(state_real),
                         np.log(private_real), np.log(ppi_defl)], axis=2)
    lag_cost = lag(np.log(cost))

    def fdi(base: float, total_high: float, coefs: tuple, trend: float, target: np.ndarray,
            noise: np.ndarray) -> np.ndarray:
        slope = np.where(high, total_high, base)[:, None]
        index = slope * lag_cost + controls @ np.array(coefs)
        year_effect = -index.mean(axis=0) + trend * (years - 2008)
        level = np.log(target) - (index[:, i08] + year_effect[i08])
        return np.exp(level[:, None] + year_effect[None, :] + index + noise)

    rel = fdi(planted.industry_rel_energy_cost, planted.industry_rel_energy_cost_high_total,
              planted.industry_rel_controls, -0.015, foreign_share_2008, rel_noise)
    abs_real = fdi(planted.industry_abs_energy_cost, planted.industry_abs_energy_cost_high_total,
                   planted.industry_abs_controls, 0.11, foreign_share_2008 * nfa_2008, abs_noise)
    nfa_foreign = np.round(abs_real * fai_defl[None, :], 2)
    nfa_all = np.round(nfa_foreign / rel, 2)
    other_domestic = nfa_all - nfa_foreign - nfa_state - nfa_private
    if (other_domestic[ind["in_study"].to_numpy()] <= 0).any():
        raise ValueError("demo industry world: state, private and foreign net fixed assets "
                         "exceed those of all firms; recalibrate state_part/private_part")
    state_share = nfa_state / nfa_all
    private_share = nfa_private / nfa_all

    # ---- the printed main indicators, per ownership class ---------------------------------------
    output_share = {"全部": np.ones((n, t_n)), "外商投资和港澳台商投资": foreign_output_share,
                    "国有及国有控股": state_share * 0.85,
                    "私营": private_share * 1.1 * np.exp(class_noise[:, :, 2])}
    nfa = {"全部": nfa_all, "国有及国有控股": nfa_state, "私营": nfa_private,
           "外商投资和港澳台商投资": nfa_foreign}
    wage_ratio = {"全部": 1.0, "国有及国有控股": 1.2, "私营": 0.8, "外商投资和港澳台商投资": 1.1}
    margin = {"全部": 0.065, "国有及国有控股": 0.055, "私营": 0.07}
    frame = pd.DataFrame({"industry_code": np.repeat(codes, t_n),
                          "year": np.tile(INDUSTRY_YEARS, n)})
    for cls in OWNERSHIP:
        out = output if cls == "全部" else np.round(output * output_share[cls], 2)
        if cls == "外商投资和港澳台商投资":
            cost_c, profit_c, revenue_c = cost_foreign, profit_foreign, revenue_foreign
        else:
            revenue_c = out * 0.97
            cost_c = np.round(revenue_c / (1 + margin[cls]), 2)
            profit_c = np.round(cost_c * margin[cls], 2)
        values = {
            "企业单位数": np.round(out / (firm_size[:, None] * (1.08 ** (years - 2008))), 0),
            "工业总产值": out,
            "资产总计": np.round(nfa[cls] * assets_ratio[:, None], 2),
            "固定资产净值": nfa[cls],
            "主营业务收入": np.round(revenue_c, 2),
            "成本费用总额": cost_c,
            "利润总额": profit_c,
            "全部从业人员年平均人数": np.round(out / (productivity[:, None]
                                             * 1.1 ** (years - 2008)), 2),
            "平均工资": np.round(wage * wage_ratio[cls], 0),
        }
        for name, value in values.items():
            frame[f"{name}|{cls}"] = np.maximum(value, 0).ravel()
    frame["ppi"] = ppi.ravel()
    frame["total_energy_10k_tce"] = total_energy.ravel()
    frame["rd_expenditure"] = rd.ravel()
    truth = {
        "true_unit_energy_cost": cost, "true_total_energy_10k_tce": total_energy,
        "true_rel_fdi": nfa_foreign / nfa_all, "true_abs_fdi_real": nfa_foreign / fai_defl,
        "true_real_wage": real_wage, "true_rd_stock": rd_stock,
        "true_profitability_foreign": profitability, "true_scale": scale,
        "true_ppi_deflator": ppi_defl, "true_capital_cost": np.broadcast_to(fai_defl, (n, t_n)),
        "true_nfa_state_real": state_real, "true_nfa_private_real": private_real,
    }
    for name, value in truth.items():
        frame[name] = np.asarray(value).ravel()
    frame = frame.merge(ind, on="industry_code")

    fuel_use = pd.DataFrame({
        "industry_code": np.repeat(codes, t_n * n_fuel),
        "year": np.tile(np.repeat(INDUSTRY_YEARS, n_fuel), n),
        "fuel_code": np.tile(PRINTED_FUELS, n * t_n),
        "quantity": quantity.ravel(),
    })
    price_frame = pd.DataFrame(prices, columns=list(PRINTED_FUELS))
    price_frame.insert(0, "year", INDUSTRY_YEARS)
    national = pd.DataFrame({"year": INDUSTRY_YEARS, "cpi": cpi_index,
                             "fai_price_index": fai_index})
    revised_cols = [INDUSTRY_YEARS.index(y) for y in REVISED_YEARS]
    pre = pd.DataFrame({
        "industry_code": np.repeat(codes, len(REVISED_YEARS)),
        "year": np.tile(REVISED_YEARS, n),
        "gross_output_2021": np.round(output[:, revised_cols] / (1 + revision[:, None]),
                                      2).ravel(),
    })
    return IndustryWorld(frame, fuel_use, price_frame, national, pre, planted)
