"""Recovery of the province world's planted values, shared by the demo tests.

Each function takes a province panel with mart_province_panel's column names (built from the
demo files, or the generator's own ``true_*`` series renamed by ``world_panel``) and returns one
row per planted value: equation, term, truth, estimate, standard error and t = (estimate -
truth) / se. The technology-import study (paper 001): two-way FE (linearmodels PanelOLS,
entity and time effects, conventional standard errors) on 2011-2020 with the paper's controls.
The two-way FDI study (paper 000): the SDM with two-way FE on the row-standardised
inverse-distance W, 2004-2019, by Lee and Yu's (2010) transformation approach
(the engine's default, models_py/spatial/panel_ml.py).

"""

from __future__ import annotations

import numpy as np
import pandas as pd
from linearmodels.panel import PanelOLS

from models_py.demo.planted import CONTROL_ORDER, PLANTED, PlantedParameters
from models_py.spatial.effects import simulated_effects
from models_py.spatial.moran import global_moran
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.weights import SpatialWeights

TECH_SAMPLE = (2011, 2020)
FDI_SAMPLE = (2004, 2019)
KEY = ("ce1", "ce2", "ce3", "ce4")
SDM_REGRESSORS = ("ln_fdi", "ln_ofdi_stock", "fdi_x_ofdi_centred", "trade_openness",
                  "ln_gdp_per_capita_real", "tertiary_share", "urbanisation_rate")
SDM_DURBIN = ("ln_fdi", "ln_ofdi_stock", "fdi_x_ofdi_centred")  # W x of the core regressors
COLUMNS = ["equation", "term", "truth", "estimate", "se", "t"]

def world_panel(world) -> pd.DataFrame:
    """The generator's true series under the mart's column names."""
    f = world.province_year
    out = pd.DataFrame({"province_code": f["province_code"], "year": f["year"]})
    for name in ("ce", "tech", "ino", *KEY, *CONTROL_ORDER):
        out[name] = f[f"true_{name}"]
    out["ln_co2_industrial"] = f["true_ln_industrial"]
    out["ln_fdi"] = np.log(f["true_fdi_100m_yuan"])
    out["ln_ofdi_stock"] = np.log(f["true_ofdi_stock_100m_yuan"])
    out["fdi_x_ofdi_centred"] = f["true_fdi_x_ofdi_centred"]
    out["trade_openness"] = f["true_tra"]
    out["ln_gdp_per_capita_real"] = np.log(f["true_gdp_per_capita_real"])
    out["tertiary_share"] = f["true_tertiary_share"]
    out["urbanisation_rate"] = f["true_urbanisation_rate"]
    return out

