"""What changed since the last refresh, and so what a refresh has to redo.

Every asset has *inputs*: named digests (models_py.fingerprint) of what it is made from besides
its upstream assets: the yearbook files of its source, edition by edition (raw assets); its SQL
and YAML files and the dbt project's shared files (dbt models and seeds); its study file (study
tables and reports); and the code that computes it. After a refresh, the inputs of every asset
that materialized with all its blocking checks passed are recorded in the build database
(``pipeline.asset_versions``, with the order in which they materialized).

An asset is *stale* when it has no record (never built, or its last build failed or a blocking
check failed), when an input's digest differs from its record, when its output is gone (a report
page, the analysts' snapshot), or when an upstream asset materialized after it. A refresh that
runs only what changed materializes the stale assets and everything downstream of them; when
nothing is stale it runs nothing and publishes nothing.

The records live in the warehouse they describe: a deleted build database is rebuilt in full,
and a build as of an older edition (its own file) keeps its own records. Materializations made
outside ``orchestration.refresh`` (the Dagster UI) are not recorded, so the next ``make run``
redoes them: the records can only say "fresh" after a recorded success.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from models_py.fingerprint import digest_code, digest_editions, digest_paths
from orchestration.paths import DBT_PROJECT_DIR, PROJECT_ROOT, WarehousePaths

VERSIONS_TABLE = "pipeline.asset_versions"
VERSIONS_DDL = f"""
create table if not exists {VERSIONS_TABLE} (
    asset_key varchar primary key,  -- Dagster asset key, '/'-joined
    fingerprint varchar,            -- sha256 over the inputs below
    inputs json,                    -- {{input name: sha256 of its files}}
    refreshed_at timestamp,         -- when the refresh that built it finished (UTC)
    run_order integer,              -- its place among the materializations of that refresh
    run_id varchar                  -- the Dagster run
)
"""

# models_py/reference.py reads the dbt seeds (province aliases, units, industries): parsers,
# figures and checks depend on them as on code
SHARED_CODE = ("models_py/reference.py", "dbt_project/seeds", "models_py/fingerprint.py",
               "models_py/validation",
               "orchestration/checks.py", "orchestration/resources.py", "orchestration/paths.py")
RAW_CODE = ("models_py/ingest", "orchestration/assets/raw.py", "expectations/raw.yml")
DBT_SHARED = ("dbt_project/dbt_project.yml", "dbt_project/profiles.yml", "dbt_project/macros",
              "dbt_project/tests", "dbt_project/models/staging/__sources.yml",
              "orchestration/assets/dbt.py", "expectations/staging.yml",
              "expectations/marts.yml")
STUDY_CODE = ("models_py/estimation", "models_py/spatial", "models_py/studies",
              "models_py/simulation", "orchestration/assets/studies.py",
              "orchestration/results_store.py", "orchestration/provenance.py",
              "expectations/results.yml")
REPORT_CODE = ("models_py/reports", "models_py/studies", "orchestration/assets/reports.py")
PUBLISH_CODE = ("orchestration/publish.py", "orchestration/assets/publishing.py")
ALL_CODE = ("models_py", "orchestration", "expectations", "dbt_project/dbt_project.yml")


def key_name(key: dg.AssetKey) -> str:
    return key.to_user_string()


def parser_code_digest(root: Path = PROJECT_ROOT) -> str:
    """Digest of the code that turns yearbook files into raw rows (and checks them)."""
    return digest_code((*SHARED_CODE, *RAW_CODE), root)


@dataclass(frozen=True)
class InputCatalog:
    """Where the inputs of each kind of asset are read from."""

    paths: WarehousePaths
    study_files: Mapping[str, Path]
    dbt_files: Mapping[str, tuple[Path, ...]]
    root: Path = PROJECT_ROOT
    _code_digests: dict[tuple[str, ...], str] = field(default_factory=dict)

    def _code(self, paths: tuple[str, ...]) -> str:
        """Digest of ``paths`` and the shared code, computed once per catalog."""
        if paths not in self._code_digests:
            self._code_digests[paths] = digest_code((*SHARED_CODE, *paths), self.root)
        return self._code_digests[paths]

    def inputs(self, key: dg.AssetKey) -> dict[str, str]:
        """``{input name: digest}`` of one asset."""
        head, name = key.path[0], key.path[-1]
        if head == "raw":
            source = name.removesuffix("_cells")
            editions = digest_editions(self.paths.raw_root / source)
            return {**{f"data/raw/{source}/{ed}": d for ed, d in editions.items()},
                    "code: parsers and raw checks": self._code(RAW_CODE)}
        if head in ("results", "reports") and len(key.path) >= 2:
            study = key.path[1]
            file = self.study_files.get(study)
            found = {f"studies/{file.name}": digest_paths([file], file.parent)} if file else {}
            code = STUDY_CODE if head == "results" else REPORT_CODE
            label = "estimators and study runner" if head == "results" else "report rendering"
            return {**found, f"code: {label}": self._code(code)}
        if name in self.dbt_files:
            own = {f"dbt_project/{f.relative_to(DBT_PROJECT_DIR).as_posix()}":
                   digest_paths([f], f.parent) for f in self.dbt_files[name]}
            return {**own, "code: dbt project (macros, tests, sources, settings)":
                    self._code(DBT_SHARED)}
        if name == "published_warehouse":
            return {"code: publishing": self._code(PUBLISH_CODE)}
        return {"code: the whole project": self._code(ALL_CODE)}

    def output_missing(self, key: dg.AssetKey) -> str | None:
        """Why an asset's output is gone, when it is (files outside the build database)."""
        if key.path[0] == "reports" and len(key.path) == 2:
            page = self.paths.reports_dir / key.path[1] / "index.html"
            return None if page.exists() else f"{page.relative_to(self.paths.root)} missing"
        if key.path[-1] == "published_warehouse" and not self.paths.as_of_edition:
            snapshot = self.paths.snapshot_db
            return None if snapshot.exists() else "the analysts' snapshot is missing"
        return None


