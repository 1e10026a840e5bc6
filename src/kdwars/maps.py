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

Rows without coordinates are skipped by the plotting functions, never with a
warning: their number is stored as ``ax.kdwars_missing`` and noted in the
legend title.

The geography is read, projected and (the relief) warped once per process and
map view, then cached: the first map of a process takes about half a second
longer to draw than the next maps with the same extent and figure size.

This module imports matplotlib and cartopy; ``import kdwars`` does not import it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import cartopy.crs as ccrs
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from cartopy.mpl.geoaxes import GeoAxes
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import offset_copy
from shapely.geometry import box, shape
from shapely.ops import unary_union

from kdwars._paths import geo_dir
from kdwars.style import OUTCOME_COLORS, side_color

__all__ = [
    "DEFAULT_EXTENT",
    "LAKE_LABELS",
    "PROJECTION_PARAMS",
    "RIVER_LABELS",
    "SIDE_COLUMNS",
    "base_map",
    "plot_events_map",
    "plot_flows_map",
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
    {"side", "attacker", "defender", "winner", "loser", "side_a", "side_b", "from_side", "to_side"}
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

_PC = ccrs.PlateCarree()

# colours: muted relief, blue water
WATER = "#b3d3ea"
WATER_EDGE = "#5b8db8"
RIVER = "#4a82b8"
WATER_TEXT = "#1d4f7a"
LAND_BG = "#efeae0"
_RELIEF_WHITE = 0.38  # share of white blended into the relief image
_RELIEF_GREY = 0.35  # share of greyscale blended into it (desaturation)
_RELIEF_COLOURS = 24  # palette size of the relief (keeps map PNGs small)
_RELIEF_BLUR = 1.0  # Gaussian blur radius (pixels of the halved image), idem
_EXTRACT_BOX = (40.0, 30.0, 98.0, 60.0)  # lon0, lat0, lon1, lat1 of data/external/geo


def projection() -> ccrs.LambertConformal:
    """The Lambert conformal projection of every map (see :data:`PROJECTION_PARAMS`)."""
    return ccrs.LambertConformal(**PROJECTION_PARAMS)


# --------------------------------------------------------------------------- data


@functools.lru_cache(maxsize=None)
def _features(name: str) -> tuple[tuple[Any, dict], ...]:
    """``(shapely geometry, properties)`` of every feature of ``<name>.geojson``."""
    path = geo_dir() / f"{name}.geojson"
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    return tuple((shape(f["geometry"]), dict(f.get("properties") or {})) for f in doc["features"])


@functools.lru_cache(maxsize=None)
def _relief_image(fine: bool = False) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The muted relief image (uint8 RGB array) and its ``imshow`` extent.

    By default the extract's 30 px/degree image is halved, softened, desaturated,
    lightened and cut to a palette of ``_RELIEF_COLOURS`` colours: the map keeps
    its relief but its PNG stays small (about 0.45 MB at 100 dpi instead of
    0.9 MB). ``fine=True`` keeps the full resolution and all colours (for print).
    """
    from PIL import Image, ImageFilter

    d = geo_dir()
    meta = json.loads((d / "relief.json").read_text(encoding="utf-8"))
    with Image.open(d / "relief.jpg") as im:
        im = im.convert("RGB")
        if not fine:
            im = im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS)
            im = im.filter(ImageFilter.GaussianBlur(_RELIEF_BLUR))
        rgb = np.asarray(im, dtype=np.float32)
    grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    rgb = (1 - _RELIEF_GREY) * rgb + _RELIEF_GREY * grey[..., None]
    rgb = (1 - _RELIEF_WHITE) * rgb + _RELIEF_WHITE * 255.0
    rgb = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    if not fine:
        muted = Image.fromarray(rgb).quantize(
            _RELIEF_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        rgb = np.asarray(muted.convert("RGB"))
    return rgb, tuple(meta["extent"])


def _lonlat_bounds(ax: GeoAxes, margin: float = 1.0) -> tuple[float, float, float, float]:
    """``(lon_min, lon_max, lat_min, lat_max)`` of everything the axes show, plus a margin."""
    x0, x1, y0, y1 = ax.get_extent()
    t = np.linspace(0.0, 1.0, 41)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full_like(t, x1), x1 - (x1 - x0) * t, np.full_like(t, x0)])
    ys = np.concatenate([np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1), y1 - (y1 - y0) * t])
    ll = _PC.transform_points(ax.projection, xs, ys)
    ok = np.isfinite(ll[:, 0]) & np.isfinite(ll[:, 1])
    lon, lat = ll[ok, 0], ll[ok, 1]
    return (
        max(-180.0, float(lon.min()) - margin),
        min(180.0, float(lon.max()) + margin),
        max(-90.0, float(lat.min()) - margin),
        min(90.0, float(lat.max()) + margin),
    )


def _crop_relief(bounds: Sequence[float], fine: bool = False):
    """The relief cut to ``bounds`` (lon_min, lon_max, lat_min, lat_max): less to warp."""
    img, (x0, x1, y0, y1) = _relief_image(fine)
    h, w = img.shape[:2]
    lon0, lon1, lat0, lat1 = bounds
    c0 = max(0, int(math.floor((lon0 - x0) / (x1 - x0) * w)))
    c1 = min(w, int(math.ceil((lon1 - x0) / (x1 - x0) * w)))
    r0 = max(0, int(math.floor((y1 - lat1) / (y1 - y0) * h)))
    r1 = min(h, int(math.ceil((y1 - lat0) / (y1 - y0) * h)))
    sub = img[r0:r1, c0:c1]
    ext = (
        x0 + c0 / w * (x1 - x0),
        x0 + c1 / w * (x1 - x0),
        y1 - r1 / h * (y1 - y0),
        y1 - r0 / h * (y1 - y0),
    )
    return sub, ext


def _pixel_centres(lo: float, hi: float, n: int) -> np.ndarray:
    """Centres of ``n`` pixels spanning ``lo``-``hi``, as cartopy's ``mesh_projection`` puts them."""
    c, step = np.linspace(lo, hi, n, retstep=True, endpoint=False)
    return c + 0.5 * (hi - lo if n == 1 else step)


def _warp(img: np.ndarray, img_extent: Sequence[float], crs: ccrs.Projection,
          target_extent: Sequence[float], regrid_shape: tuple[int, int]):
    """``img`` (a lon/lat grid, north up) regridded into ``crs``, and its extent there.

    The image that cartopy's ``GeoAxes.imshow(img, transform=PlateCarree(),
    regrid_shape=regrid_shape)`` draws (:func:`cartopy.img_transform.warp_array`
    with ``mask_extrapolated=True``, masked pixels then made transparent), made
    twice as fast: the nearest source pixel of each target pixel is found by
    index arithmetic on the regular lon/lat grid, not with a k-d tree (only a
    target point exactly halfway between two pixel centres could pick the other
    one); and ``cartopy.img_transform`` is not imported (it imports scipy: half a
    second). The rest of the time is spent projecting the target grid.
    """
    src = np.asarray(img)[::-1]  # row 0 at the south, as warp_array has it
    ny, nx = src.shape[:2]
    x0, x1, y0, y1 = img_extent
    xs, ys = _pixel_centres(x0, x1, nx), _pixel_centres(y0, y1, ny)
    tx, ty = np.meshgrid(
        _pixel_centres(target_extent[0], target_extent[1], regrid_shape[0]),
        _pixel_centres(target_extent[2], target_extent[3], regrid_shape[1]),
    )
    lonlat = _PC.transform_points(crs, tx.ravel(), ty.ravel())
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    finite = np.isfinite(lon) & np.isfinite(lat)
    with np.errstate(invalid="ignore"):
        col = np.clip(np.rint((lon - xs[0]) / ((x1 - x0) / nx)), 0, nx - 1)
        row = np.clip(np.rint((lat - ys[0]) / ((y1 - y0) / ny)), 0, ny - 1)
    index = np.where(finite, row * nx + col, 0).astype(np.intp)
    out = src.reshape((-1,) + src.shape[2:])[index].reshape(tx.shape + src.shape[2:])

    # masked as warp_array masks: not projectable, beyond the source grid's edge
    # pixels, or not projecting back to itself (projections that wrap around)
    half_x = np.abs(np.diff(xs)).max() / 2 if nx > 1 else (x1 - x0) / 2
    half_y = np.abs(np.diff(ys)).max() / 2 if ny > 1 else (y1 - y0) / 2
    back = crs.transform_points(_PC, lon, lat)
    with np.errstate(invalid="ignore"):
        masked = (
            ~finite
            | (lat >= ys.max() + half_y) | (lat <= ys.min() - half_y)
            | ~((lon <= xs.max() + half_x) & (lon >= xs.min() - half_x))
            | (np.abs(tx.ravel() - back[:, 0]) / abs(crs.x_limits[1] - crs.x_limits[0]) > 0.1)
            | (np.abs(ty.ravel() - back[:, 1]) / abs(crs.y_limits[1] - crs.y_limits[0]) > 0.1)
        ).reshape(tx.shape)
    if masked.any():  # as GeoAxes.imshow does: RGBA, masked pixels transparent
        rgba = np.full(tx.shape + (4,), 255, dtype=out.dtype)
        rgba[..., :3] = out[..., :3]
        rgba[masked, 3] = 0
        out = rgba
    return out, tuple(float(v) for v in target_extent)


@functools.lru_cache(maxsize=4)
def _warped_relief(
    crs: ccrs.Projection,
    target_extent: tuple[float, float, float, float],
    regrid_shape: int,
    bounds: tuple[float, float, float, float],
    fine: bool,
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The relief within ``bounds`` (lon/lat) warped into ``crs`` over ``target_extent``.

    Returns the image (``origin="lower"``, read-only) and its extent in ``crs``,
    ready for ``ax.imshow(..., transform=crs)``. ``regrid_shape`` is the image's
    smaller side, as ``regrid_shape`` of :meth:`cartopy.mpl.geoaxes.GeoAxes.imshow`.
    Cached: the maps of one process that share projection, extent, size and
    ``fine`` warp the relief once.
    """
    img, img_extent = _crop_relief(bounds, fine)
    x_range, y_range = target_extent[1] - target_extent[0], target_extent[3] - target_extent[2]
    if x_range >= y_range:  # as GeoAxes._regrid_shape_aspect
        shape = (int(regrid_shape * x_range / y_range), regrid_shape)
    else:
        shape = (regrid_shape, int(regrid_shape / (x_range / y_range)))
    out, extent = _warp(img, img_extent, crs, target_extent, shape)
    out.setflags(write=False)
    return out, extent


def _frame(bounds: Sequence[float]):
    """The part of the extract's box within ``bounds``, as a shapely box."""
    lon0, lon1, lat0, lat1 = bounds
    return box(lon0, lat0, lon1, lat1).intersection(box(*_EXTRACT_BOX))


def _to_crs(geoms: Sequence[Any], crs: ccrs.Projection) -> list:
    """Shapely lon/lat geometries projected into ``crs``, vertex by vertex.

    For the lakes and rivers (segments under 1°, far from the edges of the map
    projection) cartopy's ``project_geometry`` yields the same vertices, only
    about ten times more slowly. Segments longer than 1° are split first
    (``shapely.segmentize``); a geometry with a vertex that does not project
    (beyond the edge of some other projection) is left to ``project_geometry``.
    """
    arr = np.asarray(geoms, dtype=object)
    dense = shapely.segmentize(arr, 1.0)
    lonlat, which = shapely.get_coordinates(dense, return_index=True)
    xy = crs.transform_points(_PC, lonlat[:, 0], lonlat[:, 1])[:, :2]
    bad = np.zeros(len(arr), dtype=bool)
    bad[which[~np.isfinite(xy).all(axis=1)]] = True
    out = dense.copy()
    out[~bad] = shapely.set_coordinates(dense[~bad], xy[~bad[which]])
    for i in np.flatnonzero(bad):
        out[i] = crs.project_geometry(arr[i], _PC)
    return list(out)


@functools.lru_cache(maxsize=8)
def _projected(name: str, crs: ccrs.Projection) -> tuple:
    """The geometries of ``<name>.geojson`` (as :func:`_features`) projected into ``crs``."""
    return tuple(_to_crs([g for g, _ in _features(name)], crs))


@functools.lru_cache(maxsize=8)
def _water(bounds: tuple[float, float, float, float], crs: ccrs.Projection) -> dict[str, tuple]:
    """The water of a map whose view lies within ``bounds`` (lon/lat), in ``crs``.

    ``{"sea": (sea,), "lakes": natural lakes, "reservoirs": ..., "rivers": ...}``,
    each a tuple of shapely geometries in ``crs`` (empty when there is none).
    Cached per bounds (rounded by the caller) and projection: the maps of one
    process share these objects, and with them cartopy's cache of their paths.
    """
    frame = _frame(bounds)
    land = [g for g, _ in _features("coastline") if g.intersects(frame)]
    sea = frame.difference(unary_union(land)) if land else frame
    # the sea's box edges are long: cartopy's project_geometry curves them properly
    sea_out = () if sea.is_empty else (crs.project_geometry(sea, _PC),)

    hit = [i for i, (g, _) in enumerate(_features("lakes")) if g.intersects(frame)]
    lakes_ll, lakes_xy = _features("lakes"), _projected("lakes", crs)
    natural = tuple(lakes_xy[i] for i in hit if not lakes_ll[i][1].get("reservoir"))
    reservoirs = tuple(lakes_xy[i] for i in hit if lakes_ll[i][1].get("reservoir"))

    rivers_xy = _projected("rivers", crs)
    rivers = tuple(xy for (g, _), xy in zip(_features("rivers"), rivers_xy) if g.intersects(frame))
    return {"sea": sea_out, "lakes": natural, "reservoirs": reservoirs, "rivers": rivers}


def _round_bounds(bounds: Sequence[float], ndigits: int = 3) -> tuple[float, ...]:
    """``bounds`` as a tuple of floats rounded to ``ndigits`` decimals (a cache key)."""
    return tuple(round(float(v), ndigits) for v in bounds)


# --------------------------------------------------------------------------- graticule

_GRID_LONS = tuple(range(40, 100, 10))
_GRID_LATS = tuple(range(30, 65, 5))
_GRID_STEPS = 100  # points per line before projection, as cartopy's Gridliner


def _view_lonlat_ranges(ax: GeoAxes) -> tuple[tuple[float, float], tuple[float, float]]:
    """``(lon_min, lon_max), (lat_min, lat_max)`` of the view, as cartopy's Gridliner finds them.

    The axes are sampled on a 100 x 100 grid (cartopy's ``Gridliner._axes_domain``,
    with the same arithmetic, so that the lines start where the Gridliner's do).
    """
    t = np.linspace(1e-9, 1 - 1e-9, 100)
    x, y = np.meshgrid(t, t)
    coords = np.column_stack((x.ravel(), y.ravel()))
    in_data = (ax.transAxes - _PC._as_mpl_transform(ax)).transform(coords)
    ok = ax.patch.get_path().contains_points((ax.transAxes - ax.patch.get_transform()).transform(coords))
    inside = in_data[ok, :]
    lat_ok = inside[np.isfinite(inside[:, 1]), 1] if inside.size else inside
    if inside.size == 0 or lat_ok.size == 0:
        lon_range, lat_range = _PC.x_limits, _PC.y_limits
    else:
        lon_range = np.nanmin(inside[:, 0]), np.nanmax(inside[:, 0])
        lat_range = np.nanmin(inside[:, 1]), lat_ok.max()
    lon_range = np.clip(lon_range, *_PC.x_limits)
    lat_range = np.clip(lat_range, *_PC.y_limits)
    if abs(np.diff(lon_range)[0] / np.diff(_PC.x_limits)[0]) > 0.9:
        lon_range = _PC.x_limits
    return (float(lon_range[0]), float(lon_range[1])), (float(lat_range[0]), float(lat_range[1]))


@functools.lru_cache(maxsize=16)
def _graticule_segments(
    crs: ccrs.Projection, lon_range: tuple[float, float], lat_range: tuple[float, float]
) -> tuple[np.ndarray, ...]:
    """Meridians (:data:`_GRID_LONS`) then parallels (:data:`_GRID_LATS`) over the view, in ``crs``.

    Each line is sampled as cartopy's Gridliner samples it and projected by the
    transform the Gridliner's lines are drawn with (at each draw).
    """
    from cartopy.mpl.geoaxes import InterProjectionTransform
    from matplotlib.path import Path

    lons = [v for v in _GRID_LONS if lon_range[0] <= v <= lon_range[1]]
    lats = [v for v in _GRID_LATS if lat_range[0] <= v <= lat_range[1]]
    lat_line = np.linspace(min([lat_range[0], *lats]), max([lat_range[1], *lats]), _GRID_STEPS)
    lon_line = np.linspace(min([lon_range[0], *lons]), max([lon_range[1], *lons]), _GRID_STEPS)
    lines = [np.column_stack([np.full(_GRID_STEPS, float(v)), lat_line]) for v in lons]
    lines += [np.column_stack([lon_line, np.full(_GRID_STEPS, float(v))]) for v in lats]
    to_crs = InterProjectionTransform(_PC, crs)
    segments = []
    for line in lines:
        path = to_crs.transform_path_non_affine(Path(line))
        starts = [] if path.codes is None else np.flatnonzero(path.codes == Path.MOVETO)[1:]
        for part in np.split(np.array(path.vertices, dtype=float), starts):
            part.setflags(write=False)
            segments.append(part)
    return tuple(segments)


class _Graticule(LineCollection):
    """Dashed meridians and parallels every 10° / 5°, as ``ax.gridlines(crs=PlateCarree())`` draws them.

    cartopy's Gridliner projects its lines anew at every draw and layout pass;
    this collection holds them already projected (cached per view), and projects
    them again only when the view has changed.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__([], **kwargs)
        self._view: tuple | None = None

    def _update_lines(self) -> None:
        ax = self.axes
        view = (ax.projection, tuple(ax.get_xlim()), tuple(ax.get_ylim()))
        if view != self._view:
            self._view = view
            self.set_segments(_graticule_segments(ax.projection, *_view_lonlat_ranges(ax)))

    def draw(self, renderer) -> None:
        if self.axes is not None:
            self._update_lines()
        super().draw(renderer)


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
                ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    fontsize=10 if big else 9, style="italic", color=WATER_TEXT,
                    linespacing=1.0, path_effects=_halo(2.0 if big else 1.8), zorder=6,
                    in_layout=False,  # inside the map: no need to lay it out (much faster)
                )
        for name, ((lon, lat), (dlon, dlat)) in RIVER_LABELS.items():
            if _in_extent(lon, lat, extent):
                ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    rotation=_rotation(ax, lon, lat, dlon, dlat), rotation_mode="anchor",
                    fontsize=9, style="italic", color=WATER_TEXT, path_effects=_halo(1.8),
                    zorder=6, in_layout=False,
                )
    return ax


def _drop_missing(data: pd.DataFrame, cols: Sequence[str]) -> tuple[pd.DataFrame, int]:
    coords = data[list(cols)].apply(pd.to_numeric, errors="coerce")
    ok = coords.notna().all(axis=1)
    out = data.loc[ok].copy()
    out[list(cols)] = coords.loc[ok]
    return out, int((~ok).sum())


def _legend_title(title: str | None, n_missing: int, what: str) -> str | None:
    if n_missing == 0:
        return title
    note = f"{n_missing} {what if n_missing > 1 else what[:-1]} without coordinates not shown"
    return f"{title}\n({note})" if title else f"({note})"


def plot_events_map(
    data: pd.DataFrame,
    hue: str | None = "event_type",
    style: str | None = None,
    size: str | None = None,
    palette: str | Sequence | Mapping | None = None,
    ax: GeoAxes | None = None,
    extent: Sequence[float] = DEFAULT_EXTENT,
    label: str | None = None,
    legend: bool = True,
    **kwargs: Any,
) -> GeoAxes:
    """Scatter events (battles, raids, embassies, …) on a base map.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per event, with numeric ``lon`` and ``lat`` columns (degrees).
        Rows whose ``lon`` or ``lat`` is missing are not drawn (see Returns).
    hue : str or None, default "event_type"
        Column that colours the points (the default works on :func:`kdwars.load_events` as it is). A side column (``side``, ``attacker``,
        ``defender``, ``winner``, … see :data:`SIDE_COLUMNS`) gets the project's
        side colours (:func:`kdwars.style.side_color`) unless ``palette`` is given.
    style : str, optional
        Column that sets the marker shape.
    size : str, optional
        Numeric column that sets the marker size.
    palette : str, list or dict, optional
        seaborn palette name, list of colours or ``{hue level: colour}``.
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Map to draw on; by default a new :func:`base_map` of ``extent``.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` of a new map.
    label : str, optional
        Column whose text annotates each point.
    legend : bool, default True
        Draw a legend (of hue, style and size), in the lower right corner (move
        it with ``ax.get_legend().set_loc(...)``). A legend already on the map,
        e.g. of :func:`plot_flows_map`, is kept.
    **kwargs
        Passed on to :func:`seaborn.scatterplot` (e.g. ``s=``, ``alpha=``,
        ``edgecolor=``).

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map. All points are one matplotlib collection (``ax.collections[-1]``
        holds one offset per drawn row). The number of rows skipped for missing
        coordinates is stored as ``ax.kdwars_missing`` and, when not zero, noted
        in the legend title.

    Raises
    ------
    ValueError
        If ``lon``, ``lat`` or a column named by ``hue``, ``style``, ``size`` or
        ``label`` is not in ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kdwars.maps import plot_events_map
    >>> df = pd.DataFrame({"lon": [68.3, 71.4], "lat": [43.3, 42.9],
    ...                    "winner": ["kazakh", "dzungar"], "name": ["Turkistan", "Taraz"]})
    >>> ax = plot_events_map(df, hue="winner", label="name")
    """
    import seaborn as sns

    _check_columns(
        data, {"longitude": "lon", "latitude": "lat", "hue": hue, "style": style, "size": size, "label": label},
        "plot_events_map",
    )
    ax = base_map(ax=ax, extent=extent) if ax is None else ax
    if not isinstance(ax, GeoAxes):
        raise TypeError("ax must be a cartopy GeoAxes (see kdwars.maps.base_map)")
    extent_now = ax.get_extent()
    df, n_missing = _drop_missing(data, ("lon", "lat"))
    ax.kdwars_missing = n_missing

    pal = _palette(df[hue].dropna().tolist(), hue, palette) if hue is not None and len(df) else None
    if size is None:
        kwargs.setdefault("s", 42)
    kwargs.setdefault("edgecolor", "white")
    kwargs.setdefault("linewidth", 0.6)
    kwargs.setdefault("zorder", 8)
    if hue is None and "color" not in kwargs:
        kwargs["color"] = "#333333"
    previous = ax.get_legend()  # e.g. of plot_flows_map on the same map: kept
    if len(df):
        sns.scatterplot(
            data=df, x="lon", y="lat", hue=hue, style=style, size=size, palette=pal,
            hue_order=list(pal) if pal is not None else None,
            ax=ax, transform=_PC, legend="auto" if legend else False, **kwargs,
        )
    else:  # nothing to draw: still one (empty) collection, as documented
        ax.scatter([], [], transform=_PC, zorder=kwargs.get("zorder", 8))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_extent(extent_now, crs=ax.projection)

    if label is not None:
        offset = offset_copy(_PC._as_mpl_transform(ax), fig=ax.figure, x=4, y=3, units="points")
        for lon, lat, text in zip(df["lon"], df["lat"], df[label]):
            if pd.isna(text) or str(text) == "":
                continue
            ax.text(
                lon, lat, str(text), transform=offset, fontsize=9, color="#222222",
                ha="left", va="bottom", path_effects=_halo(2.0), zorder=9, clip_on=True, in_layout=False,
            )

    new = ax.get_legend()
    if new is previous:
        new = None
    elif previous is not None:
        ax.add_artist(previous)
    if legend and new is not None:
        new.set_loc("lower right")  # "best" would test every river: seconds slower; few events lie there
        new.set_title(_legend_title(new.get_title().get_text() or None, n_missing, "events"))
        new.get_title().set_fontsize(9)
        for text in new.get_texts():
            text.set_fontsize(9)
        new.get_frame().set_alpha(0.9)
        new.set_zorder(10)
    elif legend and n_missing:
        if previous is not None and ax.get_legend() is previous:
            ax.add_artist(previous)
        ax.legend(handles=[], title=_legend_title(None, n_missing, "events"), loc="lower right",
                  fontsize=9, title_fontsize=9)
    return ax


def plot_flows_map(
    data: pd.DataFrame,
    ax: GeoAxes | None = None,
    hue: str | None = None,
    label: str | None = None,
    palette: str | Sequence | Mapping | None = None,
    width: str | None = None,
    color: str = "#8b1a1a",
    extent: Sequence[float] = DEFAULT_EXTENT,
    legend: bool = True,
    curvature: float = 0.15,
    **kwargs: Any,
) -> GeoAxes:
    """Draw displacements (migrations, flights, campaigns) as arrows on a base map.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per flow, with numeric ``lon0``, ``lat0`` (origin) and ``lon1``,
        ``lat1`` (destination) columns in degrees. Rows with a missing coordinate
        are not drawn (see Returns).
    ax : cartopy.mpl.geoaxes.GeoAxes, optional
        Map to draw on; by default a new :func:`base_map` of ``extent``.
    hue : str, optional
        Column that colours the arrows (side columns get the side colours,
        as in :func:`plot_events_map`).
    label : str, optional
        Column whose text is written at each arrow's head (the destination).
    palette : str, list or dict, optional
        seaborn palette name, list of colours or ``{hue level: colour}``.
    width : str, optional
        Numeric column scaling the arrows' line width (1–4.5 points).
    color : str, default "#8b1a1a"
        Arrow colour when ``hue`` is None.
    extent : sequence of 4 floats, default :data:`DEFAULT_EXTENT`
        ``(lon_min, lon_max, lat_min, lat_max)`` of a new map.
    legend : bool, default True
        Draw a legend of the hue levels.
    curvature : float, default 0.15
        Bend of the arrows (``connectionstyle="arc3,rad=curvature"``; 0 = straight).
    **kwargs
        Passed on to :class:`matplotlib.patches.FancyArrowPatch`.

    Returns
    -------
    cartopy.mpl.geoaxes.GeoAxes
        The map. The arrows are stored, one per drawn row, in ``ax.kdwars_arrows``;
        the number of rows skipped for missing coordinates in ``ax.kdwars_missing``
        (and, when not zero, noted in the legend title).

    Raises
    ------
    ValueError
        If a coordinate column or a column named by ``hue``, ``label`` or
        ``width`` is not in ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kdwars.maps import plot_flows_map
    >>> flight = pd.DataFrame({"lon0": [68.3], "lat0": [43.3], "lon1": [66.96],
    ...                        "lat1": [39.65], "to": ["Samarkand"]})
    >>> ax = plot_flows_map(flight, label="to")
    """
    _check_columns(
        data,
        {"origin longitude": "lon0", "origin latitude": "lat0", "destination longitude": "lon1",
         "destination latitude": "lat1", "hue": hue, "label": label, "width": width},
        "plot_flows_map",
    )
    ax = base_map(ax=ax, extent=extent) if ax is None else ax
    if not isinstance(ax, GeoAxes):
        raise TypeError("ax must be a cartopy GeoAxes (see kdwars.maps.base_map)")
    df, n_missing = _drop_missing(data, ("lon0", "lat0", "lon1", "lat1"))
    ax.kdwars_missing = n_missing

    pal = _palette(df[hue].dropna().tolist(), hue, palette) if hue is not None and len(df) else {}
    if width is not None and len(df):
        w = pd.to_numeric(df[width], errors="coerce").fillna(0).to_numpy(float)
        span = w.max() - w.min()
        widths = 1.0 + 3.5 * ((w - w.min()) / span if span > 0 else np.zeros_like(w))
    else:
        widths = np.full(len(df), 1.6)

    p0 = ax.projection.transform_points(_PC, df["lon0"].to_numpy(float), df["lat0"].to_numpy(float))
    p1 = ax.projection.transform_points(_PC, df["lon1"].to_numpy(float), df["lat1"].to_numpy(float))
    arrows = []
    for i, (_, row) in enumerate(df.iterrows()):
        c = pal.get(row[hue], "#7f7f7f") if hue is not None else color
        props = dict(
            arrowstyle="-|>", mutation_scale=8 + 2.2 * widths[i], linewidth=widths[i],
            color=c, alpha=0.9, shrinkA=0, shrinkB=2,
            connectionstyle=f"arc3,rad={curvature}", zorder=7,
        )
        props.update(kwargs)
        arrow = FancyArrowPatch(tuple(p0[i, :2]), tuple(p1[i, :2]), transform=ax.transData, **props)
        ax.add_patch(arrow)
        arrows.append(arrow)
    ax.kdwars_arrows = arrows

    if len(df):
        origins = np.unique(np.round(p0[:, :2], 1), axis=0)
        ax.scatter(origins[:, 0], origins[:, 1], s=22, color="#333333", edgecolor="white",
                   linewidth=0.7, zorder=8, transform=ax.transData)

    if label is not None:
        offset = offset_copy(_PC._as_mpl_transform(ax), fig=ax.figure, x=3, y=-2, units="points")
        for lon, lat, text in zip(df["lon1"], df["lat1"], df[label]):
            if pd.isna(text) or str(text) == "":
                continue
            ax.text(lon, lat, str(text), transform=offset, fontsize=9, color="#222222",
                    ha="left", va="top", path_effects=_halo(2.0), zorder=9, clip_on=True, in_layout=False)

    if legend and (pal or n_missing):
        previous = ax.get_legend()
        if previous is not None:
            ax.add_artist(previous)
        handles = [Line2D([], [], color=c, linewidth=2, label=str(k)) for k, c in pal.items()]
        ax.legend(handles=handles, title=_legend_title(hue, n_missing, "flows"),
                  loc="lower left", fontsize=9, title_fontsize=9, framealpha=0.9).set_zorder(10)
    return ax
