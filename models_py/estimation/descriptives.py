"""Descriptive statistics of a study's variables (N, mean, sd, min, max), after optional
winsorising.

Winsorising (as Stata's ``winsor2 var, cuts(1 99)`` does): each variable separately, pooled over
all rows of the sample given (every unit and year together), values below the ``share``
quantile are set to it and values above the 1 - ``share`` quantile likewise. Quantiles use
Stata's ``_pctile`` definition, Hyndman and Fan (1996) type 2 (numpy
``method="averaged_inverted_cdf"``): with n observations sorted x_(1) <= ... <= x_(n) and
np = n * q, the quantile is (x_(np) + x_(np+1)) / 2 when np is an integer and x_(ceil(np))
otherwise (n = 300, q = 1 %: the mean of the 3rd and 4th smallest values). Missing values are
left missing and do not count. The standard deviation has the n - 1 denominator (Stata's
``summarize``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILE_METHOD = "averaged_inverted_cdf"


def winsorize(data: pd.DataFrame, columns: list[str], share: float = 0.01) -> pd.DataFrame:
    """A copy of ``data`` with ``columns`` clipped at their ``share`` and 1 - ``share``
    quantiles, pooled over all rows."""
    if not 0 <= share < 0.5:
        raise ValueError(f"winsorising share must be in [0, 0.5), got {share}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"winsorising: columns {missing} are not in the data")
    out = data.copy()
    for column in columns:
        values = out[column].to_numpy(dtype=float)
        present = values[~np.isnan(values)]
        if share == 0 or present.size == 0:
            continue
        low, high = np.quantile(present, [share, 1 - share], method=QUANTILE_METHOD)
        out[column] = np.clip(values, low, high)
    return out


def describe(data: pd.DataFrame, variables: list[str], winsorize_share: float | None = 0.01,
             labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per variable: variable, label, n, mean, sd, min, max (after winsorising at
    ``winsorize_share`` in both tails when it is not None)."""
    frame = winsorize(data, variables, winsorize_share) if winsorize_share else data
    labels = labels or {}
    rows = []
    for variable in variables:
        values = frame[variable].dropna().to_numpy(dtype=float)
        rows.append({
            "variable": variable,
            "label": labels.get(variable, variable),
            "n": int(values.size),
            "mean": float(values.mean()) if values.size else np.nan,
            "sd": float(values.std(ddof=1)) if values.size > 1 else np.nan,
            "min": float(values.min()) if values.size else np.nan,
            "max": float(values.max()) if values.size else np.nan,
        })
    return pd.DataFrame(rows)
