"""Plotting functions in the style of seaborn.

Each function takes a DataFrame (usually the output of a loader or an
:mod:`kdwars.analysis` helper), draws on ``ax`` (a new figure when
``ax=None``) and returns the Axes. Colours come from :mod:`kdwars.style`: one
colour per side across every chart, chosen to stay apart for colour-blind
readers and in greyscale; ranges are drawn as ranges, never as a single number.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from .style import OUTCOME_COLORS, SIDE_MARKERS, side_color

__all__ = [
    "set_theme", "save_figure", "plot_timeline", "plot_phase_schemes", "plot_counts", "plot_upper_hand",
    "plot_table_heatmap", "plot_careers", "plot_commander_records", "plot_claim_ranges", "plot_force_ratio",
    "plot_totals", "plot_city_control", "plot_date_claims", "SOURCE_COLORS", "SOURCE_LABELS",
    "min_font_size", "source_line", "MIN_FONT", "MAX_WIDTH_PX",
]

#: Smallest font size (points) of any text on a chart: at the 100 dpi the figures are
#: saved with and at most :data:`MAX_WIDTH_PX` wide, GitHub shows them at full size.
MIN_FONT = 9
#: Widest saved figure in pixels (GitHub's rendered notebooks and README are about 850 px).
MAX_WIDTH_PX = 850
#: Default figure size in inches (850 × 480 px at 100 dpi).
FIGSIZE = (8.3, 4.8)
#: The source line every saved chart carries unless it sets its own.
SOURCE_LINE = "Source: kdwars dataset — claims from five encyclopedia articles on the Kazakh–Dzungar Wars"

#: One colour (and label) per source article.
SOURCE_COLORS = {
    "overview": "#332288", "overview-old": "#88CCEE", "war1635": "#117733", "war1723": "#DDCC77",
    "war1739": "#AA4499",
}
SOURCE_LABELS = {
    "overview": "Overview (current)", "overview-old": "Overview (older)", "war1635": "War 1635–1658",
    "war1723": "War 1723–1730", "war1739": "War 1739–1741",
}
TYPE_ORDER = ["war", "campaign", "invasion", "battle", "siege", "city-capture", "raid", "capture-of-person",
              "displacement", "council", "embassy", "treaty", "protectorate", "succession", "death", "founding",
              "fortification"]


def set_theme(context: str = "notebook") -> None:
    """Apply the project's chart style (seaborn whitegrid, readable sizes, 100 dpi).

    Calls :func:`seaborn.set_theme` and updates :data:`matplotlib.rcParams`
    (bold left-aligned titles, no legend frame, tight bounding box when saving,
    default figure size 8.5 × 4.8 inches, no text under 9 pt); the change lasts for
    the session.

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
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def min_font_size(fig) -> float:
    """Smallest font size (points) of any visible, non-empty text on a figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    float
        ``inf`` when the figure has no text.
    """
    sizes = [t.get_fontsize() for t in fig.findobj(mpl.text.Text)
             if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0]
    return min(sizes, default=float("inf"))


