"""Origin is data (real files vs the synthetic demo, from the files' own note), editions are plain
years, and an edition whose folder was removed is forgotten by raw at the next load."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from models_py.demo.generate import MARKER, write_demo_yearbook
from models_py.ingest.discover import discover_raw_files, parse_edition
from models_py.ingest.errors import RawFileError
from models_py.ingest.load import forget_editions, load_edition
from models_py.ingest.origin import file_origin
from models_py.ingest.schema import RAW_SCHEMA

YEARS = (2010, 2011)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    write_demo_yearbook(root, years=YEARS)
    return root


@pytest.fixture
def raw_root(demo: Path, tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    shutil.copytree(demo, root)
    return root


def test_every_demo_file_is_synthetic_by_its_own_note(demo: Path) -> None:
    files = discover_raw_files(demo)
    assert len(files) > 30
    assert {f.name: file_origin(f.path) for f in files} == {f.name: "synthetic" for f in files}


def test_origin_does_not_come_from_the_marker_file(raw_root: Path) -> None:
    (raw_root / MARKER).unlink()
    frame = parse_edition(raw_root, "nbs", "2023").frame
    assert set(frame["origin"]) == {"synthetic"}


@pytest.mark.shared_data
def test_real_files_are_real(shared_data: Path) -> None:
    for path in [*sorted((shared_data / "ceads_provincial").glob("*.xlsx"))[:3],
                 *sorted((shared_data / "nbs_raw_examples").glob("*.csv"))]:
        assert file_origin(path) == "real", path.name


@pytest.mark.parametrize("folder", ["２０２４", "2023 - 副本", "old", "2023(1)", "23"])
@pytest.mark.parametrize("source", ["nbs", "ceads"])
def test_an_edition_folder_that_is_not_a_plain_year_is_refused(raw_root: Path, source: str,
                                                                folder: str) -> None:
    edition = "2023" if source == "nbs" else "2021"
    shutil.copytree(raw_root / source / edition, raw_root / source / folder)
    with pytest.raises(RawFileError) as caught:
        discover_raw_files(raw_root)
    message = str(caught.value)
    assert message.startswith(f"{source}/{folder}: expected an edition folder named as a plain "
                              "four-digit year such as '2023'"), message
    assert repr(folder) in message


def test_a_removed_edition_is_forgotten(raw_root: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    for edition in ("2021", "2023"):
        load_edition(con, "nbs", edition, parse_edition(raw_root, "nbs", edition))
    shutil.rmtree(raw_root / "nbs" / "2021")
    on_disk = sorted({f.edition for f in discover_raw_files(raw_root) if f.source == "nbs"})
    assert forget_editions(con, "nbs", on_disk) == ["2021"]
    assert con.execute("select distinct edition from raw.nbs_cells").fetchall() == [("2023",)]
    log = con.execute("select edition, origin from raw.load_log").fetchall()
    assert log == [("2023", "synthetic")]
    assert forget_editions(con, "nbs", on_disk) == []
    con.close()


def test_raw_tables_of_an_older_warehouse_gain_the_origin_column(raw_root: Path,
                                                                  tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.load_log (source varchar, edition varchar, n_files integer, "
                "n_rows bigint, content_sha256 varchar, loaded_at timestamp, "
                "primary key (source, edition))")
    columns = ", ".join(f"{c} {t}" for c, t in RAW_SCHEMA.items() if c != "origin")
    con.execute(f"create table raw.nbs_cells ({columns})")
    load_edition(con, "nbs", "2023", parse_edition(raw_root, "nbs", "2023"))
    assert con.execute("select distinct origin from raw.nbs_cells").fetchall() == [("synthetic",)]
    con.close()


def test_a_result_is_stamped_by_its_marts_origins() -> None:
    from orchestration.provenance import read_provenance

    con = duckdb.connect()
    con.execute("create schema reference")
    con.execute("create table reference.data_origin as select * from (values "
                "('mart_province_panel', 'nbs', '2020', 'real', 60), "
                "('mart_province_panel', 'nbs', '2023', 'synthetic', 30), "
                "('fct_emissions', 'ceads', '2021', 'synthetic', 90)) "
                "as t(mart, source, edition, origin, n_cells)")
    panel = read_provenance(con, None, ("mart_province_panel",))
    assert panel.data_origin == "mixed (60 real, 30 synthetic cells)"
    assert (panel.real_cells, panel.synthetic_cells, panel.newest_edition) == (60, 30, "2023")
    emissions = read_provenance(con, "2021", ("fct_emissions",))
    assert emissions.columns() == {"as_of_edition": "2021", "newest_edition": "2021",
                                   "data_origin": "synthetic"}
    both = read_provenance(con, None, ("mart_province_panel", "fct_emissions"))
    assert both.data_origin == "mixed (60 real, 120 synthetic cells)"
    con.close()
