"""End to end: demo yearbook files -> raw -> dbt marts -> two-way FE estimate, in-process.

The fast path materializes a few years of the demo yearbook; the full run (every year, both
editions) runs once. Both assert that the estimate recovers the planted elasticity.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from models_py.demo.planted import PLANTED
from orchestration.definitions import defs
from orchestration.resources import WarehouseResource, dbt_resource

FAST_YEARS = (2000, 2012)


def materialize_everything(root: Path, years: tuple[int, int] | None) -> dg.ExecuteInProcessResult:
    warehouse = WarehouseResource(
        root=str(root),
        demo_first_year=years[0] if years else None,
        demo_last_year=years[1] if years else None,
    )
    job = defs.resolve_job_def("refresh_all")
    return job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        resources={"warehouse": warehouse, "dbt": dbt_resource()},
    )


def estimate(root: Path) -> dict[str, float]:
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        row = con.execute(
            "select estimate, std_error, nobs from results.tis_co2_twoway_fe "
            "where term = 'tech'"
        ).fetchone()
    finally:
        con.close()
    return {"estimate": row[0], "std_error": row[1], "nobs": row[2]}


def assert_recovers_planted(root: Path, n_years: int) -> None:
    got = estimate(root)
    planted = PLANTED.tech_on_ce_total
    assert got["nobs"] == 30 * n_years
    assert abs(got["estimate"] - planted) < 2 * got["std_error"], (got, planted)
    table = (root / "reports" / "tables" / "tis_co2_twoway_fe.md").read_text(encoding="utf-8")
    assert "Synthetic demo yearbook" in table
    assert "Province FE" in table and "Year FE" in table


@pytest.mark.xdist_group("pipeline_fast")
def test_fast_path_recovers_planted_elasticity(tmp_path: Path) -> None:
    result = materialize_everything(tmp_path, FAST_YEARS)
    assert result.success
    # the technology-import stock (and so the sample) starts in its base year, 2011
    assert_recovers_planted(tmp_path, FAST_YEARS[1] - PLANTED.tis_base_year + 1)


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline_full")
def test_full_run_recovers_planted_elasticity(tmp_path: Path) -> None:
    result = materialize_everything(tmp_path, None)
    assert result.success
    assert_recovers_planted(tmp_path, 2022 - PLANTED.tis_base_year + 1)
