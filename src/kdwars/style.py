"""One colour per side, used by every chart and map.

The palette is built from the Okabe–Ito colour-blind-safe set, with distinct
lightness so the main sides stay apart in greyscale too; each side also has a
marker so that points can be told apart without colour.
"""

from __future__ import annotations

SIDE_COLORS: dict[str, str] = {
    "kazakh": "#0072B2",     # blue (dark)
    "dzungar": "#E69F00",    # orange (light)
    "oirat": "#F0C75E",      # pale orange: the Oirats before 1635
    "bukhara": "#009E73",    # bluish green (mid)
    "khoshut": "#CC79A7",    # reddish purple
    "qing": "#D55E00",       # vermillion (mid-dark)
    "russia": "#56B4E9",     # sky blue (light)
    "kalmyk": "#8C6D31",     # brown
    "kyrgyz": "#7F7F7F",
    "khalkha": "#B07AA1",
    "uzbek": "#4E9F3D",
    "kokand": "#2F6B4F",
    "khiva": "#88A65E",
    "yarkent": "#A3A3A3",
    "altan-khanate": "#6B4C9A",
    "bashkir": "#9C755F",
    "karakalpak": "#BAB0AC",
    "tibet": "#E15759",
    "both": "#444444",
    "none": "#FFFFFF",
}
OUTCOME_COLORS: dict[str, str] = {
    **SIDE_COLORS,
    "inconclusive": "#999999",
    "disputed": "#000000",
    "unknown": "#DDDDDD",
}
SIDE_MARKERS: dict[str, str] = {
    "kazakh": "o", "dzungar": "s", "oirat": "s", "bukhara": "D", "khoshut": "^",
    "qing": "v", "russia": "P", "kalmyk": "X", "kyrgyz": "<", "khalkha": ">",
}


def side_color(side: str) -> str:
    """Colour of a side slug (grey for a side without its own colour).

    Parameters
    ----------
    side : str
        A side slug as used in the ``side``, ``winner`` and ``holder`` columns
        (``"kazakh"``, ``"dzungar"``, ``"qing"``, ...) or an outcome word
        (``"inconclusive"``, ``"disputed"``, ``"unknown"``).

    Returns
    -------
    str
        Hex colour from :data:`OUTCOME_COLORS`; ``"#7F7F7F"`` (grey) for any
        other value.

    Examples
    --------
    >>> from kdwars.style import side_color
    >>> side_color("kazakh")
    '#0072B2'
    >>> side_color("no-such-side")
    '#7F7F7F'
    """
    return OUTCOME_COLORS.get(side, "#7F7F7F")


def side_palette(sides) -> dict[str, str]:
    """A ``{side: colour}`` mapping for seaborn's ``palette=`` argument.

    Parameters
    ----------
    sides : iterable of str
        Side slugs or outcome words, e.g. the unique values of a ``side`` or
        ``winner`` column.

    Returns
    -------
    dict of str to str
        Each side mapped to its hex colour (see :func:`side_color`), in the
        order given.

    Examples
    --------
    >>> from kdwars.style import side_palette
    >>> side_palette(["kazakh", "dzungar"])
    {'kazakh': '#0072B2', 'dzungar': '#E69F00'}
    """
    return {s: side_color(s) for s in sides}


def sequential_palette(levels, cmap: str = "viridis", other: dict[str, str] | None = None) -> dict[str, str]:
    """Colours for ordered levels (e.g. phases in time order) from a sequential colormap.

    A sequential map keeps the order readable in greyscale and for colour-blind
    readers; ``other`` adds fixed colours for extra levels (e.g. a light grey
    for "between wars").

    Parameters
    ----------
    levels : iterable
        The levels in order (first level = start of the colormap), e.g.
        :func:`kdwars.analysis.phase_order`.
    cmap : str, default "viridis"
        Name of a registered matplotlib colormap. The levels are spread evenly
        over 5 %–90 % of it (the extreme ends are left out).
    other : dict of str to str, optional
        Extra ``{level: colour}`` entries added as they are; they override a
        colour computed for the same level.

    Returns
    -------
    dict
        ``{level: hex colour}`` for every level, followed by the entries of ``other``.

    Raises
    ------
    KeyError
        If ``cmap`` is not a registered matplotlib colormap.

    Examples
    --------
    >>> from kdwars.style import sequential_palette
    >>> pal = sequential_palette(["war-1635-1658", "war-1681-1684"], other={"interwar": "#DDDDDD"})
    >>> list(pal)
    ['war-1635-1658', 'war-1681-1684', 'interwar']
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    levels = list(levels)
    cm = colormaps[cmap]
    n = max(len(levels) - 1, 1)
    out = {lev: to_hex(cm(0.05 + 0.85 * i / n)) for i, lev in enumerate(levels)}
    out.update(other or {})
    return out
