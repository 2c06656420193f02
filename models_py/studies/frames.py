"""Fitted results -> the long frames of the ``results`` schema (docs/results-schema.md).

Pure pandas: the orchestration layer adds the provenance columns (edition requested, newest
edition present, data origin) and writes the frames to DuckDB.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models_py.estimation.protocol import EstimationResults
from models_py.studies.schema import ModelSpec, StudyDeclaration


def term_label(study: StudyDeclaration, term: str) -> str:
    """The label printed for a term: the variable's label, ``W x <label>`` for a spatial lag,
    ``<label> (t-1)`` for a lagged regressor."""
    if term.startswith("W_"):
        return f"W x {term_label(study, term[2:])}"
    if term.startswith("L."):
        return f"{study.label(term[2:])} (t-1)"
    return study.label(term)


def describe_variant(spec: ModelSpec, overrides: dict) -> str:
    """A short text naming what the column changes relative to its declared model."""
    parts = []
    for key in sorted(overrides):
        if key == "title":
            continue
        value = getattr(spec, key, overrides[key])
        if isinstance(value, tuple | list):
            value = "+".join(map(str, value)) if value else "none"
        parts.append(f"{key}={value}")
    return "; ".join(parts) or "main"


def model_frames(study: StudyDeclaration, table_id: str, column_order: int, model: str,
                 variant: str, spec: ModelSpec, result: EstimationResults,
                 absorbed_names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The ``models``, ``estimates``, ``fit_statistics`` and ``covariances`` rows of one fitted
    column."""
    keys = {"study": study.name, "table_id": table_id, "model": model, "variant": variant,
            "column_order": column_order}
    info = pd.DataFrame([{
        **keys,
        "column_title": spec.title or study.label(spec.dependent),
        "estimator": spec.estimator,
        "dependent": spec.dependent,
        "dependent_label": study.label(spec.dependent),
        "entity_effects": spec.entity_effects,
        "time_effects": spec.time_effects,
        "other_effects": "; ".join(absorbed_names or [" x ".join(g) for g in spec.absorb]),
        "cluster": spec.cluster or "",
        "weights": spec.weights or "",
        "se_convention": spec.se_convention if spec.estimator not in ("sar", "sem", "sdm",
                                                                      "sdem") else "ml",
        "statistic_kind": result.statistic_kind,
    }])
    terms = list(result.params.index)
    estimates = pd.concat([
        pd.DataFrame({**keys, "term": terms, "term_label": [term_label(study, t) for t in terms],
                      "term_order": range(len(terms)), "statistic": name,
                      "value": series.reindex(terms).to_numpy(dtype=float)})
        for name, series in (("estimate", result.params), ("std_error", result.std_errors),
                             (result.statistic_kind, result.tstats),
                             ("p_value", result.pvalues))
    ], ignore_index=True)
    fit = result.fit_statistics()
    fit_rows = pd.DataFrame({**keys, "statistic": list(fit),
                             "value": [float(v) for v in fit.values()]})
    cov = result.cov.reindex(index=terms, columns=terms)
    covariances = cov.rename_axis(index="term", columns="other_term").stack().rename("value")
    covariances = covariances.reset_index().assign(**keys)
    return {"models": info, "estimates": estimates, "fit_statistics": fit_rows,
            "covariances": covariances}


def effects_frame(study: StudyDeclaration, table_id: str, column_order: int, model: str,
                  variant: str, effects: pd.DataFrame) -> pd.DataFrame:
    """``results.effects`` rows from a simulated-effects table (term, effect, point, mean, sd,
    t, p_value): statistics estimate (at the point estimates), mean, std_error, z, p_value."""
    renamed = effects.rename(columns={"point": "estimate", "sd": "std_error", "t": "z"})
    long = renamed.melt(id_vars=["term", "effect"],
                        value_vars=["estimate", "mean", "std_error", "z", "p_value"],
                        var_name="statistic", value_name="value")
    long.insert(0, "study", study.name)
    long.insert(1, "table_id", table_id)
    long.insert(2, "model", model)
    long.insert(3, "variant", variant)
    long.insert(4, "column_order", column_order)
    long["term_label"] = [term_label(study, t) for t in long["term"]]
    return long


def tests_frame(study: StudyDeclaration, table_id: str, rows: list[dict]) -> pd.DataFrame:
    """``results.tests`` rows: model, variant, variable, test, statistic, df, p_value,
    conclusion (missing keys are left empty)."""
    frame = pd.DataFrame(rows)
    for column, default in (("model", ""), ("variant", "main"), ("variable", ""),
                            ("df", np.nan), ("p_value", np.nan), ("conclusion", "")):
        if column not in frame:
            frame[column] = default
    frame.insert(0, "study", study.name)
    frame.insert(1, "table_id", table_id)
    return frame[["study", "table_id", "model", "variant", "variable", "test", "statistic",
                  "df", "p_value", "conclusion"]]

