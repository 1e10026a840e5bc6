"""The readings of notebook 03 (regions), checked against the data.

Every number, ranking or comparison stated in the prose of ``notebooks/03-regions.ipynb``
is asserted here. Expected values are computed from the loaders in this file (the
counting rule is re-derived here from ``events`` and ``event_sides``, not taken from
:mod:`kdwars.counting`), never copied from a notebook output.
"""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
from kdwars import analysis as A
from kdwars.counting import counted_events

CONTESTS = {"campaign", "invasion", "battle", "siege", "city-capture", "raid"}  # wars only contain them
SOUTH = {"syr-darya", "tashkent-oasis", "jetisu", "chu-talas"}


@pytest.fixture(scope="module")
def events():
    return kdwars.load_events()


@pytest.fixture(scope="module")
def sides():
    return kdwars.load_event_sides()


def _camps(events, sides):
    camps: dict[str, dict[str, str]] = {}
    fighting = sides[sides["role"].isin(["principal", "ally"])]
    for e, s, c in zip(fighting["event_id"], fighting["side"], fighting["camp"]):
        camps.setdefault(e, {})[s] = c
    for e, a, d in zip(events["event_id"], events["attacker"], events["defender"]):
        for side in (a, d):
            if isinstance(side, str):
                camps.setdefault(e, {}).setdefault(side, side)
    return camps


def _contests(events, sides, level="leaf"):
    """Kazakh–Dzungar contests, each happening once, derived here from the loaders."""
    parent = dict(zip(events["event_id"], events["parent_event_id"]))

    def ancestors(e):
        p = parent.get(e)
        while isinstance(p, str):
            yield p
            p = parent.get(p)

    c = events[events["event_type"].isin(CONTESTS)]
    ids = set(c["event_id"])
    if level == "leaf":
        inner = {a for e in ids for a in ancestors(e)}
        c = c[~c["event_id"].isin(inner)]
    else:
        c = c[[not any(a in ids for a in ancestors(e)) for e in c["event_id"]]]
    camps = _camps(events, sides)
    c = c[[{"kazakh", "dzungar"} <= set(camps.get(e, {}).values()) for e in c["event_id"]]]
    won = [camps.get(e, {}).get(w, w) if isinstance(w, str) else "unknown" for e, w in zip(c["event_id"], c["winner"])]
    return c.assign(camp_won=won)


@pytest.fixture(scope="module")
def leaf(events, sides):
    return _contests(events, sides)


def test_the_derivation_here_agrees_with_the_package_rule(events, sides, leaf):
    assert set(leaf["event_id"]) == set(counted_events(events, event_sides=sides)["event_id"])
    top = _contests(events, sides, level="top")
    assert set(top["event_id"]) == set(counted_events(events, level="top", event_sides=sides)["event_id"])


def test_syr_darya_has_most_contests_and_three_quarters_dzungar_wins(leaf):
    counts = leaf["region"].value_counts()
    assert len(leaf) == 74
    assert counts.idxmax() == "syr-darya" and counts["syr-darya"] == 20
    assert (counts.drop("syr-darya") < 20).all()
    syr = leaf[leaf["region"] == "syr-darya"]["camp_won"].value_counts()
    assert syr["dzungar"] == 15 and syr["dzungar"] / 20 == 0.75


def test_region_ranking_under_the_default_rule(leaf):
    counts = leaf["region"].value_counts()
    assert counts["central-kazakhstan"] == 14 and counts.drop("syr-darya").idxmax() == "central-kazakhstan"
    assert counts["jetisu"] == counts["dzungaria"] == 10
    assert counts["chu-talas"] == 4
    assert set(leaf.loc[leaf["region"] == "chu-talas", "camp_won"]) == {"dzungar"}


def test_counted_by_campaign_four_regions_tie(events, sides):
    counts = _contests(events, sides, level="top")["region"].value_counts()
    top = counts[counts == counts.max()]
    assert counts.max() == 11
    assert set(top.index) == {"central-kazakhstan", "jetisu", "syr-darya", "dzungaria"}


def test_kazakh_wins_outnumber_dzungar_wins_in_dzungaria_and_jetisu(leaf):
    won = pd.crosstab(leaf["region"], leaf["camp_won"])
    assert (won.loc["dzungaria", "kazakh"], won.loc["dzungaria", "dzungar"]) == (5, 2)
    assert (won.loc["jetisu", "kazakh"], won.loc["jetisu", "dzungar"]) == (5, 4)
    # and these are the only regions where that is so (with more than one contest)
    more = won[(won.get("kazakh", 0) > won.get("dzungar", 0)) & (won.sum(axis=1) > 1)]
    assert set(more.index) == {"dzungaria", "jetisu"}


def test_the_theatre_by_phase(leaf):
    early = leaf[leaf["period"].isin(["war-1635-1658", "interwar-1659-1680", "war-1681-1684"])]
    assert len(early) == 21 and early["region"].isin(SOUTH).sum() == 20

    def top(period):
        c = leaf.loc[leaf["period"] == period, "region"].value_counts()
        assert (c == c.max()).sum() == 1, period  # a single region has the most
        return c.idxmax()

    assert top("war-1708-1718") == "central-kazakhstan"
    assert top("war-1723-1730") == "syr-darya"
    in_war = leaf.groupby("period")["region"].value_counts()
    assert (in_war[("war-1708-1718", "central-kazakhstan")], (leaf["period"] == "war-1708-1718").sum()) == (5, 13)
    assert (in_war[("war-1723-1730", "syr-darya")], (leaf["period"] == "war-1723-1730").sum()) == (6, 14)
    assert top("war-1731-1735") == "irtysh-altai"
    assert top("war-1739-1741") == "central-kazakhstan"


