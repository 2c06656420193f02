"""Tables from hand-made results frames: exact cells, stars, notes and the four renderings."""

from __future__ import annotations

import pandas as pd
import pytest

from models_py.reports.formatting import fmt_num
from models_py.reports.grid import Cell, Table, latex_escape
from models_py.reports.tables import (
    descriptives_table,
    effects_table,
    mediation_table,
    moran_table,
    regression_table,
    statistical_tests_table,
)
from tests.reports import samples

BANNER = ("Data origin: synthetic. These numbers come from the synthetic demo yearbook, not "
          "from published statistics; they say nothing about China.")
EDITION = "Edition: latest (newest edition in the inputs: 2023)."


def test_no_negative_zero() -> None:
    assert [fmt_num(x) for x in (-0.0004, -0.0, 0.0004, -0.0006, float("nan"))] == \
        ["0.000", "0.000", "0.000", "-0.001", ""]


def test_regression_table_markdown_as_esttab() -> None:
    table = regression_table(**samples.baseline(), caption="Baseline", label="tab:baseline")
    assert table.to_markdown().splitlines() == [
        "**Baseline**",
        "",
        "|  | (1) | (2) |",
        "|:---|:---:|:---:|",
        "|  | Province FE | Two-way FE |",
        "| Dependent variable | ln CO2 | ln CO2 |",
        "| ln tech import | -0.160*** | 0.000 |",
        "|  | (-8.01) | (-0.04) |",
        "| ln GDP per capita |  | 0.300 |",
        "|  |  | (1.20) |",
        "| Constant | 10.237*** | 9.464*** |",
        "|  | (196.27) | (28.74) |",
        "| Province FE | Yes | Yes |",
        "| Year FE | No | Yes |",
        "| region x year FE | No | Yes |",
        "| N | 300 | 300 |",
        "| Clusters | 30 | 30 |",
        "| R² (within) | 0.048 | 0.226 |",
        "",
        "t statistics in parentheses. * p<0.10, ** p<0.05, *** p<0.01.",
        "Standard errors clustered by province (stata small-sample convention).",
        BANNER,
        EDITION,
    ]


def test_regression_table_standard_errors_and_selection() -> None:
    frames = samples.baseline()
    table = regression_table(**frames, below="se", study="tech_import", table_id="baseline",
                             drop_terms=["const"])
    md = table.to_markdown().splitlines()
    assert "|  | (0.020) | (0.010) |" in md
    assert not any(line.startswith("| Constant") for line in md)
    assert md[md.index("") + 1].startswith("Standard errors in parentheses.")
    with pytest.raises(ValueError, match="table_id='nope'"):
        regression_table(**frames, table_id="nope")


def test_regression_table_latex_float() -> None:
    latex = regression_table(**samples.baseline(), caption="Baseline results",
                             label="tab:baseline").to_latex().splitlines()
    assert latex[0] == r"% Needs \usepackage{booktabs} in the preamble"
    assert latex[1:6] == [r"\begin{table}[htbp]", r"\centering",
                          r"\caption{Baseline results}", r"\label{tab:baseline}",
                          r"\begin{tabular}{lcc}"]
    assert r"ln tech import & -0.160*** & 0.000 \\" in latex
    assert r"R$^2$ (within) & 0.048 & 0.226 \\" in latex
    assert latex.index(r"\midrule", latex.index(r"Constant & 10.237*** & 9.464*** \\")) == \
        latex.index(r"Province FE & Yes & Yes \\") - 1
    assert latex[-1] == r"\end{table}"


def test_regression_table_csv_and_html() -> None:
    table = regression_table(**samples.baseline(), label="tab:baseline")
    csv_lines = table.to_csv().splitlines()
    assert csv_lines[:4] == [",(1),(2)", ",Province FE,Two-way FE",
                             "Dependent variable,ln CO2,ln CO2", "ln tech import,-0.160***,0.000"]
    assert csv_lines[-1] == f"{EDITION},,"
    html = table.to_html()
    assert html.startswith('<figure class="results-table" id="tab:baseline">')
    assert ('<tr class="rule"><th scope="row">Province FE</th><td>Yes</td><td>Yes</td></tr>'
            in html)
    assert "* p&lt;0.10" in html


