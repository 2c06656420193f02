"""Parser notes summarised by kind: what a raw asset shows in its metadata.

A parser says what it did with a file in notes of the form ``<file>: <what>[: <detail>]``, e.g.
``nbs/2021/gdp.csv: row 36 skipped (footnote): 注:...`` or ``ceads/2021/x.xlsx: province names
in other known forms: Anhui, ...``. Hundreds of them are normal for one edition (every demo
table has its footnotes), so the raw asset logs each at DEBUG and keeps in its metadata one
count per kind: the ``<what>`` with its numbers replaced by ``N`` (``row N skipped
(footnote)``), so notes that differ only in the row or the year are counted together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_NUMBER = re.compile(r"\d+")


def note_kind(note: str) -> str:
    """The kind of a note: the part after the file, up to the detail, numbers as ``N``."""
    _, sep, rest = note.partition(": ")
    what = (rest if sep else note).split(": ", 1)[0]
    return _NUMBER.sub("N", what).strip()


def summarize_notes(notes: Iterable[str]) -> dict[str, int]:
    """Count of notes by kind, most frequent first (ties by kind)."""
    counts = Counter(note_kind(note) for note in notes)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
