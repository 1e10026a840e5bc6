"""``kdwars build``: raw YAML records → validated, tidy CSV tables, as a staged pipeline.

Each stage is a small function that adds every problem it finds to one
:class:`Problems` list; the build stops before writing if any stage found one,
raising :class:`~kdwars.raw.RawDataError` that lists them all (file, line,
record, field, value, reason):

1. :func:`read_files` — every file under ``data/raw`` accounted for, each read
   with the strict YAML loader (:mod:`kdwars.raw`);
2. :func:`validate_records` — each record against its schema (:mod:`kdwars.schema`);
3. :func:`resolve_names` — unique ids, citations, alias tables, phase schemes;
4. :func:`derive_rows` — per event: claim ids, parsed dates and figures,
   resolved names, and its rows in every table;
5. :func:`check_whole` — rules across records (parent cycles and spans, inferred
   bounds, duplicates, phases, coordinates, scripts, text normal form);
6. :func:`assemble_tables` — the tables, claim relations and ``disputed``;
7. :func:`write_tables` — every table and ``datapackage.json`` switched in as one set.

:func:`build` and :func:`validate` run them; :func:`run_pipeline` runs stages 1–6.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from . import vocab as V
from .parse import parse_date, parse_figure
from .raw import (
    AliasTable,
    Problem,
    RawDataError,
    format_loc,
    line_of,
    read_yaml_records,
    strip_lines,
    value_at,
)

DATE_PRECISIONS = V.DATE_PRECISIONS

#: Output tables, in the order they are written and described.
TABLES = (
    "sources", "phases", "places", "people", "person_claims", "events", "event_dates",
    "event_outcomes", "event_places", "casualties", "commanders", "event_sides", "disagreements",
    "claim_relations", "coverage",
)
#: The raw files every build needs, besides ``events/*.yaml``.
REQUIRED_FILES = ("sources.yaml", "phases.yaml", "people.yaml", "places.yaml")
#: Claim lists of an event record, in the order they are counted.
CLAIM_KINDS = ("dates", "outcomes", "places", "figures", "participants", "sides")
COVERAGE_KINDS = CLAIM_KINDS + ("person_claims",)


@dataclass
class BuildReport:
    """What a build read and wrote."""

    claims_in: Counter = field(default_factory=Counter)
    claims_out: Counter = field(default_factory=Counter)
    records: Counter = field(default_factory=Counter)
    out_dir: Path | None = None

    def summary(self) -> str:
        """The report as a few lines of text.

        Returns
        -------
        str
            Records read, claims read and written, and where the tables went.
        """
        lines = [
            f"records: {dict(self.records)}",
            f"claims read: {sum(self.claims_in.values())} {dict(self.claims_in)}",
            f"claims written: {sum(self.claims_out.values())} {dict(self.claims_out)}",
        ]
        if self.out_dir is not None:
            lines.append(f"tables written to {self.out_dir}")
        return "\n".join(lines)


@dataclass
class _Rec:
    file: str
    raw: dict
    model: Any


class Problems:
    """The problems found so far, each located in its file and record."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, rec: _Rec | None, record_id: str | None, loc: tuple, value: Any, message: str,
            file: str | None = None) -> None:
        """Add one problem of record ``rec`` at field path ``loc``."""
        self.problems.append(Problem(
            file=file or (rec.file if rec else "?"), line=line_of(rec.raw, loc) if rec else None,
            record=record_id, field=format_loc(loc) if loc else None, value=value, message=message,
        ))

    def raise_if_any(self) -> None:
        """Raise :class:`RawDataError` listing every problem, if there is one."""
        if self.problems:
            raise RawDataError(self.problems)


def _rel(path: Path) -> str:
    """``path`` as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- 1. read files


@dataclass
class RawFiles:
    """Stage 1's output: each file's display name and its records (mappings with line numbers)."""

    sources: list[tuple[str, list[dict]]] = field(default_factory=list)
    phases: list[tuple[str, list[dict]]] = field(default_factory=list)
    people: list[tuple[str, list[dict]]] = field(default_factory=list)
    places: list[tuple[str, list[dict]]] = field(default_factory=list)
    events: list[tuple[str, list[dict]]] = field(default_factory=list)


def read_files(raw_dir: Path, col: Problems) -> RawFiles:
    """Stage 1: account for every file under ``raw_dir`` and read each with the strict loader.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw records directory.
    col : Problems
        Collects missing, stray or unreadable files.

    Returns
    -------
    RawFiles
        The records of every file that could be read.
    """
    from .raw import account_for_files

    raw_dir = Path(raw_dir)
    for needed in REQUIRED_FILES:
        if not (raw_dir / needed).is_file():
            col.problems.append(Problem(_rel(raw_dir / needed), None, None, None, None, "file is missing"))
    event_files = sorted((raw_dir / "events").glob("*.yaml")) if (raw_dir / "events").is_dir() else []
    if not event_files:
        col.problems.append(Problem(_rel(raw_dir / "events"), None, None, None, None,
                                    "no event files (events/*.yaml)"))
    col.problems.extend(account_for_files(raw_dir, _rel))
    col.raise_if_any()
    out = RawFiles()
    for kind in ("sources", "phases", "people", "places"):
        getattr(out, kind).append(_read_one(raw_dir / f"{kind}.yaml", col))
    out.events = [_read_one(f, col) for f in event_files]
    return out


def _read_one(path: Path, col: Problems) -> tuple[str, list[dict]]:
    name = _rel(path)
    try:
        return name, read_yaml_records(path, name)
    except RawDataError as exc:
        col.problems.extend(exc.problems)
        return name, []


# --------------------------------------------------------------------------- 2. validate records

#: Record kind -> (schema model, id field).
MODELS = {
    "sources": (schema.Source, "source_id"), "phases": (schema.Phase, "phase_id"),
    "people": (schema.Person, "person_id"), "places": (schema.Place, "place_id"),
    "events": (schema.Event, "event_id"),
}


@dataclass
class Records:
    """Stage 2's output: the records that passed their schema, per kind."""

    sources: list[_Rec] = field(default_factory=list)
    phases: list[_Rec] = field(default_factory=list)
    people: list[_Rec] = field(default_factory=list)
    places: list[_Rec] = field(default_factory=list)
    events: list[_Rec] = field(default_factory=list)


