"""The schema of a study declaration (``studies/<study>.yaml``), checked when the definitions load.

A study names its panel mart and sample, its variables (the paper's short names mapped onto mart
columns), its models (named specifications) and its tables. Each table is one Dagster asset
(``results/<study>/<table id>``) and one publication table; a regression or spatial table lists
its columns, each a named model with overrides (a variant: other regressors, a lagged
regressor, dropped units, another dependent variable or sample) and optionally a parameter grid
that expands one column into several (``grid: {weights: [W1, W2, W3]}``).

A malformed file raises :class:`StudyDeclarationError` naming the file, the key path
(``tables[2].columns[0].regressors``) and what was expected.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

LINEAR_ESTIMATORS = ("panel_fe", "random_effects")
SPATIAL_ESTIMATORS = ("sar", "sem", "sdm", "sdem")
ESTIMATORS = LINEAR_ESTIMATORS + SPATIAL_ESTIMATORS


class StudyDeclarationError(ValueError):
    """A study file that does not say what the study needs."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variable(_Strict):
    """A variable of the study: a column of the panel mart (or an ``expression`` over its
    columns, evaluated by ``pandas.DataFrame.eval``, e.g. ``ln_fdi * (region == 'east')``),
    optionally scaled and logged: value = ln(scale x column) when ``log`` else scale x column.
    """

    column: str | None = None
    expression: str | None = None
    label: str
    scale: float = 1.0
    log: bool = False
    unit: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Variable:
        if (self.column is None) == (self.expression is None):
            raise ValueError("give exactly one of 'column' and 'expression'")
        return self


class Sample(_Strict):
    first_year: int
    last_year: int
    drop_units: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Sample:
        if self.first_year > self.last_year:
            raise ValueError("first_year must not be after last_year")
        return self


class Winsorise(_Strict):
    """Two-sided winsorising of ``variables`` at ``percent`` % on the estimation sample."""

    percent: float = Field(1.0, gt=0, lt=50)
    variables: tuple[str, ...] = ()


class ModelSpec(_Strict):
    """One estimated model (a column of a printed table).

    ``effects``: absorbed fixed effects, ``entity`` and/or ``time``; ``absorb``: further absorbed
    effects, each a list of panel columns whose combinations form one categorical effect (e.g.
    ``[is_high_energy, year]`` for high-energy x year effects). ``cluster``: ``entity``,
    ``time``, a column, or None for classical standard errors. ``weights``: the name of a matrix
    in ``mart_spatial_weights`` (spatial estimators only). ``lag``: regressors lagged one
    period (the variant "regressor lagged one year"). ``drop_units``: entities left out.
    ``subsample``: keep the rows whose panel column takes one of the values given
    (``{region: [east]}``; a spatial model on a subsample uses its own W, the full matrix
    restricted to the subsample and row-standardised again). ``years``: a sample other than the
    study's.
    """

    estimator: Literal[ESTIMATORS]  # type: ignore[valid-type]
    dependent: str
    regressors: tuple[str, ...]
    effects: tuple[Literal["entity", "time"], ...] = ("entity", "time")
    absorb: tuple[tuple[str, ...], ...] = ()
    cluster: str | None = "entity"
    se_convention: Literal["stata", "plm_hc1", "unadjusted"] = "stata"
    weights: str | None = None
    durbin: tuple[str, ...] | None = None
    approach: Literal["transformation", "direct", "direct_bc"] = "transformation"
    lag: tuple[str, ...] = ()
    drop_units: tuple[str, ...] = ()
    subsample: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    years: tuple[int, int] | None = None
    title: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ModelSpec:
        spatial = self.estimator in SPATIAL_ESTIMATORS
        if spatial and not self.weights:
            raise ValueError(f"estimator '{self.estimator}' needs 'weights' (a matrix name of "
                             "mart_spatial_weights)")
        if not spatial and self.weights:
            raise ValueError(f"estimator '{self.estimator}' takes no 'weights'")
        unknown = [v for v in self.lag if v not in self.regressors]
        if unknown:
            raise ValueError(f"'lag' names {unknown}, which are not among the regressors")
        if self.estimator == "random_effects" and self.effects not in (("entity",), ()):
            raise ValueError("random_effects takes effects [entity] (random) or []")
        return self

    @property
    def entity_effects(self) -> bool:
        return "entity" in self.effects

    @property
    def time_effects(self) -> bool:
        return "time" in self.effects


