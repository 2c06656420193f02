"""Study assets: one asset per table of every study declared under studies/*.yaml.

Asset key ``results/<study>/<table id>``, group ``<study>``. Each reads the study's panel mart
and the spatial weights it names from the build database, runs the table
(``models_py.studies.run.run_table``) and replaces the table's rows in the long ``results``
tables, stamped with the edition requested, the newest edition present and the data origin
(``orchestration.provenance``).
"""


import dagster as dg
import pandas as pd

from models_py.spatial.weights import SpatialWeights
from models_py.studies.run import run_table
from models_py.studies.scenarios import run_carbon_price
from models_py.studies.schema import (
    CarbonPriceTable,
    MoranTable,
    StudyDeclaration,
    load_studies,
)
from orchestration.paths import PROJECT_ROOT
from orchestration.provenance import read_provenance
from orchestration.resources import WarehouseResource
from orchestration.results_store import replace_table_rows

STUDIES_DIR = PROJECT_ROOT / "studies"
WEIGHTS_MART = "mart_spatial_weights"


def table_asset_key(study: str, table_id: str) -> dg.AssetKey:
    return dg.AssetKey(["results", study, table_id])


def _weights_needed(study: StudyDeclaration, table) -> set[str]:
    names: set[str] = set()
    if isinstance(table, MoranTable):
        names.update(table.weights)
    for column in getattr(table, "columns", ()):
        names.update(s.weights for s in study.expand(column) if s.weights)
    model = getattr(table, "model", None)
    if model and study.models[model].weights:
        names.add(study.models[model].weights)
    return names


def read_weights(long: pd.DataFrame, names: set[str]) -> dict[str, SpatialWeights]:
    """Row-standardised matrices of ``mart_spatial_weights`` by name, on the provinces the
    matrix names (ids: GB/T 2260 codes as text, sorted)."""
    out = {}
    for name in sorted(names):
        part = long[long["matrix_name"] == name]
        if part.empty:
            raise KeyError(f"{WEIGHTS_MART} has no matrix named '{name}' (it has "
                           f"{sorted(long['matrix_name'].unique())})")
        ids = sorted(set(part["province_code_i"].astype(str)))
        out[name] = SpatialWeights.from_long(long, name, ids)
    return out


def read_panel(con, study: StudyDeclaration) -> pd.DataFrame:
    """The study's panel mart with the marts of ``joins`` joined on entity and time (left
    join: the panel's rows are kept, a missing row of a joined mart gives NULLs)."""
    keys = f"{study.entity}, {study.time}"

    def columns(mart: str) -> list[str]:
        return [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [mart]).fetchall()]

    seen = set(columns(study.panel))
    selected, joins = ["panel.*"], ""
    for k, mart in enumerate(study.joins):
        extra = [c for c in columns(mart) if c not in seen]  # the panel's own columns win
        seen.update(extra)
        selected += [f'j{k}."{c}"' for c in extra]
        joins += f" left join marts.{mart} as j{k} using ({keys})"
    return con.execute(f"select {', '.join(selected)} from marts.{study.panel} as panel"
                       f"{joins} order by {keys}").df()


def build_table_asset(study: StudyDeclaration, table) -> dg.AssetsDefinition:
    if isinstance(table, CarbonPriceTable):
        return build_scenario_asset(study, table)
    weights = _weights_needed(study, table)
    deps = [dg.AssetKey(study.panel), *(dg.AssetKey(m) for m in study.joins)]
    deps += [dg.AssetKey(WEIGHTS_MART)] if weights else []

    @dg.asset(
        key=table_asset_key(study.name, table.id),
        group_name=study.name,
        deps=deps,
        kinds={"python", "duckdb"},
        description=f"{study.title}: {table.title} (declared in studies/{study.path.name}; "
                    "rows in the results.* tables with study and table_id).",
    )
    def _table(context: dg.AssetExecutionContext, warehouse: WarehouseResource
               ) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as con:
            panel = read_panel(con, study)
            long = (con.execute(f"select * from marts.{WEIGHTS_MART}").df() if weights
                    else pd.DataFrame())
            provenance = read_provenance(con, warehouse.as_of_edition,
                                         (study.panel, *study.joins))
        frames = run_table(study, table, panel, read_weights(long, weights))
        with warehouse.connect() as con:
            counts = replace_table_rows(con, study.name, table.id, frames,
                                        provenance.columns())
        context.log.info(f"{study.name}/{table.id}: "
                         + ", ".join(f"{n} {name}" for name, n in counts.items()))
        return dg.MaterializeResult(metadata={
            **{f"rows_{name}": dg.MetadataValue.int(n) for name, n in counts.items()},
            **provenance.columns(),
        })

    return _table


def build_scenario_asset(study: StudyDeclaration, table: CarbonPriceTable
                         ) -> dg.AssetsDefinition:
    """A scenario table: reads its source table's results and the mapping mart, never refits."""

    @dg.asset(
        key=table_asset_key(study.name, table.id),
        group_name=study.name,
        deps=[table_asset_key(study.name, table.source), dg.AssetKey(table.mapping)],
        kinds={"python", "duckdb"},
        description=f"{study.title}: {table.title} (a scenario on the results of table "
                    f"'{table.source}', column {table.column}; rows in results.simulation and "
                    "results.tests).",
    )
    def _scenario(context: dg.AssetExecutionContext, warehouse: WarehouseResource
                  ) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as con:
            source = [study.name, table.source]
            estimates = con.execute("select * from results.estimates where study = ? and "
                                    "table_id = ?", source).df()
            covariances = con.execute("select * from results.covariances where study = ? "
                                      "and table_id = ?", source).df()
            mapping = con.execute(f"select * from marts.{table.mapping}").df()
            provenance = read_provenance(con, warehouse.as_of_edition,
                                         (study.panel, *study.joins, table.mapping))
        frames = run_carbon_price(study, table, estimates, covariances, mapping)
        with warehouse.connect() as con:
            counts = replace_table_rows(con, study.name, table.id, frames,
                                        provenance.columns())
        return dg.MaterializeResult(metadata={
            **{f"rows_{name}": dg.MetadataValue.int(n) for name, n in counts.items()},
            **provenance.columns()})

    return _scenario


def build_study_assets(folder=STUDIES_DIR) -> list[dg.AssetsDefinition]:
    """Every table asset of every study under ``folder``."""
    return [build_table_asset(study, table)
            for study in load_studies(folder) for table in study.tables]
