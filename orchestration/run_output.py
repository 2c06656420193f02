"""What ``make run`` prints: one line per Dagster event (no stack traces), and on failure the
failing check's or file's message once, its first offending rows and the path of the full
report."""

from __future__ import annotations

import logging
import sys

import dagster as dg

MAX_LINES = 8  # of a check's description: the first offending rows


@dg.logger(
    config_schema={"log_level": dg.Field(str, is_required=False, default_value="INFO")},
    description="Console logger printing the first line of each message (no stack traces).",
)
def concise_console(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("yearbook_warehouse.refresh")
    logger.setLevel(init_context.logger_config["log_level"])
    logger.propagate = False
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_FirstLine("%(asctime)s - %(levelname)s - %(message)s"))
        logger.addHandler(handler)
    return logger


class _FirstLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.msg, record.args = record.getMessage().split("\n", 1)[0], None
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record)


def _deepest(error) -> str:
    while error.cause is not None:
        error = error.cause
    message = error.message.strip()
    prefix = f"{error.cls_name}: " if error.cls_name else ""
    for name in (prefix, "models_py.ingest.errors." + prefix):
        if name and message.startswith(name):
            message = message[len(name):]
    return message.split("\n", 1)[0] if error.cls_name != "RawFileError" else message


def failure_summary(result: dg.ExecuteInProcessResult) -> list[str]:
    """The lines that say why a run failed: each failed blocking check's description (the
    table, expectation and first offending rows) and report path, and each step's own error
    (a rejected file: file, sheet, row, column), once each."""
    lines: list[str] = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
                continue
            description = (evaluation.description or "").splitlines()
            lines.append(f"check {evaluation.check_name} on "
                         f"{evaluation.asset_key.to_user_string()} failed:")
            lines += [f"  {line}" for line in description[:MAX_LINES]]
            report = evaluation.metadata.get("report")
            if report is not None:
                lines.append(f"  full report: {report.value}")
        elif event.is_step_failure:
            error = event.event_specific_data.error
            if error is None or "DagsterAssetCheckFailedError" in (error.cls_name or ""):
                continue  # said above, by the check itself
            lines.append(f"step {event.step_key} failed: {_deepest(error)}")
    return list(dict.fromkeys(lines))