def source_line(fig, text: str | None = None):
    """Add the chart's source line under the figure (once).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
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
    fig.savefig(path, dpi=100, metadata={"Software": None, "kdwars:min-font-pt": f"{min_font_size(fig):.1f}"})
    if show and "inline" in mpl.get_backend():
        from IPython.display import Image, display

        display(Image(data=path.read_bytes(), format="png"))
        plt.close(fig)
    return path


def _legend_sides(ax: Axes, values: Sequence[str], title: str | None = None, loc="upper left", **kw) -> None:
    handles = [Line2D([], [], marker=SIDE_MARKERS.get(v, "o"), linestyle="", markersize=8,
                      markerfacecolor=side_color(v), markeredgecolor="black", markeredgewidth=0.5, label=v)
               for v in values]
    ax.legend(handles=handles, title=title, loc=loc, **kw)


# --------------------------------------------------------------------------- phases and time


def _short_label(row) -> str:
    pid = str(row["phase_id"])
    if pid.startswith("war-"):
        a, b = pid[4:8], pid[9:13]
        return f"{a}–{b[2:]}" if a[:2] == b[:2] else f"{a}–{b}"
    return {"prelude": "prelude", "aftermath": "aftermath", "first": "1st stage", "second": "2nd",
            "third": "3rd", "fourth": "4th stage"}.get(pid, "")


def _phase_bands(ax: Axes, phases: pd.DataFrame, scheme: str, xlim: tuple[float, float], label: bool = True) -> None:
    """Shade the phases of ``scheme`` behind a time axis and name them just inside the top edge."""
    p = phases[phases["scheme"] == scheme].sort_values("start_year")
    k = 0
    for i, (_, row) in enumerate(p.iterrows()):
        x0, x1 = max(row["start_year"], xlim[0]), min(row["end_year"] + 1, xlim[1])
        if x1 <= x0:
            continue
        is_war = str(row["phase_id"]).startswith("war-")
        shade = "#E6E6E6" if is_war else "#FFFFFF"
        if scheme == "stage":
            shade = ["#F2F2F2", "#DDDDDD"][i % 2]
        ax.axvspan(x0, x1, color=shade, zorder=0, lw=0)
        text = _short_label(row)
        if label and text:
            ax.text((x0 + x1) / 2, 0.995 - 0.035 * (k % 2), text, transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=MIN_FONT, color="#333333", zorder=5, in_layout=False)
            k += 1


def plot_timeline(events: pd.DataFrame, phases: pd.DataFrame | None = None, scheme: str = "period",
                  y: str = "event_type", hue: str = "winner", xlim: tuple[int, int] = (1630, 1772),
                  order: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Every event as a mark at its year (a bar across its span), one row per ``y`` value.

    Colour is the ``hue`` side (winner by default: one colour per side, grey for
    undecided, black for disputed). Phases of ``scheme`` are shaded behind; events
    before ``xlim[0]`` (the prelude) are counted in a note at the left edge.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kdwars.load_events` (needs ``year_start``, ``year_end``, ``y``
        and ``hue``).
    phases : pandas.DataFrame, optional
        From :func:`kdwars.load_phases`; without it no phases are shaded.
    scheme : {"period", "stage"}, default "period"
        Periodisation to shade.
    y : str, default "event_type"
        Column giving each event's row. Marks are jittered within the row (with a
        fixed seed, so the chart is reproducible).
    hue : str, default "winner"
        Column of side slugs or outcome words that colours the marks; missing
        values are drawn as ``none``.
    xlim : tuple of (int, int), default (1630, 1772)
        Years shown; spans are clipped to them.
    order : sequence of str, optional
        Values of ``y`` from top to bottom; values not listed are not drawn. By
        default event types in a fixed order (wars and campaigns first), then any
        other values alphabetically.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``events`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> ax = kdwars.plot_timeline(kdwars.load_events(), kdwars.load_phases())  # doctest: +SKIP
    """
    _need(events, ["year_start", "year_end", y, hue], "plot_timeline")
    ax = _ax(ax, (8.3, 6))
    ev = events.copy()
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
    ev = ev.assign(_y=ev[y].map(rows) + rng.uniform(-0.25, 0.25, len(ev)),
                   _x0=ev["year_start"].clip(lower=xlim[0]).astype(float),
                   _x1=ev["year_end"].clip(upper=xlim[1]).astype(float))
    for value, g in ev.groupby(hue, sort=False):  # one collection per colour: fast to draw
        color = OUTCOME_COLORS.get(value, "#BBBBBB")
        spans = g[g["_x1"] > g["_x0"]]
        if len(spans):
            segs = [[(a, yy), (b + 0.9, yy)] for a, b, yy in zip(spans["_x0"], spans["_x1"], spans["_y"])]
            ax.add_collection(LineCollection(segs, colors=color if color != "#FFFFFF" else "#BBBBBB",
                                             linewidths=3, alpha=0.8, capstyle="butt", zorder=2))
        ax.scatter(g["_x0"] + 0.45, g["_y"], s=36, color=color, marker=SIDE_MARKERS.get(value, "o"),
                   edgecolor="black", linewidth=0.4, zorder=3)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -1.4)  # a free strip at the top for the phase names
    ax.set_xlim(*xlim)
    ax.set_xlabel("Year")
    ax.grid(axis="y", visible=False)
    if len(before):
        ax.text(xlim[0] + 0.5, len(order) - 0.7, f"+{len(before)} prelude events before {xlim[0]}",
                fontsize=MIN_FONT, color="#555555", va="bottom", in_layout=False)
    values = [v for v in ("kazakh", "dzungar", "khoshut", "bukhara", "qing", "russia", "kalmyk", "inconclusive",
                          "disputed", "unknown", "none") if v in set(ev[hue])]
    values += sorted(set(ev[hue]) - set(values))
    _legend_sides(ax, values, title=hue, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_phase_schemes(phases: pd.DataFrame, xlim: tuple[int, int] = (1630, 1772),
                       ax: Axes | None = None) -> Axes:
    """The two periodisations side by side as two rows of spans.

    The top row shows the ``period`` scheme (war by war, current overview), the
    bottom row the ``stage`` scheme (four stages, older overview); wars and
    stages are dark, the years between them light.

    Parameters
    ----------
    phases : pandas.DataFrame
        From :func:`kdwars.load_phases` (needs ``scheme``, ``phase_id``,
        ``label``, ``start_year`` and ``end_year``).
    xlim : tuple of (int, int), default (1630, 1772)
        Years shown; phases are clipped to them.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import kdwars
    >>> ax = kdwars.plot_phase_schemes(kdwars.load_phases())  # doctest: +SKIP
    """
    ax = _ax(ax, (8.3, 3.2))
    for row, (scheme, title) in enumerate((("period", "War-by-war periods\n(current overview)"),
                                           ("stage", "Four stages\n(older overview)"))):
        p = phases[phases["scheme"] == scheme].sort_values("start_year")
        for i, (_, ph) in enumerate(p.iterrows()):
            x0, x1 = max(ph["start_year"], xlim[0]), min(ph["end_year"] + 1, xlim[1])
            if x1 <= x0:
                continue
            war = scheme == "stage" and ph["phase_id"] in ("first", "second", "third", "fourth") or \
                str(ph["phase_id"]).startswith("war-")
            color = ("#4D4D4D" if i % 2 else "#8C8C8C") if war else "#E6E6E6"
            ax.barh(row, x1 - x0, left=x0, height=0.6, color=color, edgecolor="white", linewidth=1)
            label = ph["phase_id"] if scheme == "stage" else ph["label"].replace("War of ", "")
            if not war:
                label = {"prelude": "prelude", "aftermath": "aftermath", "before-stages": "before",
                         "after-stages": "after"}.get(ph["phase_id"], "")
            if (x1 - x0) >= 4 and label:
                ax.text((x0 + x1) / 2, row, label, ha="center", va="center", fontsize=MIN_FONT, in_layout=False,
                        color="white" if war else "#333333", rotation=0 if (x1 - x0) > 14 else 90)
        ax.text(xlim[0] - 1, row, title, ha="right", va="center", fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(1.6, -0.6)
    ax.set_xlim(*xlim)
    ax.set_xlabel("Year")
    ax.grid(axis="y", visible=False)
    return ax


def plot_counts(table: pd.DataFrame, ax: Axes | None = None, horizontal: bool = False,
                palette: dict | None = None, colors_by_side: bool = True, xlabel: str | None = None,
                ylabel: str = "Number of events", legend_title: str | None = None) -> Axes:
    """Stacked bars of a counts table (rows = categories on the axis, columns = stacked groups).

    Parameters
    ----------
    table : pandas.DataFrame
        Counts, e.g. from :func:`kdwars.analysis.by_phase`,
        :func:`kdwars.analysis.by_region`, :func:`kdwars.analysis.events_per_decade`
        or :func:`kdwars.analysis.claims_per_source`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    horizontal : bool, default False
        Horizontal bars, first row at the top.
    palette : dict, optional
        ``{column: colour}``; columns not in it are grey. Overrides
        ``colors_by_side``.
    colors_by_side : bool, default True
        When every column is a side or outcome word (see
        :data:`kdwars.style.OUTCOME_COLORS`), order the columns like that mapping
        and use the side colours (``none`` is near-white with an outline);
        otherwise, and when ``False``, use seaborn's ``colorblind`` palette.
    xlabel : str, optional
        Label of the category axis.
    ylabel : str, default "Number of events"
        Label of the count axis.
    legend_title : str, optional
        Title of the legend (placed right of the axes).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> table = A.by_phase(kdwars.load_events(), kdwars.load_phases(), column="winner")
    >>> ax = kdwars.plot_counts(table, legend_title="winner")  # doctest: +SKIP
    """
    ax = _ax(ax)
    if palette is None:
        if colors_by_side and all(c in OUTCOME_COLORS for c in table.columns):
            rank = {side: i for i, side in enumerate(OUTCOME_COLORS)}
            table = table[sorted(table.columns, key=rank.__getitem__)]
            palette = {c: OUTCOME_COLORS[c] if c != "none" else "#F2F2F2" for c in table.columns}
        else:
            cols = sns.color_palette("colorblind", n_colors=max(len(table.columns), 1))
            palette = dict(zip(table.columns, cols))
    table.plot(kind="barh" if horizontal else "bar", stacked=True, ax=ax,
               color=[palette.get(c, "#999999") for c in table.columns], edgecolor="#FFFFFF", linewidth=0.5,
               width=0.8)
    for container, col in zip(ax.containers, table.columns):
        if col == "none":  # a near-white segment needs an outline to be seen
            for patch in container:
                patch.set_edgecolor("#AAAAAA")
    if horizontal:
        ax.invert_yaxis()
        ax.set_xlabel(ylabel)
        ax.set_ylabel(xlabel or "")
    else:
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel or "")
        ax.tick_params(axis="x", labelrotation=45)
        for lab in ax.get_xticklabels():
            lab.set_horizontalalignment("right")
    ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_upper_hand(table: pd.DataFrame, labels: dict | None = None, sides: tuple[str, str] = ("kazakh", "dzungar"),
                    ax: Axes | None = None) -> Axes:
    """Diverging bars per phase: wins of the first side upwards, of the second downwards.

    ``table`` is :func:`kdwars.analysis.upper_hand` output; disputed outcomes are
    drawn as a hatched grey segment on top of the first side's bar.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`kdwars.analysis.upper_hand` (needs a column per side in
        ``sides``; ``disputed`` is drawn when present). One bar per row, in row
        order.
    labels : dict, optional
        ``{phase_id: tick label}``; ids not in it are shown as they are.
    sides : tuple of (str, str), default ("kazakh", "dzungar")
        Side drawn upwards, side drawn downwards.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``table`` lacks a column for either side.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> hand = A.upper_hand(kdwars.load_events(), kdwars.load_phases())
    >>> ax = kdwars.plot_upper_hand(hand)  # doctest: +SKIP
    """
    _need(table, list(sides), "plot_upper_hand")
    ax = _ax(ax, (8.3, 4.5))
    x = np.arange(len(table))
    a, b = sides
    ax.bar(x, table[a], color=side_color(a), label=f"{a} won", edgecolor="black", linewidth=0.4)
    ax.bar(x, -table[b], color=side_color(b), label=f"{b} won", edgecolor="black", linewidth=0.4, hatch="//")
    if "disputed" in table.columns:
        ax.bar(x, table["disputed"], bottom=table[a], color="white", edgecolor="#555555", hatch="...",
               linewidth=0.4, label="sources disagree")
    ax.axhline(0, color="black", lw=0.8)
    names = [labels.get(i, i) if labels else i for i in table.index]
    ax.set_xticks(x, names, rotation=45, ha="right")
    ax.set_ylabel(f"Military events won\n(↑ {a}, ↓ {b})")
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [f"{abs(int(t))}" for t in ticks])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_table_heatmap(table: pd.DataFrame, ax: Axes | None = None, cmap: str = "Blues", annot: bool = True,
                       xlabel: str = "", ylabel: str = "", cbar_label: str = "Number", zero_blank: bool = True) -> Axes:
    """A counts table as an annotated heatmap (blank cells for zero).

    Parameters
    ----------
    table : pandas.DataFrame
        Numeric table, e.g. from :func:`kdwars.analysis.phase_crosswalk`,
        :func:`kdwars.analysis.by_region`, :func:`kdwars.analysis.opponents` or
        :func:`kdwars.analysis.disagreement_matrix`. Rows and columns are drawn
        in table order; the new figure's size follows the table's shape.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    cmap : str, default "Blues"
        matplotlib colormap name.
    annot : bool, default True
        Write each cell's value (as an integer) in the cell.
    xlabel, ylabel : str, default ""
        Axis labels.
    cbar_label : str, default "Number"
        Label of the colour bar (integer ticks).
    zero_blank : bool, default True
        Leave cells equal to 0 blank.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> cross = A.phase_crosswalk(kdwars.load_events(), kdwars.load_phases())
    >>> ax = kdwars.plot_table_heatmap(cross, xlabel="stage", ylabel="period")  # doctest: +SKIP
    """
    ax = _ax(ax, (min(8.3, max(6, 0.55 * table.shape[1] + 3)), max(3, 0.38 * table.shape[0] + 1.5)))
    data = table.astype(float)
    mask = data == 0 if zero_blank else None
    sns.heatmap(data, ax=ax, cmap=cmap, annot=annot, fmt=".0f", mask=mask, linewidths=0.5, linecolor="#EEEEEE",
                cbar_kws={"label": cbar_label, "shrink": 0.7}, annot_kws={"fontsize": MIN_FONT})
    for text in ax.texts:  # cell annotations lie inside the axes: keep them out of the (slow) layout pass
        text.set_in_layout(False)
    cbar = ax.collections[0].colorbar if ax.collections else None
    if cbar is not None:
        cbar.locator = mpl.ticker.MaxNLocator(integer=True)
        cbar.update_ticks()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=45)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    return ax


