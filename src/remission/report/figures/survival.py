"""Kaplan-Meier and cumulative incidence figures with a number-at-risk table.

Drawing follows the conventions of survminer's ``ggsurvplot`` and GraphPad Prism: a
right-continuous step curve starting at 100 % (survival) or 0 % (incidence), a ``+``
tick where a patient is censored, an optional shaded pointwise CI band, the y axis in
per cent, the x axis in months or years with "nice" ticks, and under it the number at
risk at each tick (the count table's step function, see
:func:`remission.report.figures.curves.risk_at`). Several panels are stacked for one
journal column, each with its letter, as "(A) EFS, (B) OS" in the seed letter's
Figure 1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from remission.report.figures.curves import Curve, risk_at
from remission.report.figures.style import COLUMN_WIDTH_MM, MM, colour, figure_style
from remission.report.format import DAYS_PER_MONTH, DAYS_PER_YEAR

__all__ = ["Panel", "survival_figure", "tick_days", "save_figure", "svg_text", "clean_svg"]

_FACTOR = {"days": 1.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}
_STEPS = {
    "days": [7, 14, 30, 60, 90, 180, 365, 730],
    "months": [1, 3, 6, 12, 24],
    "years": [0.5, 1, 2, 5],
}


@dataclass(frozen=True, eq=False)
class Panel:
    """One panel: its letter, title, y-axis label and curves.

    ``kind`` is ``"survival"`` (from 100 %) or ``"incidence"`` (from 0 %).
    ``note`` is printed in the panel (e.g. the 3-year estimate with its CI).
    """

    letter: str
    title: str
    ylabel: str
    curves: Sequence[Curve]
    kind: str = "survival"
    note: str = ""
    ci: bool = True
    extra: dict = field(default_factory=dict)


def tick_days(max_days: float, unit: str) -> np.ndarray:
    """Tick positions in days covering 0..``max_days``, at most 8 intervals.

    Months step by 1, 3, 6, 12 or 24 (the clinical convention of 6- or 12-month
    marks); years by 0.5, 1, 2 or 5; days by 7, 14, 30, 60, 90, 180, 365 or more.
    """
    factor = _FACTOR[unit]
    top = max_days / factor
    step = next((s for s in _STEPS[unit] if top / s <= 8), None)
    if step is None:
        step = MaxNLocator(nbins=8).tick_values(0, top)[1]
    n = max(int(np.ceil(top / step - 1e-9)), 1)
    return np.arange(n + 1, dtype=float) * step * factor


def _draw_curves(ax, panel: Panel, factor: float) -> None:
    for i, c in enumerate(panel.curves):
        col = colour(i)
        x, y = c.steps()
        if panel.ci:
            bx, lo, hi = c.band()
            ax.fill_between(bx / factor, 100 * lo, 100 * hi, step="post", color=col,
                            alpha=0.15, linewidth=0)  # fmt: skip
        ax.plot(x / factor, 100 * y, drawstyle="steps-post", color=col,
                solid_joinstyle="miter")  # fmt: skip
        if len(c.censor_time):
            ax.plot(c.censor_time / factor, 100 * c.censor_value, linestyle="none",
                    marker="|", markersize=4.5, markeredgewidth=0.9, color=col)  # fmt: skip


def _style_axes(ax, panel: Panel, ticks: np.ndarray, factor: float) -> None:
    ax.set_xlim(0, ticks[-1] / factor)
    ax.set_xticks(ticks / factor)
    ax.set_ylim(-2, 104)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel(panel.ylabel)
    ax.spines["left"].set_bounds(0, 100)
    ax.set_title(panel.title, loc="left", pad=4)
    ax.text(-0.16, 1.04, f"({panel.letter})" if panel.letter else "", transform=ax.transAxes,
            fontsize=9, fontweight="bold", va="bottom", ha="left")  # fmt: skip
    if panel.note:
        y = 0.06 if panel.kind == "survival" else 0.94
        ax.text(0.98, y, panel.note, transform=ax.transAxes, ha="right",
                va="bottom" if panel.kind == "survival" else "top", fontsize=6.5)  # fmt: skip
    if len(panel.curves) > 1:
        handles = [
            Line2D([], [], color=colour(i), label=c.label) for i, c in enumerate(panel.curves)
        ]
        ax.legend(handles=handles, frameon=False, loc="best", handlelength=1.6)


def _risk_table(ax, panel: Panel, ticks: np.ndarray, factor: float, xlabel: str) -> None:
    ax.set_xlim(0, ticks[-1] / factor)
    ax.set_xticks(ticks / factor)
    ax.tick_params(axis="x", length=0, labelbottom=False)
    ax.set_yticks([])
    for s in ("left", "bottom", "top", "right"):
        ax.spines[s].set_visible(False)
    n = len(panel.curves)
    ax.set_ylim(-0.5, n - 0.5)
    ax.set_title("No. at risk", loc="left", fontsize=6.5, pad=2)
    for i, c in enumerate(panel.curves):
        row = n - 1 - i
        counts = risk_at(c.risk_time, c.risk_n, ticks)
        for t, k in zip(ticks, counts, strict=True):
            ax.text(t / factor, row, str(int(k)), ha="center", va="center", fontsize=6.5,
                    color=colour(i) if n > 1 else "black")  # fmt: skip
        if n > 1:
            ax.text(-0.03, row, c.label, transform=ax.get_yaxis_transform(), ha="right",
                    va="center", fontsize=6.5, color=colour(i))  # fmt: skip
    ax.set_xlabel(xlabel)


def survival_figure(
    panels: Sequence[Panel], unit: str = "months", width_mm: float = COLUMN_WIDTH_MM
) -> Figure:
    """Stack ``panels`` in one column, each with its number-at-risk table underneath.

    ``unit`` is ``"days"``, ``"months"`` (days / 30.4375) or ``"years"`` (days / 365.25).
    All panels share one x range (the longest follow-up) so they can be read together.
    """
    factor = _FACTOR[unit]
    longest = max((c.last_time for p in panels for c in p.curves), default=factor) or factor
    ticks = tick_days(longest, unit)
    xlabel = {"days": "Days", "months": "Months", "years": "Years"}[unit]
    with figure_style():
        n_rows = [max(len(p.curves), 1) for p in panels]
        ratios = []
        for k in n_rows:
            ratios += [5.0, 0.55 + 0.35 * k]
        height = sum(ratios) * 0.42 + 0.25
        fig = Figure(figsize=(width_mm * MM, height), layout="constrained")
        grid = fig.add_gridspec(2 * len(panels), 1, height_ratios=ratios)
        for j, panel in enumerate(panels):
            ax = fig.add_subplot(grid[2 * j])
            _draw_curves(ax, panel, factor)
            _style_axes(ax, panel, ticks, factor)
            ax.set_xlabel(xlabel + (" after " + panel.extra["origin"] if "origin" in panel.extra
                                    else ""))  # fmt: skip
            has_risk = any(len(c.risk_time) for c in panel.curves)
            rax = fig.add_subplot(grid[2 * j + 1], sharex=None)
            if has_risk:
                _risk_table(rax, panel, ticks, factor, "")
            else:
                rax.set_axis_off()
        fig.get_layout_engine().set(h_pad=0.02, hspace=0.0)
    return fig


_SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}


def clean_svg(text: str) -> str:
    """Drop the DOCTYPE (an external DTD reference) and any metadata block."""
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)


def svg_text(fig: Figure) -> str:
    """The figure as SVG text: glyphs as paths, no external reference (for inlining).

    The first rendering fixes the constrained layout; later renderings (PNG) reuse it.
    """
    buf = io.StringIO()
    with figure_style():
        fig.savefig(buf, format="svg", metadata=_SVG_META)
    fig.set_layout_engine("none")
    return clean_svg(buf.getvalue())


def save_figure(fig: Figure, stem: Path) -> tuple[Path, Path, str]:
    """Write ``stem.svg`` (text as paths, no external references) and ``stem.png`` (300 dpi).

    Returns both paths and the SVG text (for inlining without a second rendering).
    """
    svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
    text = svg_text(fig)
    svg.write_text(text, encoding="utf-8")
    with figure_style():
        fig.savefig(png, format="png", dpi=300, metadata={"Software": None})
    return svg, png, text
