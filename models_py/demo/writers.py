"""Writing tables in the layouts the real publications use (docs/raw-layer.md).

Every writer is deterministic: the same rows give byte-identical files (workbook timestamps and
zip entry dates are fixed). Files are written to ``<name>.part`` and renamed when complete.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

SYNTHETIC_NOTE = ("注：本表为合成演示数据（synthetic demo data），"
                  "由 models_py/demo 按已知参数生成，不是官方统计。")
SOURCE_LINE = "数据来源：本项目演示数据生成器（合成数据，非国家统计局发布）"
FIXED_TIME = datetime(2020, 1, 1, 0, 0, 0)
Cell = str | float | int | None
Row = Sequence[Cell]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def nbs_lines(indicator_line: str | None, header: Row, rows: Sequence[Row],
              notes: Sequence[str]) -> list[list[Cell]]:
    """The lines of an NBS region x year export, as cells."""
    lines: list[list[Cell]] = [["数据库：分省年度数据"]]
    if indicator_line is not None:
        lines.append([f"指标：{indicator_line}"])
    lines.append(["时间：演示数据"])
    lines.append(list(header))
    lines.extend(list(r) for r in rows)
    lines.extend([n] for n in notes)
    lines.append([SOURCE_LINE])
    return lines


def write_nbs_classic_csv(path: Path, lines: list[list[Cell]]) -> None:
    """Classic export: GB18030, CRLF, comma-separated."""
    text = "\r\n".join(",".join("" if c is None else str(c) for c in line) for line in lines)
    _atomic_write_bytes(path, (text + "\r\n").encode("gb18030"))


def write_nbs_variant_csv(path: Path, lines: list[list[Cell]]) -> None:
    """Newer export: UTF-8 with BOM, fields separated by a tab and a comma, trailing separator."""
    out = []
    for line in lines:
        if len(line) == 1:
            out.append(f"{line[0]} ")
        else:
            out.append("".join(f"{'' if c is None else c}\t," for c in line))
    _atomic_write_bytes(path, ("\ufeff" + "\n".join(out) + "\n").encode("utf-8"))


def _fix_zip_times(data_path: Path) -> bytes:
    """Rewrite an .xlsx with fixed timestamps (openpyxl stamps the current time on save)."""
    with zipfile.ZipFile(data_path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(name, re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                             rb"\g<1>" + stamp + rb"\g<2>", payload))
               if name == "docProps/core.xml" else (name, payload) for name, payload in entries]
    tmp = data_path.with_name(data_path.name + ".zip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, payload)
    data = tmp.read_bytes()
    tmp.unlink()
    return data


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Row]]]) -> None:
    """A workbook with the given sheets (name, rows), deterministic bytes."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    book.properties.creator = "models_py.demo (synthetic demo yearbook)"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    for name, rows in sheets:
        sheet = book.create_sheet(title=name)
        for row in rows:
            sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = path.with_name(path.name + ".raw.part")
    book.save(raw)
    data = _fix_zip_times(raw)
    raw.unlink()
    _atomic_write_bytes(path, data)


def write_xls(path: Path, sheets: Sequence[tuple[str, Sequence[Row]]]) -> None:
    """A legacy .xls workbook (BIFF8, as older NBS exports)."""
    import io

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets:
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    _atomic_write_bytes(path, buffer.getvalue())