# --------------------------------------------------------------------------- city control

@pytest.fixture(scope="module")
def control(events):
    return A.city_control(events, kdwars.load_event_places(), ["turkistan", "sayram", "tashkent"],
                          start=1635, end=1741, by="year").set_index(["place_id", "year"])


def test_turkistan_kazakh_in_every_statement_between_the_1640s_and_1723(control):
    t = control.loc["turkistan"]
    known = t.loc[1647:1722]
    known = known[known["basis"] != "unknown"]
    assert set(known["holder"]) == {"kazakh"}
    assert set(known[known["basis"] == "recorded"].index) == {1681, 1682, 1683, 1684, 1718}
    assert list(known[known["basis"] == "inferred"].index) == [1719, 1720, 1721, 1722]
    assert (t.loc[1647:1680, "basis"] == "unknown").all() and (t.loc[1685:1717, "basis"] == "unknown").all()
    assert (t.loc[1647:1717, "basis"] == "unknown").sum() > (1717 - 1647 + 1) / 2  # "most of 1647-1717"
    assert t.loc[1643, "holder"] == t.loc[1646, "holder"] == "dzungar"  # the captures of the 1640s


def test_turkistan_changed_hands_three_times_in_1723_1725(control, events):
    t = control.loc["turkistan"]
    assert [t.loc[y, "holder"] for y in (1722, 1723, 1724, 1725)] == ["kazakh", "dzungar", "kazakh", "dzungar"]
    caps = events[(events["place_id"] == "turkistan") & (events["event_type"] == "city-capture")
                  & events["year_start"].between(1723, 1725)]
    assert len(caps) == 3


def test_sayram_held_out_twice_then_fell_in_1684(control, events):
    sieges = events[(events["event_type"] == "siege") & (events["place_id"] == "sayram")]
    assert sorted(sieges["year_start"]) == [1681, 1683]
    assert (sieges["winner"] == "kazakh").all() and (sieges["attacker"] == "dzungar").all()
    s = control.loc["sayram"]
    assert s.loc[1681, "holder"] == s.loc[1683, "holder"] == "kazakh" and s.loc[1684, "holder"] == "dzungar"


def test_1734_disputed_1735_dzungar(control):
    for city in ("turkistan", "sayram", "tashkent"):
        assert control.loc[(city, 1734), "holder"] == "disputed"
        assert control.loc[(city, 1735), "holder"] == "dzungar"


# --------------------------------------------------------------------------- the Barefooted Flight

@pytest.fixture(scope="module")
def flight():
    ep = kdwars.load_event_places()
    f = ep[(ep["event_id"] == "barefooted-flight-1723") & ep["role"].isin(["destination", "route"])]
    return f.explode("juz")


def _where(flight, source, juz):
    f = flight[flight["source_id"] == source]
    return set(f.loc[f["juz"].isna() if juz is None else f["juz"] == juz, "place_id"])


def test_flight_by_juz_as_the_readings_say(flight):
    assert _where(flight, "overview", "senior") == {"tashkent", "khujand", "fergana-valley", "kara-tegin", "pamirs"}
    assert _where(flight, "overview", "middle") == {"tashkent", "khujand", "fergana-valley", "kara-tegin", "pamirs",
                                                    "samarkand"}
    assert _where(flight, "overview", "junior") == {"khiva", "bukhara"}
    assert _where(flight, "overview-old", "senior") == {"syr-darya", "khujand"}
    assert "tobolsk" in _where(flight, "overview-old", "middle")
    assert _where(flight, "overview-old", "junior") == {"ural-river", "or-river", "irghiz-river", "russia"}
    assert _where(flight, "war1723", None) == {"samarkand", "bukhara", "russia", "emba-river", "ural-river", "aral-sea"}


def test_the_two_overviews_send_the_junior_juz_in_opposite_directions(flight, events):
    places = kdwars.load_places().set_index("place_id")
    origin = events.set_index("event_id").loc["barefooted-flight-1723"]
    south = _where(flight, "overview", "junior")
    north = _where(flight, "overview-old", "junior")
    assert (places.loc[list(south), "lat"] < origin["lat"]).all()
    assert (places.loc[list(north), "lat"] > origin["lat"]).all()
    assert (places.loc[list(north), "lon"] < origin["lon"]).all()  # north-west


# --------------------------------------------------------------------------- Anrakai

def test_anrakai_near_balkhash_or_alakol(events):
    ep = kdwars.load_event_places()
    near = ep[(ep["event_id"] == "battle-of-anrakai-1729") & (ep["role"] == "near")]
    by = dict(zip(near["source_id"], near["place_id"]))
    assert by == {"overview": "lake-balkhash", "overview-old": "lake-alakol"}
    assert "120 km" in near.loc[near["source_id"] == "overview", "as_written"].iloc[0]
    places = kdwars.load_places().set_index("place_id")
    assert places.loc["lake-alakol", "lon"] > places.loc["lake-balkhash", "lon"]  # further east
    e = events.set_index("event_id").loc["battle-of-anrakai-1729"]
    assert e["place_id"] == "anrakai" and "place" in e["disputed"]
    assert places.loc["anrakai", "lat"] < places.loc["lake-balkhash", "lat"]  # south of the lake


def test_most_contests_sit_on_area_points_not_sites(leaf):
    area = leaf["place_precision"].isin(["centroid", "region", "country"])
    assert area.sum() > len(leaf) / 2
