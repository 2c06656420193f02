"""Reading worksheets as lists of cell values (python-calamine for .xlsx, xlrd for .xls).

Rows start at the sheet's cell A1 (``skip_empty_area=False``), so list index + 1 is the row
number a spreadsheet shows; empty cells are None and whole numbers ints, as openpyxl gives them.
calamine (Rust) reads the demo's energy balance workbooks about 30 times faster than openpyxl's
read-only mode.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import unescape

from models_py.ingest.errors import RawFileError


def _open_xlsx(path: Path, name: str):
    from python_calamine import CalamineWorkbook

    if not zipfile.is_zipfile(path):
        raise RawFileError(name, "an .xlsx workbook (a zip archive)", "a file that is not one")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise RawFileError(name, "a readable .xlsx workbook", type(exc).__name__) from None


def _xlsx_rows(book, sheet: str, name: str) -> list[list[object]]:
    try:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise RawFileError(name, "a readable worksheet", type(exc).__name__,
                           sheet=sheet) from None
    # The value openpyxl would give: None for an empty cell, an int for a whole number (xlsx
    # stores every number as a double; a header year 2004 must print as '2004', not '2004.0').
    # Written inline, not as a function per cell: this runs for every cell of every workbook.
    # Floats (most cells) are tested first: comparing a float with "" is slow.
    return [[(int(cell) if cell.is_integer() else cell) if type(cell) is float else
             None if cell == "" else cell
             for cell in row] for row in rows]


_SHEET_ENTRY = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ENTRY_ID_FIRST = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_RELATIONSHIP_TARGET_FIRST = re.compile(
    rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>")  # '<v/>' or '<v></v>': no cached value
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def formula_cells_without_value(path: Path) -> dict[str, str]:
    """``{sheet: first cell}`` of the sheets of an .xlsx holding a formula without a cached
    value (a workbook written by a program that does not calculate, e.g. openpyxl: readers see
    an empty cell where the figure should be)."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return found
        book, rels = archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels")
        targets = dict(_RELATIONSHIP.findall(rels))
        targets.update((i, t) for t, i in _RELATIONSHIP_TARGET_FIRST.findall(rels))
        sheets = dict(_SHEET_ENTRY.findall(book))
        sheets.update((n, i) for i, n in _SHEET_ENTRY_ID_FIRST.findall(book))
        for sheet, rel in sheets.items():
            target = targets.get(rel, b"").decode()
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member not in names:
                continue
            xml = archive.read(member)
            if b"<f" not in xml:
                continue
            for attributes, inner in _CELL.findall(xml):
                if inner and b"<f" in inner and not _VALUE.search(inner) and b"<is>" not in inner:
                    ref = _REF.search(attributes)
                    found[unescape(sheet.decode())] = ref.group(1).decode() if ref else "?"
                    break
    return found


def iter_sheets(path: Path, name: str) -> Iterator[tuple[str, list[list[object]]]]:
    """(sheet name, rows of cell values) for every sheet of a workbook.

    A formula cell without a cached value is an error naming the cell (every reader would see
    it as blank); re-save the workbook in a spreadsheet program, which calculates it."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise RawFileError(name, "a workbook", "an empty file")
    if suffix == ".xlsx":
        book = _open_xlsx(path, name)
        for sheet, cell in formula_cells_without_value(path).items():
            book.close()
            letters = cell.rstrip("0123456789")
            raise RawFileError(name, "a value in every formula cell (the workbook was saved "
                               "without calculating; open and re-save it in a spreadsheet "
                               "program)", f"a formula without a cached value in cell {cell}",
                               sheet=sheet, row=int(cell[len(letters):] or 0) or None,
                               column=letters or None)
        try:
            for sheet in book.sheet_names:
                yield sheet, _xlsx_rows(book, sheet, name)
        finally:
            book.close()
    elif suffix == ".xls":
        import xlrd

        try:
            book = xlrd.open_workbook(str(path))
        except Exception as exc:
            raise RawFileError(name, "a readable .xls workbook", type(exc).__name__) from None
        for sheet in book.sheets():
            yield sheet.name, [sheet.row_values(i) for i in range(sheet.nrows)]
    else:
        raise RawFileError(name, "an .xls or .xlsx workbook", suffix)
