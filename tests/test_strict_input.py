"""Every bad input an editor, an operating system or a fuzzer can produce is a located message.

Each case corrupts the tiny raw folder of tests/_mini.py and runs ``kdwars build``:
exit status 1, a message naming the file, the line of the offending field and the
reason, no traceback, and the previous tables left byte for byte as they were.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kdwars.build import build
from kdwars.cli import MAX_PRINTED, main
from kdwars.raw import MAX_DEPTH, MAX_FILE_BYTES

from ._mini import EVENTS, PEOPLE, PLACES, line_no, make_raw
from .conftest import tree_digest


@pytest.fixture
def out(tmp_path: Path) -> Path:
    good = make_raw(tmp_path / "good")
    build(good, tmp_path / "out")
    return tmp_path / "out"


def _fails(raw: Path, out: Path, capsys, *expected: str) -> str:
    before = tree_digest(out)
    t0 = time.monotonic()
    status = main(["build", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert time.monotonic() - t0 < 10, "a hostile file must not hang the build"
    assert status == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert tree_digest(out) == before, "a failed build changed the tables"
    return err


def _at(raw: Path, file: str, needle: str) -> str:
    """'file:line' of the first line holding ``needle``."""
    return f"{file}:{line_no(raw / file, needle)}"


EV = "events/01.yaml"


@pytest.mark.parametrize("text,reason", [
    ("1745-02-31", "cannot read a date in '1745-02-31'"),  # YAML 1.1 would read a timestamp and crash
    ("31 February 1745", "is not a day of February 1745"),
    ("December 1745 to March 1745", "range runs backwards within 1745"),
])
def test_impossible_dates_unquoted_or_not(tmp_path, out, capsys, text, reason):
    if text[0].isdigit() and "-" in text:
        events = EVENTS.replace('as_written: "1643"', f"as_written: {text}")
    else:
        events = EVENTS.replace('"1643"', f'"{text}"')
    raw = make_raw(tmp_path, events_01=events)
    _fails(raw, out, capsys, _at(raw, EV, "d0000002"), "field 'dates[0].as_written'", reason)


def test_an_unquoted_date_in_free_text_stays_text(tmp_path):
    raw = make_raw(tmp_path, people=PEOPLE.replace("  side: dzungar", "  side: dzungar\n  died: 1745-02-21"))
    build(raw, tmp_path / "o")
    assert "1745-02-21" in (tmp_path / "o" / "people.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet,needle,reason", [
    ("  lat: !!float 44.5", "!!float", "tags (tag:yaml.org,2002:float) are not allowed"),
    ("  note: !!timestamp 2001-12-14", "!!timestamp", "tags"),
    ("  note: !!python/object:os.system ls", "!!python", "tags"),
    ("  note: &x anchor", "&x", "anchors (&x) are not allowed"),
    ("  <<: {note: merged}", "<<:", "merge keys (<<) are not allowed"),
    ("  ? [a, b]\n  : listkey", "? [a, b]", "a key must be a plain name"),
    ("  1: numeric key", "1: numeric", "a key must be a plain name"),
    ("  note: " + "[" * (MAX_DEPTH + 5) + "x" + "]" * (MAX_DEPTH + 5), "[[[", "nest more than"),
])
def test_yaml_features_hand_edited_files_do_not_need(tmp_path, out, capsys, snippet, needle, reason):
    places = PLACES.replace("  lat: 44.5\n", ("  lat: 44.5\n" if "lat:" not in snippet else "") + snippet + "\n", 1)
    raw = make_raw(tmp_path, places=places)
    _fails(raw, out, capsys, _at(raw, "places.yaml", needle), reason)


def test_an_alias_bomb_is_refused_at_once(tmp_path, out, capsys):
    bomb = "- &a [x, x, x, x, x, x, x, x]\n" + "".join(
        f"- &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 8)}]\n" for i in range(9)) + "...\n"
    raw = make_raw(tmp_path, places=bomb)
    _fails(raw, out, capsys, "places.yaml:1", "anchors (&a) are not allowed")


def test_a_huge_file_is_refused_unread(tmp_path, out, capsys):
    raw = make_raw(tmp_path)
    with open(raw / "events" / "02.yaml", "w", encoding="utf-8") as fh:
        fh.write("# padding\n" * (MAX_FILE_BYTES // 10 + 10) + "...\n")
    err = _fails(raw, out, capsys, "02.yaml", "file is larger than")
    assert len(err) < 2_000


@pytest.mark.parametrize("value,reason", [
    ('"Own words\\rwith a bare carriage return."', "control character"),
    ('"Own words with a\\u0000null."', "control character"),
    ('"Orbula\\u0301q in decomposed form."', "not in Unicode normal form NFC"),
    ("1.5", "a decimal number here"),
])
def test_values_the_csv_round_trip_would_alter(tmp_path, out, capsys, value, reason):
    raw = make_raw(tmp_path, events_01=EVENTS.replace("  summary: Own words about the battle.",
                                                      f"  summary: {value}"))
    _fails(raw, out, capsys, _at(raw, EV, "  summary: " + value[:8]), "record 'battle-1643'", "field 'summary'",
           reason)


def test_the_line_is_the_offending_fields_not_the_records(tmp_path, out, capsys):
    raw = make_raw(tmp_path, events_01=EVENTS.replace("  defender: kazakh\n  summary: Own words about the battle.",
                                                      "  defender: kazakhs\n  summary: Own words about the battle."))
    line = line_no(raw / "events" / "01.yaml", "defender: kazakhs")
    assert line != line_no(raw / "events" / "01.yaml", "event_id: battle-1643")
    _fails(raw, out, capsys, f"{EV}:{line}", "field 'defender'", "'kazakhs'")


@pytest.mark.parametrize("make,reason", [
    (lambda raw: (raw / "people.yml").write_text("[]\n...\n"), "file is not read by the build (rename it to .yaml)"),
    (lambda raw: ((raw / "events" / "old").mkdir(), (raw / "events" / "old" / "x.yaml").write_text("[]\n...\n")),
     "unexpected folder"),
    (lambda raw: (raw / "notes.txt").write_text("x"), "file is not read by the build"),
    (lambda raw: os.symlink("/etc/hostname", raw / "events" / "02.yaml"), "symlink leads outside the raw directory"),
])
def test_every_file_under_raw_is_accounted_for(tmp_path, out, capsys, make, reason):
    raw = make_raw(tmp_path)
    make(raw)
    _fails(raw, out, capsys, reason)


def test_printed_problems_are_capped(tmp_path, out, capsys):
    bad = "".join(f'    - {{id: f1000{i:03d}, side: kazakh, measure: killed, unit: men, as_written: "x{i}", '
                  f'source: overview, section: Lead}}\n' for i in range(MAX_PRINTED + 15))
    raw = make_raw(tmp_path, events_01=EVENTS.replace("  participants:\n", bad + "  participants:\n", 1))
    err = _fails(raw, out, capsys, f"{MAX_PRINTED + 15} problem(s)", "… and 15 more")
    assert err.count("  - ") == MAX_PRINTED


def test_a_file_cut_inside_a_character_is_reported_as_truncated(tmp_path, out, capsys):
    raw = make_raw(tmp_path)
    path = raw / "events" / "01.yaml"
    data = path.read_bytes()
    path.write_bytes(data[: data.index("–".encode()) + 1])  # half of a 3-byte dash
    _fails(raw, out, capsys, "01.yaml:10", "it may be truncated")


@pytest.mark.parametrize("value", ["9" * 5000, "1" + "0" * 400 + ".5", ".inf", "0x1F"])
def test_numbers_yaml_1_1_would_mangle_or_overflow(tmp_path, out, capsys, value):
    raw = make_raw(tmp_path, places=PLACES.replace("lat: 44.5", f"lat: {value}"))
    _fails(raw, out, capsys, _at(raw, "places.yaml", "lat: " + value[:10]), "record 'orbulaq'", "field 'lat'")