def validate_records(files: RawFiles, col: Problems) -> Records:
    """Stage 2: check each record against its schema model.

    Parameters
    ----------
    files : RawFiles
        Stage 1's output.
    col : Problems
        Collects every schema violation, located at the offending field.

    Returns
    -------
    Records
        The records that passed, with their models.
    """
    out = Records()
    for kind, (model, id_field) in MODELS.items():
        for name, records in getattr(files, kind):
            getattr(out, kind).extend(_validate_file(name, records, model, id_field, col))
    return out


_PYDANTIC_MESSAGES = {"extra_forbidden": "unknown field (misspelt?)", "missing": "required field is missing"}


def _validate_file(name: str, records: list[dict], model, id_field: str, col: Problems) -> list[_Rec]:
    from pydantic import ValidationError

    out = []
    for i, raw in enumerate(records):
        rid = raw.get(id_field) if isinstance(raw.get(id_field), str) else f"#{i + 1}"
        try:
            m = model.model_validate(strip_lines(raw))
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                msg = _PYDANTIC_MESSAGES.get(err["type"], err["msg"])
                if err["type"] == "literal_error":
                    msg = "not in the vocabulary: " + msg.replace("Input should be ", "expected ")
                col.problems.append(
                    Problem(name, line_of(raw, loc), rid, format_loc(loc), value_at(raw, loc), msg))
            continue
        out.append(_Rec(name, raw, m))
    return out


# --------------------------------------------------------------------------- 3. resolve names


@dataclass
class Context:
    """Stage 3's output: the records by id, the alias tables and the phase schemes."""

    records: Records
    col: Problems
    raw_dir: Path
    sources: dict[str, _Rec] = field(default_factory=dict)
    phases: dict[tuple, _Rec] = field(default_factory=dict)
    people: dict[str, _Rec] = field(default_factory=dict)
    places: dict[str, _Rec] = field(default_factory=dict)
    events: dict[str, _Rec] = field(default_factory=dict)
    person_names: AliasTable = field(default_factory=lambda: AliasTable("person"))
    place_names: AliasTable = field(default_factory=lambda: AliasTable("place"))
    schemes: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    report: BuildReport = field(default_factory=BuildReport)
    coverage: dict[tuple, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def cite_ok(self, rec: _Rec, rid: str, loc: tuple, claim) -> bool:
        """Whether ``claim`` cites a known source and one of its sections (else a problem)."""
        src = self.sources.get(claim.source)
        if src is None:
            self.col.add(rec, rid, loc + ("source",), claim.source,
                         f"unknown source (known: {', '.join(sorted(self.sources))})")
            return False
        if claim.section not in src.model.sections:
            self.col.add(rec, rid, loc + ("section",), claim.section,
                         f"no such section in source {claim.source!r} (sections: {'; '.join(src.model.sections)})")
            return False
        return True

    def count(self, source: str, section: str, kind: str) -> None:
        """Count one claim of ``kind`` citing ``source``/``section`` (the coverage table)."""
        self.coverage[(source, section)][kind] += 1


def resolve_names(records: Records, col: Problems, raw_dir: Path) -> Context:
    """Stage 3: unique ids, citations of phases and people, alias tables and phase schemes.

    Parameters
    ----------
    records : Records
        Stage 2's output.
    col : Problems
        Collects duplicate ids, unknown citations and clashing aliases.
    raw_dir : pathlib.Path
        The raw directory (to locate whole-file problems).

    Returns
    -------
    Context
        Records by id, alias tables and phases by scheme, for the later stages.
    """
    ctx = Context(records, col, Path(raw_dir))
    ctx.sources = _unique(records.sources, "source_id", "source", col)
    ctx.phases = _unique(records.phases, "phase_id", "phase", col)
    ctx.people = _unique(records.people, "person_id", "person", col)
    ctx.places = _unique(records.places, "place_id", "place", col)
    ctx.events = _unique(records.events, "event_id", "event", col)
    for r in records.phases:
        ctx.cite_ok(r, r.model.phase_id, (), r.model)
    _person_aliases(ctx)
    _place_aliases(ctx)
    for r in records.phases:
        ctx.schemes[r.model.scheme].append(r.model)
    for scheme in V.SCHEMES:
        if not ctx.schemes.get(scheme):
            col.problems.append(Problem(_rel(ctx.raw_dir / "phases.yaml"), None, None, "scheme", scheme,
                                        "scheme has no phases"))
    return ctx


def _unique(recs: list[_Rec], attr: str, what: str, col: Problems) -> dict:
    seen: dict = {}
    for r in recs:
        key = getattr(r.model, attr)
        if what == "phase":
            key = (r.model.scheme, key)
        if key in seen:
            other = seen[key]
            col.add(r, str(key), (attr,), str(key),
                    f"duplicate {what} id (first defined in {other.file}:{other.raw.get('__line__')})")
        else:
            seen[key] = r
    return seen


def _person_aliases(ctx: Context) -> None:
    for r in ctx.records.people:
        pid = r.model.person_id
        for j, name in enumerate([r.model.name] + list(r.model.aliases)):
            clash = ctx.person_names.add(pid, name)
            if clash:
                loc = ("name",) if j == 0 else ("aliases", j - 1)
                ctx.col.add(r, pid, loc, name, f"spelling already belongs to person {clash!r}")
        for j, other in enumerate(r.model.identity_uncertain_with):
            if other not in ctx.people:
                ctx.col.add(r, pid, ("identity_uncertain_with", j), other, "unknown person id")
        for j, c in enumerate(r.model.claims):
            ctx.cite_ok(r, pid, ("claims", j), c)


def _place_aliases(ctx: Context) -> None:
    for r in ctx.records.places:
        for j, name in enumerate([r.model.name] + list(r.model.aliases)):
            clash = ctx.place_names.add(r.model.place_id, name)
            if clash:
                loc = ("name",) if j == 0 else ("aliases", j - 1)
                ctx.col.add(r, r.model.place_id, loc, name, f"spelling already belongs to place {clash!r}")


def assign_phase(ctx: Context, scheme: str, year: int, explicit: str | None, rec: _Rec, rid: str,
                 where: tuple = ("dates",)) -> str | None:
    """The phase of ``scheme`` holding ``year`` (or the ``explicit`` one, checked), else a problem at ``where``."""
    phases = ctx.schemes.get(scheme, [])
    if explicit:
        match = [p for p in phases if p.phase_id == explicit]
        if not match:
            ctx.col.add(rec, rid, (scheme,), explicit, f"unknown {scheme} phase")
            return None
        p = match[0]
        if not p.start_year <= year <= p.end_year:
            ctx.col.add(rec, rid, (scheme,), explicit,
                        f"year {year} is outside its phase {p.phase_id} ({p.start_year}–{p.end_year})")
            return None
        return p.phase_id
    cands = [p for p in phases if p.start_year <= year <= p.end_year]
    if not cands:
        ctx.col.add(rec, rid, where, year, f"year {year} lies in no {scheme} phase")
        return None
    if len(cands) > 1:
        ids = " and ".join(p.phase_id for p in sorted(cands, key=lambda p: p.start_year))
        ctx.col.add(rec, rid, where, year,
                    f"year {year} is the boundary of {scheme} phases {ids}: name the phase ({scheme}: ...)")
        return None
    return cands[0].phase_id


# --------------------------------------------------------------------------- 4. derive rows


def _claim_id(*parts: Any) -> str:
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()
    return digest[:8]


#: The letter that opens a claim id, per claim list of an event record.
CLAIM_PREFIX = {"dates": "d", "outcomes": "o", "places": "p", "figures": "f", "participants": "c", "sides": "s"}


def suggest_claim_id(kind: str, event_id: str, claim: Any) -> str:
    """A fresh id for a claim that has none (its content's hash; written once, then kept).

    Parameters
    ----------
    kind : str
        The claim list (``dates``, ``outcomes``, ``places``, ``figures``, ``participants``, ``sides``).
    event_id : str
        The event the claim belongs to.
    claim : object
        The claim (its ``repr`` is hashed).

    Returns
    -------
    str
        The list's letter followed by eight hex digits.
    """
    return CLAIM_PREFIX[kind] + _claim_id(event_id, kind, repr(claim))


@dataclass
class Rows:
    """Stage 4's output: the rows of every event table."""

    events: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    sides: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)


