"""``remission plot km|cif``: a Kaplan-Meier or cumulative incidence figure as a file.

The data options are those of ``remission km`` and ``remission cif``. matplotlib is
imported only when the command runs, so ``remission --help`` does not pay for it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from remission.cli import UsageError
from remission.cli._input import add_input_arguments, parse_times, read_input

if TYPE_CHECKING:  # matplotlib and pandas are imported when the command runs
    import pandas as pd
    from matplotlib.figure import Figure

NAME = "plot"
HELP = "draw a Kaplan-Meier or cumulative incidence figure (SVG, PDF, PNG, TIFF)"
FORMATS = ("svg", "pdf", "png", "tiff")
_ORIGINS = {"hsct": "HSCT", "diagnosis": "diagnosis"}
EXAMPLES = """examples:
  remission plot km --endpoint EFS --origin hsct -o efs.pdf
  remission plot km cohort.csv --endpoint OS --group centre --width double --legend right -o os.svg
  remission plot km data.csv --time days --event died --group arm --median --at 365,1096 \\
      --risk-table at_risk,events --format pdf,tiff --dpi 600 -o figure2
  remission plot cif --endpoint CIR --origin hsct --at 365.25 -o cir.png
  remission plot km --endpoint OS --origin blinatumomab --exposure hsct_date -o simon-makuch.pdf
  remission plot km --endpoint OS --origin blinatumomab --exposure hsct_date --landmark 60 \
      -o landmark60.pdf
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EXAMPLES
    parser.add_argument("kind", choices=["km", "cif"], help="km: Kaplan-Meier; cif: "
                        "cumulative incidence of --cause")  # fmt: skip
    add_input_arguments(parser, competing=True)
    parser.add_argument("--group", help="column of group labels (one curve per group)")
    parser.add_argument("--order", help="group order, e.g. 'MRD neg,MRD pos' (default: the "
                        "column's category order, else sorted)")  # fmt: skip
    parser.add_argument("--cause", type=int, default=1, help="cif: event code drawn (1)")
    parser.add_argument("--at", help="landmark times (days, as km --at): estimates in the legend")
    parser.add_argument("--median", action="store_true", help="km: median lines and column")
    parser.add_argument("--test", default="logrank", help="km: test printed for groups "
                        "(logrank, peto-peto, tarone-ware, ..., none); cif: Gray's test "
                        "unless none")  # fmt: skip
    parser.add_argument("--conf-type", choices=["log-log", "log", "plain"], default="log-log",
                        help="km: pointwise CI transform (default log-log)")  # fmt: skip
    parser.add_argument("--exposure", help="km: column of a time-dependent exposure (e.g. "
                        "hsct_date): Simon-Makuch curves with the Mantel-Byar test")  # fmt: skip
    parser.add_argument("--landmark", type=float, help="km with --exposure: landmark "
                        "analysis at this time (days) instead")  # fmt: skip
    _add_look(parser)
    parser.add_argument("-o", "--output", help="file to write; its suffix gives the format "
                        "(default: km.pdf or cif.pdf)")  # fmt: skip
    parser.add_argument("--format", help="svg, pdf, png, tiff, or several: svg,pdf,tiff "
                        "(one drawing, one file each, named from -o without its suffix)")  # fmt: skip
    parser.add_argument("--dpi", type=int, default=300, help="PNG/TIFF resolution (300; 600)")


def _add_look(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--width", default="single", help="single (85 mm), double (178 mm) "
                        "or a width in mm")  # fmt: skip
    parser.add_argument("--unit", choices=["days", "months", "years"], default="months",
                        help="time axis unit (default months)")  # fmt: skip
    parser.add_argument("--ci", choices=["band", "lines", "none"],
                        help="confidence intervals (default: band up to 3 groups)")  # fmt: skip
    parser.add_argument("--censor", choices=["auto", "all", "none"], default="auto",
                        help="censor ticks (auto: thinned where they would merge)")  # fmt: skip
    parser.add_argument("--risk-table", default="at_risk", help="rows under the plot: "
                        "at_risk, events, censored (comma-separated) or none")  # fmt: skip
    parser.add_argument("--legend", choices=["auto", "top", "right", "direct", "none"],
                        default="auto", help="legend place (direct: labels at curve ends)")  # fmt: skip
    parser.add_argument("--breaks", type=float, help="x tick step, in --unit")
    parser.add_argument("--xmax", type=float, help="end of the x axis, in --unit")
    parser.add_argument("--title", default="", help="title above the plot")
    parser.add_argument("--ylabel", help="y-axis label")


