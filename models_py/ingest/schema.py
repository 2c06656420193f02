"""The tidy raw table every parser returns (docs/raw-layer.md): one row per published cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
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
        return ParseResult.from_columns({c: [r.get(c) for r in records] for c in RAW_COLUMNS},
                                        notes)

    @staticmethod
    def from_columns(columns: Mapping[str, Sequence], notes: list[str] | None = None
                     ) -> ParseResult:
        """The parse result of cells given column by column (a list per raw column, all of one
        length; a column left out is null), in the raw schema's dtypes. Building the frame from
        columns is several times faster than from a dict per cell, the parsers' hot path. Text
        columns are built as object columns, nulls None: left to infer, pandas 3 would make a
        column of strings its ``str`` dtype, checking every value, and loading would convert it
        back (ceads 2021: 0.4 s of the 2 s of parsing)."""
        n = len(next(iter(columns.values()), ()))
        data: dict[str, object] = {}
        for column, sql_type in RAW_SCHEMA.items():
            values = columns.get(column)
            if values is None:
                values = [None] * n
            if len(values) != n:
                raise ValueError(f"raw column {column} has {len(values)} values, not {n}")
            if sql_type == "integer":
                if set(map(type, values)) <= {int}:  # the usual case: through int64, much
                    # faster than pandas inferring from objects (same values)
                    data[column] = pd.array(np.array(values, dtype="int64"), dtype="Int64")
                else:
                    data[column] = pd.array(values, dtype="Int64")
            elif sql_type == "double":
                data[column] = np.array(values, dtype="float64")
            else:
                data[column] = np.fromiter(values, dtype=object, count=n)
        return ParseResult(pd.DataFrame({column: pd.Series(array, dtype=array.dtype, copy=False)
                                         for column, array in data.items()},
                                        columns=RAW_COLUMNS, copy=False), list(notes or []))

    @staticmethod
    def concat(results: list[ParseResult]) -> ParseResult:
        frames = [r.frame for r in results if len(r.frame)]
        frame = pd.concat(frames, ignore_index=True) if frames else empty_raw_frame()
        if not is_raw_frame(frame):  # a new frame: cast only when the parts differed
            frame = coerce_raw_frame(frame)
        return ParseResult(frame, [n for r in results for n in r.notes])


def empty_raw_frame() -> pd.DataFrame:
    return coerce_raw_frame(pd.DataFrame({c: [] for c in RAW_COLUMNS}))


def _raw_dtype(sql_type: str) -> str:
    return {"integer": "Int64", "double": "float64"}.get(sql_type, "object")


def is_raw_frame(frame: pd.DataFrame) -> bool:
    """True when the frame has exactly the raw columns, in order, in the raw schema's dtypes
    (what coerce_raw_frame returns)."""
    return list(frame.columns) == RAW_COLUMNS and all(
        frame[column].dtype == _raw_dtype(sql_type) for column, sql_type in RAW_SCHEMA.items())


def coerce_raw_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast to the raw schema's dtypes (nullable integers, float values, strings); a copy.
    Columns already of their dtype (every parser's output) are not cast again."""
    out = frame[RAW_COLUMNS].copy()
    for column, sql_type in RAW_SCHEMA.items():
        dtype = _raw_dtype(sql_type)
        if out[column].dtype != dtype:
            out[column] = out[column].astype(dtype)
    return out
