"""Every figure, date and outcome phrase can be found in the section it cites.

The articles themselves are not part of the project (their text stays outside it);
this test reads them from ``../shared/sources`` when that folder is beside the
repository, as on the project's machines and in CI, and is skipped elsewhere.
It makes "spot-check any figure through source_id and section" automatic.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml

import kdwars

from .conftest import RAW, REPO

SOURCES_DIR = REPO.parent / "shared" / "sources"
pytestmark = pytest.mark.skipif(
    not SOURCES_DIR.is_dir(),
    reason=(f"SOURCE TEXTS NOT FOUND at {SOURCES_DIR}: the phrase-in-section checks did NOT run. "
            "Put the five plain-text extracts there (file names and sha256 in data/raw/sources.yaml; "
            "how to get them: README.md, 'The sources')."),
)


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u02bb", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).lower()


def split_sections(text: str, names: list[str]) -> dict[str, str]:
    """Section name -> text (heading included). ``== Heading ==`` lines and, in the
    older article, bare heading lines open sections; infobox lines (``- Field: ...``)
    form the ``Infobox``; prose before the first heading is the ``Lead``."""
    out: dict[str, list[str]] = {"Lead": []}
    current = "Lead"
    for line in text.splitlines():
        m = re.match(r"^=+\s*(.*?)\s*=+$", line)
        head = m.group(1) if m and not line.startswith("= ") else (line.strip() if line.strip() in names else None)
        if head in names:
            current = head
            out.setdefault(current, []).append(line)
            continue
        if current == "Infobox" and line.strip() and not line.startswith("- "):
            current = "Lead"
        out.setdefault(current, []).append(line)
    return {k: norm("\n".join(v)) for k, v in out.items()}


@pytest.fixture(scope="module")
def sections() -> dict[str, dict[str, str]]:
    sources = yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))
    return {s["source_id"]: split_sections((SOURCES_DIR / s["file"]).read_text(encoding="utf-8"), s["sections"])
            for s in sources}


def test_every_cited_section_exists_in_its_article(sections):
    sources = yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))
    for s in sources:
        for name in s["sections"]:
            assert sections[s["source_id"]].get(name), f"{s['source_id']}: section {name!r} not found"


@pytest.mark.parametrize("loader", ["load_casualties", "load_event_dates", "load_event_outcomes"])
def test_phrases_are_found_in_the_cited_section(loader, sections):
    claims = getattr(kdwars, loader)().dropna(subset=["as_written"])
    missing = [(r.event_id, r.as_written, r.source_id, r.section) for r in claims.itertuples()
               if norm(r.as_written) not in sections[r.source_id].get(r.section, "")]
    assert not missing, f"{len(missing)} phrase(s) not in their cited section, e.g. {missing[:5]}"
    assert len(claims) > 80
