"""Regression tables in the layout papers print.

One column per model; per regressor a coefficient row (with stars) and a row below with the t
statistic in parentheses; then fixed-effects rows (Yes/No), N and the within R-squared; notes
under the table. Rendered as Markdown, CSV (same cells) and LaTeX (booktabs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from models_py.estimation.panel_fe import PanelFEResults
from models_py.reports.formatting import STAR_NOTE, fmt_coef, fmt_stat, markdown_grid


class RegressionTable:
    def __init__(
        self,
        models: Sequence[PanelFEResults],
        column_titles: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        notes: Sequence[str] = (),
        entity_label: str = "Province FE",
        time_label: str = "Year FE",
        coef_decimals: int = 3,
        stat_decimals: int = 2,
    ) -> None:
        self.models = list(models)
        self.column_titles = list(column_titles or [f"({i + 1})" for i in range(len(models))])
        self.labels = dict(labels or {})
        self.notes = list(notes)
        self.entity_label, self.time_label = entity_label, time_label
        self.coef_decimals, self.stat_decimals = coef_decimals, stat_decimals

    def _terms(self) -> list[str]:
        terms: list[str] = []
        for m in self.models:
            terms += [t for t in m.params.index if t not in terms]
        return terms

    def to_frame(self) -> pd.DataFrame:
        """The table's cells: a first column of row labels, one column per model."""
        rows: list[list[str]] = []
        for term in self._terms():
            coef_row, stat_row = [self.labels.get(term, term)], [""]
            for m in self.models:
                if term in m.params.index:
                    coef_row.append(fmt_coef(m.params[term], m.pvalues[term], self.coef_decimals))
                    stat_row.append(fmt_stat(m.tstats[term], self.stat_decimals))
                else:
                    coef_row.append("")
                    stat_row.append("")
            rows += [coef_row, stat_row]
        rows.append([self.entity_label, *["Yes" if m.entity_effects else "No"
                                          for m in self.models]])
        rows.append([self.time_label, *["Yes" if m.time_effects else "No" for m in self.models]])
        rows.append(["N", *[str(m.nobs) for m in self.models]])
        rows.append(["R² (within)", *[f"{m.rsquared_within:.3f}" for m in self.models]])
        return pd.DataFrame(rows, columns=["", *self.column_titles])

    def footer(self) -> list[str]:
        conventions = sorted({m.se_convention for m in self.models if m.cluster})
        clustered = (f"standard errors clustered by {self.entity_label.removesuffix(' FE').lower()}"
                     f" ({', '.join(conventions)} small-sample convention)" if conventions
                     else "classical standard errors")
        return [f"t statistics in parentheses; {clustered}. {STAR_NOTE}.", *self.notes]

    def to_markdown(self) -> str:
        return "\n".join([markdown_grid(self.to_frame()), "", *self.footer()])

    def to_csv(self, path: Path) -> None:
        frame = self.to_frame()
        notes = pd.DataFrame([[n, *[""] * (len(frame.columns) - 1)] for n in self.footer()],
                             columns=frame.columns)
        pd.concat([frame, notes], ignore_index=True).to_csv(path, index=False)

    def to_latex(self) -> str:
        frame = self.to_frame()
        esc = lambda s: str(s).replace("_", r"\_").replace("%", r"\%").replace("²", "$^2$")  # noqa: E731
        lines = [r"\begin{tabular}{l" + "c" * (len(frame.columns) - 1) + "}", r"\toprule",
                 " & ".join(esc(c) for c in frame.columns) + r" \\", r"\midrule"]
        n_coef_rows = 2 * len(self._terms())
        for i, row in enumerate(frame.itertuples(index=False)):
            if i == n_coef_rows:
                lines.append(r"\midrule")
            lines.append(" & ".join(esc(c) for c in row) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        lines += [r"\par\footnotesize " + esc(n) for n in self.footer()]
        return "\n".join(lines)
