"""The raw step parses editions in worker processes: the same rows and content hashes as one
process, and a rejected file stops only its source (the others load, the step fails naming
the file, row and column)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from models_py.demo.generate import write_demo_yearbook
from models_py.ingest.load import content_hash
from orchestration.paths import WarehousePaths
from orchestration.refresh import refresh

YEARS = (2011, 2012)
RAW = dg.AssetSelection.groups("raw")
BAD_GDP = ("数据库：分省年度数据\r\n指标：地区生产总值(亿元)\r\n地区,2011年,2010年\r\n"
           "北景市,1.0,2.0\r\n")


def _load_log(root: Path) -> list[tuple]:
    con = duckdb.connect(str(WarehousePaths(root).build_db), read_only=True)
    try:
        return con.execute("select source, edition, n_files, n_rows, content_sha256 "
                           "from raw.load_log order by source, edition").fetchall()
    finally:
        con.close()


@pytest.mark.xdist_group("raw_assets")
def test_workers_load_what_one_process_loads(tmp_path: Path, monkeypatch) -> None:
    logs = {}
    for workers in ("1", "2"):
        root = tmp_path / f"workers_{workers}"
        write_demo_yearbook(root / "data" / "raw", years=YEARS)
        monkeypatch.setenv("YCW_WORKERS", workers)
        result = refresh(root, YEARS, selection=RAW)
        assert result.success
        logs[workers] = _load_log(root)
    assert logs["1"] == logs["2"]
    assert {source for source, *_ in logs["2"]} == {"nbs", "ceads", "energy", "science_tech",
                                                   "ofdi", "industry"}
    # the hash a worker computed is the one of the rows stored
    con = duckdb.connect(str(WarehousePaths(tmp_path / "workers_2").build_db), read_only=True)
    stored = con.execute("select * from raw.energy_cells where edition = '2021'").df()
    con.close()
    [energy_2021] = [row for row in logs["2"] if row[:2] == ("energy", "2021")]
    assert content_hash(stored) == energy_2021[4]


@pytest.mark.xdist_group("raw_assets")
def test_a_rejected_file_stops_its_source_only(tmp_path: Path, monkeypatch) -> None:
    write_demo_yearbook(tmp_path / "data" / "raw", years=YEARS)
    (tmp_path / "data" / "raw" / "nbs" / "2023" / "gdp.csv").write_bytes(
        BAD_GDP.encode("gb18030"))
    monkeypatch.setenv("YCW_WORKERS", "2")
    result = refresh(tmp_path, YEARS, selection=RAW, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.error.to_string()  # the cause: the parser's error
    assert ("nbs/2023/gdp.csv, row 4, column 'A': expected a province name known to "
            "dbt_project/seeds/ref_province_aliases.csv") in message
    built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw/nbs_cells" not in built
    assert {"raw/ceads_cells", "raw/energy_cells", "raw/industry_cells"} <= built
    loaded = {(source, edition) for source, edition, *_ in _load_log(tmp_path)}
    assert ("nbs", "2021") in loaded and ("nbs", "2023") not in loaded
    assert ("energy", "2023") in loaded


def test_editions_arriving_in_any_order_load_in_edition_order() -> None:
    from orchestration.assets.raw import SourceLoad, SourcePlan

    load = SourceLoad(SourcePlan("nbs", ["2021", "2022", "2023", "2024"],
                                 to_parse={"2021": "a", "2022": "b", "2023": "c", "2024": "d"}))
    load.arrived["2022"] = ("parsed 2022", "hash")
    assert list(load.take_ready()) == []  # 2021 is still parsing
    load.arrived["2021"] = ("parsed 2021", "hash")
    assert [edition for edition, _ in load.take_ready()] == ["2021", "2022"]
    load.arrived["2024"] = ("parsed 2024", "hash")
    load.arrived["2023"] = ValueError("nbs/2023/gdp.csv, row 4")
    assert list(load.take_ready()) == []  # 2023 failed: 2024 is not loaded
    assert str(load.failure) == "nbs/2023/gdp.csv, row 4" and load.done
