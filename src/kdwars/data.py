"""Loaders for the processed tables, and name resolution.

Every loader returns a fresh :class:`pandas.DataFrame` (callers may modify it)
with the column types of the data dictionary (:mod:`kdwars.datapackage`):
integers as ``Int64`` (missing stays missing, never 0), text as ``string``.
Files are read once per process and cached.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

import pandas as pd

from . import _paths
from .datapackage import columns, dtypes
from .names import name_key
from .parse import DATE_PRECISIONS, QUALITATIVE_LEVELS

__all__ = [
    "load_events", "load_casualties", "load_commanders", "load_people", "load_places",
    "load_phases", "load_sources", "load_event_dates", "load_event_outcomes",
    "load_event_places", "load_person_claims", "load_coverage", "load_event_sides",
    "load_disagreements", "load_claim_relations", "resolve_person",
    "resolve_place", "data_dir", "UnknownNameError",
]


def data_dir() -> Path:
    """Directory the loaders read from (checkout, installed package or ``KDWARS_DATA_DIR``).

    The environment variable ``KDWARS_DATA_DIR`` takes precedence; otherwise the
    tables shipped inside an installed package (``kdwars/_data``) are used, and in
    a checkout ``data/processed``.

    Returns
    -------
    pathlib.Path
        Directory holding the processed CSV tables and ``datapackage.json``.

    Raises
    ------
    FileNotFoundError
        If ``KDWARS_DATA_DIR`` is not set and neither an installed copy nor a
        checkout of the tables exists.

    Examples
    --------
    >>> import kdwars
    >>> (kdwars.data_dir() / "events.csv").is_file()
    True
    """
    return _paths.processed_dir()


@cache
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

    Returns
    -------
    pandas.DataFrame
        The columns above, in that order. ``event_type`` is one of battle, siege,
        raid, city-capture, campaign, invasion, war, council, embassy, treaty,
        protectorate, succession, death, capture-of-person, founding,
        fortification, displacement. ``period`` and ``stage`` hold the event's
        ``phase_id`` under each scheme of :func:`load_phases`. ``winner`` is a side
        slug, ``inconclusive``, ``disputed`` or ``unknown``, and missing for events
        without an outcome (treaties, deaths, ...). ``parent_event_id`` is missing
        for top-level events. ``year_start``, ``year_end`` and ``n_claims`` are
        ``Int64``, ``lat``/``lon`` (of the primary place) float, ``date_precision``
        an ordered categorical (day < month < ... < century), the rest ``string``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.

    Examples
    --------
    >>> import kdwars
    >>> events = kdwars.load_events()
    >>> events.set_index("event_id").loc["battle-of-orbulaq-1643", "winner"]
    'kazakh'
    """
    return _load("events")


def load_casualties() -> pd.DataFrame:
    """One row per figure claim (strength, killed, captured, ...), never averaged.

    ``low``/``high`` are nullable integers: a single figure has ``low == high``,
    "more than N" has no ``high``, "Unknown" has neither. ``qualitative`` is an
    ordered categorical (light < … < catastrophic).

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``event_id``, ``side`` (whose men or people are
        counted), ``measure`` (strength, killed, wounded, captured, losses, ...),
        ``kind`` (what a strength means: initial, reinforcement, detachment,
        relief, ...; often missing), ``low``, ``high`` (``Int64``), ``unit`` (men,
        people, families, yurts, ...), ``qualitative`` (set only for claims without
        a number), ``precision`` (exact, approximate, range, lower-bound, ...,
        unknown), ``as_written``, ``source_id``, ``section``, ``attributed_to``
        (historian or witness named), ``witness``, ``note``. Combine the claims
        with :func:`kdwars.reconcile`.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.

    Examples
    --------
    >>> import kdwars
    >>> claims = kdwars.load_casualties()
    >>> strengths = claims.query("measure == 'strength'")
    >>> strengths[["event_id", "side", "low", "high", "source_id"]].head()  # doctest: +SKIP
    """
    return _load("casualties")