@dataclass
class _Parsed:
    """One event's claims, checked: parsed dates and figures, resolved places and people."""

    ok: bool = True
    ids: set = field(default_factory=set)
    place_id: str | None = None
    dates: list = field(default_factory=list)
    places: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    participants: list = field(default_factory=list)


def derive_rows(ctx: Context) -> Rows:
    """Stage 4: check each event's claims and derive its rows in every event table.

    Parameters
    ----------
    ctx : Context
        Stage 3's output; its problems list collects every bad claim.

    Returns
    -------
    Rows
        The rows of the events that passed (an event with a problem adds none).
    """
    rows = Rows()
    for r in ctx.records.events:
        e = r.model
        for kind in CLAIM_KINDS:
            ctx.report.claims_in[kind] += len(getattr(e, kind))
        p = _check_event(ctx, r)
        if p.ok:
            _event_rows(ctx, r, p, rows)
    return rows


def _check_event(ctx: Context, r: _Rec) -> _Parsed:
    e, rid, col = r.model, r.model.event_id, ctx.col
    p = _Parsed()
    p.ok = _claim_ids(ctx, r, p)
    if e.parent is not None and e.parent not in ctx.events:
        col.add(r, rid, ("parent",), e.parent, "unknown parent event")
        p.ok = False
    elif e.parent == rid:
        col.add(r, rid, ("parent",), e.parent, "an event cannot be its own parent")
        p.ok = False
    try:
        p.place_id = ctx.place_names.resolve(e.place)
    except KeyError as exc:
        col.add(r, rid, ("place",), e.place, str(exc.args[0]))
        p.ok = False
    _check_dates(ctx, r, p)
    _check_outcomes(ctx, r, p)
    _check_places(ctx, r, p)
    _check_figures(ctx, r, p)
    _check_participants(ctx, r, p)
    for j, sc in enumerate(e.sides):
        p.ok &= ctx.cite_ok(r, rid, ("sides", j), sc)
    _check_disagreements(ctx, r, p)
    p.ok &= _check_date_basis(col, r, rid, ctx.cite_ok)
    _check_place_basis(ctx, r, p)
    return p


def _claim_ids(ctx: Context, r: _Rec, p: _Parsed) -> bool:
    """Every claim carries a stable id, with its list's letter, unique in the event."""
    rid, seen, ok = r.model.event_id, {}, True
    for kind, prefix in CLAIM_PREFIX.items():
        for j, c in enumerate(getattr(r.model, kind)):
            if c.id is None:
                ctx.col.add(r, rid, (kind, j, "id"), None,
                            f"claim has no id; give it a new one that is never reused, e.g. "
                            f"id: {suggest_claim_id(kind, rid, c)}")
                ok = False
            elif not c.id.startswith(prefix):
                ctx.col.add(r, rid, (kind, j, "id"), c.id, f"a claim id in {kind} starts with {prefix!r}")
                ok = False
            elif c.id in seen:
                ctx.col.add(r, rid, (kind, j, "id"), c.id, f"claim id already used in this event ({seen[c.id]})")
                ok = False
            else:
                seen[c.id] = f"{kind}[{j}]"
    p.ids = set(seen)
    return ok


def _check_dates(ctx: Context, r: _Rec, p: _Parsed) -> None:
    rid = r.model.event_id
    for j, d in enumerate(r.model.dates):
        if not ctx.cite_ok(r, rid, ("dates", j), d):
            p.ok = False
            continue
        try:
            if d.context_year is not None:
                dv = parse_date(f"{d.as_written} {d.context_year}")
                dv = replace(dv, qualifier=" ".join(filter(None, [dv.qualifier, "year from context"])))
            else:
                dv = parse_date(d.as_written)
        except ValueError as exc:
            ctx.col.add(r, rid, ("dates", j, "as_written"), d.as_written, str(exc))
            p.ok = False
            continue
        p.dates.append((d, dv))


def _check_outcomes(ctx: Context, r: _Rec, p: _Parsed) -> None:
    e = r.model
    for j, o in enumerate(e.outcomes):
        p.ok &= ctx.cite_ok(r, e.event_id, ("outcomes", j), o)
        if o.winner is not None and e.type not in V.CONTEST_TYPES:
            ctx.col.add(r, e.event_id, ("outcomes", j, "winner"), o.winner,
                        f"a {e.type} is not a contest: only {', '.join(V.CONTEST_TYPES)} have a winner; "
                        "keep the outcome as an as_written phrase")
            p.ok = False


