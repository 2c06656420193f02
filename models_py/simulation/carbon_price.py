"""What carbon prices would do to industrial FDI: the counterfactual of Wang and Wu (2017).

Wang Banban and Wu Wei (2017), 碳价格对中国工业外商直接投资的潜在影响, 中国人口·资源与环境 27(10):
159-167, section 2.3 (formulas 4 and 5), after the carbon-price mapping of Cullen and Mansur
(2014); methods README section 3. For industry i and carbon price j = 0..J (yuan per t CO2):

  MC_ij  = UC_i / (P_i + j UC_i)                 semi-elasticity of the unit energy cost
                                                 (per yuan per t; UC_i in t CO2 per tce, P_i
                                                 in yuan per tce: mart_carbon_price_mapping)
  ME_ij  = coef_i x MC_ij                        marginal effect on FDI of one more yuan per t
                                                 at level j (proportional change of FDI)
  ACE_ij = sum_{k=1..j} ME_ik                    cumulative effect of going from 0 to j yuan
                                                 (ACE_i0 = 0; ``first_k=0`` sums k = 0..j-1)

coef_i = b for the other industries and b + d for the six high-energy ones (H_i = 1), with b
the elasticity of FDI to the (lagged) unit energy cost and d its high-energy interaction. The
paper's formula 5 sums "all marginal effects up to level j"; k starts at 1 here, as the methods
README writes it, so that ACE_i0 = 0. (The exact log change ln(P_i + j UC_i) - ln P_i lies
between the sums from k = 1 and from k = 0; at 100 yuan per t they differ by MC_i0 - MC_i100,
under 0.1 % of the ACE for realistic UC and P.)

Inference: ME and ACE are linear in (b, d): ME_ij = MC_ij (b + H_i d), ACE_ij = S_ij (b + H_i d)
with S_ij = sum MC_ik, so their variance is g' V g with g = MC_ij (1, H_i) or S_ij (1, H_i) and
V the estimated covariance of (b, d) (the delta method, exact here). Bands: estimate
+/- z_{1 - (1 - level)/2} x standard error (normal).

Pure numerics: data frames and arrays in and out, no I/O. Units: ME per yuan per t CO2 and ACE
as proportions (x 100 for percent, as the paper reports them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

MEASURES = ("me", "ace")


@dataclass(frozen=True)
class EnergyCostElasticity:
    """The estimated elasticities of one FDI measure: b (other industries), d (the high-energy
    interaction) and the 2 x 2 covariance of (b, d)."""

    b: float
    d: float
    cov: np.ndarray

    def __post_init__(self) -> None:
        cov = np.asarray(self.cov, dtype=float)
        if cov.shape != (2, 2) or not np.allclose(cov, cov.T):
            raise ValueError(f"cov must be a symmetric 2 x 2 covariance of (b, d), found {cov!r}")
        object.__setattr__(self, "cov", cov)

    @classmethod
    def from_fit(cls, params: pd.Series, cov: pd.DataFrame, base: str,
                 interaction: str) -> EnergyCostElasticity:
        """From a fitted model's params and covariance (any results object with ``params`` and
        ``cov``), naming the energy-cost term and its high-energy interaction."""
        for term in (base, interaction):
            if term not in params.index:
                raise KeyError(f"the fitted model has no term {term!r}; it has "
                               f"{list(params.index)}")
        return cls(float(params[base]), float(params[interaction]),
                   cov.loc[[base, interaction], [base, interaction]].to_numpy())

    @property
    def high_energy_total(self) -> float:
        """b + d, the elasticity in the high-energy industries."""
        return self.b + self.d

    @property
    def high_energy_total_se(self) -> float:
        """Standard error of b + d: sqrt(var b + var d + 2 cov(b, d))."""
        g = np.array([1.0, 1.0])
        return float(np.sqrt(g @ self.cov @ g))


def carbon_prices(max_price: int = 300, step: int = 1) -> np.ndarray:
    """The scenarios j = 0, step, ..., max_price (yuan per t CO2); the paper's: 0..300 by 1."""
    if max_price < 0 or step < 1:
        raise ValueError(f"need max_price >= 0 and step >= 1, found {max_price}, {step}")
    return np.arange(0, max_price + 1, step)


