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
    "inconclusive": "d", "disputed": "*", "unknown": "h", "none": "p", "both": "H",
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


# --------------------------------------------------------------------------- names, categories, sources

#: Display name of every side slug and outcome word: the one table charts and legends take names from.
SIDE_LABELS: dict[str, str] = {
    "kazakh": "Kazakh", "dzungar": "Dzungar", "oirat": "Oirat", "bukhara": "Bukhara", "khoshut": "Khoshut",
    "qing": "Qing", "russia": "Russia", "kalmyk": "Kalmyk", "kyrgyz": "Kyrgyz", "khalkha": "Khalkha",
    "uzbek": "Uzbek", "kokand": "Kokand", "khiva": "Khiva", "yarkent": "Yarkent",
    "altan-khanate": "Altan Khanate", "bashkir": "Bashkir", "karakalpak": "Karakalpak", "tibet": "Tibet",
    "both": "both sides", "none": "no winner (not a contest)", "inconclusive": "inconclusive",
    "disputed": "sources disagree", "unknown": "not recorded",
}
#: Display names of the regions (``events.region``).
REGION_LABELS: dict[str, str] = {
    "jetisu": "Jetisu", "chu-talas": "Chu–Talas", "syr-darya": "Syr Darya", "tashkent-oasis": "Tashkent oasis",
    "fergana": "Fergana", "transoxiana": "Transoxiana", "khwarezm": "Khwarezm",
    "central-kazakhstan": "Central Kazakhstan", "northern-kazakhstan": "Northern Kazakhstan",
    "western-kazakhstan": "Western Kazakhstan", "irtysh-altai": "Irtysh–Altai", "dzungaria": "Dzungaria",
    "tian-shan": "Tian Shan", "tarim": "Tarim", "mongolia": "Mongolia", "siberia": "Siberia", "volga": "Volga",
    "china": "China", "pamir": "Pamir", "european-russia": "European Russia", "khorasan": "Khorasan",
}
#: One colour (and label, marker) per source article (Paul Tol's muted set: none of them is a side colour).
SOURCE_COLORS: dict[str, str] = {
    "overview": "#332288", "overview-old": "#88CCEE", "war1635": "#117733", "war1723": "#DDCC77",
    "war1739": "#AA4499",
}
SOURCE_LABELS: dict[str, str] = {
    "overview": "Overview (current)", "overview-old": "Overview (older)", "war1635": "War 1635–1658",
    "war1723": "War 1723–1730", "war1739": "War 1739–1741",
}
SOURCE_MARKERS: dict[str, str] = {"overview": "o", "overview-old": "s", "war1635": "D", "war1723": "^", "war1739": "v"}
#: Colours for categories that are not sides (kinds of event, sources, ...): Tol's muted set, then greys.
CATEGORY_COLORS: tuple[str, ...] = (
    "#332288", "#88CCEE", "#117733", "#DDCC77", "#AA4499", "#44AA99", "#999933", "#882255", "#CC6677",
    "#555555", "#AAAAAA",
)
#: One hatch per category (the first is plain), so that bars are told apart without colour. Ten
#: hatches against eleven colours: a colour and hatch pair repeats only after 110 categories.
CATEGORY_HATCHES: tuple[str, ...] = ("", "//", "..", "xx", "\\\\", "oo", "++", "--", "**", "||")
#: One marker per category for points.
CATEGORY_MARKERS: tuple[str, ...] = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "h", "*")
#: Hatch per side for bars (Dzungar hatched everywhere, as in the city-control chart).
SIDE_HATCHES: dict[str, str] = {"kazakh": "", "dzungar": "//", "qing": "xx", "bukhara": "..", "khoshut": "\\\\",
                                "oirat": "//", "russia": "++", "disputed": "..", "unknown": ""}
#: Colormap of every heatmap: a neutral sequential map, never a side's hue.
HEATMAP_CMAP = "Greys"