def _resolve_claims(ctx: Context, r: _Rec, p: _Parsed, kind: str, field: str, names) -> list:
    """Check each claim of ``kind`` cites a known section and names a known spelling."""
    rid, out = r.model.event_id, []
    for j, claim in enumerate(getattr(r.model, kind)):
        p.ok &= ctx.cite_ok(r, rid, (kind, j), claim)
        try:
            out.append((claim, names.resolve(getattr(claim, field))))
        except KeyError as exc:
            ctx.col.add(r, rid, (kind, j, field), getattr(claim, field), str(exc.args[0]))
            p.ok = False
    return out


def _check_places(ctx: Context, r: _Rec, p: _Parsed) -> None:
    p.places.extend(_resolve_claims(ctx, r, p, "places", "place", ctx.place_names))


def _check_figures(ctx: Context, r: _Rec, p: _Parsed) -> None:
    rid = r.model.event_id
    for j, fc in enumerate(r.model.figures):
        p.ok &= ctx.cite_ok(r, rid, ("figures", j), fc)
        try:
            fv = parse_figure(fc.as_written)
        except ValueError as exc:
            ctx.col.add(r, rid, ("figures", j, "as_written"), fc.as_written, str(exc))
            p.ok = False
            continue
        if fc.unit is None and (fv.low is not None or fv.high is not None):
            ctx.col.add(r, rid, ("figures", j, "unit"), None, "a numeric figure needs a unit")
            p.ok = False
        elif fc.unit == "percent" and fv.high is not None and fv.high > 100:
            ctx.col.add(r, rid, ("figures", j, "as_written"), fc.as_written, "a percentage above 100")
            p.ok = False
        p.figures.append((fc, fv))


def _check_participants(ctx: Context, r: _Rec, p: _Parsed) -> None:
    p.participants.extend(_resolve_claims(ctx, r, p, "participants", "person", ctx.person_names))


def _check_disagreements(ctx: Context, r: _Rec, p: _Parsed) -> None:
    rid = r.model.event_id
    for j, dg in enumerate(r.model.disagreements):
        for k, cid in enumerate(dg.claims):
            if cid not in p.ids:
                ctx.col.add(r, rid, ("disagreements", j, "claims", k), cid, "no claim with this id in this event")
                p.ok = False
        if len(set(dg.claims)) < 2:
            ctx.col.add(r, rid, ("disagreements", j, "claims"), V.LIST_SEPARATOR.join(dg.claims),
                        "a disagreement needs two different claims")
            p.ok = False


def _check_place_basis(ctx: Context, r: _Rec, p: _Parsed) -> None:
    e, rid = r.model, r.model.event_id
    if e.place_basis == "stated":
        if p.place_id is not None and p.place_id not in {pid for _, pid in p.places}:
            ctx.col.add(r, rid, ("place",), e.place,
                        "the primary place is not among the event's own place claims: add the place claim "
                        "with its source and section, or set place_basis: inferred with a place_note")
            p.ok = False
    elif not e.place_note:
        ctx.col.add(r, rid, ("place_note",), None, "an inferred place needs a place_note saying why it is placed there")
        p.ok = False


def _event_rows(ctx: Context, r: _Rec, p: _Parsed, rows: Rows) -> None:
    e, rid = r.model, r.model.event_id
    rows.events.append(_event_row(ctx, r, p))
    for d, dv in p.dates:
        rows.dates.append({
            "claim_id": f"{rid}:{d.id}", "event_id": rid, "as_written": d.as_written,
            "year_start": dv.year_start, "year_end": dv.year_end, "month": dv.month, "day": dv.day,
            "season": dv.season, "qualifier": dv.qualifier, "date_precision": dv.precision,
            "source_id": d.source, "section": d.section, "attributed_to": d.attributed_to,
            "witness": d.witness or "article", "note": d.note,
        })
        ctx.count(d.source, d.section, "dates")
    for o in e.outcomes:
        rows.outcomes.append({
            "claim_id": f"{rid}:{o.id}", "event_id": rid, "winner": o.winner, "as_written": o.as_written,
            "source_id": o.source, "section": o.section, "attributed_to": o.attributed_to,
            "witness": o.witness or "article", "note": o.note,
        })
        ctx.count(o.source, o.section, "outcomes")
    rows.places.extend(_place_rows(ctx, e, p))
    for fc, fv in p.figures:
        rows.figures.append({
            "claim_id": f"{rid}:{fc.id}", "event_id": rid, "side": fc.side, "measure": fc.measure,
            "kind": fc.kind, "low": fv.low, "high": fv.high, "unit": fc.unit,
            "qualitative": fv.qualitative, "precision": fv.precision, "as_written": fc.as_written,
            "source_id": fc.source, "section": fc.section, "attributed_to": fc.attributed_to,
            "witness": fc.witness or "article", "note": fc.note,
        })
        ctx.count(fc.source, fc.section, "figures")
    for pa, pid in p.participants:
        rows.participants.append({
            "claim_id": f"{rid}:{pa.id}", "event_id": rid, "person_id": pid, "side": pa.side, "role": pa.role,
            "fate": pa.fate, "as_written": pa.person, "source_id": pa.source, "section": pa.section,
            "attributed_to": pa.attributed_to, "witness": pa.witness or "article", "note": pa.note,
        })
        ctx.count(pa.source, pa.section, "participants")
    rows.sides.extend(_side_rows(e))
    for sc in e.sides:
        ctx.count(sc.source, sc.section, "sides")
    for dg in e.disagreements:
        rows.disagreements.append({
            "event_id": rid, "aspect": dg.aspect, "claims": V.LIST_SEPARATOR.join(f"{rid}:{c}" for c in dg.claims),
            "note": " ".join(dg.note.split())})


