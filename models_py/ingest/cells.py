"""Reading one cell: numbers, the markers yearbooks print for 'not available', and year headers."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from models_py.ingest.errors import RawFileError

# compared after NFKC normalisation ('…' becomes '...', full-width '－' becomes '-')
MISSING_MARKERS = frozenset({"", "-", "--", "—", "——", "–", "...", "......", "..", "x", "X"})
# markers that normalise to themselves and carry no blanks: parse_number returns them as they
# are (checked at import below), so it can do so without normalising (balance sheets print '-')
_BARE_MARKERS = frozenset(m for m in MISSING_MARKERS
                          if unicodedata.normalize("NFKC", m) == m and m.strip() == m
                          and not any(unicodedata.category(c) == "No" for c in m))
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年)?\s*$")
_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)\s*[（(](?P<unit>[^()（）]*)[)）]\s*$")


def normalise_text(text: object) -> str:
    """NFKC-normalise (full-width digits and brackets to ASCII) and strip blanks and tabs."""
    if text is None:
        return ""
    if type(text) is str:
        return _normalise_str(text)
    return unicodedata.normalize("NFKC", str(text)).strip().strip("\t").strip()


@lru_cache(maxsize=1 << 16)
def _normalise_str(text: str) -> str:
    """normalise_text of a string, remembered: labels and headers repeat on every sheet."""
    return unicodedata.normalize("NFKC", text).strip().strip("\t").strip()


def footnote_marker(text: str) -> str | None:
    """The first footnote marker in a cell ('①' of '43382①', '¹' of '43382.6¹'): a character of
    Unicode category 'No' (circled, superscript, parenthesised digits), which NFKC would turn
    into a digit; full-width digits ('１２３', category 'Nd') are not markers."""
    for char in text:
        if unicodedata.category(char) == "No":
            return char
    return None


def parse_number(
    raw: object, *, file: str, row: int, column: str, sheet: str | None = None
) -> tuple[float | None, str | None]:
    """``(value, None)`` for a number, ``(None, text)`` for a missing marker; else RawFileError.

    Numbers may be stored as text, with thousands separators ('1,234.5') or full-width digits
    ('１２３'). The returned text is the cell as printed, stripped of surrounding blanks ('…', '-',
    '' for an empty cell). NaN or infinite values are not numbers a yearbook prints: an error.
    """
    if raw is None:
        return None, ""
    if type(raw) is str and raw in _BARE_MARKERS:  # a marker as printed: the result below
        return None, raw
    if isinstance(raw, bool):
        raise RawFileError(file, "a number", raw, sheet=sheet, row=row, column=column)
    if isinstance(raw, int | float):
        if raw != raw:  # NaN from a reader: an empty cell
            return None, ""
        if not math.isfinite(raw):
            raise RawFileError(file, "a finite number", raw, sheet=sheet, row=row, column=column)
        return float(raw), None
    marker = footnote_marker(str(raw))
    if marker:
        raise RawFileError(
            file, "a number without a footnote marker (NFKC would read "
            f"'{marker}' as an extra digit; move the note to a '注' line)", str(raw),
            sheet=sheet, row=row, column=column,
        )
    text = normalise_text(raw)
    if text in MISSING_MARKERS:
        return None, str(raw).strip().strip("\t").strip()
    compact = text.replace(" ", "")
    cleaned = compact.replace(",", "") if _THOUSANDS.match(compact) else compact
    value = float(cleaned) if _NUMBER.match(cleaned) else None
    if value is None or not math.isfinite(value):
        raise RawFileError(
            file, "a number or a missing-value marker ('-', '…', blank)", str(raw),
            sheet=sheet, row=row, column=column,
        )
    return value, None


def parse_year(raw: object) -> int | None:
    """2019 from '2019年', '2019', 2019 or 2019.0; None when the header is not a year."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = int(raw)
        return value if 1900 <= value <= 2099 and value == raw else None
    match = _YEAR.match(normalise_text(raw))
    return int(match.group(1)) if match else None


def split_unit(label: object) -> tuple[str, str]:
    """'地区生产总值(亿元)' -> ('地区生产总值', '亿元'); a label without a unit -> (label, '')."""
    text = normalise_text(label)
    match = _UNIT_SUFFIX.match(text)
    if not match:
        return text, ""
    return match.group("name").strip(), match.group("unit").strip()


def is_footnote(text: object) -> bool:
    """Lines yearbooks print under a table: notes (注), sources (数据来源, 资料来源)."""
    t = normalise_text(text)
    return t.startswith(("注", "数据来源", "资料来源", "Note", "NOTE", "Source"))