def _fmt(text: str) -> str:
    f = text.strip().lstrip(".").lower()
    return {"tif": "tiff"}.get(f, f)


def _targets(args: argparse.Namespace) -> list[tuple[Path, str]]:
    """(path, format) of every file to write."""
    out = Path(args.output or f"{args.kind}.pdf")
    if args.format:
        formats = [_fmt(f) for f in args.format.split(",") if f.strip()]
    else:
        formats = [_fmt(out.suffix)]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"format {', '.join(bad) or '(none)'} is not one of "
                         f"{', '.join(FORMATS)}; give -o NAME.pdf or --format pdf")  # fmt: skip
    if len(formats) == 1 and args.format and out.suffix.lower().lstrip(".") not in FORMATS:
        return [(out.with_name(out.name + "." + formats[0]), formats[0])]
    if len(formats) == 1:
        return [(out if not args.format else out.with_suffix("." + formats[0]), formats[0])]
    return [(out.with_suffix("." + f) if out.suffix else out.with_name(f"{out.name}.{f}"), f)
            for f in formats]  # fmt: skip


def _checks(args: argparse.Namespace) -> dict:
    """The presentation options, checked here so a bad value is a one-line usage error."""
    rows = tuple(r.strip() for r in args.risk_table.split(",") if r.strip())
    rows = () if rows == ("none",) else rows
    bad = [r for r in rows if r not in ("at_risk", "events", "censored")]
    if bad:
        raise UsageError(f"--risk-table: {', '.join(bad)} is not at_risk, events or censored")
    if not 72 <= args.dpi <= 1200:
        raise UsageError(f"--dpi must be between 72 and 1200 (got {args.dpi})")
    for name in ("breaks", "xmax"):
        v = getattr(args, name)
        if v is not None and not v > 0:
            raise UsageError(f"--{name} must be a positive number (got {v:g})")
    from remission.report.figures.style import width_mm

    try:
        width = width_mm(args.width)
    except ValueError as exc:
        raise UsageError(f"--width: {exc}") from None
    return {"unit": args.unit, "width": width, "ci": args.ci, "censor": args.censor,
            "risk_rows": rows, "legend": args.legend, "breaks": args.breaks, "xmax": args.xmax,
            "title": args.title}  # fmt: skip


def _order(frame: pd.DataFrame | None, group: str | None, text: str | None) -> list[str] | None:
    """``--order``, else the column's declared category order (pandas Categorical)."""
    if text:
        return [s.strip() for s in text.split(",")]
    if frame is not None and group and group in frame and hasattr(frame[group], "cat"):
        return [str(c) for c in frame[group].cat.categories]
    return None


def run(args: argparse.Namespace) -> int:
    look = _checks(args)
    targets = _targets(args)
    at = parse_times(args.at)
    fig = _km_figure(args, at, look) if args.kind == "km" else _cif_figure(args, at, look)
    from remission.report.figures.plot import export_figure

    for path, fmt in targets:
        export_figure(fig, path, format=fmt, dpi=args.dpi)
        print(f"wrote {path}")
    return 0


def _km_estimates(args: argparse.Namespace) -> tuple[object, object | None, list[str] | None]:
    """The Kaplan-Meier result, the test between groups (or None) and the group order;
    with an engine (``--engine duckdb|spark``) from the count tables it counted."""
    from remission.cli._engine import counted
    from remission.stats.km import km, km_from_counts
    from remission.stats.logrank import compare

    want_test = bool(args.group) and args.test != "none"
    eng = counted(args, group=args.group)
    if eng is not None:
        from remission.cli.cmd_compare import _compare_counts

        res = km_from_counts(eng.counts.table, args.conf_type, 0.95)
        spec = argparse.Namespace(test=args.test, conf_level=0.95)
        test = _compare_counts(eng.counts, spec, None, None) if want_test else None
        return res, (test if len(res.groups) > 1 else None), _order(None, None, args.order)
    inp = read_input(args)
    res = km(inp.frame, inp.time, inp.event, args.group, args.conf_type,
             source=inp.source, rows=inp.rows)  # fmt: skip
    test = None
    if want_test and len(res.groups) > 1:
        test = compare(inp.frame, inp.time, inp.event, args.group, test=args.test,
                       source=inp.source, rows=inp.rows)  # fmt: skip
    return res, test, _order(inp.frame, args.group, args.order)


