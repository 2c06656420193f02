"""The Munnell (plm ``Produc``) benchmark panel: tests/data/munnell*.csv when the project carries
it, else ../shared/data/benchmarks; the test is skipped when neither exists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_FILE = (PROJECT_ROOT.parent / "shared" / "data" / "benchmarks"
               / "produc_munnell_48states_1970_1986.csv")


def load_munnell() -> pd.DataFrame:
    """816 state-years with lgsp, lpcap, lpc, lemp (natural logs) added."""
    candidates = sorted((PROJECT_ROOT / "tests" / "data").glob("munnell*.csv")) + [SHARED_FILE]
    for path in candidates:
        if not path.is_file():
            continue
        frame = pd.read_csv(path)
        if {"state", "year", "gsp", "pcap", "pc", "emp", "unemp"} <= set(frame.columns):
            for column in ("gsp", "pcap", "pc", "emp"):
                frame[f"l{column}"] = np.log(frame[column])
            return frame
    pytest.skip("the Munnell panel is neither in tests/data/munnell*.csv nor in "
                f"{SHARED_FILE}")
