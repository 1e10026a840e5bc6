"""Where the package finds its tables, whether run from a checkout or installed.

In a checkout the processed tables live in ``data/processed`` and the map extract in
``data/external/geo``. A (non-editable) install ships both inside the package as
``kdwars/_data`` and ``kdwars/_geo`` (see ``[tool.setuptools] package-dir`` in
``pyproject.toml``). ``KDWARS_DATA_DIR`` overrides the tables' location.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent.parent  # src/kdwars -> repository root, in a checkout


def repo_root() -> Path | None:
    """The repository root when running from a checkout, else ``None``."""
    if (_REPO / "pyproject.toml").is_file() and (_REPO / "data" / "raw").is_dir():
        return _REPO
    return None


def processed_dir() -> Path:
    """Directory holding the processed CSV tables and ``datapackage.json``."""
    env = os.environ.get("KDWARS_DATA_DIR")
    if env:
        return Path(env)
    installed = _PKG / "_data"
    if (installed / "events.csv").is_file():
        return installed
    root = repo_root()
    if root is not None:
        return root / "data" / "processed"
    raise FileNotFoundError(
        "kdwars cannot find its tables: neither kdwars/_data (installed) nor "
        "data/processed (checkout) exists; set KDWARS_DATA_DIR"
    )


def raw_dir() -> Path:
    """Directory of the hand-curated raw records (checkout only)."""
    root = repo_root()
    if root is None:
        raise FileNotFoundError("the raw records ship only with a checkout of the repository")
    return root / "data" / "raw"


def geo_dir() -> Path:
    """Directory of the offline map extract (coast, lakes, rivers, relief)."""
    installed = _PKG / "_geo"
    if installed.is_dir() and any(installed.glob("*.geojson")):
        return installed
    root = repo_root()
    if root is not None:
        return root / "data" / "external" / "geo"
    raise FileNotFoundError("kdwars cannot find its map extract (kdwars/_geo or data/external/geo)")


def figures_dir() -> Path:
    """``reports/figures`` in a checkout (created on demand), else the working directory.

    ``KDWARS_FIGURES_DIR`` overrides it (the tests use it to keep the repository untouched).
    """
    env = os.environ.get("KDWARS_FIGURES_DIR")
    root = repo_root()
    if env:
        path = Path(env)
    else:
        path = (root / "reports" / "figures") if root is not None else Path.cwd()
    path.mkdir(parents=True, exist_ok=True)
    return path
