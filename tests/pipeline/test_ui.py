"""The Dagster UI for real: the webserver on loopback serves the whole asset graph and checks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.paths import PROJECT_ROOT

QUERY = """
{ assetNodes { assetKey { path } groupName
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.xdist_group("ui")
def test_webserver_serves_the_asset_graph_and_checks(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "DAGSTER_DISABLE_TELEMETRY": "1",
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"), "-m", "orchestration.definitions",
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        deadline, nodes = time.time() + 120, None
        while time.time() < deadline and nodes is None:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            try:
                nodes = graphql(port, QUERY)["data"]["assetNodes"]
            except (OSError, KeyError, TypeError):
                time.sleep(1)
        assert nodes is not None, "the webserver did not answer within 120 s"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    for key, group in [("raw/nbs_cells", "raw"), ("stg_nbs__province_indicators", "staging"),
                       ("int_province_capital_stocks", "intermediate"),
                       ("mart_province_panel", "marts"),
                       ("results/tech_imports_co2/baseline", "tech_imports_co2"),
                       ("published_warehouse", "publishing")]:
        assert by_key[key]["groupName"] == group
    checks = {c["name"]: c["blocking"]
              for c in by_key["mart_province_panel"]["assetChecksOrError"]["checks"]}
    assert checks["marts_expectations"] is True
    assert "column_rules_mart_province_panel" in checks  # dbt tests as checks
