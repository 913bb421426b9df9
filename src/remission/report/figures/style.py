"""Figure style: colour-blind-safe palette, sizes for a journal column, no network.

Palette: Okabe & Ito, "Color Universal Design" (2008), distinguishable under the common
colour-vision deficiencies. Sizes: a single journal column is about 85 mm wide
(Blood: 8.5 cm); text is 7 pt and lines 1.1 pt so that they survive print at that width.
SVG text is written as paths (``svg.fonttype = "path"``) so the file needs no font and
no external reference; ``svg.hashsalt`` and a fixed ``Date`` make the output repeatable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["PALETTE", "COLUMN_WIDTH_MM", "MM", "figure_style", "colour"]

#: Okabe-Ito colours, in the order groups receive them.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
COLUMN_WIDTH_MM = 85.0
MM = 1 / 25.4  # inches per millimetre

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 7,
    "axes.titlesize": 7.5,
    "axes.labelsize": 7,
    "xtick.labelsize": 6.5,
    "ytick.labelsize": 6.5,
    "legend.fontsize": 6.5,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "lines.linewidth": 1.1,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "remission",
    "savefig.dpi": 300,
    "figure.dpi": 100,
    "pdf.fonttype": 42,
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the report's rcParams for the duration of a figure's drawing."""
    with plt.rc_context(_RC):
        yield


def colour(i: int) -> str:
    """The ``i``-th palette colour (cycling)."""
    return PALETTE[i % len(PALETTE)]
