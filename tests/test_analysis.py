"""Analysis helpers: checked on small hand-made tables where the answer is known,
and on the real tables for invariants."""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
from kdwars import analysis as A

PHASES = pd.DataFrame({
    "scheme": ["period", "period", "stage"], "phase_id": ["p2", "p1", "s1"], "label": ["P2", "P1", "S1"],
    "start_year": [1700, 1600, 1600], "end_year": [1799, 1699, 1799],
})


def ev(rows):
    cols = ["event_id", "event_type", "year_start", "year_end", "period", "stage", "winner", "attacker",
            "place_id", "region", "parent_event_id", "name"]
    df = pd.DataFrame(rows, columns=cols)
    df["year_start"] = df["year_start"].astype("Int64")
    df["year_end"] = df["year_end"].astype("Int64")
    return df


EVENTS = ev([
    ["a", "battle", 1650, 1650, "p1", "s1", "dzungar", "dzungar", "turkistan", "syr-darya", None, "A"],
    ["b", "battle", 1660, 1660, "p1", "s1", "dzungar", "dzungar", "sayram", "syr-darya", None, "B"],
    ["c", "siege", 1710, 1710, "p2", "s1", "kazakh", "dzungar", "sayram", "syr-darya", None, "C"],
    ["d", "city-capture", 1720, 1720, "p2", "s1", "dzungar", "dzungar", "turkistan", "syr-darya", None, "D"],
    ["e", "city-capture", 1730, 1730, "p2", "s1", "disputed", "kazakh", "turkistan", "syr-darya", None, "E"],
    ["w", "war", 1600, 1799, "p1", "s1", "inconclusive", None, "jetisu", "jetisu", None, "W"],
    ["f", "council", 1725, 1725, "p2", "s1", None, None, "ordabasy", "syr-darya", None, "F"],
    ["g", "battle", 1726, 1726, "p2", "s1", "kazakh", "kazakh", "ulytau", "central-kazakhstan", "w", "G"],
])


def test_by_phase_orders_phases_chronologically_and_counts():
    t = A.by_phase(EVENTS, PHASES, "period", "winner")
    assert list(t.index) == ["p1", "p2"]
    assert t.loc["p1", "dzungar"] == 2 and t.loc["p2", "kazakh"] == 2
    assert t.to_numpy().sum() == len(EVENTS)


def test_upper_hand_excludes_wars_and_names_the_leader():
    t = A.upper_hand(EVENTS, PHASES)
    assert t.loc["p1", "dzungar"] == 2 and t.loc["p1", "kazakh"] == 0
    assert t.loc["p1", "upper_hand"] == "dzungar"
    assert t.loc["p2", "kazakh"] == 2 and t.loc["p2", "dzungar"] == 1 and t.loc["p2", "disputed"] == 1
    assert t.loc["p2", "upper_hand"] == "kazakh" and t.loc["p2", "balance"] == 1
    assert t["inconclusive"].sum() == 0  # the war is not counted


def test_events_per_decade_fills_empty_decades():
    t = A.events_per_decade(EVENTS, "event_type", start=1640, end=1740)
    assert list(t.index) == list(range(1640, 1740, 10))
    assert t.loc[1670].sum() == 0 and t.loc[1720].sum() == 3


def test_city_control_follows_captures_not_battles():
    places = pd.DataFrame({"event_id": list("abcde"),
                           "place_id": ["turkistan", "sayram", "sayram", "turkistan", "turkistan"],
                           "role": ["primary"] * 5})
    c = A.city_control(EVENTS, places, ["turkistan", "sayram"], start=1640, end=1740,
                       by="year").set_index(["place_id", "year"])
    assert c.loc[("turkistan", 1650), "holder"] == "unknown"  # a battle is not a capture
    assert c.loc[("turkistan", 1720), "holder"] == "dzungar"
    assert c.loc[("turkistan", 1730), "holder"] == "disputed"
    assert c.loc[("turkistan", 1735), "holder"] == "unknown"  # never carried past the last record
    assert c.loc[("sayram", 1709), "holder"] == "unknown"
    assert c.loc[("sayram", 1710), "holder"] == "kazakh"  # a failed siege: the defenders held


def claims(rows):
    df = pd.DataFrame(rows, columns=["claim_id", "event_id", "side", "measure", "kind", "low", "high", "unit",
                                     "qualitative", "precision", "source_id", "attributed_to"])
    df["low"] = df["low"].astype("Int64")
    df["high"] = df["high"].astype("Int64")
    return df


