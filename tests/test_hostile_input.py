"""Hostile input: every way a hand-editor can break a raw file.

For each corruption the build must stop with a message naming the file, the
record, the field and the offending value, exit non-zero, and leave the
processed tables byte-for-byte unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kdwars.cli import main

from .conftest import tree_digest


def _event_file(raw: Path) -> Path:
    return sorted((raw / "events").glob("*.yaml"))[0]


def _load(path: Path) -> list:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, records: list) -> None:
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False) + "...\n", encoding="utf-8")


def _first(records: list, pred) -> dict:
    return next(r for r in records if pred(r))


def _edit_event(raw: Path, pred, mutate):
    """Mutate the first event matching ``pred``; return (file, event_id)."""
    for path in sorted((raw / "events").glob("*.yaml")):
        records = _load(path)
        for rec in records:
            if pred(rec):
                mutate(rec)
                _dump(path, records)
                return path, rec["event_id"]
    raise AssertionError("no event matches the corruption's precondition")


def has_figures(rec):
    return bool(rec.get("figures"))


def has_participants(rec):
    return bool(rec.get("participants"))


def set_fig(text):
    def mutate(rec):
        rec["figures"][0]["as_written"] = text
    return mutate


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def inverted_range(raw):
    f, ev = _edit_event(raw, has_figures, set_fig("50,000 to 25,000"))
    return f, ev, "figures[0].as_written", "50,000 to 25,000", "inverted range"


@case
def negative_figure(raw):
    f, ev = _edit_event(raw, has_figures, set_fig("-500"))
    return f, ev, "figures[0].as_written", "-500", "negative"


@case
def unparseable_figure(raw):
    f, ev = _edit_event(raw, has_figures, set_fig("a great many"))
    return f, ev, "figures[0].as_written", "a great many", "cannot read"


@case
def unparseable_date(raw):
    def mutate(rec):
        rec["dates"][0]["as_written"] = "soon afterwards"
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "dates[0].as_written", "soon afterwards", "cannot read a date"


@case
def unknown_person(raw):
    def mutate(rec):
        rec["participants"][0]["person"] = "Genghiz Kaan"
    f, ev = _edit_event(raw, has_participants, mutate)
    return f, ev, "participants[0].person", "Genghiz Kaan", "unknown person"


@case
def unknown_place(raw):
    def mutate(rec):
        rec["place"] = "Atlantis"
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "place", "Atlantis", "unknown place"


@case
def duplicate_event_id(raw):
    path = _event_file(raw)
    records = _load(path)
    records.append(copy.deepcopy(records[0]))
    _dump(path, records)
    return path, records[0]["event_id"], "event_id", records[0]["event_id"], "duplicate event id"


@case
def year_outside_its_phase(raw):
    def late(rec):
        return any(str(d["as_written"]).strip().isdigit() and int(d["as_written"]) > 1700 for d in rec["dates"])

    def mutate(rec):
        rec["period"] = "war-1635-1658"
    f, ev = _edit_event(raw, late, mutate)
    return f, ev, "period", "war-1635-1658", "outside its phase"


@case
def claim_without_source(raw):
    def mutate(rec):
        del rec["dates"][0]["source"]
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "dates[0].source", None, "required field is missing"


@case
def unknown_source(raw):
    def mutate(rec):
        rec["dates"][0]["source"] = "wikipedia"
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "dates[0].source", "wikipedia", "unknown source"


@case
def unknown_section(raw):
    def mutate(rec):
        rec["dates"][0]["section"] = "Chapter 99"
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "dates[0].section", "Chapter 99", "no such section"


@case
def misspelt_field(raw):
    def mutate(rec):
        rec["summry"] = rec.pop("summary")
    f, ev = _edit_event(raw, lambda r: True, mutate)
    return f, ev, "summry", None, "unknown field"


@case
def side_outside_vocabulary(raw):
    def mutate(rec):
        rec["figures"][0]["side"] = "martians"
    f, ev = _edit_event(raw, has_figures, mutate)
    return f, ev, "figures[0].side", "martians", "not in the vocabulary"


@case
def disagreement_citing_an_unknown_claim(raw):
    def mutate(rec):
        rec["disagreements"] = [{"aspect": "date", "claims": [rec["dates"][0]["id"], "d00000000"],
                                 "note": "made-up disagreement"}]
    f, ev = _edit_event(raw, lambda r: bool(r.get("dates")), mutate)
    return f, ev, "disagreements[0].claims[1]", "d00000000", "no claim with this id"


@case
def place_alias_clash(raw):
    path = raw / "places.yaml"
    records = _load(path)
    a, b = records[0], records[1]
    b.setdefault("aliases", []).append(a["name"])
    _dump(path, records)
    return path, b["place_id"], "aliases[", a["name"], "already belongs to place"


@case
def person_bad_coordinates_type(raw):
    path = raw / "places.yaml"
    records = _load(path)
    records[2]["lat"] = "forty-three"
    _dump(path, records)
    return path, records[2]["place_id"], "lat", "forty-three", "valid number"


@case
def yaml_syntax_error(raw):
    path = _event_file(raw)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "  - {as_written: \"1643\", source: overview")  # an unclosed flow mapping
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, None, None, None, "YAML syntax error"


@case
def wrong_encoding(raw):
    path = raw / "people.yaml"
    text = path.read_text(encoding="utf-8")
    assert any(ord(c) > 127 for c in text)
    path.write_bytes(text.encode("utf-16"))
    return path, None, None, None, "not valid UTF-8"


@case
def latin1_encoding(raw):
    path = raw / "places.yaml"
    text = path.read_text(encoding="utf-8") + "\n# Ayagöz\n"
    path.write_bytes(text.encode("latin-1", errors="replace"))
    return path, None, None, None, "not valid UTF-8"


@case
def truncated_file(raw):
    path = _event_file(raw)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path, None, None, None, "may be truncated"


@case
def empty_file(raw):
    path = raw / "phases.yaml"
    path.write_bytes(b"")
    return path, None, None, None, "file is empty"


@case
def missing_file(raw):
    path = raw / "places.yaml"
    path.unlink()
    return path, None, None, None, "file is missing"


@case
def code_execution_tag(raw):
    path = _event_file(raw)
    marker = raw.parent / "pwned"
    text = path.read_text(encoding="utf-8")
    path.write_text(f"- !!python/object/apply:os.system [\"touch {marker}\"]\n" + text, encoding="utf-8")
    return path, None, None, None, "YAML syntax error"


@pytest.mark.parametrize("name", sorted(CASES))
def test_corrupted_raw_data_fails_cleanly(name, raw_copy, processed_copy, capsys):
    path, record, field, value, reason = CASES[name](raw_copy)
    before = tree_digest(processed_copy)
    status = main(["build", "--raw", str(raw_copy), "--out", str(processed_copy)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "nothing was written" in err
    assert path.name in err, err
    if record is not None:
        assert f"record {record!r}" in err, err
    if field is not None:
        assert f"field '{field}" in err, err
    if value is not None:
        assert repr(value) in err, err
    assert reason in err, err
    assert tree_digest(processed_copy) == before, "a failed build changed data/processed"
    assert not (raw_copy.parent / "pwned").exists(), "YAML executed code"


def test_every_error_names_file_and_line(raw_copy, processed_copy, capsys):
    """Several problems at once are all reported, each with file:line."""
    unknown_place(raw_copy)
    inverted_range(raw_copy)
    status = main(["build", "--raw", str(raw_copy), "--out", str(processed_copy)])
    err = capsys.readouterr().err
    assert status == 1
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(problems) >= 2
    for line in problems:
        assert ".yaml:" in line and line.split(".yaml:")[1][:1].isdigit(), line


def test_validate_writes_nothing(raw_copy, tmp_path, capsys):
    out = tmp_path / "never"
    assert main(["validate", "--raw", str(raw_copy)]) == 0
    assert not out.exists()
    assert "claims read" in capsys.readouterr().out


def test_build_reports_claims_in_and_out(raw_copy, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--raw", str(raw_copy), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    read = int(text.split("claims read: ")[1].split()[0])
    written = int(text.split("claims written: ")[1].split()[0])
    assert read == written > 300
    assert (out / "events.csv").is_file() and (out / "datapackage.json").is_file()
