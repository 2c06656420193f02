"""Publication tables built from the long ``results`` frames (docs/results-schema.md).

Every builder takes pandas frames (never DuckDB) and returns a
:class:`~models_py.reports.grid.Table` that renders as Markdown, CSV, LaTeX and HTML
(``table.write(directory, stem)`` writes all four).
Frames may hold several studies or tables: pass ``study=`` / ``table_id=`` to select rows.

- :func:`regression_table` - esttab's layout: one numbered column (1), (2)... per row of
  ``results.models`` (ordered by ``column_order``), optional column titles, a row naming the
  dependent variable; per term the coefficient with stars (* p<0.10, ** p<0.05, *** p<0.01)
  and below it, in parentheses, the t or z statistic (``below="statistic"``, the model's
  ``statistic_kind``) or the standard error (``below="se"``); then fixed-effects rows (Yes/No:
  entity, time and every other absorbed effect), N, clusters, R² and the log-likelihood. Spatial
  models (estimator ``sar``/``sem``/``sdm``/``sdem``, or terms ``W_<x>``) get a Main / Wx column
  pair each, rows for rho / lambda and sigma².
- :func:`effects_table` - direct, indirect and total effects (``results.effects``) per model.
- :func:`moran_table` - global Moran's I by year: I, E[I], z and p-value per variable and W.
- :func:`frame_table` and its uses :func:`descriptives_table`,
  :func:`statistical_tests_table` (long, or wide for unit-root tests), :func:`mediation_table`.

Numbers never print as a negative zero. Notes end with the data-origin banner
(:mod:`models_py.reports.provenance`) when any input row is not ``real``, and the edition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import pandas as pd

from models_py.reports.formatting import STAR_NOTE, fmt_coef, fmt_num, fmt_stat
from models_py.reports.grid import Cell, Table
from models_py.reports.provenance import provenance_of

SPATIAL_ESTIMATORS = frozenset({"sar", "sem", "sdm", "sdem", "sac", "slx"})
SPATIAL_PARAMETERS = ("rho", "lambda")
CONSTANT_TERMS = frozenset({"const", "Intercept", "_cons", "constant"})
LAG_PREFIX = "W_"

FitRow = tuple[str, str, int]
"""(statistic in ``results.fit_statistics``, printed label, decimals; 0 prints an integer)."""
DEFAULT_FIT_ROWS: tuple[FitRow, ...] = (
    ("nobs", "N", 0), ("n_entities", "Provinces", 0), ("n_clusters", "Clusters", 0),
    ("r2_within", "R² (within)", 3), ("r2", "R²", 3), ("loglik", "Log-likelihood", 3))

Below = Literal["statistic", "se"]


def select(frame: pd.DataFrame | None, study: str | None = None,
           table_id: str | None = None) -> pd.DataFrame | None:
    """The rows of ``frame`` for ``study`` and ``table_id`` (a filter left None keeps all)."""
    if frame is None:
        return None
    mask = pd.Series(True, index=frame.index)
    if study is not None and "study" in frame:
        mask &= frame["study"] == study
    if table_id is not None and "table_id" in frame:
        mask &= frame["table_id"] == table_id
    return frame[mask]


def provenance_notes(*frames: pd.DataFrame | None) -> list[str]:
    """The data-origin banner (when an input is not real) and the edition line."""
    provenance = provenance_of(*frames)
    lines = [provenance.banner] if provenance.banner else []
    if provenance.as_of_editions or provenance.newest_editions:
        lines.append(provenance.edition_text + ".")
    return lines


def _column_list(numbers: Sequence[int]) -> str:
    cols = [f"({n})" for n in numbers]
    return cols[0] if len(cols) == 1 else ", ".join(cols[:-1]) + " and " + cols[-1]


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return bool(value) and not pd.isna(value)


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _ordered_columns(models: pd.DataFrame) -> list[dict]:
    frame = models.copy()
    if "variant" not in frame:
        frame["variant"] = "main"
    if "column_order" not in frame:
        frame["column_order"] = range(len(frame))
    frame = frame.sort_values(["column_order", "model", "variant"], kind="stable")
    frame = frame.drop_duplicates(["model", "variant"])
    return frame.to_dict("records")


def _is_spatial(column: dict, terms: Iterable[str]) -> bool:
    return (str(column.get("estimator", "")).lower() in SPATIAL_ESTIMATORS
            or any(t.startswith(LAG_PREFIX) or t in SPATIAL_PARAMETERS for t in terms))


def _stat_kind(column: dict, available: set[str]) -> str:
    kind = _text(column.get("statistic_kind"))
    if kind in ("t", "z"):
        return kind
    return "z" if "z" in available and "t" not in available else "t"


def _parentheses_note(kinds: Sequence[str], below: Below) -> str:
    if below == "se":
        return "Standard errors in parentheses"
    distinct = list(dict.fromkeys(kinds))
    if len(distinct) == 1:
        return f"{distinct[0]} statistics in parentheses"
    parts = [f"{k} statistics in {_column_list([i + 1 for i, x in enumerate(kinds) if x == k])}"
             for k in distinct]
    return "; ".join(parts) + " (in parentheses)"


def _se_note(columns: Sequence[dict]) -> str | None:
    groups: dict[str, list[int]] = {}
    for number, column in enumerate(columns, start=1):
        cluster = _text(column.get("cluster"))
        convention = _text(column.get("se_convention"))
        if cluster:
            text = f"standard errors clustered by {cluster}"
            if convention and convention != "ml":
                text += f" ({convention} small-sample convention)"
        elif convention == "ml":
            text = "asymptotic (maximum-likelihood) standard errors"
        elif convention:
            text = f"{convention} standard errors"
        else:
            continue
        groups.setdefault(text, []).append(number)
    if not groups:
        return None
    if len(groups) == 1:
        return next(iter(groups)).capitalize()
    return "; ".join(f"{text} in {_column_list(nums)}" for text, nums in groups.items()
                     ).capitalize()


def regression_table(
    models: pd.DataFrame,
    estimates: pd.DataFrame,
    fit_statistics: pd.DataFrame | None = None,
    *,
    study: str | None = None,
    table_id: str | None = None,
    below: Below = "statistic",
    coef_decimals: int = 3,
    stat_decimals: int = 2,
    entity_label: str = "Province FE",
    time_label: str = "Year FE",
    fit_rows: Sequence[FitRow] = DEFAULT_FIT_ROWS,
    term_labels: Mapping[str, str] | None = None,
    drop_terms: Iterable[str] = (),
    caption: str = "",
    label: str = "",
    notes: Sequence[str] = (),
) -> Table:
    """An esttab-style table of the models of ``models`` (see the module docstring).

    ``term_labels`` overrides ``estimates.term_label``; ``drop_terms`` hides terms (e.g. year
    dummies); ``fit_rows`` chooses the statistics printed below the fixed-effects rows (a row
    appears when any column has the statistic)."""
    models = select(models, study, table_id)
    estimates = select(estimates, study, table_id)
    fit_statistics = select(fit_statistics, study, table_id)
    if models is None or models.empty:
        raise ValueError(f"regression_table: no rows in results.models for study={study!r}, "
                         f"table_id={table_id!r}")
    columns = _ordered_columns(models)
    keys = [(c["model"], c.get("variant", "main")) for c in columns]
    est = estimates.copy()
    if "variant" not in est:
        est["variant"] = "main"
    values = {(m, v, t, s): x for m, v, t, s, x in
              est[["model", "variant", "term", "statistic", "value"]].itertuples(index=False)}
    fit: dict[tuple, float] = {}
    if fit_statistics is not None and not fit_statistics.empty:
        fs = fit_statistics.copy()
        if "variant" not in fs:
            fs["variant"] = "main"
        fit = {(m, v, s): x for m, v, s, x in
               fs[["model", "variant", "statistic", "value"]].itertuples(index=False)}
    terms_of = {key: set(est.loc[(est["model"] == key[0]) & (est["variant"] == key[1]), "term"])
                for key in keys}
    spatial = [_is_spatial(c, terms_of[k]) for c, k in zip(columns, keys, strict=True)]
    layout_spatial = any(spatial)
    width = 2 if layout_spatial else 1

    # term order: by term_order where given, first appearance otherwise; constant last
    dropped = set(drop_terms)
    order = est.copy()
    if "term_order" not in order:
        order["term_order"] = range(len(order))
    order["base"] = [t[len(LAG_PREFIX):] if layout_spatial and t.startswith(LAG_PREFIX) else t
                     for t in order["term"]]
    order = order[order["model"].isin([k[0] for k in keys])]
    ordered = order.sort_values("term_order", kind="stable")["base"].drop_duplicates()
    base_terms = [t for t in ordered
                  if t not in dropped and not (layout_spatial and t in SPATIAL_PARAMETERS)]
    base_terms = ([t for t in base_terms if t not in CONSTANT_TERMS]
                  + [t for t in base_terms if t in CONSTANT_TERMS])
    labels: dict[str, str] = {}
    if "term_label" in est:
        for term, text in est[["term", "term_label"]].itertuples(index=False):
            if _text(text) and term not in labels:
                labels[term] = str(text)
    labels.update(term_labels or {})

    kinds = [_stat_kind(c, {k[3] for k in values if k[:2] == key})
             for c, key in zip(columns, keys, strict=True)]

    def pair(key: tuple, kind: str, term: str) -> tuple[str, str]:
        m, v = key
        estimate = values.get((m, v, term, "estimate"))
        if estimate is None or pd.isna(estimate):
            return "", ""
        coef = fmt_coef(estimate, values.get((m, v, term, "p_value")), coef_decimals)
        if below == "se":
            return coef, fmt_stat(values.get((m, v, term, "std_error")), coef_decimals)
        return coef, fmt_stat(values.get((m, v, term, kind)), stat_decimals)

    def coefficient_rows(term: str, label_text: str, main_only: bool = False) -> list[list[str]]:
        top, bottom = [label_text], [""]
        for key, kind in zip(keys, kinds, strict=True):
            coef, stat = pair(key, kind, term)
            top.append(coef)
            bottom.append(stat)
            if layout_spatial:
                wcoef, wstat = ("", "") if main_only else pair(key, kind, LAG_PREFIX + term)
                top.append(wcoef)
                bottom.append(wstat)
        return [top, bottom]

    def per_column(cells: Sequence[str]) -> list[str]:
        out: list[str] = []
        for cell in cells:
            out += [cell] + [""] * (width - 1)
        return out

    body: list[list[str]] = []
    for term in base_terms:
        default = "Constant" if term in CONSTANT_TERMS else term
        body += coefficient_rows(term, labels.get(term, default))
    rules: list[int] = []
    if layout_spatial:
        rules.append(len(body))
        for parameter in SPATIAL_PARAMETERS:
            if any(values.get((m, v, parameter, "estimate")) is not None for m, v in keys):
                body += coefficient_rows(parameter, parameter, main_only=True)
        if any((m, v, "sigma2") in fit for m, v in keys):
            body.append(["sigma²", *per_column(
                [fmt_num(fit.get((m, v, "sigma2")), max(coef_decimals, 4)) for m, v in keys])])
    rules.append(len(body))
    body.append([entity_label, *per_column(
        ["Yes" if _truthy(c.get("entity_effects")) else "No" for c in columns])])
    body.append([time_label, *per_column(
        ["Yes" if _truthy(c.get("time_effects")) else "No" for c in columns])])
    absorbed_of = [[e.strip() for e in _text(c.get("other_effects")).split(";") if e.strip()]
                   for c in columns]
    for effect in dict.fromkeys(e for effects in absorbed_of for e in effects):
        body.append([f"{effect} FE", *per_column(
            ["Yes" if effect in effects else "No" for effects in absorbed_of])])
    for statistic, text, decimals in fit_rows:
        cells = [fit.get((m, v, statistic)) for m, v in keys]
        if all(c is None or pd.isna(c) for c in cells):
            continue
        body.append([text, *per_column([fmt_num(c, decimals) if decimals else
                                        ("" if c is None or pd.isna(c) else str(int(round(c))))
                                        for c in cells])])

    header: list[list[Cell | str]] = [["", *[Cell(f"({i + 1})", width)
                                            for i in range(len(columns))]]]
    titles = [_text(c.get("column_title")) for c in columns]
    dependents = [_text(c.get("dependent_label")) or _text(c.get("dependent")) for c in columns]
    if any(titles) and titles != dependents:
        header.append(["", *[Cell(t, width) for t in titles]])
    if any(dependents):
        header.append(["Dependent variable", *[Cell(d, width) for d in dependents]])
    if layout_spatial:
        header.append(["", *["Main", "Wx"] * len(columns)])

    footer = [_parentheses_note(kinds, below) + f". {STAR_NOTE}."]
    se = _se_note(columns)
    if se:
        footer.append(se + ".")
    weights = [(_text(c.get("weights")), i + 1) for i, c in enumerate(columns)]
    if layout_spatial and any(w for w, _ in weights):
        by_weights: dict[str, list[int]] = {}
        for w, n in weights:
            if w:
                by_weights.setdefault(w, []).append(n)
        footer.append("Spatial weights: " + "; ".join(
            f"{w} in {_column_list(nums)}" for w, nums in by_weights.items()) + ".")
    footer += [*notes, *provenance_notes(models, estimates, fit_statistics)]
    return Table(header=header, body=body, notes=footer, caption=caption, label=label,
                 rules=rules)


def effects_table(
    effects: pd.DataFrame,
    models: pd.DataFrame | None = None,
    *,
    study: str | None = None,
    table_id: str | None = None,
    point: str = "estimate",
    below: Below = "statistic",
    coef_decimals: int = 3,
    stat_decimals: int = 2,
    term_labels: Mapping[str, str] | None = None,
    caption: str = "",
    label: str = "",
    notes: Sequence[str] = (),
) -> Table:
    """Direct / Indirect / Total effects (LeSage and Pace 2009) of each spatial model:
    ``point`` (``estimate`` at the point estimates, or ``mean`` of the simulated draws) with
    stars from ``p_value`` and, below, the z (or t) statistic or the standard error."""
    effects = select(effects, study, table_id)
    models = select(models, study, table_id)
    if effects is None or effects.empty:
        raise ValueError(f"effects_table: no rows in results.effects for study={study!r}, "
                         f"table_id={table_id!r}")
    eff = effects.copy()
    if "variant" not in eff:
        eff["variant"] = "main"
    present = list(dict.fromkeys(zip(eff["model"], eff["variant"], strict=True)))
    if models is not None and not models.empty:
        columns = [c for c in _ordered_columns(models)
                   if (c["model"], c.get("variant", "main")) in present]
    else:
        columns = [{"model": m, "variant": v} for m, v in present]
    values = {(m, v, t, e, s): x for m, v, t, e, s, x in
              eff[["model", "variant", "term", "effect", "statistic", "value"]]
              .itertuples(index=False)}
    statistics = set(eff["statistic"])
    point_name = point if point in statistics else ("mean" if "mean" in statistics
                                                    else "estimate")
    below_name = "std_error" if below == "se" else ("z" if "z" in statistics else "t")
    labels = {}
    if "term_label" in eff:
        labels = {t: str(x) for t, x in eff[["term", "term_label"]].itertuples(index=False)
                  if _text(x)}
    labels.update(term_labels or {})
    body: list[list[str]] = []
    for term in dict.fromkeys(eff["term"]):
        top, bottom = [labels.get(term, term)], [""]
        for column in columns:
            m, v = column["model"], column.get("variant", "main")
            for effect in ("direct", "indirect", "total"):
                top.append(fmt_coef(values.get((m, v, term, effect, point_name)),
                                    values.get((m, v, term, effect, "p_value")), coef_decimals))
                bottom.append(fmt_stat(values.get((m, v, term, effect, below_name)),
                                       coef_decimals if below == "se" else stat_decimals))
        body += [top, bottom]
    header: list[list[Cell | str]] = [["", *[Cell(f"({i + 1})", 3)
                                            for i in range(len(columns))]]]
    titles = [_text(c.get("column_title")) or _text(c.get("weights")) for c in columns]
    if any(titles):
        header.append(["", *[Cell(t, 3) for t in titles]])
    header.append(["", *["Direct", "Indirect", "Total"] * len(columns)])
    what = "means of simulated draws" if point_name == "mean" else "at the point estimates"
    paren = "standard errors" if below == "se" else f"{below_name} statistics"
    footer = [f"Direct, indirect (spillover) and total effects (LeSage and Pace 2009), {what}; "
              f"{paren} in parentheses. {STAR_NOTE}.",
              *notes, *provenance_notes(effects, models)]
    return Table(header=header, body=body, notes=footer, caption=caption, label=label)


def moran_table(
    moran: pd.DataFrame,
    *,
    study: str | None = None,
    table_id: str | None = None,
    variable_labels: Mapping[str, str] | None = None,
    weights_labels: Mapping[str, str] | None = None,
    decimals: int = 3,
    stars_on_i: bool = False,
    caption: str = "",
    label: str = "",
    notes: Sequence[str] = (),
) -> Table:
    """Global Moran's I by year (rows) for each (variable, weights) pair of ``results.moran``
    (column groups I, E[I], z, p-value; a header row per variable and per W)."""
    moran = select(moran, study, table_id)
    if moran is None or moran.empty:
        raise ValueError(f"moran_table: no rows in results.moran for study={study!r}, "
                         f"table_id={table_id!r}")
    variable_labels = dict(variable_labels or {})
    weights_labels = dict(weights_labels or {})
    if "variable_label" in moran:
        for v, text in moran[["variable", "variable_label"]].drop_duplicates().itertuples(
                index=False):
            variable_labels.setdefault(v, str(text))
    groups = list(dict.fromkeys(zip(moran["variable"], moran["weights"], strict=True)))
    rows = {(r.variable, r.weights, r.year): r for r in moran.itertuples(index=False)}
    body = []
    for year in sorted(moran["year"].unique()):
        cells = [str(year)]
        for variable, weights in groups:
            r = rows.get((variable, weights, year))
            if r is None:
                cells += [""] * 4
                continue
            i_text = (fmt_coef(r.moran_i, r.p_value, decimals) if stars_on_i
                      else fmt_num(r.moran_i, decimals))
            cells += [i_text, fmt_num(r.expected_i, decimals), fmt_num(r.z, decimals),
                      fmt_num(r.p_value, decimals)]
        body.append(cells)
    variable_row: list[Cell | str] = [""]
    for variable in dict.fromkeys(v for v, _ in groups):
        span = 4 * sum(1 for v, _ in groups if v == variable)
        variable_row.append(Cell(variable_labels.get(variable, variable), span))
    weights_row: list[Cell | str] = [""] + [Cell(f"W: {weights_labels.get(w, w)}", 4)
                                            for _, w in groups]
    header: list[list[Cell | str]] = [variable_row, weights_row,
                                      ["Year", *["I", "E[I]", "z", "p-value"] * len(groups)]]
    footer = ["Global Moran's I; E[I] = -1/(n-1), its expectation under no spatial "
              "autocorrelation; z = (I - E[I]) / sd(I) and its p-value."
              + (f" {STAR_NOTE}." if stars_on_i else ""),
              *notes, *provenance_notes(moran)]
    return Table(header=header, body=body, notes=footer, caption=caption, label=label)


def frame_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    *,
    decimals: int | Mapping[str, int] = 3,
    caption: str = "",
    label: str = "",
    notes: Sequence[str] = (),
    provenance: bool = True,
) -> Table:
    """Any frame as a table: ``columns`` picks (and, as a mapping, renames) columns; floats are
    printed with ``decimals`` (per column when a mapping; 0 prints an integer), missing values
    as ''. The provenance columns are never shown but feed the notes."""
    if columns is None:
        hidden = {"study", "table_id", "as_of_edition", "newest_edition", "data_origin"}
        columns = [c for c in frame.columns if c not in hidden]
    names = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}

    def cell(column: str, value: object) -> str:
        if isinstance(value, str):
            return value
        if value is None or pd.isna(value):
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        places = decimals.get(column, 3) if isinstance(decimals, Mapping) else decimals
        if isinstance(value, int) or places == 0:
            return str(int(round(float(value))))
        return fmt_num(float(value), places)

    body = [[cell(c, row[c]) for c in names] for row in frame.to_dict("records")]
    footer = [*notes, *(provenance_notes(frame) if provenance else [])]
    return Table(header=[list(names.values())], body=body, notes=footer, caption=caption,
                 label=label)


DESCRIPTIVE_STATISTICS = {"n": "N", "mean": "Mean", "sd": "SD", "min": "Min", "max": "Max"}


def descriptives_table(descriptives: pd.DataFrame, *, study: str | None = None,
                       table_id: str | None = None, decimals: int = 3, caption: str = "",
                       label: str = "", notes: Sequence[str] = ()) -> Table:
    """``results.descriptives`` as one row per variable (its label) and columns N, Mean, SD,
    Min, Max (statistics that are absent are left out)."""
    frame = select(descriptives, study, table_id)
    if "variable_label" not in frame:
        frame = frame.assign(variable_label=frame["variable"])
    order = list(dict.fromkeys(frame["variable"]))
    wide = frame.pivot_table(index="variable", columns="statistic", values="value",
                             aggfunc="first").reindex(order)
    labels = frame.drop_duplicates("variable").set_index("variable")["variable_label"]
    wide.insert(0, "label", [labels[v] for v in wide.index])
    present = {k: v for k, v in DESCRIPTIVE_STATISTICS.items() if k in wide.columns}
    table = frame_table(wide.reset_index(drop=True), {"label": "Variable", **present},
                        decimals={"n": 0, **{k: decimals for k in present if k != "n"}},
                        caption=caption, label=label, notes=notes, provenance=False)
    table.notes += provenance_notes(frame)
    return table


def statistical_tests_table(tests: pd.DataFrame, *, study: str | None = None,
                            table_id: str | None = None, wide: bool = False, decimals: int = 3,
                            caption: str = "", label: str = "",
                            notes: Sequence[str] = ()) -> Table:
    """``results.tests``. Long (default): one row per test with the columns that hold something
    (Model, Variable, Test, Statistic, df, p-value, Conclusion). ``wide=True`` (unit-root
    tables): one row per variable, one column per test, the statistic with stars and its
    p-value in brackets below."""
    frame = select(tests, study, table_id)
    if not wide:
        names = {"model": "Model", "variable": "Variable", "test": "Test",
                 "statistic": "Statistic", "df": "df", "p_value": "p-value",
                 "conclusion": "Conclusion"}
        keep = {c: n for c, n in names.items()
                if c in frame and frame[c].map(lambda x: _text(x) != "").any()}
        return frame_table(frame, keep, decimals={"df": 0, "statistic": decimals,
                                                  "p_value": decimals},
                           caption=caption, label=label, notes=notes)
    test_names = list(dict.fromkeys(frame["test"]))
    rows = {(r.variable, r.test): r for r in frame.itertuples(index=False)}
    body = []
    for variable in dict.fromkeys(frame["variable"]):
        top, bottom = [str(variable)], [""]
        for test in test_names:
            r = rows.get((variable, test))
            top.append("" if r is None else fmt_coef(r.statistic, r.p_value, decimals))
            bottom.append("" if r is None or pd.isna(r.p_value)
                          else f"[{fmt_num(r.p_value, decimals)}]")
        body += [top, bottom]
    footer = [f"Test statistics with p-values in brackets. {STAR_NOTE}.", *notes,
              *provenance_notes(frame)]
    return Table(header=[["Variable", *test_names]], body=body, notes=footer, caption=caption,
                 label=label)


def mediation_table(mediation: pd.DataFrame, *, study: str | None = None,
                    table_id: str | None = None, statistic_labels: Mapping[str, str] | None = None,
                    decimals: int = 3, caption: str = "", label: str = "",
                    notes: Sequence[str] = ()) -> Table:
    """``results.mediation``: one row per statistic (indirect effect, its bootstrap interval,
    Sobel z ...), one column per (model, outcome)."""
    frame = select(mediation, study, table_id)
    statistic_labels = dict(statistic_labels or {})
    if "variant" not in frame:
        frame = frame.assign(variant="main")
    columns = list(dict.fromkeys(zip(frame["model"], frame["variant"], frame["outcome"],
                                     strict=True)))
    values = {(r.model, r.variant, r.outcome, r.statistic): r.value
              for r in frame.itertuples(index=False)}
    body = [[statistic_labels.get(s, s), *[fmt_num(values.get((*c, s)), decimals)
                                           for c in columns]]
            for s in dict.fromkeys(frame["statistic"])]
    header: list[list[Cell | str]] = [["", *[f"({i + 1})" for i in range(len(columns))]],
                                      ["Outcome", *[c[2] for c in columns]]]
    return Table(header=header, body=body, notes=[*notes, *provenance_notes(frame)],
                 caption=caption, label=label)
