"""Province geometry and figures: the shipped boundary file, simplification, maps and plots."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from models_py.reference import provinces
from models_py.reports import figures
from models_py.reports.geo import SIMPLIFIED_PATH, albers, douglas_peucker, load_provinces

NO_DATA = {"540000", "810000", "820000", "710000"}  # Tibet, Hong Kong, Macao, Taiwan


def study_values() -> pd.Series:
    codes = provinces()["province_code"]
    return pd.Series(np.arange(1.0, len(codes) + 1), index=codes)


def test_shipped_boundaries_cover_the_panel_and_stay_small() -> None:
    assert SIMPLIFIED_PATH.stat().st_size < 400_000
    codes = {p.code for p in load_provinces()}
    assert len(codes) == 34
    assert set(provinces()["province_code"]) | NO_DATA | {"460000"} <= codes
    names = {p.code: (p.name_en, p.name_zh) for p in load_provinces()}
    assert names["540000"] == ("Tibet", "西藏自治区")
    assert names["150000"] == ("Inner Mongolia", "内蒙古自治区")
    collection = json.loads(SIMPLIFIED_PATH.read_text(encoding="utf-8"))
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in collection["features"])


def test_shared_borders_are_simplified_once() -> None:
    """Beijing's ring and Tianjin's share exactly the same simplified border vertices."""
    collection = json.loads(SIMPLIFIED_PATH.read_text(encoding="utf-8"))
    rings = {f["properties"]["code"]: {tuple(pt) for part in f["geometry"]["coordinates"]
                                       for ring in part for pt in ring}
             for f in collection["features"]}
    shared = rings["110000"] & rings["120000"]
    assert len(shared) >= 3


def test_douglas_peucker_by_hand() -> None:
    chain = [(0, 0), (1, 0.05), (2, -0.05), (3, 1.0), (4, 0), (5, 0)]
    assert douglas_peucker(chain, 0.1) == [(0, 0), (2, -0.05), (3, 1.0), (4, 0), (5, 0)]
    assert douglas_peucker(chain, 2.0) == [(0, 0), (5, 0)]


def test_albers_is_zero_on_the_central_meridian_and_increases_east() -> None:
    x, _ = albers(np.array([105.0, 120.0]), np.array([35.0, 35.0]))
    assert x[0] == 0.0 and x[1] > 0


def test_choropleth_greys_out_provinces_without_data(tmp_path) -> None:
    figure = figures.choropleth(study_values(), title="Test", legend_label="value")
    ax = figure.axes[0]
    with_data, without = ax.collections[:2]
    assert len(with_data.get_paths()) == 30 and len(without.get_paths()) == len(NO_DATA)
    assert {t.get_text() for t in ax.texts} >= {"Beijing", "Tibet", "Xinjiang"}
    paths = figures.save_figure(figure, tmp_path / "map")
    assert Image.open(paths["png"]).size[0] > 1000
    assert paths["pdf"].read_bytes().startswith(b"%PDF")


def test_choropleth_rejects_unknown_codes_and_zh_without_font() -> None:
    with pytest.raises(ValueError, match="not GB/T 2260 province codes"):
        figures.choropleth({"Beijing": 1.0})
    if figures.cjk_font() is None:
        with pytest.raises(ValueError, match="Chinese glyphs"):
            figures.choropleth(study_values(), labels="zh")


def test_moran_scatter_slope_is_morans_i() -> None:
    # a path 1-2-3-4 with values 1, 2, 3, 4: z = (-3, -1, 1, 3)/sqrt(5); row-standardised W
    # gives Wz = (-1, -1, 1, 1)/sqrt(5); I = z'Wz / z'z = 8/20 = 0.4
    codes = ["110000", "120000", "130000", "140000"]
    w = pd.DataFrame(0.0, index=codes, columns=codes)
    for a, b in zip(codes, codes[1:], strict=False):
        w.loc[a, b] = w.loc[b, a] = 1.0
    figure = figures.moran_scatter(pd.Series([1.0, 2.0, 3.0, 4.0], index=codes), w)
    assert figure.moran_i == pytest.approx(0.4)
    assert figure.axes[0].get_legend().get_texts()[0].get_text() == \
        "slope (Moran's I) = 0.400"


def test_lisa_map_legend_counts(tmp_path) -> None:
    codes = list(provinces()["province_code"])
    clusters = pd.Series(["HH"] * 5 + ["LL"] * 3 + ["ns"] * 22, index=codes)
    figure = figures.lisa_map(clusters)
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert labels == ["High-High (5)", "Low-Low (3)", "Not significant (22)", "No data"]
    with pytest.raises(ValueError, match="not one of"):
        figures.lisa_map(pd.Series(["XX"], index=["110000"]))
    figures.save_figure(figure, tmp_path / "lisa")


def test_time_paths_and_curves() -> None:
    frame = pd.DataFrame({"year": [2000, 2001] * 3, "region": ["west"] * 2 + ["east"] * 2
                          + ["central"] * 2, "co2": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    ax = figures.time_paths(frame, "co2").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["East", "Central", "West"]
    assert list(ax.lines[0].get_ydata()) == [3.0, 4.0]
    grid = np.array([0.0, 150.0, 300.0])
    simulation = pd.DataFrame(
        [("s", "ME", unit, g, stat, g * k * f) for unit, k in (("steel", 2), ("cement", 1))
         for g in grid for stat, f in (("estimate", 1.0), ("lower", 0.8), ("upper", 1.2))],
        columns=["scenario", "measure", "unit", "grid_value", "statistic", "value"])
    ax = figures.simulation_curves(simulation, "ME", ylabel="ME").axes[0]
    assert [line.get_label() for line in ax.lines] == ["steel", "cement"]
    assert list(ax.lines[0].get_ydata()) == [0.0, 300.0, 600.0]
    assert len(ax.collections) == 2  # one band per unit
    with pytest.raises(ValueError, match="measure='ACE'"):
        figures.simulation_curves(simulation, "ACE")


def test_helpers_from_results_frames() -> None:
    local = pd.DataFrame({"variable": "ln_co2", "weights": "contiguity", "year": 2020,
                          "province_code": ["110000", "120000"], "local_i": [1.2, -0.3],
                          "p_value": [0.01, 0.4], "cluster": ["HH", "ns"]})
    clusters = figures.local_moran_clusters(local, variable="ln_co2", weights="contiguity",
                                            year=2020)
    assert clusters.to_dict() == {"110000": "HH", "120000": "ns"}
    with pytest.raises(ValueError, match="year=2019"):
        figures.local_moran_clusters(local, variable="ln_co2", weights="contiguity", year=2019)
    frame = figures.with_region(pd.DataFrame({"province_code": ["110000", "140000", "650000"]}))
    assert list(frame["region"]) == ["east", "central", "west"]


def test_a_figure_task_pickles_and_draws_the_same_bytes_in_a_forked_worker(tmp_path) -> None:
    """The report's figures are tasks a mapper may run in another process (the report assets
    use orchestration.parallel.fork_map): the written files are the same either way."""
    import pickle

    from models_py.reports.study_report import FigureTask, draw_figure
    from orchestration.parallel import fork_map

    codes = list(provinces()["province_code"])
    clusters = pd.Series(["HH"] * 5 + ["LL"] * 3 + ["ns"] * 22, index=codes)
    tasks = [FigureTask(figures.lisa_map, (clusters,), tmp_path / mode / "lisa",
                        {"title": "LISA"}) for mode in ("here", "forked")]
    tasks += [FigureTask(figures.choropleth, (study_values(),), tmp_path / mode / "map")
              for mode in ("here", "forked")]
    here = [draw_figure(pickle.loads(pickle.dumps(task))) for task in tasks[::2]]
    forked = list(fork_map(draw_figure, tasks[1::2], workers=2))
    assert [figures.figure_paths(task.stem) for task in tasks[1::2]] == forked
    for mine, theirs in zip(here, forked, strict=True):
        for fmt in ("png", "pdf"):
            assert mine[fmt].read_bytes() == theirs[fmt].read_bytes(), theirs[fmt]


@pytest.mark.parametrize("anchor", [1.0, 2.5])  # the legend within the margin drawn, beyond it
def test_save_figure_cuts_the_png_as_savefig_tight_would(tmp_path, anchor) -> None:
    # save_figure cuts the PNG out of its one raster drawing (or draws it again when the tight
    # box reaches past the margin drawn around the figure): savefig's bbox_inches="tight" size
    def figure_with_legend_at(x: float):
        figure, (ax,) = figures._new_figure(width=3.0, height=2.0)
        ax.plot([0, 1], [0, 1], label="a line")
        ax.legend(loc="center left", bbox_to_anchor=(x, 0.5))
        return figure

    reference = tmp_path / "reference.png"
    figure_with_legend_at(anchor).savefig(reference, bbox_inches="tight",
                                          dpi=figures.STYLE["savefig.dpi"])
    paths = figures.save_figure(figure_with_legend_at(anchor), tmp_path / "saved")
    assert Image.open(paths["png"]).size == Image.open(reference).size
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
