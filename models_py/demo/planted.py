"""The planted parameters of the synthetic demo yearbook: written here once, documented.

The demo world is generated from these values (models_py/demo/structural.py); tests and reports
compare what the pipeline estimates from the generated *files* with them. Elasticities are
d ln y / d ln x; shares are fractions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PlantedParameters:
    # --- random numbers -----------------------------------------------------------------------
    seed: int = 20240601
    """Seed of numpy's default_rng for every random draw of the demo."""

    # --- study 2: technology-import stock (TIS) and CO2 of the four key industries -------------
    tis_direct_elasticity: float = -0.10
    """c': direct effect of ln TIS on ln CO2 of the key industries, holding patents fixed."""
    tis_on_patents: float = 0.40
    """a: elasticity of industrial patent applications to the TIS."""
    patents_on_co2: float = -0.15
    """b: elasticity of key-industry CO2 to industrial patent applications."""
    tis_depreciation: float = 0.15
    """d in K_t = E_t / P_t + (1 - d) K_{t-1} (the technology-import study's value)."""
    tis_base_growth: float = 0.05
    """g in the study's base stock K_1 = E_1 (1 + g) / (1 + d)."""
    key_share_noise_sd: float = 0.03
    """sd of the idiosyncratic shock to ln(key-industry share of industrial CO2)."""

    # --- study 1: FDI, OFDI and industrial CO2 (two-way FE spatial Durbin model) ---------------
    sdm_rho: float = 0.30
    """Spatial autoregressive coefficient on W ln(industrial CO2); W = row-standardised inverse
    great-circle distance between province centroids."""
    sdm_fdi: float = 0.06
    """Coefficient of ln(FDI investment stock, 10^8 yuan) in ln industrial CO2."""
    sdm_w_fdi: float = -0.04
    """Coefficient of W ln FDI (spillover of neighbours' FDI)."""
    sdm_ofdi: float = -0.05
    """Coefficient of ln(OFDI stock, 10^8 yuan)."""
    sdm_w_ofdi: float = 0.03
    """Coefficient of W ln OFDI."""
    sdm_gdp_per_capita: float = 0.35
    """Coefficient of ln GDP per capita at 2000 prices (yuan)."""
    sdm_tertiary_share: float = -0.80
    """Coefficient of the tertiary share of GDP (fraction)."""
    sdm_noise_sd: float = 0.03
    """sd of the SDM disturbance."""

    # --- study 3: industrial FDI and the unit energy cost (Wang and Wu 2017) ------------------
    # Wang Banban and Wu Wei (2017), 碳价格对中国工业外商直接投资的潜在影响, 中国人口·资源与环境
    # 27(10): 159-167 (../shared/papers/002_2625d9fd520acca7.txt). The demo's world
    # (models_py/demo/industry.py), 36 two-digit industries, 1999-2015 (the paper's sample is
    # 1999-2013), money at 1999 prices:
    #   ln FDI_it = a_i + g_t + (b + d H_i) ln EC_i,t-1 + c_w ln wage_i,t-1 + c_k ln FAIPI_t-1
    #               + c_r ln RD_it + c_p rpc_it + c_s ln scale_it + c_1 ln nfa1_it
    #               + c_2 ln nfa2_it + c_ppi ln PPI_it + e_it
    # as the paper's model (its section 2.2: energy, labour and capital cost lagged one year,
    # the other controls current), H_i = 1 for the six high-energy industries (G18, G19, G24,
    # G25, G26, G34), EC the unit energy cost (yuan per tce). Relative FDI: the foreign-funded
    # share of net fixed assets; absolute FDI: foreign-funded net fixed assets (10^8 yuan, 1999
    # prices). The energy-cost elasticities are the paper's (its section 4.3 quotes them from
    # table 3, relative FDI, and table 4, absolute FDI); the controls' coefficients are the
    # demo's own: the text of the paper we hold does not print tables 3 and 4.
    industry_rel_energy_cost: float = 0.288
    """b of relative FDI: elasticity to the lagged unit energy cost, other industries (Wang and
    Wu 2017, table 3 as quoted in section 4.3: +0.288)."""
    industry_rel_energy_cost_high_total: float = -0.668
    """b + d of relative FDI: the elasticity in the six high-energy industries (Wang and Wu 2017,
    table 3 as quoted in section 4.3: -0.668)."""
    industry_abs_energy_cost: float = 0.03
    """b of absolute FDI: elasticity to the lagged unit energy cost, other industries (Wang and
    Wu 2017, table 4 as quoted in section 4.3: +0.03)."""
    industry_abs_energy_cost_high_total: float = -1.228
    """b + d of absolute FDI: the elasticity in the six high-energy industries (Wang and Wu 2017,
    table 4 as quoted in section 4.3: -1.228)."""
    industry_rel_controls: tuple[float, ...] = (-0.15, -0.20, 0.05, 1.5, 0.10, -0.08, -0.05,
                                                0.15)
    """Coefficients of relative FDI on the controls (demo values, not the paper's), in the order
    ln real wage (t-1; 1999 yuan), ln capital cost (t-1; FAI deflator, 1999 = 1; national, so
    absorbed by year effects), ln R&D stock (10^4 yuan, 1999 prices), profitability of
    foreign-funded firms (profit / cost), ln scale (gross output at 1999 prices, 10^8 yuan),
    ln nfa1 (state-controlled net fixed assets, 1999 prices), ln nfa2 (private net fixed
    assets, 1999 prices) and ln PPI (the industry's PPI deflator, 1999 = 1)."""
    industry_abs_controls: tuple[float, ...] = (-0.30, -0.40, 0.15, 3.0, 0.70, 0.05, 0.10,
                                                0.25)
    """Coefficients of absolute FDI on the same controls, same order (demo values)."""
    industry_rel_noise_sd: float = 0.04
    """sd of the disturbance of ln relative FDI."""
    industry_abs_noise_sd: float = 0.05
    """sd of the disturbance of ln absolute FDI."""

    # --- revisions between editions ------------------------------------------------------------
    census_revision_years: tuple[int, ...] = (2018, 2019, 2020)
    """Years whose GDP and tertiary value added the 2023 edition revises (economic census)."""

    @property
    def tis_total_elasticity(self) -> float:
        """c = c' + a b: total elasticity of key-industry CO2 to the TIS (the spine's estimate)."""
        return self.tis_direct_elasticity + self.tis_on_patents * self.patents_on_co2

    @property
    def industry_rel_energy_cost_high(self) -> float:
        """d of relative FDI: the high-energy interaction = total - base (-0.956)."""
        return self.industry_rel_energy_cost_high_total - self.industry_rel_energy_cost

    @property
    def industry_abs_energy_cost_high(self) -> float:
        """d of absolute FDI: the high-energy interaction = total - base (-1.258)."""
        return self.industry_abs_energy_cost_high_total - self.industry_abs_energy_cost

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["tis_total_elasticity"] = self.tis_total_elasticity
        values["industry_rel_energy_cost_high"] = self.industry_rel_energy_cost_high
        values["industry_abs_energy_cost_high"] = self.industry_abs_energy_cost_high
        return values

    def to_markdown(self) -> str:
        lines = ["| parameter | planted value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self.as_dict().items()]
        return "\n".join(lines)


PLANTED = PlantedParameters()
