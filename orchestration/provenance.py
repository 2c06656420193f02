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

    @property
    def all_synthetic(self) -> bool:
        return self.real_cells == 0 and self.synthetic_cells > 0

    @property
    def any_synthetic(self) -> bool:
        return self.synthetic_cells > 0

    def columns(self) -> dict[str, str]:
        """The provenance columns every results row carries."""
        return {"as_of_edition": self.as_of_edition, "newest_edition": self.newest_edition,
                "data_origin": self.data_origin}

    def banner(self) -> str:
        """One sentence for the foot of a table or the top of a report."""
        if self.all_synthetic:
            return ("Synthetic demo yearbook: generated data with planted parameters, "
                    "not official statistics.")
        if self.any_synthetic:
            return (f"Mixed inputs: {self.real_cells:,} cells from real yearbook files and "
                    f"{self.synthetic_cells:,} synthetic demo cells.")
        return "Built from real yearbook files."


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = con.execute("select column_name from information_schema.columns "
                       "where table_schema = ? and table_name = ?", [schema, name]).fetchall()
    return {r[0] for r in rows}


def read_provenance(con: duckdb.DuckDBPyConnection, as_of_edition: str | None) -> Provenance:
    """Provenance of what the warehouse holds, up to ``as_of_edition`` (None: every edition).

    Editions are compared as years. Without an ``origin`` column in the load log (a warehouse
    loaded before origins were recorded) every cell counts as of unknown origin.
    """
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
    if unknown:
        label = f"unknown ({unknown} cells of unrecorded origin)"
    elif synthetic and real:
        label = f"mixed ({real} real, {synthetic} synthetic cells)"
    else:
        label = "synthetic" if synthetic else "real"
    return Provenance(as_of_edition or LATEST, newest, label, synthetic, real)
