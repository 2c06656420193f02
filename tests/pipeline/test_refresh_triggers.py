"""The yearly schedule and the new-edition sensor."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.paths import WarehousePaths
from orchestration.schedules import (
    SETTLE_SECONDS,
    build_edition_sensor,
    edition_fingerprints,
    yearly_refresh_schedule,
)


def write(path: Path, text: str, age_seconds: float = 3600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    old = time.time() - age_seconds
    os.utime(path, (old, old))


def test_schedule_is_yearly_in_beijing_time() -> None:
    assert yearly_refresh_schedule.cron_schedule == "0 2 1 12 *"
    assert yearly_refresh_schedule.execution_timezone == "Asia/Shanghai"
    assert yearly_refresh_schedule.job_name == "refresh_all"


def test_fingerprints_skip_editions_still_arriving(tmp_path: Path) -> None:
    write(tmp_path / "nbs" / "2021" / "gdp.csv", "a")
    write(tmp_path / "nbs" / "2023" / "gdp.csv", "b")
    write(tmp_path / "nbs" / "2023" / "cpi.csv.part", "half")          # partly copied
    write(tmp_path / "ceads" / "2024" / "x.xlsx", "c", age_seconds=1)  # just written
    found = edition_fingerprints(tmp_path)
    assert sorted(found) == ["nbs/2021"]
    later = edition_fingerprints(tmp_path, now=time.time() + SETTLE_SECONDS + 1)
    assert sorted(later) == ["ceads/2024", "nbs/2021"]


def test_sensor_requests_a_run_for_a_new_edition_only(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    write(paths.raw_root / "nbs" / "2021" / "gdp.csv", "a")
    paths.warehouse_dir.mkdir(parents=True)
    paths.build_db.write_bytes(b"")  # a warehouse has been built before
    sensor = build_edition_sensor(paths)

    first = sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.SkipReason)
    cursor = json.loads(json.dumps(edition_fingerprints(paths.raw_root)))

    write(paths.raw_root / "nbs" / "2023" / "gdp.csv", "b")
    second = sensor(dg.build_sensor_context(cursor=json.dumps(cursor)))
    assert isinstance(second, dg.RunRequest)
    assert second.tags["yearbook_editions"] == "nbs/2023"

    settled = json.dumps(edition_fingerprints(paths.raw_root))
    assert isinstance(sensor(dg.build_sensor_context(cursor=settled)), dg.SkipReason)


def test_a_new_edition_asks_for_its_source_and_what_depends_on_it() -> None:
    from orchestration.definitions import defs
    from orchestration.schedules import changed_sources_downstream

    keys = {k.to_user_string() for k in
            changed_sources_downstream(defs.get_repository_def(), ["ofdi/2025"])}
    assert {"raw/ofdi_cells", "mart_province_panel", "results/fdi_ofdi_co2/main",
            "reports/fdi_ofdi_co2", "published_warehouse"} <= keys
    assert not keys & {"raw/nbs_cells", "raw/energy_cells", "dim_province"}
    assert changed_sources_downstream(None, ["ofdi/2025"]) is None  # outside its repository
