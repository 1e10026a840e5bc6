"""The data dictionary: every processed table, its fields, types and keys.

This one description drives three things: the column types the loaders give
(``integer`` → ``Int64``, ``number`` → ``float64``, ``string`` → ``string``),
the Frictionless Data Package written next to the tables
(``data/processed/datapackage.json``), and the data dictionary shown in the
first notebook (:func:`data_dictionary`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import vocab as V

S, I, N, L = "string", "integer", "number", "list"  # noqa: E741 - short type codes keep TABLE_SPECS readable
#: How a multi-value column is described: the one separator, and what the loaders return.
_LIST = f"; a list ('{V.LIST_SEPARATOR}' between values in the CSV; the loaders return a Python list)"

#: table -> (description, primary key, [(field, type, description)], foreign keys)
TABLE_SPECS: dict[str, tuple[str, list[str] | None, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = {
    "sources": (
        "The five source articles.", ["source_id"],
        [("source_id", S, "Stable id of the article"), ("file", S, "File name of the plain-text extract"),
         ("title", S, "Article title"), ("version", S, "current, or older (web mirror)"),
         ("kind", S, "overview or war article"), ("note", S, "What the article covers (our words)"),
         ("n_sections", I, "Number of citable sections"),
         ("url", S, "Canonical URL of the article"),
         ("mirror_url", S, "Web mirror the extract was read from (older version), if any"),
         ("sha256", S, "SHA-256 of the exact plain-text extract the claims were read from"),
         ("licence", S, "Licence of the article text"),
         ("attribution", S, "Attribution line the licence asks for"),
         ("provenance_note", S, "What is known and not known about where the extract came from")], []),
    "phases": (
        "Phases under two periodisations: `period` (war by war, current overview) and `stage` (older overview).",
        ["scheme", "phase_id"],
        [("scheme", S, "period or stage"), ("phase_id", S, "Stable id within the scheme"),
         ("label", S, "Display label"), ("start_year", I, "First year"), ("end_year", I, "Last year"),
         ("source_id", S, "Article that defines the phase"), ("section", S, "Section defining it")],
        [("source_id", "sources", "source_id")]),
    "places": (
        "Gazetteer: every place named in the sources, with WGS84 coordinates.", ["place_id"],
        [("place_id", S, "Stable slug"), ("name", S, "Display name"),
         ("aliases", L, "Every spelling used in the sources" + _LIST),
         ("kind", S, "city, river, lake, mountains, region, ..."), ("lat", N, "Latitude (WGS84)"),
         ("lon", N, "Longitude (WGS84)"),
         ("precision", S, "exact site, approximate (±50 km), or centroid of a river/lake/region"),
         ("region", S, "Historical region (jetisu, syr-darya, ...)"), ("modern_country", S, "Modern country"),
         ("note", S, "Our note")], []),
    "people": (
        "Everyone who commands, rules, negotiates, is captured or killed in the sources.", ["person_id"],
        [("person_id", S, "Stable slug"), ("name", S, "Display name"),
         ("aliases", L, "Every spelling used in the sources" + _LIST), ("side", S, "Side slug"),
         ("title", S, "khan, khong-tayiji, batyr, ..."),
         ("juz", L, "Jüz led, per the sources (two values: sources differ)" + _LIST),
         ("died", S, "Year of death as written"), ("fate", L, "KIA and/or POW in any event" + _LIST),
         ("identity_uncertain_with", L, "person_ids the sources may confuse with this one" + _LIST),
         ("n_events", I, "Number of event participations"), ("note", S, "Our note")], []),
    "person_claims": (
        "Attributes of people that the sources state (jüz, fate, death), one row per claim.", None,
        [("person_id", S, "Person"), ("field", S, "juz, fate, died, title, side"), ("value", S, "Value"),
         ("as_written", S, "Phrase as written"), ("source_id", S, "Source article"),
         ("section", S, "Section of the article"), ("attributed_to", S, "Historian or witness named"),
         ("note", S, "Our note")],
        [("person_id", "people", "person_id"), ("source_id", "sources", "source_id")]),
    "events": (
        "One row per event; a stated date is the envelope of the event's own date claims, an "
        "inferred one the bounds the narrative gives.", ["event_id"],
        [("event_id", S, "Stable slug ending with the first year"), ("name", S, "Name"),
         ("event_type", S, "battle, siege, campaign, war, council, ..."),
         ("parent_event_id", S, "Campaign or war this event is part of"),
         ("year_start", I, "Earliest year any source gives (inferred: the lower bound)"),
         ("year_end", I, "Latest year any source gives (inferred: the upper bound)"),
         ("date_text", S, "First date claim as written (inferred: the bounds, marked 'inferred')"),
         ("date_precision", S, "day, month, season, year, years, decade, century"),
         ("date_edtf", S, "The date in the Extended Date/Time Format (ISO 8601-2): 1729, 1729-12, 1739-21 (spring), "
                          "1645/1646 (interval), [1729,1730] (one of), 1735~ (about), 172X, [..1758] (by)"),
         ("date_basis", S, "stated (the event's own sentences date it) or inferred (no sentence does)"),
         ("date_note", S, "For an inferred date: what bounds it (events before and after, the sentence)"),
         ("period", S, "Phase under the `period` scheme"), ("stage", S, "Phase under the `stage` scheme"),
         ("place_id", S, "Primary place"), ("region", S, "Region of the primary place"),
         ("lat", N, "Latitude of the primary place"), ("lon", N, "Longitude of the primary place"),
         ("place_precision", S, "Precision of the primary place: exact, approximate, centroid (river, "
          "lake, range), region or country (a region's or country's representative point)"),
         ("place_basis", S, "stated (one of the event's own place claims) or inferred"),
         ("place_note", S, "For an inferred place: why it is placed there"),
         ("attacker", S, "Attacking side"), ("defender", S, "Defending side"),
         ("winner", S, "Contests only: side slug, inconclusive, disputed (sources differ) or unknown"),
         ("disputed", L, "What the sources disagree on (conflicting claims or a stated disagreement): "
          "date, place, outcome, figures, participants, route, terms" + _LIST),
         ("n_claims", I, "Number of claims about the event"), ("summary", S, "Our summary"),
         ("sources", L, "Source ids with claims about the event" + _LIST)],
        [("place_id", "places", "place_id"), ("parent_event_id", "events", "event_id")]),
    "event_dates": (
        "Date claims, one row per source (and historian) dating an event.", ["claim_id"],
        [("claim_id", S, "Stable id"), ("event_id", S, "Event"), ("as_written", S, "Date phrase as written"),
         ("year_start", I, "First year"), ("year_end", I, "Last year"), ("month", I, "Month (1–12)"),
         ("day", I, "Day of month"), ("season", S, "spring, summer, autumn, winter"),
         ("qualifier", S, "about, by, early, late, or (alternatives), ..."),
         ("date_precision", S, "day, month, season, year, years, decade, century"),
         ("source_id", S, "Source article"), ("section", S, "Section"),
         ("attributed_to", S, "Historian or witness named"), ("witness", S, "Kind of witness"),
         ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("source_id", "sources", "source_id")]),
    "event_outcomes": (
        "Outcome claims: who won, according to whom.", ["claim_id"],
        [("claim_id", S, "Stable id"), ("event_id", S, "Event"), ("winner", S, "Side slug or inconclusive"),
         ("as_written", S, "Phrase as written (e.g. 'Pyrrhic Kazakh victory')"),
         ("source_id", S, "Source article"), ("section", S, "Section"),
         ("attributed_to", S, "Historian or witness named"), ("witness", S, "Kind of witness"),
         ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("source_id", "sources", "source_id")]),
    "event_places": (
        "Event × place: the primary place and every further or competing place claim.", None,
        [("claim_id", S, "Stable id of the place claim (empty for the primary row)"),
         ("event_id", S, "Event"), ("place_id", S, "Place"),
         ("role", S, "primary, site, near, destination, origin, route, ..."),
         ("as_written", S, "Place as the record spells it (a spelling from the sources)"),
         ("holder", S, "Side said to hold (control) the place at the time (role held only; none: no one)"),
         ("juz", L, "Jüzes the sentence names for the place (senior, middle, junior)" + _LIST),
         ("source_id", S, "Source (for the primary row: of the place claim it rests on; empty if inferred)"),
         ("section", S, "Section"), ("attributed_to", S, "Historian or witness named"), ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("place_id", "places", "place_id")]),
    "casualties": (
        "Figure claims (strengths, killed, captured, ...): one row per claim, never averaged.", ["claim_id"],
        [("claim_id", S, "Stable id"), ("event_id", S, "Event"), ("side", S, "Side whose men or people are counted"),
         ("measure", S, "strength, killed, wounded, captured, losses, livestock-taken, migrants, ..."),
         ("kind", S, "What a strength means: initial, reinforcement, detachment, relief, planned, ..."),
         ("low", I, "Lower bound (empty: unknown)"), ("high", I, "Upper bound (empty: open or unknown)"),
         ("unit", S, "men, people, families, yurts, horses, percent, ..."),
         ("qualitative", S,
          "Ordered word when no number: light < moderate < many < heavy < heavier < very heavy < catastrophic"),
         ("precision", S, "exact, approximate, range, lower-bound, upper-bound, vague, qualitative, unknown"),
         ("as_written", S, "Figure phrase as written"), ("source_id", S, "Source article"), ("section", S, "Section"),
         ("attributed_to", S, "Historian or witness named"), ("witness", S, "Kind of witness"),
         ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("source_id", "sources", "source_id")]),
    "commanders": (
        "Event × person: commanders, rulers, envoys, captives, with their fate.", ["claim_id"],
        [("claim_id", S, "Stable id"), ("event_id", S, "Event"), ("person_id", S, "Person"), ("side", S, "Side"),
         ("role", S, "commander, co-commander, ruler, envoy, captive, killed, ..."),
         ("fate", S, "KIA, POW or empty"), ("as_written", S, "Name as written"),
         ("source_id", S, "Source article"), ("section", S, "Section"),
         ("attributed_to", S, "Historian or witness named"), ("witness", S, "Kind of witness"),
         ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("person_id", "people", "person_id"),
         ("source_id", "sources", "source_id")]),
    "event_sides": (
        "Event × side: the camp each side fought in (or served) and its role, stated by a source or "
        "derived from the event's attacker and defender.", None,
        [("claim_id", S, "Stable id of the side claim (empty when derived)"), ("event_id", S, "Event"),
         ("side", S, "Side slug"), ("camp", S, "The camp (named by its principal side) the side belongs to"),
         ("role", S, "principal or ally (combatants); supplier, host or mediator (not combatants)"),
         ("basis", S, "stated (a source says so) or derived (from attacker/defender)"),
         ("source_id", S, "Source article"), ("section", S, "Section"),
         ("attributed_to", S, "Historian or witness named"), ("note", S, "Our note")],
        [("event_id", "events", "event_id"), ("source_id", "sources", "source_id")]),
    "disagreements": (
        "Disagreements the articles state or imply, each backed by the claims that disagree.", None,
        [("event_id", S, "Event"), ("aspect", S, "date, place, outcome, figures, participants, route, terms"),
         ("claims", L, "Claim ids that disagree" + _LIST), ("note", S, "What they disagree on (our words)")],
        [("event_id", "events", "event_id")]),
    "claim_relations": (
        "Every pair of date, figure, outcome or site claims on one event: same, refines, overlaps or "
        "conflicts (see kdwars.claim_relations).", None,
        [("event_id", S, "Event"), ("field", S, "date, figure, outcome, place"),
         ("group", S, "For figures: side/measure/kind/unit compared"), ("claim_a", S, "First claim id"),
         ("claim_b", S, "Second claim id"), ("value_a", S, "First claim's value as written"),
         ("value_b", S, "Second claim's value as written"), ("source_a", S, "First claim's source"),
         ("source_b", S, "Second claim's source"), ("relation", S, "same, refines, overlaps, conflicts")],
        [("event_id", "events", "event_id")]),
    "coverage": (
        "Number of claims per source section, so a reader can see nothing was skipped.", ["source_id", "section"],
        [("source_id", S, "Source article"), ("section", S, "Section"), ("n_claims", I, "Claims citing it"),
         ("n_dates", I, "Date claims"), ("n_outcomes", I, "Outcome claims"), ("n_places", I, "Place claims"),
         ("n_figures", I, "Figure claims"), ("n_participants", I, "Participant claims"),
         ("n_sides", I, "Side (camp) claims"),
         ("n_person_claims", I, "Person attribute claims")],
        [("source_id", "sources", "source_id")]),
}

#: (table, field) -> the vocabulary its values come from (an ``enum`` constraint).
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sources", "kind"): V.SOURCE_KINDS,
    ("phases", "scheme"): V.SCHEMES,
    ("places", "kind"): V.PLACE_KINDS, ("places", "precision"): V.PLACE_PRECISIONS,
    ("places", "region"): V.REGIONS,
    ("people", "side"): V.SIDES,
    ("person_claims", "field"): V.PERSON_FIELDS,
    ("events", "event_type"): V.EVENT_TYPES, ("events", "date_precision"): V.DATE_PRECISIONS,
    ("events", "date_basis"): V.BASES, ("events", "region"): V.REGIONS,
    ("events", "place_precision"): V.EVENT_PLACE_PRECISIONS, ("events", "place_basis"): V.BASES,
    ("events", "attacker"): V.SIDES, ("events", "defender"): V.SIDES, ("events", "winner"): V.EVENT_WINNERS,
    ("event_dates", "season"): V.SEASONS, ("event_dates", "date_precision"): V.DATE_PRECISIONS,
    ("event_dates", "witness"): V.WITNESSES,
    ("event_outcomes", "winner"): V.WINNERS, ("event_outcomes", "witness"): V.WITNESSES,
    ("event_places", "role"): V.EVENT_PLACE_ROLES, ("event_places", "holder"): V.SIDES,
    ("casualties", "side"): V.SIDES, ("casualties", "measure"): V.MEASURES, ("casualties", "kind"): V.KINDS,
    ("casualties", "unit"): V.UNITS, ("casualties", "qualitative"): V.QUALITATIVE_LEVELS,
    ("casualties", "precision"): V.FIGURE_PRECISIONS, ("casualties", "witness"): V.WITNESSES,
    ("commanders", "side"): V.SIDES, ("commanders", "role"): V.ROLES, ("commanders", "fate"): V.FATES,
    ("commanders", "witness"): V.WITNESSES,
    ("event_sides", "side"): V.SIDES, ("event_sides", "camp"): V.SIDES, ("event_sides", "role"): V.SIDE_ROLES,
    ("event_sides", "basis"): V.SIDE_BASES,
    ("disagreements", "aspect"): V.DISPUTE_ASPECTS,
    ("claim_relations", "field"): V.RELATION_FIELDS, ("claim_relations", "relation"): V.RELATIONS,
}
#: Columns whose vocabulary is ordered (loaded as ordered categoricals).
ORDERED = {"date_precision": V.DATE_PRECISIONS, "qualitative": V.QUALITATIVE_LEVELS}

_PANDAS = {S: "string", I: "Int64", N: "float64", L: "string"}


def dtypes(table: str) -> dict[str, str]:
    """The pandas dtypes of a table's columns."""
    return {name: _PANDAS[t] for name, t, _ in TABLE_SPECS[table][2]}


