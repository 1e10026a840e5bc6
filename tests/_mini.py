"""A tiny, valid raw-data folder for testing each stage of the build on its own."""

from __future__ import annotations

from pathlib import Path

SOURCES = """\
- source_id: overview
  file: overview.txt
  title: Overview
  version: current
  kind: overview
  sections: [Lead, "1635–1658"]
  url: https://example.org/overview
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
  licence: CC BY-SA 4.0
  attribution: Test article, CC BY-SA 4.0
...
"""

PHASES = """\
- {scheme: period, phase_id: before, label: Before, start_year: 1600, end_year: 1634, source: overview, section: Lead}
- {scheme: period, phase_id: war-one, label: War one, start_year: 1635, end_year: 1700, source: overview, section: Lead}
- {scheme: stage, phase_id: first, label: First, start_year: 1600, end_year: 1700, source: overview, section: Lead}
...
"""

PEOPLE = """\
- person_id: jangir-khan
  name: Salqam Jangir Khan
  aliases: [Jangir Khan, Jangir]
  side: kazakh
  claims:
    - {field: juz, value: middle, source: overview, section: Lead}
- person_id: erdeni-batur
  name: Erdeni Batur
  aliases: []
  side: dzungar
...
"""

PLACES = """\
- place_id: orbulaq
  name: Orbulaq
  aliases: [Orbulak]
  kind: battlefield
  lat: 44.5
  lon: 79.0
  precision: approximate
  region: jetisu
  modern_country: Kazakhstan
- place_id: turkistan
  name: Turkistan
  aliases: [Turkestan]
  kind: city
  lat: 43.297
  lon: 68.251
  precision: exact
  region: syr-darya
  modern_country: Kazakhstan
...
"""

EVENTS = """\
- event_id: war-1640
  name: A war
  type: war
  place: Turkistan
  attacker: dzungar
  defender: kazakh
  summary: >-
    Own words about the war.
  dates:
    - {id: d0000001, as_written: "1640–1645", source: overview, section: "1635–1658"}
  places:
    - {id: p0000001, place: Turkistan, role: theatre, source: overview, section: "1635–1658"}
- event_id: battle-1643
  name: A battle
  type: battle
  parent: war-1640
  place: Orbulaq
  attacker: dzungar
  defender: kazakh
  summary: Own words about the battle.
  dates:
    - {id: d0000002, as_written: "1643", source: overview, section: "1635–1658"}
    - {id: d0000003, as_written: "1644", source: overview, section: Lead}
  outcomes:
    - {id: o0000001, winner: kazakh, as_written: "Kazakh victory", source: overview, section: "1635–1658"}
  places:
    - {id: p0000002, place: Orbulak, role: site, source: overview, section: "1635–1658"}
  figures:
    - {id: f0000001, side: kazakh, measure: strength, unit: men, as_written: "600", source: overview, section: "1635–1658"}
    - {id: f0000002, side: dzungar, measure: strength, unit: men, as_written: "25,000 to 50,000", source: overview, section: "1635–1658"}
  participants:
    - {id: c0000001, person: Jangir, side: kazakh, role: commander, source: overview, section: "1635–1658"}
    - {id: c0000002, person: Erdeni Batur, side: dzungar, role: commander, fate: KIA, source: overview, section: Lead}
...
"""

FILES = {"sources.yaml": SOURCES, "phases.yaml": PHASES, "people.yaml": PEOPLE, "places.yaml": PLACES,
         "events/01.yaml": EVENTS}


def make_raw(root: Path, **replace: str) -> Path:
    """Write the tiny raw folder under ``root/raw`` (``replace`` maps a file name to other text)."""
    raw = root / "raw"
    (raw / "events").mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (raw / name).write_text(replace.get(name.replace("/", "_").replace(".yaml", ""), text), encoding="utf-8")
    return raw


def line_no(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")
