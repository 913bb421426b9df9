"""Drawing one survival panel into a figure at the place :mod:`.layout` reserved for it.

Conventions (survminer's ``ggsurvplot``, GraphPad Prism): a right-continuous step curve
from 100 % (survival) or 0 % (incidence); the pointwise CI as a stepped band (or stepped
dashed limits); a vertical tick where a patient is censored, thinned to one tick per
3 points of width when they would merge into a bar (a tick then stands for the
censorings that share its place); the median as dotted lines to both axes; landmark
times as dotted verticals; and under the plot the number at risk at each x tick (the
count table's step function, :func:`.curves.risk_at`), optionally with the cumulative
number of events and of censored patients (:func:`.curves.cumulative_at`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from remission.report.figures.curves import Curve, cumulative_at, risk_at
from remission.report.figures.layout import HANDLE, HANDLE_GAP, LINE, LegendGrid, spread
from remission.report.figures.style import FONT_PT, colour, line_style

__all__ = [
    "Frame",
    "tick_label",
    "draw_curves",
    "draw_axes",
    "draw_legend",
    "draw_direct",
    "draw_risk",
]

RISK_TITLES = {"at_risk": "No. at risk", "events": "Cumulative events", "censored": "Censored"}
GUIDE = {"color": "0.45", "linewidth": 0.6, "linestyle": (0, (1.0, 1.5)), "zorder": 1}


@dataclass(frozen=True)
class Frame:
    """The figure's size in points, to place things given in points from the top left."""

    fig: Figure
    width: float
    height: float

    def text(self, x: float, y: float, s: str, **kw: object) -> None:
        """Text at ``x`` points from the left, ``y`` points from the top."""
        kw.setdefault("fontsize", FONT_PT)
        self.fig.text(x / self.width, 1 - y / self.height, s, parse_math=False, **kw)

    def line(self, x0: float, x1: float, y: float, **kw: object) -> None:
        self.fig.add_artist(Line2D([x0 / self.width, x1 / self.width],
                                   [1 - y / self.height] * 2, **kw))  # fmt: skip

    def axes(self, left: float, top: float, width: float, height: float):  # noqa: ANN201
        return self.fig.add_axes((left / self.width, 1 - (top + height) / self.height,
                                  width / self.width, height / self.height))  # fmt: skip


def _thin(times: np.ndarray, values: np.ndarray, span: float, width_pt: float):  # noqa: ANN202
    """At most one censor tick per 3 points of axis width: the first censoring of each
    3-point bin, drawn where the curve is at that time."""
    if len(times) <= width_pt / 3.0:
        return times, values
    bins = np.floor(times / (3.0 * span / width_pt))
    keep = np.ones(len(times), bool)
    keep[1:] = bins[1:] != bins[:-1]
    return times[keep], values[keep]


def draw_curves(ax, curves: Sequence[Curve], factor: float, ci: str, censor: str,
                xmax_days: float, width_pt: float) -> None:  # fmt: skip
    """Curves, CI (``"band"``, ``"lines"`` or ``"none"``) and censor ticks (``"auto"``
    thins them, ``"all"``, ``"none"``)."""
    for i, c in enumerate(curves):
        col, ls = colour(i), line_style(i)
        x, y = c.steps()
        if ci != "none":
            bx, lo, hi = c.band()
            if ci == "band":
                ax.fill_between(bx / factor, 100 * lo, 100 * hi, step="post", color=col,
                                alpha=0.15, linewidth=0)  # fmt: skip
            else:
                for lim in (lo, hi):
                    ax.plot(bx / factor, 100 * lim, drawstyle="steps-post", color=col,
                            linewidth=0.5, linestyle=(0, (2.0, 1.5)))  # fmt: skip
        ax.plot(x / factor, 100 * y, drawstyle="steps-post", color=col, linestyle=ls,
                solid_joinstyle="miter", zorder=3)  # fmt: skip
        ct, cv = c.censor_time, c.censor_value
        inside = ct <= xmax_days
        ct, cv = ct[inside], cv[inside]
        if censor == "none" or not len(ct):
            continue
        if censor == "auto":
            ct, cv = _thin(ct, cv, xmax_days, width_pt)
        ax.plot(ct / factor, 100 * cv, linestyle="none", marker="|", markersize=4.0,
                markeredgewidth=0.8, color=col, zorder=3)  # fmt: skip


def draw_guides(ax, medians: Sequence[float | None], landmarks: Sequence[float],
                factor: float) -> None:  # fmt: skip
    """Dotted median lines (50 % across to the curve, then down) and landmark verticals."""
    for m in medians:
        if m is not None and np.isfinite(m):
            ax.plot([0, m / factor, m / factor], [50, 50, 0], **GUIDE)
    for t in landmarks:
        ax.axvline(t / factor, ymin=0, ymax=100 / 106, **GUIDE)


