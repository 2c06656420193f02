"""The sample study report as a person sees it: headless Chromium loads the page with no
console errors, shows every table and every image, and a screenshot is written under
reports/screenshots/ (skipped, saying why, where Chromium cannot be installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports import browser, samples
from tests.reports.browser import find_chromium, inspect_page

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"

CHECK = """(() => {
  const visible = el => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  return {
    tables: [...document.querySelectorAll('figure.results-table')].filter(visible).map(f => f.id),
    images: [...document.images].map(i => ({src: i.getAttribute('src'),
                                             ok: i.complete && i.naturalWidth > 0 && visible(i)})),
    banner: (document.getElementById('data-origin') || {}).innerText || null,
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  };
})()"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path, why = find_chromium()
    if path is None:
        pytest.skip(f"browser check skipped: {why}")
    return path


def test_study_report_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    page = samples.render_sample_report(tmp_path / "reports")
    report = inspect_page(chromium, page, CHECK, SCREENSHOTS / "sample_study.png")
    assert report.errors == []
    value = report.value
    assert value["tables"] == ["tab-descriptives", "tab-baseline", "tab-moran", "tab-sdm",
                               "tab-effects"]
    assert [i["src"] for i in value["images"]] == ["figures/stock.png", "figures/moran_2020.png",
                                                   "figures/me.png"]
    assert all(i["ok"] for i in value["images"]), value["images"]
    assert value["banner"].startswith("Data origin: synthetic.")
    assert report.screenshot.stat().st_size > 50_000


def test_index_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    samples.render_sample_report(tmp_path / "reports")
    report = inspect_page(chromium, tmp_path / "reports" / "index.html", CHECK,
                          SCREENSHOTS / "sample_index.png")
    assert report.errors == []
    assert report.value["links"] == ["carbon_price/index.html", "tech_import/index.html"]


def test_skip_reason_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    assert find_chromium(install=False) == (None, "chromium is not installed")
    assert "apt-get is not available" in find_chromium()[1]
    monkeypatch.setattr(browser.shutil, "which", lambda name: "/usr/bin/apt-get"
                        if name == "apt-get" else None)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    assert "needs root" in find_chromium()[1]
