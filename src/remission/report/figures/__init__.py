"""Publication figures: Kaplan-Meier and cumulative incidence curves, flow diagram."""

from remission.report.figures.curves import Curve, curves_from_cif, curves_from_km, risk_at
from remission.report.figures.survival import Panel, save_figure, survival_figure, svg_text

__all__ = [
    "Curve",
    "Panel",
    "curves_from_cif",
    "curves_from_km",
    "risk_at",
    "save_figure",
    "survival_figure",
    "svg_text",
]
