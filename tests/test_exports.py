"""EDTF dates, events.geojson and places.geojson (Linked Places Format).

Every EDTF string is read back with python-edtf (``edtf.parse_edtf``) and its
bounds compared with the table's years; places.geojson is validated against a
JSON Schema of the Linked Places Format's required fields
(``tests/data/lpf-required.schema.json``, written from the World Historical
Gazetteer's published schema — its origin is in the file's ``$comment``).
"""

from __future__ import annotations

import copy
import doctest
import json
import math
import time

import jsonschema
import pandas as pd
import pytest
from edtf import parse_edtf
from hypothesis import given
from hypothesis import strategies as st

import kdwars
from kdwars import exports, schema
from kdwars.build import build
from kdwars.exports import CERTAINTY, FCLASSES, LPF_CONTEXT, PLACE_NAMESPACE, edtf

from .conftest import PROCESSED, RAW, REPO

LPF_SCHEMA = json.loads((REPO / "tests" / "data" / "lpf-required.schema.json").read_text(encoding="utf-8"))


def bounds(text: str) -> tuple[int | None, int]:
    """(earliest year or None when the start is open, latest year) of an EDTF string."""
    e = parse_edtf(text)
    lower = e.lower_strict()
    # python-edtf 5: an open start ("[..1758]") is -inf, not a date (pinned below)
    lo = None if lower == float("-inf") else lower[0]
    return lo, e.upper_strict()[0]


# --------------------------------------------------------------------------- python-edtf traps

def test_python_edtf_traps_we_rely_on():
    # A winter code covers December of its year only: a winter across two years
    # must be written as an interval (which edtf() does).
    w = parse_edtf("1723-24")
    assert (w.lower_strict()[:2], w.upper_strict()[:2]) == ((1723, 12), (1723, 12))
    # "by 1758" is written "[..1758]": its open start is -inf, which no date
    # conversion accepts (time.strftime raises TypeError).
    by = parse_edtf("[..1758]")
    assert by.lower_strict() == float("-inf")
    with pytest.raises(TypeError):
        time.strftime("%Y", by.lower_strict())
    assert by.upper_strict()[0] == 1758


# --------------------------------------------------------------------------- edtf()

@pytest.mark.parametrize(("kwargs", "expected"), [
    # expected strings written from ISO 8601-2 / EDTF, not from the function's output
    (dict(year_start=1643), "1643"),
    (dict(year_start=1646, month=5, date_precision="month"), "1646-05"),
    (dict(year_start=1728, month=11, day=6, date_precision="day"), "1728-11-06"),
    (dict(year_start=1718, season="spring", date_precision="season"), "1718-21"),
    (dict(year_start=1710, season="summer", date_precision="season"), "1710-22"),
    (dict(year_start=1731, season="autumn", date_precision="season"), "1731-23"),
    (dict(year_start=1739, year_end=1740, season="winter", date_precision="season"), "1739-12/1740-02"),
    (dict(year_start=1724, season="winter", qualifier="late", date_precision="season"), "1724-01/1724-02"),
    (dict(year_start=1645, year_end=1646, date_precision="years"), "1645/1646"),
    (dict(year_start=1729, year_end=1730, qualifier="or", date_precision="years"), "[1729,1730]"),
    (dict(year_start=1735, qualifier="about", date_precision="year"), "1735~"),
    (dict(year_start=1726, year_end=1738, qualifier="about", date_precision="years"), "1726~/1738~"),
    (dict(year_start=1741, month=3, qualifier="year from context", date_precision="month"), "1741-03?"),
    (dict(year_start=1530, year_end=1539, date_precision="decade"), "153X"),
    (dict(year_start=1720, year_end=1722, qualifier="early", date_precision="decade"), "1720/1722"),
    (dict(year_start=1400, year_end=1499, date_precision="century"), "14XX"),
    (dict(year_start=1758, qualifier="by", date_precision="year"), "[..1758]"),
    (dict(year_start=1729, year_end=1730, month=12, date_precision="month"), "1729-12/1730"),
    (dict(year_start=1665, year_end=1681, date_basis="inferred"), "1665/1681"),
    (dict(year_start=1741, month=2, qualifier="late", date_precision="month"), "1741-02"),
])
def test_edtf_known_forms(kwargs, expected):
    assert edtf(**kwargs) == expected
    parse_edtf(expected)


