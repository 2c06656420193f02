"""Write the synthetic demo yearbook into data/raw/<source>/<edition>/, as real files would be.

Two editions: ``2021`` (figures up to 2020, before the census revision, technology-import
expenditure printed in 亿元) and ``2023`` (figures up to 2022, revised; 万元). CEADs-style
inventories come as releases: the 2021 release covers years up to 2019, the 2023 release adds
2020-2022. Every file says it is synthetic.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from models_py.demo.energy_balance import BalanceWorld, balance_sheets_by_year, balance_world
from models_py.demo.industry import simulate_industry_world
from models_py.demo.industry_writers import write_industry_files
from models_py.demo.planted import PLANTED, PlantedParameters
from models_py.demo.structural import DemoWorld, simulate_world
from models_py.demo.writers import (
    SOURCE_LINE,
    SYNTHETIC_NOTE,
    nbs_lines,
    write_nbs_classic_csv,
    write_nbs_variant_csv,
    write_xls,
    write_xlsx,
)
from models_py.ingest.ceads import NEW_STYLE_COLUMNS, OLD_STYLE_COLUMNS
from models_py.reference import ceads_sectors, indicators, provinces

MARKER = "DEMO_YEARBOOK.txt"
EDITIONS = ("2021", "2023")
EDITION_LAST_YEAR = {"2021": 2020, "2023": 2022}
CEADS_RELEASE_YEARS = {"2021": (None, 2019), "2023": (2020, 2022)}
NEW_CEADS_STYLE_FROM = 2018
OFDI_FIRST_YEAR = 2003
TIBET_NAME = "西藏自治区"
# printed units where the export prints another unit than the warehouse's canonical one
PRINTED_UNITS = {"trade_total": "千美元", "fdi_investment": "百万美元"}
DECIMALS = {"gdp": 1, "gdp_index": 1, "va_secondary": 1, "va_tertiary": 1, "va_industry": 1,
            "fiscal_expenditure": 1, "cpi": 1, "fai_price_index": 1, "energy_total": 1}
VARIANT_LAYOUT = ("patents_domestic", "urban_population")
XLSX_LAYOUT = ("cpi",)
XLS_LAYOUT = ("fai_price_index",)
SHORT_NAMES = ("population",)
PADDED_NAMES = ("fiscal_expenditure",)


def demo_is_present(raw_root: Path) -> bool:
    """True when data/raw holds the synthetic demo yearbook (its marker file)."""
    return (Path(raw_root) / MARKER).exists()


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def revisions(world: DemoWorld, planted: PlantedParameters = PLANTED) -> pd.DataFrame:
    """Cells the 2023 edition revises: (source, variable, province_code, year, value_2021,
    value_2023). The 2023 value is the model's; the 2021 edition printed the other."""
    rng = np.random.default_rng(planted.seed + 1)
    frame = world.province_year
    rows = []
    codes = sorted(frame["province_code"].unique())
    gdp_r = dict(zip(codes, rng.uniform(0.01, 0.05, len(codes)), strict=True))
    tis_r = dict(zip(codes, rng.uniform(-0.03, 0.05, len(codes)), strict=True))
    tis_revised = set(rng.choice(codes, 10, replace=False))
    for rec in frame.itertuples():
        if rec.year in planted.census_revision_years and rec.year <= EDITION_LAST_YEAR["2021"]:
            r = gdp_r[rec.province_code]
            rows.append(("nbs", "gdp", rec.province_code, rec.year,
                         round(rec.gdp / (1 + r), 1), rec.gdp))
            rows.append(("nbs", "va_tertiary", rec.province_code, rec.year,
                         round(rec.va_tertiary / (1 + 1.5 * r), 1), rec.va_tertiary))
        if rec.year in (2019, 2020) and rec.province_code in tis_revised:
            r = tis_r[rec.province_code]
            rows.append(("science_tech", "tech_import_expenditure", rec.province_code, rec.year,
                         round(rec.tech_import_expenditure / (1 + r), 0),
                         rec.tech_import_expenditure))
    return pd.DataFrame(rows, columns=["source", "variable", "province_code", "year",
                                       "value_2021", "value_2023"])


