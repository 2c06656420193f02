"""What a result is built from, read from the warehouse itself: the edition requested, the
newest edition present in the raw layer, and the origin of the raw figures.

The origin is data: ``raw.load_log`` records it per source and edition (synthetic demo files or
real yearbook files), never a marker file on disk. A result whose inputs mix both says so with
counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

LATEST = "latest"


@dataclass(frozen=True)
class Provenance:
    """``as_of_edition``: the edition requested (``latest`` when none was); ``newest_edition``:
    the newest edition present in the raw layer (up to the requested one); ``data_origin``:
    ``synthetic``, ``real`` or ``mixed (<n> real, <m> synthetic cells)``."""

    as_of_edition: str
    newest_edition: str
    data_origin: str
    synthetic_cells: int
    real_cells: int

    def columns(self) -> dict[str, str]:
        """The provenance columns every results row carries."""
        return {"as_of_edition": self.as_of_edition, "newest_edition": self.newest_edition,
                "data_origin": self.data_origin}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = con.execute("select column_name from information_schema.columns "
                       "where table_schema = ? and table_name = ?", [schema, name]).fetchall()
    return {r[0] for r in rows}


def _label(synthetic: int, real: int, unknown: int = 0) -> str:
    if unknown:
        return f"unknown ({unknown} cells of unrecorded origin)"
    if synthetic and real:
        return f"mixed ({real} real, {synthetic} synthetic cells)"
    return "synthetic" if synthetic else "real"


def read_provenance(con: duckdb.DuckDBPyConnection, as_of_edition: str | None,
                    marts: tuple[str, ...] = ()) -> Provenance:
    """Provenance of the figures ``marts`` are built from (``reference.data_origin``: the
    staging figures of each mart by source, edition and origin, after the vintage rule), or,
    without it or without ``marts``, of everything the raw layer holds up to ``as_of_edition``
    (None: every edition). Editions are compared as years.
    """
    if marts and _columns(con, "reference.data_origin"):
        placeholders = ", ".join("?" for _ in marts)
        rows = con.execute(
            "select origin, max(cast(edition as integer)), sum(n_cells) "
            f"from reference.data_origin where mart in ({placeholders}) group by origin",
            list(marts)).fetchall()
        counts = {origin: int(n) for origin, _, n in rows}
        newest = str(max(e for _, e, _ in rows)) if rows else "none"
        synthetic, real = counts.get("synthetic", 0), counts.get("real", 0)
        return Provenance(as_of_edition or LATEST, newest, _label(synthetic, real),
                          synthetic, real)
    columns = _columns(con, "raw.load_log")
    if not columns:
        return Provenance(as_of_edition or LATEST, "none", "no raw data", 0, 0)
    origin = "origin" if "origin" in columns else "'unknown'"
    rows = con.execute(
        f"select edition, {origin} as origin, n_rows from raw.load_log").fetchall()
    limit = int(as_of_edition) if as_of_edition else None
    kept = [(int(e), o, n) for e, o, n in rows
            if str(e).isdigit() and (limit is None or int(e) <= limit)]
    newest = str(max(e for e, _, _ in kept)) if kept else "none"
    synthetic = sum(n for _, o, n in kept if o == "synthetic")
    real = sum(n for _, o, n in kept if o == "real")
    unknown = sum(n for _, o, n in kept if o not in ("synthetic", "real"))
    return Provenance(as_of_edition or LATEST, newest, _label(synthetic, real, unknown),
                      synthetic, real)
