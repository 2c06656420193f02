"""Fixtures of the spatial tests: the Munnell panel of the methods README section 8."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def munnell(munnell_panel: pd.DataFrame, usaww: pd.DataFrame
            ) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """(panel with logs lgsp, lpcap, lpc, lemp; the row-standardised 48 x 48 usaww; its state
    order), from the copies held in tests/data."""
    return munnell_panel, usaww.to_numpy(), list(usaww.index)
