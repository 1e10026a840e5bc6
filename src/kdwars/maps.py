"""Offline static maps of Central Asia with real geography.

Every map is a cartopy ``GeoAxes`` in a Lambert conformal projection centred on
the Kazakh steppe (:data:`PROJECTION_PARAMS`). Its geography is read from the
small extract in ``data/external/geo`` (see :func:`kdwars._paths.geo_dir` and
``scripts/make_geo_extract.py``): GSHHG shores and lakes, WDBII rivers and a
Natural Earth shaded-relief image. cartopy's own feature layers
(``ax.coastlines()``, ``cartopy.feature``, ``ax.stock_img()``) download data and
are never used here, so the maps draw without a network.

The lakes are GSHHG's: the Aral Sea has its pre-1960 outline, which suits the
eighteenth century. Modern reservoirs (Kapchagay, Shardara, …) are drawn as
river, not as lake, and modern political borders are not drawn at all. Lake
Zaysan still shows the Bukhtarma reservoir's arm up the Irtysh valley. The WDBII
rivers carry no names and leave out intermittent streams: the Emba, the Sarysu
and the lower Chu are not drawn, and their labels (:data:`RIVER_LABELS`) mark
their valleys.

The public map functions hide nothing silently: events outside the frame,
rows without coordinates and labels left out for want of room are listed in a
note on the map (and stored on the Axes as ``ax.kdwars_*``). Places are named
with a small greedy label placer (eight candidate positions per point, busiest
places first, never over another label, a marker or a water name): the maps
have a few dozen labels, which this places in milliseconds, and it needs no
further dependency (``adjustText`` moves labels iteratively and takes seconds).

The geometry plumbing (reading the extract, projecting water and graticule,
warping the relief, and caching each per process and view) lives in the
private module :mod:`kdwars._mapgeo`; cartopy's private APIs are not used.

This module imports matplotlib and cartopy; ``import kdwars`` does not import it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import cartopy.crs as ccrs
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cartopy.mpl.geoaxes import GeoAxes
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import offset_copy

from kdwars._mapgeo import (  # noqa: F401 - geometry plumbing, kept apart
    _PC,
    LAND_BG,
    RIVER,
    WATER,
    WATER_EDGE,
    WATER_TEXT,
    _crop_relief,
    _features,
    _Graticule,
    _lonlat_bounds,
    _projected,
    _round_bounds,
    _to_crs,
    _warp,
    _warped_relief,
    _water,
)
from kdwars.style import OUTCOME_COLORS, side_color

__all__ = [
    "AREA_PRECISIONS",
    "DEFAULT_EXTENT",
    "JUZ_COLORS",
    "LAKE_LABELS",
    "LOCATED_PRECISIONS",
    "PROJECTION_PARAMS",
    "RIVER_LABELS",
    "SIDE_COLUMNS",
    "base_map",
    "flows_by_juz",
    "place_claims",
    "plot_events_map",
    "plot_flows_map",
    "plot_place_claims",
    "projection",
]

#: Default map extent ``(lon_min, lon_max, lat_min, lat_max)``: from the Caspian's
#: east shore to the Dzungarian Basin, from the Kopet Dag to the forest steppe.
DEFAULT_EXTENT: tuple[float, float, float, float] = (48.5, 90.0, 35.0, 56.0)

#: Parameters of the Lambert conformal projection of every map.
PROJECTION_PARAMS: dict[str, Any] = {
    "central_longitude": 70.0,
    "central_latitude": 45.5,
    "standard_parallels": (40.0, 52.0),
}

#: Columns whose values are side slugs, coloured with :func:`kdwars.style.side_color`.
SIDE_COLUMNS: frozenset[str] = frozenset(
    {"side", "attacker", "defender", "winner", "winner_camp", "loser", "side_a", "side_b", "from_side", "to_side"}
)

#: River labels: name -> (lon, lat) of the label's centre, set just beside the river,
#: and (dlon, dlat), the river's direction there (the label is rotated along it).
RIVER_LABELS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "Irtysh": ((78.85, 51.55), (-1.0, 0.75)),
    "Syr Darya": ((66.0, 44.0), (-1.0, 0.6)),
    "Amu Darya": ((62.55, 40.2), (-1.0, 0.95)),
    "Chu": ((74.4, 43.55), (-0.6, 1.0)),
    "Talas": ((72.55, 42.85), (1.0, -0.15)),
    "Ili": ((76.6, 44.65), (-1.0, 0.7)),
    "Ishim": ((68.3, 53.4), (0.45, 1.0)),
    "Tobol": ((64.7, 54.2), (0.3, 1.0)),
    "Ural": ((53.3, 51.85), (-1.0, -0.1)),
    "Emba": ((55.6, 47.55), (-1.0, -0.45)),
    "Sarysu": ((68.7, 46.75), (-1.0, -0.6)),
}

#: Lake and sea labels: name -> (lon, lat) of the label's centre.
LAKE_LABELS: dict[str, tuple[float, float]] = {
    "Caspian\nSea": (51.2, 42.3),
    "Aral\nSea": (60.0, 45.2),
    "Lake Balkhash": (75.6, 47.15),
    "Issyk-Kul": (77.3, 41.85),
    "Lake Zaysan": (84.2, 47.5),
    "Lake Alakol": (81.9, 45.55),
}

def projection() -> ccrs.LambertConformal:
    """The Lambert conformal projection of every map (see :data:`PROJECTION_PARAMS`)."""
    return ccrs.LambertConformal(**PROJECTION_PARAMS)


# --------------------------------------------------------------------------- helpers


def _new_geoaxes(ax, extent, figsize) -> GeoAxes:
    if ax is None:
        fig = plt.figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot(projection=projection())
    elif not isinstance(ax, GeoAxes):
        raise TypeError(
            "ax must be a cartopy GeoAxes, e.g. fig.add_subplot(projection=kdwars.maps.projection())"
        )
    ax.set_extent(extent, crs=_PC)
    return ax


def _halo(width: float = 2.2, color: str = "white"):
    return [patheffects.withStroke(linewidth=width, foreground=color, alpha=0.85)]


def _rotation(ax: GeoAxes, lon: float, lat: float, dlon: float, dlat: float) -> float:
    """Screen angle (degrees) of the direction (dlon, dlat) at (lon, lat), kept upright."""
    scale = 0.3 / math.hypot(dlon, dlat)
    pts = ax.projection.transform_points(
        _PC, np.array([lon, lon + dlon * scale]), np.array([lat, lat + dlat * scale])
    )
    angle = math.degrees(math.atan2(pts[1, 1] - pts[0, 1], pts[1, 0] - pts[0, 0]))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return angle


def _in_extent(lon: float, lat: float, extent: Sequence[float]) -> bool:
    lon0, lon1, lat0, lat1 = extent
    return lon0 <= lon <= lon1 and lat0 <= lat <= lat1


def _check_columns(data: pd.DataFrame, columns: Mapping[str, str | None], func: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{func}: data must be a pandas DataFrame, not {type(data).__name__}")
    for role, col in columns.items():
        if col is not None and col not in data.columns:
            raise ValueError(
                f"{func}: column {col!r} ({role}) is not in the data; "
                f"available columns: {', '.join(map(str, data.columns))}"
            )


def _palette(values: Sequence, hue: str, palette) -> dict:
    """``{level: colour}`` for the hue levels, side colours for side columns."""
    levels = list(dict.fromkeys(values))
    if isinstance(palette, Mapping):
        missing = [v for v in levels if v not in palette]
        if missing:
            raise ValueError(f"palette has no colour for hue level(s) {missing}")
        present = set(levels)
        return {v: palette[v] for v in palette if v in present}  # legend in the palette's order
    if palette is None and hue in SIDE_COLUMNS:
        rank = {side: i for i, side in enumerate(OUTCOME_COLORS)}
        return {v: side_color(str(v)) for v in sorted(levels, key=lambda v: rank.get(str(v), len(rank)))}
    import seaborn as sns

    colours = sns.color_palette(palette if palette is not None else "colorblind", len(levels))
    return dict(zip(levels, colours))


# --------------------------------------------------------------------------- maps


def base_map(
    ax: GeoAxes | None = None,
    extent: Sequence[float] = DEFAULT_EXTENT,
    relief: bool | str = True,
    rivers: bool = True,
    labels: bool = True,
    figsize: tuple[float, float] = (8.3, 5.4),
) -> GeoAxes:
    """Draw an offline base map of Central Asia.

    Parameters
    ----------
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Axes to draw on; it must have a cartopy projection (best
        :func:`projection`). By default a new figure with one map is made.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` in degrees; it should lie within
        the extract (40–98°E, 30–60°N).
    relief : bool or "fine", default True
        Draw the (muted) Natural Earth shaded relief under the water. The
        default relief is softened and reduced to a few colours so that a map
        saved at about 100 dpi stays near 0.45 MB (notebooks); ``"fine"`` draws
        it at full resolution and smoothly interpolated, for print (saving at
        200–300 dpi; larger files, and the first such map of a process takes
        about 1.5 s longer).
    rivers : bool, default True
        Draw the rivers (thin blue lines).
    labels : bool, default True
        Name the main rivers (:data:`RIVER_LABELS`) and lakes/seas
        (:data:`LAKE_LABELS`) that fall within the extent.
    figsize : (float, float), default (8.3, 5.4)
        Size in inches of the new figure (ignored when ``ax`` is given).

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map, in a :class:`cartopy.crs.LambertConformal` projection.

    Notes
    -----
    Seas and lakes are filled from the GSHHG shores; the Aral Sea has its
    pre-1960 outline. Modern reservoirs (flagged ``reservoir`` in the extract)
    are outlined in river colour, not filled, so the rivers stay continuous.
    No network is used: cartopy's downloading feature layers are not called.

    The relief warped into the map's projection, the projected water and the
    graticule (dashed meridians every 10°, parallels every 5°) are cached per
    projection, view and (relief) figure width, so that further maps of the
    same view in one process reuse them; the graticule follows a later
    ``ax.set_extent``.

    Examples
    --------
    >>> from kdwars.maps import base_map
    >>> ax = base_map()
    >>> ax.figure.savefig("central_asia.png", dpi=100)  # doctest: +SKIP
    """
    extent = tuple(float(v) for v in extent)
    if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
        raise ValueError(f"extent must be (lon_min, lon_max, lat_min, lat_max), got {extent}")
    ax = _new_geoaxes(ax, extent, figsize)
    ax.set_facecolor(LAND_BG)

    crs = ax.projection
    bounds = _round_bounds(_lonlat_bounds(ax))
    if relief not in (True, False, "fine"):
        raise ValueError(f"relief must be True, False or 'fine', got {relief!r}")
    if relief:
        fine = relief == "fine"
        ax_px = ax.figure.get_size_inches()[0] * ax.figure.dpi * ax.get_position().width
        shape = 1200 if fine else int(min(1400, max(400, 0.75 * ax_px)))
        if crs == _PC:  # the relief's own projection: shown as it is
            img, img_extent = _crop_relief(bounds, fine)
            origin = "upper"
        else:  # warped into the map's projection once per process and view (cached)
            view = tuple(float(v) for v in ax.get_extent())  # not rounded: the image spans the view exactly
            img, img_extent = _warped_relief(crs, view, shape, bounds, fine)
            origin = "lower"
        ax.imshow(
            img,
            origin=origin,
            extent=img_extent,
            transform=crs,
            interpolation="bilinear" if fine else "nearest",
            zorder=0,
        )

    # sea (the box of the extract minus the land), lakes and rivers: already projected
    water = _water(bounds, crs)
    if water["sea"]:
        ax.add_geometries(water["sea"], crs=crs, facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=1)
    ax.add_geometries(water["lakes"], crs=crs, facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=2)
    if rivers:
        ax.add_geometries(water["rivers"], crs=crs, facecolor="none", edgecolor=RIVER, linewidth=0.55, zorder=2)
        if water["reservoirs"]:
            ax.add_geometries(
                water["reservoirs"], crs=crs, facecolor="none", edgecolor=RIVER, linewidth=0.55, zorder=2
            )

    # graticule every 10 degrees of longitude and 5 of latitude
    ax.add_collection(
        _Graticule(linewidths=0.35, colors="#6f6f6f", alpha=0.35, linestyles=[(0, (4, 4))], zorder=3),
        autolim=False,
    )

    if labels:
        for name, (lon, lat) in LAKE_LABELS.items():
            if _in_extent(lon, lat, extent):
                big = name.startswith(("Caspian", "Aral"))
                t = ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    fontsize=10 if big else 9, style="italic", color=WATER_TEXT,
                    linespacing=1.0, path_effects=_halo(2.0 if big else 1.8), zorder=6,
                    in_layout=False,  # inside the map: no need to lay it out (much faster)
                )
                t._kdwars_water = True  # an obstacle for the place labels
        for name, ((lon, lat), (dlon, dlat)) in RIVER_LABELS.items():
            if _in_extent(lon, lat, extent):
                t = ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    rotation=_rotation(ax, lon, lat, dlon, dlat), rotation_mode="anchor",
                    fontsize=9, style="italic", color=WATER_TEXT, path_effects=_halo(1.8),
                    zorder=6, in_layout=False,
                )
                t._kdwars_water = True
    return ax


def _drop_missing(data: pd.DataFrame, cols: Sequence[str]) -> tuple[pd.DataFrame, int]:
    coords = data[list(cols)].apply(pd.to_numeric, errors="coerce")
    ok = coords.notna().all(axis=1)
    out = data.loc[ok].copy()
    out[list(cols)] = coords.loc[ok]
    return out, int((~ok).sum())


#: Colours of the jüzes in :func:`plot_flows_map` (``hue="juz"``, the values of :func:`flows_by_juz`).
JUZ_COLORS: dict[str, str] = {"Senior Jüz": "#0072B2", "Middle Jüz": "#E69F00", "Junior Jüz": "#009E73",
                              "not stated": "#777777"}

#: ``place_precision`` values of a located site (drawn as a circle).
LOCATED_PRECISIONS: tuple[str, ...] = ("exact", "approximate")
#: ``place_precision`` values of a stand-in point for a river, lake, range, region
#: or country (drawn as a square: not a battlefield).
AREA_PRECISIONS: tuple[str, ...] = ("centroid", "region", "country")


def _project(ax: GeoAxes, lon, lat) -> np.ndarray:
    """``(n, 2)`` map coordinates of lon/lat arrays."""
    return ax.projection.transform_points(_PC, np.asarray(lon, float), np.asarray(lat, float))[:, :2]


def _in_view(ax: GeoAxes, xy: np.ndarray) -> np.ndarray:
    x0, x1, y0, y1 = ax.get_extent()
    return (np.isfinite(xy).all(axis=1) & (xy[:, 0] >= x0) & (xy[:, 0] <= x1)
            & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))


def _text_colour(colour) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


_TEXT_SIZES: dict[tuple, tuple[float, float]] = {}  # label sizes in pixels: the same on every map


class _LabelPlacer:
    """Greedy, collision-free placement of point labels in display space.

    Each label tries eight positions around its point (right, upper right,
    lower right, left, upper left, lower left, above, below) and takes the
    first whose box lies inside the map and overlaps no box already taken
    (earlier labels, markers, the water names). Labels are placed in the order
    given (the caller puts the most important first); a label with no free
    position is left out and counted.
    """

    _SPOTS = ((1, 0, "left", "center"), (1, 1, "left", "bottom"), (1, -1, "left", "top"),
              (-1, 0, "right", "center"), (-1, 1, "right", "bottom"), (-1, -1, "right", "top"),
              (0, 1, "center", "bottom"), (0, -1, "center", "top"))

    def __init__(self, ax: GeoAxes) -> None:
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.frame = ax.get_window_extent(self.renderer)
        self._boxes = np.empty((0, 4))  # x0, y0, x1, y1 of every box taken (display pixels)
        self.skipped: list[str] = []

    @property
    def taken(self) -> list:
        """The boxes taken so far, as ``(x0, y0, x1, y1)`` tuples."""
        return [tuple(b) for b in self._boxes]

    def _take(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self._boxes = np.vstack([self._boxes, [x0, y0, x1, y1]])

    def block_texts(self, texts) -> None:
        for t in texts:
            bb = t.get_window_extent(self.renderer).padded(1)
            self._take(bb.x0, bb.y0, bb.x1, bb.y1)

    def block_point(self, x: float, y: float, radius_pt: float) -> None:
        px, py = self.ax.transData.transform((x, y))
        r = radius_pt * self.ax.figure.dpi / 72
        self._take(px - r, py - r, px + r, py + r)

    def _free(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        f = self.frame
        if x0 < f.x0 + 2 or x1 > f.x1 - 2 or y0 < f.y0 + 2 or y1 > f.y1 - 2:
            return False
        b = self._boxes
        return not bool(np.any((b[:, 0] < x1) & (b[:, 2] > x0) & (b[:, 1] < y1) & (b[:, 3] > y0)))

    def _size(self, text: str, kwargs: dict) -> tuple[float, float]:
        key = (text, self.ax.figure.dpi, kwargs.get("fontsize"), kwargs.get("style"), kwargs.get("fontweight"))
        if key not in _TEXT_SIZES:
            probe = self.ax.text(0, 0, text, transform=None, in_layout=False, **kwargs)
            bb = probe.get_window_extent(self.renderer)
            probe.remove()
            _TEXT_SIZES[key] = (bb.width, bb.height)
        return _TEXT_SIZES[key]

    def place(self, x: float, y: float, text: str, gap_pt: float, **kwargs: Any):
        """Put ``text`` next to map point (x, y), ``gap_pt`` points from it; None if no room.

        The eight positions right next to the point are tried first, then the
        same eight farther out (``gap_pt + 16`` points), joined to the point
        by a thin leader line. The text is measured once; the candidate boxes
        are computed, and only the chosen one is drawn.
        """
        w, h = self._size(text, kwargs)
        px, py = self.ax.transData.transform((x, y))
        pt = self.ax.figure.dpi / 72
        for far in (False, True):
            for dx, dy, ha, va in self._SPOTS:
                g = gap_pt + (16.0 if far else 0.0)
                g = g if (dx == 0 or dy == 0) else g * 0.75
                ax_, ay_ = px + dx * g * pt, py + dy * g * pt
                x0 = {"left": ax_, "right": ax_ - w, "center": ax_ - w / 2}[ha]
                y0 = {"bottom": ay_, "top": ay_ - h, "center": ay_ - h / 2}[va]
                if not self._free(x0 - 1.5, y0 - 1.5, x0 + w + 1.5, y0 + h + 1.5):
                    continue
                self._take(x0 - 1.5, y0 - 1.5, x0 + w + 1.5, y0 + h + 1.5)
                if far:
                    t = self.ax.annotate(
                        text, xy=(x, y), xycoords=self.ax.transData, xytext=(dx * g, dy * g),
                        textcoords="offset points", ha=ha, va=va, annotation_clip=False, zorder=9,
                        arrowprops={"arrowstyle": "-", "linewidth": 0.6, "color": "#444444",
                                    "shrinkA": 1, "shrinkB": gap_pt * 0.6},
                        **kwargs)
                    t.set_in_layout(False)
                else:
                    tr = offset_copy(self.ax.transData, fig=self.ax.figure, x=dx * g, y=dy * g, units="points")
                    t = self.ax.text(x, y, text, transform=tr, ha=ha, va=va, in_layout=False, clip_on=False,
                                     zorder=9, **kwargs)
                return t
        self.skipped.append(text)
        return None


def _settle(ax: GeoAxes) -> None:
    """Run the figure's layout once, so that display positions are final before labels are placed."""
    engine = ax.figure.get_layout_engine()
    if engine is not None:
        engine.execute(ax.figure)


def _water_texts(ax: GeoAxes) -> list:
    return [t for t in ax.texts if getattr(t, "_kdwars_water", False)]


def _legend_below(ax: GeoAxes, handles: list, notes: Sequence[str], title: str | None = None,
                  ncols: int = 3) -> Any:
    """One box under the map: what the map leaves out (``notes``), then the keys.

    The notes are the legend's title (left-aligned, wrapped), so that the map
    itself stays free for places and labels. None when there is nothing to say.
    """
    import textwrap

    lines = [textwrap.fill(ln, 100) for ln in notes if ln]
    if title:
        lines.append(title)
    if not handles and not lines:
        return None
    previous = ax.get_legend()
    if previous is not None:
        ax.add_artist(previous)
    leg = ax.legend(handles=handles, title="\n".join(lines) or None, loc="upper left",
                    bbox_to_anchor=(0.0, -0.01), ncols=max(1, min(ncols, len(handles))), fontsize=9,
                    title_fontsize=9, frameon=False, alignment="left", borderaxespad=0.0,
                    handletextpad=0.4, columnspacing=1.2)
    leg._kdwars_note = "\n".join(notes)
    return leg


_UNNAMED_PLACEHOLDER = "\u2063"  # a line kept for the places left unnamed (filled once they are known)


def _fill_unnamed(leg, skipped: Sequence[str]) -> None:
    """Replace the reserved line of the note with the places left unnamed (one line, so the layout holds)."""
    if leg is None:
        return
    if skipped:
        shown, more = [], len(skipped)
        for name in skipped:
            if len(", ".join([*shown, name])) > 62:
                break
            shown.append(name)
            more -= 1
        line = f"Not named for want of room ({len(skipped)}): {', '.join(shown)}"
        line += f" and {more} more" if more else ""
    else:
        line = "Every place on the map is named."
    title = leg.get_title()
    title.set_text(title.get_text().replace(_UNNAMED_PLACEHOLDER, line))
    leg._kdwars_note = leg._kdwars_note.replace(_UNNAMED_PLACEHOLDER, line)


def _count_list(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{k} ({v})" if v > 1 else str(k) for k, v in counts.items())


def plot_events_map(
    data: pd.DataFrame,
    *,
    hue: str | None = "event_type",
    palette: str | Sequence | Mapping | None = None,
    ax: GeoAxes | None = None,
    extent: Sequence[float] = DEFAULT_EXTENT,
    figsize: tuple[float, float] = (8.2, 6.8),
    places: pd.DataFrame | None = None,
    label: str | None = None,
    precision: str | None = "place_precision",
    legend: bool = True,
    legend_title: str | None = None,
    **kwargs: Any,
) -> GeoAxes:
    """Events (battles, raids, embassies, …) on a base map, counted per place and named.

    Events at the same point are drawn once per hue level, as one marker with
    the number of events written in it (markers of one point sit side by side),
    never as stacked dots. Located sites (``place_precision`` ``exact`` or
    ``approximate``) are circles; stand-in points of a river, lake, range, region
    or country (``centroid``, ``region``, ``country``) are squares with a dashed
    outline: they mark a theatre, not a battlefield. Places are named with
    non-overlapping labels (a greedy placer tries eight positions around each
    point, busiest places first; see :class:`_LabelPlacer`).

    Nothing is left out silently: events outside the map's frame are listed,
    with their number, in a note on the map, as are rows without coordinates
    and places left unnamed for want of room.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per event, with numeric ``lon`` and ``lat`` columns (degrees),
        e.g. :func:`kdwars.load_events`. Rows whose ``lon`` or ``lat`` is missing
        are not drawn (noted on the map).
    hue : str or None, default "event_type"
        Column that colours the markers. A side column (``winner``, ``attacker``,
        … see :data:`SIDE_COLUMNS`) gets the project's side colours unless
        ``palette`` is given. Missing values are shown as "not recorded".
    palette : str, list or dict, optional
        seaborn palette name, list of colours or ``{hue level: colour}``.
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Map to draw on; by default a new :func:`base_map` of ``extent``.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` of a new map.
    figsize : tuple of 2 floats, default (8.2, 6.8)
        Size in inches of a new map's figure (the map, and under it the notes and keys).
    places : pandas.DataFrame, optional
        :func:`kdwars.load_places`: with ``data``'s ``place_id`` column, gives each
        point its place name (the label) when ``label`` is None.
    label : str, optional
        Column whose text names each point (the first value of a point's rows).
        Without ``label`` or ``places`` the points are not named.
    precision : str or None, default "place_precision"
        Column of place precisions (see above); None, or a missing column, draws
        every point as a located site.
    legend : bool, default True
        Draw a legend (hue levels, marker shapes) in the lower right corner.
    legend_title : str, optional
        Heading of the colour keys; default the ``hue`` column's name.
    **kwargs
        Passed on to :meth:`matplotlib.axes.Axes.scatter` (e.g. ``alpha=``).

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map, with ``ax.kdwars_points`` (a DataFrame: one row per marker
        drawn, with ``lon``, ``lat``, ``hue``, ``count``, ``name``, ``area``),
        ``ax.kdwars_missing`` (rows without coordinates), ``ax.kdwars_outside``
        (``{place name: events}`` outside the frame) and ``ax.kdwars_labels``
        (the label Text objects).

    Raises
    ------
    ValueError
        If ``lon``, ``lat`` or a column named by ``hue`` or ``label`` is not in
        ``data``, or ``places`` is given and ``data`` has no ``place_id``.
    TypeError
        If ``data`` is not a DataFrame or ``ax`` is not a cartopy GeoAxes.

    Examples
    --------
    >>> import pandas as pd
    >>> from kdwars.maps import plot_events_map
    >>> df = pd.DataFrame({"lon": [68.3, 68.3, 71.4], "lat": [43.3, 43.3, 42.9],
    ...                    "winner": ["kazakh", "kazakh", "dzungar"], "name": ["Turkistan", "Turkistan", "Taraz"]})
    >>> ax = plot_events_map(df, hue="winner", label="name")
    >>> ax.kdwars_points["count"].tolist()
    [2, 1]
    """
    _check_columns(data, {"longitude": "lon", "latitude": "lat", "hue": hue, "label": label}, "plot_events_map")
    if places is not None and label is None:
        _check_columns(data, {"place": "place_id"}, "plot_events_map")
    ax = base_map(ax=ax, extent=extent, figsize=figsize) if ax is None else ax
    if not isinstance(ax, GeoAxes):
        raise TypeError("ax must be a cartopy GeoAxes (see kdwars.maps.base_map)")
    df, n_missing = _drop_missing(data, ("lon", "lat"))
    ax.kdwars_missing = n_missing

    if label is not None:
        df["_name"] = df[label].astype("string")
    elif places is not None:
        df["_name"] = df["place_id"].map(places.set_index("place_id")["name"]).astype("string")
    else:
        df["_name"] = pd.Series(pd.NA, index=df.index, dtype="string")
    df["_hue"] = (df[hue].astype("string").fillna("not recorded") if hue is not None
                  else pd.Series("events", index=df.index, dtype="string"))
    df["_area"] = (df[precision].astype("string").isin(AREA_PRECISIONS).fillna(False).astype(bool)
                   if precision is not None and precision in df.columns else False)
    xy = _project(ax, df["lon"], df["lat"]) if len(df) else np.empty((0, 2))
    inside = _in_view(ax, xy) if len(df) else np.zeros(0, bool)
    out = df.loc[~inside]
    ax.kdwars_outside = {str(k): int(v) for k, v in
                         out["_name"].fillna("unnamed place").value_counts(sort=True).items()}
    df = df.loc[inside].copy()
    df["_x"], df["_y"] = xy[inside, 0], xy[inside, 1]

    levels = list(dict.fromkeys(df["_hue"]))
    if hue is not None and len(df):
        known = [v for v in levels if v != "not recorded"]
        pal = _palette(known, hue, palette) if known else {}
        if "not recorded" in levels:
            pal["not recorded"] = "#BBBBBB"
    else:
        pal = {"events": kwargs.pop("color", "#333333")}
    order = {v: i for i, v in enumerate(pal)}

    # one marker per point and hue level; markers of one point side by side
    df["_key"] = list(zip(df["lon"].round(3), df["lat"].round(3)))
    groups = (df.groupby(["_key", "_hue"], sort=False)
              .agg(x=("_x", "first"), y=("_y", "first"), lon=("lon", "first"), lat=("lat", "first"),
                   count=("_hue", "size"), name=("_name", "first"), area=("_area", "any"))
              .reset_index())
    groups["rank"] = groups["_hue"].map(order)
    groups = groups.sort_values(["_key", "rank"]).reset_index(drop=True)
    groups["diam"] = np.where(groups["count"] > 1, 12.5 + 1.6 * np.sqrt(groups["count"]), 8.0)

    notes = []
    if ax.kdwars_outside:
        n_out = sum(ax.kdwars_outside.values())
        notes.append(f"Outside the map, {n_out} event{'s' if n_out > 1 else ''}: {_count_list(ax.kdwars_outside)}")
    if n_missing:
        notes.append(f"{n_missing} event{'s' if n_missing > 1 else ''} without coordinates not shown")
    levels_drawn = set(groups["_hue"])
    handles = []
    if legend and len(groups):
        if hue is not None:
            handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=c,
                              markeredgecolor="white", label=str(k)) for k, c in pal.items() if k in levels_drawn]
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor="#888888",
                              markeredgecolor="white", label="located site"))
        if groups["area"].any():
            handles.append(Line2D([], [], marker="s", linestyle="", markersize=7.5, markerfacecolor="#888888",
                                  markeredgecolor="#222222", label="river, region or country (not a site)"))
        if (groups["count"] > 1).any():
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=13, markerfacecolor="#888888",
                                  markeredgecolor="white", label="n: events at one place"))
    named = label is not None or places is not None
    leg = _legend_below(ax, handles, notes + ([_UNNAMED_PLACEHOLDER] if named else []),
                        title=f"{legend_title or hue}:" if hue is not None and handles else None, ncols=4)
    _settle(ax)
    to_disp, to_data = ax.transData, ax.transData.inverted()
    pt = ax.figure.dpi / 72
    placer = _LabelPlacer(ax)
    placer.block_texts(_water_texts(ax))
    centres = {}
    mxy = np.zeros((len(groups), 2))
    for key, g in groups.groupby("_key", sort=False):
        widths = g["diam"].to_numpy() + 1.5
        offs = np.cumsum(widths) - widths / 2 - widths.sum() / 2
        base = to_disp.transform((g["x"].iloc[0], g["y"].iloc[0]))
        disp = np.column_stack([base[0] + offs * pt, np.full(len(offs), base[1])])
        mxy[g.index.to_numpy()] = to_data.transform(disp)
        centres[key] = (g["x"].iloc[0], g["y"].iloc[0], widths.sum() / 2, g["count"].sum(), g["name"].iloc[0],
                        bool(g["area"].any()))

    groups["mx"], groups["my"] = mxy[:, 0], mxy[:, 1]
    kwargs.setdefault("zorder", 8)
    for area, marker, ls in ((False, "o", "solid"), (True, "s", (0, (2, 1.2)))):
        sel = groups[groups["area"] == area]
        if len(sel):
            ax.scatter(sel["mx"], sel["my"], s=sel["diam"] ** 2 * (0.8 if area else 1.0), marker=marker,
                       c=[pal[h] for h in sel["_hue"]], edgecolors="#222222" if area else "white",
                       linewidths=0.9 if area else 0.7, linestyles=ls, transform=ax.transData, **kwargs)
    for mx, my, diam, count, h in zip(groups["mx"], groups["my"], groups["diam"], groups["count"], groups["_hue"]):
        placer.block_point(mx, my, diam / 2)
        if count > 1:
            ax.text(mx, my, str(int(count)), ha="center", va="center", fontsize=9, fontweight="bold",
                    color=_text_colour(pal[h]), zorder=9, in_layout=False, transform=ax.transData)

    labels = []
    for _key, (x, y, half, _n, name, area) in sorted(centres.items(), key=lambda kv: (kv[1][5], -kv[1][3])):
        if pd.isna(name) or str(name) == "":
            continue
        t = placer.place(x, y, str(name), half + 2.0, fontsize=9, color="#222222",
                         style="italic" if area else "normal", path_effects=_halo(2.0))
        if t is not None:
            labels.append(t)
    ax.kdwars_labels = labels
    ax.kdwars_points = groups.rename(columns={"_hue": "hue"})[["lon", "lat", "hue", "count", "name", "area"]]

    if named:
        _fill_unnamed(leg, placer.skipped)
    ax.kdwars_note = leg
    return ax


def _edge_point(ax: GeoAxes, p0: np.ndarray, p1: np.ndarray, inset: float = 0.02) -> np.ndarray:
    """Where the segment p0 -> p1 (p0 inside the view) leaves the view, a little inside it."""
    x0, x1, y0, y1 = ax.get_extent()
    dx, dy = x1 - x0, y1 - y0
    lo = np.array([x0 + inset * dx, y0 + inset * dy])
    hi = np.array([x1 - inset * dx, y1 - inset * dy])
    d = p1 - p0
    ts = []
    for k in range(2):
        if d[k] > 0:
            ts.append((hi[k] - p0[k]) / d[k])
        elif d[k] < 0:
            ts.append((lo[k] - p0[k]) / d[k])
    t = min([1.0] + [v for v in ts if v >= 0])
    return p0 + t * d


def plot_flows_map(
    data: pd.DataFrame,
    *,
    hue: str | None = None,
    label: str | None = None,
    palette: str | Sequence | Mapping | None = None,
    width: str | None = None,
    color: str = "#8b1a1a",
    ax: GeoAxes | None = None,
    extent: Sequence[float] = DEFAULT_EXTENT,
    figsize: tuple[float, float] = (8.2, 6.8),
    legend: bool = True,
    legend_title: str | None = None,
    curvature: float = 0.15,
    **kwargs: Any,
) -> GeoAxes:
    """Displacements (migrations, flights, campaigns) as arrows on a base map, none hidden.

    A destination outside the map's frame gets an arrow that stops at the edge,
    labelled with the destination's name and "(off map)"; a flow that starts and
    ends at the same point (a route along the origin's own river, say) is drawn
    as a ring around the origin. Both are counted in a note on the map. Several
    flows to one destination (different hue levels) are drawn with different
    bends, so that none hides another; each destination is named once, with
    non-overlapping labels.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per flow, with numeric ``lon0``, ``lat0`` (origin) and ``lon1``,
        ``lat1`` (destination) columns in degrees. Rows with a missing coordinate
        are not drawn (noted on the map).
    hue : str, optional
        Column that colours the arrows (side columns get the side colours).
    label : str, optional
        Column whose text names each destination.
    palette : str, list or dict, optional
        seaborn palette name, list of colours or ``{hue level: colour}``.
    width : str, optional
        Numeric column scaling the arrows' line width (1–4.5 points).
    color : str, default "#8b1a1a"
        Arrow colour when ``hue`` is None.
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Map to draw on; by default a new :func:`base_map` of ``extent``.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` of a new map.
    figsize : tuple of 2 floats, default (8.2, 6.8)
        Size in inches of a new map's figure (the map, and under it the notes and keys).
    legend : bool, default True
        Draw a legend of the hue levels (lower left).
    curvature : float, default 0.15
        Bend of the arrows (``connectionstyle="arc3,rad=..."``; 0 = straight).
    legend_title : str, optional
        Heading of the colour keys; default the ``hue`` column's name.
    **kwargs
        Passed on to :class:`matplotlib.patches.FancyArrowPatch`.

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map, with ``ax.kdwars_arrows`` (one arrow per drawn row, in row
        order), ``ax.kdwars_missing`` (rows without coordinates),
        ``ax.kdwars_off_frame`` (labels of destinations beyond the frame) and
        ``ax.kdwars_same_point`` (labels of flows drawn as rings).

    Raises
    ------
    ValueError
        If a coordinate column or a column named by ``hue``, ``label`` or
        ``width`` is not in ``data``.
    TypeError
        If ``data`` is not a DataFrame or ``ax`` is not a cartopy GeoAxes.

    Examples
    --------
    >>> import pandas as pd
    >>> from kdwars.maps import plot_flows_map
    >>> flight = pd.DataFrame({"lon0": [68.3, 68.3], "lat0": [43.3, 43.3], "lon1": [66.96, 30.0],
    ...                        "lat1": [39.65, 60.0], "to": ["Samarkand", "Far away"]})
    >>> ax = plot_flows_map(flight, label="to")
    >>> ax.kdwars_off_frame
    ['Far away']
    """
    _check_columns(
        data,
        {"origin longitude": "lon0", "origin latitude": "lat0", "destination longitude": "lon1",
         "destination latitude": "lat1", "hue": hue, "label": label, "width": width},
        "plot_flows_map",
    )
    ax = base_map(ax=ax, extent=extent, figsize=figsize) if ax is None else ax
    if not isinstance(ax, GeoAxes):
        raise TypeError("ax must be a cartopy GeoAxes (see kdwars.maps.base_map)")
    df, n_missing = _drop_missing(data, ("lon0", "lat0", "lon1", "lat1"))
    df = df.reset_index(drop=True)
    ax.kdwars_missing = n_missing

    if palette is None and hue == "juz" and set(df[hue].dropna()) <= set(JUZ_COLORS):
        palette = JUZ_COLORS
    pal = _palette(df[hue].dropna().tolist(), hue, palette) if hue is not None and len(df) else {}
    if width is not None and len(df):
        w = pd.to_numeric(df[width], errors="coerce").fillna(0).to_numpy(float)
        span = w.max() - w.min()
        widths = 1.0 + 3.5 * ((w - w.min()) / span if span > 0 else np.zeros_like(w))
    else:
        widths = np.full(len(df), 1.6)

    p0 = _project(ax, df["lon0"], df["lat0"]) if len(df) else np.empty((0, 2))
    p1 = _project(ax, df["lon1"], df["lat1"]) if len(df) else np.empty((0, 2))
    inside1 = _in_view(ax, p1) if len(df) else np.zeros(0, bool)
    same = (np.hypot(df["lon1"] - df["lon0"], df["lat1"] - df["lat0"]) < 0.3).to_numpy() if len(df) else []
    names = df[label].astype("string") if label is not None else pd.Series(pd.NA, index=df.index, dtype="string")

    _settle(ax)
    placer = _LabelPlacer(ax)
    placer.block_texts(_water_texts(ax))
    arrows, off_frame, same_point = [], [], []
    seen_dest: dict[tuple, int] = {}
    label_at: dict[tuple, tuple] = {}
    for i, row in df.iterrows():
        c = pal.get(row[hue], "#7f7f7f") if hue is not None else color
        name = None if pd.isna(names[i]) else str(names[i])
        if same[i]:
            ring = ax.scatter([p0[i, 0]], [p0[i, 1]], s=260 + 120 * len(same_point), facecolors="none",
                              edgecolors=[c], linewidths=1.6, zorder=7, transform=ax.transData)
            arrows.append(ring)
            same_point.append(name or "a flow")
            continue
        end = p1[i] if inside1[i] else _edge_point(ax, p0[i], p1[i])
        key = (round(float(end[0]), -3), round(float(end[1]), -3))
        k = seen_dest.get(key, 0)
        seen_dest[key] = k + 1
        rad = curvature * (1 + 1.2 * k) * (-1 if k % 2 else 1)
        props = {"arrowstyle": "-|>", "mutation_scale": 8 + 2.2 * widths[i], "linewidth": widths[i], "color": c,
                 "alpha": 0.9, "shrinkA": 0, "shrinkB": 2, "connectionstyle": f"arc3,rad={rad}", "zorder": 7}
        if not inside1[i]:
            props["linestyle"] = (0, (4, 2))
        props.update(kwargs)
        arrow = FancyArrowPatch(tuple(p0[i]), tuple(end), transform=ax.transData, **props)
        ax.add_patch(arrow)
        arrows.append(arrow)
        if not inside1[i]:
            off_frame.append(name or "a destination")
            name = f"{name} (off map)" if name else None
        if name and key not in label_at:
            label_at[key] = (end, name)
    ax.kdwars_arrows = arrows
    ax.kdwars_off_frame = list(dict.fromkeys(off_frame))
    ax.kdwars_same_point = list(dict.fromkeys(same_point))

    if len(df):
        origins = np.unique(np.round(p0, 1), axis=0)
        ax.scatter(origins[:, 0], origins[:, 1], s=30, color="#333333", edgecolor="white",
                   linewidth=0.8, zorder=8, transform=ax.transData)
        for o in origins:
            placer.block_point(o[0], o[1], 4)
    for end, _name in label_at.values():
        placer.block_point(end[0], end[1], 3)
    for end, name in label_at.values():
        placer.place(end[0], end[1], name, 4.0, fontsize=9, color="#222222", path_effects=_halo(2.0))

    notes = []
    if ax.kdwars_off_frame:
        notes.append(f"Beyond the frame (dashed arrows end at the edge): {', '.join(ax.kdwars_off_frame)}")
    if ax.kdwars_same_point:
        notes.append(f"Ring at the origin: {', '.join(ax.kdwars_same_point)} (starts and ends there)")
    if n_missing:
        notes.append(f"{n_missing} flow{'s' if n_missing > 1 else ''} without coordinates not shown")
    if placer.skipped:
        notes.append(f"Not named for want of room: {', '.join(placer.skipped)}")
    handles = [Line2D([], [], color=c, linewidth=2, label=str(k)) for k, c in pal.items()] if legend else []
    ax.kdwars_note = _legend_below(ax, handles, notes,
                                   title=f"{legend_title or hue}:" if hue is not None and handles else None, ncols=4)
    return ax


# --------------------------------------------------------------------------- data for the maps


def flows_by_juz(
    event_id: str,
    *,
    events: pd.DataFrame,
    event_places: pd.DataFrame,
    places: pd.DataFrame,
    roles: tuple[str, ...] = ("destination", "route"),
) -> pd.DataFrame:
    """Arrows of a displacement event, one per place, role and jüz the sources name.

    Each destination or route claim carries the jüzes its sentence names (the
    ``juz`` field of a place claim, see ``data/raw/README.md``); a claim naming
    two jüzes gives two rows, a claim naming none one row with jüz "not stated".
    The arrows start at the event's primary place.

    Parameters
    ----------
    event_id : str
        A displacement event (an ``event_id`` of :func:`kdwars.load_events`).
    events : pandas.DataFrame
        :func:`kdwars.load_events` (``event_id``, ``lon``, ``lat``).
    event_places : pandas.DataFrame
        :func:`kdwars.load_event_places` (``event_id``, ``place_id``, ``role``,
        ``juz``, ``source_id``).
    places : pandas.DataFrame
        :func:`kdwars.load_places` (``place_id``, ``name``, ``lon``, ``lat``).
    roles : tuple of str, default ("destination", "route")
        Place roles drawn as arrow heads.

    Returns
    -------
    pandas.DataFrame
        ``lon0``, ``lat0``, ``lon1``, ``lat1``, ``place_id``, ``label`` (place
        name), ``role``, ``juz`` ("Senior Jüz", "Middle Jüz", "Junior Jüz" or
        "not stated"), ``source_id`` (';'-joined); sorted by jüz and label.
        Input of :func:`plot_flows_map`.

    Raises
    ------
    ValueError
        If ``event_id`` is not in ``events`` or has no place with one of ``roles``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.maps import flows_by_juz
    >>> f = flows_by_juz("barefooted-flight-1723", events=kdwars.load_events(),
    ...                  event_places=kdwars.load_event_places(), places=kdwars.load_places())
    >>> sorted(f["juz"].unique())
    ['Junior Jüz', 'Middle Jüz', 'Senior Jüz', 'not stated']
    """
    _check_columns(event_places, {"event": "event_id", "place": "place_id", "role": "role", "jüz": "juz",
                                  "source": "source_id"}, "flows_by_juz")
    ev = events.set_index("event_id")
    if event_id not in ev.index:
        raise ValueError(f"flows_by_juz: unknown event_id {event_id!r}")
    ep = event_places[(event_places["event_id"] == event_id) & event_places["role"].isin(roles)]
    if ep.empty:
        raise ValueError(f"flows_by_juz: event {event_id!r} has no places with roles {roles}")
    rows = []
    for _, r in ep.iterrows():
        juz = r["juz"] if isinstance(r["juz"], list) else ([] if pd.isna(r["juz"]) else str(r["juz"]).split(";"))
        for j in juz or [None]:
            rows.append({"place_id": r["place_id"], "role": r["role"], "source_id": r["source_id"],
                         "juz": f"{j.capitalize()} Jüz" if j else "not stated"})
    g = (pd.DataFrame(rows).groupby(["place_id", "role", "juz"], as_index=False)
         .agg(source_id=("source_id", lambda s: ";".join(sorted(set(s.dropna()))))))
    pl = places.set_index("place_id")
    origin = ev.loc[event_id]
    g["lon0"], g["lat0"] = float(origin["lon"]), float(origin["lat"])
    g["lon1"] = g["place_id"].map(pl["lon"]).astype(float)
    g["lat1"] = g["place_id"].map(pl["lat"]).astype(float)
    g["label"] = g["place_id"].map(pl["name"])
    rank = {"Senior Jüz": 0, "Middle Jüz": 1, "Junior Jüz": 2, "not stated": 3}
    g = g.sort_values(["juz", "label"], key=lambda s: s.map(rank) if s.name == "juz" else s).reset_index(drop=True)
    return g[["lon0", "lat0", "lon1", "lat1", "place_id", "label", "role", "juz", "source_id"]]


def place_claims(
    event_ids: Sequence[str],
    *,
    events: pd.DataFrame,
    event_places: pd.DataFrame,
    places: pd.DataFrame,
) -> pd.DataFrame:
    """Where each source puts each event: one point per event and source.

    A source's ``near`` claim locates the event where that source puts it (the
    lake or town it is near); without one, its ``site`` claim does. The
    dataset's own point for the event (its primary place) is a row with
    ``source_id`` "dataset".

    Parameters
    ----------
    event_ids : sequence of str
        Events to locate, e.g. those whose ``disputed`` list holds "place".
    events : pandas.DataFrame
        :func:`kdwars.load_events` (``event_id``, ``name``, ``place_id``).
    event_places : pandas.DataFrame
        :func:`kdwars.load_event_places` (``event_id``, ``place_id``, ``role``,
        ``as_written``, ``source_id``).
    places : pandas.DataFrame
        :func:`kdwars.load_places` (``place_id``, ``name``, ``lon``, ``lat``).

    Returns
    -------
    pandas.DataFrame
        ``event_id``, ``event`` (name), ``source_id``, ``place_id``, ``place``
        (name), ``role``, ``as_written``, ``lon``, ``lat``; the events in the
        order given. Input of :func:`plot_place_claims`.

    Raises
    ------
    ValueError
        If an event id is not in ``events``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.maps import place_claims
    >>> c = place_claims(["battle-of-anrakai-1729"], events=kdwars.load_events(),
    ...                  event_places=kdwars.load_event_places(), places=kdwars.load_places())
    >>> sorted(c["place_id"])
    ['anrakai', 'lake-alakol', 'lake-balkhash']
    """
    ev = events.set_index("event_id")
    missing = [e for e in event_ids if e not in ev.index]
    if missing:
        raise ValueError(f"place_claims: unknown event_id(s) {missing}")
    pl = places.set_index("place_id")
    rows = []
    for e in event_ids:
        rows.append({"event_id": e, "event": ev.loc[e, "name"], "source_id": "dataset",
                     "place_id": ev.loc[e, "place_id"], "role": "primary", "as_written": None})
        claims = event_places[(event_places["event_id"] == e) & event_places["role"].isin(["site", "near"])]
        for src, c in claims.groupby("source_id", sort=True):
            pick = c[c["role"] == "near"] if (c["role"] == "near").any() else c
            r = pick.iloc[0]
            rows.append({"event_id": e, "event": ev.loc[e, "name"], "source_id": src, "place_id": r["place_id"],
                         "role": r["role"], "as_written": r["as_written"]})
    out = pd.DataFrame(rows)
    out["place"] = out["place_id"].map(pl["name"])
    out["lon"] = out["place_id"].map(pl["lon"]).astype(float)
    out["lat"] = out["place_id"].map(pl["lat"]).astype(float)
    return out[["event_id", "event", "source_id", "place_id", "place", "role", "as_written", "lon", "lat"]]


def plot_place_claims(
    data: pd.DataFrame,
    *,
    ax: GeoAxes | None = None,
    extent: Sequence[float] = DEFAULT_EXTENT,
    figsize: tuple[float, float] = (8.2, 6.8),
    legend: bool = True,
) -> GeoAxes:
    """Where each source puts a disputed place: one marker per source, joined by a line.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`place_claims` output (``event_id``, ``event``, ``source_id``,
        ``place``, ``role``, ``as_written``, ``lon``, ``lat``). Each source gets
        its colour (:data:`kdwars.plotting.SOURCE_COLORS`) and a marker; the
        dataset's own point is a grey cross. A source's point is labelled with
        the source and what it says ("near Lake Alakol"); points outside the
        frame are listed in a note.
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Map to draw on; by default a new :func:`base_map` of ``extent``.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` of a new map.
    figsize : tuple of 2 floats, default (8.2, 6.8)
        Size in inches of a new map's figure (the map, and under it the notes and keys).
    legend : bool, default True
        Draw a legend of the sources.

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map; ``ax.kdwars_lines`` holds one line per event joining its points.

    Raises
    ------
    ValueError
        If a needed column is missing.
    TypeError
        If ``data`` is not a DataFrame or ``ax`` is not a cartopy GeoAxes.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.maps import place_claims, plot_place_claims
    >>> c = place_claims(["battle-of-anrakai-1729"], events=kdwars.load_events(),
    ...                  event_places=kdwars.load_event_places(), places=kdwars.load_places())
    >>> ax = plot_place_claims(c, extent=(70, 86, 42, 49))
    """
    from kdwars.plotting import SOURCE_COLORS, SOURCE_LABELS

    for col in ("event_id", "event", "source_id", "place", "role", "as_written", "lon", "lat"):
        _check_columns(data, {col: col}, "plot_place_claims")
    ax = base_map(ax=ax, extent=extent, figsize=figsize) if ax is None else ax
    if not isinstance(ax, GeoAxes):
        raise TypeError("ax must be a cartopy GeoAxes (see kdwars.maps.base_map)")
    df, n_missing = _drop_missing(data, ("lon", "lat"))
    df = df.reset_index(drop=True)
    xy = _project(ax, df["lon"], df["lat"]) if len(df) else np.empty((0, 2))
    inside = _in_view(ax, xy) if len(df) else np.zeros(0, bool)
    _settle(ax)
    placer = _LabelPlacer(ax)
    placer.block_texts(_water_texts(ax))
    markers = ["o", "s", "D", "^", "v", "P"]
    src_marker = {s: markers[i % len(markers)] for i, s in
                  enumerate(sorted(set(df["source_id"]) - {"dataset"}))}
    lines = []
    for _e, g in df.groupby("event_id", sort=False):
        src = g.loc[inside[g.index] & (g["source_id"] != "dataset")]
        line_pts = xy[src.index]
        if len(line_pts) > 1:
            (ln,) = ax.plot(line_pts[:, 0], line_pts[:, 1], color="#333333", linewidth=1.3, linestyle=(0, (4, 2)),
                            zorder=7, transform=ax.transData)
            lines.append(ln)
            disp = ax.transData.transform(line_pts)  # keep the labels off the line
            steps = max(2, int(np.hypot(*(disp[-1] - disp[0])) // 12))
            for t in np.linspace(0, 1, steps):
                px, py = disp[0] + t * (disp[-1] - disp[0])
                placer._take(px - 3, py - 3, px + 3, py + 3)
        for i in g.index[inside[g.index]]:
            r = df.loc[i]
            if r["source_id"] == "dataset":
                ax.scatter([xy[i, 0]], [xy[i, 1]], marker="X", s=70, color="#555555", edgecolor="white",
                           linewidth=0.6, zorder=8, transform=ax.transData)
            else:
                ax.scatter([xy[i, 0]], [xy[i, 1]], marker=src_marker[r["source_id"]], s=80,
                           color=SOURCE_COLORS.get(r["source_id"], "#444444"), edgecolor="white",
                           linewidth=0.8, zorder=9, transform=ax.transData)
            placer.block_point(xy[i, 0], xy[i, 1], 5)
        for i in g.index[inside[g.index]]:
            r = df.loc[i]
            if r["source_id"] == "dataset":
                text = f"{r['event']}: the dataset's point\n({r['place']}, {r['role']} place)"
            else:
                said = r["as_written"] if isinstance(r["as_written"], str) and r["as_written"] else r["place"]
                said = said if r["role"] != "near" or said != r["place"] else f"near {said}"
                text = f"{SOURCE_LABELS.get(r['source_id'], r['source_id'])}:\n{said}"
            placer.place(xy[i, 0], xy[i, 1], text, 6.0, fontsize=9, color="#222222", path_effects=_halo(2.0))
    ax.kdwars_lines = lines
    outside = df.loc[~inside]
    notes = []
    if len(outside):
        notes.append("Outside the map: " + ", ".join(f"{r['event']} ({r['source_id']}: {r['place']})"
                                                     for _, r in outside.iterrows()))
    if n_missing:
        notes.append(f"{n_missing} claim{'s' if n_missing > 1 else ''} without coordinates not shown")
    if placer.skipped:
        notes.append(f"Not named for want of room: {len(placer.skipped)} label(s)")
    handles = []
    if legend and len(src_marker):
        handles = [Line2D([], [], marker=m, linestyle="", markersize=8, markeredgecolor="white",
                          markerfacecolor=SOURCE_COLORS.get(s, "#444444"), label=SOURCE_LABELS.get(s, s))
                   for s, m in src_marker.items()]
        if (df["source_id"] == "dataset").any():
            handles.append(Line2D([], [], marker="X", linestyle="", markersize=8, markerfacecolor="#555555",
                                  markeredgecolor="white", label="the dataset's point"))
        handles.append(Line2D([], [], color="#333333", linestyle=(0, (4, 2)), label="joins one event's places"))
    ax.kdwars_note = _legend_below(ax, handles, notes, title="where each source puts it (a 'near' claim: at the "
                                   "place named):" if handles else None,
                                   ncols=4)
    return ax
