"""Expectations of our own, for Great Expectations 1.24 (imported by the runner with GE).

``expect_column_values_to_match_regex_per_value``: Great Expectations'
``expect_column_values_to_match_regex`` (the same arguments, result and data docs sentence),
with the regular expression applied once per distinct value of a categorical column instead of
once per row. GE's pandas metric turns every row into a Python string (``astype(str)``) and
matches each one; without pyarrow (not installed here) that is about 0.6 s per million rows,
most of the raw layer's checks, where the column tested (``edition``) holds two or three values
over a million cells. On a column that is not categorical it does exactly what GE's does.
"""

from __future__ import annotations

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.core.expect_column_values_to_match_regex import (
    ExpectColumnValuesToMatchRegex,
)
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)


def matches_regex(column: pd.Series, regex: str) -> pd.Series:
    """Whether each value of ``column``, as text, contains a match of ``regex`` (as GE's
    ``column.astype(str).str.contains(regex)``); a categorical column's categories are matched
    once each and the answers spread to the rows by the codes (GE has dropped the nulls)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        per_category = pd.Series(column.cat.categories).astype(str).str.contains(regex)
        return pd.Series(per_category.to_numpy()[column.cat.codes.to_numpy()],
                         index=column.index)
    return column.astype(str).str.contains(regex)


class ColumnValuesMatchRegexPerValue(ColumnMapMetricProvider):
    """The metric of :class:`ExpectColumnValuesToMatchRegexPerValue` (pandas only)."""

    condition_metric_name = "column_values.match_regex_per_value"
    condition_value_keys = ("regex",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, regex, **kwargs):
        return matches_regex(column, regex)


class ExpectColumnValuesToMatchRegexPerValue(ExpectColumnValuesToMatchRegex):
    """Expect the column's values to match a regular expression (GE's own expectation, the regex
    evaluated once per distinct value of a categorical column)."""

    map_metric = "column_values.match_regex_per_value"
