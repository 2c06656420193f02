"""The publication table: stars at the conventional thresholds, t in parentheses, FE rows."""

from __future__ import annotations

import pandas as pd

from models_py.estimation.panel_fe import PanelFEResults
from models_py.reports.formatting import fmt_coef, fmt_stat, stars
from models_py.reports.regression_table import RegressionTable


def test_star_thresholds() -> None:
    assert [stars(p) for p in (0.0099, 0.01, 0.0499, 0.05, 0.0999, 0.1001)] == \
        ["***", "**", "**", "*", "*", ""]
    assert fmt_coef(-0.16012, 0.001) == "-0.160***"
    assert fmt_stat(-5.4321) == "(-5.43)"


def fitted() -> PanelFEResults:
    index = pd.Index(["ln_tis", "ln_gdp"], name="term")
    return PanelFEResults(
        dependent="ln_ce",
        params=pd.Series([-0.16, 0.3], index=index),
        std_errors=pd.Series([0.02, 0.25], index=index),
        tstats=pd.Series([-8.0, 1.2], index=index),
        pvalues=pd.Series([0.0001, 0.24], index=index),
        cov=pd.DataFrame(0.0, index=index, columns=index),
        nobs=690, n_entities=30, n_periods=23, df_resid=600, rsquared_within=0.5781,
        loglik=100.0, sigma2=0.01, entity_effects=True, time_effects=True, cluster="entity",
        se_convention="stata",
    )


def test_markdown_layout() -> None:
    table = RegressionTable([fitted()], column_titles=["(1)"], labels={"ln_tis": "ln TIS"},
                            notes=["Synthetic demo data."])
    assert table.to_markdown().splitlines() == [
        "|  | (1) |",
        "|:---|:---:|",
        "| ln TIS | -0.160*** |",
        "|  | (-8.00) |",
        "| ln_gdp | 0.300 |",
        "|  | (1.20) |",
        "| Province FE | Yes |",
        "| Year FE | Yes |",
        "| N | 690 |",
        "| R² (within) | 0.578 |",
        "",
        "t statistics in parentheses; standard errors clustered by province (stata small-sample "
        "convention). * p<0.10, ** p<0.05, *** p<0.01.",
        "Synthetic demo data.",
    ]
    latex = table.to_latex()
    assert r"\toprule" in latex and "ln TIS & -0.160***" in latex and "R$^2$ (within)" in latex
