"""Figures for papers and reports (matplotlib, Agg backend), legible when printed.

Every function takes pandas objects, returns a ``matplotlib.figure.Figure`` and draws nothing
on screen; :func:`save_figure` writes it as PNG (for HTML) and PDF (for LaTeX) and closes it.
Sizes suit a page (6.5 in wide, 9-pt text); lines differ by style and marker as well as colour,
so they stay apart in black and white.

- :func:`choropleth` - a value per province (``pandas.Series`` indexed by GB/T 2260 code,
  ``"110000"``...) on the province boundaries of :mod:`models_py.reports.geo` (Albers equal-area);
  provinces without a value (Tibet, Hong Kong, Macao, Taiwan in the 30-province panel) in grey,
  labelled "No data". Continuous colour bar, or ``classes=k`` quantile classes with a legend.
  Labels in English (``labels="en"``), Chinese (``"zh"``, needs a CJK font) or none.
- :func:`choropleth_panels` - the same on a shared scale for several years side by side (the
  technology-import study's figures 2-4: the stock in 2011, 2016 and 2020).
- :func:`moran_scatter` - standardised z against its spatial lag Wz with the fitted slope
  (= Moran's I for a row-standardised W) and quadrant lines.
- :func:`lisa_map` - local Moran clusters (HH, LL, HL, LH, ns) on the map
  (:func:`local_moran_clusters` picks them from ``results.local_moran``).
- :func:`time_paths` - a variable's path by region (east / central / west), group means
  (:func:`with_region` adds the region of each province code).
- :func:`curves` - curves by unit with optional confidence bands (the carbon-price study's
  MC curves of six industries, ME and ACE with their bands over 0-300 yuan/t);
  :func:`simulation_curves` draws them straight from ``results.simulation``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.backends.backend_pdf  # noqa: E402, F401 - imported here, not at the first PDF
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import BoundaryNorm, Colormap, Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from models_py.reports.geo import Province, load_provinces  # noqa: E402

PAGE_WIDTH_IN = 6.5
NO_DATA_COLOUR = "#c8c8c8"
NO_DATA_HATCH = "////"
LISA_COLOURS = {"HH": "#b2182b", "HL": "#f4a582", "LH": "#92c5de", "LL": "#2166ac",
                "ns": "#f7f7f7"}
LISA_LABELS = {"HH": "High-High", "HL": "High-Low", "LH": "Low-High", "LL": "Low-Low",
               "ns": "Not significant"}
REGION_ORDER = ("east", "central", "west")
LINE_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "x")
# label nudges (projected units, ~0.01 = 60 km) where neighbours' names would overlap
LABEL_OFFSETS = {"110000": (0.0, 0.012), "120000": (0.018, -0.004), "130000": (-0.02, -0.025),
                 "310000": (0.022, 0.0)}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "AR PL UMing CN")

STYLE = {"font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8,
         "xtick.labelsize": 8, "ytick.labelsize": 8, "axes.spines.top": False,
         "axes.spines.right": False, "savefig.dpi": 200}


# per format: the PDF without a creation date (the same bytes every run); the PNG at zlib
# level 1 (PIL's default 6 spends several times the CPU for files a little smaller)
SAVE_OPTIONS = {"pdf": {"metadata": {"CreationDate": None}},
                "png": {"pil_kwargs": {"compress_level": 1}}}
# the rcParams savefig reads while writing, by format: the PDF's streams at zlib level 1 (the
# default 6: a quarter of the PDF's CPU for files a sixth smaller). Its fonts are embedded as
# matplotlib's default Type 3 (the glyphs used, as vector outlines); TrueType (Type 42, which
# some journals' PDF checks ask for) doubled the CPU of the 23 demo figures (4.7 -> 8.6 s:
# fontTools subsetting DejaVu Sans for every file)
SAVE_RC = {"pdf": {"pdf.compression": 1}}
# inches drawn around the figure for what sticks out of it (a legend right of a map, a long
# title over a square plot: up to 0.6 in on the demo's figures)
RENDER_MARGIN_IN = 1.0


def figure_paths(stem: Path | str, formats: Sequence[str] = ("png", "pdf")) -> dict[str, Path]:
    """The files :func:`save_figure` writes for ``stem``, by format."""
    return {fmt: Path(stem).with_suffix(f".{fmt}") for fmt in formats}


def save_figure(figure: Figure, stem: Path | str, formats: Sequence[str] = ("png", "pdf")
                ) -> dict[str, Path]:
    """Write ``<stem>.png`` and ``<stem>.pdf`` (fonts embedded, as Type 3: ``SAVE_RC``), close
    the figure; the paths.

    Both are cut to the figure's tight bounding box (padded by ``savefig.pad_inches``), which
    comes from the one raster drawing (:func:`_render_with_margin`): the PNG is cut out of that
    drawing, so the figure is drawn twice (raster, PDF), not three times (layout pass, PNG, PDF).
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    dpi = STYLE["savefig.dpi"]
    figure.set_dpi(dpi)  # as savefig would, for good: the text is measured at the PNG's dpi
    pixels, tight = _render_with_margin(figure)
    paths = figure_paths(stem, formats)
    for fmt, path in paths.items():
        crop = _pixels_inside(pixels, tight, figure) if fmt == "png" else None
        if crop is not None:
            matplotlib.image.imsave(path, crop, format="png", dpi=dpi,
                                    **SAVE_OPTIONS["png"])
        else:  # the PDF; the PNG too when the box reaches past the margin
            with matplotlib.rc_context(SAVE_RC.get(fmt, {})):
                figure.savefig(path, bbox_inches=tight, dpi=dpi, **SAVE_OPTIONS.get(fmt, {}))
    plt.close(figure)
    return paths


