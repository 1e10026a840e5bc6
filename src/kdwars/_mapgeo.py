"""Geometry plumbing of :mod:`kdwars.maps` (private).

The offline extract is read, projected, warped and cached once per process and map view.

Nothing here draws a map; :mod:`kdwars.maps` holds the public map functions.
Only cartopy's public API is used (projections' ``transform_points`` and
``project_geometry``, ``InterProjectionTransform``).

The geography is read, projected and (the relief) warped once per process and
map view, then cached: the first map of a process takes about half a second
longer to draw than the next maps with the same extent and figure size.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any

import cartopy.crs as ccrs
import numpy as np
import shapely
from cartopy.mpl.geoaxes import GeoAxes
from matplotlib.collections import LineCollection
from shapely.geometry import box, shape
from shapely.ops import unary_union

from kdwars._paths import geo_dir

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


# --------------------------------------------------------------------------- data


@functools.cache
def _features(name: str) -> tuple[tuple[Any, dict], ...]:
    """``(shapely geometry, properties)`` of every feature of ``<name>.geojson``."""
    path = geo_dir() / f"{name}.geojson"
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    return tuple((shape(f["geometry"]), dict(f.get("properties") or {})) for f in doc["features"])


@functools.cache
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
    key = _disk_key("relief", crs.proj4_init, target_extent, regrid_shape, bounds, fine)
    cached = _disk_load(key)
    if cached is not None:
        out = cached
        out.setflags(write=False)
        return out, tuple(float(v) for v in target_extent)
    img, img_extent = _crop_relief(bounds, fine)
    x_range, y_range = target_extent[1] - target_extent[0], target_extent[3] - target_extent[2]
    if x_range >= y_range:  # as GeoAxes._regrid_shape_aspect
        shape = (int(regrid_shape * x_range / y_range), regrid_shape)
    else:
        shape = (regrid_shape, int(regrid_shape / (x_range / y_range)))
    out, extent = _warp(img, img_extent, crs, target_extent, shape)
    _disk_save(key, out)
    out.setflags(write=False)
    return out, extent


# --------------------------------------------------------------------------- cache on disk
#
# A fresh kernel (every notebook) would warp the relief again for each map view. The
# warped images are the same for every run with the same extract, projection, view
# and size, so they are kept in a small cache directory: ``KDWARS_CACHE_DIR`` if set,
# else ``$XDG_CACHE_HOME/kdwars`` (``~/.cache/kdwars``); ``KDWARS_CACHE_DIR=""`` turns
# the cache off. Each file's name is a hash of its inputs and of the extract's relief
# image, so a changed extract never reads a stale image; a cache that cannot be written
# is simply not used.

_CACHE_VERSION = "1"


def _cache_dir():
    import os
    from pathlib import Path

    env = os.environ.get("KDWARS_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kdwars"


@functools.lru_cache(maxsize=1)
def _extract_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for name in ("relief.jpg", "relief.json"):
        h.update((geo_dir() / name).read_bytes())
    return h.hexdigest()[:16]


def _disk_key(kind: str, *parts: Any) -> str:
    import hashlib

    text = repr((_CACHE_VERSION, kind, _extract_digest(), _RELIEF_WHITE, _RELIEF_GREY, _RELIEF_COLOURS,
                 _RELIEF_BLUR, parts))
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.npy"


def _disk_load(key: str) -> np.ndarray | None:
    d = _cache_dir()
    if d is None:
        return None
    try:
        return np.load(d / key, allow_pickle=False)
    except (OSError, ValueError):
        return None


def _disk_save(key: str, arr: np.ndarray) -> None:
    import os
    import tempfile

    d = _cache_dir()
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, arr, allow_pickle=False)
        os.replace(tmp, d / key)
    except OSError:
        pass


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
    xy = (ax.transAxes - ax.transData).transform(coords)
    with np.errstate(invalid="ignore"):
        in_data = _PC.transform_points(ax.projection, xy[:, 0], xy[:, 1])[:, :2]
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