def _event_row(ctx: Context, r: _Rec, p: _Parsed) -> dict:
    e, rid = r.model, r.model.event_id
    y0, y1, date_text, precision, lead_year, date_note = _event_dating(e, p.dates)
    # Phases follow the record's leading (first) date claim, so that a broad or
    # competing later claim ("from the 17th century") does not move the event.
    where = ("date_inferred", "start") if e.date_basis == "inferred" else ("dates", 0, "as_written")
    period = assign_phase(ctx, "period", lead_year, e.period, r, rid, where)
    stage = assign_phase(ctx, "stage", lead_year, e.stage, r, rid, where)
    winners = {o.winner for o in e.outcomes if o.winner is not None}
    if winners:
        winner = winners.pop() if len(winners) == 1 else "disputed"
    else:
        winner = "unknown" if e.type in V.MILITARY_TYPES else None
    place = ctx.places[p.place_id].model if p.place_id in ctx.places else None
    claims = [c for kind in CLAIM_KINDS for c in getattr(e, kind)]
    return {
        "event_id": rid, "name": e.name, "event_type": e.type, "parent_event_id": e.parent,
        "year_start": y0, "year_end": y1, "date_text": date_text,
        "date_precision": precision, "date_basis": e.date_basis, "date_note": date_note,
        "period": period, "stage": stage,
        "place_id": p.place_id, "region": place.region if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "place_precision": _place_precision(place), "place_basis": e.place_basis,
        "place_note": " ".join(e.place_note.split()) if e.place_note else None,
        "attacker": e.attacker, "defender": e.defender, "winner": winner,
        # stated disagreements; conflicting claims are added once the tables are assembled
        "disputed": V.LIST_SEPARATOR.join(sorted({dg.aspect for dg in e.disagreements})) or None,
        "n_claims": len(claims),
        "summary": " ".join(e.summary.split()),
        "sources": V.LIST_SEPARATOR.join(sorted({c.source for c in claims})),
    }


def _place_rows(ctx: Context, e: schema.Event, p: _Parsed) -> list[dict]:
    rid = e.event_id
    basis = next((pc for pc, pid in p.places if pid == p.place_id), None) if e.place_basis == "stated" else None
    out = [{
        "claim_id": None, "event_id": rid, "place_id": p.place_id, "role": "primary", "as_written": e.place,
        "source_id": basis.source if basis else None, "section": basis.section if basis else None,
        "attributed_to": basis.attributed_to if basis else None,
        "note": None if basis else "inferred: " + " ".join((e.place_note or "").split()),
    }]
    for pc, pid in p.places:
        out.append({
            "claim_id": f"{rid}:{pc.id}", "event_id": rid, "place_id": pid, "role": pc.role,
            "as_written": pc.as_written or pc.place, "holder": pc.holder,
            "juz": V.LIST_SEPARATOR.join(pc.juz) or None, "source_id": pc.source, "section": pc.section,
            "attributed_to": pc.attributed_to, "note": pc.note,
        })
        ctx.count(pc.source, pc.section, "places")
    return out


# --------------------------------------------------------------------------- 5. check the whole


def check_whole(ctx: Context, rows: Rows) -> None:
    """Stage 5: rules across records; raises if this or any earlier stage found a problem.

    Parameters
    ----------
    ctx : Context
        Stage 3's output.
    rows : Rows
        Stage 4's output.

    Raises
    ------
    RawDataError
        Listing every problem found by stages 1–5.
    """
    by_id = {row["event_id"]: row for row in rows.events}
    _check_parent_cycles(ctx)
    _check_inferred_bounds(ctx.col, ctx.records.events, by_id)
    _check_parent_spans(ctx, rows)
    _check_duplicate_claims(ctx)
    _check_source_sections(ctx)
    _check_phase_overlaps(ctx)
    _check_coordinates(ctx)
    _check_names(ctx)
    _check_person_claims(ctx)
    ctx.col.raise_if_any()


def _check_parent_spans(ctx: Context, rows: Rows) -> None:
    """A child event's leading year lies within its parent's years, give or take the tolerance.

    The leading year is the start of the child's first date claim (the year that
    places it in a phase; for an inferred date, its lower bound). Competing later
    claims about the child do not count: they are disputes, not the child's place.
    The tolerance is :data:`vocab.PARENT_SPAN_TOLERANCE_YEARS`.
    """
    tol = V.PARENT_SPAN_TOLERANCE_YEARS
    events = {row["event_id"]: row for row in rows.events}
    lead: dict[str, int] = {}
    for d in rows.dates:
        lead.setdefault(d["event_id"], d["year_start"])
    for r in ctx.records.events:
        child, parent = events.get(r.model.event_id), events.get(r.model.parent or "")
        if child is None or parent is None:
            continue
        year = lead.get(child["event_id"], child["year_start"])
        if not parent["year_start"] - tol <= year <= parent["year_end"] + tol:
            ctx.col.add(r, r.model.event_id, ("parent",), r.model.parent,
                        f"the event's leading year {year} lies outside its parent's years "
                        f"({parent['year_start']}–{parent['year_end']}) by more than {tol} years")


def _check_duplicate_claims(ctx: Context) -> None:
    """The same claim (every field but its id equal) twice in one event."""
    for r in ctx.records.events:
        for kind in CLAIM_KINDS:
            seen: dict[str, int] = {}
            for j, c in enumerate(getattr(r.model, kind)):
                key = repr(sorted(c.model_dump(exclude={"id"}).items()))
                if key in seen:
                    ctx.col.add(r, r.model.event_id, (kind, j), c.id,
                                f"the same claim as {kind}[{seen[key]}] under another id: remove one")
                else:
                    seen[key] = j


def _check_source_sections(ctx: Context) -> None:
    for r in ctx.records.sources:
        seen: set[str] = set()
        for j, sec in enumerate(r.model.sections):
            if sec in seen:
                ctx.col.add(r, r.model.source_id, ("sections", j), sec, "section listed twice")
            seen.add(sec)


def _check_phase_overlaps(ctx: Context) -> None:
    """Phases of one scheme overlap by at most a shared boundary year (as the older overview's stages do).

    An event dated to a shared year must name its phase (see :func:`assign_phase`),
    so no event moves silently with the order of the phases.
    """
    by_scheme: dict[str, list[_Rec]] = defaultdict(list)
    for r in ctx.records.phases:
        by_scheme[r.model.scheme].append(r)
    for recs in by_scheme.values():
        recs = sorted(recs, key=lambda r: (r.model.start_year, r.model.end_year))
        for a, b in zip(recs, recs[1:]):
            shared = a.model.end_year - b.model.start_year + 1
            if shared > 1 or (shared == 1 and b.model.end_year <= a.model.end_year):
                ctx.col.add(b, b.model.phase_id, ("start_year",), b.model.start_year,
                            f"overlaps phase {a.model.phase_id!r} ({a.model.start_year}–{a.model.end_year}) "
                            f"of the same scheme by {shared} years (at most one shared boundary year)")


