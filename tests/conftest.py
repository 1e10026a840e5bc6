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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A banner when the real-browser tests were skipped: easy to miss in -ra otherwise."""
    from ._jupyterlab import BROWSER_SKIP_MARK, CHROMIUM_INSTALL

    skipped = [r for r in terminalreporter.stats.get("skipped", []) if BROWSER_SKIP_MARK in str(r.longrepr)]
    if skipped:
        tr = terminalreporter
        tr.write_sep("!", f"{BROWSER_SKIP_MARK}: {len(skipped)} test(s)", red=True, bold=True)
        tr.write_line("The real-browser JupyterLab tests need Debian's chromium. Install it with:")
        tr.write_line(f"    {CHROMIUM_INSTALL}")
        tr.write_line("They are required (they fail instead of skipping) when the environment variable CI is set.")
        tr.write_sep("!", red=True, bold=True)
