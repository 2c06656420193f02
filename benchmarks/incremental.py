"""Time the refreshes that follow a full one (issue 15's targets), on a built demo warehouse.

Usage: ``python benchmarks/incremental.py ROOT`` where ROOT holds a warehouse built by a full
refresh (``benchmarks/refresh.py`` calls it on its own warehouse at the end). Prints:

- ``make run`` again with nothing changed (a new process, imports included): target under 10 s;
- one new edition of one source (a copy of the NBS edition as edition 2099): target under 20 s
  of work after imports, only that source's raw asset and what depends on it;
- one study file changed (a copy with a comment appended, read in place of the study's file):
  only that study's tables, its report and the snapshot.

The two in-process refreshes run in a Dagster instance storing their events in SQLite files, as
``make run``'s does: benchmarks/refresh.py's, or a temporary one under ROOT (never the project's
own Dagster home, whose run history the UI shows).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NO_CHANGE_TARGET_S = 10.0
NEW_EDITION_TARGET_S = 20.0


def _row(name: str, seconds: float, detail: str = "", target: float | None = None) -> str:
    verdict = "" if target is None else (f"  target < {target:.0f} s: "
                                         f"{'met' if seconds < target else 'NOT met'}")
    return f"{name:<52}{seconds:>10.1f}  {detail}{verdict}"


def no_change_run(root: Path) -> tuple[float, str]:
    """``python -m orchestration.cli run --root ROOT`` in a new process, as ``make run``."""
    project = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("DAGSTER_HOME", None)
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--root", str(root)],
                         cwd=project, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - t, run.stdout.strip().splitlines()[0][:60]


def step_seconds(result) -> list[tuple[str, float]]:
    """(step key, seconds) of every step that succeeded in an in-process run's result."""
    return [(event.step_key, event.event_specific_data.duration_ms / 1000)
            for event in result.all_events if event.event_type_value == "STEP_SUCCESS"]


def main(root: Path, instance=None) -> list[str]:
    """The three refreshes on the warehouse under ``root``, in ``instance`` (the Dagster
    instance of benchmarks/refresh.py: SQLite files, as make run's) or, alone, a temporary
    SQLite instance of its own."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.paths import PROJECT_ROOT, WarehousePaths
    from orchestration.refresh import input_catalog, refresh, refresh_changed
    from orchestration.staleness import plan_refresh

    paths = WarehousePaths(root)
    if instance is None:
        (root / "dagster_home").mkdir(parents=True, exist_ok=True)
        instance = dg.DagsterInstance.local_temp(tempdir=str(root / "dagster_home"),
                                                 overrides={"telemetry": {"enabled": False}})
    lines = []
    seconds, said = no_change_run(root)
    lines.append(_row("make run again, nothing changed (new process)", seconds, said,
                      NO_CHANGE_TARGET_S))

    editions = sorted(p.name for p in (paths.raw_root / "nbs").iterdir() if p.is_dir())
    shutil.copytree(paths.raw_root / "nbs" / editions[-1], paths.raw_root / "nbs" / "2099")
    t = time.perf_counter()
    plan, result = refresh_changed(root, progress=io.StringIO(),  # quiet, as make run
                                   dagster_instance=instance)
    seconds = time.perf_counter() - t
    ran = sorted(k.to_user_string() for k in plan.selection if k.path[0] == "raw")
    lines.append(_row("one new NBS edition (in process)", seconds,
                      f"{len(plan.selection)} assets, raw: {', '.join(ran)}",
                      NEW_EDITION_TARGET_S))
    if result is None or not result.success:
        lines.append("  the new-edition refresh FAILED")
    else:
        steps = sorted(step_seconds(result), key=lambda step: -step[1])
        lines.append(f"  of which the steps {sum(s for _, s in steps):.1f} s, slowest: "
                     + ", ".join(f"{key} {s:.1f}" for key, s in steps[:5]))

    study = PROJECT_ROOT / "studies" / "fdi_ofdi_co2.yaml"
    edited = root / "bench_edited" / study.name
    edited.parent.mkdir(exist_ok=True)
    edited.write_text(study.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    catalog = input_catalog(paths)
    catalog = replace(catalog, study_files={**catalog.study_files, "fdi_ofdi_co2": edited})
    t = time.perf_counter()
    plan = plan_refresh(defs.resolve_asset_graph(), catalog)
    result = refresh(root, selection=dg.AssetSelection.assets(*plan.selection),
                     progress=io.StringIO(), dagster_instance=instance)
    seconds = time.perf_counter() - t
    lines.append(_row("one study file changed (in process)", seconds,
                      f"{len(plan.selection)} assets: that study's tables, report, snapshot"))
    return lines


if __name__ == "__main__":
    for line in main(Path(sys.argv[1])):
        print(line)
