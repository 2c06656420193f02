"""The analysts' snapshot: complete, readable by the DuckDB CLI, replaced atomically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.publish import publish_snapshot

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select sum(value) from marts.panel").fetchone()[0], flush=True)
sys.stdin.readline()          # hold the snapshot open until the test says go on
print(con.execute("select sum(value) from marts.panel").fetchone()[0], flush=True)
"""


def make_build_db(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts; create schema if not exists staging")
    con.execute(f"create or replace table marts.panel as select range as id, {value} as value "
                "from range(1000)")
    con.execute("create or replace table staging.not_published as select 1 as x")
    con.close()


def test_snapshot_holds_published_schemas_only(tmp_path: Path) -> None:
    build, snapshot = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    make_build_db(build, 1)
    assert publish_snapshot(build, snapshot) == ["marts.panel"]
    con = duckdb.connect(str(snapshot), read_only=True)
    assert con.execute("select count(*), sum(value) from marts.panel").fetchone() == (1000, 1000)
    assert not con.execute(
        "select * from information_schema.tables where table_schema = 'staging'"
    ).fetchall()
    con.close()
    assert not list(tmp_path.glob(".*.tmp"))


def test_duckdb_cli_opens_the_snapshot(tmp_path: Path) -> None:
    build, snapshot = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    make_build_db(build, 2)
    publish_snapshot(build, snapshot)
    cli = Path(sys.executable).parent / "duckdb"
    out = subprocess.run(
        [str(cli), "-readonly", "-csv", str(snapshot), "-c", "select sum(value) from marts.panel"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "2000"


def test_reader_keeps_its_snapshot_while_a_new_one_is_published(tmp_path: Path) -> None:
    build, snapshot = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    make_build_db(build, 1)
    publish_snapshot(build, snapshot)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(snapshot)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1000"
        make_build_db(build, 3)
        publish_snapshot(build, snapshot)          # no lock error although a reader is open
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1000"   # the old snapshot, whole
        assert reader.wait(timeout=30) == 0, reader.stderr.read()
    finally:
        reader.kill()
    con = duckdb.connect(str(snapshot), read_only=True)
    assert con.execute("select sum(value) from marts.panel").fetchone()[0] == 3000
    con.close()
