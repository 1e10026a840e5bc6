"""Counting rules: each happening once, between the sides asked about, contests only.

A campaign and each of its battles are not separate victories. Every count of events,
wins or commanders' records here first picks the events to count with one explicit rule:

``level``
    ``"leaf"`` (default) counts the smallest recorded contests — a battle, not also the
    campaign it belongs to; a campaign with no recorded battle counts itself.
    ``"top"`` counts the largest contests below a whole war — the campaign, not also its
    battles. Whole wars (``event_type == "war"``) are containers and never counted.
``sides``
    Only contests whose camps include both sides count (Kazakh against Dzungar by default;
    a Dzungar war on the Khoshuts, Yarkent or the Qing is another war). Camps come from
    :func:`kdwars.load_event_sides` (an ally fights in its principal's camp); pass
    ``sides=None`` to count every contest, third parties included.

Only contests (war, campaign, invasion, battle, siege, city-capture, raid) can be won;
treaties, protectorates and the like are never counted as wins.
"""

from __future__ import annotations

import pandas as pd

from .vocab import CONTEST_TYPES

MAIN_SIDES = ("kazakh", "dzungar")
LEVELS = ("leaf", "top")
#: Contest types counted as happenings (whole wars only contain them).
COUNTED_TYPES = tuple(t for t in CONTEST_TYPES if t != "war")
OUTCOME_COLUMNS = ("inconclusive", "disputed", "unknown")