def _check_coordinates(ctx: Context) -> None:
    """A place's point lies in its region's box (:data:`vocab.REGION_BOUNDS`, widened by the tolerance)."""
    tol = V.REGION_TOLERANCE_DEG
    for r in ctx.records.places:
        m = r.model
        lon0, lat0, lon1, lat1 = V.REGION_BOUNDS[m.region]
        if not (lon0 - tol <= m.lon <= lon1 + tol and lat0 - tol <= m.lat <= lat1 + tol):
            ctx.col.add(r, m.place_id, ("lat",), f"{m.lat}, {m.lon}",
                        f"outside region {m.region!r} (lon {lon0}–{lon1}, lat {lat0}–{lat1}, ±{tol}°)")


def _check_names(ctx: Context) -> None:
    """Names and aliases: one script each (no look-alike letters), no list separator."""
    for recs, id_attr in ((ctx.records.people, "person_id"), (ctx.records.places, "place_id")):
        for r in recs:
            rid = getattr(r.model, id_attr)
            for loc, name in [(("name",), r.model.name)] + [(("aliases", j), a) for j, a in enumerate(r.model.aliases)]:
                scripts = _scripts(name)
                if len(scripts) > 1:
                    ctx.col.add(r, rid, loc, name, f"mixes scripts ({', '.join(sorted(scripts))}): "
                                "a look-alike letter from another alphabet?")
            others = getattr(r.model, "identity_uncertain_with", [])
            for j, v in list(enumerate(r.model.aliases)) + list(enumerate(others)):
                if V.LIST_SEPARATOR in v:
                    field_ = "aliases" if v in r.model.aliases else "identity_uncertain_with"
                    ctx.col.add(r, rid, (field_, j), v,
                                f"holds the list separator {V.LIST_SEPARATOR!r} of the CSV tables: split it")


def _scripts(text: str) -> set[str]:
    import unicodedata

    out = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if not name.startswith(("MODIFIER", "COMBINING")):  # script-neutral: Uzbek oʻ, ...
                out.add(name.split(" ")[0] if name else "UNKNOWN")
    return out


def _check_person_claims(ctx: Context) -> None:
    """A person's ``fate`` claim is in the fate vocabulary; joined values hold no list separator."""
    for r in ctx.records.people:
        for j, c in enumerate(r.model.claims):
            if c.field == "fate" and c.value not in V.FATES:
                ctx.col.add(r, r.model.person_id, ("claims", j, "value"), c.value,
                            f"not in the vocabulary: expected {' or '.join(V.FATES)}")
            elif c.field in ("juz", "fate") and V.LIST_SEPARATOR in c.value:
                ctx.col.add(r, r.model.person_id, ("claims", j, "value"), c.value,
                            f"holds the list separator {V.LIST_SEPARATOR!r}: one value per claim")


def _check_parent_cycles(ctx: Context) -> None:
    parents = {r.model.event_id: r.model.parent for r in ctx.records.events}
    for r in ctx.records.events:
        seen, cur = set(), r.model.event_id
        while cur is not None and cur in parents:
            if cur in seen:
                ctx.col.add(r, r.model.event_id, ("parent",), r.model.parent, "parent chain forms a cycle")
                break
            seen.add(cur)
            cur = parents.get(cur)


# --------------------------------------------------------------------------- 6. assemble tables


def assemble_tables(ctx: Context, rows: Rows) -> dict[str, pd.DataFrame]:
    """Stage 6: every table as a DataFrame, with claim relations and ``disputed`` added.

    Parameters
    ----------
    ctx : Context
        Stage 3's output (its report is completed here).
    rows : Rows
        Stage 4's output.

    Returns
    -------
    dict of str to pandas.DataFrame
        One DataFrame per name in :data:`TABLES`.

    Raises
    ------
    RuntimeError
        If a claim read was not written (a bug, never bad input).
    """
    pclaims = person_claim_rows(ctx)
    tables = {
        "sources": pd.DataFrame(source_rows(ctx.records.sources)),
        "phases": pd.DataFrame(phase_rows(ctx.records.phases)).sort_values(["scheme", "start_year"], kind="stable"),
        "places": pd.DataFrame(place_rows(ctx.records.places)).sort_values("place_id"),
        "people": pd.DataFrame(people_rows(ctx, rows)).sort_values("person_id"),
        "person_claims": pd.DataFrame(pclaims, columns=[
            "person_id", "field", "value", "as_written", "source_id", "section", "attributed_to", "note"]),
        "events": pd.DataFrame(rows.events).sort_values(["year_start", "year_end", "event_id"]),
        "event_dates": pd.DataFrame(rows.dates),
        "event_outcomes": pd.DataFrame(rows.outcomes),
        "event_places": pd.DataFrame(rows.places),
        "casualties": pd.DataFrame(rows.figures),
        "commanders": pd.DataFrame(rows.participants),
        "event_sides": pd.DataFrame(rows.sides, columns=[
            "claim_id", "event_id", "side", "camp", "role", "basis", "source_id", "section", "attributed_to", "note"]),
        "disagreements": pd.DataFrame(rows.disagreements, columns=["event_id", "aspect", "claims", "note"]),
        "coverage": pd.DataFrame(coverage_rows(ctx)),
    }
    _add_conflicts(tables)
    _complete_report(ctx, rows, len(pclaims))
    return tables


def _complete_report(ctx: Context, rows: Rows, n_person_claims: int) -> None:
    report, recs = ctx.report, ctx.records
    report.claims_in["person_claims"] = n_person_claims
    report.claims_out.update({
        "dates": len(rows.dates), "outcomes": len(rows.outcomes),
        "places": sum(1 for row in rows.places if row["role"] != "primary"),
        "figures": len(rows.figures), "participants": len(rows.participants),
        "sides": sum(1 for row in rows.sides if row["basis"] == "stated"),
        "person_claims": n_person_claims,
    })
    report.records.update({"sources": len(recs.sources), "phases": len(recs.phases), "people": len(recs.people),
                           "places": len(recs.places), "events": len(rows.events)})
    if report.claims_in != report.claims_out:
        raise RuntimeError(f"claims were lost in the build: read {dict(report.claims_in)}, "
                           f"wrote {dict(report.claims_out)}")


