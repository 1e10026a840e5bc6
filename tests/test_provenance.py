"""Where the five articles come from: URL, fingerprint of the extract, licence, attribution.

The fingerprint test reads the extracts from ``../shared/sources`` (beside the
repository, as on the project's machines and in CI) and is skipped elsewhere with
a reason that says how to get them (README, "The sources").
"""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml

import kdwars

from .conftest import RAW, REPO

SOURCES_DIR = REPO.parent / "shared" / "sources"
SKIP_REASON = (
    f"SOURCE TEXTS NOT FOUND at {SOURCES_DIR}: the extract fingerprints cannot be checked. "
    "Put the five plain-text extracts there (file names and sha256 in data/raw/sources.yaml; "
    "how to get them: README.md, 'The sources')."
)


def _sources() -> list[dict]:
    return yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))


def test_every_source_has_its_provenance():
    wikipedia = {"overview", "overview-old", "war1635", "war1723", "war1739"}
    assert wikipedia <= {s["source_id"] for s in _sources()}
    for s in _sources():
        sid = s["source_id"]
        assert re.fullmatch(r"https?://\S+", s["url"]), sid
        if sid in wikipedia:
            assert re.fullmatch(r"https://en\.wikipedia\.org/wiki/\S+", s["url"]), sid
            assert s["licence"] == "CC BY-SA 4.0", sid
        assert re.fullmatch(r"[0-9a-f]{64}", s["sha256"]), sid
        assert s["title"] in s["attribution"] and s["url"] in s["attribution"], sid
        assert "CC BY-SA 4.0" in s["attribution"], sid
    old = {s["source_id"]: s for s in _sources()}["overview-old"]
    assert old["mirror_url"].startswith("https://theinfolist.com/")
    # the extract itself names the mirror it came from
    if SOURCES_DIR.is_dir():
        assert "TheInfoList" in (SOURCES_DIR / old["file"]).read_text(encoding="utf-8")[:200]


def test_sources_table_carries_the_provenance():
    table = kdwars.load_sources().set_index("source_id")
    for s in _sources():
        row = table.loc[s["source_id"]]
        for col in ("url", "sha256", "licence", "attribution"):
            assert row[col] == s[col], (s["source_id"], col)
        assert (row["mirror_url"] if isinstance(row["mirror_url"], str) else None) == s.get("mirror_url")


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason=SKIP_REASON)
def test_extract_fingerprints_match():
    for s in _sources():
        data = (SOURCES_DIR / s["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == s["sha256"], \
            f"{s['source_id']}: {s['file']} is not the text the claims were read from"