def _render_with_margin(figure: Figure) -> tuple[np.ndarray, Bbox]:
    """Draw ``figure`` with Agg at its dpi onto a canvas ``RENDER_MARGIN_IN`` larger on every
    side (legends and titles may stick out of the figure; the tight box takes them in); the
    canvas's RGBA pixels and the tight bounding box (inches, padded), measured by the renderer
    that drew (it has measured every text already: the sizes come from its cache)."""
    width, height = figure.get_size_inches()
    margin = RENDER_MARGIN_IN
    canvas_box = Bbox.from_extents(-margin, -margin, width + margin, height + margin)
    figure.savefig(io.BytesIO(), format="rgba", bbox_inches=canvas_box, dpi=figure.dpi)
    renderer = figure.canvas.renderer
    tight = figure.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    return np.asarray(renderer.buffer_rgba()), tight


def _pixels_inside(pixels: np.ndarray, box: Bbox, figure: Figure) -> np.ndarray | None:
    """The pixels of :func:`_render_with_margin`'s canvas inside ``box`` (inches, figure
    coordinates), as many as savefig would write for it; None if ``box`` leaves the canvas."""
    dpi = figure.dpi
    columns, rows = int(box.width * dpi), int(box.height * dpi)
    left = round((box.x0 + RENDER_MARGIN_IN) * dpi)
    bottom = round((box.y0 + RENDER_MARGIN_IN) * dpi)  # counted from the canvas's bottom
    top = pixels.shape[0] - bottom - rows  # rows run from the top
    if left < 0 or top < 0 or bottom < 0 or left + columns > pixels.shape[1]:
        return None
    return np.ascontiguousarray(pixels[top:top + rows, left:left + columns])


def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _new_figure(width: float = PAGE_WIDTH_IN, height: float = 4.5, ncols: int = 1
                ) -> tuple[Figure, np.ndarray]:
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False)
    return figure, axes[0]


@cache
def _province_paths() -> dict[str, MplPath]:
    """Every province's compound path by code (:func:`_province_path`), built once per process
    and shared, read-only, by every map drawn in it."""
    return {province.code: _province_path(province) for province in load_provinces()}


def _province_path(province: Province) -> MplPath:
    vertices, codes = [], []
    for part in province.polygons:
        for k, ring in enumerate(part):
            # exterior counter-clockwise, holes clockwise: a compound path fills correctly
            signed = np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
            if (signed < 0) == (k == 0):
                ring = ring[::-1]
            vertices.append(ring)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes, readonly=True)


def _province_label(province: Province, labels: Literal["en", "zh"] | None) -> str | None:
    if labels == "en":
        return province.name_en
    if labels == "zh":
        return province.name_zh.removesuffix("省").removesuffix("市")[:3]
    return None


