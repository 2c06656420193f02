"""make demo-off: the demo leaves data/raw and the build warehouse in one step; real files, real
rows and the analysts' snapshot stay; make run does not write the demo again."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pytest

from models_py.demo.generate import MARKER, write_demo_yearbook
from models_py.ingest.discover import SOURCES, discover_raw_files, parse_edition
from models_py.ingest.load import ensure_raw_table, load_edition
from orchestration.assets.raw import ensure_raw_files
from orchestration.cli import main
from orchestration.paths import WarehousePaths

YEARS = (2010, 2011)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    write_demo_yearbook(root, years=YEARS)
    return root


def real_file(raw_root: Path) -> str:
    """A real-looking gdp.csv (the demo's without its synthetic note) in the demo's edition."""
    text = (raw_root / "nbs" / "2023" / "gdp.csv").read_bytes().decode("gb18030")
    lines = [line for line in text.split("\r\n") if "合成" not in line]
    (raw_root / "nbs" / "2023" / "gdp_real.csv").write_bytes(
        "\r\n".join(lines).encode("gb18030"))
    return "nbs/2023/gdp_real.csv"


def test_demo_off_removes_the_demo_from_disk_and_warehouse(demo: Path, tmp_path: Path,
                                                           capsys) -> None:
    paths = WarehousePaths(tmp_path)
    shutil.copytree(demo, paths.raw_root)
    real = real_file(paths.raw_root)
    paths.warehouse_dir.mkdir(parents=True)
    con = duckdb.connect(str(paths.build_db))
    files = discover_raw_files(paths.raw_root)
    for source in SOURCES:
        ensure_raw_table(con, source)
        for edition in sorted({f.edition for f in files if f.source == source}):
            load_edition(con, source, edition, parse_edition(paths.raw_root, source, edition))
    con.execute("create schema marts")
    con.execute("create table marts.mart_province_panel as select 1 as x")
    con.execute("create schema pipeline")  # the refresh's records of what it built
    con.execute("create table pipeline.asset_versions as select 'marts' as asset_key")
    con.close()
    paths.snapshot_db.write_bytes(b"the analysts' snapshot")

    assert main(["demo-off", "--root", str(tmp_path)]) == 0
    assert "synthetic demo files" in capsys.readouterr().out

    assert [f.name for f in discover_raw_files(paths.raw_root)] == [real]
    assert not (paths.raw_root / MARKER).exists()
    assert not (paths.raw_root / "ceads").exists()
    con = duckdb.connect(str(paths.build_db), read_only=True)
    origins = con.execute("select origin, count(*) from raw.nbs_cells group by 1").fetchall()
    ceads = con.execute("select count(*) from raw.ceads_cells").fetchone()[0]
    log = con.execute("select source, edition, origin from raw.load_log").fetchall()
    schemas = {s for s, in con.execute("select schema_name from information_schema.schemata")
               .fetchall()}
    con.close()
    assert origins == [("real", 31 * len(YEARS))] and ceads == 0  # 31 regions with Tibet
    assert log == [("nbs", "2023", "real")]
    assert "marts" not in schemas and "pipeline" not in schemas and "raw" in schemas
    assert paths.snapshot_db.read_bytes() == b"the analysts' snapshot"

    # with data/raw empty, a refresh does not write the demo again until make demo
    (paths.raw_root / real).unlink()
    ensure_raw_files(paths.raw_root, YEARS, log=logging.getLogger("test").info)
    assert discover_raw_files(paths.raw_root) == []
