"""Sample construction: variables from mart columns, winsorising on the study sample, lags
taken before the sample is cut, dropped units. Hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.studies.sample import model_frame, study_variables
from models_py.studies.schema import parse_study


def declaration(winsorise: bool = False) -> dict:
    document = {
        "name": "toy", "title": "toy", "panel": "p", "entity": "id", "time": "year",
        "sample": {"first_year": 2001, "last_year": 2003},
        "variables": {"y": {"column": "y_raw", "label": "y", "log": True},
                      "x": {"column": "x_raw", "label": "x", "scale": 0.5}},
        "models": {"m": {"estimator": "panel_fe", "dependent": "y", "regressors": ["x"],
                         "lag": ["x"]}},
        "tables": [{"id": "t", "kind": "regression", "title": "t", "columns": [{"model": "m"}]}],
    }
    if winsorise:
        document["winsorise"] = {"percent": 25, "variables": ["x"]}
    return document


def study(winsorise: bool = False):
    return parse_study(declaration(winsorise), "toy.yaml")


PANEL = pd.DataFrame({
    "id": ["a"] * 4 + ["b"] * 4,
    "year": [2000, 2001, 2002, 2003] * 2,
    "y_raw": [np.e, np.e ** 2, np.e ** 3, np.e ** 4, 1.0, np.e, 1.0, np.e],
    "x_raw": [2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0],
})


def test_logs_scales_and_lags_from_the_year_before_the_sample() -> None:
    s = study()
    variables = study_variables(PANEL, s)
    assert variables.loc[variables["id"] == "a", "y"].tolist() == pytest.approx([1, 2, 3, 4])
    frame = model_frame(variables, s, s.models["m"])
    # 2001 keeps its lag from 2000 (outside the sample): x_2000 = 0.5 * 2 = 1
    first = frame[(frame["id"] == "a") & (frame["year"] == 2001)].iloc[0]
    assert first["L.x"] == pytest.approx(1.0)
    assert len(frame) == 6 and frame["year"].min() == 2001


def test_winsorising_uses_the_quantiles_of_the_study_sample() -> None:
    s = study(winsorise=True)
    variables = study_variables(PANEL, s)
    # x over 2001-2003: 2, 3, 4, 6, 7, 8 (n = 6). Stata's _pctile: n p = 1.5 and 4.5 are not
    # integers, so the 25 % and 75 % points are the 2nd and 5th values, 3 and 7.
    a = variables[variables["id"] == "a"]["x"].tolist()
    b = variables[variables["id"] == "b"]["x"].tolist()
    assert a == pytest.approx([3.0, 3.0, 3.0, 4.0])
    assert b == pytest.approx([5.0, 6.0, 7.0, 7.0])


def test_dropped_units_and_years_of_a_variant() -> None:
    s = study()
    spec = s.models["m"].model_copy(update={"drop_units": ("b",), "years": (2002, 2003),
                                            "lag": ()})
    frame = model_frame(study_variables(PANEL, s), s, spec)
    assert frame["id"].unique().tolist() == ["a"]
    assert frame["year"].tolist() == [2002, 2003]


def test_log_of_a_non_positive_value_names_the_row() -> None:
    panel = PANEL.assign(y_raw=PANEL["y_raw"].where(PANEL["year"] != 2002, 0.0))
    expected = r"'y' takes ln of y_raw, .* 2 rows \(first: id a, year 2002\)"
    with pytest.raises(ValueError, match=expected):
        study_variables(panel, study())


def test_expression_variables_and_subsamples() -> None:
    document = declaration()
    document["variables"]["xe"] = {"expression": "x_raw * (group == 'east')", "label": "x east"}
    document["models"]["m"]["regressors"] = ["x", "xe"]
    document["models"]["m"]["lag"] = []
    document["models"]["m"]["subsample"] = {"group": ["east"]}
    s = parse_study(document, "toy.yaml")
    panel = PANEL.assign(group=["east"] * 4 + ["west"] * 4)
    variables = study_variables(panel, s)
    assert variables["xe"].tolist() == [2.0, 4.0, 6.0, 8.0, 0, 0, 0, 0]
    frame = model_frame(variables, s, s.models["m"], panel)
    assert frame["id"].unique().tolist() == ["a"]
