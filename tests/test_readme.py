"""The counts the README states are the data's counts (a reading is a claim too)."""

from __future__ import annotations

import re

import kdwars

from .conftest import REPO


def _stated(label: str) -> int:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\*\*([\d,]+) " + label + r"\*\*", text)
    assert m, f"README states no count of {label}"
    return int(m.group(1).replace(",", ""))


def test_readme_counts_match_the_tables():
    events = kdwars.load_events()
    claims = (len(kdwars.load_event_dates()) + len(kdwars.load_event_outcomes())
              + kdwars.load_event_places()["claim_id"].notna().sum() + len(kdwars.load_casualties())
              + len(kdwars.load_commanders()) + kdwars.load_event_sides()["claim_id"].notna().sum()
              + len(kdwars.load_person_claims()))
    assert _stated("events") == len(events)
    assert _stated("claims") == claims
    assert _stated("people") == len(kdwars.load_people())
    assert _stated("places") == len(kdwars.load_places())
    assert int(re.search(r"\*\*(\d+) events\*\* that no sentence dates", (REPO / "README.md").read_text()).group(1)) == \
        (events["date_basis"] == "inferred").sum()
    assert _stated("disagreements") == len(kdwars.load_disagreements())
