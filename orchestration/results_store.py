"""The ``results`` schema in DuckDB: one long table per kind of result (docs/results-schema.md).

Each study table replaces its own rows (``study``, ``table_id``) in one transaction, so tables
of several studies live side by side and a failed table leaves the others as they were.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from orchestration.sql import sql_string, transaction

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
    "covariances": (("model", "varchar"), ("variant", "varchar"), ("column_order", "integer"),
                    ("term", "varchar"), ("other_term", "varchar"), ("value", "double")),
    "simulation": (("scenario", "varchar"), ("measure", "varchar"), ("unit", "varchar"),
                   ("grid_value", "double"), ("statistic", "varchar"), ("value", "double")),
}
TABLE_DOCS = {
    "models": "One row per fitted model of a study table (a column of the printed table): "
              "estimator, dependent variable, fixed effects, clustering, weights.",
    "estimates": "Coefficients of every fitted model, long: statistic estimate, std_error, t or "
                 "z, p_value; value in the units of the coefficient.",
    "fit_statistics": "Scalar statistics of every fitted model (nobs, n_entities, n_periods, "
                      "r2_within, r2, loglik, sigma2, rho or lambda, n_clusters ...).",
    "tests": "Test statistics: Hausman, LM/LR/Wald spatial tests and the selected model, panel "
             "unit roots (df holds the mean ADF lag), VIF, Sobel; conclusion in words.",
    "effects": "Direct, indirect and total effects of spatial models (LeSage and Pace): "
               "estimate at the point estimates, mean, std_error and z over seeded draws.",
    "descriptives": "Descriptive statistics (n, mean, sd, min, max) over a study's sample, "
                    "after the study's winsorising.",
    "moran": "Global Moran's I per variable, weight matrix and year: I, E[I], variance, z and p "
             "under normality; z and p under randomisation.",
    "local_moran": "Local Moran I_i per province with conditional-permutation pseudo p-values "
                   "and the cluster (HH, LL, HL, LH, or not significant).",
    "mediation": "Mediation: Baron-Kenny paths (total, a, b, direct, indirect, share, Sobel) "
                 "and bootstrap intervals (percentile and bias-corrected) per outcome.",
    "covariances": "Covariance of the coefficients of every fitted model (term x other_term), "
                   "from which scenarios compute their confidence bands.",
    "simulation": "Scenario results (e.g. carbon prices 0-300 yuan/t): measure x unit x grid "
                  "point x statistic (estimate, lower, upper).",
}
COLUMN_DOCS = {
    "study": "The study (studies/<study>.yaml).",
    "table_id": "The table of the study (an asset results/<study>/<table_id>).",
    "model": "The declared model the row belongs to.",
    "variant": "What the column changes relative to its declared model ('main': nothing).",
    "column_order": "Position of the model among the table's columns, 1, 2, ...",
    "term": "Regressor (W_x: its spatial lag; L.x: lagged one year; const: the constant).",
    "statistic": "Which statistic the value is.",
    "value": "The value of the statistic.",
    "as_of_edition": "The yearbook edition requested ('latest' when none was).",
    "newest_edition": "The newest edition present in the raw layer at build time.",
    "data_origin": "synthetic, real, or mixed (counts of real and synthetic raw cells).",
}


def column_types(name: str) -> dict[str, str]:
    """The columns of ``results.<name>`` in order, each with its DuckDB type as DuckDB names it
    (``VARCHAR``, ``INTEGER``, ``DOUBLE``, ``BOOLEAN``)."""
    columns = [("study", "varchar"), ("table_id", "varchar"), *COLUMNS[name],
               *((c, "varchar") for c in PROVENANCE)]
    return {column: data_type.upper() for column, data_type in columns}


def _ddl(name: str) -> str:
    body = ",\n    ".join(f"{c} {t.lower()}" for c, t in column_types(name).items())
    return f"create table if not exists results.{name} (\n    {body}\n)"


def ensure_results_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``results`` and its tables if missing (empty), with their documentation as
    DuckDB comments (``DESCRIBE``, ``duckdb_columns()``)."""
    con.execute("create schema if not exists results")
    for name in COLUMNS:
        con.execute(_ddl(name))
    # the comments are written only where they differ from the docs (every study step calls
    # this; a hundred COMMENT statements each time cost more than the step's own writes)
    tables = dict(con.execute(
        "select table_name, comment from duckdb_tables() where database_name = "
        "current_database() and schema_name = 'results'").fetchall())
    columns = {(t, c): text for t, c, text in con.execute(
        "select table_name, column_name, comment from duckdb_columns() where database_name = "
        "current_database() and schema_name = 'results'").fetchall()}
    for name in COLUMNS:
        if tables.get(name) != TABLE_DOCS[name]:
            con.execute(f"comment on table results.{name} is {sql_string(TABLE_DOCS[name])}")
        for column in ("study", "table_id", *(c for c, _ in COLUMNS[name]), *PROVENANCE):
            if column in COLUMN_DOCS and columns.get((name, column)) != COLUMN_DOCS[column]:
                con.execute(f"comment on column results.{name}.{column} is "
                            f"{sql_string(COLUMN_DOCS[column])}")


def replace_table_rows(con: duckdb.DuckDBPyConnection, study: str, table_id: str,
                       frames: dict[str, pd.DataFrame], provenance: dict[str, str]
                       ) -> dict[str, int]:
    """Replace every row of (study, table_id) in every results table by ``frames`` (tables the
    frames do not name lose their rows of this table too), in one transaction; returns rows
    written per table. The tables must exist: :func:`ensure_results_schema` first (once per
    step, not per table: its checks of the tables and their comments cost more than most
    tables' rows)."""
    unknown = sorted(set(frames) - set(COLUMNS))
    if unknown:
        raise KeyError(f"no results table named {unknown}")
    counts = {}
    with transaction(con):
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
    return counts


def read_study_results(con: duckdb.DuckDBPyConnection, study: str) -> dict[str, pd.DataFrame]:
    """Every results table's rows of one study (empty frames where it has none, or where the
    table does not exist yet)."""
    present = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'results'"
    ).fetchall()}
    return {name: (con.execute(f"select * from results.{name} where study = ?", [study]).df()
                   if name in present else pd.DataFrame())
            for name in COLUMNS}
