"""``kdwars build``: raw YAML records → validated, tidy CSV tables.

The build reads every raw file, checks it completely, and only then writes. If
anything is wrong it raises :class:`~kdwars.raw.RawDataError` listing every
problem (file, line, record, field, value, reason) and writes nothing, so the
previous tables in ``data/processed/`` stay intact. The tables are written to a
temporary directory first and moved into place file by file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from . import schema
from .parse import DATE_PRECISIONS, parse_date, parse_figure
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

#: Output tables, in the order they are written and described.
TABLES = (
    "sources", "phases", "places", "people", "person_claims", "events", "event_dates",
    "event_outcomes", "event_places", "casualties", "commanders", "event_sides", "disagreements",
    "claim_relations", "coverage",
)


@dataclass
class BuildReport:
    """What a build read and wrote."""

    claims_in: Counter = field(default_factory=Counter)
    claims_out: Counter = field(default_factory=Counter)
    records: Counter = field(default_factory=Counter)
    out_dir: Path | None = None

    def summary(self) -> str:
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


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, rec: _Rec | None, record_id: str | None, loc: tuple, value: Any, message: str,
            file: str | None = None) -> None:
        self.problems.append(
            Problem(
                file=file or (rec.file if rec else "?"),
                line=line_of(rec.raw, loc) if rec else None,
                record=record_id,
                field=format_loc(loc) if loc else None,
                value=value,
                message=message,
            )
        )


def _rel(path: Path, raw_dir: Path) -> str:
    """``path`` as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load_models(path: Path, raw_dir: Path, model, id_field: str, col: _Collector) -> list[_Rec]:
    name = _rel(path, raw_dir)
    try:
        records = read_yaml_records(path, name)
    except RawDataError as exc:
        col.problems.extend(exc.problems)
        return []
    out = []
    for i, raw in enumerate(records):
        rid = raw.get(id_field) if isinstance(raw.get(id_field), str) else f"#{i + 1}"
        try:
            m = model.model_validate(strip_lines(raw))
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    msg = "unknown field (misspelt?)"
                elif err["type"] == "literal_error":
                    msg = "not in the vocabulary: " + msg.replace("Input should be ", "expected ")
                elif err["type"] == "missing":
                    msg = "required field is missing"
                col.problems.append(
                    Problem(name, line_of(raw, loc), rid, format_loc(loc), value_at(raw, loc), msg)
                )
            continue
        out.append(_Rec(name, raw, m))
    return out


def _claim_id(*parts: Any) -> str:
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()
    return digest[:8]


#: The letter that opens a claim id, per claim list of an event record.
CLAIM_PREFIX = {"dates": "d", "outcomes": "o", "places": "p", "figures": "f", "participants": "c", "sides": "s"}


def suggest_claim_id(kind: str, event_id: str, claim: Any) -> str:
    """A fresh id for a claim that has none (its content's hash; written once, then kept)."""
    return CLAIM_PREFIX[kind] + _claim_id(event_id, kind, repr(claim))


