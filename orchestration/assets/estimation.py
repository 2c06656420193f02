"""Estimation layer: one asset per model declared in studies/*.yaml.

Each asset reads its panel mart from the build database, fits the model (models_py.estimation),
writes a tidy table ``results.<model name>`` and the publication table under
``reports/tables/<model name>.{md,csv,tex}``.
"""


import dagster as dg
import pandas as pd

from models_py.demo.generate import demo_is_present
from models_py.demo.planted import PLANTED
from models_py.estimation.panel_fe import PanelFEResults, PanelFixedEffects
from models_py.reports.regression_table import RegressionTable
from models_py.studies import ModelDeclaration, StudyDeclaration, load_studies
from orchestration.paths import PROJECT_ROOT
from orchestration.resources import WarehouseResource

STUDIES_DIR = PROJECT_ROOT / "studies"
SYNTHETIC_NOTE = (
    "Synthetic demo yearbook: generated data with planted parameters, not official statistics."
)


def data_origin_note(warehouse: WarehouseResource) -> str:
    """What the numbers are built from, printed under every table."""
    if demo_is_present(warehouse.paths.raw_root):
        return SYNTHETIC_NOTE
    return f"Yearbook files under {warehouse.paths.raw_root}."


def fit_declared_model(
    panel: pd.DataFrame, study: StudyDeclaration, model: ModelDeclaration
) -> PanelFEResults:
    """Fit one declared model on its panel (rows with a missing variable are dropped)."""
    columns = [study.entity, study.time, model.dependent, *model.regressors]
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise KeyError(
            f"{study.path}: model '{model.name}' uses {missing}, which {study.panel} does not have"
        )
    return PanelFixedEffects(
        panel[columns].dropna(),
        dependent=model.dependent,
        regressors=list(model.regressors),
        entity=study.entity,
        time=study.time,
        entity_effects=model.entity_effects,
        time_effects=model.time_effects,
        cluster=model.cluster,
        se_convention=model.se_convention,
    ).fit()


def tidy_results(
    fit: PanelFEResults, study: StudyDeclaration, model: ModelDeclaration, edition: str, origin: str
) -> pd.DataFrame:
    """The rows of ``results.<model>``: one per coefficient, with the fit statistics repeated."""
    frame = fit.to_frame()
    frame.insert(0, "model", model.name)
    frame.insert(1, "study", study.name)
    frame["label"] = [study.label(t) for t in frame["term"]]
    frame["nobs"] = fit.nobs
    frame["n_entities"] = fit.n_entities
    frame["n_periods"] = fit.n_periods
    frame["rsquared_within"] = fit.rsquared_within
    frame["se_convention"] = fit.se_convention
    frame["as_of_edition"] = edition
    frame["data_origin"] = origin
    return frame


def build_model_asset(study: StudyDeclaration, model: ModelDeclaration) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        group_name="estimation",
        deps=[dg.AssetKey(study.panel)],
        kinds={"python", "duckdb"},
        description=f"{study.title} — {model.title} (declared in {study.path.name}).",
    )
    def _model(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            panel = con.execute(f"select * from marts.{study.panel}").df()
        edition = str(panel["edition_max"].max()) if "edition_max" in panel else "unknown"
        origin = data_origin_note(warehouse)
        fit = fit_declared_model(panel, study, model)
        tidy = tidy_results(fit, study, model, edition, origin)

        notes = [origin, f"Figures as of yearbook edition {edition}."]
        if model.planted_parameter and origin == SYNTHETIC_NOTE:
            planted = getattr(PLANTED, model.planted_parameter)
            notes.append(f"Planted value of {model.planted_parameter}: {planted:.3f}.")
        table = RegressionTable(
            [fit], column_titles=[model.title], labels=study.labels, notes=notes
        )
        out = warehouse.paths.tables_dir
        out.mkdir(parents=True, exist_ok=True)
        markdown = table.to_markdown()
        (out / f"{model.name}.md").write_text(markdown + "\n", encoding="utf-8")
        table.to_csv(out / f"{model.name}.csv")
        (out / f"{model.name}.tex").write_text(table.to_latex() + "\n", encoding="utf-8")

        with warehouse.connect() as con:
            con.execute("create schema if not exists results")
            con.register("tidy_results", tidy)
            con.execute(
                f"create or replace table results.{model.name} as select * from tidy_results"
            )
            con.unregister("tidy_results")

        context.log.info("\n" + markdown)
        return dg.MaterializeResult(
            metadata={
                "table": dg.MetadataValue.md(markdown),
                "nobs": dg.MetadataValue.int(int(fit.nobs)),
                "as_of_edition": edition,
                "markdown_path": dg.MetadataValue.path(str(out / f"{model.name}.md")),
            }
        )

    return _model


def build_estimation_assets() -> list[dg.AssetsDefinition]:
    return [
        build_model_asset(study, model)
        for study in load_studies(STUDIES_DIR)
        for model in study.models
    ]
