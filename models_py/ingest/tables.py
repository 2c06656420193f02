"""Row-level rules shared by every table parser: footnotes, unique row labels, one tidy record.

A yearbook table ends with footnote lines (``注：...``, ``数据来源：...``); they are skipped and
noted, and a data row after them means the table is not what it seems (two tables pasted together, a
footnote inside the data), so it is an error. Row labels (regions, indicators, industries, flows)
must be unique within a table. Every published cell becomes one record of the raw schema.

Titled worksheet tables (yearbook layouts) are read by :func:`read_titled_table`: a title, an
optional ``单位：<unit>`` line, a header row, an optional unit row, data rows, footnotes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from models_py.ingest.cells import is_footnote, normalise_text, parse_number, parse_year, split_unit
from models_py.ingest.errors import RawFileError

Row = list[object]
# first header cells of yearbook tables (spaces removed, compared by prefix)
HEADER_LABELS = ("地区", "省份", "行业", "分行业", "项目", "指标", "年份", "年度")
UNIT_ROW_LABELS = ("", "单位", "计量单位", "Unit")
_NUMBER_TYPES = {float, int}  # exact types: bool, a subclass of int, is not a number here
_HEADER_EXPECTED = f"a header row starting with one of {', '.join(HEADER_LABELS)}"


def is_blank_row(row: Row) -> bool:
    return all(normalise_text(c) == "" for c in row)


class Footnotes:
    """Skips and notes footnote rows; a data row after a footnote raises RawFileError."""

    def __init__(self, file: str, sheet: str | None, notes: list[str]) -> None:
        self.file, self.sheet, self.notes = file, sheet, notes
        self.first_row: int | None = None

    def skip(self, label: object, row_number: int) -> bool:
        """True when the row is a footnote (noted); raises when data follows a footnote."""
        text = normalise_text(label)
        if is_footnote(text):
            self.first_row = self.first_row or row_number
            where = f" sheet '{self.sheet}'" if self.sheet is not None else ""
            self.notes.append(f"{self.file}:{where} row {row_number} skipped (footnote): "
                              f"{text[:60]}")
            return True
        if self.first_row is not None:
            raise RawFileError(self.file, f"no data after the footnote in row {self.first_row}",
                               text, sheet=self.sheet, row=row_number, column="A")
        return False


class UniqueLabels:
    """Raises RawFileError when a row label (region, indicator, flow) is printed twice."""

    def __init__(self, file: str, sheet: str | None, what: str) -> None:
        self.file, self.sheet, self.what = file, sheet, what
        self.seen: dict[str, int] = {}

    def add(self, label: str, row_number: int) -> None:
        if label in self.seen:
            raise RawFileError(self.file, f"each {self.what} once",
                               f"'{label}' again (first in row {self.seen[label]})",
                               sheet=self.sheet, row=row_number, column="A")
        self.seen[label] = row_number


def cell_record(
    raw: object, *, source: str, edition: str, file: str, sheet: str | None, row_number: int,
    column_name: str, entity: str, item: str, indicator: str, unit: str, year: int,
) -> dict:
    """One row of the raw table for one published cell (value parsed by cells.parse_number)."""
    value, text = parse_number(raw, file=file, row=row_number, column=column_name, sheet=sheet)
    return {"source": source, "edition": edition, "file": file, "sheet": sheet,
            "row_number": row_number, "column_name": column_name, "entity": entity,
            "item": item, "indicator": indicator, "unit": unit, "year": year, "value": value,
            "value_text": text}


class CellColumns:
    """The records of a parse kept column by column (what :meth:`ParseResult.from_columns`
    takes): one record per (data row, value column), as :func:`cell_record` would give, without
    a dict per cell."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {c: [] for c in (
            "source", "edition", "file", "sheet", "row_number", "column_name", "entity", "item",
            "indicator", "unit", "year", "value", "value_text")}
        # the last columns described (add_row), kept so that their id is not reused
        self._described: tuple[int, int | None] | None = None
        self._columns: list[Column] | None = None

    def add_row(self, row: Row, columns: list[Column], *, source: str, edition: str, file: str,
                sheet: str | None, row_number: int, entity: str, item: str,
                year: int | None) -> None:
        """One record per column of one data row; a column's own year (years across) wins over
        ``year``. Cells are read by cells.parse_number (numbers inline: the same result)."""
        n = len(columns)
        out = self.columns
        for key, constant in (("source", source), ("edition", edition), ("file", file),
                              ("sheet", sheet), ("row_number", row_number), ("entity", entity),
                              ("item", item)):
            out[key].extend([constant] * n)
        if self._described != (id(columns), year):  # the rows of a table share their columns
            self._names = [c.name for c in columns]
            self._indicators = [c.indicator for c in columns]
            self._units = [c.unit for c in columns]
            self._years = [c.year if c.year is not None else year for c in columns]
            self._described, self._columns = (id(columns), year), columns
        out["column_name"].extend(self._names)
        out["indicator"].extend(self._indicators)
        out["unit"].extend(self._units)
        out["year"].extend(self._years)
        values, texts, width = out["value"], out["value_text"], len(row)
        raws = [row[c.index] if c.index < width else None for c in columns]
        if set(map(type, raws)) <= _NUMBER_TYPES and all(map(math.isfinite, raws)):
            values.extend(map(float, raws))  # a row of numbers: what parse_number gives each,
            texts.extend([None] * n)  # without a call per cell
            return
        for column, raw in zip(columns, raws, strict=True):
            kind = type(raw)
            if kind in _NUMBER_TYPES and math.isfinite(raw):
                values.append(float(raw))
                texts.append(None)
                continue
            value, text = parse_number(raw, file=file, row=row_number, column=column.name,
                                       sheet=sheet)
            values.append(value)
            texts.append(text)

    def __len__(self) -> int:
        return len(self.columns["source"])


