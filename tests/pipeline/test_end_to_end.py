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


def planted_recovery(root: Path) -> list[tuple[str, float, float, float]]:
    """(parameter, truth, estimate, standard error) of every planted value the
    technology-import study estimates: Table 3 column 4, Table 4 and the mediation paths."""
    con = duckdb.connect(str(root / "data" / "warehouse" / "build.duckdb"), read_only=True)
    try:
        def estimate(table: str, column: int, term: str) -> tuple[float, float]:
            values = dict(con.execute(
                "select statistic, value from results.estimates where study = ? and "
                "table_id = ? and column_order = ? and term = ?",
                [STUDY, table, column, term]).fetchall())
            return values["estimate"], values["std_error"]

        def mediation(outcome: str, path: str) -> tuple[float, float]:
            values = dict(con.execute(
                "select statistic, value from results.mediation where study = ? and "
                "table_id = 'mediation' and outcome = ? and model = 'baron_kenny'",
                [STUDY, outcome]).fetchall())
            return values[path], values[f"{path}_se"]

        rows = [("Table 3 col. 4: tech -> ce", PLANTED.tech_on_ce_total,
                 *estimate("baseline", 4, "tech")),
                ("Table 10: tech -> ino (a)", PLANTED.tech_on_ino, *mediation("ce", "a")),
                ("Table 10: ino -> ce (b)", PLANTED.ino_on_ce, *mediation("ce", "b")),
                ("Table 10: direct tech -> ce", PLANTED.tech_on_ce_direct,
                 *mediation("ce", "direct"))]
        for k, outcome in enumerate(("ce1", "ce2", "ce3", "ce4")):
            rows.append((f"Table 4: tech -> {outcome}", PLANTED.key_total[k],
                         *estimate("key_industries", k + 1, "tech")))
            rows.append((f"Table 11: direct tech -> {outcome}", PLANTED.key_direct[k],
                         *mediation(outcome, "direct")))
        nobs = con.execute(
            "select value from results.fit_statistics where study = ? and table_id = "
            "'baseline' and column_order = 4 and statistic = 'nobs'", [STUDY]).fetchone()[0]
        edition, origin = con.execute(
            "select max(newest_edition), string_agg(distinct data_origin, ', ') "
            "from results.estimates where study = ?", [STUDY]).fetchone()
    finally:
        con.close()
    return rows, nobs, edition, origin


def assert_recovers_planted(root: Path, n_years: int) -> None:
    rows, nobs, edition, origin = planted_recovery(root)
    assert nobs == 30 * n_years
    assert (edition, origin) == ("2023", "synthetic")
    missed = [f"{name}: planted {truth:.3f}, estimate {value:.3f} (s.e. {se:.3f})"
              for name, truth, value, se in rows if abs(value - truth) >= 2 * se]
    assert not missed, "planted values not recovered within 2 s.e.:\n" + "\n".join(missed)


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline_full")
def test_full_run_recovers_planted_elasticity(tmp_path: Path) -> None:
    result = refresh(tmp_path)
    assert result.success
    assert_recovers_planted(tmp_path, 2020 - 2011 + 1)
