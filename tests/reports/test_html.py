"""Study pages and the index: every table, figure and link, banner, no outside resources."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from models_py.reports.html import Section, render_index, render_study_report
from models_py.reports.provenance import Provenance, provenance_of
from tests.reports import samples


class Collect(HTMLParser):
    """Tags with their attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Collect:
    parser = Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    samples.render_sample_report(out)
    return out


def test_study_page_shows_every_table_figure_and_file(reports_dir: Path) -> None:
    page = reports_dir / "tech_import" / "index.html"
    parsed = parse(page)
    ids = [a.get("id") for t, a in parsed.tags if t == "figure" and a.get("class") ==
           "results-table"]
    assert ids == ["tab-descriptives", "tab-baseline", "tab-moran", "tab-sdm", "tab-effects"]
    images = [a["src"] for t, a in parsed.tags if t == "img"]
    assert images == ["figures/stock.png", "figures/moran_2020.png", "figures/me.png"]
    links = [a["href"] for t, a in parsed.tags if t == "a" and a.get("href")]
    assert "tables/baseline.csv" in links and "tables/baseline.tex" in links
    assert "figures/stock.pdf" in links
    for target in [*images, *(h for h in links if not h.startswith("#"))]:
        assert (page.parent / target).resolve().is_file(), target
    text = " ".join(parsed.text)
    assert "Data origin: synthetic. These numbers come from the synthetic demo yearbook" in text
    assert "Edition: latest (newest edition in the inputs: 2023)" in text
    assert "Mediation (not estimated yet)" in text
    assert "-0.160***" in text


def test_pages_fetch_nothing_from_outside(reports_dir: Path) -> None:
    for page in reports_dir.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", html), page
        assert "<script" not in html
        assert "default-src 'none'" in html


def test_index_lists_studies_with_what_they_have(reports_dir: Path) -> None:
    parsed = parse(reports_dir / "index.html")
    links = [a["href"] for t, a in parsed.tags if t == "a"]
    assert links == ["carbon_price/index.html", "tech_import/index.html"]
    text = " ".join(parsed.text)
    assert "Some studies below use synthetic (demo) inputs" in text
    assert "synthetic (synthetic inputs)" in text
    summary = json.loads((reports_dir / "tech_import" / "report.json").read_text())
    assert (summary["n_tables"], summary["n_figures"], summary["synthetic"]) == (5, 3, True)


def test_partial_and_empty_studies_render(tmp_path: Path) -> None:
    real = provenance_of(samples.descriptives().assign(data_origin="real"))
    page = render_study_report("Empty", [Section("Mediation")], tmp_path / "empty",
                               provenance=real)
    html = page.read_text(encoding="utf-8")
    assert "No results yet." in html and 'id="data-origin"' not in html
    page = render_study_report("Unknown origin", [], tmp_path / "unknown")
    html = page.read_text(encoding="utf-8")
    assert "This study has no results yet." in html
    assert 'class="banner unknown"' in html and Provenance().banner in html
    index = render_index(tmp_path).read_text(encoding="utf-8")
    assert "empty/index.html" in index and "unknown/index.html" in index


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope.png"):
        render_study_report("X", [Section("Maps", figures=[tmp_path / "nope.png"])],
                            tmp_path / "x")
