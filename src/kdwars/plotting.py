"""Plotting functions in the style of seaborn.

Every ``plot_*`` function has seaborn's shape::

    plot_x(data, *, x=..., hue=..., ax=None, **kwargs) -> Axes

``data`` is a DataFrame (usually the output of a loader or an
:mod:`kdwars.analysis` helper) and the only positional argument; everything
else is keyword-only. Each function checks that ``data`` has the columns it
needs (a ``ValueError`` names them), draws on ``ax`` (a new 8.3-inch-wide
figure with constrained layout when ``ax=None``), forwards ``**kwargs`` to its
main matplotlib or seaborn call (each docstring says which) and returns the Axes.

Shared conventions, all from :mod:`kdwars.style`: one colour per side and side
colours only for sides; a hatch (bars) or marker (points) per category so that
charts read in greyscale and for colour-blind readers; names, never slugs, on
axes and legends (:func:`kdwars.style.display_name`, phase labels from
:func:`kdwars.load_phases`); legends that show exactly the marks drawn
(patches for bars, lines for lines, markers for points); a neutral
sequential colormap for heatmaps; ranges drawn as ranges, never as a single
number; a source line on every saved chart (:func:`save_figure`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import _paths
from .analysis import _need
from .style import (
    HEATMAP_CMAP,
    OUTCOME_COLORS,
    SOURCE_COLORS,
    SOURCE_LABELS,
    category_hatches,
    category_markers,
    category_palette,
    display_name,
    side_color,
)
from .vocab import EVENT_TYPE_ORDER, MAIN_SIDES, SIDE_ORDER

__all__ = [
    "MAX_WIDTH_PX",
    "date_claims_grid",
    "MIN_FONT",
    "SOURCE_COLORS",
    "SOURCE_LABELS",
    "min_font_size",
    "plot_careers",
    "plot_city_control",
    "plot_claim_ranges",
    "plot_commander_records",
    "plot_counts",
    "plot_date_claims",
    "plot_force_ratio",
    "plot_phase_schemes",
    "plot_table_heatmap",
    "plot_timeline",
    "plot_totals",
    "plot_upper_hand",
    "save_figure",
    "set_theme",
    "source_line",
]

#: Smallest font size (points) of any text on a chart: at the 100 dpi the figures are
#: saved with and at most :data:`MAX_WIDTH_PX` wide, GitHub shows them at full size.
MIN_FONT = 9
#: Widest saved figure in pixels (GitHub's rendered notebooks and README are about 850 px).
MAX_WIDTH_PX = 850
#: Default figure size in inches (830 × 480 px at 100 dpi).
FIGSIZE = (8.3, 4.8)
#: The source line every saved chart carries unless it sets its own.
SOURCE_LINE = "Source: kdwars dataset — claims from five encyclopedia articles on the Kazakh–Dzungar Wars"
#: Height (inches) kept free under a constrained-layout figure for its source line.
_SOURCE_PAD_IN = 0.25
TYPE_ORDER = list(EVENT_TYPE_ORDER)
_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1)}
#: Labels of the grey legend entries that explain a kind of mark rather than a category.
KEY_LABELS = frozenset({"span of years", "range", "single figure", "open: 'more than'", "open-ended (more than)"})


def set_theme(context: str = "notebook") -> None:
    """Apply the project's chart style (seaborn whitegrid, readable sizes, 100 dpi).

    Calls :func:`seaborn.set_theme` and updates :data:`matplotlib.rcParams`
    (bold left-aligned titles, no legend frame, default figure size
    8.3 × 4.8 inches, no text under 9 pt); the change lasts for the session.

    Parameters
    ----------
    context : {"notebook", "paper", "talk", "poster"}, default "notebook"
        seaborn plotting context (scales fonts and lines).

    Examples
    --------
    >>> import kdwars
    >>> kdwars.set_theme()  # doctest: +SKIP
    """
    sns.set_theme(style="whitegrid", context=context)
    mpl.rcParams.update({
        "figure.dpi": 100, "savefig.dpi": 100, "savefig.bbox": "tight", "axes.titleweight": "bold",
        "axes.titlesize": 12, "axes.titlelocation": "left", "legend.frameon": False,
        "figure.figsize": FIGSIZE, "font.size": 10, "axes.labelsize": 10, "xtick.labelsize": MIN_FONT,
        "ytick.labelsize": MIN_FONT, "legend.fontsize": MIN_FONT, "legend.title_fontsize": 10,
    })


def _ax(ax: Axes | None, figsize=FIGSIZE) -> Axes:
    """The Axes to draw on: ``ax``, or one on a new constrained-layout figure at most 8.3 inches wide."""
    if ax is None:
        w, h = figsize
        _, ax = plt.subplots(figsize=(min(w, MAX_WIDTH_PX / 100 - 0.2), h), layout="constrained")
    return ax


# --------------------------------------------------------------------------- shared helpers: names, legends


@functools.lru_cache(maxsize=1)
def _phase_labels() -> dict[str, str]:
    """``{phase_id: label}`` of every phase in the packaged dataset (empty when it cannot be loaded)."""
    try:
        from .data import load_phases

        p = load_phases()
        return dict(zip(p["phase_id"].astype(str), p["label"].astype(str)))
    except Exception:  # noqa: BLE001 -- labels are a nicety; ids are shown when the data is absent
        return {}


def _name(value, labels: dict | None = None) -> str:
    """Reader-facing name of a value: ``labels`` first, then phase labels, then :func:`display_name`."""
    if labels and value in labels:
        return str(labels[value])
    key = str(value)
    phases = _phase_labels()
    if key in phases:
        return phases[key]
    return display_name(value)


def _names(values: Iterable, labels: dict | None = None) -> list[str]:
    return [_name(v, labels) for v in values]


def _legend(ax: Axes, handles: list, title: str | None = None, **kw):
    """Place a legend of ``handles`` right of the axes (or where ``kw`` says)."""
    kw = {**_OUTSIDE, **kw}
    return ax.legend(handles=handles, title=title, **kw)


def _patch_handles(values: Sequence, colors: dict, hatches: dict | None = None, labels: dict | None = None,
                   edgecolor: str = "black") -> list[Patch]:
    """Legend handles for bars: a patch per value with its colour and hatch."""
    hatches = hatches or {}
    return [Patch(facecolor=colors[v], hatch=hatches.get(v) or None, edgecolor=edgecolor, linewidth=0.5,
                  label=_name(v, labels)) for v in values]


def _marker_handles(values: Sequence, colors: dict, markers: dict, labels: dict | None = None,
                    line: bool | Iterable[bool] = False, point: bool | Iterable[bool] = True,
                    lw: float = 3) -> list[Line2D]:
    """Legend handles for points, lines or both, per value as drawn (``line``/``point``: one flag or one per value)."""
    values = list(values)
    lines = [line] * len(values) if isinstance(line, bool) else list(line)
    points = [point] * len(values) if isinstance(point, bool) else list(point)
    return [Line2D([], [], color=colors[v], lw=lw if ln else 0, linestyle="-" if ln else "",
                   marker=markers.get(v, "o") if pt else "", markersize=8, markerfacecolor=colors[v],
                   markeredgecolor="black", markeredgewidth=0.5, label=_name(v, labels))
            for v, ln, pt in zip(values, lines, points)]


def _side_order(values: Iterable) -> list:
    """Sides and outcome words in the chart order (main sides first), other values after, sorted."""
    present = list(dict.fromkeys(values))
    first = [v for v in SIDE_ORDER if v in present]
    first += [v for v in ("inconclusive", "disputed", "unknown", "none") if v in present and v not in first]
    return first + sorted((v for v in present if v not in first), key=str)


def _visible(color: str) -> str:
    """A white mark would vanish on white: draw it light grey."""
    return "#BBBBBB" if color.upper() == "#FFFFFF" else color


# --------------------------------------------------------------------------- saving


def min_font_size(fig) -> float:
    """Smallest font size (points) of any visible, non-empty text on a figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to inspect.

    Returns
    -------
    float
        ``inf`` when the figure has no text.
    """
    sizes = [t.get_fontsize() for t in fig.findobj(mpl.text.Text)
             if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0]
    return min(sizes, default=float("inf"))


def _constrained(fig) -> bool:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)


def source_line(fig, text: str | None = None):
    """Add the chart's source line at the bottom left of the figure (once).

    On a constrained-layout figure (every figure the ``plot_*`` functions
    create) the line sits inside the figure, in a strip the layout keeps free;
    on any other figure it hangs just below it (saved with a tight bounding box).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to annotate.
    text : str, optional
        The line; default :data:`SOURCE_LINE`.

    Returns
    -------
    matplotlib.text.Text
        The source line (an existing one is returned unchanged).
    """
    for t in fig.texts:
        if getattr(t, "_kdwars_source", False):
            return t
    if _constrained(fig):
        height = fig.get_figheight()
        fig.get_layout_engine().set(rect=(0, _SOURCE_PAD_IN / height, 1, 1 - _SOURCE_PAD_IN / height))
        line = fig.text(0.005, 0.04 / height, text or SOURCE_LINE, ha="left", va="bottom", fontsize=MIN_FONT,
                        color="#555555", transform=fig.transFigure, in_layout=False)
    else:
        line = fig.text(0.0, 0.0, text or SOURCE_LINE, ha="left", va="top", fontsize=MIN_FONT, color="#555555",
                        transform=fig.transFigure)
    line._kdwars_source = True
    return line


def save_figure(ax_or_fig, name: str, directory: str | Path | None = None, show: bool = True,
                source: str | None = None) -> Path:
    """Save a figure as ``reports/figures/<name>.png`` (for the README gallery).

    In a notebook with the inline backend (and ``show=True``) the saved PNG is
    displayed and the figure closed, so that it is rendered once, not twice;
    the notebook shows exactly the file that was saved. Every saved chart gets a
    source line (:func:`source_line`), and its PNG records its smallest font size
    (``kdwars:min-font-pt``): with the PNG's width, the tests check the size a
    reader sees once GitHub has scaled it to fit :data:`MAX_WIDTH_PX`.

    A constrained-layout figure (every figure a ``plot_*`` function creates) is
    saved at exactly its size, so it is never wider than :data:`MAX_WIDTH_PX`
    and is drawn once; any other figure is saved with a tight bounding box.

    Parameters
    ----------
    ax_or_fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        The figure to save, or any Axes on it.
    name : str
        File name without the ``.png`` suffix.
    directory : str or pathlib.Path, optional
        Where to write (created if missing). By default ``reports/figures`` in a
        checkout, the working directory otherwise; ``KDWARS_FIGURES_DIR``
        overrides the default.
    show : bool, default True
        With the inline backend, display the saved PNG and close the figure.
    source : str, optional
        The source line; default :data:`SOURCE_LINE`.

    Returns
    -------
    pathlib.Path
        Path of the written PNG (100 dpi, no ``Software`` metadata, so the same
        figure gives the same file).

    Examples
    --------
    >>> import kdwars
    >>> ax = kdwars.plot_phase_schemes(kdwars.load_phases())  # doctest: +SKIP
    >>> kdwars.save_figure(ax, "phase-schemes")  # doctest: +SKIP
    """
    fig = ax_or_fig if isinstance(ax_or_fig, mpl.figure.Figure) else ax_or_fig.figure
    directory = Path(directory) if directory is not None else _paths.figures_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    source_line(fig, source)
    metadata = {"Software": None, "kdwars:min-font-pt": f"{min_font_size(fig):.1f}"}
    if _constrained(fig):
        # Lay out once, then save without a layout engine: savefig would otherwise draw the figure
        # twice (a layout pass, then the picture). The engine is put back for later drawing.
        engine = fig.get_layout_engine()
        fig.dpi = 100
        engine.execute(fig)
        fig.set_layout_engine(None)  # no engine at all: savefig then draws once
        try:
            with mpl.rc_context({"savefig.bbox": "standard"}):  # bbox_inches=None would mean the rcParam
                fig.savefig(path, dpi=100, metadata=metadata)
        finally:
            fig.set_layout_engine(engine)
    else:
        fig.savefig(path, dpi=100, bbox_inches="tight", metadata=metadata)
    if show and "inline" in mpl.get_backend():
        from IPython.display import Image, display

        display(Image(data=path.read_bytes(), format="png"))
        plt.close(fig)
    return path


# --------------------------------------------------------------------------- phases and time


def _short_label(label: str) -> str:
    """A phase label short enough for a band: ``War of 1635–1658`` → ``1635–58``; interwars unnamed."""
    m = re.match(r"War of (\d{4})–(\d{4})$", label)
    if m:
        a, b = m.groups()
        return f"{a}–{b[2:]}" if a[:2] == b[:2] else f"{a}–{b}"
    if label.startswith(("Interwar", "Before", "After the")):
        return ""
    return re.split(r"[:(]| to ", label)[0].strip()


def _phase_bands(ax: Axes, phases: pd.DataFrame, scheme: str, xlim: tuple[float, float], label: bool = True) -> None:
    """Shade the phases of ``scheme`` behind a time axis and name them just inside the top edge."""
    p = phases[phases["scheme"] == scheme].sort_values("start_year")
    k = 0
    for i, (pid, lab, start, end) in enumerate(zip(p["phase_id"], p["label"], p["start_year"], p["end_year"])):
        x0, x1 = max(start, xlim[0]), min(end + 1, xlim[1])
        if x1 <= x0:
            continue
        shade = "#E6E6E6" if str(pid).startswith("war-") else "#FFFFFF"
        if scheme == "stage":
            shade = ["#F2F2F2", "#DDDDDD"][i % 2]
        if shade != "#FFFFFF":
            ax.axvspan(x0, x1, color=shade, zorder=0, lw=0)
        text = _short_label(str(lab))
        if label and text:
            ax.text((x0 + x1) / 2, 0.995 - 0.035 * (k % 2), text, transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=MIN_FONT, color="#333333", zorder=5, in_layout=False)
            k += 1


def plot_timeline(data: pd.DataFrame, *, phases: pd.DataFrame | None = None, scheme: str = "period",
                  y: str = "event_type", hue: str = "winner", xlim: tuple[int, int] = (1630, 1772),
                  order: Sequence[str] | None = None, ax: Axes | None = None, **kwargs) -> Axes:
    """Every event as a mark at its year (a line across its span), one row per ``y`` value.

    Colour and marker are the ``hue`` side (winner by default: one colour and
    marker per side; outcome words such as "sources disagree" have their own).
    Phases of ``scheme`` are shaded behind; events before ``xlim[0]`` (the
    prelude) are counted in a note at the left edge.

    Parameters
    ----------
    data : pandas.DataFrame
        Events, from :func:`kdwars.load_events` (needs ``year_start``,
        ``year_end``, ``y`` and ``hue``).
    phases : pandas.DataFrame, optional
        From :func:`kdwars.load_phases`; without it no phases are shaded.
    scheme : {"period", "stage"}, default "period"
        Periodisation to shade.
    y : str, default "event_type"
        Column giving each event's row (tick labels are display names, e.g.
        "city capture"). Marks are jittered within the row (with a fixed seed, so
        the chart is reproducible).
    hue : str, default "winner"
        Column of side slugs or outcome words that colours the marks; missing
        values are drawn as ``none`` ("no winner").
    xlim : tuple of (int, int), default (1630, 1772)
        Years shown; spans are clipped to them.
    order : sequence of str, optional
        Values of ``y`` from top to bottom; values not listed are not drawn. By
        default event types in a fixed order (wars and campaigns first), then any
        other values alphabetically.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` for the event marks
        (e.g. ``s=``, ``alpha=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> ax = kdwars.plot_timeline(kdwars.load_events(), phases=kdwars.load_phases())  # doctest: +SKIP
    """
    _need(data, ["year_start", "year_end", y, hue], "plot_timeline")
    if phases is not None:
        _need(phases, ["scheme", "phase_id", "label", "start_year", "end_year"], "plot_timeline")
    ax = _ax(ax, (8.3, 6))
    ev = data[["year_start", "year_end", y, hue]].copy()
    ev[hue] = ev[hue].astype("object").fillna("none")
    if order is None:
        present = list(ev[y].dropna().unique())
        order = [t for t in TYPE_ORDER if t in present] + sorted(t for t in present if t not in TYPE_ORDER)
    rows = {v: i for i, v in enumerate(order)}
    ev = ev[ev[y].isin(rows)]
    if phases is not None:
        _phase_bands(ax, phases, scheme, xlim)
    before = ev[ev["year_end"] < xlim[0]]
    ev = ev[ev["year_end"] >= xlim[0]]
    rng = np.random.default_rng(0)
    ev = ev.assign(_y=ev[y].map(rows).astype(float) + rng.uniform(-0.25, 0.25, len(ev)),
                   _x0=ev["year_start"].clip(lower=xlim[0]).astype(float),
                   _x1=ev["year_end"].clip(upper=xlim[1]).astype(float))
    values = _side_order(ev[hue])
    colors = {v: OUTCOME_COLORS.get(v, "#BBBBBB") for v in values}
    markers = category_markers(values)
    spans = ev[ev["_x1"] > ev["_x0"]]
    if len(spans):  # every multi-year span in one collection
        segs = np.stack([np.column_stack([spans["_x0"], spans["_y"]]),
                         np.column_stack([spans["_x1"] + 0.9, spans["_y"]])], axis=1)
        ax.add_collection(LineCollection(segs, colors=[_visible(colors[v]) for v in spans[hue]], linewidths=3,
                                         alpha=0.8, capstyle="butt", zorder=2), autolim=False)
    style = {"s": 36, "edgecolor": "black", "linewidth": 0.4, "zorder": 3} | kwargs
    for value in values:  # one collection per colour and marker
        g = ev[ev[hue] == value]
        ax.scatter(g["_x0"] + 0.45, g["_y"], color=colors[value], marker=markers[value], **style)
    ax.set_yticks(range(len(order)), _names(order))
    ax.set_ylim(len(order) - 0.5, -1.4)  # a free strip at the top for the phase names
    ax.set_xlim(*xlim)
    ax.set_xlabel("Year")
    ax.grid(axis="y", visible=False)
    if len(before):
        ax.text(xlim[0] + 0.5, len(order) - 0.7, f"+{len(before)} prelude events before {xlim[0]}",
                fontsize=MIN_FONT, color="#555555", va="bottom", in_layout=False)
    handles = _marker_handles(values, colors, markers)
    if len(spans):
        handles.append(Line2D([], [], color="#777777", lw=3, label="span of years"))
    _legend(ax, handles, title=_name(hue).replace("_", " "))
    return ax


def plot_phase_schemes(data: pd.DataFrame, *, xlim: tuple[int, int] = (1630, 1772), ax: Axes | None = None,
                       **kwargs) -> Axes:
    """The two periodisations side by side as two rows of spans.

    The top row shows the ``period`` scheme (war by war, current overview), the
    bottom row the ``stage`` scheme (four stages, older overview); wars and
    stages are dark, the years between them light. Spans are named from the
    phases' ``label`` column.

    Parameters
    ----------
    data : pandas.DataFrame
        Phases, from :func:`kdwars.load_phases` (needs ``scheme``, ``phase_id``,
        ``label``, ``start_year`` and ``end_year``).
    xlim : tuple of (int, int), default (1630, 1772)
        Years shown; phases are clipped to them.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` for the spans (e.g. ``height=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> ax = kdwars.plot_phase_schemes(kdwars.load_phases())  # doctest: +SKIP
    """
    _need(data, ["scheme", "phase_id", "label", "start_year", "end_year"], "plot_phase_schemes")
    ax = _ax(ax, (8.3, 3.2))
    style = {"height": 0.6, "edgecolor": "white", "linewidth": 1} | kwargs
    for row, (scheme, title) in enumerate((("period", "War-by-war periods\n(current overview)"),
                                           ("stage", "Four stages\n(older overview)"))):
        p = data[data["scheme"] == scheme].sort_values("start_year")
        x0 = np.maximum(p["start_year"].to_numpy(float), xlim[0])
        x1 = np.minimum(p["end_year"].to_numpy(float) + 1, xlim[1])
        keep = x1 > x0
        p, x0, x1 = p[keep], x0[keep], x1[keep]
        war = p["phase_id"].astype(str).str.startswith("war-").to_numpy() | (
            (scheme == "stage") & p["phase_id"].isin(["first", "second", "third", "fourth"]).to_numpy())
        colors = [("#4D4D4D" if i % 2 else "#8C8C8C") if w else "#E6E6E6" for i, w in enumerate(war)]
        ax.barh(np.full(len(p), row), x1 - x0, left=x0, color=colors, **style)  # one call per row
        for a, b, w, lab in zip(x0, x1, war, p["label"].astype(str)):
            text = lab.replace("War of ", "") if w else _short_label(lab)
            text = re.sub(r"\s*\(.*\)$", "", text)
            if w and (b - a) <= 14:
                text = _short_label(lab) if lab.startswith("War of ") else text.split()[0]
            if (b - a) >= 4 and text:
                ax.text((a + b) / 2, row, text, ha="center", va="center", fontsize=MIN_FONT, in_layout=False,
                        color="white" if w else "#333333", rotation=0 if (b - a) > 14 else 90)
        ax.text(xlim[0] - 1, row, title, ha="right", va="center", fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(1.6, -0.6)
    ax.set_xlim(*xlim)
    ax.set_xlabel("Year")
    ax.grid(axis="y", visible=False)
    return ax


def _numeric_table(data: pd.DataFrame, fn: str) -> pd.DataFrame:
    """Check that ``data`` is a non-empty table of numbers (a counts table) and return it as floats."""
    if not isinstance(data, pd.DataFrame) or data.shape[1] == 0:
        raise ValueError(f"{fn}() needs a table with at least one numeric column; got {type(data).__name__}"
                         f" with columns {list(getattr(data, 'columns', []))}")
    bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ValueError(f"{fn}() needs numeric columns; {bad} are not numeric")
    return data.astype(float)


def plot_counts(data: pd.DataFrame, *, horizontal: bool = False, palette: dict | None = None,
                colors_by_side: bool = True, xlabel: str | None = None, ylabel: str = "Number of events",
                legend_title: str | None = None, ax: Axes | None = None, **kwargs) -> Axes:
    """Stacked bars of a counts table (rows = categories on the axis, columns = stacked groups).

    Each column has a colour and a hatch, so the stack reads in greyscale;
    rows and columns are shown by name (phase labels, side and region names).

    Parameters
    ----------
    data : pandas.DataFrame
        Counts (every column numeric), e.g. from :func:`kdwars.analysis.by_phase`,
        :func:`kdwars.analysis.by_region`, :func:`kdwars.analysis.events_per_decade`
        or :func:`kdwars.analysis.claims_per_source`.
    horizontal : bool, default False
        Horizontal bars, first row at the top.
    palette : dict, optional
        ``{column: colour}``; columns not in it are grey. Overrides
        ``colors_by_side``.
    colors_by_side : bool, default True
        When every column is a side or outcome word (see
        :data:`kdwars.style.OUTCOME_COLORS`), order the columns like that mapping
        and use the side colours and hatches (``none`` is near-white with an
        outline); otherwise, and when ``False``, use
        :func:`kdwars.style.category_palette` (no side colour among them).
    xlabel : str, optional
        Label of the category axis.
    ylabel : str, default "Number of events"
        Label of the count axis.
    legend_title : str, optional
        Title of the legend (placed right of the axes).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` (``barh`` when horizontal) for
        every stacked segment (e.g. ``width=``, ``linewidth=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` has no column or a non-numeric column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> table = A.by_phase(kdwars.load_events(), kdwars.load_phases(), column="winner")
    >>> ax = kdwars.plot_counts(table, legend_title="winner")  # doctest: +SKIP
    """
    table = _numeric_table(data, "plot_counts").fillna(0)
    ax = _ax(ax)
    sided = colors_by_side and all(c in OUTCOME_COLORS for c in table.columns)
    if sided:
        rank = {side: i for i, side in enumerate(OUTCOME_COLORS)}
        table = table[sorted(table.columns, key=rank.__getitem__)]
    if palette is None:
        palette = ({c: OUTCOME_COLORS[c] if c != "none" else "#F2F2F2" for c in table.columns} if sided
                   else category_palette(table.columns))
    hatches = category_hatches(table.columns)
    colors = {c: palette.get(c, "#999999") for c in table.columns}
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    bar = ax.barh if horizontal else ax.bar
    size = "height" if horizontal else "width"
    for col in table.columns:
        values = table[col].to_numpy()
        style = {size: 0.8, "edgecolor": "#FFFFFF" if col != "none" else "#AAAAAA", "linewidth": 0.5} | kwargs
        where = {"left": bottom} if horizontal else {"bottom": bottom}
        bars = bar(x, values, color=colors[col], hatch=hatches[col] or None, label=_name(col), **where, **style)
        for patch in bars:
            patch.set_hatchcolor("#333333" if hatches[col] else patch.get_edgecolor())
        bottom = bottom + values
    ticks = _names(table.index)
    if horizontal:
        ax.set_yticks(x, ticks)
        ax.set_ylim(len(table) - 0.5, -0.5)
        ax.set_xlabel(ylabel)
        ax.set_ylabel(xlabel or "")
        ax.grid(axis="y", visible=False)
    else:
        ax.set_xticks(x, ticks, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_xlim(-0.5, len(table) - 0.5)
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel or "")
        ax.grid(axis="x", visible=False)
    _legend(ax, _patch_handles(table.columns, colors, hatches, edgecolor="#555555"), title=legend_title)
    return ax


def plot_upper_hand(data: pd.DataFrame, *, labels: dict | None = None, sides: tuple[str, str] = MAIN_SIDES,
                    ax: Axes | None = None, **kwargs) -> Axes:
    """Diverging bars per phase: wins of the first side upwards, of the second downwards.

    Disputed outcomes are drawn as a dotted white segment on top of the first
    side's bar; the second side's bars are hatched so the two read apart in
    greyscale.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.upper_hand` or
        :func:`kdwars.counting.upper_hand_by_rule` for one rule (needs a column
        per side in ``sides``; ``disputed`` is drawn when present). One bar per
        row, in row order.
    labels : dict, optional
        ``{row index: tick label}``; by default phase ids are shown by their
        ``label`` from :func:`kdwars.load_phases`, other values as they are.
    sides : tuple of (str, str), default ("kazakh", "dzungar")
        Side drawn upwards, side drawn downwards.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` for both sides' bars (e.g.
        ``width=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a column for either side.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> hand = A.upper_hand(kdwars.load_events(), kdwars.load_phases())
    >>> ax = kdwars.plot_upper_hand(hand)  # doctest: +SKIP
    """
    _need(data, list(sides), "plot_upper_hand")
    ax = _ax(ax, (8.3, 4.5))
    x = np.arange(len(data))
    a, b = sides
    hatch = category_hatches([a, b])
    style = {"edgecolor": "black", "linewidth": 0.4} | kwargs
    ax.bar(x, data[a], color=side_color(a), hatch=hatch[a] or None, label=f"{_name(a)} won", **style)
    ax.bar(x, -data[b], color=side_color(b), hatch=hatch[b] or "//", label=f"{_name(b)} won", **style)
    if "disputed" in data.columns:
        disputed = ax.bar(x, data["disputed"], bottom=data[a], color="white", hatch="...",
                          label="sources disagree", **(style | {"edgecolor": "#555555"}))
        for patch in disputed:  # a bar's bottom is sticky: it would stop the margin above the tallest bar
            patch.sticky_edges.y.clear()
    ax.axhline(0, color="black", lw=0.8)
    ax.margins(y=0.08)
    ax.set_xticks(x, _names(data.index, labels), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_ylabel(f"Military events won\n(↑ {_name(a)}, ↓ {_name(b)})")
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{abs(round(v))}"))
    ax.grid(axis="x", visible=False)
    ax.legend(**_OUTSIDE)  # the bar containers: patches, as drawn
    return ax


def plot_table_heatmap(data: pd.DataFrame, *, cmap: str = HEATMAP_CMAP, annot: bool = True, xlabel: str = "",
                       ylabel: str = "", cbar_label: str = "Number", zero_blank: bool = True,
                       ax: Axes | None = None, **kwargs) -> Axes:
    """A counts table as an annotated heatmap (blank cells for zero).

    Rows and columns are shown by name (phase labels, region, side and source
    names). The default colormap is a neutral grey ramp, so that no heatmap
    borrows a side's colour.

    Parameters
    ----------
    data : pandas.DataFrame
        Numeric table, e.g. from :func:`kdwars.analysis.phase_crosswalk`,
        :func:`kdwars.analysis.by_region`, :func:`kdwars.analysis.opponents` or
        :func:`kdwars.analysis.disagreement_matrix`. Rows and columns are drawn
        in table order; the new figure's size follows the table's shape.
    cmap : str, default "Greys"
        matplotlib colormap name (:data:`kdwars.style.HEATMAP_CMAP`); keep it
        neutral — blue and orange ramps read as Kazakh and Dzungar.
    annot : bool, default True
        Write each cell's value (as an integer) in the cell.
    xlabel, ylabel : str, default ""
        Axis labels.
    cbar_label : str, default "Number"
        Label of the colour bar (integer ticks).
    zero_blank : bool, default True
        Leave cells equal to 0 blank.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.pcolormesh` for the cells (e.g.
        ``vmax=``, ``edgecolors=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` has no column or a non-numeric column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> cross = A.phase_crosswalk(kdwars.load_events(), kdwars.load_phases())
    >>> ax = kdwars.plot_table_heatmap(cross, xlabel="stage", ylabel="period")  # doctest: +SKIP
    """
    table = _numeric_table(data, "plot_table_heatmap")
    ax = _ax(ax, (min(8.3, max(6, 0.55 * table.shape[1] + 3)), max(3, 0.38 * table.shape[0] + 1.5)))
    table = table.set_axis(_names(table.index), axis=0).set_axis(_names(table.columns), axis=1)
    values = table.to_numpy()
    shown = np.ma.masked_where((values == 0) if zero_blank else np.isnan(values), values)
    # drawn directly: seaborn.heatmap draws the whole figure once more just to check label overlap
    style = {"edgecolors": "#EEEEEE", "linewidth": 0.5, "vmin": np.nanmin(values) if values.size else 0,
             "vmax": np.nanmax(values) if values.size else 1} | kwargs
    mesh = ax.pcolormesh(shown, cmap=cmap, **style)
    ax.set_xlim(0, table.shape[1])
    ax.set_ylim(table.shape[0], 0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(False)
    cbar = ax.figure.colorbar(mesh, ax=ax, shrink=0.7, label=cbar_label)
    cbar.outline.set_linewidth(0)
    cbar.locator = mpl.ticker.MaxNLocator(integer=True)
    cbar.update_ticks()
    if annot:
        rgba = mesh.cmap(mesh.norm(shown.filled(np.nan)))
        lum = rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
        for (r, c), v in np.ndenumerate(values):
            if not np.ma.is_masked(shown[r, c]) and np.isfinite(v):  # cell texts stay out of the layout pass
                ax.text(c + 0.5, r + 0.5, f"{v:.0f}", ha="center", va="center", fontsize=MIN_FONT,
                        color="white" if lum[r, c] < 0.45 else "black", in_layout=False)
    ax.set_xticks(np.arange(table.shape[1]) + 0.5, table.columns, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(table.shape[0]) + 0.5, table.index)
    ax.tick_params(length=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


# --------------------------------------------------------------------------- commanders


def plot_careers(data: pd.DataFrame, *, label: str = "name", ax: Axes | None = None, **kwargs) -> Axes:
    """Each person's span of recorded activity as a horizontal bar coloured (and hatched) by side.

    The bar runs from the start of ``first_year`` to the end of ``last_year``;
    the number of events is printed right of it.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.careers` (needs ``first_year``,
        ``last_year``, ``side``, ``n_events`` and the ``label`` column). One bar
        per row, first row at the top.
    label : str, default "name"
        Column used for the tick labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` (e.g. ``height=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> spans = A.careers(kdwars.load_commanders(), kdwars.load_events(), kdwars.load_people())  # doctest: +SKIP
    >>> ax = kdwars.plot_careers(spans)  # doctest: +SKIP
    """
    _need(data, ["first_year", "last_year", "side", label, "n_events"], "plot_careers")
    ax = _ax(ax, (8.3, max(4, 0.3 * len(data) + 1)))
    c = data.reset_index(drop=True)
    sides = _side_order(c["side"])
    colors = {s: _visible(side_color(s)) for s in sides}
    hatches = category_hatches(sides)
    y = np.arange(len(c))
    first, last = c["first_year"].to_numpy(float), c["last_year"].to_numpy(float)
    style = {"edgecolor": "black", "linewidth": 0.4, "height": 0.7} | kwargs
    for side in sides:  # one call per side (a hatch is set per call)
        m = (c["side"] == side).to_numpy()
        ax.barh(y[m], last[m] - first[m] + 1, left=first[m], color=colors[side], hatch=hatches[side] or None,
                **style)
    for i, (x, n) in enumerate(zip(last, c["n_events"])):
        ax.text(x + 1.5, i, f"{n}", va="center", fontsize=MIN_FONT, color="#444444", in_layout=False)
    if len(c):
        ax.set_xlim(np.nanmin(first) - 2, np.nanmax(last) + 6)  # room for the counts
    ax.set_yticks(y, c[label], fontsize=MIN_FONT)
    ax.set_ylim(len(c) - 0.5, -0.5)
    ax.set_xlabel("Year (bar: first to last recorded event; number: events)")
    ax.grid(axis="y", visible=False)
    _legend(ax, _patch_handles(sides, colors, hatches), title="side")
    return ax


#: Colours of commanders' results: greys and white, so no result borrows a side colour.
_RESULT_STYLE = {"won": ("#333333", ""), "lost": ("#9A9A9A", "//"), "undecided": ("#FFFFFF", "..")}


def plot_commander_records(data: pd.DataFrame, *, top: int = 15, label: str = "name", ax: Axes | None = None,
                           **kwargs) -> Axes:
    """Won / lost / undecided events as commander, for the ``top`` most active commanders.

    Results are dark (won), hatched grey (lost) and dotted white (undecided):
    no side colour, readable in greyscale.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.commander_records` or
        :func:`kdwars.counting` records (needs ``won``, ``lost``, ``undecided``
        and ``side``), most active first.
    top : int, default 15
        Number of rows drawn (the first ``top`` rows of ``data``).
    label : str, default "name"
        Column for the tick labels (shown as ``"label (Side)"``); the index is
        used when the column is absent.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` for every segment (e.g. ``height=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> records = A.commander_records(kdwars.load_commanders(), kdwars.load_events(), kdwars.load_people())
    >>> ax = kdwars.plot_commander_records(records, top=10)  # doctest: +SKIP
    """
    _need(data, ["won", "lost", "undecided", "side"], "plot_commander_records")
    r = data.head(top)
    ax = _ax(ax, (8.3, 0.36 * len(r) + 1.5))
    names = [f"{n} ({_name(s)})" for n, s in zip(r.get(label, r.index), r["side"])]
    y = np.arange(len(r))
    left = np.zeros(len(r))
    style = {"edgecolor": "#555555", "linewidth": 0.4, "height": 0.7} | kwargs
    for col, (color, hatch) in _RESULT_STYLE.items():
        ax.barh(y, r[col], left=left, color=color, hatch=hatch or None, label=col, **style)
        left += r[col].to_numpy(float)
    ax.set_yticks(y, names, fontsize=MIN_FONT)
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlabel("Events commanded (battles, sieges, raids, campaigns)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")  # the bar containers: patches, as drawn
    return ax


# --------------------------------------------------------------------------- figures


def _row_positions(keys: pd.Series, rows: list, spread: float = 0.6, cap: float = 0.22) -> np.ndarray:
    """Y of each item: its row's index, items of one row spread around it in order of appearance."""
    index = keys.map({k: i for i, k in enumerate(rows)}).to_numpy(float)
    k = keys.groupby(keys, sort=False).cumcount().to_numpy(float)
    n = keys.map(keys.value_counts()).to_numpy(float)
    step = np.minimum(spread / np.maximum(n - 1, 1), cap)
    return index + (k - (n - 1) / 2) * step


def plot_claim_ranges(data: pd.DataFrame, *, y: str = "event", hue: str = "side", low: str = "low",
                      high: str = "high", log: bool = True, palette: dict | None = None,
                      xlabel: str = "Men (log scale)", ax: Axes | None = None, **kwargs) -> Axes:
    """Each figure claim as a range on a number axis.

    A line from ``low`` to ``high``, a marker for a single figure, an arrow for
    an open bound ("more than N"). Claims of one ``y`` row are stacked slightly
    apart so that competing claims stay visible side by side. Each ``hue`` value
    has a colour and a marker (sides: side colours; sources: source colours).

    Parameters
    ----------
    data : pandas.DataFrame
        Figure claims, one per row, e.g. :func:`kdwars.analysis.force_ranges`
        output or rows of :func:`kdwars.load_casualties` (needs ``y``, ``hue``,
        ``low`` and ``high``). A claim with neither bound is not drawn.
    y : str, default "event"
        Column giving each claim's row; rows in order of first appearance.
    hue : str, default "side"
        Column that colours the claims: side colours, or the source colours and
        names when ``hue="source_id"``, category colours otherwise.
    low, high : str, default "low", "high"
        Columns of the lower and upper bounds (missing = open or unknown).
    log : bool, default True
        Logarithmic number axis.
    palette : dict, optional
        ``{hue value: colour}`` replacing the default colours (values not in it
        are grey).
    xlabel : str, default "Men (log scale)"
        Label of the number axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :class:`matplotlib.collections.LineCollection` for the ranges
        (e.g. ``linewidths=``, ``alpha=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> forces = A.force_ranges(kdwars.load_casualties(), kdwars.load_events())
    >>> ax = kdwars.plot_claim_ranges(forces, y="event", hue="source_id")  # doctest: +SKIP
    """
    _need(data, [y, hue, low, high], "plot_claim_ranges")
    d = data.reset_index(drop=True)
    rows = list(dict.fromkeys(d[y]))
    ax = _ax(ax, (8.3, max(3.5, 0.42 * len(rows) + 1.2)))
    values = list(dict.fromkeys(d[hue]))
    default = (category_palette(values) if hue == "source_id" or not all(v in OUTCOME_COLORS for v in values)
               else {v: _visible(side_color(v)) for v in values})
    colors = {v: (palette or default).get(v, "#777777") for v in values}
    markers = category_markers(values)
    yy = _row_positions(d[y], rows)
    lo, hi = d[low].astype(float).to_numpy(), d[high].astype(float).to_numpy()
    has_lo, has_hi = ~np.isnan(lo), ~np.isnan(hi)
    is_range, is_point = has_lo & has_hi & (lo != hi), has_lo & has_hi & (lo == hi)
    hv = d[hue].to_numpy()
    if is_range.any():  # every range in one collection
        segs = np.stack([np.column_stack([lo[is_range], yy[is_range]]),
                         np.column_stack([hi[is_range], yy[is_range]])], axis=1)
        style = {"linewidths": 4, "capstyle": "round", "alpha": 0.85} | kwargs
        ax.add_collection(LineCollection(segs, colors=[colors[v] for v in hv[is_range]], **style))
    for v in values:  # one collection per colour and marker
        m = is_point & (hv == v)
        if m.any():
            ax.scatter(lo[m], yy[m], color=colors[v], s=45, marker=markers[v], edgecolor="black", linewidth=0.4,
                       zorder=3)
    open_hi, open_lo = has_lo & ~has_hi, has_hi & ~has_lo
    for i in np.flatnonzero(open_hi | open_lo):  # few: an arrow each
        start = lo[i] if open_hi[i] else hi[i]
        end = (start * 2.2 if log else start * 1.4) if open_hi[i] else (start / 2.2 if log else start * 0.6)
        ax.annotate("", xy=(end, yy[i]), xytext=(start, yy[i]),
                    arrowprops={"arrowstyle": "->", "color": colors[hv[i]], "lw": 2})
    both = np.concatenate([lo[has_lo], hi[has_hi]])
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    if len(both):
        ax.set_xlim(both.min() / 1.8, both.max() * 3.0) if log else ax.set_xlim(0, both.max() * 1.5)
    ax.set_yticks(range(len(rows)), _names(rows), fontsize=MIN_FONT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    handles = _marker_handles(values, colors, markers, line=[((is_range | open_hi | open_lo) & (hv == v)).any()
                                                             for v in values],
                              point=[(is_point & (hv == v)).any() for v in values])
    kinds = [(is_range.any(), Line2D([], [], color="#555555", lw=4, label="range")),
             (is_point.any(), Line2D([], [], color="#555555", marker="o", linestyle="", label="single figure")),
             ((open_hi | open_lo).any(), Line2D([], [], color="#555555", marker=r"$\rightarrow$", linestyle="",
                                                markersize=12, label="open: 'more than'"))]
    handles += [h for shown, h in kinds if shown]
    _legend(ax, handles, title=_name(hue).replace("_id", "").replace("_", " "))
    return ax


def plot_force_ratio(data: pd.DataFrame, *, sides: tuple[str, str] = MAIN_SIDES, ax: Axes | None = None,
                     **kwargs) -> Axes:
    """Force ratio (first side ÷ second) as a range per event, coloured by the winner.

    Right of the line the first side was larger; a bar that crosses the line
    means the sources do not say which army was larger. Each winner has a colour
    and a marker (drawn at the ends of the range).

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.force_ratio` (needs ``name``, ``year``,
        ``ratio_low``, ``ratio_high`` and ``winner``). An open (infinite)
        ``ratio_high`` is drawn up to 20 times ``ratio_low``.
    sides : tuple of (str, str), default ("kazakh", "dzungar")
        The sides of the ratio, used in the axis label only.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :class:`matplotlib.collections.LineCollection` for the ranges
        (e.g. ``linewidths=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> ratio = A.force_ratio(kdwars.load_casualties(), kdwars.load_events())
    >>> ax = kdwars.plot_force_ratio(ratio)  # doctest: +SKIP
    """
    _need(data, ["name", "year", "ratio_low", "ratio_high", "winner"], "plot_force_ratio")
    r = data.reset_index(drop=True)
    ax = _ax(ax, (8.3, 0.5 * len(r) + 1.5))
    win = r["winner"].astype("object").fillna("unknown").to_numpy()
    values = _side_order(win)
    colors = {v: _visible(OUTCOME_COLORS.get(v, "#999999")) for v in values}
    markers = category_markers(values)
    lo = r["ratio_low"].to_numpy(float)
    hi = r["ratio_high"].to_numpy(float)
    hi = np.where(np.isfinite(hi), hi, lo * 20)
    y = np.arange(len(r), dtype=float)
    rng = ~np.isclose(lo, hi)
    if rng.any():
        segs = np.stack([np.column_stack([lo[rng], y[rng]]), np.column_stack([hi[rng], y[rng]])], axis=1)
        style = {"linewidths": 6, "capstyle": "butt", "alpha": 0.9} | kwargs
        ax.add_collection(LineCollection(segs, colors=[colors[v] for v in win[rng]], **style))
    for v in values:
        m = win == v
        xs = np.concatenate([lo[m], hi[m & rng]])
        ys = np.concatenate([y[m], y[m & rng]])
        ax.scatter(xs, ys, color=colors[v], s=40, marker=markers[v], edgecolor="black", linewidth=0.4, zorder=3)
    ax.axvline(1, color="black", lw=1, ls="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_yticks(y, [f"{n} ({yr})" for n, yr in zip(r["name"], r["year"])], fontsize=MIN_FONT)
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlabel(f"{_name(sides[0])} strength ÷ {_name(sides[1])} strength (log scale; range over all claims)")
    ax.grid(axis="y", visible=False)
    _legend(ax, _marker_handles(values, colors, markers, line=[(rng & (win == v)).any() for v in values]),
            title="winner")
    return ax


def plot_totals(data: pd.DataFrame, *, phase_col: str = "period", labels: dict | None = None,
                ylabel: str = "People", ax: Axes | None = None, **kwargs) -> Axes:
    """Low–high totals per phase and side as grouped bars.

    A solid bar to the low total, a hatched white extension to the high total,
    and an arrow with a ≥ sign where the high total is open.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.totals_by_phase` (needs ``phase_col``,
        ``side``, ``low`` and ``high``). Phases and sides are drawn in order of
        first appearance; a missing ``high`` means open-ended.
    phase_col : str, default "period"
        Column holding the phase (the ``scheme`` passed to ``totals_by_phase``).
    labels : dict, optional
        ``{phase_id: tick label}``; by default the phases' ``label`` from
        :func:`kdwars.load_phases`.
    ylabel : str, default "People"
        Label of the value axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` for the low bars (e.g. ``linewidth=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> cas, events, phases = kdwars.load_casualties(), kdwars.load_events(), kdwars.load_phases()
    >>> totals = A.totals_by_phase(cas, events, phases, "captured", unit=("people", "men"))
    >>> ax = kdwars.plot_totals(totals)  # doctest: +SKIP
    """
    _need(data, [phase_col, "side", "low", "high"], "plot_totals")
    ax = _ax(ax, (8.3, 4.5))
    phases = list(dict.fromkeys(data[phase_col]))
    sides = list(dict.fromkeys(data["side"]))
    hatches = category_hatches(sides)
    width = 0.8 / max(len(sides), 1)
    handles = []
    for j, side in enumerate(sides):
        t = data[data["side"] == side].set_index(phase_col).reindex(phases)
        x = np.arange(len(phases)) + (j - (len(sides) - 1) / 2) * width
        lows = t["low"].astype(float).fillna(0).to_numpy()
        highs = t["high"].astype(float).to_numpy()
        color = _visible(side_color(side))
        style = {"edgecolor": "black", "linewidth": 0.4} | kwargs
        ax.bar(x, lows, width=width, color=color, hatch=hatches[side] or None, **style)
        ext = np.where(np.isnan(highs), 0, highs - lows)
        ax.bar(x, ext, bottom=lows, width=width, color="white", edgecolor=color, hatch="///", linewidth=0.8)
        handles.append(Patch(facecolor=color, hatch=hatches[side] or None, edgecolor="black", linewidth=0.4,
                             label=f"{_name(side)}: low"))
        if (ext > 0).any():
            handles.append(Patch(facecolor="white", edgecolor=color, hatch="///", linewidth=0.8,
                                 label=f"{_name(side)}: up to high"))
        for xi, lo, hi, present in zip(x, lows, highs, t["side"].notna()):
            if present and np.isnan(hi):  # open-ended: "more than" — an arrow and a ≥ sign above the bar
                ax.annotate("≥", xy=(xi, lo), xytext=(0, 14), textcoords="offset points", ha="center",
                            va="bottom", fontsize=MIN_FONT, color="black",
                            arrowprops={"arrowstyle": "<-", "lw": 1.2, "color": "black"})
    ax.set_xticks(range(len(phases)), _names(phases, labels), rotation=30, ha="right", rotation_mode="anchor")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(axis="x", visible=False)
    if data["high"].isna().any():
        handles.append(Line2D([], [], color="black", marker=r"$\geq$", linestyle="", markersize=9,
                              label="open-ended (more than)"))
    _legend(ax, handles)
    return ax


# --------------------------------------------------------------------------- regions


def plot_city_control(data: pd.DataFrame, *, names: dict | None = None, ax: Axes | None = None, **kwargs) -> Axes:
    """Who held each city and on what evidence: one row per city, spans coloured by holder.

    A span's fill says who held the city; its look says how we know it:
    solid for a **recorded** year (a capture, a failed siege or a control
    statement in that year), a pale fill with a coloured outline for an
    **inferred** run (between two agreeing records at most
    :data:`kdwars.analysis.CONTROL_MAX_GAP` years apart), and nothing but a
    light dotted band for **unknown** years, so that no holder is carried
    across years the sources are silent about. Dzungar spans are hatched (for
    greyscale); a held-by-no-one span (``none``) is white with a black outline;
    ``disputed`` is black.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`kdwars.analysis.city_control`, by interval (``place_id``,
        ``start``, ``end``, ``holder``, ``basis``) or by year (``place_id``,
        ``year``, ``holder``, ``basis``). Cities in order of first appearance.
    names : dict, optional
        ``{place_id: label}`` for the tick labels; ids not in it are shown as they are.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` for the recorded and inferred spans.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one bar per span, in ``ax.patches``).

    Raises
    ------
    ValueError
        If ``data`` lacks ``place_id``, ``holder`` or ``basis``, or has neither
        ``start``/``end`` nor ``year``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> control = A.city_control(kdwars.load_events(), kdwars.load_event_places(), ["turkistan", "sayram"])
    >>> ax = kdwars.plot_city_control(control)  # doctest: +SKIP
    """
    control = data
    _need(control, ["place_id", "holder", "basis"], "plot_city_control")
    if "start" not in control.columns:
        _need(control, ["year"], "plot_city_control")
        control = control.assign(start=control["year"], end=control["year"])
    _need(control, ["start", "end"], "plot_city_control")
    cities = list(dict.fromkeys(control["place_id"]))
    ax = _ax(ax, (8.2, 0.62 * len(cities) + 1.9))
    seen: dict[tuple[str, str], bool] = {}
    for i, city in enumerate(cities):
        c = control[control["place_id"] == city].sort_values("start")
        for _, r in c.iterrows():
            y0, w = int(r["start"]), int(r["end"]) - int(r["start"]) + 1
            holder, basis = str(r["holder"]), str(r["basis"])
            if basis == "unknown":
                ax.barh(i, w, left=y0, height=0.3, color="#F2F2F2", edgecolor="#BBBBBB", linewidth=0.6,
                        linestyle=":")
                seen[("unknown", "unknown")] = True
                continue
            colour = "#FFFFFF" if holder == "none" else OUTCOME_COLORS.get(holder, side_color(holder))
            hatch = "//" if holder == "dzungar" else None
            if basis == "recorded":
                ax.barh(i, w, left=y0, height=0.7, color=colour, hatch=hatch,
                        edgecolor="black" if holder == "none" else "white", linewidth=0.8, **kwargs)
            else:  # inferred: pale fill, outlined
                ax.barh(i, w, left=y0, height=0.7, color=mpl.colors.to_rgba(colour, 0.3), hatch=hatch,
                        edgecolor=colour if holder != "none" else "black", linewidth=1.2, **kwargs)
            seen[(holder, basis)] = True
    ax.set_yticks(range(len(cities)), [names.get(c, c) if names else c for c in cities])
    ax.invert_yaxis()
    ax.set_xlabel("Year")
    ax.grid(axis="y", visible=False)
    order = ["kazakh", "dzungar", "none", "disputed"]
    holders = [h for h in order if any(k[0] == h for k in seen)] + sorted(
        {k[0] for k in seen} - set(order) - {"unknown"})
    label = {"none": "no one (a witness says)", "disputed": "sources disagree"}
    handles = []
    for h in holders:
        colour = "#FFFFFF" if h == "none" else OUTCOME_COLORS.get(h, side_color(h))
        name = label.get(h, display_name(h))
        if (h, "recorded") in seen:
            handles.append(Patch(facecolor=colour, hatch="//" if h == "dzungar" else None,
                                 edgecolor="black" if h == "none" else "white", label=f"{name}: recorded"))
        if (h, "inferred") in seen:
            handles.append(Patch(facecolor=mpl.colors.to_rgba(colour, 0.3), hatch="//" if h == "dzungar" else None,
                                 edgecolor=colour if h != "none" else "black", linewidth=1.2,
                                 label=f"{name}: inferred\n(between agreeing records)"))
    if ("unknown", "unknown") in seen:
        handles.append(Patch(facecolor="#F2F2F2", edgecolor="#BBBBBB", linestyle=":", label="unknown"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), title="held by")
    return ax


# --------------------------------------------------------------------------- disagreement


def plot_date_claims(data: pd.DataFrame, *, label: str = "name", relative: bool = False, legend: bool = True,
                     ax: Axes | None = None, **kwargs) -> Axes:
    """Competing date claims per event, one line per claim.

    Each line runs from a claim's first to its last year, coloured by source
    article with the source's marker at its start, stacked within the event's row.

    With ``relative=True`` the x axis counts years after the event's earliest
    claimed year, so that events centuries apart can share one chart; the
    earliest year is printed on the right.

    Parameters
    ----------
    data : pandas.DataFrame
        Date claims, e.g. :func:`kdwars.analysis.date_disagreements` output
        (needs ``event_id``, ``label``, ``year_start``, ``year_end`` and
        ``source_id``; ``attributed_to``, when present, is written after the line).
        Events in order of first appearance.
    label : str, default "name"
        Column for the tick labels (its first value per event).
    relative : bool, default False
        Count years from each event's earliest claimed year.
    legend : bool, default True
        Draw the legend of sources under the chart.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    **kwargs
        Passed to :class:`matplotlib.collections.LineCollection` for the claims
        (e.g. ``linewidths=``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> dates = A.date_disagreements(kdwars.load_event_dates(), kdwars.load_events())
    >>> ax = kdwars.plot_date_claims(dates.query("spread < 20"))  # doctest: +SKIP
    """
    _need(data, ["event_id", label, "year_start", "year_end", "source_id"], "plot_date_claims")
    d = data.reset_index(drop=True)
    events = list(dict.fromkeys(d["event_id"]))
    ax = _ax(ax, (8.3, 0.5 * len(events) + 1.5))
    names = d.drop_duplicates("event_id").set_index("event_id")[label]
    yy = _row_positions(d["event_id"], events, spread=0.7, cap=0.18)
    base = d.groupby("event_id")["year_start"].transform("min").to_numpy(float) if relative else np.zeros(len(d))
    x0 = d["year_start"].to_numpy(float) - base
    x1 = d["year_end"].to_numpy(float) - base + 1
    sources = [s for s in SOURCE_COLORS if s in set(d["source_id"])]
    sources += sorted(set(d["source_id"]) - set(sources))
    colors = {s: SOURCE_COLORS.get(s, "#777777") for s in sources}
    markers = category_markers(sources)
    src = d["source_id"].to_numpy()
    if len(d):
        segs = np.stack([np.column_stack([x0, yy]), np.column_stack([x1, yy])], axis=1)
        style = {"linewidths": 4, "capstyle": "butt"} | kwargs
        ax.add_collection(LineCollection(segs, colors=[colors[s] for s in src], **style))
        ax.update_datalim(np.column_stack([np.r_[x0, x1], np.r_[yy, yy]]))
        ax.autoscale_view()
    for s in sources:
        m = src == s
        ax.scatter(x0[m], yy[m], color=colors[s], marker=markers[s], s=30, edgecolor="black", linewidth=0.4,
                   zorder=3)
    if "attributed_to" in d.columns:
        for x, y, who in zip(x1, yy, d["attributed_to"]):
            if who is not None and pd.notna(who):
                ax.text(x + 0.15, y, str(who), fontsize=MIN_FONT, va="center", color="#333333", in_layout=False)
    if relative:
        firsts = d.groupby("event_id", sort=False)["year_start"].min()
        for i, ev in enumerate(events):
            ax.text(1.01, i, f"from {int(firsts[ev])}", transform=ax.get_yaxis_transform(), fontsize=MIN_FONT,
                    va="center")
    ax.set_yticks(range(len(events)), [names[e] for e in events], fontsize=MIN_FONT)
    ax.set_ylim(len(events) - 0.5, -0.5)
    ax.set_xlabel("Years after the earliest claimed year (line: the years a claim allows)" if relative
                  else "Year claimed (line: the years a claim allows)")
    ax.grid(axis="y", visible=False)
    if legend:
        _legend(ax, _marker_handles(sources, colors, markers, line=True, lw=4), title="source", loc="upper center",
                bbox_to_anchor=(0.5, -0.1 - 0.5 / max(len(events), 1)), ncol=min(len(sources), 3))
    return ax


def date_claims_grid(data: pd.DataFrame, *, label: str = "name", ncols: int = 2, **kwargs):
    """Competing date claims in small multiples: one panel per event, each on its own years.

    On one shared axis a dispute of a year or two disappears between events a century
    apart; here each panel spans only its event's claims (plus a year each side), in
    years, with one legend of sources for the whole figure.

    Parameters
    ----------
    data : pandas.DataFrame
        As for :func:`plot_date_claims` (e.g. :func:`kdwars.analysis.date_disagreements`).
    label : str, default "name"
        Column for the panel titles.
    ncols : int, default 2
        Panels per row.
    **kwargs
        Passed to :func:`plot_date_claims` for every panel.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (one Axes per event, in order of first appearance).

    Raises
    ------
    ValueError
        If ``data`` lacks a needed column or holds no event.
    """
    _need(data, ["event_id", label, "year_start", "year_end", "source_id"], "date_claims_grid")
    events = list(dict.fromkeys(data["event_id"]))
    if not events:
        raise ValueError("date_claims_grid() needs at least one event")
    nrows = -(-len(events) // ncols)
    fig = plt.figure(figsize=(8.3, 1.45 * nrows + 1.5), layout="constrained")
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1.0] * nrows + [0.55])
    axes = np.array([[fig.add_subplot(grid[r, c]) for c in range(ncols)] for r in range(nrows)])
    for ax, ev in zip(axes.flat, events):
        sub = data[data["event_id"] == ev]
        plot_date_claims(sub, label=label, legend=False, ax=ax, **kwargs)
        lo, hi = int(sub["year_start"].min()), int(sub["year_end"].max()) + 1
        ax.set_xlim(lo - 1, hi + 1)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=5))
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_title(str(sub[label].iloc[0]), fontsize=10, loc="left", fontweight="normal")
    for ax in list(axes.flat)[len(events):]:
        ax.set_visible(False)
    sources = [s for s in SOURCE_COLORS if s in set(data["source_id"])]
    sources += sorted(set(data["source_id"]) - set(sources))
    colors = {s: SOURCE_COLORS.get(s, "#777777") for s in sources}
    handles = _marker_handles(sources, colors, category_markers(sources), line=True, lw=4)
    key = fig.add_subplot(grid[-1, :])  # the legend's own row, so the layout makes room for it
    key.axis("off")
    key.legend(handles=handles, title="source (line: the years a claim allows)", loc="center",
               ncols=min(len(sources), 3))
    return fig
