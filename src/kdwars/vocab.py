"""Vocabularies that the analysis needs as well as the build (standard library only).

:mod:`kdwars.schema` validates the raw records with pydantic (the ``build`` extra);
the analysis and counting helpers need only these tuples, so they live here and a
``plot`` install works without pydantic. :mod:`kdwars.schema` re-exports them.
"""

from __future__ import annotations

__all__ = ["CONTEST_TYPES", "MILITARY_TYPES"]

#: Event types whose outcome is a military result (winner ``unknown`` when no source says).
#: Only these contests may carry a ``winner``; any other type keeps its outcome as a phrase.
MILITARY_TYPES = ("war", "campaign", "invasion", "battle", "siege", "city-capture", "raid")
CONTEST_TYPES = MILITARY_TYPES
