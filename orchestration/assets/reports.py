"""Report assets: one per study, ``reports/<study>``, after every table of the study.

Reads only the warehouse (the study's rows of the ``results`` tables, its panel mart and the
weights its figures need) and renders ``reports/<study>/index.html`` with every table and
figure, then ``reports/index.html`` (models_py.reports.study_report).
"""

import dagster as dg
import pandas as pd

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


def build_report_asset(study: StudyDeclaration) -> dg.AssetsDefinition:
    weights = study.figure_weights
    deps = [table_asset_key(study.name, t.id) for t in study.tables]
    deps += [dg.AssetKey(study.panel), *(dg.AssetKey(m) for m in study.joins)]
    deps += [dg.AssetKey(WEIGHTS_MART)] if weights else []

    @dg.asset(
        key=report_asset_key(study.name),
        group_name=study.name,
        deps=deps,
        kinds={"python", "html"},
        description=f"{study.title}: the report (reports/{study.name}/index.html) with every "
                    "table in Markdown, CSV, LaTeX and HTML and the figures in PNG and PDF.",
    )
    def _report(context: dg.AssetExecutionContext, warehouse: WarehouseResource
                ) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as con:
            results = read_study_results(con, study.name)
            panel = read_panel(con, study)
            long = (con.execute(f"select * from marts.{WEIGHTS_MART}").df() if weights
                    else pd.DataFrame())
        matrices = {name: pd.DataFrame(m.matrix, index=list(m.ids), columns=list(m.ids))
                    for name, m in read_weights(long, weights).items()}
        # the figures are drawn in forked workers (no DuckDB there: the data are read above)
        page = build_study_report(study, results, study_variables(panel, study), matrices,
                                  warehouse.paths.reports_dir, mapper=fork_map)
        context.log.info(f"{study.name}: report written to {page}")
        return dg.MaterializeResult(metadata={"report": dg.MetadataValue.path(str(page))})

    return _report