def display_name(value) -> str:
    """The reader-facing name of a side, outcome, region, source or event-type slug.

    Parameters
    ----------
    value : object
        A slug (``"kazakh"``, ``"syr-darya"``, ``"war1723"``, ``"city-capture"``)
        or any other label.

    Returns
    -------
    str
        The name from :data:`SIDE_LABELS`, :data:`REGION_LABELS` or
        :data:`SOURCE_LABELS`; an event type with its hyphens as spaces; any
        other value as a string, unchanged.

    Examples
    --------
    >>> from kdwars.style import display_name
    >>> display_name("dzungar"), display_name("syr-darya"), display_name("city-capture")
    ('Dzungar', 'Syr Darya', 'city capture')
    >>> display_name("Abulkhair")
    'Abulkhair'
    """
    from .vocab import EVENT_TYPES

    s = str(value)
    for table in (SIDE_LABELS, REGION_LABELS, SOURCE_LABELS):
        if s in table:
            return table[s]
    if s in EVENT_TYPES:
        return s.replace("-", " ")
    return s


def category_palette(levels) -> dict[str, str]:
    """Colours for categories that are not sides, none of them a side colour.

    Parameters
    ----------
    levels : iterable
        The categories in drawing order; source ids get their own colours
        (:data:`SOURCE_COLORS`).

    Returns
    -------
    dict
        ``{level: hex colour}``, cycling through :data:`CATEGORY_COLORS`.

    Examples
    --------
    >>> from kdwars.style import category_palette
    >>> category_palette(["battle", "raid"])
    {'battle': '#332288', 'raid': '#88CCEE'}
    """
    levels = list(levels)
    if levels and all(lev in SOURCE_COLORS for lev in levels):
        return {lev: SOURCE_COLORS[lev] for lev in levels}
    return {lev: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, lev in enumerate(levels)}


def category_hatches(levels) -> dict[str, str]:
    """One hatch per category (sides keep their :data:`SIDE_HATCHES`).

    Parameters
    ----------
    levels : iterable
        The categories in drawing order.

    Returns
    -------
    dict
        ``{level: hatch pattern}``; when every level is a side or outcome word
        its side hatch (plain for a side without one), otherwise
        :data:`CATEGORY_HATCHES` in turn.

    Examples
    --------
    >>> from kdwars.style import category_hatches
    >>> category_hatches(["kazakh", "dzungar"])
    {'kazakh': '', 'dzungar': '//'}
    >>> category_hatches(["a", "b", "c"])
    {'a': '', 'b': '//', 'c': '..'}
    """
    levels = list(levels)
    if levels and all(lev in OUTCOME_COLORS for lev in levels):
        return {lev: SIDE_HATCHES.get(lev, "") for lev in levels}
    return {lev: CATEGORY_HATCHES[i % len(CATEGORY_HATCHES)] for i, lev in enumerate(levels)}


def category_markers(levels) -> dict[str, str]:
    """One marker per category (sides and sources keep their own markers).

    Parameters
    ----------
    levels : iterable
        The categories in drawing order.

    Returns
    -------
    dict
        ``{level: matplotlib marker}`` from :data:`SIDE_MARKERS` or
        :data:`SOURCE_MARKERS` when every level has one there, otherwise
        :data:`CATEGORY_MARKERS` in turn.

    Examples
    --------
    >>> from kdwars.style import category_markers
    >>> category_markers(["kazakh", "dzungar"])
    {'kazakh': 'o', 'dzungar': 's'}
    """
    levels = list(levels)
    for table in (SIDE_MARKERS, SOURCE_MARKERS):
        if levels and all(lev in table for lev in levels):
            return {lev: table[lev] for lev in levels}
    if levels and all(lev in OUTCOME_COLORS for lev in levels):
        return {lev: SIDE_MARKERS.get(lev, "o") for lev in levels}
    return {lev: CATEGORY_MARKERS[i % len(CATEGORY_MARKERS)] for i, lev in enumerate(levels)}
