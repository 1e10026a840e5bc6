"""The codebook: every table, column, type, description and allowed value, as Markdown.

Generated from the data dictionary (:mod:`kdwars.datapackage`) and the controlled
vocabularies (:mod:`kdwars.schema`, :mod:`kdwars.parse`), so it cannot drift from
them: ``kdwars codebook`` writes ``docs/codebook.md`` and a test fails when the
committed page differs from a fresh generation.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["vocabularies", "allowed_values", "codebook", "write_codebook"]

#: (table or "*", column) -> (vocabulary name, note). "*" applies to every table.
_COLUMN_VOCAB: dict[tuple[str, str], tuple[str, str]] = {
    ("*", "side"): ("side", ""),
    ("*", "attacker"): ("side", ""),
    ("*", "defender"): ("side", ""),
    ("events", "winner"): ("winner", ("or `disputed` (sources name different winners) or `unknown` (a military "
                                      "event no source gives a result for); empty for non-military events")),
    ("event_outcomes", "winner"): ("winner", "empty when the outcome is a non-military result (see `as_written`)"),
    ("*", "event_type"): ("event type", ""),
    ("*", "measure"): ("measure", ""),
    ("*", "unit"): ("unit", ""),
    ("casualties", "kind"): ("strength kind", ""),
    ("places", "kind"): ("place kind", ""),
    ("*", "witness"): ("witness", ""),
    ("places", "precision"): ("place precision", ""),
    ("casualties", "precision"): ("figure precision", ""),
    ("*", "date_precision"): ("date precision", "finest first"),
    ("casualties", "qualitative"): ("qualitative level", "ordered, lowest first"),
    ("*", "region"): ("region", ""),
    ("commanders", "role"): ("participant role", ""),
    ("event_places", "role"): ("place role", "or `primary` (the event's main place)"),
    ("commanders", "fate"): ("fate", ""),
    ("people", "fate"): ("fate", "'|'-separated when both"),
    ("events", "disputed"): ("dispute aspect", "';'-separated"),
    ("*", "scheme"): ("phase scheme", ""),
    ("event_dates", "season"): ("season", ""),
    ("person_claims", "field"): ("person claim field", ""),
    ("sources", "kind"): ("source kind", ""),
    ("events", "date_basis"): ("basis", ""),
    ("events", "place_basis"): ("basis", ""),
    ("events", "place_precision"): ("event place precision", ""),
    ("event_sides", "camp"): ("side", "named by the camp's principal side"),
    ("event_sides", "role"): ("side role", ""),
    ("event_sides", "basis"): ("side basis", ""),
    ("disagreements", "aspect"): ("dispute aspect", ""),
    ("claim_relations", "relation"): ("claim relation", ""),
    ("claim_relations", "field"): ("related field", ""),
}


#: Columns that refer to other tables without a declared foreign key.
_COLUMN_REFS: dict[tuple[str, str], str] = {
    ("events", "period"): "a `phase_id` of `phases` with scheme `period`",
    ("events", "stage"): "a `phase_id` of `phases` with scheme `stage`",
    ("events", "sources"): "`source_id`s of `sources`, ';'-separated",
    ("people", "identity_uncertain_with"): "`person_id`s of `people`, '; '-separated",
    ("event_dates", "section"): "a section of its source (`coverage`)",
    ("event_outcomes", "section"): "a section of its source (`coverage`)",
    ("event_places", "section"): "a section of its source (`coverage`)",
    ("casualties", "section"): "a section of its source (`coverage`)",
    ("commanders", "section"): "a section of its source (`coverage`)",
    ("person_claims", "section"): "a section of its source (`coverage`)",
    ("phases", "section"): "a section of its source (`coverage`)",
    ("event_places", "source_id"): "a `source_id` of `sources` (empty for the primary place)",
}


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Every controlled vocabulary of the tables, by name.

    Returns
    -------
    dict of str to tuple of str
        Vocabulary name (``side``, ``event type``, ``measure``, ...) -> its values,
        in the order the project defines them (ordered scales lowest/finest first).

    Examples
    --------
    >>> "battle" in vocabularies()["event type"]
    True
    """
    from typing import get_args

    from . import schema
    from .parse import DATE_PRECISIONS, FIGURE_PRECISIONS, QUALITATIVE_LEVELS

    return {
        "side": schema.SIDES,
        "winner": schema.WINNERS,
        "event type": schema.EVENT_TYPES,
        "measure": schema.MEASURES,
        "unit": schema.UNITS,
        "strength kind": schema.KINDS,
        "witness": schema.WITNESSES,
        "place kind": schema.PLACE_KINDS,
        "place precision": schema.PLACE_PRECISIONS,
        "figure precision": FIGURE_PRECISIONS,
        "date precision": DATE_PRECISIONS,
        "qualitative level": QUALITATIVE_LEVELS,
        "region": schema.REGIONS,
        "participant role": schema.ROLES,
        "place role": schema.PLACE_ROLES,
        "fate": schema.FATES,
        "dispute aspect": schema.DISPUTE_ASPECTS,
        "phase scheme": schema.SCHEMES,
        "season": ("spring", "summer", "autumn", "winter"),
        "person claim field": get_args(schema.PersonClaim.model_fields["field"].annotation),
        "source kind": get_args(schema.Source.model_fields["kind"].annotation),
        "basis": schema.BASES,
        "event place precision": schema.PLACE_PRECISIONS + ("region", "country"),
        "side role": schema.SIDE_ROLES,
        "side basis": ("stated", "derived"),
        "claim relation": schema.RELATIONS,
        "related field": ("date", "figure", "outcome", "place"),
    }


