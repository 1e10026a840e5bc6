"""Claim relations: same, refines, overlaps, conflicts — on made-up intervals and on the real pairs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kdwars
from kdwars.parse import parse_date, parse_figure
from kdwars.relations import RELATIONS, date_interval, figure_interval, interval_relation

ends = st.integers(min_value=-50, max_value=50)


@st.composite
def intervals(draw):
    a, b = draw(ends), draw(ends)
    return (min(a, b), max(a, b))


@given(intervals(), intervals())
def test_relation_is_symmetric_and_in_the_vocabulary(a, b):
    assert interval_relation(a, b) == interval_relation(b, a)
    assert interval_relation(a, b) in RELATIONS


@given(intervals(), intervals())
def test_relation_agrees_with_the_sets_of_values(a, b):
    sa, sb = set(range(a[0], a[1] + 1)), set(range(b[0], b[1] + 1))
    rel = interval_relation(a, b)
    assert (rel == "same") == (sa == sb)
    assert (rel == "conflicts") == (not sa & sb)
    assert (rel == "refines") == (sa != sb and (sa <= sb or sb <= sa))


def test_open_ends():
    assert interval_relation((30000, math.inf), (40000, 40000)) == "refines"
    assert interval_relation((-math.inf, 20000), (25000, 50000)) == "conflicts"


def _dv(text):
    d = parse_date(text)
    return {"year_start": d.year_start, "year_end": d.year_end, "month": d.month, "season": d.season,
            "qualifier": d.qualifier, "date_precision": d.precision}


@pytest.mark.parametrize("a, b, expected", [
    ("1645–1646", "1646", "refines"),           # the example: a narrowing, not a dispute
    ("1643", "1644", "conflicts"),
    ("1729", "1729 or spring 1730", "refines"),  # a refinement by intervals (stated as a dispute by the article)
    ("spring of 1739", "autumn of 1739", "conflicts"),
    ("winter of 1739–1740", "January 1740", "refines"),
    ("winter of 1739–1740", "March 1740", "conflicts"),
    ("around 1735", "1736", "refines"),
    ("early 17th century", "1634", "refines"),   # vague edges of a part of a century
    ("the 1530s", "mid-15th century", "conflicts"),
    ("1723–1725", "1725–1727", "overlaps"),
])
def test_date_relations(a, b, expected):
    assert interval_relation(date_interval(_dv(a)), date_interval(_dv(b))) == expected


def _fig(text):
    f = parse_figure(text)
    return {"low": f.low, "high": f.high, "precision": f.precision}


@pytest.mark.parametrize("a, b, expected", [
    ("25,000 to 50,000", "2000-15.000", "conflicts"),
    ("600", "600–800", "refines"),
    ("more than 30,000", "40,000", "refines"),
    ("600", "600", "same"),
])
def test_figure_relations(a, b, expected):
    assert interval_relation(figure_interval(_fig(a)), figure_interval(_fig(b))) == expected


def test_unknown_has_no_interval():
    assert figure_interval(_fig("Unknown")) is None


@pytest.fixture(scope="module")
def rel():
    return kdwars.claim_relations()


def test_the_shipped_table_is_what_claim_relations_computes(rel):
    shipped = kdwars.load_claim_relations()
    assert len(shipped) == len(rel)
    assert list(shipped["relation"].astype(str)) == list(rel["relation"].astype(str))


def test_real_pairs(rel):
    def pairs(event_id, field):
        r = rel[(rel["event_id"] == event_id) & (rel["field"] == field)]
        return {(frozenset((a, b)), x) for a, b, x in zip(r["value_a"], r["value_b"], r["relation"].astype(str))}
    assert (frozenset(("25,000 to 50,000", "2000-15.000")), "conflicts") in pairs("battle-of-orbulaq-1643", "figure")
    campaign = rel[(rel["event_id"] == "dzungar-campaign-1645") & (rel["field"] == "date")]
    assert len(campaign) >= 1 and set(campaign["relation"].astype(str)) <= {"same", "refines"}


def test_a_refinement_alone_never_flags_a_dispute(rel):
    """An event is date-disputed only through conflicting claims or a stated disagreement."""
    ev = kdwars.load_events().set_index("event_id")
    stated = kdwars.load_disagreements()
    conflicts = rel[rel["relation"] == "conflicts"]
    field_of = {"date": "date", "figures": "figure", "outcome": "outcome", "place": "place"}
    for event_id, aspects in ev["disputed"].dropna().items():
        for aspect in aspects.split(";"):
            by_claims = ((conflicts["event_id"] == event_id) & (conflicts["field"] == field_of.get(aspect))).any()
            by_article = ((stated["event_id"] == event_id) & (stated["aspect"] == aspect)).any()
            assert by_claims or by_article, (event_id, aspect)
    assert "date" not in str(ev.loc["dzungar-campaign-1645", "disputed"])


def test_every_conflict_is_between_claims_that_really_differ(rel):
    """Recomputed from the claim tables without the package's interval code."""
    dates = kdwars.load_event_dates().set_index("claim_id")
    for r in rel[(rel["relation"] == "conflicts") & (rel["field"] == "date")].itertuples():
        a, b = dates.loc[r.claim_a], dates.loc[r.claim_b]
        disjoint_years = a.year_end < b.year_start or b.year_end < a.year_start
        same_year_other_part = a.year_start == b.year_start and (str(a.month) != str(b.month)
                                                                  or str(a.season) != str(b.season))
        assert disjoint_years or same_year_other_part, (r.event_id, r.value_a, r.value_b)
    out = kdwars.load_event_outcomes().set_index("claim_id")
    for r in rel[(rel["relation"] == "conflicts") & (rel["field"] == "outcome")].itertuples():
        assert out.loc[r.claim_a, "winner"] != out.loc[r.claim_b, "winner"]
    assert isinstance(rel, pd.DataFrame)
