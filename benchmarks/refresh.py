"""Time a full refresh on the demo yearbook, layer by layer, and print the figures.

Usage: ``make bench`` or ``python benchmarks/refresh.py [--years 2000 2012] [--keep DIR]``.
Target (issue 2): a full materialization under 60 s on a 2-core machine with the environment
installed. Each layer is materialized on its own, in order, in a fresh temporary warehouse, so
the figures add up to the whole refresh (plus Dagster's per-run overhead, printed separately).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _step_seconds(instance, run_id: str) -> list[tuple[str, float]]:
    """(step key, seconds) of every step that succeeded in the run, from Dagster's event log."""
    import dagster as dg

    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.STEP_SUCCESS).records
    return [(r.event_log_entry.step_key,
             r.event_log_entry.dagster_event.event_specific_data.duration_ms / 1000)
            for r in records]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", nargs=2, type=int, default=None, help="first and last year")
    parser.add_argument("--keep", type=Path, default=None, help="warehouse root to keep")
    parser.add_argument("--top", type=int, default=15, help="slowest steps to print")
    args = parser.parse_args()

    t0 = time.perf_counter()
    import dagster as dg

    from models_py.demo.generate import write_demo_yearbook
    from orchestration.definitions import defs
    from orchestration.resources import WarehouseResource, dbt_resource

    t_import = time.perf_counter() - t0
    root = args.keep or Path(tempfile.mkdtemp(prefix="ycw-bench-"))
    years = tuple(args.years) if args.years else None
    warehouse = WarehouseResource(
        root=str(root),
        demo_first_year=years[0] if years else None,
        demo_last_year=years[1] if years else None,
    )
    resources = {"warehouse": warehouse, "dbt": dbt_resource()}
    instance = dg.DagsterInstance.ephemeral()
    graph = defs.resolve_asset_graph()

    t = time.perf_counter()
    write_demo_yearbook(warehouse.paths.raw_root, years=years)
    figures = [("demo yearbook (write files)", time.perf_counter() - t)]

    layers = [
        ("raw (parse + load + expectations)", dg.AssetSelection.groups("raw")),
        ("dbt (seeds, models, tests) + expectations", dg.AssetSelection.groups(
            "reference", "staging", "intermediate", "marts")),
        ("studies (every table of every study)", dg.AssetSelection.key_prefixes(["results"])),
        ("publishing (analysts' snapshot)", dg.AssetSelection.groups("publishing")),
    ]
    steps: list[tuple[str, float]] = []
    for name, selection in layers:
        keys = selection.resolve(graph)
        job = defs.get_implicit_global_asset_job_def().get_subset(asset_selection=keys)
        t = time.perf_counter()
        result = job.execute_in_process(instance=instance, resources=resources,
                                        run_config=QUIET)
        figures.append((name, time.perf_counter() - t))
        steps.extend(_step_seconds(instance, result.run_id))
        if not result.success:
            print(f"{name}: FAILED", file=sys.stderr)
            return 1

    total = sum(s for _, s in figures)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Refresh of the demo yearbook ({'all years' if not years else years}) in {root}")
    print(f"{'layer':<52}{'seconds':>10}")
    print(f"{'imports (dagster, dbt, models)':<52}{t_import:>10.1f}")
    for name, seconds in figures:
        print(f"{name:<52}{seconds:>10.1f}")
    print(f"{'total (without imports)':<52}{total:>10.1f}")
    print(f"{'peak resident memory of this process (MB)':<52}{peak_mb:>10.0f}")
    print(f"\nslowest steps (of {len(steps)})")
    for step, seconds in sorted(steps, key=lambda s: -s[1])[:args.top]:
        print(f"  {step[:50]:<50}{seconds:>10.1f}")
    checks = [s for step, s in steps if step.endswith("_expectations")]
    print(f"{f'Great Expectations checks (sum of {len(checks)} *_expectations steps)':<52}"
          f"{sum(checks):>10.1f}")
    print(f"target: under 60 s in all -> {'met' if total + t_import < 60 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
