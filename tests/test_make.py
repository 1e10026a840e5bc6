"""The Makefile and the notebook runner: one kernel everywhere, a second `make` that
does nothing, `make test` that lints first, `make lab` that works as root, and a
JupyterLab pre-save hook that keeps notebooks machine-independent."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from . import _jupyterlab as lab
from .conftest import NOTEBOOKS, REPO

spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)

MAKEFILE = (REPO / "Makefile").read_text()
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make_var(name: str) -> str:
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", MAKEFILE, re.M)
    assert match, f"Makefile sets no {name}"
    return match.group(1).strip()


def _dry_run(target: str, **env: str) -> list[str]:
    """The commands `make -n TARGET` would run (nothing is executed)."""
    res = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=REPO, capture_output=True,
                         text=True, env={**os.environ, **env}, timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


# ---------------------------------------------------------------- one kernel


def test_one_kernel_for_make_the_runner_the_notebooks_and_the_browser_test():
    name, display = _make_var("KERNEL"), _make_var("KERNEL_DISPLAY")
    assert (name, display) == (run_notebooks.KERNEL_NAME, run_notebooks.KERNEL_DISPLAY_NAME) == ("kdwars",
                                                                                                  "Python 3 (kdwars)")
    assert lab.KERNEL_NAME == name
    assert re.search(r"ipykernel install --sys-prefix --name \$\(KERNEL\) --display-name \"\$\(KERNEL_DISPLAY\)\"",
                     MAKEFILE)
    for path in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
        spec_ = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec_ == {"display_name": display, "language": "python", "name": name}, path.name


# ---------------------------------------------------------------- Makefile targets


@needs_make
def test_make_test_lints_first_and_runs_pytest_once():
    lines = _dry_run("test")
    ruff = next(i for i, line in enumerate(lines) if "ruff check" in line)
    pytest_ = [i for i, line in enumerate(lines) if "-m pytest" in line]
    assert len(pytest_) == 1 and ruff < pytest_[0], lines
    assert "KDWARS_NOTEBOOK_STAMPS=" in lines[pytest_[0]], "the notebook tests would execute notebooks again"
    assert "ruff format" not in MAKEFILE, "formatting is not adopted: `make lint` only checks"


@needs_make
def test_make_executes_notebooks_through_stamps():
    lines = _dry_run("notebooks")
    run = [line for line in lines if "run_notebooks.py" in line]
    assert len(run) == 1 and "--stamps" in run[0], run


@needs_make
def test_make_lab_works_as_root_and_uses_the_clean_save_config():
    lines = [line for line in _dry_run("lab") if "jupyter lab" in line]
    assert len(lines) == 1
    assert "--config=scripts/jupyter_lab_config.py" in lines[0]
    assert ("--allow-root" in lines[0]) == (os.geteuid() == 0), lines[0]
    assert any("URL" in line for line in _dry_run("lab")), "make lab should say where the URL is"


# ---------------------------------------------------------------- stamps


def _tiny_notebook(path: Path, text: str = "print(1 + 1)") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(text)]
    nbformat.write(nb, path)
    return path


def test_stamp_follows_the_notebook_and_its_inputs(tmp_path):
    nb = _tiny_notebook(tmp_path / "01-x.ipynb")
    stamps = tmp_path / "stamps"
    inputs = run_notebooks.inputs_digest()
    assert not run_notebooks.is_current(nb, stamps, inputs), "no stamp yet"
    stamps.mkdir()
    run_notebooks.stamp_file(stamps, nb).write_text(run_notebooks.notebook_key(nb, inputs) + "\n")
    assert run_notebooks.is_current(nb, stamps, inputs)
    assert not run_notebooks.is_current(nb, stamps, "0" * 64), "other inputs (data, src) must re-execute"
    _tiny_notebook(nb, "print(2 + 2)")
    assert not run_notebooks.is_current(nb, stamps, inputs), "an edited notebook must re-execute"


def test_inputs_cover_the_data_the_package_and_the_map_extract():
    covered = set()
    for pattern in run_notebooks.INPUT_GLOBS:
        covered |= {p.relative_to(REPO).as_posix() for p in REPO.glob(pattern)}
    assert {"data/processed/events.csv", "data/processed/datapackage.json", "src/kdwars/data.py",
            "src/kdwars/plotting.py", "src/kdwars/maps.py"} <= covered
    assert any(p.startswith("data/external/geo/") for p in covered)


@pytest.mark.slow
def test_second_run_executes_nothing(tmp_path):
    """Execute a tiny notebook with --stamps, then again: the second run leaves it alone."""
    nb = _tiny_notebook(tmp_path / "01-tiny.ipynb")
    stamps = tmp_path / "stamps"
    script = REPO / "scripts" / "run_notebooks.py"
    first = subprocess.run([sys.executable, str(script), "--stamps", str(stamps), str(nb)],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "executed" in first.stdout
    executed = nbformat.read(nb, as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "2\n"
    assert executed.metadata["kernelspec"] == run_notebooks.KERNELSPEC
    mtime = nb.stat().st_mtime_ns
    second = subprocess.run([sys.executable, str(script), "--stamps", str(stamps), str(nb)],
                            capture_output=True, text=True, timeout=300)
    assert second.returncode == 0 and "up to date" in second.stdout, second.stdout
    assert nb.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------- JupyterLab's pre-save hook


def _load_lab_config() -> Config:
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(lab.LAB_CONFIG)}
    exec(compile(lab.LAB_CONFIG.read_text(), str(lab.LAB_CONFIG), "exec"), namespace)
    return config


def test_lab_pre_save_hook_strips_what_the_kernel_adds():
    """What JupyterLab writes after a kernel has started (language_info with the Python
    version) is reduced to what run_notebooks.py commits; the kernelspec is left alone."""
    hook = _load_lab_config().ContentsManager.pre_save_hook
    committed = json.loads((NOTEBOOKS / "01-sources-and-data.ipynb").read_text(encoding="utf-8"))
    saved = json.loads(json.dumps(committed))
    saved["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
        "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3", "version": "3.99.0",
    }
    saved["metadata"]["kernelspec"] = {"display_name": "Other", "language": "python", "name": "other"}
    saved["cells"][0]["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    hook(model={"type": "notebook", "content": saved}, path="x.ipynb", contents_manager=None)
    assert saved["metadata"]["language_info"] == committed["metadata"]["language_info"]
    assert saved["cells"][0]["metadata"] == committed["cells"][0]["metadata"]
    assert saved["metadata"]["kernelspec"]["name"] == "other", "the hook must not hide a kernelspec mismatch"
    text = {"type": "file", "content": "plain text"}
    hook(model=text, path="x.txt", contents_manager=None)
    assert text == {"type": "file", "content": "plain text"}


# ---------------------------------------------------------------- without Chromium

RUN_WITHOUT_CHROMIUM = """
import pathlib, sys
import pytest
sys.path.insert(0, sys.argv[1])
import tests._jupyterlab as lab
lab.CHROMIUM = pathlib.Path("/nonexistent/chromium")
sys.exit(pytest.main(["tests/test_browser.py", "-k", "chromium_is_installed", "-p", "no:cacheprovider"]))
"""


@pytest.mark.parametrize("ci", [None, "true"], ids=["no-CI", "CI=true"])
def test_browser_tests_without_chromium_skip_loudly_or_fail_in_ci(ci):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "KDWARS_SKIP_BROWSER")}
    if ci:
        env["CI"] = ci
    res = subprocess.run([sys.executable, "-c", RUN_WITHOUT_CHROMIUM, str(REPO)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    if ci:
        assert res.returncode == 1, res.stdout[-2000:]
        assert "1 failed" in res.stdout and "required because CI is set" in res.stdout
    else:
        assert res.returncode == 0, res.stdout[-2000:]
        assert "1 skipped" in res.stdout
        assert lab.BROWSER_SKIP_MARK in res.stdout and "apt-get install -y chromium" in res.stdout
