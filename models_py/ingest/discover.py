"""Finding raw files under data/raw/<source>/<edition>/ and sending each to its parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from models_py.fingerprint import PARTIAL_SUFFIXES
from models_py.ingest.ceads import parse_ceads_workbook
from models_py.ingest.checks import check_parsed_file
from models_py.ingest.errors import RawFileError
from models_py.ingest.nbs import parse_nbs_file
from models_py.ingest.origin import check_edition_folder, file_origin
from models_py.ingest.runs import null_as_one, run_lengths, run_starts
from models_py.ingest.schema import SOURCES, ParseResult
from models_py.ingest.yearbook_tables import (
    parse_energy_balance,
    parse_energy_prices,
    parse_indicators_across,
    parse_industry_energy,
    parse_industry_indicators,
    parse_years_across,
)
from models_py.reference import indicators

IGNORED_PREFIXES = (".", "~$", "README")
TABLE_SUFFIXES = (".csv", ".xls", ".xlsx")


@dataclass(frozen=True)
class RawFile:
    """One raw file: its source and edition folder, its path, and its name relative to
    data/raw/ (what rows and errors print)."""

    source: str
    edition: str
    path: Path
    name: str  # path relative to the raw root, '/'-separated: what errors and rows print


def discover_raw_files(raw_root: Path) -> list[RawFile]:
    """Every table file of every edition folder, sorted; notes and temporary files are ignored.

    A partly written file (``*.part``, ``*.tmp``) makes the whole edition an error, so that an
    edition is never loaded half-way; so does an edition folder that is not a plain year
    (models_py.ingest.origin.check_edition_folder).
    """
    found: list[RawFile] = []
    if not raw_root.is_dir():
        return found
    for source in SOURCES:
        source_dir = raw_root / source
        if not source_dir.is_dir():
            continue
        for edition_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            if edition_dir.name.startswith(IGNORED_PREFIXES):
                continue
            check_edition_folder(source, edition_dir.name)
            for path in sorted(p for p in edition_dir.rglob("*")
                               if p.is_file() or p.is_symlink()):
                if path.name.startswith(IGNORED_PREFIXES):
                    continue
                name = path.relative_to(raw_root).as_posix()
                if not path.exists():
                    raise RawFileError(name, "a file (this is a link to a file that does not "
                                       "exist)", str(path.readlink()))
                if path.name.endswith(PARTIAL_SUFFIXES):
                    raise RawFileError(name, "complete files only (this one is still being "
                                       "written or was left half-written)", path.suffix)
                if path.suffix.lower() not in TABLE_SUFFIXES:
                    continue
                found.append(RawFile(source, edition_dir.name, path, name))
    return found


_COPY_SUFFIX = re.compile(r"(\s*[(（]\d+[)）]|\s*[-_ ]\s*(副本|复制|copy|Copy|COPY)"
                          r"(\s*[(（]\d+[)）])?|\s*(副本|复制))$")


def variable_key(stem: str) -> str:
    """The variable a file name stands for, without the suffixes of copies a file manager adds
    ('gdp (1)', 'gdp - 副本', 'gdp - Copy (2)' -> 'gdp')."""
    key = stem.strip()
    while (stripped := _COPY_SUFFIX.sub("", key)) != key:
        key = stripped
    return key.lower()


def check_one_file_per_variable(files: list[RawFile]) -> None:
    """Raise RawFileError when two files of one edition stand for the same variable (``gdp.csv``
    and ``gdp (1).csv``, ``gdp - 副本.csv`` or ``gdp.xlsx``), naming both."""
    seen: dict[tuple[str, str, str], RawFile] = {}
    for raw_file in files:
        key = (raw_file.source, raw_file.edition, variable_key(raw_file.path.stem))
        if key in seen:
            first = seen[key]
            raise RawFileError(raw_file.name, f"one file per table in an edition (this one "
                               f"and {first.name} hold the same table '{key[2]}'; remove the "
                               "copy)", raw_file.path.name)
        seen[key] = raw_file


def _hint_for_stem(source: str, stem: str) -> tuple[str | None, str | None]:
    """The indicator and unit a file named after its variable holds (``gdp.csv`` holds
    地区生产总值 in 亿元, per dbt_project/seeds/ref_indicators.csv); used only when the file
    does not print them itself."""
    table = indicators(source)
    match = table[table["variable"] == stem]
    if match.empty:
        return None, None
    return match.iloc[0]["indicator"], match.iloc[0]["canonical_unit"]


Parser = Callable[[RawFile], ParseResult]


def _nbs_export(raw_file: RawFile) -> ParseResult:
    indicator, unit = _hint_for_stem(raw_file.source, raw_file.path.stem)
    return parse_nbs_file(raw_file.path, name=raw_file.name, source=raw_file.source,
                          edition=raw_file.edition, indicator=indicator, unit=unit)


def _workbook(parser: Callable[..., ParseResult]) -> Parser:
    def parse(raw_file: RawFile) -> ParseResult:
        return parser(raw_file.path, name=raw_file.name, source=raw_file.source,
                      edition=raw_file.edition)
    return parse


def _ceads(raw_file: RawFile) -> ParseResult:
    return parse_ceads_workbook(raw_file.path, name=raw_file.name, edition=raw_file.edition)


WORKBOOK = (".xls", ".xlsx")
# (source, file-name prefix or '' for any, suffixes, parser, rows are provinces?)
LAYOUTS: tuple[tuple[str, str, tuple[str, ...], Parser, bool], ...] = (
    ("nbs", "", TABLE_SUFFIXES, _nbs_export, True),
    ("ceads", "", WORKBOOK, _ceads, True),
    ("energy", "energy_balance", WORKBOOK, _workbook(parse_energy_balance), True),
    ("energy", "industry_energy", WORKBOOK, _workbook(parse_industry_energy), False),
    ("energy", "energy_prices", WORKBOOK, _workbook(parse_energy_prices), False),
    ("energy", "", (".csv",), _nbs_export, True),  # energy_consumption_total.csv (NBS layout)
    ("science_tech", "industry_rd", WORKBOOK, _workbook(parse_years_across), False),
    ("science_tech", "", WORKBOOK, _workbook(parse_indicators_across), True),
    ("ofdi", "", WORKBOOK, _workbook(parse_years_across), True),
    ("industry", "industry_main_indicators", WORKBOOK, _workbook(parse_industry_indicators),
     False),
    ("industry", "industry_ppi", WORKBOOK, _workbook(parse_years_across), False),
    # national CPI and FAI price index, years down (the layout of energy_prices.xlsx)
    ("industry", "national_price_indices", WORKBOOK, _workbook(parse_energy_prices), False),
)


def _layout(raw_file: RawFile) -> tuple[Parser, bool]:
    suffix, stem = raw_file.path.suffix.lower(), raw_file.path.stem
    for source, prefix, suffixes, parser, by_province in LAYOUTS:
        if source == raw_file.source and stem.startswith(prefix) and suffix in suffixes:
            return parser, by_province
    known = [f"{p or '*'}{'|'.join(s)}" for src, p, s, _, _ in LAYOUTS if src == raw_file.source]
    raise RawFileError(raw_file.name, f"a file in a layout this project reads for source "
                       f"'{raw_file.source}' ({', '.join(known)}; docs/raw-layer.md)",
                       raw_file.path.name)


def parse_raw_file(raw_file: RawFile) -> ParseResult:
    """Parse one file with the parser of its source and layout, and check it against the
    reference tables (models_py.ingest.checks): a file that fails is never loaded. Every row
    carries the file's origin (``real`` or ``synthetic``, models_py.ingest.origin)."""
    parser, by_province = _layout(raw_file)
    result = parser(raw_file)
    if result.frame.empty:
        raise RawFileError(raw_file.name, "at least one data row below the header",
                           "a header without data")
    # an object column, as the raw schema's text columns (a str alone would make it pandas' str)
    result.frame["origin"] = pd.Series(file_origin(raw_file.path), index=result.frame.index,
                                       dtype=object)
    result.notes.extend(check_parsed_file(result, raw_file.source, province_rows=by_province))
    return result


