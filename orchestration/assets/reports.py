"""Report assets: one per study, ``reports/<study>``, after every table of the study, all drawn
by one step (``study_reports``, a multi-asset that runs only the reports selected).

Reads only the warehouse (the study's rows of the ``results`` tables, its panel mart and the
weights its figures need) and renders ``reports/<study>/index.html`` with every table and
figure, then ``reports/index.html`` (models_py.reports.study_report).
"""

import dagster as dg
import pandas as pd

from models_py.reports.html import render_index
from models_py.reports.study_report import build_study_report
from models_py.studies.sample import study_variables
from models_py.studies.schema import StudyDeclaration
from orchestration.assets.studies import (
    WEIGHTS_MART,
    read_panel,
    read_weights,
    table_asset_key,
)
from orchestration.parallel import fork_map
from orchestration.resources import WarehouseResource
from orchestration.results_store import read_study_results


def report_asset_key(study: str) -> dg.AssetKey:
    return dg.AssetKey(["reports", study])


def _report_spec(study: StudyDeclaration) -> dg.AssetSpec:
    deps = [table_asset_key(study.name, t.id) for t in study.tables]
    deps += [dg.AssetKey(study.panel), *(dg.AssetKey(m) for m in study.joins)]
    deps += [dg.AssetKey(WEIGHTS_MART)] if study.figure_weights else []
    return dg.AssetSpec(
        report_asset_key(study.name),
        group_name=study.name,
        deps=deps,
        kinds={"python", "html"},
        description=f"{study.title}: the report (reports/{study.name}/index.html) with every "
                    "table in Markdown, CSV, LaTeX and HTML and the figures in PNG and PDF.",
    )


def _report_inputs(warehouse: WarehouseResource, study: StudyDeclaration
                   ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, pd.DataFrame]]:
    """What the report of ``study`` is drawn from: its results, its variables and the weights
    its figures name (as frames indexed and columned by entity id)."""
    weights = study.figure_weights
    with warehouse.connect(read_only=True) as con:
        results = read_study_results(con, study.name)
        panel = read_panel(con, study)
        long = (con.execute(f"select * from marts.{WEIGHTS_MART}").df() if weights
                else pd.DataFrame())
    matrices = {name: pd.DataFrame(m.matrix, index=list(m.ids), columns=list(m.ids))
                for name, m in read_weights(long, weights).items()}
    return results, study_variables(panel, study), matrices


def build_reports_asset(studies: list[StudyDeclaration]) -> dg.AssetsDefinition:
    """The reports of ``studies``, one asset each, drawn by one step that can run any subset:
    several studies' reports side by side in forked workers (one each), a single study's
    figures side by side; the data are read here first (the workers never touch DuckDB), and
    reports/index.html is written last, once, by this process."""

    @dg.multi_asset(
        name="study_reports",
        specs=[_report_spec(study) for study in studies],
        can_subset=True,
    )
    def _reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        reports_dir = warehouse.paths.reports_dir
        # the largest reports first (tables, and figures at about three tables each), so that
        # the workers finish together
        selected = sorted((s for s in studies
                           if report_asset_key(s.name) in context.selected_asset_keys),
                          key=lambda s: -(len(s.tables) + 3 * len(s.figures)))
        inputs = {study.name: _report_inputs(warehouse, study) for study in selected}

        def render(study: StudyDeclaration, mapper=map):
            return build_study_report(study, *inputs[study.name], reports_dir, mapper=mapper,
                                      refresh_index=False)

        pages = ([render(selected[0], fork_map)] if len(selected) == 1
                 else fork_map(render, selected))
        for study, page in zip(selected, pages, strict=True):
            context.log.info(f"{study.name}: report written to {page}")
            yield dg.MaterializeResult(asset_key=report_asset_key(study.name),
                                       metadata={"report": dg.MetadataValue.path(str(page))})
        render_index(reports_dir)

    return _reports