def test_top_level_claims_never_count_a_battle_twice():
    c = claims([["1", "w", "kazakh", "captured", None, 3000, 3000, "people", None, "exact", "s1", None],
                ["2", "g", "kazakh", "captured", None, 200, 200, "people", None, "exact", "s1", None],
                ["3", "g", "dzungar", "captured", None, 50, 50, "people", None, "exact", "s1", None]])
    kept = A.top_level_claims(c, EVENTS)
    assert list(kept["claim_id"]) == ["1", "3"]


def test_totals_sum_envelopes_and_keep_open_bounds_open():
    c = claims([["1", "a", "kazakh", "captured", None, 100, 200, "people", None, "range", "s1", None],
                ["2", "a", "kazakh", "captured", None, 150, 150, "men", None, "exact", "s2", None],
                ["3", "b", "kazakh", "captured", None, 1000, None, "people", None, "lower-bound", "s1", None],
                ["4", "c", "kazakh", "captured", None, 10, 10, "families", None, "exact", "s1", None]])
    t = A.totals_by_phase(c, EVENTS, PHASES, "captured", unit=("people", "men")).set_index(["period", "side"])
    row = t.loc[("p1", "kazakh")]
    assert row["low"] == 100 + 1000  # event a: envelope 100–200 (people and men merged), event b: ≥1000
    assert pd.isna(row["high"]) and row["n_events"] == 2
    assert "p2" not in t.index.get_level_values(0)  # families are another unit


def test_force_ratio_larger_army_and_outcome():
    c = claims([["1", "a", "kazakh", "strength", "initial", 600, 800, "men", None, "range", "s1", None],
                ["2", "a", "dzungar", "strength", "initial", 2000, 50000, "men", None, "range", "s1", None],
                ["3", "b", "kazakh", "strength", None, 30000, 30000, "men", None, "exact", "s1", None],
                ["4", "b", "dzungar", "strength", None, 20000, 40000, "men", None, "range", "s1", None]])
    r = A.force_ratio(c, EVENTS).set_index("event_id")
    assert r.loc["a", "larger"] == "dzungar" and r.loc["a", "ratio_high"] == pytest.approx(0.4)
    assert bool(r.loc["a", "larger_won"]) is True
    assert r.loc["b", "larger"] == "unclear" and pd.isna(r.loc["b", "larger_won"])


def test_force_ratio_counts_coalitions():
    """An ally's army joins its camp; a supplier's does not."""
    c = claims([["1", "a", "kazakh", "strength", "detachment", 600, 600, "men", None, "exact", "s1", None],
                ["2", "a", "bukhara", "strength", "relief", 15000, 20000, "men", None, "range", "s1", None],
                ["3", "a", "dzungar", "strength", "initial", 10000, 10000, "men", None, "exact", "s1", None],
                ["4", "a", "russia", "strength", None, 500, 500, "men", None, "exact", "s1", None]])
    sides = pd.DataFrame({"event_id": ["a"] * 4, "side": ["kazakh", "bukhara", "dzungar", "russia"],
                          "camp": ["kazakh", "kazakh", "dzungar", "kazakh"],
                          "role": ["principal", "ally", "principal", "supplier"]})
    alone = A.force_ratio(c, EVENTS).set_index("event_id")
    assert alone.loc["a", "larger"] == "dzungar"
    camps = A.force_ratio(c, EVENTS, event_sides=sides).set_index("event_id")
    assert (camps.loc["a", "kazakh_low"], camps.loc["a", "kazakh_high"]) == (15600, 20600)
    assert camps.loc["a", "kazakh_sides"] == "bukhara;kazakh"
    assert camps.loc["a", "larger"] == "kazakh"


def test_date_disagreements_leave_out_refinements():
    dates = pd.DataFrame({"claim_id": ["a1", "a2", "b1", "b2"], "event_id": ["a", "a", "b", "b"],
                          "as_written": ["1643", "1644", "1645–1646", "1646"],
                          "year_start": [1643, 1644, 1645, 1646], "year_end": [1643, 1644, 1646, 1646],
                          "source_id": ["s1", "s2", "s1", "s2"], "section": ["x"] * 4, "attributed_to": [None] * 4})
    events = pd.DataFrame({"event_id": ["a", "b"], "name": ["A", "B"], "disputed": ["date", None]})
    out = A.date_disagreements(dates, events)
    assert set(out["event_id"]) == {"a"} and set(out["spread"]) == {1}


