"""Figures from result objects: ``plot_km``, ``plot_cif`` and ``export_figure``.

The functions take the frozen results of the estimators (:func:`remission.km`,
:func:`remission.cif`, :func:`remission.compare`) and return a matplotlib
:class:`~matplotlib.figure.Figure`, which a notebook shows and :func:`export_figure`
writes as SVG (editable text), PDF (embedded TrueType fonts), PNG or TIFF (LZW) at a
chosen dpi. Nothing is estimated here: medians are ``KMGroup.median()`` (R's
``quantile.survfit``), landmark values ``KMGroup.at()`` (R's ``summary(fit, times=)``)
and ``CIFCurve.at()`` (``cmprsk::timepoints``), tests are the results handed in.

Other curves (Simon-Makuch, landmark analyses) plug in the same way: turn the result
into :class:`~remission.report.figures.curves.Curve` objects and call
:func:`plot_curves`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from remission.report import format as fmt
from remission.report.figures.curves import (
    Curve,
    curves_from_cif_result,
    curves_from_km,
    ordered,
)
from remission.report.figures.draw import tick_label
from remission.report.figures.layout import legend_grid
from remission.report.figures.style import figure_style, width_mm
from remission.report.figures.survival import UNITS, FigureOptions, Panel, survival_figure

__all__ = ["plot_km", "plot_cif", "plot_curves", "export_figure", "FORMATS", "comparison_lines"]

FORMATS = ("svg", "pdf", "png", "tiff")
_ABBREV = {"days": "d", "months": "mo", "years": "y"}
_TESTS = {"logrank": "Log-rank", "peto-peto": "Peto-Peto", "tarone-ware": "Tarone-Ware",
          "gehan-breslow-wilcoxon": "Gehan-Breslow-Wilcoxon", "trend": "Log-rank trend"}  # fmt: skip


def _options(unit: str, width: str | float, **kw: object) -> FigureOptions:
    return FigureOptions(unit=unit, width_mm=width_mm(width), **kw)  # type: ignore[arg-type]


def plot_curves(
    curves: Sequence[Curve], *, kind: str = "survival", title: str = "", ylabel: str = "",
    lines: Sequence[str] = (), columns: Sequence[str] = (),
    cells: Mapping[str, Sequence[str]] | None = None,
    medians: Mapping[str, float | None] | None = None, landmarks: Sequence[float] = (),
    letter: str = "", xlabel: str = "", options: FigureOptions | None = None,
) -> Figure:  # fmt: skip
    """One panel of step curves (times in days) drawn with ``options``.

    ``lines`` are printed above the plot (tests, estimates); ``columns``/``cells`` make
    the legend a table (per curve label); ``medians``/``landmarks`` (days) are drawn
    as dotted guides. The building block of :func:`plot_km` and :func:`plot_cif`.
    """
    panel = Panel(letter, title, ylabel, list(curves), kind=kind, ci=len(curves) <= 3,
                  lines=tuple(lines), columns=tuple(columns), cells=dict(cells or {}),
                  medians=dict(medians or {}), landmarks=tuple(landmarks),
                  extra={"xlabel": xlabel} if xlabel else {})  # fmt: skip
    return survival_figure([panel], options=options or FigureOptions())


def _time(days: float | None, factor: float) -> str:
    """A time in the figure's unit: whole days, months and years to 1 decimal; NR: not
    reached."""
    return "NR" if days is None else fmt.number(days / factor, 0 if factor == 1 else 1)


def _ci_cells(est: float, lo: float, hi: float) -> str:
    if not np.isfinite(est):
        return "-"
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return fmt.number(100 * est, 0)
    return f"{fmt.number(100 * est, 0)} ({fmt.number(100 * lo, 0)}-{fmt.number(100 * hi, 0)})"


def _landmark_head(t: float, unit: str, ci: bool = True) -> str:
    return f"{tick_label(t / UNITS[unit])} {_ABBREV[unit]}, %" + ("\n(95% CI)" if ci else "")


def _km_table(groups: Mapping[str, object], curves: Sequence[Curve], median: bool,
              landmarks: Sequence[float], unit: str, detail: int
              ) -> tuple[list[str], dict[str, list[str]]]:  # fmt: skip
    """Legend-table columns and cells per group: n, events, median (95% CI), landmark
    % (95% CI). ``detail`` 1 drops the events (also in the risk table's events rows), 2
    also the landmarks' CIs, 3 also the median's (so that the table fits the width)."""
    factor, ab = UNITS[unit], _ABBREV[unit]
    columns = ["n"] + (["Events"] if detail < 1 else [])
    columns += [f"Median, {ab}" + ("\n(95% CI)" if detail < 3 else "")] if median else []
    columns += [_landmark_head(t, unit, detail < 2) for t in landmarks]
    cells = {}
    for c in curves:
        g = groups[c.label]
        row = [str(g.n)] + ([str(g.events)] if detail < 1 else [])  # type: ignore[attr-defined]
        if median:
            q = g.median()  # type: ignore[attr-defined]
            ci = f" ({_time(q.lower, factor)}-{_time(q.upper, factor)})" if detail < 3 else ""
            row.append(_time(q.time, factor) + ci)
        at = g.at(landmarks)  # type: ignore[attr-defined]
        for j in range(len(landmarks)):
            est, lo, hi = (at[k][j] for k in ("survival", "lower", "upper"))
            row.append(_ci_cells(est, lo, hi) if detail < 2 else _ci_cells(est, np.nan, np.nan))
        cells[c.label] = row
    return columns, cells


def _fit_table(variants: Sequence[tuple[list[str], dict]], labels: Sequence[str],
               opts: FigureOptions) -> tuple[list[str], dict]:  # fmt: skip
    """The most detailed legend table that fits the figure's width."""
    avail = opts.width_mm / 25.4 * 72 - 6.0
    for columns, cells in variants:
        grid = legend_grid(labels, [cells[lab] for lab in labels], columns)
        if grid.width <= avail:
            break
    return columns, cells


def comparison_lines(
    test: object | None, gray: Sequence[object] = (), cause: object = 1
) -> list[str]:
    """Header lines for a comparison: the test's p-value and, for two groups, the hazard
    ratio (Mantel-Haenszel) with its CI, from a ``compare`` result (or its ``to_dict``);
    or Gray's test of ``cause`` from a ``cif`` result's ``gray`` tests."""
    out = []
    if test is not None:
        d = test if isinstance(test, Mapping) else test.to_dict()  # type: ignore[attr-defined]
        name = _TESTS.get(str(d.get("test")), str(d.get("test")))
        out.append(f"{name} p = {fmt.p_value(d.get('p_value'))}".replace("= <", "< "))
        hr = d.get("hazard_ratio")
        if hr and hr["mantel_haenszel"]["estimate"] is not None:
            m = hr["mantel_haenszel"]
            ci = fmt.value_range(m["lower"], m["upper"], 2)
            out.append(f"HR {hr['group']} vs {hr['reference']} {fmt.number(m['estimate'], 2)} "
                       f"(95% CI {ci}), Mantel-Haenszel")  # fmt: skip
    for g in gray:
        if str(g.cause) == str(cause) and g.p_value is not None:  # type: ignore[attr-defined]
            p = fmt.p_value(g.p_value)  # type: ignore[attr-defined]
            out.append(f"Gray's test p = {p}".replace("= <", "< "))
    return out


def plot_km(
    result: object, *, test: object | None = None, median: bool = False,
    landmarks: Sequence[float] = (), order: Sequence[object] | None = None,
    title: str = "", ylabel: str = "Survival (%)", xlabel: str = "", letter: str = "",
    unit: str = "months", width: str | float = "single", ci: str | None = None,
    censor: str = "auto", risk_rows: Sequence[str] = ("at_risk",), legend: str = "auto",
    breaks: float | None = None, xmax: float | None = None,
) -> Figure:  # fmt: skip
    """Kaplan-Meier curves of a :class:`remission.KMResult` with a number-at-risk table.

    ``test``: a :func:`remission.compare` result whose p-value (and, for two groups, the
    Mantel-Haenszel hazard ratio) is printed above the plot. ``median``: dotted median
    lines and a legend column "Median (95% CI)" (Brookmeyer-Crowley, R's
    ``quantile.survfit``; NR = not reached). ``landmarks``: times in days whose estimates
    with their CI become legend columns. ``order``: group order (default: the result's).
    ``unit``: days, months or years; ``width``: "single", "double" or mm. ``ci``: band,
    lines or none (default: band up to 3 groups). ``censor``: auto (thinned), all, none.
    ``risk_rows``: any of at_risk, events (cumulative), censored (cumulative).
    ``legend``: auto, top, right, direct (labels at the curve ends), none. ``breaks``: x
    tick step and ``xmax``: x-axis end, in ``unit``.
    """
    opts = _options(unit, width, ci=ci, censor=censor, risk_rows=tuple(risk_rows),
                    legend=legend, breaks=breaks, xmax=xmax)  # fmt: skip
    curves = ordered(curves_from_km(result), order)
    groups = {g.group: g for g in result.groups}  # type: ignore[attr-defined]
    columns, cells = _fit_table(
        [_km_table(groups, curves, median, landmarks, unit, d) for d in range(4)],
        [c.label for c in curves], opts,
    ) if (median or landmarks) else ([], {})  # fmt: skip
    medians = {c.label: groups[c.label].median().time for c in curves} if median else {}
    return plot_curves(curves, title=title, ylabel=ylabel, lines=comparison_lines(test),
                       columns=columns, cells=cells, medians=medians, landmarks=landmarks,
                       letter=letter, xlabel=xlabel, options=opts)  # fmt: skip


def plot_cif(
    result: object, cause: object = 1, *, at_risk: object | None = None, test: bool = True,
    landmarks: Sequence[float] = (), order: Sequence[object] | None = None,
    title: str = "", ylabel: str = "Cumulative incidence (%)", xlabel: str = "",
    letter: str = "", unit: str = "months", width: str | float = "single",
    ci: str | None = None, censor: str = "auto", risk_rows: Sequence[str] = ("at_risk",),
    legend: str = "auto", breaks: float | None = None, xmax: float | None = None,
) -> Figure:  # fmt: skip
    """Cumulative incidence of ``cause`` from a :func:`remission.cif` result, per group.

    ``at_risk``: a Kaplan-Meier result of the same rows with any event as the event
    (``km(df, time, "any_event", group)``); it gives the number-at-risk table, the censor
    marks and the censored row, which a cumulative incidence result does not keep.
    ``test``: print Gray's test for ``cause`` when there are groups. ``landmarks``
    (days) become legend columns with the estimate and its CI (``cmprsk::timepoints``).
    The other options are those of :func:`plot_km`.
    """
    opts = _options(unit, width, ci=ci, censor=censor, risk_rows=tuple(risk_rows),
                    legend=legend, breaks=breaks, xmax=xmax)  # fmt: skip
    curves = ordered(curves_from_cif_result(result, cause, at_risk), order)
    if not curves:
        causes = ", ".join(map(str, result.causes))  # type: ignore[attr-defined]
        raise ValueError(f"no curve for cause {cause!r}; causes: {causes}")
    columns, cells = [], {}
    if landmarks:
        from remission.stats.cif import cif_bounds

        columns = ["Events"] + [_landmark_head(t, unit) for t in landmarks]
        for cc in result.curves:  # type: ignore[attr-defined]
            if str(cc.cause) == str(cause):
                est, var = cc.at(landmarks)
                lo, hi = cif_bounds(est, var, result.conf_level)  # type: ignore[attr-defined]
                cells[str(cc.group)] = [str(int(np.sum(cc.n_event)))] + [
                    _ci_cells(est[j], lo[j], hi[j]) for j in range(len(landmarks))]  # fmt: skip
    lines = comparison_lines(None, result.gray if test else (), cause)  # type: ignore[attr-defined]
    return plot_curves(curves, kind="incidence", title=title, ylabel=ylabel, lines=lines,
                       columns=columns, cells=cells, landmarks=landmarks, letter=letter,
                       xlabel=xlabel, options=opts)  # fmt: skip


def _format_of(path: Path, format: str | None) -> str:
    f = (format or path.suffix.lstrip(".")).lower()
    f = {"tif": "tiff"}.get(f, f)
    if f not in FORMATS:
        raise ValueError(f"figure format must be one of {', '.join(FORMATS)}, not {f!r}")
    return f


def _render(fig: Figure, f: str, dpi: int) -> bytes:
    """The figure's bytes in format ``f``: editable SVG text, embedded TrueType fonts in
    PDF, 24-bit PNG/TIFF (TIFF LZW-compressed, the TIFF that journals ask for)."""
    from remission.report.figures.survival import clean_svg

    buf = io.BytesIO()
    with figure_style():
        if f == "svg":
            import matplotlib

            with matplotlib.rc_context({"svg.fonttype": "none"}):
                fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
            return clean_svg(buf.getvalue().decode("utf-8")).encode("utf-8")
        if f == "pdf":
            fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Creator": None,
                                                     "Producer": None})  # fmt: skip
            return buf.getvalue()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if f == "png":
        return buf.getvalue()
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        im.convert("RGB").save(out, format="TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
    return out.getvalue()


def export_figure(
    fig: Figure, path: str | os.PathLike, format: str | None = None, dpi: int = 300
) -> Path:
    """Write ``fig`` to ``path`` as SVG, PDF, PNG or TIFF (from the suffix or ``format``).

    ``dpi`` (72-1200) applies to PNG and TIFF; 300 is the usual minimum for halftones,
    600 for combination figures. The file is written whole or not at all.
    """
    path = Path(path)
    f = _format_of(path, format)
    if not 72 <= int(dpi) <= 1200:
        raise ValueError(f"dpi must be between 72 and 1200, not {dpi}")
    data = _render(fig, f, int(dpi))
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