@dataclass(frozen=True)
class Column:
    """A value column of a table: its index, header as printed, and what its cells hold."""

    index: int
    name: str
    indicator: str
    unit: str
    year: int | None = None


@dataclass
class TitledTable:
    """A worksheet table: title, ``单位`` line, header, optional unit row, data rows."""

    file: str
    sheet: str
    title: str
    unit: str
    header_row: int
    header: Row
    unit_row: Row | None
    rows: list[tuple[int, Row]] = field(default_factory=list)  # (row number, cells)

    def cell(self, row: Row, index: int) -> object:
        return row[index] if index < len(row) else None

    def label(self, row: Row) -> str:
        return normalise_text(row[0]) if row else ""

    def indicator_columns(self) -> list[Column]:
        """Header cells as indicators; unit from the header's parentheses, else the unit row,
        else the ``单位：`` line; a column without any unit is an error. The columns of a header
        read before are remembered (a balance workbook repeats one header on 30 sheets)."""
        key = (_typed(self.header), None if self.unit_row is None else _typed(self.unit_row),
               self.unit)
        known = _INDICATOR_COLUMNS.get(key)
        if known is not None:
            return list(known)
        columns = self._indicator_columns()
        if len(_INDICATOR_COLUMNS) < 4096:
            _INDICATOR_COLUMNS[key] = tuple(columns)
        return columns

    def _indicator_columns(self) -> list[Column]:
        columns = []
        for index, cell in enumerate(self.header[1:], start=1):
            name = normalise_text(cell)
            if not name:
                continue
            if parse_year(cell) is not None or _is_number(cell):
                raise RawFileError(self.file, "indicator names across the header", name,
                                   sheet=self.sheet, row=self.header_row, column=name)
            if name in {c.name for c in columns}:
                raise RawFileError(self.file, "each indicator once in the header", name,
                                   sheet=self.sheet, row=self.header_row, column=name)
            indicator, own_unit = split_unit(name)
            row_unit = normalise_text(self.cell(self.unit_row, index)) if self.unit_row else ""
            unit = own_unit or row_unit or self.unit
            if not unit:
                raise RawFileError(self.file, "a unit (a '单位：' line, a unit row or the header's "
                                   "parentheses)", None, sheet=self.sheet, row=self.header_row,
                                   column=name)
            columns.append(Column(index, name, indicator, unit))
        if not columns:
            raise RawFileError(self.file, "indicator columns after the first header cell", None,
                               sheet=self.sheet, row=self.header_row)
        return columns

    def year_columns(self, indicator: str, unit: str) -> list[Column]:
        """Header cells as years (``2019``, ``2019年``), each once."""
        columns: list[Column] = []
        for index, cell in enumerate(self.header[1:], start=1):
            name = normalise_text(cell)
            if not name:
                continue
            year = parse_year(cell)
            if year is None:
                raise RawFileError(self.file, "a year such as '2019' or '2019年'", name,
                                   sheet=self.sheet, row=self.header_row,
                                   column=f"column {index + 1}")
            if year in {c.year for c in columns}:
                raise RawFileError(self.file, "distinct years across the header",
                                   f"{year} twice", sheet=self.sheet, row=self.header_row,
                                   column=name)
            columns.append(Column(index, name, indicator, unit, year))
        if not columns:
            raise RawFileError(self.file, "year columns after the first header cell", None,
                               sheet=self.sheet, row=self.header_row)
        return columns

    def check_no_orphan_cells(self, columns: list[Column]) -> None:
        """A value under a blank header cell means a header is missing: an error."""
        used = {c.index for c in columns} | {0}
        for row_number, row in self.rows:
            for index, cell in enumerate(row):
                if index not in used and normalise_text(cell) != "":
                    raise RawFileError(self.file, "a header above every value", str(cell),
                                       sheet=self.sheet, row=row_number,
                                       column=f"column {index + 1}")