def load_commanders() -> pd.DataFrame:
    """Event × person: commanders, rulers, envoys, captives, with their fate.

    ``event_id``, ``person_id``, ``side``, ``role``, ``fate`` (KIA/POW), ``source_id``, …:
    one row per participant claim, so the same person in the same event appears
    once per source (or section) naming them.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``person_id`` (see :func:`load_people`), ``side``,
        ``role`` (commander, co-commander, ruler, envoy, captive, killed, ...),
        ``fate`` (``KIA``, ``POW`` or missing), ``as_written`` (the name as the
        source spells it), ``source_id``, ``section``, ``attributed_to``,
        ``witness``, ``note``; all ``string``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("commanders")


def load_people() -> pd.DataFrame:
    """People; ``aliases`` is a list of every spelling the sources use.

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id``, ``name``, ``aliases`` (list of str, empty when
        none), ``side``, ``title``, ``juz`` (``'|'`` between values when sources
        differ), ``died`` (as written), ``fate`` (KIA and/or POW),
        ``identity_uncertain_with``, ``n_events`` (``Int64``), ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _with_alias_lists(_load("people"))


def load_places() -> pd.DataFrame:
    """Gazetteer with WGS84 ``lat``/``lon``, ``precision``, ``region``; ``aliases`` as a list.

    Returns
    -------
    pandas.DataFrame
        Columns ``place_id``, ``name``, ``aliases`` (list of str, empty when none),
        ``kind`` (city, river, lake, mountains, region, ...), ``lat``, ``lon``
        (float), ``precision`` (exact site, approximate, or centroid), ``region``,
        ``modern_country``, ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _with_alias_lists(_load("places"))


def load_phases(scheme: str | None = None) -> pd.DataFrame:
    """Phases of both periodisations (``scheme`` = ``period`` or ``stage``), or of one.

    Parameters
    ----------
    scheme : {"period", "stage"}, optional
        ``period``: war by war, as the current overview divides the conflict;
        ``stage``: the four stages of the older overview. ``None`` (default)
        returns both.

    Returns
    -------
    pandas.DataFrame
        Columns ``scheme``, ``phase_id``, ``label``, ``start_year``, ``end_year``
        (``Int64``), ``source_id``, ``section``; a fresh ``RangeIndex`` when
        filtered. :func:`kdwars.analysis.phase_order` gives the chronological order.

    Raises
    ------
    ValueError
        If ``scheme`` is neither ``"period"`` nor ``"stage"`` (nor ``None``).
    FileNotFoundError
        If the table is not found (run ``kdwars build`` first).

    Examples
    --------
    >>> import kdwars
    >>> kdwars.load_phases("stage")["phase_id"].tolist()
    ['before-stages', 'first', 'second', 'third', 'fourth', 'after-stages']
    """
    df = _load("phases")
    if scheme is not None:
        if scheme not in ("period", "stage"):
            raise ValueError(f"scheme must be 'period' or 'stage', got {scheme!r}")
        df = df[df["scheme"] == scheme].reset_index(drop=True)
    return df


def load_sources() -> pd.DataFrame:
    """The five source articles.

    Returns
    -------
    pandas.DataFrame
        Columns ``source_id`` (``overview``, ``overview-old``, ``war1635``,
        ``war1723``, ``war1739``), ``file``, ``title``, ``version``, ``kind``,
        ``note``, ``n_sections`` (``Int64``).

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("sources")


def load_event_dates() -> pd.DataFrame:
    """Date claims: one row per source (or historian) dating an event.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``event_id``, ``as_written``, ``year_start``,
        ``year_end``, ``month``, ``day`` (``Int64``), ``season``, ``qualifier``,
        ``date_precision`` (ordered categorical), ``source_id``, ``section``,
        ``attributed_to``, ``witness``, ``note``. An event's first row is its
        leading claim (the one shown as ``date_text`` in :func:`load_events`).

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("event_dates")


def load_event_outcomes() -> pd.DataFrame:
    """Outcome claims: who won, according to which source or historian.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``event_id``, ``winner`` (side slug or
        ``inconclusive``), ``as_written``, ``source_id``, ``section``,
        ``attributed_to``, ``witness``, ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("event_outcomes")


