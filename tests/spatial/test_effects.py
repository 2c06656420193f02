"""Direct, indirect and total effects: Munnell SAR references (methods README sec. 8), the
eigenvalue formulas against the dense matrix definitions, the trivial SEM/SDEM effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.effects import point_effects, simulated_effects
from models_py.spatial.panel_ml import fit_spatial_panel
from models_py.spatial.synthetic import random_knn_weights, simulate_panel
from models_py.spatial.weights import SpatialWeights

REGRESSORS = ["lpcap", "lpc", "lemp", "unemp"]


def test_munnell_sar_effects(munnell) -> None:
    frame, weights = munnell
    sar = fit_spatial_panel(frame, "lgsp", REGRESSORS, "state", "year", weights, "sar",
                            "entity")
    effects = point_effects(sar)  # eigenvalues carried by the results
    expected = [[-0.047504, -0.016720, -0.064223], [0.191142, 0.067275, 0.258417],
                [0.637460, 0.224364, 0.861823], [-0.0045703, -0.0016086, -0.0061789]]
    np.testing.assert_allclose(effects.loc[REGRESSORS].to_numpy(), expected, atol=1e-4)
    pd.testing.assert_frame_equal(effects, point_effects(sar, weights))
    with pytest.raises(ValueError, match="other ids"):
        point_effects(sar, weights.reordered(list(reversed(weights.ids))))


@pytest.fixture(scope="module")
def sdm_fit():
    w = SpatialWeights(random_knn_weights(70, seed=6), range(70), "knn")
    frame = simulate_panel(w.matrix, 12, "sdm", beta=(1.0, -0.5), theta=(0.5, 0.3), spatial=0.4,
                           seed=2)
    return fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sdm", "twoways"), w.matrix


def test_sdm_effects_match_the_matrix_definition(sdm_fit) -> None:
    result, w = sdm_fit
    n = len(w)
    inverse = np.linalg.inv(np.eye(n) - result.rho * w)
    effects = point_effects(result)
    for name in ("x1", "x2"):
        s = inverse @ (result.params[name] * np.eye(n) + result.params[f"W_{name}"] * w)
        direct, total = np.trace(s) / n, s.sum() / n
        np.testing.assert_allclose(effects.loc[name], [direct, total - direct, total],
                                   rtol=1e-10)


def test_simulated_effects_are_seeded_and_centred(sdm_fit) -> None:
    result, _ = sdm_fit
    table = simulated_effects(result, draws=1000, seed=3)
    pd.testing.assert_frame_equal(table, simulated_effects(result, draws=1000, seed=3))
    assert not table.equals(simulated_effects(result, draws=1000, seed=4))
    assert len(table) == 6 and set(table["effect"]) == {"direct", "indirect", "total"}
    for row in table.itertuples():
        assert abs(row.mean - row.point) < 4 * row.sd / np.sqrt(1000)
        assert row.t == pytest.approx(row.mean / row.sd)
    # the direct effect's sd is near the coefficient's standard error (feedback is small)
    direct = table.set_index(["term", "effect"]).loc[("x1", "direct")]
    assert direct["sd"] == pytest.approx(result.std_errors["x1"], rel=0.25)


def test_sem_and_sdem_effects_are_the_coefficients() -> None:
    w = SpatialWeights(random_knn_weights(50, seed=7), range(50), "knn")
    frame = simulate_panel(w.matrix, 8, "sdem", beta=(1.0, -0.5), theta=(0.5, 0.3), spatial=0.4,
                           seed=9)
    sdem = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sdem", "entity")
    effects = point_effects(sdem)
    np.testing.assert_allclose(effects["direct"], sdem.params[["x1", "x2"]])
    np.testing.assert_allclose(effects["indirect"], sdem.params[["W_x1", "W_x2"]])
    sem = fit_spatial_panel(frame, "y", ["x1", "x2"], "i", "t", w, "sem", "entity")
    table = simulated_effects(sem, draws=200, seed=1).set_index(["term", "effect"])
    assert (table.xs("indirect", level="effect")["mean"] == 0).all()
    assert table.xs("indirect", level="effect")["t"].isna().all()
    assert table.loc[("x1", "direct"), "sd"] == pytest.approx(sem.std_errors["x1"], rel=0.15)


def test_effects_refuse_a_w_that_is_not_row_standardised(sdm_fit) -> None:
    result, w = sdm_fit
    with pytest.raises(ValueError, match="row-standardised"):
        point_effects(result, SpatialWeights(w * 2, range(len(w)), "doubled"))
