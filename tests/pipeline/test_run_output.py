"""A failed make run prints the rejected file's message once, no traceback, and its own failure
line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.paths import PROJECT_ROOT

BAD_GDP = ("数据库：分省年度数据\r\n指标：地区生产总值(亿元)\r\n地区,2011年,2010年\r\n"
           "北景市,1.0,2.0\r\n")


def test_failed_run_prints_the_message_once_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "raw" / "nbs" / "2023"
    folder.mkdir(parents=True)
    (folder / "gdp.csv").write_bytes(BAD_GDP.encode("gb18030"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("DAGSTER_HOME", None)
    run = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--root",
                          str(tmp_path)], cwd=PROJECT_ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "Stack Trace" not in run.stderr
    message = ("nbs/2023/gdp.csv, row 4, column 'A': expected a province name known to "
               "dbt_project/seeds/ref_province_aliases.csv (e.g. 北京市, 北京, Beijing), "
               "found '北景市'")
    assert run.stderr.count(message) == 1, run.stderr[-3000:]
    assert f"step raw_cells failed: {message}" in run.stderr
    assert "The refresh failed; the analysts' snapshot" in run.stderr
