"""A real figure wins over a synthetic one whatever the editions are called, and
reference.data_origin counts each mart's figures by origin (staging and data_origin only)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from models_py.demo.generate import write_demo_yearbook
from models_py.ingest.discover import SOURCES, discover_raw_files, parse_edition
from models_py.ingest.load import ensure_raw_table, load_edition
from orchestration.paths import DBT_PROJECT_DIR
from tests.dbt.dbt_cli import invoke_dbt

YEARS = (2019, 2020)
REAL_BEIJING_GDP_2020 = 12345.6


def dbt(db: Path, target: Path, *args: str) -> None:
    os.environ["WAREHOUSE_DB_PATH"] = str(db)
    result = dbtRunner().invoke([*args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                                 str(DBT_PROJECT_DIR), "--target-path", str(target), "--quiet"])
    assert result.success, result.exception


def real_gdp_file(raw_root: Path) -> None:
    """The demo's gdp.csv as an older real export would print it, for 2020 alone: no synthetic
    note, filed under edition 2020 (older than the demo's 2021 and 2023)."""
    text = (raw_root / "nbs" / "2023" / "gdp.csv").read_bytes().decode("gb18030")
    lines = [line for line in text.split("\r\n") if "合成" not in line]
    lines = [",".join(line.split(",")[:2]) for line in lines]  # region, 2020年
    lines = [f"北京市,{REAL_BEIJING_GDP_2020}" if line.startswith("北京市") else line
             for line in lines]
    folder = raw_root / "nbs" / "2020"
    folder.mkdir()
    (folder / "gdp.csv").write_bytes("\r\n".join(lines).encode("gb18030"))


@pytest.mark.xdist_group("dbt_origin")
def test_real_beats_synthetic_and_data_origin_counts(tmp_path: Path) -> None:
    raw_root, db = tmp_path / "raw", tmp_path / "build.duckdb"
    write_demo_yearbook(raw_root, years=YEARS)
    real_gdp_file(raw_root)
    con = duckdb.connect(str(db))
    files = discover_raw_files(raw_root)
    for source in SOURCES:
        ensure_raw_table(con, source)
        for edition in sorted({f.edition for f in files if f.source == source}):
            load_edition(con, source, edition, parse_edition(raw_root, source, edition))
    con.execute("delete from raw.ofdi_cells where year = 2019")  # a source without a year
    con.close()
    dbt(db, tmp_path / "target", "seed")
    dbt(db, tmp_path / "target", "run", "--select", "path:models/staging", "data_origin")
    os.environ["WAREHOUSE_DB_PATH"] = str(db)
    splices = invoke_dbt("test", tmp_path / "target", "--select",
                         "warn_series_spliced_from_two_origins",
                         "warn_source_without_a_year_others_have")
    warnings = {r.node.name: (r.status, r.failures) for r in splices.result}

    con = duckdb.connect(str(db))
    gdp = con.execute("select province_code, value, edition, origin "
                      "from staging.stg_nbs__province_indicators where variable = 'gdp' "
                      "and year = 2020").df().set_index("province_code")
    counts = con.execute("select source, edition, origin, n_cells from reference.data_origin "
                         "where mart = 'mart_province_panel' order by all").fetchall()
    marts = {m for m, in con.execute("select distinct mart from reference.data_origin").fetchall()}
    con.close()
    # the real 2020 export wins over the synthetic 2021 and 2023 editions, for every province
    assert gdp.loc["110000", "value"] == REAL_BEIJING_GDP_2020
    assert set(gdp["origin"]) == {"real"} and set(gdp["edition"]) == {"2020"}
    real = [c for c in counts if c[2] == "real"]
    assert real == [("nbs", "2020", "real", 30)], counts
    # gdp is real in 2020 and synthetic in 2019: one spliced series, a warning
    assert warnings["warn_series_spliced_from_two_origins"] == ("warn", 1)
    # OFDI has no 2019 that the other sources have: one warning row
    assert warnings["warn_source_without_a_year_others_have"] == ("warn", 1)
    assert any(c[2] == "synthetic" for c in counts)
    assert {"mart_province_panel", "fct_emissions", "mart_industry_panel"} <= marts


def test_data_origin_lists_every_staging_model() -> None:
    """The staging models data_origin counts are listed once in its SQL: all of them."""
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    staging = {n["name"] for n in manifest["nodes"].values()
               if n["resource_type"] == "model" and n["name"].startswith("stg_")}
    node = next(n for n in manifest["nodes"].values() if n["name"] == "data_origin")
    assert {r["name"] for r in node["refs"]} == staging
