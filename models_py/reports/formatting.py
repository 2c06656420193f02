"""Cell formatting for publication tables: numbers (never a negative zero), stars,
coefficients, statistics in parentheses."""

from __future__ import annotations

import pandas as pd

STAR_LEVELS: tuple[tuple[float, str], ...] = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
STAR_NOTE = "* p<0.10, ** p<0.05, *** p<0.01"


def fmt_num(value: float | None, decimals: int = 3) -> str:
    """A number with fixed decimals; '' for a missing value and '0.000', never '-0.000', for a
    value that rounds to zero."""
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):.{decimals}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


def stars(p_value: float) -> str:
    """'***' for p < 0.01, '**' for p < 0.05, '*' for p < 0.10, '' otherwise (and for a
    missing p-value)."""
    if p_value is None or pd.isna(p_value):
        return ""
    for level, mark in STAR_LEVELS:
        if p_value < level:
            return mark
    return ""


def fmt_coef(estimate: float, p_value: float, decimals: int = 3) -> str:
    """Coefficient with its stars, e.g. '-0.160***'."""
    text = fmt_num(estimate, decimals)
    return f"{text}{stars(p_value)}" if text else ""


def fmt_stat(statistic: float, decimals: int = 2) -> str:
    """A t or z statistic in parentheses, e.g. '(-5.43)'."""
    text = fmt_num(statistic, decimals)
    return f"({text})" if text else ""


def markdown_grid(frame: pd.DataFrame) -> str:
    """A frame of cells as a Markdown table: first column left-aligned, the others centred."""
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join([":---"] + [":---:"] * (len(frame.columns) - 1)) + "|"
    body = ["| " + " | ".join(str(c) for c in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])
