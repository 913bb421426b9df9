"""Where every piece of a survival figure goes, measured before anything is drawn.

The figure is laid out by hand, in points (1/72 inch), from the measured size of each
text at its print size: a header (panel letter, title, test lines, legend), the plotting
area, the x axis, and the number-at-risk rows. Legends, test results, direct labels and
risk-table labels are placed outside the plotting area, each in its own reserved strip,
so no text can cover a curve or another text whatever the number of groups or the length
of their labels. (A layout engine that moves things after drawing gives no such
guarantee: the legend's ``loc="best"`` of the earlier figures sat on the curves.)
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["text_width", "LINE", "LegendGrid", "legend_grid", "wrap", "spread"]

LINE = 9.5  # points from one line of 7-pt text to the next (1.36 x the font size)
HANDLE = 14.0  # length of a legend line sample, points
HANDLE_GAP = 3.0
COLUMN_GAP = 6.0


@functools.lru_cache(maxsize=1)
def _renderer():  # noqa: ANN202
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(8, 8, 72)  # 72 dpi: one pixel is one point


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float = 7.0, weight: str = "normal") -> float:
    """Width in points of ``text`` in DejaVu Sans at ``size`` points, as it will be drawn.

    Figures are drawn without font hinting (:mod:`.style`), so a text's width is the same
    at every dpi and in vector output; 1 % is added for rounding.
    """
    import matplotlib
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width = 0.0
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        for line in text.split("\n"):
            w, _h, _d = _renderer().get_text_width_height_descent(line, prop, ismath=False)
            width = max(width, w)
    return 1.01 * width


def wrap(text: str, width: float, size: float = 7.0) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``width`` points (when possible)."""
    if not text or text_width(text, size) <= width:
        return [text] if text else []
    chars = max(int(len(text) * width / text_width(text, size)), 10)
    while chars > 10:
        lines = textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False)
        if all(text_width(line, size) <= width for line in lines):
            return lines
        chars -= 2
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False)


@dataclass(frozen=True)
class LegendGrid:
    """Cell positions of a legend: entry ``i`` at (``x[i]``, row ``row[i]``), points from
    the legend's left edge and rows from its top; ``columns`` are the stat columns'
    left edges (a table legend), ``header`` the lines of its header (0: none) and
    ``width``/``height`` its size in points."""

    x: tuple[float, ...]
    row: tuple[int, ...]
    columns: tuple[float, ...]
    header: int
    width: float
    height: float


def legend_grid(
    labels: Sequence[str],
    cells: Sequence[Sequence[str]] = (),
    header: Sequence[str] = (),
    avail: float = 1e9,
) -> LegendGrid:
    """Lay out a legend of line samples and labels within ``avail`` points.

    Without stat ``cells``, entries flow in as many equal columns as fit (row by row, in
    group order). With cells (one list per label, e.g. n, median, 3-year %), it is a
    table: one row per group, a header (of one or more lines), columns as wide as their
    widest text.
    """
    entry = [HANDLE + HANDLE_GAP + text_width(s) for s in labels]
    if not cells:
        w = max(entry, default=0.0)
        ncol = max(1, min(len(labels), int((avail + COLUMN_GAP) // (w + COLUMN_GAP))))
        nrow = -(-len(labels) // ncol)
        xs = tuple((i % ncol) * (w + COLUMN_GAP) for i in range(len(labels)))
        rows = tuple(i // ncol for i in range(len(labels)))
        width = ncol * w + (ncol - 1) * COLUMN_GAP
        return LegendGrid(xs, rows, (), 0, width, nrow * LINE)
    lefts, x = [], max(entry, default=0.0) + COLUMN_GAP
    for k in range(len(header)):
        col = [text_width(header[k], weight="bold")] + [text_width(c[k]) for c in cells]
        lefts.append(x)
        x += max(col) + COLUMN_GAP
    head = max((h.count("\n") + 1 for h in header), default=1)
    rows = tuple(range(head, len(labels) + head))
    return LegendGrid((0.0,) * len(labels), rows, tuple(lefts), head, x - COLUMN_GAP,
                      (len(labels) + head) * LINE)  # fmt: skip


def spread(ys: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Move label centres ``ys`` (points, up is +) apart by at least ``gap``, keeping
    their order and staying within [``low``, ``high``] where there is room: the direct
    labels at the curves' ends."""
    order = sorted(range(len(ys)), key=lambda i: -ys[i])
    pos = [min(ys[i], high) for i in order]
    for k in range(1, len(pos)):
        pos[k] = min(pos[k], pos[k - 1] - gap)
    shift = low - pos[-1] if pos and pos[-1] < low else 0.0
    pos = [p + shift for p in pos]
    for k in range(len(pos) - 2, -1, -1):  # pushed up: keep the gaps from the bottom
        pos[k] = max(pos[k], pos[k + 1] + gap)
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out