def person_claim_rows(ctx: Context) -> list[dict]:
    """Rows of ``person_claims.csv`` (counted in the coverage)."""
    out = []
    for r in ctx.records.people:
        for c in r.model.claims:
            out.append({
                "person_id": r.model.person_id, "field": c.field, "value": c.value,
                "as_written": c.as_written, "source_id": c.source, "section": c.section,
                "attributed_to": c.attributed_to, "note": c.note,
            })
            ctx.count(c.source, c.section, "person_claims")
    return out


def people_rows(ctx: Context, rows: Rows) -> list[dict]:
    """Rows of ``people.csv``: aliases, jüz and fates joined with :data:`vocab.LIST_SEPARATOR`."""
    fates: dict[str, set] = defaultdict(set)
    n_events: Counter = Counter(row["person_id"] for row in rows.participants)
    for row in rows.participants:
        if row["fate"]:
            fates[row["person_id"]].add(row["fate"])
    for r in ctx.records.people:
        fates[r.model.person_id].update(c.value for c in r.model.claims if c.field == "fate")
    sep = V.LIST_SEPARATOR
    return [{
        "person_id": m.person_id, "name": m.name, "aliases": sep.join(m.aliases), "side": m.side,
        "title": m.title, "juz": sep.join(sorted({c.value for c in m.claims if c.field == "juz"})) or None,
        "died": m.died, "fate": sep.join(sorted(fates.get(m.person_id, ()))) or None,
        "identity_uncertain_with": sep.join(m.identity_uncertain_with) or None,
        "n_events": n_events.get(m.person_id, 0), "note": m.note,
    } for m in (r.model for r in ctx.records.people)]


def place_rows(places: list[_Rec]) -> list[dict]:
    """Rows of ``places.csv``."""
    return [{
        "place_id": m.place_id, "name": m.name, "aliases": V.LIST_SEPARATOR.join(m.aliases),
        "kind": m.kind, "lat": round(m.lat, 4), "lon": round(m.lon, 4), "precision": m.precision,
        "region": m.region, "modern_country": m.modern_country, "note": m.note,
    } for m in (r.model for r in places)]


def phase_rows(phases: list[_Rec]) -> list[dict]:
    """Rows of ``phases.csv``."""
    return [{
        "scheme": m.scheme, "phase_id": m.phase_id, "label": m.label, "start_year": m.start_year,
        "end_year": m.end_year, "source_id": m.source, "section": m.section,
    } for m in (r.model for r in phases)]


def source_rows(sources: list[_Rec]) -> list[dict]:
    """Rows of ``sources.csv``: one per source article."""
    return [{
        "source_id": m.source_id, "file": m.file, "title": m.title, "version": m.version, "kind": m.kind,
        "note": m.note, "n_sections": len(m.sections), "url": m.url, "mirror_url": m.mirror_url,
        "sha256": m.sha256, "licence": m.licence, "attribution": m.attribution,
        "provenance_note": m.provenance_note,
    } for m in (r.model for r in sources)]


def coverage_rows(ctx: Context) -> list[dict]:
    """Rows of ``coverage.csv``: claims per section of every source, in article order."""
    out = []
    for r in ctx.records.sources:
        for sec in r.model.sections:
            kinds = ctx.coverage.get((r.model.source_id, sec), Counter())
            row = {"source_id": r.model.source_id, "section": sec, "n_claims": sum(kinds.values())}
            row.update({f"n_{k}": kinds.get(k, 0) for k in COVERAGE_KINDS})
            out.append(row)
    return out


# --------------------------------------------------------------------------- helpers

def _event_dating(e: schema.Event, parsed_dates: list) -> tuple:
    """(year_start, year_end, date_text, precision, leading year, date_note) of one event."""
    if e.date_basis == "inferred":
        inf = e.date_inferred
        y0, y1 = inf.start, inf.end
        span = f"{y0}" if y0 == y1 else f"{y0}–{y1}"
        bounds = "; ".join(filter(None, [
            f"after {', '.join(inf.after)}" if inf.after else None,
            f"before {', '.join(inf.before)}" if inf.before else None,
        ]))
        note = " ".join(inf.note.split()) + (f" [{bounds}; {inf.source}, {inf.section}]" if bounds
                                             else f" [{inf.source}, {inf.section}]")
        precision = "year" if y0 == y1 else ("decade" if y1 - y0 >= 10 else "years")
        return y0, y1, f"{span} (inferred)", precision, y0, note
    y0 = min(dv.year_start for _, dv in parsed_dates)
    y1 = max(dv.year_end for _, dv in parsed_dates)
    first_d, first_dv = parsed_dates[0]
    envelopes = {(dv.year_start, dv.year_end) for _, dv in parsed_dates}
    precision = first_dv.precision if len(envelopes) == 1 else "years"
    if precision == "years" and y0 == y1:
        precision = "year"
    return y0, y1, first_d.as_written, precision, first_dv.year_start, None


def _check_date_basis(col: Problems, r: _Rec, rid: str, check_cite) -> bool:
    """A stated event has date claims and no bounds; an inferred one has bounds and no claims."""
    e = r.model
    if e.date_basis == "stated":
        if not e.dates:
            col.add(r, rid, ("dates",), None,
                    "no date claim: give the event's own date claims, or set date_basis: inferred with "
                    "date_inferred bounds (start, end, after/before, source, section, note)")
            return False
        if e.date_inferred is not None:
            col.add(r, rid, ("date_inferred",), None, "date_inferred is only for date_basis: inferred")
            return False
        return True
    if e.date_inferred is None:
        col.add(r, rid, ("date_inferred",), None, "an inferred date needs date_inferred bounds")
        return False
    if e.dates:
        col.add(r, rid, ("dates",), len(e.dates),
                "an inferred date has no date claims of its own (a sentence dating the event makes it stated)")
        return False
    return check_cite(r, rid, ("date_inferred",), e.date_inferred)


def _check_inferred_bounds(col: Problems, events: list[_Rec], rows: dict[str, dict]) -> None:
    """Inferred bounds agree with the events named as coming before and after."""
    for r in events:
        inf = r.model.date_inferred
        if inf is None or r.model.date_basis != "inferred":
            continue
        rid = r.model.event_id
        for key in ("after", "before"):
            for k, other in enumerate(getattr(inf, key)):
                row = rows.get(other)
                if row is None:
                    col.add(r, rid, ("date_inferred", key, k), other, "unknown event")
                elif key == "after" and inf.start < row["year_start"]:
                    col.add(r, rid, ("date_inferred", "start"), inf.start,
                            f"starts before {other} ({row['year_start']}), which it comes after")
                elif key == "before" and inf.end > row["year_end"]:
                    col.add(r, rid, ("date_inferred", "end"), inf.end,
                            f"ends after {other} ({row['year_end']}), which it comes before")


