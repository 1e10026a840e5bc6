"""One vocabulary module: everything takes its vocabularies and orders from kdwars.vocab."""

from __future__ import annotations

import re
import subprocess
import sys

from kdwars import vocab

from .conftest import RAW, REPO


def test_raw_readme_lists_the_vocabularies_of_vocab_py():
    text = (RAW / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- vocab:start -->\n", 1)[1].split("<!-- vocab:end -->", 1)[0]
    assert block == vocab.vocabulary_markdown()
    # and each bullet's backticked values are exactly the module's tuple, in order
    for line in block.splitlines():
        const = re.search(r"\(`([A-Z_]+)`\)", line).group(1)
        values = re.findall(r"`([^`]+)`", line.split(": ", 1)[1].split(". ", 1)[0])
        assert tuple(values) == getattr(vocab, const), const


def test_no_other_module_restates_a_vocabulary():
    # a run of three values of a vocabulary, quoted as Python literals, outside vocab.py
    probes = [", ".join(f'"{v}"' for v in voc[i:i + 3])
              for voc in (vocab.SIDES, vocab.EVENT_TYPES, vocab.MEASURES, vocab.UNITS, vocab.REGIONS,
                          vocab.QUALITATIVE_LEVELS, vocab.DATE_PRECISIONS, vocab.RELATIONS, vocab.ROLES,
                          vocab.EVENT_TYPE_ORDER, vocab.PLACE_KINDS)
              for i in range(0, len(voc) - 2, 3)]
    offenders = []
    for path in (REPO / "src" / "kdwars").glob("*.py"):
        if path.name == "vocab.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [(path.name, p) for p in probes if p in text]
    assert not offenders


def test_schema_and_data_dictionary_use_the_module():
    from kdwars import datapackage, schema

    assert schema.SIDES is vocab.SIDES and schema.EVENT_TYPES is vocab.EVENT_TYPES
    fields = {(r["name"], f["name"]): f for r in datapackage.describe()["resources"]
              for f in r["schema"]["fields"]}
    assert fields[("casualties", "measure")]["constraints"]["enum"] == list(vocab.MEASURES)
    q = fields[("casualties", "qualitative")]
    assert q["categories"] == list(vocab.QUALITATIVE_LEVELS) and q["categoriesOrdered"] is True


def test_region_bounds_cover_every_region():
    assert set(vocab.REGION_BOUNDS) == set(vocab.REGIONS)
    for lon0, lat0, lon1, lat1 in vocab.REGION_BOUNDS.values():
        assert lon0 < lon1 and lat0 < lat1


def test_vocab_loaders_and_analysis_import_neither_yaml_nor_pydantic():
    code = ("import sys, kdwars, kdwars.vocab, kdwars.analysis, kdwars.counting, kdwars.cards, kdwars.reconcile; "
            "kdwars.load_events(); kdwars.load_people(); "
            "kdwars.resolve_place('Sairam'); "
            "print(sorted(m for m in ('yaml', 'pydantic', 'ruamel', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
