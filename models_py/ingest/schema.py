"""The tidy raw table every parser returns (docs/raw-layer.md): one row per published cell."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# column name -> DuckDB type, in order
RAW_SCHEMA: dict[str, str] = {
    "source": "varchar",
    "edition": "varchar",
    "file": "varchar",
    "sheet": "varchar",
    "row_number": "integer",
    "column_name": "varchar",
    "entity": "varchar",
    "item": "varchar",
    "indicator": "varchar",
    "unit": "varchar",
    "year": "integer",
    "value": "double",
    "value_text": "varchar",
    "origin": "varchar",
}
RAW_COLUMNS: list[str] = list(RAW_SCHEMA)
SOURCES: tuple[str, ...] = ("nbs", "ceads", "energy", "science_tech", "ofdi", "industry")


def raw_table_ddl(source: str) -> str:
    """``create table if not exists raw.<source>_cells (...)`` with the raw schema's types."""
    if source not in SOURCES:
        raise ValueError(f"unknown raw source {source!r}; expected one of {', '.join(SOURCES)}")
    columns = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in RAW_SCHEMA.items())
    return f"create table if not exists raw.{source}_cells (\n    {columns}\n)"


@dataclass
class ParseResult:
    """A parsed file (or edition): the tidy cells and the tolerated oddities met on the way."""

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def from_records(records: list[dict], notes: list[str] | None = None) -> ParseResult:
        frame = pd.DataFrame.from_records(records, columns=RAW_COLUMNS)
        return ParseResult(coerce_raw_frame(frame), list(notes or []))

    @staticmethod
    def concat(results: list[ParseResult]) -> ParseResult:
        frames = [r.frame for r in results if len(r.frame)]
        frame = pd.concat(frames, ignore_index=True) if frames else empty_raw_frame()
        return ParseResult(coerce_raw_frame(frame), [n for r in results for n in r.notes])


def empty_raw_frame() -> pd.DataFrame:
    return coerce_raw_frame(pd.DataFrame({c: [] for c in RAW_COLUMNS}))


def coerce_raw_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast to the raw schema's dtypes (nullable integers, float values, strings)."""
    out = frame[RAW_COLUMNS].copy()
    for column, sql_type in RAW_SCHEMA.items():
        if sql_type == "integer":
            out[column] = out[column].astype("Int64")
        elif sql_type == "double":
            out[column] = out[column].astype("float64")
        else:
            out[column] = out[column].astype("object")
    return out
