"""Fixtures of the spatial tests: the Munnell panel of the methods README section 8."""

from __future__ import annotations

import pandas as pd
import pytest

from models_py.spatial.weights import SpatialWeights


@pytest.fixture(scope="session")
def munnell(munnell_panel: pd.DataFrame, usaww: pd.DataFrame
            ) -> tuple[pd.DataFrame, SpatialWeights]:
    """(panel with logs lgsp, lpcap, lpc, lemp; the row-standardised 48 x 48 usaww with the
    states as ids), from the copies held in tests/data."""
    return munnell_panel, SpatialWeights(usaww.to_numpy(), list(usaww.index), "usaww")
