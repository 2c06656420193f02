"""Command line of the project: ``python -m orchestration.cli {run,prepare,demo}``.

``run`` is what ``make run`` calls: it parses the dbt project, writes the synthetic demo yearbook
when data/raw holds no yearbook files, materializes every asset through Dagster (the run shows in
the Dagster UI's run history), and prints where the warehouse and result tables are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.paths import DEFAULT_PATHS, WarehousePaths


def cmd_prepare() -> int:
    from orchestration.dbt_manifest import parse_dbt_project

    parse_dbt_project(force=True)
    return 0


def cmd_demo() -> int:
    from models_py.demo.generate import write_demo_yearbook

    files = write_demo_yearbook(DEFAULT_PATHS.raw_root)
    print(f"Wrote {len(files)} synthetic demo yearbook files under {DEFAULT_PATHS.raw_root}")
    return 0


def cmd_run(root: Path | None = None, years: tuple[int, int] | None = None,
            as_of_edition: str | None = None, debug: bool = False) -> int:
    cmd_prepare()
    from orchestration.refresh import refresh

    paths = WarehousePaths(root or DEFAULT_PATHS.root, as_of_edition)
    print("Refreshing the warehouse (one line per finished step; the full log of every step is "
          "in the Dagster UI's run history, dbt's in dbt_project/logs/dbt.log):", flush=True)
    result = refresh(root, years, as_of_edition, raise_on_error=False, progress=sys.stdout,
                     debug=debug)
    if not result.success:
        print("The refresh failed (see the FAILED line above; --debug shows Dagster's full log "
              "with tracebacks). The analysts' snapshot was not changed.", file=sys.stderr)
        return 1
    print()
    print(f"Warehouse (DuckDB):   {paths.build_db}")
    print("  schemas: raw, staging, intermediate, marts, reference, results")
    if as_of_edition:
        print(f"Built as of edition {as_of_edition}: not published over the analysts' snapshot.")
    else:
        print(f"Analysts' snapshot:   {paths.snapshot_db}  (make sql)")
    print(f"Validation reports:   {paths.reports_dir / 'validation'}")
    print(f"Study reports:        {paths.reports_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.cli", description=__doc__)
    parser.add_argument("command", choices=["run", "prepare", "demo"])
    parser.add_argument("--root", type=Path, default=None,
                        help="warehouse root holding data/ and reports/ (default: the project)")
    parser.add_argument("--years", type=int, nargs=2, default=None,
                        help="span of the demo yearbook when it is written (fast path)")
    parser.add_argument("--as-of-edition", default=None,
                        help="rebuild as the yearbooks stood in this edition (a year); goes to "
                             "its own build file, never published over the snapshot")
    parser.add_argument("--debug", action="store_true",
                        help="print Dagster's full log, tracebacks included")
    args = parser.parse_args(argv)
    if args.command == "run":
        return cmd_run(args.root, tuple(args.years) if args.years else None,
                       args.as_of_edition, args.debug)
    return {"prepare": cmd_prepare, "demo": cmd_demo}[args.command]()


if __name__ == "__main__":
    raise SystemExit(main())
