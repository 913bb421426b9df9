"""Publication figures: Kaplan-Meier and cumulative incidence curves, flow diagram."""

from remission.report.figures.curves import Curve, curves_from_cif, curves_from_km, risk_at
from remission.report.figures.plot import export_figure, plot_cif, plot_curves, plot_km
from remission.report.figures.survival import (
    FigureOptions,
    Panel,
    save_figure,
    survival_figure,
    svg_text,
)

__all__ = [
    "Curve",
    "FigureOptions",
    "Panel",
    "curves_from_cif",
    "curves_from_km",
    "export_figure",
    "plot_cif",
    "plot_curves",
    "plot_km",
    "risk_at",
    "save_figure",
    "survival_figure",
    "svg_text",
]
