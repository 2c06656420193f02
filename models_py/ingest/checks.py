"""Checks of a parsed file against the reference tables, before anything is loaded.

A file passes when every printed region is a known spelling of a province (ref_province_aliases),
every table covers all 30 study provinces, every unit of an indicator the warehouse uses converts
to its canonical unit (ref_units), and no emission is negative. Known aliases (北京 for 北京市,
InnerMongolia for 内蒙古自治区) are tolerated and noted; anything else raises RawFileError naming
the file, sheet, row and column, so the edition is rejected before it reaches the raw layer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models_py.ingest.errors import RawFileError
from models_py.ingest.runs import NULL, null_as_one, run_lengths, run_starts
from models_py.ingest.schema import ParseResult
from models_py.reference import indicators, provinces, seed

PROVINCE_SOURCES = ("nbs", "energy", "science_tech", "ofdi", "ceads")
# Variables that cannot be zero or negative (levels, price and volume indices) and those that
# cannot be negative (counts, expenditures, stocks); flows such as OFDI may be negative.
POSITIVE_VARIABLES = frozenset({
    "gdp", "gdp_index", "va_secondary", "va_tertiary", "va_industry", "population",
    "urban_population", "fiscal_expenditure", "cpi", "fai_price_index", "energy_total"})
NON_NEGATIVE_VARIABLES = frozenset({
    "patents_domestic", "trade_total", "fdi_investment", "edu_pop_none", "edu_pop_primary",
    "edu_pop_junior", "edu_pop_senior", "edu_pop_tertiary", "tech_import_expenditure",
    "rd_expenditure", "patents_industrial", "ofdi_stock"})
# A figure this many times the median of the other provinces in its year (cross-province), or
# of its own province's other years while also OUTLIER_CROSS_WITH_JUMP times the provinces'
# median (year on year), is taken for a unit slip (万元 printed under a 亿元 label: x 10,000).
# Calibrated on the real NBS exports and CEADs inventories of ../shared/data, whose largest
# ratios are far below (tests/ingest/test_real_files.py).
OUTLIER_RATIO = 1000.0
OUTLIER_CROSS_WITH_JUMP = 10.0
NATIONAL_ENTITIES = ("China",)
EXCLUDED_PROVINCES = ("540000",)  # Tibet: printed by NBS, not in the studies


def _alias_table() -> dict[str, str]:
    aliases = seed("ref_province_aliases")
    return {a.replace(" ", ""): code for a, code in zip(aliases["alias"],
                                                          aliases["province_code"], strict=True)}


def _first(frame: pd.DataFrame, mask: pd.Series) -> pd.Series:
    return frame[mask].sort_values(["file", "row_number"]).iloc[0]


def check_parsed_file(result: ParseResult, source: str, *,
                      province_rows: bool | None = None) -> list[str]:
    """Raise RawFileError for the first problem; return notes on tolerated oddities.

    ``province_rows`` says whether the file's entities are provinces (default: by source);
    tables of industries or national figures skip the province checks.
    """
    frame = result.frame
    if province_rows is None:
        province_rows = source in PROVINCE_SOURCES
    if frame.empty or not province_rows:
        return []
    notes: list[str] = []
    aliases = _alias_table()
    # each distinct entity looked up once (a CEADs edition prints 30 names in 700k cells)
    positions, entities = pd.factorize(frame["entity"], use_na_sentinel=False)
    entity_codes = (pd.Series(entities, dtype=object).astype(str)
                    .str.replace(" ", "", regex=False).map(aliases))
    codes = pd.Series(entity_codes.to_numpy(dtype=object)[positions], index=frame.index)
    entity_national = pd.Series(entities, dtype=object).isin(NATIONAL_ENTITIES).to_numpy()
    national = pd.Series(entity_national[positions], index=frame.index)
    unknown = codes.isna() & ~national
    if unknown.any():
        row = _first(frame, unknown)
        column = "sheet name" if source == "ceads" else "A"
        raise RawFileError(row["file"], "a province name known to "
                           "dbt_project/seeds/ref_province_aliases.csv "
                           "(e.g. 北京市, 北京, Beijing)",
                           row["entity"], sheet=row["sheet"], row=int(row["row_number"]),
                           column=column)
    study_provinces = provinces()
    official = dict(zip(study_provinces["province_code"], study_provinces["name_zh"],
                        strict=True))
    variants = sorted({e for e, c in zip(entities, entity_codes, strict=True)
                       if isinstance(c, str) and c in official and e != official[c]})
    if variants:
        notes.append(f"{frame['file'].iloc[0]}: province names in other known forms: "
                     f"{', '.join(variants[:8])}")

    study = set(official)
    for file, sheet, present in _provinces_by_sheet(frame, positions, entity_codes.to_numpy(
            dtype=object), ~entity_national):
        if len(present) < 2:
            continue  # a one-region table (indicator x year layout)
        missing = sorted(study - present)
        if missing:
            names = ", ".join(official[c] for c in missing)
            raise RawFileError(file, "a row for each of the 30 provinces", f"no row for {names}",
                               sheet=None if pd.isna(sheet) else sheet)

    used = indicators(source)
    if len(used):
        units = seed("ref_units")
        convertible = set(zip(units["unit"], units["canonical_unit"], strict=True))
        canonical = dict(zip(used["indicator"], used["canonical_unit"], strict=True))
        target = frame["indicator"].map(canonical)
        # judged once per distinct (unit, canonical unit) pair, then spread over the cells
        unit_at, unit_values = pd.factorize(frame["unit"], use_na_sentinel=False)
        target_at, target_values = pd.factorize(target, use_na_sentinel=False)
        verdicts = np.array([[isinstance(t, str) and (u, t) not in convertible
                              for t in target_values] for u in unit_values], dtype=bool)
        bad = pd.Series(verdicts[unit_at, target_at],
                        index=frame.index)
        if bad.any():
            row = _first(frame, bad)
            raise RawFileError(row["file"], f"a unit convertible to {canonical[row['indicator']]} "
                               f"for {row['indicator']} (dbt_project/seeds/ref_units.csv)",
                               row["unit"], sheet=row["sheet"], row=int(row["row_number"]),
                               column=row["column_name"])

    _check_signs(frame, used)
    _check_unit_slips(frame, source, codes, used)

    if source == "ceads":
        negative = frame["value"] < 0
        if negative.any():
            row = _first(frame, negative)
            raise RawFileError(row["file"], "non-negative emissions (Mt CO2)", row["value"],
                               sheet=row["sheet"], row=int(row["row_number"]),
                               column=row["column_name"])
    return notes


def _provinces_by_sheet(frame: pd.DataFrame, positions: np.ndarray, entity_codes: np.ndarray,
                        counted: np.ndarray) -> list[tuple[object, object, set]]:
    """``(file, sheet, province codes printed)`` per file and sheet, in the order of
    ``groupby(["file", "sheet"], dropna=False)`` (sorted, a null last), over the rows whose
    entity (``positions`` into ``entity_codes``) is ``counted``. Read from the runs of rows of
    one file and sheet (a parser writes a sheet's rows together), not by grouping every cell."""
    files = frame["file"].to_numpy(dtype=object)
    sheets = frame["sheet"].to_numpy(dtype=object)
    starts = run_starts(files, sheets)
    ends = starts + run_lengths(starts, len(files))
    keep = counted[positions]
    groups: dict[tuple[object, object], set] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        printed = positions[start:end][keep[start:end]]
        if len(printed):
            key = (null_as_one(files[start]), null_as_one(sheets[start]))
            groups.setdefault(key, set()).update(entity_codes[np.unique(printed)].tolist())
    order = sorted(groups, key=lambda k: (k[0] is NULL, "" if k[0] is NULL else k[0],
                                          k[1] is NULL, "" if k[1] is NULL else k[1]))
    return [(np.nan if f is NULL else f, np.nan if s is NULL else s, groups[(f, s)])
            for f, s in order]


def _check_signs(frame: pd.DataFrame, used: pd.DataFrame) -> None:
    """A zero or negative figure of a variable that cannot be one (POSITIVE_VARIABLES,
    NON_NEGATIVE_VARIABLES) is an error naming its cell. ``used``: the source's indicators
    (reference.indicators), read once per file by check_parsed_file."""
    if not len(used):
        return
    variable = frame["indicator"].map(dict(zip(used["indicator"], used["variable"],
                                               strict=True)))
    not_positive = variable.isin(POSITIVE_VARIABLES) & (frame["value"] <= 0)
    negative = variable.isin(NON_NEGATIVE_VARIABLES) & (frame["value"] < 0)
    bad = not_positive | negative
    if bad.any():
        row = _first(frame, bad)
        what = "positive" if not_positive[row.name] else "non-negative"
        raise RawFileError(row["file"], f"a {what} figure of {row['indicator']} "
                           f"({variable[row.name]})", row["value"], sheet=row["sheet"],
                           row=int(row["row_number"]), column=row["column_name"])


def _check_unit_slips(frame: pd.DataFrame, source: str, codes: pd.Series,
                      used: pd.DataFrame) -> None:
    """A figure about 10,000 times too large (a unit slip) in a province's series: compared with
    the other provinces of its year and with its own province's other years (OUTLIER_RATIO).
    Series: every indicator of the file the warehouse uses (``used``), and the CEADs total
    rows."""
    series = frame["indicator"].isin(set(used["indicator"]))
    if source == "ceads":
        series = frame["item"] == "Total"
    part = frame[series & codes.notna() & (frame["value"] > 0)]
    if len(part) < 3:
        return
    keys = ["file", "indicator", "item"]
    cross = part["value"] / part.groupby([*keys, "year"])["value"].transform("median")
    if not (cross > OUTLIER_CROSS_WITH_JUMP).any():
        return  # both kinds of slip need a figure this far above its year's median: none
    own_median = part.groupby([*keys, "entity"])["value"].transform("median")
    own_count = part.groupby([*keys, "entity"])["value"].transform("count")
    own = (part["value"] / own_median).where(own_count >= 3, 1.0)
    slip = (cross > OUTLIER_RATIO) | ((own > OUTLIER_RATIO) & (cross > OUTLIER_CROSS_WITH_JUMP))
    if slip.any():
        row = _first(part, slip)
        raise RawFileError(
            row["file"], f"a figure of {row['indicator']} within {OUTLIER_RATIO:,.0f} times "
            f"the other provinces' median of {int(row['year'])} and of {row['entity']}'s other "
            "years (a unit slip, e.g. 万元 printed under a 亿元 label?)",
            f"{row['value']:g} for {row['entity']} in {int(row['year'])} "
            f"({cross[row.name]:,.0f} x the provinces' median, {own[row.name]:,.0f} x its own)",
            sheet=row["sheet"], row=int(row["row_number"]), column=row["column_name"])