def _edition_values(world: DemoWorld, edition: str, revised: pd.DataFrame) -> pd.DataFrame:
    """The province-year table as printed in one edition (older editions: pre-revision)."""
    frame = world.province_year
    frame = frame[frame["year"] <= EDITION_LAST_YEAR[edition]].copy()
    if edition == "2021" and len(revised):
        for rec in revised.itertuples():
            mask = (frame["province_code"] == rec.province_code) & (frame["year"] == rec.year)
            frame.loc[mask, rec.variable] = rec.value_2021
    return frame


def _province_names(kind: str) -> dict[str, str]:
    prov = provinces()
    names = prov["name_zh_short"] if kind == "short" else prov["name_zh"]
    if kind == "padded":
        names = "  " + prov["name_zh"] + " "
    return dict(zip(prov["province_code"], names, strict=True))


def _nbs_region_rows(frame: pd.DataFrame, variable: str, years: list[int], names: dict,
                     tibet: pd.DataFrame, decimals: int, extra_empty: bool) -> list[list]:
    """Region rows in NBS order with Tibet (printed, not studied) after Yunnan."""
    wide = frame.pivot(index="province_code", columns="year", values=variable)
    # plain dict lookups of the pivot's numpy values (DataFrame.at per cell was most of the time)
    at = {code: dict(zip(wide.columns, values, strict=True)) for code, values in
          zip(wide.index, wide.to_numpy(), strict=True)}
    out = []
    for code in provinces()["province_code"]:
        values = [_fmt(at[code][y], decimals) for y in years]
        out.append([names[code], *([""] if extra_empty else []), *values])
        if code == "530000":
            t = tibet.set_index("year")
            tibet_at = (dict(zip(t.index, t[variable].to_numpy(), strict=True))
                        if variable in t.columns else {})
            tib = [(_fmt(tibet_at[y], decimals) if variable in t.columns else "…")
                   for y in years]
            if variable in t.columns and years and years[-1] <= 2001:
                tib[-1] = "-"
            out.append([TIBET_NAME, *([""] if extra_empty else []), *tib])
    return out


def _write_nbs(world: DemoWorld, edition: str, frame: pd.DataFrame, root: Path) -> list[Path]:
    written = []
    years = sorted(frame["year"].unique(), reverse=True)
    for spec in indicators("nbs").itertuples():
        variable = spec.variable
        unit = PRINTED_UNITS.get(variable, spec.canonical_unit)
        decimals = DECIMALS.get(variable, 0)
        kind = ("short" if variable in SHORT_NAMES else
                "padded" if variable in PADDED_NAMES else "full")
        variant = variable in VARIANT_LAYOUT
        header = ["地区", *([f"{years[0] + 1}年"] if variant else []), *[f"{y}年" for y in years]]
        rows = _nbs_region_rows(frame, variable, years, _province_names(kind), world.tibet,
                                decimals, extra_empty=variant)
        notes = [SYNTHETIC_NOTE]
        if variable == "gdp" and edition == "2023":
            notes.append("注：第四次全国经济普查后，对2018年及以后地区生产总值数据进行了修订（演示）。")
        folder = root / "nbs" / edition
        if variant:
            path = folder / f"{variable}.csv"
            write_nbs_variant_csv(path, nbs_lines(None, header, rows, notes))
        elif variable in XLSX_LAYOUT or variable in XLS_LAYOUT:
            lines = nbs_lines(f"{spec.indicator}({unit})", header, rows, notes)
            numeric = [_numeric_cells(line) for line in lines]
            path = folder / f"{variable}.{'xlsx' if variable in XLSX_LAYOUT else 'xls'}"
            (write_xlsx if variable in XLSX_LAYOUT else write_xls)(path, [("Sheet1", numeric)])
        else:
            path = folder / f"{variable}.csv"
            write_nbs_classic_csv(path, nbs_lines(f"{spec.indicator}({unit})", header, rows,
                                                  notes))
        written.append(path)
    return written


