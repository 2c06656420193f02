"""Time a full refresh on the demo yearbook, as ``make run`` runs it, and print the figures.

Usage: ``make bench`` or ``python benchmarks/refresh.py [--years 2000 2012] [--keep DIR]
[--top N] [--no-incremental]``.

Targets (issue 15, on a 2-core machine with the environment installed): a full refresh from an
empty warehouse under 30 s of work after imports (writing the demo files is printed but not
counted: ``make run`` writes them once), peak memory under 1.5 GB. The refresh is one run of
every asset in a fresh temporary warehouse through the code ``make run FULL=1`` runs
(orchestration.refresh: the refresh_all job, then the record of what it built), in a Dagster
instance that stores the run and its events in SQLite files as ``make run``'s does
(dagster.yaml), not in memory; each layer's figure is the sum of its steps' durations, and what is
left of the run's time is Dagster's own between the steps (starting the run and its resources,
planning, storing events). The slowest steps follow. Then benchmarks/incremental.py times the
refreshes that follow on the same warehouse: nothing changed, a new edition, a study file
changed.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
WORK_TARGET_S = 30.0
PEAK_TARGET_MB = 1536.0


LAYERS = [
    ("raw (parse + load + expectations)", ("raw",)),
    ("dbt (seeds, models, tests) + expectations",
     ("reference", "staging", "intermediate", "marts")),
    ("studies (every table of every study)", ("results",)),
    ("reports (HTML, figures, tables)", ("reports",)),
    ("publishing (analysts' snapshot)", ("publishing",)),
]


def step_layers(result, graph) -> dict[str, str]:
    """The layer of each step of ``result``: that of the assets it materialized or checked
    (the group of a raw, dbt or snapshot asset; the first part of a study's or report's key)."""
    layer_of_group = {group: name for name, groups in LAYERS for group in groups}
    out: dict[str, str] = {}
    for event in result.all_events:
        if event.step_key in out or event.event_type_value not in (
                "ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION"):
            continue
        key = (event.asset_key if event.event_type_value == "ASSET_MATERIALIZATION"
               else event.event_specific_data.asset_key)
        group = graph.get(key).group_name
        layer = layer_of_group.get(key.path[0]) or layer_of_group.get(group)
        if layer is not None:
            out[event.step_key] = layer
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", nargs=2, type=int, default=None, help="first and last year")
    parser.add_argument("--keep", type=Path, default=None, help="warehouse root to keep")
    parser.add_argument("--top", type=int, default=15, help="slowest steps to print")
    parser.add_argument("--no-incremental", action="store_true",
                        help="skip the incremental refreshes (benchmarks/incremental.py)")
    args = parser.parse_args()

    import incremental  # benchmarks/incremental.py, beside this script

    t0 = time.perf_counter()
    import dagster as dg

    from models_py.demo.generate import write_demo_yearbook
    from orchestration.dbt_manifest import parse_dbt_project
    from orchestration.definitions import defs
    from orchestration.paths import WarehousePaths
    from orchestration.refresh import refresh

    t_import = time.perf_counter() - t0
    root = args.keep or Path(tempfile.mkdtemp(prefix="ycw-bench-"))
    # as `make run` does: dbt parses with this warehouse's path, so its build reuses the parse
    os.environ["WAREHOUSE_DB_PATH"] = str(WarehousePaths(root).build_db)
    parse_dbt_project(force=True)
    years = tuple(args.years) if args.years else None
    # as `make run`'s instance (dagster.yaml): runs and their events in SQLite files, here
    # those of a temporary Dagster home (an in-memory instance would not count their writes)
    (root / "dagster_home").mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.local_temp(tempdir=str(root / "dagster_home"),
                                             overrides={"telemetry": {"enabled": False}})
    graph = defs.resolve_asset_graph()

    t = time.perf_counter()
    write_demo_yearbook(WarehousePaths(root).raw_root, years=years)
    figures = [("demo yearbook (write files)", time.perf_counter() - t)]

    # the refresh of `make run FULL=1` (every asset, its inputs recorded after it), the lines
    # it prints kept out of the figures' way
    t = time.perf_counter()
    result = refresh(root, years, dagster_instance=instance, raise_on_error=False,
                     progress=io.StringIO())
    refresh_seconds = time.perf_counter() - t
    if not result.success:
        print("the refresh FAILED", file=sys.stderr)
        return 1
    steps = incremental.step_seconds(result)
    layer_of = step_layers(result, graph)
    for name, _ in LAYERS:
        figures.append((name, sum(s for step, s in steps if layer_of.get(step) == name)))
    figures.append(("Dagster between the steps (run, events)",
                    refresh_seconds - sum(s for _, s in steps)))

    work = refresh_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Refresh of the demo yearbook ({'all years' if not years else years}) in {root}")
    print(f"{'layer':<52}{'seconds':>10}")
    print(f"{'imports (dagster, dbt, models)':<52}{t_import:>10.1f}")
    for name, seconds in figures:
        print(f"{name:<52}{seconds:>10.1f}")
    print(f"{'full refresh, work after imports (demo files apart)':<52}{work:>10.1f}"
          f"  target < {WORK_TARGET_S:.0f} s: {'met' if work < WORK_TARGET_S else 'NOT met'}")
    print(f"{'peak resident memory of this process (MB)':<52}{peak_mb:>10.0f}"
          f"  target < {PEAK_TARGET_MB:.0f} MB: {'met' if peak_mb < PEAK_TARGET_MB else 'NOT met'}")
    print(f"\nslowest steps (of {len(steps)})")
    for step, seconds in sorted(steps, key=lambda s: -s[1])[:args.top]:
        print(f"  {step[:50]:<50}{seconds:>10.1f}")
    checks = [s for step, s in steps if step.endswith("_expectations")]
    print(f"{f'Great Expectations checks (sum of {len(checks)} *_expectations steps)':<52}"
          f"{sum(checks):>10.1f}")
    if not args.no_incremental:
        print("\nincremental refreshes on the same warehouse")
        for line in incremental.main(root, instance):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
