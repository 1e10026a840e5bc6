"""How two claims about the same event and field relate: ``same``, ``refines``, ``overlaps``, ``conflicts``.

A disagreement is only a disagreement when the claims cannot both be true. "1645–1646"
against "1646" is a *refinement* (one interval lies inside the other), not a dispute;
"1643" against "1644" *conflicts*. The vocabulary (``vocab.RELATIONS``) is fixed:

``same``
    The two claims say the same thing (same interval, same range, same winner, same place).
``refines``
    One claim's interval or range lies inside the other's: the narrower one adds
    precision, both can be true.
``overlaps``
    The two share some values but neither contains the other (or, for vague words on the
    ordered severity scale, they differ in degree): both can be true.
``conflicts``
    They cannot both be true: disjoint intervals or ranges, different winners, different
    sites that are not one inside the other.

Dates are compared as month intervals: a month claim covers its month, a season its
three months (winter: December to February), anything else its years from January to
December; a claim qualified "about"/"around" is widened by one year on each side, and
"early", "mid" or "late" in a decade or century by the whole decade or century (their
edges are vague). Two dates from the same passage (source, section and historian) are
not compared: one passage dating an event twice dates two of its phases. A range between
months of two different years ("December 1729 to January 1730") is compared by its years,
since the tables keep only its first month.
Figures are compared within one side × measure × kind × unit, as closed ranges where an
open end ("more than 30,000") is unbounded; "Unknown" is not compared. Outcomes compare
their winners (claims that only give a phrase are not compared). Places compare the
``site`` claims with each other and the ``near`` claims with each other, only across
sources or historians (one source naming several sites gives the event's extent): a place
inside a region claimed by the other (the gazetteer's ``region``) refines it.
"""

from __future__ import annotations

import math
from itertools import combinations

import pandas as pd

from .vocab import RELATIONS

#: The fields compared, and the ``events.disputed`` aspect each feeds.
FIELDS = {"date": "date", "figure": "figures", "outcome": "outcome", "place": "place"}
COLUMNS = ["event_id", "field", "group", "claim_a", "claim_b", "value_a", "value_b",
           "source_a", "source_b", "relation"]

_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
_PARTS = {"early", "mid", "middle", "late", "end", "beginning", "first", "second"}
_REGION_KINDS = {"region", "country", "steppe", "desert", "valley", "mountains"}


def interval_relation(a: tuple[float, float], b: tuple[float, float]) -> str:
    """Relation between two closed intervals (``math.inf`` for an open end).

    Parameters
    ----------
    a, b : tuple of float
        ``(low, high)`` with ``low <= high``.

    Returns
    -------
    str
        One of ``same``, ``refines``, ``overlaps``, ``conflicts``.

    Examples
    --------
    >>> interval_relation((1645, 1646), (1646, 1646))
    'refines'
    >>> interval_relation((1643, 1643), (1644, 1644))
    'conflicts'
    """
    (a0, a1), (b0, b1) = a, b
    if a0 == b0 and a1 == b1:
        return "same"
    if a1 < b0 or b1 < a0:
        return "conflicts"
    if (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1):
        return "refines"
    return "overlaps"


def date_interval(row) -> tuple[float, float]:
    """A date claim as a month interval ``(first, last)``, months counted from year 0.

    Parameters
    ----------
    row : mapping or namedtuple
        With ``year_start``, ``year_end``, ``month``, ``season``, ``qualifier``, ``date_precision``.

    Returns
    -------
    tuple of float

    Examples
    --------
    >>> date_interval({"year_start": 1729, "year_end": 1729, "month": 12, "season": None, "qualifier": None,
    ...                "date_precision": "month"})
    (20759, 20759)
    """
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k, None)
    y0, y1 = int(get("year_start")), int(get("year_end"))
    month, season, qual = _val(get("month")), _val(get("season")), _val(get("qualifier")) or ""
    if month is not None and y0 == y1 and " or" not in f" {qual}":
        lo = hi = y0 * 12 + int(month) - 1
    elif season in _SEASON_MONTHS and y0 == y1:
        m0, m1 = _SEASON_MONTHS[season]
        lo, hi = y0 * 12 + m0 - 1, y0 * 12 + m1 - 1
    elif season == "winter" and y1 == y0 + 1:
        lo, hi = y0 * 12 + 11, y1 * 12 + 1
    else:
        if set(qual.split()) & _PARTS and _val(get("date_precision")) in ("decade", "century"):
            unit = 10 if get("date_precision") == "decade" else 100
            y0, y1 = y0 // unit * unit, y1 // unit * unit + unit - 1  # "early 17th century": vague edges
        lo, hi = y0 * 12, y1 * 12 + 11
    if "about" in qual.split():
        lo, hi = lo - 12, hi + 12
    return lo, hi


def figure_interval(row) -> tuple[float, float] | None:
    """A figure claim as a closed range, ``None`` when it has no number.

    Parameters
    ----------
    row : mapping or namedtuple
        With ``low``, ``high`` and ``precision``.

    Returns
    -------
    tuple of float or None
    """
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k, None)
    low, high = _val(get("low")), _val(get("high"))
    if low is None and high is None:
        return None
    return (float(low) if low is not None else -math.inf, float(high) if high is not None else math.inf)


