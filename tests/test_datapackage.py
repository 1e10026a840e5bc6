"""The Frictionless Data Package describes and validates the processed tables."""

from __future__ import annotations

import json

from frictionless import Package, validate

from kdwars.datapackage import describe

from .conftest import PROCESSED


def test_descriptor_is_current():
    on_disk = json.loads((PROCESSED / "datapackage.json").read_text(encoding="utf-8"))
    assert on_disk == describe()


def test_processed_tables_validate_against_the_package():
    report = validate(str(PROCESSED / "datapackage.json"))
    errors = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors][:10]
    assert report.valid, errors


def test_every_csv_is_described():
    pkg = Package(str(PROCESSED / "datapackage.json"))
    described = {r.path for r in pkg.resources}
    on_disk = {p.name for p in PROCESSED.glob("*.csv")}
    assert described == on_disk
