"""Yearbook tables printed as titled worksheets (docs/raw-layer.md, demo layouts).

Every table here is read by :func:`models_py.ingest.tables.read_titled_table` (title, optional
``单位：`` line, header, optional unit row, data rows, footnotes) and differs only in what its rows,
columns and sheets mean:

- S&T yearbook (``science_tech``): sheets named by year, regions down, indicators across; a header
  with its own unit in parentheses (``专利申请数(件)``) overrides the ``单位：`` line.
- OFDI bulletin (``ofdi``) and the industry PPI (``industry_ppi.xlsx``): one indicator per sheet,
  named in the title, regions or industries down, years across.
- Energy balance sheets (``energy_balance_<year>.xlsx``): one sheet per province, flows down
  (sub-flows indented by two full-width spaces per level, parsed as ``parent/child`` paths in
  ``item``), fuels across, a unit row under the fuel headers.
- Industrial energy use (``industry_energy_<year>.xlsx``, sheet ``分行业``): industries down, fuels
  across, unit row.
- Energy prices (``energy_prices.xlsx``): years down, fuels across, unit row; national figures
  (entity ``全国``).
- Industry main indicators (``industry_main_indicators_<year>.xlsx``): one sheet per ownership
  class (``item``), industries down, indicators with units in parentheses across.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from models_py.ingest.cells import normalise_text, parse_year, split_unit
from models_py.ingest.errors import RawFileError
from models_py.ingest.schema import ParseResult
from models_py.ingest.tables import (
    CellColumns,
    Column,
    TitledTable,
    UniqueLabels,
    read_titled_table,
)
from models_py.ingest.workbooks import iter_sheets

NATIONAL = "全国"  # entity of national tables (energy prices)
SKIPPED_SHEETS = ("NOTE", "说明", "注")
TITLE_PREFIXES = ("各省区市", "各省、自治区、直辖市", "各地区", "分地区", "分行业", "按行业分")
OFDI_SHEETS = {"流量": "对外直接投资流量", "存量": "对外直接投资存量"}
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_INDENT = {"\u3000": 2, " ": 1, "\u00a0": 1, "\t": 4}  # display width of leading blanks


def _tables(path: Path, name: str, notes: list[str]) -> Iterator[TitledTable]:
    """The titled table of every sheet of a workbook (note sheets skipped)."""
    for sheet, rows in iter_sheets(path, name):
        if sheet.strip() in SKIPPED_SHEETS:
            notes.append(f"{name}: sheet '{sheet}' skipped (notes)")
            continue
        yield read_titled_table(rows, file=name, sheet=sheet, notes=notes)


def _year_of_table(table: TitledTable, path: Path) -> int:
    """The year a one-year table refers to: from the file name (``..._2019.xlsx``) and/or the
    title; when both give one they must agree."""
    from_name = _YEAR_IN_TEXT.findall(path.stem)
    from_title = _YEAR_IN_TEXT.findall(table.title)
    if from_name and from_title and from_name[-1] != from_title[-1]:
        raise RawFileError(table.file, f"a title of year {from_name[-1]} as in the file name",
                           table.title, sheet=table.sheet, row=1, column="A")
    found = from_name or from_title
    if not found:
        raise RawFileError(table.file, "a year in the file name or the title", table.title,
                           sheet=table.sheet, row=1, column="A")
    return int(found[-1])


def _title_indicator(table: TitledTable) -> tuple[str, str]:
    """Indicator and unit named by a title such as '各省区市对外直接投资流量' or
    '分行业工业生产者出厂价格指数(上年=100)'; the unit falls back on the ``单位：`` line."""
    indicator, unit = split_unit(table.title)
    indicator = re.sub(r"^(?:19|20)\d{2}\s*年?", "", indicator).strip()
    for prefix in TITLE_PREFIXES:
        indicator = indicator.removeprefix(prefix).strip()
    if not indicator:
        indicator = OFDI_SHEETS.get(table.sheet.strip(), "")
    if not indicator:
        raise RawFileError(table.file, "a title row naming the indicator", None,
                           sheet=table.sheet, row=1, column="A")
    return indicator, unit or table.unit


def _records(
    cells: CellColumns, table: TitledTable, columns: list[Column], *, source: str,
    edition: str, what: str, entity: str | None = None, item: str = "", year: int | None = None,
) -> None:
    """One record per (data row, column), added to ``cells``. Rows are labelled by ``what``
    (region, industry, year): the label is the entity unless ``entity`` is given, the year unless
    ``year`` is given."""
    table.check_no_orphan_cells(columns)
    labels = UniqueLabels(table.file, table.sheet, what)
    for row_number, row in table.rows:
        label = table.label(row)
        labels.add(label, row_number)
        row_year = year
        if what == "year":
            row_year = parse_year(row[0])
            if row_year is None:
                raise RawFileError(table.file, "a year such as '2019' in the first column",
                                   label, sheet=table.sheet, row=row_number, column="A")
        cells.add_row(row, columns, source=source, edition=edition, file=table.file,
                      sheet=table.sheet, row_number=row_number,
                      entity=entity if entity is not None else label, item=item, year=row_year)


def parse_indicators_across(path: Path, *, name: str, source: str, edition: str) -> ParseResult:
    """Sheets named by year, regions down, indicators across (S&T yearbook layout)."""
    cells = CellColumns()
    notes: list[str] = []
    for sheet, rows in iter_sheets(path, name):
        year = parse_year(sheet)
        if year is None:
            notes.append(f"{name}: sheet '{sheet}' skipped (not a year)")
            continue
        table = read_titled_table(rows, file=name, sheet=sheet, notes=notes)
        _records(cells, table, table.indicator_columns(), source=source, edition=edition,
                 what="region", year=year)
    if not len(cells):
        raise RawFileError(name, "sheets named by year (e.g. '2015') holding a table", "none")
    return ParseResult.from_columns(cells.columns, notes)


def parse_years_across(path: Path, *, name: str, source: str, edition: str) -> ParseResult:
    """One indicator per sheet (named in the title), regions or industries down, years across
    (OFDI bulletin, industry PPI)."""
    cells = CellColumns()
    notes: list[str] = []
    for table in _tables(path, name, notes):
        what = "industry" if source == "industry" or "行业" in table.title else "region"
        indicator, unit = _title_indicator(table)
        if not unit:
            raise RawFileError(name, "a unit (in the title or a '单位：' line)", None,
                               sheet=table.sheet, row=1, column="A")
        _records(cells, table, table.year_columns(indicator, unit), source=source,
                 edition=edition, what=what)
    return ParseResult.from_columns(cells.columns, notes)


def indent_width(label: object) -> int:
    """Display width of a label's leading blanks: a full-width space counts 2, a space 1."""
    width = 0
    for char in str(label or ""):
        if char not in _INDENT:
            break
        width += _INDENT[char]
    return width


