"""Standard exports: EDTF dates, events as GeoJSON, places in Linked Places Format.

Three things a historian's or a GIS user's tools read without knowing this project:

* :func:`edtf` writes one dating as an Extended Date/Time Format string (EDTF,
  ISO 8601-2:2019): ``1729``, ``1729-12``, ``1739-21`` (spring), ``1645/1646``
  (interval), ``[1729,1730]`` (one of a set), ``1723~`` (approximate), ``1741-03?``
  (uncertain), ``172X`` (some year of the 1720s), ``17XX`` (some year of the
  18th century). :func:`add_date_edtf` gives every event its ``date_edtf``.
* :func:`events_geojson` gives one GeoJSON Feature per event (RFC 7946:
  coordinates are ``[lon, lat]`` in WGS84).
* :func:`places_lpf` gives the gazetteer in the World Historical Gazetteer's
  Linked Places Format (LPF), a GeoJSON-LD FeatureCollection.

:func:`write_exports` is what ``kdwars build`` calls: it adds ``date_edtf`` to the
events table and writes ``events.geojson`` and ``places.geojson`` beside the CSV
tables. Only the standard library and pandas are used.

Dates are given as the sources give them; the sources do not say whether a date
is Julian or Gregorian, and neither does EDTF (ISO 8601 is proleptic Gregorian):
days and months are copied, not converted.
"""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "edtf", "add_date_edtf", "events_geojson", "places_lpf", "write_exports",
    "LPF_CONTEXT", "PLACE_NAMESPACE", "SEASON_CODES", "CERTAINTY", "FCLASSES", "CCODES",
]

#: JSON-LD context of Linked Places Format 1.1 (the `@context` the WHG expects).
LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
#: Namespace of the places' ``@id`` URIs: a stable name, not a page that resolves.
PLACE_NAMESPACE = "https://github.com/kdwars/kdwars/places/"
#: EDTF season codes (ISO 8601-2: 21 spring, 22 summer, 23 autumn, 24 winter).
SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "winter": 24}
#: Months of each season (northern hemisphere), used where a season must be an interval.
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
#: Place precision -> LPF geometry certainty.
CERTAINTY = {"exact": "certain", "approximate": "less-certain", "centroid": "uncertain"}
#: Place kind -> GeoNames feature class (A admin, H water, L area, P populated, S spot, T terrain).
FCLASSES = {
    "city": "P", "fortress": "S", "battlefield": "S", "river": "H", "lake": "H", "sea": "H",
    "mountains": "T", "valley": "T", "pass": "T", "desert": "T", "steppe": "T",
    "region": "L", "country": "A",
}
#: Modern country name (``places.modern_country``) -> ISO 3166-1 alpha-2 code.
CCODES = {
    "Afghanistan": "AF", "China": "CN", "Kazakhstan": "KZ", "Kyrgyzstan": "KG", "Mongolia": "MN",
    "Russia": "RU", "Tajikistan": "TJ", "Turkmenistan": "TM", "Uzbekistan": "UZ", "Iran": "IR",
    "Pakistan": "PK", "India": "IN", "Azerbaijan": "AZ", "Ukraine": "UA",
}

_APPROX_WORDS = {"about", "around", "approximately", "circa", "c.", "ca.", "roughly", "approximate"}
_UNCERTAIN_WORDS = {"uncertain", "probably", "possibly"}


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(isinstance(v, float) and math.isnan(v))
    except TypeError:  # pragma: no cover
        return False


def _int(v: Any, what: str) -> int | None:
    if _missing(v):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a whole number, got {v!r}") from None
    if not f.is_integer():
        raise ValueError(f"{what} must be a whole number, got {v!r}")
    return int(f)


def _days_in_month(year: int, month: int) -> int:
    """Days in a month of the (proleptic Gregorian) calendar EDTF uses."""
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _y(year: int) -> str:
    return f"{year:04d}"