def compile_tables(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], BuildReport]:
    """Read, check and assemble every table from ``raw_dir``.

    Returns
    -------
    tables : dict of DataFrame
    report : BuildReport

    Raises
    ------
    RawDataError
        Listing every problem found; nothing is returned in that case.
    """
    raw_dir = Path(raw_dir)
    col = _Collector()
    report = BuildReport()
    for needed in ("sources.yaml", "phases.yaml", "people.yaml", "places.yaml"):
        if not (raw_dir / needed).is_file():
            col.problems.append(Problem(_rel(raw_dir / needed, raw_dir), None, None, None, None, "file is missing"))
    event_files = sorted((raw_dir / "events").glob("*.yaml")) if (raw_dir / "events").is_dir() else []
    if not event_files:
        col.problems.append(Problem(_rel(raw_dir / "events", raw_dir), None, None, None, None, "no event files (events/*.yaml)"))
    if col.problems:
        raise RawDataError(col.problems)

    sources = _load_models(raw_dir / "sources.yaml", raw_dir, schema.Source, "source_id", col)
    phases = _load_models(raw_dir / "phases.yaml", raw_dir, schema.Phase, "phase_id", col)
    people = _load_models(raw_dir / "people.yaml", raw_dir, schema.Person, "person_id", col)
    places = _load_models(raw_dir / "places.yaml", raw_dir, schema.Place, "place_id", col)
    events: list[_Rec] = []
    for f in event_files:
        events += _load_models(f, raw_dir, schema.Event, "event_id", col)

    # ---------------------------------------------------------------- ids
    def unique(recs: list[_Rec], attr: str, what: str) -> dict[str, _Rec]:
        seen: dict[str, _Rec] = {}
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

    src_by_id = unique(sources, "source_id", "source")
    phase_by_id = unique(phases, "phase_id", "phase")
    person_by_id = unique(people, "person_id", "person")
    place_by_id = unique(places, "place_id", "place")
    event_by_id = unique(events, "event_id", "event")

    def check_cite(rec: _Rec, rid: str, loc: tuple, claim) -> bool:
        src = src_by_id.get(claim.source)
        if src is None:
            col.add(rec, rid, loc + ("source",), claim.source,
                    f"unknown source (known: {', '.join(sorted(src_by_id))})")
            return False
        if claim.section not in src.model.sections:
            col.add(rec, rid, loc + ("section",), claim.section,
                    f"no such section in source {claim.source!r} (sections: {'; '.join(src.model.sections)})")
            return False
        return True

    for r in phases:
        check_cite(r, r.model.phase_id, (), r.model)

    # ---------------------------------------------------------------- alias tables
    person_names = AliasTable("person")
    for r in people:
        for j, name in enumerate([r.model.name] + list(r.model.aliases)):
            clash = person_names.add(r.model.person_id, name)
            if clash:
                loc = ("name",) if j == 0 else ("aliases", j - 1)
                col.add(r, r.model.person_id, loc, name, f"spelling already belongs to person {clash!r}")
        for j, other in enumerate(r.model.identity_uncertain_with):
            if other not in person_by_id:
                col.add(r, r.model.person_id, ("identity_uncertain_with", j), other, "unknown person id")
        for j, c in enumerate(r.model.claims):
            check_cite(r, r.model.person_id, ("claims", j), c)
    place_names = AliasTable("place")
    for r in places:
        for j, name in enumerate([r.model.name] + list(r.model.aliases)):
            clash = place_names.add(r.model.place_id, name)
            if clash:
                loc = ("name",) if j == 0 else ("aliases", j - 1)
                col.add(r, r.model.place_id, loc, name, f"spelling already belongs to place {clash!r}")

    # ---------------------------------------------------------------- phases
    schemes: dict[str, list[schema.Phase]] = defaultdict(list)
    for r in phases:
        schemes[r.model.scheme].append(r.model)
    for scheme in schema.SCHEMES:
        if not schemes.get(scheme):
            col.problems.append(Problem(_rel(raw_dir / "phases.yaml", raw_dir), None, None, "scheme", scheme,
                                        "scheme has no phases"))

    def assign(scheme: str, year: int, explicit: str | None, rec: _Rec, rid: str) -> str | None:
        cands = [p for p in schemes.get(scheme, []) if p.start_year <= year <= p.end_year]
        if explicit:
            match = [p for p in schemes.get(scheme, []) if p.phase_id == explicit]
            if not match:
                col.add(rec, rid, (scheme,), explicit, f"unknown {scheme} phase")
                return None
            p = match[0]
            if not p.start_year <= year <= p.end_year:
                col.add(rec, rid, (scheme,), explicit,
                        f"year {year} is outside its phase {p.phase_id} ({p.start_year}–{p.end_year})")
                return None
            return p.phase_id
        if not cands:
            col.add(rec, rid, ("dates",), year, f"year {year} lies in no {scheme} phase")
            return None
        return max(cands, key=lambda p: p.start_year).phase_id

    # ---------------------------------------------------------------- events
    ev_rows, date_rows, out_rows, place_rows, fig_rows, part_rows = [], [], [], [], [], []
    side_rows: list[dict] = []
    dis_rows: list[dict] = []
    cov: Counter = Counter()
    cov_kind: dict[tuple, Counter] = defaultdict(Counter)

    def count(source: str, section: str, kind: str) -> None:
        cov[(source, section)] += 1
        cov_kind[(source, section)][kind] += 1

    ids_by_event: dict[str, set[str]] = {}

    def claim_ids(rec: _Rec, rid: str) -> bool:
        """Every claim carries a stable id, with its list's letter, unique in the event."""
        seen: dict[str, str] = {}
        ok = True
        for kind, prefix in CLAIM_PREFIX.items():
            for j, c in enumerate(getattr(rec.model, kind)):
                if c.id is None:
                    col.add(rec, rid, (kind, j, "id"), None,
                            f"claim has no id; give it a new one that is never reused, e.g. "
                            f"id: {suggest_claim_id(kind, rid, c)}")
                    ok = False
                elif not c.id.startswith(prefix):
                    col.add(rec, rid, (kind, j, "id"), c.id, f"a claim id in {kind} starts with {prefix!r}")
                    ok = False
                elif c.id in seen:
                    col.add(rec, rid, (kind, j, "id"), c.id, f"claim id already used in this event ({seen[c.id]})")
                    ok = False
                else:
                    seen[c.id] = f"{kind}[{j}]"
        ids_by_event[rid] = set(seen)
        return ok

    for r in events:
        e = r.model
        rid = e.event_id
        report.claims_in["dates"] += len(e.dates)
        report.claims_in["outcomes"] += len(e.outcomes)
        report.claims_in["places"] += len(e.places)
        report.claims_in["figures"] += len(e.figures)
        report.claims_in["participants"] += len(e.participants)
        report.claims_in["sides"] += len(e.sides)
        ok = claim_ids(r, rid)
        if e.parent is not None:
            if e.parent not in event_by_id:
                col.add(r, rid, ("parent",), e.parent, "unknown parent event")
                ok = False
            elif e.parent == rid:
                col.add(r, rid, ("parent",), e.parent, "an event cannot be its own parent")
                ok = False
        try:
            place_id = place_names.resolve(e.place)
        except KeyError as exc:
            col.add(r, rid, ("place",), e.place, str(exc.args[0]))
            place_id, ok = None, False
        # dates
        parsed_dates = []
        for j, d in enumerate(e.dates):
            if not check_cite(r, rid, ("dates", j), d):
                ok = False
                continue
            try:
                if d.context_year is not None:
                    dv = parse_date(f"{d.as_written} {d.context_year}")
                    dv = replace(dv, qualifier=" ".join(filter(None, [dv.qualifier, "year from context"])))
                else:
                    dv = parse_date(d.as_written)
            except ValueError as exc:
                col.add(r, rid, ("dates", j, "as_written"), d.as_written, str(exc))
                ok = False
                continue
            parsed_dates.append((d, dv))
        # outcomes
        for j, o in enumerate(e.outcomes):
            ok &= check_cite(r, rid, ("outcomes", j), o)
            if o.winner is not None and e.type not in schema.CONTEST_TYPES:
                col.add(r, rid, ("outcomes", j, "winner"), o.winner,
                        f"a {e.type} is not a contest: only {', '.join(schema.CONTEST_TYPES)} have a winner; "
                        "keep the outcome as an as_written phrase")
                ok = False
        # places
        place_claims = []
        for j, pc in enumerate(e.places):
            ok &= check_cite(r, rid, ("places", j), pc)
            try:
                place_claims.append((pc, place_names.resolve(pc.place)))
            except KeyError as exc:
                col.add(r, rid, ("places", j, "place"), pc.place, str(exc.args[0]))
                ok = False
        # figures
        parsed_figs = []
        for j, fc in enumerate(e.figures):
            ok &= check_cite(r, rid, ("figures", j), fc)
            try:
                fv = parse_figure(fc.as_written)
            except ValueError as exc:
                col.add(r, rid, ("figures", j, "as_written"), fc.as_written, str(exc))
                ok = False
                continue
            if fc.unit is None and (fv.low is not None or fv.high is not None):
                col.add(r, rid, ("figures", j, "unit"), None, "a numeric figure needs a unit")
                ok = False
            parsed_figs.append((fc, fv))
        # participants
        parts = []
        for j, pa in enumerate(e.participants):
            ok &= check_cite(r, rid, ("participants", j), pa)
            try:
                parts.append((pa, person_names.resolve(pa.person)))
            except KeyError as exc:
                col.add(r, rid, ("participants", j, "person"), pa.person, str(exc.args[0]))
                ok = False
        for j, sc in enumerate(e.sides):
            ok &= check_cite(r, rid, ("sides", j), sc)
        for j, dg in enumerate(e.disagreements):
            for k, cid in enumerate(dg.claims):
                if cid not in ids_by_event.get(rid, ()):
                    col.add(r, rid, ("disagreements", j, "claims", k), cid, "no claim with this id in this event")
                    ok = False
            if len(set(dg.claims)) < 2:
                col.add(r, rid, ("disagreements", j, "claims"), ";".join(dg.claims),
                        "a disagreement needs two different claims")
                ok = False
        ok &= _check_date_basis(col, r, rid, check_cite)
        if e.place_basis == "stated":
            if place_id is not None and place_id not in {pid for _, pid in place_claims}:
                col.add(r, rid, ("place",), e.place,
                        "the primary place is not among the event's own place claims: add the place claim "
                        "with its source and section, or set place_basis: inferred with a place_note")
                ok = False
        elif not e.place_note:
            col.add(r, rid, ("place_note",), None, "an inferred place needs a place_note saying why it is placed there")
            ok = False
        if not ok:
            continue

        y0, y1, date_text, precision, lead_year, date_note = _event_dating(e, parsed_dates)
        # Phases follow the record's leading (first) date claim, so that a broad or
        # competing later claim ("from the 17th century") does not move the event.
        period = assign("period", lead_year, e.period, r, rid)
        stage = assign("stage", lead_year, e.stage, r, rid)
        # disputes: conflicting claims (added after the tables are assembled) and stated disagreements
        disputed = sorted({dg.aspect for dg in e.disagreements})

        winners = {o.winner for o in e.outcomes if o.winner is not None}
        if winners:
            winner = winners.pop() if len(winners) == 1 else "disputed"
        else:
            winner = "unknown" if e.type in schema.MILITARY_TYPES else None
        place = place_by_id[place_id].model if place_id in place_by_id else None
        srcs = sorted({c.source for c in (*e.dates, *e.outcomes, *e.places, *e.figures, *e.participants, *e.sides)})
        n_claims = (len(e.dates) + len(e.outcomes) + len(e.places) + len(e.figures) + len(e.participants)
                    + len(e.sides))
        ev_rows.append({
            "event_id": rid, "name": e.name, "event_type": e.type, "parent_event_id": e.parent,
            "year_start": y0, "year_end": y1, "date_text": date_text,
            "date_precision": precision, "date_basis": e.date_basis, "date_note": date_note,
            "period": period, "stage": stage,
            "place_id": place_id, "region": place.region if place else None,
            "lat": place.lat if place else None, "lon": place.lon if place else None,
            "place_precision": _place_precision(place), "place_basis": e.place_basis,
            "place_note": " ".join(e.place_note.split()) if e.place_note else None,
            "attacker": e.attacker, "defender": e.defender, "winner": winner,
            "disputed": ";".join(disputed) or None, "n_claims": n_claims,
            "summary": " ".join(e.summary.split()), "sources": ";".join(srcs),
        })
        for d, dv in parsed_dates:
            cid = f"{rid}:{d.id}"
            date_rows.append({
                "claim_id": cid, "event_id": rid, "as_written": d.as_written,
                "year_start": dv.year_start, "year_end": dv.year_end, "month": dv.month, "day": dv.day,
                "season": dv.season, "qualifier": dv.qualifier, "date_precision": dv.precision,
                "source_id": d.source, "section": d.section, "attributed_to": d.attributed_to,
                "witness": d.witness or "article", "note": d.note,
            })
            count(d.source, d.section, "dates")
        for o in e.outcomes:
            cid = f"{rid}:{o.id}"
            out_rows.append({
                "claim_id": cid, "event_id": rid, "winner": o.winner, "as_written": o.as_written,
                "source_id": o.source, "section": o.section, "attributed_to": o.attributed_to,
                "witness": o.witness or "article", "note": o.note,
            })
            count(o.source, o.section, "outcomes")
        basis = next((pc for pc, pid in place_claims if pid == place_id), None) if e.place_basis == "stated" else None
        place_rows.append({
            "claim_id": None, "event_id": rid, "place_id": place_id, "role": "primary", "as_written": e.place,
            "source_id": basis.source if basis else None, "section": basis.section if basis else None,
            "attributed_to": basis.attributed_to if basis else None,
            "note": None if basis else "inferred: " + " ".join((e.place_note or "").split()),
        })
        for pc, pid in place_claims:
            place_rows.append({
                "claim_id": f"{rid}:{pc.id}",
                "event_id": rid, "place_id": pid, "role": pc.role, "as_written": pc.as_written or pc.place,
                "source_id": pc.source, "section": pc.section, "attributed_to": pc.attributed_to,
                "note": pc.note,
            })
            count(pc.source, pc.section, "places")
        for fc, fv in parsed_figs:
            cid = f"{rid}:{fc.id}"
            fig_rows.append({
                "claim_id": cid, "event_id": rid, "side": fc.side, "measure": fc.measure,
                "kind": fc.kind, "low": fv.low, "high": fv.high, "unit": fc.unit,
                "qualitative": fv.qualitative, "precision": fv.precision, "as_written": fc.as_written,
                "source_id": fc.source, "section": fc.section, "attributed_to": fc.attributed_to,
                "witness": fc.witness or "article", "note": fc.note,
            })
            count(fc.source, fc.section, "figures")
        for pa, pid in parts:
            part_rows.append({
                "claim_id": f"{rid}:{pa.id}", "event_id": rid, "person_id": pid, "side": pa.side, "role": pa.role,
                "fate": pa.fate, "as_written": pa.person, "source_id": pa.source, "section": pa.section,
                "attributed_to": pa.attributed_to, "witness": pa.witness or "article", "note": pa.note,
            })
            count(pa.source, pa.section, "participants")
        side_rows.extend(_side_rows(e))
        for sc in e.sides:
            count(sc.source, sc.section, "sides")
        for dg in e.disagreements:
            dis_rows.append({"event_id": rid, "aspect": dg.aspect,
                             "claims": ";".join(f"{rid}:{c}" for c in dg.claims), "note": " ".join(dg.note.split())})

    # parent cycles
    parents = {r.model.event_id: r.model.parent for r in events}
    for r in events:
        seen, cur = set(), r.model.event_id
        while cur is not None and cur in parents:
            if cur in seen:
                col.add(r, r.model.event_id, ("parent",), r.model.parent, "parent chain forms a cycle")
                break
            seen.add(cur)
            cur = parents.get(cur)

    _check_inferred_bounds(col, events, {row["event_id"]: row for row in ev_rows})

    if col.problems:
        raise RawDataError(col.problems)

    # ---------------------------------------------------------------- other tables
    person_claim_rows = []
    fate_by_person: dict[str, set] = defaultdict(set)
    for row in part_rows:
        if row["fate"]:
            fate_by_person[row["person_id"]].add(row["fate"])
    for r in people:
        for c in r.model.claims:
            person_claim_rows.append({
                "person_id": r.model.person_id, "field": c.field, "value": c.value,
                "as_written": c.as_written, "source_id": c.source, "section": c.section,
                "attributed_to": c.attributed_to, "note": c.note,
            })
            count(c.source, c.section, "person_claims")
            if c.field == "fate":
                fate_by_person[r.model.person_id].add(c.value)
    report.claims_in["person_claims"] = len(person_claim_rows)

    def juz(p) -> str | None:
        vals = sorted({c.value for c in p.claims if c.field == "juz"})
        return "|".join(vals) or None

    people_rows = [{
        "person_id": r.model.person_id, "name": r.model.name,
        "aliases": "; ".join(r.model.aliases), "side": r.model.side, "title": r.model.title,
        "juz": juz(r.model), "died": r.model.died,
        "fate": "|".join(sorted(fate_by_person.get(r.model.person_id, ()))) or None,
        "identity_uncertain_with": "; ".join(r.model.identity_uncertain_with) or None,
        "n_events": sum(1 for row in part_rows if row["person_id"] == r.model.person_id),
        "note": r.model.note,
    } for r in people]
    place_rows_tab = [{
        "place_id": r.model.place_id, "name": r.model.name, "aliases": "; ".join(r.model.aliases),
        "kind": r.model.kind, "lat": round(r.model.lat, 4), "lon": round(r.model.lon, 4),
        "precision": r.model.precision, "region": r.model.region,
        "modern_country": r.model.modern_country, "note": r.model.note,
    } for r in places]
    phase_rows = [{
        "scheme": r.model.scheme, "phase_id": r.model.phase_id, "label": r.model.label,
        "start_year": r.model.start_year, "end_year": r.model.end_year,
        "source_id": r.model.source, "section": r.model.section,
    } for r in phases]
    source_rows = [{
        "source_id": r.model.source_id, "file": r.model.file, "title": r.model.title,
        "version": r.model.version, "kind": r.model.kind, "note": r.model.note,
        "n_sections": len(r.model.sections), "url": r.model.url, "mirror_url": r.model.mirror_url,
        "sha256": r.model.sha256, "licence": r.model.licence, "attribution": r.model.attribution,
        "provenance_note": r.model.provenance_note,
    } for r in sources]
    cov_rows = []
    kinds = ("dates", "outcomes", "places", "figures", "participants", "sides", "person_claims")
    for r in sources:
        for sec in r.model.sections:
            key = (r.model.source_id, sec)
            row = {"source_id": r.model.source_id, "section": sec, "n_claims": cov.get(key, 0)}
            for k in kinds:
                row[f"n_{k}"] = cov_kind[key].get(k, 0)
            cov_rows.append(row)

    tables = {
        "sources": pd.DataFrame(source_rows),
        "phases": pd.DataFrame(phase_rows).sort_values(["scheme", "start_year"], kind="stable"),
        "places": pd.DataFrame(place_rows_tab).sort_values("place_id"),
        "people": pd.DataFrame(people_rows).sort_values("person_id"),
        "person_claims": pd.DataFrame(person_claim_rows, columns=[
            "person_id", "field", "value", "as_written", "source_id", "section", "attributed_to", "note"]),
        "events": pd.DataFrame(ev_rows).sort_values(["year_start", "year_end", "event_id"]),
        "event_dates": pd.DataFrame(date_rows),
        "event_outcomes": pd.DataFrame(out_rows),
        "event_places": pd.DataFrame(place_rows),
        "casualties": pd.DataFrame(fig_rows),
        "commanders": pd.DataFrame(part_rows),
        "event_sides": pd.DataFrame(side_rows, columns=[
            "claim_id", "event_id", "side", "camp", "role", "basis", "source_id", "section", "attributed_to", "note"]),
        "disagreements": pd.DataFrame(dis_rows, columns=["event_id", "aspect", "claims", "note"]),
        "coverage": pd.DataFrame(cov_rows),
    }
    _add_conflicts(tables)
    report.claims_out.update({
        "dates": len(date_rows), "outcomes": len(out_rows),
        "places": sum(1 for row in place_rows if row["role"] != "primary"),
        "figures": len(fig_rows), "participants": len(part_rows),
        "sides": sum(1 for row in side_rows if row["basis"] == "stated"),
        "person_claims": len(person_claim_rows),
    })
    report.records.update({"sources": len(sources), "phases": len(phases), "people": len(people),
                           "places": len(places), "events": len(ev_rows)})
    if report.claims_in != report.claims_out:
        raise RuntimeError(f"claims were lost in the build: read {dict(report.claims_in)}, "
                           f"wrote {dict(report.claims_out)}")
    return tables, report


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