def test_spatial_table_main_wx_rho_sigma2() -> None:
    frames = samples.spatial()
    table = regression_table(frames["models"], frames["estimates"], frames["fit_statistics"])
    assert table.to_markdown().splitlines()[:15] == [
        "|  | (1) |  |",
        "|:---|:---:|:---:|",
        "|  | W1 |  |",
        "| Dependent variable | ln CO2 |  |",
        "|  | Main | Wx |",
        "| ln tech import | -0.333*** | 0.185*** |",
        "|  | (-8.82) | (2.79) |",
        "| rho | 0.084 |  |",
        "|  | (0.42) |  |",
        "| sigma² | 0.0051 |  |",
        "| Province FE | Yes |  |",
        "| Year FE | Yes |  |",
        "| N | 300 |  |",
        "| Log-likelihood | 312.457 |  |",
        "",
    ]
    assert "z statistics in parentheses. * p<0.10, ** p<0.05, *** p<0.01." in table.notes
    assert "Spatial weights: contiguity in (1)." in table.notes
    latex = table.to_latex()
    assert r" & \multicolumn{2}{c}{(1)} \\" in latex and r"\cmidrule(lr){2-3}" in latex
    assert r"sigma$^2$ & 0.0051 &  \\" in latex
    assert '<th colspan="2" scope="col">(1)</th>' in table.to_html()


def test_effects_table() -> None:
    frames = samples.spatial()
    md = effects_table(frames["effects"], frames["models"]).to_markdown().splitlines()
    assert md[:6] == [
        "|  | (1) |  |  |",
        "|:---|:---:|:---:|:---:|",
        "|  | W1 |  |  |",
        "|  | Direct | Indirect | Total |",
        "| ln tech import | -0.331*** | 0.170** | -0.161* |",
        "|  | (-8.50) | (2.10) | (-1.90) |",
    ]


def test_moran_table_expected_i_no_negative_zero_latex() -> None:
    table = moran_table(samples.moran(), variable_labels={"ln_co2": "ln CO2"},
                        caption="Global Moran's I", label="tab:moran")
    md = table.to_markdown().splitlines()
    assert md[2:8] == [
        "|  | ln CO2 |  |  |  |",
        "|:---|:---:|:---:|:---:|:---:|",
        "|  | W: contiguity |  |  |  |",
        "| Year | I | E[I] | z | p-value |",
        "| 2011 | 0.046 | -0.034 | 2.097 | 0.036 |",
        "| 2012 | 0.000 | -0.034 | 0.000 | 1.000 |",
    ]
    latex = table.to_latex()
    assert r"\caption{Global Moran's I}" in latex and r"\label{tab:moran}" in latex
    assert r" & \multicolumn{4}{c}{W: contiguity} \\" in latex
    assert r"2012 & 0.000 & -0.034 & 0.000 & 1.000 \\" in latex
    assert "-0.000" not in latex + table.to_html() + table.to_csv()


def test_generic_tables() -> None:
    assert descriptives_table(samples.descriptives()).to_markdown().splitlines()[:3] == [
        "| Variable | N | Mean | SD | Min | Max |",
        "|:---|:---:|:---:|:---:|:---:|:---:|",
        "| ln CO2 | 300 | 5.432 | 0.800 | 3.100 | 7.250 |",
    ]
    assert statistical_tests_table(samples.unit_roots()).to_markdown().splitlines()[:4] == [
        "| Variable | Test | Statistic | p-value | Conclusion |",
        "|:---|:---:|:---:|:---:|:---:|",
        "| ln_co2 | LLC | -5.432 | 0.000 | stationary |",
        "| ln_co2 | Fisher-ADF | 80.500 | 0.012 | stationary |",
    ]
    wide = statistical_tests_table(samples.unit_roots(), wide=True)
    assert wide.body == [["ln_co2", "-5.432***", "80.500**"], ["", "[0.000]", "[0.012]"]]