def dbt_node_files(manifest_path: Path) -> dict[str, tuple[Path, ...]]:
    """``{model or seed name: (its SQL or CSV file, its properties YAML)}`` from the manifest."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed", "snapshot"):
            continue
        files = [DBT_PROJECT_DIR / node["original_file_path"]]
        if node.get("patch_path"):
            files.append(DBT_PROJECT_DIR / node["patch_path"].split("://", 1)[-1])
        out[node["name"]] = tuple(files)
    return out


def fingerprint(inputs: Mapping[str, str]) -> str:
    """sha256 over an asset's inputs (names and digests)."""
    return hashlib.sha256(json.dumps(dict(inputs), sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AssetVersion:
    """The record of an asset's last recorded build."""

    inputs: dict[str, str]
    fingerprint: str
    refreshed_at: datetime
    run_order: int

    @property
    def position(self) -> tuple[datetime, int]:
        return (self.refreshed_at, self.run_order)


def read_versions(build_db: Path) -> dict[str, AssetVersion]:
    """The recorded versions in ``build_db`` (empty when the file or table does not exist)."""
    if not build_db.exists():
        return {}
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        exists = con.execute("select count(*) from information_schema.tables where "
                             "table_schema = 'pipeline' and table_name = 'asset_versions'"
                             ).fetchone()[0]
        if not exists:
            return {}
        rows = con.execute(f"select asset_key, inputs, fingerprint, refreshed_at, run_order "
                           f"from {VERSIONS_TABLE}").fetchall()
    finally:
        con.close()
    return {key: AssetVersion(json.loads(inputs), fp, at, order)
            for key, inputs, fp, at, order in rows}


def describe_change(recorded: Mapping[str, str], current: Mapping[str, str]) -> str:
    """``data/raw/nbs/2024 new; code: parsers and raw checks changed``."""
    parts = [f"{name} new" for name in current if name not in recorded]
    parts += [f"{name} changed" for name in current
              if name in recorded and recorded[name] != current[name]]
    parts += [f"{name} removed" for name in recorded if name not in current]
    return "; ".join(parts) or "its inputs changed"


@dataclass
class RefreshPlan:
    """What a refresh that runs only what changed would materialize, and why."""

    inputs: dict[dg.AssetKey, dict[str, str]]
    reasons: dict[dg.AssetKey, str] = field(default_factory=dict)
    """The stale assets and why each is stale (its own reason, not its upstream's)."""
    selection: frozenset[dg.AssetKey] = frozenset()
    """The stale assets and everything downstream of them."""
    last_refresh: datetime | None = None

    @property
    def nothing_changed(self) -> bool:
        return not self.selection

    def summary(self, limit: int = 8) -> list[str]:
        """One line per reason (the assets stale for it, the first few named), at most
        ``limit`` lines; assets stale only because something upstream rebuilt are not listed
        (they follow from the others)."""
        by_reason: dict[str, list[str]] = {}
        for key, reason in self.reasons.items():
            if not reason.startswith("upstream "):
                by_reason.setdefault(reason, []).append(key_name(key))
        lines = []
        for reason, names in list(by_reason.items())[:limit]:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                            else "")
            lines.append(f"  {reason}: {shown}")
        if len(by_reason) > limit:
            lines.append(f"  ... and {len(by_reason) - limit} more reasons")
        return lines


def plan_refresh(graph, catalog: InputCatalog) -> RefreshPlan:
    """Compare every materializable asset of ``graph`` with its record in the build database
    (see the module docstring for the rules)."""
    keys = [k for k in graph.toposorted_asset_keys if k in graph.materializable_asset_keys]
    inputs = {key: catalog.inputs(key) for key in keys}
    recorded = read_versions(catalog.paths.build_db)
    plan = RefreshPlan(inputs=inputs)
    if recorded:
        plan.last_refresh = max(v.refreshed_at for v in recorded.values())
    for key in keys:
        version = recorded.get(key_name(key))
        if version is None:
            plan.reasons[key] = "not built yet, or its last build or a blocking check failed"
            continue
        if version.fingerprint != fingerprint(inputs[key]):
            plan.reasons[key] = describe_change(version.inputs, inputs[key])
            continue
        missing = catalog.output_missing(key)
        if missing:
            plan.reasons[key] = missing
            continue
        newer = [p for p in graph.get(key).parent_keys
                 if key_name(p) in recorded and recorded[key_name(p)].position > version.position]
        if newer:
            plan.reasons[key] = f"upstream {key_name(newer[0])} rebuilt since"
    plan.selection = frozenset(
        dg.AssetSelection.assets(*plan.reasons).downstream().resolve(graph)
        & graph.materializable_asset_keys) if plan.reasons else frozenset()
    return plan


def record_versions(build_db: Path, inputs: Mapping[dg.AssetKey, Mapping[str, str]],
                    materialized: Iterable[dg.AssetKey], run_id: str,
                    refreshed_at: datetime | None = None) -> int:
    """Record the inputs of the assets ``materialized`` (in the order they materialized) in
    one transaction; returns how many were recorded."""
    refreshed_at = refreshed_at or datetime.now(UTC).replace(tzinfo=None)
    rows = [(key_name(key), fingerprint(inputs[key]), json.dumps(inputs[key], sort_keys=True),
             refreshed_at, order, run_id)
            for order, key in enumerate(materialized) if key in inputs]
    con = duckdb.connect(str(build_db))
    try:
        con.execute("create schema if not exists pipeline")
        con.execute(VERSIONS_DDL)
        con.execute("begin transaction")
        con.executemany(f"insert or replace into {VERSIONS_TABLE} values (?, ?, ?, ?, ?, ?)",
                        rows)
        con.execute("commit")
    finally:
        con.close()
    return len(rows)


def built_cleanly(result: dg.ExecuteInProcessResult) -> list[dg.AssetKey]:
    """The assets that materialized in ``result`` with no blocking (ERROR) check failed, in
    the order they materialized."""
    failed = {e.asset_key for e in result.get_asset_check_evaluations()
              if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR}
    seen, order = set(), []
    for event in result.get_asset_materialization_events():
        key = event.asset_key
        if key not in failed and key not in seen:
            seen.add(key)
            order.append(key)
    return order