def _need(df: pd.DataFrame, cols, fn: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{fn}() needs columns {missing}; got {list(df.columns)}")


def _camps(events: pd.DataFrame, event_sides: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """``{event_id: {side: camp}}`` for the combatants of each event."""
    out: dict[str, dict[str, str]] = {}
    if event_sides is not None:
        fighting = event_sides[event_sides["role"].isin(["principal", "ally"])]
        for e, s, c in zip(fighting["event_id"], fighting["side"], fighting["camp"]):
            out.setdefault(e, {})[s] = c
    for e, att, dfd in zip(events["event_id"], events["attacker"], events["defender"]):
        for side in (att, dfd):
            if pd.notna(side) and side not in ("both", "none"):
                out.setdefault(e, {}).setdefault(side, side)
    return out


def counted_events(events: pd.DataFrame, *, level: str = "leaf", sides: tuple[str, str] | None = MAIN_SIDES,
                   event_sides: pd.DataFrame | None = None) -> pd.DataFrame:
    """The contests to count under one rule: each happening once, between ``sides``.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``event_id``, ``event_type``,
        ``parent_event_id``, ``attacker``, ``defender``, ``winner``).
    level : {"leaf", "top"}, default "leaf"
        Count the smallest recorded contests, or the largest below a whole war.
    sides : tuple of (str, str) or None, default ("kazakh", "dzungar")
        Keep only contests whose camps include both; ``None`` keeps every contest.
    event_sides : pandas.DataFrame, optional
        From :func:`kdwars.load_event_sides`. Without it, camps are the attacker and
        the defender.

    Returns
    -------
    pandas.DataFrame
        The selected rows of ``events`` plus ``winner_camp`` (the winner's camp, or
        the winner value itself when it is inconclusive, disputed or unknown).

    Raises
    ------
    ValueError
        For an unknown ``level`` or missing columns.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.counting import counted_events
    >>> ev = kdwars.load_events()
    >>> leaf = counted_events(ev, event_sides=kdwars.load_event_sides())
    >>> top = counted_events(ev, level="top", event_sides=kdwars.load_event_sides())
    >>> len(set(leaf["event_id"]) & set(top["event_id"])) <= len(leaf)
    True
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    _need(events, ["event_id", "event_type", "parent_event_id", "attacker", "defender", "winner"],
          "counted_events")
    contest = events[events["event_type"].isin(COUNTED_TYPES)]
    ids = set(contest["event_id"])
    parent = dict(zip(events["event_id"], events["parent_event_id"]))

    def ancestors(e: str):
        seen = set()
        p = parent.get(e)
        while isinstance(p, str) and p not in seen:
            seen.add(p)
            yield p
            p = parent.get(p)

    if level == "leaf":
        inner = {a for e in ids for a in ancestors(e)}
        keep = contest[~contest["event_id"].isin(inner)]
    else:
        keep = contest[[not any(a in ids for a in ancestors(e)) for e in contest["event_id"]]]
    camps = _camps(events, event_sides)
    if sides is not None:
        keep = keep[[set(sides) <= set(camps.get(e, {}).values()) for e in keep["event_id"]]]
    winner_camp = [camps.get(e, {}).get(w, w) if pd.notna(w) else "unknown"
                   for e, w in zip(keep["event_id"], keep["winner"])]
    return keep.assign(winner_camp=winner_camp)


def win_counts(events: pd.DataFrame, phases: pd.DataFrame, *, scheme: str = "period", level: str = "leaf",
               sides: tuple[str, str] = MAIN_SIDES, event_sides: pd.DataFrame | None = None,
               restrict: bool = True) -> pd.DataFrame:
    """Wins per phase under one counting rule.

    Parameters
    ----------
    events, phases : pandas.DataFrame
        From :func:`kdwars.load_events` and :func:`kdwars.load_phases`.
    scheme : {"period", "stage"}, default "period"
    level : {"leaf", "top"}, default "leaf"
        See :func:`counted_events`.
    sides : tuple of (str, str), default ("kazakh", "dzungar")
        The sides compared.
    event_sides : pandas.DataFrame, optional
        From :func:`kdwars.load_event_sides`.
    restrict : bool, default True
        Count only contests between ``sides``; ``False`` also counts contests
        against third parties (their winners go to ``other sides``).

    Returns
    -------
    pandas.DataFrame
        Index: the phases of ``scheme`` in order. Integer columns: one per side,
        ``other sides``, ``inconclusive``, ``disputed``, ``unknown``, ``counted``;
        string column ``upper_hand`` (the side with more wins, ``even`` or ``none``).

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.counting import win_counts
    >>> w = win_counts(kdwars.load_events(), kdwars.load_phases(), event_sides=kdwars.load_event_sides())
    >>> int(w["counted"].sum()) == int(w.drop(columns=["counted", "upper_hand"]).sum().sum())
    True
    """
    _need(phases, ["scheme", "phase_id"], "win_counts")
    ev = counted_events(events, level=level, sides=sides if restrict else None, event_sides=event_sides)
    order = list(phases.loc[phases["scheme"] == scheme].sort_values("start_year")["phase_id"])
    if not order:
        raise ValueError(f"no phases of scheme {scheme!r}")
    result = ev["winner_camp"].where(ev["winner_camp"].isin([*sides, *OUTCOME_COLUMNS]), "other sides")
    table = pd.crosstab(ev[scheme], result).reindex(index=order, fill_value=0)
    cols = [*sides, "other sides", *OUTCOME_COLUMNS]
    table = table.reindex(columns=cols, fill_value=0).astype(int)
    table["counted"] = table.sum(axis=1)
    a, b = sides
    table["upper_hand"] = [a if x > y else b if y > x else ("none" if x == 0 else "even")
                           for x, y in zip(table[a], table[b])]
    table.index.name = scheme
    table.columns.name = None
    return table


def upper_hand_by_rule(events: pd.DataFrame, phases: pd.DataFrame, *, scheme: str = "period",
                       sides: tuple[str, str] = MAIN_SIDES, event_sides: pd.DataFrame | None = None) -> pd.DataFrame:
    """The upper-hand result under each counting rule, side by side.

    Parameters
    ----------
    events, phases : pandas.DataFrame
        From :func:`kdwars.load_events` and :func:`kdwars.load_phases`.
    scheme : {"period", "stage"}, default "period"
    sides : tuple of (str, str), default ("kazakh", "dzungar")
    event_sides : pandas.DataFrame, optional
        From :func:`kdwars.load_event_sides`.

    Returns
    -------
    pandas.DataFrame
        Long table: one row per phase × rule, with ``rule`` (``leaf, both sides``,
        ``top, both sides``, ``leaf, any opponent``), ``level``, ``restrict``, the
        wins of each side, ``counted`` and ``upper_hand``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars.counting import upper_hand_by_rule
    >>> t = upper_hand_by_rule(kdwars.load_events(), kdwars.load_phases(), event_sides=kdwars.load_event_sides())
    >>> sorted(t["rule"].unique())
    ['leaf, any opponent', 'leaf, both sides', 'top, both sides']
    """
    parts = []
    for level, restrict in (("leaf", True), ("top", True), ("leaf", False)):
        w = win_counts(events, phases, scheme=scheme, level=level, sides=sides, event_sides=event_sides,
                       restrict=restrict)
        rule = f"{level}, {'both sides' if restrict else 'any opponent'}"
        parts.append(w.reset_index().assign(rule=rule, level=level, restrict=restrict))
    return pd.concat(parts, ignore_index=True)


__all__ = ["LEVELS", "COUNTED_TYPES", "counted_events", "win_counts", "upper_hand_by_rule"]