# --------------------------------------------------------------------------- commanders


def plot_careers(careers: pd.DataFrame, ax: Axes | None = None, label: str = "name") -> Axes:
    """Each person's span of recorded activity as a horizontal bar coloured by side.

    The bar runs from the start of ``first_year`` to the end of ``last_year``;
    the number of events is printed right of it.

    Parameters
    ----------
    careers : pandas.DataFrame
        Output of :func:`kdwars.analysis.careers` (needs ``first_year``,
        ``last_year``, ``side``, ``n_events`` and the ``label`` column). One bar
        per row, first row at the top.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    label : str, default "name"
        Column used for the tick labels.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``careers`` lacks a needed column.
    """
    _need(careers, ["first_year", "last_year", "side", label, "n_events"], "plot_careers")
    ax = _ax(ax, (8.3, max(4, 0.3 * len(careers) + 1)))
    c = careers.reset_index(drop=True)
    for i, r in c.iterrows():
        ax.barh(i, r["last_year"] - r["first_year"] + 1, left=r["first_year"], color=side_color(r["side"]),
                edgecolor="black", linewidth=0.4, height=0.7)
        ax.text(r["last_year"] + 1.5, i, f"{r['n_events']}", va="center", fontsize=MIN_FONT, color="#444444",
                in_layout=False)
    ax.set_yticks(range(len(c)), c[label], fontsize=MIN_FONT)
    ax.invert_yaxis()
    ax.set_xlabel("Year (bar: first to last recorded event; number: events)")
    ax.grid(axis="y", visible=False)
    _legend_sides(ax, [s for s in ("kazakh", "dzungar", "oirat", "khoshut", "bukhara", "qing", "russia", "kalmyk",
                                   "uzbek") if s in set(c["side"])], title="side", loc="upper left",
                  bbox_to_anchor=(1.01, 1))
    return ax


