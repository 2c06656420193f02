"""A study's report from its declaration, its rows of the ``results`` tables and its panel mart:
``reports/<study>/index.html`` with every table (Markdown, CSV, LaTeX, HTML under ``tables/``)
and figure (PNG and PDF under ``figures/``), then ``reports/index.html``.

Which renderer a table gets follows its kind in the declaration; a table whose results are
missing is listed as missing, so a study with only some of its tables still renders.

The figures are planned first (one picklable :class:`FigureTask` each, :func:`plan_study_report`)
and drawn by whoever holds the plan: :func:`build_study_report` hands them to the ``mapper`` the
caller passes (the builtin ``map``, or a function that runs them in other processes such as
orchestration.parallel.fork_map; this package imports neither orchestration nor Dagster); the
report assets draw the figures of every study in one pool while they write the tables. Each
task draws into a new figure and closes it, so the files are the same whichever process draws
them, in whatever order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from models_py.reports.figures import (  # noqa: E402
    choropleth_panels,
    figure_paths,
    lisa_map,
    local_moran_clusters,
    moran_scatter,
    save_figure,
    simulation_curves,
    time_paths,
    with_region,
)
from models_py.reports.html import (  # noqa: E402
    FigureRef,
    Section,
    render_index,
    render_study_report,
    table_section,
)
from models_py.reports.provenance import provenance_of  # noqa: E402
from models_py.reports.tables import (  # noqa: E402
    DEFAULT_FIT_ROWS,
    descriptives_table,
    effects_table,
    mediation_table,
    moran_table,
    regression_table,
    statistical_tests_table,
)
from models_py.studies.schema import (  # noqa: E402
    ChoroplethFigure,
    MoranScatterFigure,
    MoranTable,
    ScenarioCurvesFigure,
    StudyDeclaration,
    TimePathsFigure,
)

WEIGHTS_LABELS = {"inverse_distance": "W1 inverse distance",
                  "inverse_distance_squared": "W2 inverse distance squared",
                  "contiguity": "W3 contiguity"}
MEDIATION_LABELS = {"total": "Total effect c", "total_se": "  s.e.", "a": "tech -> mediator a",
                    "a_se": "  s.e.", "b": "mediator -> outcome b", "b_se": "  s.e.",
                    "direct": "Direct effect c'", "direct_se": "  s.e.",
                    "indirect": "Indirect effect a b", "share": "Share a b / c",
                    "sobel_z": "Sobel z", "sobel_p": "Sobel p", "nobs": "N"}
Results = Mapping[str, pd.DataFrame]
# how the figures are drawn: the builtin map (one after another, here), or a map-like function
# that runs them elsewhere (orchestration.parallel.fork_map: forked workers), results in order
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]


@dataclass(frozen=True)
class FigureTask:
    """One figure to draw and save: ``draw(*args, **kwargs)`` (a function of
    models_py.reports.figures) written to ``<stem>.png`` and ``<stem>.pdf``. Its data are
    pandas objects and plain values, so a task pickles and a mapper may run it in another
    process; :func:`draw_figure` runs it."""

    draw: Callable[..., Any]
    args: tuple[Any, ...]
    stem: Path
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def draw_figure(task: FigureTask) -> dict[str, Path]:
    """Draw and save one figure (each starts from a new matplotlib figure, closed once saved,
    so tasks share no pyplot state and may run in any order or process); the written paths."""
    return save_figure(task.draw(*task.args, **task.kwargs), task.stem)


def _rows(results: Results, name: str, table_id: str) -> pd.DataFrame:
    frame = results.get(name)
    if frame is None or frame.empty:
        return pd.DataFrame()
    return frame[frame["table_id"] == table_id]


def _table_sections(study: StudyDeclaration, table, results: Results, out_dir: Path,
                    figures: list[FigureRef]) -> list[Section]:
    """The sections of one declared table, its files written (empty when it has no results
    yet); ``figures``, planned by :func:`_table_figures`, shown in its last section."""
    tables_dir = out_dir / "tables"
    common = {"study": study.name, "table_id": table.id, "caption": table.title,
              "label": f"tab:{study.name}:{table.id}", "notes": list(table.notes)}
    kind = table.kind
    if kind in ("regression", "spatial"):
        if _rows(results, "models", table.id).empty:
            return []
        one, several = study.entity_name
        fit_rows = [(key, several if key == "n_entities" else label, decimals)
                    for key, label, decimals in DEFAULT_FIT_ROWS]
        built = [regression_table(results["models"], results["estimates"],
                                  results["fit_statistics"], entity_label=f"{one} FE",
                                  fit_rows=fit_rows, **common)]
        if kind == "spatial" and not _rows(results, "effects", table.id).empty:
            built.append(effects_table(results["effects"], results["models"],
                                       **{**common, "caption": f"{table.title}: direct, "
                                          "indirect and total effects",
                                          "label": f"tab:{study.name}:{table.id}:effects"}))
    elif kind == "moran":
        if _rows(results, "moran", table.id).empty:
            return []
        built = [moran_table(results["moran"], variable_labels={
            v: study.label(v) for v in table.variables}, weights_labels=WEIGHTS_LABELS,
            **common)]
    elif kind == "descriptives":
        if _rows(results, "descriptives", table.id).empty:
            return []
        built = [descriptives_table(results["descriptives"], **common)]
    elif kind == "mediation":
        if _rows(results, "mediation", table.id).empty:
            return []
        built = [mediation_table(results["mediation"], statistic_labels=MEDIATION_LABELS,
                                 **common)]
        if not _rows(results, "tests", table.id).empty:
            built.append(statistical_tests_table(results["tests"], **{
                **common, "caption": f"{table.title}: Sobel tests",
                "label": f"tab:{study.name}:{table.id}:sobel"}))
    elif kind == "carbon_price":
        if _rows(results, "tests", table.id).empty:
            return []
        built = [statistical_tests_table(results["tests"], **common)]
    else:  # unit_roots, vif, hausman, spatial_tests: rows of results.tests
        if _rows(results, "tests", table.id).empty:
            return []
        built = [statistical_tests_table(results["tests"], wide=kind == "unit_roots",
                                         **common)]
    sections = [table_section(t.caption or table.title, t, tables_dir,
                              table.id if i == 0 else f"{table.id}_{i + 1}")
                for i, t in enumerate(built)]
    sections[-1].figures.extend(figures)
    return sections


def _table_figures(study: StudyDeclaration, table, results: Results, figures_dir: Path,
                   tasks: list[FigureTask]) -> list[FigureRef]:
    """The figures one declared table shows (the LISA maps of a Moran table with results),
    appended to ``tasks`` to be drawn."""
    if table.kind != "moran" or _rows(results, "moran", table.id).empty:
        return []
    return _lisa_maps(study, table, _rows(results, "local_moran", table.id), figures_dir, tasks)


def _plan(tasks: list[FigureTask], caption: str, stem: Path, draw: Callable[..., Any],
          *args: Any, **kwargs: Any) -> FigureRef:
    """Add the figure ``draw(*args, **kwargs)`` to ``tasks``; its reference, by the paths
    save_figure will write."""
    tasks.append(FigureTask(draw, args, stem, kwargs))
    paths = figure_paths(stem)
    return FigureRef(paths["png"], caption, alt=caption,
                     downloads=tuple(p for k, p in paths.items() if k != "png"))


def _lisa_maps(study: StudyDeclaration, table: MoranTable, local: pd.DataFrame,
               figures_dir: Path, tasks: list[FigureTask]) -> list[FigureRef]:
    """LISA cluster maps of each variable and local year under the table's first W."""
    if local.empty:
        return []
    refs = []
    weights = table.weights[0]
    for variable in table.variables:
        for year in sorted(set(local["year"])):
            clusters = local_moran_clusters(local, variable=variable, weights=weights,
                                            year=int(year))
            clusters = clusters.replace({"not significant": "ns"})
            caption = (f"LISA clusters of {study.label(variable)}, {int(year)} "
                       f"({WEIGHTS_LABELS.get(weights, weights)}, 5 % pseudo p-values)")
            refs.append(_plan(tasks, caption,
                              figures_dir / f"lisa_{table.id}_{variable}_{int(year)}",
                              lisa_map, clusters, title=caption))
    return refs