def parse_edition(raw_root: Path, source: str, edition: str) -> ParseResult:
    """All files of one edition of one source, parsed, checked and concatenated (file order)."""
    files = edition_files(discover_raw_files(raw_root), source, edition)
    return combine_edition([parse_raw_file(f) for f in files])


def edition_files(found: list[RawFile], source: str, edition: str) -> list[RawFile]:
    """The files of one edition of one source among ``found`` (discover_raw_files), checked
    to stand for different variables: what :func:`parse_raw_file` is given, one by one."""
    files = [f for f in found if f.source == source and f.edition == edition]
    check_one_file_per_variable(files)
    return files


def combine_edition(parsed: list[ParseResult]) -> ParseResult:
    """The parse results of an edition's files (file order) as one, checked that no cell is
    printed by two files."""
    result = ParseResult.concat(parsed)
    check_no_cell_in_two_files(result)
    return result


def check_no_cell_in_two_files(result: ParseResult) -> None:
    """Raise RawFileError when two files of one edition and one origin print the same figure
    (indicator, entity, item, year) under names that do not look like copies (``gdp.csv`` and
    ``gdp_2024.csv``): which one staging would take cannot be decided, so both are named. A real
    file beside a synthetic demo file is allowed: the real figure wins in staging."""
    frame = result.frame
    if frame.empty:
        return
    key = ["indicator", "entity", "item", "year", "origin"]
    # the usual cases, no cell in two files, decided cheaply: files without a year and entity
    # in common (one-year workbooks such as the CEADs inventories; the balance sheets' provinces
    # and the industry tables' industries), else the distinct (cell, file) pairs; both faster
    # than counting files per cell over every row
    if not _files_share_a_year_and_entity(frame):
        return
    if not frame[[*key, "file"]].drop_duplicates().duplicated(key).any():
        return
    files_per_cell = frame.groupby(key, dropna=False)["file"].transform("nunique")
    twice = frame[files_per_cell > 1]
    if twice.empty:
        return
    first = twice.sort_values(["file", "row_number"]).iloc[0]
    same = twice[(twice[key] == first[key]).all(axis=1)]
    other = sorted(set(same["file"]) - {first["file"]})[0]
    raise RawFileError(other, f"one file per table in an edition (this one and {first['file']} "
                       f"both print {first['indicator']} of {first['entity']} for "
                       f"{int(first['year'])})", other.rsplit("/", 1)[-1])


