"""kdwars: the Kazakh–Dzungar Wars (1635–1758) as clean, sourced tables.

Loaders return pandas DataFrames read from the processed tables that ship with
the package::

    import kdwars
    events = kdwars.load_events()
    claims = kdwars.load_casualties()
    kdwars.reconcile(claims)

Plotting functions (``kdwars.plot_*``) follow seaborn's conventions: they take a
DataFrame, draw on ``ax`` (a new one when ``ax=None``) and return the Axes.
matplotlib, seaborn and cartopy are imported only when a plot is drawn.
"""

from __future__ import annotations

from importlib import import_module

from .data import (
    UnknownNameError,
    data_dir,
    load_casualties,
    load_commanders,
    load_coverage,
    load_event_dates,
    load_event_outcomes,
    load_event_places,
    load_events,
    load_people,
    load_person_claims,
    load_phases,
    load_places,
    load_sources,
    resolve_person,
    resolve_place,
)
from .parse import parse_date, parse_figure
from .reconcile import reconcile

__version__ = "0.1.0"

# Lazily imported submodules and functions (keep `import kdwars` free of matplotlib).
_LAZY = {
    "analysis": "kdwars.analysis",
    "plotting": "kdwars.plotting",
    "maps": "kdwars.maps",
    "style": "kdwars.style",
}
_LAZY_ATTRS: dict[str, str] = {}


def __getattr__(name: str):
    if name in _LAZY:
        return import_module(_LAZY[name])
    if name in _LAZY_ATTRS:
        return getattr(import_module(_LAZY_ATTRS[name]), name)
    raise AttributeError(f"module 'kdwars' has no attribute {name!r}")


__all__ = [
    "load_events", "load_casualties", "load_commanders", "load_people", "load_places",
    "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
    "load_event_places", "load_person_claims", "load_coverage", "resolve_person",
    "resolve_place", "reconcile", "parse_figure", "parse_date", "data_dir",
    "UnknownNameError",
]