def _figure_section(study: StudyDeclaration, figure, variables: pd.DataFrame,
                    weights: Mapping[str, pd.DataFrame], figures_dir: Path,
                    results: Results, tasks: list[FigureTask]) -> Section | None:
    if isinstance(figure, ScenarioCurvesFigure):
        rows = _rows(results, "simulation", figure.table)
        rows = rows[rows["unit"].astype(str).isin(figure.units)] if not rows.empty else rows
        if rows.empty:
            return None
        ref = _plan(tasks, figure.title, figures_dir / f"{figure.table}_{figure.measure}",
                    simulation_curves, rows, figure.measure, title=figure.title,
                    ylabel=figure.ylabel)
        return Section(figure.title, figures=[ref])
    entity, time = study.entity, study.time
    label = study.label(figure.variable)
    stem = figures_dir / f"{figure.kind}_{figure.variable}"
    if isinstance(figure, ChoroplethFigure):
        panels = {str(year): variables[variables[time] == year].set_index(entity)[
            figure.variable].dropna() for year in figure.years}
        panels = {year: values for year, values in panels.items() if len(values)}
        if not panels:
            return None
        ref = _plan(tasks, figure.title, stem, choropleth_panels, panels, title=figure.title,
                    legend_label=label)
        return Section(figure.title, figures=[ref])
    if isinstance(figure, TimePathsFigure):
        frame = with_region(variables.rename(columns={entity: "province_code"}))
        frame = frame.dropna(subset=[figure.variable])
        if frame.empty:
            return None
        ref = _plan(tasks, figure.title, stem, time_paths, frame, figure.variable,
                    title=figure.title, ylabel=label)
        return Section(figure.title, figures=[ref])
    if isinstance(figure, MoranScatterFigure):
        values = variables[variables[time] == figure.year].set_index(entity)[
            figure.variable].dropna()
        if len(values) < len(weights[figure.weights[0]]):
            return None  # the year is not (fully) in the warehouse: listed as missing
        refs = [_plan(tasks, f"{figure.title} ({name})", Path(f"{stem}_{name}_{figure.year}"),
                      moran_scatter, values, weights[name],
                      title=f"{label}, {figure.year}: {WEIGHTS_LABELS.get(name, name)}",
                      variable_label=label)
                for name in figure.weights]
        return Section(figure.title, figures=refs)
    raise TypeError(f"no renderer for figures of kind {figure.kind}")


