"""Panel LM tests on the Munnell data: the splm reference (entity effects) and spreg on the
correspondingly demeaned data for the pooled, time and two-way models."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.lm_tests import panel_lm_tests

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]
ROWS = ["lm_lag", "lm_error", "robust_lm_lag", "robust_lm_error"]


def lm(munnell, **options) -> pd.DataFrame:
    frame, w = munnell
    return panel_lm_tests(frame, "lgsp", REGRESSORS, "state", "year", w, **options)


def stacked(munnell, fixed_effects: str) -> tuple[np.ndarray, np.ndarray]:
    """y and X stacked by period then state (spreg's order), demeaned independently here:
    entity y - ybar_i, time y - ybar_t, twoways y - ybar_i - ybar_t + ybar (balanced panel)."""
    frame, w = munnell
    frame = frame.assign(_pos=frame["state"].map({s: i for i, s in enumerate(w.ids)}))
    frame = frame.sort_values(["year", "_pos"])
    values = frame[["lgsp", *REGRESSORS]]
    by_state = values.groupby(frame["state"]).transform("mean")
    by_year = values.groupby(frame["year"]).transform("mean")
    demeaned = {"none": values, "entity": values - by_state, "time": values - by_year,
                "twoways": values - by_state - by_year + values.mean()}[fixed_effects]
    array = demeaned.to_numpy()
    return array[:, :1], array[:, 1:]


def test_entity_effects_reproduce_the_splm_reference(munnell) -> None:
    table = lm(munnell, fixed_effects="entity")
    assert list(table.index) == ROWS
    np.testing.assert_allclose(table["statistic"], [163.695, 223.868, 34.7495, 94.9225],
                               atol=5e-3)
    pd.testing.assert_frame_equal(table, lm(munnell))  # the default is entity effects
    pd.testing.assert_frame_equal(lm(munnell, time_effects=True),
                                  lm(munnell, fixed_effects="twoways"))
    with pytest.raises(ValueError, match="fixed_effects must be one of"):
        lm(munnell, fixed_effects="individual")


@pytest.mark.parametrize("fixed_effects", ["none", "entity", "time", "twoways"])
def test_equal_to_spreg_cross_section_tests_with_block_diagonal_weights(munnell,
                                                                        fixed_effects) -> None:
    # Elhorst's panel LM tests are Anselin's LM tests with I_T x W: spreg's LM tests of an OLS
    # of the stacked demeaned data (with a constant only in the pooled model)
    import libpysal
    from spreg.diagnostics_sp import LMtests
    from spreg.ols import BaseOLS

    w = munnell[1].matrix
    y, x = stacked(munnell, fixed_effects)
    if fixed_effects == "none":
        x = np.column_stack([np.ones(len(y)), x])
    t = len(y) // len(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal's notices about the dense conversion
        big_w = libpysal.weights.full2W(np.kron(np.eye(t), w))
    theirs = LMtests(BaseOLS(y, x), big_w, tests=["lml", "lme", "rlml", "rlme"])
    ours = lm(munnell, fixed_effects=fixed_effects)["statistic"]
    np.testing.assert_allclose(ours, [theirs.lml[0], theirs.lme[0], theirs.rlml[0],
                                      theirs.rlme[0]], rtol=1e-6)


@pytest.mark.parametrize("fixed_effects", ["none", "twoways"])
def test_equal_to_spreg_diagnostics_panel(munnell, fixed_effects, monkeypatch) -> None:
    # spreg.diagnostics_panel on the demeaned data; its OLS estimates sigma^2 by e'e/(NT-k),
    # Elhorst and splm by e'e/NT: with the latter the LM-error and both robust tests agree.
    # Its panel_LMlag is not compared: it adds T_W^2 sigma^2 to J where Elhorst has T T_W sigma^2
    import libpysal
    import spreg
    from spreg import diagnostics_panel

    monkeypatch.setattr(diagnostics_panel, "OLS",
                        lambda y, x: spreg.OLS(y, x, sig2n_k=False, nonspat_diag=False))
    w = munnell[1].matrix
    y, x = stacked(munnell, fixed_effects)
    pysal_w = libpysal.weights.full2W(w)
    ours = lm(munnell, fixed_effects=fixed_effects)["statistic"]
    assert ours["lm_error"] == pytest.approx(diagnostics_panel.panel_LMerror(y, x, pysal_w)[0],
                                             rel=1e-6)
    assert ours["robust_lm_lag"] == pytest.approx(
        diagnostics_panel.panel_rLMlag(y, x, pysal_w)[0], rel=1e-6)
    assert ours["robust_lm_error"] == pytest.approx(
        diagnostics_panel.panel_rLMerror(y, x, pysal_w)[0], rel=1e-6)