def test_real_data_has_no_banner_and_grid_checks_widths() -> None:
    frames = {k: v.assign(data_origin="real") for k, v in samples.baseline().items()}
    notes = regression_table(**frames).notes
    assert not any(n.startswith("Data origin") for n in notes) and notes[-1] == EDITION
    with pytest.raises(ValueError, match="different widths"):
        Table(header=[["", Cell("(1)", 2)]], body=[["a", "b"]])


def test_latex_escapes_and_cjk_package() -> None:
    assert latex_escape("ln_co2 & 5% σ² ×") == r"ln\_co2 \& 5\% $\sigma$$^2$ $\times$"
    table = Table(header=[["变量", "N"]], body=[["碳排放", "300"]])
    assert table.to_latex().splitlines()[0] == (
        r"% Needs \usepackage{booktabs, xeCJK} in the preamble (compile with XeLaTeX)")


def test_spatial_columns_side_by_side_with_rho_and_lambda() -> None:
    frames = samples.spatial()
    sem_model = frames["models"].assign(model="sem_w2", column_order=2, column_title="W2",
                                        estimator="sem", weights="inverse distance")
    sem_estimates = samples._with("sdm", samples._estimates("sdm", "sem_w2", "z", [
        ("ln_tech", "ln tech import", -0.298, 0.0377, -7.91, 1e-9),
        ("lambda", "lambda", 0.211, 0.1024, 2.06, 0.039)]))
    sem_fit = frames["fit_statistics"].assign(model="sem_w2")
    table = regression_table(
        pd.concat([frames["models"], sem_model]),
        pd.concat([frames["estimates"], sem_estimates]),
        pd.concat([frames["fit_statistics"], sem_fit]))
    md = table.to_markdown().splitlines()
    assert md[:13] == [
        "|  | (1) |  | (2) |  |",
        "|:---|:---:|:---:|:---:|:---:|",
        "|  | W1 |  | W2 |  |",
        "| Dependent variable | ln CO2 |  | ln CO2 |  |",
        "|  | Main | Wx | Main | Wx |",
        "| ln tech import | -0.333*** | 0.185*** | -0.298*** |  |",
        "|  | (-8.82) | (2.79) | (-7.91) |  |",
        "| rho | 0.084 |  |  |  |",
        "|  | (0.42) |  |  |  |",
        "| lambda |  |  | 0.211** |  |",
        "|  |  |  | (2.06) |  |",
        "| sigma² | 0.0051 |  | 0.0051 |  |",
        "| Province FE | Yes |  | Yes |  |",
    ]
    assert "Spatial weights: contiguity in (1); inverse distance in (2)." in table.notes


def test_mediation_table() -> None:
    frame = samples._with("mediation", [
        {"model": "med", "variant": "main", "outcome": outcome, "statistic": s, "value": v}
        for outcome, stats in (("ln CO2", {"indirect": -0.0226, "ci_low": -0.041,
                                            "ci_high": -0.0004}),
                               ("ln CE steel", {"indirect": 0.0227, "ci_low": 0.002,
                                                "ci_high": 0.044}))
        for s, v in stats.items()])
    table = mediation_table(frame, statistic_labels={"indirect": "Indirect effect",
                                                     "ci_low": "95% CI, lower",
                                                     "ci_high": "95% CI, upper"})
    assert table.to_markdown().splitlines()[:6] == [
        "|  | (1) | (2) |",
        "|:---|:---:|:---:|",
        "| Outcome | ln CO2 | ln CE steel |",
        "| Indirect effect | -0.023 | 0.023 |",
        "| 95% CI, lower | -0.041 | 0.002 |",
        "| 95% CI, upper | 0.000 | 0.044 |",
    ]
    assert r"95\% CI, upper & 0.000 & 0.044 \\" in table.to_latex()