def allowed_values(table: str, column: str) -> tuple[str, tuple[str, ...], str] | None:
    """The vocabulary a column draws on, if any.

    Parameters
    ----------
    table : str
        Table name (``events``, ``casualties``, ...).
    column : str
        Column name.

    Returns
    -------
    tuple or None
        ``(vocabulary name, values, note)``, or ``None`` for a free or numeric column.

    Examples
    --------
    >>> allowed_values("casualties", "measure")[0]
    'measure'
    >>> allowed_values("events", "summary") is None
    True
    """
    key = (table, column) if (table, column) in _COLUMN_VOCAB else ("*", column)
    if key not in _COLUMN_VOCAB:
        return None
    name, note = _COLUMN_VOCAB[key]
    return name, vocabularies()[name], note


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook() -> str:
    """The codebook as a Markdown page.

    Returns
    -------
    str
        Markdown: an index, then per table its description, keys and a row per
        column (name, type, description, allowed values or reference), then every
        vocabulary in full and the two GeoJSON exports.

    Examples
    --------
    >>> page = codebook()
    >>> page.startswith("# Codebook") and "## events" in page
    True
    """
    from .datapackage import TABLE_SPECS

    out = [
        "# Codebook",
        "",
        "<!-- Generated by `kdwars codebook` from kdwars.datapackage (the data dictionary) and the",
        "     vocabularies in kdwars.schema and kdwars.parse. Do not edit by hand: a test compares",
        "     this page with a fresh generation. -->",
        "",
        "Every table in `data/processed/` (also shipped in the package and read by the `kdwars.load_*`",
        "functions), every column with its type, meaning and allowed values. Types follow the",
        "[Frictionless Table Schema](https://specs.frictionlessdata.io/table-schema/): `string`,",
        "`integer` (read as pandas `Int64`: missing stays missing, never 0), `number` (float).",
        "An empty cell is a missing value. The same description is in",
        "[`data/processed/datapackage.json`](../data/processed/datapackage.json).",
        "",
        "| table | what it holds | columns |",
        "|---|---|---|",
    ]
    for name, (desc, _, fields, _) in TABLE_SPECS.items():
        out.append(f"| [`{name}`](#{name}) | {_cell(desc)} | {len(fields)} |")
    out.append("")
    for name, (desc, pk, fields, fks) in TABLE_SPECS.items():
        out += [f"## {name}", "", f"`{name}.csv` — {desc}", ""]
        if pk:
            out.append(f"Primary key: {', '.join(f'`{k}`' for k in pk)}.")
        refs = {f: (ref, rf) for f, ref, rf in fks}
        if refs:
            out.append("References: " + "; ".join(f"`{f}` → `{ref}.{rf}`" for f, (ref, rf) in refs.items()) + ".")
        out += ["", "| column | type | description | allowed values |", "|---|---|---|---|"]
        for f, t, d in fields:
            allowed = ""
            av = allowed_values(name, f)
            if av is not None:
                vname, values, note = av
                allowed = ", ".join(f"`{v}`" for v in values) + f" ({vname}" + (f"; {note}" if note else "") + ")"
            elif (name, f) in _COLUMN_REFS:
                allowed = _COLUMN_REFS[(name, f)]
            elif f in refs:
                allowed = f"a value of `{refs[f][0]}.{refs[f][1]}`"
            out.append(f"| `{f}` | {t} | {_cell(d)} | {_cell(allowed)} |")
        out.append("")
    out += ["## Vocabularies", "", "| vocabulary | values |", "|---|---|"]
    for vname, values in vocabularies().items():
        out.append(f"| {vname} | {', '.join(f'`{v}`' for v in values)} |")
    out += [
        "",
        "## GeoJSON exports",
        "",
        "`events.geojson`: a GeoJSON FeatureCollection (RFC 7946, WGS84, `[lon, lat]`), one feature per",
        "row of `events` with a Point at its primary place (`null` geometry without coordinates) and the",
        "properties `event_id`, `name`, `event_type`, `parent_event_id`, `date_text`, `date_edtf`,",
        "`date_precision`, `date_basis`, `year_start`, `year_end`, `period`, `stage`, `place_id`,",
        "`place_precision`, `places` (every linked place), `attacker`, `defender`, `winner`, `disputed`",
        "(list), `sources` (list) and `source_sections` (list of `{source_id, section}`).",
        "",
        "`places.geojson`: the `places` table in the World Historical Gazetteer's Linked Places Format",
        "(`@context`, `@id`, `properties.title`/`ccodes`/`fclasses`, `names` with `citations`, `types`,",
        "`geometry` with `certainty`, `when`).",
        "",
    ]
    return "\n".join(out)


def write_codebook(path: Path) -> Path:
    """Write :func:`codebook` to ``path`` (parent directories are created).

    Parameters
    ----------
    path : pathlib.Path
        Target file, normally ``docs/codebook.md``.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(codebook(), encoding="utf-8")
    return path