def _exposure_figure(args: argparse.Namespace, at: list[float], look: dict) -> Figure:
    """Simon-Makuch curves (with the Mantel-Byar test) or landmark curves (log-rank)."""
    from remission.cli._engine import resolved_engine
    from remission.cli._input import exposure_input
    from remission.report.figures.plot import plot_km
    from remission.stats.timedep import landmark, mantel_byar, simon_makuch

    if args.group:
        raise UsageError("--exposure makes the groups itself; it takes no --group")
    if resolved_engine(args) != "memory":
        raise UsageError("--exposure reads the rows in memory: use --engine memory")
    inp, col = exposure_input(read_input(args), args)
    common = dict(source=inp.source, rows=inp.rows)
    if args.landmark is None:
        res = simon_makuch(inp.frame, inp.time, inp.event, col, args.conf_type, **common)
        test = mantel_byar(inp.frame, inp.time, inp.event, col, **common)
    else:
        if args.landmark < 0:
            raise UsageError(f"--landmark must be a time >= 0 (got {args.landmark:g})")
        lm = landmark(inp.frame, inp.time, inp.event, col, args.landmark, args.conf_type,
                      **common)  # fmt: skip
        res, test = lm.km, lm.test
    ylabel = args.ylabel or (f"{args.endpoint} (%)" if args.endpoint else "Survival (%)")
    xlabel = _xlabel(args) if args.landmark is None else f"{args.unit.capitalize()} from " \
        f"the landmark (day {args.landmark:g})"  # fmt: skip
    return plot_km(res, test=test, median=args.median, landmarks=at, ylabel=ylabel,
                   xlabel=xlabel, **look)  # fmt: skip


def _km_figure(args: argparse.Namespace, at: list[float], look: dict) -> Figure:
    from remission.report.figures.plot import plot_km

    if args.exposure:
        return _exposure_figure(args, at, look)
    if args.landmark is not None:
        raise UsageError("--landmark goes with --exposure")
    res, test, order = _km_estimates(args)
    ylabel = args.ylabel or (f"{args.endpoint} (%)" if args.endpoint else "Survival (%)")
    return plot_km(res, test=test, median=args.median, landmarks=at, order=order,
                   ylabel=ylabel, xlabel=_xlabel(args), **look)  # fmt: skip


def _cif_figure(args: argparse.Namespace, at: list[float], look: dict) -> Figure:
    import pandas as pd

    from remission.cli._engine import resolved_engine
    from remission.report.figures.plot import plot_cif
    from remission.stats.cif import cif
    from remission.stats.km import km

    if resolved_engine(args) != "memory":
        raise UsageError("plot cif reads the rows in memory: use --engine memory")
    inp = read_input(args)
    order = _order(inp.frame, args.group, args.order)
    res = cif(inp.frame, inp.time, inp.event, group=args.group, source=inp.source,
              rows=inp.rows)  # fmt: skip
    if args.cause not in res.causes:
        causes = ", ".join(map(str, res.causes))
        raise UsageError(f"--cause {args.cause}: no such event code (causes: {causes})")
    ev = pd.to_numeric(inp.frame[inp.event], errors="coerce")
    frame = inp.frame.assign(_any_event=(ev > 0).astype(float).where(ev.notna()))
    at_risk = km(frame, inp.time, "_any_event", args.group, source=inp.source, rows=inp.rows)
    names = dict(inp.event_labels)
    ylabel = args.ylabel or (f"{names[args.cause].capitalize()} (%)" if args.cause in names
                             else "Cumulative incidence (%)")  # fmt: skip
    return plot_cif(res, args.cause, at_risk=at_risk, test=args.test != "none", landmarks=at,
                    order=order, ylabel=ylabel, xlabel=_xlabel(args), **look)  # fmt: skip


def _origin_words(args: argparse.Namespace) -> str:
    """``HSCT``; an intervention of the study file: ``start of NAME``; another named origin
    as named; a date column by its name (``relapse_date``: ``relapse``)."""
    from remission.cli._engine import _study

    name = args.origin
    if name in _ORIGINS:
        return _ORIGINS[name]
    if any(i.name == name for i in _study(args).interventions):
        return f"start of {name}"
    return name.removesuffix("_date").replace("_", " ")


def _xlabel(args: argparse.Namespace) -> str:
    unit = args.unit.capitalize()
    origin = _origin_words(args) if args.endpoint else ""
    return f"{unit} from {origin}" if args.endpoint else unit


__all__ = ["NAME", "HELP", "add_arguments", "run"]
