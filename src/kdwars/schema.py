"""Vocabularies and record models for the hand-curated raw files.

The models (pydantic) check structure: required fields, types, controlled
vocabularies and unknown field names (a typo such as ``sorce:`` is an error, not a
silently ignored key). Cross-record rules (aliases, references, phases, disputes)
live in :mod:`kdwars.build`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .vocab import (  # noqa: F401 - re-exported for existing callers
    BASES,
    CLAIM_ID_PATTERN,
    CONTEST_TYPES,
    DISPUTE_ASPECTS,
    EVENT_TYPES,
    FATES,
    JUZES,
    KINDS,
    MEASURES,
    MILITARY_TYPES,
    PERSON_FIELDS,
    PLACE_KINDS,
    PLACE_PRECISIONS,
    PLACE_ROLES,
    REGIONS,
    RELATIONS,
    ROLES,
    SCHEMES,
    SIDE_ROLES,
    SIDES,
    SLUG_PATTERN,
    SOURCE_KINDS,
    UNITS,
    WINNERS,
    WITNESSES,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Cite(_Model):
    """Fields every claim carries: where a reader finds the sentence.

    ``id`` is the claim's stable id within its event: written once, never derived from
    the claim's content, so correcting a value or a note keeps the id a reader cited.
    """

    id: str | None = Field(default=None, pattern=CLAIM_ID_PATTERN)
    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    attributed_to: str | None = None
    witness: Literal[WITNESSES] | None = None  # type: ignore[valid-type]
    note: str | None = None


class DateClaim(Cite):
    """A date as the article writes it (``as_written``), with an optional year from context."""

    as_written: str = Field(min_length=1)
    #: For a phrase without a year ("March"): the year its paragraph is about.
    context_year: int | None = Field(default=None, ge=1000, le=1899)


class OutcomeClaim(Cite):
    """Who won (``winner``), or a non-military result (``as_written`` only)."""

    winner: Literal[WINNERS] | None = None  # type: ignore[valid-type]
    as_written: str | None = None

    @field_validator("as_written")
    @classmethod
    def _something(cls, v, info):
        if v is None and info.data.get("winner") is None:
            raise ValueError("an outcome needs a winner or an as_written result")
        return v


class PlaceClaim(Cite):
    """A place the sources tie to an event, in a role.

    ``holder`` (a side, or ``none``) is allowed only on a ``held`` claim: who the
    sentence says held (controlled) the place at the time of the event. ``juz``
    lists the jüzes the sentence names for the place (e.g. where each jüz fled);
    empty when the sentence names none.
    """

    place: str = Field(min_length=1)
    role: Literal[PLACE_ROLES] = "site"  # type: ignore[valid-type]
    as_written: str | None = None
    holder: Literal[SIDES] | None = None  # type: ignore[valid-type]
    juz: list[Literal[JUZES]] = []  # type: ignore[valid-type]

    @field_validator("holder")
    @classmethod
    def _held_only(cls, v, info):
        if v is not None and info.data.get("role") != "held":
            raise ValueError(f"holder is allowed only with role 'held' (role is {info.data.get('role')!r})")
        return v

    @field_validator("juz")
    @classmethod
    def _no_repeat(cls, v):
        if len(set(v)) != len(v):
            raise ValueError(f"juz lists a jüz twice: {v}")
        return v


class FigureClaim(Cite):
    """A figure (strength, killed, captured, ...) for one side, as written, with its unit and kind."""

    side: Literal[SIDES]  # type: ignore[valid-type]
    measure: Literal[MEASURES]  # type: ignore[valid-type]
    unit: Literal[UNITS] | None = None  # type: ignore[valid-type]  (required when numeric)
    as_written: str = Field(min_length=1)
    kind: Literal[KINDS] | None = None  # type: ignore[valid-type]


class Participant(Cite):
    """A person taking part in an event, on a side, in a role, with a fate where stated."""

    person: str = Field(min_length=1)
    side: Literal[SIDES]  # type: ignore[valid-type]
    role: Literal[ROLES] = "commander"  # type: ignore[valid-type]
    fate: Literal[FATES] | None = None  # type: ignore[valid-type]


class SideClaim(Cite):
    """A side's part in an event: which camp it fought in (or served), and in what role."""

    side: Literal[SIDES]  # type: ignore[valid-type]
    camp: Literal[SIDES]  # type: ignore[valid-type]
    role: Literal[SIDE_ROLES] = "principal"  # type: ignore[valid-type]