def edtf(year_start: int, year_end: int | None = None, *, month: int | None = None,
         day: int | None = None, season: str | None = None, date_precision: str | None = None,
         qualifier: str | None = None, date_basis: str | None = None) -> str:
    """One dating as an EDTF string (ISO 8601-2).

    Parameters
    ----------
    year_start, year_end : int
        First and last year (``year_end`` defaults to ``year_start``); 0–9999.
    month, day : int, optional
        Month (1–12) and day of the month of the start, when the source gives them.
    season : str, optional
        ``spring``, ``summer``, ``autumn`` or ``winter``. A winter named by two years
        ("winter of 1739–1740") becomes the interval ``1739-12/1740-02``, not the code
        ``1739-24`` (which EDTF tools read as December 1739 only); a winter named by one
        year Y is read as its January–February, ``Y-01/Y-02``.
    date_precision : str, optional
        ``day``, ``month``, ``season``, ``year``, ``years``, ``decade`` or ``century``
        (:data:`kdwars.parse.DATE_PRECISIONS`). A whole decade or century becomes
        ``172X`` / ``17XX``; a part of one (``early 1720s`` → 1720–1722) an interval.
    qualifier : str, optional
        Hedges as the date table writes them, space-separated. ``about`` (or around,
        approximately, circa, roughly) marks the date approximate (``~``); ``?``,
        ``uncertain`` or ``year from context`` (a year we supplied) uncertain (``?``);
        both give ``%``. ``or`` makes the alternatives a set (``[1729,1730]``, or
        ``[1643..1646]`` when the years are not consecutive). ``by`` makes the date
        an upper bound: ``[..1758]`` (1758 or earlier). ``early``, ``mid``, ``late``,
        ``end`` of a year or month cannot be said in EDTF and are dropped (the date
        stays at its year or month); the years of a decade or century were already
        narrowed by the parser.
    date_basis : str, optional
        ``stated`` (default) or ``inferred``: an inferred dating is written as the
        interval of years it may fall in (``1665/1681``), or ``1665?`` for one year.

    Returns
    -------
    str
        A string that ``edtf.parse_edtf`` (python-edtf) reads, whose earliest and
        latest years are ``year_start`` and ``year_end`` (except ``by``: open start).

    Raises
    ------
    ValueError
        If a year is missing or outside 0–9999, the years run backwards, the month
        or day is impossible, a day is given without a month, or the season or
        date basis is unknown.

    Examples
    --------
    >>> edtf(1729)
    '1729'
    >>> edtf(1728, month=11, day=6, date_precision="day")
    '1728-11-06'
    >>> edtf(1739, season="spring", date_precision="season")
    '1739-21'
    >>> edtf(1739, 1740, season="winter", date_precision="season")
    '1739-12/1740-02'
    >>> edtf(1729, 1730, qualifier="or", date_precision="years")
    '[1729,1730]'
    >>> edtf(1735, qualifier="about")
    '1735~'
    >>> edtf(1720, 1729, date_precision="decade"), edtf(1700, 1799, date_precision="century")
    ('172X', '17XX')
    >>> edtf(1758, qualifier="by")
    '[..1758]'
    >>> edtf(1665, 1681, date_basis="inferred")
    '1665/1681'
    """
    y0 = _int(year_start, "year_start")
    if y0 is None:
        raise ValueError("year_start is required for an EDTF date")
    y1 = _int(year_end, "year_end")
    y1 = y0 if y1 is None else y1
    for y in (y0, y1):
        if not 0 <= y <= 9999:
            raise ValueError(f"year {y} is outside 0–9999 (EDTF years have four digits)")
    if y1 < y0:
        raise ValueError(f"year_end {y1} is before year_start {y0}")
    mo, d = _int(month, "month"), _int(day, "day")
    if mo is not None and not 1 <= mo <= 12:
        raise ValueError(f"month {mo} is not a month (1–12)")
    if d is not None:
        if mo is None:
            raise ValueError(f"day {d} given without a month")
        if not 1 <= d <= _days_in_month(y0, mo):
            raise ValueError(f"day {d} is not a day of month {mo} of {y0}")
    season = None if _missing(season) else str(season).strip().lower()
    if season == "fall":
        season = "autumn"
    if season is not None and season not in SEASON_CODES:
        raise ValueError(f"unknown season {season!r} (expected one of {', '.join(SEASON_CODES)})")
    basis = None if _missing(date_basis) else str(date_basis)
    if basis not in (None, "stated", "inferred"):
        raise ValueError(f"unknown date_basis {basis!r} (expected stated or inferred)")
    precision = None if _missing(date_precision) else str(date_precision)
    qual = "" if _missing(qualifier) else str(qualifier).lower()
    words = set(qual.replace("?", " ? ").split())

    if basis == "inferred":
        return f"{_y(y0)}/{_y(y1)}" if y1 > y0 else f"{_y(y0)}?"

    approx = bool(words & _APPROX_WORDS)
    uncertain = "?" in words or bool(words & _UNCERTAIN_WORDS) or "year from context" in qual
    mark = "%" if approx and uncertain else "~" if approx else "?" if uncertain else ""
    alternatives = "or" in words
    by = "by" in words

    # The start of the dating at its finest stated precision, and the end of that
    # start (a season's last month), as (text, month-or-None) pairs.
    if mo is not None and precision != "season":
        start: str | None = f"{_y(y0)}-{mo:02d}" + (f"-{d:02d}" if d is not None else "")
    elif season is not None:
        start = f"{_y(y0)}-{SEASON_CODES[season]}"
    else:
        start = None
    is_season = start is not None and season is not None and start == f"{_y(y0)}-{SEASON_CODES[season]}"

    if by:
        # "by 1758": that date or an earlier one. python-edtf reads neither a
        # qualified nor a season end inside a set: end at the season's last month.
        if y0 == y1 and start is not None and not alternatives:
            end = f"{_y(y0)}-{SEASON_MONTHS[season][1]:02d}" if is_season else start  # type: ignore[index]
        else:
            end = _y(y1)
        return f"[..{end}]"

    if y0 == y1:
        if alternatives or start is None:
            # "spring or summer 1730": only the year is sure.
            return _y(y0) + mark
        if is_season and (season == "winter" or mark):
            # python-edtf reads no qualified season, and a winter code as December only.
            a, b = (1, 2) if season == "winter" else SEASON_MONTHS[season]  # type: ignore[index]
            return f"{_y(y0)}-{a:02d}{mark}/{_y(y0)}-{b:02d}{mark}"
        return start + mark

    # Several years.
    if is_season and (season == "winter" or mark or alternatives):
        if season == "winter":
            first = f"{_y(y0)}-12{mark}"
            last = f"{_y(y1)}-02{mark}" if y1 == y0 + 1 else _y(y1) + mark
        else:
            first, last = f"{_y(y0)}-{SEASON_MONTHS[season][0]:02d}{mark}", _y(y1) + mark  # type: ignore[index]
    else:
        first, last = (start or _y(y0)) + mark, _y(y1) + mark
    if alternatives:
        if y1 == y0 + 1 or start is not None:
            return f"[{first},{last}]"
        if mark:
            # python-edtf reads no qualified end of a range inside a set: list the years.
            return "[" + ",".join(f"{_y(y)}{mark}" for y in range(y0, y1 + 1)) + "]"
        return f"[{first}..{last}]"
    if start is None and not mark:
        if precision == "decade" and y0 % 10 == 0 and y1 == y0 + 9:
            return f"{_y(y0)[:3]}X"
        if precision == "century" and y0 % 100 == 0 and y1 == y0 + 99:
            return f"{_y(y0)[:2]}XX"
    return f"{first}/{last}"


