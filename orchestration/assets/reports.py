"""Report assets: one per study, ``reports/<study>``, after every table of the study, all drawn
by one step (``study_reports``, a multi-asset that runs only the reports selected).

Reads only the warehouse (the study's rows of the ``results`` tables, its panel mart and the
weights its figures need) and renders ``reports/<study>/index.html`` with every table and
figure, then ``reports/index.html`` (models_py.reports.study_report). The figures of every
selected report are drawn in one pool of forked workers (a figure each, the slowest first),
not a worker per report: the reports differ in size (11, 8 and 4 figures), the figures hardly.
"""

import dagster as dg
import pandas as pd

from models_py.reports.html import render_index
from models_py.reports.study_report import draw_figure, plan_study_report
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


# CPU seconds of one figure (drawn, PNG and PDF) by its drawing function, measured on the demo
# (2026-12-01, the heap frozen as in the workers): the pool draws the slowest first, so that
# the workers finish together
FIGURE_SECONDS = {"choropleth_panels": 0.27, "simulation_curves": 0.25, "time_paths": 0.19,
                  "lisa_map": 0.18, "moran_scatter": 0.17}


def build_reports_asset(studies: list[StudyDeclaration]) -> dg.AssetsDefinition:
    """The reports of ``studies``, one asset each, drawn by one step that can run any subset:
    the data are read and every figure of every selected report planned here (the workers
    never touch DuckDB); the figures are drawn in one pool of forked workers, the slowest
    first, while this process writes the tables; then each report's page, and
    reports/index.html once."""

    @dg.multi_asset(
        name="study_reports",
        specs=[_report_spec(study) for study in studies],
        can_subset=True,
    )
    def _reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        reports_dir = warehouse.paths.reports_dir
        plans = [plan_study_report(study, *_report_inputs(warehouse, study), reports_dir)
                 for study in studies
                 if report_asset_key(study.name) in context.selected_asset_keys]
        tasks = sorted((task for plan in plans for task in plan.tasks),
                       key=lambda task: -FIGURE_SECONDS.get(task.draw.__name__, 0.3))

        def write_tables() -> None:  # here, while the workers draw
            for plan in plans:
                plan.write_tables()

        drawn = dict(zip(map(id, tasks),
                         fork_map(draw_figure, tasks, while_working=write_tables), strict=True))
        for plan in plans:
            page = plan.finish(drawn[id(task)] for task in plan.tasks)
            context.log.info(f"{plan.study.name}: report written to {page}")
            yield dg.MaterializeResult(asset_key=report_asset_key(plan.study.name),
                                       metadata={"report": dg.MetadataValue.path(str(page))})
        render_index(reports_dir)

    return _reports
