"""Spatial autocorrelation of provincial CO2: global Moran's I per year (results + table)."""

import dagster as dg
import pandas as pd

from models_py.reference import provinces
from models_py.reports.moran_table import moran_table_markdown
from models_py.spatial.moran import moran_by_year
from models_py.spatial.weights import SpatialWeights
from orchestration.assets.estimation import data_origin_note
from orchestration.resources import WarehouseResource

MORAN_VARIABLES = (("ln_co2_total", "ln CO2, total"), ("ln_ce", "ln CO2, four key industries"))
MORAN_MATRICES = (("inverse_distance", "inverse distance"), ("contiguity", "contiguity"))


@dg.asset(
    group_name="estimation",
    deps=[dg.AssetKey("mart_province_panel"), dg.AssetKey("mart_spatial_weights")],
    kinds={"python", "duckdb"},
    description="Global Moran's I of ln CO2 (total and four key industries) per year under the "
                "inverse-distance and contiguity matrices (row-standardised).",
)
def province_co2_moran(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        panel = con.execute("select * from marts.mart_province_panel").df()
        long = con.execute("select * from marts.mart_spatial_weights").df()
    codes = provinces()["province_code"].tolist()
    frames = []
    for matrix, _ in MORAN_MATRICES:
        w = SpatialWeights.from_long(long, matrix, codes)
        for variable, _ in MORAN_VARIABLES:
            frames.append(moran_by_year(panel, variable, w).assign(matrix_name=matrix))
    results = pd.concat(frames, ignore_index=True)
    results["as_of_edition"] = str(panel["edition_max"].max())
    origin = data_origin_note(warehouse)
    results["data_origin"] = origin
    columns = [(f"{label} ({mlabel})", variable, matrix)
               for matrix, mlabel in MORAN_MATRICES for variable, label in MORAN_VARIABLES]
    markdown = moran_table_markdown(results, columns, notes=[origin])
    out = warehouse.paths.tables_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / "province_co2_moran.md").write_text(markdown + "\n", encoding="utf-8")
    results.to_csv(out / "province_co2_moran.csv", index=False)
    with warehouse.connect() as con:
        con.execute("create schema if not exists results")
        con.register("moran", results)
        con.execute("create or replace table results.province_co2_moran as select * from moran")
        con.unregister("moran")
    return dg.MaterializeResult(metadata={"table": dg.MetadataValue.md(markdown),
                                          "rows": len(results)})
