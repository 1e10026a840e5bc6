"""Claim cards and chronologies: every claim about an event, every event of a war, each with its sources."""

from __future__ import annotations

import pytest

import kdwars
from kdwars.cards import chronology, claim_card

CARD_EVENTS = ["battle-of-orbulaq-1643", "battle-of-bulanty-1726", "battle-of-anrakai-1729"]


@pytest.mark.parametrize("event_id", CARD_EVENTS)
def test_a_card_holds_every_claim_of_the_event(event_id):
    card = claim_card(event_id)
    expected = set()
    for table in (kdwars.load_event_dates(), kdwars.load_casualties(), kdwars.load_event_outcomes(),
                  kdwars.load_commanders(), kdwars.load_event_places(), kdwars.load_event_sides()):
        expected |= set(table.loc[table["event_id"] == event_id, "claim_id"].dropna())
    assert set(card["claim_id"].dropna()) == expected
    stated = card[card["claim_id"].notna()]
    assert stated["source_id"].notna().all() and stated["section"].notna().all()
    assert card.attrs["event_id"] == event_id


def test_the_card_shows_the_conflicts():
    card = claim_card("battle-of-orbulaq-1643")
    conflicts = card.attrs["conflicts"]
    assert {"25,000 to 50,000", "2000-15.000"} <= set(conflicts["value_a"]) | set(conflicts["value_b"])


def test_an_unknown_event_is_named_with_close_matches():
    with pytest.raises(KeyError, match="close matches: battle-of-orbulaq-1643"):
        claim_card("battle-of-orbulak")


def test_a_chronology_lists_the_wars_events_in_order_with_citations():
    chron = chronology("war-1723-1730")
    ev = kdwars.load_events()
    assert set(chron["event_id"]) == set(ev.loc[ev["period"] == "war-1723-1730", "event_id"])
    years = ev.set_index("event_id").loc[chron["event_id"], "year_start"].tolist()
    assert years == sorted(years)
    assert chron["cited"].notna().all()
    assert chron.loc[chron["date_basis"] == "inferred", "date_text"].str.endswith("(inferred)").all()


def test_an_unknown_war_is_an_error():
    with pytest.raises(KeyError, match="unknown period"):
        chronology("war-1900")
