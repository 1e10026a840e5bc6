"""Analysis helpers: small functions that take and return DataFrames.

They answer the notebooks' questions — by phase, by region, by commander, human
cost, and where the sources disagree — so the notebooks stay thin and every
number in them is reproducible and tested.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .reconcile import reconcile
from .vocab import (
    COMBATANT_ROLES,
    COMMAND_ROLES,
    EVENT_CATEGORIES,
    EVENT_CATEGORY_ORDER,
    LIST_SEPARATOR,
    MAIN_SIDES,
    MILITARY_TYPES,
)

__all__ = [
    "phase_order", "by_phase", "by_region", "events_per_decade", "upper_hand", "phase_crosswalk",
    "commander_records", "careers", "opponents", "alias_merges", "force_ratio", "totals_by_phase",
    "top_level_claims", "city_control", "CONTROL_MAX_GAP", "date_disagreements", "figure_disagreements",
    "outcome_disagreements", "claims_per_source", "coverage_matrix", "severity_by_phase",
    "force_ranges", "camp_strengths", "event_category", "EVENT_CATEGORIES",
    "disagreeing_pairs", "disagreement_matrix", "phase_results", "displacement_flows",
    "MAIN_SIDES",
]

def event_category(event_type: pd.Series) -> pd.Series:
    """The category of each event type (:data:`EVENT_CATEGORIES`), as an ordered categorical.

    Parameters
    ----------
    event_type : pandas.Series
        Event types, e.g. the ``event_type`` column of :func:`kdwars.load_events`.

    Returns
    -------
    pandas.Series
        Named ``category``, with the index of ``event_type``: an ordered
        categorical with the levels fighting < campaign or invasion < war <
        diplomacy < rulers and captives < displacement. Missing event types stay
        missing.

    Raises
    ------
    ValueError
        If an event type has no entry in :data:`EVENT_CATEGORIES`.

    Examples
    --------
    >>> import pandas as pd
    >>> from kdwars.analysis import event_category
    >>> event_category(pd.Series(["battle", "treaty"])).tolist()
    ['fighting', 'diplomacy']
    """
    order = list(EVENT_CATEGORY_ORDER)
    unknown = set(event_type.dropna()) - set(EVENT_CATEGORIES)
    if unknown:
        raise ValueError(f"event types without a category: {sorted(unknown)}")
    return pd.Series(pd.Categorical(event_type.map(EVENT_CATEGORIES), categories=order, ordered=True),
                     index=event_type.index, name="category")


def _need(df: pd.DataFrame, cols: Iterable[str], fn: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{fn}() needs columns {missing}; got {list(df.columns)}")


def phase_order(phases: pd.DataFrame, scheme: str = "period") -> list[str]:
    """Phase ids of one scheme in chronological order.

    Parameters
    ----------
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases` (needs ``scheme``, ``phase_id``,
        ``start_year`` and ``end_year``).
    scheme : {"period", "stage"}, default "period"
        Periodisation: ``period`` (war by war, current overview) or ``stage``
        (the four stages of the older overview).

    Returns
    -------
    list of str
        The scheme's ``phase_id`` values sorted by ``start_year``, then ``end_year``.

    Raises
    ------
    ValueError
        If ``phases`` has no phase of ``scheme``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.analysis import phase_order
    >>> phase_order(kdwars.load_phases(), "stage")
    ['before-stages', 'first', 'second', 'third', 'fourth', 'after-stages']
    """
    p = phases[phases["scheme"] == scheme].sort_values(["start_year", "end_year"])
    if p.empty:
        raise ValueError(f"no phases for scheme {scheme!r}")
    return list(p["phase_id"])


def by_phase(events: pd.DataFrame, phases: pd.DataFrame, scheme: str = "period",
             column: str = "event_type") -> pd.DataFrame:
    """Counts of events per phase (rows, chronological) × ``column`` value (columns).

    Events with a missing ``column`` value are counted under ``"none"``; events
    without a phase of ``scheme`` are left out; phases without events are rows
    of zeros.

    Parameters
    ----------
    events : DataFrame
        From :func:`kdwars.load_events` (needs the ``scheme`` column and ``column``).
    phases : DataFrame
        From :func:`kdwars.load_phases`.
    scheme : {"period", "stage"}, default "period"
        Periodisation: the ``events`` column of that name gives each event's phase.
    column : str, default "event_type"
        Column of ``events`` to count by (``event_type``, ``winner``, ``region``, ...).

    Returns
    -------
    DataFrame
        Integer counts. The index, named after ``scheme``, holds every phase id of
        the scheme in chronological order (:func:`phase_order`); the columns are
        the values of ``column``, sorted.

    Raises
    ------
    ValueError
        If ``events`` lacks the ``scheme`` or ``column`` column, or ``phases`` has
        no phase of ``scheme``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> table = A.by_phase(kdwars.load_events(), kdwars.load_phases(), column="winner")
    >>> table.index[:3].tolist()
    ['prelude', 'war-1635-1658', 'interwar-1659-1680']
    """
    _need(events, [scheme, column], "by_phase")
    order = phase_order(phases, scheme)
    table = pd.crosstab(events[scheme], events[column].fillna("none"))
    table = table.reindex(order, fill_value=0)
    table.index.name = scheme
    return table


def by_region(events: pd.DataFrame, column: str = "period", order: list[str] | None = None) -> pd.DataFrame:
    """Counts of events per region (rows, most events first) × ``column`` value.

    Missing ``column`` values are counted under ``"none"``; events without a
    ``region`` are left out.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``region`` and ``column``).
    column : str, default "period"
        Column of ``events`` to count by (``period``, ``stage``, ``event_type``,
        ``winner``, ...).
    order : list of str, optional
        Column order, e.g. ``phase_order(phases)``. Values of ``column`` not in
        ``order`` are dropped (also from the row totals used for sorting); listed
        values that never occur are skipped.

    Returns
    -------
    pandas.DataFrame
        Integer counts with the index ``region`` (sorted by row total, largest
        first) and one column per value of ``column``.

    Raises
    ------
    ValueError
        If ``events`` lacks ``region`` or ``column``.
    """
    _need(events, ["region", column], "by_region")
    table = pd.crosstab(events["region"], events[column].fillna("none"))
    if order is not None:
        table = table.reindex(columns=[c for c in order if c in table.columns])
    return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


def events_per_decade(events: pd.DataFrame, column: str = "event_type", start: int = 1630,
                      end: int = 1780) -> pd.DataFrame:
    """Events per decade of their first year (rows) × ``column`` value, for ``start``–``end``.

    Only events with ``start <= year_start < end`` are counted, each in the
    decade of its ``year_start`` however long it lasted; missing ``column``
    values are counted under ``"none"``.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``year_start`` and ``column``).
    column : str, default "event_type"
        Column of ``events`` to count by.
    start : int, default 1630
        First year counted.
    end : int, default 1780
        First year no longer counted (exclusive).

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index ``decade`` holds the first year of every decade
        from ``start`` (rounded down to a multiple of 10) to before ``end``,
        including decades without events (rows of zeros); one column per value of
        ``column``.

    Raises
    ------
    ValueError
        If ``events`` lacks ``year_start`` or ``column``.
    """
    _need(events, ["year_start", column], "events_per_decade")
    ev = events[(events["year_start"] >= start) & (events["year_start"] < end)]
    decade = (ev["year_start"].astype(int) // 10 * 10).rename("decade")
    table = pd.crosstab(decade, ev[column].fillna("none"))
    return table.reindex(range(start // 10 * 10, end, 10), fill_value=0)


def upper_hand(events: pd.DataFrame, phases: pd.DataFrame, scheme: str = "period",
               sides: tuple[str, ...] = MAIN_SIDES) -> pd.DataFrame:
    """Military wins per phase for each side, plus disputed and undecided outcomes.

    Counts military events (battles, sieges, raids, captures of cities,
    invasions, campaigns; not whole wars) by ``winner``. ``balance`` is the
    first side's wins minus the second's; ``upper_hand`` names the side with
    more wins, ``even`` on a tie and ``none`` when no side won anything.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs the ``scheme`` column, ``winner``
        and ``event_type``).
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases`.
    scheme : {"period", "stage"}, default "period"
        Periodisation to count by.
    sides : tuple of str, default :data:`MAIN_SIDES`
        Sides with a column of their own; ``balance`` and ``upper_hand`` compare
        the first two.

    Returns
    -------
    pandas.DataFrame
        Index: every phase id of ``scheme`` in chronological order (named after
        ``scheme``). Integer columns: one per side in ``sides`` (wins), ``other
        sides`` (events won by any other side),
        ``disputed``, ``inconclusive``, ``unknown``, ``balance``; and the string
        column ``upper_hand``. Input of :func:`kdwars.plot_upper_hand`.

    Raises
    ------
    ValueError
        If ``events`` lacks a needed column or ``phases`` has no phase of ``scheme``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> hand = A.upper_hand(kdwars.load_events(), kdwars.load_phases())
    >>> hand.loc["war-1635-1658", "upper_hand"]
    'dzungar'
    """
    _need(events, [scheme, "winner", "event_type"], "upper_hand")
    mil = events[events["event_type"].isin([t for t in MILITARY_TYPES if t != "war"])]
    table = by_phase(mil, phases, scheme, "winner")
    out = pd.DataFrame(index=table.index)
    for s in sides:
        out[s] = table[s] if s in table.columns else 0
    out["other sides"] = table.drop(columns=[c for c in (*sides, "disputed", "unknown", "inconclusive", "none")
                                             if c in table.columns]).sum(axis=1)
    for c in ("disputed", "inconclusive", "unknown"):
        out[c] = table[c] if c in table.columns else 0
    a, b = sides[0], sides[1]
    out["balance"] = out[a] - out[b]
    out["upper_hand"] = np.select(
        [out[a] > out[b], out[b] > out[a], (out[a] == 0) & (out[b] == 0)], [a, b, "none"], default="even")
    return out


def phase_crosswalk(events: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """Events counted under both periodisations: periods (rows) × stages (columns).

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``period`` and ``stage``).
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases` (both schemes).

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index ``period`` and the columns ``stage`` list every
        phase of the scheme in chronological order (zeros where no event falls).
        Events missing either phase are left out.

    Raises
    ------
    ValueError
        If ``events`` lacks ``period`` or ``stage``, or ``phases`` lacks a scheme.
    """
    _need(events, ["period", "stage"], "phase_crosswalk")
    t = pd.crosstab(events["period"], events["stage"])
    return t.reindex(index=phase_order(phases, "period"), columns=phase_order(phases, "stage"), fill_value=0)


# --------------------------------------------------------------------------- commanders



def commander_records(commanders: pd.DataFrame, events: pd.DataFrame, people: pd.DataFrame | None = None,
                      roles: tuple[str, ...] = COMMAND_ROLES) -> pd.DataFrame:
    """Each commander's record: events commanded, won, lost, undecided, and fates.

    An event counts once per person (several sources naming the same commander
    are one command). ``won``/``lost`` compare the person's side with the
    event's ``winner``; ``undecided`` covers inconclusive, disputed and unknown
    outcomes. Whole wars are left out (an infobox lists every leader of a war).

    Parameters
    ----------
    commanders : pandas.DataFrame
        From :func:`kdwars.load_commanders` (needs ``event_id``, ``person_id``,
        ``side``, ``role`` and ``fate``).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``event_type``,
        ``winner`` and ``year_start``). Only military events count (battles,
        sieges, raids, captures of cities, invasions, campaigns).
    people : pandas.DataFrame, optional
        From :func:`kdwars.load_people` (needs ``person_id`` and ``name``); adds a
        ``name`` column.
    roles : tuple of str, default ("commander", "co-commander")
        Values of ``commanders["role"]`` that count as commanding.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``; columns ``name`` (only with ``people``),
        ``side`` (the side the person most often commanded), ``events``, ``won``,
        ``lost``, ``undecided`` (a winner of ``both`` or no winner at all also
        counts as undecided), ``first_year``, ``last_year`` (``year_start`` of the
        first and last command) and ``fate`` (``KIA``/``POW`` from any row of
        ``commanders`` for the person, ``'|'``-joined; missing when none). Sorted
        by ``events``, then ``won``, most first. Input of
        :func:`kdwars.plot_commander_records`.

    Raises
    ------
    ValueError
        If ``commanders`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> records = A.commander_records(kdwars.load_commanders(), kdwars.load_events(), kdwars.load_people())
    >>> records[["name", "side", "events", "won", "lost", "undecided"]].head()  # doctest: +SKIP
    """
    _need(commanders, ["event_id", "person_id", "side", "role", "fate"], "commander_records")
    ev = events.set_index("event_id")
    c = commanders[commanders["role"].isin(roles)]
    c = c[c["event_id"].map(ev["event_type"]).isin([t for t in MILITARY_TYPES if t != "war"])]
    c = c.drop_duplicates(["event_id", "person_id"])
    winner = c["event_id"].map(ev["winner"]).fillna("unknown")
    res = np.where(winner == c["side"], "won",
                   np.where(winner.isin(["inconclusive", "disputed", "unknown", "both"]), "undecided", "lost"))
    c = c.assign(result=res, year=c["event_id"].map(ev["year_start"]))
    table = c.pivot_table(index="person_id", columns="result", values="event_id", aggfunc="count", fill_value=0)
    for col in ("won", "lost", "undecided"):
        if col not in table.columns:
            table[col] = 0
    table = table[["won", "lost", "undecided"]]
    table.insert(0, "events", table.sum(axis=1))
    table["first_year"] = c.groupby("person_id")["year"].min()
    table["last_year"] = c.groupby("person_id")["year"].max()
    fates = commanders.dropna(subset=["fate"]).groupby("person_id")["fate"].agg(lambda s: "|".join(sorted(set(s))))
    table["fate"] = fates.reindex(table.index)
    side = c.groupby("person_id")["side"].agg(lambda s: s.mode().iloc[0])
    table.insert(0, "side", side)
    if people is not None:
        table.insert(0, "name", people.set_index("person_id")["name"].reindex(table.index))
    table.columns.name = None
    return table.sort_values(["events", "won"], ascending=False)


def careers(commanders: pd.DataFrame, events: pd.DataFrame, people: pd.DataFrame,
            min_events: int = 2, event_dates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Span of each person's recorded activity (any role, excluding whole wars).

    Each event is dated by its envelope (``year_start``–``year_end``), or, when
    ``event_dates`` is given, by its leading (first) date claim, so that a vague
    competing claim ("early 17th century") does not stretch a career.

    Parameters
    ----------
    commanders : pandas.DataFrame
        From :func:`kdwars.load_commanders` (needs ``event_id``, ``person_id`` and
        ``side``); every role counts (commander, ruler, envoy, captive, ...).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``event_type``,
        ``year_start`` and ``year_end``).
    people : pandas.DataFrame
        From :func:`kdwars.load_people` (needs ``person_id`` and ``name``).
    min_events : int, default 2
        Fewest distinct events a person needs to be listed.
    event_dates : pandas.DataFrame, optional
        From :func:`kdwars.load_event_dates` (needs ``event_id``, ``year_start``
        and ``year_end``); an event's first row is taken as its leading claim.

    Returns
    -------
    pandas.DataFrame
        One row per person with at least ``min_events`` events:
        ``person_id``, ``name``, ``side``, ``first_year``, ``last_year``, ``n_events``,
        sorted by first year. Column order: ``person_id``, ``name``,
        ``first_year``, ``last_year``, ``n_events``, ``side`` (the side the person
        appears on most often); ties in ``first_year`` are sorted by
        ``last_year``, with a fresh ``RangeIndex``. Input of
        :func:`kdwars.plot_careers`.
    """
    ev = events.set_index("event_id")
    y0, y1 = ev["year_start"], ev["year_end"]
    if event_dates is not None:
        lead = event_dates.groupby("event_id", sort=False)[["year_start", "year_end"]].first()
        y0, y1 = lead["year_start"], lead["year_end"]
    c = commanders[commanders["event_id"].map(ev["event_type"]) != "war"].drop_duplicates(["event_id", "person_id"])
    c = c.assign(y0=c["event_id"].map(y0), y1=c["event_id"].map(y1))
    g = c.groupby("person_id").agg(first_year=("y0", "min"), last_year=("y1", "max"), n_events=("event_id", "nunique"),
                                   side=("side", lambda s: s.mode().iloc[0]))
    g = g[g["n_events"] >= min_events]
    g.insert(0, "name", people.set_index("person_id")["name"].reindex(g.index))
    return g.reset_index().sort_values(["first_year", "last_year"]).reset_index(drop=True)


