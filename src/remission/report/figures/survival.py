"""Kaplan-Meier and cumulative incidence figures with a number-at-risk table.

One or more :class:`Panel` are stacked in one figure of a journal's column width, each
with its letter, title, test lines (log-rank p, hazard ratio, an estimate with its CI),
legend, plot and risk table, all placed by :mod:`.layout` outside the plotting area so
that nothing overlaps (as "(A) EFS, (B) OS" in the seed letter's Figure 1). The drawing
itself is in :mod:`.draw`; :class:`FigureOptions` holds the user's presentation choices.
The figure is drawn once; :func:`save_figure` and :func:`export_figure` write it in
every format from that one drawing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from remission.report.figures import draw
from remission.report.figures.curves import Curve
from remission.report.figures.layout import (
    HANDLE,
    HANDLE_GAP,
    LINE,
    LegendGrid,
    legend_grid,
    text_width,
    wrap,
)
from remission.report.figures.style import COLUMN_WIDTH_MM, MM, figure_style
from remission.report.format import DAYS_PER_MONTH, DAYS_PER_YEAR

__all__ = ["Panel", "FigureOptions", "survival_figure", "tick_days", "save_figure",
           "svg_text", "clean_svg", "UNITS"]  # fmt: skip

UNITS = {"days": 1.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}
_STEPS = {
    "days": [7, 14, 30, 60, 90, 180, 365, 730],
    "months": [1, 3, 6, 12, 24],
    "years": [0.5, 1, 2, 5],
}
_XLABEL = {"days": "Days", "months": "Months", "years": "Years"}


@dataclass(frozen=True, eq=False)
class Panel:
    """One panel: its letter, title, y-axis label and curves, and what is printed with it.

    ``kind`` is ``"survival"`` (from 100 %) or ``"incidence"`` (from 0 %). ``note`` and
    ``lines`` are printed above the plot (e.g. "log-rank p = 0.03", "3-year EFS 47 %").
    ``columns``/``cells`` make the legend a table (a header and, per curve label, its
    cells: n, median, landmark estimates); ``medians`` (days, per label) and
    ``landmarks`` (days) are drawn as dotted guides.
    """

    letter: str
    title: str
    ylabel: str
    curves: Sequence[Curve]
    kind: str = "survival"
    note: str = ""
    ci: bool = True
    extra: dict = field(default_factory=dict)
    lines: Sequence[str] = ()
    columns: Sequence[str] = ()
    cells: Mapping[str, Sequence[str]] = field(default_factory=dict)
    medians: Mapping[str, float | None] = field(default_factory=dict)
    landmarks: Sequence[float] = ()


@dataclass(frozen=True)
class FigureOptions:
    """Presentation choices (none changes a number).

    ``ci``: ``"band"``, ``"lines"`` or ``"none"`` (``None``: the panel's ``ci`` flag
    decides between band and none). ``censor``: ``"auto"`` (thinned), ``"all"``,
    ``"none"``. ``risk_rows``: any of ``"at_risk"``, ``"events"``, ``"censored"``.
    ``legend``: ``"auto"``, ``"top"``, ``"right"``, ``"direct"`` (labels at the curve
    ends) or ``"none"``. ``breaks``: x tick step in ``unit``; ``xmax``: end of the x
    axis in ``unit``. ``aspect``: plot height / plot width.
    """

    unit: str = "months"
    width_mm: float = COLUMN_WIDTH_MM
    ci: str | None = None
    censor: str = "auto"
    risk_rows: tuple[str, ...] = ("at_risk",)
    legend: str = "auto"
    breaks: float | None = None
    xmax: float | None = None
    aspect: float = 0.62

    def __post_init__(self) -> None:
        checks = (("unit", self.unit, UNITS), ("ci", self.ci, (None, "band", "lines", "none")),
                  ("censor", self.censor, ("auto", "all", "none")),
                  ("legend", self.legend, ("auto", "top", "right", "direct", "none")))  # fmt: skip
        for name, value, allowed in checks:
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}, "
                                 f"not {value!r}")  # fmt: skip
        bad = [r for r in self.risk_rows if r not in draw.RISK_TITLES]
        if bad:
            raise ValueError(f"risk rows must be among {', '.join(draw.RISK_TITLES)}, not {bad}")
        for name in ("breaks", "xmax"):
            v = getattr(self, name)
            if v is not None and not (np.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a positive number, not {v!r}")


def tick_days(max_days: float, unit: str, max_intervals: int = 8,
              step: float | None = None) -> np.ndarray:  # fmt: skip
    """Tick positions in days covering 0..``max_days``, at most ``max_intervals`` steps.

    Months step by 1, 3, 6, 12 or 24 (the clinical convention of 6- or 12-month
    marks); years by 0.5, 1, 2 or 5; days by 7, 14, 30, 60, 90, 180, 365 or more.
    ``step`` (in ``unit``) forces the step ("axis breaks" of survminer's ``break.time.by``).
    """
    factor = UNITS[unit]
    top = max_days / factor
    if step is None:
        step = next((s for s in _STEPS[unit] if top / s <= max_intervals), None)
    if step is None:
        step = MaxNLocator(nbins=max_intervals).tick_values(0, top)[1]
    n = max(int(np.ceil(top / step - 1e-9)), 1)
    return np.arange(n + 1, dtype=float) * step * factor


# --- geometry (points) -------------------------------------------------------------------

_YAXIS = 2.5 + 2.0 + 3.0 + 8.5 + 4.0  # tick, pad, label pad, y label, edge
_XAXIS = 2.5 + 2.0 + 8.5 + 3.0 + 8.5 + 3.0  # tick, pad, tick labels, pad, x label, gap
_EDGE = 3.0
_PANEL_GAP = 8.0  # points between stacked panels
_RISK_GAP = 6.0  # points between a risk-table label and the first count


def _legend_mode(panel: Panel, opts: FigureOptions) -> str:
    if opts.legend != "auto":
        return "none" if len(panel.curves) < 2 and opts.legend != "top" else opts.legend
    if len(panel.curves) < 2:
        return "top" if panel.cells else "none"
    if panel.cells or opts.width_mm < 120 or len(panel.curves) <= 3:
        return "top"
    return "right"


@dataclass
class _Plan:
    """One panel's strips (points): header lines, legend grids, plot and risk rows."""

    panel: Panel
    legend: str
    header: list[str]
    top: LegendGrid | None = None  # legend above the plot
    side: LegendGrid | None = None  # legend right of the plot
    legend_left: float = _EDGE
    plot_h: float = 0.0

    def labels(self) -> list[str]:
        return [c.label for c in self.panel.curves]

    def cells(self) -> list[Sequence[str]]:
        return [self.panel.cells.get(lab, ()) for lab in self.labels()] if self.panel.cells else []

    def risk_rows(self, opts: FigureOptions) -> list[str]:
        if not any(len(c.risk_time) for c in self.panel.curves):
            return []
        known = all(c.risk_event is not None for c in self.panel.curves)
        return [r for r in opts.risk_rows if r == "at_risk" or known]

    def title_h(self) -> float:
        return 12.0 if (self.panel.title or self.panel.letter) else 0.0

    def top_h(self) -> float:
        legend = self.top.height + 2.0 if self.top else 0.0
        return _EDGE + self.title_h() + LINE * len(self.header) + legend + 6.0

    def height(self, opts: FigureOptions) -> float:
        n = max(len(self.panel.curves), 1)
        risk = sum(4.0 + LINE + n * LINE for _ in self.risk_rows(opts))
        body = self.plot_h + _XAXIS + risk
        if self.side:
            body = max(body, self.side.height)
        return self.top_h() + body + _EDGE


def _margins(plans: list[_Plan], opts: FigureOptions, width: float, num_w: float
             ) -> tuple[float, float]:  # fmt: skip
    """Left and right margins (points) shared by all panels so their axes line up.

    Left: the y axis, the panel letter, and the risk-table labels with a gap of half the
    widest count plus 5 points before the first column. Right: half the widest tick
    label or count, and a legend at the side or the direct labels.
    """
    left = _YAXIS + text_width("100") + 4.0
    for p in plans:
        left = max(left, text_width(f"({p.panel.letter})", 9, "bold") + 8.0)
        if len(p.panel.curves) > 1 and p.risk_rows(opts):
            label = HANDLE + HANDLE_GAP + max(map(text_width, p.labels()))
            left = max(left, _EDGE + label + _RISK_GAP + num_w / 2)
    right = num_w / 2 + _EDGE + 2.0
    for p in plans:
        if p.legend == "right":
            p.side = legend_grid(p.labels(), p.cells(), p.panel.columns, avail=0.0)
            right = max(right, num_w / 2 + 8.0 + p.side.width + _EDGE)
        elif p.legend == "direct":
            label = HANDLE + HANDLE_GAP + max(map(text_width, p.labels()))
            right = max(right, num_w / 2 + 4.0 + label + _EDGE)
    return left, right


def _plan(panel: Panel, opts: FigureOptions) -> _Plan:
    return _Plan(panel, _legend_mode(panel, opts), [])


def _wrap_header(plan: _Plan, width: float, left: float) -> None:
    """The note and test lines, wrapped to the width beside the left margin."""
    lines = (plan.panel.note, *plan.panel.lines)
    plan.header = [s for line in lines for s in wrap(line, width - left - _EDGE)]


def _top_legend(plan: _Plan, width: float, left: float) -> None:
    """A legend above the plot (or the stat table, which goes there with direct labels),
    aligned with the plot if it fits beside the margin, else from the figure's edge."""
    if not (plan.legend == "top" or (plan.legend == "direct" and plan.panel.cells)):
        return
    beside = width - left - _EDGE
    labels = plan.labels() if plan.legend == "top" else [""] * len(plan.labels())
    grid = legend_grid(labels, plan.cells(), plan.panel.columns, avail=beside)
    if grid.width > beside:
        grid = legend_grid(labels, plan.cells(), plan.panel.columns, avail=width - 2 * _EDGE)
    plan.top, plan.legend_left = grid, (left if grid.width <= beside else _EDGE)


def _count_width(panels: Sequence[Panel], ticks: np.ndarray, factor: float) -> float:
    """Width of the widest number under the axis: a count or a tick label."""
    most = max((int(c.risk_n.max()) for p in panels for c in p.curves if len(c.risk_n)),
               default=0)  # fmt: skip
    labels = [draw.tick_label(t / factor) for t in ticks]
    return max(text_width(str(most)), *map(text_width, labels))


def _shorten(label: str, room: float) -> str:
    """``label`` cut with an ellipsis to at most ``room`` points wide."""
    if text_width(label) <= room:
        return label
    while len(label) > 1 and text_width(label + "\u2026") > room:
        label = label[:-1]
    return label.rstrip() + "\u2026"


def _short_labels(panel: Panel, room: float) -> Panel:
    """The panel with group labels no wider than ``room`` points (a 60-character label
    would otherwise leave no room for the plot); cells and medians follow their label."""
    short = {c.label: _shorten(c.label, room) for c in panel.curves}
    if all(k == v for k, v in short.items()) or len(set(short.values())) < len(short):
        return panel
    return replace(
        panel, curves=[replace(c, label=short[c.label]) for c in panel.curves],
        cells={short.get(k, k): v for k, v in panel.cells.items()},
        medians={short.get(k, k): v for k, v in panel.medians.items()},
    )  # fmt: skip


def survival_figure(
    panels: Sequence[Panel],
    unit: str = "months",
    width_mm: float = COLUMN_WIDTH_MM,
    options: FigureOptions | None = None,
) -> Figure:
    """Stack ``panels`` in one column, each with its number-at-risk table underneath.

    ``unit`` is ``"days"``, ``"months"`` (days / 30.4375) or ``"years"`` (days / 365.25);
    ``options`` (if given) replaces ``unit`` and ``width_mm``. All panels share one x
    range (the longest follow-up, or ``options.xmax``) so they can be read together.
    """
    opts = options or FigureOptions(unit=unit, width_mm=width_mm)
    factor, width = UNITS[opts.unit], opts.width_mm * MM * 72
    longest = max((c.last_time for p in panels for c in p.curves), default=factor) or factor
    end = opts.xmax * factor if opts.xmax else longest
    panels = [_short_labels(p, 0.35 * width) for p in panels]
    plans = [_plan(p, opts) for p in panels]
    num_w = _count_width(panels, tick_days(end, opts.unit, 8, opts.breaks), factor)
    left, right = _margins(plans, opts, width, num_w)
    if width - left - right < 0.45 * width:  # no room beside the plot: legend on top
        for plan in plans:
            if plan.legend in ("right", "direct"):
                plan.legend, plan.side = "top", None
        left, right = _margins(plans, opts, width, num_w)
    plot_w = width - left - right
    fit = int(np.clip(plot_w // (num_w + 6.0), 2, 10))
    ticks = tick_days(end, opts.unit, fit, opts.breaks)
    plot_h = float(np.clip(plot_w * opts.aspect, 110.0, 190.0))
    for plan in plans:
        _wrap_header(plan, width, left)
        _top_legend(plan, width, left)
        n = len(plan.panel.curves)
        plan.plot_h = max(plot_h, (n + 1) * LINE) if plan.legend == "direct" else plot_h
    height = sum(plan.height(opts) for plan in plans) + _PANEL_GAP * (len(plans) - 1)
    with figure_style():
        fig = Figure(figsize=(width / 72, height / 72))
        FigureCanvasAgg(fig)
        frame = draw.Frame(fig, width, height)
        y = 0.0
        for plan in plans:
            geom = _Geom(left, plot_w, num_w, ticks, factor)
            _draw_panel(frame, plan, opts, y, geom)
            y += plan.height(opts) + _PANEL_GAP
    return fig


@dataclass(frozen=True)
class _Geom:
    left: float
    plot_w: float
    num_w: float
    ticks: np.ndarray
    factor: float


def _draw_header(frame: draw.Frame, plan: _Plan, top: float, left: float) -> None:
    p, y = plan.panel, top + _EDGE
    if p.letter:
        frame.text(_EDGE - 1.0, y, f"({p.letter})", va="top", fontsize=9, fontweight="bold")
    if p.title:
        frame.text(left, y + 1.0, p.title, va="top", fontsize=8)
    y += plan.title_h()
    for line in plan.header:
        frame.text(left, y, line, va="top")
        y += LINE
    if plan.top:
        labels = plan.labels() if plan.legend == "top" else [""] * len(plan.labels())
        draw.draw_legend(frame, plan.top, plan.legend_left, y + 1.0, labels,
                         plan.panel.columns, plan.cells())  # fmt: skip


def _draw_panel(frame: draw.Frame, plan: _Plan, opts: FigureOptions, top: float,
                g: _Geom) -> None:  # fmt: skip
    p = plan.panel
    _draw_header(frame, plan, top, g.left)
    plot_top = top + plan.top_h()
    ax = frame.axes(g.left, plot_top, g.plot_w, plan.plot_h)
    ci = opts.ci or ("band" if p.ci else "none")
    end = g.ticks[-1]
    draw.draw_curves(ax, p.curves, g.factor, ci, opts.censor, end, g.plot_w)
    draw.draw_guides(ax, [p.medians.get(c.label) for c in p.curves], p.landmarks, g.factor)
    origin = p.extra.get("origin")
    xlabel = p.extra.get("xlabel") or _XLABEL[opts.unit] + (f" after {origin}" if origin else "")
    draw.draw_axes(ax, g.ticks, g.factor, p.ylabel, xlabel)
    right = g.left + g.plot_w + g.num_w / 2
    if plan.side:
        draw.draw_legend(frame, plan.side, right + 8.0, plot_top, plan.labels(),
                         p.columns, plan.cells())  # fmt: skip
    elif plan.legend == "direct":
        draw.draw_direct(frame, ax, p.curves, end, right + 4.0, plot_top, plan.plot_h)
    y = plot_top + plan.plot_h + _XAXIS
    n = len(p.curves)
    for row in plan.risk_rows(opts):
        y += 4.0 + LINE
        rax = frame.axes(g.left, y, g.plot_w, n * LINE)
        draw.draw_risk(rax, p.curves, row, g.ticks, g.factor, g.left - _EDGE, g.plot_w)
        y += n * LINE


_SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}


def clean_svg(text: str) -> str:
    """Drop the DOCTYPE (an external DTD reference) and any metadata block."""
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)


def svg_text(fig: Figure) -> str:
    """The figure as SVG text: glyphs as paths, no external reference (for inlining)."""
    buf = io.StringIO()
    with figure_style():
        fig.savefig(buf, format="svg", metadata=_SVG_META)
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
