"""Fixtures of the spatial tests: the Munnell panel of the methods README section 8."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models_py.spatial.weights import SpatialWeights


@pytest.fixture(scope="session")
def munnell(shared_data: Path) -> tuple[pd.DataFrame, SpatialWeights]:
    """(panel with logs lgsp, lpcap, lpc, lemp; the row-standardised 48 x 48 usaww with the
    states as ids). Skips when ../shared/data is absent."""
    frame = pd.read_csv(shared_data / "benchmarks" / "produc_munnell_48states_1970_1986.csv")
    for column in ("gsp", "pcap", "pc", "emp"):
        frame[f"l{column}"] = np.log(frame[column])
    w = pd.read_csv(shared_data / "benchmarks" / "usaww_48x48_rowstd.csv", index_col=0)
    return frame, SpatialWeights(w.to_numpy(), list(w.index), "usaww")