def opponents(commanders: pd.DataFrame, events: pd.DataFrame, sides: tuple[str, str] = MAIN_SIDES,
              roles: tuple[str, ...] = COMMAND_ROLES) -> pd.DataFrame:
    """Who faced whom: a matrix of events in which two commanders led opposing sides.

    Rows are commanders of ``sides[0]``, columns of ``sides[1]``; cells count
    shared events (excluding whole wars).

    Parameters
    ----------
    commanders : pandas.DataFrame
        From :func:`kdwars.load_commanders` (needs ``event_id``, ``person_id``,
        ``side`` and ``role``).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id`` and ``event_type``).
    sides : tuple of (str, str), default :data:`MAIN_SIDES`
        The two sides to pair.
    roles : tuple of str, default ("commander", "co-commander")
        Values of ``commanders["role"]`` that count as commanding.

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index (named ``person_id_<sides[0]>``) and the columns
        (``person_id_<sides[1]>``) hold person ids, each ordered by total shared
        events, most first. An empty DataFrame when no event has commanders of
        both sides. Suits :func:`kdwars.plot_table_heatmap`.
    """
    ev = events.set_index("event_id")
    c = commanders[commanders["role"].isin(roles)]
    c = c[c["event_id"].map(ev["event_type"]) != "war"].drop_duplicates(["event_id", "person_id"])
    a = c[c["side"] == sides[0]][["event_id", "person_id"]]
    b = c[c["side"] == sides[1]][["event_id", "person_id"]]
    pairs = a.merge(b, on="event_id", suffixes=(f"_{sides[0]}", f"_{sides[1]}"))
    if pairs.empty:
        return pd.DataFrame()
    m = pd.crosstab(pairs[f"person_id_{sides[0]}"], pairs[f"person_id_{sides[1]}"])
    m = m.loc[m.sum(axis=1).sort_values(ascending=False).index, m.sum(axis=0).sort_values(ascending=False).index]
    return m


