"""Every chart reads on GitHub: at most ~850 px wide, no text under 9 pt as shown, a source line.

GitHub shows README images and rendered notebooks in a column about 850 px wide. Charts
are saved at 100 dpi, so a 9 pt text is 12.5 px tall at full size; a wider image is scaled
down and its text with it. ``save_figure`` records each chart's smallest font size in the
PNG (``kdwars:min-font-pt``); these tests read it back from the committed files.
"""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from kdwars.plotting import MAX_WIDTH_PX, MIN_FONT

from .conftest import NOTEBOOKS, REPO

FIGURES = sorted((REPO / "reports" / "figures").glob("*.png"))


def shown_font(path_or_bytes) -> tuple[float, int]:
    im = Image.open(path_or_bytes)
    smallest = float(im.text["kdwars:min-font-pt"])
    return smallest * min(1.0, MAX_WIDTH_PX / im.size[0]), im.size[0]


def test_there_are_committed_figures():
    assert len(FIGURES) >= 8


@pytest.mark.parametrize("path", FIGURES, ids=lambda p: p.name)
def test_committed_figure_reads_at_github_width(path):
    shown, width = shown_font(path)
    assert width <= MAX_WIDTH_PX + 10, f"{path.name} is {width} px wide"
    assert shown >= MIN_FONT - 0.05, f"{path.name}: smallest text shows at {shown:.1f} pt"


def _notebook_images():
    for nb_path in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            for out in cell.get("outputs", []):
                png = out.get("data", {}).get("image/png")
                if png:
                    yield nb_path.name, i, base64.b64decode(png)


@pytest.mark.parametrize("name, cell, png", list(_notebook_images()), ids=lambda v: str(v)[:30])
def test_every_notebook_chart_is_a_checked_saved_figure(name, cell, png):
    """Notebook charts go through save_figure, so they carry the font check and a source line."""
    shown, width = shown_font(io.BytesIO(png))
    assert width <= MAX_WIDTH_PX + 10, f"{name} cell {cell}: {width} px wide"
    assert shown >= MIN_FONT - 0.05, f"{name} cell {cell}: smallest text shows at {shown:.1f} pt"