def _place_precision(place: schema.Place | None) -> str | None:
    if place is None:
        return None
    if place.kind in ("region", "country"):
        return place.kind
    return place.precision


def _side_rows(e: schema.Event) -> list[dict]:
    """Stated side claims, plus the attacker and defender as principals where no claim names them."""
    rows = [{"claim_id": f"{e.event_id}:{sc.id}", "event_id": e.event_id, "side": sc.side, "camp": sc.camp,
             "role": sc.role, "basis": "stated", "source_id": sc.source, "section": sc.section,
             "attributed_to": sc.attributed_to, "note": sc.note} for sc in e.sides]
    stated = {sc.side for sc in e.sides}
    for side in (e.attacker, e.defender):
        if side is not None and side not in stated and side not in ("both", "none"):
            stated.add(side)
            rows.append({"claim_id": None, "event_id": e.event_id, "side": side, "camp": side,
                         "role": "principal", "basis": "derived", "source_id": None, "section": None,
                         "attributed_to": None, "note": None})
    return rows


def _add_conflicts(tables: dict[str, pd.DataFrame]) -> None:
    """Compute claim relations and add conflicting aspects to ``events.disputed``."""
    from .relations import claim_relations, conflicting_aspects

    rel = claim_relations(tables["event_dates"], tables["casualties"], tables["event_outcomes"],
                          tables["event_places"], tables["places"])
    tables["claim_relations"] = rel.assign(relation=rel["relation"].astype(str),
                                           value_a=rel["value_a"].astype(str), value_b=rel["value_b"].astype(str))
    conflicts = conflicting_aspects(rel)
    ev = tables["events"]

    def merged(row) -> str | None:
        stated = row.disputed if isinstance(row.disputed, str) else ""  # pandas 3 turns None into NaN
        aspects = set(filter(None, stated.split(V.LIST_SEPARATOR))) | conflicts.get(row.event_id, set())
        order = list(V.DISPUTE_ASPECTS)
        return ";".join(sorted(aspects, key=order.index)) or None

    ev["disputed"] = [merged(row) for row in ev.itertuples(index=False)]



# --------------------------------------------------------------------------- 7. write


class OutputError(OSError):
    """The processed tables could not be written (the previous set is left as it was)."""


#: How long a build waits for another build's lock on the same out folder.
LOCK_TIMEOUT_S = 120.0


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Stage 7: write every table and ``datapackage.json``, switched in as one set.

    The set is written into a new sibling folder (``.<name>.new-*``), checked,
    and exchanged with ``out_dir`` in one atomic ``renameat2(RENAME_EXCHANGE)``
    on Linux; readers see the old set or the new one, never a mix. Elsewhere (or
    on a file system without the call) two renames are used: a reader may then
    find ``out_dir`` missing for an instant, never mixed, and a build killed
    between them is repaired by the next one. Builds of the same folder take a
    lock (``flock`` on its parent folder) and wait for each other; temporary
    folders left by killed builds are removed.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        One DataFrame per name in :data:`TABLES`.
    out_dir : pathlib.Path
        The processed tables folder (created if missing).

    Raises
    ------
    OutputError
        If the folder cannot be written (read-only, a file, disk full, locked
        too long): the message names the path and the reason.
    """
    from ._atomic import atomic_folder

    out_dir = Path(out_dir)
    try:
        with atomic_folder(out_dir, LOCK_TIMEOUT_S) as tmp:
            write_set(tables, tmp)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"{where}: cannot write the tables: {exc.strerror or exc}") from None


def write_set(tables: dict[str, pd.DataFrame], directory: Path) -> None:
    """Write the CSV tables and their ``datapackage.json`` (with sizes, hashes, row counts) into ``directory``.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        One DataFrame per name in :data:`TABLES`.
    directory : pathlib.Path
        An empty folder.
    """
    import json

    from .datapackage import conform, describe, file_stats
    from .exports import write_exports

    tables = write_exports(tables, directory)  # date_edtf, events.geojson, places.geojson
    stats = {}
    for name in TABLES:
        df = conform(name, tables[name])
        path = directory / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.4f")
        stats[name] = file_stats(path, len(df))
    (directory / "datapackage.json").write_text(
        json.dumps(describe(tables, stats), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------- the pipeline


def run_pipeline(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], BuildReport]:
    """Run stages 1–6 on ``raw_dir``: read, validate, resolve, derive, check, assemble.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw records directory.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        One DataFrame per name in :data:`TABLES`.
    report : BuildReport
        Records and claims read and written.

    Raises
    ------
    RawDataError
        Listing every problem found; nothing is returned in that case.
    """
    col = Problems()
    files = read_files(Path(raw_dir), col)
    records = validate_records(files, col)
    ctx = resolve_names(records, col, Path(raw_dir))
    rows = derive_rows(ctx)
    check_whole(ctx, rows)
    return assemble_tables(ctx, rows), ctx.report


def build(raw_dir: Path, out_dir: Path) -> BuildReport:
    """Validate ``raw_dir`` and write the processed tables to ``out_dir``.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw records directory.
    out_dir : pathlib.Path
        Where the tables go (switched in as one set).

    Returns
    -------
    BuildReport
        Records and claims read and written.

    Raises
    ------
    RawDataError
        Listing every problem in the raw data; nothing is written in that case.
    """
    tables, report = run_pipeline(raw_dir)
    write_tables(tables, out_dir)
    report.out_dir = Path(out_dir)
    return report


def validate(raw_dir: Path) -> BuildReport:
    """Check ``raw_dir`` completely without writing anything.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw records directory.

    Returns
    -------
    BuildReport
        Records and claims read.

    Raises
    ------
    RawDataError
        Listing every problem in the raw data.
    """
    _, report = run_pipeline(raw_dir)
    return report


__all__ = [
    "build", "validate", "run_pipeline", "read_files", "validate_records", "resolve_names", "derive_rows",
    "check_whole", "assemble_tables", "write_tables", "write_set", "source_rows", "BuildReport", "OutputError",
    "Problems", "TABLES",
    "DATE_PRECISIONS",
]
