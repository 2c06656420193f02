"""What a refresh redoes: digests of files, and the staleness rules on a small asset graph
(a -> b -> c, d beside them) with records in a real DuckDB file. The rules on the project's own
graph and files are exercised by tests/pipeline/test_refresh_lifecycle.py."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from models_py.fingerprint import digest_editions, digest_paths
from orchestration.clean_state import record_clean_state, state_digest, unchanged_since
from orchestration.paths import WarehousePaths
from orchestration.staleness import (
    describe_change,
    plan_refresh,
    read_versions,
    record_versions,
)

A, B, C, D = (dg.AssetKey(k) for k in "abcd")


def test_a_digest_follows_bytes_and_names_not_times(tmp_path: Path) -> None:
    edition = tmp_path / "nbs" / "2023"
    edition.mkdir(parents=True)
    (edition / "gdp.csv").write_bytes(b"a,b\n1,2\n")
    first = digest_paths([edition], edition)
    old = time.time() - 3600
    os.utime(edition / "gdp.csv", (old, old))
    assert digest_paths([edition], edition) == first  # a touched file is not a changed one
    (edition / "~$gdp.xlsx").write_bytes(b"lock")  # Office's lock file
    (edition / "gdp.csv.part").write_bytes(b"half a download")
    assert digest_paths([edition], edition) == first
    (edition / "gdp.csv").write_bytes(b"a,b\n1,3\n")  # one byte
    changed = digest_paths([edition], edition)
    assert changed != first
    (edition / "gdp.csv").rename(edition / "gdp2.csv")  # same bytes, another name
    assert digest_paths([edition], edition) not in (first, changed)
    (tmp_path / "nbs" / "2025").mkdir()  # an empty edition folder is no edition
    assert list(digest_editions(tmp_path / "nbs")) == ["2023"]


def test_a_change_is_described_by_its_inputs() -> None:
    recorded = {"data/raw/nbs/2021": "1", "data/raw/nbs/2023": "2", "code: parsers": "3"}
    current = {"data/raw/nbs/2023": "2*", "data/raw/nbs/2025": "4", "code: parsers": "3"}
    assert describe_change(recorded, current) == (
        "data/raw/nbs/2025 new; data/raw/nbs/2023 changed; data/raw/nbs/2021 removed")


@dataclass
class Catalog:
    """The inputs of the small graph (what InputCatalog reads from files in the project)."""

    paths: WarehousePaths
    inputs_by_key: dict[dg.AssetKey, dict[str, str]]
    missing: set[dg.AssetKey] = field(default_factory=set)

    def inputs(self, key: dg.AssetKey) -> dict[str, str]:
        return dict(self.inputs_by_key[key])

    def output_missing(self, key: dg.AssetKey) -> str | None:
        return "its page is missing" if key in self.missing else None


def small_graph():
    @dg.asset
    def a() -> None: ...

    @dg.asset(deps=[a])
    def b() -> None: ...

    @dg.asset(deps=[b])
    def c() -> None: ...

    @dg.asset
    def d() -> None: ...

    return dg.Definitions(assets=[a, b, c, d]).resolve_asset_graph()


def test_stale_assets_and_what_follows_from_them(tmp_path: Path) -> None:
    graph = small_graph()
    paths = WarehousePaths(tmp_path)
    paths.warehouse_dir.mkdir(parents=True)
    inputs = {A: {"files": "f1"}, B: {"sql": "s1"}, C: {"study": "y1"}, D: {"code": "k1"}}
    catalog = Catalog(paths, inputs)

    plan = plan_refresh(graph, catalog)  # no build database yet: everything
    assert plan.selection == {A, B, C, D} and plan.last_refresh is None

    record_versions(paths.build_db, inputs, [A, D, B, C], run_id="r1")
    plan = plan_refresh(graph, catalog)
    assert plan.nothing_changed and plan.reasons == {}
    assert plan.last_refresh is not None

    catalog.inputs_by_key[A] = {"files": "f2"}  # a yearbook file changed
    plan = plan_refresh(graph, catalog)
    assert plan.reasons == {A: "files changed"}
    assert plan.selection == {A, B, C}  # downstream follows; d does not

    # a rebuilt alone (say, in the UI, then recorded): what is below it is stale
    record_versions(paths.build_db, catalog.inputs_by_key, [A], run_id="r2")
    plan = plan_refresh(graph, catalog)
    assert plan.reasons == {B: "upstream a rebuilt since"}
    assert plan.selection == {B, C}
    assert plan.summary() == []  # nothing stale of its own: the upstream rebuild explains it

    record_versions(paths.build_db, catalog.inputs_by_key, [B, C], run_id="r3")
    assert plan_refresh(graph, catalog).nothing_changed
    catalog.missing = {C}  # its report page was deleted
    assert plan_refresh(graph, catalog).selection == {C}
    catalog.missing = set()

    # a failed build leaves no record: the asset stays stale until it builds cleanly
    con = duckdb.connect(str(paths.build_db))
    con.execute("delete from pipeline.asset_versions where asset_key = 'd'")
    con.close()
    plan = plan_refresh(graph, catalog)
    assert plan.selection == {D}
    assert plan.summary() == ["  not built yet, or its last build or a blocking check failed: d"]
    assert sorted(read_versions(paths.build_db)) == ["a", "b", "c"]


def test_the_quick_check_answers_only_for_an_unchanged_project(tmp_path: Path) -> None:
    paths = WarehousePaths(tmp_path)
    (paths.raw_root / "nbs" / "2023").mkdir(parents=True)
    (paths.raw_root / "nbs" / "2023" / "gdp.csv").write_bytes(b"1")
    paths.warehouse_dir.mkdir(parents=True)
    paths.reports_dir.mkdir(parents=True)
    duckdb.connect(str(paths.build_db)).close()
    assert unchanged_since(paths) is None  # nothing recorded
    record_clean_state(paths, state_digest(paths))
    assert unchanged_since(paths) is None  # outputs missing: the full plan decides
    (paths.reports_dir / "index.html").write_text("<html></html>")
    paths.snapshot_db.write_bytes(b"snapshot")
    assert unchanged_since(paths) is not None
    (paths.raw_root / "nbs" / "2023" / "gdp.csv").write_bytes(b"2")
    assert unchanged_since(paths) is None
    record_clean_state(paths, None)  # something stale: forgotten
    assert unchanged_since(paths) is None
