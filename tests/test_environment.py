"""environment.yml (conda users) and pyproject.toml list the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import REPO

CONDA_NAMES = {"python-build": "build"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in extra}
    pip_names.discard(project["name"])  # extras that include other extras ("kdwars[plot]")
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    conda = {CONDA_NAMES.get(n, n) for n in conda}
    assert conda == pip_names, {"only in environment.yml": conda - pip_names,
                                "only in pyproject.toml": pip_names - conda}


def test_python_versions_agree():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_core_install_is_pandas_only_and_extras_are_documented():
    """The loaders need pandas alone; each extra is named in the README's install section."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert [_name(r) for r in project["dependencies"]] == ["pandas"]
    extras = project["optional-dependencies"]
    assert {"plot", "maps", "build", "notebooks", "test", "dev", "all"} <= set(extras)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for extra in extras:
        assert f"kdwars[{extra}]" in readme, f"extra {extra!r} is not documented in README.md"


def _closure(extras: dict[str, list[str]], name: str, project: str) -> set[str]:
    """Every package an extra pulls in, following ``project[other]`` references."""
    names: set[str] = set()
    for req in extras[name]:
        if _name(req) == project:
            inner = req[req.index("[") + 1:req.index("]")]
            for other in inner.split(","):
                names |= _closure(extras, other.strip(), project)
        else:
            names.add(_name(req))
    return names


def test_extras_nest_as_documented():
    """maps includes plot, notebooks includes plot+maps+build, all includes everything."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras, name = project["optional-dependencies"], project["name"]
    every = set().union(*(_closure(extras, e, name) for e in extras))
    assert _closure(extras, "maps", name) >= _closure(extras, "plot", name) | {"cartopy", "shapely"}
    assert _closure(extras, "notebooks", name) >= (
        _closure(extras, "maps", name) | _closure(extras, "build", name) | {"jupyterlab", "ipykernel"})
    assert _closure(extras, "all", name) == every
    runtime = every - {"scipy"} if "scipy" in _closure(extras, "test", name) else every
    assert "scipy" not in runtime and all("scipy" not in _closure(extras, e, name) for e in ("plot", "maps", "build")), \
        "scipy is never imported by kdwars: the tests alone use it (to compare with cartopy's warp)"