def list_columns(table: str) -> list[str]:
    """A table's multi-value columns (values joined by :data:`kdwars.vocab.LIST_SEPARATOR`).

    Parameters
    ----------
    table : str
        A name in :data:`TABLE_SPECS`.

    Returns
    -------
    list of str
    """
    return [name for name, t, _ in TABLE_SPECS[table][2] if t == L]


def primary_key(table: str) -> list[str] | None:
    """A table's primary key columns (None when it has none).

    Parameters
    ----------
    table : str
        A name in :data:`TABLE_SPECS`.

    Returns
    -------
    list of str or None
    """
    return TABLE_SPECS[table][1]


def enums(table: str) -> dict[str, tuple[str, ...]]:
    """A table's columns with a controlled vocabulary, and that vocabulary.

    Parameters
    ----------
    table : str
        A name in :data:`TABLE_SPECS`.

    Returns
    -------
    dict of str to tuple of str
    """
    return {f: voc for (t, f), voc in ENUMS.items() if t == table}


def columns(table: str) -> list[str]:
    """A table's column names, in order."""
    return [name for name, _, _ in TABLE_SPECS[table][2]]


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Order and type a table's columns as the data dictionary says."""
    cols = columns(table)
    missing = [c for c in cols if c not in df.columns]
    extra = [c for c in df.columns if c not in cols]
    if missing or extra:
        raise ValueError(f"table {table!r}: missing columns {missing}, unexpected columns {extra}")
    df = df[cols].copy()
    for c, t in dtypes(table).items():
        df[c] = df[c].astype(t) if t != "string" else df[c].astype("string")
    return df