def alias_merges(people: pd.DataFrame, commanders: pd.DataFrame) -> pd.DataFrame:
    """How the alias table merged spellings: per person, the spellings the sources use.

    Parameters
    ----------
    people : pandas.DataFrame
        From :func:`kdwars.load_people` (needs ``person_id`` and ``name``).
    commanders : pandas.DataFrame
        From :func:`kdwars.load_commanders` (needs ``person_id``, ``as_written``
        and ``source_id``).

    Returns
    -------
    pandas.DataFrame
        ``person_id``, ``name``, ``n_spellings`` (distinct names as written
        in participant claims), ``spellings`` ('; '-joined) and ``sources``, for
        people written in more than one way, most spellings first.
        Column order: ``person_id``, ``name``, ``spellings`` (sorted),
        ``n_spellings``, ``sources`` (every source naming the person, sorted and
        ``';'``-joined).
    """
    g = commanders.groupby("person_id").agg(
        spellings=("as_written", lambda s: "; ".join(sorted(set(s)))),
        n_spellings=("as_written", "nunique"),
        sources=("source_id", lambda s: ";".join(sorted(set(s)))),
    )
    g = g[g["n_spellings"] > 1]
    g.insert(0, "name", people.set_index("person_id")["name"].reindex(g.index))
    return g.sort_values("n_spellings", ascending=False).reset_index()


# --------------------------------------------------------------------------- human cost


def top_level_claims(casualties: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Figure claims with nested duplicates removed, so that totals never count twice.

    When an event and one of its ancestors (its campaign or war, through
    ``parent_event_id``) both carry figures for the same side and measure, the
    descendant's figures are dropped: the ancestor's figure is the more inclusive
    one (3,000 captives in the 1741 invasion include the 200 taken with Ablai).

    Parameters
    ----------
    casualties : pandas.DataFrame
        Figure claims from :func:`kdwars.load_casualties` (needs ``event_id``,
        ``side`` and ``measure``), possibly already filtered.
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id`` and
        ``parent_event_id``).

    Returns
    -------
    pandas.DataFrame
        The kept rows of ``casualties``, with all its columns and its index.
        Unit and kind are not compared: any ancestor figure for the same side
        and measure (among the rows passed in) drops the descendant's.
    """
    parent = events.set_index("event_id")["parent_event_id"].to_dict()

    def ancestors(e: str) -> list[str]:
        out, seen = [], set()
        while pd.notna(parent.get(e)) and e not in seen:
            seen.add(e)
            e = parent[e]
            out.append(e)
        return out

    keys = set(zip(casualties["event_id"], casualties["side"], casualties["measure"]))
    mask = [not any((a, s, m) in keys for a in ancestors(e))
            for e, s, m in zip(casualties["event_id"], casualties["side"], casualties["measure"])]
    return casualties[mask]


def totals_by_phase(casualties: pd.DataFrame, events: pd.DataFrame, phases: pd.DataFrame,
                    measure: str = "killed", scheme: str = "period",
                    unit: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Low and high totals of a measure per phase and side, from reconciled claims.

    Each event × side contributes its reconciled envelope once (see
    :func:`kdwars.reconcile`); nested events are not counted twice (see
    :func:`top_level_claims`). ``unit`` keeps one unit, or several units that
    count the same thing (``("people", "men")``: both count persons; they are
    merged under the label ``"people+men"`` before reconciling, so that "3,000
    men" and "three thousand people" for one event are one figure). ``low``
    sums the lower bounds (a missing one counts as 0 and is reported in
    ``n_open_low``); ``high`` sums the upper bounds and is missing as soon as
    any contributing figure is open-ended.

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs the columns of
        :func:`kdwars.reconcile`).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``parent_event_id``
        and the ``scheme`` column).
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases`; gives the chronological order.
    measure : str, default "killed"
        Value of ``casualties["measure"]`` to total (``strength``, ``killed``,
        ``captured``, ``migrants``, ...).
    scheme : {"period", "stage"}, default "period"
        Periodisation to total by.
    unit : str or sequence of str, optional
        Unit(s) to keep. ``None`` (default) keeps every unit, each totalled
        separately.

    Returns
    -------
    pandas.DataFrame
        Columns ``<scheme>`` (the phase id), ``side``, ``unit``, ``n_events``
        (events contributing), ``low`` (int), ``high`` (``Int64``) and
        ``n_open_low``; sorted by phase (chronological), then side. Only figures
        with a number count; phases without any have no row, nor do events without
        a phase. Input of :func:`kdwars.plot_totals`.

    Raises
    ------
    ValueError
        If ``casualties`` lacks a column :func:`kdwars.reconcile` needs.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> cas, events, phases = kdwars.load_casualties(), kdwars.load_events(), kdwars.load_phases()
    >>> A.totals_by_phase(cas, events, phases, "captured", unit=("people", "men"))  # doctest: +SKIP
    """
    c = casualties[casualties["measure"] == measure]
    if unit is not None:
        units = [unit] if isinstance(unit, str) else list(unit)
        c = c[c["unit"].isin(units)].assign(unit="+".join(units))
    c = top_level_claims(c, events)
    rec = reconcile(c)
    rec = rec[rec["low"].notna() | rec["high"].notna()]
    rec = rec.assign(phase=rec["event_id"].map(events.set_index("event_id")[scheme]))
    rows = []
    for (phase, side, u), g in rec.groupby(["phase", "side", "unit"]):
        rows.append({scheme: phase, "side": side, "unit": u, "n_events": g["event_id"].nunique(),
                     "low": int(g["low"].fillna(0).sum()),
                     "high": int(g["high"].sum()) if g["high"].notna().all() else pd.NA,
                     "n_open_low": int(g["low"].isna().sum())})
    out = pd.DataFrame(rows, columns=[scheme, "side", "unit", "n_events", "low", "high", "n_open_low"])
    order = {p: i for i, p in enumerate(phase_order(phases, scheme))}
    out["high"] = out["high"].astype("Int64")
    out = out.sort_values([scheme, "side"], key=lambda s: s.map(order) if s.name == scheme else s)
    return out.reset_index(drop=True)


