"""A table of text cells and its four renderings: Markdown, CSV, LaTeX and an HTML fragment.

Builders (``models_py.reports.tables``) format the numbers; a :class:`Table` only lays cells out.
It has header rows whose cells may span several columns (``Cell("(1)", span=2)`` over a
Main / Wx pair), body rows of plain strings (first column: row labels), the body rows before
which a rule is drawn (``rules``: panels such as the fit statistics), notes, a caption and a
label.

- ``to_markdown()``: the first header row is the Markdown header, further header rows are the
  first body rows; a spanned cell is written in its first column, the others left empty.
- ``to_csv()``: every header row, the body, then one line per note (first column).
- ``to_latex()``: a ``table`` float (``[htbp]``, centred) with caption and label, a ``tabular``
  with booktabs rules (``\\multicolumn`` and ``\\cmidrule`` under spanned headers), notes in
  footnote size below; its first line is a comment naming the packages it needs (``booktabs``,
  and ``xeCJK`` when a cell holds Chinese characters).
- ``to_html()``: ``<figure class="results-table">`` holding a ``<table>`` (``<caption>``,
  ``<thead>`` with ``colspan``, ``<tbody>``) and the notes; ``id`` is the label.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

LATEX_PACKAGES = ("booktabs",)

_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                   "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}
_LATEX_SYMBOLS = {"²": r"$^2$", "σ": r"$\sigma$", "ρ": r"$\rho$", "λ": r"$\lambda$",
                  "×": r"$\times$", "−": "-", "–": "--", "—": "---", "≥": r"$\geq$",
                  "≤": r"$\leq$"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def latex_escape(text: str) -> str:
    """Text safe inside a LaTeX tabular: specials escaped, ², σ, ρ, λ, × in math mode."""
    out = "".join(_LATEX_SPECIALS.get(ch, ch) for ch in str(text))
    for symbol, latex in _LATEX_SYMBOLS.items():
        out = out.replace(symbol, latex)
    return out


@dataclass(frozen=True)
class Cell:
    """A header cell spanning ``span`` columns."""

    text: str
    span: int = 1


HeaderRow = Sequence[Cell | str]


def _cells(row: HeaderRow) -> list[Cell]:
    return [c if isinstance(c, Cell) else Cell(str(c)) for c in row]


@dataclass
class Table:
    """Header rows (cells may span), body rows, rules before body rows, notes, caption, label."""

    header: list[HeaderRow]
    body: list[list[str]]
    notes: list[str] = field(default_factory=list)
    caption: str = ""
    label: str = ""
    rules: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        widths = {sum(c.span for c in _cells(row)) for row in self.header}
        widths |= {len(row) for row in self.body}
        if len(widths) != 1:
            raise ValueError(f"table {self.label or self.caption!r}: rows have different widths "
                             f"{sorted(widths)}; every header and body row must cover the same "
                             "number of columns")

    @property
    def n_columns(self) -> int:
        return len(self.body[0]) if self.body else sum(c.span for c in _cells(self.header[0]))

    def header_grid(self) -> list[list[str]]:
        """Header rows with spans expanded: text in the first column of a span, '' after it."""
        grid = []
        for row in self.header:
            expanded: list[str] = []
            for cell in _cells(row):
                expanded += [cell.text] + [""] * (cell.span - 1)
            grid.append(expanded)
        return grid

    # -- Markdown ---------------------------------------------------------------------------
    def to_markdown(self) -> str:
        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.replace("|", r"\|") for c in cells) + " |"

        header = self.header_grid()
        lines = [f"**{self.caption}**", ""] if self.caption else []
        lines.append(line(header[0]))
        lines.append("|" + "|".join([":---"] + [":---:"] * (self.n_columns - 1)) + "|")
        lines += [line(row) for row in header[1:]]
        lines += [line(row) for row in self.body]
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines)

    # -- CSV --------------------------------------------------------------------------------
    def to_csv(self, path: Path | str | None = None) -> str:
        """The CSV text (header rows, body, one note a line); written to ``path`` when given."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows(self.header_grid())
        writer.writerows(self.body)
        for note in self.notes:
            writer.writerow([note, *[""] * (self.n_columns - 1)])
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- LaTeX ------------------------------------------------------------------------------
    def latex_packages(self) -> list[str]:
        every = [self.caption, *self.notes, *(c for r in self.header_grid() for c in r),
                 *(c for r in self.body for c in r)]
        return [*LATEX_PACKAGES, *(["xeCJK"] if any(_CJK.search(t) for t in every) else [])]

    def to_latex(self) -> str:
        packages = ", ".join(self.latex_packages())
        lines = [f"% Needs \\usepackage{{{packages}}} in the preamble"
                 + (" (compile with XeLaTeX)" if "xeCJK" in packages else ""),
                 r"\begin{table}[htbp]", r"\centering"]
        if self.caption:
            lines.append(rf"\caption{{{latex_escape(self.caption)}}}")
        if self.label:
            lines.append(rf"\label{{{self.label}}}")
        lines += [r"\begin{tabular}{l" + "c" * (self.n_columns - 1) + "}", r"\toprule"]
        for row in self.header:
            cells, rules, column = [], [], 1
            for cell in _cells(row):
                text = latex_escape(cell.text)
                if cell.span > 1:
                    cells.append(rf"\multicolumn{{{cell.span}}}{{c}}{{{text}}}")
                    if cell.text:
                        rules.append(rf"\cmidrule(lr){{{column}-{column + cell.span - 1}}}")
                else:
                    cells.append(text)
                column += cell.span
            lines.append(" & ".join(cells) + r" \\")
            if rules:
                lines.append(" ".join(rules))
        lines.append(r"\midrule")
        for i, row in enumerate(self.body):
            if i in self.rules and i > 0:
                lines.append(r"\midrule")
            lines.append(" & ".join(latex_escape(c) for c in row) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        if self.notes:
            lines.append(r"\par\smallskip\parbox{\linewidth}{\footnotesize "
                         + r" \\ ".join(latex_escape(n) for n in self.notes) + "}")
        lines.append(r"\end{table}")
        return "\n".join(lines)

    # -- HTML -------------------------------------------------------------------------------
    def to_html(self) -> str:
        esc = html.escape
        ident = f' id="{esc(self.label)}"' if self.label else ""
        out = [f'<figure class="results-table"{ident}>', "<table>"]
        if self.caption:
            out.append(f"<caption>{esc(self.caption)}</caption>")
        out.append("<thead>")
        for row in self.header:
            cells = []
            for k, cell in enumerate(_cells(row)):
                span = f' colspan="{cell.span}"' if cell.span > 1 else ""
                scope = ' scope="col"' if k else ""
                cells.append(f"<th{span}{scope}>{esc(cell.text)}</th>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out += ["</thead>", "<tbody>"]
        for i, row in enumerate(self.body):
            css = ' class="rule"' if i in self.rules and i > 0 else ""
            first = f"<th scope=\"row\">{esc(row[0])}</th>" if row else ""
            out.append(f"<tr{css}>" + first + "".join(f"<td>{esc(c)}</td>" for c in row[1:])
                       + "</tr>")
        out += ["</tbody>", "</table>"]
        if self.notes:
            out.append('<figcaption class="table-notes">'
                       + "<br>".join(esc(n) for n in self.notes) + "</figcaption>")
        out.append("</figure>")
        return "\n".join(out)

    def write(self, directory: Path | str, stem: str) -> dict[str, Path]:
        """Write ``<stem>.md``, ``.csv``, ``.tex`` and ``.html`` into ``directory``; the paths
        by format (``md``, ``csv``, ``tex``, ``html``)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = {ext: directory / f"{stem}.{ext}" for ext in ("md", "csv", "tex", "html")}
        paths["md"].write_text(self.to_markdown() + "\n", encoding="utf-8")
        self.to_csv(paths["csv"])
        paths["tex"].write_text(self.to_latex() + "\n", encoding="utf-8")
        paths["html"].write_text(self.to_html() + "\n", encoding="utf-8")
        return paths
