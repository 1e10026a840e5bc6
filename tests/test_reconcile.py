"""The reconciled view: envelope of claims, counts, and the agreement rule."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kdwars
from kdwars.parse import parse_figure


def claims(*rows):
    out = []
    for i, (side, measure, text, source, kind) in enumerate(rows):
        f = parse_figure(text)
        out.append({"claim_id": f"c{i}", "event_id": "e", "side": side, "measure": measure, "kind": kind,
                    "unit": "men", "low": f.low, "high": f.high, "qualitative": f.qualitative,
                    "precision": f.precision, "as_written": text, "source_id": source})
    df = pd.DataFrame(out)
    df["low"] = df["low"].astype("Int64")
    df["high"] = df["high"].astype("Int64")
    return df


def one(df):
    assert len(df) == 1
    return df.iloc[0]


def test_envelope_of_conflicting_claims():
    r = one(kdwars.reconcile(claims(("dzungar", "strength", "25,000 to 50,000", "a", "initial"),
                                    ("dzungar", "strength", "2000-15.000", "b", "initial"))))
    assert (r["low"], r["high"], r["n_claims"], r["n_sources"], r["status"], r["agree"]) == \
        (2000, 50000, 2, 2, "conflict", False)


def test_overlapping_claims():
    r = one(kdwars.reconcile(claims(("kazakh", "strength", "600", "a", "detachment"),
                                    ("kazakh", "strength", "600–800", "b", "detachment"))))
    assert (r["low"], r["high"], r["status"]) == (600, 800, "overlap")


def test_agreeing_claims():
    r = one(kdwars.reconcile(claims(("kazakh", "captured", "3,000", "a", None),
                                    ("kazakh", "captured", "three thousand", "b", None))))
    assert (r["low"], r["high"], r["status"], r["agree"]) == (3000, 3000, "agree", True)


def test_open_bound_stays_open():
    r = one(kdwars.reconcile(claims(("dzungar", "strength", "more than 30,000", "a", None),
                                    ("dzungar", "strength", "24,000", "b", None))))
    assert r["low"] == 24000 and pd.isna(r["high"])
    assert r["status"] == "conflict"


def test_lower_bound_overlapping():
    r = one(kdwars.reconcile(claims(("dzungar", "strength", "more than 30,000", "a", None),
                                    ("dzungar", "strength", "24,000–40,000", "b", None))))
    assert r["status"] == "overlap"


def test_qualitative_and_unknown():
    rec = kdwars.reconcile(claims(("kazakh", "losses", "Heavy", "a", None),
                                  ("kazakh", "losses", "Catastrophic (civilian losses)", "b", None),
                                  ("dzungar", "strength", "Unknown", "c", None)))
    k = one(rec[rec["side"] == "kazakh"])
    assert k["qualitative"] == "catastrophic" and pd.isna(k["low"]) and k["status"] == "conflict"
    d = one(rec[rec["side"] == "dzungar"])
    assert d["status"] == "unknown" and pd.isna(d["low"]) and pd.isna(d["high"])


def test_kinds_are_not_mixed():
    rec = kdwars.reconcile(claims(("dzungar", "strength", "1,000", "a", "detachment"),
                                  ("dzungar", "strength", "1,500", "a", "reinforcement")))
    assert len(rec) == 2 and set(rec["status"]) == {"single"}


def test_missing_columns_raise():
    with pytest.raises(ValueError, match="needs columns"):
        kdwars.reconcile(pd.DataFrame({"event_id": ["e"]}))


@given(st.lists(st.tuples(st.integers(1, 100_000), st.integers(0, 50_000)), min_size=1, max_size=6))
def test_envelope_contains_every_claim(pairs):
    rows = [("kazakh", "killed", f"{lo:,} to {lo + w:,}" if w else f"{lo:,}", f"s{i % 3}", None)
            for i, (lo, w) in enumerate(pairs)]
    r = one(kdwars.reconcile(claims(*rows)))
    assert r["low"] == min(lo for lo, _ in pairs)
    assert r["high"] == max(lo + w for lo, w in pairs)
    assert r["n_claims"] == len(pairs)
    disjoint = max(lo for lo, _ in pairs) > min(lo + w for lo, w in pairs)
    assert (r["status"] == "conflict") == disjoint


def test_reconcile_real_data_keeps_every_claim():
    cas = kdwars.load_casualties()
    rec = kdwars.reconcile(cas)
    assert rec["n_claims"].sum() == len(cas)
    orb = rec[rec["event_id"].str.contains("orbulaq") & (rec["side"] == "dzungar") & (rec["measure"] == "strength")]
    assert (orb["low"] == 2000).any() and (orb["high"] == 50000).any()
