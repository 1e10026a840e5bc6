"""kdwars: the Kazakh–Dzungar Wars (1635–1758) as clean, sourced tables.

Loaders return pandas DataFrames read from the processed tables that ship with
the package::

    import kdwars
    events = kdwars.load_events()
    claims = kdwars.load_casualties()
    kdwars.reconcile(claims)

Plotting functions (``kdwars.plot_*``) have seaborn's shape,
``plot_x(data, *, x=..., hue=..., ax=None, **kwargs)``: the DataFrame is the only
positional argument, they draw on ``ax`` (a new figure when ``ax=None``) and return the Axes.
matplotlib, seaborn and cartopy are imported only when a plot is drawn.
"""

from __future__ import annotations

from importlib import import_module

from .data import (
    DataIntegrityError,
    UnknownNameError,
    data_dir,
    load_casualties,
    load_claim_relations,
    load_commanders,
    load_coverage,
    load_disagreements,
    load_event_dates,
    load_event_outcomes,
    load_event_places,
    load_event_sides,
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
from .relations import claim_relations

#: The one version of the package, the data package (``datapackage.json``), CITATION.cff
#: and ``kdwars --version``; pyproject.toml reads it (tests/test_install.py checks they agree).
__version__ = "0.2.0"

# Lazily imported submodules and functions (keep `import kdwars` free of matplotlib).
_LAZY = {
    "analysis": "kdwars.analysis",
    "plotting": "kdwars.plotting",
    "maps": "kdwars.maps",
    "style": "kdwars.style",
    "counting": "kdwars.counting",
    "cards": "kdwars.cards",
}
_PLOTS = ("set_theme", "save_figure", "plot_timeline", "plot_phase_schemes", "plot_counts", "plot_upper_hand",
          "plot_table_heatmap", "plot_careers", "plot_commander_records", "plot_claim_ranges",
          "plot_force_ratio", "plot_totals", "plot_city_control", "plot_date_claims")
_MAPS = ("base_map", "plot_events_map", "plot_flows_map", "plot_place_claims", "flows_by_juz", "place_claims")
_ANALYSIS = ("by_phase", "by_region", "events_per_decade", "upper_hand", "phase_crosswalk", "phase_results",
             "commander_records", "careers", "opponents", "alias_merges", "force_ranges", "force_ratio",
             "totals_by_phase", "top_level_claims", "severity_by_phase", "city_control", "displacement_flows",
             "date_disagreements", "figure_disagreements", "outcome_disagreements", "disagreeing_pairs",
             "disagreement_matrix", "claims_per_source", "coverage_matrix")
_COUNTING = ("counted_events", "win_counts", "upper_hand_by_rule")
_CARDS = ("claim_card", "chronology", "chronology_table")
_LAZY_ATTRS: dict[str, str] = {
    **{n: "kdwars.counting" for n in _COUNTING},
    **{n: "kdwars.cards" for n in _CARDS},
    **{n: "kdwars.plotting" for n in _PLOTS},
    **{n: "kdwars.maps" for n in _MAPS},
    **{n: "kdwars.analysis" for n in _ANALYSIS},
}


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_ATTRS))


def __getattr__(name: str):
    if name in _LAZY:
        return import_module(_LAZY[name])
    if name in _LAZY_ATTRS:
        return getattr(import_module(_LAZY_ATTRS[name]), name)
    raise AttributeError(f"module 'kdwars' has no attribute {name!r}")


__all__ = [
    "load_events", "load_casualties", "load_commanders", "load_people", "load_places",
    "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
    "load_event_places", "load_person_claims", "load_coverage", "load_event_sides",
    "load_disagreements", "load_claim_relations", "claim_relations", "resolve_person",
    "resolve_place", "reconcile", "parse_figure", "parse_date", "data_dir",
    "UnknownNameError", "DataIntegrityError",
]
