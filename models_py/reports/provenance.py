"""Where a table's numbers come from: the provenance columns of the ``results`` frames.

Every ``results`` row carries ``study``, ``table_id``, ``as_of_edition``, ``newest_edition`` and
``data_origin`` (``synthetic``, ``real`` or ``mixed (<n> real, <m> synthetic cells)``;
docs/results-schema.md). :func:`provenance_of` gathers them from any number of frames;
:attr:`Provenance.banner` is the warning printed in table notes and as the report's banner
whenever any input is not real.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Provenance:
    """The distinct editions and data origins of a set of result rows."""

    as_of_editions: tuple[str, ...] = ()
    newest_editions: tuple[str, ...] = ()
    data_origins: tuple[str, ...] = ()

    @property
    def is_real(self) -> bool:
        """True only when every row says ``real`` (no rows: unknown, so False)."""
        return bool(self.data_origins) and set(self.data_origins) == {"real"}

    @property
    def banner(self) -> str | None:
        """The data-origin warning, or None when every input is real."""
        if self.is_real:
            return None
        if not self.data_origins:
            return "Data origin unknown: these results carry no data_origin column."
        origins = "; ".join(self.data_origins)
        if self.data_origins == ("synthetic",):
            return ("Data origin: synthetic. These numbers come from the synthetic demo "
                    "yearbook, not from published statistics; they say nothing about China.")
        return (f"Data origin: {origins}. Some inputs are synthetic (demo yearbook cells); "
                "do not cite these numbers.")

    @property
    def edition_text(self) -> str:
        """E.g. 'Edition: latest (newest edition in the inputs: 2023)'."""
        asked = ", ".join(self.as_of_editions) or "unknown"
        newest = ", ".join(self.newest_editions) or "unknown"
        return f"Edition: {asked} (newest edition in the inputs: {newest})"


def _distinct(frames: tuple[pd.DataFrame | None, ...], column: str) -> tuple[str, ...]:
    values: set[str] = set()
    for frame in frames:
        if frame is None or column not in frame:
            continue
        # distinct values first: a results table has a few editions over ~10^5 rows
        values.update(frame[column].dropna().drop_duplicates().astype(str))
    return tuple(sorted(values))


def provenance_of(*frames: pd.DataFrame | None) -> Provenance:
    """The provenance of every row of ``frames`` (None and frames without the columns skipped)."""
    return Provenance(_distinct(frames, "as_of_edition"), _distinct(frames, "newest_edition"),
                      _distinct(frames, "data_origin"))
