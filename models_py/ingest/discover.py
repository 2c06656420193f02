"""Finding raw files under data/raw/<source>/<edition>/ and sending each to its parser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models_py.ingest.ceads import parse_ceads_workbook
from models_py.ingest.checks import check_parsed_file
from models_py.ingest.errors import RawFileError
from models_py.ingest.nbs import parse_nbs_file
from models_py.ingest.schema import ParseResult
from models_py.ingest.yearbook_tables import parse_indicators_across, parse_years_across
from models_py.reference import indicators

SOURCES = ("nbs", "ceads", "energy", "science_tech", "ofdi", "industry")
IGNORED_PREFIXES = (".", "~$", "README")
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")
TABLE_SUFFIXES = (".csv", ".xls", ".xlsx")


@dataclass(frozen=True)
class RawFile:
    source: str
    edition: str
    path: Path
    name: str  # path relative to the raw root, '/'-separated: what errors and rows print


def discover_raw_files(raw_root: Path) -> list[RawFile]:
    """Every table file of every edition folder, sorted; notes and temporary files are ignored.

    A partly written file (``*.part``, ``*.tmp``) makes the whole edition an error, so that an
    edition is never loaded half-way.
    """
    found: list[RawFile] = []
    if not raw_root.is_dir():
        return found
    for source in SOURCES:
        source_dir = raw_root / source
        if not source_dir.is_dir():
            continue
        for edition_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            for path in sorted(p for p in edition_dir.rglob("*") if p.is_file()):
                if path.name.startswith(IGNORED_PREFIXES):
                    continue
                name = path.relative_to(raw_root).as_posix()
                if path.name.endswith(PARTIAL_SUFFIXES):
                    raise RawFileError(name, "complete files only (this one is still being "
                                       "written or was left half-written)", path.suffix)
                if path.suffix.lower() not in TABLE_SUFFIXES:
                    continue
                found.append(RawFile(source, edition_dir.name, path, name))
    return found


def _hint_for_stem(source: str, stem: str) -> tuple[str | None, str | None]:
    """The indicator and unit a demo/export file named after its variable holds."""
    table = indicators(source)
    match = table[table["variable"] == stem]
    if match.empty:
        return None, None
    return match.iloc[0]["indicator"], match.iloc[0]["canonical_unit"]


def parse_raw_file(raw_file: RawFile) -> ParseResult:
    """Parse one file with the parser of its source and layout, and check it against the
    reference tables (models_py.ingest.checks): a file that fails is never loaded."""
    result = _parse(raw_file)
    result.notes.extend(check_parsed_file(result, raw_file.source))
    return result


def _parse(raw_file: RawFile) -> ParseResult:
    source, path, name, edition = raw_file.source, raw_file.path, raw_file.name, raw_file.edition
    if source in ("nbs", "energy") and (source == "nbs" or path.stem == "energy_total"):
        indicator, unit = _hint_for_stem(source, path.stem)
        return parse_nbs_file(path, name=name, source=source, edition=edition,
                              indicator=indicator, unit=unit)
    if source == "ceads" and path.suffix.lower() == ".xlsx":
        return parse_ceads_workbook(path, name=name, edition=edition)
    if source == "science_tech" and path.suffix.lower() in (".xls", ".xlsx"):
        return parse_indicators_across(path, name=name, source=source, edition=edition)
    if source == "ofdi" and path.suffix.lower() in (".xls", ".xlsx"):
        return parse_years_across(path, name=name, source=source, edition=edition)
    raise RawFileError(name, f"a file in a layout this project reads for source '{source}' "
                       "(docs/raw-layer.md)", path.name)


def parse_edition(raw_root: Path, source: str, edition: str) -> ParseResult:
    """All files of one edition of one source, parsed and concatenated."""
    files = [f for f in discover_raw_files(raw_root)
             if f.source == source and f.edition == edition]
    return ParseResult.concat([parse_raw_file(f) for f in files])
