"""The demo's industry tables, written in the layouts of docs/raw-layer.md (synthetic data).

Editions: ``2021`` prints 1999-2012 (gross output of 2011-2012 before the census-like revision);
``2023`` prints 2011-2015 (2011-2012 revised, 2013-2015 new). The warehouse's latest view is
therefore 1999-2010 from the 2021 edition and 2011-2015 from the 2023 edition; as of 2021 it
stops in 2012. Files per edition:

- ``energy/<ed>/industry_energy_<year>.xlsx``: sheet ``分行业``, industries down
  (``06 煤炭开采和洗选业``), the total energy use (能源消费总量, 万吨标准煤: the paper's
  综合能源消费量) and the six printed fuels across (原煤, 焦炭, 汽油, 柴油 in 万吨; 天然气 in
  亿立方米; 电力 in 亿千瓦小时), unit row;
- ``energy/<ed>/energy_prices.xlsx``: years down, fuels across, unit row (元/吨, 元/立方米,
  元/千瓦时);
- ``industry/<ed>/industry_main_indicators_<year>.xlsx``: one sheet per ownership class;
- ``industry/<ed>/industry_ppi.xlsx``: industries down, years across (上年=100);
- ``industry/<ed>/national_price_indices.xlsx``: years down, national CPI and FAI price index;
- ``science_tech/<ed>/industry_rd_expenditure.xlsx``: R&D by industry, years across (万元); the 2023
  edition prints GB/T 4754-2011 names where they differ.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from models_py.demo.industry import (
    INDICATORS,
    OWNERSHIP,
    PRINTED_FUELS,
    TOTAL_ENERGY,
    IndustryWorld,
    printed_fuels,
    simulate_industry_world,
)
from models_py.demo.writers import SOURCE_LINE, SYNTHETIC_NOTE, write_xlsx
from models_py.reference import seed

EDITION_YEARS = {"2021": (1999, 2012), "2023": (2011, 2015)}
REVISION_NOTE = "注：2011、2012年工业总产值按经济普查结果修订（演示）。"
# (industry, ownership class, indicator) printed as '-' (no figure published)
NOT_PUBLISHED = {("16", "外商投资和港澳台商投资", "企业单位数")}


def _labels(world: IndustryWorld, style: str) -> dict[str, str]:
    """Printed industry labels: ``code name``, the name alone, or GB/T 4754-2011 names."""
    ind = world.industry_year.drop_duplicates("industry_code")
    names = dict(zip(ind["industry_code"], ind["name_zh"], strict=True))
    if style == "coded":
        return {c: f"{c} {n}" for c, n in names.items()}
    if style == "gbt2011":
        aliases = seed("ref_industry_aliases")
        newer = aliases[aliases["form"] == "gbt4754_2011"]
        names.update(dict(zip(newer["industry_code"], newer["alias"], strict=True)))
    return names


def _rows(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return frame[(frame["year"] >= first) & (frame["year"] <= last)]


def _industry_energy(world: IndustryWorld, edition: str, year: int, root: Path) -> Path:
    fuel = printed_fuels()
    labels = _labels(world, "coded")
    use = world.fuel_use[world.fuel_use["year"] == year]
    wide = use.pivot(index="industry_code", columns="fuel_code", values="quantity")
    total = world.industry_year[world.industry_year["year"] == year].set_index(
        "industry_code")["total_energy_10k_tce"]
    rows: list[list] = [[f"{year}年工业分行业能源消费量"],
                        ["行业", TOTAL_ENERGY[0], *fuel["name_zh"]],
                        ["", TOTAL_ENERGY[1], *fuel["physical_unit"]]]
    fuel_values = {f: dict(zip(wide.index, wide[f].to_numpy(), strict=True)) for f in PRINTED_FUELS}
    total_of = dict(zip(total.index, total.to_numpy(), strict=True))
    for code in wide.index:
        rows.append([labels[code], float(total_of[code]),
                     *[float(fuel_values[f][code]) for f in PRINTED_FUELS]])
    rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
    path = root / "energy" / edition / f"industry_energy_{year}.xlsx"
    write_xlsx(path, [("分行业", rows)])
    return path


def _energy_prices(world: IndustryWorld, edition: str, root: Path) -> Path:
    fuel = printed_fuels()
    first, last = EDITION_YEARS[edition]
    rows: list[list] = [["主要能源品种价格"], ["年份", *fuel["name_zh"]],
                        [None, *fuel["price_unit"]]]
    for rec in _rows(world.prices, first, last).itertuples(index=False):
        rows.append([int(rec.year), *[float(getattr(rec, f)) for f in PRINTED_FUELS]])
    rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
    path = root / "energy" / edition / "energy_prices.xlsx"
    write_xlsx(path, [("价格", rows)])
    return path


def _main_indicators(world: IndustryWorld, edition: str, year: int, root: Path) -> Path:
    frame = world.industry_year[world.industry_year["year"] == year].set_index("industry_code")
    if edition == "2021":
        pre = world.pre_revision[world.pre_revision["year"] == year]
        for rec in pre.itertuples(index=False):
            frame.at[rec.industry_code, "工业总产值|全部"] = rec.gross_output_2021
    header = ["行业", *[f"{name}({unit})" for name, unit, _ in INDICATORS]]
    # one dict per column instead of DataFrame.at per cell (most of this function's time)
    at = {column: dict(zip(frame.index, frame[column].to_numpy(), strict=True))
          for column in (f"{name}|{cls}" for cls in OWNERSHIP for name, _, _ in INDICATORS)}
    sheets = []
    for cls in OWNERSHIP:
        labels = _labels(world, "coded" if cls == "全部" else "plain")
        rows: list[list] = [[f"{year}年按行业分{cls}工业企业主要指标"], header]
        for code in frame.index:
            cells: list = [labels[code]]
            for name, _, decimals in INDICATORS:
                value = float(at[f"{name}|{cls}"][code])
                cells.append("-" if (code, cls, name) in NOT_PUBLISHED else
                             int(value) if decimals == 0 else value)
            rows.append(cells)
        rows.append([SYNTHETIC_NOTE])
        if edition == "2023" and year in (2011, 2012):
            rows.append([REVISION_NOTE])
        rows.append([SOURCE_LINE])
        sheets.append((cls, rows))
    path = root / "industry" / edition / f"industry_main_indicators_{year}.xlsx"
    write_xlsx(path, sheets)
    return path


def _years_across(world: IndustryWorld, edition: str, column: str, title: str,
                  unit_line: str | None, labels: dict[str, str], sheet: str,
                  path: Path) -> Path:
    first, last = EDITION_YEARS[edition]
    part = _rows(world.industry_year, first, last)
    wide = part.pivot(index="industry_code", columns="year", values=column)
    rows: list[list] = [[title], *([[unit_line]] if unit_line else []),
                        ["行业", *[f"{y}年" for y in wide.columns]]]
    for code in wide.index:
        rows.append([labels[code], *[float(v) for v in wide.loc[code]]])
    rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
    write_xlsx(path, [(sheet, rows)])
    return path


def _national_indices(world: IndustryWorld, edition: str, root: Path) -> Path:
    first, last = EDITION_YEARS[edition]
    rows: list[list] = [["全国居民消费价格指数和固定资产投资价格指数"],
                        ["年份", "居民消费价格指数", "固定资产投资价格指数"],
                        [None, "上年=100", "上年=100"]]
    for rec in _rows(world.national, first, last).itertuples(index=False):
        rows.append([f"{rec.year}年", float(rec.cpi), float(rec.fai_price_index)])
    rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
    path = root / "industry" / edition / "national_price_indices.xlsx"
    write_xlsx(path, [("价格指数", rows)])
    return path


def write_industry_files(raw_root: Path, edition: str,
                         world: IndustryWorld | None = None) -> list[Path]:
    """Every industry table of one demo edition (see the module docstring); [] for an edition
    without industry tables. ``world`` defaults to the world of the planted parameters; pass it
    when writing several editions so that it is simulated once."""
    if edition not in EDITION_YEARS:
        return []
    world = world or simulate_industry_world()
    root = Path(raw_root)
    first, last = EDITION_YEARS[edition]
    written = []
    for year in range(first, last + 1):
        written.append(_industry_energy(world, edition, year, root))
        written.append(_main_indicators(world, edition, year, root))
    written.append(_energy_prices(world, edition, root))
    written.append(_years_across(
        world, edition, "ppi", "分行业工业生产者出厂价格指数(上年=100)", None,
        _labels(world, "plain"), "出厂价格指数", root / "industry" / edition / "industry_ppi.xlsx"))
    written.append(_national_indices(world, edition, root))
    written.append(_years_across(
        world, edition, "rd_expenditure", "分行业R&D经费内部支出", "单位：万元",
        _labels(world, "gbt2011" if edition == "2023" else "coded"), "R&D经费",
        root / "science_tech" / edition / "industry_rd_expenditure.xlsx"))
    return written
