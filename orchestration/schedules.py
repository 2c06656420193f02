"""The yearly refresh and the sensor that notices a new yearbook edition.

Yearbooks appear once a year: the China Statistical Yearbook in the autumn, the Energy Statistical
Yearbook around the turn of the year. The schedule refreshes everything on 1 December at 02:00
Beijing time (Asia/Shanghai); the sensor reacts sooner, whenever a new edition folder
``data/raw/<source>/<edition>/`` appears or an edition's files change, and asks for that
source's raw asset and everything downstream of it, not the whole graph.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import dagster as dg

from models_py.fingerprint import PARTIAL_SUFFIXES
from orchestration.paths import DEFAULT_PATHS, WarehousePaths

REFRESH_JOB_NAME = "refresh_all"
YEARLY_CRON = "0 2 1 12 *"
TIMEZONE = "Asia/Shanghai"
SETTLE_SECONDS = 30  # an edition whose files changed more recently than this is still arriving

yearly_refresh_schedule = dg.ScheduleDefinition(
    name="yearly_refresh",
    job_name=REFRESH_JOB_NAME,
    cron_schedule=YEARLY_CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh every asset once a year (1 December, 02:00 Asia/Shanghai).",
)


def edition_fingerprints(raw_root: Path, now: float | None = None) -> dict[str, str]:
    """``{"<source>/<edition>": fingerprint}`` for every complete edition folder.

    The fingerprint is built from file names, sizes and modification times. Editions that hold a
    partly written file (``*.part``, ``*.tmp``, Office ``~$`` lock files) or a file modified in
    the last SETTLE_SECONDS are left out until they settle.
    """
    now = time.time() if now is None else now
    found: dict[str, str] = {}
    if not raw_root.is_dir():
        return found
    for source_dir in sorted(p for p in raw_root.iterdir() if p.is_dir()):
        for edition_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            files = sorted(p for p in edition_dir.rglob("*") if p.is_file())
            if not files:
                continue
            names = [f.name for f in files]
            if any(n.endswith(PARTIAL_SUFFIXES) or n.startswith("~$") for n in names):
                continue
            stats = [f.stat() for f in files]
            if any(now - s.st_mtime < SETTLE_SECONDS for s in stats):
                continue
            parts = [f"{f.relative_to(edition_dir)}:{s.st_size}:{int(s.st_mtime)}"
                     for f, s in zip(files, stats, strict=True)]
            digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
            found[f"{source_dir.name}/{edition_dir.name}"] = digest
    return found


def new_editions(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Editions that are new or whose files changed since the previous evaluation."""
    return sorted(k for k, v in current.items() if previous.get(k) != v)


def changed_sources_downstream(repository, changed: list[str]) -> list[dg.AssetKey] | None:
    """The raw assets of the sources of ``changed`` editions and everything downstream of them
    (None, the whole job, when the sensor runs outside its repository or a source has no raw
    asset)."""
    if repository is None:
        return None
    graph = repository.asset_graph
    raw = [dg.AssetKey(["raw", f"{key.split('/')[0]}_cells"]) for key in changed]
    if not all(graph.has(k) for k in raw):
        return None
    return sorted(dg.AssetSelection.assets(*raw).downstream().resolve(graph)
                  & graph.materializable_asset_keys, key=lambda k: k.to_user_string())


def build_edition_sensor(paths: WarehousePaths = DEFAULT_PATHS) -> dg.SensorDefinition:
    """The sensor watching ``paths.raw_root`` (tests point it at a temporary warehouse)."""

    @dg.sensor(
        name="new_yearbook_edition",
        job_name=REFRESH_JOB_NAME,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Requests a refresh when a new or changed edition folder appears in data/raw.",
    )
    def new_yearbook_edition(context: dg.SensorEvaluationContext):
        current = edition_fingerprints(paths.raw_root)
        if context.cursor is None and paths.build_db.exists():
            # First evaluation on a warehouse that has been built: what is there is loaded.
            context.update_cursor(json.dumps(current))
            return dg.SkipReason(f"Baseline of {len(current)} editions recorded.")
        previous = json.loads(context.cursor) if context.cursor else {}
        changed = new_editions(previous, current)
        context.update_cursor(json.dumps(current))
        if not changed:
            return dg.SkipReason("No new or changed yearbook edition.")
        return dg.RunRequest(
            run_key="|".join(f"{k}:{current[k]}" for k in changed),
            tags={"yearbook_editions": ",".join(changed)},
            asset_selection=changed_sources_downstream(context.repository_def, changed),
        )

    return new_yearbook_edition


new_yearbook_edition_sensor = build_edition_sensor()
