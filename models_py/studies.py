"""Study declarations: a study is a YAML file under studies/ naming its panel and models.

Orchestration builds one asset per declared model, so a new study or model needs no new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

ESTIMATORS = ("panel_fe",)


class StudyDeclarationError(ValueError):
    """A study file that does not say what a model needs."""


@dataclass(frozen=True)
class ModelDeclaration:
    """One regression of a study.

    ``estimator`` names the estimator (``panel_fe``: two-way fixed effects, linearmodels
    PanelOLS with clustered standard errors in ``se_convention``).
    """

    name: str
    title: str
    estimator: str
    dependent: str
    regressors: tuple[str, ...]
    entity_effects: bool = True
    time_effects: bool = True
    cluster: str | None = "entity"
    se_convention: str = "stata"
    planted_parameter: str | None = None


@dataclass(frozen=True)
class StudyDeclaration:
    name: str
    title: str
    panel: str
    entity: str
    time: str
    models: tuple[ModelDeclaration, ...]
    labels: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def label(self, variable: str) -> str:
        return self.labels.get(variable, variable)


def _require(mapping: dict, key: str, where: str) -> object:
    if key not in mapping:
        raise StudyDeclarationError(f"{where}: missing required key '{key}'")
    return mapping[key]


def load_study(path: Path) -> StudyDeclaration:
    """Read one study declaration, checking every model names what it needs."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    where = str(path)
    models = []
    for i, m in enumerate(_require(raw, "models", where)):
        mwhere = f"{where}, models[{i}]"
        estimator = _require(m, "estimator", mwhere)
        if estimator not in ESTIMATORS:
            raise StudyDeclarationError(
                f"{mwhere}: estimator '{estimator}' is not one of {', '.join(ESTIMATORS)}"
            )
        models.append(
            ModelDeclaration(
                name=str(_require(m, "name", mwhere)),
                title=str(m.get("title", m["name"])),
                estimator=str(estimator),
                dependent=str(_require(m, "dependent", mwhere)),
                regressors=tuple(_require(m, "regressors", mwhere)),
                entity_effects=bool(m.get("entity_effects", True)),
                time_effects=bool(m.get("time_effects", True)),
                cluster=m.get("cluster", "entity"),
                se_convention=str(m.get("se_convention", "stata")),
                planted_parameter=m.get("planted_parameter"),
            )
        )
    return StudyDeclaration(
        name=str(_require(raw, "name", where)),
        title=str(raw.get("title", raw["name"])),
        panel=str(_require(raw, "panel", where)),
        entity=str(_require(raw, "entity", where)),
        time=str(_require(raw, "time", where)),
        models=tuple(models),
        labels=dict(raw.get("labels", {})),
        path=Path(path),
    )


def load_studies(folder: Path) -> list[StudyDeclaration]:
    """Every ``*.yaml`` study under ``folder``, sorted by file name."""
    return [load_study(p) for p in sorted(Path(folder).glob("*.yaml"))]
