"""A refresh redoes only what changed (nothing when nothing did; a new edition: its sources and
what depends on them, with the editions already loaded not parsed again; a study file: that
study), a new edition is picked up by the sensor, and a killed refresh leaves the analysts'
snapshot intact while a reader keeps querying it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from models_py.demo.generate import write_demo_yearbook
from models_py.ingest.load import content_hash
from orchestration.clean_state import unchanged_since
from orchestration.definitions import defs
from orchestration.paths import PROJECT_ROOT, WarehousePaths
from orchestration.refresh import input_catalog, refresh_changed
from orchestration.refresh import refresh as run_refresh
from orchestration.schedules import SETTLE_SECONDS, build_edition_sensor, edition_fingerprints
from orchestration.staleness import plan_refresh

YEARS = (2011, 2016)  # the studies need a few years from the technology-import base year on
MARTS = ("mart_province_panel", "mart_spatial_weights", "dim_province")


def refresh(root: Path, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    return run_refresh(root, YEARS, raise_on_error=raise_on_error)


def raw_hash(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    frame = con.execute("select * from raw.nbs_cells").df()
    con.close()
    return content_hash(frame)


def marts_hash(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    digest = hashlib.sha256()
    for table in MARTS:
        frame = con.execute(f"select * from marts.{table}").df()
        frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        digest.update(frame.to_csv(index=False).encode())
    con.close()
    return digest.hexdigest()


def age(root: Path, seconds: float) -> None:
    old = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (old, old))


def keys(prefix: str) -> set[str]:
    return {k.to_user_string() for k in defs.resolve_asset_graph().materializable_asset_keys
            if k.to_user_string().startswith(prefix)}


@pytest.mark.slow
@pytest.mark.xdist_group("lifecycle")
def test_only_what_changed_then_a_new_edition_adds_a_year(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    assert refresh(tmp_path).success
    published = paths.snapshot_db.stat().st_mtime_ns

    # nothing changed: nothing runs, nothing is republished, the quick check knows it too
    plan, result = refresh_changed(tmp_path, YEARS)
    assert plan.nothing_changed and result is None
    assert paths.snapshot_db.stat().st_mtime_ns == published
    assert unchanged_since(paths) == plan.last_refresh

    # a study file changed: that study's tables, its report and the snapshot, nothing else
    study = PROJECT_ROOT / "studies" / "fdi_ofdi_co2.yaml"
    edited = tmp_path / "edited" / study.name
    edited.parent.mkdir()
    edited.write_text(study.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    catalog = input_catalog(paths)
    catalog = replace(catalog, study_files={**catalog.study_files, "fdi_ofdi_co2": edited})
    plan = plan_refresh(defs.resolve_asset_graph(), catalog)
    assert {k.to_user_string() for k in plan.selection} == (
        keys("results/fdi_ofdi_co2/") | {"reports/fdi_ofdi_co2", "published_warehouse"})
    assert set(plan.reasons.values()) == {"studies/fdi_ofdi_co2.yaml changed"}

    # the sensor records what is loaded, then sees a new edition with one more year
    sensor = build_edition_sensor(paths)
    age(paths.raw_root, SETTLE_SECONDS + 5)
    assert isinstance(sensor(dg.build_sensor_context(cursor=None)), dg.SkipReason)
    cursor = json.dumps(edition_fingerprints(paths.raw_root))
    newer = tmp_path / "newer"
    write_demo_yearbook(newer, years=(YEARS[0], YEARS[1] + 1))
    for source in ("nbs", "energy", "science_tech", "ofdi"):
        shutil.copytree(newer / source / "2023", paths.raw_root / source / "2025")
    shutil.copytree(newer / "ceads" / "2021", paths.raw_root / "ceads" / "2025")
    age(paths.raw_root, SETTLE_SECONDS + 5)
    request = sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(request, dg.RunRequest)
    assert "nbs/2025" in request.tags["yearbook_editions"]

    # a new edition of five sources: those raw assets and what depends on them; the editions
    # already loaded are not parsed again
    plan, result = refresh_changed(tmp_path, YEARS)
    assert result.success
    raw_run = {k.to_user_string() for k in plan.selection if k.path[0] == "raw"}
    assert raw_run == {"raw/nbs_cells", "raw/energy_cells", "raw/science_tech_cells",
                       "raw/ofdi_cells", "raw/ceads_cells"}  # not raw/industry_cells
    assert plan.reasons[dg.AssetKey(["raw", "nbs_cells"])] == "data/raw/nbs/2025 new"
    skipped = {m.asset_key.to_user_string(): m.metadata["editions_unchanged"].data
               for m in (e.event_specific_data.materialization
                         for e in result.get_asset_materialization_events())
               if m.asset_key.path[0] == "raw"}
    assert skipped["raw/nbs_cells"] == ["2021", "2023"]
    notes = {m.asset_key.to_user_string(): m.metadata["parser_notes"].data
             for m in (e.event_specific_data.materialization
                       for e in result.get_asset_materialization_events())
             if m.asset_key.path[0] == "raw"}
    assert list(notes["raw/nbs_cells"]) == ["2025"]  # the edition parsed in this run
    assert notes["raw/nbs_cells"]["2025"]["row N skipped (footnote)"] >= 2 * 10  # 2 per table
    again = plan_refresh(defs.resolve_asset_graph(), input_catalog(paths))
    assert again.nothing_changed, again.reasons

    # an edition folder removed: its source is stale, saying why
    shutil.move(paths.raw_root / "energy" / "2025", tmp_path / "energy_2025")
    removed = plan_refresh(defs.resolve_asset_graph(), input_catalog(paths))
    assert removed.reasons[dg.AssetKey(["raw", "energy_cells"])] == "data/raw/energy/2025 removed"
    shutil.move(tmp_path / "energy_2025", paths.raw_root / "energy" / "2025")

    con = duckdb.connect(str(paths.snapshot_db), read_only=True)
    years = con.execute("select min(year), max(year), count(*), max(edition_max) "
                        "from marts.mart_province_panel").fetchone()
    nobs, edition = con.execute(
        "select max(f.value), max(f.newest_edition) from results.fit_statistics f "
        "where f.study = 'tech_imports_co2' and f.table_id = 'baseline' "
        "and f.statistic = 'nobs'").fetchone()
    con.close()
    assert years == (YEARS[0], YEARS[1] + 1, 30 * 7, "2025")
    assert (nobs, edition) == (30 * 7, "2025")

    # a rejected file: the run fails at the raw layer; raw, marts and snapshot keep their content
    before = (raw_hash(paths.build_db), marts_hash(paths.build_db), marts_hash(paths.snapshot_db))
    gdp = paths.raw_root / "nbs" / "2025" / "gdp.csv"
    text = gdp.read_bytes().decode("gb18030").replace("北京市", "北景市")
    gdp.write_bytes(text.encode("gb18030"))
    failed = refresh(tmp_path, raise_on_error=False)
    assert not failed.success
    assert any("北景市" in str(e.event_specific_data.error)
               for e in failed.all_events if e.is_step_failure)
    after = (raw_hash(paths.build_db), marts_hash(paths.build_db), marts_hash(paths.snapshot_db))
    assert after == before


READER = """
import sys, time, duckdb
path, deadline = sys.argv[1], time.time() + float(sys.argv[2])
queries = 0
while time.time() < deadline:
    con = duckdb.connect(path, read_only=True)
    n, = con.execute("select count(*) from marts.mart_province_panel").fetchone()
    assert n == int(sys.argv[3]), n
    con.close()
    queries += 1
    time.sleep(0.05)
print(queries)
"""


@pytest.mark.slow
@pytest.mark.xdist_group("lifecycle_kill")
def test_killed_refresh_keeps_the_snapshot_and_a_rerun_completes(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    command = [sys.executable, "-m", "orchestration.cli", "run", "--root", str(tmp_path),
               "--years", str(YEARS[0]), str(YEARS[1])]
    env = {**os.environ, "DAGSTER_HOME": "", "PATH": f"{Path(sys.executable).parent}:"
           + os.environ["PATH"]}
    env.pop("DAGSTER_HOME")
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    before = marts_hash(paths.snapshot_db)

    rows = str(30 * (YEARS[1] - YEARS[0] + 1))
    reader = subprocess.Popen([sys.executable, "-c", READER, str(paths.snapshot_db), "40", rows],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    refresh_process = subprocess.Popen([*command, "--full"], cwd=PROJECT_ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(20)  # part-way: parsing raw files or building dbt models
    refresh_process.send_signal(signal.SIGKILL)
    refresh_process.wait()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert int(out.strip()) > 10  # the reader queried throughout, without a lock error
    assert marts_hash(paths.snapshot_db) == before

    subprocess.run([*command, "--full"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    assert marts_hash(paths.snapshot_db) == before
