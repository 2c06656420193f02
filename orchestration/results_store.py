"""The ``results`` schema in DuckDB: one long table per kind of result (docs/results-schema.md).

Each study table replaces its own rows (``study``, ``table_id``) in one transaction, so tables
of several studies live side by side and a failed table leaves the others as they were.
"""

from __future__ import annotations

import duckdb
import pandas as pd

PROVENANCE = ("as_of_edition", "newest_edition", "data_origin")
_KEYS = ("study", "table_id")
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "models": (("model", "varchar"), ("variant", "varchar"), ("column_order", "integer"),
               ("column_title", "varchar"), ("estimator", "varchar"), ("dependent", "varchar"),
               ("dependent_label", "varchar"), ("entity_effects", "boolean"),
               ("time_effects", "boolean"), ("other_effects", "varchar"),
               ("cluster", "varchar"), ("weights", "varchar"), ("se_convention", "varchar"),
               ("statistic_kind", "varchar")),
    "estimates": (("model", "varchar"), ("variant", "varchar"), ("column_order", "integer"),
                  ("term", "varchar"), ("term_label", "varchar"), ("term_order", "integer"),
                  ("statistic", "varchar"), ("value", "double")),
    "fit_statistics": (("model", "varchar"), ("variant", "varchar"),
                       ("column_order", "integer"), ("statistic", "varchar"),
                       ("value", "double")),
    "tests": (("model", "varchar"), ("variant", "varchar"), ("variable", "varchar"),
              ("test", "varchar"), ("statistic", "double"), ("df", "double"),
              ("p_value", "double"), ("conclusion", "varchar")),
    "effects": (("model", "varchar"), ("variant", "varchar"), ("column_order", "integer"),
                ("term", "varchar"), ("term_label", "varchar"), ("effect", "varchar"),
                ("statistic", "varchar"), ("value", "double")),
    "descriptives": (("variable", "varchar"), ("variable_label", "varchar"),
                     ("statistic", "varchar"), ("value", "double")),
    "moran": (("variable", "varchar"), ("weights", "varchar"), ("year", "integer"),
              ("moran_i", "double"), ("expected_i", "double"), ("variance", "double"),
              ("z", "double"), ("p_value", "double"), ("z_randomisation", "double"),
              ("p_randomisation", "double")),
    "local_moran": (("variable", "varchar"), ("weights", "varchar"), ("year", "integer"),
                    ("province_code", "varchar"), ("local_i", "double"),
                    ("p_value", "double"), ("quadrant", "varchar"), ("cluster", "varchar")),
    "mediation": (("model", "varchar"), ("variant", "varchar"), ("outcome", "varchar"),
                  ("statistic", "varchar"), ("value", "double")),
    "simulation": (("scenario", "varchar"), ("measure", "varchar"), ("unit", "varchar"),
                   ("grid_value", "double"), ("statistic", "varchar"), ("value", "double")),
}


def _ddl(name: str) -> str:
    columns = [("study", "varchar"), ("table_id", "varchar"), *COLUMNS[name],
               *((c, "varchar") for c in PROVENANCE)]
    body = ",\n    ".join(f"{c} {t}" for c, t in columns)
    return f"create table if not exists results.{name} (\n    {body}\n)"


def ensure_results_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``results`` and its tables if missing (empty)."""
    con.execute("create schema if not exists results")
    for name in COLUMNS:
        con.execute(_ddl(name))


def replace_table_rows(con: duckdb.DuckDBPyConnection, study: str, table_id: str,
                       frames: dict[str, pd.DataFrame], provenance: dict[str, str]
                       ) -> dict[str, int]:
    """Replace every row of (study, table_id) in every results table by ``frames`` (tables the
    frames do not name lose their rows of this table too); returns rows written per table."""
    unknown = sorted(set(frames) - set(COLUMNS))
    if unknown:
        raise KeyError(f"no results table named {unknown}")
    counts = {}
    con.execute("begin transaction")
    try:
        ensure_results_schema(con)
        for name in COLUMNS:
            con.execute(f"delete from results.{name} where study = ? and table_id = ?",
                        [study, table_id])
        for name, frame in frames.items():
            out = frame.reindex(columns=[c for c, _ in COLUMNS[name]])
            out.insert(0, "table_id", table_id)
            out.insert(0, "study", study)
            for column in PROVENANCE:
                out[column] = provenance[column]
            con.register("incoming_results", out)
            con.execute(f"insert into results.{name} by name select * from incoming_results")
            con.unregister("incoming_results")
            counts[name] = len(out)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts


def read_study_results(con: duckdb.DuckDBPyConnection, study: str) -> dict[str, pd.DataFrame]:
    """Every results table's rows of one study (empty frames where it has none)."""
    ensure_results_schema(con)
    return {name: con.execute(f"select * from results.{name} where study = ?", [study]).df()
            for name in COLUMNS}
