"""One line per finished step on the terminal of ``make run``, and a failure said once.

A Dagster logger (``progress_logger``) that reads the structured events of the run instead of
the log text: ``[12/20] results/tech_imports_co2/baseline: 3 tables written, 1 check passed
(0.4 s)``. Everything else (parser notes, dbt's log, Great Expectations) stays at DEBUG in the
run's event log and the Dagster UI; dbt writes its own log to dbt_project/logs/dbt.log.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

import dagster as dg

FIRST_ROWS = 5


@dataclass
class _Step:
    started: float
    assets: list[str] = field(default_factory=list)
    rows: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)


class ProgressHandler(logging.Handler):
    """Prints one line per finished step; on a failure the step, its message once and where
    the full report is."""

    def __init__(self, total_steps: int, stream: TextIO | None = None) -> None:
        super().__init__(level=logging.DEBUG)
        self.total = total_steps
        self.stream = stream or sys.stdout
        self.done = 0
        self.steps: dict[str, _Step] = {}
        self.failures: list[str] = []

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:  # a progress line must never fail the run it reports on
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            return
        kind = event.event_type_value
        step_key = event.step_key or ""
        if kind == "STEP_START":
            self.steps[step_key] = _Step(time.perf_counter())
        step = self.steps.setdefault(step_key, _Step(time.perf_counter()))
        if kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            step.assets.append(materialization.asset_key.to_user_string())
            for key, value in materialization.metadata.items():
                number = getattr(value, "value", value)
                if ((key in ("rows", "dagster/row_count") or key.startswith("rows_"))
                        and isinstance(number, int | float)):
                    step.rows += int(number)
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed:
                step.checks_passed += 1
            else:
                name = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
                description = (evaluation.description or "").strip()
                offending = evaluation.metadata.get("dagster_dbt/failed_row_count")
                if not description and offending is not None:  # a dbt test: no description
                    description = (f"{getattr(offending, 'value', offending)} offending rows "
                                   "(dbt test; its SQL and rows: reports/logs/dbt_build.log)")
                report = evaluation.metadata.get("report")
                where = f"\n    full report: {report.value}" if report is not None else ""
                lines = description.splitlines()[: FIRST_ROWS + 1]
                step.checks_failed.append(f"{name}\n    " + "\n    ".join(lines) + where)
        elif kind == "STEP_SUCCESS":
            if not step.assets and not step.checks_failed:
                return  # a check step that passed: not printed (the CLI prints the total)
            if step.assets:
                self.done += 1
            self._print(self._line(step_key, step))
            for failed in step.checks_failed:
                self._print(f"  check failed (not blocking): {failed}")
        elif kind == "STEP_FAILURE":
            # the message, the first offending rows and the report's path are printed once,
            # at the end of the run (orchestration/run_output.failure_summary)
            self.failures.append(step_key)
            self._print(f"FAILED {step_key} (the reason follows at the end)")
        elif kind == "STEP_SKIPPED":
            self._print(f"skipped {step_key} (an upstream step or blocking check failed)")

    def _line(self, step_key: str, step: _Step) -> str:
        seconds = time.perf_counter() - step.started
        name = step.assets[0] if len(step.assets) == 1 else step_key
        parts = []
        if len(step.assets) > 1:
            parts.append(f"{len(step.assets)} assets")
        if step.rows:
            parts.append(f"{step.rows:,} rows")
        if step.checks_passed or step.checks_failed:
            parts.append(f"{step.checks_passed} checks passed"
                         + (f", {len(step.checks_failed)} failed" if step.checks_failed else ""))
        detail = ", ".join(parts)
        return f"[{self.done}/{self.total}] {name}{': ' + detail if detail else ''} " \
               f"({seconds:.1f} s)"


def progress_logger_def(total_steps: int, stream: TextIO | None = None,
                        debug: bool = False) -> dg.LoggerDefinition:
    """A logger definition printing progress lines for a run of ``total_steps`` asset steps
    (check steps are counted, and printed only when they fail)."""

    @dg.logger(description="One line per finished step (make run).")
    def progress(_init_context) -> logging.Logger:
        logger = logging.Logger("yearbook_progress", level=logging.DEBUG)
        logger.addHandler(ProgressHandler(total_steps, stream))
        return logger

    return progress