def _claim_edtf(row: Any) -> str:
    return edtf(row.year_start, row.year_end, month=row.month, day=row.day, season=row.season,
                date_precision=row.date_precision, qualifier=row.qualifier,
                date_basis=getattr(row, "date_basis", None))


def add_date_edtf(events: pd.DataFrame, event_dates: pd.DataFrame) -> pd.DataFrame:
    """The events table with a ``date_edtf`` column (EDTF, ISO 8601-2).

    An event whose date claims all give the same span of years takes the EDTF of
    its first (leading) claim, the one ``date_text`` shows: its month, day, season
    and hedges. When sources give different spans, the event's date is a set of the
    years they name (``[1643,1644]``) if each names a single year, else the interval
    ``year_start/year_end`` that holds every claim. An event with
    ``date_basis == "inferred"`` (a column the events table may carry) gets the
    interval of years it may fall in.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`kdwars.load_events` (``event_id``, ``year_start``, ``year_end``, and
        optionally ``date_basis``).
    event_dates : pandas.DataFrame
        :func:`kdwars.load_event_dates`, in table order (the first claim of each event
        is its leading one).

    Returns
    -------
    pandas.DataFrame
        A copy of ``events`` with ``date_edtf`` (string) after ``date_precision``
        (last if there is no such column).

    Raises
    ------
    ValueError
        If a stated event has no date claim, or a claim cannot be written in EDTF.

    Examples
    --------
    >>> import kdwars
    >>> ev = add_date_edtf(kdwars.load_events(), kdwars.load_event_dates())
    >>> ev.set_index("event_id").loc["battle-of-orbulaq-1643", "date_edtf"]
    '1643'
    """
    by_event: dict[str, list] = {}
    for row in event_dates.itertuples(index=False):
        by_event.setdefault(row.event_id, []).append(row)
    values = []
    has_basis = "date_basis" in events.columns
    for ev in events.itertuples(index=False):
        claims = by_event.get(ev.event_id)
        try:
            if has_basis and not _missing(ev.date_basis) and ev.date_basis == "inferred":
                values.append(edtf(ev.year_start, ev.year_end, date_basis="inferred"))
                continue
            if not claims:
                raise ValueError("no date claim and no inferred date")
            spans = {(int(c.year_start), int(c.year_end)) for c in claims}
            if len(spans) == 1:
                values.append(_claim_edtf(claims[0]))
            elif all(a == b for a, b in spans):
                values.append("[" + ",".join(_y(a) for a, _ in sorted(spans)) + "]")
            else:
                values.append(edtf(ev.year_start, ev.year_end))
        except ValueError as exc:
            raise ValueError(f"event {ev.event_id!r}: cannot write its date in EDTF: {exc}") from None
    out = events.copy()
    if "date_edtf" in out.columns:
        out = out.drop(columns="date_edtf")
    pos = list(out.columns).index("date_precision") + 1 if "date_precision" in out.columns else len(out.columns)
    out.insert(pos, "date_edtf", pd.array(values, dtype="string"))
    return out


