"""Plotting functions: seaborn conventions (draw on ax, return it), real content drawn."""

from __future__ import annotations

import matplotlib
import matplotlib.collections

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import kdwars  # noqa: E402
from kdwars import analysis as A  # noqa: E402
from kdwars import plotting as P  # noqa: E402
from kdwars.style import side_color  # noqa: E402


@pytest.fixture(scope="module")
def t():
    return dict(events=kdwars.load_events(), phases=kdwars.load_phases(), cas=kdwars.load_casualties(),
                cmd=kdwars.load_commanders(), people=kdwars.load_people())


@pytest.fixture(autouse=True)
def close():
    yield
    plt.close("all")


def test_timeline_uses_given_axes_and_side_colours(t):
    fig, ax = plt.subplots()
    out = P.plot_timeline(t["events"], t["phases"], ax=ax)
    assert out is ax
    points = [c for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection)]
    colours = {tuple(round(c, 3) for c in coll.get_facecolor()[0][:3]) for coll in points if len(coll.get_offsets())}
    kaz = tuple(round(int(side_color("kazakh")[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))
    assert kaz in colours
    n_marks = sum(len(c.get_offsets()) for c in points)
    assert n_marks == (t["events"]["year_end"] >= 1630).sum()


def test_claim_ranges_one_mark_per_claim(t):
    data = A.force_ranges(t["cas"], t["events"])
    ax = P.plot_claim_ranges(data)
    segments = [line for line in ax.lines if len(line.get_xdata()) == 2]
    dots = sum(len(c.get_offsets()) for c in ax.collections)
    arrows = [a for a in ax.texts if hasattr(a, "arrow_patch") and a.arrow_patch is not None]
    assert len(segments) + dots + len(arrows) >= len(data)
    assert ax.get_xscale() == "log"


def test_upper_hand_bars_match_the_table(t):
    table = A.upper_hand(t["events"], t["phases"])
    ax = P.plot_upper_hand(table)
    heights = [p.get_height() for p in ax.containers[0]]
    assert heights == list(table["kazakh"])
    assert [-p.get_height() for p in ax.containers[1]] == list(table["dzungar"])


def test_counts_and_heatmap_return_axes(t):
    table = A.events_per_decade(t["events"], "winner")
    ax = P.plot_counts(table)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.containers) == table.shape[1]
    ax2 = P.plot_table_heatmap(A.phase_crosswalk(t["events"], t["phases"]))
    assert ax2.get_xlabel() == "" and len(ax2.get_yticklabels()) > 5


def test_plot_functions_name_missing_columns():
    with pytest.raises(ValueError, match="year_start"):
        P.plot_timeline(pd.DataFrame({"winner": []}))
    with pytest.raises(ValueError, match="low"):
        P.plot_claim_ranges(pd.DataFrame({"event": [], "side": []}))


def test_save_figure_is_reproducible(tmp_path, t):
    """The same chart drawn twice from scratch is saved as the same bytes (stable diffs)."""
    paths = []
    for name in ("x", "y"):
        ax = P.plot_counts(A.events_per_decade(t["events"], "winner"))
        paths.append(P.save_figure(ax, name, tmp_path))
    a, b = (p.read_bytes() for p in paths)
    assert a == b and a[:8] == b"\x89PNG\r\n\x1a\n"
