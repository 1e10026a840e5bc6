"""Installs that fit: one version everywhere; the core (pandas-only) install reads
every table without plotting, map, YAML or pydantic libraries; a wheel installed in
a fresh virtual environment outside the repository returns the same tables as the
checkout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
import venv
from pathlib import Path

import pandas as pd
import pytest
import yaml

import kdwars
from kdwars import cli

from .conftest import PROCESSED, REPO

LOADERS = sorted(n for n in kdwars.__all__ if n.startswith("load_"))
#: Modules that the core install (pandas only) must neither need nor have.
HEAVY = ["matplotlib", "seaborn", "cartopy", "shapely", "yaml", "pydantic", "scipy"]

# Run inside another interpreter: uses every loader, the resolvers, reconcile and the
# pandas-only helpers, then reports which heavy modules were imported along the way.
CORE_USE = textwrap.dedent("""
    import json, sys
    import kdwars
    loaders = sorted(n for n in kdwars.__all__ if n.startswith("load_"))
    rows = {name: len(getattr(kdwars, name)()) for name in loaders}
    rec = kdwars.reconcile(kdwars.load_casualties())
    from kdwars import analysis, cards, counting  # pandas-only helpers
    by_phase = analysis.by_phase(kdwars.load_events(), kdwars.load_phases())
    print(json.dumps({
        "file": kdwars.__file__,
        "version": kdwars.__version__,
        "rows": rows,
        "person": kdwars.resolve_person("Abilqaiyr"),
        "place": kdwars.resolve_place("Sairam"),
        "reconciled": len(rec),
        "statuses": sorted(set(rec["status"])),
        "by_phase": len(by_phase),
        "imported": sorted(m for m in __HEAVY__ if m in sys.modules),
    }))
""").replace("__HEAVY__", repr(HEAVY))

# Makes the heavy modules unimportable in the checkout's interpreter (they are
# installed in the development venv), as they are in a core install.
BLOCKER_TEMPLATE = """
    import importlib.abc, sys
    class _Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in __HEAVY__:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None
    sys.meta_path.insert(0, _Block())
