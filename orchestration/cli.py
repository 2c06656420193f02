"""Command line of the project: ``python -m orchestration.cli {run,prepare,demo,demo-off}``.

``run`` is what ``make run`` calls: it parses the dbt project, writes the synthetic demo yearbook
when data/raw holds no yearbook files, materializes through Dagster (the run shows in the Dagster
UI's run history) every asset that changed since the last refresh and everything downstream of it
(``--full``: every asset), and prints where the warehouse and result tables are. When nothing
changed it says so and runs nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from orchestration.paths import DEFAULT_PATHS, WarehousePaths


def cmd_prepare() -> int:
    from orchestration.dbt_manifest import parse_dbt_project

    parse_dbt_project(force=True)
    return 0


def cmd_demo(root: Path | None = None) -> int:
    from models_py.demo.generate import write_demo_yearbook
    from models_py.ingest.demo_off import DEMO_OFF_STAMP

    paths = WarehousePaths(root) if root else DEFAULT_PATHS
    (paths.raw_root / DEMO_OFF_STAMP).unlink(missing_ok=True)
    files = write_demo_yearbook(paths.raw_root)
    print(f"Wrote {len(files)} synthetic demo yearbook files under {paths.raw_root}")
    return 0


def cmd_demo_off(root: Path | None = None) -> int:
    """Remove the demo yearbook from data/raw and from the build warehouse in one step."""
    from models_py.ingest.demo_off import switch_demo_off
    from orchestration.refresh_lock import RefreshAlreadyRunning, acquire_refresh_lock

    paths = WarehousePaths(root) if root else DEFAULT_PATHS
    try:
        lock = acquire_refresh_lock(paths)
    except RefreshAlreadyRunning as exc:
        print(f"Refused: {exc}.", file=sys.stderr)
        return 1
    with lock:
        removed = switch_demo_off(paths.raw_root, paths.build_db)
    print(f"Removed {len(removed.files)} synthetic demo files from {paths.raw_root} and "
          f"{removed.raw_rows} synthetic rows from {paths.build_db} (its staging, marts and "
          "results are rebuilt by the next make run).")
    print(f"The analysts' snapshot {paths.snapshot_db} keeps its content until a refresh "
          "publishes a new one; make run will not write the demo again (make demo does).")
    return 0


def _print_nothing_changed(since) -> None:
    print(f"Nothing changed since the last refresh ({since:%Y-%m-%d %H:%M:%S} UTC): every "
          "yearbook file, study file and piece of code is as it was, so nothing is recomputed "
          "and the snapshot is not republished (make run FULL=1 rebuilds everything).")


def _print_plan(planned, build_db: Path) -> None:
    """What a run of only what changed is about to rebuild, and why."""
    if planned.nothing_changed:
        return
    if planned.last_refresh is None:
        print(f"No earlier refresh recorded in {build_db}: building every asset.")
    else:
        print(f"Changed since the last refresh ({planned.last_refresh:%Y-%m-%d %H:%M:%S} UTC):")
        for line in planned.summary():
            print(line)
        print(f"  -> {len(planned.selection)} assets to rebuild (those and everything "
              "downstream).")
    _print_refreshing()


def _print_refreshing() -> None:
    print("Refreshing the warehouse (one line per finished step; the full log of every step is "
          "in the Dagster UI's run history, dbt's in reports/logs/dbt_build.log):", flush=True)


def cmd_run(root: Path | None = None, years: tuple[int, int] | None = None,
            as_of_edition: str | None = None, debug: bool = False, full: bool = False) -> int:
    from orchestration.refresh_lock import RefreshAlreadyRunning, refuse_if_running

    try:  # at once, before parsing dbt and loading Dagster
        refuse_if_running(WarehousePaths(root) if root else DEFAULT_PATHS)
    except RefreshAlreadyRunning as exc:
        print(f"Refused: {exc}.", file=sys.stderr)
        return 1
    paths = WarehousePaths(root or DEFAULT_PATHS.root, as_of_edition)
    if not full:
        from orchestration.clean_state import unchanged_since

        since = unchanged_since(paths)
        if since is not None:
            _print_nothing_changed(since)
            return 0
    # parse with this run's build path, so that dbt's build reuses the parse (dbt_manifest.py)
    os.environ["WAREHOUSE_DB_PATH"] = str(paths.build_db)
    cmd_prepare()
    from orchestration.refresh import refresh, refresh_changed
    from orchestration.run_output import failure_summary

    if full:
        _print_refreshing()
        result = refresh(root, years, as_of_edition, raise_on_error=False,
                         progress=sys.stdout, debug=debug)
    else:
        planned, result = refresh_changed(
            root, years, as_of_edition, on_plan=lambda p: _print_plan(p, paths.build_db),
            raise_on_error=False, progress=sys.stdout, debug=debug)
        if result is None:
            _print_nothing_changed(planned.last_refresh)
            return 0
    if not result.success:
        print(file=sys.stderr)
        for line in failure_summary(result):
            print(line, file=sys.stderr)
        print(f"The refresh failed; the analysts' snapshot {paths.snapshot_db} keeps its "
              "previous content (--debug prints Dagster's full log with tracebacks).",
              file=sys.stderr)
        return 1
    evaluations = result.get_asset_check_evaluations()
    print(f"Done: {sum(e.passed for e in evaluations)} of {len(evaluations)} checks passed "
          "(dbt's data tests counted in its line above).")
    print()
    print(f"Warehouse (DuckDB):   {paths.build_db}")
    print("  schemas: raw, staging, intermediate, marts, reference, results, pipeline")
    if as_of_edition:
        print(f"Built as of edition {as_of_edition}: not published over the analysts' snapshot.")
    else:
        print(f"Analysts' snapshot:   {paths.snapshot_db}  (make sql)")
    print(f"Validation reports:   {paths.reports_dir / 'validation'}")
    print(f"Study reports:        {paths.reports_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.cli", description=__doc__)
    parser.add_argument("command", choices=["run", "prepare", "demo", "demo-off"])
    parser.add_argument("--root", type=Path, default=None,
                        help="warehouse root holding data/ and reports/ (default: the project)")
    parser.add_argument("--years", type=int, nargs=2, default=None,
                        help="span of the demo yearbook when it is written (fast path)")
    parser.add_argument("--as-of-edition", default=None,
                        help="rebuild as the yearbooks stood in this edition (a year); goes to "
                             "its own build file, never published over the snapshot")
    parser.add_argument("--debug", action="store_true",
                        help="print Dagster's full log, tracebacks included")
    parser.add_argument("--full", action="store_true",
                        help="rebuild every asset, changed or not (default: only what changed "
                             "since the last refresh, and what depends on it)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return cmd_run(args.root, tuple(args.years) if args.years else None,
                       args.as_of_edition, args.debug, args.full)
    if args.command == "demo":
        return cmd_demo(args.root)
    if args.command == "demo-off":
        return cmd_demo_off(args.root)
    return cmd_prepare()


if __name__ == "__main__":
    raise SystemExit(main())
