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
        kdwars.no_such_function  # noqa: B018 - the attribute access is what raises
