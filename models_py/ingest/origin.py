"""Where a raw figure comes from (a real yearbook file or the synthetic demo), and which edition
folders are acceptable.

*Origin* is decided by each file's own words: every file the demo generator writes prints a
synthetic-data note (``注：本表为合成演示数据…`` in tables, ``SYNTHETIC DEMO DATA`` on the CEADs
``NOTE`` sheet), so a file holding one of :data:`SYNTHETIC_MARKERS` is ``synthetic`` and any
other file is ``real``. No marker file in data/raw decides it: a real file dropped beside the demo
is real wherever it lies. Staging prefers a real figure over a synthetic one for the same cell,
whatever the edition folders are called (``latest_edition`` macro).

An *edition* folder is a plain four-digit year (``2023``); editions are compared as integers.
Anything else (``２０２４``, ``2023 - 副本``, ``old``) is refused with a message, for every source.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from models_py.ingest.errors import RawFileError

ORIGINS = ("real", "synthetic")
SYNTHETIC_MARKERS = ("合成演示数据", "SYNTHETIC DEMO DATA")
_ENCODINGS = ("utf-8", "gb18030", "utf-16-le")
_EDITION = re.compile(r"^(19|20)\d{2}$", re.ASCII)


def _needles() -> tuple[bytes, ...]:
    return tuple(m.encode(e) for m in SYNTHETIC_MARKERS for e in _ENCODINGS)


def file_origin(path: Path) -> str:
    """``'synthetic'`` when the file prints the demo's synthetic-data note, else ``'real'``.

    Workbooks (.xlsx, zip archives of XML) are searched member by member; other files (CSV, .xls)
    byte by byte, for the markers in UTF-8, GB18030 and UTF-16 (how .xls stores text).
    """
    needles = _needles()
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith(".xml") and any(n in archive.read(member) for n in needles):
                        return "synthetic"
        except (zipfile.BadZipFile, OSError):
            return "real"  # the parser names what is wrong with the archive
        return "real"
    data = path.read_bytes()
    return "synthetic" if any(n in data for n in needles) else "real"


def check_edition_folder(source: str, edition: str) -> None:
    """Raise RawFileError unless ``edition`` is a plain four-digit year (ASCII digits)."""
    if not _EDITION.match(edition):
        raise RawFileError(f"{source}/{edition}", "an edition folder named as a plain four-digit "
                           "year such as '2023' (rename or remove this folder; editions are "
                           "compared as years)", edition)
