"""Reader views of the claims: a claim card for one event, and a citable chronology per war."""

from __future__ import annotations

import pandas as pd

from . import data

CARD_COLUMNS = ["field", "value", "detail", "source_id", "section", "attributed_to", "witness", "claim_id"]
FIELD_ORDER = ["date", "place", "figure", "outcome", "participant", "side"]


def _s(v) -> str | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def claim_card(event_id: str) -> pd.DataFrame:
    """Every claim about one event, side by side with its source, section and witness.

    Parameters
    ----------
    event_id : str
        An ``event_id`` of :func:`kdwars.load_events`.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``field`` (date, place, figure, outcome, participant,
        side), ``value`` (as the source writes it), ``detail`` (what the value is:
        a figure's side, measure and kind; a place's role; a participant's side and
        role; a side's camp and role), ``source_id``, ``section``, ``attributed_to``,
        ``witness`` and ``claim_id``. Ordered by field, then source. Its ``attrs``
        hold the event's ``name``, ``date_text``, ``date_basis``, ``disputed`` and
        the claim relations that are conflicts (``attrs["conflicts"]``, a DataFrame).

    Raises
    ------
    KeyError
        If ``event_id`` is not an event (with close matches suggested).

    Examples
    --------
    >>> import kdwars
    >>> card = kdwars.claim_card("battle-of-orbulaq-1643")
    >>> sorted(set(card["field"])) <= ["date", "figure", "outcome", "participant", "place", "side"]
    True
    """
    events = data.load_events().set_index("event_id")
    if event_id not in events.index:
        import difflib

        close = difflib.get_close_matches(str(event_id), list(events.index), n=3)
        raise KeyError(f"unknown event {event_id!r}" + (f"; close matches: {', '.join(close)}" if close else ""))
    rows = []
    people = data.load_people().set_index("person_id")["name"]
    places = data.load_places().set_index("place_id")["name"]
    for r in data.load_event_dates().query("event_id == @event_id").itertuples():
        rows.append(("date", r.as_written, _s(r.date_precision), r.source_id, r.section, r.attributed_to,
                     r.witness, r.claim_id))
    for r in data.load_event_places().query("event_id == @event_id and role != 'primary'").itertuples():
        rows.append(("place", r.as_written, f"{r.role}: {places.get(r.place_id, r.place_id)}", r.source_id,
                     r.section, r.attributed_to, None, r.claim_id))
    for r in data.load_casualties().query("event_id == @event_id").itertuples():
        detail = " ".join(filter(None, [r.side, r.measure, _s(r.kind), f"({r.unit})" if _s(r.unit) else None]))
        rows.append(("figure", r.as_written, detail, r.source_id, r.section, r.attributed_to, r.witness,
                     r.claim_id))
    for r in data.load_event_outcomes().query("event_id == @event_id").itertuples():
        detail = f"winner: {r.winner}" if _s(r.winner) else "result (no contest)"
        rows.append(("outcome", r.as_written, detail, r.source_id, r.section, r.attributed_to, r.witness,
                     r.claim_id))
    for r in data.load_commanders().query("event_id == @event_id").itertuples():
        detail = " ".join(filter(None, [r.side, r.role, _s(r.fate)]))
        rows.append(("participant", people.get(r.person_id, r.as_written), detail, r.source_id, r.section,
                     r.attributed_to, r.witness, r.claim_id))
    for r in data.load_event_sides().query("event_id == @event_id").itertuples():
        rows.append(("side", r.side, f"{r.role} in the {r.camp} camp ({r.basis})", r.source_id, r.section,
                     r.attributed_to, None, r.claim_id))
    card = pd.DataFrame(rows, columns=CARD_COLUMNS)
    card["field"] = pd.Categorical(card["field"], categories=FIELD_ORDER, ordered=True)
    card = card.sort_values(["field", "source_id"], kind="stable").reset_index(drop=True)
    ev = events.loc[event_id]
    rel = data.load_claim_relations()
    card.attrs.update({
        "event_id": event_id, "name": ev["name"], "date_text": ev["date_text"], "date_basis": ev["date_basis"],
        "disputed": _s(ev["disputed"]),
        "conflicts": rel[(rel["event_id"] == event_id) & (rel["relation"] == "conflicts")].reset_index(drop=True),
    })
    return card


def chronology(war: str) -> pd.DataFrame:
    """A citable chronology of one war: its events with date as written, place, outcome and sources.

    Parameters
    ----------
    war : str
        A phase id of the ``period`` scheme (:func:`kdwars.load_phases`), e.g.
        ``"war-1723-1730"``.

    Returns
    -------
    pandas.DataFrame
        One row per event of the phase, in date order: ``event_id``, ``name``,
        ``event_type``, ``date_text`` (as written, or the inferred bounds),
        ``date_precision``, ``date_basis``, ``place`` (the primary place's name),
        ``place_basis``, ``outcome`` (the first outcome phrase), ``winner``,
        ``disputed`` and ``cited`` (every ``source: section`` the event's claims cite).

    Raises
    ------
    KeyError
        If ``war`` is not a ``period`` phase.

    Examples
    --------
    >>> import kdwars
    >>> kdwars.chronology("war-1723-1730")["event_id"].is_unique
    True
    """
    phases = data.load_phases("period")
    if war not in set(phases["phase_id"]):
        raise KeyError(f"unknown period {war!r}; periods: {', '.join(phases['phase_id'])}")
    ev = data.load_events()
    ev = ev[ev["period"] == war].sort_values(["year_start", "year_end", "event_id"])
    places = data.load_places().set_index("place_id")["name"]
    outcomes = data.load_event_outcomes().groupby("event_id")["as_written"].first()
    cites = pd.concat([
        t[["event_id", "source_id", "section"]] for t in (
            data.load_event_dates(), data.load_event_outcomes(), data.load_casualties(), data.load_commanders(),
            data.load_event_places().dropna(subset=["source_id"]))
    ]).drop_duplicates()
    cited = cites.groupby("event_id").apply(
        lambda g: "; ".join(f"{s}: {sec}" for s, sec in sorted(zip(g["source_id"], g["section"]))),
        include_groups=False)
    out = pd.DataFrame({
        "event_id": ev["event_id"], "name": ev["name"], "event_type": ev["event_type"],
        "date_text": ev["date_text"], "date_precision": ev["date_precision"], "date_basis": ev["date_basis"],
        "place": ev["place_id"].map(places), "place_basis": ev["place_basis"],
        "outcome": ev["event_id"].map(outcomes), "winner": ev["winner"], "disputed": ev["disputed"],
        "cited": ev["event_id"].map(cited),
    })
    return out.reset_index(drop=True)


__all__ = ["claim_card", "chronology"]
