"""Study declarations: the shipped studies load, and a malformed file fails when the definitions
load, naming the file, the key path and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from models_py.studies.schema import StudyDeclarationError, load_studies, load_study

STUDIES = Path(__file__).resolve().parents[2] / "studies"

MINIMAL = {
    "name": "toy",
    "title": "A toy study",
    "panel": "mart_province_panel",
    "entity": "province_code",
    "time": "year",
    "sample": {"first_year": 2011, "last_year": 2020},
    "variables": {"y": {"column": "ln_co2_total", "label": "ln CO2"},
                  "x": {"column": "ln_tech_import_stock", "label": "ln TIS"}},
    "models": {"fe": {"estimator": "panel_fe", "dependent": "y", "regressors": ["x"]}},
    "tables": [{"id": "main", "kind": "regression", "title": "Main",
                "columns": [{"model": "fe"}, {"model": "fe", "effects": ["entity"]}]}],
}


def write(tmp_path: Path, document: dict, name: str = "toy") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_every_shipped_study_loads() -> None:
    studies = load_studies(STUDIES)
    assert "tech_imports_co2" in [s.name for s in studies]
    for study in studies:
        assert study.tables, study.name


def test_columns_expand_overrides_and_grids(tmp_path: Path) -> None:
    document = dict(MINIMAL)
    document["models"] = {
        "fe": {"estimator": "panel_fe", "dependent": "y", "regressors": ["x"]},
        "sdm": {"estimator": "sdm", "dependent": "y", "regressors": ["x"],
                "weights": "inverse_distance"}}
    document["tables"] = [{"id": "sdm", "kind": "spatial", "title": "SDM", "columns": [
        {"model": "sdm", "title": "SDM", "grid": {"weights": ["inverse_distance",
                                                              "contiguity"]}}]}]
    study = load_study(write(tmp_path, document))
    specs = study.expand(study.tables[0].columns[0])
    assert [s.weights for s in specs] == ["inverse_distance", "contiguity"]
    assert specs[1].title == "SDM (contiguity)"
    assert specs[0].effects == ("entity", "time")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["models"]["fe"].update(estimator="ols2"),
     "models.fe.estimator: Input should be 'panel_fe', 'random_effects'"),
    (lambda d: d["models"]["fe"].update(regressors=["x", "z"]),
     "models.fe: 'z' is not declared under 'variables'"),
    (lambda d: d["tables"][0]["columns"][1].update(model="nope"),
     "tables[0].columns[1].model: 'nope' is not a model of the study"),
    (lambda d: d["sample"].update(first_year="twenty"),
     "sample.first_year: Input should be a valid integer"),
    (lambda d: d["models"]["fe"].update(estimator="sar"),
     "estimator 'sar' needs 'weights'"),
    (lambda d: d["tables"][0].update(kind="plot"),
     "tables[0]: Input tag 'plot' found using 'kind' does not match any of the expected tags"),
    (lambda d: d["models"]["fe"].update(lag=["y"]),
     "'lag' names ['y'], which are not among the regressors"),
    (lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
])
def test_malformed_declaration_names_file_key_and_expectation(tmp_path: Path, change,
                                                              expected: str) -> None:
    document = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(document)
    path = write(tmp_path, document)
    with pytest.raises(StudyDeclarationError) as error:
        load_study(path)
    message = str(error.value)
    assert str(path) in message
    assert expected in message, message


def test_file_name_and_study_name_agree(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL, name="other")
    with pytest.raises(StudyDeclarationError, match="name: expected the file's stem 'other'"):
        load_study(path)
