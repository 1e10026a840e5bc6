"""Referential integrity and the dataset's promises (checked on the processed tables)."""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
import kdwars.schema


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
    """Each event's phase contains the start year of its leading (first) date claim, or the
    lower bound of an inferred date."""
    ph = t["phases"]
    first = t["dates"].groupby("event_id", sort=False).first()["year_start"]
    inferred = t["events"].loc[t["events"]["date_basis"] == "inferred"].set_index("event_id")["year_start"]
    first = pd.concat([first, inferred])
    for scheme, col in (("period", "period"), ("stage", "stage")):
        p = ph[ph["scheme"] == scheme].set_index("phase_id")
        assert t["events"][col].notna().all(), f"events without a {scheme}"
        assert set(t["events"][col]) <= set(p.index)
        for _, e in t["events"].iterrows():
            ph_row = p.loc[e[col]]
            y = first.loc[e["event_id"]]
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


def test_a_stated_date_is_the_envelope_of_its_own_date_claims(t):
    ev = t["events"].set_index("event_id")
    stated = ev[ev["date_basis"] == "stated"]
    env = t["dates"].groupby("event_id").agg(lo=("year_start", "min"), hi=("year_end", "max"))
    assert set(stated.index) <= set(env.index), "a stated event without date claims"
    joined = stated.join(env)
    assert (joined["year_start"] == joined["lo"]).all() and (joined["year_end"] == joined["hi"]).all()
    assert stated["date_note"].isna().all()


def test_an_inferred_date_has_bounds_a_note_and_no_claims(t):
    ev = t["events"]
    inferred = ev[ev["date_basis"] == "inferred"]
    assert not set(inferred["event_id"]) & set(t["dates"]["event_id"])
    assert inferred["date_note"].notna().all() and (inferred["date_note"].str.len() > 20).all()
    assert (inferred["year_end"] >= inferred["year_start"]).all()
    assert inferred["date_text"].str.endswith("(inferred)").all()
    # never narrower than a year: no month, season or day precision
    assert set(inferred["date_precision"].astype(str)) <= {"year", "years", "decade", "century"}
    assert set(ev["date_basis"]) <= {"stated", "inferred"}


def test_a_stated_place_is_one_of_the_events_own_place_claims(t):
    ev = t["events"].set_index("event_id")
    ep = t["eplaces"]
    primary = ep[ep["role"] == "primary"].set_index("event_id")
    claimed = ep[ep["role"] != "primary"].groupby("event_id")["place_id"].agg(set)
    for event_id, row in ev[ev["place_basis"] == "stated"].iterrows():
        assert row["place_id"] in claimed.get(event_id, set()), event_id
        assert pd.notna(primary.loc[event_id, "source_id"]), event_id


def test_an_inferred_place_says_why(t):
    ev = t["events"]
    inferred = ev[ev["place_basis"] == "inferred"]
    assert inferred["place_note"].notna().all()
    unaudited = inferred[inferred["place_note"].str.contains("UNAUDITED")]
    assert unaudited.empty, f"{len(unaudited)} places not audited: {list(unaudited['event_id'][:10])}"


def test_only_contests_have_winners(t):
    ev = t["events"].set_index("event_id")
    contests = set(kdwars.schema.CONTEST_TYPES)
    assert ev.loc[~ev["event_type"].isin(contests), "winner"].isna().all()
    won = t["outcomes"].dropna(subset=["winner"])
    assert ev.loc[won["event_id"], "event_type"].isin(contests).all()


def test_event_sides_name_the_camps(t):
    sides = kdwars.load_event_sides()
    ev = t["events"].set_index("event_id")
    assert set(sides["role"]) <= {"principal", "ally", "supplier", "host", "mediator"}
    assert sides.loc[sides["basis"] == "stated", "source_id"].notna().all()
    assert sides.loc[sides["basis"] == "derived", "source_id"].isna().all()
    # every attacker and defender is a principal in its own camp
    for event_id, row in ev.dropna(subset=["attacker"]).iterrows():
        mine = sides[sides["event_id"] == event_id]
        if row["attacker"] not in ("both", "none"):
            assert row["attacker"] in set(mine["side"]), event_id


def test_every_gazetteer_place_is_used(t):
    used = set(t["eplaces"]["place_id"])
    unused = sorted(set(t["places"]["place_id"]) - used)
    assert not unused, f"places attached to no event: {unused}"


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
