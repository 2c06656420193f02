"""Writing tables in the layouts the real publications use (docs/raw-layer.md).

Every writer is deterministic: the same rows give byte-identical files (workbook timestamps and
zip entry dates are fixed). Files are written to ``<name>.part`` and renamed when complete.
"""

from __future__ import annotations

import io
import math
import numbers
import os
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

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


_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               f'ContentType="{_OOXML}.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
    'dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>models_py.demo (synthetic demo yearbook)</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{t}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{t}</dcterms:modified></cp:coreProperties>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_xml(ref: str, value: Cell) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Integral):  # int and numpy integers
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real):  # float and numpy floats: shortest round-trip decimal
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"cell {ref}: {number} cannot be written to a workbook")
        return f'<c r="{ref}"><v>{number!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(rows: Sequence[Row]) -> str:
    """The worksheet XML. Plain Python floats and strings (nearly every cell of the demo) are
    written inline here, the same text :func:`_cell_xml` gives; other values go through it."""
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
             f'xmlns="{_MAIN_NS}"><sheetData>']
    append = parts.append
    width = max((len(row) for row in rows), default=0)
    letters = [_column_letters(c) for c in range(width)]
    isfinite = math.isfinite
    for r, row in enumerate(rows, start=1):
        append(f'<row r="{r}">')
        for c, value in enumerate(row):
            kind = type(value)
            if kind is float and isfinite(value):
                append(f'<c r="{letters[c]}{r}"><v>{value!r}</v></c>')
            elif kind is str:
                append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t xml:space="preserve">'
                       f'{escape(value)}</t></is></c>')
            elif value is not None:
                append(_cell_xml(f"{letters[c]}{r}", value))
        append("</row>")
    append("</sheetData></worksheet>")
    return "".join(parts)


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Row]]]) -> None:
    """A workbook with the given sheets (name, rows), deterministic bytes.

    Written as a minimal SpreadsheetML package (ECMA-376): strings inline, numbers as their
    shortest round-trip decimal, one default style, fixed timestamps in the core properties and
    the zip entries. Excel, LibreOffice, openpyxl and calamine read it; writing the demo this way
    is several times faster than openpyxl's write-only mode.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [name for name, _ in sheets]
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
                f'xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
                + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" '
                          f'r:id="rId{n}"/>' for n, name in enumerate(names, start=1))
                + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL_NS}/styles" '
              'Target="styles.xml"/></Relationships>')
    entries = [
        ("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(
            _SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1)))),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _CORE.format(t=stamp)),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/styles.xml", _STYLES),
        *[(f"xl/worksheets/sheet{n}.xml", _sheet_xml(rows))
          for n, (_, rows) in enumerate(sheets, start=1)],
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    _atomic_write_bytes(path, buffer.getvalue())


def write_xls(path: Path, sheets: Sequence[tuple[str, Sequence[Row]]]) -> None:
    """A legacy .xls workbook (BIFF8, as older NBS exports)."""
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
