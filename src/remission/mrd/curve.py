"""The standard curve of one marker: fit, quantitative range, sensitivity, run checks.

Rules from van der Velden et al., Leukemia 2007;21:604-611 (thresholds and what was
verified: :mod:`remission.mrd.rules`). The curve is the least-squares line of Ct on
log10(dilution) over the standard replicates, ``Ct = intercept + slope * log10(d)``;
efficiency is ``10 ** (-1 / slope) - 1`` (1.0 = a doubling per cycle, slope -3.32).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from remission.mrd.rules import EuroMRDRules
from remission.mrd.runfile import Role, Run

__all__ = ["Check", "DilutionSummary", "StandardCurve", "fit_standard_curve", "least_squares"]

EPS = 1e-9  # Ct comparisons: a value exactly at a limit meets it


@dataclass(frozen=True)
class Check:
    """One run acceptance check and its outcome."""

    name: str
    passed: bool
    message: str

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "message": self.message}


@dataclass(frozen=True)
class DilutionSummary:
    """The replicates of one standard dilution and the rules they meet."""

    dilution: float
    cts: tuple[float | None, ...]
    reproducible: bool
    sensitive: bool
    reason: str

    @property
    def amplified(self) -> tuple[float, ...]:
        return tuple(c for c in self.cts if c is not None)

    @property
    def mean_ct(self) -> float | None:
        a = self.amplified
        return sum(a) / len(a) if a else None

    def to_dict(self) -> dict:
        return {
            "dilution": self.dilution,
            "ct": list(self.cts),
            "reproducible": self.reproducible,
            "sensitive": self.sensitive,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class StandardCurve:
    """A marker's fitted curve with its quantitative range, sensitivity and checks.

    ``quantitative_range`` is ``(lowest, highest)`` dilution, ``None`` if not even the
    most concentrated dilution is reproducible; ``qr_ct`` is the mean Ct of its lowest
    dilution. ``sensitivity`` is the lowest dilution meeting the sensitivity rule.
    ``background_ct`` is the lowest Ct in the normal-DNA controls (``None``: none
    amplified or none present).
    """

    marker: str
    diagnosis_sample: str
    slope: float
    intercept: float
    r2: float
    n_points: int
    dilutions: tuple[DilutionSummary, ...]
    quantitative_range: tuple[float, float] | None
    qr_ct: float | None
    sensitivity: float | None
    background_ct: float | None
    checks: tuple[Check, ...]

    @property
    def efficiency(self) -> float:
        return _pow10(-1.0 / self.slope) - 1.0 if self.slope != 0 else math.inf

    @property
    def accepted(self) -> bool:
        return all(c.passed for c in self.checks)

    def dilution_at(self, ct: float) -> float:
        """The dilution (fraction of diagnostic DNA) the curve gives for a Ct."""
        return _pow10((ct - self.intercept) / self.slope)

    def ct_at(self, dilution: float) -> float:
        return self.intercept + self.slope * math.log10(dilution)

    def to_dict(self) -> dict:
        return {
            "marker": self.marker,
            "diagnosis_sample": self.diagnosis_sample,
            "slope": self.slope,
            "intercept": self.intercept,
            "r2": self.r2,
            "efficiency": self.efficiency if math.isfinite(self.efficiency) else None,
            "n_points": self.n_points,
            "accepted": self.accepted,
            "quantitative_range": list(self.quantitative_range)
            if self.quantitative_range
            else None,
            "qr_ct": self.qr_ct,
            "sensitivity": self.sensitivity,
            "background_ct": self.background_ct,
            "checks": [c.to_dict() for c in self.checks],
            "dilutions": [d.to_dict() for d in self.dilutions],
        }


def _pow10(x: float) -> float:
    """10**x, infinite where a float overflows (a nearly flat curve of a failed run)."""
    try:
        return 10.0**x
    except OverflowError:
        return math.inf


def least_squares(x: Sequence[float], y: Sequence[float]) -> tuple[float, float, float]:
    """Slope, intercept and R^2 of the ordinary least-squares line of y on x.

    Worker: needs at least two distinct x. R^2 = 1 - SS_res / SS_tot (0 when y is flat).
    """
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_tot = sum((b - my) ** 2 for b in y)
    ss_res = sum((b - intercept - slope * a) ** 2 for a, b in zip(x, y, strict=True))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
    return slope, intercept, r2


def fit_standard_curve(run: Run, marker: str, rules: EuroMRDRules | None = None) -> StandardCurve:
    """Fit a marker's curve and derive its quantitative range and sensitivity."""
    rules = rules or EuroMRDRules()
    background = _background_ct(run, marker)
    summaries = _summaries(run, marker, background, rules)
    qr = _quantitative_range(summaries)
    sens = _sensitivity(summaries)
    in_fit = (
        [s for s in summaries if s.reproducible] if rules.fit_on == "quantitative_range" else []
    )
    checks = []
    if len(in_fit) < 2:
        if rules.fit_on == "quantitative_range":
            checks.append(
                Check(
                    "quantitative_range",
                    False,
                    f"{len(in_fit)} reproducible dilution(s); the curve is fitted on all "
                    "amplified standards instead",
                )
            )
        in_fit = [s for s in summaries if s.amplified]
    x = [math.log10(s.dilution) for s in in_fit for _ in s.amplified]
    y = [c for s in in_fit for c in s.amplified]
    slope, intercept, r2 = least_squares(x, y)
    checks += _checks(run, marker, slope, r2, rules)
    checks.append(_replicate_check(summaries, rules))
    return StandardCurve(
        marker=marker,
        diagnosis_sample=run.diagnosis_sample(marker),
        slope=slope,
        intercept=intercept,
        r2=r2,
        n_points=len(y),
        dilutions=tuple(summaries),
        quantitative_range=(qr[-1].dilution, qr[0].dilution) if qr else None,
        qr_ct=qr[-1].mean_ct if qr else None,
        sensitivity=sens[-1].dilution if sens else None,
        background_ct=background,
        checks=tuple(checks),
    )


