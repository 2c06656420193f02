"""Two refreshes from identical files publish identical tables (every table of marts, reference
and results); an edition whose folder was removed leaves raw at the next refresh; after make
demo-off the analysts' snapshot keeps its content until a refresh publishes a new one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.paths import WarehousePaths
from orchestration.resources import WarehouseResource, dbt_resource

YEARS = (2011, 2016)  # the studies need a few years from the technology-import base year on


def refresh(root: Path) -> dg.ExecuteInProcessResult:
    warehouse = WarehouseResource(root=str(root), demo_first_year=YEARS[0],
                                  demo_last_year=YEARS[1])
    return defs.resolve_job_def("refresh_all").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        resources={"warehouse": warehouse, "dbt": dbt_resource()})


def table_hashes(db: Path) -> dict[str, str]:
    """sha256 of every table of the published schemas, rows in a fixed order."""
    con = duckdb.connect(str(db), read_only=True)
    tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                         "where table_schema in ('marts', 'reference', 'results') "
                         "order by 1").fetchall()
    hashes = {}
    for (table,) in tables:
        frame = con.execute(f"select * from {table}").df()
        frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        hashes[table] = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    con.close()
    return hashes


def raw_editions(db: Path, source: str) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(f"select distinct edition from raw.{source}_cells order by 1").fetchall()
    con.close()
    return [r[0] for r in rows]


@pytest.mark.slow
@pytest.mark.xdist_group("forgetting")
def test_identical_refreshes_forgetting_and_demo_off(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    assert refresh(tmp_path).success
    first = table_hashes(paths.snapshot_db)
    assert len(first) > 20
    assert refresh(tmp_path).success
    second = table_hashes(paths.snapshot_db)
    assert [t for t in first if first[t] != second.get(t)] == [], "refreshes differ"

    # an edition folder removed: its rows leave raw at the next refresh
    assert raw_editions(paths.build_db, "nbs") == ["2021", "2023"]
    shutil.rmtree(paths.raw_root / "nbs" / "2021")
    assert refresh(tmp_path).success
    assert raw_editions(paths.build_db, "nbs") == ["2023"]
    published = table_hashes(paths.snapshot_db)

    # demo off: nothing left to load; the refresh fails its checks and publishes nothing, so the
    # analysts keep the last snapshot
    assert main(["demo-off", "--root", str(tmp_path)]) == 0
    assert raw_editions(paths.build_db, "nbs") == []
    assert table_hashes(paths.snapshot_db) == published
    failed = refresh(tmp_path)
    assert not failed.success
    assert not (paths.raw_root / "nbs").exists()  # the demo was not written again
    assert table_hashes(paths.snapshot_db) == published