def test_disagreeing_pairs_and_matrix():
    dates = pd.DataFrame({"claim_id": ["x", "y", "z"], "event_id": ["a", "a", "a"], "year_start": [1729, 1729, 1729],
                          "year_end": [1729, 1730, 1729], "source_id": ["s1", "s1", "s2"],
                          "attributed_to": ["Moiseev", "Kadyrbaev", None]})
    outcomes = pd.DataFrame({"event_id": ["w", "w"], "winner": ["kazakh", "dzungar"], "source_id": ["s1", "s1"],
                             "attributed_to": ["Kadyrbaev", "Barthold"]})
    conflicts = A.disagreeing_pairs(dates, outcomes, claims([]))
    assert set(zip(conflicts["aspect"], conflicts["witness_a"])) == {("outcome", "s1 (Barthold)")}
    pairs = A.disagreeing_pairs(dates, outcomes, claims([]), relations=("conflicts", "refines", "overlaps"))
    got = set(zip(pairs["aspect"], pairs["witness_a"], pairs["witness_b"]))
    assert got == {("date", "s1 (Kadyrbaev)", "s1 (Moiseev)"), ("date", "s1 (Kadyrbaev)", "s2"),
                   ("outcome", "s1 (Barthold)", "s1 (Kadyrbaev)")}
    m = A.disagreement_matrix(pairs)
    assert (m.to_numpy() == m.to_numpy().T).all() and m.loc["s1 (Kadyrbaev)"].sum() == 3


def test_helpers_reject_missing_columns():
    with pytest.raises(ValueError, match="needs columns"):
        A.by_phase(EVENTS.drop(columns="winner"), PHASES, column="winner")


# ---- invariants on the real tables


@pytest.fixture(scope="module")
def real():
    return dict(events=kdwars.load_events(), phases=kdwars.load_phases(), cas=kdwars.load_casualties(),
                cmd=kdwars.load_commanders(), people=kdwars.load_people())


def test_commander_records_add_up(real):
    r = A.commander_records(real["cmd"], real["events"], real["people"])
    assert (r["events"] == r["won"] + r["lost"] + r["undecided"]).all()
    assert (r["first_year"] <= r["last_year"]).all()
    assert r.loc["abul-khair-khan", "events"] >= 5


def test_opponents_only_pairs_opposing_sides(real):
    m = A.opponents(real["cmd"], real["events"])
    sides = real["people"].set_index("person_id")["side"]
    assert set(sides[m.index]) == {"kazakh"} and set(sides[m.columns]) == {"dzungar"}


def test_crosswalk_counts_every_event_once(real):
    cross = A.phase_crosswalk(real["events"], real["phases"])
    assert cross.to_numpy().sum() == len(real["events"])


def test_alias_merges_include_abul_khair(real):
    merges = A.alias_merges(real["people"], real["cmd"]).set_index("person_id")
    assert merges.loc["abul-khair-khan", "n_spellings"] >= 3


def test_phase_results_are_the_war_events_verdicts(real):
    res = A.phase_results(kdwars.load_event_outcomes(), real["phases"])
    wars = set(res["phase_id"])
    assert {"war-1635-1658", "war-1723-1730", "war-1739-1741"} <= wars
    row = res[(res["phase_id"] == "war-1723-1730") & (res["section"] == "Infobox")]
    assert list(row["as_written"]) == ["Pyrrhic Kazakh victory"] and list(row["winner"]) == ["kazakh"]
    assert set(res.loc[res["phase_id"] == "war-1739-1741", "winner"]) == {"dzungar", "kazakh"}


def test_every_event_type_has_a_category():
    from kdwars.schema import EVENT_TYPES
    cats = A.event_category(pd.Series(list(EVENT_TYPES)))
    assert cats.notna().all() and cats.nunique() <= 6
    with pytest.raises(ValueError, match="without a category"):
        A.event_category(pd.Series(["duel"]))


def test_coverage_matrix_keeps_every_section_in_order():
    cov = kdwars.load_coverage()
    m = A.coverage_matrix(cov, flat=True)
    assert len(m) == len(cov) and m.index[0] == f"{cov['source_id'].iloc[0]} · {cov['section'].iloc[0]}"
    assert (m.sum(axis=1).to_numpy() == cov["n_claims"].to_numpy()).all()
