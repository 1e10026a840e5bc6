"""docs/codebook.md is generated from the data dictionary and stays in step with it."""

from __future__ import annotations

import doctest

from kdwars import codebook as cb
from kdwars.cli import main
from kdwars.datapackage import TABLE_SPECS

from .conftest import REPO

COMMITTED = REPO / "docs" / "codebook.md"


def test_committed_codebook_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == cb.codebook(), \
        "docs/codebook.md differs from a fresh generation: run `kdwars codebook` and commit it"


def test_cli_writes_the_codebook(tmp_path, capsys):
    out = tmp_path / "sub" / "codebook.md"
    assert main(["codebook", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == cb.codebook()
    assert str(out) in capsys.readouterr().out


def test_codebook_lists_every_table_column_and_vocabulary_value():
    page = cb.codebook()
    for table, (_, _, fields, _) in TABLE_SPECS.items():
        section = page.split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
        for name, typ, _ in fields:
            assert f"| `{name}` | {typ} |" in section, (table, name)
    measure_row = next(line for line in page.splitlines() if line.startswith("| `measure` |"))
    for value in ("strength", "killed", "livestock-taken", "tribute"):
        assert f"`{value}`" in measure_row


def test_codebook_vocabulary_for_known_columns():
    assert cb.allowed_values("places", "precision")[1] == ("exact", "approximate", "centroid")
    assert cb.allowed_values("casualties", "precision")[0] == "figure precision"
    assert cb.allowed_values("events", "winner")[0] == "winner"
    assert cb.allowed_values("events", "summary") is None


def test_codebook_docstring_examples():
    result = doctest.testmod(cb)
    assert result.failed == 0 and result.attempted >= 4
