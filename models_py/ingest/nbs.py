"""National Bureau of Statistics exports (数据库：分省年度数据), every layout in docs/raw-layer.md.

Layouts: region x year (classic GB18030 CSV with a 指标 line; the newer UTF-8-BOM variant with
``\\t,`` separators and no 指标 line), indicator x year for one region, and the same lines in the
first sheet of an XLS/XLSX export. Years may come in any order; empty year columns (the newest year
of a variant export) are tolerated and noted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from models_py.ingest.cells import normalise_text, parse_year, split_unit
from models_py.ingest.errors import RawFileError
from models_py.ingest.schema import ParseResult
from models_py.ingest.tables import Footnotes, UniqueLabels, cell_record
from models_py.ingest.workbooks import iter_sheets

META_PREFIXES = ("数据库", "指标:", "时间:", "地区:")
REGION_HEADER, INDICATOR_HEADER = "地区", "指标"


# words every NBS export prints; text decoded without any of them is in another encoding
NBS_WORDS = ("数据库", "地区", "指标", "时间", "數據庫", "地區", "指標", "時間")
# encodings recognised only to name them in the message (the parser reads UTF-8 and GB18030)
OTHER_ENCODINGS = (("big5", "Big5 (traditional Chinese)"), ("utf-16", "UTF-16"))


def decode_csv(path: Path, name: str) -> str:
    """Text of an NBS CSV: UTF-8 with BOM, UTF-8, or GB18030 (the classic exports). A file in
    another encoding (Big5, UTF-16) is an error that names the encoding: Big5 bytes often decode
    as GB18030 without error, into nonsense, so a decoding that prints none of the words every
    export prints (数据库, 地区, 指标, 时间) is not trusted."""
    data = path.read_bytes()
    if not data.strip():
        raise RawFileError(name, "an NBS export with a header line", "an empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    text = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is not None and any(word in text for word in NBS_WORDS):
        return text
    for encoding, label in OTHER_ENCODINGS:
        try:
            other = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(word in other for word in NBS_WORDS):
            raise RawFileError(name, "text in UTF-8 or GB18030 (re-save the file in one of "
                               "them)", f"text in {label}")
    if text is None:
        raise RawFileError(name, "text in UTF-8 or GB18030", "undecodable bytes")
    return text


def csv_rows(text: str) -> list[list[str]]:
    """Split lines into fields (quoted fields allowed); the variant layout's ``\\t,`` separators
    become plain fields (the tab is stripped)."""
    return [[field.strip("\t ") for field in fields]
            for fields in csv.reader(io.StringIO(text, newline=""))]


def _read_header(row: Sequence[object], *, file: str, sheet: str | None,
                 row_number: int) -> dict[int, int]:
    """Column index -> year of an NBS header line; blank cells (the variant's trailing field)
    are allowed, a repeated year or a non-year header is an error."""
    years: dict[int, int] = {}
    for col, cell in enumerate(row[1:], start=1):
        text = normalise_text(cell)
        if text == "":
            continue
        year = parse_year(cell)
        if year is None:
            raise RawFileError(file, "a year such as '2019年'", text, sheet=sheet,
                               row=row_number, column=f"column {col + 1}")
        if year in years.values():
            raise RawFileError(file, "each year once in the header", f"{year} twice",
                               sheet=sheet, row=row_number, column=text)
        years[col] = year
    if not years:
        raise RawFileError(file, "year columns after the first header cell", None,
                           sheet=sheet, row=row_number, column="B")
    return years


def _check_separators(row: Sequence[object], *, file: str, sheet: str | None,
                      row_number: int) -> None:
    """A line whose fields are separated by full-width commas ('，') or ideographic commas
    ('、') reads as one field: say so, rather than 'truncated row'."""
    text = "".join(str(c) for c in row)
    for separator in ("，", "、"):
        if text.count(separator) >= 1 and len(row) <= 2:
            raise RawFileError(file, "fields separated by ASCII commas ','",
                               f"full-width separators '{separator}'", sheet=sheet,
                               row=row_number, column="A")


def parse_nbs_rows(
    rows: Sequence[Sequence[object]],
    *,
    file: str,
    source: str,
    edition: str,
    sheet: str | None = None,
    indicator: str | None = None,
    unit: str | None = None,
    region: str | None = None,
) -> ParseResult:
    """Tidy cells of an NBS export given its rows (CSV fields or worksheet cells).

    ``indicator``/``unit`` name what a region x year file holds when it has no 指标 line (a 指标
    line wins; a unit printed in it wins over ``unit``); ``region`` names the region of an
    indicator x year file that has no 地区 line (a 地区 line wins).
    """
    notes: list[str] = []
    meta_indicator: str | None = None
    header: list[object] | None = None
    header_row = 0
    years: dict[int, int] = {}  # column index -> year
    layout = ""
    records: list[dict] = []
    footnotes = Footnotes(file, sheet, notes)
    labels: UniqueLabels | None = None
    is_csv = sheet is None

    for row_number, row in enumerate(rows, start=1):
        first = normalise_text(row[0]) if len(row) else ""
        rest_empty = all(normalise_text(c) == "" for c in row[1:])
        if header is None:
            if first.startswith(META_PREFIXES):
                key, _, value = first.partition(":")
                if key == "指标" and value:
                    meta_indicator = value
                if key == "地区" and value:
                    region = value.strip()
                continue
            if first in (REGION_HEADER, INDICATOR_HEADER):
                header, header_row = list(row), row_number
                layout = "region" if first == REGION_HEADER else "indicator"
                years = _read_header(row, file=file, sheet=sheet, row_number=row_number)
                labels = UniqueLabels(file, sheet, "region" if layout == "region" else "indicator")
                continue
            if first == "" and rest_empty:
                continue
            _check_separators(row, file=file, sheet=sheet, row_number=row_number)
            raise RawFileError(file, "the NBS export header ('地区' or '指标' followed by years)",
                               first, sheet=sheet, row=row_number, column="A")

        if first == "" and rest_empty:
            continue
        if footnotes.skip(first, row_number):
            continue
        if first == "":
            raise RawFileError(file, "a region or indicator name", None, sheet=sheet,
                               row=row_number, column="A")
        if is_csv and len(row) != len(header):
            _check_separators(row, file=file, sheet=sheet, row_number=row_number)
            if len(row) < len(header):
                first_missing = normalise_text(header[len(row)]) or f"column {len(row) + 1}"
                found = f"{len(row)} fields (a truncated row?)"
            else:
                first_missing = f"column {len(header) + 1}"
                found = f"{len(row)} fields"
            raise RawFileError(file, f"{len(header)} fields as in the header (row {header_row})",
                               found, sheet=sheet, row=row_number, column=first_missing)
        for col, cell in enumerate(row[1:], start=1):
            if col not in years and normalise_text(cell) != "":
                raise RawFileError(file, "a year header above every value", str(cell),
                                   sheet=sheet, row=row_number, column=f"column {col + 1}")
        assert labels is not None
        labels.add(first, row_number)

        if layout == "region":
            entity = first
            name, printed_unit = split_unit(meta_indicator or indicator or "")
            if not name:
                raise RawFileError(file, "an '指标：' line or an indicator given by the caller",
                                   None, sheet=sheet, row=header_row)
            row_indicator, row_unit = name, printed_unit or (unit or "")
        else:
            if not region:
                raise RawFileError(file, "a '地区：' line or a region given by the caller", None,
                                   sheet=sheet, row=header_row)
            entity = region
            row_indicator, row_unit = split_unit(first)
            row_unit = row_unit or (unit or "")
        for col, year in years.items():
            records.append(cell_record(
                row[col] if col < len(row) else None, source=source, edition=edition,
                file=file, sheet=sheet, row_number=row_number,
                column_name=normalise_text(header[col]), entity=entity, item="",
                indicator=row_indicator, unit=row_unit, year=year))
    if header is None:
        raise RawFileError(file, "an NBS export with a '地区' or '指标' header line",
                           "no header line")
    empty_years = sorted({r["year"] for r in records} - {
        r["year"] for r in records if r["value"] is not None})
    if empty_years:
        notes.append(f"{file}: year columns without any value: {empty_years}")
    return ParseResult.from_records(records, notes)


def _only_data_sheet(path: Path, name: str) -> tuple[str, list[list[object]]]:
    """The one sheet of an NBS workbook export that holds data; a second sheet with data is an
    error naming both (an export has one table: which one is meant cannot be guessed)."""
    found: list[tuple[str, list[list[object]]]] = []
    for sheet, rows in iter_sheets(path, name):
        if any(normalise_text(c) for row in rows for c in row):
            found.append((sheet, rows))
    if not found:
        raise RawFileError(name, "an NBS export with a '地区' or '指标' header line",
                           "no sheet with data")
    if len(found) > 1:
        raise RawFileError(name, "one sheet with data (an NBS export holds one table)",
                           ", ".join(f"'{s}'" for s, _ in found) + " hold data",
                           sheet=found[1][0])
    return found[0]


def parse_nbs_file(
    path: Path,
    *,
    name: str,
    source: str = "nbs",
    edition: str = "",
    indicator: str | None = None,
    unit: str | None = None,
    region: str | None = None,
) -> ParseResult:
    """Parse one NBS export (.csv, .xls or .xlsx); ``name`` is the path printed in errors."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows: Sequence[Sequence[object]] = csv_rows(decode_csv(path, name))
        sheet = None
    elif suffix in (".xls", ".xlsx"):
        sheet, rows = _only_data_sheet(path, name)
    else:
        raise RawFileError(name, "a .csv, .xls or .xlsx NBS export", suffix)
    return parse_nbs_rows(rows, file=name, source=source, edition=edition, sheet=sheet,
                          indicator=indicator, unit=unit, region=region)
