"""City control from evidence (:func:`kdwars.analysis.city_control`): the rule on
small hand-made tables, and the sources' own control statements on the real data."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kdwars
from kdwars import analysis as A


def events(rows):
    df = pd.DataFrame(rows, columns=["event_id", "event_type", "year_start", "year_end", "attacker",
                                     "defender", "winner"])
    df[["year_start", "year_end"]] = df[["year_start", "year_end"]].astype("Int64")
    return df


def places(rows):
    return pd.DataFrame(rows, columns=["event_id", "place_id", "role", "holder"])


def by_year(ev, ep, **kw):
    return A.city_control(ev, ep, ["x"], by="year", **kw).set_index("year")


def test_defender_held_before_a_capture_and_the_gap_between_agreeing_records_is_inferred():
    ev = events([["s", "siege", 1700, 1700, "b", "a", "a"], ["c", "city-capture", 1705, 1705, "b", "a", "b"]])
    ep = places([["s", "x", "primary", None], ["c", "x", "captured", None]])
    t = by_year(ev, ep, start=1698, end=1708)
    assert t.loc[1700, ["holder", "basis"]].tolist() == ["a", "recorded"]  # failed siege: defender held
    assert (t.loc[1701:1704, "holder"] == "a").all() and (t.loc[1701:1704, "basis"] == "inferred").all()
    assert t.loc[1705, ["holder", "basis"]].tolist() == ["b", "recorded"]
    assert (t.loc[1706:, "basis"] == "unknown").all()  # nothing after the last record
    assert t.loc[1699, "basis"] == "unknown"


def test_no_holder_across_a_long_silence_or_between_disagreeing_records():
    ev = events([["c1", "city-capture", 1700, 1700, "b", "a", "b"], ["c2", "city-capture", 1705, 1705, "b", "a", "b"],
                 ["c3", "city-capture", 1740, 1740, "a", "b", "a"]])
    ep = places([["c1", "x", "captured", None], ["c2", "x", "captured", None], ["c3", "x", "captured", None]])
    t = by_year(ev, ep, start=1700, end=1740)
    # c1 leaves b holding, c2 says a held it before: the change is unrecorded
    assert (t.loc[1701:1704, "holder"] == "unknown").all()
    # c2 -> c3 agree (b) but are 35 years apart: more than the rule allows
    assert (t.loc[1706:1739, "basis"] == "unknown").all()
    t = by_year(ev, ep, start=1700, end=1740, max_gap=40)
    assert (t.loc[1706:1739, "holder"] == "b").all()


def test_held_statement_with_holder_and_disagreeing_statements_in_one_year():
    ev = events([["w", "war", 1681, 1684, "b", "a", "b"], ["r", "city-capture", 1734, 1734, "a", "b", "a"]])
    ep = places([["w", "x", "held", "a"], ["w", "x", "target", None],  # a war's target is no capture
                 ["r", "x", "captured", None], ["r", "x", "held", "none"]])
    t = by_year(ev, ep, start=1680, end=1735)
    assert (t.loc[1681:1684, "holder"] == "a").all() and (t.loc[1681:1684, "basis"] == "recorded").all()
    assert t.loc[1734, "holder"] == "disputed"


def test_a_capture_dated_over_several_years_leaves_them_unknown():
    ev = events([["c", "city-capture", 1640, 1643, "b", "a", "b"]])
    ep = places([["c", "x", "primary", None]])
    t = by_year(ev, ep, start=1639, end=1644)
    assert (t.loc[1640:1642, "basis"] == "unknown").all()
    assert t.loc[1643, "holder"] == "b"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1600, 1700), st.integers(0, 5), st.sampled_from(["a", "b"]),
                          st.sampled_from(["captured", "held"])), min_size=1, max_size=6),
       st.integers(0, 30))
def test_intervals_tile_the_years_and_unknown_means_no_holder(evidence, gap):
    rows, prows = [], []
    for i, (y, d, side, role) in enumerate(evidence):
        other = "b" if side == "a" else "a"
        rows.append([f"e{i}", "city-capture" if role == "captured" else "war", y, y + d, side, other, side])
        prows.append([f"e{i}", "x", role, side if role == "held" else None])
    out = A.city_control(events(rows), places(prows), ["x"], start=1600, end=1710, max_gap=gap)
    years = [y for _, r in out.iterrows() for y in range(r["start"], r["end"] + 1)]
    assert years == list(range(1600, 1711))
    assert ((out["basis"] == "unknown") == (out["holder"] == "unknown")).all()
    assert set(out["basis"]) <= {"recorded", "inferred", "unknown"}
    inferred = out[out["basis"] == "inferred"]
    assert ((inferred["end"] - inferred["start"] + 1) < max(gap, 1)).all()


def test_bad_arguments_are_refused():
    ev, ep = kdwars.load_events(), kdwars.load_event_places()
    with pytest.raises(ValueError, match="by must be"):
        A.city_control(ev, ep, ["turkistan"], by="decade")
    with pytest.raises(ValueError, match="before start"):
        A.city_control(ev, ep, ["turkistan"], start=1700, end=1600)
    with pytest.raises(ValueError, match="needs"):
        A.city_control(ev.drop(columns="winner"), ep, ["turkistan"])


# --------------------------------------------------------------------------- the sources' statements

@pytest.fixture(scope="module")
def real():
    return A.city_control(kdwars.load_events(), kdwars.load_event_places(), ["turkistan", "sayram", "tashkent"],
                          start=1635, end=1741, by="year").set_index(["place_id", "year"])


def _held_claims(place_id):
    """The control statements of the sources about a place, read from the loaders (not from city_control)."""
    ep, ev = kdwars.load_event_places(), kdwars.load_events().set_index("event_id")
    h = ep[(ep["place_id"] == place_id) & (ep["role"] == "held") & ep["holder"].notna()]
    return [(int(y), holder) for e, holder in zip(h["event_id"], h["holder"])
            for y in range(ev.loc[e, "year_start"], ev.loc[e, "year_end"] + 1)]


def test_turkistan_is_kazakh_when_the_overview_says_so(real):
    # the overview: Turkistan stayed with Tauke in 1681-1684 and was the khans' headquarters in 1718
    statements = _held_claims("turkistan")
    assert (1684, "kazakh") in statements and (1718, "kazakh") in statements
    for year in (1681, 1684, 1718):
        assert real.loc[("turkistan", year), "holder"] == "kazakh"
        assert real.loc[("turkistan", year), "basis"] == "recorded"


def test_every_stated_holder_is_shown_in_its_year_unless_the_sources_disagree(real):
    for city in ("turkistan", "sayram", "tashkent"):
        for year, holder in _held_claims(city):
            if 1635 <= year <= 1741:
                assert real.loc[(city, year), "holder"] in (holder, "disputed"), (city, year)


def test_no_dzungar_turkistan_across_the_decades_without_evidence(real):
    # the old chart drew Turkistan Dzungar from the 1640s to 1723
    t = real.loc["turkistan"]
    assert (t.loc[1647:1680, "holder"] == "unknown").all()
    assert (t.loc[1685:1717, "holder"] == "unknown").all()


def test_1734_is_disputed_because_bukenbay_says_no_one_held_the_cities(real):
    ep = kdwars.load_event_places()
    bukenbay = ep[(ep["attributed_to"] == "Bukenbay") & (ep["role"] == "held")]
    assert set(bukenbay["place_id"]) == {"turkistan", "sayram", "tashkent"}
    assert set(bukenbay["holder"]) == {"none"}
    for city in ("turkistan", "sayram", "tashkent"):
        assert real.loc[(city, 1734), "holder"] == "disputed"
        assert real.loc[(city, 1735), "holder"] == "dzungar"  # the 1735 retaking


def test_sayram_resisted_two_sieges_before_falling_in_1684(real):
    s = real.loc["sayram"]
    assert s.loc[1681, "holder"] == s.loc[1683, "holder"] == "kazakh"
    assert s.loc[1682, "basis"] == "inferred"
    assert s.loc[1684, "holder"] == "dzungar"


def test_plot_draws_unknown_as_unknown():
    import matplotlib
    matplotlib.use("Agg")
    from kdwars import plotting as P
    c = A.city_control(kdwars.load_events(), kdwars.load_event_places(), ["turkistan"], start=1635, end=1741)
    ax = P.plot_city_control(c)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "unknown" in labels and "Kazakh: recorded" in labels
    assert len(ax.patches) == len(c)
    # unknown spans are thin bands: no holder colour carried over them
    unknown = c.index[c["basis"] == "unknown"]
    for i in unknown:
        assert ax.patches[i].get_height() < 0.5


# --------------------------------------------------------------------------- the holder field

def test_a_holder_on_a_claim_that_is_not_held_is_a_located_error(tmp_path, capsys):
    from kdwars.cli import main

    from ._mini import EVENTS, line_no, make_raw

    bad = EVENTS.replace("place: Orbulak, role: site,", "place: Orbulak, role: site, holder: kazakh,")
    assert bad != EVENTS
    raw = make_raw(tmp_path, events_01=bad)
    status = main(["build", "--raw", str(raw), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert f"events/01.yaml:{line_no(raw / 'events/01.yaml', 'holder: kazakh')}" in err
    assert "holder" in err and "held" in err


def test_holders_and_juz_reach_event_places():
    ep = kdwars.load_event_places()
    assert ep.loc[ep["holder"].notna(), "role"].eq("held").all()
    turkistan = ep[(ep["place_id"] == "turkistan") & (ep["role"] == "held")]
    assert set(turkistan["holder"].dropna()) >= {"kazakh", "none"}
    flight = ep[ep["event_id"] == "barefooted-flight-1723"]
    assert {j for js in flight["juz"] for j in js} == {"senior", "middle", "junior"}