class InferredDate(_Model):
    """Bounds for an event that no sentence dates: what the narrative puts it after and before."""

    start: int = Field(ge=1000, le=1899)
    end: int = Field(ge=1000, le=1899)
    after: list[str] = []
    before: list[str] = []
    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    note: str = Field(min_length=1)

    @field_validator("end")
    @classmethod
    def _ordered(cls, v: int, info):
        start = info.data.get("start")
        if start is not None and v < start:
            raise ValueError(f"end {v} is before start {start}")
        return v


class Disagreement(_Model):
    """A disagreement the articles state or imply, backed by two or more of the event's claims."""

    aspect: Literal[DISPUTE_ASPECTS]  # type: ignore[valid-type]
    claims: list[str] = Field(min_length=2)
    note: str = Field(min_length=1)


class Event(_Model):
    """One event record of ``data/raw/events/*.yaml`` with all its claims."""

    event_id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1)
    type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    parent: str | None = None
    place: str = Field(min_length=1)
    attacker: Literal[SIDES] | None = None  # type: ignore[valid-type]
    defender: Literal[SIDES] | None = None  # type: ignore[valid-type]
    place_basis: Literal[BASES] = "stated"  # type: ignore[valid-type]
    place_note: str | None = None
    date_basis: Literal[BASES] = "stated"  # type: ignore[valid-type]
    date_inferred: InferredDate | None = None
    disagreements: list[Disagreement] = []
    period: str | None = None
    stage: str | None = None
    summary: str = Field(min_length=1)
    note: str | None = None
    dates: list[DateClaim] = []
    outcomes: list[OutcomeClaim] = []
    places: list[PlaceClaim] = []
    figures: list[FigureClaim] = []
    participants: list[Participant] = []
    sides: list[SideClaim] = []


class PersonClaim(Cite):
    """An attribute of a person that a source states (jüz, fate, death, ...)."""

    field: Literal[PERSON_FIELDS]  # type: ignore[valid-type]
    value: str = Field(min_length=1)
    as_written: str | None = None


class Person(_Model):
    """One person of ``people.yaml``, with every spelling the sources use."""

    person_id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1)
    aliases: list[str] = []
    side: Literal[SIDES]  # type: ignore[valid-type]
    title: str | None = None
    died: str | None = None
    born: str | None = None
    note: str | None = None
    identity_uncertain_with: list[str] = []
    claims: list[PersonClaim] = []


class Place(_Model):
    """One gazetteer place of ``places.yaml``, with aliases and WGS84 coordinates."""

    place_id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1)
    aliases: list[str] = []
    kind: Literal[PLACE_KINDS]  # type: ignore[valid-type]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: Literal[PLACE_PRECISIONS]  # type: ignore[valid-type]
    region: Literal[REGIONS]  # type: ignore[valid-type]
    modern_country: str = Field(min_length=1)
    note: str | None = None


class Phase(_Model):
    """One phase of a periodisation scheme (``period`` or ``stage``)."""

    scheme: Literal[SCHEMES]  # type: ignore[valid-type]
    phase_id: str = Field(pattern=SLUG_PATTERN)
    label: str = Field(min_length=1)
    start_year: int
    end_year: int
    source: str
    section: str

    @field_validator("end_year")
    @classmethod
    def _ordered(cls, v: int, info):  # noqa: D401 - pydantic hook
        start = info.data.get("start_year")
        if start is not None and v < start:
            raise ValueError(f"end_year {v} is before start_year {start}")
        return v


class Source(_Model):
    """One source article, with its sections and provenance."""

    source_id: str = Field(pattern=SLUG_PATTERN)
    file: str
    title: str
    version: str
    kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    note: str | None = None
    sections: list[str] = Field(min_length=1)
    #: Provenance: canonical article URL, the web mirror the extract came from (if
    #: any), SHA-256 of the exact extract file, its licence and attribution line.
    url: str = Field(pattern=r"^https?://\S+$")
    mirror_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    licence: str = Field(min_length=1)
    attribution: str = Field(min_length=1)
    provenance_note: str | None = None
