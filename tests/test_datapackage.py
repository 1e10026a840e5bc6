"""The Frictionless Data Package describes and validates the processed tables."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
from frictionless import Package, validate

from kdwars import vocab
from kdwars.datapackage import describe

from .conftest import PROCESSED

STATS = ("bytes", "hash", "rows")


def _on_disk() -> dict:
    return json.loads((PROCESSED / "datapackage.json").read_text(encoding="utf-8"))


def test_descriptor_is_current():
    on_disk = _on_disk()
    for r in on_disk["resources"]:
        for k in STATS:
            r.pop(k)
    assert on_disk == describe()


def test_descriptor_records_size_hash_and_rows_of_each_file():
    for r in _on_disk()["resources"]:
        data = (PROCESSED / r["path"]).read_bytes()
        assert r["bytes"] == len(data), r["path"]
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), r["path"]
        # rows counted independently of the build: CSV records, header excluded
        assert r["rows"] == len(pd.read_csv(PROCESSED / r["path"], dtype=str)), r["path"]


def test_enum_constraints_and_ordered_categories_come_from_vocab():
    fields = {(r["path"], f["name"]): f for r in _on_disk()["resources"] for f in r["schema"]["fields"]}
    assert fields[("events.csv", "event_type")]["constraints"]["enum"] == list(vocab.EVENT_TYPES)
    assert fields[("casualties.csv", "unit")]["constraints"]["enum"] == list(vocab.UNITS)
    dp = fields[("events.csv", "date_precision")]
    assert dp["categories"] == list(vocab.DATE_PRECISIONS) and dp["categoriesOrdered"] is True


def test_processed_tables_validate_against_the_package():
    report = validate(str(PROCESSED / "datapackage.json"))
    errors = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors][:10]
    assert report.valid, errors


def test_every_csv_is_described():
    pkg = Package(str(PROCESSED / "datapackage.json"))
    described = {r.path for r in pkg.resources}
    on_disk = {p.name for p in PROCESSED.glob("*.csv")}
    assert described == on_disk