def _numeric_cells(line: list) -> list:
    """Workbook exports store numbers as numbers: convert every cell but the label."""
    head, *rest = line
    out = [head]
    for cell in rest:
        try:
            out.append(float(cell))
        except (TypeError, ValueError):
            out.append(cell)
    return out


def _write_energy(frame: pd.DataFrame, edition: str, world: DemoWorld, root: Path) -> list[Path]:
    years = sorted(frame["year"].unique(), reverse=True)
    header = ["地区", *[f"{y}年" for y in years]]
    rows = _nbs_region_rows(frame, "energy_total", years, _province_names("full"), world.tibet,
                            1, extra_empty=False)
    path = root / "energy" / edition / "energy_total.csv"
    write_nbs_classic_csv(path, nbs_lines("能源消费总量(万吨标准煤)", header, rows,
                                          [SYNTHETIC_NOTE]))
    return [path]


def _write_science_tech(frame: pd.DataFrame, edition: str, root: Path) -> list[Path]:
    in_yi = edition == "2021"  # the older edition prints money in 亿元: a unit change
    names = _province_names("short")
    sheets = []
    for year in sorted(frame["year"].unique()):
        part = frame[frame["year"] == year].set_index("province_code")
        rows: list[list] = [[f"{year}年各地区规模以上工业企业科技活动情况"],
                            ["单位：亿元" if in_yi else "单位：万元"],
                            ["地区", "技术引进经费支出", "R&D经费内部支出", "专利申请数(件)"]]
        for code in provinces()["province_code"]:
            scale = 1e-4 if in_yi else 1.0
            rows.append([names[code],
                         round(part.at[code, "tech_import_expenditure"] * scale, 4),
                         round(part.at[code, "rd_expenditure"] * scale, 4),
                         part.at[code, "patents_industrial"]])
        rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
        sheets.append((str(year), rows))
    path = root / "science_tech" / edition / "industrial_enterprises_by_province.xlsx"
    write_xlsx(path, sheets)
    return [path]


def _write_ofdi(frame: pd.DataFrame, edition: str, root: Path) -> list[Path]:
    part = frame[frame["year"] >= OFDI_FIRST_YEAR]
    if part.empty:
        return []
    years = sorted(part["year"].unique())
    names = _province_names("full")
    sheets = []
    for sheet, variable, title in (("流量", "ofdi_flow", "各省区市对外直接投资流量"),
                                   ("存量", "ofdi_stock", "各省区市对外直接投资存量")):
        wide = part.pivot(index="province_code", columns="year", values=variable)
        rows: list[list] = [[title], ["单位：万美元"], ["地区", *years]]
        for code in provinces()["province_code"]:
            rows.append([names[code], *[float(wide.at[code, y]) for y in years]])
        rows += [[SYNTHETIC_NOTE], [SOURCE_LINE]]
        sheets.append((sheet, rows))
    path = root / "ofdi" / edition / "ofdi_by_province.xlsx"
    write_xlsx(path, sheets)
    return [path]


def _release_years(world: DemoWorld, edition: str) -> tuple[int, ...]:
    """Years a release of one-year tables (CEADs inventories, energy balance sheets) covers."""
    first, last = CEADS_RELEASE_YEARS[edition]
    return tuple(y for y in world.years if (first is None or y >= first) and y <= last)


def _write_energy_balance(world: DemoWorld, balance: BalanceWorld, edition: str,
                          root: Path) -> list[Path]:
    """Provincial energy balance sheets, one workbook per year, one sheet per province."""
    written = []
    for year, sheets in balance_sheets_by_year(world, balance,
                                               _release_years(world, edition)).items():
        # the synthetic note once per workbook (on its first sheet), like the CEADs NOTE sheet
        sheets = [(name, [*rows, [SYNTHETIC_NOTE]] if i == 0 else rows)
                  for i, (name, rows) in enumerate(sheets)]
        path = root / "energy" / edition / f"energy_balance_{year}.xlsx"
        write_xlsx(path, sheets)
        written.append(path)
    return written


