"""dbt in the refresh's own process: the dbt resource of the Dagster definitions.

dagster-dbt's ``DbtCliResource`` starts dbt as a subprocess and reads its JSON log from stdout.
That subprocess imports dbt-core, the DuckDB adapter and their dependencies again (about 2 s on
2 cores) and starts Python (about 1 s), although the refresh's process has already imported
nearly all of dbt-core to read the manifest (dagster-dbt). Here dbt-core's own programmatic
entry point (``dbtRunner``) runs the same command in this process: the node selection of the
step's subset is computed by dagster-dbt as for its subprocess, dbt's structured events reach a
callback instead of a pipe, and dagster-dbt turns each node's result into the same Dagster
events (materializations with their duration, asset check results).

What dbt's subprocess gave for free and this must do itself:

- release the build file: dbt-duckdb keeps its DuckDB database open in the process until exit
  (``DuckDBConnectionManager``); it is closed after every build, so the run's own connection,
  the snapshot's copy and other processes can open the file again;
- the log: dbt's console messages (info and above, the ones dagster-dbt printed) go to
  ``log_path`` (reports/logs/dbt_build.log); dbt's own console and debug file log are off
  (``--log-level none``: formatting some 4,000 debug events per build for a file nobody read);
- no JSON artifacts (``--no-write-json``): nothing reads the build's manifest.json (written
  twice, after the parse and after the run: about 1 s of the main thread), run_results.json or
  graph.gpickle; the Dagster events come from dbt's result events and the definitions'
  manifest (dbt_project/target/manifest.json, written by ``dbt parse``), and the compiled SQL
  (target/compiled, read for a failed ``column_rules`` check) and the partial-parse state are
  written all the same;
- errors: the error messages dbt logged, in the exception that a failed build raises after its
  events (the models it built and the tests it ran are still recorded).

dagster-dbt functions used (version pinned in constraints.txt; tests/orchestration/
test_dbt_resource.py fails if an upgrade moves them): ``extract_runtime_selection_from_args``
and ``get_updated_cli_invocation_params_for_context`` (dagster_dbt.asset_utils, what
``DbtCliResource.cli`` calls) and ``DbtCoreCliEventMessage.to_default_asset_events``; and
dbt-duckdb's ``DuckDBConnectionManager._ENV`` (its one environment per process).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

# The result events of dbt-core whose nodes dagster-dbt turns into Dagster events
# (DbtCoreCliEventMessage.is_result_event).
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult",
                           "LogTestResult"})
_CONSOLE_LEVELS = frozenset({"info", "warn", "error"})
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


class DbtBuildError(Exception):
    """A dbt command in this process failed (a node errored, or dbt itself could not run)."""


@dataclass
class DbtInvocation:
    """What one dbt command returned: the manifest of the assets it ran, its Dagster events (in
    dbt's order), whether it succeeded, the error messages dbt logged and the exception that
    stopped dbt, if any."""

    command: str
    manifest: Mapping[str, Any] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    success: bool = False
    errors: list[str] = field(default_factory=list)
    exception: BaseException | None = None

    def error(self) -> DbtBuildError | None:
        """The exception to raise after the events when the command failed, else None."""
        if self.success:
            return None
        details = "\n".join(self.errors) or (repr(self.exception) if self.exception else
                                               "no error message")
        return DbtBuildError(f"dbt {self.command} failed:\n{details}")


def _release_build_file() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the process: its connection manager
    forgets its environment only at exit (``close_all_connections``, registered with atexit),
    and the environment closes its database when its last handle closes, which a build that
    failed or was interrupted may not have done; the environment's own ``close`` closes the
    database and its cursors at once."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()


def _reuse_partial_parse(project_dir: Path, target_path: Path) -> None:
    """Copy the project's partial-parse state (target/partial_parse.msgpack, written by
    ``orchestration.cli prepare``) into a build's own target folder that has none yet, so that
    its first build does not parse the whole project again (about 3 s; dagster-dbt's subprocess
    runner does the same)."""
    source = project_dir / "target" / PARTIAL_PARSE_FILE
    destination = target_path / PARTIAL_PARSE_FILE
    if source.exists() and not destination.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


class DbtInProcessResource(dg.ConfigurableResource):
    """Runs dbt commands on the project in this process (see the module's docstring)."""

    project_dir: str
    profiles_dir: str

    def run(self, args: Sequence[str], *, context: dg.AssetExecutionContext,
            target_path: Path, log_path: Path) -> DbtInvocation:
        """``dbt <args>`` on the assets (and checks) selected in ``context``, the step of a
        ``@dbt_assets`` definition (its manifest and translator are the definition's); every
        event is collected before this returns (dbt holds the build file until it has
        finished)."""
        from dagster_dbt import DagsterDbtTranslator
        from dagster_dbt.asset_utils import (
            extract_runtime_selection_from_args,
            get_updated_cli_invocation_params_for_context,
        )
        from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_dict

        cleaned, selects, excludes = extract_runtime_selection_from_args(args)
        params = get_updated_cli_invocation_params_for_context(
            context=context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator(),
            runtime_selects=selects, runtime_excludes=excludes)
        project_dir = (str(params.dbt_project.project_dir) if params.dbt_project
                       else self.project_dir)
        argv = [*cleaned, *params.selection_args,
                "--project-dir", project_dir, "--profiles-dir", self.profiles_dir,
                "--target-path", str(target_path), "--log-path", str(target_path),
                "--log-level", "none", "--no-use-colors", "--no-write-json"]
        if params.indirect_selection:
            argv += ["--indirect-selection", params.indirect_selection]
        invocation = DbtInvocation(command=" ".join(args), manifest=params.manifest)
        _reuse_partial_parse(Path(project_dir), target_path)
        results: list[dict[str, Any]] = []
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "w", encoding="utf-8") as log:

            def collect(message: Any) -> None:
                info = message.info
                if info.level in _CONSOLE_LEVELS:
                    log.write(info.msg + "\n")
                if info.level == "error":
                    invocation.errors.append(info.msg)
                if info.name in RESULT_EVENTS:
                    results.append(msg_to_dict(message))

            try:
                outcome = dbtRunner(callbacks=[collect]).invoke(argv)
            finally:
                _release_build_file()
        invocation.success = bool(outcome.success)
        invocation.exception = outcome.exception
        for raw in results:
            invocation.events.extend(
                DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
                .to_default_asset_events(
                    manifest=params.manifest, dagster_dbt_translator=params.dagster_dbt_translator,
                    context=context, target_path=target_path, project=params.dbt_project))
        return invocation