def _files_share_a_year_and_entity(frame: pd.DataFrame) -> bool:
    """True when two files of the frame print a figure of the same year and the same entity (a
    null counts as one value): a cell can be in two files only then. Years first, entities only
    for files with a year in common. Reads the files' row runs (a parsed edition holds each
    file's rows together)."""
    files = frame["file"].to_numpy(dtype=object)
    years = frame["year"].to_numpy(dtype="int64", na_value=np.iinfo(np.int64).min)
    starts = run_starts(files)
    ends = starts + run_lengths(starts, len(files))
    runs: dict[object, list[tuple[int, int]]] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        runs.setdefault(files[start], []).append((start, end))
    years_of = {file: set(np.unique(np.concatenate([years[a:b] for a, b in spans])).tolist())
                for file, spans in runs.items()}
    names = list(runs)
    pairs = [(one, other) for i, one in enumerate(names) for other in names[i + 1:]
             if years_of[one] & years_of[other]]
    if not pairs:
        return False
    entities = frame["entity"].to_numpy(dtype=object)
    entities_of = {file: {null_as_one(e) for a, b in runs[file]
                          for e in pd.unique(entities[a:b])}
                   for file in {f for pair in pairs for f in pair}}
    return any(entities_of[one] & entities_of[other] for one, other in pairs)