@pytest.mark.parametrize(("kwargs", "match"), [
    (dict(year_start=1730, year_end=1729), "before"),
    (dict(year_start=None), "required"),
    (dict(year_start=1730, month=13), "month"),
    (dict(year_start=1730, day=5), "without a month"),
    (dict(year_start=1730, month=2, day=30), "not a day of month 2"),
    (dict(year_start=1730, season="monsoon"), "season"),
    (dict(year_start=1730, date_basis="guessed"), "date_basis"),
    (dict(year_start=12345), "four digits"),
    (dict(year_start="17x0"), "whole number"),
])
def test_edtf_rejects_bad_input_with_a_message(kwargs, match):
    with pytest.raises(ValueError, match=match):
        edtf(**kwargs)


SEASONS = st.sampled_from([None, "spring", "summer", "autumn", "winter"])
QUALIFIERS = st.lists(st.sampled_from(["about", "around", "or", "by", "early", "mid", "late", "end",
                                       "?", "year from context", "first half"]),
                      max_size=3).map(lambda ws: " ".join(ws) or None)
PRECISIONS = st.sampled_from([None, "day", "month", "season", "year", "years", "decade", "century"])


@given(y0=st.integers(1000, 1899), span=st.integers(0, 120), month=st.one_of(st.none(), st.integers(1, 12)),
       day=st.one_of(st.none(), st.integers(1, 28)), season=SEASONS, precision=PRECISIONS,
       qualifier=QUALIFIERS, basis=st.sampled_from([None, "stated", "inferred"]))
def test_edtf_property_valid_and_bounded(y0, span, month, day, season, precision, qualifier, basis):
    """Any dating the tables can hold gives an EDTF string python-edtf reads, whose
    years are exactly year_start..year_end (a 'by' date: open start, same end)."""
    if month is None:
        day = None
    y1 = y0 + span
    text = edtf(y0, y1, month=month, day=day, season=season, date_precision=precision,
                qualifier=qualifier, date_basis=basis)
    lo, hi = bounds(text)
    assert hi == y1, text
    if lo is None:
        assert text.startswith("[..") and "by" in (qualifier or "").split() and basis != "inferred"
    else:
        assert lo == y0, text


@given(y=st.integers(1000, 1899), span=st.integers(0, 3))
def test_edtf_property_qualifiers_map_to_marks(y, span):
    plain, about = edtf(y, y + span), edtf(y, y + span, qualifier="about")
    assert "~" not in plain and "?" not in plain
    assert about.count("~") == (1 if span == 0 else 2)
    assert edtf(y, y + span, qualifier="year from context").count("?") == (1 if span == 0 else 2)
    assert "%" in edtf(y, qualifier="about ?")


@given(y=st.integers(1000, 1898))
def test_edtf_property_two_year_winter_is_an_interval(y):
    text = edtf(y, y + 1, season="winter", date_precision="season")
    assert text == f"{y}-12/{y + 1}-02"
    e = parse_edtf(text)
    assert e.lower_strict()[:2] == (y, 12) and e.upper_strict()[:2] == (y + 1, 2)


@given(st.one_of(st.none(), st.integers(-50, 20000), st.floats(allow_nan=True), st.text(max_size=5)),
       st.one_of(st.none(), st.integers(-5, 40), st.text(max_size=3)),
       st.one_of(st.none(), st.text(max_size=8)))
def test_edtf_property_bad_values_raise_value_error_only(year, month, season):
    try:
        text = edtf(year, month=month, season=season)
    except ValueError:
        return
    parse_edtf(text)