"""
BLOCKER = textwrap.dedent(BLOCKER_TEMPLATE).replace("__HEAVY__", repr(HEAVY))


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KDWARS_DATA_DIR")}
    return {**env, **extra}


# ---------------------------------------------------------------- one version


def test_one_version_everywhere():
    """__version__ feeds pyproject, datapackage.json, CITATION.cff, the CLI and the changelog."""
    version = kdwars.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kdwars.__version__"}
    assert json.loads((PROCESSED / "datapackage.json").read_text())["version"] == version, (
        "datapackage.json is stale: run `kdwars build`")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == version
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M), f"no CHANGELOG section for {version}"
    assert f"version {version}" in (REPO / "README.md").read_text(encoding="utf-8"), "README's citation example"


def test_cli_prints_the_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"kdwars {kdwars.__version__}"


def test_citation_cff_describes_code_data_and_sources():
    """CFF 1.2.0 with its required keys, both licences and the five articles as references."""
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version"):
        assert cff.get(key), f"CITATION.cff: missing {key}"
    assert cff["authors"] == [{"name": "kdwars contributors"}]
    assert set(cff["license"]) == {"MIT", "CC-BY-SA-4.0"}
    refs = cff["references"]
    titles = {r["title"].replace(" (older version)", "") for r in refs}
    sources = pd.read_csv(PROCESSED / "sources.csv")
    assert titles == set(sources["title"]), titles ^ set(sources["title"])
    assert len(refs) == len(sources) == 5
    for ref in refs:
        assert ref["type"] and ref["authors"] and ref["license"] == "CC-BY-SA-4.0", ref
        assert ref["url"].startswith("https://en.wikipedia.org/wiki/Kazakh%E2%80%93Dzungar_War"), ref["url"]


def test_py_typed_ships_with_the_package():
    assert (Path(kdwars.__file__).parent / "py.typed").is_file()
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["kdwars"]


# ---------------------------------------------------------------- core install, fast


def test_loaders_need_no_plotting_yaml_or_pydantic():
    """In the checkout, with the heavy modules made unimportable, every loader, both
    resolvers and reconcile still work and import none of them."""
    res = subprocess.run([sys.executable, "-c", BLOCKER + CORE_USE], cwd=REPO,
                         env=_clean_env(PYTHONPATH=str(REPO / "src")), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["imported"] == []
    assert out["rows"] == {name: len(getattr(kdwars, name)()) for name in LOADERS}
    assert out["rows"]["load_events"] > 100
    assert (out["person"], out["place"]) == ("abul-khair-khan", "sayram")
    assert out["reconciled"] == len(kdwars.reconcile(kdwars.load_casualties()))


def test_plot_extra_needs_neither_the_build_nor_the_maps_extra():
    """kdwars[plot] = matplotlib + seaborn: the analysis, counting, cards and charts work
    with PyYAML, pydantic, cartopy and shapely unimportable."""
    blocked = ["yaml", "pydantic", "cartopy", "shapely", "scipy"]
    code = textwrap.dedent(BLOCKER_TEMPLATE).replace("__HEAVY__", repr(blocked)) + textwrap.dedent("""
        import kdwars
        from kdwars import analysis, plotting
        events = kdwars.load_events()
        assert len(analysis.by_phase(events, kdwars.load_phases())) > 0
        ax = plotting.plot_timeline(events, phases=kdwars.load_phases())
        assert ax.figure is not None
        for module in ("counting", "cards", "style"):
            getattr(kdwars, module)
        print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
    """).replace("BLOCKED", repr(blocked))
    res = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env=_clean_env(PYTHONPATH=str(REPO / "src"), MPLBACKEND="Agg"))
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.strip() == "[]"


def test_build_without_the_build_extra_says_what_to_install():
    """`kdwars build` on a core install: a one-line hint and exit 2, not a traceback."""
    code = BLOCKER + "import sys\nfrom kdwars.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    for command in ("build", "validate"):
        res = subprocess.run([sys.executable, "-c", code, command], cwd=REPO,
                             env=_clean_env(PYTHONPATH=str(REPO / "src")), capture_output=True, text=True)
        assert res.returncode == 2, (res.stdout, res.stderr)
        assert "Traceback" not in res.stderr
        assert "kdwars[build]" in res.stderr and command in res.stderr, res.stderr


# ---------------------------------------------------------------- the wheel, in a fresh venv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built in an isolated environment as users get it."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(dist), str(REPO)], check=True, cwd=dist, env=_clean_env())
    return next(dist.glob("kdwars-*.whl"))


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(path)
    return path / "bin" / "python"


@pytest.mark.slow
def test_wheel_installs_and_loads_the_same_tables(wheel, tmp_path):
    env_dir = tmp_path / "fresh"
    py = _fresh_venv(env_dir)
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, cwd=tmp_path, env=_clean_env())
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
    res = subprocess.run([str(py), "-c", code, str(out)], cwd=tmp_path, env=_clean_env(),
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "_data" in res.stdout
    for name in LOADERS:
        installed = pd.read_pickle(out / f"{name}.pkl")
        pd.testing.assert_frame_equal(installed, getattr(kdwars, name)(), check_dtype=True)
    # the command line is installed too, with the package's version
    res = subprocess.run([str(env_dir / "bin" / "kdwars"), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0 and "build" in res.stdout
    res = subprocess.run([str(env_dir / "bin" / "kdwars"), "--version"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert res.stdout.strip() == f"kdwars {kdwars.__version__}"


@pytest.mark.slow
def test_core_wheel_works_with_pandas_alone(wheel, tmp_path):
    """The wheel with --no-deps plus pandas only: every loader, the resolvers and
    reconcile work; matplotlib, seaborn, cartopy, shapely, PyYAML, pydantic and scipy
    are neither installed nor imported; the wheel declares pandas as its one requirement."""
    env_dir = tmp_path / "core"
    py = _fresh_venv(env_dir)
    pip = [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, cwd=tmp_path, env=_clean_env())
    subprocess.run([*pip, "pandas"], check=True, cwd=tmp_path, env=_clean_env())

    probe = ("import importlib.util, importlib.metadata as m, json, pathlib, kdwars\n"
             f"print(json.dumps({{'importable': [n for n in {HEAVY!r} if importlib.util.find_spec(n)],\n"
             "  'requires': m.requires('kdwars'), 'version': m.version('kdwars'),\n"
             "  'typed': (pathlib.Path(kdwars.__file__).parent / 'py.typed').is_file()}))\n")
    res = subprocess.run([str(py), "-c", probe], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    meta = json.loads(res.stdout)
    assert meta["importable"] == [], f"a core install has {meta['importable']}"
    assert meta["version"] == kdwars.__version__
    assert meta["typed"], "py.typed is not in the wheel"
    core = [r for r in meta["requires"] if "extra ==" not in r]
    assert [re.split(r"[<>=! ;\[]", r)[0].lower() for r in core] == ["pandas"], core

    res = subprocess.run([str(py), "-c", CORE_USE], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert "site-packages" in out["file"], out["file"]
    assert out["imported"] == []
    assert out["rows"] == {name: len(getattr(kdwars, name)()) for name in LOADERS}
    assert (out["person"], out["place"]) == ("abul-khair-khan", "sayram")
    assert out["reconciled"] == len(kdwars.reconcile(kdwars.load_casualties()))
    assert out["by_phase"] == len(kdwars.by_phase(kdwars.load_events(), kdwars.load_phases()))
    assert out["statuses"] == sorted(set(kdwars.reconcile(kdwars.load_casualties())["status"]))

    # the raw-data build is an extra: a clear hint, not a traceback
    res = subprocess.run([str(env_dir / "bin" / "kdwars"), "validate", "--raw", str(REPO / "data" / "raw")],
                         cwd=tmp_path, env=_clean_env(), capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "kdwars[build]" in res.stderr, res.stderr
