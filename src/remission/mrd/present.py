"""Presentation of an interpreted run: text table, CSV rows and the standard-curve figure.

Functions that take results; nothing here computes a rule. The figure is built on a
bare :class:`matplotlib.figure.Figure` (Agg canvas), so no pyplot state or display is
touched, and is written to a temporary file that replaces the target only when
complete.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from remission.cohort.csvsafe import safe_row
from remission.cohort.mrdvalue import MRDQualifier
from remission.mrd.curve import StandardCurve
from remission.mrd.interpret import MarkerResult, RunInterpretation
from remission.mrd.response import Kinetics
from remission.mrd.rules import UNVERIFIED_NOTE
from remission.mrd.runfile import Role, Run

__all__ = [
    "CSV_COLUMNS",
    "format_percent",
    "render_text",
    "write_csv",
    "standard_curve_figure",
    "save_figure",
    "kinetics_figure",
    "render_kinetics",
    "FIGURE_SUFFIXES",
]

CSV_COLUMNS = (
    "sample",
    "marker",
    "class",
    "level_percent",
    "sensitivity_percent",
    "qr_limit_percent",
    "reason",
)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def format_percent(x: float | None) -> str:
    """Three significant digits in per cent; empty for ``None``."""
    return "" if x is None else f"{x:.3g}"


def _curve_lines(c: StandardCurve) -> list[str]:
    qr = c.quantitative_range
    lines = [
        f"marker {c.marker} (standards: {c.diagnosis_sample}): "
        f"{'accepted' if c.accepted else 'NOT accepted'}",
        f"  slope {c.slope:.3f}, intercept {c.intercept:.2f}, R^2 {c.r2:.4f}, "
        f"efficiency {c.efficiency * 100:.1f} % ({c.n_points} points)",
        f"  quantitative range {qr[0]:g} to {qr[1]:g}" if qr else "  no quantitative range",
        f"  sensitivity {c.sensitivity:g}" if c.sensitivity else "  sensitivity not reached",
        "  background: lowest normal-control Ct "
        + (f"{c.background_ct:.2f}" if c.background_ct is not None else "none (no amplification)"),
    ]
    lines += [f"  check {k.name}: {'ok' if k.passed else 'FAILED'} - {k.message}" for k in c.checks]
    return lines


def _row(r: MarkerResult) -> list[str]:
    return [
        r.sample,
        r.marker,
        r.mrd_class.value,
        format_percent(r.level),
        format_percent(r.sensitivity),
        format_percent(r.qr_limit),
    ]


def render_text(interp: RunInterpretation) -> str:
    """The run summary, then one line per sample and marker with its reason."""
    lines = [f"RQ-PCR run {interp.source}: {'accepted' if interp.accepted else 'NOT accepted'}"]
    for c in interp.curves:
        lines += _curve_lines(c)
    head = ["sample", "marker", "class", "level %", "sensitivity %", "QR limit %"]
    rows = [_row(r) for r in interp.results]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines += ["", fmt.format(*head)]
    for r, res in zip(rows, interp.results, strict=True):
        lines += [fmt.format(*r), f"    {res.reason}"]
    if any(len(s.markers) > 1 for s in interp.samples):
        lines += ["", "combined over markers:"]
        for s in interp.samples:
            lines.append(
                f"  {s.sample}: {s.mrd_class.value}, level {format_percent(s.level) or '-'} %, "
                f"sensitivity {format_percent(s.sensitivity) or '-'} % ({s.reason})"
            )
    lines += ["", f"note: {UNVERIFIED_NOTE}"]
    return "\n".join(lines) + "\n"


def write_csv(interp: RunInterpretation, fh: TextIO) -> None:
    """One row per sample and marker (:data:`CSV_COLUMNS`)."""
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in interp.results:
        w.writerow(safe_row([*_row(r), r.reason]))  # sample names are never formulas


def standard_curve_figure(interp: RunInterpretation, run: Run) -> Figure:
    """One panel per marker: standards, fitted line, quantitative range, sensitivity,
    background, and the follow-up replicates placed on the curve (uncorrected)."""
    n = len(interp.curves)
    fig = Figure(figsize=(5.5 * n, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, curve in zip(axes, interp.curves, strict=True):
        _panel(ax, curve, [r for r in interp.results if r.marker == curve.marker], run)
    return fig


def _panel(ax, curve: StandardCurve, results: Iterable[MarkerResult], run: Run) -> None:
    xs = [math.log10(d.dilution) for d in curve.dilutions]
    for d in curve.dilutions:
        amp = d.amplified
        ax.scatter([math.log10(d.dilution)] * len(amp), amp, color="black", s=14, zorder=3)
    lo, hi = min(xs) - 0.7, max(xs) + 0.3
    ax.plot(
        [lo, hi],
        [curve.intercept + curve.slope * lo, curve.intercept + curve.slope * hi],
        color="black",
        lw=1,
        label=f"fit: slope {curve.slope:.2f}, R$^2$ {curve.r2:.3f}",
    )
    if curve.quantitative_range:
        q0, q1 = (math.log10(v) for v in curve.quantitative_range)
        ax.axvspan(q0 - 0.05, q1 + 0.05, color="tab:green", alpha=0.12, label="quantitative range")
    if curve.sensitivity:
        ax.axvline(math.log10(curve.sensitivity), color="tab:blue", ls=":", label="sensitivity")
    if curve.background_ct is not None:
        ax.axhline(
            curve.background_ct, color="tab:red", ls="--", lw=1, label="lowest background Ct"
        )
    silent = []
    for r in results:
        amp = [c for c in r.cts if c is not None]
        if not amp:
            silent.append(r.sample)
            continue
        if curve.slope == 0:  # a flat curve places nothing
            continue
        x = math.log10(curve.dilution_at(sum(amp) / len(amp)))
        ax.scatter([x] * len(amp), amp, marker="x", s=30, zorder=4)
        ax.annotate(
            f"{r.sample} ({r.mrd_class.value})",
            (x, max(amp)),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
        )
    if silent:
        ax.text(
            0.02,
            0.02,
            "no amplification: " + ", ".join(silent),
            transform=ax.transAxes,
            fontsize=7,
            va="bottom",
        )
    n_ntc = sum(1 for w in run.select(Role.NTC, curve.marker) if w.amplified)
    ax.set_title(f"{curve.marker}{'' if curve.accepted else ' (run NOT accepted)'}", fontsize=10)
    ax.set_xlabel("log10 dilution of diagnostic DNA")
    ax.set_ylabel("Ct")
    ax.set_xlim(lo, hi)
    ax.legend(fontsize=7, loc="upper right", title=f"NTC amplified: {n_ntc}", title_fontsize=7)


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write the figure atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=path.suffix, prefix=".remission-", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, format=path.suffix.lstrip(".").lower(), dpi=150)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def render_kinetics(kinetics: Mapping[str, Kinetics]) -> str:
    """Per patient: each time point with its reduction from baseline, and the best response."""
    lines = []
    for patient, k in kinetics.items():
        best = k.best.category.value if k.best else "no follow-up"
        lines.append(f"patient {patient}: best response {best}")
        for s in k.steps:
            red = "" if s is k.steps[0] else f"  (from baseline {s.from_baseline})"
            lines.append(f"  time {s.time:g}: {s.value}{red}")
        if k.best:
            lines.append(f"  {k.best.reason}")
    return "\n".join(lines) + "\n"


def kinetics_figure(kinetics: Mapping[str, Kinetics], complete_limit: float = 0.01) -> Figure:
    """MRD (per cent, log scale) over time, one line per patient. Quantifiable results
    are filled circles; negative results are open down-triangles at their sensitivity,
    positive-not-quantifiable results open circles at their limit (both are upper
    bounds); results without a level or limit are not drawn."""
    fig = Figure(figsize=(6.5, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    styles = {
        MRDQualifier.QUANTIFIABLE: dict(marker="o"),
        MRDQualifier.NEGATIVE: dict(marker="v", facecolors="none"),
        MRDQualifier.POSITIVE_NOT_QUANTIFIABLE: dict(marker="o", facecolors="none"),
    }
    for i, (patient, k) in enumerate(kinetics.items()):
        color = f"C{i % 10}"
        pts = [(s.time, s.value.level or s.value.limit, s.value.qualifier) for s in k.steps]
        pts = [p for p in pts if p[1] is not None]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, lw=1, label=patient)
        for q, style in styles.items():
            sel = [p for p in pts if p[2] is q]
            ax.scatter(
                [p[0] for p in sel],
                [p[1] for p in sel],
                edgecolors=color,
                color=color if q is MRDQualifier.QUANTIFIABLE else None,
                **style,
            )
    ax.axhline(complete_limit, color="grey", ls=":", lw=1)
    ax.set_yscale("log")
    ax.set_xlabel("time")
    ax.set_ylabel("MRD (%); open symbols: upper bounds")
    if kinetics:
        ax.legend(fontsize=7, ncols=2)
    return fig
