"""A study's table from its declaration and the warehouse's frames: ``run_table``.

Input: the declaration, the panel mart (a DataFrame) and the spatial weights it names (a
mapping of matrix name -> ``SpatialWeights``); output: a mapping of ``results`` table
name -> long frame (docs/results-schema.md). Nothing here reads or writes a database.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import pandas as pd

from models_py.estimation.collinearity import MEAN_ROW, variance_inflation
from models_py.estimation.descriptives import describe
from models_py.estimation.hausman import hausman_fe_re
from models_py.estimation.mediation import bootstrap_mediation, mediation_analyses
from models_py.estimation.unit_roots import panel_unit_root_tests
from models_py.spatial.effects import simulated_effects
from models_py.spatial.hausman import spatial_hausman, spatial_mundlak_test
from models_py.spatial.lm_tests import panel_lm_tests
from models_py.spatial.model_selection import select_spatial_model
from models_py.spatial.moran import global_moran_panel, local_moran
from models_py.spatial.random_effects import fit_spatial_random_effects
from models_py.spatial.weights import SpatialWeights
from models_py.studies.frames import (
    describe_variant,
    effects_frame,
    model_frames,
    tests_frame,
)
from models_py.studies.registry import (
    FitInput,
    fit,
    fit_spatial,
    fixed_effects_name,
    sample_weights,
)
from models_py.studies.sample import (
    absorbed_effects,
    model_frame,
    regressor_names,
    study_rows,
    study_variables,
)
from models_py.studies.schema import (
    DescriptivesTable,
    HausmanTable,
    MediationTable,
    ModelSpec,
    MoranTable,
    RegressionTable,
    SpatialTable,
    SpatialTestsTable,
    StudyDeclaration,
    Table,
    UnitRootsTable,
    VifTable,
)

Frames = dict[str, pd.DataFrame]
Weights = Mapping[str, SpatialWeights]


def _fit_input(panel: pd.DataFrame, variables: pd.DataFrame, study: StudyDeclaration,
               spec: ModelSpec, weights: Weights) -> FitInput:
    frame = model_frame(variables, study, spec, panel)
    if frame.empty:
        raise ValueError(f"{study.path}: model of {spec.dependent} on {list(spec.regressors)} "
                         "has no complete rows in its sample")
    return FitInput(frame=frame, spec=spec, entity=study.entity, time=study.time,
                    absorbed=absorbed_effects(panel, frame, spec, study.entity, study.time),
                    weights=weights[spec.weights] if spec.weights else None)


def _merge(parts: list[Frames]) -> Frames:
    out: dict[str, list[pd.DataFrame]] = {}
    for part in parts:
        for name, frame in part.items():
            out.setdefault(name, []).append(frame)
    return {name: pd.concat(frames, ignore_index=True) for name, frames in out.items()}


def _columns_table(study: StudyDeclaration, table: RegressionTable | SpatialTable,
                   panel: pd.DataFrame, variables: pd.DataFrame, weights: Weights) -> Frames:
    parts: list[Frames] = []
    order = 0
    for column in table.columns:
        for spec in study.expand(column):
            order += 1
            data = _fit_input(panel, variables, study, spec, weights)
            result = fit(data)
            overrides = dict(column.overrides)
            overrides.update({k: None for k in column.grid})
            variant = describe_variant(spec, overrides)
            part = model_frames(study, table.id, order, column.model, variant, spec, result)
            if isinstance(table, SpatialTable):
                effects = simulated_effects(result, draws=table.effect_draws,
                                            seed=table.seed)
                part["effects"] = effects_frame(study, table.id, order, column.model, variant,
                                                effects)
            parts.append(part)
    return _merge(parts)


def _hausman_table(study: StudyDeclaration, table: HausmanTable, panel: pd.DataFrame,
                   variables: pd.DataFrame, weights: Weights) -> Frames:
    spec = study.models[table.model]
    frame = model_frame(variables, study, spec, panel)
    result = hausman_fe_re(frame, spec.dependent, regressor_names(spec), study.entity,
                           study.time)
    if result.chi2 < 0:
        verdict = ("V_FE - V_RE is not positive definite (chi2 < 0): the data do not meet the "
                   "test's asymptotic assumptions, and the test does not decide")
    elif result.prefers_fixed_effects:
        verdict = "fixed effects (random effects rejected at 5 %)"
    else:
        verdict = "random effects not rejected at 5 %"
    return {"tests": tests_frame(study, table.id, [{
        "model": table.model, "variable": spec.dependent, "test": "hausman_fe_re",
        "statistic": result.chi2, "df": result.df, "p_value": result.p_value,
        "conclusion": verdict}])}


def _spatial_tests_table(study: StudyDeclaration, table: SpatialTestsTable,
                         panel: pd.DataFrame, variables: pd.DataFrame, weights: Weights
                         ) -> Frames:
    base = study.models[table.model]
    data = _fit_input(panel, variables, study, base, weights)
    w = sample_weights(data.weights, data.frame[study.entity])
    lm = panel_lm_tests(data.frame, base.dependent, regressor_names(base), study.entity,
                        study.time, w, fixed_effects=fixed_effects_name(base))
    fits = {}
    for model in ("sdm", "sar", "sem"):
        # the tests nest SAR and SEM in the SDM with W x of every regressor (theta = 0 and
        # theta + rho b = 0 are defined on all of them), whatever Durbin terms the study's SDM
        # keeps
        spec = base.model_copy(update={"estimator": model, "durbin": None})
        fits[model] = fit_spatial(FitInput(data.frame, spec, study.entity, study.time,
                                           weights=w))
    selection = select_spatial_model(fits["sdm"], fits["sar"], fits["sem"], lm)
    rows = [{"model": table.model, "variable": base.dependent, "test": name,
             "statistic": lm.loc[name, "statistic"], "df": 1,
             "p_value": lm.loc[name, "p_value"]} for name in lm.index]
    for _, test in selection.tests.iterrows():
        rows.append({"model": table.model, "variable": base.dependent,
                     "test": f"{test['test']}: {test['hypothesis']}".lower(),
                     "statistic": test["statistic"], "df": test["df"],
                     "p_value": test["p_value"]})
    rows += _spatial_hausman_rows(data, table.model, base, w, study)
    rows.append({"model": table.model, "variable": base.dependent, "test": "selected_model",
                 "statistic": float("nan"), "conclusion": selection.chosen + ": " +
                 " ".join(selection.reasons)})
    return {"tests": tests_frame(study, table.id, rows)}


def _spatial_hausman_rows(data: FitInput, model: str, base: ModelSpec, w: SpatialWeights,
                          study: StudyDeclaration) -> list[dict]:
    """Fixed against random individual effects for the spatial model (SAR, or the SDM when it
    is the declared model): splm's sphtest pairing and the Mundlak form, which needs no
    difference of covariances (models_py.spatial.hausman)."""
    kind = "sdm" if base.estimator == "sdm" else "sar"
    regressors = regressor_names(base)
    durbin = regressors if kind == "sdm" else None
    entity_fe = fit_spatial(FitInput(data.frame, base.model_copy(update={
        "estimator": kind, "effects": ("entity",), "approach": "direct"}), study.entity,
        study.time, weights=w))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a non-PD difference is reported in the conclusion
        random = fit_spatial_random_effects(data.frame, base.dependent, regressors,
                                            study.entity, study.time, w, kind, durbin,
                                            covariance="splm")
        hausman = spatial_hausman(entity_fe, random)
    mundlak = spatial_mundlak_test(data.frame, base.dependent, regressors, study.entity,
                                   study.time, w, kind, durbin)
    rows = []
    for name, result, how in (
            ("spatial_hausman", hausman, "splm's sphtest: individual FE against RE"),
            ("spatial_mundlak", mundlak, "Wald test of the unit means in the RE model")):
        verdict = ("fixed effects (random effects rejected at 5 %)" if result.p_value < 0.05
                   else "random effects not rejected at 5 %")
        if not getattr(result, "positive_definite", True):
            verdict += "; V_FE - V_RE is not positive definite, |statistic| reported as splm"
        rows.append({"model": model, "variable": base.dependent,
                     "test": f"{name} ({kind.upper()})", "statistic": result.chi2,
                     "df": result.df, "p_value": result.p_value,
                     "conclusion": f"{verdict} ({how})"})
    return rows


def _moran_table(study: StudyDeclaration, table: MoranTable, panel: pd.DataFrame,
                 variables: pd.DataFrame, weights: Weights) -> Frames:
    rows = _sample(study, variables)
    globals_, locals_ = [], []
    for name in table.weights:
        w = sample_weights(weights[name], rows[study.entity])
        tidy = global_moran_panel(rows, list(table.variables), w, study.entity, study.time)
        globals_.append(pd.DataFrame({
            "variable": tidy["variable"], "weights": name, "year": tidy[study.time],
            "moran_i": tidy["i"], "expected_i": tidy["expected"],
            "variance": tidy["var_normality"], "z": tidy["z_normality"],
            "p_value": tidy["p_normality"], "z_randomisation": tidy["z_randomisation"],
            "p_randomisation": tidy["p_randomisation"]}))
        present_years = set(rows[study.time])
        for variable in table.variables:
            # years of the declaration outside the data (a shorter fast-path build) are skipped
            for year in (y for y in table.local_years if y in present_years):
                values = rows[rows[study.time] == year].set_index(study.entity)[variable]
                values = values.reindex(list(w.ids))
                local = local_moran(values.to_numpy(), w, list(w.ids),
                                    permutations=table.permutations, seed=table.seed)
                locals_.append(pd.DataFrame({
                    "variable": variable, "weights": name, "year": year,
                    "province_code": local["code"], "local_i": local["i"],
                    "p_value": local["p_sim"], "quadrant": local["quadrant"],
                    "cluster": local["cluster"]}))
    out = {"moran": pd.concat(globals_, ignore_index=True)}
    if locals_:
        out["local_moran"] = pd.concat(locals_, ignore_index=True)
    for frame in out.values():
        frame.insert(0, "study", study.name)
        frame.insert(1, "table_id", table.id)
    return out


def _sample(study: StudyDeclaration, variables: pd.DataFrame) -> pd.DataFrame:
    return variables[study_rows(variables, study)]


def _descriptives_table(study: StudyDeclaration, table: DescriptivesTable, panel: pd.DataFrame,
                        variables: pd.DataFrame, weights: Weights) -> Frames:
    """N, mean, sd, min and max over the study's sample (winsorised as the study or the table
    declares)."""
    share = table.winsorise_percent / 100 if table.winsorise_percent else None
    wide = describe(_sample(study, variables), list(table.variables), winsorize_share=share,
                    labels={v: study.label(v) for v in table.variables})
    long = wide.melt(id_vars=["variable", "label"], value_vars=["n", "mean", "sd", "min", "max"],
                     var_name="statistic", value_name="value")
    long = long.rename(columns={"label": "variable_label"})
    long.insert(0, "study", study.name)
    long.insert(1, "table_id", table.id)
    return {"descriptives": long}


def _unit_roots_table(study: StudyDeclaration, table: UnitRootsTable, panel: pd.DataFrame,
                      variables: pd.DataFrame, weights: Weights) -> Frames:
    """LLC, IPS, Fisher-ADF and Fisher-PP of each variable over the study's sample."""
    tidy = panel_unit_root_tests(_sample(study, variables), study.entity, study.time,
                                 list(table.variables), deterministic=table.deterministic,
                                 lags=table.lags)
    rows = [{"variable": r["variable"], "test": r["test"], "statistic": r["statistic"],
             "df": r["lags"], "p_value": r["p_value"],
             "conclusion": f"{r['conclusion']} ({r['deterministic']}, lags {r['lag_selection']})"}
            for _, r in tidy.iterrows()]
    return {"tests": tests_frame(study, table.id, rows)}