def plot_commander_records(records: pd.DataFrame, ax: Axes | None = None, top: int = 15, label: str = "name") -> Axes:
    """Won / lost / undecided events as commander, for the ``top`` most active commanders.

    Parameters
    ----------
    records : pandas.DataFrame
        Output of :func:`kdwars.analysis.commander_records` (needs ``won``,
        ``lost``, ``undecided`` and ``side``), most active first.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    top : int, default 15
        Number of rows drawn (the first ``top`` rows of ``records``).
    label : str, default "name"
        Column for the tick labels (shown as ``"label (side)"``); the index is used
        when the column is absent.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``records`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> records = A.commander_records(kdwars.load_commanders(), kdwars.load_events(), kdwars.load_people())
    >>> ax = kdwars.plot_commander_records(records, top=10)  # doctest: +SKIP
    """
    _need(records, ["won", "lost", "undecided", "side"], "plot_commander_records")
    r = records.head(top)
    ax = _ax(ax, (8.3, 0.36 * len(r) + 1.5))
    names = [f"{n} ({s})" for n, s in zip(r[label] if label in r else r.index, r["side"])]
    y = np.arange(len(r))
    left = np.zeros(len(r))
    for col, color, hatch in (("won", "#1B7837", ""), ("lost", "#B2182B", "//"), ("undecided", "#BBBBBB", "..")):
        ax.barh(y, r[col], left=left, color=color, hatch=hatch, edgecolor="white", label=col, height=0.7)
        left += r[col].to_numpy()
    ax.set_yticks(y, names, fontsize=MIN_FONT)
    ax.invert_yaxis()
    ax.set_xlabel("Events commanded (battles, sieges, raids, campaigns)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="lower right")
    return ax


# --------------------------------------------------------------------------- figures


def plot_claim_ranges(data: pd.DataFrame, y: str = "event", hue: str = "side", low: str = "low", high: str = "high",
                      log: bool = True, ax: Axes | None = None, palette: dict | None = None,
                      xlabel: str = "Men (log scale)") -> Axes:
    """Each figure claim as a range on a number axis.

    A bar from ``low`` to ``high``, a dot for a single figure, an arrow for an
    open bound ("more than N"). Claims of one ``y`` row are stacked slightly apart
    so that competing claims stay visible side by side.

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
        labels when ``hue="source_id"``.
    low, high : str, default "low", "high"
        Columns of the lower and upper bounds (missing = open or unknown).
    log : bool, default True
        Logarithmic number axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    palette : dict, optional
        ``{hue value: colour}`` replacing the default colours (values not in it
        are grey).
    xlabel : str, default "Men (log scale)"
        Label of the number axis.

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
    pal = palette or {h: (SOURCE_COLORS.get(h) if hue == "source_id" else side_color(h)) for h in d[hue].unique()}
    offsets: dict = {}
    counts = d.groupby(y).size()
    for _, r in d.iterrows():
        i = rows.index(r[y])
        k = offsets.get(r[y], 0)
        offsets[r[y]] = k + 1
        n = counts[r[y]]
        yy = i + (k - (n - 1) / 2) * min(0.6 / max(n - 1, 1), 0.22)
        lo, hi = r[low], r[high]
        color = pal.get(r[hue], "#777777")
        marker = SIDE_MARKERS.get(r[hue], "o") if hue == "side" else "o"
        if pd.notna(lo) and pd.notna(hi) and lo != hi:
            ax.plot([lo, hi], [yy, yy], color=color, lw=4, solid_capstyle="round", alpha=0.85)
        elif pd.notna(lo) and pd.notna(hi):
            ax.scatter([lo], [yy], color=color, s=45, marker=marker, edgecolor="black", linewidth=0.4, zorder=3)
        elif pd.notna(lo):  # open upper bound
            ax.annotate("", xy=(lo * 2.2 if log else lo * 1.4, yy), xytext=(lo, yy),
                        arrowprops=dict(arrowstyle="->", color=color, lw=2))
            ax.scatter([lo], [yy], color=color, s=30, marker="|", zorder=3)
        elif pd.notna(hi):  # open lower bound
            ax.annotate("", xy=(hi / 2.2 if log else hi * 0.6, yy), xytext=(hi, yy),
                        arrowprops=dict(arrowstyle="->", color=color, lw=2))
    values = pd.concat([d[low], d[high]]).dropna().astype(float)
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if len(values):
            ax.set_xlim(values.min() / 1.8, values.max() * 3.0)  # room for the open-bound arrows
    ax.set_yticks(range(len(rows)), rows, fontsize=MIN_FONT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    labels = {h: SOURCE_LABELS.get(h, h) for h in pal} if hue == "source_id" else {h: h for h in pal}
    handles = [Patch(color=c, label=labels[h]) for h, c in pal.items()]
    handles += [Line2D([], [], color="#555555", lw=4, label="range"),
                Line2D([], [], color="#555555", marker="o", linestyle="", label="single figure"),
                Line2D([], [], color="#555555", marker=r"$\rightarrow$", linestyle="", markersize=12,
                       label="open: 'more than'")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=MIN_FONT)
    return ax


def plot_force_ratio(ratios: pd.DataFrame, ax: Axes | None = None, sides: tuple[str, str] = ("kazakh", "dzungar")) -> Axes:
    """Force ratio (first side ÷ second) as a range per event, coloured by the winner.

    Right of the line the first side was larger; a bar that crosses the line
    means the sources do not say which army was larger.

    Parameters
    ----------
    ratios : pandas.DataFrame
        Output of :func:`kdwars.analysis.force_ratio` (needs ``name``, ``year``,
        ``ratio_low``, ``ratio_high`` and ``winner``). An open (infinite)
        ``ratio_high`` is drawn up to 20 times ``ratio_low``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    sides : tuple of (str, str), default ("kazakh", "dzungar")
        The sides of the ratio, used in the axis label only.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``ratios`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> ratio = A.force_ratio(kdwars.load_casualties(), kdwars.load_events())
    >>> ax = kdwars.plot_force_ratio(ratio)  # doctest: +SKIP
    """
    _need(ratios, ["name", "ratio_low", "ratio_high", "winner"], "plot_force_ratio")
    ax = _ax(ax, (8.3, 0.5 * len(ratios) + 1.5))
    for i, r in ratios.reset_index(drop=True).iterrows():
        lo, hi = r["ratio_low"], r["ratio_high"]
        color = OUTCOME_COLORS.get(r["winner"], "#999999")
        hi_draw = hi if np.isfinite(hi) else lo * 20
        if np.isclose(lo, hi):
            ax.scatter([lo], [i], color=color, s=50, edgecolor="black", linewidth=0.4, zorder=3,
                       marker=SIDE_MARKERS.get(r["winner"], "o"))
        else:
            ax.plot([lo, hi_draw], [i, i], color=color, lw=6, solid_capstyle="butt", alpha=0.9)
            ax.scatter([lo, hi_draw], [i, i], color=color, s=18, zorder=3, edgecolor="black", linewidth=0.3)
    ax.axvline(1, color="black", lw=1, ls="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_yticks(range(len(ratios)), [f"{n} ({y})" for n, y in zip(ratios["name"], ratios["year"])], fontsize=MIN_FONT)
    ax.invert_yaxis()
    ax.set_xlabel(f"{sides[0].capitalize()} strength ÷ {sides[1]} strength (log scale; range over all claims)")
    ax.grid(axis="y", visible=False)
    _legend_sides(ax, list(dict.fromkeys(ratios["winner"])), title="winner", loc="upper left",
                  bbox_to_anchor=(1.01, 1))
    return ax


def plot_totals(totals: pd.DataFrame, phase_col: str = "period", ax: Axes | None = None,
                labels: dict | None = None, ylabel: str = "People") -> Axes:
    """Low–high totals per phase and side as grouped bars.

    A solid bar to the low total, a hatched extension to the high total, and an
    arrow where the high total is open.

    Parameters
    ----------
    totals : pandas.DataFrame
        Output of :func:`kdwars.analysis.totals_by_phase` (needs ``phase_col``,
        ``side``, ``low`` and ``high``). Phases and sides are drawn in order of
        first appearance; a missing ``high`` means open-ended.
    phase_col : str, default "period"
        Column holding the phase (the ``scheme`` passed to ``totals_by_phase``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    labels : dict, optional
        ``{phase_id: tick label}``; ids not in it are shown as they are.
    ylabel : str, default "People"
        Label of the value axis.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``totals`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> cas, events, phases = kdwars.load_casualties(), kdwars.load_events(), kdwars.load_phases()
    >>> totals = A.totals_by_phase(cas, events, phases, "captured", unit=("people", "men"))
    >>> ax = kdwars.plot_totals(totals)  # doctest: +SKIP
    """
    _need(totals, [phase_col, "side", "low", "high"], "plot_totals")
    ax = _ax(ax, (8.3, 4.5))
    phases = list(dict.fromkeys(totals[phase_col]))
    sides = list(dict.fromkeys(totals["side"]))
    width = 0.8 / max(len(sides), 1)
    for j, side in enumerate(sides):
        t = totals[totals["side"] == side].set_index(phase_col).reindex(phases)
        x = np.arange(len(phases)) + (j - (len(sides) - 1) / 2) * width
        lows = t["low"].astype(float).fillna(0).to_numpy()
        highs = t["high"].astype(float).to_numpy()
        ax.bar(x, lows, width=width, color=side_color(side), edgecolor="black", linewidth=0.4, label=f"{side}: low")
        ext = np.where(np.isnan(highs), 0, highs - lows)
        ax.bar(x, ext, bottom=lows, width=width, color="white", edgecolor=side_color(side), hatch="///",
               linewidth=0.8, label=f"{side}: up to high")
        for xi, lo, hi, present in zip(x, lows, highs, t["side"].notna()):
            if present and np.isnan(hi):  # open-ended: "more than" — an arrow and a ≥ sign above the bar
                ax.annotate("≥", xy=(xi, lo), xytext=(0, 14), textcoords="offset points", ha="center",
                            va="bottom", fontsize=9, color="black",
                            arrowprops=dict(arrowstyle="<-", lw=1.2, color="black"))
    ax.set_xticks(range(len(phases)), [labels.get(p, p) if labels else p for p in phases], rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    handles, texts = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color="black", marker=r"$\geq$", linestyle="", markersize=9))
    texts.append("open-ended (more than)")
    ax.legend(handles, texts, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=MIN_FONT)
    return ax


# --------------------------------------------------------------------------- regions


def plot_city_control(control: pd.DataFrame, names: dict | None = None, ax: Axes | None = None) -> Axes:
    """Who held each city year by year: one row per city, spans coloured by holder.

    Parameters
    ----------
    control : pandas.DataFrame
        Output of :func:`kdwars.analysis.city_control` (needs ``place_id``,
        ``year``, ``holder`` and ``event_id``; a tick marks each year where
        ``event_id`` changes). Cities in order of first appearance; Dzungar spans
        are hatched.
    names : dict, optional
        ``{place_id: label}`` for the tick labels; ids not in it are shown as they are.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``control`` lacks ``place_id``, ``year`` or ``holder``.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> control = A.city_control(kdwars.load_events(), kdwars.load_event_places(), ["turkestan", "sayram"])
    >>> ax = kdwars.plot_city_control(control)  # doctest: +SKIP
    """
    _need(control, ["place_id", "year", "holder"], "plot_city_control")
    cities = list(dict.fromkeys(control["place_id"]))
    ax = _ax(ax, (8.3, 0.6 * len(cities) + 1.5))
    for i, city in enumerate(cities):
        c = control[control["place_id"] == city].sort_values("year")
        runs = (c["holder"] != c["holder"].shift()).cumsum()
        for _, g in c.groupby(runs):
            holder = g["holder"].iloc[0]
            y0, y1 = g["year"].min(), g["year"].max() + 1
            ax.barh(i, y1 - y0, left=y0, height=0.65, color=OUTCOME_COLORS.get(holder, "#DDDDDD"),
                    edgecolor="white", linewidth=0.5, hatch="//" if holder == "dzungar" else None)
        changes = c[c["event_id"].ne(c["event_id"].shift()) & c["event_id"].notna()]
        ax.scatter(changes["year"], [i] * len(changes), marker="|", color="black", s=120, zorder=3)
    ax.set_yticks(range(len(cities)), [names.get(c, c) if names else c for c in cities])
    ax.invert_yaxis()
    ax.set_xlabel("Year (ticks: a recorded capture or siege)")
    ax.grid(axis="y", visible=False)
    holders = [h for h in ("kazakh", "dzungar", "bukhara", "khoshut", "disputed", "unknown") if h in set(control["holder"])]
    ax.legend(handles=[Patch(facecolor=OUTCOME_COLORS.get(h, "#DDDDDD"), hatch="//" if h == "dzungar" else None,
                             edgecolor="white", label={"unknown": "no record yet", "disputed": "sources disagree"}.get(h, h))
                       for h in holders],
              loc="upper left", bbox_to_anchor=(1.01, 1), title="held by")
    return ax


# --------------------------------------------------------------------------- disagreement


def plot_date_claims(claims: pd.DataFrame, ax: Axes | None = None, label: str = "name",
                     relative: bool = False) -> Axes:
    """Competing date claims per event, one bar per claim.

    Each bar runs from a claim's first to its last year, coloured by source
    article, stacked within the event's row.

    With ``relative=True`` the x axis counts years after the event's earliest
    claimed year, so that events centuries apart can share one chart; the
    earliest year is printed on the right.

    Parameters
    ----------
    claims : pandas.DataFrame
        Date claims, e.g. :func:`kdwars.analysis.date_disagreements` output
        (needs ``event_id``, ``label``, ``year_start``, ``year_end`` and
        ``source_id``; ``attributed_to``, when present, is written after the bar).
        Events in order of first appearance.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when ``None``.
    label : str, default "name"
        Column for the tick labels (its first value per event).
    relative : bool, default False
        Count years from each event's earliest claimed year.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``claims`` lacks a needed column.

    Examples
    --------
    >>> import kdwars
    >>> from kdwars import analysis as A
    >>> dates = A.date_disagreements(kdwars.load_event_dates(), kdwars.load_events())
    >>> ax = kdwars.plot_date_claims(dates.query("spread < 20"))  # doctest: +SKIP
    """
    _need(claims, ["event_id", label, "year_start", "year_end", "source_id"], "plot_date_claims")
    events = list(dict.fromkeys(claims["event_id"]))
    ax = _ax(ax, (8.3, 0.5 * len(events) + 1.5))
    names = claims.drop_duplicates("event_id").set_index("event_id")[label]
    for i, ev in enumerate(events):
        c = claims[claims["event_id"] == ev].reset_index(drop=True)
        base = int(c["year_start"].min()) if relative else 0
        for k, r in c.iterrows():
            yy = i + (k - (len(c) - 1) / 2) * min(0.7 / max(len(c) - 1, 1), 0.18)
            color = SOURCE_COLORS.get(r["source_id"], "#777777")
            x0, x1 = r["year_start"] - base, r["year_end"] - base + 1
            ax.plot([x0, x1], [yy, yy], color=color, lw=4, solid_capstyle="butt")
            if r.get("attributed_to") is not None and pd.notna(r.get("attributed_to")):
                ax.text(x1 + 0.15, yy, str(r["attributed_to"]), fontsize=MIN_FONT, va="center", color="#333333",
                        in_layout=False)
        if relative:
            ax.text(1.01, i, f"from {base}", transform=ax.get_yaxis_transform(), fontsize=MIN_FONT, va="center")
    ax.set_yticks(range(len(events)), [names[e] for e in events], fontsize=MIN_FONT)
    ax.set_ylim(len(events) - 0.5, -0.5)
    ax.set_xlabel("Years after the earliest claimed year (bar: the years a claim allows)" if relative
                  else "Year claimed (bar: the years a claim allows)")
    ax.grid(axis="y", visible=False)
    used = [s for s in SOURCE_COLORS if s in set(claims["source_id"])]
    ax.legend(handles=[Patch(color=SOURCE_COLORS[s], label=SOURCE_LABELS[s]) for s in used], loc="upper center",
              bbox_to_anchor=(0.5, -0.1 - 0.5 / max(len(events), 1)), ncol=len(used), title="source", fontsize=MIN_FONT)
    return ax