def _sample(panel: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    return panel[(panel["year"] >= years[0]) & (panel["year"] <= years[1])]

def tech_recovery(panel: pd.DataFrame, p: PlantedParameters = PLANTED) -> pd.DataFrame:
    """Paper 001, Tables 3 (col. 4), 4, 10 and 11: every planted coefficient."""
    data = _sample(panel, TECH_SAMPLE).set_index(["province_code", "year"])
    controls = list(CONTROL_ORDER)
    rows = []

    def fit(dependent: str, regressors: list[str], equation: str, truth: dict) -> None:
        res = PanelOLS(data[dependent], data[regressors], entity_effects=True,
                       time_effects=True).fit()
        for term, value in truth.items():
            est, se = float(res.params[term]), float(res.std_errors[term])
            rows.append((equation, term, value, est, se, (est - value) / se))

    total_controls = [c + p.ino_on_ce * i for c, i in zip(p.ce_controls, p.ino_controls,
                                                          strict=True)]
    fit("ce", ["tech", *controls], "ce total (Table 3 col. 4)",
        {"tech": p.tech_on_ce_total, **dict(zip(controls, total_controls, strict=True))})
    fit("ino", ["tech", *controls], "ino (Table 10 col. 2)",
        {"tech": p.tech_on_ino, **dict(zip(controls, p.ino_controls, strict=True))})
    fit("ce", ["tech", "ino", *controls], "ce direct (Table 10 col. 3)",
        {"tech": p.tech_on_ce_direct, "ino": p.ino_on_ce,
         **dict(zip(controls, p.ce_controls, strict=True))})
    for k, name in enumerate(KEY):
        fit(name, ["tech", *controls], f"{name} total (Tables 4, 11)",
            {"tech": p.key_total[k], **dict(zip(controls, p.key_total_controls[k], strict=True))})
        # Table 11 prints tech and ino only: the direct equations' controls are implied values
        fit(name, ["tech", "ino", *controls], f"{name} direct (Table 11)",
            {"tech": p.key_direct[k], "ino": p.key_ino[k]})
    return pd.DataFrame(rows, columns=COLUMNS)

def sdm_fit(panel: pd.DataFrame, w: np.ndarray, codes: list[str]):
    """The engine's default estimator (Lee and Yu's transformation approach, two-way FE)."""
    return fit_spatial_panel(_sample(panel, FDI_SAMPLE), "ln_co2_industrial",
                             list(SDM_REGRESSORS), "province_code", "year",
                             SpatialWeights(w, codes, "inverse distance"), "sdm", "twoways",
                             durbin=list(SDM_DURBIN), alternatives=False)

def sdm_truth(p: PlantedParameters = PLANTED) -> dict[str, float]:
    b = [p.sdm_fdi, p.sdm_ofdi, p.sdm_interaction, *p.sdm_controls]
    theta = [p.sdm_w_fdi, p.sdm_w_ofdi, p.sdm_w_interaction, 0.0, 0.0, 0.0, 0.0]
    truth = dict(zip(SDM_REGRESSORS, b, strict=True))
    truth.update({f"W_{r}": v for r, v in zip(SDM_REGRESSORS, theta, strict=True)
                  if r in SDM_DURBIN})
    truth["rho"] = p.sdm_rho
    truth["sigma2"] = p.sdm_noise_sd ** 2
    return truth

def planted_effects(w: np.ndarray, p: PlantedParameters = PLANTED) -> dict[str, dict]:
    """Direct, indirect and total effects implied by the planted SDM (LeSage and Pace)."""
    eig = np.linalg.eigvals(w).real
    truth = sdm_truth(p)
    inv = 1 / (1 - p.sdm_rho * eig)
    out = {}
    for r in SDM_REGRESSORS:
        b, th = truth[r], truth.get(f"W_{r}", 0.0)
        direct = b * inv.mean() + th * (eig * inv).mean()
        total = (b + th) / (1 - p.sdm_rho)
        out[r] = {"direct": direct, "indirect": total - direct, "total": total}
    return out

def sdm_recovery(panel: pd.DataFrame, w: np.ndarray, codes: list[str],
                 p: PlantedParameters = PLANTED) -> tuple[pd.DataFrame, dict]:
    """Paper 000's SDM: every planted parameter and effect; also the fitted effects."""
    fit = sdm_fit(panel, w, codes)
    rows = []
    for name, value in sdm_truth(p).items():
        est, se = ((fit.sigma2, fit.sigma2_se) if name == "sigma2"
                   else (fit.params[name], fit.std_errors[name]))
        rows.append(("SDM (Lee-Yu)", name, value, est, se, (est - value) / se))
    simulated = simulated_effects(fit, draws=2000, seed=20240601)
    effects = {r: {e: (float(row["point"]), float(row["sd"]))
                   for e, row in part.set_index("effect").iterrows()}
               for r, part in simulated.groupby("term")}
    for r, kinds in planted_effects(w, p).items():
        for kind, value in kinds.items():
            est, se = effects[r][kind]
            rows.append((f"SDM {kind} effect", r, value, est, se, (est - value) / se))
    return pd.DataFrame(rows, columns=COLUMNS), effects

def moran_by_year(panel: pd.DataFrame, column: str, w: np.ndarray, codes: list[str],
                  years: tuple[int, int]) -> pd.DataFrame:
    rows = []
    for year, part in _sample(panel, years).groupby("year"):
        values = part.set_index("province_code")[column].reindex(codes).to_numpy()
        m = global_moran(values, w)
        rows.append((year, float(m.i), float(m.z_normality), float(m.p_normality)))
    return pd.DataFrame(rows, columns=["year", "moran_i", "z", "p"])