def _val(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _pairs(df: pd.DataFrame, field: str, group_cols: list[str], value, relate) -> list[dict]:
    rows = []
    keys = ["event_id"] + group_cols
    for key, g in df.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        group = "/".join(str(k) for k in key[1:] if _val(k) is not None)
        recs = list(g.itertuples(index=False))
        for a, b in combinations(recs, 2):
            rel = relate(a, b)
            if rel is None:
                continue
            rows.append({"event_id": key[0], "field": field, "group": group,
                         "claim_a": a.claim_id, "claim_b": b.claim_id,
                         "value_a": value(a), "value_b": value(b),
                         "source_a": a.source_id, "source_b": b.source_id, "relation": rel})
    return rows


def _same_passage(a, b) -> bool:
    return (a.source_id == b.source_id and a.section == b.section
            and _val(a.attributed_to) == _val(b.attributed_to))


def _date_relation(a, b) -> str | None:
    if _same_passage(a, b):
        return None  # one passage dating two phases of an event ("autumn 1739", "winter 1739–1740")
    return interval_relation(date_interval(a), date_interval(b))


def _figure_relation(a, b) -> str | None:
    ia, ib = figure_interval(a), figure_interval(b)
    if ia is not None and ib is not None:
        return interval_relation(ia, ib)
    qa, qb = _val(a.qualitative), _val(b.qualitative)
    if ia is None and ib is None and qa is not None and qb is not None:
        return "same" if qa == qb else "overlaps"
    if (ia is None and qa is None) or (ib is None and qb is None):
        return None  # "Unknown" says nothing about the value
    return "overlaps"  # a word against a number: both can be true


def _place_relation(places: pd.DataFrame):
    kind = places.set_index("place_id")["kind"].to_dict() if len(places) else {}
    region = places.set_index("place_id")["region"].to_dict() if len(places) else {}

    def relate(a, b) -> str | None:
        if a.role != b.role or (a.source_id == b.source_id and _val(a.attributed_to) == _val(b.attributed_to)):
            return None
        if a.place_id == b.place_id:
            return "same"
        for wide, narrow in ((a.place_id, b.place_id), (b.place_id, a.place_id)):
            if kind.get(wide) in _REGION_KINDS and region.get(narrow) == wide:
                return "refines"
        return "conflicts"

    return relate


def claim_relations(event_dates: pd.DataFrame | None = None, casualties: pd.DataFrame | None = None,
                    event_outcomes: pd.DataFrame | None = None, event_places: pd.DataFrame | None = None,
                    places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pair of claims on the same event and field, and how they relate.

    Parameters
    ----------
    event_dates, casualties, event_outcomes, event_places, places : DataFrame, optional
        The processed tables (``kdwars.load_*``); each defaults to the shipped table.

    Returns
    -------
    DataFrame
        One row per pair: ``event_id``, ``field`` (date, figure, outcome, place),
        ``group`` (for figures: side/measure/kind/unit), ``claim_a``, ``claim_b``,
        ``value_a``, ``value_b``, ``source_a``, ``source_b`` and ``relation``
        (same, refines, overlaps, conflicts).

    Examples
    --------
    >>> rel = claim_relations()
    >>> sorted(rel["relation"].unique()) <= sorted(RELATIONS)
    True
    """
    from . import data

    event_dates = data.load_event_dates() if event_dates is None else event_dates
    casualties = data.load_casualties() if casualties is None else casualties
    event_outcomes = data.load_event_outcomes() if event_outcomes is None else event_outcomes
    event_places = data.load_event_places() if event_places is None else event_places
    places = data.load_places() if places is None else places

    rows = _pairs(event_dates, "date", [], lambda r: r.as_written, _date_relation)
    figs = casualties.assign(kind=casualties["kind"].astype("object"), unit=casualties["unit"].astype("object"))
    rows += _pairs(figs, "figure", ["side", "measure", "kind", "unit"], lambda r: r.as_written, _figure_relation)
    won = event_outcomes[event_outcomes["winner"].notna()]
    rows += _pairs(won, "outcome", [], lambda r: r.winner,
                   lambda a, b: "same" if a.winner == b.winner else "conflicts")
    sites = event_places[event_places["role"].isin(["site", "near"]) & event_places["claim_id"].notna()]
    rows += _pairs(sites, "place", [], lambda r: r.place_id, _place_relation(places))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["relation"] = pd.Categorical(out["relation"], categories=list(RELATIONS))
    return out


def conflicting_aspects(relations: pd.DataFrame) -> dict[str, set[str]]:
    """``{event_id: {aspect, ...}}`` for the events whose claims conflict.

    Parameters
    ----------
    relations : DataFrame
        As returned by :func:`claim_relations`.

    Returns
    -------
    dict of str to set of str
        Aspects use the ``events.disputed`` vocabulary (date, figures, outcome, place).
    """
    out: dict[str, set[str]] = {}
    for r in relations[relations["relation"] == "conflicts"].itertuples(index=False):
        out.setdefault(r.event_id, set()).add(FIELDS[r.field])
    return out


__all__ = ["RELATIONS", "claim_relations", "conflicting_aspects", "interval_relation", "date_interval",
           "figure_interval"]
