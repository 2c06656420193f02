"""Self-contained HTML reports: one page per study and an index page listing the studies.

``reports/<study>/index.html`` holds every table of a study (HTML fragments from
:meth:`models_py.reports.grid.Table.to_html`), its figures (``<img>`` tags to PNG files next to
the page), links to the CSV / LaTeX / PDF files, the edition and the build time, and a banner
whenever any input is synthetic (or the origin is unknown). ``reports/index.html`` lists the
studies. Pages carry their CSS inline and load nothing from the internet (no scripts, fonts or
style sheets from elsewhere); every link is relative, so the folder can be zipped or served.

Usage (a study asset)::

    table = regression_table(models, estimates, fit, study="tech_import", table_id="baseline")
    sections = [table_section("Baseline regressions", table, out_dir / "tables", "baseline"),
                Section("Maps", figures=[FigureRef(out_dir / "figures/stock_2020.png",
                                                   "Technology-import stock, 2020")])]
    render_study_report("Technology import and carbon emissions", sections, out_dir,
                        provenance=provenance_of(models, estimates, fit),
                        missing=["Mediation (not estimated yet)"])
    render_index(out_dir.parent)   # lists every study folder holding a report.json

A study with only some of its tables renders what it has; ``missing`` names the rest.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from models_py.reports.grid import Table
from models_py.reports.provenance import Provenance

SUMMARY_FILE = "report.json"

CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 62rem; padding: 1.5rem; color: #111; line-height: 1.45; }
header.report { border-bottom: 1px solid #999; margin-bottom: 1rem; }
.meta { color: #444; font-size: 0.9rem; }
.banner { background: #fff3cd; border: 2px solid #b45309; color: #5c2d00; padding: 0.7rem 1rem;
          margin: 1rem 0; font-weight: bold; }
.banner.unknown { background: #eee; border-color: #666; color: #222; }
nav ol { columns: 2; font-size: 0.9rem; }
section { margin: 2rem 0; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
figure.results-table { margin: 1rem 0; overflow-x: auto; }
figure.results-table table { border-collapse: collapse; border-top: 2px solid #000;
                             border-bottom: 2px solid #000; font-variant-numeric: tabular-nums; }
figure.results-table caption { caption-side: top; text-align: left; font-weight: bold;
                               padding-bottom: 0.4rem; }
figure.results-table thead tr:last-child th { border-bottom: 1px solid #000; }
figure.results-table th, figure.results-table td { padding: 0.15rem 0.7rem; white-space: nowrap; }
figure.results-table td, figure.results-table thead th { text-align: center; }
figure.results-table tbody th { text-align: left; font-weight: normal; }
figure.results-table tr.rule th, figure.results-table tr.rule td { border-top: 1px solid #000; }
.table-notes { font-size: 0.8rem; color: #333; margin-top: 0.4rem; max-width: 55rem; }
figure.plot { margin: 1rem 0; }
figure.plot img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figure.plot figcaption { font-size: 0.85rem; }
ul.files { font-size: 0.85rem; }
.missing { color: #7a4b00; }
table.studies { border-collapse: collapse; width: 100%; }
table.studies th, table.studies td { border-bottom: 1px solid #ccc; padding: 0.3rem 0.6rem;
                                     text-align: left; }
@media print { .banner { border-width: 1px; } nav { display: none; } }
"""


@dataclass(frozen=True)
class FigureRef:
    """A figure: its PNG (shown), an optional caption and other files (e.g. the PDF) linked."""

    png: Path
    caption: str = ""
    alt: str = ""
    downloads: tuple[Path, ...] = ()


