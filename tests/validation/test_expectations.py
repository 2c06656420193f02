"""The expectations of our own (models_py/validation/expectations.py) against GE's own."""

from __future__ import annotations

import pandas as pd

from models_py.validation.expectations import matches_regex
from models_py.validation.runner import _gx_class

EDITIONS = ["2021", "2023", "20x1", "2021", "2023", "2023", "1999a", "2021"]


def test_matches_regex_on_categories_is_the_row_by_row_answer() -> None:
    rows = pd.Series(EDITIONS, index=range(10, 18))
    expected = [True, True, False, True, True, True, False, True]
    for column in (rows, rows.astype("category")):
        answer = matches_regex(column, r"^\d{4}$")
        assert answer.tolist() == expected
        assert answer.index.tolist() == list(range(10, 18))


def test_per_value_expectation_reports_what_ge_reports() -> None:
    """The same unexpected count, values and row indices as GE's expect_column_values_to_match_
    regex, on a categorical column with nulls."""
    import great_expectations as gx

    frame = pd.DataFrame({"edition": pd.Categorical([*EDITIONS, None, "2021"])})
    batch = (gx.get_context(mode="ephemeral").data_sources.add_pandas("p")
             .add_dataframe_asset("t").add_batch_definition_whole_dataframe("w")
             .get_batch(batch_parameters={"dataframe": frame}))
    results = {}
    for name in ("expect_column_values_to_match_regex",
                 "expect_column_values_to_match_regex_per_value"):
        outcome = batch.validate(_gx_class(name)(column="edition", regex=r"^\d{4}$"),
                                 result_format="COMPLETE")
        results[name] = outcome
    ours, theirs = (results["expect_column_values_to_match_regex_per_value"],
                    results["expect_column_values_to_match_regex"])
    assert not ours.success and not theirs.success
    assert ours.result["unexpected_count"] == theirs.result["unexpected_count"] == 2
    assert ours.result["missing_count"] == 1
    assert sorted(ours.result["unexpected_list"]) == ["1999a", "20x1"]
    assert ours.result["unexpected_index_list"] == theirs.result["unexpected_index_list"] == [2, 6]