def _draw_provinces(ax: plt.Axes, colours: Mapping[str, object], *,
                    labels: Literal["en", "zh"] | None = None, label_size: float = 5.0,
                    label_codes: Sequence[str] | None = None) -> None:
    """Fill every province with ``colours[code]`` (grey and hatched when absent)."""
    font = None
    if labels == "zh":
        font = cjk_font()
        if font is None:
            raise ValueError("labels='zh' needs a font with Chinese glyphs (e.g. Debian's "
                             "fonts-noto-cjk); none of " + ", ".join(CJK_FONTS) + " is installed")
    paths = _province_paths()
    with_data = [code for code in paths if code in colours]
    ax.add_collection(PathCollection([paths[code] for code in with_data],
                                     facecolors=[colours[code] for code in with_data],
                                     edgecolors="#404040", linewidths=0.35))
    ax.add_collection(PathCollection([path for code, path in paths.items()
                                      if code not in colours],
                                     facecolors=NO_DATA_COLOUR, edgecolors="#404040",
                                     linewidths=0.35, hatch=NO_DATA_HATCH))
    if labels:
        for province in load_provinces():
            if label_codes is not None and province.code not in label_codes:
                continue
            if province.code in ("810000", "820000"):
                continue  # Hong Kong and Macao are too small to carry a label
            x, y = province.label_point
            dx, dy = LABEL_OFFSETS.get(province.code, (0.0, 0.0))
            x, y = x + dx, y + dy
            text = _province_label(province, labels)
            ax.text(x, y, text, ha="center", va="center", fontsize=label_size,
                    fontfamily=font or "DejaVu Sans", color="#111111")
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()


def _values(values: pd.Series | Mapping[str, float]) -> pd.Series:
    series = pd.Series(values, dtype=float)
    series.index = [str(code) for code in series.index]
    unknown = sorted(set(series.index) - {p.code for p in load_provinces()})
    if unknown:
        raise ValueError(f"choropleth: {unknown} are not GB/T 2260 province codes of the "
                         "boundary file (expected e.g. '110000' for Beijing)")
    return series.dropna()


def _no_data_handle() -> Patch:
    return Patch(facecolor=NO_DATA_COLOUR, edgecolor="#404040", hatch=NO_DATA_HATCH,
                 label="No data")


def _quantile_norm(values: pd.Series, classes: int, cmap: Colormap) -> tuple[BoundaryNorm,
                                                                           np.ndarray]:
    edges = np.unique(np.quantile(values, np.linspace(0, 1, classes + 1)))
    return BoundaryNorm(edges, cmap.N), edges


def _fill_map(ax: plt.Axes, series: pd.Series, cmap: Colormap, norm: Normalize,
              labels: Literal["en", "zh"] | None) -> None:
    colours = {code: cmap(norm(value)) for code, value in series.items()}
    _draw_provinces(ax, colours, labels=labels)


def choropleth(values: pd.Series | Mapping[str, float], *, title: str = "",
               legend_label: str = "", cmap: str = "YlOrRd", classes: int | None = None,
               labels: Literal["en", "zh"] | None = "en", vmin: float | None = None,
               vmax: float | None = None, decimals: int = 2) -> Figure:
    """A map of one value per province (index: GB/T 2260 codes); see the module docstring."""
    series = _values(values)
    figure, (ax,) = _new_figure(height=5.0)
    colour_map = plt.get_cmap(cmap, classes) if classes else plt.get_cmap(cmap)
    with plt.rc_context(STYLE):
        if classes:
            norm, edges = _quantile_norm(series, classes, colour_map)
            _fill_map(ax, series, colour_map, norm, labels)
            handles = [Patch(facecolor=colour_map(norm((lo + hi) / 2)), edgecolor="#404040",
                             label=f"{lo:.{decimals}f} – {hi:.{decimals}f}")
                       for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
            ax.legend(handles=[*handles, _no_data_handle()], title=legend_label or None,
                      loc="center left", bbox_to_anchor=(0.97, 0.35), frameon=False)
        else:
            norm = Normalize(vmin if vmin is not None else series.min(),
                             vmax if vmax is not None else series.max())
            _fill_map(ax, series, colour_map, norm, labels)
            bar = figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colour_map), ax=ax,
                                  shrink=0.6, pad=0.01)
            bar.set_label(legend_label)
            ax.legend(handles=[_no_data_handle()], loc="lower left", frameon=False)
        if title:
            ax.set_title(title)
    return figure