@dataclass
class Section:
    """A part of a study page: a title, table fragments, figures, file links, optional text."""

    title: str
    tables: list[str] = field(default_factory=list)
    figures: list[FigureRef | Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    text: str = ""


@dataclass(frozen=True)
class StudyReport:
    """What the index page shows about a rendered study (also written as ``report.json``)."""

    study: str
    title: str
    href: str
    n_tables: int
    n_figures: int
    data_origin: str
    edition: str
    built_at: str
    synthetic: bool
    missing: tuple[str, ...] = ()


def table_section(title: str, table: Table, directory: Path | str, stem: str,
                  text: str = "") -> Section:
    """Write ``table`` as Markdown, CSV, LaTeX and HTML under ``directory`` and return a
    section showing it with links to the CSV, LaTeX and Markdown files."""
    paths = table.write(directory, stem)
    return Section(title, tables=[table.to_html()],
                   files=[paths["csv"], paths["tex"], paths["md"]], text=text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _relative(path: Path, out_dir: Path, copy_into: str) -> str:
    """``path`` relative to ``out_dir`` (copied into ``out_dir/copy_into`` when outside)."""
    path = Path(path)
    if not path.is_absolute():
        path = out_dir / path
    if not path.exists():
        raise FileNotFoundError(f"report file {path} does not exist (linked from "
                                f"{out_dir / 'index.html'})")
    try:
        return path.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        target = out_dir / copy_into / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        return f"{copy_into}/{path.name}"


def _banner(provenance: Provenance) -> str:
    if provenance.banner is None:
        return ""
    css = "banner unknown" if not provenance.data_origins else "banner"
    text = html.escape(provenance.banner)
    return f'<div class="{css}" role="alert" id="data-origin">{text}</div>'


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        # no network: refuse every external resource even if a fragment asked for one
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src 'self' data:; style-src 'unsafe-inline'\">",
        '<link rel="icon" href="data:,">',
        f"<style>{CSS}</style>", "</head>", "<body>", *body, "</body>", "</html>", ""])


