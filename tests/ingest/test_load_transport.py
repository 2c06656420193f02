"""What a worker hands back to the raw step's parent (load.hashed_for_loading): text columns as
Categoricals, with the content hash of the rows; loading it stores the rows the raw frame
stores, and the hash is the one of those rows."""

from __future__ import annotations

import pickle
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from models_py.demo.generate import write_demo_yearbook
from models_py.ingest.discover import parse_edition
from models_py.ingest.load import content_hash, hashed_for_loading, load_edition
from models_py.ingest.schema import ParseResult

YEARS = (2011, 2012)


@pytest.fixture(scope="module")
def raw_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("transport") / "raw"
    write_demo_yearbook(root, years=YEARS)
    return root


def _stored(result: ParseResult, source: str, edition: str) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        load_edition(con, source, edition, result)
        return con.execute(f"select * from raw.{source}_cells").df()
    finally:
        con.close()


@pytest.mark.parametrize("source", ["ceads", "energy", "nbs"])
def test_the_compact_frame_loads_the_same_rows_with_the_same_hash(raw_root: Path,
                                                                  source: str) -> None:
    parsed = parse_edition(raw_root, source, "2023")
    compact, digest = hashed_for_loading(parsed.frame)
    assert digest == content_hash(parsed.frame)
    assert any(isinstance(dtype, pd.CategoricalDtype) for dtype in compact.dtypes)
    travelled = pickle.loads(pickle.dumps(compact))
    stored = _stored(ParseResult(travelled), source, "2023")
    assert stored.equals(_stored(parsed, source, "2023"))
    assert content_hash(stored) == digest


def test_mixed_text_columns_travel_as_they_are() -> None:
    frame = ParseResult.from_columns({"source": ["nbs", "nbs"], "edition": ["2023", "2023"],
                                      "file": ["a.csv", "a.csv"], "row_number": [1, 2],
                                      "value_text": ["-", 1.5]}).frame
    compact, digest = hashed_for_loading(frame)
    assert compact is frame and digest == content_hash(frame)


def test_parsed_files_are_raw_frames(raw_root: Path) -> None:
    # pandas 3 would infer its str dtype for a column of strings, which loading converts back
    from models_py.ingest.discover import discover_raw_files, parse_raw_file
    from models_py.ingest.schema import is_raw_frame

    found = discover_raw_files(raw_root)
    first_of_each_source = {f.source: f for f in reversed(found)}
    for raw_file in first_of_each_source.values():
        assert is_raw_frame(parse_raw_file(raw_file).frame), raw_file.name