@dataclass
class StudyReportPlan:
    """A study's report with its figures planned, not drawn (:func:`plan_study_report`):
    ``tasks``, the figures to draw (any process, any order: :func:`draw_figure`); then
    :meth:`write_tables` (any time) and :meth:`finish` (once the figures are drawn)."""

    study: StudyDeclaration
    results: Results
    out_dir: Path
    tasks: list[FigureTask]
    table_figures: dict[str, list[FigureRef]]
    figure_sections: list[Section | None]
    table_sections: list[list[Section]] | None = None

    def write_tables(self) -> None:
        """Write every table's files (Markdown, CSV, LaTeX, HTML under ``tables/``)."""
        if self.table_sections is None:
            self.table_sections = [
                _table_sections(self.study, table, self.results, self.out_dir,
                                self.table_figures.get(table.id, []))
                for table in self.study.tables]

    def finish(self, written: Iterable[dict[str, Path]]) -> Path:
        """Render ``<study>/index.html`` (the tables written first if they are not yet), once
        the figures are drawn; ``written``: what :func:`draw_figure` returned for each of
        ``tasks``, in order."""
        for task, paths in zip(self.tasks, written, strict=True):
            if paths != figure_paths(task.stem):  # the references point at what was written
                raise RuntimeError(f"{task.stem}: wrote {paths}, expected "
                                   f"{figure_paths(task.stem)}")
        self.write_tables()
        sections: list[Section] = []
        missing: list[str] = []
        for table, table_sections in zip(self.study.tables, self.table_sections, strict=True):
            sections += table_sections
            if not table_sections:
                missing.append(table.title)
        for figure, section in zip(self.study.figures, self.figure_sections, strict=True):
            if section is None:
                missing.append(figure.title)
            else:
                sections.append(section)
        results = self.results
        provenance = provenance_of(*(frame for frame in results.values() if not frame.empty))
        all_synthetic = provenance.data_origins == ("synthetic",)
        return render_study_report(
            self.study.title, sections, self.out_dir, study=self.study.name,
            provenance=provenance, missing=missing,
            description=(self.study.planted_note or "") if all_synthetic else "")


def plan_study_report(study: StudyDeclaration, results: Results, variables: pd.DataFrame,
                      weights: Mapping[str, pd.DataFrame], reports_dir: Path
                      ) -> StudyReportPlan:
    """The report of ``study`` under ``reports_dir/<study>/`` with every figure planned (a
    :class:`FigureTask` each) and nothing drawn or written yet; arguments as
    :func:`build_study_report`."""
    out_dir = Path(reports_dir) / study.name
    figures_dir = out_dir / "figures"
    tasks: list[FigureTask] = []
    table_figures = {table.id: _table_figures(study, table, results, figures_dir, tasks)
                     for table in study.tables}
    figure_sections = [_figure_section(study, figure, variables, weights, figures_dir,
                                       results, tasks) for figure in study.figures]
    return StudyReportPlan(study, results, out_dir, tasks, table_figures, figure_sections)


def build_study_report(study: StudyDeclaration, results: Results, variables: pd.DataFrame,
                       weights: Mapping[str, pd.DataFrame], reports_dir: Path,
                       mapper: Mapper = map, refresh_index: bool = True) -> Path:
    """Render ``reports_dir/<study>/index.html`` and refresh ``reports_dir/index.html`` (unless
    ``refresh_index`` is false: the caller writes it once after drawing several reports side by
    side).
    Tables without results and figures without data (a year the warehouse does not hold) are
    listed as missing.

    ``results``: the study's rows of each ``results`` table (name -> frame); ``variables``:
    the study's variables by entity and year (``models_py.studies.sample.study_variables``);
    ``weights``: the matrices the figures need, as frames indexed and columned by entity id;
    ``mapper``: draws the figures, ``mapper(draw_figure, tasks)`` (default: the builtin map,
    one after another; orchestration.parallel.fork_map draws them in forked workers). The same
    files either way: every figure is a :class:`FigureTask` of its own. Several reports drawn
    together: :func:`plan_study_report` each, their tasks drawn in one pool, then
    :meth:`StudyReportPlan.finish`.
    """
    plan = plan_study_report(study, results, variables, weights, reports_dir)
    plan.write_tables()
    page = plan.finish(mapper(draw_figure, plan.tasks))
    if refresh_index:
        render_index(Path(reports_dir))
    return page