def marginal_cost(uc: np.ndarray, p: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """MC_ij = UC_i / (P_i + j UC_i), industries down, prices across (per yuan per t CO2)."""
    uc = np.asarray(uc, dtype=float)[:, None]
    p = np.asarray(p, dtype=float)[:, None]
    if (uc <= 0).any() or (p <= 0).any():
        raise ValueError("UC_i and P_i must be positive (t CO2 per tce, yuan per tce)")
    return uc / (p + np.asarray(prices, dtype=float)[None, :] * uc)


def cumulative_marginal_cost(mc: np.ndarray, prices: np.ndarray, first_k: int = 1
                             ) -> np.ndarray:
    """S_ij = sum_{k=first_k..j} MC_ik (first_k = 1) or sum_{k=0..j-1} (first_k = 0) over
    unit steps; ``prices`` must be 0, 1, 2, ... (the sum is over every yuan)."""
    prices = np.asarray(prices)
    if not np.array_equal(prices, np.arange(len(prices))):
        raise ValueError("the cumulative effect sums every price 0, 1, ..., J: pass prices "
                         "from carbon_prices(J) with step 1")
    if first_k == 1:
        return np.cumsum(mc, axis=1) - mc[:, :1]
    if first_k == 0:
        return np.concatenate([np.zeros((mc.shape[0], 1)), np.cumsum(mc, axis=1)[:, :-1]],
                              axis=1)
    raise ValueError(f"first_k must be 0 or 1, found {first_k}")


def counterfactual(mapping: pd.DataFrame, elasticity: EnergyCostElasticity,
                   prices: np.ndarray | None = None, level: float = 0.95, first_k: int = 1,
                   fdi_measure: str = "", industry: str = "industry_code",
                   high_energy: str = "is_high_energy", uc: str = "uc_tco2_per_tce",
                   p: str = "p_energy_yuan_per_tce") -> pd.DataFrame:
    """ME_ij and ACE_ij with delta-method bands for every industry of ``mapping`` and price.

    ``mapping``: one row per industry (or the rows of mart_carbon_price_mapping: the first row of
    each industry is used) with UC_i, P_i and the high-energy flag. Returns a tidy frame: one
    row per measure ('me', 'ace'), industry and carbon price, with ``fdi_measure``,
    ``is_high_energy``, ``coefficient`` (b or b + d), ``mc``, ``estimate``, ``std_error``,
    ``lower``, ``upper`` and ``level``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), found {level}")
    prices = carbon_prices() if prices is None else np.asarray(prices)
    missing = [c for c in (industry, high_energy, uc, p) if c not in mapping.columns]
    if missing:
        raise KeyError(f"mapping lacks the columns {missing}; it has {list(mapping.columns)}")
    rows = mapping.drop_duplicates(industry).sort_values(industry)
    h = rows[high_energy].astype(bool).to_numpy()
    mc = marginal_cost(rows[uc].to_numpy(), rows[p].to_numpy(), prices)
    cumulative = cumulative_marginal_cost(mc, prices, first_k)
    coefficient = np.where(h, elasticity.high_energy_total, elasticity.b)
    # var(b + H d) per industry: g = (1, H)
    g = np.column_stack([np.ones(len(h)), h.astype(float)])
    se_coefficient = np.sqrt(np.einsum("ik,kl,il->i", g, elasticity.cov, g))
    z = float(norm.ppf(1 - (1 - level) / 2))
    frames = []
    for measure, base in (("me", mc), ("ace", cumulative)):
        estimate = coefficient[:, None] * base
        se = se_coefficient[:, None] * np.abs(base)
        frames.append(pd.DataFrame({
            "fdi_measure": fdi_measure,
            "measure": measure,
            industry: np.repeat(rows[industry].to_numpy(), len(prices)),
            "is_high_energy": np.repeat(h, len(prices)),
            "carbon_price": np.tile(prices, len(h)),
            "coefficient": np.repeat(coefficient, len(prices)),
            "mc": mc.ravel(),
            "estimate": estimate.ravel(),
            "std_error": se.ravel(),
            "lower": (estimate - z * se).ravel(),
            "upper": (estimate + z * se).ravel(),
            "level": level,
        }))
    return pd.concat(frames, ignore_index=True)


def summary_table(effects: pd.DataFrame, prices: Sequence[int] = (50, 100), n_others: int = 6,
                  industry: str = "industry_code") -> pd.DataFrame:
    """The paper's summary (section 4.3): the cumulative effect (ACE, percent) at ``prices`` for
    the six high-energy industries and the ``n_others`` other industries most affected (largest
    |ACE| at the highest of ``prices``), with their bands. One row per industry and price:
    group ('high_energy' or 'other'), rank within the group, estimate/lower/upper in percent."""
    ace = effects[(effects["measure"] == "ace") & effects["carbon_price"].isin(prices)].copy()
    missing = set(prices) - set(ace["carbon_price"])
    if missing:
        raise ValueError(f"the effects hold no ACE at carbon prices {sorted(missing)}")
    top = ace[ace["carbon_price"] == max(prices)].assign(size=lambda f: f["estimate"].abs())
    top = top.sort_values("size", ascending=False)
    high = top[top["is_high_energy"]][industry].tolist()
    others = top[~top["is_high_energy"]][industry].head(n_others).tolist()
    ranks = {code: (group, r + 1) for group, codes in (("high_energy", high), ("other", others))
             for r, code in enumerate(codes)}
    out = ace[ace[industry].isin(ranks)].copy()
    out["group"] = out[industry].map(lambda c: ranks[c][0])
    out["rank"] = out[industry].map(lambda c: ranks[c][1])
    for column in ("estimate", "lower", "upper"):
        out[f"{column}_percent"] = 100 * out[column]
    columns = ["fdi_measure", "group", "rank", industry, "carbon_price", "estimate_percent",
               "lower_percent", "upper_percent"]
    return out[columns].sort_values(["group", "carbon_price", "rank"]).reset_index(drop=True)


def group_ranges(summary: pd.DataFrame) -> pd.DataFrame:
    """Per FDI measure, group and price: the smallest and largest ACE (percent) of the summary's
    industries, the form in which the paper reports them ("2%-7%")."""
    return (summary.groupby(["fdi_measure", "group", "carbon_price"])["estimate_percent"]
            .agg(min_percent="min", max_percent="max").reset_index())
