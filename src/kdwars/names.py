"""Matching spellings of names: the key two spellings of one name share (standard library only)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = dict.fromkeys(map(ord, "ʻʼ’‘`´′"), "'")


def name_key(name: str) -> str:
    """Normalised key for matching spellings: no accents, case, brackets or hyphens.

    ``"Yalangtoʻsh Bakhodir"`` and ``"yalangto'sh bakhodir"`` share a key, as do
    ``"Lobsangsür"`` and ``"Lobsangsur"``, ``"Lama-Dorji"`` and ``"Lama Dorji"``.

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
