"""Counting rules: each happening once (leaf or top level), between the sides asked about, contests only."""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
from kdwars.counting import counted_events, upper_hand_by_rule, win_counts

COLS = ["event_id", "event_type", "parent_event_id", "attacker", "defender", "winner", "period"]
EVENTS = pd.DataFrame([
    ["w", "war", None, "dzungar", "kazakh", "dzungar", "p1"],
    ["c", "campaign", "w", "dzungar", "kazakh", "dzungar", "p1"],
    ["b1", "battle", "c", "dzungar", "kazakh", "kazakh", "p1"],
    ["b2", "battle", "c", "dzungar", "kazakh", "dzungar", "p1"],
    ["c2", "campaign", "w", "kazakh", "dzungar", "kazakh", "p2"],
    ["t", "battle", "w", "dzungar", "yarkent", "dzungar", "p2"],
    ["o", "battle", None, "dzungar", "kazakh", "bukhara", "p2"],
    ["x", "treaty", None, "kazakh", "russia", None, "p2"],
], columns=COLS)
PHASES = pd.DataFrame({"scheme": ["period", "period"], "phase_id": ["p1", "p2"], "start_year": [1, 2]})
SIDES = pd.DataFrame({"event_id": ["o", "o"], "side": ["bukhara", "russia"], "camp": ["kazakh", "kazakh"],
                      "role": ["ally", "supplier"]})


def test_leaf_counts_the_battles_not_their_campaign():
    ids = set(counted_events(EVENTS, event_sides=SIDES)["event_id"])
    assert ids == {"b1", "b2", "c2", "o"}


def test_top_counts_the_campaign_not_its_battles():
    ids = set(counted_events(EVENTS, level="top", event_sides=SIDES)["event_id"])
    assert ids == {"c", "c2", "o"}


def test_third_parties_on_request():
    assert "t" not in set(counted_events(EVENTS)["event_id"])
    assert "t" in set(counted_events(EVENTS, sides=None)["event_id"])


def test_an_ally_wins_for_its_camp_and_a_supplier_is_no_combatant():
    ev = counted_events(EVENTS, event_sides=SIDES).set_index("event_id")
    assert ev.loc["o", "winner_camp"] == "kazakh"


def test_never_a_whole_war_or_a_non_contest():
    for level in ("leaf", "top"):
        ids = set(counted_events(EVENTS, level=level, sides=None)["event_id"])
        assert not ids & {"w", "x"}


def test_win_counts_per_phase():
    w = win_counts(EVENTS, PHASES, event_sides=SIDES)
    assert (w.loc["p1", "kazakh"], w.loc["p1", "dzungar"]) == (1, 1)
    assert (w.loc["p2", "kazakh"], w.loc["p2", "dzungar"]) == (2, 0)
    assert w.loc["p1", "upper_hand"] == "even" and w.loc["p2", "upper_hand"] == "kazakh"
    wide = win_counts(EVENTS, PHASES, event_sides=SIDES, restrict=False)
    assert wide.loc["p2", "dzungar"] == 1  # the Dzungar win over Yarkent, counted only on request


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="level"):
        counted_events(EVENTS, level="middle")


def test_real_data_no_counted_event_sits_inside_another():
    ev = kdwars.load_events()
    sides = kdwars.load_event_sides()
    parent = dict(zip(ev["event_id"], ev["parent_event_id"]))
    for level in ("leaf", "top"):
        ids = set(counted_events(ev, level=level, event_sides=sides)["event_id"])
        for e in ids:
            p = parent.get(e)
            while isinstance(p, str):
                assert p not in ids, (level, e, p)
                p = parent.get(p)


def test_real_data_rules_side_by_side():
    t = upper_hand_by_rule(kdwars.load_events(), kdwars.load_phases(), event_sides=kdwars.load_event_sides())
    assert set(t["rule"]) == {"leaf, both sides", "top, both sides", "leaf, any opponent"}
    per_rule = t.groupby("rule")["counted"].sum()
    # counting third parties too can only add events
    assert per_rule["leaf, any opponent"] >= per_rule["leaf, both sides"]
