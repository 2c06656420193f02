"""From a panel mart to the frame a model is estimated on: the study's variables, its sample,
winsorising and the variant's lags and dropped units.

Order of operations (so that a lag of the first sample year comes from the year before it, as
the papers lag):
1. every declared variable from its mart column: value = scale x column, or ln(scale x column);
2. winsorising of the declared variables at p % in both tails, with the quantiles taken over
   the study's sample (years and units) and applied to every row (Stata's ``_pctile``
   definition, Hyndman-Fan type 2, as ``models_py.estimation.descriptives``);
3. the variant's lags: x_{i,t-1} by entity, in time order (NaN when year t-1 is absent);
4. the model's sample: the study's years (or the variant's ``years``), less the dropped units;
   rows with a missing value among the model's variables are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models_py.estimation.descriptives import QUANTILE_METHOD
from models_py.studies.schema import ModelSpec, StudyDeclaration


def study_variables(panel: pd.DataFrame, study: StudyDeclaration) -> pd.DataFrame:
    """The panel's keys and every declared variable (steps 1 and 2), all years."""
    missing = sorted({v.column for v in study.variables.values() if v.column}
                     - set(panel.columns))
    if missing:
        raise KeyError(f"{study.path}: variables use {missing}, which {study.panel} does not have")
    out = panel[[study.entity, study.time]].copy()
    out[study.entity] = out[study.entity].astype(str)
    for name, variable in study.variables.items():
        if variable.expression:
            try:
                source = panel.eval(variable.expression)
            except Exception as error:  # pandas raises many kinds for a bad expression
                raise ValueError(f"{study.path}: variable '{name}': expression "
                                 f"{variable.expression!r} cannot be evaluated on "
                                 f"{study.panel}: {error}") from None
        else:
            source = panel[variable.column]
        values = pd.to_numeric(source, errors="coerce").astype(float)
        values = values * variable.scale
        if variable.log:
            bad = values <= 0
            if bad.any():
                row = panel.loc[bad].iloc[0]
                raise ValueError(f"{study.path}: variable '{name}' takes ln of "
                                 f"{variable.column}, which is not positive in "
                                 f"{int(bad.sum())} rows (first: {study.entity} "
                                 f"{row[study.entity]}, {study.time} {row[study.time]})")
            values = np.log(values)
        out[name] = values.to_numpy()
    if study.winsorise is not None:
        in_sample = study_rows(out, study)
        for name in study.winsorise.variables:
            low, high = np.nanquantile(out.loc[in_sample, name],
                                       [study.winsorise.percent / 100,
                                        1 - study.winsorise.percent / 100],
                                       method=QUANTILE_METHOD)
            out[name] = out[name].clip(low, high)
    return out.sort_values([study.entity, study.time], ignore_index=True)


def study_rows(frame: pd.DataFrame, study: StudyDeclaration) -> pd.Series:
    years = frame[study.time].between(study.sample.first_year, study.sample.last_year)
    return years & ~frame[study.entity].isin(study.sample.drop_units)


def lagged_name(variable: str) -> str:
    """Name of the one-period lag of a variable (``L.tech``, as Stata prints it)."""
    return f"L.{variable}"


def model_frame(variables: pd.DataFrame, study: StudyDeclaration, spec: ModelSpec,
                panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """The estimation frame of one model (steps 3 and 4): keys, the dependent variable and the
    regressors (lagged ones renamed ``L.<x>``); ``panel`` (the mart) is needed only when the
    model keeps a ``subsample``."""
    frame = variables.copy()
    entity, time = study.entity, study.time
    for x in spec.lag:
        previous = frame[[entity, time, x]].assign(**{time: frame[time] + 1})
        previous = previous.rename(columns={x: lagged_name(x)})
        frame = frame.merge(previous, on=[entity, time], how="left")
    first, last = spec.years or (study.sample.first_year, study.sample.last_year)
    keep = frame[time].between(first, last)
    keep &= ~frame[entity].isin((*study.sample.drop_units, *spec.drop_units))
    for column, values in spec.subsample.items():
        if panel is None or column not in panel.columns:
            raise KeyError(f"{study.path}: subsample on '{column}', which {study.panel} "
                           "does not have")
        chosen = panel.loc[panel[column].astype(str).isin(values), [entity, time]]
        chosen = set(zip(chosen[entity].astype(str), chosen[time], strict=True))
        keep &= np.array([(e, t) in chosen
                          for e, t in zip(frame[entity], frame[time], strict=True)])
    frame = frame[keep]
    columns = [entity, time, spec.dependent, *regressor_names(spec)]
    return frame[columns].dropna().reset_index(drop=True)


def regressor_names(spec: ModelSpec) -> list[str]:
    """The regressors as they enter the model (lagged ones as ``L.<x>``)."""
    return [lagged_name(x) if x in spec.lag else x for x in spec.regressors]


def absorbed_effects(panel: pd.DataFrame, frame: pd.DataFrame, spec: ModelSpec,
                     entity: str, time: str) -> pd.DataFrame:
    """One categorical column per ``absorb`` entry (the combinations of its panel columns),
    aligned with ``frame`` by entity and time."""
    if not spec.absorb:
        return pd.DataFrame(index=frame.index)
    keys = panel[[entity, time]].assign(**{entity: panel[entity].astype(str)})
    out = {}
    for group in spec.absorb:
        label = " x ".join(group)
        values = panel[list(group)].astype(str).agg("|".join, axis=1)
        mapping = keys.assign(effect=values.to_numpy())
        out[label] = frame[[entity, time]].merge(mapping, on=[entity, time], how="left")[
            "effect"].to_numpy()
    return pd.DataFrame(out, index=frame.index)
