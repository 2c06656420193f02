"""Shared test fixtures: where the real reference files are, and a parsed dbt manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
REFERENCE_DATA = Path(__file__).resolve().parent / "data"  # held in the repo (tests/data/README.md)

# No telemetry from any tool during tests (these machines have no internet).
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def pytest_configure(config: pytest.Config) -> None:
    # Parse the dbt project once, in the controlling process, before workers import Dagster
    # definitions (which need the manifest).
    if not hasattr(config, "workerinput"):
        from orchestration.dbt_manifest import parse_dbt_project

        parse_dbt_project(force=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real files of ../shared/data; tests that need them skip when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not present (real reference files live outside the repo)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def munnell_panel() -> pd.DataFrame:
    """The Munnell panel (plm's Produc, tests/data) with the logs lgsp, lpcap, lpc and lemp."""
    from tests.estimation._munnell import load_munnell

    return load_munnell()


@pytest.fixture(scope="session")
def usaww() -> pd.DataFrame:
    """splm's row-standardised 48 x 48 contiguity of the US states (tests/data), indexed by state
    in the order of the Munnell panel's states."""
    return pd.read_csv(REFERENCE_DATA / "usaww_48x48_rowstd.csv", index_col=0)
