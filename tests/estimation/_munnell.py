"""The Munnell (plm ``Produc``) benchmark panel the project carries in tests/data (the same file
as the spatial tests' fixture in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MUNNELL_FILE = PROJECT_ROOT / "tests" / "data" / "produc_munnell_48states_1970_1986.csv"


def load_munnell() -> pd.DataFrame:
    """816 state-years with lgsp, lpcap, lpc, lemp (natural logs) added."""
    frame = pd.read_csv(MUNNELL_FILE)
    for column in ("gsp", "pcap", "pc", "emp"):
        frame[f"l{column}"] = np.log(frame[column])
    return frame
