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
from cartopy.mpl.geoaxes import GeoAxes
from matplotlib import patheffects
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


def _frame(bounds: Sequence[float]):
    """The part of the extract's box within ``bounds``, as a shapely box."""
    lon0, lon1, lat0, lat1 = bounds
    return box(lon0, lat0, lon1, lat1).intersection(box(*_EXTRACT_BOX))


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
    figsize: tuple[float, float] = (9, 5.85),
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
        200–300 dpi; larger files, about 1 s slower).
    rivers : bool, default True
        Draw the rivers (thin blue lines).
    labels : bool, default True
        Name the main rivers (:data:`RIVER_LABELS`) and lakes/seas
        (:data:`LAKE_LABELS`) that fall within the extent.
    figsize : (float, float), default (9, 5.85)
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

    bounds = _lonlat_bounds(ax)
    frame = _frame(bounds)
    if relief not in (True, False, "fine"):
        raise ValueError(f"relief must be True, False or 'fine', got {relief!r}")
    if relief:
        fine = relief == "fine"
        img, img_extent = _crop_relief(bounds, fine)
        ax_px = ax.figure.get_size_inches()[0] * ax.figure.dpi * ax.get_position().width
        shape = 1200 if fine else int(min(1400, max(400, 0.75 * ax_px)))
        ax.imshow(
            img,
            origin="upper",
            extent=img_extent,
            transform=_PC,
            regrid_shape=shape,
            interpolation="bilinear" if fine else "nearest",
            zorder=0,
        )

    # sea: the box of the extract minus the land polygons
    land = [g for g, _ in _features("coastline") if g.intersects(frame)]
    sea = frame.difference(unary_union(land)) if land else frame
    if not sea.is_empty:
        ax.add_geometries([sea], crs=_PC, facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=1)

    lakes = [(g, p) for g, p in _features("lakes") if g.intersects(frame)]
    natural = [g for g, p in lakes if not p.get("reservoir")]
    reservoirs = [g for g, p in lakes if p.get("reservoir")]
    ax.add_geometries(natural, crs=_PC, facecolor=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=2)

    if rivers:
        lines = [g for g, _ in _features("rivers") if g.intersects(frame)]
        ax.add_geometries(lines, crs=_PC, facecolor="none", edgecolor=RIVER, linewidth=0.55, zorder=2)
        if reservoirs:
            ax.add_geometries(reservoirs, crs=_PC, facecolor="none", edgecolor=RIVER, linewidth=0.55, zorder=2)

    gl = ax.gridlines(
        crs=_PC, draw_labels=False, xlocs=range(40, 100, 10), ylocs=range(30, 65, 5),
        linewidth=0.35, color="#6f6f6f", alpha=0.35, linestyle=(0, (4, 4)),
    )
    gl.zorder = 3

    if labels:
        for name, (lon, lat) in LAKE_LABELS.items():
            if _in_extent(lon, lat, extent):
                big = name.startswith(("Caspian", "Aral"))
                ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    fontsize=10 if big else 7.5, style="italic", color=WATER_TEXT,
                    linespacing=1.0, path_effects=_halo(2.0 if big else 1.8), zorder=6,
                )
        for name, ((lon, lat), (dlon, dlat)) in RIVER_LABELS.items():
            if _in_extent(lon, lat, extent):
                ax.text(
                    lon, lat, name, transform=_PC, ha="center", va="center",
                    rotation=_rotation(ax, lon, lat, dlon, dlat), rotation_mode="anchor",
                    fontsize=7, style="italic", color=WATER_TEXT, path_effects=_halo(1.8),
                    zorder=6,
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
    hue: str | None = "type",
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
    hue : str or None, default "type"
        Column that colours the points. A side column (``side``, ``attacker``,
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
                lon, lat, str(text), transform=offset, fontsize=7, color="#222222",
                ha="left", va="bottom", path_effects=_halo(2.0), zorder=9, clip_on=True,
            )

    new = ax.get_legend()
    if new is previous:
        new = None
    elif previous is not None:
        ax.add_artist(previous)
    if legend and new is not None:
        new.set_loc("lower right")  # "best" would test every river: seconds slower; few events lie there
        new.set_title(_legend_title(new.get_title().get_text() or None, n_missing, "events"))
        new.get_title().set_fontsize(8)
        for text in new.get_texts():
            text.set_fontsize(8)
        new.get_frame().set_alpha(0.9)
        new.set_zorder(10)
    elif legend and n_missing:
        if previous is not None and ax.get_legend() is previous:
            ax.add_artist(previous)
        ax.legend(handles=[], title=_legend_title(None, n_missing, "events"), loc="lower right",
                  fontsize=8, title_fontsize=8)
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
            ax.text(lon, lat, str(text), transform=offset, fontsize=7, color="#222222",
                    ha="left", va="top", path_effects=_halo(2.0), zorder=9, clip_on=True)

    if legend and (pal or n_missing):
        previous = ax.get_legend()
        if previous is not None:
            ax.add_artist(previous)
        handles = [Line2D([], [], color=c, linewidth=2, label=str(k)) for k, c in pal.items()]
        ax.legend(handles=handles, title=_legend_title(hue, n_missing, "flows"),
                  loc="lower left", fontsize=8, title_fontsize=8, framealpha=0.9).set_zorder(10)
    return ax
