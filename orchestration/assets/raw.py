"""Raw layer: every yearbook file under data/raw/<source>/<edition>/ into DuckDB schema ``raw``.

One asset per source (``raw/<source>_cells``, the dbt sources of the same name), downstream of
the source's files (``yearbook_files/<source>``, shown as the graph's sources), all made by one
step (``raw_cells``, a multi-asset that materializes only the sources selected) so that the
files of every source are parsed side by side in worker processes. Each edition loads
in its own transaction, so a rejected file leaves the raw layer exactly as it was. An edition
whose files and parser are unchanged since it was loaded (``raw.load_log.input_sha256``) is not
parsed again. Editions whose folder is no longer on disk are deleted from raw, after the editions
on disk have loaded.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from models_py.demo.generate import demo_is_present, write_demo_yearbook
from models_py.fingerprint import digest_editions
from models_py.ingest.demo_off import demo_is_off
from models_py.ingest.discover import (
    RawFile,
    combine_edition,
    discover_raw_files,
    edition_files,
    parse_raw_file,
)
from models_py.ingest.load import (
    as_raw_frame,
    ensure_raw_table,
    forget_editions,
    hashed_for_loading,
    load_edition,
    loaded_input_digests,
)
from models_py.ingest.notes import summarize_notes
from models_py.ingest.schema import ParseResult
from orchestration.parallel import fork_map_as_completed, import_in_background
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


def raw_asset_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{source}_cells"])


@dataclass
class SourcePlan:
    """What one source's raw asset does in a run: its editions on disk, the ones to parse
    (with their input digest) and the ones unchanged since they were loaded."""

    source: str
    editions: list[str]
    to_parse: dict[str, str] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)


def plan_source(con, raw_root: Path, found: list[RawFile], source: str,
                parser: str) -> SourcePlan:
    """Which editions of ``source`` to parse: those whose files or parser changed since they
    were loaded (``raw.load_log.input_sha256``)."""
    ensure_raw_table(con, source)
    loaded = loaded_input_digests(con, source)
    files = digest_editions(raw_root / source)
    plan = SourcePlan(source, sorted({f.edition for f in found if f.source == source}))
    for edition in plan.editions:
        digest = fingerprint({"files": files.get(edition, ""), "parser": parser})
        if loaded.get(edition) == digest:
            plan.unchanged.append(edition)
        else:
            plan.to_parse[edition] = digest
    return plan


def edition_size(found: list[RawFile], source: str, edition: str) -> int:
    """The bytes of one edition's files: what its parsing costs, roughly (the workers start
    the largest editions first, so that one is not left parsing alone at the end)."""
    return sum(f.path.stat().st_size for f in found
               if f.source == source and f.edition == edition)


def parse_for_loading(found: list[RawFile], source: str, edition: str
                      ) -> tuple[ParseResult, str] | Exception:
    """In a worker: one edition's files parsed and checked, with the content hash of its rows
    (both what load_edition needs), or the error that stops the source at this edition. The
    rows travel back with their text columns as Categoricals (hashed_for_loading): a
    fraction of the pickle, and a faster insert in the parent."""
    try:
        result = combine_edition([parse_raw_file(f)
                                  for f in edition_files(found, source, edition)])
        result.frame, content_sha256 = hashed_for_loading(as_raw_frame(result.frame))
        return result, content_sha256
    except Exception as error:  # noqa: BLE001 - raised by the asset, after the other sources
        return error


@dg.multi_asset(
    name="raw_cells",
    specs=[
        dg.AssetSpec(
            key=raw_asset_key(source),
            deps=[files_asset_key(source)],
            group_name="raw",
            kinds={"python", "duckdb"},
            description=(
                f"Every published cell of the `{source}` yearbook files, one row per cell, all "
                "editions kept (tidy long layout: docs/raw-layer.md)."
            ),
        )
        for source in RAW_SOURCES
    ],
    can_subset=True,
)
def raw_cells(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Every edition of the selected sources into ``raw.<source>_cells``: the files of the
    editions that changed are parsed side by side in worker processes (orchestration/
    parallel.py; the largest editions started first, so that none is left parsing alone at
    the end), each edition loaded in its own transaction as soon as its files and those of the
    source's editions before it are parsed (:class:`SourceLoad`). A file that fails stops its
    source there (the editions before it stay loaded); the other sources load, and the step
    then fails naming the file, sheet, row and column (the first failing source's, in the
    order of the sources)."""
    raw_root = warehouse.paths.raw_root
    ensure_raw_files(raw_root, warehouse.demo_years, warehouse.write_demo_if_missing,
                     context.log.info)
    sources = [s for s in RAW_SOURCES if raw_asset_key(s) in context.selected_asset_keys]
    found = discover_raw_files(raw_root)
    parser = parser_code_digest()
    with warehouse.connect() as con:
        plans = [plan_source(con, raw_root, found, source, parser) for source in sources]
    loads = [SourceLoad(plan) for plan in plans]
    tasks = [(load, edition) for load in loads for edition in load.plan.to_parse]
    for load in loads:
        if load.done:  # nothing to parse
            yield _finish_source(context, warehouse, load)
    # while the workers parse, this process imports Great Expectations for the raw checks
    with closing(fork_map_as_completed(
            lambda task: parse_for_loading(found, task[0].plan.source, task[1]), tasks,
            while_working=lambda: import_in_background("great_expectations"),
            cost=lambda task: edition_size(found, task[0].plan.source, task[1]))) as parsed:
        for index, outcome in parsed:
            load, edition = tasks[index]
            load.arrived[edition] = outcome
            for ready, (result, content_sha256) in load.take_ready():
                _load_parsed(context, warehouse, load, ready, result, content_sha256)
            if load.done and load.failure is None:
                yield _finish_source(context, warehouse, load)
    failures = [load.failure for load in loads if load.failure is not None]
    for failure in failures[1:]:  # the first is raised: the run's failure says it once
        context.log.error(f"also not loaded: {failure}")
    if failures:
        raise failures[0]


