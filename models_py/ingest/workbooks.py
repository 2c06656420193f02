"""Reading worksheets as lists of cell values (openpyxl for .xlsx, xlrd for .xls)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from models_py.ingest.errors import RawFileError


def _open_xlsx(path: Path, name: str):
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise RawFileError(name, "an .xlsx workbook (a zip archive)", "a file that is not one")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken archives
        raise RawFileError(name, "a readable .xlsx workbook", type(exc).__name__) from None


def iter_sheets(path: Path, name: str) -> Iterator[tuple[str, list[list[object]]]]:
    """(sheet name, rows of cell values) for every sheet of a workbook."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise RawFileError(name, "a workbook", "an empty file")
    if suffix == ".xlsx":
        book = _open_xlsx(path, name)
        try:
            for sheet in book.worksheets:
                yield sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)]
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


def read_first_sheet_rows(path: Path, name: str) -> tuple[str, list[list[object]]]:
    for sheet_name, rows in iter_sheets(path, name):
        return sheet_name, rows
    raise RawFileError(name, "a workbook with at least one sheet", "no sheet")
