"""The public contract: loaders, their columns and types, name resolution."""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
from kdwars.datapackage import TABLE_SPECS

CONTRACT = {
    "load_events": ["event_id", "name", "event_type", "year_start", "year_end", "date_text",
                    "date_precision", "period", "stage", "place_id", "region", "lat", "lon",
                    "attacker", "defender", "winner", "summary", "sources"],
    "load_casualties": ["claim_id", "event_id", "side", "measure", "low", "high", "unit",
                        "qualitative", "as_written", "source_id", "section"],
    "load_commanders": ["event_id", "person_id", "side", "role", "fate", "source_id"],
    "load_people": ["person_id", "name", "aliases", "side"],
    "load_places": ["place_id", "name", "aliases", "kind", "lat", "lon", "region",
                    "modern_country", "precision"],
    "load_phases": ["scheme", "phase_id", "label", "start_year", "end_year"],
    "load_sources": ["source_id"],
}


@pytest.mark.parametrize("loader,cols", CONTRACT.items())
def test_contract_columns(loader, cols):
    df = getattr(kdwars, loader)()
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    missing = [c for c in cols if c not in df.columns]
    assert not missing, f"{loader} lacks {missing}"


def test_types():
    ev = kdwars.load_events()
    assert str(ev["year_start"].dtype) == "Int64" and str(ev["year_end"].dtype) == "Int64"
    assert ev["lat"].dtype == "float64" and ev["lon"].dtype == "float64"
    assert isinstance(ev["date_precision"].dtype, pd.CategoricalDtype) and ev["date_precision"].cat.ordered
    cas = kdwars.load_casualties()
    assert str(cas["low"].dtype) == "Int64" and str(cas["high"].dtype) == "Int64"
    assert cas["qualitative"].cat.ordered
    assert list(cas["qualitative"].cat.categories)[:3] == ["light", "moderate", "many"]
    people = kdwars.load_people()
    assert all(isinstance(a, list) for a in people["aliases"])


def test_loaders_return_fresh_copies():
    a = kdwars.load_events()
    a.loc[:, "name"] = "changed"
    assert (kdwars.load_events()["name"] != "changed").all()


def test_every_table_has_its_dictionary_columns():
    for table in TABLE_SPECS:
        df = kdwars.data._load(table)
        assert list(df.columns) == [f for f, _, _ in TABLE_SPECS[table][2]]


def test_event_ids_are_stable_slugs():
    ev = kdwars.load_events()
    assert ev["event_id"].is_unique
    assert ev["event_id"].str.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*").all()


def test_single_figure_has_low_equal_high_and_lower_bound_no_high():
    cas = kdwars.load_casualties()
    exact = cas[cas["precision"].isin(["exact", "approximate"])]
    assert (exact["low"] == exact["high"]).all()
    lower = cas[cas["precision"] == "lower-bound"]
    assert len(lower) > 0 and lower["high"].isna().all() and lower["low"].notna().all()
    unknown = cas[cas["precision"] == "unknown"]
    assert len(unknown) > 0 and unknown["low"].isna().all() and unknown["high"].isna().all()


@pytest.mark.parametrize("spelling,expected", [
    ("Abilqaiyr", "abul-khair-khan"), ("Abulkhair", "abul-khair-khan"), ("Abul Khair Khan", "abul-khair-khan"),
    ("ABUL KHAIR", "abul-khair-khan"),
])
def test_resolve_person_merges_transliterations(spelling, expected):
    assert kdwars.resolve_person(spelling) == expected


def test_namesakes_stay_apart():
    assert kdwars.resolve_person("Abu'l-Khayr Khan") != kdwars.resolve_person("Abul Khair Khan")
    assert kdwars.resolve_person("Galdan Boshugtu Khan") != kdwars.resolve_person("Galdan Tseren")


@pytest.mark.parametrize("a,b", [("Sairam", "Sayram"), ("Turkestan", "Turkistan"), ("Zhetysu", "Jetisu"),
                                 ("Semirechye", "Jetisu"), ("Suzak", "Sozak"), ("Ayaguz", "Ayagöz"),
                                 ("Ayagoz", "Ayaguz")])
def test_resolve_place_merges_spellings(a, b):
    assert kdwars.resolve_place(a) == kdwars.resolve_place(b)


def test_resolve_unknown_name_suggests_close_matches():
    with pytest.raises(KeyError) as exc:
        kdwars.resolve_place("Turkistn")
    assert "turkistan" in str(exc.value)
    with pytest.raises(KeyError) as exc:
        kdwars.resolve_person("Galdan Tsern")
    assert "galdan-tseren" in str(exc.value)
    with pytest.raises(ValueError):
        kdwars.resolve_person("")


