"""Run a layer's suite on data frames with Great Expectations and explain every failure.

``validate(layer, {"marts.mart_province_panel": frame, ...})`` returns a ValidationReport whose
failures each name the table, the expectation, the column and up to five offending rows by their
key, in a sentence a person can act on.
"""

from __future__ import annotations

import html
import json
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models_py.validation.suites import LayerSuite, TableSuite, load_layer_suite

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
SAMPLE = 5


@dataclass
class Failure:
    table: str
    expectation: str
    column: str | None
    unexpected_count: int
    examples: list[str]
    message: str
    warning: bool = False  # reported, does not fail the check


@dataclass
class TableResult:
    table: str
    n_rows: int
    n_expectations: int
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


@dataclass
class ValidationReport:
    layer: str
    tables: list[TableResult]

    @property
    def success(self) -> bool:
        return all(t.success for t in self.tables)

    @property
    def failures(self) -> list[Failure]:
        return [f for t in self.tables for f in t.failures]

    @property
    def warnings(self) -> list[Failure]:
        return [f for t in self.tables for f in t.warnings]

    def summary(self) -> str:
        if self.success and not self.warnings:
            return f"{self.layer}: {len(self.tables)} tables meet every expectation."
        lines = [f.message for f in self.failures]
        lines += [f"warning: {f.message}" for f in self.warnings]
        return "\n".join(lines)


def _gx_class(name: str):
    """The expectation class of a suite's snake_case name: Great Expectations' own, or one of
    models_py/validation/expectations.py."""
    import great_expectations as gx

    from models_py.validation import expectations as ours

    camel = "".join(part.capitalize() for part in name.split("_"))
    for module in (gx.expectations, ours):
        if hasattr(module, camel):
            return getattr(module, camel)
    raise ValueError(f"unknown Great Expectations expectation '{name}'")



def _columns_of(name: str, kwargs: dict) -> list[str]:
    """The columns an expectation checks (a table's expected column list is not one)."""
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    if name != "expect_table_columns_to_match_ordered_list":
        columns += list(kwargs.get("column_list", []))
    return columns


def columns_to_read(suite: TableSuite, columns: list[str]) -> dict[str, bool]:
    """Of a table's ``columns`` (in table order), those its validation needs, each with whether
    its values are needed (True) or only its name (False: an expectation checks the table's
    column list). Values: the key (to name offending rows), the columns of every expectation
    that applies and of the balanced panel. Every column with its values when no expectation
    applies (the failure then lists the columns). The report is the same as on the whole
    table."""
    needed = set(suite.key)
    applies = bool(suite.balanced_panel)
    names = False
    for name, kwargs in (*suite.expectations, *suite.warnings):
        names = names or name == "expect_table_columns_to_match_ordered_list"
        checked = _columns_of(name, kwargs)
        if all(c in columns for c in checked):
            applies = True
            needed.update(checked)
    if suite.balanced_panel:
        needed.update((suite.balanced_panel["entity"], suite.balanced_panel["time"]))
    if not applies:
        return dict.fromkeys(columns, True)
    return {c: c in needed for c in columns if names or c in needed}


def _ordered_columns(expectations) -> set[str]:
    """The columns of ``expectations`` ((name, kwargs, ...) tuples) that one of them compares
    by order (not in ``_UNORDERED``)."""
    return {c for name, kwargs, *_ in expectations if name not in _UNORDERED
            for c in _columns_of(name, kwargs)}


def unordered_columns(suite: TableSuite, columns: list[str]) -> set[str]:
    """Of ``columns``, those whose values no applicable expectation (nor the balanced panel)
    compares by order: they may come as categoricals (see ``_as_categories``)."""
    ordered = _ordered_columns((*suite.expectations, *suite.warnings))
    if suite.balanced_panel:
        ordered.update((suite.balanced_panel["entity"], suite.balanced_panel["time"]))
    return {c for c in columns if c not in ordered}


def _describe_rows(frame: pd.DataFrame, indices: list, key: tuple[str, ...], columns: list[str],
                   worst_first: str | None = None):
    """Up to SAMPLE offending rows, by key and the columns checked; with ``worst_first`` (a
    numeric column), the rows of largest absolute value first."""
    indices = [i for i in indices if i in frame.index]
    if worst_first is not None and worst_first in frame.columns and indices:
        values = pd.to_numeric(frame.loc[indices, worst_first], errors="coerce").abs()
        indices = list(values.sort_values(ascending=False, na_position="first").index)
    rows = frame.loc[indices[:SAMPLE]]
    shown = [c for c in dict.fromkeys([*key, *columns]) if c in frame.columns]
    return [", ".join(f"{c}={row[c]}" for c in shown) for _, row in rows.iterrows()]