def _figure_html(ref: FigureRef, out_dir: Path) -> str:
    src = _relative(ref.png, out_dir, "figures")
    alt = html.escape(ref.alt or ref.caption or Path(ref.png).stem)
    links = [f'<a href="{html.escape(_relative(p, out_dir, "figures"))}">'
             f"{html.escape(Path(p).suffix.lstrip('.').upper())}</a>" for p in ref.downloads]
    caption = html.escape(ref.caption)
    if links:
        caption += (" " if caption else "") + "(" + ", ".join(links) + ")"
    return (f'<figure class="plot"><img src="{html.escape(src)}" alt="{alt}">'
            + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")


def render_study_report(study_title: str, sections: Sequence[Section], out_dir: Path | str, *,
                        study: str | None = None, provenance: Provenance | None = None,
                        missing: Sequence[str] = (), description: str = "",
                        built_at: datetime | None = None) -> Path:
    """Write ``out_dir/index.html`` (and ``out_dir/report.json`` for :func:`render_index`) for
    one study; return the page's path. Figure and file paths may be absolute or relative to
    ``out_dir``; files outside ``out_dir`` are copied into it. ``provenance`` (from
    :func:`models_py.reports.provenance.provenance_of` over the study's frames) gives the
    edition and the data-origin banner; without it the banner says the origin is unknown."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    provenance = provenance or Provenance()
    built = (built_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M %Z").strip()
    study = study or out_dir.name
    body = ['<header class="report">',
            '<p class="meta"><a href="../index.html">All studies</a></p>',
            f"<h1>{html.escape(study_title)}</h1>"]
    if description:
        body.append(f"<p>{html.escape(description)}</p>")
    body.append(f'<p class="meta" id="edition">{html.escape(provenance.edition_text)}. '
                f"Data origin: {html.escape(', '.join(provenance.data_origins) or 'unknown')}. "
                f"Built {html.escape(built)}.</p>")
    body.append(_banner(provenance))
    body.append("</header>")
    n_tables = sum(len(s.tables) for s in sections)
    n_figures = sum(len(s.figures) for s in sections)
    if sections:
        body.append("<nav><h2>Contents</h2><ol>" + "".join(
            f'<li><a href="#{_slug(s.title)}-{i}">{html.escape(s.title)}</a></li>'
            for i, s in enumerate(sections)) + "</ol></nav>")
    for i, section in enumerate(sections):
        body.append(f'<section id="{_slug(section.title)}-{i}">')
        body.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.text:
            body.append(f"<p>{html.escape(section.text)}</p>")
        body += section.tables
        for figure in section.figures:
            ref = figure if isinstance(figure, FigureRef) else FigureRef(Path(figure))
            body.append(_figure_html(ref, out_dir))
        if section.files:
            body.append('<ul class="files">' + "".join(
                f'<li><a href="{html.escape(_relative(p, out_dir, "files"))}">'
                f"{html.escape(Path(p).name)}</a></li>" for p in section.files) + "</ul>")
        if not (section.tables or section.figures or section.files or section.text):
            body.append('<p class="missing">No results yet.</p>')
        body.append("</section>")
    if missing:
        body.append('<section id="missing"><h2>Not available yet</h2><ul class="missing">'
                    + "".join(f"<li>{html.escape(m)}</li>" for m in missing) + "</ul></section>")
    if not sections and not missing:
        body.append('<p class="missing">This study has no results yet.</p>')
    page = out_dir / "index.html"
    page.write_text(_page(study_title, body), encoding="utf-8")
    summary = StudyReport(study=study, title=study_title, href=f"{out_dir.name}/index.html",
                          n_tables=n_tables, n_figures=n_figures,
                          data_origin=", ".join(provenance.data_origins) or "unknown",
                          edition=provenance.edition_text, built_at=built,
                          synthetic=provenance.banner is not None, missing=tuple(missing))
    (out_dir / SUMMARY_FILE).write_text(json.dumps(asdict(summary), indent=2, ensure_ascii=False),
                                        encoding="utf-8")
    return page


def render_index(reports_dir: Path | str, reports: Sequence[StudyReport] | None = None, *,
                 title: str = "Study reports", built_at: datetime | None = None) -> Path:
    """Write ``reports_dir/index.html`` listing the studies: ``reports`` or, when None, every
    ``reports_dir/<study>/report.json`` written by :func:`render_study_report`."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    if reports is None:
        reports = []
        for path in sorted(reports_dir.glob(f"*/{SUMMARY_FILE}")):
            fields = json.loads(path.read_text(encoding="utf-8"))
            reports.append(StudyReport(**{**fields, "missing": tuple(fields.get("missing", ()))}))
    built = (built_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M %Z").strip()
    body = ["<header class=\"report\">", f"<h1>{html.escape(title)}</h1>",
            f'<p class="meta">Built {html.escape(built)}; {len(reports)} '
            f"stud{'y' if len(reports) == 1 else 'ies'}.</p>"]
    if any(r.synthetic for r in reports):
        body.append('<div class="banner" role="alert" id="data-origin">Some studies below use '
                    "synthetic (demo) inputs or inputs of unknown origin: do not cite their "
                    "numbers.</div>")
    body.append("</header>")
    if not reports:
        body.append('<p class="missing">No study has been reported yet.</p>')
    else:
        rows = []
        for r in reports:
            flag = "" if not r.synthetic or r.data_origin == "unknown" else " (synthetic inputs)"
            rows.append(
                f'<tr><td><a href="{html.escape(r.href)}">{html.escape(r.title)}</a></td>'
                f"<td>{r.n_tables}</td><td>{r.n_figures}</td>"
                f"<td>{html.escape(r.data_origin + flag)}</td><td>{html.escape(r.edition)}</td>"
                f"<td>{html.escape(r.built_at)}</td></tr>")
        body.append('<table class="studies"><thead><tr><th>Study</th><th>Tables</th>'
                    "<th>Figures</th><th>Data origin</th><th>Edition</th><th>Built</th>"
                    "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    page = reports_dir / "index.html"
    page.write_text(_page(title, body), encoding="utf-8")
    return page


__all__ = ["FigureRef", "Section", "StudyReport", "render_index", "render_study_report",
           "table_section"]
