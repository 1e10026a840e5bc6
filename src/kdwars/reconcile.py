"""Reconciling competing figure claims without averaging them away.

Rule (documented, tested): claims are grouped by event × side × measure, and
within that by ``unit`` and ``kind`` (an initial force and a later reinforcement
are different quantities; "700 families" and "3,000 men" cannot be compared).
For each group:

* ``low`` is the smallest lower bound, ``high`` the largest upper bound, over
  the claims that carry numbers — the *envelope* of what the sources say. If
  any numeric claim is open on a side ("more than 30,000" has no upper bound),
  the envelope is open on that side too (missing, never a guessed number).
* ``qualitative`` is the most severe qualitative word among the claims.
* ``status`` says how the claims relate:

  ``single``      one claim only;
  ``agree``       several claims, all with the same bounds (and word);
  ``overlap``     their ranges differ but share at least one value;
  ``conflict``    at least two ranges have no value in common;
  ``qualitative`` no claim carries a number;
  ``unknown``     every claim says the figure is unknown.

* ``agree`` is ``True`` for ``single`` and ``agree``.

Nothing is averaged: the reconciled view is a range plus the evidence for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .parse import QUALITATIVE_LEVELS

KEYS = ["event_id", "side", "measure", "unit", "kind"]

__all__ = ["reconcile", "KEYS"]


def _status(group: pd.DataFrame) -> str:
    if len(group) == 1:
        if group["precision"].iloc[0] == "unknown":
            return "unknown"
        return "qualitative" if group["low"].isna().all() and group["high"].isna().all() else "single"
    numeric = group[group["low"].notna() | group["high"].notna()]
    if numeric.empty:
        if (group["precision"] == "unknown").all():
            return "unknown"
        return "qualitative" if group["qualitative"].nunique(dropna=True) <= 1 else "conflict"
    bounds = {(lo, hi) for lo, hi in zip(numeric["low"].astype("Float64"), numeric["high"].astype("Float64"))}
    words = set(group["qualitative"].dropna())
    if len(bounds) == 1 and len(numeric) == len(group) and len(words) <= 1:
        return "agree"
    lows = numeric["low"].astype("Float64").fillna(-np.inf).to_numpy(dtype=float)
    highs = numeric["high"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
    return "overlap" if lows.max() <= highs.min() else "conflict"


def reconcile(casualties: pd.DataFrame) -> pd.DataFrame:
    """One row per event × side × measure (× unit × kind) with the envelope of the claims.

    Claims with a missing ``unit`` or ``kind`` form their own group; each group
    follows the rule of the module docstring (envelope, most severe word,
    ``status``), and nothing is averaged.

    Parameters
    ----------
    casualties : DataFrame
        Figure claims as returned by :func:`kdwars.load_casualties` (needs
        ``event_id``, ``side``, ``measure``, ``unit``, ``kind``, ``low``,
        ``high``, ``qualitative``, ``precision``, ``source_id``).

    Returns
    -------
    DataFrame
        Columns ``event_id``, ``side``, ``measure``, ``unit``, ``kind``, ``low``,
        ``high``, ``qualitative``, ``n_claims``, ``n_sources``, ``sources``,
        ``status``, ``agree``. See the module docstring for the rule.
        Rows are sorted by the keys. ``low``/``high`` are ``Int64`` and missing
        when the envelope is open on that side or no claim has a number;
        ``qualitative`` is an ordered categorical (missing when no claim has a
        word); ``sources`` lists the distinct ``source_id`` values, sorted and
        ``';'``-joined; ``agree`` is a bool.

    Raises
    ------
    ValueError
        If ``casualties`` lacks any of the needed columns (the message names them).

    Examples
    --------
    >>> import kdwars
    >>> rec = kdwars.reconcile(kdwars.load_casualties())
    >>> rec.query("event_id == 'battle-of-orbulaq-1643' and side == 'dzungar'")  # doctest: +SKIP
    >>> sorted(rec["status"].unique())
    ['agree', 'conflict', 'overlap', 'qualitative', 'single', 'unknown']
    """
    needed = set(KEYS) | {"low", "high", "qualitative", "precision", "source_id"}
    missing = sorted(needed - set(casualties.columns))
    if missing:
        raise ValueError(f"reconcile() needs columns {missing}")
    df = casualties.copy()
    df["kind"] = df["kind"].astype("string").fillna("")
    qual = pd.Categorical(df["qualitative"].astype("object"), categories=QUALITATIVE_LEVELS, ordered=True)
    df["_q"] = qual.codes
    rows = []
    for key, g in df.groupby(KEYS, sort=True, dropna=False):
        numeric = g[g["low"].notna() | g["high"].notna()]
        low = high = pd.NA
        if not numeric.empty:
            if numeric["low"].notna().all():
                low = int(numeric["low"].min())
            if numeric["high"].notna().all():
                high = int(numeric["high"].max())
        q = g["_q"].max()
        rows.append({
            **dict(zip(KEYS, key)),
            "low": low,
            "high": high,
            "qualitative": QUALITATIVE_LEVELS[q] if q >= 0 else None,
            "n_claims": len(g),
            "n_sources": g["source_id"].nunique(),
            "sources": ";".join(sorted(g["source_id"].unique())),
            "status": _status(g),
        })
    out = pd.DataFrame(rows, columns=KEYS + ["low", "high", "qualitative", "n_claims", "n_sources",
                                             "sources", "status"])
    out["kind"] = out["kind"].replace("", pd.NA)
    out["low"] = out["low"].astype("Int64")
    out["high"] = out["high"].astype("Int64")
    out["qualitative"] = pd.Categorical(out["qualitative"], categories=QUALITATIVE_LEVELS, ordered=True)
    out["agree"] = out["status"].isin(["single", "agree"])
    return out
