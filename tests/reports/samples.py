"""Hand-made ``results`` frames with numbers a reader can check (docs/results-schema.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

PROVENANCE = {"study": "tech_import", "as_of_edition": "latest", "newest_edition": "2023",
              "data_origin": "synthetic"}


def _with(table_id: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{**PROVENANCE, "table_id": table_id, **r} for r in rows])


def _estimates(table_id: str, model: str, kind: str,
               terms: list[tuple[str, str, float, float, float, float]]) -> list[dict]:
    rows = []
    for order, (term, label, estimate, se, stat, p) in enumerate(terms):
        for statistic, value in (("estimate", estimate), ("std_error", se), (kind, stat),
                                 ("p_value", p)):
            rows.append({"model": model, "variant": "main", "term": term, "term_label": label,
                         "term_order": order, "statistic": statistic, "value": value})
    return rows


def baseline() -> dict[str, pd.DataFrame]:
    """Two fixed-effects columns (the layout of the technology-import paper's Table 3)."""
    common = {"variant": "main", "estimator": "panel_fe", "dependent": "ln_co2",
              "dependent_label": "ln CO2", "cluster": "province", "weights": "",
              "se_convention": "stata", "statistic_kind": "t"}
    models = _with("baseline", [
        {**common, "model": "fe_entity", "column_order": 1, "column_title": "Province FE",
         "entity_effects": True, "time_effects": False, "other_effects": ""},
        {**common, "model": "fe_twoways", "column_order": 2, "column_title": "Two-way FE",
         "entity_effects": True, "time_effects": True, "other_effects": "region x year"},
    ])
    estimates = _with("baseline", [
        *_estimates("baseline", "fe_entity", "t", [
            ("ln_tech", "ln tech import", -0.16012, 0.02, -8.006, 0.0001),
            ("const", "Constant", 10.237, 0.052, 196.27, 0.0)]),
        *_estimates("baseline", "fe_twoways", "t", [
            ("ln_tech", "ln tech import", -0.0004, 0.01, -0.04, 0.97),
            ("ln_gdp", "ln GDP per capita", 0.3, 0.25, 1.2, 0.24),
            ("const", "Constant", 9.464, 0.33, 28.74, 0.0)]),
    ])
    fit = _with("baseline", [
        {"model": m, "variant": "main", "statistic": s, "value": v}
        for m, stats in (("fe_entity", {"nobs": 300, "n_clusters": 30, "r2_within": 0.0481}),
                         ("fe_twoways", {"nobs": 300, "n_clusters": 30, "r2_within": 0.2264}))
        for s, v in stats.items()])
    return {"models": models, "estimates": estimates, "fit_statistics": fit}


def spatial() -> dict[str, pd.DataFrame]:
    """One SDM column (Main / Wx) with rho, sigma2 and its effects (the paper's Table 9-11)."""
    models = _with("sdm", [{
        "model": "sdm_w1", "variant": "main", "column_order": 1, "column_title": "W1",
        "estimator": "sdm", "dependent": "ln_co2", "dependent_label": "ln CO2",
        "entity_effects": True, "time_effects": True, "other_effects": "", "cluster": "",
        "weights": "contiguity", "se_convention": "ml", "statistic_kind": "z"}])
    estimates = _with("sdm", _estimates("sdm", "sdm_w1", "z", [
        ("ln_tech", "ln tech import", -0.333, 0.0378, -8.82, 1e-10),
        ("W_ln_tech", "W x ln tech import", 0.185, 0.0663, 2.79, 0.0053),
        ("rho", "rho", 0.0841, 0.2, 0.42, 0.67)]))
    fit = _with("sdm", [{"model": "sdm_w1", "variant": "main", "statistic": s, "value": v}
                        for s, v in (("nobs", 300), ("sigma2", 0.00512), ("loglik", 312.4567),
                                     ("rho", 0.0841))])
    effects = _with("sdm", [
        {"model": "sdm_w1", "variant": "main", "term": "ln_tech",
         "term_label": "ln tech import", "effect": e, "statistic": s, "value": v}
        for e, stats in (("direct", {"estimate": -0.331, "z": -8.5, "p_value": 1e-9}),
                         ("indirect", {"estimate": 0.1701, "z": 2.1, "p_value": 0.036}),
                         ("total", {"estimate": -0.1609, "z": -1.9, "p_value": 0.057}))
        for s, v in stats.items()])
    return {"models": models, "estimates": estimates, "fit_statistics": fit, "effects": effects}


def moran() -> pd.DataFrame:
    return _with("moran", [
        {"variable": "ln_co2", "weights": "contiguity", "year": 2011, "moran_i": 0.046,
         "expected_i": -1 / 29, "variance": 0.0005, "z": 2.097, "p_value": 0.036},
        {"variable": "ln_co2", "weights": "contiguity", "year": 2012, "moran_i": -0.0002,
         "expected_i": -1 / 29, "variance": 0.0005, "z": -0.0001, "p_value": 0.9999},
    ])


def descriptives() -> pd.DataFrame:
    return _with("descriptives", [
        {"variable": "ln_co2", "variable_label": "ln CO2", "statistic": s, "value": v}
        for s, v in (("n", 300), ("mean", 5.4321), ("sd", 0.8), ("min", 3.1), ("max", 7.25))])


def unit_roots() -> pd.DataFrame:
    return _with("unit_roots", [
        {"model": "", "variant": "main", "variable": "ln_co2", "test": t, "statistic": s,
         "df": None, "p_value": p, "conclusion": "stationary"}
        for t, s, p in (("LLC", -5.4321, 0.0), ("Fisher-ADF", 80.5, 0.012))])


def render_sample_report(reports_dir: Path) -> Path:
    """A study page from the frames above (tables, maps, a Moran scatter, curves), one study
    with only some tables, and the index; returns the study page."""
    import numpy as np

    from models_py.reference import provinces
    from models_py.reports import figures
    from models_py.reports.html import (
        FigureRef,
        Section,
        render_index,
        render_study_report,
        table_section,
    )
    from models_py.reports.provenance import provenance_of
    from models_py.reports.tables import (
        descriptives_table,
        effects_table,
        moran_table,
        regression_table,
    )

    out = reports_dir / "tech_import"
    base, sp = baseline(), spatial()
    codes = list(provinces()["province_code"])
    values = pd.Series(np.linspace(1.0, 9.0, len(codes)), index=codes)
    w = pd.DataFrame(0.0, index=codes, columns=codes)
    for a, b in zip(codes, codes[1:], strict=False):
        w.loc[a, b] = w.loc[b, a] = 1.0
    fig_dir = out / "figures"
    stock = figures.save_figure(figures.choropleth(values, title="Stock, 2020",
                                                   legend_label="ln stock"), fig_dir / "stock")
    scatter = figures.save_figure(figures.moran_scatter(values, w), fig_dir / "moran_2020")
    grid = np.linspace(0.0, 300.0, 7)
    simulation = pd.DataFrame(
        [("s", "ME", "steel", g, stat, g * f) for g in grid
         for stat, f in (("estimate", 1.0), ("lower", 0.8), ("upper", 1.2))],
        columns=["scenario", "measure", "unit", "grid_value", "statistic", "value"])
    me = figures.save_figure(figures.simulation_curves(simulation, "ME"), fig_dir / "me")
    tables = out / "tables"
    sections = [
        table_section("Descriptive statistics", descriptives_table(descriptives(),
                      caption="Table 1. Descriptive statistics", label="tab-descriptives"),
                      tables, "descriptives"),
        table_section("Baseline regressions", regression_table(
            **base, caption="Table 3. Baseline regressions", label="tab-baseline"),
            tables, "baseline"),
        table_section("Global Moran's I", moran_table(
            moran(), caption="Table 7. Global Moran's I", label="tab-moran"), tables, "moran"),
        table_section("Spatial Durbin model", regression_table(
            sp["models"], sp["estimates"], sp["fit_statistics"], caption="Table 9. SDM",
            label="tab-sdm"), tables, "sdm"),
        table_section("Effects", effects_table(sp["effects"], sp["models"],
                      caption="Table 11. Effects", label="tab-effects"), tables, "effects"),
        Section("Figures", figures=[
            FigureRef(stock["png"], "Technology-import stock, 2020", downloads=(stock["pdf"],)),
            FigureRef(scatter["png"], "Moran scatter, 2020", downloads=(scatter["pdf"],)),
            FigureRef(me["png"], "Marginal emission curve with its band")]),
    ]
    page = render_study_report("Technology import and carbon emissions", sections, out,
                               provenance=provenance_of(*base.values(), *sp.values()),
                               missing=["Mediation (not estimated yet)"])
    render_study_report("Carbon price (partial)", [table_section(
        "Descriptive statistics", descriptives_table(descriptives()), reports_dir / "carbon_price"
        / "tables", "descriptives")], reports_dir / "carbon_price",
        provenance=provenance_of(descriptives()), missing=["MC curves", "ME and ACE curves"])
    render_index(reports_dir)
    return page
