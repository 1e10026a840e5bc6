"""Every quantitative statement in the readings and key findings of notebooks 01, 02, 04, 05 and 06.

One test per statement, named after the notebook and the statement. Each test recomputes the
number from the loaders (counting rows itself where it can, or calling the analysis function
the notebook's chart is drawn from) and compares it with the number the prose states, so a
data change that makes a sentence false fails here. Notebook 03 has its own readings tests.
"""

from __future__ import annotations

import pandas as pd
import pytest

import kdwars
from kdwars import analysis as A

MAIN = ("kazakh", "dzungar")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def events():
    return kdwars.load_events()


@pytest.fixture(scope="module")
def phases():
    return kdwars.load_phases()


@pytest.fixture(scope="module")
def sides():
    return kdwars.load_event_sides()


@pytest.fixture(scope="module")
def cas():
    return kdwars.load_casualties()


@pytest.fixture(scope="module")
def commanders():
    return kdwars.load_commanders()


@pytest.fixture(scope="module")
def people():
    return kdwars.load_people()


@pytest.fixture(scope="module")
def pairs():
    return A.disagreeing_pairs(kdwars.load_event_dates(), kdwars.load_event_outcomes(), kdwars.load_casualties())


def _decade(year: pd.Series) -> pd.Series:
    return (year // 10) * 10


def _claim_tables() -> dict[str, pd.DataFrame]:
    return {
        "dates": kdwars.load_event_dates(), "outcomes": kdwars.load_event_outcomes(),
        "places": kdwars.load_event_places().dropna(subset=["source_id"]),
        "figures": kdwars.load_casualties(), "participants": kdwars.load_commanders(),
        "person attributes": kdwars.load_person_claims(),
    }


def _source(witness: str) -> str:
    """The article of a witness label such as ``overview (Moiseev)``."""
    return witness.split(" (")[0]


# --------------------------------------------------------------------------- notebook 01


def test_nb01_current_overview_gives_710_of_1492_claims_more_than_twice_the_older():
    per_source = pd.concat([t["source_id"] for t in _claim_tables().values()]).value_counts()
    assert per_source.sum() == 1492
    assert per_source.idxmax() == "overview"
    assert per_source["overview"] == 710 and per_source["overview-old"] == 349
    assert per_source["overview"] > 2 * per_source["overview-old"]


def test_nb01_older_overview_takes_part_in_13_of_19_conflicting_pairs(pairs):
    involved = pairs.apply(lambda r: "overview-old" in (_source(r["witness_a"]), _source(r["witness_b"])), axis=1)
    assert len(pairs) == 19
    assert involved.sum() == 13


def test_nb01_only_the_popular_culture_sections_are_empty():
    cov = kdwars.load_coverage()
    empty = cov[cov["n_claims"] == 0]
    assert set(empty["section"]) == {"Popular culture"}
    assert len(empty) == 2
    # every infobox and every lead carries at least one claim
    assert (cov.loc[cov["section"].isin(["Infobox", "Lead"]), "n_claims"] > 0).all()


def test_nb01_densest_sections_are_overview_1739_1741_then_1723_1730():
    cov = kdwars.load_coverage().sort_values("n_claims", ascending=False)
    top = list(zip(cov["source_id"], cov["section"], cov["n_claims"]))[:2]
    assert top == [("overview", "1739–1741", 157), ("overview", "1723–1730", 113)]


def test_nb01_orbulaq_dzungar_ranges_do_not_overlap(cas):
    rows = cas.query("event_id == 'battle-of-orbulaq-1643' and side == 'dzungar' and measure == 'strength'")
    ranges = {r.source_id: (r.low, r.high) for r in rows.itertuples()}
    assert ranges == {"overview": (25000, 50000), "overview-old": (2000, 15000)}
    assert ranges["overview-old"][1] < ranges["overview"][0]


def test_nb01_decades_ranked_1720s_1730s_1710s_1740s(events):
    per = _decade(events.loc[events["year_start"] >= 1630, "year_start"]).value_counts()
    assert list(per.index[:4]) == [1720, 1730, 1710, 1740]
    assert list(per.iloc[:4]) == [39, 31, 21, 18]


def test_nb01_events_before_1630_not_shown_are_16(events):
    assert (events["year_start"] < 1630).sum() == 16


def test_nb01_no_event_begins_in_the_1670s_but_ten_spans_reach_it(events):
    assert not events["year_start"].between(1670, 1679).any()
    reach = events[(events["year_start"] <= 1679) & (events["year_end"] >= 1670)]
    assert len(reach) == 10
    inferred = reach[reach["date_basis"] == "inferred"]
    assert len(inferred) == 6
    assert set(inferred["year_start"]) == {1661, 1665} and set(inferred["year_end"]) == {1680}
    stated = reach[reach["date_basis"] == "stated"]
    assert "kazakh-dzungar-wars" in set(stated["event_id"])
    late = stated[stated["event_id"] != "kazakh-dzungar-wars"]
    assert len(late) == 3 and late["date_text"].str.contains("end of the 17th").all()


def test_nb01_diplomacy_26_of_33_events_begin_in_1710_1749(events):
    ev = events[events["year_start"] >= 1630]
    diplomacy = ev[A.event_category(ev["event_type"]) == "diplomacy"]
    assert len(diplomacy) == 33
    assert diplomacy["year_start"].between(1710, 1749).sum() == 26


def test_nb01_date_precision_114_of_196_year_or_better_4_to_a_day(events):
    assert len(events) == 196
    prec = events["date_precision"].value_counts()
    assert prec[["day", "month", "season", "year"]].sum() == 114
    assert prec["day"] == 4
    assert len(events) - 114 == 82


def test_nb01_49_dates_inferred(events):
    assert (events["date_basis"] == "inferred").sum() == 49


def test_nb01_35_events_on_an_exact_site_and_the_other_placements(events):
    prec = events["place_precision"].value_counts()
    assert dict(prec) == {"region": 71, "centroid": 39, "exact": 35, "country": 34, "approximate": 17}


def test_nb01_27_events_disputed_most_often_date_10_and_outcome_9(events):
    assert (events["disputed"].str.len() > 0).sum() == 27
    aspects = events["disputed"].explode().dropna().value_counts()
    assert aspects["date"] == 10 and aspects["outcome"] == 9
    assert list(aspects.index[:2]) == ["date", "outcome"]


# --------------------------------------------------------------------------- notebook 02


def test_nb02_15_of_23_kazakh_wins_begin_in_1720_or_later(events):
    won = events[(events["winner"] == "kazakh") & (events["year_start"] >= 1630)]
    assert len(won) == 23
    assert (won["year_start"] >= 1720).sum() == 15


def test_nb02_kazakh_wins_named_in_the_timeline_reading(events):
    ev = events.set_index("event_id")
    for event_id, year in [("kazakh-recovery-of-territory-1720", 1720), ("abul-khair-retakes-turkistan-1724", 1724),
                           ("battle-of-bulanty-1726", 1726), ("battle-of-anrakai-1729", 1729)]:
        assert ev.loc[event_id, "winner"] == "kazakh"
        assert ev.loc[event_id, "year_start"] == year
    assert ev.loc["battle-of-bulanty-1726", "year_end"] == 1729
    assert ev.loc["battle-of-bulanty-1726", "date_basis"] == "inferred"


def test_nb02_dzungar_wins_outnumber_kazakh_wins_every_decade_to_the_1730s(events):
    ev = events[events["year_start"] >= 1630].assign(decade=lambda d: _decade(d["year_start"]))
    wins = ev[ev["winner"].isin(MAIN)].groupby(["decade", "winner"]).size().unstack(fill_value=0)
    for decade, row in wins.iterrows():
        if decade <= 1730:
            assert row["dzungar"] > row["kazakh"], decade
    assert tuple(wins.loc[1740, ["kazakh", "dzungar"]]) == (3, 2)
    assert tuple(wins.loc[1750, ["kazakh", "dzungar"]]) == (2, 0)
    assert 1650 not in wins.index  # no Kazakh or Dzungar win in the 1650s ...
    fifties = ev[ev["decade"] == 1650]
    assert (fifties["winner"] == "khoshut").sum() == 2  # ... its two wins are Khoshut ones


def test_nb02_first_eight_years_of_the_first_war_before_the_stages(events, phases):
    stage = phases[phases["scheme"] == "stage"].set_index("phase_id")
    war = phases[(phases["scheme"] == "period")].set_index("phase_id").loc["war-1635-1658"]
    assert stage.loc["first", "start_year"] - war["start_year"] == 8
    in_war = events[events["period"] == "war-1635-1658"]
    assert len(in_war) == 25 and (in_war["stage"] == "before-stages").sum() == 12


def test_nb02_first_stage_spans_four_wars_and_fourth_holds_11_of_13_aftermath(events):
    first = events[events["stage"] == "first"]
    assert sorted(p for p in first["period"].unique() if p.startswith("war-")) == [
        "war-1635-1658", "war-1681-1684", "war-1698-1703", "war-1708-1718"]
    after = events[events["period"] == "aftermath"]
    assert len(after) == 13 and (after["stage"] == "fourth").sum() == 11
    fourth_wars = set(events.loc[events["stage"] == "fourth", "period"])
    assert {"war-1731-1735", "war-1739-1741"} <= fourth_wars


@pytest.fixture(scope="module")
def by_rule(events, phases, sides):
    rules = kdwars.upper_hand_by_rule(events, phases, scheme="period", event_sides=sides)
    return {(r.rule, r.period): (r.kazakh, r.dzungar, r.disputed) for r in rules.itertuples()}


def test_nb02_leaf_count_dzungars_ahead_in_every_war_to_1730(by_rule):
    stated = {"war-1635-1658": (2, 8), "war-1681-1684": (2, 7), "war-1698-1703": (0, 2),
              "war-1708-1718": (3, 8), "war-1723-1730": (5, 6)}
    for war, kd in stated.items():
        assert by_rule[("leaf, both sides", war)][:2] == kd, war
        assert kd[1] > kd[0]


def test_nb02_1731_1735_and_1739_1741_even_at_3_3_one_more_disputed(by_rule):
    assert by_rule[("leaf, both sides", "war-1731-1735")] == (3, 3, 1)
    assert by_rule[("leaf, both sides", "war-1739-1741")][:2] == (3, 3)


def test_nb02_rule_matters_most_for_1723_1730(by_rule):
    assert by_rule[("top, both sides", "war-1723-1730")][:2] == (5, 3)
    assert by_rule[("leaf, any opponent", "war-1723-1730")][:2] == (5, 9)
    assert by_rule[("top, both sides", "war-1708-1718")][:2] == (2, 8)
    assert by_rule[("leaf, any opponent", "war-1708-1718")][:2] == (3, 9)
    for rule in ("leaf, both sides", "top, both sides", "leaf, any opponent"):
        assert by_rule[(rule, "war-1731-1735")][:2] == (3, 3)


def test_nb02_third_party_wins_of_1723_are_andijan_khujand_samarkand(events, sides):
    leaf_any = kdwars.counted_events(events, event_sides=sides, sides=None)
    leaf_both = kdwars.counted_events(events, event_sides=sides)
    extra = set(leaf_any.loc[(leaf_any["period"] == "war-1723-1730") & (leaf_any["winner"] == "dzungar"), "event_id"])
    extra -= set(leaf_both["event_id"])
    assert extra == {"capture-of-andijan-1723", "capture-of-khujand-1723", "capture-of-samarkand-1723"}


def test_nb02_verdicts_first_war_dzungar_1723_kazakh_pyrrhic_1739_disputed():
    out = kdwars.load_event_outcomes()
    assert set(out.loc[out["event_id"] == "war-1635-1658", "winner"]) == {"dzungar"}
    w23 = out[out["event_id"] == "war-1723-1730"]
    assert set(w23["winner"]) == {"kazakh"}
    assert w23.loc[w23["section"] == "Infobox", "as_written"].str.contains("Pyrrhic").all()
    w39 = out[out["event_id"] == "war-1739-1741"].set_index("attributed_to", drop=False)
    assert w39.loc["Barthold", "winner"] == "dzungar" and w39.loc["Kadyrbaev", "winner"] == "kazakh"
    assert set(w39.loc[w39["section"] == "Infobox", "winner"]) == {"dzungar"}


def test_nb02_four_stages_counts(events, phases, sides):
    hand = kdwars.win_counts(events, phases, scheme="stage", event_sides=sides)
    assert tuple(hand.loc["first", ["kazakh", "dzungar"]]) == (8, 22)
    assert tuple(hand.loc["second", ["kazakh", "dzungar"]]) == (1, 0)
    assert tuple(hand.loc["third", ["kazakh", "dzungar"]]) == (4, 6)
    assert tuple(hand.loc["fourth", ["kazakh", "dzungar", "disputed"]]) == (8, 6, 1)
    leaning_kazakh = hand.index[hand["kazakh"] > hand["dzungar"]]
    assert list(leaning_kazakh) == ["second", "fourth"]


def test_nb02_seven_wars_hold_140_events(events):
    from kdwars.cards import chronology_table

    table = chronology_table(write=False)
    assert table["war"].nunique() == 7
    assert len(table) == 140 == events["period"].str.startswith("war-").sum()


def test_chronology_table_writes_every_war_to_csv(tmp_path, events):
    from kdwars.cards import chronology_table, wars

    path = tmp_path / "chronology.csv"
    table = chronology_table(path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(table.columns)
    assert list(back["war"].unique()) == wars() == sorted(wars(), key=lambda w: int(w.split("-")[1]))
    expected = events.loc[events["period"].isin(wars()), "event_id"]
    assert sorted(back["event_id"]) == sorted(expected)
    assert (back["cited"] != "").all()
    assert not back["disputed"].str.contains(r"\[").any()  # plain text, not a Python list


def test_nb02_card_1723_invasion_dated_1723_by_three_articles_size_only_in_overview():
    card = kdwars.claim_card("dzungar-invasion-1723")
    dates = card[card["field"] == "date"]
    assert set(dates["value"]) == {"1723"} and dates["source_id"].nunique() == 3
    sizes = card[(card["field"] == "figure") & card["detail"].str.contains("strength")]
    assert list(sizes["source_id"]) == ["overview"] and list(sizes["value"]) == ["more than 30,000"]
    assert card.attrs["conflicts"].empty
    assert card.attrs["disputed"] == ["participants"]


def test_nb02_card_1741_invasion_three_articles_30000_and_3000_captives_twice():
    card = kdwars.claim_card("dzungar-invasion-1741")
    dates = card[card["field"] == "date"]
    assert dates["source_id"].nunique() == 3
    assert dates["value"].str.contains("February").all()
    total = card[(card["field"] == "figure") & card["detail"].str.contains("strength total")]
    assert total["source_id"].nunique() == 3
    cas = kdwars.load_casualties()
    strength = cas.query("event_id == 'dzungar-invasion-1741' and measure == 'strength' and kind == 'total'")
    assert set(strength["low"]) == {30000}
    captured = cas.query("event_id == 'dzungar-invasion-1741' and measure == 'captured'")
    assert set(captured["low"]) == {3000} and captured["source_id"].nunique() == 2
    assert "Galzat" in set(captured["attributed_to"].dropna())


# --------------------------------------------------------------------------- notebook 04


@pytest.fixture(scope="module")
def records(events, sides, commanders, people):
    counted = kdwars.counted_events(events, event_sides=sides)
    return A.commander_records(commanders, counted, people)


def test_nb04_abul_khair_led_the_most_contests_8_won_4_lost_3(records, events, sides, commanders):
    assert records["events"].idxmax() == "abul-khair-khan"
    assert tuple(records.loc["abul-khair-khan", ["events", "won", "lost", "undecided"]]) == (8, 4, 3, 1)
    counted = kdwars.counted_events(events, event_sides=sides)
    led = commanders[(commanders["person_id"] == "abul-khair-khan")
                     & commanders["role"].isin(["commander", "co-commander"])]
    his = counted[counted["event_id"].isin(led["event_id"])]
    assert len(his) == 8  # derived once more from the counted events he commanded in
    assert tuple(his["winner"].value_counts()[["kazakh", "dzungar"]]) == (4, 3)
    assert his.loc[his["event_id"] == "dzungar-recapture-of-turkistan-1725", "winner"].item() == "dzungar"


def test_nb04_lobsangsur_won_the_most_5_of_6(records):
    assert records["won"].idxmax() == "lobsangsur"
    assert tuple(records.loc["lobsangsur", ["events", "won", "lost"]]) == (6, 5, 1)
    assert (records["won"] < 5).drop("lobsangsur").all()


def test_nb04_other_records_are_three_contests_or_fewer(records):
    others = records.drop(["abul-khair-khan", "lobsangsur"])
    assert others["events"].max() == 3


def test_nb04_allies_in_their_camps_records(records):
    assert records.loc["galdamba", "side"] == "khoshut" and records.loc["galdamba", "events"] >= 1
    assert records.loc["abd-al-aziz-khan", "side"] == "bukhara" and records.loc["abd-al-aziz-khan", "events"] >= 1


def test_nb04_eight_opposing_pairs_none_in_more_than_two(commanders, events):
    faced = A.opponents(commanders, events)
    assert (faced > 0).sum().sum() == 8
    assert faced.max().max() == 2
    twice = {(k, d) for k in faced.index for d in faced.columns if faced.loc[k, d] == 2}
    assert twice == {("jangir-khan", "erdeni-batur"), ("abul-khair-khan", "lobsangsur")}
    for k, d in [("abul-khair-khan", "shono-dov"), ("bogenbay-batyr", "shono-dov"),
                 ("olzhabay-batyr", "septen"), ("olzhabay-batyr", "galdan-tseren")]:
        assert faced.loc[k, d] == 1


def test_nb04_jangir_prisoner_in_one_infobox_killed_in_another(commanders, events):
    j = commanders[(commanders["person_id"] == "jangir-khan") & commanders["fate"].notna()]
    infobox = j[j["section"] == "Infobox"]
    assert set(zip(infobox["source_id"], infobox["fate"])) == {("war1635", "POW"), ("overview", "KIA")}
    ev = events.set_index("event_id")
    pow_events = set(j.loc[j["fate"] == "POW", "event_id"]) - {"kazakh-dzungar-wars", "war-1635-1658"}
    kia_events = set(j.loc[j["fate"] == "KIA", "event_id"]) - {"kazakh-dzungar-wars", "war-1635-1658"}
    assert {ev.loc[e, "year_start"] for e in pow_events} == {1635}
    assert {ev.loc[e, "year_start"] for e in kia_events} == {1652}


def test_nb04_abul_khair_written_six_ways_uzbek_kept_apart(people, commanders):
    merges = A.alias_merges(people, commanders).set_index("person_id")
    assert merges.loc["abul-khair-khan", "n_spellings"] == 6
    assert kdwars.resolve_person("Abilqaiyr") == kdwars.resolve_person("Abul Khair") == "abul-khair-khan"
    assert kdwars.resolve_person("Abu'l-Khayr Khan") != "abul-khair-khan"


@pytest.fixture(scope="module")
def careers(commanders, events, people):
    return A.careers(commanders, events, people, min_events=3,
                     event_dates=kdwars.load_event_dates()).set_index("person_id")


def test_nb04_one_person_before_1600_left_out_of_the_careers(careers):
    assert list(careers.index[careers["first_year"] < 1600]) == ["abul-khayr-khan-uzbek"]


def test_nb04_dzungar_rulers_careers_begin_in_reign_order(careers):
    line = ["erdeni-batur", "sengge", "galdan-boshugtu-khan", "tsewang-rabtan", "galdan-tseren", "lama-dorji"]
    firsts = list(careers.loc[line, "first_year"])
    assert firsts == sorted(firsts)
    assert careers.loc["sengge", "first_year"] == careers.loc["galdan-boshugtu-khan", "first_year"] == 1661


def test_nb04_five_kazakh_leaders_all_active_in_the_1720s(careers):
    for person in ["abul-khair-khan", "abilmambet-khan", "sameke-khan", "bolat-khan", "bogenbay-batyr"]:
        first, last = careers.loc[person, ["first_year", "last_year"]]
        assert first <= 1729 and last >= 1720, person


def test_nb04_russian_figures_appear_only_from_1730(careers):
    russians = careers[careers["side"] == "russia"]
    assert set(russians.index) == {"anna-of-russia", "pyotr-buturlin"}
    assert (russians["first_year"] >= 1730).all()


# --------------------------------------------------------------------------- notebook 05


@pytest.fixture(scope="module")
def ratio(cas, events, sides):
    return A.force_ratio(cas, events, event_sides=sides).set_index("event_id")


def test_nb05_five_events_with_both_camps_three_contests_with_a_winner(ratio):
    assert len(ratio) == 5
    kd = ratio[(ratio["kazakh_sides"].str.contains("kazakh")) & (ratio["dzungar_sides"].str.contains("dzungar"))
               & ratio["winner"].isin(MAIN)]
    assert set(kd.index) == {"battle-of-orbulaq-1643", "battle-of-the-ayagoz-river-1717", "dzungar-invasion-1739"}


def test_nb05_ayagoz_kazakh_army_30_times_larger_lost(ratio, cas):
    r = ratio.loc["battle-of-the-ayagoz-river-1717"]
    assert r["ratio_low"] == r["ratio_high"] == 30 and r["winner"] == "dzungar"
    k = cas.query("event_id == 'battle-of-the-ayagoz-river-1717' and side == 'kazakh' and measure == 'strength'")
    assert set(k["low"]) == {30000}


def test_nb05_1739_dzungar_army_12_to_15_times_larger_won(ratio):
    r = ratio.loc["dzungar-invasion-1739"]
    assert round(1 / r["ratio_high"]) == 12 and round(1 / r["ratio_low"]) == 15
    assert r["winner"] == "dzungar"


def test_nb05_orbulaq_camps_15600_20800_against_2000_50000(ratio, cas):
    r = ratio.loc["battle-of-orbulaq-1643"]
    assert (r["kazakh_low"], r["kazakh_high"], r["dzungar_low"], r["dzungar_high"]) == (15600, 20800, 2000, 50000)
    assert r["larger"] == "unclear" and round(r["ratio_low"], 2) == 0.31 and round(r["ratio_high"], 1) == 10.4
    # derived from the claims: detachment 600 / 600–800 plus relief 20,000 / 15,000–20,000
    o = cas.query("event_id == 'battle-of-orbulaq-1643' and measure == 'strength'")
    k = o[o["side"].isin(["kazakh", "bukhara"])]
    assert k.groupby("side")["low"].min().sum() == 15600 and k.groupby("side")["high"].max().sum() == 20800


def test_nb05_chu_talas_is_bukhara_against_khoshut_and_ablai_has_no_winner(ratio):
    assert ratio.loc["battle-of-chu-and-talas-1658", ["kazakh_sides", "dzungar_sides"]].tolist() == ["bukhara", "khoshut"]
    assert pd.isna(ratio.loc["capture-of-ablai-1741", "winner"])
    assert ratio.loc["capture-of-ablai-1741", "kazakh_low"] == 200
    assert ratio.loc["capture-of-ablai-1741", "dzungar_low"] == 2000


def test_nb05_nine_strength_claims_not_drawn(cas, events):
    forces = A.force_ranges(cas, events, kinds=("initial", "total", "detachment", "relief", "reinforcement", None))
    strength = cas[cas["measure"] == "strength"]
    assert len(strength) - strength["claim_id"].isin(forces["claim_id"]).sum() == 9
    unknown = strength[(strength["event_id"] == "war-1739-1741") & (strength["side"] == "kazakh")]
    assert list(unknown["as_written"]) == ["Unknown"] and not unknown["claim_id"].isin(forces["claim_id"]).any()


def test_nb05_best_documented_dzungar_armies_1739_and_1741(cas):
    def envelope(event_id):
        c = cas.query("event_id == @event_id and side == 'dzungar' and measure == 'strength' and kind == 'total'")
        return c["low"].min(), c["high"].max(), len(c)
    assert envelope("dzungar-invasion-1739") == (24000, 30000, 4)
    assert envelope("dzungar-invasion-1741") == (30000, 30000, 3)


def test_nb05_anrakai_both_sides_12000_to_150000_in_the_older_overview(cas):
    a = cas.query("event_id == 'battle-of-anrakai-1729' and side == 'both'")
    assert list(zip(a["low"], a["high"], a["source_id"])) == [(12000, 150000, "overview-old")]


def test_nb05_largest_capture_16000_tokmaks_and_the_others(cas):
    captured = cas[(cas["measure"] == "captured") & cas["unit"].isin(["people", "men"])]
    top = captured.loc[captured["low"].idxmax()]
    assert top["event_id"] == "capture-of-tokmaks-1640" and top["low"] == 16000
    by_event = captured.dropna(subset=["low"]).groupby("event_id")["low"].max()
    assert by_event["dzungar-attack-on-the-senior-juz-1698"] == 10000
    assert by_event["dzungar-invasion-1741"] == 3000
    assert by_event["kazakh-recovery-of-territory-1720"] == 3000
    assert by_event["oirat-raid-on-middle-juz-borderlands-1735"] == 100
    assert by_event["barefooted-flight-1723"] == 2000
    other = cas[(cas["measure"] == "captured") & ~cas["unit"].isin(["people", "men"])]
    assert set(zip(other["low"], other["unit"])) == {(700, "families"), (1000, "yurts")}


def test_nb05_killed_four_figures_two_in_the_aftermath(cas, events):
    killed = cas[(cas["measure"] == "killed") & cas["low"].notna()]
    assert len(killed) == 4
    period = events.set_index("event_id").loc[killed["event_id"], "period"]
    assert (period == "aftermath").sum() == 2
    assert set(killed["low"]) == {500, 2000, 17000, 90}


def test_nb05_infoboxes_kazakh_losses_catastrophic_dzungar_heavy(cas):
    box = cas[(cas["section"] == "Infobox") & (cas["measure"] == "losses")]
    for war in ("war-1723-1730", "war-1739-1741"):
        w = box[box["event_id"] == war]
        assert "catastrophic" in set(w.loc[w["side"] == "kazakh", "qualitative"]), war
        assert set(w.loc[w["side"] == "dzungar", "qualitative"]) == {"heavy"}, war


def test_nb05_orbulaq_card_one_conflicting_pair_the_dzungar_army():
    card = kdwars.claim_card("battle-of-orbulaq-1643")
    conflicts = card.attrs["conflicts"]
    assert len(conflicts) == 1 and conflicts["group"].item().startswith("dzungar/strength")
    assert set(card.loc[card["field"] == "date", "value"]) == {"1643"}
    winners = card.loc[card["field"] == "outcome", "detail"]
    assert set(winners) == {"winner: kazakh"} and len(winners) == 3


# --------------------------------------------------------------------------- notebook 06


def test_nb06_nine_events_disputed_on_date_six_close_three_beginnings(events):
    dd = A.date_disagreements(kdwars.load_event_dates(), events)
    spread = dd.groupby("event_id")["spread"].first()
    assert len(spread) == 9
    assert (spread < 30).sum() == 6 and (spread <= 3).sum() == 6
    assert set(spread[spread >= 30].index) == {
        "kazakh-dzungar-wars", "first-oirat-kazakh-clashes-1530", "founding-of-dzungar-khanate-1634"}
    # every disputed-date event is marked so in the events table
    assert all("date" in d for d in events.set_index("event_id").loc[spread.index, "disputed"])


def test_nb06_orbulaq_dzungar_army_25_times_apart_1739_1_25(cas, events):
    fd = A.figure_disagreements(cas, events)
    top = fd.loc[fd["fold"].idxmax()]
    assert (top["event_id"], top["side"]) == ("battle-of-orbulaq-1643", "dzungar")
    assert (top["low"], top["high"]) == (2000, 50000) and top["high"] / top["low"] == 25
    inv = fd[(fd["event_id"] == "dzungar-invasion-1739") & (fd["side"] == "dzungar")]
    assert inv["fold"].item() == pytest.approx(1.25)


def test_nb06_qing_1755_50000_against_more_than_half_a_million(cas):
    q = cas.query("event_id == 'qing-conquest-of-dzungaria-1755' and measure == 'strength'").set_index("source_id")
    assert q.loc["war1739", "low"] == 50000
    assert q.loc["overview-old", "low"] == 500000 and pd.isna(q.loc["overview-old", "high"])


def test_nb06_two_overviews_9_of_19_conflicting_pairs_the_most(pairs):
    key = pairs.apply(lambda r: frozenset((r["witness_a"], r["witness_b"])), axis=1).value_counts()
    assert len(pairs) == 19
    assert key.index[0] == frozenset({"overview", "overview-old"}) and key.iloc[0] == 9
    assert key.iloc[1] < 9


def test_nb06_conflicts_within_articles(pairs):
    within = pairs[pairs["witness_a"].map(_source) == pairs["witness_b"].map(_source)]
    assert {frozenset((a, b)) for a, b in zip(within["witness_a"], within["witness_b"])} >= {
        frozenset({"war1739 (Barthold)", "war1739 (Kadyrbaev)"}),
        frozenset({"overview (Bukenbay)", "overview (I. K. Kirilov and A. I. Tevkelev)"}),
    }


def test_nb06_24_stated_disagreements_anrakai_among_them():
    stated = kdwars.load_disagreements()
    assert len(stated) == 24
    assert ((stated["event_id"] == "battle-of-anrakai-1729") & (stated["aspect"] == "date")).any()


def test_nb06_reconciled_groups_43_of_72_single(cas):
    status = kdwars.reconcile(cas)["status"].value_counts()
    assert status.sum() == 72
    assert dict(status) == {"single": 43, "qualitative": 16, "agree": 7, "conflict": 3, "overlap": 2, "unknown": 1}


def test_nb06_outcome_readings():
    out = A.outcome_disagreements(kdwars.load_event_outcomes(), kdwars.load_events())
    wars = out[out["event_id"] == "kazakh-dzungar-wars"].set_index("source_id")["winner"]
    assert wars["overview"] == "inconclusive" and wars["overview-old"] == "kazakh"
    b = out[out["event_id"] == "bogenbay-campaigns-1711"].set_index("source_id")["winner"]
    assert b["overview"] == "kazakh" and b["overview-old"] == "dzungar"


def test_nb06_anrakai_card_two_conflicts_date_and_place_all_winners_kazakh():
    card = kdwars.claim_card("battle-of-anrakai-1729")
    assert sorted(card.attrs["conflicts"]["field"]) == ["date", "place"]
    dates = card[card["field"] == "date"]
    assert set(dates["attributed_to"].dropna()) == {"Moiseev", "Kadyrbaev"}
    figures = card[card["field"] == "figure"]
    assert set(figures["source_id"]) == {"overview-old"}
    winners = card.loc[(card["field"] == "outcome") & card["detail"].str.startswith("winner"), "detail"]
    assert set(winners) == {"winner: kazakh"}


def test_nb06_bulanty_card_no_date_claim_inferred_1726_1729():
    card = kdwars.claim_card("battle-of-bulanty-1726")
    assert not (card["field"] == "date").any()
    assert card.attrs["conflicts"].empty
    people = card[card["field"] == "participant"]
    assert set(people.loc[people["value"] == "Abul Khair Khan", "source_id"]) == {"overview", "overview-old", "war1723"}
    assert set(people.loc[people["value"] == "Bogenbay Batyr", "source_id"]) == {"overview", "overview-old"}
    assert set(people.loc[people["value"] == "Shono-Dov", "source_id"]) == {"war1723"}
    named = card[(card["field"] == "place") & (card["value"] == "Kalmak Kyrylgan")]
    assert named["source_id"].nunique() == 3
    assert card.attrs["date_basis"] == "inferred" and card.attrs["date_text"].startswith("1726–1729")
    winners = card.loc[card["field"] == "outcome", "detail"]
    assert set(winners) == {"winner: kazakh"} and card.loc[card["field"] == "outcome", "source_id"].nunique() == 3
    numbers = kdwars.load_casualties().query("event_id == 'battle-of-bulanty-1726'")
    assert numbers["low"].isna().all()


def test_nb02_diplomacy_22_of_29_embassies_treaties_protectorates_in_1715_1741(events):
    ev = events[events["year_start"] >= 1630]
    d = ev[ev["event_type"].isin(["embassy", "treaty", "protectorate"])]
    assert len(d) == 29 and d["year_start"].between(1715, 1741).sum() == 22


def test_nb02_timeline_dzungar_wins_named(events):
    ev = events.set_index("event_id")
    for event_id in ["capture-of-sayram-1684", "capture-of-tashkent-1684", "dzungar-attack-on-the-senior-juz-1698",
                     "dzungar-invasion-1723", "capture-of-turkistan-1723"]:
        assert ev.loc[event_id, "winner"] == "dzungar", event_id


def test_nb02_only_three_wars_have_an_infobox_verdict():
    out = kdwars.load_event_outcomes()
    boxed = set(out.loc[out["section"] == "Infobox", "event_id"]) - {"kazakh-dzungar-wars"}
    assert boxed == {"war-1635-1658", "war-1723-1730", "war-1739-1741"}


def test_nb06_date_claims_named_in_the_reading():
    dates = kdwars.load_event_dates()

    def written(event_id):
        d = dates[dates["event_id"] == event_id]
        return set(zip(d["source_id"], d["as_written"]))

    assert {("overview", "1717"), ("overview-old", "spring of 1718")} <= written("battle-of-the-ayagoz-river-1717")
    assert {("overview", "1640"), ("war1635", "1643")} <= written("capture-of-tokmaks-1640")
    assert {("overview-old", "December 1729 to January 1730"), ("overview-old", "1730")} <= written(
        "battle-of-anrakai-1729")
    assert {"1634", "1635", "early 17th century"} <= {w for _, w in written("founding-of-dzungar-khanate-1634")}
    assert {"mid-15th century", "the 1530s"} <= {w for _, w in written("first-oirat-kazakh-clashes-1530")}
    inv = {w for _, w in written("dzungar-invasion-1739")}
    assert {"spring of 1739", "end of 1739 and in the first half of 1740"} <= inv
    # the two deaths show one year each: their dispute is a stated one
    for event_id, year in (("death-of-bolat-khan-1723", "1723"), ("death-of-tsewang-rabtan-1727", "1727")):
        assert {w for _, w in written(event_id)} == {year}
        assert (kdwars.load_disagreements()["event_id"] == event_id).any()


def test_nb05_ayagoz_still_12_times_larger_with_the_reinforcements(cas):
    a = cas.query("event_id == 'battle-of-the-ayagoz-river-1717' and measure == 'strength' and unit == 'men'")
    kazakh = a.loc[a["side"] == "kazakh", "low"].min()
    detachment = a.loc[(a["side"] == "dzungar") & (a["kind"] == "detachment"), "low"].item()
    reinforcement = a.loc[(a["side"] == "dzungar") & (a["kind"] == "reinforcement"), "low"].item()
    assert (kazakh, detachment, reinforcement) == (30000, 1000, 1500)
    assert kazakh / detachment == 30 and kazakh / (detachment + reinforcement) == 12


def test_nb04_commanders_named_for_a_minority_of_events(events, commanders):
    fighting = events[events["winner"].notna() & ~events["event_type"].isin(["war"])]
    led = commanders[commanders["role"].isin(["commander", "co-commander"])]
    named = fighting["event_id"].isin(led["event_id"])
    assert named.sum() < len(fighting) / 2


def test_nb02_card_1741_invasion_septen_and_lama_dorji_in_all_three_articles():
    card = kdwars.claim_card("dzungar-invasion-1741")
    people = card[card["field"] == "participant"]
    for name in ("Septen", "Lama Dorji"):
        assert people.loc[people["value"] == name, "source_id"].nunique() == 3, name


def test_nb05_orbulaq_kazakh_and_relief_claims_overlap(cas):
    rec = kdwars.reconcile(cas).query("event_id == 'battle-of-orbulaq-1643'").set_index("side")
    assert rec.loc["kazakh", "status"] == rec.loc["bukhara", "status"] == "overlap"
    assert rec.loc["dzungar", "status"] == "conflict"


def test_chronology_table_default_path_follows_the_figures_folder(tmp_path, monkeypatch):
    from kdwars.cards import chronology_table

    monkeypatch.setenv("KDWARS_FIGURES_DIR", str(tmp_path / "figures"))
    chronology_table()
    assert (tmp_path / "chronology.csv").is_file()


@pytest.fixture(scope="module")
def records_by_rule(events, sides, commanders, people):
    rules = {"leaf, both sides": dict(level="leaf"), "top, both sides": dict(level="top"),
             "leaf, any opponent": dict(level="leaf", sides=None)}
    return {rule: A.commander_records(commanders, kdwars.counted_events(events, event_sides=sides, **kw), people)
            for rule, kw in rules.items()}


def _wle(r, person):
    return tuple(r.loc[person, ["won", "lost", "events"]])


def test_nb04_abul_khair_4_3_of_8_under_every_rule(records_by_rule):
    for rule, r in records_by_rule.items():
        assert _wle(r, "abul-khair-khan") == (4, 3, 8), rule


def test_nb04_lobsangsur_falls_to_3_1_of_4_by_campaign_and_loses_the_lead(records_by_rule):
    assert _wle(records_by_rule["leaf, both sides"], "lobsangsur") == (5, 1, 6)
    top = records_by_rule["top, both sides"]
    assert _wle(top, "lobsangsur") == (3, 1, 4)
    assert set(top.index[top["won"] == top["won"].max()]) == {"abul-khair-khan", "erdeni-batur"}
    assert top["won"].max() == 4


def test_nb04_erdeni_batur_and_galdan_boshugtu_depend_on_the_rule(records_by_rule):
    leaf = records_by_rule["leaf, both sides"]
    assert _wle(leaf, "erdeni-batur")[:2] == (2, 1)
    assert _wle(records_by_rule["top, both sides"], "erdeni-batur")[:2] == (4, 1)
    assert _wle(leaf, "galdan-boshugtu-khan")[:2] == (1, 2)
    assert _wle(records_by_rule["leaf, any opponent"], "galdan-boshugtu-khan")[:2] == (3, 2)
