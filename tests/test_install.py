"""A wheel installs in a fresh virtual environment outside the repository and its
loaders return the same tables as the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pandas as pd
import pytest

import kdwars

from .conftest import REPO

LOADERS = ["load_events", "load_casualties", "load_commanders", "load_people", "load_places",
           "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
           "load_event_places", "load_person_claims", "load_coverage"]


@pytest.mark.slow
def test_wheel_installs_and_loads_the_same_tables(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",  # isolated build, as users get
                    "-w", str(dist), str(REPO)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("kdwars-*.whl"))
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, cwd=tmp_path)
    out = tmp_path / "pickles"
    out.mkdir()
    code = (
        "import kdwars, sys, pathlib\n"
        "assert 'site-packages' in kdwars.__file__, kdwars.__file__\n"
        "out = pathlib.Path(sys.argv[1])\n"
        f"for name in {LOADERS!r}:\n"
        "    getattr(kdwars, name)().to_pickle(out / (name + '.pkl'))\n"
        "print(kdwars.resolve_person('Abilqaiyr'), kdwars.data_dir())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KDWARS_DATA_DIR")}
    res = subprocess.run([str(py), "-c", code, str(out)], check=True, cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert "_data" in res.stdout
    for name in LOADERS:
        installed = pd.read_pickle(out / f"{name}.pkl")
        pd.testing.assert_frame_equal(installed, getattr(kdwars, name)(), check_dtype=True)
    # the command line is installed too
    res = subprocess.run([str(env_dir / "bin" / "kdwars"), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0 and "build" in res.stdout