def _background_ct(run: Run, marker: str) -> float | None:
    cts = [w.ct for w in run.select(Role.NORMAL_CONTROL, marker) if w.ct is not None]
    return min(cts) if cts else None


def _summaries(
    run: Run, marker: str, background: float | None, rules: EuroMRDRules
) -> list[DilutionSummary]:
    by_dilution: dict[float, list[float | None]] = {}
    for w in sorted(run.select(Role.STANDARD, marker), key=lambda w: w.replicate):
        by_dilution.setdefault(w.dilution, []).append(w.ct)
    out = []
    for d in sorted(by_dilution, reverse=True):
        cts = tuple(by_dilution[d])
        out.append(_summarise(d, cts, background, rules))
    return out


def _summarise(
    d: float, cts: tuple[float | None, ...], background: float | None, rules: EuroMRDRules
) -> DilutionSummary:
    amp = [c for c in cts if c is not None]
    n = len(cts)
    if not amp:
        return DilutionSummary(d, cts, False, False, f"no amplification in 0/{n} replicates")
    mean = sum(amp) / len(amp)
    spread = max(amp) - min(amp)
    text = f"{len(amp)}/{n} amplified, mean Ct {mean:.2f}, spread {spread:.2f}"
    reasons = []
    if len(amp) < n:
        reasons.append("not all replicates amplified")
    if spread > rules.qr_max_spread + EPS:
        reasons.append(f"spread > {rules.qr_max_spread:g}")
    if background is not None:
        text += f", {background - mean:.2f} below background Ct {background:.2f}"
        if mean > background - rules.qr_background_separation + EPS:
            reasons.append(f"less than {rules.qr_background_separation:g} Ct below background")
    limit = math.inf if background is None else background - rules.sensitivity_background_separation
    n_sensitive = sum(1 for c in amp if c <= limit + EPS)
    sensitive = n_sensitive >= rules.sensitivity_min_positive
    text += "; reproducible" if not reasons else "; not reproducible: " + ", ".join(reasons)
    if not sensitive:
        text += (
            f"; not sensitive: {n_sensitive} replicate(s) at least "
            f"{rules.sensitivity_background_separation:g} Ct below background"
        )
    return DilutionSummary(d, cts, not reasons, sensitive, text)


def _quantitative_range(summaries: list[DilutionSummary]) -> list[DilutionSummary]:
    qr = []
    for s in summaries:
        if not s.reproducible:
            break
        qr.append(s)
    return qr


def _sensitivity(summaries: list[DilutionSummary]) -> list[DilutionSummary]:
    out = []
    for s in summaries:
        if not (s.reproducible or s.sensitive):
            break
        out.append(s)
    return out


_DEFAULTS = EuroMRDRules()


def _source(rules: EuroMRDRules, *fields: str) -> str:
    """Where a limit comes from: the commonly cited (unverified) default or the user."""
    if all(getattr(rules, f) == getattr(_DEFAULTS, f) for f in fields):
        return ", EuroMRD value as commonly cited (unverified)"
    return ", the laboratory's limit"


def _replicate_check(summaries: list[DilutionSummary], rules: EuroMRDRules) -> Check:
    """Every standard dilution has at least ``rules.standard_replicates`` wells."""
    need = rules.standard_replicates
    short = [f"{s.dilution:g} ({len(s.cts)})" for s in summaries if len(s.cts) < need]
    if short:
        return Check("standard_replicates", False,
                     f"fewer than {need} replicates at dilution(s) " + ", ".join(short))  # fmt: skip
    return Check("standard_replicates", True, f"every dilution has at least {need} replicates")


def _checks(run: Run, marker: str, slope: float, r2: float, rules: EuroMRDRules) -> list[Check]:
    lo, hi = rules.slope_min, rules.slope_max
    out = [
        Check(
            "slope",
            lo - EPS <= slope <= hi + EPS,
            f"slope {slope:.3f}; accepted {lo:g} to {hi:g}"
            + _source(rules, "slope_min", "slope_max"),
        ),
        Check(
            "r2",
            r2 >= rules.r2_min - EPS,
            f"R^2 {r2:.4f}; accepted >= {rules.r2_min:g}" + _source(rules, "r2_min"),
        ),
    ]
    if rules.ntc_must_be_clean:
        ntc = run.select(Role.NTC, marker)
        hits = [w for w in ntc if w.amplified]
        if not ntc:
            out.append(Check("ntc", False, "no no-template control for this marker"))
        else:
            msg = f"{len(hits)}/{len(ntc)} no-template controls amplified"
            if hits:
                msg += " (rows " + ", ".join(str(w.row) for w in hits) + ")"
            out.append(Check("ntc", not hits, msg))
    if rules.require_normal_control:
        normal = run.select(Role.NORMAL_CONTROL, marker)
        out.append(
            Check(
                "normal_control",
                bool(normal),
                f"{len(normal)} normal-DNA control wells"
                if normal
                else "no normal-DNA control: background not assessed",
            )
        )
    return out
