"""Referential integrity and the dataset's promises (checked on the processed tables)."""

from __future__ import annotations

import pytest

import kdwars


@pytest.fixture(scope="module")
def t():
    return {
        "events": kdwars.load_events(), "cas": kdwars.load_casualties(), "cmd": kdwars.load_commanders(),
        "people": kdwars.load_people(), "places": kdwars.load_places(), "phases": kdwars.load_phases(),
        "sources": kdwars.load_sources(), "dates": kdwars.load_event_dates(),
        "outcomes": kdwars.load_event_outcomes(), "eplaces": kdwars.load_event_places(),
        "pclaims": kdwars.load_person_claims(), "coverage": kdwars.load_coverage(),
    }


def test_references_exist(t):
    ev_ids = set(t["events"]["event_id"])
    src = set(t["sources"]["source_id"])
    for name in ("cas", "cmd", "dates", "outcomes", "eplaces"):
        assert set(t[name]["event_id"]) <= ev_ids, name
        s = set(t[name]["source_id"].dropna())
        assert s <= src, (name, s - src)
    assert set(t["cmd"]["person_id"]) <= set(t["people"]["person_id"])
    assert set(t["pclaims"]["person_id"]) <= set(t["people"]["person_id"])
    assert set(t["eplaces"]["place_id"]) <= set(t["places"]["place_id"])
    assert set(t["events"]["place_id"]) <= set(t["places"]["place_id"])
    parents = set(t["events"]["parent_event_id"].dropna())
    assert parents <= ev_ids


def test_phases_exist_and_cover_events(t):
    """Each event's phase contains the start year of its leading (first) date claim."""
    ph = t["phases"]
    first = t["dates"].groupby("event_id", sort=False).first()
    for scheme, col in (("period", "period"), ("stage", "stage")):
        p = ph[ph["scheme"] == scheme].set_index("phase_id")
        assert t["events"][col].notna().all(), f"events without a {scheme}"
        assert set(t["events"][col]) <= set(p.index)
        for _, e in t["events"].iterrows():
            ph_row = p.loc[e[col]]
            y = first.loc[e["event_id"], "year_start"]
            assert ph_row["start_year"] <= y <= ph_row["end_year"], (e["event_id"], scheme)


def test_both_schemes(t):
    ph = t["phases"]
    periods = ph[ph["scheme"] == "period"]
    stages = ph[ph["scheme"] == "stage"]
    wars = periods[periods["phase_id"].str.startswith("war-")]
    assert len(wars) == 7
    assert {"first", "second", "third", "fourth"} <= set(stages["phase_id"])
    # the period scheme tiles the years without gaps or overlaps
    periods = periods.sort_values("start_year")
    assert (periods["start_year"].iloc[1:].to_numpy() == periods["end_year"].iloc[:-1].to_numpy() + 1).all()


def test_every_event_has_coordinates_in_the_region(t):
    ev = t["events"]
    assert ev["lat"].notna().all() and ev["lon"].notna().all()
    assert ev["lat"].between(25, 62).all()


def test_places_have_valid_coordinates(t):
    pl = t["places"]
    assert pl["lat"].between(-90, 90).all() and pl["lon"].between(-180, 180).all()
    assert set(pl["precision"]) <= {"exact", "approximate", "centroid"}


