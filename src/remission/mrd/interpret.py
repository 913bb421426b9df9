"""Follow-up samples of an RQ-PCR run, classified by the EuroMRD rules, with reasons.

Per sample and marker (van der Velden et al., Leukemia 2007;21:604-611, interpretation
of follow-up samples; thresholds in :class:`~remission.mrd.rules.EuroMRDRules`):

- **run_not_accepted**: the marker's run failed a check (slope, R^2, quantitative
  range, no-template control, normal-DNA control, standard replicates). No value is
  given; the reason is "run not accepted: <failed checks>", and asking for the value
  raises :class:`RunNotAcceptedError`.
- **negative**: no replicate amplifies. Sensitivity = the marker's sensitivity
  dilution x DNA correction.
- **background level**: amplification, but fewer than ``followup_min_positive``
  replicates lie ``followup_background_separation`` Ct below the lowest background Ct:
  not distinguishable from non-specific amplification of normal DNA. Reported by
  ``background_level_as``: negative at the assay's sensitivity (default), positive not
  quantifiable, or ``non_specific`` with no value.
- **quantifiable**: enough specific replicates, spread within ``qr_max_spread`` and
  mean Ct not above the mean Ct of the lowest quantitative-range dilution. Level =
  curve dilution at the mean specific Ct x DNA correction.
- **positive_not_quantifiable**: specific amplification that fails the quantifiable
  rule; reported as below the quantitative range limit x DNA correction.

DNA correction = 10 ** ((Ct_cg(follow-up) - Ct_cg(diagnosis)) / -control_gene_slope);
a follow-up sample with less DNA than the diagnostic DNA gets a higher level and a
poorer sensitivity. Levels and sensitivities are reported in per cent of the
diagnostic DNA's leukemic signal (dilution x 100), as :class:`MRDValue` stores them.

Markers are combined per sample (guideline, reporting): no value if any marker's run
was not accepted; else the highest level of the quantifiable markers; otherwise
positive not quantifiable if any marker is; negative only if all markers are negative;
non-specific otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from remission.cohort.mrdvalue import MRDValue
from remission.mrd.curve import EPS, StandardCurve, fit_standard_curve
from remission.mrd.rules import UNVERIFIED_NOTE, EuroMRDRules
from remission.mrd.runfile import Role, Run

__all__ = [
    "MRDClass",
    "RunNotAcceptedError",
    "MarkerResult",
    "SampleResult",
    "RunInterpretation",
    "interpret_run",
    "classify_followup",
    "combine_markers",
    "format_fraction",
]


class MRDClass(StrEnum):
    QUANTIFIABLE = "quantifiable"
    POSITIVE_NOT_QUANTIFIABLE = "positive_not_quantifiable"
    NEGATIVE = "negative"
    NON_SPECIFIC = "non_specific"
    RUN_NOT_ACCEPTED = "run_not_accepted"


class RunNotAcceptedError(ValueError):
    """An MRD value was asked of a result whose run failed acceptance."""


def format_fraction(x: float) -> str:
    """``5e-05`` -> ``5x10^-5``; ``1e-4`` -> ``1x10^-4``."""
    mant, exp = f"{x:.2e}".split("e")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}x10^{int(exp)}"


@dataclass(frozen=True)
class MarkerResult:
    """One follow-up sample on one marker. ``level``/``sensitivity``/``qr_limit`` in %."""

    sample: str
    marker: str
    mrd_class: MRDClass
    level: float | None
    sensitivity: float | None
    qr_limit: float | None
    cts: tuple[float | None, ...]
    n_specific: int
    dna_correction: float | None
    reason: str
    background_level: bool = False

    def to_value(self) -> MRDValue:
        """As an :class:`MRDValue`; a non-specific result (``background_level_as`` =
        ``"missing"``) is missing. A result of a run that was not accepted has no value:
        :class:`RunNotAcceptedError`."""
        return _value(self.mrd_class, self.level, self.sensitivity, self.qr_limit, self.reason)

    def to_dict(self) -> dict:
        return {
            "sample": self.sample,
            "marker": self.marker,
            "class": self.mrd_class.value,
            "level": self.level,
            "sensitivity": self.sensitivity,
            "qr_limit": self.qr_limit,
            "ct": list(self.cts),
            "n_replicates": len(self.cts),
            "n_specific": self.n_specific,
            "background_level": self.background_level,
            "dna_correction": self.dna_correction,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SampleResult:
    """A follow-up sample with its markers combined."""

    sample: str
    markers: tuple[str, ...]
    mrd_class: MRDClass
    level: float | None
    sensitivity: float | None
    qr_limit: float | None
    reason: str

    def to_value(self) -> MRDValue:
        """As an :class:`MRDValue` (see :meth:`MarkerResult.to_value`)."""
        return _value(self.mrd_class, self.level, self.sensitivity, self.qr_limit, self.reason)

    def to_dict(self) -> dict:
        return {
            "sample": self.sample,
            "markers": list(self.markers),
            "class": self.mrd_class.value,
            "level": self.level,
            "sensitivity": self.sensitivity,
            "qr_limit": self.qr_limit,
            "reason": self.reason,
        }


def _value(
    c: MRDClass, level: float | None, sens: float | None, qr: float | None, reason: str
) -> MRDValue:
    if c is MRDClass.RUN_NOT_ACCEPTED:
        raise RunNotAcceptedError(f"no MRD value: {reason}")
    if c is MRDClass.QUANTIFIABLE and level is not None:
        return MRDValue.quantifiable(level)
    if c is MRDClass.NEGATIVE:
        return MRDValue.negative(sens)
    if c is MRDClass.POSITIVE_NOT_QUANTIFIABLE:
        return MRDValue.pnq(qr)
    return MRDValue.missing()


@dataclass(frozen=True)
class RunInterpretation:
    """Curves, per-marker results and combined per-sample results of one run."""

    source: str
    rules: EuroMRDRules
    curves: tuple[StandardCurve, ...]
    results: tuple[MarkerResult, ...]
    samples: tuple[SampleResult, ...]

    @property
    def accepted(self) -> bool:
        return all(c.accepted for c in self.curves)

    def curve(self, marker: str) -> StandardCurve:
        return next(c for c in self.curves if c.marker == marker)

    def to_dict(self) -> dict:
        """The JSON shape: ``run`` carries the curve's keys (slope, intercept, r2,
        efficiency, quantitative_range, sensitivity) when the run has one marker, and
        ``null`` for them when it has several (each marker's curve is in ``markers``)."""
        markers = [c.to_dict() for c in self.curves]
        single = markers[0] if len(markers) == 1 else {}
        keys = ("slope", "intercept", "r2", "efficiency", "quantitative_range", "sensitivity")
        return {
            "run": {
                "source": self.source,
                **{k: single.get(k) for k in keys},
                "accepted": self.accepted,
                "markers": markers,
            },
            "results": [r.to_dict() for r in self.results],
            "samples": [s.to_dict() for s in self.samples],
            "rules": self.rules.to_dict(),
            "verification": UNVERIFIED_NOTE,
        }


def interpret_run(run: Run, rules: EuroMRDRules | None = None) -> RunInterpretation:
    """Fit every marker's curve and classify every follow-up sample.

    A marker whose curve fails a run check gives no value for any sample: each result
    is ``run_not_accepted`` with the reason "run not accepted: <failed checks>".
    """
    rules = rules or EuroMRDRules()
    curves = tuple(fit_standard_curve(run, m, rules) for m in run.markers)
    results = []
    for curve in curves:
        dx_cg = run.control_gene_ct(curve.diagnosis_sample)
        for sample in run.followup_samples(curve.marker):
            wells = sorted(
                (w for w in run.select(Role.FOLLOWUP, curve.marker) if w.sample == sample),
                key=lambda w: w.replicate,
            )
            cts = tuple(w.ct for w in wells)
            if not curve.accepted:
                results.append(_not_accepted(curve, sample, cts))
                continue
            fu_cg = run.control_gene_ct(sample)
            correction, note = _dna_correction(dx_cg, fu_cg, curve.diagnosis_sample, sample, rules)
            if len(cts) < rules.followup_replicates:
                note += f"; {len(cts)} replicate(s), {rules.followup_replicates} expected"
            r = classify_followup(curve, sample, cts, correction, rules)
            results.append(replace(r, reason=r.reason + note))
    order = dict.fromkeys(r.sample for r in results)
    samples = tuple(combine_markers([r for r in results if r.sample == s], rules) for s in order)
    return RunInterpretation(run.source, rules, curves, tuple(results), samples)


def _not_accepted(curve: StandardCurve, sample: str, cts: tuple[float | None, ...]):
    failed = "; ".join(f"{c.name} failed [{c.message}]" for c in curve.checks if not c.passed)
    reason = f"run not accepted: {failed}; marker {curve.marker}, no MRD value is given"
    return MarkerResult(
        sample, curve.marker, MRDClass.RUN_NOT_ACCEPTED, None, None, None, cts, 0, None, reason
    )


def _dna_correction(
    dx: float | None, fu: float | None, dx_name: str, fu_name: str, rules: EuroMRDRules
) -> tuple[float | None, str]:
    if dx is None or fu is None:
        who = " and ".join(n for n, v in ((dx_name, dx), (fu_name, fu)) if v is None)
        return None, f"; not corrected for DNA quantity (no control-gene Ct for {who})"
    factor = 10.0 ** ((fu - dx) / -rules.control_gene_slope)
    return factor, (
        f"; DNA correction x{factor:.3g} (control gene Ct {fu:.2f} vs {dx:.2f} at diagnosis)"
    )


def classify_followup(
    curve: StandardCurve,
    sample: str,
    cts: tuple[float | None, ...],
    dna_correction: float | None = None,
    rules: EuroMRDRules | None = None,
) -> MarkerResult:
    """Classify one sample's replicate Cts on one marker's curve (rules: module doc)."""
    rules = rules or EuroMRDRules()
    k = 1.0 if dna_correction is None else dna_correction
    n = len(cts)
    amp = [c for c in cts if c is not None]
    sens = curve.sensitivity * k * 100 if curve.sensitivity is not None else None
    qr = curve.quantitative_range[0] * k * 100 if curve.quantitative_range else None
    bg = curve.background_ct
    limit = math.inf if bg is None else bg - rules.followup_background_separation
    specific = [c for c in amp if c <= limit + EPS]

    def result(cls: MRDClass, level: float | None, reason: str) -> MarkerResult:
        return MarkerResult(
            sample, curve.marker, cls, level, sens, qr, cts, len(specific), dna_correction, reason
        )

    if not amp:
        text = _sensitivity_text(curve, sens)
        return result(
            MRDClass.NEGATIVE, None, f"negative: no amplification in {n}/{n} replicates; {text}"
        )
    bg_text = "no background" if bg is None else f"lowest background Ct {bg:.2f}"
    if len(specific) < rules.followup_min_positive:
        what = (f"amplification in {len(amp)}/{n} replicates (Ct "
                + ", ".join(f"{c:.2f}" for c in amp)
                + f") within {rules.followup_background_separation:g} Ct of the {bg_text} "
                "or later, i.e. at background level")  # fmt: skip
        cls, text = _background_level(rules, what, sens, qr)
        return replace(result(cls, None, text), background_level=True)
    mean = sum(specific) / len(specific)
    head = f"{len(specific)}/{n} replicates specific (mean Ct {mean:.2f}; {bg_text})"
    fails = _quantification_failures(curve, specific, n, rules)
    if not fails:
        level = curve.dilution_at(mean) * k * 100
        return result(MRDClass.QUANTIFIABLE, level, _quantified_text(curve, head, mean, level, qr))
    below = f"below {format_fraction(qr / 100)}" if qr else "no quantitative range"
    return result(
        MRDClass.POSITIVE_NOT_QUANTIFIABLE,
        None,
        f"positive not quantifiable ({below}): {head}; " + "; ".join(fails),
    )


def _quantified_text(
    curve: StandardCurve, head: str, mean: float, level: float, qr: float | None
) -> str:
    top = curve.quantitative_range[1]
    where = (
        f"above the most concentrated standard {format_fraction(top)} (extrapolated)"
        if mean < curve.ct_at(top) - EPS
        else f"within the quantitative range (limit {format_fraction(qr / 100)})"
    )
    return f"quantifiable: {head}; level {format_fraction(level / 100)} {where}"


def _sensitivity_text(curve: StandardCurve, sens: float | None) -> str:
    text = f"sensitivity {format_fraction(sens / 100)}" if sens else "sensitivity unknown"
    if curve.sensitivity:
        text += f" (lowest sensitive dilution {format_fraction(curve.sensitivity)})"
    return text


_UNVERIFIED = "guideline rule as reviewed, not verified against its text"


def _background_level(
    rules: EuroMRDRules, what: str, sens: float | None, qr: float | None
) -> tuple[MRDClass, str]:
    """Class and reason of background-level amplification (``background_level_as``)."""
    how = rules.background_level_as
    if how == "negative":
        at = f"at the assay's sensitivity {format_fraction(sens / 100)}" if sens else (
            "(sensitivity unknown)")  # fmt: skip
        return MRDClass.NEGATIVE, (f"negative {at}: {what}, reported as negative "
                                   f"(background_level_as 'negative'; {_UNVERIFIED})")  # fmt: skip
    if how == "pnq":
        below = f"below {format_fraction(qr / 100)}" if qr else "no quantitative range"
        return MRDClass.POSITIVE_NOT_QUANTIFIABLE, (
            f"positive not quantifiable ({below}): {what}, reported as positive below the "
            f"quantitative range (background_level_as 'pnq'; {_UNVERIFIED})")  # fmt: skip
    return (
        MRDClass.NON_SPECIFIC,
        f"non-specific: {what}; no MRD value (background_level_as 'missing')",
    )


def _quantification_failures(
    curve: StandardCurve, specific: list[float], n: int, rules: EuroMRDRules
) -> list[str]:
    """Why specific replicates cannot be quantified (empty: they can)."""
    need = n if rules.quant_min_positive is None else rules.quant_min_positive
    mean = sum(specific) / len(specific)
    spread = max(specific) - min(specific)
    fails = []
    if curve.qr_ct is None:
        fails.append("the run has no quantitative range")
    if curve.slope >= 0:
        fails.append(f"the standard curve does not fall (slope {curve.slope:.3f})")
    if len(specific) < need:
        fails.append(f"{len(specific)}/{n} replicates specific, {need} needed")
    if spread > rules.qr_max_spread + EPS:
        fails.append(f"replicate spread {spread:.2f} > {rules.qr_max_spread:g}")
    if curve.qr_ct is not None and mean > curve.qr_ct + EPS:
        fails.append(f"mean Ct {mean:.2f} above the quantitative range limit Ct {curve.qr_ct:.2f}")
    return fails


def combine_markers(
    results: Sequence[MarkerResult], rules: EuroMRDRules | None = None
) -> SampleResult:
    """One sample's markers combined (module doc); ``results`` share one sample.

    The reported sensitivity is the poorest (or, by ``rules.combined_sensitivity``, the
    best) of the markers' sensitivities, ``None`` if any marker has none.
    """
    rules = rules or EuroMRDRules()
    sample = results[0].sample
    markers = tuple(r.marker for r in results)
    sens = [r.sensitivity for r in results]
    pick = max if rules.combined_sensitivity == "poorest" else min
    sensitivity = pick(sens) if None not in sens else None

    def out(c: MRDClass, level: float | None, qr: float | None, reason: str) -> SampleResult:
        return SampleResult(sample, markers, c, level, sensitivity, qr, reason)

    by = {c: [r for r in results if r.mrd_class is c] for c in MRDClass}
    if by[MRDClass.RUN_NOT_ACCEPTED]:
        reason = " | ".join(r.reason for r in by[MRDClass.RUN_NOT_ACCEPTED])
        return SampleResult(sample, markers, MRDClass.RUN_NOT_ACCEPTED, None, None, None, reason)
    if by[MRDClass.QUANTIFIABLE]:
        top = max(by[MRDClass.QUANTIFIABLE], key=lambda r: r.level)
        return out(
            MRDClass.QUANTIFIABLE,
            top.level,
            top.qr_limit,
            f"highest level of {len(results)} marker(s): {top.marker}",
        )
    if by[MRDClass.POSITIVE_NOT_QUANTIFIABLE]:
        pnq = by[MRDClass.POSITIVE_NOT_QUANTIFIABLE]
        limits = [r.qr_limit for r in pnq]
        bound = max(limits) if None not in limits else None
        names = ", ".join(r.marker for r in pnq)
        return out(
            MRDClass.POSITIVE_NOT_QUANTIFIABLE, None, bound, f"positive not quantifiable on {names}"
        )
    if len(by[MRDClass.NEGATIVE]) == len(results):
        return out(
            MRDClass.NEGATIVE,
            None,
            None,
            f"negative on all {len(results)} marker(s); "
            f"{rules.combined_sensitivity} marker sensitivity reported",
        )
    names = ", ".join(r.marker for r in by[MRDClass.NON_SPECIFIC])
    return out(
        MRDClass.NON_SPECIFIC, None, None, f"not negative: non-specific amplification on {names}"
    )
