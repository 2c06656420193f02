"""Yearbook tables printed as titled worksheets (science-and-technology and OFDI yearbooks).

A titled table has a title row, a ``单位：<unit>`` line, a header row whose first cell is ``地区``,
one row per region and footnote rows at the end. Two orientations occur:

- indicators across (S&T yearbook: one sheet per year named ``2015``; a header may carry its own
  unit in parentheses, e.g. ``专利申请数(件)``, which overrides the ``单位`` line);
- years across (OFDI bulletin: sheets ``流量`` and ``存量``, the indicator in the title).
"""

from __future__ import annotations

from pathlib import Path

from models_py.ingest.cells import is_footnote, normalise_text, parse_number, parse_year, split_unit
from models_py.ingest.errors import RawFileError
from models_py.ingest.schema import ParseResult
from models_py.ingest.workbooks import iter_sheets

HEADER_FIRST_CELLS = ("地区", "省份", "地 区")


def _table_parts(rows: list[list[object]], file: str, sheet: str, notes: list[str]):
    """(title, unit, header row number, header, data rows with their numbers); footnote rows
    are skipped and recorded in ``notes``."""
    title, unit = "", ""
    for number, row in enumerate(rows, start=1):
        first = normalise_text(row[0]) if row else ""
        if first.startswith("单位"):
            unit = first.split(":", 1)[1].strip() if ":" in first else ""
            continue
        if first in HEADER_FIRST_CELLS:
            data = []
            footnote_row = None
            for n, r in enumerate(rows[number:], start=number + 1):
                label = normalise_text(r[0]) if r else ""
                if label == "" and all(normalise_text(c) == "" for c in r):
                    continue
                if is_footnote(label):
                    footnote_row = footnote_row or n
                    notes.append(f"{file}: sheet '{sheet}' row {n} skipped (footnote): "
                                 f"{label[:60]}")
                    continue
                if footnote_row is not None:
                    raise RawFileError(file, f"no data after the footnote in row {footnote_row}",
                                       label, sheet=sheet, row=n, column="A")
                data.append((n, r))
            return title, unit, number, row, data
        if first and not title:
            title = first
    raise RawFileError(file, "a header row starting with '地区'", "none", sheet=sheet)


def _record(source, edition, file, sheet, row_number, column_name, entity, indicator, unit, year,
            cell):
    value, text = parse_number(cell, file=file, row=row_number, column=column_name, sheet=sheet)
    return {"source": source, "edition": edition, "file": file, "sheet": sheet,
            "row_number": row_number, "column_name": column_name, "entity": entity, "item": "",
            "indicator": indicator, "unit": unit, "year": year, "value": value,
            "value_text": text}


def _check_unique(label: str, seen: dict[str, int], file: str, sheet: str, row: int) -> None:
    if label in seen:
        raise RawFileError(file, "each region once", f"'{label}' again (first in row "
                           f"{seen[label]})", sheet=sheet, row=row, column="A")
    seen[label] = row


def parse_indicators_across(path: Path, *, name: str, source: str, edition: str) -> ParseResult:
    """Sheets named by year, regions down, indicators across (S&T yearbook layout)."""
    records, notes = [], []
    for sheet, rows in iter_sheets(path, name):
        year = parse_year(sheet)
        if year is None:
            notes.append(f"{name}: sheet '{sheet}' skipped (not a year)")
            continue
        _, unit, header_row, header, data = _table_parts(rows, name, sheet, notes)
        columns = []
        for col, cell in enumerate(header[1:], start=1):
            label = normalise_text(cell)
            if label:
                indicator, own_unit = split_unit(label)
                columns.append((col, label, indicator, own_unit or unit))
        seen: dict[str, int] = {}
        for row_number, row in data:
            entity = normalise_text(row[0])
            _check_unique(entity, seen, name, sheet, row_number)
            for col, label, indicator, col_unit in columns:
                if not col_unit:
                    raise RawFileError(name, "a unit ('单位：' line or in the header)", None,
                                       sheet=sheet, row=header_row, column=label)
                records.append(_record(source, edition, name, sheet, row_number, label, entity,
                                       indicator, col_unit, year,
                                       row[col] if col < len(row) else None))
    return ParseResult.from_records(records, notes)


def parse_years_across(path: Path, *, name: str, source: str, edition: str) -> ParseResult:
    """One indicator per sheet (named in the title), regions down, years across (OFDI layout)."""
    records: list[dict] = []
    notes: list[str] = []
    for sheet, rows in iter_sheets(path, name):
        title, unit, header_row, header, data = _table_parts(rows, name, sheet, notes)
        indicator = title.removeprefix("各省区市").removeprefix("各地区").strip()
        if not indicator:
            raise RawFileError(name, "a title row naming the indicator", None, sheet=sheet, row=1)
        years: dict[int, int] = {}
        for col, cell in enumerate(header[1:], start=1):
            if normalise_text(cell) == "":
                continue
            year = parse_year(cell)
            if year is None or year in years.values():
                raise RawFileError(name, "distinct years across the header", cell, sheet=sheet,
                                   row=header_row, column=f"column {col + 1}")
            years[col] = year
        seen: dict[str, int] = {}
        for row_number, row in data:
            entity = normalise_text(row[0])
            _check_unique(entity, seen, name, sheet, row_number)
            for col, year in years.items():
                records.append(_record(source, edition, name, sheet, row_number,
                                       normalise_text(header[col]), entity, indicator, unit,
                                       year, row[col] if col < len(row) else None))
    return ParseResult.from_records(records, notes)