def flow_paths(table: TitledTable) -> list[str]:
    """``parent/child`` paths of the indented flow labels of an energy balance, row by row.

    A row indented deeper than the row above is its child; a row at the same or a shallower
    indentation closes the deeper levels. An indented first row has no parent: an error.
    """
    stack: list[tuple[int, str]] = []
    paths = []
    for row_number, row in table.rows:
        width, label = indent_width(row[0]), table.label(row)
        while stack and stack[-1][0] >= width:
            stack.pop()
        if width > 0 and not stack:
            raise RawFileError(table.file, "an unindented flow before its indented sub-flows",
                               str(row[0]), sheet=table.sheet, row=row_number, column="A")
        stack.append((width, label))
        paths.append("/".join(part for _, part in stack))
    return paths


def parse_energy_balance(path: Path, *, name: str, source: str = "energy",
                         edition: str = "") -> ParseResult:
    """Provincial energy balance sheets (实物量): ``entity`` = sheet (province), ``item`` = the
    flow path, ``indicator`` = fuel, ``unit`` = the unit row (万吨, 亿立方米, 万百万千焦, ...)."""
    cells = CellColumns()
    notes: list[str] = []
    for table in _tables(path, name, notes):
        if table.unit_row is None:
            raise RawFileError(name, "a unit row under the fuel headers", None,
                               sheet=table.sheet, row=table.header_row + 1, column="A")
        year = _year_of_table(table, path)
        columns = table.indicator_columns()
        labels = UniqueLabels(name, table.sheet, "flow")
        table.check_no_orphan_cells(columns)
        entity = table.sheet.strip()
        for (row_number, row), item in zip(table.rows, flow_paths(table), strict=True):
            labels.add(item, row_number)
            cells.add_row(row, columns, source=source, edition=edition, file=name,
                          sheet=table.sheet, row_number=row_number, entity=entity, item=item,
                          year=year)
    return ParseResult.from_columns(cells.columns, notes)


def parse_industry_energy(path: Path, *, name: str, source: str = "energy",
                          edition: str = "") -> ParseResult:
    """National energy use by two-digit industry (sheet ``分行业``): ``entity`` = industry as
    printed, ``indicator`` = fuel, ``unit`` = the unit row; the year from file name or title."""
    cells = CellColumns()
    notes: list[str] = []
    for table in _tables(path, name, notes):
        _records(cells, table, table.indicator_columns(), source=source, edition=edition,
                 what="industry", year=_year_of_table(table, path))
    return ParseResult.from_columns(cells.columns, notes)


def parse_energy_prices(path: Path, *, name: str, source: str = "energy",
                        edition: str = "") -> ParseResult:
    """National fuel prices: years down, fuels across, unit row (元/吨, 元/立方米, 元/千瓦时);
    ``entity`` = ``全国``."""
    cells = CellColumns()
    notes: list[str] = []
    for table in _tables(path, name, notes):
        _records(cells, table, table.indicator_columns(), source=source, edition=edition,
                 what="year", entity=NATIONAL)
    return ParseResult.from_columns(cells.columns, notes)


def parse_industry_indicators(path: Path, *, name: str, source: str = "industry",
                              edition: str = "") -> ParseResult:
    """Main indicators of industrial enterprises by two-digit industry, one sheet per ownership
    class: ``entity`` = industry as printed, ``item`` = ownership class (sheet name),
    ``indicator``/``unit`` from headers such as ``工业总产值(亿元)``."""
    cells = CellColumns()
    notes: list[str] = []
    for table in _tables(path, name, notes):
        _records(cells, table, table.indicator_columns(), source=source, edition=edition,
                 what="industry", item=normalise_text(table.sheet),
                 year=_year_of_table(table, path))
    return ParseResult.from_columns(cells.columns, notes)
