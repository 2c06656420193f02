"""Raw layer: every yearbook file under data/raw/<source>/<edition>/ into DuckDB schema ``raw``.

One asset per source (``raw/<source>_cells``, the dbt sources of the same name), downstream of
the source's files (``yearbook_files/<source>``, shown as the graph's sources). Each edition loads
in its own transaction, so a rejected file leaves the raw layer exactly as it was. An edition
whose files and parser are unchanged since it was loaded (``raw.load_log.input_sha256``) is not
parsed again. Editions whose folder is no longer on disk are deleted from raw, after the editions
on disk have loaded.
"""

import logging
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from models_py.demo.generate import demo_is_present, write_demo_yearbook
from models_py.fingerprint import digest_editions
from models_py.ingest.demo_off import demo_is_off
from models_py.ingest.discover import discover_raw_files, parse_edition
from models_py.ingest.load import (
    ensure_raw_table,
    forget_editions,
    load_edition,
    loaded_input_digests,
)
from models_py.ingest.notes import summarize_notes
from orchestration.resources import WarehouseResource
from orchestration.staleness import fingerprint, parser_code_digest

logger = logging.getLogger(__name__)
RAW_SOURCES: tuple[str, ...] = ("nbs", "ceads", "energy", "science_tech", "ofdi", "industry")


def files_asset_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["yearbook_files", source])


yearbook_files = [
    dg.AssetSpec(
        key=files_asset_key(source),
        group_name="raw",
        kinds={"file"},
        description=(f"The `{source}` yearbook files under data/raw/{source}/<edition>/ (real "
                     "files dropped there, or the synthetic demo yearbook): the graph's sources. "
                     "Their content digests decide what a refresh redoes (docs/refresh.md)."),
    )
    for source in RAW_SOURCES
]


def ensure_raw_files(raw_root: Path, demo_years: tuple[int, int] | None = None,
                     write_demo_if_missing: bool = True,
                     log: Callable[[str], None] = print) -> None:
    """Write the synthetic demo yearbook when data/raw holds no yearbook files at all, unless
    ``make demo-off`` switched it off."""
    if discover_raw_files(raw_root) or not write_demo_if_missing:
        return
    if demo_is_off(raw_root):
        log(f"No yearbook files under {raw_root}, and the demo is switched off "
            "(make demo-off): nothing to load.")
        return
    if demo_is_present(raw_root):
        return
    log(f"No yearbook files under {raw_root}: writing the synthetic demo yearbook.")
    write_demo_yearbook(raw_root, years=demo_years)


def build_raw_asset(source: str) -> dg.AssetsDefinition:
    """The asset that loads every edition of one source into ``raw.<source>_cells``."""

    @dg.asset(
        key=dg.AssetKey(["raw", f"{source}_cells"]),
        deps=[files_asset_key(source)],
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
        raw_root = warehouse.paths.raw_root
        ensure_raw_files(raw_root, warehouse.demo_years, warehouse.write_demo_if_missing,
                         context.log.info)
        editions = sorted(
            {f.edition for f in discover_raw_files(raw_root) if f.source == source}
        )
        parser = parser_code_digest()
        files = digest_editions(raw_root / source)
        rows_by_edition: dict[str, int] = {}
        notes_by_edition: dict[str, dict[str, int]] = {}
        unchanged: list[str] = []
        with warehouse.connect() as con:
            ensure_raw_table(con, source)
            loaded = loaded_input_digests(con, source)
            for edition in editions:
                digest = fingerprint({"files": files.get(edition, ""), "parser": parser})
                if loaded.get(edition) == digest:
                    unchanged.append(edition)
                    continue
                result = parse_edition(raw_root, source, edition)
                for note in result.notes:  # Python's log, not the run's: hundreds per edition
                    logger.debug("%s %s: %s", source, edition, note)
                notes_by_edition[edition] = summarize_notes(result.notes)
                if result.notes:
                    context.log.info(f"{source} {edition}: {len(result.notes)} parser notes ("
                                     + ", ".join(f"{n} {kind}" for kind, n in
                                                 notes_by_edition[edition].items())
                                     + "); metadata parser_notes, each at DEBUG")
                rows_by_edition[edition] = load_edition(con, source, edition, result,
                                                        input_sha256=digest)
            if unchanged:
                context.log.info(f"{source}: editions {', '.join(unchanged)} unchanged since "
                                 "they were loaded (same files, same parser): not parsed again")
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
                "editions_unchanged": dg.MetadataValue.json(unchanged),
                # what the parsers noted, counted by kind per edition parsed in this run
                "parser_notes": dg.MetadataValue.json(notes_by_edition),
                "rows": dg.MetadataValue.int(int(total)),
                "rows_by_origin": dg.MetadataValue.json({k: int(v) for k, v in origins.items()}),
                "editions_forgotten": dg.MetadataValue.json(forgotten),
            }
        )

    return _raw_cells


raw_assets = [build_raw_asset(source) for source in RAW_SOURCES]