_LOCK = threading.RLock()
_MAX_CONTEXTS = 8  # data docs folders kept open per process (tests build many warehouses)
_CONTEXTS: OrderedDict[tuple[int, str], _Gx] = OrderedDict()


@dataclass
class _Gx:
    """One ephemeral Great Expectations context, its pandas batch definition (the data frame is
    a batch parameter, so one serves every table) and, with data docs, the site builder: kept
    per process and docs folder, since building them and compiling the data docs' templates
    cost more than validating most tables."""

    context: Any
    batch: Any
    site: Any | None
    # table -> (the expectations applied, its validation definition)
    definitions: dict[str, tuple[str, Any]] = field(default_factory=dict)


def _quiet_gx_loggers() -> None:
    # GE sets levels on some of its own loggers (the ephemeral context's "Created temporary
    # directory" INFO): quiet every one of them, not only the parent
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def _gx(docs_dir: Path | None) -> _Gx:
    """The context of this process for ``docs_dir`` (the pid in the key: a forked worker builds
    its own). Call with _LOCK held."""
    key = (os.getpid(), str(Path(docs_dir).resolve()) if docs_dir is not None else "")
    if key in _CONTEXTS:
        _CONTEXTS.move_to_end(key)
        return _CONTEXTS[key]
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.render.renderer.site_builder import SiteBuilder

    _quiet_gx_loggers()
    context = gx.get_context(mode="ephemeral")
    _quiet_gx_loggers()
    # no progress bars on the terminal: one validation per table, reported by the caller
    context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                         metric_calculations=False)
    site = None
    if docs_dir is not None:  # Great Expectations' own HTML data docs
        site_config = {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir)}}
        context.add_data_docs_site(site_name="validation", site_config=site_config)
        site = SiteBuilder(data_context=context, site_name="validation",
                           **{k: v for k, v in site_config.items() if k != "class_name"})
        _share_views(site)
    batch = (context.data_sources.add_pandas("layer").add_dataframe_asset("table")
             .add_batch_definition_whole_dataframe("whole"))
    _CONTEXTS[key] = _Gx(context, batch, site)
    while len(_CONTEXTS) > _MAX_CONTEXTS:
        _CONTEXTS.popitem(last=False)
    return _CONTEXTS[key]


def _build_docs(state: _Gx, docs_dir: Path, resources: list) -> None:
    """GE's SiteBuilder.build for ``resources`` (the pages of one validation and its suite, and
    the index), copying GE's static files (4 MB of fonts and styles) only when the folder
    lacks them, not on every validation."""
    site = state.site
    if not (Path(docs_dir) / "static").is_dir():
        site.build(resource_identifiers=resources)
        return
    for section in site.site_section_builders.values():
        section.build(resource_identifiers=resources)
    site.site_index_builder.build(build_index=True)


_VIEWS: dict[type, Any] = {}


def _share_views(site: Any) -> None:
    """One view (one jinja environment) of each kind for every site of the process, its
    templates compiled once (jinja's bytecode cache in the user's temporary folder keeps them
    for the next process): compiling GE's templates took more than validating most tables."""
    from jinja2 import FileSystemBytecodeCache

    for builder in (*site.site_section_builders.values(), site.site_index_builder):
        view = builder.view_class
        if type(view) not in _VIEWS:
            view.env.bytecode_cache = FileSystemBytecodeCache()
            _VIEWS[type(view)] = view
        builder.view_class = _VIEWS[type(view)]


