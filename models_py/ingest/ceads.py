"""CEADs provincial emission inventories: one workbook per year, one sheet per province (Mt CO2).

Both header styles are read: the older one (up to 2017: blank corner, 'Raw Coal', ...,
'Scope 1 Total', total row 'Total Consumption') and the newer one (from 2018: 'Emission_Inventory',
'Raw_Coal', ..., 'Scope_1_Total', total row 'TotalEmissions'), and any mixture of them within one
workbook: header and total-row names are compared after removing blanks, underscores and case
(:func:`name_key`), against the one list of columns (:data:`CEADS_COLUMNS`) and of total-row
labels (:data:`TOTAL_ROW_LABELS`). Columns are checked by name and order: a missing or moved column
is an error, never a silent shift of fuels. ``indicator`` is the column's name in
:data:`CEADS_COLUMNS` whatever the variant printed (``column_name`` keeps the printed header).
A provincial workbook must hold a sheet for each of the 30 provinces.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from models_py.ingest.cells import normalise_text, parse_number
from models_py.ingest.errors import RawFileError
from models_py.ingest.schema import ParseResult
from models_py.ingest.workbooks import iter_sheets
from models_py.reference import provinces

OLD_STYLE_COLUMNS = (
    "Raw Coal", "Cleaned Coal", "Other Washed Coal", "Briquettes", "Coke", "Coke Oven Gas",
    "Other Gas", "Other Coking Products", "Crude Oil", "Gasoline", "Kerosene", "Diesel Oil",
    "Fuel Oil", "LPG", "Refinery Gas", "Other Petroleum Products", "Natural Gas",
    "Scope 2 Heat", "Scope 2 Electricity", "Other Energy", "Process", "Scope 1 Total",
)
NEW_STYLE_COLUMNS = (
    "Raw_Coal", "CleanedCoal", "Other_Washed_Coal", "Briquettes", "Coke", "Coke_Oven_Gas",
    "Other_Gas", "Other_Coking_Products", "Crude_Oil", "Gasoline", "Kerosene", "Diesel_Oil",
    "Fuel_Oil", "LPG", "Refinery_Gas", "Other_Petroleum_Products", "Natural_Gas",
    "Scope_2_Heat", "Scope_2_Electricity", "Other_Energy", "Process", "Scope_1_Total",
)
# The 22 columns after the sector label, by their canonical names (the older header style).
CEADS_COLUMNS = OLD_STYLE_COLUMNS
# Accepted labels of the total row (compared by name_key: 'Total Emissions' = 'TotalEmissions').
TOTAL_ROW_LABELS = ("Total Consumption", "TotalEmissions", "Total")
UNIT = "Mt CO2"
N_SECTORS = 47
_SHEET = re.compile(r"^(?P<province>[A-Za-z ]*?)\s*(?P<year>(?:19|20)\d{2})$")
NATIONAL_ENTITY = "China"  # sheets named by the year alone: the national inventory workbook
SUMMARY_SHEETS = ("sum", "sum-sec-scope 1")  # formula summaries of the national workbook
_FILE_YEAR = re.compile(r"((?:19|20)\d{2})")
_NUMBER_TYPES = {float, int}  # exact types: bool, a subclass of int, is an error
# the raw columns a CEADs workbook fills (origin is set by the caller)
_CELL_COLUMNS = ("source", "edition", "file", "sheet", "row_number", "column_name", "entity",
                 "item", "indicator", "unit", "year", "value", "value_text")


def name_key(text: object) -> str:
    """A header or label compared without blanks, underscores and case ('Cleaned Coal',
    'CleanedCoal' and 'cleaned_coal' are one name)."""
    return re.sub(r"[\s_]", "", normalise_text(text)).lower()


_TOTAL_KEYS = {name_key(label) for label in TOTAL_ROW_LABELS}
_COLUMN_KEYS = tuple(name_key(c) for c in CEADS_COLUMNS)


def _header_columns(header: list[object], file: str, sheet: str) -> tuple[str, ...]:
    """The printed headers of the 22 columns after the sector label, checked against
    CEADS_COLUMNS by name_key and order; the first column that differs is named."""
    cells = tuple(normalise_text(c) for c in header[1:23])
    cells += ("",) * (22 - len(cells))
    for i, (got, want) in enumerate(zip(cells, CEADS_COLUMNS, strict=True)):
        if name_key(got) != _COLUMN_KEYS[i]:
            raise RawFileError(file, f"column '{want}' (CEADs layout, 22 columns after the "
                               "sector label; blanks, underscores and case aside)",
                               got or "nothing", sheet=sheet, row=1, column=f"column {i + 2}")
    return cells


def parse_ceads_workbook(path: Path, *, name: str, edition: str = "") -> ParseResult:
    """Tidy cells of one CEADs provincial workbook (every province sheet; NOTE is skipped)."""
    columns: dict[str, list] = {c: [] for c in _CELL_COLUMNS}
    notes: list[str] = []
    file_year = _FILE_YEAR.search(path.name)
    sheets_seen = 0
    provinces_seen: dict[str, str] = {}  # name_key(province) -> sheet
    for sheet, rows in iter_sheets(path, name):
        if sheet.strip().upper() == "NOTE":
            continue
        if sheet.strip().lower() in SUMMARY_SHEETS:
            notes.append(f"{name}: summary sheet '{sheet}' skipped (formulas over the year sheets)")
            continue
        match = _SHEET.match(sheet.strip())
        if not match:
            raise RawFileError(name, "province sheets named '<Province><year>' such as "
                               "'InnerMongolia2015'", sheet, sheet=sheet)
        province, year = match.group("province").strip(), int(match.group("year"))
        national = province == ""
        province = province or NATIONAL_ENTITY
        if not national:
            if name_key(province) in provinces_seen:
                raise RawFileError(name, "one sheet per province", f"'{sheet}' and "
                                   f"'{provinces_seen[name_key(province)]}'", sheet=sheet)
            provinces_seen[name_key(province)] = sheet
        if file_year and not national and int(file_year.group(1)) != year:
            raise RawFileError(name, f"sheets of year {file_year.group(1)} as in the file name",
                               sheet, sheet=sheet)
        if len(rows) < 4 + N_SECTORS:
            raise RawFileError(name, f"a header, a unit row, a total row and {N_SECTORS} sectors",
                               f"{len(rows)} rows", sheet=sheet)
        printed = _header_columns(rows[0], name, sheet)
        for col, unit in enumerate(rows[1][1:23], start=2):
            if normalise_text(unit) != UNIT:
                raise RawFileError(name, f"unit '{UNIT}'", unit, sheet=sheet, row=2,
                                   column=printed[col - 2])
        data_rows = [(i, r) for i, r in enumerate(rows[3:], start=4)
                     if any(normalise_text(c) for c in r)]
        if not data_rows or name_key(data_rows[0][1][0]) not in _TOTAL_KEYS:
            raise RawFileError(name, f"the total row ({' / '.join(TOTAL_ROW_LABELS[:2])})",
                               data_rows[0][1][0] if data_rows else None, sheet=sheet, row=4,
                               column="A")
        sectors = data_rows[1:]
        if len(sectors) != N_SECTORS:
            raise RawFileError(name, f"{N_SECTORS} sector rows", f"{len(sectors)}", sheet=sheet)
        n_cells = 22 * len(data_rows)
        for key, constant in (("source", "ceads"), ("edition", edition), ("file", name),
                              ("sheet", sheet), ("entity", province), ("unit", UNIT),
                              ("year", year)):
            columns[key].extend([constant] * n_cells)
        values, texts = columns["value"], columns["value_text"]
        for row_number, row in data_rows:
            label = normalise_text(row[0])
            item = "Total" if row_number == data_rows[0][0] else label
            columns["row_number"].extend([row_number] * 22)
            columns["item"].extend([item] * 22)
            columns["column_name"].extend(printed)
            columns["indicator"].extend(CEADS_COLUMNS)
            printed_values = row[1:23]
            if (len(printed_values) == 22 and set(map(type, printed_values)) <= _NUMBER_TYPES
                    and all(map(math.isfinite, printed_values))):
                values.extend(map(float, printed_values))  # a row of numbers: what
                texts.extend([None] * 22)  # parse_number gives each, without a call per cell
                continue
            for col in range(1, 23):
                raw = row[col] if col < len(row) else None
                kind = type(raw)
                if kind in _NUMBER_TYPES and math.isfinite(raw):
                    values.append(float(raw))  # what parse_number gives a number, faster
                    texts.append(None)
                    continue
                value, text = parse_number(raw, file=name, row=row_number,
                                           column=printed[col - 1], sheet=sheet)
                values.append(value)
                texts.append(text)
        sheets_seen += 1
    if sheets_seen == 0:
        raise RawFileError(name, "at least one province sheet", "none")
    if provinces_seen:
        expected = provinces()["ceads_sheet_name"]
        missing = [p for p in expected if name_key(p) not in provinces_seen]
        if missing:
            year_text = file_year.group(1) if file_year else ""
            raise RawFileError(name, "a sheet for each of the 30 provinces",
                               "no sheet for " + ", ".join(f"{p} ('{p}{year_text}')"
                                                           for p in missing))
    return ParseResult.from_columns(columns, notes)
