"""Normalising personal and place names for matching (standard library only).

The loaders' resolvers (:func:`kdwars.resolve_person`, :func:`kdwars.resolve_place`)
and the raw-data build share this key, so it lives here rather than in
:mod:`kdwars.raw`, which needs PyYAML: a core install (pandas only) must not.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key"]

#: Apostrophe-like characters that the sources use interchangeably, mapped to ``'``.
_QUOTES = dict.fromkeys(map(ord, "ʻʼ’‘`´′"), "'")


def name_key(name: str) -> str:
    """Normalised key for matching spellings: no accents, case, brackets or hyphens.

    Parameters
    ----------
    name : str
        A spelling of a name as written (any object is converted with ``str``).

    Returns
    -------
    str
        The key: accents removed, apostrophe variants unified, case folded,
        brackets and punctuation dropped, hyphens, dashes, slashes and
        underscores turned into spaces, runs of spaces collapsed.

    Examples
    --------
    >>> name_key("Yalangtoʻsh Bakhodir") == name_key("yalangto'sh bakhodir")
    True
    >>> name_key("Lobsangsür")
    'lobsangsur'
    >>> name_key("Lama-Dorji (Lama Dorji)")
    'lama dorji lama dorji'
    """
    text = unicodedata.normalize("NFKD", str(name)).translate(_QUOTES)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = re.sub(r"[()\[\]{}.,;:!?\"«»]", " ", text)
    text = re.sub(r"[-_/\u2013\u2014]", " ", text)
    return re.sub(r"\s+", " ", text).strip()