def draw_axes(ax, ticks: np.ndarray, factor: float, ylabel: str, xlabel: str) -> None:
    ax.set_xlim(0, ticks[-1] / factor)
    ax.set_xticks(ticks / factor, [tick_label(t / factor) for t in ticks])
    ax.set_ylim(-2, 104)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.spines["left"].set_bounds(0, 100)
    ax.set_ylabel(ylabel, labelpad=3)
    ax.set_xlabel(xlabel, labelpad=3)
    for t in (ax.xaxis.label, ax.yaxis.label):
        t.set_parse_math(False)


def tick_label(v: float) -> str:
    """``12.0`` -> ``"12"``, ``0.5`` -> ``"0.5"`` (no float noise)."""
    return f"{round(v, 6):.10g}"


def draw_legend(frame: Frame, grid: LegendGrid, left: float, top: float,
                labels: Sequence[str], header: Sequence[str],
                cells: Sequence[Sequence[str]]) -> None:  # fmt: skip
    """A legend (or legend table) whose top-left corner is at (``left``, ``top``) points."""
    for k, h in enumerate(header):
        frame.text(left + grid.columns[k], top + grid.header * LINE / 2, h, va="center",
                   fontweight="bold", linespacing=1.15)  # fmt: skip
    for i, lab in enumerate(labels):
        x, y = left + grid.x[i], top + (grid.row[i] + 0.5) * LINE
        frame.line(x, x + HANDLE, y, color=colour(i), linestyle=line_style(i), linewidth=1.1)
        frame.text(x + HANDLE + HANDLE_GAP, y, lab, va="center")
        for k, s in enumerate(cells[i] if cells else ()):
            frame.text(left + grid.columns[k], y, s, va="center")


def draw_direct(frame: Frame, ax, curves: Sequence[Curve], x_end_days: float,
                left: float, plot_top: float, plot_h: float) -> None:  # fmt: skip
    """Group labels in the right margin, each at the height where its curve ends (moved
    apart just enough not to touch), with the curve's line sample: colours repeat after
    eight groups and yellow text is unreadable, so the sample names the curve."""
    y0, y1 = ax.get_ylim()
    ends = []
    for c in curves:
        x, y = c.steps()
        v = y[max(int(np.searchsorted(x, min(x_end_days, x[-1]), "right")) - 1, 0)]
        ends.append(plot_h * (100 * v - y0) / (y1 - y0))
    pos = spread(ends, LINE, LINE / 2, plot_h)
    for i, c in enumerate(curves):
        y = plot_top + plot_h - pos[i]
        frame.line(left, left + HANDLE, y, color=colour(i), linestyle=line_style(i),
                   linewidth=1.1)  # fmt: skip
        frame.text(left + HANDLE + HANDLE_GAP, y, c.label, va="center")


def risk_counts(c: Curve, row: str, ticks: np.ndarray) -> np.ndarray:
    if row == "at_risk":
        return risk_at(c.risk_time, c.risk_n, ticks)
    counts = c.risk_event if row == "events" else c.risk_censor
    return cumulative_at(c.risk_time, counts, ticks)  # type: ignore[arg-type]


def draw_risk(ax, curves: Sequence[Curve], row: str, ticks: np.ndarray, factor: float,
              label_left: float, width_pt: float) -> None:  # fmt: skip
    """One block of the risk table: a title and one row of counts per group.

    With several groups each row starts, ``label_left`` points left of the axes, with
    the group's line sample (colour and dash, so groups 1 and 9 are told apart) and its
    label, left-aligned; the counts are black for legibility (yellow text is not).
    """
    ax.set_xlim(0, ticks[-1] / factor)
    ax.set_axis_off()
    n = len(curves)
    ax.set_ylim(-0.5, n - 0.5)
    ax.text(0, 1, RISK_TITLES[row], transform=ax.transAxes, va="bottom", ha="left",
            fontsize=FONT_PT, fontweight="bold")  # fmt: skip
    trans = ax.get_yaxis_transform()
    x0 = -label_left / width_pt
    for i, c in enumerate(curves):
        y = n - 1 - i
        for t, k in zip(ticks, risk_counts(c, row, ticks), strict=True):
            ax.text(t / factor, y, str(int(k)), ha="center", va="center", fontsize=FONT_PT)
        if n > 1:
            ax.add_line(Line2D([x0, x0 + HANDLE / width_pt], [y, y], transform=trans,
                               color=colour(i), linestyle=line_style(i), linewidth=1.1,
                               clip_on=False))  # fmt: skip
            ax.text(x0 + (HANDLE + HANDLE_GAP) / width_pt, y, c.label, transform=trans,
                    ha="left", va="center", fontsize=FONT_PT, parse_math=False)  # fmt: skip