def _wide_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with int8/16/32 and float32 columns as int64 and float64: the same values, but
    GE compares only the native int64/float64 dtypes vectorized (others one value at a time
    in Python: seconds on a table of cells)."""
    wider = {c: ("int64" if t.kind in "iu" else "float64") for c, t in frame.dtypes.items()
             if isinstance(t, np.dtype) and ((t.kind == "i" and t.itemsize < 8)
                                             or (t.kind == "u" and t.itemsize < 8)
                                             or (t.kind == "f" and t.itemsize < 8))}
    return frame.astype(wider) if wider else frame


LONG_TABLE_ROWS = 10_000
"""From this many rows, text columns of few values are validated as categoricals."""

# expectations that compare a column's values only for equality, nullness or a pattern (or
# only its name): indifferent to a column of strings being held as categories of those strings
_UNORDERED = frozenset({
    "expect_compound_columns_to_be_unique", "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set", "expect_column_values_to_be_null",
    "expect_column_values_to_not_be_null", "expect_column_values_to_match_regex",
    "expect_column_values_to_match_regex_per_value",
    "expect_table_columns_to_match_ordered_list"})


def _as_categories(frame: pd.DataFrame, used: list) -> pd.DataFrame:
    """The frame with its columns of few distinct strings as categoricals of those strings.

    GE's pandas engine finds a column's nulls, hashes and factorizes it several times per
    expectation; on strings each is a pass in Python over every row (most of a check of a
    long table of cells), on a categorical one over small integer codes. Only columns that no
    expectation compares by order (``_UNORDERED``), and only on long tables: the same results
    and the same offending rows."""
    if len(frame) < LONG_TABLE_ROWS:
        return frame
    ordered = _ordered_columns(used)
    categories = {}
    for column, dtype in frame.dtypes.items():
        if column in ordered or not (pd.api.types.is_object_dtype(dtype)
                                        or isinstance(dtype, pd.StringDtype)):
            continue
        codes, uniques = pd.factorize(frame[column])
        if len(uniques) > len(frame) // 10 or not all(isinstance(u, str) for u in uniques):
            continue
        categories[column] = pd.Categorical.from_codes(codes, categories=uniques)
    return frame.assign(**categories) if categories else frame


def _run_gx(table: str, frame: pd.DataFrame, suite: TableSuite,
            docs_dir: Path | None = None) -> tuple[int, list[Failure]]:
    """Run the table's expectations and its warnings; failures of warnings come back with
    ``warning=True``."""
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    with _LOCK:
        state = _gx(docs_dir)
        context = state.context
        used = []
        for is_warning, (name, kwargs) in [*((False, e) for e in suite.expectations),
                                            *((True, e) for e in suite.warnings)]:
            if any(c not in frame.columns for c in _columns_of(name, kwargs)):
                continue  # a generic suite (results.*) meets a table without that column
            used.append((name, kwargs, is_warning))
        # one suite and one validation definition per table name in the context, kept while
        # the same expectations apply; other expectations (another suite, other columns)
        # replace them
        signature = repr(used)
        known = state.definitions.get(table)
        if known is not None and known[0] == signature:
            definition = known[1]
        else:
            for factory in (context.validation_definitions, context.suites):
                if table in {item.name for item in factory.all()}:
                    factory.delete(table)
            expectations = [_gx_class(name)(**kwargs, meta={"warning": True} if warn else None)
                            for name, kwargs, warn in used]
            gx_suite = context.suites.add(gx.ExpectationSuite(name=table,
                                                              expectations=expectations))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=table, data=state.batch, suite=gx_suite))
            state.definitions[table] = (signature, definition)
        data = _as_categories(frame, used)
        whole = None
        # GE's BASIC result form: whether each expectation holds, with the observed values and
        # counts the data docs show, without SUMMARY's tallies of the unexpected values (a
        # fifth of a validation's time); the failures' rows come from the COMPLETE validation
        # of each failed expectation below (BOOLEAN_ONLY, cheaper still, breaks the data docs'
        # table page: it needs the observed column list)
        if state.site is None:  # nothing to publish: validate the batch, store no result
            whole = state.batch.get_batch(batch_parameters={"dataframe": data})
            result = whole.validate(definition.suite, result_format="BASIC")
        else:
            result = definition.run(batch_parameters={"dataframe": data},
                                    result_format="BASIC")
            store = context.validation_results_store
            ours = sorted((k for k in store.list_keys()
                           if k.expectation_suite_identifier.name == table),
                          key=lambda k: k.run_id.run_time)
            for old in ours[:-1]:  # the data docs show the latest validation of each table
                store.remove_key(old)
            _build_docs(state, docs_dir, [ours[-1], ExpectationSuiteIdentifier(table)])
        # every index of the offending rows (for the worst-first order of warnings), computed
        # only for the expectations that failed
        complete = {}
        failed = [outcome for outcome in result.results if not outcome.success]
        if failed and whole is None:
            whole = state.batch.get_batch(batch_parameters={"dataframe": data})
        for outcome in failed:
            config = outcome.expectation_config
            again = whole.validate(_gx_class(config.type)(**_kwargs(config), meta=config.meta),
                                   result_format="COMPLETE")
            complete[id(outcome)] = again.result or {}
    failures = []
    for outcome in result.results:  # GE does not keep the order the expectations were added in
        if outcome.success:
            continue
        name = outcome.expectation_config.type
        kwargs = _kwargs(outcome.expectation_config)
        details = complete.get(id(outcome), outcome.result or {})
        columns = _columns_of(name, kwargs)
        worst = kwargs.get("column") if name == "expect_column_values_to_be_between" else None
        examples = _describe_rows(frame, list(details.get("unexpected_index_list") or []),
                                  suite.key, columns, worst_first=worst)
        count = int(details.get("unexpected_count") or 0)
        bounds = {k: v for k, v in kwargs.items()
                  if k not in ("column", "column_list", "column_A", "column_B", "result_format")
                  and not isinstance(v, list) and v is not None}
        if name == "expect_table_columns_to_match_ordered_list":
            what = f"has columns {list(frame.columns)}, expected {kwargs['column_list']}"
        elif name == "expect_column_values_to_be_in_set":
            what = (f"column {kwargs['column']} has {count} values outside the expected set "
                    f"({len(kwargs['value_set'])} values)")
        else:
            what = (f"{', '.join(columns) or 'table'}: {count} rows fail {name}"
                    + (f" {bounds}" if bounds else ""))
        message = f"{table}: {what}" + (f"; e.g. {' | '.join(examples)}" if examples else "")
        warning = bool((outcome.expectation_config.meta or {}).get("warning"))
        if warning:
            message += " (warning: beyond the stated tolerance, worst rows first; not blocking)"
        failures.append(Failure(table, name, ", ".join(columns) or None, count, examples,
                                message, warning))
    return len(used), failures


def _kwargs(config) -> dict:
    return {k: v for k, v in config.kwargs.items() if k != "batch_id"}


def _balanced(table: str, frame: pd.DataFrame, spec: dict) -> list[Failure]:
    entity, time, wanted = spec["entity"], spec["time"], int(spec["n_entities"])
    counts = frame.groupby(time)[entity].nunique()
    short = counts[counts != wanted]
    if frame.empty or short.empty:
        return []
    every = set(frame[entity])
    examples = []
    for period, n in short.head(SAMPLE).items():
        missing = sorted(every - set(frame.loc[frame[time] == period, entity]))
        examples.append(f"{time}={period}: {n} {entity}s"
                        + (f", missing {', '.join(map(str, missing[:5]))}" if missing else ""))
    message = (f"{table}: not a balanced panel of {wanted} {entity}s in every {time}; "
               f"e.g. {' | '.join(examples)}")
    return [Failure(table, "balanced_panel", entity, int(len(short)), examples, message)]


def validate(layer: str, tables: dict[str, pd.DataFrame],
             suite: LayerSuite | None = None, docs_dir: Path | None = None) -> ValidationReport:
    """Validate each table against the layer suite (tables the suite does not name are skipped).

    With ``docs_dir``, Great Expectations also writes its HTML data docs there.
    """
    suite = suite or load_layer_suite(layer)
    results = []
    for table, frame in tables.items():
        table_suite = suite.for_table(table)
        if table_suite is None:
            continue
        frame = _wide_numbers(frame.reset_index(drop=True))
        n_expectations, found = _run_gx(table, frame, table_suite, docs_dir)
        failures = [f for f in found if not f.warning]
        if table_suite.balanced_panel:
            n_expectations += 1
            failures += _balanced(table, frame, table_suite.balanced_panel)
        if n_expectations == 0:  # a check that ran nothing is a failure, not a pass
            failures.append(Failure(table, "no_expectation_applied", None, 0, [],
                                    f"{table}: no expectation of the {layer} suite applies "
                                    f"to its columns {list(frame.columns)}"))
        if frame.empty:  # an empty table fails its check whatever its suite says
            failures.append(Failure(table, "require_rows", None, 0, [],
                                    f"{table}: is empty (0 rows); a table of this layer "
                                    "must have rows"))
        results.append(TableResult(table, len(frame), n_expectations, failures,
                                   [f for f in found if f.warning]))
    return ValidationReport(layer, results)


def write_report(report: ValidationReport, out_dir: Path) -> Path:
    """JSON per table and an HTML summary under ``out_dir``; returns the HTML path.

    The summary lists every table whose JSON is in ``out_dir`` (each check writes its own
    table; the page shows them all, not the last one written), with failures and warnings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in report.tables:
        payload = {"table": table.table, "success": table.success, "rows": table.n_rows,
                   "expectations": table.n_expectations,
                   "failures": [asdict(f) for f in table.failures],
                   "warnings": [asdict(f) for f in table.warnings]}
        (out_dir / f"{table.table}.json").write_text(
            json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = []
    for path in sorted(out_dir.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        failures, warnings = payload["failures"], payload.get("warnings", [])
        status = "passed" if payload["success"] else f"FAILED ({len(failures)})"
        if warnings:
            status += f", {len(warnings)} warning(s)"
        details = "".join(f"<li>{html.escape(f['message'])}</li>"
                          for f in [*failures, *warnings])
        rows.append(f"<tr><td>{html.escape(payload['table'])}</td><td>{payload['rows']}</td>"
                    f"<td>{payload['expectations']}</td><td>{status}</td>"
                    f"<td><ul>{details}</ul></td></tr>")
    page = (f"<html><head><meta charset='utf-8'><title>Validation: {report.layer}</title></head>"
            f"<body><h1>Validation of the {report.layer} layer</h1><table border='1'>"
            "<tr><th>table</th><th>rows</th><th>expectations</th><th>result</th>"
            f"<th>failures</th></tr>{''.join(rows)}</table></body></html>")
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