def severity_by_phase(casualties: pd.DataFrame, events: pd.DataFrame, scheme: str = "period") -> pd.DataFrame:
    """Qualitative loss claims (no number) per phase and side: the most severe word and the count.

    Every claim with a ``qualitative`` word counts, whatever its measure.

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs ``event_id``, ``side``,
        ``claim_id`` and ``qualitative`` as its ordered categorical, so that the
        maximum is the most severe word).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id`` and the ``scheme``
        column).
    scheme : {"period", "stage"}, default "period"
        Periodisation to group by.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase`` (phase id), ``side``, ``most_severe`` (categorical) and
        ``n_claims``: one row per phase × side with such claims, sorted by phase id
        and side (alphabetically). Claims of events without a phase are left out.
    """
    q = casualties[casualties["qualitative"].notna()]
    q = q.assign(phase=q["event_id"].map(events.set_index("event_id")[scheme]))
    return (q.groupby(["phase", "side"], observed=True)
             .agg(most_severe=("qualitative", "max"), n_claims=("claim_id", "count"))
             .reset_index())


def force_ranges(casualties: pd.DataFrame, events: pd.DataFrame, kinds: tuple = ("initial", "total", None),
                 unit: str = "men") -> pd.DataFrame:
    """Strength claims with numbers, one row per claim, labelled for a range chart.

    Keeps claims of strength in ``unit`` whose kind is one of ``kinds``
    (``None`` = unspecified), adds ``event`` (name and year) and sorts by year.

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs ``event_id``, ``side``,
        ``measure``, ``unit``, ``kind``, ``low`` and ``high``).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``name`` and
        ``year_start``).
    kinds : tuple, default ("initial", "total", None)
        Kinds of strength to keep; ``None`` keeps claims without a kind.
    unit : str, default "men"
        Unit to keep.

    Returns
    -------
    pandas.DataFrame
        The kept claims (all columns of ``casualties``; claims without any number
        are dropped) plus ``year`` (the event's ``year_start``) and ``event``
        (``"Name (year)"``), sorted by year, event and side, with a fresh
        ``RangeIndex``. Input of :func:`kdwars.plot_claim_ranges` with
        ``y="event"``.
    """
    c = casualties[(casualties["measure"] == "strength") & (casualties["unit"] == unit)]
    kind = c["kind"].astype("object").where(c["kind"].notna(), None)
    c = c[kind.isin([k for k in kinds if k is not None]) | (kind.isna() if None in kinds else False)]
    c = c[c["low"].notna() | c["high"].notna()]
    ev = events.set_index("event_id")
    c = c.assign(year=c["event_id"].map(ev["year_start"]),
                 event=c["event_id"].map(ev["name"]) + " (" + c["event_id"].map(ev["year_start"]).astype(str) + ")")
    return c.sort_values(["year", "event", "side"]).reset_index(drop=True)


