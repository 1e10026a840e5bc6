"""Adding a sixth article, as a user would (data/raw/README.md, "Adding a sixth article").

A synthetic source with two sections is registered in a copy of ``data/raw``, a few
claims citing it are added to an existing event (the Battle of Orbulaq, 1643), the
copy is built into a temporary directory, and the tables are loaded from there
(``KDWARS_DATA_DIR``). Every claim must reach its table, the coverage table, the
GeoJSON exports and — for the figure that contradicts the other articles —
``kdwars.reconcile`` and the disagreement analysis.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import kdwars
from kdwars import analysis
from kdwars.build import build

EVENT = "battle-of-orbulaq-1643"
SOURCE = "synthetic-history"
SECTIONS = ["Lead", "The gorge"]
EXTRACT = "Synthetic History of Orbulaq\n\nA made-up text standing in for a sixth article.\n"


def synthetic_claims() -> dict[str, list[dict]]:
    """The new source's claims on the Battle of Orbulaq, by list of the event record.

    Each claim carries its stable ``id`` (the list's letter, then letters or digits).
    """
    cite_lead = {"source": SOURCE, "section": SECTIONS[0]}
    cite_body = {"source": SOURCE, "section": SECTIONS[1]}
    return {
        # a year the other articles do not give: the event's date becomes disputed
        "dates": [{"id": "dsyn01", "as_written": "1644", **cite_lead}],
        "places": [{"id": "psyn01", "place": "Ili", "role": "near", **cite_body}],
        # 3,000 lies outside the 600 (overview) and 600–800 (overview-old): a conflict
        "figures": [{"id": "fsyn01", "side": "kazakh", "measure": "strength", "kind": "detachment", "unit": "men",
                     "as_written": "3,000", **cite_body}],
        "participants": [{"id": "csyn01", "person": "Erdeni Batur", "side": "dzungar", "role": "commander",
                          **cite_body}],
    }


def _add_source(raw: Path, extract_path: Path) -> None:
    """Register the synthetic article in sources.yaml (before the end marker)."""
    extract_path.write_text(EXTRACT, encoding="utf-8")
    digest = hashlib.sha256(extract_path.read_bytes()).hexdigest()
    record = (
        f"- source_id: {SOURCE}\n"
        f"  file: {extract_path.name}\n"
        "  title: Synthetic History of Orbulaq\n"
        "  version: current\n"
        "  kind: war\n"
        "  note: A made-up article for the test of adding a source.\n"
        "  url: https://example.org/synthetic-history-of-orbulaq\n"
        f"  sha256: {digest}\n"
        "  licence: CC BY-SA 4.0\n"
        "  attribution: Synthetic History of Orbulaq, example.org, CC BY-SA 4.0.\n"
        f"  sections: {json.dumps(SECTIONS, ensure_ascii=False)}\n"
    )
    path = raw / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().endswith("\n...")
    path.write_text(text.rstrip()[:-3] + record + "...\n", encoding="utf-8")


def _add_claims(raw: Path) -> None:
    """Append each synthetic claim, as a one-line YAML flow mapping, to its list in the event record."""
    files = [f for f in sorted((raw / "events").glob("*.yaml"))
             if f"- event_id: {EVENT}\n" in f.read_text(encoding="utf-8")]
    assert len(files) == 1
    lines = files[0].read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"- event_id: {EVENT}\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ") or lines[i] == "...\n"),
               len(lines))
    for key, claims in synthetic_claims().items():
        header = next(i for i in range(start, end) if lines[i] == f"  {key}:\n")
        new = [f"    - {json.dumps(c, ensure_ascii=False)}\n" for c in claims]
        lines[header + 1:header + 1] = new
        end += len(new)
    files[0].write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def built(raw_copy, tmp_path, monkeypatch):
    """(baseline figures reconciled, report, out dir) with the loaders pointed at the new build."""
    baseline = kdwars.reconcile(kdwars.load_casualties())
    baseline.attrs["claims"] = sum(build(raw_copy, tmp_path / "before").claims_out.values())
    baseline.attrs["disputed"] = set(kdwars.load_events().set_index("event_id").loc[EVENT, "disputed"])
    _add_source(raw_copy, tmp_path / "synthetic.txt")
    _add_claims(raw_copy)
    out = tmp_path / "processed"
    report = build(raw_copy, out)
    monkeypatch.setenv("KDWARS_DATA_DIR", str(out))
    assert kdwars.data_dir() == out
    return baseline, report, out


def test_the_new_source_is_registered(built):
    baseline, report, _ = built
    src = kdwars.load_sources().set_index("source_id")
    assert SOURCE in src.index and len(src) == 6
    assert src.loc[SOURCE, "n_sections"] == 2
    assert src.loc[SOURCE, "url"] == "https://example.org/synthetic-history-of-orbulaq"
    assert report.records["sources"] == 6
    n_new = sum(len(v) for v in synthetic_claims().values())
    assert sum(report.claims_in.values()) == sum(report.claims_out.values()) == baseline.attrs["claims"] + n_new


def test_every_claim_reaches_its_table(built):
    dates = kdwars.load_event_dates()
    mine = dates[dates["source_id"] == SOURCE]
    assert mine[["event_id", "as_written", "year_start", "section"]].values.tolist() == \
        [[EVENT, "1644", 1644, "Lead"]]
    places = kdwars.load_event_places()
    row = places[places["source_id"] == SOURCE]
    assert row[["event_id", "place_id", "role", "as_written"]].values.tolist() == \
        [[EVENT, "ili-river", "near", "Ili"]]
    figs = kdwars.load_casualties()
    row = figs[figs["source_id"] == SOURCE]
    assert row[["event_id", "side", "kind", "low", "high", "precision"]].values.tolist() == \
        [[EVENT, "kazakh", "detachment", 3000, 3000, "exact"]]
    cmd = kdwars.load_commanders()
    row = cmd[cmd["source_id"] == SOURCE]
    assert row[["event_id", "person_id", "role"]].values.tolist() == [[EVENT, "erdeni-batur", "commander"]]


def test_the_event_row_reflects_the_new_claims(built):
    ev = kdwars.load_events().set_index("event_id").loc[EVENT]
    assert (ev["year_start"], ev["year_end"]) == (1643, 1644)
    # a second year and a figure outside the others conflict with the other articles;
    # a place "near" the site is no competing site
    baseline, _, _ = built
    assert "date" not in baseline.attrs["disputed"]
    assert set(ev["disputed"]) == baseline.attrs["disputed"] | {"date", "figures"}  # a list from the loader
    assert SOURCE in ev["sources"]
    assert ev["date_edtf"] == "[1643,1644]"  # two sources, two single years: one of them


def test_coverage_counts_the_new_sections(built):
    cov = kdwars.load_coverage()
    mine = cov[cov["source_id"] == SOURCE].set_index("section")
    assert list(mine.index) == SECTIONS
    assert mine.loc["Lead", "n_claims"] == 1 and mine.loc["Lead", "n_dates"] == 1
    assert mine.loc["The gorge", "n_claims"] == 3
    assert (mine.loc["The gorge", ["n_places", "n_figures", "n_participants"]] == 1).all()


def test_reconcile_shows_the_new_conflict(built):
    baseline, _, _ = built
    key = dict(event_id=EVENT, side="kazakh", measure="strength", unit="men", kind="detachment")

    def pick(rec):
        m = rec
        for k, v in key.items():
            m = m[m[k] == v]
        assert len(m) == 1
        return m.iloc[0]

    before, after = pick(baseline), pick(kdwars.reconcile(kdwars.load_casualties()))
    assert before["status"] == "overlap" and before["n_sources"] == 2
    assert after["status"] == "conflict" and after["n_sources"] == 3 and after["n_claims"] == 3
    assert (after["low"], after["high"]) == (600, 3000)
    pairs = analysis.disagreeing_pairs(kdwars.load_event_dates(), kdwars.load_event_outcomes(),
                                       kdwars.load_casualties())
    mine = pairs[(pairs["event_id"] == EVENT)
                 & (pairs["witness_a"].str.startswith(SOURCE) | pairs["witness_b"].str.startswith(SOURCE))]
    assert set(mine["aspect"]) == {"date", "figures"}
    card = kdwars.claim_card(EVENT)
    assert set(card.loc[card["source_id"] == SOURCE, "claim_id"].str.split(":").str[1]) == \
        {c["id"] for claims in synthetic_claims().values() for c in claims}
    conflicts = card.attrs["conflicts"]
    assert ((conflicts["source_a"] == SOURCE) | (conflicts["source_b"] == SOURCE)).any()
    rel = kdwars.load_claim_relations()
    rel = rel[(rel["event_id"] == EVENT) & (rel["source_a"].eq(SOURCE) | rel["source_b"].eq(SOURCE))]
    pairs = [{a.split(":")[1], b.split(":")[1]} for a, b in zip(rel["claim_a"], rel["claim_b"])]
    new_fig = rel[[("fsyn01" in p) for p in pairs]]
    assert len(new_fig) == 2 and set(new_fig["relation"]) == {"conflicts"}
    new_date = rel[[("dsyn01" in p) for p in pairs]]
    assert len(new_date) >= 1 and set(new_date["relation"]) == {"conflicts"}


def test_the_exports_carry_the_new_source(built):
    _, _, out = built
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    props = next(f["properties"] for f in events["features"] if f["properties"]["event_id"] == EVENT)
    assert SOURCE in props["sources"]
    assert {"source_id": SOURCE, "section": "The gorge"} in props["source_sections"]
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    ili = next(f for f in places["features"] if f["properties"]["place_id"] == "ili-river")
    name = next(n for n in ili["names"] if n["toponym"] == "Ili")
    assert "https://example.org/synthetic-history-of-orbulaq" in {c["@id"] for c in name["citations"]}
    assert any(re.search(r"\[synthetic-history\], section 'The gorge'", c["label"]) for c in name["citations"])


def test_an_unlisted_section_is_refused(raw_copy, tmp_path):
    """A claim citing a section the new source does not list fails with file, record and value."""
    from kdwars.raw import RawDataError

    _add_source(raw_copy, tmp_path / "synthetic.txt")
    _add_claims(raw_copy)
    path = next(f for f in (raw_copy / "events").glob("*.yaml") if "The gorge" in f.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace('"The gorge"', '"The Gorge"', 1), encoding="utf-8")
    with pytest.raises(RawDataError) as exc:
        build(raw_copy, tmp_path / "out")
    message = str(exc.value)
    assert EVENT in message and "'The Gorge'" in message and "no such section" in message
    assert not (tmp_path / "out" / "events.csv").exists()
