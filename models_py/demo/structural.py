"""The structural model of the demo world: every series the demo yearbook prints, and the truth.

All draws come from one ``numpy.random.default_rng(seed)`` in a fixed order over the full span
2000-2022 (the shocks of the planted equations from their own stream, planted.shock_stream), so
the world is the same whatever span is written; a shorter span (the fast path) is
the same primitives sliced, with every derived quantity (stocks by perpetual inventory, the
spatial model, CO2) computed on that span, exactly as the warehouse will compute it from the
files. Printed series are rounded to their printed precision *before* the derived regressors are
computed, so the planted equations hold for what the files say.

Equations (p province, t year; W row-standardised inverse-distance weights; ~ two-way FE):
  ino_pt = a tech_pt + C_ino ctrl_pt + f_p + g_t + v_pt        (paper 001, Table 10 col. 2)
  ce_pt  = c' tech_pt + b ino_pt + C_ce ctrl_pt + mu_p + alpha_t + e_pt      (Table 10 col. 3)
  ce_k   = c'_k tech + b_k ino + C_k ctrl + FE + e_k, k = 1..4           (Tables 4 and 11)
  ln IND_t = (I - rho W)^-1 (X_t b + W X_t theta + mu + alpha_t + u_t)   (paper 000's SDM)
with ce = ln(scope-1 + scope-2 electricity CO2), tech = ln technology-import stock based at
2011, ino = ln industrial patent applications, ctrl = (gdp, ind, ei, tra, edu, fin) as the
mart computes them from the printed figures, X = (ln FDI, ln OFDI stock, their interaction
centred on the 2004-2019 means, trade openness, ln real GDP per capita, tertiary share,
urbanisation rate) and theta non-zero for the three FDI terms only. The technology-import
equations hold from the study's first sample year on (before it the regressors are held at
their base-year values). The fixed effects carry the targets: province anchors (spatially
smoothed, ``smoothed_co2_anchors``) times the national CO2 path. The remainder of the total,
total - IND, is split into non-industrial scope 1 and scope-2 electricity in the target ratio
(electricity printed in the balance sheets = scope 2 / grid factor); the key industries and
the other industrial sectors (shares moving with FDI by factor intensity) make up IND.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_py.demo.anchors import (
    CO2_PATH,
    CO2_SUM_2019_MT,
    CPI_INFLATION,
    DEFLATOR_INFLATION,
    FAI_PRICE_INFLATION,
    GDP_INDEX,
    PROVINCE_ANCHORS_2019,
    TIBET_ANCHOR_2019,
    TIBET_CODE,
)
from models_py.demo.planted import CONTROL_ORDER, PLANTED, PlantedParameters
from models_py.reference import (
    ceads_factor_intensity,
    ceads_sectors,
    grid_factor,
    provinces,
    seed,
)
from models_py.spatial.weights import inverse_distance_weights

FULL_YEARS = tuple(range(2000, 2023))
CEADS_FUELS = (
    "Raw Coal", "Cleaned Coal", "Other Washed Coal", "Briquettes", "Coke", "Coke Oven Gas",
    "Other Gas", "Other Coking Products", "Crude Oil", "Gasoline", "Kerosene", "Diesel Oil",
    "Fuel Oil", "LPG", "Refinery Gas", "Other Petroleum Products", "Natural Gas", "Process",
)
# fuel-mix archetypes (shares of scope-1 CO2 over CEADS_FUELS), see module docstring of writers
_MIX = {
    "power": {"Raw Coal": .88, "Cleaned Coal": .02, "Other Washed Coal": .02,
              "Coke Oven Gas": .01, "Other Gas": .01, "Fuel Oil": .005, "Natural Gas": .05,
              "Diesel Oil": .005},
    "steel": {"Raw Coal": .15, "Cleaned Coal": .05, "Coke": .55, "Coke Oven Gas": .10,
              "Other Gas": .12, "Natural Gas": .02, "Diesel Oil": .01},
    "cement": {"Process": .55, "Raw Coal": .35, "Coke": .02, "Natural Gas": .03,
               "Fuel Oil": .01, "Diesel Oil": .02, "Other Petroleum Products": .02},
    "petro": {"Raw Coal": .35, "Crude Oil": .10, "Refinery Gas": .15, "Natural Gas": .15,
              "Fuel Oil": .05, "Other Petroleum Products": .10, "Coke": .05, "LPG": .02,
              "Diesel Oil": .03},
    "nonferrous": {"Raw Coal": .55, "Coke": .15, "Natural Gas": .10, "Fuel Oil": .05,
                   "Diesel Oil": .05, "Other Petroleum Products": .05, "Coke Oven Gas": .05},
    "industry": {"Raw Coal": .60, "Cleaned Coal": .05, "Coke": .05, "Natural Gas": .10,
                 "Diesel Oil": .08, "Fuel Oil": .04, "Gasoline": .03, "LPG": .02,
                 "Briquettes": .03},
    "transport": {"Gasoline": .30, "Kerosene": .15, "Diesel Oil": .45, "Fuel Oil": .05,
                  "Natural Gas": .03, "Raw Coal": .02},
    "services": {"Raw Coal": .30, "Diesel Oil": .35, "Gasoline": .20, "Natural Gas": .05,
                 "LPG": .05, "Fuel Oil": .05},
    "urban": {"Raw Coal": .15, "Natural Gas": .35, "LPG": .15, "Gasoline": .30,
              "Briquettes": .05},
    "rural": {"Raw Coal": .60, "Briquettes": .15, "LPG": .15, "Gasoline": .10},
}
_KEY_SECTOR_SPLIT = {  # CEADs sector order -> share of its key-industry group
    28: ("steel", 1.0), 6: ("building_materials", 0.04), 27: ("building_materials", 0.96),
    29: ("nonferrous", 1.0), 3: ("petrochemical", 0.10), 21: ("petrochemical", 0.35),
    22: ("petrochemical", 0.50), 24: ("petrochemical", 0.05),
}
_NON_INDUSTRIAL_SPLIT = {1: .06, 42: .05, 43: .40, 44: .06, 45: .13, 46: .18, 47: .12}
KEY_GROUPS = ("steel", "building_materials", "nonferrous", "petrochemical")
POWER_SECTOR = 39
N_OTHER_INDUSTRIAL = 31  # industrial CEADs sectors 2-41 less the 8 key-industry ones and power
FDI_SAMPLE = (2004, 2019)  # the two-way FDI study's sample: the interaction is centred on it
SMOOTH_BANDWIDTH_KM = 500.0  # spatial smoothing of the CO2 anchors (smoothed_co2_anchors)
SMOOTH_WEIGHT = 0.75
# elasticity of a non-key industrial sector's share to inward FDI, by factor intensity
FDI_GROUP_TILT = {"labour": 0.6, "capital_technology": 0.3, "resource": -0.3}


def chain_index(index_prev_year_100: np.ndarray) -> np.ndarray:
    """Deflator with the first year = 1 from indices with previous year = 100 (years on axis 1).

    P_first = 1; P_t = P_{t-1} * I_t / 100.
    """
    factors = index_prev_year_100[:, 1:] / 100.0
    first = np.ones((index_prev_year_100.shape[0], 1))
    return np.concatenate([first, np.cumprod(factors, axis=1)], axis=1)


def perpetual_inventory(real_flow: np.ndarray, depreciation: float, growth: float) -> np.ndarray:
    """K_t = E_t + (1 - d) K_{t-1}, with the study's base K_1 = E_1 (1 + g) / (1 + d).

    ``real_flow``: flows at constant prices, years on axis 1.
    """
    stock = np.empty_like(real_flow)
    stock[:, 0] = real_flow[:, 0] * (1 + growth) / (1 + depreciation)
    for t in range(1, real_flow.shape[1]):
        stock[:, t] = real_flow[:, t] + (1 - depreciation) * stock[:, t - 1]
    return stock


def _interp_path(path: dict[int, float], years: np.ndarray) -> np.ndarray:
    keys = np.array(sorted(path))
    return np.interp(years, keys, [path[k] for k in keys])


@dataclass
class DemoWorld:
    """The generated world over ``years``.

    ``province_year``: one row per study province and year with the printed series (in printed
    units) and the true derived variables; ``tibet``: printed series of Tibet (printed by NBS, not
    in the studies); ``ceads_mt``: CO2 (Mt) by province x year x CEADs sector (47) x column
    (17 fuels + Process); ``weights``: the SDM weight matrix.
    """

    years: tuple[int, ...]
    province_year: pd.DataFrame
    tibet: pd.DataFrame
    ceads_mt: np.ndarray
    weights: np.ndarray
    planted: PlantedParameters


def _round(x: np.ndarray, decimals: int) -> np.ndarray:
    return np.round(x, decimals)


def smoothed_co2_anchors(co2: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                         bandwidth_km: float = SMOOTH_BANDWIDTH_KM,
                         weight: float = SMOOTH_WEIGHT) -> np.ndarray:
    """2019 CO2 anchors with a spatially smooth component, so that provincial CO2 levels cluster
    in space as the studies' Moran's I says they do (positive, significant in most years).

    ln c* = (1 - weight) ln c + weight K ln c, with K a row-normalised Gaussian kernel of the
    centroid distance (``bandwidth_km``); then rescaled to the spread of ln c and to its sum, so
    the range of magnitudes stays that of the anchors.
    """
    x = (lon - lon.mean()) * np.cos(np.radians(35.0)) * 111.0
    y = (lat - lat.mean()) * 111.0
    dist = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    kernel = np.exp(-0.5 * (dist / bandwidth_km) ** 2)
    kernel /= kernel.sum(axis=1, keepdims=True)
    ln_c = np.log(co2)
    mixed = (1 - weight) * ln_c + weight * kernel @ ln_c
    mixed = ln_c.mean() + (mixed - mixed.mean()) * ln_c.std() / mixed.std()
    out = np.exp(mixed)
    return out * co2.sum() / out.sum()


def _spatial_noise(rng: np.random.Generator, kernel: np.ndarray, shape: tuple[int, int],
                   sd: float) -> np.ndarray:
    """Province x year shocks correlated across nearby provinces (kernel-smoothed white noise),
    scaled to sd ``sd``."""
    raw = kernel @ rng.normal(0, 1, shape)
    return sd * raw / raw.std()


def _twoway_centre(a: np.ndarray) -> np.ndarray:
    """a - province mean - year mean + grand mean (province x year): the part of a regressor's
    contribution that two-way fixed effects do not absorb."""
    return (a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean())


def simulate_world(
    years: tuple[int, int] | None = None, planted: PlantedParameters = PLANTED
) -> DemoWorld:
    """Simulate the demo world over ``years`` (inclusive; default 2000-2022)."""
    rng = np.random.default_rng(planted.seed)
    prov = provinces()
    codes = prov["province_code"].tolist()
    n, full_t = len(codes), len(FULL_YEARS)
    yr = np.array(FULL_YEARS, dtype=float)
    lon, lat = prov["centroid_lon"].to_numpy(), prov["centroid_lat"].to_numpy()
    anchors = np.array([PROVINCE_ANCHORS_2019[c] for c in codes])
    gdp19, pop19 = anchors[:, 0], anchors[:, 1]
    co2_19 = smoothed_co2_anchors(anchors[:, 2], lon, lat)
    east = (prov["region"] == "east").to_numpy()
    west = (prov["region"] == "west").to_numpy()
    central = (prov["region"] == "central").to_numpy()
    gdppc19 = gdp19 / pop19  # 10^4 yuan per person
    xk = (lon - lon.mean()) * np.cos(np.radians(35.0)) * 111.0
    yk = (lat - lat.mean()) * 111.0
    dist = np.hypot(xk[:, None] - xk[None, :], yk[:, None] - yk[None, :])
    near = np.exp(-0.5 * (dist / 600.0) ** 2)
    near /= near.sum(axis=1, keepdims=True)

    # ---- draws over the full span, in a fixed order --------------------------------------
    pop_growth = rng.uniform(0.002, 0.012, n) - 0.012 * (prov["region_4"] == "northeast").to_numpy()
    growth_dev = rng.normal(0, 1.2, (n, full_t))
    price_dev = rng.normal(0, 0.6, (n, full_t))
    cpi_dev = rng.normal(0, 0.4, (n, full_t))
    fai_dev = rng.normal(0, 0.7, (n, full_t))
    tert_walk = np.cumsum(rng.normal(0, 0.008, (n, full_t)), axis=1)
    urban_noise = rng.normal(0, 0.003, (n, full_t))
    fdi_drift = (np.where(east, 0.06, np.where(central, 0.11, 0.13))
                 + rng.uniform(-0.015, 0.015, n))
    fdi_walk = np.cumsum(_spatial_noise(rng, near, (n, full_t), 0.15), axis=1)
    ofdi_drift = rng.uniform(0.18, 0.30, n)
    ofdi_walk = np.cumsum(_spatial_noise(rng, near, (n, full_t), 0.10), axis=1)
    tis_drift = rng.uniform(-0.02, 0.10, n)
    tis_walk = np.cumsum(rng.normal(0, 0.12, (n, full_t)), axis=1)
    pat_noise = rng.normal(0, 0.05, (n, full_t))
    s0 = rng.uniform(0.34, 0.48, n)
    key_split = rng.dirichlet(np.array([45, 30, 8, 17], dtype=float), n)
    phi = np.clip(0.86 + rng.normal(0, 0.03, n), 0.75, 0.93)
    phi[codes.index("110000")] = 0.65
    phi[codes.index("310000")] = 0.70
    carbon_per_tce = rng.uniform(2.1, 2.7, n)
    ei_walk = np.cumsum(rng.normal(0, 0.03, (n, full_t)), axis=1)
    fiscal_ratio = np.where(west, rng.uniform(0.25, 0.45, n), rng.uniform(0.12, 0.22, n))
    fiscal_walk = np.cumsum(rng.normal(0, 0.03, (n, full_t)), axis=1)
    openness = np.where(east, rng.uniform(0.35, 1.0, n), rng.uniform(0.04, 0.15, n))
    open_walk = np.cumsum(rng.normal(0, 0.06, (n, full_t)), axis=1)
    fdi_ratio = np.where(east, rng.uniform(0.15, 0.45, n), rng.uniform(0.03, 0.12, n))
    edu_tertiary19 = np.clip(0.10 + 0.08 * np.log(gdppc19 / 7.0) + rng.normal(0, 0.02, n),
                             0.08, 0.45)
    edu_walk = np.cumsum(rng.normal(0, 0.004, (n, full_t)), axis=1)
    mix_jitter = rng.normal(0, 0.10, (n, len(CEADS_FUELS)))
    other_ind_weights = rng.dirichlet(np.full(N_OTHER_INDUSTRIAL, 2.0), n)
    sample_rate = rng.uniform(0.0008, 0.0011, n)
    elec_intensity19 = np.where(west, rng.uniform(0.09, 0.14, n), rng.uniform(0.05, 0.09, n))

    # the shocks of the planted equations: their own stream (planted.shock_stream)
    shocks = np.random.default_rng(np.random.SeedSequence([planted.seed, planted.shock_stream]))
    ino_noise = shocks.normal(0, planted.ino_noise_sd, (n, full_t))
    ce_noise = shocks.normal(0, planted.ce_noise_sd, (n, full_t))
    key_noise = shocks.normal(0, planted.key_noise_sd, (4, n, full_t))
    sdm_noise = shocks.normal(0, planted.sdm_noise_sd, (n, full_t))

    # ---- printed macro series ------------------------------------------------------------
    gdp_index = _round(np.array([GDP_INDEX[int(y)] for y in yr])[None, :] + growth_dev, 1)
    infl = np.array([DEFLATOR_INFLATION[int(y)] for y in yr])[None, :] + price_dev
    real_rel = chain_index(gdp_index)
    defl_rel = chain_index(100 + infl)
    i19 = FULL_YEARS.index(2019)
    gdp = _round(gdp19[:, None] * (real_rel / real_rel[:, [i19]]) * (defl_rel / defl_rel[:, [i19]]),
                 1)
    pop = _round(pop19[:, None] * (1 + pop_growth[:, None]) ** (yr[None, :] - 2019), 0)
    urban19 = np.clip(0.47 + 0.27 * np.log(gdppc19 / 4.5), 0.44, 0.89)
    urban_rate = np.clip(urban19[:, None] - 0.013 * (2019 - yr)[None, :] + urban_noise, 0.2, 0.9)
    urban_pop = _round(pop * urban_rate, 0)
    tert19 = np.clip(0.52 + 0.20 * np.log(gdppc19 / 7.0), 0.42, 0.83)
    tert = np.clip(tert19[:, None] - 0.008 * (2019 - yr)[None, :] + tert_walk
                   - tert_walk[:, [i19]], 0.28, 0.85)
    va_tertiary = _round(gdp * tert, 1)
    va_secondary = _round(gdp * np.clip(0.93 - tert, 0.1, 0.6), 1)
    va_industry = _round(va_secondary * 0.84, 1)
    cpi = _round(100 + np.array([CPI_INFLATION[int(y)] for y in yr])[None, :] + cpi_dev, 1)
    fai = _round(100 + np.array([FAI_PRICE_INFLATION[int(y)] for y in yr])[None, :] + fai_dev, 1)
    rate = seed("ref_exchange_rate").set_index("year")["cny_per_100_usd"].astype(float)
    cny_per_usd = np.array([rate[str(int(y))] for y in yr]) / 100.0
    open_path = np.clip(openness[:, None] * np.exp(open_walk - open_walk[:, [i19]]), 0.005, 1.8)
    trade = _round(open_path * gdp * 1e8 / cny_per_usd[None, :] / 1e3, 0)  # 千美元
    fdi = _round(np.exp(np.log(fdi_ratio[:, None] * gdp19[:, None] * 100 / 6.9)
                        - fdi_drift[:, None] * (2019 - yr)[None, :] + fdi_walk
                        - fdi_walk[:, [i19]]), 0)  # 百万美元
    ofdi_stock = _round(np.exp(np.log(gdp19[:, None] * np.where(east, 4.0, 0.8)[:, None] * 30)
                               - ofdi_drift[:, None] * (2019 - yr)[None, :] + ofdi_walk
                               - ofdi_walk[:, [i19]]), 0)  # 万美元
    ofdi_flow = _round(np.maximum(np.diff(ofdi_stock, axis=1, prepend=ofdi_stock[:, :1] * 0.8)
                                  + 0.03 * ofdi_stock, 10.0), 0)
    fiscal = _round(gdp * (fiscal_ratio[:, None] + 0.004 * (yr[None, :] - 2000))
                    * np.exp(fiscal_walk - fiscal_walk[:, [i19]]), 1)
    patents_domestic = _round(np.exp(np.log(800000 * (gdp19 / 107671) ** 1.25)[:, None]
                                     - 0.16 * np.maximum(2019 - yr, 0)[None, :]
                                     + 0.03 * np.minimum(yr - 2019, 0)[None, :]
                                     + pat_noise), 0)
    tis_exp = _round(np.exp(np.log(4.6e6 * (gdp19 ** 1.6) / (gdp19 ** 1.6).sum())[:, None]
                            + tis_drift[:, None] * (yr - 2019)[None, :]
                            + tis_walk - tis_walk[:, [i19]]), 0)  # 万元
    rd_exp = _round(gdp * 1e4 * np.clip(0.004 + 0.0006 * (yr - 2000)[None, :], 0, 0.02)
                    * 1.6 * np.where(east, 1.3, 0.8)[:, None], 0)  # 万元
    edu_shares = _education_shares(edu_tertiary19, yr, edu_walk - edu_walk[:, [i19]])
    edu_counts = _round(edu_shares * (pop * 1e4 * sample_rate[:, None])[:, :, None], 0)
    # energy: an intensity path (tce per 10^4 yuan of real GDP at 2000 prices) falling about
    # 4 % a year, anchored on the 2019 CO2 anchors; printed consumption = intensity x real GDP
    real_gdp_2000 = gdp[:, :1] * real_rel  # 10^8 yuan at 2000 prices (the full series)
    # (anchored on the larger of the printed and the smoothed CO2 anchor: the smoothing is for
    # the CO2 levels' spatial pattern, and energy keeps the yearbooks' order of magnitude)
    ei19 = (np.maximum(co2_19, anchors[:, 2]) * 100 / carbon_per_tce
            / real_gdp_2000[:, i19])
    ei_path = ei19[:, None] * np.exp(0.04 * (2019 - yr)[None, :] + ei_walk - ei_walk[:, [i19]])
    energy_total = _round(ei_path * real_gdp_2000, 1)  # 10^4 tce

    # ---- slice to the requested span and derive what the warehouse derives ---------------
    first, last = years or (FULL_YEARS[0], FULL_YEARS[-1])
    keep = (yr >= first) & (yr <= last)
    span = tuple(int(y) for y in yr[keep])
    span_yr = np.array(span)
    sl = lambda a: a[:, keep]  # noqa: E731
    gdp_s, gdp_index_s, pop_s = sl(gdp), sl(gdp_index), sl(pop)
    real_gdp = gdp_s[:, :1] * chain_index(gdp_index_s)  # 10^8 yuan at first-year prices
    gdp_pc_real = real_gdp * 1e8 / (pop_s * 1e4)  # yuan
    tert_share = sl(va_tertiary) / gdp_s
    fai_defl = chain_index(sl(fai))
    real_tis = sl(tis_exp) / fai_defl
    tis_from_first = perpetual_inventory(real_tis, planted.tis_depreciation,
                                         planted.tis_base_growth)
    base_year = max(planted.tis_base_year, span[0])
    if base_year <= span[-1]:
        b = span.index(base_year)
        tis_stock = np.full_like(real_tis, np.nan)
        tis_stock[:, b:] = perpetual_inventory(real_tis[:, b:], planted.tis_depreciation,
                                               planted.tis_base_growth)
        # the generator's regressor before the base year: the stock from the first year,
        # shifted to meet the based stock in the base year (the paper's sample starts there)
        ln_tis_gen = np.log(tis_from_first) + (np.log(tis_stock[:, [b]])
                                               - np.log(tis_from_first[:, [b]]))
        ln_tis_gen[:, b:] = np.log(tis_stock[:, b:])
    else:
        tis_stock = np.full_like(real_tis, np.nan)
        ln_tis_gen = np.log(tis_from_first)
    tech = ln_tis_gen - np.log(1e4)  # ln 10^8 yuan
    fdi_100m_yuan = sl(fdi) * (cny_per_usd[keep] * 100)[None, :] / 1e4
    ofdi_stock_100m_yuan = sl(ofdi_stock) * (cny_per_usd[keep] * 100)[None, :] / 1e6
    trade_100m_yuan = sl(trade) / 10 * (cny_per_usd[keep] * 100)[None, :] / 1e6

    # the technology-import study's controls, computed from the printed figures as the mart does
    controls = np.stack([
        gdp_s / pop_s,                                   # gdp: 10^4 yuan per person
        tert_share,                                      # ind: tertiary share
        sl(energy_total) / real_gdp / 10,                # ei: kgce per yuan (base-year prices)
        trade_100m_yuan / gdp_s,                         # tra: trade / GDP
        _years_of_schooling(sl(edu_counts)),             # edu: years
        sl(fiscal) / gdp_s,                              # fin: expenditure / GDP
    ])  # 6 x n x t

    # The study's equations hold from its first sample year on; before it, each province's
    # regressors are held at their base-year values (the paper's sample starts in 2011, and
    # 2000-2010 only need realistic levels).
    frozen = span_yr < base_year
    b_idx = min(span.index(base_year), len(span) - 1) if base_year in span else 0

    def freeze(a: np.ndarray) -> np.ndarray:
        a = a.copy()
        a[..., frozen] = a[..., [b_idx]]
        return a

    def contribution(slope_tech: float, coefs, extra=None) -> np.ndarray:
        out = slope_tech * freeze(tech) + np.tensordot(np.asarray(coefs), freeze(controls),
                                                       axes=1)
        if extra is not None:
            out = out + freeze(extra)
        return _twoway_centre(out)

    # ino: ln industrial patent applications, around a third of domestic applications
    ino_level = np.log(0.3 * sl(patents_domestic)).mean(axis=1, keepdims=True)
    ln_pat_ind = (ino_level + 0.12 * (span_yr - 2011)[None, :]
                  + contribution(planted.tech_on_ino, planted.ino_controls) + sl(ino_noise))
    patents_industrial = _round(np.exp(ln_pat_ind), 0)
    ino = np.log(patents_industrial)

    # target magnitudes (10^4 t): scope-1 total S1, industrial IND, scope-2 S2, key industries
    path = _interp_path(CO2_PATH, yr)  # national shape, relative to 2019
    # targets are province level x national path only: a province-specific trend here would be
    # an omitted variable of every planted equation (the regressors trend by province)
    shape = np.broadcast_to(path[None, :], (n, full_t))
    s1_target = sl(co2_19[:, None] * (CO2_SUM_2019_MT / co2_19.sum()) * shape) * 100.0
    grid = grid_factors(span)
    # S2 / S1 in 2019: electricity (亿kWh = GDP x kWh per yuan) x 10^5 MWh x grid factor
    s2_19 = gdp19 * elec_intensity19 * 1e5 * grid_factors((2019,))[:, 0] / 1e4  # 10^4 t
    s2_ratio = np.clip(s2_19 / (co2_19 * 100), 0.35, 1.2)
    ind_target = s1_target * phi[:, None]
    total_target = s1_target * (1 + s2_ratio[:, None])

    # ce: ln(S1 + S2), the technology-import study's dependent variable (paper 001, Table 10)
    ln_total = (np.log(total_target)
                + contribution(planted.tech_on_ce_direct, planted.ce_controls,
                               planted.ino_on_ce * ino) + sl(ce_noise))
    # ce1..ce4: the four key industries (paper 001, Table 11)
    key = np.empty((4, n, len(span)))
    for k in range(4):
        target = ind_target * s0[:, None] * key_split[:, [k]]
        key[k] = np.exp(np.log(target)
                        + contribution(planted.key_direct[k], planted.key_controls[k],
                                       planted.key_ino[k] * ino) + sl(key_noise[k]))

    # industrial CO2: the two-way FDI study's SDM (paper 000)
    w = inverse_distance_weights(lon, lat)
    fdi_sample = (span_yr >= FDI_SAMPLE[0]) & (span_yr <= FDI_SAMPLE[1])
    if not fdi_sample.any():
        fdi_sample = np.ones(len(span), dtype=bool)
    ln_fdi, ln_ofdi = np.log(fdi_100m_yuan), np.log(ofdi_stock_100m_yuan)
    interaction = ((ln_fdi - ln_fdi[:, fdi_sample].mean())
                   * (ln_ofdi - ln_ofdi[:, fdi_sample].mean()))
    x = np.stack([ln_fdi, ln_ofdi, interaction, trade_100m_yuan / gdp_s, np.log(gdp_pc_real),
                  tert_share, sl(urban_pop) / pop_s], axis=2)  # n x t x k
    b = np.array([planted.sdm_fdi, planted.sdm_ofdi, planted.sdm_interaction,
                  *planted.sdm_controls])
    theta = np.array([planted.sdm_w_fdi, planted.sdm_w_ofdi, planted.sdm_w_interaction,
                      0.0, 0.0, 0.0, 0.0])
    a_rho = np.eye(n) - planted.sdm_rho * w
    xb = x @ b + np.einsum("ij,jtk,k->it", w, x, theta)
    z = a_rho @ np.log(ind_target) - xb  # what the fixed effects must carry
    mu = z.mean(axis=1, keepdims=True)
    alpha = (z - mu).mean(axis=0, keepdims=True)
    ln_ind = np.linalg.solve(a_rho, xb + mu + alpha + sl(sdm_noise))
    industrial = np.exp(ln_ind)

    # the rest of the total: non-industrial scope 1 and scope-2 electricity, in the target ratio
    total = np.exp(ln_total)
    rest = total - industrial
    ce_sum = key.sum(axis=0)
    if (rest <= 0.05 * total).any() or (ce_sum >= 0.9 * industrial).any():
        raise ValueError("demo world: the planted equations leave no room for non-industrial "
                         "or non-key CO2; lower the noise or the slopes")
    non_ind_share = (1 - phi) / ((1 - phi) + s2_ratio)  # of (total - industrial), at targets
    non_industrial = rest * non_ind_share[:, None]
    scope2 = rest - non_industrial
    scope1 = industrial + non_industrial
    electricity = scope2 * 1e4 / grid / 1e5  # 亿kWh: 10^4 t -> t, / (t/MWh), 10^5 MWh per 亿kWh

    ceads = _ceads_breakdown(key, industrial, scope1, other_ind_weights, mix_jitter, ln_fdi)

    frame = _province_frame(codes, span, {
        "gdp": gdp_s, "gdp_index": gdp_index_s, "va_secondary": sl(va_secondary),
        "va_tertiary": sl(va_tertiary), "va_industry": sl(va_industry), "population": pop_s,
        "urban_population": sl(urban_pop), "trade_total": sl(trade), "fdi_investment": sl(fdi),
        "fiscal_expenditure": sl(fiscal), "cpi": sl(cpi), "fai_price_index": sl(fai),
        "patents_domestic": sl(patents_domestic),
        "edu_pop_none": sl(edu_counts[:, :, 0]), "edu_pop_primary": sl(edu_counts[:, :, 1]),
        "edu_pop_junior": sl(edu_counts[:, :, 2]), "edu_pop_senior": sl(edu_counts[:, :, 3]),
        "edu_pop_tertiary": sl(edu_counts[:, :, 4]),
        "tech_import_expenditure": sl(tis_exp), "rd_expenditure": sl(rd_exp),
        "patents_industrial": patents_industrial, "ofdi_flow": sl(ofdi_flow),
        "ofdi_stock": sl(ofdi_stock), "energy_total": sl(energy_total),
        # true derived variables (what the marts must reproduce)
        "true_tech_import_stock": tis_stock, "true_tech_import_stock_from_first_year":
        tis_from_first, "true_gdp_per_capita_real": gdp_pc_real,
        "true_ln_ce": np.log(ce_sum), "true_ln_industrial": ln_ind,
        "true_ln_total": np.log(scope1), "true_ce": ln_total, "true_tech": tech,
        "true_ino": ino, "true_ce1": np.log(key[0]), "true_ce2": np.log(key[1]),
        "true_ce3": np.log(key[2]), "true_ce4": np.log(key[3]),
        **{f"true_{name}": controls[i] for i, name in enumerate(CONTROL_ORDER)},
        "true_scope2_10kt": scope2, "true_electricity_100m_kwh": electricity,
        "true_fdi_x_ofdi_centred": interaction,
        "true_tertiary_share": tert_share, "true_urbanisation_rate": sl(urban_pop) / pop_s,
        "true_fdi_100m_yuan": fdi_100m_yuan, "true_ofdi_stock_100m_yuan": ofdi_stock_100m_yuan,
    })
    tibet = _tibet_frame(span)
    return DemoWorld(span, frame, tibet, ceads, w, planted)


def grid_factors(years: tuple[int, ...]) -> np.ndarray:
    """t CO2 per MWh by province x year (dim_province.power_grid, dim_grid's rule)."""
    grids = provinces()["power_grid"]
    return np.array([[grid_factor(g, y) for y in years] for g in grids])


def _years_of_schooling(counts: np.ndarray) -> np.ndarray:
    """Average years of schooling from the printed sample counts (weights 0, 6, 9, 12, 16)."""
    weights = np.array([0.0, 6.0, 9.0, 12.0, 16.0])
    return (counts * weights).sum(axis=2) / counts.sum(axis=2)


def _education_shares(tertiary19: np.ndarray, yr: np.ndarray, walk: np.ndarray) -> np.ndarray:
    """Shares of the 6+ sample by attainment (none, primary, junior, senior, tertiary)."""
    tertiary = np.clip(tertiary19[:, None] - 0.006 * (2019 - yr)[None, :] + walk, 0.02, 0.5)
    senior = np.clip(0.15 + 0.3 * tertiary, 0.1, 0.25)
    none = np.clip(0.09 - 0.15 * tertiary + 0.002 * (2019 - yr)[None, :], 0.02, 0.15)
    primary = np.clip(0.30 - 0.3 * tertiary + 0.003 * (2019 - yr)[None, :], 0.1, 0.4)
    junior = 1 - tertiary - senior - none - primary
    return np.stack([none, primary, junior, senior, tertiary], axis=2)


def _ceads_breakdown(key, industrial, total, other_weights, mix_jitter,
                     ln_fdi) -> np.ndarray:
    """CO2 (Mt) by province x year x sector (47) x column (17 fuels + Process).

    ``key``: CO2 of the four key industries (4 x province x year, 10^4 t), split over their
    CEADs sectors; ``industrial``: industrial scope-1 CO2; ``total``: scope-1 CO2 (10^4 t)."""
    sectors = ceads_sectors()
    ce = key.sum(axis=0)
    n, t = ce.shape
    out = np.zeros((n, t, 47, len(CEADS_FUELS)))
    sector_co2 = np.zeros((n, t, 47))
    for order, (group, share) in _KEY_SECTOR_SPLIT.items():
        g = KEY_GROUPS.index(group)
        sector_co2[:, :, order - 1] = key[g] * share
    other_industrial = industrial - ce
    sector_co2[:, :, POWER_SECTOR - 1] = other_industrial * 0.75
    others = [int(o) for o in sectors.loc[sectors["is_industrial"], "sector_order"]
              if int(o) not in _KEY_SECTOR_SPLIT and int(o) != POWER_SECTOR]
    # the other industrial sectors' shares move with inward FDI by factor intensity (labour-
    # intensive processing grows with FDI, resource-intensive industry shrinks): the
    # factor-intensity groups of the FDI study respond differently (not a planted value)
    group = ceads_factor_intensity()
    tilt = np.array([FDI_GROUP_TILT[group[o]] for o in others])
    fdi_dev = ln_fdi - ln_fdi.mean(axis=1, keepdims=True)
    weights = other_weights[:, None, :] * np.exp(tilt[None, None, :] * fdi_dev[:, :, None])
    weights /= weights.sum(axis=2, keepdims=True)
    for j, order in enumerate(others):
        sector_co2[:, :, order - 1] = other_industrial * 0.25 * weights[:, :, j]
    for order, share in _NON_INDUSTRIAL_SPLIT.items():
        sector_co2[:, :, order - 1] = (total - industrial) * share
    for order in range(1, 48):
        mix = np.array([_MIX[_archetype(order)].get(f, 0.0) for f in CEADS_FUELS])
        jittered = mix[None, :] * np.exp(mix_jitter)
        jittered /= jittered.sum(axis=1, keepdims=True)
        out[:, :, order - 1, :] = sector_co2[:, :, [order - 1]] * jittered[:, None, :]
    return out / 100.0  # 10^4 t -> Mt


def _archetype(order: int) -> str:
    if order == POWER_SECTOR:
        return "power"
    if order == 28:
        return "steel"
    if order == 27:
        return "cement"
    if order in (3, 21, 22, 24):
        return "petro"
    if order == 29:
        return "nonferrous"
    if 2 <= order <= 41:
        return "industry"
    return {43: "transport", 46: "urban", 47: "rural"}.get(order, "services")


def _province_frame(codes: list[str], years: tuple[int, ...], series: dict) -> pd.DataFrame:
    n, t = len(codes), len(years)
    frame = pd.DataFrame({"province_code": np.repeat(codes, t), "year": np.tile(years, n)})
    for name, values in series.items():
        frame[name] = np.asarray(values, dtype=float).reshape(n * t)
    return frame


def _tibet_frame(years: tuple[int, ...]) -> pd.DataFrame:
    """Tibet's printed NBS series (the studies drop Tibet; the exports print it)."""
    gdp19, pop19, _ = TIBET_ANCHOR_2019
    yr = np.array(years, dtype=float)
    gdp = np.round(gdp19 * 1.12 ** (yr - 2019), 1)
    pop = np.round(pop19 * 1.015 ** (yr - 2019), 0)
    return pd.DataFrame({"province_code": TIBET_CODE, "year": years, "gdp": gdp,
                         "population": pop})