def _py(v: Any) -> Any:
    """A JSON-ready Python value (NA -> None, numpy scalars -> int/float/str)."""
    if _missing(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _split(v: Any) -> list[str]:
    """A ';'-joined cell as a list (empty when missing)."""
    return [] if _missing(v) else _list_cell(str(v))


def _list_cell(text: str) -> list[str]:
    """A multi-value cell as a list, whichever way it is joined: a JSON list, '|' or ';'."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(v).strip() for v in json.loads(text) if str(v).strip()]
        except ValueError:
            pass
    sep = "|" if "|" in text else ";"
    return [v.strip() for v in text.split(sep) if v.strip()]


def _sections(frames: list[pd.DataFrame], key: str) -> dict[str, list[dict[str, str]]]:
    """{key value: sorted unique [{source_id, section}]} over the claim tables."""
    out: dict[str, set] = {}
    for df in frames:
        if df is None or df.empty or "source_id" not in df.columns:
            continue
        sub = df.dropna(subset=["source_id"])
        for k, s, sec in zip(sub[key], sub["source_id"], sub["section"]):
            out.setdefault(str(k), set()).add((str(s), None if _missing(sec) else str(sec)))
    return {k: [{"source_id": s, "section": sec} for s, sec in sorted(v, key=lambda t: (t[0], t[1] or ""))]
            for k, v in out.items()}


def events_geojson(events: pd.DataFrame, event_places: pd.DataFrame,
                   claims: Mapping[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """Events as a GeoJSON FeatureCollection (RFC 7946), one Feature per event.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`kdwars.load_events`; ``date_edtf`` is used when present (see
        :func:`add_date_edtf`), else left empty.
    event_places : pandas.DataFrame
        :func:`kdwars.load_event_places`: every place linked to an event, and the
        source sections of the place claims.
    claims : mapping of str to DataFrame, optional
        Further claim tables with ``event_id``, ``source_id`` and ``section``
        (``event_dates``, ``event_outcomes``, ``casualties``, ``commanders``), whose
        sections are listed with each event.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``. Each feature has a
        ``Point`` geometry ``[lon, lat]`` of the event's primary place, or ``null``
        when it has no coordinates, and the properties ``event_id``, ``name``,
        ``event_type``, ``parent_event_id``, ``date_text``, ``date_edtf``,
        ``date_precision``, ``date_basis``, ``year_start``, ``year_end``, ``period``,
        ``stage``, ``place_id``, ``place_precision``, ``places`` (every linked place id), ``attacker``,
        ``defender``, ``winner``, ``disputed`` (list), ``sources`` (list of source
        ids) and ``source_sections`` (list of ``{source_id, section}``).

    Examples
    --------
    >>> import kdwars
    >>> fc = events_geojson(kdwars.load_events(), kdwars.load_event_places())
    >>> fc["type"], len(fc["features"]) == len(kdwars.load_events())
    ('FeatureCollection', True)
    """
    frames = [event_places] + list((claims or {}).values())
    sections = _sections(frames, "event_id")
    linked: dict[str, list[str]] = {}
    for e, p in zip(event_places["event_id"], event_places["place_id"]):
        if not _missing(p) and str(p) not in linked.setdefault(str(e), []):
            linked[str(e)].append(str(p))
    features = []
    for ev in events.to_dict("records"):
        lat, lon = _py(ev.get("lat")), _py(ev.get("lon"))
        geometry = None
        if lat is not None and lon is not None:
            geometry = {"type": "Point", "coordinates": [round(float(lon), 4), round(float(lat), 4)]}
        eid = str(ev["event_id"])
        props = {
            "event_id": eid, "name": _py(ev.get("name")), "event_type": _py(ev.get("event_type")),
            "parent_event_id": _py(ev.get("parent_event_id")),
            "date_text": _py(ev.get("date_text")), "date_edtf": _py(ev.get("date_edtf")),
            "date_precision": _py(ev.get("date_precision")), "date_basis": _py(ev.get("date_basis")),
            "year_start": _py(ev.get("year_start")), "year_end": _py(ev.get("year_end")),
            "period": _py(ev.get("period")), "stage": _py(ev.get("stage")),
            "place_id": _py(ev.get("place_id")), "place_precision": _py(ev.get("place_precision")),
            "places": linked.get(eid, []),
            "attacker": _py(ev.get("attacker")), "defender": _py(ev.get("defender")),
            "winner": _py(ev.get("winner")), "disputed": _split(ev.get("disputed")),
            "sources": _split(ev.get("sources")), "source_sections": sections.get(eid, []),
        }
        features.append({"type": "Feature", "id": eid, "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _citation(source: Mapping[str, Any] | None, source_id: str, section: str | None) -> dict[str, Any]:
    title = source.get("title") if source else None
    label = f"{title or source_id} [{source_id}]" + (f", section {section!r}" if section else "")
    url = source.get("url") if source else None
    return {"label": label, "@id": None if _missing(url) else str(url)}


def places_lpf(places: pd.DataFrame, event_places: pd.DataFrame, sources: pd.DataFrame,
               events: pd.DataFrame | None = None) -> dict[str, Any]:
    """The gazetteer in Linked Places Format (LPF 1.x, World Historical Gazetteer).

    Parameters
    ----------
    places : pandas.DataFrame
        :func:`kdwars.load_places` (``aliases`` as a list or a '; '-joined string).
    event_places : pandas.DataFrame
        :func:`kdwars.load_event_places`: which source spells a place how
        (``as_written``, ``source_id``, ``section``).
    sources : pandas.DataFrame
        :func:`kdwars.load_sources`; ``title`` and, when present, ``url`` label the
        citations.
    events : pandas.DataFrame, optional
        :func:`kdwars.load_events`; when given, each place's ``when`` is the span of
        years of the events linked to it.

    Returns
    -------
    dict
        A GeoJSON-LD FeatureCollection with ``@context`` :data:`LPF_CONTEXT`. Each
        place is a Feature with ``@id`` (:data:`PLACE_NAMESPACE` + ``place_id``: a
        namespace, not a page), ``properties`` (``title``, ``ccodes``, ``fclasses``,
        ``place_id``, ``kind``, ``region``, ``precision``, ``modern_country``),
        ``names`` (the name and every alias, each with ``citations`` of the source
        sections that spell it so — empty when no place claim records the spelling),
        ``types``, a ``geometry`` (a GeometryCollection holding one Point with its
        ``certainty``: exact → certain, approximate → less-certain, centroid →
        uncertain) and, where known, ``when``.

    Examples
    --------
    >>> import kdwars
    >>> lpf = places_lpf(kdwars.load_places(), kdwars.load_event_places(), kdwars.load_sources())
    >>> f = next(f for f in lpf["features"] if f["properties"]["place_id"] == "turkistan")
    >>> f["@id"], f["geometry"]["geometries"][0]["certainty"]
    ('https://github.com/kdwars/kdwars/places/turkistan', 'certain')
    """
    from .names import name_key

    src = {str(r["source_id"]): r for r in sources.to_dict("records")}
    spelled: dict[tuple[str, str], set] = {}
    ep = event_places.dropna(subset=["source_id"])
    for pid, aw, s, sec in zip(ep["place_id"], ep["as_written"], ep["source_id"], ep["section"]):
        if _missing(pid) or _missing(aw):
            continue
        spelled.setdefault((str(pid), name_key(aw)), set()).add((str(s), None if _missing(sec) else str(sec)))
    spans: dict[str, tuple[int, int]] = {}
    if events is not None:
        years = events.set_index("event_id")[["year_start", "year_end"]]
        for eid, pid in zip(event_places["event_id"], event_places["place_id"]):
            if _missing(pid) or eid not in years.index:
                continue
            y0, y1 = int(years.at[eid, "year_start"]), int(years.at[eid, "year_end"])
            a, b = spans.get(str(pid), (y0, y1))
            spans[str(pid)] = (min(a, y0), max(b, y1))
    features = []
    for p in places.to_dict("records"):
        pid = str(p["place_id"])
        aliases = p.get("aliases")
        if isinstance(aliases, str):
            aliases = _list_cell(aliases)
        elif aliases is None or (not isinstance(aliases, list) and _missing(aliases)):
            aliases = []
        names = []
        for n in [str(p["name"])] + [str(a) for a in aliases]:
            cites = sorted(spelled.get((pid, name_key(n)), ()), key=lambda t: (t[0], t[1] or ""))
            names.append({"toponym": n, "citations": [_citation(src.get(s), s, sec) for s, sec in cites]})
        countries = [] if _missing(p.get("modern_country")) else _list_cell(str(p.get("modern_country")))
        kind = _py(p.get("kind"))
        precision = _py(p.get("precision"))
        feature: dict[str, Any] = {
            "@id": PLACE_NAMESPACE + pid,
            "type": "Feature",
            "properties": {
                "title": str(p["name"]),
                "ccodes": [CCODES[c] for c in countries if c in CCODES],
                "fclasses": [FCLASSES[kind]] if kind in FCLASSES else [],
                "place_id": pid, "kind": kind, "region": _py(p.get("region")),
                "precision": precision, "modern_country": countries,
            },
            "names": names,
            "types": [{"label": kind, "sourceLabel": kind}] if kind else [],
        }
        lat, lon = _py(p.get("lat")), _py(p.get("lon"))
        if lat is not None and lon is not None:
            point: dict[str, Any] = {"type": "Point", "coordinates": [round(float(lon), 4), round(float(lat), 4)]}
            if precision in CERTAINTY:
                point["certainty"] = CERTAINTY[precision]
            feature["geometry"] = {"type": "GeometryCollection", "geometries": [point]}
        if pid in spans:
            a, b = spans[pid]
            feature["when"] = {"timespans": [{"start": {"in": _y(a)}, "end": {"in": _y(b)}}],
                               "label": "years of the recorded events linked to this place"}
        features.append(feature)
    return {"@context": LPF_CONTEXT, "type": "FeatureCollection", "features": features}


def _dump(obj: dict, path: Path) -> None:
    """Write a FeatureCollection with one feature per line (small, and diffs stay readable)."""
    head = {k: v for k, v in obj.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in obj["features"]]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_exports(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> dict[str, pd.DataFrame]:
    """Add ``date_edtf`` to the events and write ``events.geojson`` and ``places.geojson``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The tables of :func:`kdwars.build.compile_tables` (``events``,
        ``event_dates``, ``event_places``, ``places``, ``sources`` and the other
        claim tables).
    out_dir : pathlib.Path
        Directory to write the two GeoJSON files into (it must exist).

    Returns
    -------
    dict of str to DataFrame
        A new dict of the same tables, ``events`` with its ``date_edtf`` column;
        ``tables`` itself is not changed.

    Raises
    ------
    kdwars.raw.RawDataError
        If a date claim cannot be written in EDTF (an impossible day such as
        "31 February 1741"), naming the event, the phrase and the reason.
    """
    from .raw import Problem, RawDataError

    problems = []
    for row in tables["event_dates"].itertuples(index=False):
        try:
            _claim_edtf(row)
        except ValueError as exc:
            problems.append(Problem("events/*.yaml", None, str(row.event_id), "dates.as_written",
                                    row.as_written, f"cannot be written as an EDTF date: {exc}"))
    if problems:
        raise RawDataError(problems)
    out = dict(tables)
    out["events"] = add_date_edtf(tables["events"], tables["event_dates"])
    claims = {k: tables[k] for k in ("event_dates", "event_outcomes", "casualties", "commanders") if k in tables}
    out_dir = Path(out_dir)
    _dump(events_geojson(out["events"], tables["event_places"], claims), out_dir / "events.geojson")
    _dump(places_lpf(tables["places"], tables["event_places"], tables["sources"], out["events"]),
          out_dir / "places.geojson")
    return out
