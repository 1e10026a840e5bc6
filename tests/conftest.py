from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Timing is the benchmark's business, not the tests': no per-example deadline, so a
# busy 2-core CI machine cannot make a property test flaky.
settings.register_profile("kdwars", deadline=None, max_examples=200)
settings.load_profile("kdwars")

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
PROCESSED = REPO / "data" / "processed"
NOTEBOOKS = REPO / "notebooks"

os.environ.pop("MPLBACKEND", None)


def tree_digest(directory: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``directory``."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw that a test may corrupt."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst


@pytest.fixture
def processed_copy(tmp_path: Path) -> Path:
    """A private copy of data/processed (the tables a failed build must not touch)."""
    dst = tmp_path / "processed"
    shutil.copytree(PROCESSED, dst)
    return dst