def test_every_disputed_event_carries_competing_claims(t):
    """Recomputed from the claim tables, independently of the build."""
    ev = t["events"].set_index("event_id")
    disputed = ev["disputed"].dropna()
    assert len(disputed) >= 10
    for event_id, aspects in disputed.items():
        for aspect in aspects.split(";"):
            if aspect == "date":
                d = t["dates"][t["dates"]["event_id"] == event_id]
                assert len(set(zip(d["year_start"], d["year_end"]))) > 1, event_id
            elif aspect == "outcome":
                o = t["outcomes"][t["outcomes"]["event_id"] == event_id]
                assert o["winner"].dropna().nunique() > 1, event_id
            elif aspect == "place":
                p = t["eplaces"][(t["eplaces"]["event_id"] == event_id) & (t["eplaces"]["role"] != "primary")]
                assert p["place_id"].nunique() > 1 and p["source_id"].nunique() > 1, event_id
            elif aspect == "figures":
                c = t["cas"][t["cas"]["event_id"] == event_id].copy()
                c["kind"] = c["kind"].fillna("")
                c["unit"] = c["unit"].fillna("")
                spread = c.groupby(["side", "measure", "kind", "unit"]).apply(
                    lambda g: len(set(zip(g["low"].astype(str), g["high"].astype(str), g["qualitative"].astype(str)))),
                    include_groups=False)
                assert (spread > 1).any(), event_id
            else:
                pytest.fail(f"unknown dispute aspect {aspect!r}")


def test_winner_disputed_when_outcomes_differ(t):
    o = t["outcomes"].dropna(subset=["winner"]).groupby("event_id")["winner"].nunique()
    ev = t["events"].set_index("event_id")
    for event_id, n in o.items():
        assert (ev.loc[event_id, "winner"] == "disputed") == (n > 1), event_id


def test_orbulaq_keeps_both_sources_figures(t):
    c = t["cas"][t["cas"]["event_id"].str.contains("orbulaq")]
    dz = c[(c["side"] == "dzungar") & (c["measure"] == "strength")]
    assert {"overview", "overview-old"} <= set(dz["source_id"])
    assert {(25000, 50000), (2000, 15000)} <= set(zip(dz["low"], dz["high"]))
    kz = c[(c["side"] == "kazakh") & (c["measure"] == "strength")]
    assert {(600, 600), (600, 800)} <= set(zip(kz["low"], kz["high"]))


def test_1635_1658_commanders_with_fates(t):
    cmd = t["cmd"]
    war = cmd[cmd["event_id"] == "war-1635-1658"]
    fates = war.dropna(subset=["fate"]).groupby("person_id")["fate"].agg(set)
    assert fates[kdwars.resolve_person("Abushuker Noyan")] == {"KIA"}
    assert "POW" in fates[kdwars.resolve_person("Salqam Khan")]
    assert kdwars.resolve_person("Erdeni Batur") in set(war["person_id"])


def test_known_disputes_are_kept(t):
    ev = t["events"].set_index("event_id")
    def aspects(pattern):
        rows = ev[ev.index.str.contains(pattern)]
        return set(";".join(rows["disputed"].dropna()).split(";"))
    assert "date" in aspects("anrakai")
    assert "place" in aspects("anrakai")
    assert "date" in aspects("ayagoz")
    assert "outcome" in aspects("war-1739-1741")
    assert "figures" in aspects("orbulaq")


def test_coverage_every_section_has_claims(t):
    cov = t["coverage"]
    empty = cov[(cov["n_claims"] == 0) & (cov["section"] != "Popular culture")]
    assert empty.empty, f"sections with no claims: {empty[['source_id', 'section']].values.tolist()}"
    assert cov["n_claims"].sum() >= 300


def test_claim_counts(t):
    assert len(t["events"]) >= 100
    assert len(t["cas"]) >= 80  # every figure the five articles give (they hold fewer than a hundred)
    assert t["cas"]["claim_id"].is_unique


def test_unknown_is_not_zero(t):
    c = t["cas"]
    unknown = c[c["as_written"].str.lower() == "unknown"]
    assert len(unknown) >= 1
    assert unknown["low"].isna().all() and unknown["high"].isna().all()
    assert not (c["low"] == 0).any()


def test_as_written_is_a_phrase_not_a_sentence(t):
    for name in ("cas", "dates"):
        lengths = t[name]["as_written"].str.split().str.len()
        assert lengths.max() <= 12, t[name].loc[lengths.idxmax(), "as_written"]
