"""Loaders for the processed tables, and name resolution.

Every loader returns a fresh :class:`pandas.DataFrame` (callers may modify it)
with the column types of the data dictionary (:mod:`kdwars.datapackage`):
integers as ``Int64`` (missing stays missing, never 0), text as ``string``.
Files are read once per process and cached.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import _paths
from .datapackage import columns, dtypes
from .parse import DATE_PRECISIONS, QUALITATIVE_LEVELS
from .raw import name_key

__all__ = [
    "load_events", "load_casualties", "load_commanders", "load_people", "load_places",
    "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
    "load_event_places", "load_person_claims", "load_coverage", "resolve_person",
    "resolve_place", "data_dir", "UnknownNameError",
]


def data_dir() -> Path:
    """Directory the loaders read from (checkout, installed package or ``KDWARS_DATA_DIR``)."""
    return _paths.processed_dir()


@lru_cache(maxsize=None)
def _read(table: str, directory: str) -> pd.DataFrame:
    path = Path(directory) / f"{table}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"table {table!r} not found at {path}; run `kdwars build` first")
    df = pd.read_csv(path, dtype=dtypes(table), keep_default_na=False, na_values=[""])
    expected = columns(table)
    if list(df.columns) != expected:
        raise ValueError(f"{path}: columns {list(df.columns)} differ from the data dictionary {expected}")
    if table == "casualties":
        df["qualitative"] = pd.Categorical(df["qualitative"], categories=QUALITATIVE_LEVELS, ordered=True)
    if "date_precision" in df.columns:
        df["date_precision"] = pd.Categorical(df["date_precision"], categories=DATE_PRECISIONS, ordered=True)
    return df


def _load(table: str) -> pd.DataFrame:
    return _read(table, str(data_dir())).copy()


def _with_alias_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Turn the '; '-joined ``aliases`` column into lists (empty list when none)."""
    df["aliases"] = [[a for a in str(v).split("; ") if a] if pd.notna(v) else [] for v in df["aliases"]]
    return df


def load_events() -> pd.DataFrame:
    """One row per event.

    Columns: ``event_id``, ``name``, ``event_type``, ``parent_event_id``,
    ``year_start``, ``year_end``, ``date_text``, ``date_precision``, ``period``,
    ``stage``, ``place_id``, ``region``, ``lat``, ``lon``, ``attacker``,
    ``defender``, ``winner``, ``disputed``, ``n_claims``, ``summary``, ``sources``.
    ``year_start``/``year_end`` span every source's date; ``winner`` is
    ``disputed`` when sources name different winners.
    """
    return _load("events")


def load_casualties() -> pd.DataFrame:
    """One row per figure claim (strength, killed, captured, ...), never averaged.

    ``low``/``high`` are nullable integers: a single figure has ``low == high``,
    "more than N" has no ``high``, "Unknown" has neither. ``qualitative`` is an
    ordered categorical (light < … < catastrophic).
    """
    return _load("casualties")


def load_commanders() -> pd.DataFrame:
    """Event × person: ``event_id``, ``person_id``, ``side``, ``role``, ``fate`` (KIA/POW), ``source_id``, …"""
    return _load("commanders")


def load_people() -> pd.DataFrame:
    """People; ``aliases`` is a list of every spelling the sources use."""
    return _with_alias_lists(_load("people"))


def load_places() -> pd.DataFrame:
    """Gazetteer with WGS84 ``lat``/``lon``, ``precision``, ``region``; ``aliases`` as a list."""
    return _with_alias_lists(_load("places"))


def load_phases(scheme: str | None = None) -> pd.DataFrame:
    """Phases of both periodisations (``scheme`` = ``period`` or ``stage``), or of one."""
    df = _load("phases")
    if scheme is not None:
        if scheme not in ("period", "stage"):
            raise ValueError(f"scheme must be 'period' or 'stage', got {scheme!r}")
        df = df[df["scheme"] == scheme].reset_index(drop=True)
    return df


def load_sources() -> pd.DataFrame:
    """The five source articles."""
    return _load("sources")


def load_event_dates() -> pd.DataFrame:
    """Date claims: one row per source (or historian) dating an event."""
    return _load("event_dates")


def load_event_outcomes() -> pd.DataFrame:
    """Outcome claims: who won, according to which source or historian."""
    return _load("event_outcomes")


def load_event_places() -> pd.DataFrame:
    """Event × place: primary places and further or competing place claims."""
    return _load("event_places")


def load_person_claims() -> pd.DataFrame:
    """Attributes of people stated by the sources (jüz, fate, death)."""
    return _load("person_claims")


def load_coverage() -> pd.DataFrame:
    """Claims per source section."""
    return _load("coverage")


class UnknownNameError(KeyError):
    """A spelling that no alias table knows; the message suggests close matches."""

    def __str__(self) -> str:
        return str(self.args[0])


@lru_cache(maxsize=None)
def _alias_index(table: str, id_col: str, directory: str) -> dict[str, str]:
    df = _read(table, directory)
    index: dict[str, str] = {}
    for ident, name, aliases in zip(df[id_col], df["name"], df["aliases"]):
        for n in [name] + ([a for a in str(aliases).split("; ")] if pd.notna(aliases) else []):
            if n:
                index[name_key(n)] = ident
    return index


def _resolve(name: str, table: str, id_col: str, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{what} name must be a non-empty string, got {name!r}")
    index = _alias_index(table, id_col, str(data_dir()))
    key = name_key(name)
    if key in index:
        return index[key]
    if key in index.values():
        return key
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    hint = f"; close matches: {', '.join(sorted({index[c] for c in close}))}" if close else ""
    raise UnknownNameError(f"unknown {what} {name!r}{hint}")


def resolve_person(name: str) -> str:
    """The ``person_id`` for any spelling used in the sources.

    >>> resolve_person("Abilqaiyr")
    'abul-khair-khan'

    Raises
    ------
    KeyError
        For an unknown spelling, suggesting close matches.
    """
    return _resolve(name, "people", "person_id", "person")


def resolve_place(name: str) -> str:
    """The ``place_id`` for any spelling used in the sources (``"Sairam"`` → ``"sayram"``).

    Raises
    ------
    KeyError
        For an unknown spelling, suggesting close matches.
    """
    return _resolve(name, "places", "place_id", "place")