def _check_date_basis(col: _Collector, r: _Rec, rid: str, check_cite) -> bool:
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


def _check_inferred_bounds(col: _Collector, events: list[_Rec], rows: dict[str, dict]) -> None:
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
        aspects = set(filter(None, stated.split(";"))) | conflicts.get(row.event_id, set())
        order = list(schema.DISPUTE_ASPECTS)
        return ";".join(sorted(aspects, key=order.index)) or None

    ev["disputed"] = [merged(row) for row in ev.itertuples(index=False)]


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write every table (and ``datapackage.json``) atomically into ``out_dir``."""
    from .datapackage import conform, describe
    from .exports import write_exports

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".kdwars-build-", dir=out_dir))
    try:
        tables = write_exports(tables, tmp)  # date_edtf, events.geojson, places.geojson
        for name in TABLES:
            df = conform(name, tables[name])
            df.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n", float_format="%.4f")
        (tmp / "datapackage.json").write_text(
            json.dumps(describe(tables), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for f in sorted(tmp.iterdir()):
            os.replace(f, out_dir / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build(raw_dir: Path, out_dir: Path) -> BuildReport:
    """Validate ``raw_dir`` and write the processed tables to ``out_dir``."""
    tables, report = compile_tables(raw_dir)
    write_tables(tables, out_dir)
    report.out_dir = Path(out_dir)
    return report


def validate(raw_dir: Path) -> BuildReport:
    """Check ``raw_dir`` completely without writing anything."""
    _, report = compile_tables(raw_dir)
    return report


__all__ = ["build", "validate", "compile_tables", "write_tables", "BuildReport", "TABLES", "DATE_PRECISIONS"]