class Column(_Strict):
    """A column of a table: ``model`` (a name under ``models``) with overrides and a grid."""

    model: str
    title: str | None = None
    grid: dict[str, tuple[Any, ...]] = Field(default_factory=dict)
    overrides: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _collect_overrides(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = {"model", "title", "grid"}
        out = {k: v for k, v in data.items() if k in known}
        out["overrides"] = {k: v for k, v in data.items() if k not in known}
        return out


class _TableBase(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    notes: tuple[str, ...] = ()


class DescriptivesTable(_TableBase):
    """N, mean, sd, min and max over the study's sample; ``winsorise_percent`` winsorises the
    variables for this table only (both tails, Stata's percentile), as papers print Table 1."""

    kind: Literal["descriptives"]
    variables: tuple[str, ...]
    winsorise_percent: float | None = Field(None, gt=0, lt=50)


class UnitRootsTable(_TableBase):
    kind: Literal["unit_roots"]
    variables: tuple[str, ...]
    lags: int = 1
    deterministic: Literal["intercept", "trend"] = "intercept"


class VifTable(_TableBase):
    kind: Literal["vif"]
    model: str


class HausmanTable(_TableBase):
    kind: Literal["hausman"]
    model: str


class RegressionTable(_TableBase):
    kind: Literal["regression"]
    columns: tuple[Column, ...]
    statistic: Literal["t", "z", "se"] = "t"


class SpatialTable(_TableBase):
    """Spatial panel models side by side, with direct, indirect and total effects."""

    kind: Literal["spatial"]
    columns: tuple[Column, ...]
    effect_draws: int = 1000
    seed: int = 20240601


class SpatialTestsTable(_TableBase):
    """LM tests on the non-spatial model, LR and Wald of SDM -> SAR and SDM -> SEM, Hausman,
    and the model these tests select (Elhorst 2014)."""

    kind: Literal["spatial_tests"]
    model: str


class MoranTable(_TableBase):
    kind: Literal["moran"]
    variables: tuple[str, ...]
    weights: tuple[str, ...]
    local_years: tuple[int, ...] = ()
    permutations: int = 999
    seed: int = 20240601


class MediationTable(_TableBase):
    """Baron-Kenny mediation of ``treatment`` -> ``mediator`` -> each outcome (the three
    regressions with ``effects`` absorbed, Sobel's z and the verdict by ``rule``) and, with
    ``replications`` > 0, a bootstrap resampling whole units (``seed``; percentile and
    bias-corrected intervals of the direct and the indirect effect)."""

    kind: Literal["mediation"]
    outcomes: tuple[str, ...]
    treatment: str
    mediator: str
    controls: tuple[str, ...] = ()
    effects: tuple[Literal["entity", "time"], ...] = ("entity", "time")
    rule: Literal["baron_kenny", "zhao_lynch_chen"] = "baron_kenny"
    replications: int = 0
    confidence: float = 0.95
    seed: int = 20240601


class ChoroplethFigure(_Strict):
    """Maps of a variable by province, one panel per year on one colour scale."""

    kind: Literal["choropleth"]
    variable: str
    years: tuple[int, ...]
    title: str


class TimePathsFigure(_Strict):
    """The mean of a variable by region (east, central, west) and year."""

    kind: Literal["time_paths"]
    variable: str
    title: str


class MoranScatterFigure(_Strict):
    """Moran scatter plots (z against Wz) of a variable in one year, one per weight matrix."""

    kind: Literal["moran_scatter"]
    variable: str
    weights: tuple[str, ...]
    year: int
    title: str


class CarbonPriceTable(_TableBase):
    """The counterfactual of Wang and Wu (2017): ME and ACE of carbon prices 0..``max_price``
    yuan/t for every industry, from the coefficients b (``energy_cost``) and d
    (``interaction``) of column ``column`` of the regression table ``source`` and the mapping
    mart (UC_i, P_i). A scenario: it reads the source table's results, never refits."""

    kind: Literal["carbon_price"]
    source: str
    column: int = Field(ge=1)
    energy_cost: str
    interaction: str
    fdi_measure: str
    mapping: str = "mart_carbon_price_mapping"
    max_price: int = Field(300, ge=1)
    step: int = Field(1, ge=1)
    level: float = Field(0.95, gt=0, lt=1)
    summary_prices: tuple[int, ...] = (50, 100)
    most_affected_others: int = 6


class ScenarioCurvesFigure(_Strict):
    """Curves of a scenario table's measure (``mc``, ``me`` or ``ace``) over its grid, one per
    unit, with the confidence band where the measure has one."""

    kind: Literal["scenario_curves"]
    table: str
    measure: Literal["mc", "me", "ace"]
    units: tuple[str, ...]
    title: str
    ylabel: str = ""


Figure = Annotated[ChoroplethFigure | TimePathsFigure | MoranScatterFigure
                   | ScenarioCurvesFigure, Field(discriminator="kind")]

Table = Annotated[
    DescriptivesTable | UnitRootsTable | VifTable | HausmanTable | RegressionTable
    | SpatialTable | SpatialTestsTable | MoranTable | MediationTable | CarbonPriceTable,
    Field(discriminator="kind"),
]
TABLES_WITH_COLUMNS = (RegressionTable, SpatialTable)


class StudyDeclaration(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    paper: str | None = None
    panel: str
    joins: tuple[str, ...] = ()
    entity: str
    entity_name: tuple[str, str] = ("Province", "Provinces")
    """How tables name one entity and several (fixed-effects and count rows)."""
    time: str
    sample: Sample
    variables: dict[str, Variable]
    winsorise: Winsorise | None = None
    models: dict[str, ModelSpec]
    tables: tuple[Table, ...]
    figures: tuple[Figure, ...] = ()
    planted_note: str | None = None
    path: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _references(self) -> StudyDeclaration:
        ids = [t.id for t in self.tables]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"table ids must be unique, {duplicated} repeat")
        for name, spec in self.models.items():
            self._check_variables(spec, f"models.{name}")
        for i, table in enumerate(self.tables):
            where = f"tables[{i}]"
            for key in ("model",):
                name = getattr(table, key, None)
                if name is not None and name not in self.models:
                    raise ValueError(f"{where}.{key}: '{name}' is not a model of the study "
                                     f"(models: {', '.join(self.models)})")
            for v in getattr(table, "variables", ()):
                self._check_variable(v, f"{where}.variables")
            if isinstance(table, CarbonPriceTable):
                source = next((t for t in self.tables if t.id == table.source), None)
                if not isinstance(source, RegressionTable):
                    raise ValueError(f"{where}.source: '{table.source}' is not a regression "
                                     "table of the study")
                n_columns = sum(len(self.expand(c)) for c in source.columns)
                if table.column > n_columns:
                    raise ValueError(f"{where}.column: table '{table.source}' has "
                                     f"{n_columns} columns, not {table.column}")
            if isinstance(table, MediationTable):
                for v in (*table.outcomes, table.treatment, table.mediator, *table.controls):
                    self._check_variable(v, where)
            if isinstance(table, TABLES_WITH_COLUMNS):
                for j, column in enumerate(table.columns):
                    if column.model not in self.models:
                        raise ValueError(f"{where}.columns[{j}].model: '{column.model}' is not a "
                                         f"model of the study (models: {', '.join(self.models)})")
                    for k, spec in enumerate(self.expand(column)):
                        self._check_variables(spec, f"{where}.columns[{j}] (variant {k + 1})")
        for i, figure in enumerate(self.figures):
            if isinstance(figure, ScenarioCurvesFigure):
                if figure.table not in ids:
                    raise ValueError(f"figures[{i}].table: '{figure.table}' is not a table of "
                                     "the study")
                continue
            self._check_variable(figure.variable, f"figures[{i}].variable")
        return self

    def _check_variable(self, name: str, where: str) -> None:
        if name not in self.variables:
            raise ValueError(f"{where}: '{name}' is not declared under 'variables' "
                             f"(declared: {', '.join(self.variables)})")

    def _check_variables(self, spec: ModelSpec, where: str) -> None:
        for v in (spec.dependent, *spec.regressors, *(spec.durbin or ())):
            self._check_variable(v, where)

    def expand(self, column: Column) -> list[ModelSpec]:
        """The model specifications of one column: its model with the overrides, one per point
        of the grid (the grid's keys vary together as a product, in declaration order)."""
        base = self.models[column.model].model_dump()
        base.update(column.overrides)
        if column.title:
            base["title"] = column.title
        if not column.grid:
            return [ModelSpec.model_validate(base)]
        keys = list(column.grid)
        specs = []
        for values in itertools.product(*(column.grid[k] for k in keys)):
            point = dict(base, **dict(zip(keys, values, strict=True)))
            if column.title:
                point["title"] = f"{column.title} ({', '.join(str(v) for v in values)})"
            specs.append(ModelSpec.model_validate(point))
        return specs

    def label(self, name: str) -> str:
        variable = self.variables.get(name)
        return variable.label if variable else name

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(f"{self.path}: no table '{table_id}'")

    @property
    def figure_weights(self) -> set[str]:
        """The weight matrices the study's figures draw on."""
        return {w for f in self.figures if isinstance(f, MoranScatterFigure) for w in f.weights}


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("descriptives", "unit_roots", "vif", "hausman", "regression", "spatial",
                      "spatial_tests", "moran", "mediation", "function-after", "choropleth",
                      "time_paths", "moran_scatter", "carbon_price", "scenario_curves"):
            continue  # pydantic's tag of the union member, not a key of the file
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def parse_study(raw: Any, path: Path) -> StudyDeclaration:
    """Validate one parsed YAML document; errors name the file, the key path and what was
    expected."""
    if not isinstance(raw, dict):
        raise StudyDeclarationError(f"{path}: expected a mapping of study keys, found "
                                    f"{type(raw).__name__}")
    try:
        study = StudyDeclaration.model_validate(raw)
    except ValidationError as error:
        lines = [f"{path}: the study declaration is not valid:"]
        for e in error.errors():
            found = e.get("input")
            shown = "" if isinstance(found, dict | list) else f" (found {found!r})"
            lines.append(f"  {_location(e['loc'])}: {e['msg']}{shown}")
        raise StudyDeclarationError("\n".join(lines)) from None
    return study.model_copy(update={"path": Path(path)})


def load_study(path: Path) -> StudyDeclaration:
    """Read and validate ``studies/<study>.yaml``."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise StudyDeclarationError(f"{path}: not valid YAML: {error}") from None
    study = parse_study(raw, path)
    if study.name != path.stem:
        raise StudyDeclarationError(f"{path}: name: expected the file's stem '{path.stem}', "
                                    f"found '{study.name}'")
    return study


def load_studies(folder: Path) -> list[StudyDeclaration]:
    """Every ``*.yaml`` study under ``folder``, sorted by file name."""
    return [load_study(p) for p in sorted(Path(folder).glob("*.yaml"))]