def choropleth_panels(panels: Mapping[str, pd.Series], *, title: str = "",
                      legend_label: str = "", cmap: str = "YlOrRd",
                      labels: Literal["en", "zh"] | None = None) -> Figure:
    """Maps side by side on one colour scale (panel titles are the mapping's keys, e.g. years)."""
    series = {name: _values(v) for name, v in panels.items()}
    every = pd.concat(list(series.values()))
    norm = Normalize(every.min(), every.max())
    colour_map = plt.get_cmap(cmap)
    figure, axes = _new_figure(height=2.6 + 0.2 * (len(series) < 3), ncols=len(series))
    with plt.rc_context(STYLE):
        for ax, (name, values) in zip(axes, series.items(), strict=True):
            _fill_map(ax, values, colour_map, norm, labels)
            ax.set_title(str(name))
        bar = figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colour_map),
                              ax=list(axes), orientation="horizontal", shrink=0.5,
                              pad=0.02, aspect=40)
        bar.set_label(legend_label)
        axes[0].legend(handles=[_no_data_handle()], loc="lower left", frameon=False,
                       fontsize=7)
        if title:
            figure.suptitle(title)
    return figure


def moran_scatter(values: pd.Series, weights: pd.DataFrame, *, title: str = "",
                  variable_label: str = "z", annotate: bool = False) -> Figure:
    """z = standardised ``values`` against Wz (``weights`` indexed and columned like
    ``values``, row-standardised here); the OLS slope of Wz on z is Moran's I (Anselin 1996)."""
    codes = [str(c) for c in values.index]
    w = weights.copy()
    w.index, w.columns = [str(c) for c in w.index], [str(c) for c in w.columns]
    w = w.loc[codes, codes].to_numpy(dtype=float)
    sums = w.sum(axis=1, keepdims=True)
    w = np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)
    x = values.to_numpy(dtype=float)
    z = (x - x.mean()) / x.std()
    wz = w @ z
    slope = float(z @ wz / (z @ z))
    figure, (ax,) = _new_figure(width=4.0, height=4.0)
    with plt.rc_context(STYLE):
        ax.scatter(z, wz, s=14, facecolor="white", edgecolor="black", linewidth=0.7, zorder=3)
        ax.axhline(0, color="#888888", linewidth=0.6)
        ax.axvline(0, color="#888888", linewidth=0.6)
        grid = np.linspace(z.min(), z.max(), 2)
        ax.plot(grid, slope * grid, color="#b2182b", linewidth=1.2,
                label=f"slope (Moran's I) = {slope:.3f}")
        if annotate:
            names = {p.code: p.name_en for p in load_provinces()}
            for code, xi, yi in zip(codes, z, wz, strict=True):
                ax.annotate(names.get(code, code), (xi, yi), fontsize=5, xytext=(2, 2),
                            textcoords="offset points")
        ax.set_xlabel(f"{variable_label} (standardised)")
        ax.set_ylabel(f"W {variable_label} (spatial lag)")
        for text, (hx, hy) in (("HH", (0.97, 0.97)), ("LL", (0.03, 0.03)),
                               ("LH", (0.03, 0.97)), ("HL", (0.97, 0.03))):
            ax.text(hx, hy, text, transform=ax.transAxes, ha="right" if hx > 0.5 else "left",
                    va="top" if hy > 0.5 else "bottom", color="#555555", fontsize=8)
        ax.legend(loc="upper center", frameon=False)
        if title:
            ax.set_title(title)
    figure.moran_i = slope  # type: ignore[attr-defined]
    return figure


def lisa_map(clusters: pd.Series | Mapping[str, str], *, title: str = "",
             labels: Literal["en", "zh"] | None = None) -> Figure:
    """Local Moran clusters per province (``HH``, ``LL``, ``HL``, ``LH``, ``ns``)."""
    series = pd.Series(clusters, dtype=object)
    series.index = [str(c) for c in series.index]
    unknown = sorted(set(series.dropna()) - set(LISA_COLOURS))
    if unknown:
        raise ValueError(f"lisa_map: clusters {unknown} are not one of {list(LISA_COLOURS)}")
    figure, (ax,) = _new_figure(height=5.0)
    with plt.rc_context(STYLE):
        _draw_provinces(ax, {c: LISA_COLOURS[k] for c, k in series.dropna().items()},
                        labels=labels)
        present = [k for k in LISA_COLOURS if k in set(series)]
        handles = [Patch(facecolor=LISA_COLOURS[k], edgecolor="#404040",
                         label=f"{LISA_LABELS[k]} ({(series == k).sum()})") for k in present]
        ax.legend(handles=[*handles, _no_data_handle()], loc="center left",
                  bbox_to_anchor=(0.97, 0.35), frameon=False)
        if title:
            ax.set_title(title)
    return figure