def load_event_places() -> pd.DataFrame:
    """Event × place: primary places and further or competing place claims.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``place_id`` (see :func:`load_places`), ``role``
        (primary, site, near, target, captured, destination, origin, route, ...),
        ``as_written``, ``source_id`` (missing for the primary place), ``section``,
        ``attributed_to``, ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("event_places")


def load_person_claims() -> pd.DataFrame:
    """Attributes of people stated by the sources (jüz, fate, death).

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id``, ``field`` (juz, fate, died, title, side), ``value``,
        ``as_written``, ``source_id``, ``section``, ``attributed_to``, ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("person_claims")


def load_coverage() -> pd.DataFrame:
    """Claims per source section.

    Returns
    -------
    pandas.DataFrame
        One row per (``source_id``, ``section``) in article order, with ``Int64``
        counts ``n_claims`` (all claims citing the section), ``n_dates``,
        ``n_outcomes``, ``n_places``, ``n_figures``, ``n_participants``,
        ``n_person_claims``. See :func:`kdwars.analysis.coverage_matrix`.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first),
        or no data directory can be found at all.
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("coverage")


def load_event_sides() -> pd.DataFrame:
    """Event × side: the camp each side fought in (or served) and its role.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id`` (missing for derived rows), ``event_id``, ``side``,
        ``camp`` (the principal side of the camp), ``role`` (principal, ally —
        combatants —; supplier, host, mediator — not combatants), ``basis``
        (``stated`` by a source, or ``derived`` from the event's attacker and
        defender), ``source_id``, ``section``, ``attributed_to``, ``note``.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first).
    ValueError
        If the file's columns differ from the data dictionary.

    Examples
    --------
    >>> import kdwars
    >>> sides = kdwars.load_event_sides()
    >>> set(sides["basis"]) <= {"stated", "derived"}
    True
    """
    return _load("event_sides")


def load_disagreements() -> pd.DataFrame:
    """Disagreements the articles state or imply, each backed by the claims that disagree.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``aspect`` (date, place, outcome, figures,
        participants, route, terms), ``claims`` (claim ids, ';'-separated) and
        ``note`` (what they disagree on, in our words). Conflicts that the claims
        show by themselves are in :func:`load_claim_relations`.

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first).
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("disagreements")


def load_claim_relations() -> pd.DataFrame:
    """Every pair of date, figure, outcome or site claims on one event, and how they relate.

    The table the build wrote with :func:`kdwars.claim_relations`.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``field``, ``group``, ``claim_a``, ``claim_b``,
        ``value_a``, ``value_b``, ``source_a``, ``source_b``, ``relation``
        (same, refines, overlaps, conflicts).

    Raises
    ------
    FileNotFoundError
        If the table is not found in :func:`data_dir` (run ``kdwars build`` first).
    ValueError
        If the file's columns differ from the data dictionary.
    """
    return _load("claim_relations")


class UnknownNameError(KeyError):
    """A spelling that no alias table knows; the message suggests close matches."""

    def __str__(self) -> str:
        return str(self.args[0])


@cache
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

    Matching ignores case, accents, brackets and hyphens; a ``person_id`` itself
    is returned unchanged.

    Parameters
    ----------
    name : str
        A name as any source spells it (or a ``person_id``).

    Returns
    -------
    str
        The ``person_id`` of :func:`load_people`.

    Raises
    ------
    KeyError
        For an unknown spelling, suggesting close matches.
        (:class:`UnknownNameError`, a subclass of :class:`KeyError`.)
    ValueError
        If ``name`` is not a non-empty string.

    Examples
    --------
    >>> resolve_person("Abilqaiyr")
    'abul-khair-khan'
    """
    return _resolve(name, "people", "person_id", "person")


def resolve_place(name: str) -> str:
    """The ``place_id`` for any spelling used in the sources (``"Sairam"`` → ``"sayram"``).

    Matching ignores case, accents, brackets and hyphens; a ``place_id`` itself
    is returned unchanged.

    Parameters
    ----------
    name : str
        A place name as any source spells it (or a ``place_id``).

    Returns
    -------
    str
        The ``place_id`` of :func:`load_places`.

    Raises
    ------
    KeyError
        For an unknown spelling, suggesting close matches.
        (:class:`UnknownNameError`, a subclass of :class:`KeyError`.)
    ValueError
        If ``name`` is not a non-empty string.

    Examples
    --------
    >>> resolve_place("Sairam")
    'sayram'
    """
    return _resolve(name, "places", "place_id", "place")
