"""Spatial panel tables in the layout papers print (methods README, sec. 7).

A Main / Wx column pair: per regressor its coefficient with stars (* 10 %, ** 5 %, *** 1 %) and
the z statistic in parentheses below, the coefficient of W x in the Wx column; then rows for the
spatial parameter (rho or lambda), sigma^2, the log-likelihood, R^2, N and the fixed effects
(Yes/No). The effects table has Direct, Indirect and Total columns from simulated effects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from models_py.reports.formatting import STAR_NOTE, fmt_coef, fmt_stat, markdown_grid

if TYPE_CHECKING:
    from models_py.spatial.results import SpatialPanelResults


def spatial_table_frame(results: SpatialPanelResults, labels: Mapping[str, str] | None = None,
                        coef_decimals: int = 3, stat_decimals: int = 2,
                        entity_label: str = "Entity FE", time_label: str = "Time FE"
                        ) -> pd.DataFrame:
    """The table's cells: columns '', 'Main', 'Wx'."""
    labels = dict(labels or {})

    def cells(name: str) -> tuple[str, str]:
        if name not in results.params.index:
            return "", ""
        return (fmt_coef(results.params[name], results.pvalues[name], coef_decimals),
                fmt_stat(results.tstats[name], stat_decimals))

    rows: list[list[str]] = []
    terms = (["const"] if "const" in results.params.index else []) + list(results.regressors)
    for term in terms:
        main, main_stat = cells(term)
        wx, wx_stat = cells(f"W_{term}")
        rows += [[labels.get(term, term), main, wx], ["", main_stat, wx_stat]]
    spatial = results.spatial_name
    main, main_stat = cells(spatial)
    rows += [[spatial, main, ""], ["", main_stat, ""]]
    rows += [["sigma²", f"{results.sigma2:.{max(coef_decimals, 4)}g}", ""],
             ["Log-likelihood", f"{results.loglik:.3f}", ""],
             ["R²", f"{results.rsquared:.3f}", ""],
             ["corr²", f"{results.corr2:.3f}", ""],
             ["N", str(results.nobs), ""],
             [entity_label, "Yes" if results.entity_effects else "No", ""],
             [time_label, "Yes" if results.time_effects else "No", ""]]
    return pd.DataFrame(rows, columns=["", "Main", "Wx"])


def effects_table_frame(effects: pd.DataFrame, labels: Mapping[str, str] | None = None,
                        coef_decimals: int = 3, stat_decimals: int = 2) -> pd.DataFrame:
    """Direct / Indirect / Total cells from ``models_py.spatial.effects.simulated_effects``
    (the simulated mean with stars from its p-value, t in parentheses below)."""
    labels = dict(labels or {})
    rows: list[list[str]] = []
    for term, part in effects.groupby("term", sort=False):
        part = part.set_index("effect")
        coef_row, stat_row = [labels.get(term, term)], [""]
        for effect in ("direct", "indirect", "total"):
            r = part.loc[effect]
            if pd.isna(r["t"]):  # identically zero (e.g. the indirect effect of a SEM)
                coef_row.append(f"{r['mean']:.{coef_decimals}f}")
                stat_row.append("")
            else:
                coef_row.append(fmt_coef(r["mean"], r["p_value"], coef_decimals))
                stat_row.append(fmt_stat(r["t"], stat_decimals))
        rows += [coef_row, stat_row]
    return pd.DataFrame(rows, columns=["", "Direct", "Indirect", "Total"])


def spatial_table_markdown(results: SpatialPanelResults, effects: pd.DataFrame | None = None,
                           labels: Mapping[str, str] | None = None) -> str:
    """Markdown of the Main / Wx table and, when ``effects`` is given, the effects table."""
    parts = [markdown_grid(spatial_table_frame(results, labels)), "",
             f"z statistics in parentheses (asymptotic standard errors). {STAR_NOTE}."]
    if effects is not None:
        parts += ["", markdown_grid(effects_table_frame(effects, labels)), "",
                  "Effects (LeSage and Pace 2009): means of simulated draws of the parameters, "
                  f"t in parentheses. {STAR_NOTE}."]
    return "\n".join(parts)
