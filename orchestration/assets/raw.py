"""Raw layer: every yearbook file under data/raw/<source>/<edition>/ into DuckDB schema ``raw``.

One asset per source (``raw/<source>_cells``, the dbt sources of the same name). Each edition
loads in its own transaction, so a rejected file leaves the raw layer exactly as it was. Editions
whose folder is no longer on disk are deleted from raw, after the editions on disk have loaded.
"""


import dagster as dg

from models_py.demo.generate import demo_is_present, write_demo_yearbook
from models_py.ingest.demo_off import demo_is_off
from models_py.ingest.discover import discover_raw_files, parse_edition
from models_py.ingest.load import ensure_raw_table, forget_editions, load_edition
from orchestration.resources import WarehouseResource

RAW_SOURCES: tuple[str, ...] = ("nbs", "ceads", "energy", "science_tech", "ofdi", "industry")


def ensure_raw_files(warehouse: WarehouseResource, log: dg.DagsterLogManager) -> None:
    """Write the synthetic demo yearbook when data/raw holds no yearbook files at all, unless
    ``make demo-off`` switched it off."""
    raw_root = warehouse.paths.raw_root
    if discover_raw_files(raw_root) or not warehouse.write_demo_if_missing:
        return
    if demo_is_off(raw_root):
        log.info(f"No yearbook files under {raw_root}, and the demo is switched off "
                 "(make demo-off): nothing to load.")
        return
    if demo_is_present(raw_root):
        return
    log.info(f"No yearbook files under {raw_root}: writing the synthetic demo yearbook.")
    write_demo_yearbook(raw_root, years=warehouse.demo_years)


def build_raw_asset(source: str) -> dg.AssetsDefinition:
    """The asset that loads every edition of one source into ``raw.<source>_cells``."""

    @dg.asset(
        key=dg.AssetKey(["raw", f"{source}_cells"]),
        group_name="raw",
        kinds={"python", "duckdb"},
        description=(
            f"Every published cell of the `{source}` yearbook files, one row per cell, all "
            "editions kept (tidy long layout: docs/raw-layer.md)."
        ),
    )
    def _raw_cells(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        ensure_raw_files(warehouse, context.log)
        raw_root = warehouse.paths.raw_root
        editions = sorted(
            {f.edition for f in discover_raw_files(raw_root) if f.source == source}
        )
        rows_by_edition: dict[str, int] = {}
        with warehouse.connect() as con:
            ensure_raw_table(con, source)
            for edition in editions:
                result = parse_edition(raw_root, source, edition)
                for note in result.notes:
                    context.log.info(f"{source} {edition}: {note}")
                rows_by_edition[edition] = load_edition(con, source, edition, result)
            forgotten = forget_editions(con, source, editions)
            if forgotten:
                context.log.info(f"{source}: editions no longer on disk deleted from raw: "
                                 f"{', '.join(forgotten)}")
            origins = dict(con.execute(
                f"select coalesce(origin, 'unknown'), count(*) from raw.{source}_cells "
                "group by all order by 1").fetchall())
            total = con.execute(f"select count(*) from raw.{source}_cells").fetchone()[0]
        return dg.MaterializeResult(
            metadata={
                "editions": dg.MetadataValue.json(rows_by_edition),
                "rows": dg.MetadataValue.int(int(total)),
                "rows_by_origin": dg.MetadataValue.json({k: int(v) for k, v in origins.items()}),
                "editions_forgotten": dg.MetadataValue.json(forgotten),
            }
        )

    return _raw_cells


raw_assets = [build_raw_asset(source) for source in RAW_SOURCES]
