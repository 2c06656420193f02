"""Moran's I tables as papers print them: one row per year, I with stars, z in parentheses."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from models_py.reports.formatting import STAR_NOTE, fmt_coef, fmt_stat


def moran_table_markdown(results: pd.DataFrame, columns: Sequence[tuple[str, str, str]],
                         notes: Sequence[str] = ()) -> str:
    """Markdown table; ``columns`` are (title, variable, matrix_name) triples of ``results``
    (columns variable, matrix_name, year, i, z_randomisation, p_randomisation)."""
    years = sorted(results["year"].unique())
    header = "| Year | " + " | ".join(title for title, _, _ in columns) + " |"
    rule = "|:---|" + "|".join(":---:" for _ in columns) + "|"
    lines = [header, rule]
    for year in years:
        cells = []
        for _, variable, matrix in columns:
            row = results[(results["year"] == year) & (results["variable"] == variable)
                          & (results["matrix_name"] == matrix)]
            if row.empty:
                cells.append("")
                continue
            r = row.iloc[0]
            cells.append(f"{fmt_coef(r['i'], r['p_randomisation'])} "
                         f"{fmt_stat(r['z_randomisation'])}")
        lines.append(f"| {year} | " + " | ".join(cells) + " |")
    footer = [f"Global Moran's I with z (randomisation) in parentheses. {STAR_NOTE}.", *notes]
    return "\n".join([*lines, "", *footer])