def _field(table: str, name: str, type_: str, description: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if type_ == L:
        out.update({"delimiter": V.LIST_SEPARATOR, "itemType": "string"})
    enum = ENUMS.get((table, name))
    if enum is not None:
        out["constraints"] = {"enum": list(enum)}
        if name in ORDERED:
            out["categories"] = list(enum)
            out["categoriesOrdered"] = True
    return out


def file_stats(path, rows: int) -> dict[str, Any]:
    """Size, SHA-256 hash and row count of one written table (the descriptor's ``bytes``, ``hash``, ``rows``).

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.
    rows : int
        Its number of data rows.

    Returns
    -------
    dict
        ``{"bytes": int, "hash": "sha256:<hex>", "rows": int}``.
    """
    import hashlib

    data = open(path, "rb").read()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "rows": rows}


def describe(tables: dict[str, pd.DataFrame] | None = None,
             stats: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor for the processed tables.

    Parameters
    ----------
    tables : dict of DataFrame, optional
        Unused; kept for callers that pass the tables.
    stats : dict, optional
        Per table, :func:`file_stats` of its written file: recorded as the
        resource's ``bytes``, ``hash`` and ``rows`` (checked by the loaders).

    Returns
    -------
    dict
        The ``datapackage.json`` descriptor.
    """
    from . import __version__  # here, not at the top: kdwars/__init__ imports this module

    resources = []
    for name, (desc, pk, fields, fks) in TABLE_SPECS.items():
        schema: dict[str, Any] = {
            "fields": [_field(name, f, t, d) for f, t, d in fields],
            "missingValues": [""],
        }
        if pk:
            schema["primaryKey"] = pk
        if fks:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": "" if ref == name else ref, "fields": rf}}
                for f, ref, rf in fks
            ]
        resources.append({
            "name": name.replace("_", "-"), "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "description": desc,
            **(stats or {}).get(name, {}),
            "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": "kazakh-dzungar-wars",
        "title": "Kazakh–Dzungar Wars (1635–1758): events, figures, commanders and places, claim by claim",
        "version": __version__,
        "licenses": [{"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/",
                      "title": "Creative Commons Attribution Share-Alike 4.0"}],
        "sources": [{"title": "Encyclopedia articles on the Kazakh–Dzungar Wars (five versions; see sources.csv)"}],
        "resources": resources,
    }


def data_dictionary() -> pd.DataFrame:
    """Every table's fields, types and descriptions as one long DataFrame."""
    rows = [
        {"table": t, "field": f, "type": ty, "description": d}
        for t, (_, _, fields, _) in TABLE_SPECS.items()
        for f, ty, d in fields
    ]
    return pd.DataFrame(rows)