def _write_ceads(world: DemoWorld, balance: BalanceWorld, edition: str,
                 root: Path) -> list[Path]:
    prov = provinces()
    sectors = ceads_sectors()["sector_name"].tolist()
    order = np.random.default_rng(world.planted.seed + 2).permutation(len(prov))
    written = []
    for year in _release_years(world, edition):
        t = world.years.index(year)
        new_style = year >= NEW_CEADS_STYLE_FROM
        columns = NEW_STYLE_COLUMNS if new_style else OLD_STYLE_COLUMNS
        sheets = [("NOTE", [["Introduction/简介", "SYNTHETIC DEMO DATA: generated by "
                             "models_py/demo from a structural model with planted parameters; "
                             "not a CEADs inventory. 合成演示数据，非 CEADs 清单。"],
                            ["Unit/单位", "Mt"], ["Timeseries/时间序列", year]])]
        for p in order:
            co2 = world.ceads_mt[p, t]  # 47 x 18 (17 fuels + Process)
            fuels, process = co2[:, :17], co2[:, 17]
            zeros = np.zeros(47)
            scope2 = balance.scope2_mt[p, t]
            body = np.column_stack([fuels, zeros, scope2, zeros, process,
                                    fuels.sum(axis=1) + process])
            total = body.sum(axis=0)
            total[-1] = fuels.sum() + process.sum()
            rows: list[list] = [["Emission_Inventory" if new_style else None, *columns],
                                [("unit" if new_style else None), *["Mt CO2"] * 22],
                                [None] * 23,
                                ["TotalEmissions" if new_style else "Total Consumption",
                                 *[float(v) for v in total]]]
            for s, name in enumerate(sectors):
                label = name if new_style else f"{name:<57}"
                rows.append([label, *[float(v) for v in body[s]]])
            sheets.append((f"{prov.at[p, 'ceads_sheet_name']}{year}", rows))
        path = root / "ceads" / edition / f"Emission_Inventories_for_30_Provinces_{year}.xlsx"
        write_xlsx(path, sheets)
        written.append(path)
    return written


def write_demo_yearbook(
    raw_root: Path,
    years: tuple[int, int] | None = None,
    planted: PlantedParameters = PLANTED,
) -> list[Path]:
    """Write every demo file under ``raw_root``; ``years`` limits the span (fast path).

    Returns the files written. The marker ``DEMO_YEARBOOK.txt`` records the seed, the span and a
    hash of all files.
    """
    raw_root = Path(raw_root)
    world = simulate_world(years, planted)
    revised = revisions(world, planted)
    balance = balance_world(world)
    industry_world = simulate_industry_world(planted)
    written: list[Path] = []
    for edition in EDITIONS:
        written += write_industry_files(raw_root, edition, industry_world)  # 1999-2015 always
        frame = _edition_values(world, edition, revised)
        if frame.empty:
            continue
        written += _write_nbs(world, edition, frame, raw_root)
        written += _write_energy(frame, edition, world, raw_root)
        written += _write_science_tech(frame, edition, raw_root)
        written += _write_ofdi(frame, edition, raw_root)
        written += _write_ceads(world, balance, edition, raw_root)
        written += _write_energy_balance(world, balance, edition, raw_root)
    digest = hashlib.sha256()
    for path in sorted(written):
        digest.update(path.relative_to(raw_root).as_posix().encode())
        digest.update(path.read_bytes())
    (raw_root / MARKER).write_text(
        "SYNTHETIC DEMO YEARBOOK — generated data with planted parameters, not official "
        "statistics.\n"
        f"generator: models_py/demo (seed {planted.seed}); years {world.years[0]}-"
        f"{world.years[-1]}; editions {', '.join(EDITIONS)}\n"
        f"files: {len(written)}; sha256 of all files: {digest.hexdigest()}\n"
        "Delete this folder's contents and drop real yearbook files into "
        "data/raw/<source>/<edition>/ to use real data.\n",
        encoding="utf-8",
    )
    return written
