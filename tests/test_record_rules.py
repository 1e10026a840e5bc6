"""The record rules of the dataset model: stable claim ids, contests alone have winners,
dates and places carry their basis, disagreements are backed by claims.

Each rule is broken in a private copy of data/raw; the build must stop with a message
naming file, record, field, value and reason, and write nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from kdwars import schema
from kdwars.build import build
from kdwars.cli import main

from .conftest import tree_digest


def _files(raw: Path) -> list[Path]:
    return sorted((raw / "events").glob("*.yaml"))


def _edit(raw: Path, pred, mutate) -> tuple[Path, str]:
    for path in _files(raw):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rec in records:
            if pred(rec):
                mutate(rec)
                path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False) + "...\n",
                                encoding="utf-8")
                return path, rec["event_id"]
    raise AssertionError("no event matches the rule's precondition")


def _fails(raw, out, capsys, *expected) -> str:
    before = tree_digest(out)
    status = main(["build", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1, err
    for text in expected:
        assert text in err, err
    assert tree_digest(out) == before
    return err


def test_a_claim_without_an_id_is_refused_with_a_suggestion(raw_copy, processed_copy, capsys):
    def mutate(rec):
        del rec["dates"][0]["id"]
    path, ev = _edit(raw_copy, lambda r: bool(r.get("dates")), mutate)
    err = _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "field 'dates[0].id'",
                 "claim has no id")
    assert "e.g. id: d" in err


def test_a_claim_id_used_twice_in_one_event_is_refused(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["places"][0]["id"] = "p" + rec["places"][1]["id"][1:]
        rec["places"][1]["id"] = rec["places"][0]["id"]
    path, ev = _edit(raw_copy, lambda r: len(r.get("places", [])) >= 2, mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "claim id already used")


def test_a_claim_id_with_the_wrong_letter_is_refused(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["figures"][0]["id"] = "d" + rec["figures"][0]["id"][1:]
    _edit(raw_copy, lambda r: bool(r.get("figures")), mutate)
    _fails(raw_copy, processed_copy, capsys, "field 'figures[0].id'", "starts with 'f'")


def test_correcting_a_claim_keeps_its_id(raw_copy, tmp_path):
    """Ids are written in the record: a corrected figure, phrase or note keeps the id a reader cited."""
    target = {}

    def pick(rec):
        return any(f.get("as_written") == "600" for f in rec.get("figures", [])) or False

    def mutate(rec):
        fig = next(f for f in rec["figures"] if f.get("as_written") == "600")
        target["id"] = f"{rec['event_id']}:{fig['id']}"
        fig["as_written"] = "700"
        fig["note"] = "corrected in a test"
    before = build(raw_copy, tmp_path / "before")
    assert before.records["events"] > 100
    old = pd.read_csv(tmp_path / "before" / "casualties.csv").set_index("claim_id")
    _edit(raw_copy, pick, mutate)
    build(raw_copy, tmp_path / "after")
    new = pd.read_csv(tmp_path / "after" / "casualties.csv").set_index("claim_id")
    assert target["id"] in old.index and target["id"] in new.index
    assert old.loc[target["id"], "low"] == 600 and new.loc[target["id"], "low"] == 700
    assert sorted(old.index) == sorted(new.index)


def test_a_winner_on_a_non_contest_is_refused(raw_copy, processed_copy, capsys):
    def pred(rec):
        return rec["type"] not in schema.CONTEST_TYPES and bool(rec.get("outcomes"))

    def mutate(rec):
        rec["outcomes"][0]["winner"] = "kazakh"
    path, ev = _edit(raw_copy, pred, mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "field 'outcomes[0].winner'",
           "is not a contest")


def test_an_inferred_date_needs_bounds(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["date_basis"] = "inferred"
        rec.pop("date_inferred", None)
        rec["dates"] = []
    path, ev = _edit(raw_copy, lambda r: r.get("date_basis", "stated") == "stated", mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "needs date_inferred bounds")


def test_an_inferred_date_keeps_no_date_claims(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["date_basis"] = "inferred"
        rec["date_inferred"] = {"start": 1600, "end": 1700, "source": "overview", "section": "Lead",
                                "note": "test"}
    path, ev = _edit(raw_copy, lambda r: bool(r.get("dates")), mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "has no date claims of its own")


def test_inferred_bounds_must_agree_with_the_events_named(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["date_basis"] = "inferred"
        rec["dates"] = []
        rec["date_inferred"] = {"start": 1600, "end": 1600, "after": ["battle-of-orbulaq-1643"],
                                "source": "overview", "section": "Lead", "note": "test"}
    path, ev = _edit(raw_copy, lambda r: r["event_id"] != "battle-of-orbulaq-1643" and bool(r.get("dates")),
                     mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "field 'date_inferred.start'",
           "starts before battle-of-orbulaq-1643")


def test_a_stated_place_must_be_one_of_the_place_claims(raw_copy, processed_copy, capsys):
    def pred(rec):
        return rec.get("place_basis", "stated") == "stated" and bool(rec.get("places"))

    def mutate(rec):
        rec["place"] = "Tashkent" if rec["place"] != "Tashkent" else "Sayram"
        rec["places"] = [p for p in rec["places"] if p["place"] not in ("Tashkent", "Sayram")] or rec["places"][:0]
    path, ev = _edit(raw_copy, pred, mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "field 'place'",
           "not among the event's own place claims")


def test_an_inferred_place_needs_a_reason(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["place_basis"] = "inferred"
        rec.pop("place_note", None)
    path, ev = _edit(raw_copy, lambda r: True, mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "needs a place_note")


def test_a_disagreement_needs_two_claims(raw_copy, processed_copy, capsys):
    def mutate(rec):
        cid = rec["dates"][0]["id"]
        rec["disagreements"] = [{"aspect": "date", "claims": [cid, cid], "note": "test"}]
    path, ev = _edit(raw_copy, lambda r: bool(r.get("dates")), mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "needs two different claims")


def test_a_side_claim_outside_the_vocabulary_is_refused(raw_copy, processed_copy, capsys):
    def mutate(rec):
        rec["sides"] = [{"id": "s12345678", "side": "bukhara", "camp": "kazakh", "role": "cheerleader",
                         "source": "overview", "section": "Lead"}]
    path, ev = _edit(raw_copy, lambda r: True, mutate)
    _fails(raw_copy, processed_copy, capsys, path.name, f"record {ev!r}", "sides[0].role")


@pytest.mark.parametrize("role", ["ally", "supplier"])
def test_side_claims_reach_the_event_sides_table(raw_copy, tmp_path, role):
    def mutate(rec):
        rec["sides"] = [{"id": "s12345678", "side": "bukhara", "camp": rec["defender"], "role": role,
                         "source": "overview", "section": "Lead"}]
    _, ev = _edit(raw_copy, lambda r: r.get("defender") not in (None, "bukhara", "both", "none"), mutate)
    build(raw_copy, tmp_path / "out")
    sides = pd.read_csv(tmp_path / "out" / "event_sides.csv")
    mine = sides[sides["event_id"] == ev].set_index("side")
    assert mine.loc["bukhara", "role"] == role and mine.loc["bukhara", "basis"] == "stated"
    assert mine.loc["bukhara", "claim_id"] == f"{ev}:s12345678"
    principals = mine[mine["role"] == "principal"]
    assert set(principals["basis"]) == {"derived"} and len(principals) >= 1