def camp_strengths(casualties: pd.DataFrame, event_sides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each camp's strength per event: the sum of its combatant sides' reconciled envelopes.

    A camp is named by its principal side (:func:`kdwars.load_event_sides`); an ally
    (the Bukharan relief army at Orbulaq) adds its men to the camp it fought in.
    Suppliers, hosts and mediators are not combatants and add nothing. A side with
    figures but no row in ``event_sides`` forms its own camp.

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties`.
    event_sides : pandas.DataFrame, optional
        From :func:`kdwars.load_event_sides`; without it every side is its own camp.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``camp``, ``low``, ``high`` (sums; ``high`` missing
        when any member's is open), ``sides`` (the members counted, ';'-joined) and
        ``n_claims``. Strength in men of kind initial, total, detachment, relief or
        unspecified; a missing lower bound is replaced by the upper bound.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> camps = A.camp_strengths(kdwars.load_casualties(), kdwars.load_event_sides())
    >>> sorted(camps.columns)
    ['camp', 'event_id', 'high', 'low', 'n_claims', 'sides']
    """
    c = casualties[(casualties["measure"] == "strength") & (casualties["unit"] == "men")]
    c = c[c["kind"].isna() | c["kind"].isin(["initial", "total", "detachment", "relief"])]
    c = c[c["low"].notna() | c["high"].notna()]
    rec = reconcile(c.assign(kind=pd.NA))
    rec["low"] = rec["low"].fillna(rec["high"])
    camp = {}
    if event_sides is not None:
        fighting = event_sides[event_sides["role"].isin(COMBATANT_ROLES)]
        camp = {(e, s): k for e, s, k in zip(fighting["event_id"], fighting["side"], fighting["camp"])}
        excluded = event_sides[~event_sides["role"].isin(COMBATANT_ROLES)]
        out_of_fight = set(zip(excluded["event_id"], excluded["side"]))
        rec = rec[[(e, s) not in out_of_fight or (e, s) in camp for e, s in zip(rec["event_id"], rec["side"])]]
    rec = rec.assign(camp=[camp.get((e, s), s) for e, s in zip(rec["event_id"], rec["side"])])
    rows = []
    for (event_id, name), g in rec.groupby(["event_id", "camp"], sort=True):
        high = pd.NA if g["high"].isna().any() else int(g["high"].sum())
        rows.append({"event_id": event_id, "camp": name, "low": int(g["low"].sum()), "high": high,
                     "sides": ";".join(sorted(g["side"])), "n_claims": int(g["n_claims"].sum())})
    return pd.DataFrame(rows, columns=["event_id", "camp", "low", "high", "sides", "n_claims"])


def force_ratio(casualties: pd.DataFrame, events: pd.DataFrame, sides: tuple[str, str] = MAIN_SIDES,
                event_sides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Did the larger army win? One row per event with strength figures for both camps.

    Uses the reconciled envelope of *initial/total/unspecified* strength in men.
    ``ratio_low``/``ratio_high`` bound the first side's strength divided by the
    second's (lowest possible over highest possible and vice versa); ``larger``
    names the side that was larger under every reading, or ``unclear`` when the
    ranges overlap. ``larger_won`` is True/False, or missing when unclear or
    the winner is not one of the two sides.

    Claims of kind ``detachment`` and ``relief`` count too, and all kinds of one
    side are merged into one envelope. With ``event_sides``, each camp's strength
    is the sum of its combatant sides (:func:`camp_strengths`): at Orbulaq the
    Kazakh camp is Jangir's men *and* the Bukharan relief army. A missing lower
    bound is replaced by the upper bound; a missing upper bound counts as
    infinite in the ratios.

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs the columns of
        :func:`kdwars.reconcile`).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``name``,
        ``year_start`` and ``winner``).
    sides : tuple of (str, str), default :data:`MAIN_SIDES`
        The two camps to compare (first ÷ second).
    event_sides : pandas.DataFrame, optional
        From :func:`kdwars.load_event_sides`: count coalitions (allies in a camp).
        Without it each side stands alone.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``name``, ``year``, ``<a>_low``, ``<a>_high``,
        ``<b>_low``, ``<b>_high`` (each camp's envelope; ``a, b = sides``),
        ``<a>_sides``, ``<b>_sides`` (the sides counted in each camp),
        ``ratio_low``, ``ratio_high`` (float, ``inf`` when open), ``larger``,
        ``winner`` and ``larger_won``; sorted by year. An empty DataFrame without
        columns when no event has figures for both sides. Input of
        :func:`kdwars.plot_force_ratio`.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> ratio = A.force_ratio(kdwars.load_casualties(), kdwars.load_events())
    >>> ratio[["name", "ratio_low", "ratio_high", "larger", "winner", "larger_won"]]  # doctest: +SKIP
    """
    a, b = sides
    rec = camp_strengths(casualties, event_sides)
    ev = events.set_index("event_id")
    rows = []
    for event_id, g in rec.groupby("event_id"):
        g = g.set_index("camp")
        if a not in g.index or b not in g.index:
            continue
        lo_a, hi_a = g.loc[a, "low"], g.loc[a, "high"]
        lo_b, hi_b = g.loc[b, "low"], g.loc[b, "high"]
        hi_a_ = np.inf if pd.isna(hi_a) else hi_a
        hi_b_ = np.inf if pd.isna(hi_b) else hi_b
        ratio_low = lo_a / hi_b_
        ratio_high = hi_a_ / lo_b
        larger = a if ratio_low > 1 else (b if ratio_high < 1 else "unclear")
        winner = ev.loc[event_id, "winner"]
        larger_won = pd.NA if larger == "unclear" or pd.isna(winner) or winner not in sides else larger == winner
        rows.append({"event_id": event_id, "name": ev.loc[event_id, "name"], "year": ev.loc[event_id, "year_start"],
                     f"{a}_low": lo_a, f"{a}_high": hi_a, f"{b}_low": lo_b, f"{b}_high": hi_b,
                     f"{a}_sides": g.loc[a, "sides"], f"{b}_sides": g.loc[b, "sides"],
                     "ratio_low": ratio_low, "ratio_high": ratio_high, "larger": larger, "winner": winner,
                     "larger_won": larger_won})
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True) if rows else pd.DataFrame(rows)


# --------------------------------------------------------------------------- regions


#: How many years a holder may be inferred across between two pieces of evidence
#: that agree (the default ``max_gap`` of :func:`city_control`).
CONTROL_MAX_GAP: int = 10
_NO_CHANGE = ("unknown", "inconclusive")


def _control_evidence(events: pd.DataFrame, event_places: pd.DataFrame, city: str) -> list[dict]:
    """Every dated statement about who held ``city`` (see :func:`city_control`), in order."""
    ev = events.set_index("event_id")
    ep = event_places[event_places["place_id"] == city]
    has_def = "defender" in ev.columns
    items = []
    for event_id, claims in ep.groupby("event_id", sort=False):
        if event_id not in ev.index:
            continue
        e = ev.loc[event_id]
        y0, y1 = e["year_start"], e["year_end"] if "year_end" in ev.columns else e["year_start"]
        if pd.isna(y0):
            continue
        y0 = int(y0)
        y1 = y0 if pd.isna(y1) else int(y1)
        roles = set(claims["role"])
        winner = None if pd.isna(e["winner"]) else str(e["winner"])
        attacker = e.get("attacker")
        attacker = None if attacker is None or pd.isna(attacker) else str(attacker)
        defender = e["defender"] if has_def else None
        defender = None if defender is None or pd.isna(defender) else str(defender)
        found = []  # (kind, before, after)
        if "held" in roles and "holder" in claims.columns:
            for h in claims.loc[(claims["role"] == "held") & claims["holder"].notna(), "holder"]:
                found.append(("statement", str(h), str(h)))
        about_city = "captured" in roles or (
            e["event_type"] in ("city-capture", "siege") and roles & {"primary", "target", "captured"})
        if about_city and winner is not None and winner not in _NO_CHANGE:
            if winner == "disputed":
                found.append(("capture", defender, "disputed"))
            elif e["event_type"] == "siege" and attacker is not None and winner != attacker:
                found.append(("failed siege", winner, winner))  # the defenders held out
            else:
                found.append(("capture", defender, winner))
        if not found:
            continue
        afters = {f[2] for f in found}
        after = afters.pop() if len(afters) == 1 else "disputed"
        capture = any(k == "capture" for k, _, _ in found)
        befores = {b for k, b, _ in found if b is not None}
        before = befores.pop() if len(befores) == 1 else None
        kinds = sorted({k for k, _, _ in found})
        items.append({"event_id": event_id, "y0": y0, "y1": y1, "before": before, "after": after,
                      "capture": capture, "kind": ", ".join(kinds)})
    return sorted(items, key=lambda d: (d["y1"], d["y0"]))


def city_control(events: pd.DataFrame, event_places: pd.DataFrame, cities: Iterable[str], start: int = 1630,
                 end: int = 1760, max_gap: int = CONTROL_MAX_GAP, by: str = "interval") -> pd.DataFrame:
    """Who held each city, and on what evidence: recorded, inferred or unknown.

    The evidence about a city is of three kinds:

    * a **capture**: an event with a side as winner that names the city as a
      ``captured`` place, or a ``city-capture`` or ``siege`` event whose primary,
      ``target`` or ``captured`` place the city is. The winner holds the city in
      the event's last year; the **defender** held it before (at the event's
      first year). Years strictly inside a capture's date range are unknown (the
      city changed hands then). A capture whose sources disagree on the outcome
      makes the holder ``disputed``.
    * a **failed siege**: a ``siege`` whose winner is not the attacker. The
      defender (the winner) held the city in that year.
    * a **control statement**: a ``held`` place claim with a ``holder`` (a city
      "remained under" someone, was someone's headquarters, or, as Bukenbay
      said in 1734, was held by no one: ``none``). The holder held the city in
      every year of the event.

    Statements of one event that disagree (e.g. a report of a capture and a
    witness saying nobody holds the city) make that year ``disputed``. Battles
    and campaigns fought near a city, without a ``captured`` claim, say nothing
    about who held it; nor does an event that names no city (the Dzungars'
    giving up "most" of their captured towns after 1684 names none, and no
    holder is carried past 1684 anyway).

    **Rule for the years between.** A year with evidence is ``recorded`` (the
    holder at its end; when several events fall in one year, the last by date
    range). A year without evidence is ``inferred`` only when the evidence on
    both sides agrees (the holder after the earlier piece is the holder before
    the later: the next capture's defender, the next statement's holder) and
    the two are at most ``max_gap`` years apart (default
    :data:`CONTROL_MAX_GAP` = 10). Otherwise, and before the first or after the
    last piece of evidence, the year is ``unknown``: no holder is carried
    across decades or past the last record.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``event_type``,
        ``winner`` and ``year_start``; uses ``year_end``, ``attacker`` and
        ``defender`` when present). Winners ``unknown``, ``inconclusive`` or
        missing change nothing.
    event_places : pandas.DataFrame
        From :func:`kdwars.load_event_places` (needs ``event_id``, ``place_id``
        and ``role``; uses ``holder`` when present).
    cities : iterable of str
        Place ids (see :func:`kdwars.resolve_place`), in the order wanted.
    start : int, default 1630
        First year of the table.
    end : int, default 1760
        Last year of the table (inclusive).
    max_gap : int, default 10
        Longest distance in years between two agreeing pieces of evidence across
        which the holder is inferred.
    by : {"interval", "year"}, default "interval"
        One row per run of years with the same holder and basis, or one row per
        city and year.

    Returns
    -------
    pandas.DataFrame
        ``by="interval"``: ``place_id``, ``start``, ``end`` (inclusive years),
        ``holder``, ``basis``, ``event_id`` (the events the basis rests on,
        ';'-joined: the recorded events, or the two that bound an inferred run;
        missing for unknown), ``note``. ``by="year"``: ``place_id``, ``year``,
        ``holder``, ``basis``, ``event_id``, ``note``. ``holder`` is a side slug,
        ``none`` (held by no one), ``disputed`` or ``unknown``; ``basis`` is
        ``recorded``, ``inferred`` or ``unknown`` (holder ``unknown`` exactly
        when basis is ``unknown``). Cities in the order given. Input of
        :func:`kdwars.plot_city_control`.

    Raises
    ------
    ValueError
        If ``events`` or ``event_places`` lacks a needed column, ``end`` is
        before ``start``, ``max_gap`` is negative or ``by`` is not one of
        the two values.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> control = A.city_control(kdwars.load_events(), kdwars.load_event_places(), ["turkistan"],
    ...                          start=1680, end=1690, by="year")
    >>> control.set_index("year").loc[1684, ["holder", "basis"]].tolist()
    ['kazakh', 'recorded']
    """
    _need(events, ["event_id", "event_type", "winner", "year_start"], "city_control")
    _need(event_places, ["event_id", "place_id", "role"], "city_control")
    if end < start:
        raise ValueError(f"city_control: end {end} is before start {start}")
    if max_gap < 0:
        raise ValueError(f"city_control: max_gap must be >= 0, got {max_gap}")
    if by not in ("interval", "year"):
        raise ValueError(f"city_control: by must be 'interval' or 'year', got {by!r}")
    rows = []
    for city in cities:
        items = _control_evidence(events, event_places, city)
        state: dict[int, tuple] = {}  # year -> (holder, basis, event_ids, note)
        for it in items:  # in order: a later event in the same year overrides
            for y in range(it["y0"], it["y1"]):
                if y not in state or state[y][1] != "recorded":
                    if it["capture"]:
                        state[y] = ("unknown", "unknown", None,
                                    f"changed hands in {it['y0']}–{it['y1']} ({it['event_id']})")
                    else:
                        state[y] = (it["after"], "recorded", it["event_id"], it["kind"])
            y = it["y1"]
            prev = state.get(y)
            if prev is not None and prev[1] == "recorded" and prev[0] != it["after"] and not it["capture"]:
                # two statements on the same year that disagree (no capture between them)
                state[y] = ("disputed", "recorded", f"{prev[2]};{it['event_id']}", "statements disagree")
            elif prev is not None and prev[1] == "recorded" and prev[0] == it["after"]:
                state[y] = (it["after"], "recorded", f"{prev[2]};{it['event_id']}",
                            ", ".join(sorted(set(prev[3].split(", ")) | set(it["kind"].split(", ")))))
            else:
                state[y] = (it["after"], "recorded", it["event_id"], it["kind"])
        for a, b in zip(items, items[1:]):  # the years between two pieces of evidence
            gap = range(a["y1"] + 1, b["y0"])
            agree = (a["after"] not in ("unknown", "disputed") and b["before"] == a["after"]
                     and b["y0"] - a["y1"] <= max_gap)
            for y in gap:
                if y in state:
                    continue
                if agree:
                    state[y] = (a["after"], "inferred", f"{a['event_id']};{b['event_id']}",
                                f"held in {a['y1']} and still in {b['y0']}")
                else:
                    why = (f"more than {max_gap} years without evidence" if b["y0"] - a["y1"] > max_gap
                           else "the evidence on either side disagrees")
                    state[y] = ("unknown", "unknown", None, why)
        for year in range(start, end + 1):
            holder, basis, ev_id, note = state.get(year, ("unknown", "unknown", None, "no evidence"))
            rows.append({"place_id": city, "year": year, "holder": holder, "basis": basis,
                         "event_id": ev_id, "note": note})
    years = pd.DataFrame(rows, columns=["place_id", "year", "holder", "basis", "event_id", "note"])
    if by == "year" or years.empty:
        return years
    key = years["place_id"] + "|" + years["holder"] + "|" + years["basis"] + "|" + years["event_id"].fillna("")
    run = (key != key.shift()) | (years["year"].diff() != 1)
    years["run"] = run.cumsum()
    out = years.groupby("run", sort=False).agg(
        place_id=("place_id", "first"), start=("year", "min"), end=("year", "max"), holder=("holder", "first"),
        basis=("basis", "first"), event_id=("event_id", "first"), note=("note", "first"))
    # unknown years next to each other: one interval (their notes may differ)
    out = out.reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- disagreement


def _as_list(value) -> list:
    """A multi-value cell as a list: already a list (loaders), ';'-joined text, or missing."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return str(value).split(LIST_SEPARATOR) if pd.notna(value) else []


def date_disagreements(event_dates: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Events whose dating is disputed, with every date claim and the spread in years.

    One row per date claim of an event disputed on its date: claims that conflict
    (they cannot both be true, :func:`kdwars.claim_relations`) or a disagreement an
    article states (Moiseev against Kadyrbaev on Anrakai). Claims that merely refine
    each other ("1645–1646" and "1646") do not make a dispute. ``spread`` is the
    distance in years between the earliest start and the latest end over the
    event's claims.

    Parameters
    ----------
    event_dates : pandas.DataFrame
        From :func:`kdwars.load_event_dates` (needs ``claim_id``, ``event_id``,
        ``as_written``, ``year_start``, ``year_end``, ``source_id``, ``section``
        and ``attributed_to``).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``name`` and ``disputed``).

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``name``, ``as_written``, ``year_start``,
        ``year_end``, ``source_id``, ``section``, ``attributed_to``, ``spread``;
        sorted by ``spread`` (largest first), then ``event_id`` and
        ``year_start``. Input of :func:`kdwars.plot_date_claims`.
    """
    _need(events, ["event_id", "name", "disputed"], "date_disagreements")
    d = event_dates.copy()
    env = d.groupby("event_id").agg(y0=("year_start", "min"), y1=("year_end", "max"))
    aspects = events.set_index("event_id")["disputed"]  # a list per event (loaders), or ';'-joined text
    disputed = [e for e, a in aspects.items()
                if "date" in _as_list(a)]
    out = d[d["event_id"].isin(disputed)].copy()
    out["spread"] = out["event_id"].map(env["y1"] - env["y0"])
    out["name"] = out["event_id"].map(events.set_index("event_id")["name"])
    cols = ["event_id", "name", "as_written", "year_start", "year_end", "source_id", "section", "attributed_to",
            "spread"]
    out = out[cols].sort_values(["spread", "event_id", "year_start"], ascending=[False, True, True])
    return out.reset_index(drop=True)


def figure_disagreements(casualties: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Reconciled figures where the claims differ, with how far apart they are.

    ``fold`` is the ratio of the highest to the lowest number any claim gives
    (1 = identical; an open claim counts with the one bound it gives; missing
    when no claim has a number).

    Parameters
    ----------
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs the columns of
        :func:`kdwars.reconcile`).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id`` and ``name``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`kdwars.reconcile` with status ``overlap`` or
        ``conflict`` (all its columns), plus ``fold`` (float) and ``name``;
        sorted by ``fold``, largest first, missing last.
    """
    rec = reconcile(casualties)
    rec = rec[rec["status"].isin(["overlap", "conflict"])].copy()
    c = casualties.copy()
    c["kind"] = c["kind"].astype("object").fillna("")
    nums = c.assign(lo=c["low"].astype("Float64").fillna(c["high"].astype("Float64")),
                    hi=c["high"].astype("Float64").fillna(c["low"].astype("Float64")))
    span = nums.groupby(["event_id", "side", "measure", "unit", "kind"]).agg(min_n=("lo", "min"), max_n=("hi", "max"))
    key = list(zip(rec["event_id"], rec["side"], rec["measure"], rec["unit"], rec["kind"].astype("object").fillna("")))
    spans = span.reindex(key)
    rec["fold"] = (spans["max_n"].to_numpy(dtype=float) / spans["min_n"].to_numpy(dtype=float))
    rec["name"] = rec["event_id"].map(events.set_index("event_id")["name"])
    return rec.sort_values("fold", ascending=False, na_position="last").reset_index(drop=True)


def outcome_disagreements(event_outcomes: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Outcome claims of events whose sources (or historians) name different winners.

    Parameters
    ----------
    event_outcomes : pandas.DataFrame
        From :func:`kdwars.load_event_outcomes` (needs ``event_id``, ``winner``,
        ``as_written``, ``source_id``, ``section``, ``attributed_to`` and
        ``witness``). Claims without a winner are ignored.
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id`` and ``name``).

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``name``, ``winner``, ``as_written``,
        ``source_id``, ``section``, ``attributed_to``, ``witness``; one row per
        claim, sorted by event and winner.
    """
    o = event_outcomes.dropna(subset=["winner"])
    n = o.groupby("event_id")["winner"].nunique()
    out = o[o["event_id"].isin(n[n > 1].index)].copy()
    out["name"] = out["event_id"].map(events.set_index("event_id")["name"])
    return out[["event_id", "name", "winner", "as_written", "source_id", "section", "attributed_to", "witness"]] \
        .sort_values(["event_id", "winner"]).reset_index(drop=True)


def claims_per_source(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Number of claims per source (rows) and claim type (columns).

    ``tables`` maps a claim type to a table with a ``source_id`` column, e.g.
    ``{"dates": load_event_dates(), "figures": load_casualties(), ...}``.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Claim type (column label) → claim table with a ``source_id`` column.

    Returns
    -------
    pandas.DataFrame
        Index ``source_id`` (every source in any table); one integer column per
        key of ``tables`` in its order (0 where a source has no claim of that
        type) and ``total``; sorted by ``total``, largest first.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> tables = {"dates": kdwars.load_event_dates(), "figures": kdwars.load_casualties()}
    >>> A.claims_per_source(tables).columns.tolist()
    ['dates', 'figures', 'total']
    """
    counts = {name: df["source_id"].value_counts() for name, df in tables.items()}
    out = pd.DataFrame(counts).fillna(0).astype(int)
    out["total"] = out.sum(axis=1)
    return out.sort_values("total", ascending=False)


def coverage_matrix(coverage: pd.DataFrame, flat: bool = False) -> pd.DataFrame:
    """Claims per section as a (source, section) × claim type table, in article order.

    With ``flat=True`` the index is one readable label per row ("overview · 1635–1658").

    Parameters
    ----------
    coverage : pandas.DataFrame
        From :func:`kdwars.load_coverage` (needs ``source_id``, ``section`` and
        the ``n_*`` count columns).
    flat : bool, default False
        Replace the (``source_id``, ``section``) MultiIndex by a single index
        named ``section``.

    Returns
    -------
    pandas.DataFrame
        One row per section, in the order of ``coverage``; one column per
        ``n_*`` count except ``n_claims``, without the ``n_`` prefix
        (``dates``, ``outcomes``, ``places``, ``figures``, ``participants``,
        ``person_claims``).
    """
    cols = [c for c in coverage.columns if c.startswith("n_") and c != "n_claims"]
    m = coverage.set_index(["source_id", "section"])[cols]
    m.columns = [c[2:] for c in cols]
    if flat:
        m.index = [f"{source} · {section}" for source, section in m.index]
        m.index.name = "section"
    return m


def _witness(source_id, attributed_to) -> str:
    return str(source_id) if attributed_to is None or pd.isna(attributed_to) else f"{source_id} ({attributed_to})"


def disagreeing_pairs(event_dates: pd.DataFrame, event_outcomes: pd.DataFrame,
                      casualties: pd.DataFrame, relations: tuple[str, ...] = ("conflicts",)) -> pd.DataFrame:
    """Which sources (and historians) contradict which: one row per pair of claims that conflict.

    Compares, within each event, date claims, outcome claims (by winner) and
    figure claims of the same side, measure, unit and kind, and keeps the pairs
    whose relation (:func:`kdwars.claim_relations`) is in ``relations`` — by
    default only conflicts, so that a claim that merely narrows another is not
    counted as a disagreement. A witness is the source id, with the historian or
    reporter in brackets when the article attributes the claim.
    Returns ``aspect``, ``event_id``, ``witness_a``, ``witness_b``,
    ``value_a``, ``value_b``, with ``witness_a`` < ``witness_b``.

    Parameters
    ----------
    event_dates : pandas.DataFrame
        From :func:`kdwars.load_event_dates` (needs ``event_id``,
        ``year_start``, ``year_end``, ``source_id`` and ``attributed_to``).
    event_outcomes : pandas.DataFrame
        From :func:`kdwars.load_event_outcomes` (needs ``event_id``, ``winner``,
        ``source_id`` and ``attributed_to``); claims without a winner are skipped.
    casualties : pandas.DataFrame
        From :func:`kdwars.load_casualties` (needs ``event_id``, ``side``,
        ``measure``, ``unit``, ``kind``, ``low``, ``high``, ``qualitative``,
        ``source_id`` and ``attributed_to``).
    relations : tuple of str, default ("conflicts",)
        Relations that count as a disagreement; add ``"refines"`` and
        ``"overlaps"`` to list every pair of claims that differ at all.

    Returns
    -------
    pandas.DataFrame
        Columns ``aspect`` (``date``, ``outcome`` or ``figures``), ``event_id``,
        ``witness_a``, ``witness_b``, ``value_a``, ``value_b`` (the values as
        text: ``"1729–1730"``, a winner, ``"low–high"`` with ``<NA>`` for an open
        bound, or the qualitative word). Claims of the same witness are not
        compared; duplicate rows are dropped. Input of :func:`disagreement_matrix`.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> pairs = A.disagreeing_pairs(kdwars.load_event_dates(), kdwars.load_event_outcomes(),
    ...                             kdwars.load_casualties())
    >>> sorted(pairs["aspect"].unique())
    ['date', 'figures', 'outcome']
    >>> A.disagreement_matrix(pairs)  # doctest: +SKIP
    """
    from .relations import _figure_relation, date_interval, interval_relation

    rows = []

    def compare(df: pd.DataFrame, aspect: str, keys: list[str], value, relate) -> None:
        for key, g in df.groupby(keys, dropna=False):
            recs = list(g.itertuples())
            for i in range(len(recs)):
                for j in range(i + 1, len(recs)):
                    a, b = recs[i], recs[j]
                    wa, wb = _witness(a.source_id, a.attributed_to), _witness(b.source_id, b.attributed_to)
                    if wa == wb or relate(a, b) not in relations:
                        continue
                    (wa, va), (wb, vb) = sorted([(wa, value(a)), (wb, value(b))])
                    rows.append({"aspect": aspect, "event_id": key if isinstance(key, str) else key[0],
                                 "witness_a": wa, "witness_b": wb, "value_a": va, "value_b": vb})

    compare(event_dates, "date", ["event_id"], lambda r: f"{r.year_start}–{r.year_end}",
            lambda a, b: interval_relation(date_interval(a), date_interval(b)))
    compare(event_outcomes.dropna(subset=["winner"]), "outcome", ["event_id"], lambda r: r.winner,
            lambda a, b: "same" if a.winner == b.winner else "conflicts")
    c = casualties.assign(kind=casualties["kind"].astype("object").fillna(""),
                          unit=casualties["unit"].astype("object").fillna(""))
    compare(c, "figures", ["event_id", "side", "measure", "unit", "kind"],
            lambda r: f"{r.low}–{r.high}" if pd.notna(r.low) or pd.notna(r.high) else str(r.qualitative),
            _figure_relation)
    out = pd.DataFrame(rows, columns=["aspect", "event_id", "witness_a", "witness_b", "value_a", "value_b"])
    return out.drop_duplicates().reset_index(drop=True)


def displacement_flows(event_id: str, events: pd.DataFrame, event_places: pd.DataFrame,
                       places: pd.DataFrame, roles: tuple[str, ...] = ("destination", "route")) -> pd.DataFrame:
    """Arrows for a displacement event: from its primary place to each destination.

    Returns one row per destination claim: ``lon0``, ``lat0`` (the event's
    primary place), ``lon1``, ``lat1``, ``place_id``, ``label`` (place name),
    ``role`` and ``source_id``; a destination named by several sources is one
    row, with the sources ';'-joined.

    Parameters
    ----------
    event_id : str
        The displacement event (an ``event_id`` of :func:`kdwars.load_events`).
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``lon`` and ``lat``).
    event_places : pandas.DataFrame
        From :func:`kdwars.load_event_places` (needs ``event_id``, ``place_id``,
        ``role`` and ``source_id``).
    places : pandas.DataFrame
        From :func:`kdwars.load_places` (needs ``place_id``, ``lon``, ``lat`` and
        ``name``).
    roles : tuple of str, default ("destination", "route")
        Place roles drawn as arrow heads.

    Returns
    -------
    pandas.DataFrame
        Columns ``lon0``, ``lat0``, ``lon1``, ``lat1`` (float), ``place_id``,
        ``label``, ``role``, ``source_id``; one row per place and role, sorted by
        ``place_id`` and ``role``. Input of :func:`kdwars.maps.plot_flows_map`.

    Raises
    ------
    ValueError
        If ``event_id`` is not in ``events``, or the event has no place with one
        of ``roles``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> flows = A.displacement_flows("barefooted-flight-1723", kdwars.load_events(),
    ...                              kdwars.load_event_places(), kdwars.load_places())
    >>> sorted(flows["role"].unique())
    ['destination', 'route']
    """
    ev = events.set_index("event_id")
    if event_id not in ev.index:
        raise ValueError(f"unknown event_id {event_id!r}")
    pl = places.set_index("place_id")
    ep = event_places[(event_places["event_id"] == event_id) & event_places["role"].isin(roles)]
    if ep.empty:
        raise ValueError(f"event {event_id!r} has no places with roles {roles}")
    g = ep.groupby(["place_id", "role"], as_index=False).agg(
        source_id=("source_id", lambda s: ";".join(sorted(set(s.dropna())))))
    origin = ev.loc[event_id]
    g["lon0"], g["lat0"] = origin["lon"], origin["lat"]
    g["lon1"] = g["place_id"].map(pl["lon"])
    g["lat1"] = g["place_id"].map(pl["lat"])
    g["label"] = g["place_id"].map(pl["name"])
    return g[["lon0", "lat0", "lon1", "lat1", "place_id", "label", "role", "source_id"]]


def disagreement_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """Symmetric witness × witness counts of differing claims (from :func:`disagreeing_pairs`).

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`disagreeing_pairs` (needs ``witness_a`` and
        ``witness_b``).

    Returns
    -------
    pandas.DataFrame
        Integer counts; index and columns, both named ``witness``, list every
        witness in the same order (most disagreements first). Each pair counts
        in both of its cells; the diagonal is 0. Suits
        :func:`kdwars.plot_table_heatmap`.
    """
    both = pd.concat([pairs[["witness_a", "witness_b"]],
                      pairs[["witness_b", "witness_a"]].set_axis(["witness_a", "witness_b"], axis=1)])
    m = pd.crosstab(both["witness_a"], both["witness_b"])
    order = m.sum(axis=1).sort_values(ascending=False).index
    m = m.reindex(index=order, columns=order, fill_value=0)
    m.index.name, m.columns.name = "witness", "witness"
    return m


def phase_results(event_outcomes: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """The sources' verdict on each war: outcome claims of the war events.

    Each war of the ``period`` scheme has an event with the same id
    (``war-1635-1658``, …) that holds its infobox result and the articles'
    other verdicts; this returns those claims with the phase's label, in
    chronological order.

    Parameters
    ----------
    event_outcomes : pandas.DataFrame
        From :func:`kdwars.load_event_outcomes` (needs ``event_id``, ``winner``,
        ``as_written``, ``source_id``, ``section``, ``attributed_to`` and
        ``witness``).
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases` (needs ``scheme``, ``phase_id``,
        ``label`` and ``start_year``).

    Returns
    -------
    pandas.DataFrame
        Columns ``phase_id``, ``label``, ``winner``, ``as_written``,
        ``source_id``, ``section``, ``attributed_to``, ``witness``; sorted by the
        phase's ``start_year``, then ``source_id``. Phases without outcome claims
        (the interwar years, for instance) have no rows.
    """
    p = phases[phases["scheme"] == "period"][["phase_id", "label", "start_year"]]
    out = event_outcomes.merge(p, left_on="event_id", right_on="phase_id")
    cols = ["phase_id", "label", "winner", "as_written", "source_id", "section", "attributed_to", "witness"]
    return out.sort_values(["start_year", "source_id"])[cols].reset_index(drop=True)