def local_moran_clusters(local_moran: pd.DataFrame, *, variable: str, weights: str,
                         year: int) -> pd.Series:
    """The ``cluster`` column of ``results.local_moran`` for one variable, W and year, indexed
    by province code (the input of :func:`lisa_map`)."""
    rows = local_moran[(local_moran["variable"] == variable)
                       & (local_moran["weights"] == weights) & (local_moran["year"] == year)]
    if rows.empty:
        raise ValueError(f"local_moran_clusters: no rows of results.local_moran for "
                         f"variable={variable!r}, weights={weights!r}, year={year!r}")
    return pd.Series(rows["cluster"].to_numpy(), index=rows["province_code"].astype(str))


def with_region(frame: pd.DataFrame, code_column: str = "province_code",
                region_column: str = "region") -> pd.DataFrame:
    """``frame`` with the province's region (east / central / west, dim_province) added."""
    from models_py.reference import provinces

    regions = provinces().set_index("province_code")["region"]
    return frame.assign(**{region_column: frame[code_column].astype(str).map(regions)})


def time_paths(frame: pd.DataFrame, value: str, *, x: str = "year", group: str = "region",
               order: Sequence[str] = REGION_ORDER, how: Literal["mean", "sum"] = "mean",
               title: str = "", ylabel: str = "", xlabel: str = "Year") -> Figure:
    """The ``how`` of ``value`` by ``group`` (e.g. region: east, central, west) and ``x``."""
    grouped = frame.groupby([group, x])[value].agg(how).unstack(group)
    groups = [g for g in order if g in grouped.columns] + \
        [g for g in grouped.columns if g not in order]
    figure, (ax,) = _new_figure(height=3.6)
    with plt.rc_context(STYLE):
        for k, name in enumerate(groups):
            ax.plot(grouped.index, grouped[name], color=f"C{k}",
                    linestyle=LINE_STYLES[k % len(LINE_STYLES)],
                    marker=MARKERS[k % len(MARKERS)], markersize=3.5, linewidth=1.3,
                    label=str(name).capitalize())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel or value)
        ax.legend(frameon=False)
        if title:
            ax.set_title(title)
    return figure


def curves(frame: pd.DataFrame, *, x: str, y: str, by: str | None = None,
           lower: str | None = None, upper: str | None = None, title: str = "",
           xlabel: str = "", ylabel: str = "", band_label: str = "95% interval") -> Figure:
    """One line per ``by`` value (or one line) of ``y`` against ``x``, with a shaded band
    between ``lower`` and ``upper`` when both are given."""
    figure, (ax,) = _new_figure(height=3.8)
    groups = [(None, frame)] if by is None else list(frame.groupby(by, sort=False))
    with plt.rc_context(STYLE):
        for k, (name, part) in enumerate(groups):
            part = part.sort_values(x)
            colour = f"C{k}" if by is not None else "black"
            ax.plot(part[x], part[y], color=colour, linestyle=LINE_STYLES[k % len(LINE_STYLES)],
                    linewidth=1.4, label=None if name is None else str(name))
            if lower and upper:
                ax.fill_between(part[x], part[lower], part[upper], color=colour, alpha=0.18,
                                linewidth=0, label=band_label if k == 0 else None)
        ax.set_xlabel(xlabel or x)
        ax.set_ylabel(ylabel or y)
        if by is not None or (lower and upper):
            ax.legend(frameon=False, ncols=2 if len(groups) > 3 else 1)
        if title:
            ax.set_title(title)
    return figure


def simulation_curves(simulation: pd.DataFrame, measure: str, *, scenario: str | None = None,
                      center: str = "estimate", lower: str | None = "lower",
                      upper: str | None = "upper", title: str = "",
                      xlabel: str = "Carbon price (yuan/t)", ylabel: str = "") -> Figure:
    """Curves of one ``measure`` of ``results.simulation`` (one line per unit over
    ``grid_value``), banded when the ``lower`` and ``upper`` statistics are present."""
    rows = simulation[simulation["measure"] == measure]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    if rows.empty:
        raise ValueError(f"simulation_curves: no rows of results.simulation for "
                         f"measure={measure!r}, scenario={scenario!r}")
    wide = rows.pivot_table(index=["unit", "grid_value"], columns="statistic", values="value",
                            aggfunc="first").reset_index()
    wide["unit"] = pd.Categorical(wide["unit"], categories=list(dict.fromkeys(rows["unit"])))
    wide = wide.sort_values(["unit", "grid_value"])
    banded = lower in wide and upper in wide
    by = "unit" if wide["unit"].nunique() > 1 else None
    return curves(wide, x="grid_value", y=center, by=by, lower=lower if banded else None,
                  upper=upper if banded else None, title=title, xlabel=xlabel,
                  ylabel=ylabel or measure)