# indicator columns by header, unit row and unit line (TitledTable.indicator_columns); only
# headers that were read without error are kept, so errors still name their sheet and row
_INDICATOR_COLUMNS: dict[tuple, tuple[Column, ...]] = {}


def _typed(row: Row) -> tuple:
    """A row as a dict key that tells 1, 1.0 and True apart (they print differently)."""
    return tuple((type(c), c) for c in row)


def _is_number(cell: object) -> bool:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return True
    try:
        float(normalise_text(cell).replace(",", ""))
    except ValueError:
        return False
    return True


def _is_header(first: str, row: Row) -> bool:
    """A row of at least two cells starting with a known label or with a blank corner."""
    key = first.replace(" ", "")
    if sum(normalise_text(c) != "" for c in row[1:]) < 1:
        return False  # a title or a lone label
    return key == "" or key.startswith(HEADER_LABELS)


def _is_unit_row(row: Row) -> bool:
    first = normalise_text(row[0]) if row else ""
    rest = [c for c in row[1:] if normalise_text(c) != ""]
    return (first.rstrip(":/") in UNIT_ROW_LABELS or first.startswith("Unit")) and bool(rest) \
        and not any(_is_number(c) for c in rest)


def read_titled_table(rows: list[Row], *, file: str, sheet: str, notes: list[str]) -> TitledTable:
    """Split a worksheet into title, ``单位`` line, header, unit row and data rows.

    The header is the first row of two or more cells whose first cell is a known label
    (``地区``, ``行业``, ``项目``, ``年份``, ...) or blank. Footnote rows
    are skipped and noted; blank rows are skipped; a data row without a label is an error.
    """
    title, unit = "", ""
    for number, row in enumerate(rows, start=1):
        first = normalise_text(row[0]) if row else ""
        if first.startswith("单位"):
            unit = first.split(":", 1)[1].strip() if ":" in first else ""
            continue
        if _is_header(first, row):
            break
        if first and sum(normalise_text(c) != "" for c in row) > 1:
            raise RawFileError(file, _HEADER_EXPECTED, first, sheet=sheet, row=number,
                               column="A")
        if first and not title:
            title = first
    else:
        raise RawFileError(file, _HEADER_EXPECTED, "none", sheet=sheet)
    header_row, header = number, list(row)
    body_start = header_row
    unit_row = None
    if header_row < len(rows) and _is_unit_row(rows[header_row]):
        unit_row, body_start = list(rows[header_row]), header_row + 1
    table = TitledTable(file, sheet, title, unit, header_row, header, unit_row)
    footnotes = Footnotes(file, sheet, notes)
    for number, row in enumerate(rows[body_start:], start=body_start + 1):
        if is_blank_row(row):
            continue
        label = normalise_text(row[0]) if row else ""
        if footnotes.skip(label, number):
            continue
        if label == "":
            raise RawFileError(file, "a row label in the first column", None, sheet=sheet,
                               row=number, column="A")
        table.rows.append((number, list(row)))
    return table