def test_edtf_docstring_examples():
    result = doctest.testmod(exports, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 10


# --------------------------------------------------------------------------- the tables

def test_every_date_claim_has_a_valid_edtf_within_its_years():
    dates = kdwars.load_event_dates()
    for r in dates.itertuples():
        text = edtf(r.year_start, r.year_end, month=r.month, day=r.day, season=r.season,
                    date_precision=r.date_precision, qualifier=r.qualifier)
        lo, hi = bounds(text)
        assert hi == r.year_end, (r.claim_id, r.as_written, text)
        assert lo == r.year_start or (lo is None and "by" in str(r.qualifier)), (r.claim_id, r.as_written, text)


def test_events_date_edtf_validates_and_matches_the_years():
    events = kdwars.load_events()
    assert "date_edtf" in events.columns and events["date_edtf"].notna().all()
    for r in events.itertuples():
        lo, hi = bounds(r.date_edtf)
        assert hi == r.year_end, (r.event_id, r.date_edtf)
        assert lo == r.year_start or (lo is None and r.date_edtf.startswith("[..")), (r.event_id, r.date_edtf)
    e = events.set_index("event_id")
    # hand-checked against the raw records: one date each, or competing claims
    assert e.loc["battle-of-orbulaq-1643", "date_edtf"] == "1643"
    assert e.loc["oirat-raids-into-central-asia-1400", "date_edtf"] == "14XX"
    assert events["date_edtf"].str.contains("/").sum() >= 20        # intervals
    assert events["date_edtf"].str.match(r"^\d{4}-2[1-3]$").sum() >= 5  # seasons


def test_competing_single_years_become_a_set():
    dates = pd.DataFrame({"event_id": ["e", "e"], "year_start": [1643, 1644], "year_end": [1643, 1644],
                          "month": [None, None], "day": [None, None], "season": [None, None],
                          "date_precision": ["year", "year"], "qualifier": [None, None]})
    events = pd.DataFrame({"event_id": ["e"], "year_start": [1643], "year_end": [1644], "date_precision": ["years"]})
    assert exports.add_date_edtf(events, dates)["date_edtf"].tolist() == ["[1643,1644]"]
    events["date_basis"] = ["inferred"]
    assert exports.add_date_edtf(events, dates)["date_edtf"].tolist() == ["1643/1644"]


def test_date_edtf_is_in_the_data_dictionary():
    from kdwars.datapackage import columns, describe

    assert "date_edtf" in columns("events")
    fields = {f["name"] for r in describe()["resources"] if r["name"] == "events" for f in r["schema"]["fields"]}
    assert "date_edtf" in fields


# --------------------------------------------------------------------------- events.geojson

@pytest.fixture(scope="module")
def events_fc() -> dict:
    return json.loads((PROCESSED / "events.geojson").read_text(encoding="utf-8"))


def test_events_geojson_one_feature_per_event_at_its_place(events_fc):
    events = kdwars.load_events().set_index("event_id")
    assert events_fc["type"] == "FeatureCollection"
    feats = {f["properties"]["event_id"]: f for f in events_fc["features"]}
    assert set(feats) == set(events.index) and len(events_fc["features"]) == len(events)
    for eid, f in feats.items():
        row = events.loc[eid]
        assert f["type"] == "Feature"
        if pd.isna(row["lat"]):
            assert f["geometry"] is None
        else:
            assert f["geometry"]["type"] == "Point"
            lon, lat = f["geometry"]["coordinates"]  # GeoJSON order: longitude first
            assert math.isclose(lon, row["lon"], abs_tol=1e-4) and math.isclose(lat, row["lat"], abs_tol=1e-4)
        p = f["properties"]
        for col in ("name", "event_type", "date_text", "date_edtf", "place_id", "winner"):
            assert p[col] == (None if pd.isna(row[col]) else row[col]), (eid, col)
        assert (p["year_start"], p["year_end"]) == (row["year_start"], row["year_end"])
        assert p["sources"] == list(row["sources"])  # the loader returns the list


def test_events_geojson_lists_every_cited_section(events_fc):
    feats = {f["properties"]["event_id"]: f["properties"] for f in events_fc["features"]}
    for loader in ("load_event_dates", "load_event_outcomes", "load_casualties", "load_commanders",
                   "load_event_places"):
        claims = getattr(kdwars, loader)().dropna(subset=["source_id"])
        for r in claims.itertuples():
            assert {"source_id": r.source_id, "section": r.section} in feats[r.event_id]["source_sections"], \
                (loader, r.event_id, r.source_id, r.section)
    for p in feats.values():
        assert {s["source_id"] for s in p["source_sections"]} == set(p["sources"])


# --------------------------------------------------------------------------- places.geojson (LPF)

@pytest.fixture(scope="module")
def lpf() -> dict:
    return json.loads((PROCESSED / "places.geojson").read_text(encoding="utf-8"))


def test_places_lpf_validates_against_the_required_fields_schema(lpf):
    jsonschema.Draft7Validator.check_schema(LPF_SCHEMA)
    errors = sorted(jsonschema.Draft7Validator(LPF_SCHEMA).iter_errors(lpf), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert lpf["@context"] == LPF_CONTEXT


@pytest.mark.parametrize("breakage", ["no names", "no title", "bad certainty", "no context", "extra key",
                                      "name without toponym", "timespan without start"])
def test_the_lpf_schema_catches_missing_required_fields(lpf, breakage):
    bad = copy.deepcopy(lpf)
    f = bad["features"][0]
    if breakage == "no names":
        del f["names"]
    elif breakage == "no title":
        del f["properties"]["title"]
    elif breakage == "bad certainty":
        f["geometry"]["geometries"][0]["certainty"] = "probable"
    elif breakage == "no context":
        del bad["@context"]
    elif breakage == "extra key":
        f["place_id"] = "x"
    elif breakage == "name without toponym":
        f["names"][0] = {"citations": []}
    elif breakage == "timespan without start":
        f["when"] = {"timespans": [{"end": {"in": "1700"}}]}
    assert not jsonschema.Draft7Validator(LPF_SCHEMA).is_valid(bad)


def test_places_lpf_carries_the_gazetteer(lpf):
    places = kdwars.load_places().set_index("place_id")
    feats = {f["properties"]["place_id"]: f for f in lpf["features"]}
    assert set(feats) == set(places.index)
    for pid, f in feats.items():
        row = places.loc[pid]
        assert f["@id"] == PLACE_NAMESPACE + pid
        assert f["properties"]["title"] == row["name"]
        assert [n["toponym"] for n in f["names"]] == [row["name"], *row["aliases"]]
        point = f["geometry"]["geometries"][0]
        assert point["coordinates"] == [pytest.approx(row["lon"]), pytest.approx(row["lat"])]
        assert point["certainty"] == {"exact": "certain", "approximate": "less-certain",
                                      "centroid": "uncertain"}[row["precision"]]
        assert f["properties"]["fclasses"] == [FCLASSES[row["kind"]]]
        assert len(f["properties"]["ccodes"]) == len(str(row["modern_country"]).split(";"))
    assert feats["turkistan"]["properties"]["ccodes"] == ["KZ"]
    assert feats["ili-river"]["properties"]["fclasses"] == ["H"]


def test_every_place_kind_and_precision_has_a_mapping():
    assert set(FCLASSES) == set(schema.PLACE_KINDS)
    assert set(CERTAINTY) == set(schema.PLACE_PRECISIONS)


def test_places_lpf_names_cite_the_articles_that_spell_them(lpf):
    from kdwars.raw import name_key

    sources = kdwars.load_sources().set_index("source_id")
    feats = {f["properties"]["place_id"]: f for f in lpf["features"]}
    ep = kdwars.load_event_places().dropna(subset=["source_id"])
    n_checked = 0
    for r in ep.itertuples():
        names = [n for n in feats[r.place_id]["names"] if name_key(n["toponym"]) == name_key(r.as_written)]
        if not names:  # spelled as written in the record but not a listed alias (none at present)
            continue
        ids = {c["@id"] for c in names[0]["citations"]}
        labels = " | ".join(c["label"] for c in names[0]["citations"])
        assert sources.loc[r.source_id, "url"] in ids, (r.place_id, r.as_written, r.source_id)
        assert f"[{r.source_id}], section {r.section!r}" in labels
        n_checked += 1
    assert n_checked >= 150


def test_places_lpf_when_spans_the_linked_events(lpf):
    events = kdwars.load_events().set_index("event_id")
    ep = kdwars.load_event_places()
    feats = {f["properties"]["place_id"]: f for f in lpf["features"]}
    for pid, group in ep.groupby("place_id"):
        ys = events.loc[group["event_id"].unique()]
        span = feats[pid]["when"]["timespans"][0]
        assert span["start"]["in"] == f"{ys['year_start'].min():04d}"
        assert span["end"]["in"] == f"{ys['year_end'].max():04d}"


# --------------------------------------------------------------------------- the build writes them

def test_build_writes_the_committed_exports(tmp_path):
    out = tmp_path / "out"
    build(RAW, out)
    for name in ("events.geojson", "places.geojson", "events.csv"):
        assert (out / name).read_bytes() == (PROCESSED / name).read_bytes(), \
            f"data/processed/{name} is stale: run `kdwars build`"
    assert not list(out.glob(".kdwars-build-*"))


def test_an_impossible_day_fails_the_build_cleanly(raw_copy, tmp_path, capsys):
    """31 February is refused (by the strict date parser, before the EDTF export) with a
    message naming the record and the phrase, and nothing is written."""
    from kdwars.cli import main

    path = next(f for f in (raw_copy / "events").glob("*.yaml")
                if '"15 February 1741"' in f.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace('"15 February 1741"', '"31 February 1741"', 1),
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--raw", str(raw_copy), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "31 February 1741" in err and "not a day of February 1741" in err  # the date parser refuses it
    assert "Traceback" not in err
    assert not list(out.glob("*.csv")) and not list(out.glob("*.geojson"))


@pytest.mark.parametrize("module", ["kdwars.exports", "kdwars.codebook"])
def test_public_functions_have_numpy_docstrings(module):
    import importlib
    import inspect

    mod = importlib.import_module(module)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        assert "Returns\n-------" in doc, f"{module}.{name}: no Returns section"
        params = list(inspect.signature(obj).parameters)
        if params:
            assert "Parameters\n----------" in doc, f"{module}.{name}: no Parameters section"
            for p in params:
                assert p in doc, f"{module}.{name}: parameter {p!r} undocumented"


def test_claim_level_date_basis_is_honoured():
    dates = pd.DataFrame({"event_id": ["e"], "year_start": [1665], "year_end": [1681], "month": [None],
                          "day": [None], "season": [None], "date_precision": ["years"], "qualifier": [None],
                          "date_basis": ["inferred"]})
    events = pd.DataFrame({"event_id": ["e"], "year_start": [1665], "year_end": [1681]})
    out = exports.add_date_edtf(events, dates)
    assert out["date_edtf"].tolist() == ["1665/1681"] and list(out.columns)[-1] == "date_edtf"
    dates.loc[0, ["year_end", "date_precision"]] = [1665, "year"]
    events.loc[0, "year_end"] = 1665
    assert exports.add_date_edtf(events, dates)["date_edtf"].tolist() == ["1665?"]


@pytest.mark.parametrize("cell", ["Ili; Ili valley", "Ili|Ili valley", '["Ili", "Ili valley"]', "Ili ; Ili valley"])
def test_multi_value_cells_are_read_whichever_separator(cell):
    assert exports._list_cell(cell) == ["Ili", "Ili valley"]


def test_approximate_alternatives_over_several_years_stay_valid_edtf():
    """Found by the property test: a qualified range inside a set is not EDTF; the years are listed."""
    from edtf import parse_edtf

    from kdwars.exports import edtf

    text = edtf(1000, 1002, qualifier="about or", date_precision="years")
    assert text == "[1000~,1001~,1002~]"
    parse_edtf(text)