def _vif_table(study: StudyDeclaration, table: VifTable, panel: pd.DataFrame,
               variables: pd.DataFrame, weights: Weights) -> Frames:
    """Variance inflation factors of the model's regressors on its estimation sample."""
    spec = study.models[table.model]
    frame = model_frame(variables, study, spec, panel)
    vif = variance_inflation(frame, regressor_names(spec))
    rows = [{"model": table.model, "variable": r["term"], "test": "vif", "statistic": r["vif"],
             "conclusion": ("mean of the regressors' VIF" if r["term"] == MEAN_ROW else
                            f"tolerance {r['tolerance']:.3f}")} for _, r in vif.iterrows()]
    return {"tests": tests_frame(study, table.id, rows)}


def _mediation_table(study: StudyDeclaration, table: MediationTable, panel: pd.DataFrame,
                     variables: pd.DataFrame, weights: Weights) -> Frames:
    """Baron-Kenny paths, Sobel and (optionally) the unit bootstrap for every outcome."""
    data = _sample(study, variables)
    entity_effects, time_effects = "entity" in table.effects, "time" in table.effects
    rows, tests = [], []
    for result in mediation_analyses(data, list(table.outcomes), table.treatment,
                                     table.mediator, list(table.controls), study.entity,
                                     study.time, entity_effects, time_effects, rule=table.rule):
        outcome, quantities = result.outcome, result.to_frame()
        rows.append(pd.DataFrame({"model": "baron_kenny", "variant": "main",
                                  "outcome": outcome, "statistic": quantities["quantity"],
                                  "value": quantities["value"]}))
        tests.append({"model": "baron_kenny", "variable": outcome, "test": "sobel",
                      "statistic": result.sobel_z, "p_value": result.sobel_p,
                      "conclusion": f"{result.verdict} mediation ({table.rule})"})
    if table.replications:
        boot = bootstrap_mediation(data, list(table.outcomes), table.treatment, table.mediator,
                                   list(table.controls), study.entity, study.time,
                                   entity_effects, time_effects, table.replications,
                                   table.seed, table.confidence)
        for column in ("estimate", "boot_se", "percentile_lower", "percentile_upper",
                       "bc_lower", "bc_upper"):
            rows.append(pd.DataFrame({"model": "bootstrap", "variant": "main",
                                      "outcome": boot["outcome"],
                                      "statistic": boot["effect"] + "_" + column,
                                      "value": boot[column]}))
    frame = pd.concat(rows, ignore_index=True)
    frame.insert(0, "study", study.name)
    frame.insert(1, "table_id", table.id)
    return {"mediation": frame, "tests": tests_frame(study, table.id, tests)}


RUNNERS: dict[type, Callable[..., Frames]] = {
    DescriptivesTable: _descriptives_table,
    UnitRootsTable: _unit_roots_table,
    VifTable: _vif_table,
    MediationTable: _mediation_table,
    RegressionTable: _columns_table,
    SpatialTable: _columns_table,
    HausmanTable: _hausman_table,
    SpatialTestsTable: _spatial_tests_table,
    MoranTable: _moran_table,
}


def run_table(study: StudyDeclaration, table: Table, panel: pd.DataFrame,
              weights: Weights | None = None, variables: pd.DataFrame | None = None) -> Frames:
    """The long ``results`` frames of one table of ``study``, computed from ``panel`` (the
    study's panel mart) and ``weights``. ``variables`` (``study_variables(panel, study)``)
    may be passed when several tables share it."""
    if variables is None:
        variables = study_variables(panel, study)
    try:
        runner = RUNNERS[type(table)]
    except KeyError:
        raise NotImplementedError(f"tables of kind '{table.kind}' have no runner") from None
    return runner(study, table, panel, variables, weights or {})
