"""End to end: demo yearbook files -> raw -> dbt marts -> study results, in-process.

The full run (every year, both editions) runs once here; the fast path (2009-2020: the
technology-import study's sample and its lags) is tests/pipeline/test_studies_end_to_end.py,
which shares one fast warehouse among its tests. Both assert that the study's estimate
recovers the planted elasticity and that the results carry their provenance.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from models_py.demo.planted import PLANTED
from orchestration.refresh import refresh

STUDY = "tech_imports_co2"


def key_industry_estimate(root: Path) -> dict:
    """The technology-import elasticity of key-industry CO2 (robustness table, two-way FE)."""
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select e.statistic, e.value, m.dependent, e.data_origin, e.newest_edition "
            "from results.estimates e join results.models m using (study, table_id, column_order) "
            "where e.study = ? and e.table_id = 'robustness' and m.dependent = 'ce_key' "
            "and e.term = 'tech'", [STUDY]).fetchall()
        nobs = con.execute(
            "select f.value from results.fit_statistics f join results.models m "
            "using (study, table_id, column_order) where f.study = ? and f.table_id = "
            "'robustness' and m.dependent = 'ce_key' and f.statistic = 'nobs'", [STUDY]
        ).fetchone()[0]
    finally:
        con.close()
    values = {statistic: value for statistic, value, *_ in rows}
    return {**values, "nobs": nobs, "newest_edition": rows[0][4]}


def assert_recovers_planted(root: Path, n_years: int) -> None:
    got = key_industry_estimate(root)
    planted = PLANTED.tis_total_elasticity
    assert got["nobs"] == 30 * n_years
    assert abs(got["estimate"] - planted) < 2 * got["std_error"], (got, planted)
    assert got["newest_edition"] == "2023"


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline_full")
def test_full_run_recovers_planted_elasticity(tmp_path: Path) -> None:
    result = refresh(tmp_path)
    assert result.success
    assert_recovers_planted(tmp_path, 2020 - 2011 + 1)
