"""Figure style: colour-blind-safe palette, journal widths, font sizes, no network.

Palette: Okabe & Ito, "Color Universal Design" (2008), the eight colours that stay
distinguishable under the common colour-vision deficiencies. Groups 1-8 get the eight
colours with solid lines; groups 9-16 reuse them dashed, 17-24 dotted (line style, not
colour alone, tells them apart, as Wong, Nat Methods 2011;8:441 recommends).

Widths: journal columns are about 85-90 mm (single) and 175-180 mm (double), e.g. Blood
8.5 cm / 17.6 cm, Lancet 75 / 154 mm, NEJM 8.6 cm / 17.8 cm. Text is at least 7 pt at
that print size and lines 1.1 pt. matplotlib is imported here, so this module is only
imported by the figure code, never by the command line at start-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib

__all__ = [
    "PALETTE",
    "LINE_STYLES",
    "COLUMN_WIDTH_MM",
    "WIDTHS_MM",
    "MM",
    "FONT_PT",
    "figure_style",
    "colour",
    "line_style",
    "width_mm",
]

#: Okabe-Ito colours, in the order groups receive them (yellow last: weakest on white).
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
#: Line styles for groups beyond the eight colours (dash patterns in points).
LINE_STYLES = ("solid", (0, (4.0, 1.6)), (0, (1.0, 1.2)), (0, (4.0, 1.2, 1.0, 1.2)))
COLUMN_WIDTH_MM = 85.0
WIDTHS_MM = {"single": 85.0, "double": 178.0}
MM = 1 / 25.4  # inches per millimetre
FONT_PT = 7.0  # every text of a figure is at least this size at print size

_RC = {
    # DejaVu Sans (shipped with matplotlib) draws and measures every text; an SVG names
    # Arial, Helvetica and sans-serif after it for viewers that lack it
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "text.hinting": "no_hinting",  # text as wide at every dpi as laid out (layout.py)
    "font.size": FONT_PT,
    "axes.titlesize": 8,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "legend.fontsize": FONT_PT,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "xtick.major.pad": 2.0,
    "ytick.major.pad": 2.0,
    "lines.linewidth": 1.1,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "remission",
    "savefig.dpi": 300,
    "figure.dpi": 100,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the figures' rcParams for the duration of a figure's drawing or saving."""
    with matplotlib.rc_context(_RC):
        yield


def colour(i: int) -> str:
    """The ``i``-th group's colour (the palette repeats after eight groups)."""
    return PALETTE[i % len(PALETTE)]


def line_style(i: int) -> str | tuple:
    """The ``i``-th group's line style: solid for the first eight, then dashed, dotted..."""
    return LINE_STYLES[(i // len(PALETTE)) % len(LINE_STYLES)]


def width_mm(width: str | float) -> float:
    """``"single"`` (85 mm), ``"double"`` (178 mm) or a width in mm (40-260)."""
    if isinstance(width, str) and width in WIDTHS_MM:
        return WIDTHS_MM[width]
    try:
        mm = float(width)
    except (TypeError, ValueError):
        raise ValueError(f"width must be single, double or millimetres, not {width!r}") from None
    if not 40.0 <= mm <= 260.0:
        raise ValueError(f"width must be between 40 and 260 mm, not {mm:g}")
    return mm