def test_import_does_not_load_plotting_libraries():
    import subprocess
    import sys
    code = ("import sys, kdwars; kdwars.load_events(); "
            "print(sorted(m for m in ('matplotlib','seaborn','cartopy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_helpers_are_reachable_from_the_top_level():
    assert kdwars.by_phase is kdwars.analysis.by_phase
    assert callable(kdwars.plot_timeline) and callable(kdwars.plot_events_map)
    assert "plot_timeline" in dir(kdwars)
    with pytest.raises(AttributeError):
        _ = kdwars.no_such_function


# --------------------------------------------------------------------------- loaders check what they read


@pytest.fixture
def tables(tmp_path, monkeypatch):
    """Tables built from the tiny raw folder, which the loaders then read (KDWARS_DATA_DIR)."""
    from kdwars.build import build

    from ._mini import make_raw

    out = tmp_path / "out"
    build(make_raw(tmp_path), out)
    monkeypatch.setenv("KDWARS_DATA_DIR", str(out))
    return out


def _rewrite(out, table: str, text: str, rows: int | None = None) -> None:
    """Replace a table's text and record its new size and hash, as a careless tool would."""
    import hashlib
    import json

    path = out / f"{table}.csv"
    path.write_text(text, encoding="utf-8")
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for r in desc["resources"]:
        if r["path"] == path.name:
            data = path.read_bytes()
            r["bytes"], r["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
            if rows is not None:
                r["rows"] = rows
    (out / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")


def _refused(loader, *expected):
    with pytest.raises(kdwars.DataIntegrityError) as exc:
        loader()
    for text in expected:
        assert text in str(exc.value), str(exc.value)
    return str(exc.value)


def test_truncated_table_is_refused(tables):
    text = (tables / "events.csv").read_text(encoding="utf-8")
    (tables / "events.csv").write_text(text[: len(text) // 2], encoding="utf-8")
    _refused(kdwars.load_events, "events.csv", "bytes", "truncated")


def test_edited_table_with_the_same_size_is_refused(tables):
    text = (tables / "events.csv").read_text(encoding="utf-8")
    (tables / "events.csv").write_text(text.replace("kazakh", "kazakx", 1), encoding="utf-8")
    _refused(kdwars.load_events, "events.csv", "SHA-256")


def test_row_count_is_checked(tables):
    lines = (tables / "casualties.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    _rewrite(tables, "casualties", "".join(lines[:-1]))
    _refused(kdwars.load_casualties, "casualties.csv", "1 rows, but datapackage.json records 2")


def test_unknown_vocabulary_value_is_refused_not_made_missing(tables):
    text = (tables / "casualties.csv").read_text(encoding="utf-8")
    _rewrite(tables, "casualties", text.replace(",strength,", ",strenght,", 1))
    _refused(kdwars.load_casualties, "casualties.csv", "'measure'", "strenght")


def test_unknown_ordered_category_is_refused(tables):
    text = (tables / "events.csv").read_text(encoding="utf-8")
    _rewrite(tables, "events", text.replace(",years,", ",yaers,", 1))
    _refused(kdwars.load_events, "events.csv", "'date_precision'", "yaers")


def test_duplicate_primary_key_is_refused(tables):
    lines = (tables / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    _rewrite(tables, "events", "".join(lines + [lines[1]]), rows=len(lines))
    _refused(kdwars.load_events, "events.csv", "primary key ['event_id'] is not unique")


@pytest.mark.parametrize("mangle,expected", [
    (lambda lines: lines[:1] + [lines[1].replace(",1640,", ",16x40,", 1)] + lines[2:], "cannot be read"),
    (lambda lines: [], "cannot be read"),
    (lambda lines: lines[:1] + [lines[1].rstrip("\n") + ",surplus\n"] + lines[2:], "cannot be read"),
])
def test_unreadable_tables_name_the_file(tables, mangle, expected):
    lines = (tables / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    _rewrite(tables, "events", "".join(mangle(lines)))
    _refused(kdwars.load_events, "events.csv", expected)


def test_a_descriptor_without_hashes_is_refused(tables):
    import json

    desc = json.loads((tables / "datapackage.json").read_text(encoding="utf-8"))
    for r in desc["resources"]:
        r.pop("hash")
    (tables / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    _refused(kdwars.load_places, "places.csv", "no size, hash or row count")


def test_multi_value_columns_are_lists(tables):
    people = kdwars.load_people().set_index("person_id")
    assert people.loc["jangir-khan", "aliases"] == ["Jangir Khan", "Jangir"]
    assert people.loc["jangir-khan", "juz"] == ["middle"] and people.loc["erdeni-batur", "fate"] == ["KIA"]
    assert people.loc["erdeni-batur", "aliases"] == [] and people.loc["erdeni-batur", "juz"] == []
    ev = kdwars.load_events().set_index("event_id")
    assert ev.loc["battle-1643", "disputed"] == ["date"] and ev.loc["war-1640", "disputed"] == []
    assert ev.loc["battle-1643", "sources"] == ["overview"]
    people.loc["jangir-khan", "aliases"].append("edited")
    assert "edited" not in kdwars.load_people().set_index("person_id").loc["jangir-khan", "aliases"]


@pytest.mark.parametrize("alias", ["Orbulaq; Gorge", "Orbulaq\rGorge", 'Orbul"aq, Gorge'])
def test_values_round_trip_through_csv_or_are_refused(tmp_path, monkeypatch, alias):
    import json

    from kdwars.build import build
    from kdwars.raw import RawDataError

    from ._mini import PLACES, make_raw

    raw = make_raw(tmp_path, places=PLACES.replace("aliases: [Orbulak]", f"aliases: [Orbulak, {json.dumps(alias)}]"))
    try:
        build(raw, tmp_path / "out")
    except RawDataError:
        return  # refused with a located message (tested in test_strict_input / test_pipeline)
    monkeypatch.setenv("KDWARS_DATA_DIR", str(tmp_path / "out"))
    assert kdwars.load_places().set_index("place_id").loc["orbulaq", "aliases"] == ["Orbulak", alias]


def test_warm_loads_are_fast_and_see_a_rebuild(tables):
    import time

    kdwars.load_events()
    t0 = time.perf_counter()
    for _ in range(20):
        kdwars.load_events()
    assert (time.perf_counter() - t0) / 20 < 0.05
    text = (tables / "events.csv").read_text(encoding="utf-8")
    _rewrite(tables, "events", text.replace("A battle", "A renamed battle"))
    assert "A renamed battle" in set(kdwars.load_events()["name"])


def test_analysis_reads_the_list_columns(tables):
    from kdwars import analysis as A

    d = A.date_disagreements(kdwars.load_event_dates(), kdwars.load_events())
    assert set(d["event_id"]) == {"battle-1643"}  # 1643 against 1644; the war has one date claim
