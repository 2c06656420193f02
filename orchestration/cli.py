"""Command line of the project: ``python -m orchestration.cli {run,prepare,demo}``.

``run`` is what ``make run`` calls: it parses the dbt project, writes the synthetic demo yearbook
when data/raw holds no yearbook files, materializes every asset through Dagster (the run shows in
the Dagster UI's run history), and prints where the warehouse and result tables are.
"""

from __future__ import annotations

import argparse
import os
import sys

from orchestration.paths import DEFAULT_PATHS


def _instance():
    import dagster as dg

    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def cmd_prepare() -> int:
    from orchestration.dbt_manifest import parse_dbt_project

    parse_dbt_project(force=True)
    print("dbt project parsed.")
    return 0


def cmd_demo() -> int:
    from models_py.demo.generate import write_demo_yearbook

    files = write_demo_yearbook(DEFAULT_PATHS.raw_root)
    print(f"Wrote {len(files)} synthetic demo yearbook files under {DEFAULT_PATHS.raw_root}")
    return 0


def cmd_run() -> int:
    cmd_prepare()
    from orchestration.definitions import defs

    job = defs.resolve_job_def("refresh_all")
    quiet = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    result = job.execute_in_process(instance=_instance(), run_config=quiet)
    if not result.success:
        print("The refresh failed; see the messages above.", file=sys.stderr)
        return 1
    paths = DEFAULT_PATHS
    print()
    print(f"Warehouse (DuckDB):   {paths.build_db}")
    print("  schemas: raw, staging, intermediate, marts, results")
    print(f"Publication tables:   {paths.tables_dir}")
    first = sorted(paths.tables_dir.glob("*.md"))
    if first:
        print()
        print(first[0].read_text(encoding="utf-8"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.cli", description=__doc__)
    parser.add_argument("command", choices=["run", "prepare", "demo"])
    args = parser.parse_args(argv)
    return {"run": cmd_run, "prepare": cmd_prepare, "demo": cmd_demo}[args.command]()


if __name__ == "__main__":
    raise SystemExit(main())