@dataclass
class SourceLoad:
    """Where the loading of one source stands while its parsed editions arrive from the
    workers, in any order: they load in the order of ``plan.to_parse``, each as soon as it and
    the ones before it have arrived; the first failure stops the source there (the editions
    after it are not loaded)."""

    plan: SourcePlan
    arrived: dict[str, tuple[ParseResult, str] | Exception] = field(default_factory=dict)
    handled: int = 0  # editions of plan.to_parse taken from ``arrived``, in order
    failure: Exception | None = None
    rows_by_edition: dict[str, int] = field(default_factory=dict)
    notes_by_edition: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.handled == len(self.plan.to_parse)

    def take_ready(self) -> Iterator[tuple[str, tuple[ParseResult, str]]]:
        """(edition, its parse result and content hash) for each edition next in order that has
        arrived, up to the first one still parsing; none after a failure."""
        editions = list(self.plan.to_parse)
        while not self.done and editions[self.handled] in self.arrived:
            edition = editions[self.handled]
            outcome = self.arrived.pop(edition)
            self.handled += 1
            if self.failure is not None:
                continue
            if isinstance(outcome, Exception):
                self.failure = outcome
                continue
            yield edition, outcome


def _load_parsed(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                 load: SourceLoad, edition: str, result: ParseResult,
                 content_sha256: str) -> None:
    """Load one parsed edition in its own transaction, noting its parser notes and rows."""
    source = load.plan.source
    for note in result.notes:  # Python's log, not the run's: hundreds per edition
        logger.debug("%s %s: %s", source, edition, note)
    notes = load.notes_by_edition[edition] = summarize_notes(result.notes)
    if result.notes:
        context.log.info(f"{source} {edition}: {len(result.notes)} parser notes ("
                         + ", ".join(f"{n} {kind}" for kind, n in notes.items())
                         + "); metadata parser_notes, each at DEBUG")
    with warehouse.connect() as con:
        load.rows_by_edition[edition] = load_edition(
            con, source, edition, result, input_sha256=load.plan.to_parse[edition],
            content_sha256=content_sha256)


def _finish_source(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   load: SourceLoad) -> dg.MaterializeResult:
    """Delete the editions no longer on disk and describe the source's raw table."""
    plan, rows_by_edition, notes_by_edition = load.plan, load.rows_by_edition, load.notes_by_edition
    source = plan.source
    if plan.unchanged:
        context.log.info(f"{source}: editions {', '.join(plan.unchanged)} unchanged since "
                         "they were loaded (same files, same parser): not parsed again")
    with warehouse.connect() as con:
        forgotten = forget_editions(con, source, plan.editions)
        if forgotten:
            context.log.info(f"{source}: editions no longer on disk deleted from raw: "
                             f"{', '.join(forgotten)}")
        origins = dict(con.execute(
            f"select coalesce(origin, 'unknown'), count(*) from raw.{source}_cells "
            "group by all order by 1").fetchall())
        total = con.execute(f"select count(*) from raw.{source}_cells").fetchone()[0]
    return dg.MaterializeResult(
        asset_key=raw_asset_key(source),
        metadata={
            "editions": dg.MetadataValue.json(rows_by_edition),
            "editions_unchanged": dg.MetadataValue.json(plan.unchanged),
            # what the parsers noted, counted by kind per edition parsed in this run
            "parser_notes": dg.MetadataValue.json(notes_by_edition),
            "rows": dg.MetadataValue.int(int(total)),
            "rows_by_origin": dg.MetadataValue.json({k: int(v) for k, v in origins.items()}),
            "editions_forgotten": dg.MetadataValue.json(forgotten),
        },
    )


raw_assets = [raw_cells]
