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

    # --- revisions between editions ------------------------------------------------------------
    census_revision_years: tuple[int, ...] = (2018, 2019, 2020)
    """Years whose GDP and tertiary value added the 2023 edition revises (economic census)."""

    @property
    def tis_total_elasticity(self) -> float:
        """c = c' + a b: total elasticity of key-industry CO2 to the TIS (the spine's estimate)."""
        return self.tis_direct_elasticity + self.tis_on_patents * self.patents_on_co2

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["tis_total_elasticity"] = self.tis_total_elasticity
        return values

    def to_markdown(self) -> str:
        lines = ["| parameter | planted value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self.as_dict().items()]
        return "\n".join(lines)


PLANTED = PlantedParameters()
