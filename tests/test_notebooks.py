"""Notebooks: they execute in a fresh kernel, their committed outputs are current,
they hold static images only, no errors, warnings or absolute paths, and stay small."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from .conftest import NOTEBOOKS, REPO

spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)

EXPECTED = [
    "01-sources-and-data.ipynb",
    "02-timeline-by-phase.ipynb",
    "03-regions.ipynb",
    "04-commanders.ipynb",
    "05-casualties-and-forces.ipynb",
    "06-source-disagreements.ipynb",
]
PATHS = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
MAX_BYTES = 2_000_000
ALLOWED_MIME = {"text/plain", "image/png", "text/markdown", "text/html"}


def text_outputs(nb) -> list:
    """Every output except images: what must be identical after re-execution."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(("stream", o.get("name"), o.get("text")))
            elif o.get("output_type") in ("execute_result", "display_data"):
                data = {k: v for k, v in o.get("data", {}).items() if not k.startswith("image/")}
                out.append((o["output_type"], data))
            elif o.get("output_type") == "error":
                out.append(("error", o.get("ename")))
    return out


def test_the_notebook_sequence_exists():
    assert [p.name for p in PATHS] == EXPECTED


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_committed_notebook_is_clean(path):
    raw = path.read_bytes()
    assert len(raw) < MAX_BYTES, f"{path.name} is {len(raw):,} bytes"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == run_notebooks.KERNELSPEC, "not the kernel `make` installs"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "not run top to bottom once"
    images = 0
    for cell in code:
        assert "execution" not in cell.metadata, "volatile timing metadata left in"
        for o in cell.outputs:
            assert o.output_type != "error", f"error output in {path.name}: {o.get('ename')}"
            if o.output_type == "stream":
                assert o.name == "stdout", f"stderr/warning in {path.name}: {o.text[:200]}"
            if o.output_type in ("display_data", "execute_result"):
                kinds = set(o.data)
                assert kinds <= ALLOWED_MIME, f"non-static output {kinds - ALLOWED_MIME} in {path.name}"
                images += "image/png" in kinds
    assert images >= 1, f"{path.name} has no figure (MPLBACKEND=Agg trap?)"
    text = raw.decode("utf-8")
    for pattern in (r"/work/", r"/home/", r"/root/", r"/tmp/", r"C:\\\\Users"):
        assert not re.search(pattern, text), f"absolute path {pattern} in {path.name}"
    assert "Warning" not in json.dumps(text_outputs(nb)), f"a warning in the outputs of {path.name}"


def test_notebooks_are_thin():
    """Cells are short: anything longer belongs in the package, with a test."""
    for path in PATHS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
                assert len(lines) <= 12, f"{path.name}: a {len(lines)}-line cell:\n{cell.source}"
                assert "../data" not in cell.source and "read_csv(" not in cell.source


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_executes_and_outputs_are_current(path, tmp_path, monkeypatch):
    """Re-execute a copy in a fresh kernel (with MPLBACKEND=Agg set, the known trap).

    Under `make test` (KDWARS_NOTEBOOK_STAMPS set) a notebook that `make` has just
    executed with the current inputs (its stamp says so) is not executed again: its
    working copy is that fresh execution, compared below with the committed notebook.
    """
    stamps = os.environ.get("KDWARS_NOTEBOOK_STAMPS")
    if stamps and run_notebooks.is_current(path, Path(stamps)):
        nb = nbformat.read(path, as_version=4)
        images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert images >= 1, "figures lost on execution"
        assert text_outputs(nb) == text_outputs(_committed(path)), f"{path.name}: committed outputs are stale"
        return
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("KDWARS_FIGURES_DIR", str(tmp_path / "figures"))  # leave reports/figures alone
    work = tmp_path / "notebooks"
    work.mkdir()
    copy = work / path.name
    shutil.copy(path, copy)
    nb = run_notebooks.execute(copy)
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert images >= 1, "figures lost on re-execution"
    committed = _committed(path)
    assert text_outputs(nb) == text_outputs(committed), f"{path.name}: committed outputs are stale; run `make`"


def _committed(path: Path):
    """The notebook as committed in git (HEAD) when in a checkout, else as on disk.

    `make` re-executes notebooks in place before the tests run, so comparing with
    the working copy alone would not notice stale committed outputs.
    """
    res = _git("show", f"HEAD:notebooks/{path.name}") if (REPO / ".git").exists() else None
    if res is not None and res.returncode == 0:
        return nbformat.reads(res.stdout, as_version=4)
    return nbformat.read(path, as_version=4)


def _git(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.skipif(not (REPO / ".git").exists() or shutil.which("git") is None, reason="not a git checkout")
def test_make_left_the_committed_tables_unchanged():
    """After `make`, data/processed must equal what is committed (the tables are reproducible)."""
    if _git("rev-parse", "HEAD").returncode != 0:
        pytest.skip("no commits yet")
    diff = _git("diff", "--stat", "HEAD", "--", "data/processed")
    assert diff.stdout.strip() == "", f"the build changed committed tables:\n{diff.stdout}"
